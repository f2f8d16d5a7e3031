// What the cockpit reads of the policies: matches (政策找人) and 免申即享 grants of a period and
// region, the records behind them, and the grants past their payment deadline.
import { sql } from 'kysely';
import type { Kdb } from '../platform/db/database';
import type { Text } from '../platform/i18n';

/** A period ([from, to) instants) and the regions it covers. */
type Scope = { from: Date; to: Date; regions: readonly string[] };
/** One page of records. */
type Page = { limit: number; offset: number };

/** The policy counts of a period. */
export interface PolicyCounts {
  /** Subject–policy matches made in the period (near misses not counted). */
  matches: number;
  /** Distinct subjects among them. */
  matchedSubjects: number;
  /** Grants created in the period. */
  grants: number;
  /** Grants paid in the period. */
  paid: number;
  /** Of those, paid by their due instant (paidAt ≤ dueAt). */
  paidOnTime: number;
  /** Yuan paid in the period. */
  amountPaid: number;
}

/** The policy counts of the period and region. */
export async function policyCounts(db: Kdb, scope: Scope): Promise<PolicyCounts> {
  const regions = [...scope.regions];
  const [matches, created, paid] = await Promise.all([
    db
      .selectFrom('policyMatches')
      .select([
        sql<number>`count(*)::int`.as('matches'),
        sql<number>`count(distinct subject_id)::int`.as('subjects'),
      ])
      .where('status', '=', 'matched')
      .where('matchedAt', '>=', scope.from)
      .where('matchedAt', '<', scope.to)
      .where('regionCode', 'in', regions)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('policyGrants')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('createdAt', '>=', scope.from)
      .where('createdAt', '<', scope.to)
      .where('regionCode', 'in', regions)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('policyGrants')
      .select([
        sql<number>`count(*)::int`.as('paid'),
        sql<number>`(count(*) filter (where paid_at <= due_at))::int`.as('onTime'),
        sql<number>`coalesce(sum(amount), 0)::float8`.as('amount'),
      ])
      .where('paidAt', '>=', scope.from)
      .where('paidAt', '<', scope.to)
      .where('regionCode', 'in', regions)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    matches: matches.matches,
    matchedSubjects: matches.subjects,
    grants: created.n,
    paid: paid.paid,
    paidOnTime: paid.onTime,
    amountPaid: Math.round(Number(paid.amount) * 100) / 100,
  };
}

/** A match as the cockpit lists it. */
export interface MatchRecord {
  policyId: string;
  policyCode: string;
  policyName: Text;
  subjectId: string;
  subjectName: string;
  regionCode: string;
  departmentCode: string;
  summary: Text;
  matchedAt: Date;
}

/** The matches made in the period (newest first), and how many. */
export async function readMatches(
  db: Kdb,
  scope: Scope,
  page: Page,
): Promise<{ total: number; rows: MatchRecord[] }> {
  const base = () =>
    db
      .selectFrom('policyMatches as m')
      .innerJoin('policies as p', 'p.id', 'm.policyId')
      .innerJoin('subjects as s', 's.id', 'm.subjectId')
      .where('m.status', '=', 'matched')
      .where('m.matchedAt', '>=', scope.from)
      .where('m.matchedAt', '<', scope.to)
      .where('m.regionCode', 'in', [...scope.regions]);
  const [rows, count] = await Promise.all([
    base()
      .select([
        'm.policyId',
        'p.code as policyCode',
        sql<Text>`p.name`.as('policyName'),
        'm.subjectId',
        's.name as subjectName',
        'm.regionCode',
        'p.departmentCode',
        sql<Text>`m.summary`.as('summary'),
        'm.matchedAt',
      ])
      .orderBy('m.matchedAt', 'desc')
      .orderBy('m.policyId')
      .orderBy('m.subjectId')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base()
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: count.n, rows };
}

/** A grant as the cockpit lists it. */
export interface GrantRecord {
  id: string;
  number: string;
  policyName: Text;
  subjectName: string;
  regionCode: string;
  departmentCode: string;
  state: string;
  amount: number | null;
  dueAt: Date;
  paidAt: Date | null;
}

function grants(db: Kdb) {
  return db
    .selectFrom('policyGrants as g')
    .innerJoin('policies as p', 'p.id', 'g.policyId')
    .innerJoin('subjects as s', 's.id', 'g.subjectId')
    .select([
      'g.id',
      'g.number',
      sql<Text>`p.name`.as('policyName'),
      's.name as subjectName',
      'g.regionCode',
      'g.departmentCode',
      'g.state',
      sql<number | null>`g.amount::float8`.as('amount'),
      'g.dueAt',
      'g.paidAt',
    ]);
}

/** The grants paid in the period (newest first), and how many. */
export async function readPaidGrants(
  db: Kdb,
  scope: Scope,
  page: Page,
): Promise<{ total: number; rows: GrantRecord[] }> {
  const where = <Q extends ReturnType<typeof grants>>(q: Q) =>
    q
      .where('g.paidAt', '>=', scope.from)
      .where('g.paidAt', '<', scope.to)
      .where('g.regionCode', 'in', [...scope.regions]) as Q;
  const [rows, count] = await Promise.all([
    where(grants(db))
      .orderBy('g.paidAt', 'desc')
      .orderBy('g.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    where(grants(db))
      .clearSelect()
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: count.n, rows };
}

/** Grants not yet paid (pending or confirmed) past their due instant, most overdue first. */
export async function readOverdueGrants(
  db: Kdb,
  regions: readonly string[],
  now: Date,
  limit: number,
): Promise<{ total: number; rows: GrantRecord[] }> {
  const where = <Q extends ReturnType<typeof grants>>(q: Q) =>
    q
      .where('g.state', 'in', ['pending', 'confirmed'])
      .where('g.dueAt', '<', now)
      .where('g.regionCode', 'in', [...regions]) as Q;
  const [rows, count] = await Promise.all([
    where(grants(db)).orderBy('g.dueAt').orderBy('g.id').limit(limit).execute(),
    where(grants(db))
      .clearSelect()
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: count.n, rows };
}
