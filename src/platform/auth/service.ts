import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config';
import type { Kdb, Tx } from '../db/database';
import { appendAudit } from '../audit/store';
import { AppError, unauthenticated } from '../http/errors';
import type { Text } from '../i18n';
import { isRole, type Actor, type Role } from './model';
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

/**
 * Signs a user in: checks the password, counts failures and locks the account after too many,
 * and on success starts a fresh session (a new token every time, so a planted one is useless).
 */
export async function signIn(
  db: Kdb,
  config: Config,
  credentials: { username: string; password: string },
  meta: RequestMeta,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date; profile: Profile }> {
  const username = credentials.username.trim().toLowerCase();
  const user = await findUserForSignIn(db, username);
  if (user?.lockedUntil && user.lockedUntil > now) throw lockedOut(user.lockedUntil, now);
  const passwordOk = await verifyPassword(user?.passwordHash ?? null, credentials.password);
  const audit = { ip: meta.ip, requestId: meta.requestId, at: now };
  if (!user || !passwordOk || user.disabled) {
    if (!user) throw invalidCredentials();
    const lockedUntil = await recordFailedSignIn(db, config, user, meta, now);
    throw lockedUntil ? lockedOut(lockedUntil, now) : invalidCredentials();
  }
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + config.sessionTtlMinutes * 60_000);
  await db.transaction().execute(async (trx) => {
    await clearFailures(trx, user.id);
    await insertSession(trx, {
      tokenHash: sessionTokenHash(token),
      userId: user.id,
      now,
      expiresAt,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    await appendAudit(trx, {
      ...audit,
      actorId: user.id,
      actorRole: user.role,
      action: 'auth.signed_in',
      objectType: 'user',
      objectId: user.id,
      detail: {},
    });
  });
  return { token, expiresAt, profile: await profileOf(db, user.id) };
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
  if (row.expiresAt <= now || idleLimit <= now.getTime()) {
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
export function profileOfActor(db: Kdb | Tx, actor: Actor): Promise<Profile> {
  return profileOf(db, actor.userId, actor.actingFor ? actor.subjectId : null);
}

/** Deletes sessions past their lifetime or idle timeout; returns how many. */
export function purgeExpiredSessions(db: Kdb, config: Config, now = new Date()): Promise<number> {
  return purgeSessions(db, now, new Date(now.getTime() - config.sessionIdleMinutes * 60_000));
}
