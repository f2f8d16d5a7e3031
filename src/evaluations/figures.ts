// What the cockpit reads of 好差评: the counts of a period and region (the same counts and the same
// satisfied / bad levels as the statistics report), the counts by answerable department, the
// ratings and rectifications behind them, and the rectifications past their deadline.
import { sql } from 'kysely';
import type { Kdb } from '../platform/db/database';
import type { Text } from '../platform/i18n';
import { BAD_AT_MOST, SATISFIED_AT_LEAST } from './codes';

export { RECTIFICATION_STATES } from './codes';
import { countByKey, countTotals } from './stats';

/** A period ([from, to) instants) and the regions it covers. */
type Scope = { from: Date; to: Date; regions: readonly string[] };
/** One page of records. */
type Page = { limit: number; offset: number };

/** The counts of ratings in a period (flagged ones left out) and of their rectifications. */
export interface EvaluationCounts {
  rated: number;
  /** Level ≥ SATISFIED_AT_LEAST. */
  satisfied: number;
  /** Level ≤ BAD_AT_MOST (差评). */
  bad: number;
  rectifications: number;
  /** Rectifications whose unit part is done (on time or late). */
  rectificationsDone: number;
  rectifiedOnTime: number;
}

const statsScope = (scope: Scope) => ({
  start: scope.from,
  end: scope.to,
  regions: scope.regions,
  department: null,
});

/** The counts of the ratings given in the period and region. */
export async function evaluationCounts(db: Kdb, scope: Scope): Promise<EvaluationCounts> {
  const t = await countTotals(db, statsScope(scope));
  return {
    rated: t.ratings,
    satisfied: t.satisfied,
    bad: t.bad,
    rectifications: t.rectifications,
    rectificationsDone: t.rectificationsDone,
    rectifiedOnTime: t.rectifiedOnTime,
  };
}

/** The same counts by answerable department (责任单位). */
export async function evaluationCountsByDepartment(
  db: Kdb,
  scope: Scope,
): Promise<(EvaluationCounts & { departmentCode: string })[]> {
  const rows = await countByKey(db, statsScope(scope), 'department');
  return rows.flatMap((r) =>
    r.key === null
      ? []
      : [
          {
            departmentCode: r.key,
            rated: r.ratings,
            satisfied: r.satisfied,
            bad: r.bad,
            rectifications: r.rectifications,
            rectificationsDone: r.rectificationsDone,
            rectifiedOnTime: r.rectifiedOnTime,
          },
        ],
  );
}

/** A rating as the cockpit lists it. */
export interface RatingRecord {
  id: string;
  /** The rated service's number (application, ticket …), if any. */
  number: string | null;
  title: Text;
  kind: string;
  regionCode: string;
  departmentCode: string;
  level: number;
  satisfied: boolean;
  bad: boolean;
  comment: string | null;
  ratedAt: Date;
  /** The rectification a bad rating opened, if any. */
  rectificationId: string | null;
}

/** The ratings of the period (newest first; only the bad ones when asked), and how many. */
export async function readRatings(
  db: Kdb,
  scope: Scope,
  options: { bad?: boolean },
  page: Page,
): Promise<{ total: number; rows: RatingRecord[] }> {
  const base = () =>
    db
      .selectFrom('ratings as r')
      .innerJoin('rateableServices as s', 's.id', 'r.serviceId')
      .leftJoin('rectifications as x', 'x.ratingId', 'r.id')
      .where('r.flagged', '=', false)
      .where('r.ratedAt', '>=', scope.from)
      .where('r.ratedAt', '<', scope.to)
      .where('r.regionCode', 'in', [...scope.regions])
      .$if(options.bad === true, (qb) => qb.where('r.level', '<=', BAD_AT_MOST));
  const [rows, count] = await Promise.all([
    base()
      .select([
        'r.id',
        's.number',
        sql<Text>`s.title`.as('title'),
        'r.kind',
        'r.regionCode',
        'r.departmentCode',
        'r.level',
        'r.comment',
        'r.ratedAt',
        'x.id as rectificationId',
      ])
      .orderBy('r.ratedAt', 'desc')
      .orderBy('r.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base()
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    total: count.n,
    rows: rows.map((r) => ({
      ...r,
      satisfied: r.level >= SATISFIED_AT_LEAST,
      bad: r.level <= BAD_AT_MOST,
    })),
  };
}

/** A rectification as the cockpit lists it. */
export interface RectificationRecord {
  id: string;
  number: string | null;
  title: Text;
  regionCode: string;
  departmentCode: string;
  state: string;
  dueAt: Date;
  onTime: boolean | null;
  createdAt: Date;
}

function rectifications(db: Kdb) {
  return db
    .selectFrom('rectifications as x')
    .innerJoin('ratings as r', 'r.id', 'x.ratingId')
    .innerJoin('rateableServices as s', 's.id', 'r.serviceId')
    .select([
      'x.id',
      's.number',
      sql<Text>`s.title`.as('title'),
      'x.regionCode',
      'x.departmentCode',
      'x.state',
      'x.dueAt',
      'x.onTime',
      'x.createdAt',
    ]);
}

/**
 * The rectifications of the ratings given in the period (the ones the on-time rate counts, newest
 * first), and how many.
 */
export async function readRectifications(
  db: Kdb,
  scope: Scope,
  page: Page,
): Promise<{ total: number; rows: RectificationRecord[] }> {
  const where = <Q extends ReturnType<typeof rectifications>>(q: Q) =>
    q
      .where('r.flagged', '=', false)
      .where('r.ratedAt', '>=', scope.from)
      .where('r.ratedAt', '<', scope.to)
      .where('r.regionCode', 'in', [...scope.regions]) as Q;
  const [rows, count] = await Promise.all([
    where(rectifications(db))
      .orderBy('x.createdAt', 'desc')
      .orderBy('x.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    where(rectifications(db))
      .clearSelect()
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: count.n, rows };
}

/** Rectifications still with the unit (open or submitted) past their deadline, most overdue first. */
export async function readOverdueRectifications(
  db: Kdb,
  regions: readonly string[],
  now: Date,
  limit: number,
): Promise<{ total: number; rows: RectificationRecord[] }> {
  const where = <Q extends ReturnType<typeof rectifications>>(q: Q) =>
    q
      .where('x.state', 'in', ['open', 'submitted'])
      .where('x.dueAt', '<', now)
      .where('x.regionCode', 'in', [...regions]) as Q;
  const [rows, count] = await Promise.all([
    where(rectifications(db)).orderBy('x.dueAt').orderBy('x.id').limit(limit).execute(),
    where(rectifications(db))
      .clearSelect()
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: count.n, rows };
}
