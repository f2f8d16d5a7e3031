// What the cockpit reads of the hotline: category names for the hot topics, the tickets closed in
// a period (the records behind the ticket figures) and the open tickets past their deadline.
import { sql } from 'kysely';
import type { Kdb } from '../platform/db/database';
import type { Text } from '../platform/i18n';

/** A period ([from, to) instants) and the regions it covers. */
type Scope = { from: Date; to: Date; regions: readonly string[] };
/** One page of records. */
type Page = { limit: number; offset: number };

/** The names of ticket categories, by code (unknown codes are left out). */
export async function categoryNames(db: Kdb, codes: readonly string[]): Promise<Map<string, Text>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('hotlineCategories')
    .select(['code', 'nameZh', 'nameEn'])
    .where('code', 'in', [...codes])
    .execute();
  return new Map(rows.map((r) => [r.code, { zh: r.nameZh, en: r.nameEn }]));
}

/** A ticket as the cockpit lists it. */
export interface TicketRecord {
  id: string;
  number: string;
  title: string;
  categoryCode: string;
  regionCode: string;
  /** The lead unit's department code, if dispatched. */
  departmentCode: string | null;
  at: Date;
  onTime: boolean | null;
  satisfaction: string | null;
}

function tickets(db: Kdb) {
  return db
    .selectFrom('hotlineTickets as t')
    .leftJoin('departments as d', 'd.id', 't.leadDepartmentId')
    .select([
      't.id',
      't.number',
      't.title',
      't.categoryCode',
      't.regionCode',
      'd.code as departmentCode',
      't.onTime',
      't.satisfaction',
    ]);
}

/**
 * The tickets closed in the period (newest first), optionally only those with a callback
 * satisfaction, and how many there are.
 */
export async function readClosedTickets(
  db: Kdb,
  scope: Scope,
  options: { rated?: boolean },
  page: Page,
): Promise<{ total: number; rows: TicketRecord[] }> {
  const where = <Q extends ReturnType<typeof tickets>>(q: Q) =>
    q
      .where('t.status', '=', 'closed')
      .where('t.closedAt', '>=', scope.from)
      .where('t.closedAt', '<', scope.to)
      .where('t.regionCode', 'in', [...scope.regions])
      .$if(options.rated === true, (qb) => qb.where('t.satisfaction', 'is not', null)) as Q;
  const [rows, count] = await Promise.all([
    where(tickets(db))
      .select(sql<Date>`t.closed_at`.as('at'))
      .orderBy('t.closedAt', 'desc')
      .orderBy('t.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    where(tickets(db))
      .clearSelect()
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: count.n, rows };
}

/**
 * The tickets with a unit on them (dispatched or handling) past their finishing deadline, most
 * overdue first (at most `limit`), and how many there are.
 */
export async function readOverdueTickets(
  db: Kdb,
  regions: readonly string[],
  now: Date,
  limit: number,
): Promise<{ total: number; rows: TicketRecord[] }> {
  const where = <Q extends ReturnType<typeof tickets>>(q: Q) =>
    q
      .where('t.status', 'in', ['dispatched', 'handling'])
      .where('t.finishDueAt', '<', now)
      .where('t.regionCode', 'in', [...regions]) as Q;
  const [rows, count] = await Promise.all([
    where(tickets(db))
      .select(sql<Date>`t.finish_due_at`.as('at'))
      .orderBy('t.finishDueAt')
      .orderBy('t.id')
      .limit(limit)
      .execute(),
    where(tickets(db))
      .clearSelect()
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: count.n, rows };
}
