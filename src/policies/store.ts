// SQL of the policies capability: policies, dossier facts, assembled dossiers, matches, grants and
// their ledger. Subjects, regions and departments are the platform's shared tables.
import { openOptional } from '../platform/crypto';
import { sql, type Selectable } from 'kysely';
import type { Kdb, Tx } from '../platform/db/database';
import type { PoliciesTable, PolicyGrantsTable } from '../platform/db/schema';
import type { Text } from '../platform/i18n';
import type { Benefit, Facts, GrantState, Mode, PolicyInput, PolicyState } from './model';
import type { Dossier, Rule } from './rule';

type Db = Kdb | Tx;

/** A policy as the capability reads it (dates as YYYY-MM-DD). */
export interface PolicyRow {
  id: string;
  code: string;
  name: Text;
  summary: Text;
  departmentCode: string;
  regionCode: string;
  sourceDocument: string;
  validFrom: string;
  validUntil: string | null;
  tags: string[];
  mode: Mode;
  benefit: Benefit | null;
  payWorkingDays: number;
  recheckDays: number | null;
  applyLink: string | null;
  rule: Rule;
  state: PolicyState;
  version: number;
  updatedAt: Date;
  publishedAt: Date | null;
}

const POLICY_COLUMNS = [
  'id',
  'code',
  'name',
  'summary',
  'departmentCode',
  'regionCode',
  'sourceDocument',
  sql<string>`valid_from::text`.as('validFrom'),
  sql<string | null>`valid_until::text`.as('validUntil'),
  'tags',
  'mode',
  'benefit',
  'payWorkingDays',
  'recheckDays',
  'applyLink',
  'rule',
  'state',
  'version',
  'updatedAt',
  'publishedAt',
] as const;

function policyRow(row: Record<string, unknown>): PolicyRow {
  return row as unknown as PolicyRow;
}

export async function listPolicies(db: Db, states: readonly PolicyState[]): Promise<PolicyRow[]> {
  const rows = await db
    .selectFrom('policies')
    .select(POLICY_COLUMNS)
    .where('state', 'in', states)
    .orderBy('code')
    .execute();
  return rows.map(policyRow);
}

export async function findPolicy(db: Db, code: string, lock = false): Promise<PolicyRow | null> {
  let query = db.selectFrom('policies').select(POLICY_COLUMNS).where('code', '=', code);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? policyRow(row) : null;
}

export async function findPolicyById(db: Db, id: string): Promise<PolicyRow | null> {
  const row = await db
    .selectFrom('policies')
    .select(POLICY_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? policyRow(row) : null;
}

function policyValues(input: PolicyInput) {
  return {
    name: JSON.stringify(input.name),
    summary: JSON.stringify(input.summary),
    departmentCode: input.departmentCode,
    regionCode: input.regionCode,
    sourceDocument: input.sourceDocument,
    validFrom: input.validFrom,
    validUntil: input.validUntil ?? null,
    tags: JSON.stringify(input.tags),
    mode: input.mode,
    benefit: input.benefit ? JSON.stringify(input.benefit) : null,
    payWorkingDays: input.payWorkingDays ?? 10,
    recheckDays: input.recheckDays ?? null,
    applyLink: input.applyLink ?? null,
    rule: JSON.stringify(input.rule),
  };
}

export async function insertPolicy(
  trx: Tx,
  id: string,
  input: PolicyInput,
  state: PolicyState,
  userId: string | null,
  now: Date,
) {
  await trx
    .insertInto('policies')
    .values({
      id,
      code: input.code,
      ...policyValues(input),
      state,
      updatedBy: userId,
      createdAt: now,
      updatedAt: now,
      publishedAt: state === 'published' ? now : null,
    })
    .execute();
}

export async function updatePolicy(
  trx: Tx,
  id: string,
  input: PolicyInput,
  userId: string,
  now: Date,
) {
  await trx
    .updateTable('policies')
    .set({
      ...policyValues(input),
      version: sql<number>`version + 1`,
      updatedBy: userId,
      updatedAt: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function setPolicyState(
  trx: Tx,
  id: string,
  state: PolicyState,
  userId: string,
  now: Date,
) {
  await trx
    .updateTable('policies')
    .set({
      state,
      version: sql<number>`version + 1`,
      updatedBy: userId,
      updatedAt: now,
      ...(state === 'published' ? { publishedAt: now } : {}),
    })
    .where('id', '=', id)
    .execute();
}

// ——— subjects, regions, departments (the platform's tables) ———

export interface SubjectInfo {
  id: string;
  kind: 'person' | 'enterprise';
  name: string;
  identifier: string;
  regionCode: string;
  mobile: string | null;
}

// A subject's mobile is sealed at rest (SM4, src/platform/crypto): opened here for notices.
export async function findSubject(db: Db, id: string): Promise<SubjectInfo | null> {
  const row = await db
    .selectFrom('subjects')
    .select(['id', 'kind', 'name', 'identifier', 'regionCode', 'mobile'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { ...row, mobile: openOptional(row.mobile) } : null;
}

export async function subjectsByIds(db: Db, ids: readonly string[]): Promise<SubjectInfo[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('subjects')
    .select(['id', 'kind', 'name', 'identifier', 'regionCode', 'mobile'])
    .where('id', 'in', ids)
    .execute();
  return rows.map((row) => ({ ...row, mobile: openOptional(row.mobile) }));
}

export async function allSubjectIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('subjects').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

export async function regionTree(db: Db) {
  const rows = await db
    .selectFrom('regions')
    .select(['code', 'parentCode', 'nameZh', 'nameEn'])
    .execute();
  return rows.map((r) => ({
    code: r.code,
    parent: r.parentCode,
    name: { zh: r.nameZh, en: r.nameEn },
  }));
}

export async function departmentExists(db: Db, code: string): Promise<boolean> {
  return !!(await db
    .selectFrom('departments')
    .select('code')
    .where('code', '=', code)
    .executeTakeFirst());
}

// ——— facts and dossiers ———

export async function findFacts(db: Db, subjectId: string) {
  return (
    (await db
      .selectFrom('dossierFacts')
      .select(['facts', 'source', 'updatedAt'])
      .where('subjectId', '=', subjectId)
      .executeTakeFirst()) ?? null
  );
}

export async function factsByIds(db: Db, ids: readonly string[]): Promise<Map<string, Facts>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('dossierFacts')
    .select(['subjectId', 'facts'])
    .where('subjectId', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.subjectId, r.facts as Facts]));
}

export async function upsertFacts(
  trx: Tx,
  subjectId: string,
  regionCode: string,
  facts: Facts,
  source: string,
  userId: string | null,
  now: Date,
) {
  await trx
    .insertInto('dossierFacts')
    .values({
      subjectId,
      regionCode,
      facts: JSON.stringify(facts),
      source,
      updatedBy: userId,
      updatedAt: now,
    })
    .onConflict((oc) =>
      oc.column('subjectId').doUpdateSet({
        facts: JSON.stringify(facts),
        source,
        updatedBy: userId,
        updatedAt: now,
      }),
    )
    .execute();
}

export async function upsertDossiers(
  trx: Tx,
  rows: readonly {
    subjectId: string;
    regionCode: string;
    kind: 'person' | 'enterprise';
    dossier: Dossier;
  }[],
  now: Date,
) {
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('policyDossiers')
      .values(
        rows.slice(i, i + 500).map((r) => ({
          subjectId: r.subjectId,
          regionCode: r.regionCode,
          kind: r.kind,
          dossier: JSON.stringify(r.dossier),
          updatedAt: now,
        })),
      )
      .onConflict((oc) =>
        oc.column('subjectId').doUpdateSet((eb) => ({
          regionCode: eb.ref('excluded.regionCode'),
          kind: eb.ref('excluded.kind'),
          dossier: eb.ref('excluded.dossier'),
          updatedAt: eb.ref('excluded.updatedAt'),
        })),
      )
      .execute();
  }
}

export async function findDossier(db: Db, subjectId: string) {
  const row = await db
    .selectFrom('policyDossiers')
    .select(['dossier', 'regionCode', 'updatedAt'])
    .where('subjectId', '=', subjectId)
    .executeTakeFirst();
  return row ? { ...row, dossier: row.dossier as Dossier } : null;
}

/** What changes when any dossier changes: the count and the latest update. */
export async function dossierStamp(db: Db): Promise<string> {
  const row = await db
    .selectFrom('policyDossiers')
    .select([
      sql<number>`count(*)::int`.as('n'),
      sql<string | null>`max(updated_at)::text`.as('latest'),
    ])
    .executeTakeFirstOrThrow();
  return `${row.n}:${row.latest ?? ''}`;
}

/** Every dossier, in subject-id order. */
export async function allDossiers(db: Db) {
  const rows = await db
    .selectFrom('policyDossiers')
    .select(['subjectId', 'regionCode', 'dossier'])
    .orderBy('subjectId')
    .execute();
  return rows.map((r) => ({ ...r, dossier: r.dossier as Dossier }));
}

// ——— matches ———

export interface MatchRow {
  subjectId: string;
  status: 'matched' | 'near_miss';
}

export async function matchesOfPolicy(db: Db, policyId: string, subjectId?: string) {
  let query = db
    .selectFrom('policyMatches')
    .select(['subjectId', 'status'])
    .where('policyId', '=', policyId);
  if (subjectId) query = query.where('subjectId', '=', subjectId);
  return (await query.execute()) as MatchRow[];
}

export async function deleteMatches(
  trx: Tx,
  policyId: string,
  subjectIds: readonly string[] | 'all',
) {
  let query = trx.deleteFrom('policyMatches').where('policyId', '=', policyId);
  if (subjectIds !== 'all') {
    if (subjectIds.length === 0) return;
    query = query.where('subjectId', 'in', subjectIds);
  }
  await query.execute();
}

export async function upsertMatches(
  trx: Tx,
  policyId: string,
  rows: readonly {
    subjectId: string;
    regionCode: string;
    status: 'matched' | 'near_miss';
    summary: Text;
  }[],
  now: Date,
) {
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('policyMatches')
      .values(
        rows.slice(i, i + 500).map((r) => ({
          policyId,
          subjectId: r.subjectId,
          regionCode: r.regionCode,
          status: r.status,
          summary: JSON.stringify(r.summary),
          matchedAt: now,
          updatedAt: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['policyId', 'subjectId']).doUpdateSet((eb) => ({
          regionCode: eb.ref('excluded.regionCode'),
          status: eb.ref('excluded.status'),
          summary: eb.ref('excluded.summary'),
          updatedAt: eb.ref('excluded.updatedAt'),
          matchedAt: sql<Date>`case when policy_matches.status = excluded.status then policy_matches.matched_at else excluded.matched_at end`,
        })),
      )
      .execute();
  }
}

export async function matchCounts(db: Db) {
  const rows = await db
    .selectFrom('policyMatches')
    .select(['policyId', 'status', sql<number>`count(*)::int`.as('n')])
    .groupBy(['policyId', 'status'])
    .execute();
  const counts = new Map<string, { matched: number; nearMisses: number }>();
  for (const r of rows) {
    const c = counts.get(r.policyId) ?? { matched: 0, nearMisses: 0 };
    if (r.status === 'matched') c.matched = r.n;
    else c.nearMisses = r.n;
    counts.set(r.policyId, c);
  }
  return counts;
}

export async function listMatches(
  db: Db,
  policyId: string,
  filter: {
    status: 'matched' | 'near_miss';
    regions: readonly string[] | 'all';
    limit: number;
    offset: number;
  },
) {
  let query = db
    .selectFrom('policyMatches as m')
    .innerJoin('subjects as s', 's.id', 'm.subjectId')
    .where('m.policyId', '=', policyId)
    .where('m.status', '=', filter.status);
  if (filter.regions !== 'all') query = query.where('m.regionCode', 'in', filter.regions);
  const [items, total] = await Promise.all([
    query
      .select([
        'm.subjectId',
        's.name',
        's.kind',
        's.identifier',
        'm.regionCode',
        'm.summary',
        'm.matchedAt',
      ])
      .orderBy('m.matchedAt', 'desc')
      .orderBy('m.subjectId')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export async function matchesOfSubject(db: Db, subjectId: string) {
  return db
    .selectFrom('policyMatches')
    .select(['policyId', 'status', 'summary', 'matchedAt'])
    .where('subjectId', '=', subjectId)
    .execute();
}

// ——— grants ———

export type GrantRow = Selectable<PolicyGrantsTable>;

export async function insertGrant(
  trx: Tx,
  grant: {
    id: string;
    number: string;
    policyId: string;
    subjectId: string;
    regionCode: string;
    departmentCode: string;
    amount: number | null;
    dueAt: Date;
    nextCheckAt: Date | null;
  },
  now: Date,
): Promise<boolean> {
  const inserted = await trx
    .insertInto('policyGrants')
    .values({ ...grant, state: 'pending', createdAt: now, updatedAt: now })
    .onConflict((oc) => oc.columns(['policyId', 'subjectId']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return !!inserted;
}

export async function findGrant(db: Db, id: string, lock = false): Promise<GrantRow | null> {
  let query = db.selectFrom('policyGrants').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

export async function updateGrant(
  trx: Tx,
  id: string,
  changes: {
    state: GrantState;
    note?: string | null;
    paymentRef?: string | null;
    confirmedAt?: Date;
    paidAt?: Date;
    nextCheckAt?: Date | null;
  },
  now: Date,
) {
  await trx
    .updateTable('policyGrants')
    .set({ ...changes, version: sql<number>`version + 1`, updatedAt: now })
    .where('id', '=', id)
    .execute();
}

export async function appendLedger(
  trx: Tx,
  entry: {
    grantId: string;
    regionCode: string;
    action: string;
    actorId: string | null;
    amount: number | null;
    note: string | null;
  },
  now: Date,
) {
  await trx
    .insertInto('policyGrantLedger')
    .values({ ...entry, at: now })
    .execute();
}

export async function ledgerOf(db: Db, grantId: string) {
  return db
    .selectFrom('policyGrantLedger as l')
    .leftJoin('users as u', 'u.id', 'l.actorId')
    .select(['l.id', 'l.action', 'l.amount', 'l.note', 'l.at', 'u.displayName as actorName'])
    .where('l.grantId', '=', grantId)
    .orderBy('l.id')
    .execute();
}

export interface GrantFilter {
  departmentCode?: string;
  regions?: readonly string[] | 'all';
  subjectId?: string;
  state?: GrantState;
  overdueAt?: Date;
  limit: number;
  offset: number;
}

export async function listGrants(db: Db, filter: GrantFilter) {
  let query = db
    .selectFrom('policyGrants as g')
    .innerJoin('policies as p', 'p.id', 'g.policyId')
    .innerJoin('subjects as s', 's.id', 'g.subjectId');
  if (filter.departmentCode) query = query.where('g.departmentCode', '=', filter.departmentCode);
  if (filter.regions && filter.regions !== 'all')
    query = query.where('g.regionCode', 'in', filter.regions);
  if (filter.subjectId) query = query.where('g.subjectId', '=', filter.subjectId);
  if (filter.state) query = query.where('g.state', '=', filter.state);
  if (filter.overdueAt)
    query = query
      .where('g.dueAt', '<', filter.overdueAt)
      .where('g.state', 'in', ['pending', 'confirmed']);
  const [items, total] = await Promise.all([
    query
      .selectAll('g')
      .select([
        'p.code as policyCode',
        'p.name as policyName',
        'p.mode',
        's.name as subjectName',
        's.kind as subjectKind',
        's.identifier',
      ])
      .orderBy('g.dueAt')
      .orderBy('g.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

/** Grants of silent policies due for their re-check, locked and skipped by other servers. */
export async function grantsDueForCheck(trx: Tx, now: Date, limit: number) {
  return trx
    .selectFrom('policyGrants')
    .selectAll()
    .where('nextCheckAt', '<=', now)
    .where('state', '!=', 'rejected')
    .orderBy('nextCheckAt')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** The next grant number of a year: PG<year><6 digits>. */
export async function nextGrantNumber(trx: Tx, year: number): Promise<string> {
  const prefix = `PG${year}`;
  const row = await trx
    .selectFrom('policyGrants')
    .select(sql<string | null>`max(number)`.as('last'))
    .where('number', 'like', `${prefix}%`)
    .executeTakeFirstOrThrow();
  const last = row.last ? Number(row.last.slice(prefix.length)) : 0;
  return `${prefix}${String(last + 1).padStart(6, '0')}`;
}

export type { PoliciesTable };

export { departmentCodeOf, departmentNames } from '../platform/regions';
