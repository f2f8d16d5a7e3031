// The cockpit's weekly 12345 analysis over 2,000,000 tickets on PostgreSQL: counts, on-time rate and
// satisfaction by week, category and region for the last 13 weeks (about 90 days), read from the
// weekly rollups the platform keeps with every ticket write — against the same figures computed by a
// plain GROUP BY over the ticket table, in the same run, on the same data.
import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import {
  HotlineAnalysis,
  HotlineService,
  loadHotlineSettings,
  readProfiles,
  rebuildWeeklyStats,
  seedTaxonomy,
  weeklyFromRollups,
  weeklyFromTickets,
  type Analysis,
} from '../src/hotline';
import { DEFAULT_BUSINESS_HOURS } from '../src/platform/calendar';
import { CalendarService } from '../src/platform/calendar/service';
import { freshSchemaName, openDatabase, type Kdb } from '../src/platform/db/database';
import { migrate } from '../src/platform/db/migrate';
import { seedDemo } from '../src/platform/seed/demo';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
const BATCH = 250_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS || 21);
const BASELINE_ROUNDS = Number(process.env.BENCH_BASELINE_ROUNDS || 7);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * Loads `count` tickets spread over the last 365 days with one set-based statement per batch
 * (generate_series): leaf categories, counties and zones, channels and types in rotation, and
 * outcomes drawn with a fixed seed — about 88 % finished, 90 % of those on time, 80 % of them rated,
 * 3 % reopened, 10 % enterprise demands, 4 % repeat complaints.
 */
async function loadTickets(db: Kdb, count: number): Promise<void> {
  const categories = (
    await db
      .selectFrom('hotlineCategories')
      .select('code')
      .where('parentCode', 'is not', null)
      .execute()
  ).map((c) => c.code);
  const regions = (
    await db.selectFrom('regions').select('code').where('level', 'in', ['county', 'zone']).execute()
  ).map((r) => r.code);
  // The first ticket is what the repeats point at.
  await sql`select setseed(0.2025)`.execute(db);
  await sql`
    insert into hotline_tickets (id, number, track_code, channel, type, category_code, region_code,
      title, content, urgency, status, resolution, profile, created_at, updated_at)
    values (gen_random_uuid(), 'GB000000000000', 'B000000000', 'phone', 'complaint',
      ${categories[0]!}, ${regions[0]!}, '首件', '首件', 'normal', 'registered', null, 'standard',
      now() - interval '366 days', now() - interval '366 days')`.execute(db);
  const first = await db
    .selectFrom('hotlineTickets')
    .select('id')
    .where('number', '=', 'GB000000000000')
    .executeTakeFirstOrThrow();
  // Bulk-load practice: secondary indexes are dropped for the load and built again after it, which
  // is several times quicker than maintaining them row by row; unique keys stay.
  const indexes = await sql<{ name: string; definition: string }>`
    select i.indexname as name, i.indexdef as definition
    from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = 'hotline_tickets'
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db);
  for (const index of indexes.rows) await sql`drop index ${sql.id(index.name)}`.execute(db);
  for (let from = 1; from <= count; from += BATCH) {
    const to = Math.min(count, from + BATCH - 1);
    await db.transaction().execute(async (trx) => {
      // The generated rows are consistent by construction: skip the per-row foreign-key triggers.
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`
      insert into hotline_tickets (id, number, track_code, channel, type, category_code, region_code,
        address, title, content, urgency, enterprise, enterprise_name, requester_mobile, status,
        resolution, profile, round, lead_department_id, related_ticket_id, relation, reopen_count,
        finish_due_at, dispatched_at, replied_at, finished_at, on_time, satisfaction, closed_at,
        created_at, updated_at)
      select gen_random_uuid(), 'GB' || lpad(g::text, 12, '0'), 'B' || lpad(g::text, 9, '0'),
        (array['phone', 'web', 'app', 'mailbox', 'phone', 'phone'])[1 + g % 6],
        (array['complaint', 'help', 'consult', 'complaint', 'suggestion', 'report'])[1 + (g / 7) % 6],
        (${sql.val(categories)}::text[])[1 + floor(f.pick * ${categories.length})::int],
        (${sql.val(regions)}::text[])[1 + floor(f.place * ${regions.length})::int],
        '', '工单 ' || g, '批量载入的演示工单内容 ' || g, 'normal',
        g % 10 = 0, case when g % 10 = 0 then '演示企业' end,
        '1390631' || lpad((g % 10000)::text, 4, '0'),
        case when f.finished then 'closed' else 'handling' end,
        case when f.finished then 'handled' end,
        'standard', 1, null,
        case when f.roll < 0.04 then ${first.id}::uuid end,
        case when f.roll < 0.04 then 'repeat' end,
        case when f.roll between 0.04 and 0.07 then 1 else 0 end,
        c.at + interval '7 days', c.at + interval '1 hour',
        case when f.finished then c.at + interval '3 days' end,
        case when f.finished then c.at + interval '3 days' end,
        case when f.finished then random() < 0.9 end,
        case when f.finished and f.rated < 0.8 then
          (array['satisfied', 'satisfied', 'satisfied', 'basically_satisfied', 'unsatisfied'])[1 + floor(random() * 5)::int]
        end,
        case when f.finished then c.at + interval '4 days' end,
        c.at, c.at
      from generate_series(${from}::int, ${to}::int) g
        cross join lateral (select now() - random() * interval '365 days' + (g * 0) * interval '1 second' as at) c
        cross join lateral (
          select random() < 0.88 + (g * 0) as finished, random() + (g * 0) as roll,
            random() + (g * 0) as rated, random() + (g * 0) as pick, random() + (g * 0) as place
        ) f`.execute(trx);
    });
    process.stdout.write(`  loaded ${to.toLocaleString('en')} tickets\n`);
  }
  for (const index of indexes.rows) await sql.raw(index.definition).execute(db);
}

function same(a: Analysis, b: Analysis): boolean {
  return (
    isDeepStrictEqual(a.totals, b.totals) &&
    isDeepStrictEqual(a.weeks, b.weeks) &&
    isDeepStrictEqual(a.categories, b.categories) &&
    isDeepStrictEqual(a.regions, b.regions) &&
    isDeepStrictEqual(a.hot, b.hot)
  );
}

/** Prints the figures and, last, `BENCH hotline p50_ms=… baseline_p50_ms=… ratio=…`. */
export async function run(): Promise<void> {
  const count = Number(process.env.BENCH_TICKETS || 2_000_000);
  const url = process.env.DATABASE_URL || DEFAULT_URL;
  const db = await openDatabase({
    url,
    schema: freshSchemaName('bench_hotline'),
    dropSchemaOnClose: true,
    poolSize: 4,
  });
  try {
    await migrate(db.kysely);
    await seedDemo(db.kysely);
    await seedTaxonomy(db.kysely);
    console.log(`hotline: loading ${count.toLocaleString('en')} tickets into a fresh schema`);
    let began = performance.now();
    await loadTickets(db.kysely, count);
    const loadSeconds = (performance.now() - began) / 1000;
    // The rollups, built the way the platform rebuilds them (POST /api/hotline/analysis/rebuild):
    // one GROUP BY into hotline_weekly_stats. Every ticket write keeps them in step afterwards.
    began = performance.now();
    await db.kysely.transaction().execute((trx) => rebuildWeeklyStats(trx));
    const rollupSeconds = (performance.now() - began) / 1000;
    await sql`analyze hotline_tickets`.execute(db.kysely);
    await sql`analyze hotline_weekly_stats`.execute(db.kysely);
    const rollupRows = await db.kysely
      .selectFrom('hotlineWeeklyStats')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();

    const hotline = new HotlineService(
      db.kysely,
      new CalendarService(db.kysely, DEFAULT_BUSINESS_HOURS),
      readProfiles(),
      loadHotlineSettings({}),
    );
    const analysis = new HotlineAnalysis(db.kysely, hotline);
    const query = { weeks: 13 };
    const fast = () => analysis.analysis(null, query, weeklyFromRollups);
    const baseline = () => analysis.analysis(null, query, weeklyFromTickets);

    // Both must give the same figures before either is timed.
    const a = await fast();
    const b = await baseline();
    if (!same(a, b)) throw new Error('the rollups and the GROUP BY disagree');
    const inRange = a.totals.received;

    const time = async (work: () => Promise<unknown>) => {
      const t = performance.now();
      await work();
      return performance.now() - t;
    };
    for (let i = 0; i < 3; i++) await time(fast);
    await time(baseline);
    const fastTimes: number[] = [];
    const baselineTimes: number[] = [];
    // Interleaved, so that drift on a noisy machine hits both alike.
    for (let i = 0; i < ROUNDS; i++) {
      fastTimes.push(await time(fast));
      if (i < BASELINE_ROUNDS) baselineTimes.push(await time(baseline));
    }
    const queryTimes: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      queryTimes.push(await time(() => weeklyFromRollups(db.kysely, a.fromWeek, a.toWeek, null)));
    }
    const p50 = median(fastTimes);
    const baselineP50 = median(baselineTimes);
    console.log(
      `hotline: ${count.toLocaleString('en')} tickets loaded in ${loadSeconds.toFixed(1)} s; ` +
        `rollups (${rollupRows.n.toLocaleString('en')} rows) built in ${rollupSeconds.toFixed(1)} s`,
    );
    console.log(
      `hotline: weeks ${a.fromWeek}..${a.toWeek}, ${inRange.toLocaleString('en')} tickets in range, ` +
        `${a.categories.length} categories × ${a.regions.length} regions; same figures both ways`,
    );
    console.log(
      `hotline: analysis from rollups p50 ${p50.toFixed(2)} ms (${ROUNDS} runs, min ${Math.min(...fastTimes).toFixed(2)}); ` +
        `GROUP BY over tickets p50 ${baselineP50.toFixed(1)} ms (${BASELINE_ROUNDS} runs); ` +
        `of which reading the rollup rows p50 ${median(queryTimes).toFixed(2)} ms`,
    );
    console.log(
      `BENCH hotline p50_ms=${p50.toFixed(2)} baseline_p50_ms=${baselineP50.toFixed(1)} ratio=${(baselineP50 / p50).toFixed(1)}`,
    );
  } finally {
    await db.close();
  }
}
