import type { Kdb, Tx } from '../db/database';
import { appendAudit } from '../audit/store';
import { open } from '../crypto';
import { AppError, invalidField, notFound } from '../http/errors';
import type { Text } from '../i18n';
import { maskSubjectIdentifier } from '../privacy';
import { regionsUnder } from '../regions/store';
import {
  accountStatus,
  adminGuard,
  isRole,
  isStaffRole,
  type AccountStatus,
  type Actor,
  type Role,
} from './model';
import { hashPassword } from './password';
import { newTemporaryPassword } from './password-policy';
import type { RequestMeta } from './service';
import {
  clearFailures,
  deleteUserSessions,
  findAccount,
  findDepartmentRegion,
  insertStaffAccount,
  listAccounts,
  lockAccount,
  lockEnabledAdmins,
  setPasswordHash,
  updateAccount,
  usernameTaken,
  type UserFilter,
} from './store';

// User administration (用户与角色) for administrators: staff accounts are created with a temporary
// password the account replaces at its first sign-in; accounts are disabled rather than deleted
// (their audit trail and casework keep pointing at them). GB/T 22239 8.1.4.1 and 8.1.4.2.

/** An account as the administrator's list and detail show it. */
export interface Account {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  regionName: Text;
  /** Staff accounts: their department. */
  department: { id: string; name: Text } | null;
  /** Citizen and enterprise accounts: their subject, the identifier masked. */
  subject: { id: string; kind: 'person' | 'enterprise'; name: string; identifier: string } | null;
  status: AccountStatus;
  disabled: boolean;
  /** Set while the account is locked after failed sign-ins. */
  lockedUntil: Date | null;
  secondFactorEnrolled: boolean;
  passwordChangeRequired: boolean;
  createdAt: Date;
  lastSignedInAt: Date | null;
}

/** 403: a session that must replace its temporary password called another route. */
export function passwordChangeRequired(): AppError {
  return new AppError(403, 'auth.password_change_required', {
    zh: '请先修改临时密码，然后才能继续使用',
    en: 'change your temporary password before going on',
  });
}

type AccountRow = NonNullable<Awaited<ReturnType<typeof findAccount>>>;

function accountOf(row: AccountRow, now: Date): Account {
  if (!isRole(row.role)) throw new Error(`account ${row.id} has unknown role ${row.role}`);
  const locked = row.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    regionCode: row.regionCode,
    regionName: { zh: row.regionNameZh, en: row.regionNameEn },
    department:
      row.departmentId && row.departmentNameZh !== null
        ? {
            id: row.departmentId,
            name: { zh: row.departmentNameZh, en: row.departmentNameEn ?? row.departmentNameZh },
          }
        : null,
    subject:
      row.subjectId && row.subjectKind && row.subjectName !== null && row.subjectIdentifier
        ? {
            id: row.subjectId,
            kind: row.subjectKind,
            name: row.subjectName,
            identifier: maskSubjectIdentifier(row.subjectKind, open(row.subjectIdentifier)),
          }
        : null,
    status: accountStatus(row, now),
    disabled: row.disabled,
    lockedUntil: locked,
    secondFactorEnrolled: row.secondFactorConfirmedAt !== null,
    passwordChangeRequired: row.passwordChangeRequired,
    createdAt: row.createdAt,
    lastSignedInAt: row.lastSignedInAt,
  };
}

/** What the list is filtered by, as the route receives it. */
export interface AccountQuery {
  q?: string;
  role?: Role;
  departmentId?: string;
  /** The region and the regions below it. */
  regionCode?: string;
  status?: AccountStatus;
  limit: number;
  offset: number;
}

/** A page of accounts matching the query, with how many match in all. */
export async function listUsers(
  db: Kdb,
  query: AccountQuery,
  now = new Date(),
): Promise<{ items: Account[]; total: number }> {
  const filter: UserFilter = {
    q: query.q?.trim() || undefined,
    role: query.role,
    departmentId: query.departmentId,
    status: query.status,
    regionCodes: query.regionCode ? await regionsUnder(db, query.regionCode) : undefined,
  };
  const { rows, total } = await listAccounts(db, filter, query, now);
  return { items: rows.map((row) => accountOf(row, now)), total };
}

const USER: Text = { zh: '用户', en: 'user' };

/** One account. */
export async function getUser(db: Kdb | Tx, userId: string, now = new Date()): Promise<Account> {
  const row = await findAccount(db, userId);
  if (!row) throw notFound(USER);
  return accountOf(row, now);
}

/** An account just created or whose password was reset, with its temporary password (shown once). */
export interface WithTemporaryPassword {
  user: Account;
  temporaryPassword: string;
}

/**
 * The department a staff account is placed in, and the region within that department's region
 * (its own, or one below it) — by default the department's own.
 */
async function placement(
  trx: Tx,
  departmentId: string,
  regionCode: string | undefined,
  paths: { department: string; region: string },
): Promise<{ departmentId: string; regionCode: string }> {
  const department = await findDepartmentRegion(trx, departmentId);
  if (!department) {
    throw invalidField(paths.department, 'exists', {
      zh: `部门 ${departmentId} 不存在`,
      en: `department ${departmentId} does not exist`,
    });
  }
  const region = regionCode ?? department.regionCode;
  const allowed = await regionsUnder(trx, department.regionCode);
  if (!allowed.includes(region)) {
    throw invalidField(paths.region, 'within-department', {
      zh: `区划 ${region} 不存在或不在部门「${department.nameZh}」所属区划 ${department.regionCode} 之内`,
      en: `region ${region} does not exist or is not within region ${department.regionCode} of department ${department.nameEn}`,
    });
  }
  return { departmentId, regionCode: region };
}

/** What an administrator gives to create a staff account. */
export interface NewStaffAccount {
  username: string;
  displayName: string;
  role: Role;
  departmentId: string;
  regionCode?: string;
}

function usernameTakenError(username: string): AppError {
  return new AppError(
    409,
    'auth.username_taken',
    { zh: `用户名 ${username} 已被使用`, en: `the username ${username} is already taken` },
    [
      {
        path: 'body.username',
        rule: 'unique',
        message: { zh: `用户名 ${username} 已被使用`, en: `${username} is already taken` },
      },
    ],
  );
}

/**
 * Creates a staff account in an existing department with a temporary password, returned this
 * once; the account must replace it at its first sign-in. Audited (without the password); by the
 * system when no administrator is given (the command line's `onething admin create`).
 */
export async function createStaffUser(
  db: Kdb,
  admin: Actor | null,
  input: NewStaffAccount,
  meta: RequestMeta,
  now = new Date(),
): Promise<WithTemporaryPassword> {
  if (!isStaffRole(input.role)) {
    throw invalidField('body.role', 'staff-role', {
      zh: '只能创建工作人员账号（自然人和企业账号由统一身份认证注册）',
      en: 'only staff accounts are created here (citizens and enterprises register themselves)',
    });
  }
  const username = input.username.toLowerCase();
  const temporaryPassword = newTemporaryPassword(username);
  const passwordHash = await hashPassword(temporaryPassword);
  const userId = await db.transaction().execute(async (trx) => {
    const placed = await placement(trx, input.departmentId, input.regionCode, {
      department: 'body.departmentId',
      region: 'body.regionCode',
    });
    if (await usernameTaken(trx, username)) throw usernameTakenError(username);
    const id = await insertStaffAccount(trx, {
      username,
      displayName: input.displayName.trim(),
      passwordHash,
      role: input.role,
      ...placed,
      now,
    });
    await appendAudit(trx, {
      actorId: admin?.userId ?? null,
      actorRole: admin?.role ?? null,
      action: 'auth.user_created',
      objectType: 'user',
      objectId: id,
      ip: meta.ip,
      requestId: meta.requestId,
      at: now,
      detail: { username, role: input.role, ...placed, ...(admin ? {} : { by: 'cli' }) },
    });
    return id;
  });
  return { user: await getUser(db, userId, now), temporaryPassword };
}

/** What `onething admin create` is given for a platform's administrator. */
export interface NewAdministrator {
  username: string;
  displayName: string;
  /** The department's code; the administrator works in it (staff accounts all belong to one). */
  departmentCode: string;
  /** Within the department's region; the department's own when not given. */
  regionCode?: string;
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$/;

/**
 * Creates an enabled administrator from the command line — how a deployment without demo data
 * gets its first one — with a one-time temporary password it must replace at its first sign-in
 * (and, with ONETHING_SECOND_FACTOR=required, then enrol a second factor, like every staff
 * account). Audited as `auth.user_created` by the system. Bad input fails naming the option.
 */
export async function createAdministrator(
  db: Kdb,
  input: NewAdministrator,
  now = new Date(),
): Promise<WithTemporaryPassword> {
  if (!USERNAME.test(input.username)) {
    throw invalidField('username', 'pattern', {
      zh: `用户名 ${input.username} 无效：2–63 个字母、数字、点、下划线或连字符，以字母或数字开头`,
      en: `the username ${input.username} is invalid: 2–63 letters, digits, dot, underscore or hyphen, starting with a letter or digit`,
    });
  }
  const displayName = input.displayName.trim();
  if (displayName === '' || displayName.length > 100) {
    throw invalidField('--name', 'length', {
      zh: '姓名（--name）必填，不超过 100 个字符',
      en: 'the name (--name) is required, at most 100 characters',
    });
  }
  const department = await db
    .selectFrom('departments')
    .select('id')
    .where('code', '=', input.departmentCode)
    .executeTakeFirst();
  if (!department) {
    throw invalidField('--department', 'exists', {
      zh: `部门 ${input.departmentCode} 不存在（先运行 onething seed 写入区划与部门，或用 --department 指定另一部门）`,
      en: `department ${input.departmentCode} does not exist (run onething seed first to write the regions and departments, or name another with --department)`,
    });
  }
  try {
    return await createStaffUser(
      db,
      null,
      {
        username: input.username,
        displayName,
        role: 'admin',
        departmentId: department.id,
        regionCode: input.regionCode,
      },
      { ip: null, requestId: null, userAgent: null },
      now,
    );
  } catch (error) {
    // The same rules as the users page, named by the command's own options.
    if (error instanceof AppError) {
      const renamed = error.details.map((d) => ({
        ...d,
        path: d.path === 'body.regionCode' ? '--region' : d.path.replace(/^body\./, ''),
      }));
      throw new AppError(error.status, error.code, error.text, renamed);
    }
    throw error;
  }
}

/** What an administrator may change on an account. */
export interface AccountPatch {
  displayName?: string;
  role?: Role;
  departmentId?: string;
  regionCode?: string;
  disabled?: boolean;
}

function guardRefusal(reason: 'self' | 'last-admin'): AppError {
  return reason === 'self'
    ? new AppError(409, 'auth.user_self_lockout', {
        zh: '不能停用自己的账号或取消自己的管理员角色，请由另一位管理员操作',
        en: 'you cannot disable your own account or remove your own administrator role; ask another administrator',
      })
    : new AppError(409, 'auth.last_admin', {
        zh: '此操作后将没有可用的系统管理员账号，请先启用或创建另一个管理员',
        en: 'this would leave no enabled administrator; enable or create another administrator first',
      });
}

/**
 * Changes an account: display name, and for staff accounts role (staff roles only), department
 * and region. Disabling ends its sessions. No administrator disables or demotes their own
 * account, and no change leaves the platform without an enabled administrator. Audited.
 */
export async function updateUser(
  db: Kdb,
  admin: Actor,
  userId: string,
  patch: AccountPatch,
  meta: RequestMeta,
  now = new Date(),
): Promise<Account> {
  await db.transaction().execute(async (trx) => {
    // The administrators first, then the account, in one order for every change: no deadlock.
    const admins = await lockEnabledAdmins(trx);
    const user = await lockAccount(trx, userId);
    if (!user || !isRole(user.role)) throw notFound(USER);
    const staff = isStaffRole(user.role);
    for (const field of ['role', 'departmentId', 'regionCode'] as const) {
      if (patch[field] !== undefined && !staff) {
        throw invalidField(`body.${field}`, 'staff-only', {
          zh: '自然人和企业账号的角色、部门和区划不能在此修改',
          en: 'the role, department and region of citizen and enterprise accounts are not changed here',
        });
      }
    }
    if (patch.role !== undefined && !isStaffRole(patch.role)) {
      throw invalidField('body.role', 'staff-role', {
        zh: '工作人员账号只能改为工作人员角色',
        en: 'a staff account can only take a staff role',
      });
    }
    const nextRole = patch.role ?? user.role;
    const nextDisabled = patch.disabled ?? user.disabled;
    const refusal = adminGuard(
      admin.userId,
      { userId, role: user.role, disabled: user.disabled, nextRole, nextDisabled },
      admins.filter((id) => id !== userId).length,
    );
    if (refusal) throw guardRefusal(refusal);

    const change: AccountPatch = {};
    if (patch.displayName !== undefined) change.displayName = patch.displayName.trim();
    if (patch.role !== undefined && patch.role !== user.role) change.role = patch.role;
    if (patch.disabled !== undefined && patch.disabled !== user.disabled) {
      change.disabled = patch.disabled;
    }
    if (staff && (patch.departmentId !== undefined || patch.regionCode !== undefined)) {
      const placed = await placement(
        trx,
        patch.departmentId ?? user.departmentId!,
        patch.regionCode ?? (patch.departmentId !== undefined ? undefined : user.regionCode),
        {
          department: 'body.departmentId',
          region: patch.regionCode !== undefined ? 'body.regionCode' : 'body.departmentId',
        },
      );
      if (placed.departmentId !== user.departmentId) change.departmentId = placed.departmentId;
      if (placed.regionCode !== user.regionCode) change.regionCode = placed.regionCode;
    }
    await updateAccount(trx, userId, change);
    const endedSessions = change.disabled === true ? await deleteUserSessions(trx, userId) : 0;
    await appendAudit(trx, {
      actorId: admin.userId,
      actorRole: admin.role,
      action: 'auth.user_updated',
      objectType: 'user',
      objectId: userId,
      ip: meta.ip,
      requestId: meta.requestId,
      at: now,
      detail: { username: user.username, changed: change, endedSessions },
    });
  });
  return getUser(db, userId, now);
}

/** Clears an account's failed sign-ins and its lock-out. Audited. */
export async function unlockUser(
  db: Kdb,
  admin: Actor,
  userId: string,
  meta: RequestMeta,
  now = new Date(),
): Promise<Account> {
  await db.transaction().execute(async (trx) => {
    const user = await lockAccount(trx, userId);
    if (!user) throw notFound(USER);
    await clearFailures(trx, userId);
    await appendAudit(trx, {
      actorId: admin.userId,
      actorRole: admin.role,
      action: 'auth.user_unlocked',
      objectType: 'user',
      objectId: userId,
      ip: meta.ip,
      requestId: meta.requestId,
      at: now,
      detail: {
        username: user.username,
        wasLocked: user.lockedUntil !== null && user.lockedUntil > now,
      },
    });
  });
  return getUser(db, userId, now);
}

/**
 * Gives an account a new temporary password (returned this once): every session of the account
 * ends, any lock-out is cleared, and the account must replace the password at its next sign-in.
 * Audited (without the password).
 */
export async function resetPassword(
  db: Kdb,
  admin: Actor,
  userId: string,
  meta: RequestMeta,
  now = new Date(),
): Promise<WithTemporaryPassword> {
  const target = await findAccount(db, userId);
  if (!target) throw notFound(USER);
  if (userId === admin.userId) {
    throw new AppError(409, 'auth.user_self_reset', {
      zh: '不能重置自己的密码，请在“修改密码”中修改',
      en: 'you cannot reset your own password; change it under “Change password”',
    });
  }
  const temporaryPassword = newTemporaryPassword(target.username);
  const passwordHash = await hashPassword(temporaryPassword);
  await db.transaction().execute(async (trx) => {
    const user = await lockAccount(trx, userId);
    if (!user) throw notFound(USER);
    await setPasswordHash(trx, userId, passwordHash, true);
    await clearFailures(trx, userId);
    const endedSessions = await deleteUserSessions(trx, userId);
    await appendAudit(trx, {
      actorId: admin.userId,
      actorRole: admin.role,
      action: 'auth.password_reset',
      objectType: 'user',
      objectId: userId,
      ip: meta.ip,
      requestId: meta.requestId,
      at: now,
      detail: { username: user.username, endedSessions },
    });
  });
  return { user: await getUser(db, userId, now), temporaryPassword };
}
