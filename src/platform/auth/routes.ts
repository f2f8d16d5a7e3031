import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../config';
import { SESSION_COOKIE, requestMeta, requireActor, type App, type AppContext } from '../http/app';
import { TextSchema, errorResponses } from '../http/schemas';
import { actableSubjects, switchActingSubject } from './acting';
import { changePassword } from './credentials';
import { PASSWORD_MAX_LENGTH } from './password-policy';
import { ROLES } from './model';
import { profileOfActor, signIn, signOut } from './service';

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
});

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
  app.post(
    '/api/session',
    {
      config: { access: { roles: 'public', scope: 'own' } },
      schema: {
        tags: ['platform'],
        summary: 'Sign in with username and password (登录)',
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
      const session = await signIn(db.kysely, config, request.body, requestMeta(request));
      setSessionCookie(reply, config, session);
      return { user: session.profile };
    },
  );

  app.delete(
    '/api/session',
    {
      config: { access: { roles: 'public', scope: 'own' } },
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
      config: { access: { roles: 'signed-in', scope: 'own' } },
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
      config: { access: { roles: 'signed-in', scope: 'own' } },
      schema: {
        tags: ['platform'],
        summary:
          'Change your own password (修改密码): at least 10 characters mixing three of lower case, upper case, digits and other characters, not containing the username, not a common password; other sessions end and this one gets a new cookie',
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
