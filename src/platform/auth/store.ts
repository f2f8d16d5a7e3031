import { sql } from 'kysely';
import type { Kdb, Tx } from '../db/database';

/** The account row needed to check a sign-in. */
export function findUserForSignIn(db: Kdb | Tx, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'passwordHash', 'lockedUntil', 'disabled'])
    .where('username', '=', username)
    .executeTakeFirst();
}

/**
 * Counts one more failed sign-in, atomically, and returns the new count: failures before
 * `windowStart` are forgotten, so the count is of failures within the lock-out window.
 */
export async function countFailedSignIn(
  trx: Tx,
  userId: string,
  now: Date,
  windowStart: Date,
): Promise<number> {
  const row = await trx
    .updateTable('users')
    .set({
      failedAttempts: sql<number>`case when last_failed_at is not null and last_failed_at > ${windowStart}
        then failed_attempts + 1 else 1 end`,
      lastFailedAt: now,
    })
    .where('id', '=', userId)
    .returning('failedAttempts')
    .executeTakeFirstOrThrow();
  return row.failedAttempts;
}

/** Locks an account until the given instant and starts its failure count afresh. */
export async function lockUser(trx: Tx, userId: string, until: Date): Promise<void> {
  await trx
    .updateTable('users')
    .set({ lockedUntil: until, failedAttempts: 0, lastFailedAt: null })
    .where('id', '=', userId)
    .execute();
}

/** Clears failures and any lock after a successful sign-in. */
export async function clearFailures(trx: Tx, userId: string): Promise<void> {
  await trx
    .updateTable('users')
    .set({ lockedUntil: null, failedAttempts: 0, lastFailedAt: null })
    .where('id', '=', userId)
    .execute();
}

/** Stores a new session under the hash of its token. */
export async function insertSession(
  trx: Tx,
  session: {
    tokenHash: string;
    userId: string;
    now: Date;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await trx
    .insertInto('sessions')
    .values({
      tokenHash: session.tokenHash,
      userId: session.userId,
      createdAt: session.now,
      lastSeenAt: session.now,
      expiresAt: session.expiresAt,
      ip: session.ip,
      userAgent: session.userAgent,
    })
    .execute();
}

/**
 * Gives a session a new token (its hash), keeping its lifetime and everything else; returns the
 * session's absolute expiry, or undefined when there was no such session.
 */
export async function rotateSessionToken(
  trx: Tx,
  oldTokenHash: string,
  newTokenHash: string,
  now: Date,
): Promise<Date | undefined> {
  const row = await trx
    .updateTable('sessions')
    .set({ tokenHash: newTokenHash, lastSeenAt: now })
    .where('tokenHash', '=', oldTokenHash)
    .returning('expiresAt')
    .executeTakeFirst();
  return row?.expiresAt;
}

/** Ends every session of a user except the one given; returns how many ended. */
export async function deleteOtherSessions(
  trx: Tx,
  userId: string,
  keepTokenHash: string,
): Promise<number> {
  const result = await trx
    .deleteFrom('sessions')
    .where('userId', '=', userId)
    .where('tokenHash', '<>', keepTokenHash)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The password hash of an account. */
export async function findPasswordHash(db: Kdb | Tx, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('users')
    .select('passwordHash')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.passwordHash ?? null;
}

/** Replaces the password hash of an account. */
export async function setPasswordHash(
  trx: Tx,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await trx.updateTable('users').set({ passwordHash }).where('id', '=', userId).execute();
}

/** Deletes a session; returns the user it belonged to, if it existed. */
export async function deleteSession(db: Kdb | Tx, tokenHash: string) {
  return db
    .deleteFrom('sessions')
    .where('tokenHash', '=', tokenHash)
    .returning('userId')
    .executeTakeFirst();
}

/**
 * A live session with its user, as needed to build the actor of a request. The enterprise the
 * session acts for comes with it only while the user's subject still represents it
 * (`actingEnterpriseId` null with `actingSubjectId` set: the representation has ended).
 */
export function findSessionActor(db: Kdb, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.userId')
    .leftJoin('subjectRepresentatives as rep', (join) =>
      join
        .onRef('rep.enterpriseId', '=', 'sessions.actingSubjectId')
        .onRef('rep.personId', '=', 'users.subjectId'),
    )
    .leftJoin('subjects as acting', (join) =>
      join.onRef('acting.id', '=', 'rep.enterpriseId').on('acting.kind', '=', 'enterprise'),
    )
    .select([
      'sessions.tokenHash',
      'sessions.createdAt',
      'sessions.lastSeenAt',
      'sessions.expiresAt',
      'sessions.actingSubjectId',
      'acting.id as actingEnterpriseId',
      'acting.regionCode as actingRegionCode',
      'users.id as userId',
      'users.username',
      'users.role',
      'users.regionCode',
      'users.departmentId',
      'users.subjectId',
      'users.disabled',
    ])
    .where('sessions.tokenHash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * Sets the enterprise a session acts for (null: as the user). Given `from`, only while it is
 * still that one; answers whether the session changed, so concurrent requests record it once.
 */
export async function setSessionActingSubject(
  trx: Tx,
  tokenHash: string,
  to: string | null,
  from?: string | null,
): Promise<boolean> {
  let query = trx
    .updateTable('sessions')
    .set({ actingSubjectId: to })
    .where('tokenHash', '=', tokenHash);
  if (from !== undefined) query = query.where('actingSubjectId', from === null ? 'is' : '=', from);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A subject with the names of its region. */
export function findSubject(db: Kdb | Tx, subjectId: string) {
  return db
    .selectFrom('subjects')
    .innerJoin('regions', 'regions.code', 'subjects.regionCode')
    .select([
      'subjects.id',
      'subjects.kind',
      'subjects.name',
      'subjects.identifier',
      'subjects.regionCode',
      'regions.nameZh as regionNameZh',
      'regions.nameEn as regionNameEn',
    ])
    .where('subjects.id', '=', subjectId)
    .executeTakeFirst();
}

/** Marks a session as used now (extends its idle timeout). */
export async function touchSession(db: Kdb, tokenHash: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ lastSeenAt: now })
    .where('tokenHash', '=', tokenHash)
    .execute();
}

/** Removes sessions past their absolute expiry or idle timeout. */
export async function purgeSessions(db: Kdb, now: Date, idleSince: Date): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expiresAt', '<=', now), eb('lastSeenAt', '<=', idleSince)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The caller's profile with the names of their region and department. */
export function findProfile(db: Kdb | Tx, userId: string) {
  return db
    .selectFrom('users')
    .innerJoin('regions', 'regions.code', 'users.regionCode')
    .leftJoin('departments', 'departments.id', 'users.departmentId')
    .select([
      'users.id',
      'users.username',
      'users.displayName',
      'users.role',
      'users.regionCode',
      'regions.nameZh as regionNameZh',
      'regions.nameEn as regionNameEn',
      'users.departmentId',
      'departments.nameZh as departmentNameZh',
      'departments.nameEn as departmentNameEn',
      'users.subjectId',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
}
