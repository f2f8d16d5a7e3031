// SQL of supervision's lists, plans and inspections (credit has credit-store.ts).
import { sql } from 'kysely';
import type { Kdb, Tx } from '../platform/db/database';
import type { Text } from '../platform/i18n';
import type { Coverage, InspectionState, RiskLevel } from './model';

type Db = Kdb | Tx;

export async function listItems(db: Db, codes?: readonly string[]) {
  let query = db
    .selectFrom('inspectionItems')
    .select(['code', 'departmentCode', 'name', 'legalBasis', 'kind', 'maxRatio'])
    .orderBy('departmentCode')
    .orderBy('code');
  if (codes) {
    if (codes.length === 0) return [];
    query = query.where('code', 'in', codes);
  }
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, name: r.name as Text, maxRatio: Number(r.maxRatio) }));
}

/** Adds every enterprise not yet in the target registry, with its industry section if known. */
export async function addMissingTargets(
  trx: Tx,
  industryOf: (subjectIds: readonly string[]) => Promise<Map<string, string>>,
  riskOf: (subjectId: string) => RiskLevel,
  now: Date,
): Promise<number> {
  const missing = await trx
    .selectFrom('subjects')
    .leftJoin('inspectionTargets', 'inspectionTargets.subjectId', 'subjects.id')
    .select(['subjects.id', 'subjects.regionCode'])
    .where('subjects.kind', '=', 'enterprise')
    .where('inspectionTargets.subjectId', 'is', null)
    .execute();
  for (let i = 0; i < missing.length; i += 500) {
    const chunk = missing.slice(i, i + 500);
    const industries = await industryOf(chunk.map((s) => s.id));
    await trx
      .insertInto('inspectionTargets')
      .values(
        chunk.map((s) => ({
          subjectId: s.id,
          regionCode: s.regionCode,
          industry: industries.get(s.id) ?? null,
          riskLevel: riskOf(s.id),
          updatedAt: now,
        })),
      )
      .onConflict((oc) => oc.column('subjectId').doNothing())
      .execute();
  }
  return missing.length;
}

export interface TargetFilter {
  regions: readonly string[];
  industries?: readonly string[];
  riskLevels?: readonly string[];
}

/** The targets a filter selects, in id order (what the draw expects). */
export async function selectTargets(db: Db, filter: TargetFilter) {
  let query = db
    .selectFrom('inspectionTargets')
    .select(['subjectId', 'regionCode', 'industry', 'riskLevel'])
    .where('regionCode', 'in', filter.regions);
  if (filter.riskLevels?.length)
    query = query.where('riskLevel', 'in', filter.riskLevels as RiskLevel[]);
  if (filter.industries?.length) {
    const prefixes = filter.industries;
    query = query.where((eb) => eb.or(prefixes.map((p) => eb('industry', 'like', `${p}%`))));
  }
  return query.orderBy(sql`subject_id::text collate "C"`).execute();
}

export async function listTargets(
  db: Db,
  filter: TargetFilter & { q?: string; limit: number; offset: number },
) {
  let query = db
    .selectFrom('inspectionTargets as t')
    .innerJoin('subjects as s', 's.id', 't.subjectId')
    .where('t.regionCode', 'in', filter.regions);
  if (filter.riskLevels?.length)
    query = query.where('t.riskLevel', 'in', filter.riskLevels as RiskLevel[]);
  if (filter.industries?.length) {
    const prefixes = filter.industries;
    query = query.where((eb) => eb.or(prefixes.map((p) => eb('t.industry', 'like', `${p}%`))));
  }
  if (filter.q) query = query.where('s.name', 'like', `%${filter.q}%`);
  const [items, total] = await Promise.all([
    query
      .select([
        't.subjectId',
        's.name',
        's.identifier',
        't.regionCode',
        't.industry',
        't.riskLevel',
      ])
      .orderBy('s.name')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export async function setRisk(trx: Tx, subjectId: string, riskLevel: RiskLevel, now: Date) {
  const row = await trx
    .updateTable('inspectionTargets')
    .set({ riskLevel, updatedAt: now })
    .where('subjectId', '=', subjectId)
    .returning('regionCode')
    .executeTakeFirst();
  return row ?? null;
}

export async function listInspectors(
  db: Db,
  filter: { departmentCode?: string; regions?: readonly string[] },
) {
  let query = db
    .selectFrom('inspectors')
    .select([
      'id',
      'userId',
      'name',
      'departmentCode',
      'regionCode',
      'certificateNo',
      sql<string>`certified_until::text`.as('certifiedUntil'),
      'active',
    ])
    .orderBy('departmentCode')
    .orderBy('name');
  if (filter.departmentCode) query = query.where('departmentCode', '=', filter.departmentCode);
  if (filter.regions) query = query.where('regionCode', 'in', filter.regions);
  return query.execute();
}

export async function inspectorOfUser(db: Db, userId: string) {
  return (
    (await db
      .selectFrom('inspectors')
      .select(['id', 'name', 'departmentCode', 'regionCode'])
      .where('userId', '=', userId)
      .where('active', '=', true)
      .executeTakeFirst()) ?? null
  );
}

/** Conflicts of the given inspectors, by inspector id. */
export async function conflictsOf(db: Db, inspectorIds: readonly string[]) {
  const conflicts = new Map<string, string[]>();
  if (inspectorIds.length === 0) return conflicts;
  const rows = await db
    .selectFrom('inspectorConflicts')
    .select(['inspectorId', 'subjectId'])
    .where('inspectorId', 'in', inspectorIds)
    .execute();
  for (const r of rows)
    conflicts.set(r.inspectorId, [...(conflicts.get(r.inspectorId) ?? []), r.subjectId]);
  return conflicts;
}

export async function addConflict(
  trx: Tx,
  row: { inspectorId: string; subjectId: string; regionCode: string; reason: string },
  now: Date,
) {
  await trx
    .insertInto('inspectorConflicts')
    .values({ ...row, declaredAt: now })
    .onConflict((oc) =>
      oc.columns(['inspectorId', 'subjectId']).doUpdateSet({ reason: row.reason }),
    )
    .execute();
}

// ——— plans ———

const PLAN_COLUMNS = [
  'id',
  'number',
  'departmentCode',
  'regionCode',
  'title',
  'itemCodes',
  'filters',
  'tierRatios',
  'inspectorsPerTarget',
  'maxTasksPerInspector',
  sql<string>`starts_on::text`.as('startsOn'),
  sql<string>`ends_on::text`.as('endsOn'),
  'state',
  'inputsDigest',
  'seedHash',
  'seed',
  'drawDigest',
  'createdAt',
  'committedAt',
  'drawnAt',
] as const;

/** A plan with its frozen inputs and result. */
export async function findPlan(db: Db, id: string, options: { lock?: boolean } = {}) {
  let query = db
    .selectFrom('inspectionPlans')
    .select([...PLAN_COLUMNS, 'inputs', 'result'])
    .where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}
export type PlanRow = NonNullable<Awaited<ReturnType<typeof findPlan>>>;

export async function listPlans(
  db: Db,
  filter: { departmentCode?: string; regions?: readonly string[] },
) {
  let query = db
    .selectFrom('inspectionPlans')
    .select([
      ...PLAN_COLUMNS,
      sql<number | null>`jsonb_array_length(result->'selected')`.as('drawnCount'),
    ])
    .orderBy('createdAt', 'desc');
  if (filter.departmentCode) query = query.where('departmentCode', '=', filter.departmentCode);
  if (filter.regions) query = query.where('regionCode', 'in', filter.regions);
  return query.limit(200).execute();
}

export async function nextNumber(
  trx: Tx,
  table: 'inspectionPlans' | 'inspections',
  prefix: string,
) {
  await sql`select pg_advisory_xact_lock(hashtext(${`supervision.${table}.number`}))`.execute(trx);
  const row = await trx
    .selectFrom(table)
    .select(sql<string | null>`max(number)`.as('last'))
    .where('number', 'like', `${prefix}%`)
    .executeTakeFirstOrThrow();
  const last = row.last ? Number(row.last.slice(prefix.length)) : 0;
  return `${prefix}${String(last + 1).padStart(6, '0')}`;
}

// ——— inspections ———

const INSPECTION_COLUMNS = [
  'i.id',
  'i.number',
  'i.subjectId',
  'i.regionCode',
  'i.planIds',
  'i.departmentCodes',
  'i.itemCodes',
  'i.inspectorIds',
  sql<string>`i.starts_on::text`.as('startsOn'),
  sql<string>`i.ends_on::text`.as('endsOn'),
  'i.state',
  'i.filedAt',
  sql<string | null>`i.scheduled_on::text`.as('scheduledOn'),
  'i.checkinHash',
  'i.checkinExpiresAt',
  'i.checkedInAt',
  'i.finishedAt',
  'i.result',
  'i.findings',
  'i.publishDueAt',
  'i.publishedAt',
  'i.version',
  'i.createdAt',
  's.name as subjectName',
  's.identifier as subjectIdentifier',
] as const;

function inspections(db: Db) {
  return db.selectFrom('inspections as i').innerJoin('subjects as s', 's.id', 'i.subjectId');
}

export async function findInspection(db: Db, id: string, lock = false) {
  let query = inspections(db).select(INSPECTION_COLUMNS).where('i.id', '=', id);
  if (lock) query = query.forUpdate('i');
  return (await query.executeTakeFirst()) ?? null;
}
export type InspectionRow = NonNullable<Awaited<ReturnType<typeof findInspection>>>;

/** Open (not yet filed) inspections of an enterprise, locked: where a new task may join. */
export async function openInspectionsOf(trx: Tx, subjectId: string) {
  return inspections(trx)
    .select(INSPECTION_COLUMNS)
    .where('i.subjectId', '=', subjectId)
    .where('i.state', '=', 'planned')
    .forUpdate('i')
    .execute();
}

export async function insertInspection(
  trx: Tx,
  row: Coverage & { id: string; number: string; subjectId: string; regionCode: string },
  now: Date,
) {
  await trx
    .insertInto('inspections')
    .values({
      id: row.id,
      number: row.number,
      subjectId: row.subjectId,
      regionCode: row.regionCode,
      planIds: JSON.stringify(row.planIds),
      departmentCodes: JSON.stringify(row.departmentCodes),
      itemCodes: JSON.stringify(row.itemCodes),
      inspectorIds: JSON.stringify(row.inspectorIds),
      startsOn: row.startsOn,
      endsOn: row.endsOn,
      state: 'planned',
      createdAt: now,
      updatedAt: now,
    })
    .execute();
}

export async function setCoverage(trx: Tx, id: string, coverage: Coverage, now: Date) {
  await trx
    .updateTable('inspections')
    .set({
      planIds: JSON.stringify(coverage.planIds),
      departmentCodes: JSON.stringify(coverage.departmentCodes),
      itemCodes: JSON.stringify(coverage.itemCodes),
      inspectorIds: JSON.stringify(coverage.inspectorIds),
      startsOn: coverage.startsOn,
      endsOn: coverage.endsOn,
      version: sql<number>`version + 1`,
      updatedAt: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function updateInspection(
  trx: Tx,
  id: string,
  changes: Partial<{
    state: InspectionState;
    filedAt: Date;
    filedBy: string;
    scheduledOn: string;
    checkinHash: string | null;
    checkinExpiresAt: Date | null;
    checkedInAt: Date;
    finishedAt: Date;
    result: 'pass' | 'issues' | 'fail';
    findings: string;
    publishDueAt: Date;
    publishedAt: Date;
  }>,
  now: Date,
) {
  await trx
    .updateTable('inspections')
    .set({ ...changes, version: sql<number>`version + 1`, updatedAt: now })
    .where('id', '=', id)
    .execute();
}

export async function appendEvent(
  trx: Tx,
  row: {
    inspectionId: string;
    regionCode: string;
    action: string;
    actorId: string | null;
    note: string | null;
  },
  now: Date,
) {
  await trx
    .insertInto('inspectionEvents')
    .values({ ...row, at: now })
    .execute();
}

export async function eventsOf(db: Db, inspectionId: string) {
  return db
    .selectFrom('inspectionEvents as e')
    .leftJoin('users as u', 'u.id', 'e.actorId')
    .select(['e.action', 'e.note', 'e.at', 'u.displayName as actorName'])
    .where('e.inspectionId', '=', inspectionId)
    .orderBy('e.id')
    .execute();
}

export interface InspectionFilter {
  inspectorId?: string;
  subjectId?: string;
  departmentCode?: string;
  regions?: readonly string[];
  state?: InspectionState;
  publishOverdueAt?: Date;
  published?: boolean;
  limit: number;
  offset: number;
}

export async function listInspections(db: Db, filter: InspectionFilter) {
  let query = inspections(db);
  if (filter.inspectorId)
    query = query.where(
      sql<boolean>`i.inspector_ids @> ${JSON.stringify([filter.inspectorId])}::jsonb`,
    );
  if (filter.departmentCode)
    query = query.where(
      sql<boolean>`i.department_codes @> ${JSON.stringify([filter.departmentCode])}::jsonb`,
    );
  if (filter.subjectId) query = query.where('i.subjectId', '=', filter.subjectId);
  if (filter.regions) query = query.where('i.regionCode', 'in', filter.regions);
  if (filter.state) query = query.where('i.state', '=', filter.state);
  if (filter.published) query = query.where('i.state', '=', 'published');
  if (filter.publishOverdueAt)
    query = query
      .where('i.state', '=', 'finished')
      .where('i.publishDueAt', '<', filter.publishOverdueAt);
  const [items, total] = await Promise.all([
    query
      .select(INSPECTION_COLUMNS)
      .orderBy(filter.published ? 'i.publishedAt' : 'i.startsOn', filter.published ? 'desc' : 'asc')
      .orderBy('i.number')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export async function inspectorNames(db: Db, ids: readonly string[]) {
  if (ids.length === 0)
    return new Map<string, { name: string; departmentCode: string; userId: string | null }>();
  const rows = await db
    .selectFrom('inspectors')
    .select(['id', 'name', 'departmentCode', 'userId'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function findSubject(db: Db, id: string) {
  return (
    (await db
      .selectFrom('subjects')
      .select(['id', 'kind', 'name', 'identifier', 'regionCode'])
      .where('id', '=', id)
      .executeTakeFirst()) ?? null
  );
}

export { departmentCodeOf, departmentNames } from '../platform/regions';
