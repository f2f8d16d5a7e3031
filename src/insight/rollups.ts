// The cockpit's daily rollups: incremented by the handlers of the capabilities' domain events in
// the delivery's transaction (so exactly once per event), and rebuilt from the stored events in
// three set-based statements. Days are Beijing days.
import { sql } from 'kysely';
import { toLocalDate } from '../platform/calendar';
import type { Kdb, Tx } from '../platform/db/database';
import type { DomainEvent } from '../platform/notify';
import { DURATION_EDGES, durationBucket, isEasy, isSatisfied } from './indicators';

/** The events the rollups count. */
export const ROLLUP_EVENTS = {
  submitted: 'cases.application_submitted',
  completed: 'cases.application_completed',
  ticketClosed: 'hotline.ticket_closed',
} as const;

/** The stored handler names (keep them stable: deliveries record them). */
export const ROLLUP_HANDLERS = {
  submitted: 'insight.count_submitted',
  completed: 'insight.count_completed',
  ticketClosed: 'insight.count_ticket_closed',
} as const;

interface Submitted {
  bundleCode: string;
  channel?: string;
}

interface Completed {
  bundleCode: string;
  submittedAt?: string | null;
  onTime?: boolean | null;
  savings?: {
    steps: number;
    materials: number;
    visits: number;
    waived: number;
    committedVisits: number;
  } | null;
}

interface TicketClosed {
  categoryCode?: string;
  onTime?: boolean | null;
  satisfaction?: string | null;
}

const add = (column: string) =>
  sql<number>`${sql.ref(column)} + ${sql.ref(`excluded.${column.split('.').pop()}`)}`;

export async function countSubmitted(trx: Tx, event: DomainEvent) {
  const p = event.payload as unknown as Submitted;
  await trx
    .insertInto('insightApplicationDays')
    .values({
      day: toLocalDate(event.occurredAt),
      regionCode: event.regionCode,
      bundleCode: p.bundleCode,
      submitted: 1,
      submittedOnline: p.channel === 'online' ? 1 : 0,
    })
    .onConflict((oc) =>
      oc.columns(['day', 'regionCode', 'bundleCode']).doUpdateSet({
        submitted: add('insight_application_days.submitted'),
        submittedOnline: add('insight_application_days.submitted_online'),
      }),
    )
    .execute();
}

export async function countCompleted(trx: Tx, event: DomainEvent) {
  const p = event.payload as unknown as Completed;
  const submittedAt = p.submittedAt ? Date.parse(p.submittedAt) : NaN;
  const hours = Number.isFinite(submittedAt)
    ? Math.max(0, (event.occurredAt.getTime() - submittedAt) / 3_600_000)
    : null;
  const savings = p.savings ?? null;
  const day = toLocalDate(event.occurredAt);
  await trx
    .insertInto('insightApplicationDays')
    .values({
      day,
      regionCode: event.regionCode,
      bundleCode: p.bundleCode,
      completed: 1,
      completedOnTime: p.onTime === true ? 1 : 0,
      easy: isEasy(p.onTime ?? null, savings?.committedVisits ?? null) ? 1 : 0,
      durationHours: hours ?? 0,
      savedSteps: savings?.steps ?? 0,
      savedMaterials: savings?.materials ?? 0,
      savedVisits: savings?.visits ?? 0,
      waivedMaterials: savings?.waived ?? 0,
    })
    .onConflict((oc) =>
      oc.columns(['day', 'regionCode', 'bundleCode']).doUpdateSet({
        completed: add('insight_application_days.completed'),
        completedOnTime: add('insight_application_days.completed_on_time'),
        easy: add('insight_application_days.easy'),
        durationHours: add('insight_application_days.duration_hours'),
        savedSteps: add('insight_application_days.saved_steps'),
        savedMaterials: add('insight_application_days.saved_materials'),
        savedVisits: add('insight_application_days.saved_visits'),
        waivedMaterials: add('insight_application_days.waived_materials'),
      }),
    )
    .execute();
  if (hours === null) return;
  await trx
    .insertInto('insightApplicationDurations')
    .values({
      day,
      regionCode: event.regionCode,
      bundleCode: p.bundleCode,
      bucket: durationBucket(hours),
      n: 1,
    })
    .onConflict((oc) =>
      oc
        .columns(['day', 'regionCode', 'bundleCode', 'bucket'])
        .doUpdateSet({ n: add('insight_application_durations.n') }),
    )
    .execute();
}

export async function countTicketClosed(trx: Tx, event: DomainEvent) {
  const p = event.payload as unknown as TicketClosed;
  await trx
    .insertInto('insightTicketDays')
    .values({
      day: toLocalDate(event.occurredAt),
      regionCode: event.regionCode,
      categoryCode: p.categoryCode ?? 'unknown',
      closed: 1,
      closedOnTime: p.onTime === true ? 1 : 0,
      rated: p.satisfaction ? 1 : 0,
      satisfied: isSatisfied(p.satisfaction ?? null) ? 1 : 0,
    })
    .onConflict((oc) =>
      oc.columns(['day', 'regionCode', 'categoryCode']).doUpdateSet({
        closed: add('insight_ticket_days.closed'),
        closedOnTime: add('insight_ticket_days.closed_on_time'),
        rated: add('insight_ticket_days.rated'),
        satisfied: add('insight_ticket_days.satisfied'),
      }),
    )
    .execute();
}

/**
 * Rebuilds every rollup from the stored domain events, in one transaction: what the handlers
 * would have counted, computed set-wise (the same day, bucket and 好办易办 rules, in SQL).
 */
export async function rebuildRollups(db: Kdb): Promise<void> {
  const day = sql`(occurred_at at time zone 'Asia/Shanghai')::date`;
  const hours = sql`greatest(0, extract(epoch from occurred_at - (payload->>'submittedAt')::timestamptz) / 3600)`;
  const edges = sql.raw(`array[${DURATION_EDGES.join(',')}]::float8[]`);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('insightApplicationDurations').execute();
    await trx.deleteFrom('insightApplicationDays').execute();
    await trx.deleteFrom('insightTicketDays').execute();
    await sql`
      insert into insight_application_days (day, region_code, bundle_code, submitted, submitted_online,
        completed, completed_on_time, easy, duration_hours, saved_steps, saved_materials, saved_visits,
        waived_materials)
      select day, region_code, bundle_code, sum(submitted), sum(submitted_online), sum(completed),
        sum(completed_on_time), sum(easy), sum(duration_hours), sum(saved_steps), sum(saved_materials),
        sum(saved_visits), sum(waived_materials)
      from (
        select ${day} as day, region_code, payload->>'bundleCode' as bundle_code,
          1 as submitted, (payload->>'channel' = 'online')::int as submitted_online,
          0 as completed, 0 as completed_on_time, 0 as easy, 0::float8 as duration_hours,
          0 as saved_steps, 0 as saved_materials, 0 as saved_visits, 0 as waived_materials
        from domain_events where type = ${ROLLUP_EVENTS.submitted}
        union all
        select ${day}, region_code, payload->>'bundleCode', 0, 0, 1,
          coalesce((payload->>'onTime')::boolean, false)::int,
          (coalesce((payload->>'onTime')::boolean, false)
            and coalesce((payload->'savings'->>'committedVisits')::int, 1000000) <= 1)::int,
          coalesce(${hours}, 0),
          coalesce((payload->'savings'->>'steps')::int, 0),
          coalesce((payload->'savings'->>'materials')::int, 0),
          coalesce((payload->'savings'->>'visits')::int, 0),
          coalesce((payload->'savings'->>'waived')::int, 0)
        from domain_events where type = ${ROLLUP_EVENTS.completed}
      ) counted
      group by day, region_code, bundle_code`.execute(trx);
    await sql`
      insert into insight_application_durations (day, region_code, bundle_code, bucket, n)
      select ${day}, region_code, payload->>'bundleCode',
        coalesce((select min(i) - 1 from generate_subscripts(${edges}, 1) as i
                  where ${hours} <= (${edges})[i]), ${DURATION_EDGES.length}),
        count(*)
      from domain_events
      where type = ${ROLLUP_EVENTS.completed} and payload->>'submittedAt' is not null
      group by 1, 2, 3, 4`.execute(trx);
    await sql`
      insert into insight_ticket_days (day, region_code, category_code, closed, closed_on_time, rated, satisfied)
      select ${day}, region_code, coalesce(payload->>'categoryCode', 'unknown'), count(*),
        count(*) filter (where (payload->>'onTime')::boolean),
        count(*) filter (where payload->>'satisfaction' is not null),
        count(*) filter (where payload->>'satisfaction' in ('satisfied', 'basically_satisfied'))
      from domain_events where type = ${ROLLUP_EVENTS.ticketClosed}
      group by 1, 2, 3`.execute(trx);
  });
}
