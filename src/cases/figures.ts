// What the cockpit reads of the cases: department cases finished in a period by department (on
// time against the committed limit), the open cases past their committed deadline, and which
// applications exist (so the cockpit links only to pages that show something).
import { sql } from 'kysely';
import type { Kdb } from '../platform/db/database';
import type { Text } from '../platform/i18n';

/** A period ([from, to) instants) and the regions it covers. */
type Scope = { from: Date; to: Date; regions: readonly string[] };

/** Department cases finished in a period, by department. */
export interface DepartmentCaseCounts {
  departmentCode: string;
  /** Cases finished in the period. */
  cases: number;
  /** Of those, finished by their committed deadline (finishedAt ≤ committedDueAt). */
  casesOnTime: number;
}

/** The cases finished in the period and region, by department. */
export async function caseCountsByDepartment(
  db: Kdb,
  scope: Scope,
): Promise<DepartmentCaseCounts[]> {
  return db
    .selectFrom('cases')
    .select([
      'departmentCode',
      sql<number>`count(*)::int`.as('cases'),
      sql<number>`(count(*) filter (where finished_at <= committed_due_at))::int`.as('casesOnTime'),
    ])
    .where('finishedAt', '>=', scope.from)
    .where('finishedAt', '<', scope.to)
    .where('regionCode', 'in', [...scope.regions])
    .groupBy('departmentCode')
    .execute();
}

/** Cases finished in a period, by item. */
export interface ItemCaseCounts {
  itemCode: string;
  cases: number;
  casesOnTime: number;
}

/** The cases finished in the period and region, by item, most first, at most `top`. */
export async function caseCountsByItem(db: Kdb, scope: Scope, top = 20): Promise<ItemCaseCounts[]> {
  return db
    .selectFrom('cases')
    .select([
      'itemCode',
      sql<number>`count(*)::int`.as('cases'),
      sql<number>`(count(*) filter (where finished_at <= committed_due_at))::int`.as('casesOnTime'),
    ])
    .where('finishedAt', '>=', scope.from)
    .where('finishedAt', '<', scope.to)
    .where('regionCode', 'in', [...scope.regions])
    .groupBy('itemCode')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('itemCode')
    .limit(top)
    .execute();
}

/** An overdue case as the cockpit lists it. */
export interface OverdueCase {
  id: string;
  applicationId: string;
  /** The application's number. */
  number: string;
  /** The member item's name as the application's guide states it, if known. */
  itemName: Text | null;
  itemCode: string;
  regionCode: string;
  departmentCode: string;
  committedDueAt: Date;
}

/** Open cases (clock running, not finished) past their committed deadline, most overdue first. */
export async function readOverdueCases(
  db: Kdb,
  regions: readonly string[],
  now: Date,
  limit: number,
): Promise<{ total: number; rows: OverdueCase[] }> {
  const base = () =>
    db
      .selectFrom('cases as c')
      .where('c.finishedAt', 'is', null)
      .where('c.committedDueAt', '<', now)
      .where('c.state', 'not in', ['withdrawn', 'denied', 'result_issued', 'deemed_approved'])
      .where('c.regionCode', 'in', [...regions]);
  const [rows, count] = await Promise.all([
    base()
      .innerJoin('applications as a', 'a.id', 'c.applicationId')
      .select([
        'c.id',
        'c.applicationId',
        'a.number',
        sql<Text | null>`(select i->'name' from jsonb_array_elements(
          case when jsonb_typeof(a.snapshot->'guide'->'items') = 'array'
            then a.snapshot->'guide'->'items' else '[]'::jsonb end) i
          where i->>'member' = c.member_key limit 1)`.as('itemName'),
        'c.itemCode',
        'c.regionCode',
        'c.departmentCode',
        sql<Date>`c.committed_due_at`.as('committedDueAt'),
      ])
      .orderBy('c.committedDueAt')
      .orderBy('c.id')
      .limit(limit)
      .execute(),
    base()
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: count.n, rows };
}

/** The numbers of the applications that exist among `ids`, by id. */
export async function applicationNumbers(
  db: Kdb,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const uuids = ids.filter((id) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id),
  );
  if (uuids.length === 0) return new Map();
  const rows = await db
    .selectFrom('applications')
    .select(['id', 'number'])
    .where('id', 'in', uuids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.number]));
}
