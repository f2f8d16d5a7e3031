// SQL of the reform-task ledger: tasks with their warnings as filters, the board's counts,
// reports, and the locked reads and writes of reporting and tick-off.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Kdb, Tx } from '../platform/db/database';
import type { Database } from '../platform/db/schema';
import type { ReportStatus, TaskState, TaskUnit, Warning, WarningBounds } from './ledger';

/** Which tasks a list, the board or the export reads. */
export interface TaskFilter {
  regions: string[];
  document?: string;
  unit?: string;
  department?: string;
  state?: TaskState;
  warning?: Warning;
  q?: string;
}

/** A task as lists show it. */
export interface TaskRow {
  id: string;
  documentKey: string;
  regionCode: string;
  seq: number;
  path: string[];
  headings: string[];
  title: string;
  text: string;
  leadUnits: string[];
  responsibleUnits: string[];
  deadlines: { kind: string; phrase: string; date: string | null }[];
  dueOn: string | null;
  targets: string[];
  state: TaskState;
  doneAt: Date | null;
  doneBy: string | null;
  doneNote: string | null;
  lastPeriod: string | null;
  lastStatus: ReportStatus | null;
  lastPercent: number | null;
  lastReportedAt: Date | null;
  version: number;
}

type Eb = ExpressionBuilder<Database, 'ledgerTasks'>;

/** SQL of one warning, the same rule as `warningsOf` in ledger.ts. */
function warningCondition(eb: Eb, warning: Warning, b: WarningBounds): Expression<SqlBool> {
  const open = eb('ledgerTasks.state', '=', 'open');
  if (warning === 'overdue') return eb.and([open, eb('ledgerTasks.dueOn', '<', b.today)]);
  if (warning === 'due_soon')
    return eb.and([
      open,
      eb('ledgerTasks.dueOn', '>=', b.today),
      eb('ledgerTasks.dueOn', '<=', b.dueSoonUntil),
    ]);
  const current = sql<string>`case when ${eb.ref('ledgerTasks.dueOn')} <= ${b.weeklyUntil}::date
    then ${b.week} else ${b.month} end`;
  return eb.and([
    open,
    sql<SqlBool>`${eb.ref('ledgerTasks.lastPeriod')} is distinct from ${current}`,
  ]);
}

function filtered(db: Kdb, filter: TaskFilter, bounds: WarningBounds) {
  let query = db.selectFrom('ledgerTasks').where('ledgerTasks.regionCode', 'in', filter.regions);
  if (filter.document) query = query.where('ledgerTasks.documentKey', '=', filter.document);
  if (filter.state) query = query.where('ledgerTasks.state', '=', filter.state);
  if (filter.warning) {
    const warning = filter.warning;
    query = query.where((eb) => warningCondition(eb, warning, bounds));
  }
  if (filter.unit) {
    const unit = filter.unit;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('ledgerTaskUnits as tu')
          .select('tu.taskId')
          .whereRef('tu.taskId', '=', 'ledgerTasks.id')
          .where('tu.unitName', '=', unit),
      ),
    );
  }
  if (filter.department) {
    const department = filter.department;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('ledgerTaskUnits as tu')
          .innerJoin('ledgerUnits as u', 'u.name', 'tu.unitName')
          .select('tu.taskId')
          .whereRef('tu.taskId', '=', 'ledgerTasks.id')
          .where('u.departmentCode', '=', department),
      ),
    );
  }
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('ledgerTasks.title', 'ilike', like), eb('ledgerTasks.text', 'ilike', like)]),
    );
  }
  return query;
}

const TASK_COLUMNS = [
  'ledgerTasks.id',
  'ledgerTasks.documentKey',
  'ledgerTasks.regionCode',
  'ledgerTasks.seq',
  'ledgerTasks.path',
  'ledgerTasks.headings',
  'ledgerTasks.title',
  'ledgerTasks.text',
  'ledgerTasks.leadUnits',
  'ledgerTasks.responsibleUnits',
  'ledgerTasks.deadlines',
  'ledgerTasks.targets',
  'ledgerTasks.state',
  'ledgerTasks.doneAt',
  'ledgerTasks.doneBy',
  'ledgerTasks.doneNote',
  'ledgerTasks.lastPeriod',
  'ledgerTasks.lastStatus',
  'ledgerTasks.lastPercent',
  'ledgerTasks.lastReportedAt',
  'ledgerTasks.version',
] as const;
const DUE_ON = sql<string | null>`ledger_tasks.due_on::text`.as('dueOn');

/** One page of tasks in document order, and how many match. */
export async function listTasks(
  db: Kdb,
  filter: TaskFilter,
  bounds: WarningBounds,
  page: { limit: number; offset: number } | null,
): Promise<{ total: number; items: TaskRow[] }> {
  let query = filtered(db, filter, bounds)
    .select([...TASK_COLUMNS, DUE_ON])
    .orderBy('ledgerTasks.documentKey')
    .orderBy('ledgerTasks.seq');
  if (page) query = query.limit(page.limit).offset(page.offset);
  const [items, count] = await Promise.all([
    query.execute(),
    filtered(db, filter, bounds)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: Number(count.n), items: items as TaskRow[] };
}

/** One task, locked for update when read inside a transaction that will change it. */
export async function findTask(db: Kdb | Tx, id: string, lock = false): Promise<TaskRow | null> {
  let query = db
    .selectFrom('ledgerTasks')
    .select([...TASK_COLUMNS, DUE_ON])
    .where('ledgerTasks.id', '=', id);
  if (lock) query = query.forUpdate();
  return ((await query.executeTakeFirst()) as TaskRow | undefined) ?? null;
}

/** The units a task names, with the department that reports for each. */
export async function taskUnits(db: Kdb | Tx, taskId: string): Promise<TaskUnit[]> {
  const rows = await db
    .selectFrom('ledgerTaskUnits as tu')
    .leftJoin('ledgerUnits as u', 'u.name', 'tu.unitName')
    .select(['tu.unitName', 'tu.role', 'u.departmentCode'])
    .where('tu.taskId', '=', taskId)
    .orderBy('tu.role')
    .execute();
  return rows.map((r) => ({ name: r.unitName, role: r.role, departmentCode: r.departmentCode }));
}

/** The counts of one group on the board. */
export interface BoardCounts {
  total: number;
  done: number;
  overdue: number;
  dueSoon: number;
  unreported: number;
}

function countColumns(eb: Eb, bounds: WarningBounds) {
  const count = (condition: Expression<SqlBool>) =>
    sql<number>`count(*) filter (where ${condition})`;
  return [
    eb.fn.countAll<number>().as('total'),
    count(eb('ledgerTasks.state', '=', 'done')).as('done'),
    count(warningCondition(eb, 'overdue', bounds)).as('overdue'),
    count(warningCondition(eb, 'due_soon', bounds)).as('dueSoon'),
    count(warningCondition(eb, 'unreported', bounds)).as('unreported'),
  ];
}

const numbers = <T extends object>(row: T) =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v,
    ]),
  ) as T;

/** The board: counts per document and per unit name over the tasks a filter admits. */
export async function boardCounts(db: Kdb, filter: TaskFilter, bounds: WarningBounds) {
  const documents = await filtered(db, filter, bounds)
    .innerJoin('ledgerDocuments as d', 'd.key', 'ledgerTasks.documentKey')
    .select((eb) => [
      'd.key',
      'd.letter',
      'd.title',
      'd.number',
      'd.regionCode',
      ...countColumns(eb, bounds),
    ])
    .groupBy(['d.key', 'd.letter', 'd.title', 'd.number', 'd.regionCode'])
    .orderBy('d.key')
    .execute();
  const units = await filtered(db, filter, bounds)
    .innerJoin('ledgerTaskUnits as tu', 'tu.taskId', 'ledgerTasks.id')
    .leftJoin('ledgerUnits as u', 'u.name', 'tu.unitName')
    .select((eb) => ['tu.unitName as unit', 'u.departmentCode', ...countColumns(eb, bounds)])
    .groupBy(['tu.unitName', 'u.departmentCode'])
    .orderBy('total', 'desc')
    .orderBy('tu.unitName')
    .execute();
  return { documents: documents.map(numbers), units: units.map(numbers) };
}

/** The documents tracked in some regions. */
export function listDocuments(db: Kdb, regions: string[]) {
  return db
    .selectFrom('ledgerDocuments')
    .select([
      'key',
      'letter',
      'title',
      'number',
      sql<string | null>`issued_on::text`.as('issuedOn'),
      'regionCode',
      'goals',
    ])
    .where('regionCode', 'in', regions)
    .orderBy('key')
    .execute();
}

/** A task's progress reports, newest first, with the reporter's name. */
export function listReports(db: Kdb | Tx, taskId: string) {
  return db
    .selectFrom('ledgerReports as r')
    .innerJoin('users', 'users.id', 'r.reporterId')
    .select([
      'r.id',
      'r.unitName',
      'r.departmentCode',
      'r.period',
      'r.status',
      'r.percent',
      'r.note',
      'r.evidence',
      'r.reportedAt',
      'r.revision',
      'users.displayName as reporter',
    ])
    .where('r.taskId', '=', taskId)
    .orderBy('r.reportedAt', 'desc')
    .execute();
}

/** A report by its idempotency key. */
export function findReportByKey(trx: Tx, key: string) {
  return trx
    .selectFrom('ledgerReports')
    .selectAll()
    .where('idempotencyKey', '=', key)
    .executeTakeFirst();
}

/** The report of one unit for one period of a task. */
export function findReportOfPeriod(trx: Tx, taskId: string, unitName: string, period: string) {
  return trx
    .selectFrom('ledgerReports')
    .select(['id', 'revision'])
    .where('taskId', '=', taskId)
    .where('unitName', '=', unitName)
    .where('period', '=', period)
    .executeTakeFirst();
}
