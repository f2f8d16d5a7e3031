import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config';
import type { Kdb, Tx } from '../db/database';
import { appendAudit } from '../audit/store';
import { AppError, unauthenticated } from '../http/errors';
import type { Text } from '../i18n';
import { isRole, sessionStanding, takesSecondFactor, type Actor, type Role } from './model';
import { verifyPassword } from './password';
import {
  clearFailures,
  countFailedSignIn,
  deleteSession,
  findProfile,
  findSessionActor,
  findUserForSignIn,
  insertSession,
  lockUser,
  findSubject,
  findSecondFactor,
  insertChallenge,
  purgeSessions,
  setSessionActingSubject,
  touchSession,
} from './store';

/** Where a request came from, for sessions and the audit log. */
export interface RequestMeta {
  ip: string | null;
  requestId: string | null;
  userAgent: string | null;
}

/** The signed-in user as `GET /api/me` shows it. */
export interface Profile {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  regionName: Text;
  departmentId: string | null;
  departmentName: Text | null;
  /** The subject the user acts for now: their own, or the enterprise while acting for it. */
  subjectId: string | null;
  /** The enterprise a citizen acts for (法人办事), null while acting as themselves. */
  acting: ActingSubject | null;
  /**
   * The session may only enrol a second factor until one is enrolled (staff under
   * ONETHING_SECOND_FACTOR=required).
   */
  secondFactorSetupRequired: boolean;
  /**
   * The account signed in with a temporary password (set by an administrator) and may only
   * change it until it does; this comes before second-factor enrolment.
   */
  passwordChangeRequired: boolean;
}

/** The subject a session acts for instead of the user's own. */
export interface ActingSubject {
  subjectId: string;
  name: string;
  kind: 'person' | 'enterprise';
}

/** The audit action of every change of the subject a session acts for. */
export const ACTING_CHANGED = 'auth.acting_subject_changed';

/** The hash under which a session token is stored; the token itself never reaches the database. */
export function sessionTokenHash(token: string): string {
  return createHash('sm3').update(token).digest('hex');
}

/** A fresh, unguessable session token (256 bits). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

// Updating last_seen_at on every request would make every read a write; a minute is precise enough.
const TOUCH_INTERVAL_MS = 60_000;

function invalidCredentials(): AppError {
  return new AppError(401, 'auth.invalid_credentials', {
    zh: '用户名或密码错误',
    en: 'wrong username or password',
  });
}

/** 429: the account is locked after too many failed sign-ins, with Retry-After. */
export function lockedOut(until: Date, now: Date): AppError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return new AppError(
    429,
    'auth.locked',
    {
      zh: `登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试`,
      en: `too many failed sign-ins; the account is locked, try again in ${minutes} minutes`,
    },
    [],
    { 'retry-after': String(Math.ceil((until.getTime() - now.getTime()) / 1000)) },
  );
}

/** A session just opened: its token (for the cookie), its absolute expiry, and who it is. */
export interface SignedIn {
  token: string;
  expiresAt: Date;
  profile: Profile;
}

/** What a correct password leads to: a session, or the second factor still to be given. */
export type SignInStep =
  | ({ kind: 'signed-in' } & SignedIn)
  | { kind: 'second-factor'; challenge: string; expiresAt: Date };

/** How long the second factor may take after the password, in minutes. */
export const CHALLENGE_TTL_MINUTES = 5;

/** 401: the password was right, and the account's second factor is needed to finish signing in. */
export function secondFactorRequired(): AppError {
  return new AppError(401, 'auth.second_factor_required', {
    zh: '请输入身份验证器中的6位动态验证码（或一个恢复码）以完成登录',
    en: 'enter the 6-digit code from your authenticator app (or a recovery code) to finish signing in',
  });
}

/**
 * Signs a user in: checks the password, counts failures and locks the account after too many,
 * and on success starts a fresh session (a new token every time, so a planted one is useless) —
 * or, for an account with a second factor, a short-lived challenge that the code completes.
 */
export async function startSignIn(
  db: Kdb,
  config: Config,
  credentials: { username: string; password: string },
  meta: RequestMeta,
  now = new Date(),
): Promise<SignInStep> {
  const username = credentials.username.trim().toLowerCase();
  const user = await findUserForSignIn(db, username);
  if (user?.lockedUntil && user.lockedUntil > now) throw lockedOut(user.lockedUntil, now);
  const passwordOk = await verifyPassword(user?.passwordHash ?? null, credentials.password);
  if (!user || !passwordOk || user.disabled) {
    if (!user) throw invalidCredentials();
    const lockedUntil = await recordFailedSignIn(db, config, user, meta, now);
    throw lockedUntil ? lockedOut(lockedUntil, now) : invalidCredentials();
  }
  const staff = isRole(user.role) && takesSecondFactor(user.role);
  const factor = staff ? await findSecondFactor(db, user.id) : undefined;
  if (factor?.confirmedAt) {
    // Failures are not cleared here: a known password must not reset the count of wrong codes.
    const challenge = newSessionToken();
    const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MINUTES * 60_000);
    await db.transaction().execute((trx) =>
      insertChallenge(trx, {
        tokenHash: sessionTokenHash(challenge),
        userId: user.id,
        now,
        expiresAt,
      }),
    );
    return { kind: 'second-factor', challenge, expiresAt };
  }
  const setupOnly = staff && config.secondFactor === 'required';
  const session = await db
    .transaction()
    .execute((trx) => openSession(trx, config, user, meta, now, null));
  const profile = await profileOf(db, user.id);
  return {
    kind: 'signed-in',
    ...session,
    profile: { ...profile, secondFactorSetupRequired: setupOnly },
  };
}

/**
 * Signs a user in with the password alone (for accounts without a second factor); refuses with
 * `auth.second_factor_required` when the account has one.
 */
export async function signIn(
  db: Kdb,
  config: Config,
  credentials: { username: string; password: string },
  meta: RequestMeta,
  now = new Date(),
): Promise<SignedIn> {
  const step = await startSignIn(db, config, credentials, meta, now);
  if (step.kind === 'second-factor') throw secondFactorRequired();
  return step;
}

/**
 * Opens a session for an account whose credentials were all checked: clears its failures, stores
 * the session and audits the sign-in with the second factor used, if any.
 */
export async function openSession(
  trx: Tx,
  config: Config,
  user: { id: string; role: string },
  meta: RequestMeta,
  now: Date,
  secondFactor: 'totp' | 'recovery-code' | null,
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + config.sessionTtlMinutes * 60_000);
  await clearFailures(trx, user.id, now);
  await insertSession(trx, {
    tokenHash: sessionTokenHash(token),
    userId: user.id,
    now,
    expiresAt,
    ip: meta.ip,
    userAgent: meta.userAgent,
    secondFactor: secondFactor !== null,
  });
  await appendAudit(trx, {
    ip: meta.ip,
    requestId: meta.requestId,
    at: now,
    actorId: user.id,
    actorRole: user.role,
    action: 'auth.signed_in',
    objectType: 'user',
    objectId: user.id,
    detail: secondFactor ? { secondFactor } : {},
  });
  return { token, expiresAt };
}

/**
 * Counts a failed sign-in (or a wrong current password) against an account within the lock-out
 * window, locking it when the count reaches the limit; both are audited. Returns the end of the
 * lock when this failure locked the account.
 */
export async function recordFailedSignIn(
  db: Kdb,
  config: Config,
  user: { id: string; role: string },
  meta: RequestMeta,
  now = new Date(),
): Promise<Date | null> {
  const windowStart = new Date(now.getTime() - config.lockoutWindowMinutes * 60_000);
  return db.transaction().execute(async (trx) => {
    const failures = await countFailedSignIn(trx, user.id, now, windowStart);
    const lock = config.lockoutAttempts > 0 && failures >= config.lockoutAttempts;
    const until = new Date(now.getTime() + config.lockoutMinutes * 60_000);
    if (lock) await lockUser(trx, user.id, until);
    await appendAudit(trx, {
      ip: meta.ip,
      requestId: meta.requestId,
      at: now,
      actorId: user.id,
      actorRole: user.role,
      action: lock ? 'auth.locked' : 'auth.sign_in_failed',
      objectType: 'user',
      objectId: user.id,
      detail: lock
        ? { failures, lockedUntil: until.toISOString(), windowMinutes: config.lockoutWindowMinutes }
        : { failures, windowMinutes: config.lockoutWindowMinutes },
    });
    return lock ? until : null;
  });
}

/** Ends a session; signing out twice is harmless. */
export async function signOut(db: Kdb, token: string, meta: RequestMeta): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const ended = await deleteSession(trx, sessionTokenHash(token));
    if (!ended) return;
    const user = await findProfile(trx, ended.userId);
    await appendAudit(trx, {
      actorId: ended.userId,
      actorRole: user?.role ?? null,
      action: 'auth.signed_out',
      objectType: 'user',
      objectId: ended.userId,
      ip: meta.ip,
      requestId: meta.requestId,
      detail: {},
    });
  });
}

/**
 * The actor behind a session token, or null when the token is unknown, expired, idle too long
 * or belongs to a disabled account.
 */
export async function actorForToken(
  db: Kdb,
  config: Config,
  token: string,
  now = new Date(),
): Promise<Actor | null> {
  const tokenHash = sessionTokenHash(token);
  const row = await findSessionActor(db, tokenHash);
  if (!row || row.disabled || !isRole(row.role)) return null;
  const idleLimit = row.lastSeenAt.getTime() + config.sessionIdleMinutes * 60_000;
  const standing = sessionStanding(
    config.secondFactor,
    row.role,
    row,
    row.secondFactorConfirmedAt !== null,
  );
  if (row.expiresAt <= now || idleLimit <= now.getTime() || standing === 'ended') {
    await deleteSession(db, tokenHash);
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await touchSession(db, tokenHash, now);
  }
  const actor: Actor = {
    userId: row.userId,
    username: row.username,
    role: row.role,
    regionCode: row.regionCode,
    departmentId: row.departmentId,
    subjectId: row.subjectId,
    ...(standing === 'enrol-only' ? { secondFactorSetupOnly: true as const } : {}),
    ...(row.passwordChangeRequired ? { passwordChangeOnly: true as const } : {}),
  };
  if (row.actingSubjectId === null) return actor;
  // Only a citizen acts for an enterprise, and only while still its representative.
  if (row.role === 'citizen' && row.subjectId !== null && row.actingEnterpriseId !== null) {
    return {
      ...actor,
      role: 'enterprise',
      subjectId: row.actingEnterpriseId,
      regionCode: row.actingRegionCode ?? row.regionCode,
      actingFor: { personSubjectId: row.subjectId },
    };
  }
  await endStaleActing(db, tokenHash, row, now);
  return actor;
}

/** Clears the enterprise of a session whose representation has ended, recording why. */
async function endStaleActing(
  db: Kdb,
  tokenHash: string,
  row: { userId: string; role: string; actingSubjectId: string | null },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // A concurrent request may have cleared it already: record the change once.
    if (!(await setSessionActingSubject(trx, tokenHash, null, row.actingSubjectId))) return;
    await appendAudit(trx, {
      actorId: row.userId,
      actorRole: row.role,
      action: ACTING_CHANGED,
      objectType: 'subject',
      objectId: row.actingSubjectId,
      ip: null,
      requestId: null,
      at: now,
      detail: { from: row.actingSubjectId, to: null, reason: 'representation-ended' },
    });
  });
}

/**
 * The profile of a user (the signed-in caller for `GET /api/me`); while the session acts for an
 * enterprise, its role, subject and region are the enterprise's.
 */
export async function profileOf(
  db: Kdb | Tx,
  userId: string,
  actingSubjectId: string | null = null,
): Promise<Profile> {
  const row = await findProfile(db, userId);
  if (!row || !isRole(row.role)) throw unauthenticated();
  const profile: Profile = {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    regionCode: row.regionCode,
    regionName: { zh: row.regionNameZh, en: row.regionNameEn },
    departmentId: row.departmentId,
    departmentName:
      row.departmentNameZh === null
        ? null
        : { zh: row.departmentNameZh, en: row.departmentNameEn ?? row.departmentNameZh },
    subjectId: row.subjectId,
    acting: null,
    secondFactorSetupRequired: false,
    passwordChangeRequired: row.passwordChangeRequired,
  };
  const acting = actingSubjectId === null ? undefined : await findSubject(db, actingSubjectId);
  if (!acting) return profile;
  return {
    ...profile,
    role: 'enterprise',
    regionCode: acting.regionCode,
    regionName: { zh: acting.regionNameZh, en: acting.regionNameEn },
    subjectId: acting.id,
    acting: { subjectId: acting.id, name: acting.name, kind: acting.kind },
  };
}

/** The profile of the caller of a request, as the subject it acts for now. */
export async function profileOfActor(db: Kdb | Tx, actor: Actor): Promise<Profile> {
  const profile = await profileOf(db, actor.userId, actor.actingFor ? actor.subjectId : null);
  return actor.secondFactorSetupOnly ? { ...profile, secondFactorSetupRequired: true } : profile;
}

/** Deletes sessions past their lifetime or idle timeout; returns how many. */
export function purgeExpiredSessions(db: Kdb, config: Config, now = new Date()): Promise<number> {
  return purgeSessions(db, now, new Date(now.getTime() - config.sessionIdleMinutes * 60_000));
}
