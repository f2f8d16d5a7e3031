import { sql } from 'kysely';
import { sealColumnsInBatches, type SealOutcome } from '../crypto';
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

/**
 * Clears failures and any lock: after a successful sign-in (noting when, `signedInAt`), or when an
 * administrator unlocks the account.
 */
export async function clearFailures(
  trx: Tx,
  userId: string,
  signedInAt: Date | null = null,
): Promise<void> {
  await trx
    .updateTable('users')
    .set({
      lockedUntil: null,
      failedAttempts: 0,
      lastFailedAt: null,
      ...(signedInAt ? { lastSignedInAt: signedInAt } : {}),
    })
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
    /** Opened with the account's second factor. */
    secondFactor?: boolean;
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
      secondFactor: session.secondFactor ?? false,
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

/**
 * Replaces the password hash of an account; `temporary`: set by an administrator, to be replaced
 * by the account at its next sign-in (otherwise the account chose it and nothing is required).
 */
export async function setPasswordHash(
  trx: Tx,
  userId: string,
  passwordHash: string,
  temporary = false,
): Promise<void> {
  await trx
    .updateTable('users')
    .set({ passwordHash, passwordChangeRequired: temporary })
    .where('id', '=', userId)
    .execute();
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
    .leftJoin('userSecondFactors as factor', 'factor.userId', 'users.id')
    .select([
      'sessions.tokenHash',
      'sessions.secondFactor',
      'factor.confirmedAt as secondFactorConfirmedAt',
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
      'users.passwordChangeRequired',
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

/** Removes sessions past their absolute expiry or idle timeout (and stale sign-in challenges). */
export async function purgeSessions(db: Kdb, now: Date, idleSince: Date): Promise<number> {
  await db.deleteFrom('signInChallenges').where('expiresAt', '<=', now).execute();
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
      'users.passwordChangeRequired',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
}

/** Ends every session of a user; returns how many ended. */
export async function deleteUserSessions(trx: Tx, userId: string): Promise<number> {
  const result = await trx.deleteFrom('sessions').where('userId', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Marks a session as opened or confirmed with the account's second factor. */
export async function markSessionSecondFactor(trx: Tx, tokenHash: string): Promise<void> {
  await trx
    .updateTable('sessions')
    .set({ secondFactor: true })
    .where('tokenHash', '=', tokenHash)
    .execute();
}

/** The second factor of an account (its secret still sealed), confirmed or waiting for a code. */
export function findSecondFactor(db: Kdb | Tx, userId: string) {
  return db
    .selectFrom('userSecondFactors')
    .select(['secret', 'createdAt', 'confirmedAt', 'lastUsedStep'])
    .where('userId', '=', userId)
    .executeTakeFirst();
}

/**
 * Stores a new secret waiting for its first code, replacing an earlier unconfirmed one; answers
 * false (and changes nothing) when the account has a confirmed factor.
 */
export async function putPendingSecondFactor(
  trx: Tx,
  userId: string,
  sealedSecret: string,
  now: Date,
): Promise<boolean> {
  const row = await trx
    .insertInto('userSecondFactors')
    .values({ userId, secret: sealedSecret, createdAt: now })
    .onConflict((oc) =>
      oc
        .column('userId')
        .doUpdateSet({ secret: sealedSecret, lastUsedStep: null })
        .where('userSecondFactors.confirmedAt', 'is', null),
    )
    .returning('userId')
    .executeTakeFirst();
  return row !== undefined;
}

/** Confirms a waiting factor with the step of its first code; false when none was waiting. */
export async function confirmSecondFactor(
  trx: Tx,
  userId: string,
  step: number,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('userSecondFactors')
    .set({ confirmedAt: now, lastUsedStep: step })
    .where('userId', '=', userId)
    .where('confirmedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Accepts a code of the given step, atomically, only when it is later than the last accepted one:
 * a code is good once, even when two requests race with it.
 */
export async function acceptTotpStep(trx: Tx, userId: string, step: number): Promise<boolean> {
  const result = await trx
    .updateTable('userSecondFactors')
    .set({ lastUsedStep: step })
    .where('userId', '=', userId)
    .where('confirmedAt', 'is not', null)
    .where((eb) => eb.or([eb('lastUsedStep', 'is', null), eb('lastUsedStep', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Replaces the recovery codes of an account with new ones (their hashes). */
export async function replaceRecoveryCodes(
  trx: Tx,
  userId: string,
  codeHashes: string[],
  now: Date,
): Promise<void> {
  await trx.deleteFrom('userRecoveryCodes').where('userId', '=', userId).execute();
  await trx
    .insertInto('userRecoveryCodes')
    .values(codeHashes.map((codeHash) => ({ userId, codeHash, createdAt: now })))
    .execute();
}

/** Uses up an unused recovery code matching one of the hashes; false when there is none. */
export async function useRecoveryCode(
  trx: Tx,
  userId: string,
  codeHashes: string[],
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('userRecoveryCodes')
    .set({ usedAt: now })
    .where('userId', '=', userId)
    .where('codeHash', 'in', codeHashes)
    .where('usedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** How many unused recovery codes an account has left. */
export async function countRecoveryCodes(db: Kdb | Tx, userId: string): Promise<number> {
  const row = await db
    .selectFrom('userRecoveryCodes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('userId', '=', userId)
    .where('usedAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Removes an account's second factor and recovery codes; answers whether it had one. */
export async function deleteSecondFactor(trx: Tx, userId: string): Promise<boolean> {
  await trx.deleteFrom('userRecoveryCodes').where('userId', '=', userId).execute();
  await trx.deleteFrom('signInChallenges').where('userId', '=', userId).execute();
  const result = await trx
    .deleteFrom('userSecondFactors')
    .where('userId', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Stores a sign-in challenge (password accepted, second factor awaited) under its token hash. */
export async function insertChallenge(
  trx: Tx,
  challenge: { tokenHash: string; userId: string; now: Date; expiresAt: Date },
): Promise<void> {
  await trx
    .insertInto('signInChallenges')
    .values({
      tokenHash: challenge.tokenHash,
      userId: challenge.userId,
      createdAt: challenge.now,
      expiresAt: challenge.expiresAt,
    })
    .execute();
}

/** A sign-in challenge with the account it is for. */
export function findChallenge(db: Kdb | Tx, tokenHash: string) {
  return db
    .selectFrom('signInChallenges')
    .innerJoin('users', 'users.id', 'signInChallenges.userId')
    .select([
      'signInChallenges.expiresAt',
      'signInChallenges.attempts',
      'users.id',
      'users.username',
      'users.role',
      'users.lockedUntil',
      'users.disabled',
    ])
    .where('signInChallenges.tokenHash', '=', tokenHash)
    .executeTakeFirst();
}

/** Counts one more wrong code against a challenge; returns the new count. */
export async function countChallengeAttempt(trx: Tx, tokenHash: string): Promise<number> {
  const row = await trx
    .updateTable('signInChallenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('tokenHash', '=', tokenHash)
    .returning('attempts')
    .executeTakeFirst();
  return row?.attempts ?? Number.POSITIVE_INFINITY;
}

/** Deletes a sign-in challenge. */
export async function deleteChallenge(db: Kdb | Tx, tokenHash: string): Promise<void> {
  await db.deleteFrom('signInChallenges').where('tokenHash', '=', tokenHash).execute();
}

/** Whether an account exists; with its role. */
export function findUserRole(db: Kdb | Tx, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'role'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

/**
 * Seals anew, a batch at a time, authenticator secrets sealed under an earlier data key (after a
 * rotation). Safe on every start and from several servers (`for update skip locked`).
 */
export function sealSecondFactorSecrets(db: Kdb, batch = 500): Promise<SealOutcome> {
  return sealColumnsInBatches(
    db,
    'auth.second-factors',
    { table: 'user_second_factors', key: 'user_id', text: ['secret'] },
    batch,
  );
}

/** What the administrator's list of accounts is filtered by. */
export interface UserFilter {
  /** Part of the username or display name. */
  q?: string;
  role?: string;
  departmentId?: string;
  /** The account's region is one of these (a region and those below it). */
  regionCodes?: string[];
  status?: 'active' | 'disabled' | 'locked';
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function accountsQuery(db: Kdb | Tx) {
  return db
    .selectFrom('users')
    .innerJoin('regions', 'regions.code', 'users.regionCode')
    .leftJoin('departments', 'departments.id', 'users.departmentId')
    .leftJoin('subjects', 'subjects.id', 'users.subjectId')
    .leftJoin('userSecondFactors as factor', 'factor.userId', 'users.id');
}

const ACCOUNT_COLUMNS = [
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
  'subjects.kind as subjectKind',
  'subjects.name as subjectName',
  'subjects.identifier as subjectIdentifier',
  'users.disabled',
  'users.lockedUntil',
  'users.failedAttempts',
  'users.passwordChangeRequired',
  'users.createdAt',
  'users.lastSignedInAt',
  'factor.confirmedAt as secondFactorConfirmedAt',
] as const;

/** A page of accounts matching the filter, by username, with how many match in all. */
export async function listAccounts(
  db: Kdb,
  filter: UserFilter,
  page: { limit: number; offset: number },
  now: Date,
) {
  let query = accountsQuery(db);
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q.toLowerCase())}%`;
    query = query.where((eb) =>
      eb.or([
        eb('users.username', 'like', pattern),
        eb(eb.fn('lower', ['users.displayName']), 'like', pattern),
      ]),
    );
  }
  if (filter.role) query = query.where('users.role', '=', filter.role);
  if (filter.departmentId) query = query.where('users.departmentId', '=', filter.departmentId);
  if (filter.regionCodes) query = query.where('users.regionCode', 'in', filter.regionCodes);
  if (filter.status === 'disabled') query = query.where('users.disabled', '=', true);
  if (filter.status === 'locked') {
    query = query.where('users.disabled', '=', false).where('users.lockedUntil', '>', now);
  }
  if (filter.status === 'active') {
    query = query
      .where('users.disabled', '=', false)
      .where((eb) =>
        eb.or([eb('users.lockedUntil', 'is', null), eb('users.lockedUntil', '<=', now)]),
      );
  }
  const [rows, count] = await Promise.all([
    query
      .select(ACCOUNT_COLUMNS)
      .orderBy('users.username')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** One account as the administrator sees it. */
export function findAccount(db: Kdb | Tx, userId: string) {
  return accountsQuery(db)
    .select(ACCOUNT_COLUMNS)
    .where('users.id', '=', userId)
    .executeTakeFirst();
}

/** An account row locked for a change by an administrator. */
export function lockAccount(trx: Tx, userId: string) {
  return trx
    .selectFrom('users')
    .select([
      'id',
      'username',
      'role',
      'regionCode',
      'departmentId',
      'subjectId',
      'disabled',
      'lockedUntil',
    ])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Locks the enabled administrators' rows and returns their ids: two administrators disabling each
 * other at once cannot both succeed and leave none.
 */
export async function lockEnabledAdmins(trx: Tx): Promise<string[]> {
  const rows = await trx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled', '=', false)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

/** Whether a username is taken. */
export async function usernameTaken(db: Kdb | Tx, username: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirst();
  return row !== undefined;
}

/** Inserts a staff account whose temporary password must be replaced; returns its id. */
export async function insertStaffAccount(
  trx: Tx,
  account: {
    username: string;
    displayName: string;
    passwordHash: string;
    role: string;
    regionCode: string;
    departmentId: string;
    now: Date;
  },
): Promise<string> {
  const row = await trx
    .insertInto('users')
    .values({
      username: account.username,
      displayName: account.displayName,
      passwordHash: account.passwordHash,
      role: account.role,
      regionCode: account.regionCode,
      departmentId: account.departmentId,
      subjectId: null,
      passwordChangeRequired: true,
      createdAt: account.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Changes what an administrator may change on an account. */
export async function updateAccount(
  trx: Tx,
  userId: string,
  change: {
    displayName?: string;
    role?: string;
    departmentId?: string;
    regionCode?: string;
    disabled?: boolean;
  },
): Promise<void> {
  if (Object.keys(change).length === 0) return;
  await trx.updateTable('users').set(change).where('id', '=', userId).execute();
}

/** A department with its region (staff accounts are placed in one). */
export function findDepartmentRegion(db: Kdb | Tx, departmentId: string) {
  return db
    .selectFrom('departments')
    .select(['id', 'regionCode', 'nameZh', 'nameEn'])
    .where('id', '=', departmentId)
    .executeTakeFirst();
}
