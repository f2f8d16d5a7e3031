import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Kdb, Tx } from '../platform/db/database';
import type { CaseClockSegmentsTable, CaseEventsTable, CasesTable } from '../platform/db/schema';

// The SQL of department cases: the cases of an application, their clock segments and timeline.

type Reader = Kdb | Tx;

/** A case row as stored. */
export type CaseRow = Selectable<CasesTable>;
/** A clock segment as stored. */
export type SegmentRow = Selectable<CaseClockSegmentsTable>;
/** A case event as stored. */
export type CaseEventRow = Selectable<CaseEventsTable>;

export async function insertCases(trx: Tx, rows: Insertable<CasesTable>[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('cases').values(rows).execute();
}

export function findCase(db: Reader, id: string) {
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks a case row for a transition. */
export function lockCase(trx: Tx, id: string) {
  return trx.selectFrom('cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The cases of an application, locked (release reads and writes its siblings). */
export function lockCasesOf(trx: Tx, applicationId: string) {
  return trx
    .selectFrom('cases')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .orderBy('memberKey')
    .forUpdate()
    .execute();
}

export function casesOf(db: Reader, applicationIds: readonly string[]) {
  if (applicationIds.length === 0) return Promise.resolve([] as CaseRow[]);
  return db
    .selectFrom('cases')
    .selectAll()
    .where('applicationId', 'in', applicationIds)
    .orderBy('createdAt')
    .orderBy('memberKey')
    .execute();
}

/** Updates a case and bumps its version. */
export async function updateCase(
  trx: Tx,
  id: string,
  patch: Updateable<CasesTable>,
): Promise<CaseRow> {
  return trx
    .updateTable('cases')
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** What a queue may be filtered by. */
export interface CaseFilter {
  state?: string;
  dueBefore?: Date;
  warning?: 'none' | 'yellow' | 'red';
  applicationId?: string;
  limit: number;
  offset: number;
}

/** A queue: the department's cases (departments set) or the cases of regions. */
export async function listCases(
  db: Reader,
  scope: { departments?: string[]; regions?: string[] },
  filter: CaseFilter,
) {
  let q = db.selectFrom('cases').selectAll();
  if (scope.departments) q = q.where('departmentCode', 'in', scope.departments);
  if (scope.regions) q = q.where('regionCode', 'in', scope.regions);
  if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.dueBefore) q = q.where('committedDueAt', '<=', filter.dueBefore);
  if (filter.warning) q = q.where('warning', '=', filter.warning);
  if (filter.applicationId) q = q.where('applicationId', '=', filter.applicationId);
  const rows = await q
    .orderBy('committedDueAt', (ob) => ob.asc().nullsLast())
    .orderBy('createdAt')
    .orderBy('id')
    .limit(filter.limit + 1)
    .offset(filter.offset)
    .execute();
  return { rows: rows.slice(0, filter.limit), more: rows.length > filter.limit };
}

export async function insertSegment(trx: Tx, row: Insertable<CaseClockSegmentsTable>) {
  await trx.insertInto('caseClockSegments').values(row).execute();
}

export function segmentsOf(db: Reader, caseIds: readonly string[]) {
  if (caseIds.length === 0) return Promise.resolve([] as SegmentRow[]);
  return db
    .selectFrom('caseClockSegments')
    .selectAll()
    .where('caseId', 'in', caseIds)
    .orderBy('startedAt')
    .orderBy('id')
    .execute();
}

export async function updateSegment(
  trx: Tx,
  id: string,
  patch: Updateable<CaseClockSegmentsTable>,
): Promise<void> {
  await trx.updateTable('caseClockSegments').set(patch).where('id', '=', id).execute();
}

export async function appendCaseEvents(trx: Tx, rows: Insertable<CaseEventsTable>[]) {
  if (rows.length > 0) await trx.insertInto('caseEvents').values(rows).execute();
}

export function caseEventsOf(db: Reader, filter: { caseId?: string; applicationId?: string }) {
  let q = db.selectFrom('caseEvents').selectAll();
  if (filter.caseId) q = q.where('caseId', '=', filter.caseId);
  if (filter.applicationId) q = q.where('applicationId', '=', filter.applicationId);
  return q.orderBy('at').orderBy('id').execute();
}

/**
 * Open cases whose next alert instant has passed, oldest first, locked; rows another sweep holds
 * are skipped (uses the partial index on alert_at).
 */
export function dueForAlert(trx: Tx, now: Date, limit: number) {
  return trx
    .selectFrom('cases')
    .selectAll()
    .where('alertAt', 'is not', null)
    .where('alertAt', '<=', now)
    .orderBy('alertAt')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** The department code of a user's department. */
export async function departmentCodeOf(db: Reader, departmentId: string | null) {
  if (!departmentId) return null;
  const row = await db
    .selectFrom('departments')
    .select('code')
    .where('id', '=', departmentId)
    .executeTakeFirst();
  return row?.code ?? null;
}

/** Display names of users by id. */
export async function userNames(db: Reader, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'displayName'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.displayName]));
}
