// What the cockpit reads of supervision: inspections carried out and results published in a
// period and region (进一次门查多项事, 结果公示), plans drawn, the inspections behind those figures,
// and the finished inspections whose result is past its publication deadline.
import { sql } from 'kysely';
import type { Kdb } from '../platform/db/database';

/** A period ([from, to) instants) and the regions it covers. */
type Scope = { from: Date; to: Date; regions: readonly string[] };
/** One page of records. */
type Page = { limit: number; offset: number };

/** The supervision counts of a period. */
export interface SupervisionCounts {
  /** Inspections finished (carried out) in the period. */
  inspections: number;
  /** Distinct enterprises among them. */
  enterprises: number;
  /** Results published in the period. */
  published: number;
  /** Of those, published by the deadline (publishedAt ≤ publishDueAt). */
  publishedOnTime: number;
  /** Random-inspection plans drawn in the period. */
  plansDrawn: number;
  /** Of those, drawn (and so published) before the plan's first day. */
  plansDrawnOnTime: number;
}

/** The supervision counts of the period and region. */
export async function supervisionCounts(db: Kdb, scope: Scope): Promise<SupervisionCounts> {
  const regions = [...scope.regions];
  const [finished, published, plans] = await Promise.all([
    db
      .selectFrom('inspections')
      .select([
        sql<number>`count(*)::int`.as('n'),
        sql<number>`count(distinct subject_id)::int`.as('subjects'),
      ])
      .where('finishedAt', '>=', scope.from)
      .where('finishedAt', '<', scope.to)
      .where('regionCode', 'in', regions)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('inspections')
      .select([
        sql<number>`count(*)::int`.as('n'),
        sql<number>`(count(*) filter (where published_at <= publish_due_at))::int`.as('onTime'),
      ])
      .where('publishedAt', '>=', scope.from)
      .where('publishedAt', '<', scope.to)
      .where('regionCode', 'in', regions)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('inspectionPlans')
      .select([
        sql<number>`count(*)::int`.as('n'),
        // drawn, and so published, before the plan's first day (Beijing time)
        sql<number>`(count(*) filter (where drawn_at < starts_on::timestamp at time zone 'Asia/Shanghai'))::int`.as(
          'onTime',
        ),
      ])
      .where('state', '=', 'drawn')
      .where('drawnAt', '>=', scope.from)
      .where('drawnAt', '<', scope.to)
      .where('regionCode', 'in', regions)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    inspections: finished.n,
    enterprises: finished.subjects,
    published: published.n,
    publishedOnTime: published.onTime,
    plansDrawn: plans.n,
    plansDrawnOnTime: plans.onTime,
  };
}

/** An inspection as the cockpit lists it. */
export interface InspectionRecord {
  id: string;
  number: string;
  subjectName: string;
  regionCode: string;
  /** The departments inspecting (several for a joint inspection). */
  departmentCodes: string[];
  state: string;
  result: string | null;
  finishedAt: Date | null;
  publishDueAt: Date | null;
  publishedAt: Date | null;
}

function inspections(db: Kdb) {
  return db
    .selectFrom('inspections as i')
    .innerJoin('subjects as s', 's.id', 'i.subjectId')
    .select([
      'i.id',
      'i.number',
      's.name as subjectName',
      'i.regionCode',
      sql<string[]>`i.department_codes`.as('departmentCodes'),
      'i.state',
      'i.result',
      'i.finishedAt',
      'i.publishDueAt',
      'i.publishedAt',
    ]);
}

/**
 * The inspections finished in the period, or those whose result was published in it (newest
 * first), and how many.
 */
export async function readInspections(
  db: Kdb,
  scope: Scope,
  which: 'finished' | 'published',
  page: Page,
): Promise<{ total: number; rows: InspectionRecord[] }> {
  const column = which === 'finished' ? 'i.finishedAt' : 'i.publishedAt';
  const where = <Q extends ReturnType<typeof inspections>>(q: Q) =>
    q
      .where(column, '>=', scope.from)
      .where(column, '<', scope.to)
      .where('i.regionCode', 'in', [...scope.regions]) as Q;
  const [rows, count] = await Promise.all([
    where(inspections(db))
      .orderBy(column, 'desc')
      .orderBy('i.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    where(inspections(db))
      .clearSelect()
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: count.n, rows };
}

/** Finished inspections whose result is not published past its deadline, most overdue first. */
export async function readUnpublishedInspections(
  db: Kdb,
  regions: readonly string[],
  now: Date,
  limit: number,
): Promise<{ total: number; rows: InspectionRecord[] }> {
  const where = <Q extends ReturnType<typeof inspections>>(q: Q) =>
    q
      .where('i.state', '=', 'finished')
      .where('i.publishDueAt', '<', now)
      .where('i.regionCode', 'in', [...regions]) as Q;
  const [rows, count] = await Promise.all([
    where(inspections(db)).orderBy('i.publishDueAt').orderBy('i.id').limit(limit).execute(),
    where(inspections(db))
      .clearSelect()
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: count.n, rows };
}
