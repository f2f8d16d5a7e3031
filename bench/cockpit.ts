// The cockpit's indicator set for one month and one region (src/insight): read from the daily
// rollups (`indicatorsOf`), against computing the same figures straight from the stored records —
// 5,000,000 applications (each submitted and completed) and 2,000,000 closed 12345 tickets, as
// the domain events the capabilities publish — in the same run on PostgreSQL, figures asserted
// equal. The rollups are built by the platform's own rebuild (`rebuildRollups`), timed as context.
import { sql } from 'kysely';
import { indicatorsOf, rebuildRollups } from '../src/insight';
import { DURATION_EDGES, figures, type ApplicationSums } from '../src/insight/indicators';
import { openDatabase, type Db } from '../src/platform/db/database';
import { migrate } from '../src/platform/db/migrate';

const CASES = Number(process.env.BENCH_CASES || 5_000_000);
const TICKETS = Number(process.env.BENCH_TICKETS || 2_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 21);
const URL_ = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

const CITY = '371000';
const DISTRICTS = ['371002', '371003', '371082', '371083', '371071', '371072', '371073'];
const BUNDLES = [
  'enterprise-opening',
  'employee-hiring',
  'business-closure',
  'property-transfer',
  'birth',
  'retirement',
  'after-death',
  'restaurant-licence',
  'utilities-connection',
  'base-station-5g',
];
const CATEGORIES = 40;
/** The records span this year; the cockpit asks for one month of one district. */
const YEAR_START = '2025-01-01';
const MONTH = { from: '2025-06-01', to: '2025-06-30' };
const REGION = '371002';

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function generate(db: Db) {
  const k = db.kysely;
  await k
    .insertInto('regions')
    .values({
      code: '370000',
      nameZh: '山东省',
      nameEn: 'Shandong',
      parentCode: null,
      level: 'province',
    })
    .execute();
  await k
    .insertInto('regions')
    .values({ code: CITY, nameZh: '威海市', nameEn: 'Weihai', parentCode: '370000', level: 'city' })
    .execute();
  await k
    .insertInto('regions')
    .values(
      DISTRICTS.map((code) => ({
        code,
        nameZh: code,
        nameEn: code,
        parentCode: CITY,
        level: 'county' as const,
      })),
    )
    .execute();
  const regions = sql.raw(`array[${DISTRICTS.map((d) => `'${d}'`).join(',')}]`);
  const bundles = sql.raw(`array[${BUNDLES.map((b) => `'${b}'`).join(',')}]`);
  // submitted at a pseudo-random instant of the year, completed 0.1–300 hours later; on time
  // 90 %, online 70 %, committed visits 0–2
  const step = 1_000_000;
  for (let start = 1; start <= CASES; start += step) {
    const end = Math.min(CASES, start + step - 1);
    await sql`
      insert into domain_events (type, key, region_code, payload, occurred_at)
      select 'cases.application_submitted', 'a' || g, (${regions})[1 + g % 7],
        jsonb_build_object('bundleCode', (${bundles})[1 + (g / 7) % 10],
          'channel', case when g % 10 < 7 then 'online' else 'window' end),
        ${YEAR_START}::timestamptz + ((g::bigint * 7919) % 31536000) * interval '1 second'
      from generate_series(${start}::int, ${end}::int) g`.execute(k);
    await sql`
      insert into domain_events (type, key, region_code, payload, occurred_at)
      select 'cases.application_completed', 'a' || g, (${regions})[1 + g % 7],
        jsonb_build_object('bundleCode', (${bundles})[1 + (g / 7) % 10],
          'submittedAt', to_char((${YEAR_START}::timestamptz + ((g::bigint * 7919) % 31536000) * interval '1 second')
            at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
          'onTime', g % 10 <> 0,
          'savings', jsonb_build_object('steps', g % 5, 'materials', g % 9, 'visits', g % 4,
            'waived', g % 2, 'committedVisits', g % 3)),
        ${YEAR_START}::timestamptz + ((g::bigint * 7919) % 31536000) * interval '1 second'
          + (0.1 + (g % 3000) / 10.0) * interval '1 hour'
      from generate_series(${start}::int, ${end}::int) g`.execute(k);
  }
  for (let start = 1; start <= TICKETS; start += step) {
    const end = Math.min(TICKETS, start + step - 1);
    await sql`
      insert into domain_events (type, key, region_code, payload, occurred_at)
      select 'hotline.ticket_closed', 't' || g, (${regions})[1 + g % 7],
        jsonb_build_object('categoryCode', 'c' || (g % ${CATEGORIES}), 'onTime', g % 20 <> 0,
          'satisfaction', case when g % 4 = 0 then null when g % 50 = 1 then 'unsatisfied'
            else 'satisfied' end),
        ${YEAR_START}::timestamptz + ((g::bigint * 104729) % 31536000) * interval '1 second'
      from generate_series(${start}::int, ${end}::int) g`.execute(k);
  }
  await sql`analyze domain_events`.execute(k);
}

/** The same figures computed straight from the events of the month and region. */
async function fromRecords(db: Db, from: string, to: string, regions: readonly string[]) {
  const k = db.kysely;
  const inPeriod = sql`occurred_at >= (${from}::date)::timestamp at time zone 'Asia/Shanghai'
    and occurred_at < (${to}::date + 1)::timestamp at time zone 'Asia/Shanghai'
    and region_code in (${sql.join(regions)})`;
  const edges = sql.raw(`array[${DURATION_EDGES.join(',')}]::float8[]`);
  const hours = sql`greatest(0, extract(epoch from occurred_at - (payload->>'submittedAt')::timestamptz) / 3600)`;
  const [submitted, completed, durations, tickets] = await Promise.all([
    sql<{ submitted: number; online: number }>`
      select count(*)::int as submitted, count(*) filter (where payload->>'channel' = 'online')::int as online
      from domain_events where type = 'cases.application_submitted' and ${inPeriod}`.execute(k),
    sql<Record<string, number>>`
      select count(*)::int as completed,
        count(*) filter (where (payload->>'onTime')::boolean)::int as on_time,
        count(*) filter (where (payload->>'onTime')::boolean
          and (payload->'savings'->>'committedVisits')::int <= 1)::int as easy,
        coalesce(sum(${hours}), 0)::float8 as hours,
        coalesce(sum((payload->'savings'->>'steps')::int), 0)::int as steps,
        coalesce(sum((payload->'savings'->>'materials')::int), 0)::int as materials,
        coalesce(sum((payload->'savings'->>'visits')::int), 0)::int as visits,
        coalesce(sum((payload->'savings'->>'waived')::int), 0)::int as waived
      from domain_events where type = 'cases.application_completed' and ${inPeriod}`.execute(k),
    sql<{ bucket: number; n: number }>`
      select coalesce((select min(i) - 1 from generate_subscripts(${edges}, 1) as i
               where ${hours} <= (${edges})[i]), ${DURATION_EDGES.length}) as bucket, count(*)::int as n
      from domain_events where type = 'cases.application_completed' and ${inPeriod}
      group by 1`.execute(k),
    sql<Record<string, number>>`
      select count(*)::int as closed, count(*) filter (where (payload->>'onTime')::boolean)::int as on_time,
        count(*) filter (where payload->>'satisfaction' is not null)::int as rated,
        count(*) filter (where payload->>'satisfaction' in ('satisfied', 'basically_satisfied'))::int as satisfied
      from domain_events where type = 'hotline.ticket_closed' and ${inPeriod}`.execute(k),
  ]);
  const s = submitted.rows[0]!;
  const c = completed.rows[0]!;
  const t = tickets.rows[0]!;
  const sums: ApplicationSums = {
    submitted: s.submitted,
    submittedOnline: s.online,
    completed: c.completed!,
    completedOnTime: c.onTime!,
    easy: c.easy!,
    durationHours: c.hours!,
    savedSteps: c.steps!,
    savedMaterials: c.materials!,
    savedVisits: c.visits!,
    waivedMaterials: c.waived!,
  };
  return figures(sums, new Map(durations.rows.map((r) => [Number(r.bucket), r.n])), {
    closed: t.closed!,
    closedOnTime: t.onTime!,
    rated: t.rated!,
    satisfied: t.satisfied!,
  });
}

export async function run(): Promise<void> {
  const schema = `bench_cockpit_${process.pid}`;
  const db = await openDatabase({ url: URL_, schema, dropSchemaOnClose: true });
  try {
    await migrate(db.kysely);
    console.log(
      `cockpit: ${CASES.toLocaleString('en')} applications, ${TICKETS.toLocaleString('en')} tickets on PostgreSQL (schema ${schema})`,
    );
    let began = process.hrtime.bigint();
    await generate(db);
    console.log(`  records generated in ${(ms(began) / 1000).toFixed(1)} s`);
    began = process.hrtime.bigint();
    await rebuildRollups(db.kysely);
    const rows = await sql<{
      n: number;
    }>`select count(*)::int as n from insight_application_days`.execute(db.kysely);
    console.log(
      `  rollups rebuilt from the records in ${(ms(began) / 1000).toFixed(1)} s (${rows.rows[0]!.n.toLocaleString('en')} application-day rows)`,
    );
    const regions = [REGION];
    // equal figures first (hours summed in a different order may differ in the last bits)
    const fast = await indicatorsOf(db.kysely, MONTH.from, MONTH.to, regions);
    const slow = await fromRecords(db, MONTH.from, MONTH.to, regions);
    for (const [key, value] of Object.entries(slow)) {
      const got = fast.figures[key as keyof typeof slow];
      const same =
        typeof value === 'number' && typeof got === 'number'
          ? Math.abs(got - value) <= 1e-6
          : got === value;
      if (!same || (typeof value === 'number' && Number.isNaN(value)))
        throw new Error(
          `cockpit: ${key} is ${String(got)} from the rollups, ${String(value)} from the records`,
        );
    }
    console.log(`  figures equal: ${JSON.stringify(slow)}`);
    const fastMs: number[] = [];
    const slowMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      began = process.hrtime.bigint();
      await indicatorsOf(db.kysely, MONTH.from, MONTH.to, regions);
      fastMs.push(ms(began));
      if (round % 3 === 0) {
        began = process.hrtime.bigint();
        await fromRecords(db, MONTH.from, MONTH.to, regions);
        slowMs.push(ms(began));
      }
    }
    const p50 = median(fastMs);
    const base = median(slowMs);
    console.log(
      `  indicator set from the rollups: p50 ${p50.toFixed(1)} ms over ${fastMs.length} loads ` +
        `(also the breakdowns by bundle, region and day); from the records: p50 ${base.toFixed(1)} ms over ${slowMs.length}`,
    );
    console.log(
      `BENCH cockpit p50_ms=${p50.toFixed(1)} baseline_p50_ms=${base.toFixed(1)} ratio=${(base / p50).toFixed(1)}`,
    );
  } finally {
    await db.close();
  }
}
