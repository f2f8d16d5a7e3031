import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { openJson, sealJson } from '../platform/crypto';
import type { Kdb, Tx } from '../platform/db/database';
import type { Text } from '../platform/i18n';
import type {
  CaseActionRequestsTable,
  CaseClockSegmentsTable,
  CaseEventsTable,
  CasesTable,
} from '../platform/db/schema';

// The SQL of department cases: the cases of an application, their clock segments and timeline.

type Reader = Kdb | Tx;

/** A case row as stored. */
export type CaseRow = Selectable<CasesTable>;
/** A clock segment as stored. */
export type SegmentRow = Selectable<CaseClockSegmentsTable>;
/** A case event as stored. */
export type CaseEventRow = Selectable<CaseEventsTable>;

// A case's inputs (its answers, its share of the form data, the applicant's ID number, the results
// of the cases before it) are personal data sealed whole at rest, like the application's answers
// and data (src/cases/store.ts); every case row this store returns has them opened, and inputs
// stored before sealing read as they are. Its `results` stay plain: they are what it issued.

/** A case row with its inputs opened. */
function opened<T extends { inputs: unknown }>(row: T): T;
function opened<T extends { inputs: unknown }>(row: T | undefined): T | undefined;
function opened<T extends { inputs: unknown }>(row: T | undefined): T | undefined {
  return row && { ...row, inputs: openJson(row.inputs) };
}

/** Inserts new cases, their inputs (serialised JSON) sealed. */
export async function insertCases(trx: Tx, rows: Insertable<CasesTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('cases')
    .values(rows.map((row) => ({ ...row, inputs: sealJson(row.inputs) })))
    .execute();
}

/** One case. */
export async function findCase(db: Reader, id: string) {
  return opened(await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst());
}

/** Locks a case row for a transition. */
export async function lockCase(trx: Tx, id: string) {
  return opened(
    await trx.selectFrom('cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  );
}

/** The cases of an application, locked (release reads and writes its siblings). */
export async function lockCasesOf(trx: Tx, applicationId: string) {
  const rows = await trx
    .selectFrom('cases')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .orderBy('memberKey')
    .forUpdate()
    .execute();
  return rows.map((row) => opened(row));
}

/** The cases of applications, oldest first. */
export async function casesOf(db: Reader, applicationIds: readonly string[]): Promise<CaseRow[]> {
  if (applicationIds.length === 0) return [];
  const rows = await db
    .selectFrom('cases')
    .selectAll()
    .where('applicationId', 'in', applicationIds)
    .orderBy('createdAt')
    .orderBy('memberKey')
    .execute();
  return rows.map((row) => opened(row));
}

/** Updates a case and bumps its version; new inputs (serialised JSON) are sealed. */
export async function updateCase(
  trx: Tx,
  id: string,
  patch: Updateable<CasesTable>,
): Promise<CaseRow> {
  const set =
    typeof patch.inputs === 'string' ? { ...patch, inputs: sealJson(patch.inputs) } : patch;
  return opened(
    await trx
      .updateTable('cases')
      .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

/** What a queue may be filtered by. */
export interface CaseFilter {
  state?: string;
  states?: readonly string[];
  department?: string;
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
  if (filter.states) q = q.where('state', 'in', [...filter.states]);
  if (filter.department) q = q.where('departmentCode', '=', filter.department);
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
  return {
    rows: rows.slice(0, filter.limit).map((row) => opened(row)),
    more: rows.length > filter.limit,
  };
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

/** What the sweep reads of a case: only what a warning, its messages and 超时默认 need. */
export const ALERT_COLUMNS = [
  'id',
  'applicationId',
  'regionCode',
  'departmentCode',
  'state',
  'warning',
  'warnAt',
  'committedDueAt',
  'decision',
] as const;

/**
 * Open cases whose next alert instant has passed, oldest first, locked; rows another sweep holds
 * are skipped (uses the partial index on alert_at).
 */
export function dueForAlert(trx: Tx, now: Date, limit: number) {
  return trx
    .selectFrom('cases')
    .select(ALERT_COLUMNS)
    .where('alertAt', 'is not', null)
    .where('alertAt', '<=', now)
    .orderBy('alertAt')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** A case as the sweep reads it. */
export type AlertRow = Awaited<ReturnType<typeof dueForAlert>>[number];

/** Records the warning levels and next alert instants of a batch of cases in one statement. */
export async function recordAlerts(
  trx: Tx,
  rows: readonly { id: string; warning: string; alertAt: Date | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map((r) => sql`(${r.id}::uuid, ${r.warning}::text, ${r.alertAt}::timestamptz)`),
  );
  await sql`
    update cases c
    set warning = u.warning, alert_at = u.alert_at, version = c.version + 1
    from (values ${values}) as u (id, warning, alert_at)
    where c.id = u.id`.execute(trx);
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

/** The enabled supervisors of a region and of the regions above it (escalation, 督办). */
export async function supervisorsOver(db: Reader, regionCode: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    with recursive up (code, parent_code) as (
      select code, parent_code from regions where code = ${regionCode}
      union all
      select r.code, r.parent_code from regions r join up on r.code = up.parent_code
    )
    select u.id from users u
    where u.role = 'supervisor' and not u.disabled and u.region_code in (select code from up)
    order by u.id`.execute(db);
  return rows.rows.map((r) => r.id);
}

/** What case views show of their applications: number, applicant, bundle and item names. */
export async function applicationCards(db: Reader, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, ApplicationCard>();
  const rows = await db
    .selectFrom('applications')
    .select([
      'id',
      'number',
      'applicantName',
      'bundleCode',
      sql<Text | null>`snapshot->'bundle'->'name'`.as('bundleName'),
      sql<{ member: string; name: Text }[] | null>`(
        select jsonb_agg(jsonb_build_object('member', i->'member', 'name', i->'name'))
        from jsonb_array_elements(snapshot->'guide'->'items') i
      )`.as('items'),
    ])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r as ApplicationCard]));
}

/** An application as case views show it. */
export interface ApplicationCard {
  id: string;
  number: string;
  applicantName: string;
  bundleCode: string;
  bundleName: Text | null;
  items: { member: string; name: Text }[] | null;
}

/** Open cases in a scope counted by department and state (the supervision board). */
export async function boardCounts(
  db: Reader,
  scope: { regions?: string[] },
  openStates: readonly string[],
) {
  let q = db
    .selectFrom('cases')
    .select(['departmentCode', 'state', 'warning'])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('state', 'in', [...openStates]);
  if (scope.regions) q = q.where('regionCode', 'in', scope.regions);
  const rows = await q.groupBy(['departmentCode', 'state', 'warning']).execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** A case action's idempotency key as first used. */
export function findActionRequest(db: Reader, userId: string, key: string) {
  return db
    .selectFrom('caseActionRequests')
    .selectAll()
    .where('userId', '=', userId)
    .where('idempotencyKey', '=', key)
    .executeTakeFirst();
}

/**
 * Claims an idempotency key for an action in the action's transaction; false when it is taken (a
 * concurrent request with the key waits here until the first commits or rolls back).
 */
export async function claimActionRequest(
  trx: Tx,
  row: Insertable<CaseActionRequestsTable>,
): Promise<boolean> {
  const inserted = await trx
    .insertInto('caseActionRequests')
    .values(row)
    .onConflict((oc) => oc.columns(['userId', 'idempotencyKey']).doNothing())
    .returning('caseId')
    .executeTakeFirst();
  return inserted !== undefined;
}

export { departmentCodeOf } from '../platform/regions';
