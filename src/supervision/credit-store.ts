// Credit records and repairs in SQL. Functions take the database or the caller's transaction; the
// ones that lock rows demand a transaction.
import { sql } from 'kysely';
import type { Kdb, Tx } from '../platform/db/database';
import type { CreditKind, CreditRecordState, CreditRepairState, CreditSeverity } from './credit';

type Db = Kdb | Tx;

/** A credit record as the service reads it (dates as YYYY-MM-DD). */
export interface CreditRecordRow {
  id: string;
  subjectId: string;
  regionCode: string;
  departmentCode: string;
  kind: CreditKind;
  severity: CreditSeverity;
  title: string;
  decidedOn: string;
  publishUntil: string;
  repairableFrom: string;
  state: CreditRecordState;
  repairedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
}

/** A credit repair as the service reads it. */
export interface CreditRepairRow {
  id: string;
  recordId: string;
  subjectId: string;
  regionCode: string;
  departmentCode: string;
  statement: string;
  state: CreditRepairState;
  dueAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionNote: string | null;
  createdBy: string;
  createdAt: Date;
}

const RECORD_COLUMNS = [
  'id',
  'subjectId',
  'regionCode',
  'departmentCode',
  'kind',
  'severity',
  'title',
  sql<string>`decided_on::text`.as('decidedOn'),
  sql<string>`publish_until::text`.as('publishUntil'),
  sql<string>`repairable_from::text`.as('repairableFrom'),
  'state',
  'repairedAt',
  'createdBy',
  'createdAt',
] as const;

/** Inserts a record. */
export async function insertRecord(trx: Tx, row: Omit<CreditRecordRow, 'repairedAt'>) {
  await trx
    .insertInto('creditRecords')
    .values({ ...row, repairedAt: null })
    .execute();
}

/** One record. */
export async function findRecord(db: Db, id: string): Promise<CreditRecordRow | undefined> {
  return db
    .selectFrom('creditRecords')
    .select(RECORD_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** One record under a row lock. */
export async function lockRecord(trx: Tx, id: string): Promise<CreditRecordRow | undefined> {
  return trx
    .selectFrom('creditRecords')
    .select(RECORD_COLUMNS)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The same record entered before (a retried create), if any. */
export async function findSameRecord(
  trx: Tx,
  r: Pick<
    CreditRecordRow,
    'subjectId' | 'departmentCode' | 'kind' | 'severity' | 'title' | 'decidedOn'
  >,
): Promise<CreditRecordRow | undefined> {
  return trx
    .selectFrom('creditRecords')
    .select(RECORD_COLUMNS)
    .where('subjectId', '=', r.subjectId)
    .where('departmentCode', '=', r.departmentCode)
    .where('kind', '=', r.kind)
    .where('severity', '=', r.severity)
    .where('title', '=', r.title)
    .where('decidedOn', '=', r.decidedOn)
    .executeTakeFirst();
}

/** A subject's records, newest decision first. */
export async function recordsOf(db: Db, subjectId: string): Promise<CreditRecordRow[]> {
  return db
    .selectFrom('creditRecords')
    .select(RECORD_COLUMNS)
    .where('subjectId', '=', subjectId)
    .orderBy('decidedOn', 'desc')
    .orderBy('createdAt', 'desc')
    .execute();
}

/** Records in publication on a day, of some subjects or (null) of all. */
export async function publishedRecords(
  db: Db,
  subjectIds: readonly string[] | null,
  day: string,
): Promise<
  Pick<
    CreditRecordRow,
    'subjectId' | 'kind' | 'severity' | 'decidedOn' | 'publishUntil' | 'state'
  >[]
> {
  let query = db
    .selectFrom('creditRecords')
    .select([
      'subjectId',
      'kind',
      'severity',
      'state',
      sql<string>`decided_on::text`.as('decidedOn'),
      sql<string>`publish_until::text`.as('publishUntil'),
    ])
    .where('state', '=', 'published')
    .where('decidedOn', '<=', day)
    .where('publishUntil', '>', day);
  if (subjectIds) query = query.where('subjectId', 'in', subjectIds);
  return query.execute();
}

/** Every subject with any credit record. */
export async function subjectsWithRecords(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('creditRecords').select('subjectId').distinct().execute();
  return rows.map((r) => r.subjectId);
}

/** Whether any credit record exists. */
export async function anyRecord(db: Db): Promise<boolean> {
  return !!(await db.selectFrom('creditRecords').select('id').limit(1).executeTakeFirst());
}

/** Marks a record repaired: its publication ends now. */
export async function markRepaired(trx: Tx, id: string, at: Date) {
  await trx
    .updateTable('creditRecords')
    .set({ state: 'repaired', repairedAt: at })
    .where('id', '=', id)
    .execute();
}

/** Inserts a repair request. */
export async function insertRepair(
  trx: Tx,
  row: Omit<CreditRepairRow, 'decidedAt' | 'decidedBy' | 'decisionNote'>,
) {
  await trx
    .insertInto('creditRepairs')
    .values({ ...row, decidedAt: null, decidedBy: null, decisionNote: null })
    .execute();
}

/** The open (submitted) repair of a record, if any. */
export async function openRepairOf(db: Db, recordId: string): Promise<CreditRepairRow | undefined> {
  return db
    .selectFrom('creditRepairs')
    .selectAll()
    .where('recordId', '=', recordId)
    .where('state', '=', 'submitted')
    .executeTakeFirst();
}

/** One repair. */
export async function findRepair(db: Db, id: string): Promise<CreditRepairRow | undefined> {
  return db.selectFrom('creditRepairs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One repair under a row lock. */
export async function lockRepair(trx: Tx, id: string): Promise<CreditRepairRow | undefined> {
  return trx
    .selectFrom('creditRepairs')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Records a decision. */
export async function decideRepair(
  trx: Tx,
  id: string,
  patch: {
    state: 'approved' | 'rejected';
    decidedAt: Date;
    decidedBy: string;
    decisionNote: string | null;
  },
) {
  await trx.updateTable('creditRepairs').set(patch).where('id', '=', id).execute();
}

/** Who sees which repairs. */
export interface RepairFilter {
  subjectId?: string;
  departmentCode?: string;
  /** Regions the repairs may be in; 'all' for administrators. */
  regions: readonly string[] | 'all';
  state?: CreditRepairState;
  limit: number;
  offset: number;
}

/** A repair with the record's and the subject's names, for lists. */
export type RepairListRow = CreditRepairRow & {
  subjectName: string;
  recordTitle: string;
  recordKind: CreditKind;
  recordSeverity: CreditSeverity;
};

/** Repairs in scope, newest first, with the total. */
export async function listRepairs(db: Db, f: RepairFilter) {
  let query = db
    .selectFrom('creditRepairs as p')
    .innerJoin('creditRecords as r', 'r.id', 'p.recordId')
    .innerJoin('subjects as s', 's.id', 'p.subjectId');
  if (f.subjectId) query = query.where('p.subjectId', '=', f.subjectId);
  if (f.departmentCode) query = query.where('p.departmentCode', '=', f.departmentCode);
  if (f.regions !== 'all') {
    if (f.regions.length === 0) return { items: [] as RepairListRow[], total: 0 };
    query = query.where('p.regionCode', 'in', f.regions);
  }
  if (f.state) query = query.where('p.state', '=', f.state);
  const [items, count] = await Promise.all([
    query
      .selectAll('p')
      .select([
        's.name as subjectName',
        'r.title as recordTitle',
        'r.kind as recordKind',
        'r.severity as recordSeverity',
      ])
      .orderBy('p.createdAt', 'desc')
      .orderBy('p.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items as RepairListRow[], total: Number(count.n) };
}

/** A subject's repairs, newest first. */
export async function repairsOf(db: Db, subjectId: string): Promise<CreditRepairRow[]> {
  return db
    .selectFrom('creditRepairs')
    .selectAll()
    .where('subjectId', '=', subjectId)
    .orderBy('createdAt', 'desc')
    .execute();
}

/** A subject's public card. */
export async function findSubject(db: Db, id: string) {
  return db
    .selectFrom('subjects')
    .select(['id', 'name', 'kind', 'regionCode'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Subjects by name (the demo data names them). */
export async function subjectsByName(db: Db, names: readonly string[]) {
  if (names.length === 0) return [];
  return db
    .selectFrom('subjects')
    .select(['id', 'name', 'regionCode'])
    .where('name', 'in', names)
    .execute();
}

/** The code of a department by id. */
export async function departmentCodeOf(db: Db, id: string | null): Promise<string | null> {
  if (!id) return null;
  const row = await db
    .selectFrom('departments')
    .select('code')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.code ?? null;
}

/** Department names by code. */
export async function departmentNames(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return new Map<string, { zh: string; en: string }>();
  const rows = await db
    .selectFrom('departments')
    .select(['code', 'nameZh', 'nameEn'])
    .where('code', 'in', [...new Set(codes)])
    .execute();
  return new Map(rows.map((r) => [r.code, { zh: r.nameZh, en: r.nameEn }]));
}

/** Whether a department code exists. */
export async function departmentExists(db: Db, code: string): Promise<boolean> {
  return !!(await db
    .selectFrom('departments')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirst());
}
