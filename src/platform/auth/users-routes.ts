import { Type } from 'typebox';
import type { Db } from '../db/database';
import { requestMeta, requireActor, type App } from '../http/app';
import { TextSchema, errorResponses } from '../http/schemas';
import { ROLES, STAFF_ROLES } from './model';
import type { Account } from './users';
import {
  createStaffUser,
  getUser,
  listUsers,
  resetPassword,
  unlockUser,
  updateUser,
} from './users';

const AccountSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.Enum(ROLES),
  regionCode: Type.String(),
  regionName: TextSchema,
  department: Type.Union([
    Type.Object({ id: Type.String({ format: 'uuid' }), name: TextSchema }),
    Type.Null(),
  ]),
  subject: Type.Union([
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
      name: Type.String(),
      identifier: Type.String({
        description: 'resident ID masked (371002********1234); a credit code as it is',
      }),
    }),
    Type.Null(),
  ]),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled'), Type.Literal('locked')]),
  disabled: Type.Boolean(),
  lockedUntil: Type.Union([
    Type.String({ format: 'date-time', description: 'set while locked after failed sign-ins' }),
    Type.Null(),
  ]),
  secondFactorEnrolled: Type.Boolean(),
  passwordChangeRequired: Type.Boolean({
    description: 'the account holds a temporary password it must change at its next sign-in',
  }),
  createdAt: Type.String({ format: 'date-time' }),
  lastSignedInAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const TemporaryPasswordReply = Type.Object({
  user: AccountSchema,
  temporaryPassword: Type.String({
    description: 'shown this once; the account must change it at its next sign-in',
  }),
});

const ADMIN = { roles: ['admin'], scope: 'all' } as const;
const UserParams = Type.Object({ userId: Type.String({ format: 'uuid' }) });
const Username = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$',
  description:
    '2–63 letters, digits, dot, underscore or hyphen, starting with a letter or digit; kept in lower case',
});
const DisplayName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const RegionCode = Type.String({ minLength: 2, maxLength: 16, pattern: '^[0-9A-Z][0-9A-Z-]*$' });
const StaffRole = Type.Enum(STAFF_ROLES);

function view(account: Account) {
  return {
    ...account,
    lockedUntil: account.lockedUntil?.toISOString() ?? null,
    createdAt: account.createdAt.toISOString(),
    lastSignedInAt: account.lastSignedInAt?.toISOString() ?? null,
  };
}

/** User administration (用户与角色): administrators list, create, change, unlock and reset accounts. */
export function userAdminRoutes(app: App, db: Db) {
  app.get(
    '/api/users',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['platform'],
        summary:
          'Accounts (用户与角色), filtered by part of the username or display name, role, department, region (and those below it) and status; by username, paged',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 64 })),
            role: Type.Optional(Type.Enum(ROLES)),
            departmentId: Type.Optional(Type.String({ format: 'uuid' })),
            regionCode: Type.Optional(RegionCode),
            status: Type.Optional(
              Type.Union([
                Type.Literal('active'),
                Type.Literal('disabled'),
                Type.Literal('locked'),
              ]),
            ),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(AccountSchema),
            total: Type.Integer({ description: 'accounts matching the filter' }),
          }),
          ...errorResponses(401, 403, 422),
        },
      },
    },
    async (request) => {
      const page = await listUsers(db.kysely, request.query);
      return { items: page.items.map(view), total: page.total };
    },
  );

  app.get(
    '/api/users/:userId',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['platform'],
        summary: 'One account (用户)',
        params: UserParams,
        response: { 200: Type.Object({ user: AccountSchema }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => ({ user: view(await getUser(db.kysely, request.params.userId)) }),
  );

  app.post(
    '/api/users',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['platform'],
        summary:
          'Create a staff account (新增工作人员账号) in an existing department, in its region or one below it (by default its own); the server makes a temporary password, returned this once, which the account must change at its first sign-in. Audited',
        body: Type.Object(
          {
            username: Username,
            displayName: DisplayName,
            role: StaffRole,
            departmentId: Type.String({ format: 'uuid' }),
            regionCode: Type.Optional(RegionCode),
          },
          { additionalProperties: false },
        ),
        response: { 201: TemporaryPasswordReply, ...errorResponses(401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const created = await createStaffUser(
        db.kysely,
        requireActor(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send({ ...created, user: view(created.user) });
    },
  );

  app.patch(
    '/api/users/:userId',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['platform'],
        summary:
          'Change an account (修改账号): display name, disabled (停用 ends its sessions); for staff accounts also role (staff roles), department and region. No administrator disables or demotes their own account, and no change leaves no enabled administrator (409). Audited',
        params: UserParams,
        body: Type.Object(
          {
            displayName: Type.Optional(DisplayName),
            role: Type.Optional(StaffRole),
            departmentId: Type.Optional(Type.String({ format: 'uuid' })),
            regionCode: Type.Optional(RegionCode),
            disabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ user: AccountSchema }),
          ...errorResponses(401, 403, 404, 409, 422),
        },
      },
    },
    async (request) => {
      const user = await updateUser(
        db.kysely,
        requireActor(request),
        request.params.userId,
        request.body,
        requestMeta(request),
      );
      return { user: view(user) };
    },
  );

  app.post(
    '/api/users/:userId/unlock',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['platform'],
        summary:
          'Unlock an account locked after failed sign-ins (解除锁定): its failure count starts afresh. Audited',
        params: UserParams,
        response: { 200: Type.Object({ user: AccountSchema }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const user = await unlockUser(
        db.kysely,
        requireActor(request),
        request.params.userId,
        requestMeta(request),
      );
      return { user: view(user) };
    },
  );

  app.post(
    '/api/users/:userId/password-reset',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['platform'],
        summary:
          "Reset an account's password (重置密码): a new temporary password, returned this once; every session of the account ends, any lock-out is cleared, and the account must change the password at its next sign-in. Audited",
        params: UserParams,
        response: { 200: TemporaryPasswordReply, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const reset = await resetPassword(
        db.kysely,
        requireActor(request),
        request.params.userId,
        requestMeta(request),
      );
      return { ...reset, user: view(reset.user) };
    },
  );
}
