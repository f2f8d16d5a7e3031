import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../config';
import { logSealing } from '../crypto';
import {
  CHALLENGE_COOKIE,
  SESSION_COOKIE,
  requestMeta,
  requireActor,
  type App,
  type AppContext,
} from '../http/app';
import { TextSchema, errorResponses } from '../http/schemas';
import { actableSubjects, switchActingSubject } from './acting';
import { changePassword } from './credentials';
import { PASSWORD_MAX_LENGTH } from './password-policy';
import { sealSecondFactorSecrets } from './store';
import { ROLES, STAFF_ROLES } from './model';
import { userAdminRoutes } from './users-routes';
import {
  completeSignIn,
  confirmEnrolment,
  renewRecoveryCodes,
  resetSecondFactor,
  secondFactorStatus,
  startEnrolment,
} from './second-factor';
import { profileOfActor, secondFactorRequired, signOut, startSignIn } from './service';
import { TOTP_CODE_PATTERN } from './totp';

const SubjectKindSchema = Type.Union([Type.Literal('person'), Type.Literal('enterprise')]);

const ProfileSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.Enum(ROLES),
  regionCode: Type.String(),
  regionName: TextSchema,
  departmentId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  departmentName: Type.Union([TextSchema, Type.Null()]),
  subjectId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  acting: Type.Union([
    Type.Object({
      subjectId: Type.String({ format: 'uuid' }),
      name: Type.String(),
      kind: SubjectKindSchema,
    }),
    Type.Null(),
  ]),
  secondFactorSetupRequired: Type.Boolean({
    description:
      'The session may only enrol a second factor (staff under ONETHING_SECOND_FACTOR=required)',
  }),
  passwordChangeRequired: Type.Boolean({
    description:
      'The account signed in with a temporary password and may only change it (PUT /api/me/password) until it does',
  }),
});

const CodeSchema = Type.String({
  pattern: TOTP_CODE_PATTERN,
  maxLength: 16,
  description: 'The 6-digit code the authenticator app shows now',
});

const SecondFactorStatusReply = Type.Object({
  enrolled: Type.Boolean(),
  pending: Type.Boolean(),
  confirmedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  recoveryCodesLeft: Type.Integer({ minimum: 0 }),
  policy: Type.Union([Type.Literal('optional'), Type.Literal('required')]),
});

const EnrolmentReply = Type.Object({
  secret: Type.String({ description: 'base32 shared secret, shown once' }),
  uri: Type.String({ description: 'otpauth://totp/… URI for the QR code, shown once' }),
});

const STAFF = { roles: STAFF_ROLES, scope: 'own' } as const;

const UserReply = Type.Object({ user: ProfileSchema });

const ActableSubjectsReply = Type.Object({
  subjects: Type.Array(
    Type.Object({
      subjectId: Type.String({ format: 'uuid' }),
      kind: SubjectKindSchema,
      name: Type.String(),
      identifier: Type.String(),
      current: Type.Boolean(),
    }),
  ),
});

// An acting citizen is an enterprise to the access check, and must still be able to switch back.
const SUBJECT_HOLDERS = { roles: ['citizen', 'enterprise'], scope: 'own' } as const;

/** Routes of sign-in, sign-out and the caller's own profile. */
export function authRoutes(app: App, { db, config }: AppContext) {
  // Authenticator secrets sealed under an earlier data key are sealed anew under the key in use.
  app.addHook('onReady', async () => {
    logSealing(app.log, { secondFactors: await sealSecondFactorSecrets(db.kysely) });
  });
  app.post(
    '/api/session',
    {
      config: { access: { roles: 'public', scope: 'own' } },
      schema: {
        tags: ['platform'],
        summary:
          'Sign in with username and password (登录); for an account with a second factor the answer is 401 `auth.second_factor_required` with a 5-minute challenge cookie, and POST /api/session/second-factor finishes the sign-in',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: UserReply, ...errorResponses(401, 422, 429) },
      },
    },
    async (request, reply) => {
      const previous = request.cookies[SESSION_COOKIE];
      // A session token presented at sign-in is ended, never reused (no session fixation).
      if (previous) await signOut(db.kysely, previous, requestMeta(request));
      const step = await startSignIn(db.kysely, config, request.body, requestMeta(request));
      if (step.kind === 'second-factor') {
        if (previous) reply.clearCookie(SESSION_COOKIE, { path: '/' });
        reply.setCookie(CHALLENGE_COOKIE, step.challenge, {
          path: '/api/session',
          httpOnly: true,
          sameSite: 'strict',
          secure: config.cookieSecure,
          expires: step.expiresAt,
        });
        throw secondFactorRequired();
      }
      setSessionCookie(reply, config, step);
      return { user: step.profile };
    },
  );

  app.post(
    '/api/session/second-factor',
    {
      config: { access: { roles: 'public', scope: 'own' } },
      schema: {
        tags: ['platform'],
        summary:
          'Finish signing in with the second factor (双因素认证): after POST /api/session answered 401 `auth.second_factor_required`, give the 6-digit code of the authenticator app, or one recovery code; a code is accepted once, within one 30-second step either side; wrong codes count towards the lock-out',
        body: Type.Object(
          {
            code: Type.Optional(CodeSchema),
            recoveryCode: Type.Optional(
              Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9 -]+$' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: UserReply, ...errorResponses(401, 422, 429) },
      },
    },
    async (request, reply) => {
      const session = await completeSignIn(
        db.kysely,
        config,
        request.cookies[CHALLENGE_COOKIE],
        request.body,
        requestMeta(request),
      );
      reply.clearCookie(CHALLENGE_COOKIE, { path: '/api/session' });
      setSessionCookie(reply, config, session);
      return { user: session.profile };
    },
  );

  app.get(
    '/api/me/second-factor',
    {
      config: { access: STAFF, secondFactorSetup: true },
      schema: {
        tags: ['platform'],
        summary:
          'Your second factor (双因素认证): enrolled or not, recovery codes left, and whether the platform requires one',
        response: { 200: SecondFactorStatusReply, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const status = await secondFactorStatus(db.kysely, config, requireActor(request));
      return { ...status, confirmedAt: status.confirmedAt?.toISOString() ?? null };
    },
  );

  app.post(
    '/api/me/second-factor',
    {
      config: { access: STAFF, secondFactorSetup: true },
      schema: {
        tags: ['platform'],
        summary:
          'Start enrolling an authenticator app (绑定身份验证器, TOTP RFC 6238): a new secret and its otpauth URI, shown this once; confirm with a code to finish',
        response: { 200: EnrolmentReply, ...errorResponses(401, 403, 409) },
      },
    },
    async (request) => startEnrolment(db.kysely, requireActor(request), requestMeta(request)),
  );

  app.post(
    '/api/me/second-factor/confirmation',
    {
      config: { access: STAFF, secondFactorSetup: true },
      schema: {
        tags: ['platform'],
        summary:
          'Confirm the authenticator with its current code: the second factor counts from now on; returns 8 one-time recovery codes, shown this once; other sessions end and this one gets a new cookie',
        body: Type.Object({ code: CodeSchema }, { additionalProperties: false }),
        response: {
          200: Type.Object({ recoveryCodes: Type.Array(Type.String()), user: ProfileSchema }),
          ...errorResponses(401, 403, 409, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const token = request.cookies[SESSION_COOKIE]!;
      const { session, recoveryCodes } = await confirmEnrolment(
        db.kysely,
        actor,
        token,
        request.body.code,
        requestMeta(request),
      );
      setSessionCookie(reply, config, session);
      // The session now counts as opened with the second factor: nothing is held back any more.
      const user = await profileOfActor(db.kysely, actor);
      return { recoveryCodes, user: { ...user, secondFactorSetupRequired: false } };
    },
  );

  app.post(
    '/api/me/second-factor/recovery-codes',
    {
      config: { access: STAFF },
      schema: {
        tags: ['platform'],
        summary:
          "New recovery codes (重新生成恢复码), given the authenticator's current code: 8 one-time codes replacing every earlier one, shown this once. Audited",
        body: Type.Object({ code: CodeSchema }, { additionalProperties: false }),
        response: {
          200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }),
          ...errorResponses(401, 403, 409, 422, 429),
        },
      },
    },
    async (request) => {
      const recoveryCodes = await renewRecoveryCodes(
        db.kysely,
        requireActor(request),
        request.body.code,
        requestMeta(request),
      );
      return { recoveryCodes };
    },
  );

  app.delete(
    '/api/users/:userId/second-factor',
    {
      config: { access: { roles: ['admin'], scope: 'all' } },
      schema: {
        tags: ['platform'],
        summary:
          "Reset a user's second factor (重置双因素认证, e.g. a lost phone): the authenticator, recovery codes and sessions of the account end; it enrols again at its next sign-in. Audited",
        params: Type.Object({ userId: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      await resetSecondFactor(
        db.kysely,
        requireActor(request),
        request.params.userId,
        requestMeta(request),
      );
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/session',
    {
      config: {
        access: { roles: 'public', scope: 'own' },
        secondFactorSetup: true,
        passwordChange: true,
      },
      schema: {
        tags: ['platform'],
        summary: 'Sign out (退出登录); harmless when not signed in',
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await signOut(db.kysely, token, requestMeta(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      config: {
        access: { roles: 'signed-in', scope: 'own' },
        secondFactorSetup: true,
        passwordChange: true,
      },
      schema: {
        tags: ['platform'],
        summary: 'The signed-in user (当前用户)',
        response: { 200: UserReply, ...errorResponses(401) },
      },
    },
    async (request) => ({ user: await profileOfActor(db.kysely, requireActor(request)) }),
  );

  app.get(
    '/api/me/subjects',
    {
      config: { access: SUBJECT_HOLDERS },
      schema: {
        tags: ['platform'],
        summary:
          'The subjects the signed-in user can act as (办事主体): themselves and the enterprises they represent',
        response: { 200: ActableSubjectsReply, ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ subjects: await actableSubjects(db.kysely, requireActor(request)) }),
  );

  app.put(
    '/api/session/subject',
    {
      config: { access: SUBJECT_HOLDERS },
      schema: {
        tags: ['platform'],
        summary:
          'Act as yourself (null) or for an enterprise you represent (切换办事主体 / 法人办事)',
        body: Type.Object(
          { subjectId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]) },
          { additionalProperties: false },
        ),
        response: { 200: UserReply, ...errorResponses(401, 403, 422) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      // requireActor succeeded, so the request carried a live session cookie.
      const token = request.cookies[SESSION_COOKIE]!;
      const user = await switchActingSubject(
        db.kysely,
        actor,
        token,
        request.body.subjectId,
        requestMeta(request),
      );
      return { user };
    },
  );

  app.put(
    '/api/me/password',
    {
      config: { access: { roles: 'signed-in', scope: 'own' }, passwordChange: true },
      schema: {
        tags: ['platform'],
        summary:
          'Change your own password (修改密码): at least 10 characters mixing three of lower case, upper case, digits and other characters, not containing the username, not a common password; other sessions end and this one gets a new cookie. A temporary password set by an administrator must be changed here before anything else',
        body: Type.Object(
          {
            currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
            newPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(401, 422, 429) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const token = request.cookies[SESSION_COOKIE]!;
      const session = await changePassword(
        db.kysely,
        config,
        actor,
        token,
        request.body,
        requestMeta(request),
      );
      setSessionCookie(reply, config, session);
      return reply.status(204).send(null);
    },
  );

  userAdminRoutes(app, db);
}

/**
 * Sets the session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site
 * sub-requests or form posts), Secure behind TLS, living no longer than the session.
 */
function setSessionCookie(
  reply: FastifyReply,
  config: Config,
  session: { token: string; expiresAt: Date },
): void {
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    expires: session.expiresAt,
  });
}
