// The warning sweep over 1,000,000 open department cases on PostgreSQL, 1,000 of them due for a
// warning at the sweep instant: the platform's query (`dueForAlert`, a range read of the partial
// index on alert_at) against a plain sequential scan that evaluates warn_at and committed_due_at
// against the instant for every open case — in the same run, on the same data, same rows found.
import { randomUUID } from 'node:crypto';
import { sql, type Compilable, type Kysely } from 'kysely';
import { BundleService } from '../src/bundles';
import { CatalogService } from '../src/catalog';
import { ApplicationService, CaseService, eicarScanner, warningLevel } from '../src/cases';
import { ALERT_COLUMNS, dueForAlert, type AlertRow } from '../src/cases/department-store';
import { OPENING_ANSWERS, OPENING_PLEDGES, openingData } from '../src/cases/samples';
import type { Actor, Role } from '../src/platform/auth/model';
import { DEFAULT_BUSINESS_HOURS } from '../src/platform/calendar';
import { CalendarService } from '../src/platform/calendar/service';
import { freshSchemaName, openDatabase, type Kdb, type Tx } from '../src/platform/db/database';
import { migrate } from '../src/platform/db/migrate';
import type { Database } from '../src/platform/db/schema';
import { seedDemoData } from '../src/server';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
const DUE = 1_000;
const BATCH = 250_000;
const SWEEP_BATCH = 1_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS || 15);
const FULL_ROUNDS = Number(process.env.BENCH_FULL_ROUNDS || 3);
const META = { ip: '127.0.0.1', requestId: 'bench-sla', userAgent: null };

type CaseRow = AlertRow;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** The demo enterprise as an actor of the application service. */
async function enterpriseActor(db: Kdb): Promise<Actor> {
  const u = await db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', 'enterprise')
    .executeTakeFirstOrThrow();
  return {
    userId: u.id,
    username: u.username,
    role: u.role as Role,
    regionCode: u.regionCode,
    departmentId: u.departmentId,
    subjectId: u.subjectId,
  };
}

/**
 * Loads `count` open cases with one set-based statement per batch, pointing at a few real accepted
 * applications (member keys `bench-<n>` keep them unique per application). Every `count / DUE`-th
 * case is due for a warning at `now`: four in five have passed their warning instant unrecorded,
 * one in five was yellow and has passed its committed due. The others spread over the coming six
 * weeks: 80 % running with their warning ahead, 10 % yellow already recorded and not yet overdue,
 * 4 % red already recorded (nothing left to record), 6 % with the clock stopped (补正, 听证).
 */
async function loadCases(db: Kdb, count: number, now: Date, applications: string[]) {
  const regions = (
    await db.selectFrom('regions').select('code').where('level', 'in', ['county', 'zone']).execute()
  ).map((r) => r.code);
  const departments = (await db.selectFrom('departments').select('code').execute()).map(
    (d) => d.code,
  );
  const step = Math.floor(count / DUE);
  // Bulk-load practice: secondary indexes are dropped for the load and built again after it.
  const indexes = await sql<{ name: string; definition: string }>`
    select i.indexname as name, i.indexdef as definition
    from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = 'cases'
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db);
  for (const index of indexes.rows) await sql`drop index ${sql.id(index.name)}`.execute(db);
  await sql`select setseed(0.2026)`.execute(db);
  for (let from = 1; from <= count; from += BATCH) {
    const to = Math.min(count, from + BATCH - 1);
    await db.transaction().execute(async (trx) => {
      // The generated rows are consistent by construction: skip the per-row foreign-key triggers.
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`
      insert into cases (id, application_id, member_key, region_code, item_code, item_version,
        department_code, state, after_members, inputs, results, committed_limit, statutory_limit,
        started_at, committed_due_at, statutory_due_at, warn_at, due_provisional, warning,
        alert_at, reviewer_id, version, created_at, updated_at, finished_at)
      select gen_random_uuid(),
        (${sql.val(applications)}::uuid[])[1 + g % ${applications.length}],
        'bench-' || g,
        (${sql.val(regions)}::text[])[1 + g % ${regions.length}],
        'ITEM-' || lpad((g % 400)::text, 4, '0'), 1,
        (${sql.val(departments)}::text[])[1 + (g / 3) % ${departments.length}],
        k.state, '[]'::jsonb, jsonb_build_object('answers', '{}'::jsonb, 'data', jsonb_build_object('n', g)),
        null,
        jsonb_build_object('value', d.days, 'unit', 'workdays'),
        jsonb_build_object('value', d.days * 4, 'unit', 'workdays'),
        t.started_at, t.committed_due_at,
        case when t.committed_due_at is not null then t.committed_due_at + d.days * 3 * interval '1 day' end,
        t.warn_at, false, k.warning,
        case k.warning
          when 'none' then t.warn_at
          when 'yellow' then t.committed_due_at + interval '1 millisecond'
        end,
        null, 1, t.started_at, t.started_at, null
      from generate_series(${from}::int, ${to}::int) g
        cross join lateral (
          select random() + (g * 0) as kind, random() + (g * 0) as u, random() + (g * 0) as v,
            1 + floor(random() * 20)::int + (g * 0) as days
        ) d
        cross join lateral (
          select case
              when g % ${step} = 0 and g / ${step} <= ${DUE} then
                case when d.kind < 0.8 then 'due_warn' else 'due_red' end
              when d.kind < 0.80 then 'ahead'
              when d.kind < 0.90 then 'yellow'
              when d.kind < 0.94 then 'red'
              else 'stopped'
            end as class
        ) c
        cross join lateral (
          select
            case c.class
              when 'stopped' then (array['suspended', 'returned_for_correction'])[1 + g % 2]
              else (array['pending', 'accepted', 'in_review', 'in_review'])[1 + g % 4]
            end as state,
            case c.class
              when 'ahead' then 'none' when 'due_warn' then 'none' when 'stopped' then 'none'
              when 'red' then 'red' else 'yellow'
            end as warning
        ) k
        cross join lateral (
          select started_at, committed_due_at,
            case when committed_due_at is not null then
              case c.class
                -- the warning instant, a fifth of the span before the committed due
                when 'ahead' then greatest(${now}::timestamptz + interval '1 minute',
                  committed_due_at - (committed_due_at - started_at) / 5)
                when 'due_warn' then ${now}::timestamptz - d.v * interval '3 days'
                when 'yellow' then least(${now}::timestamptz - interval '1 minute',
                  committed_due_at - (committed_due_at - started_at) / 5)
                else committed_due_at - (committed_due_at - started_at) / 5
              end
            end as warn_at
          from (
            -- started up to 15 days ago, and at least the limit's days before the committed due
            select least(${now}::timestamptz - d.u * interval '15 days',
                s0.committed_due_at - (d.days + 2) * interval '1 day') as started_at,
              s0.committed_due_at
            from (select case c.class
                when 'ahead' then ${now}::timestamptz + interval '1 hour' + d.v * interval '42 days'
                when 'yellow' then ${now}::timestamptz + interval '1 hour' + d.v * interval '4 days'
                when 'red' then ${now}::timestamptz - interval '1 hour' - d.v * interval '10 days'
                when 'due_warn' then ${now}::timestamptz - d.v * interval '3 days' + interval '4 days'
                when 'due_red' then ${now}::timestamptz - interval '1 minute' - d.v * interval '2 days'
              end as committed_due_at) s0
          ) s
        ) t`.execute(trx);
    });
    process.stdout.write(`  loaded ${to.toLocaleString('en')} cases\n`);
  }
  for (const index of indexes.rows) await sql.raw(index.definition).execute(db);
}

/** The baseline: every open case's warn_at and committed_due_at evaluated against the instant. */
function scanQuery(db: Kdb | Tx, now: Date, limit: number) {
  return db
    .selectFrom('cases')
    .select(ALERT_COLUMNS)
    .where('finishedAt', 'is', null)
    .where('committedDueAt', 'is not', null)
    .where((eb) =>
      eb.or([
        // nothing recorded yet and the warning instant has passed
        eb.and([eb('warning', '=', 'none'), eb('warnAt', '<=', now)]),
        // not red yet and the committed due has passed
        eb.and([eb('warning', '<>', 'red'), eb('committedDueAt', '<', now)]),
      ]),
    )
    .orderBy('alertAt')
    .limit(limit)
    .forUpdate()
    .skipLocked();
}

/** The SQL `dueForAlert` runs (department-store.ts), for EXPLAIN only; the timing calls the real one. */
function sweepQuery(db: Kdb | Tx, now: Date, limit: number) {
  return db
    .selectFrom('cases')
    .select(ALERT_COLUMNS)
    .where('alertAt', 'is not', null)
    .where('alertAt', '<=', now)
    .orderBy('alertAt')
    .limit(limit)
    .forUpdate()
    .skipLocked();
}

/**
 * Runs `find` in a transaction that is rolled back (the sweep locks the rows it finds), timing only
 * the query; `setup` runs first, untimed.
 */
async function timed(
  db: Kysely<Database>,
  find: (trx: Tx) => Promise<CaseRow[]>,
  setup?: (trx: Tx) => Promise<void>,
): Promise<{ ms: number; rows: CaseRow[] }> {
  const trx = await db.startTransaction().execute();
  try {
    if (setup) await setup(trx);
    const began = performance.now();
    const rows = await find(trx);
    return { ms: performance.now() - began, rows };
  } finally {
    await trx.rollback().execute();
  }
}

const noIndexes = async (trx: Tx) => {
  await sql`set local enable_indexscan = off`.execute(trx);
  await sql`set local enable_bitmapscan = off`.execute(trx);
  await sql`set local enable_indexonlyscan = off`.execute(trx);
};

/** The plan's scan node and the server's execution time in ms, from EXPLAIN ANALYZE. */
async function explain(db: Kysely<Database>, query: (trx: Tx) => Compilable, seq: boolean) {
  const trx = await db.startTransaction().execute();
  try {
    if (seq) await noIndexes(trx);
    const result = await sql<{
      'QUERY PLAN': string;
    }>`explain (analyze) ${query(trx)}`.execute(trx);
    const lines = result.rows.map((r) => r['QUERY PLAN']);
    const scan = lines.find((l) => /Scan/.test(l))?.trim() ?? lines[0] ?? '';
    const exec = /Execution Time: ([\d.]+)/.exec(lines.join('\n'));
    return {
      plan: scan.replace(/\s+\(cost=.*$/, '').replace(/^->\s*/, ''),
      ms: exec ? Number(exec[1]) : NaN,
    };
  } finally {
    await trx.rollback().execute();
  }
}

/** Prints the figures and, last, `BENCH sla sweep_ms=… baseline_ms=… ratio=…`. */
export async function run(): Promise<void> {
  const count = Number(process.env.BENCH_CASES || 1_000_000);
  if (count < DUE) throw new Error(`BENCH_CASES must be at least ${DUE}`);
  const url = process.env.DATABASE_URL || DEFAULT_URL;
  const db = await openDatabase({
    url,
    schema: freshSchemaName('bench_sla'),
    dropSchemaOnClose: true,
    poolSize: 4,
  });
  try {
    const k = db.kysely;
    await migrate(k);
    await seedDemoData(db);
    const catalog = new CatalogService(k);
    const calendars = new CalendarService(k, DEFAULT_BUSINESS_HOURS);
    const applications = new ApplicationService(
      k,
      new BundleService(k, catalog, calendars),
      catalog,
      calendars,
      eicarScanner,
    );
    // A few real accepted enterprise openings for the cases to belong to (foreign keys hold).
    const enterprise = await enterpriseActor(k);
    const anchors: string[] = [];
    for (let n = 1; n <= 4; n++) {
      // a JSON copy: the service takes mutable answers, the samples are read-only
      const input = JSON.parse(
        JSON.stringify({
          bundleCode: 'enterprise-opening',
          answers: OPENING_ANSWERS,
          data: openingData(n),
          pledges: OPENING_PLEDGES,
          submit: true,
        }),
      ) as Parameters<ApplicationService['create']>[2];
      const { application } = await applications.create(enterprise, randomUUID(), input, META);
      anchors.push(application.id);
    }
    // The sweep instant; the demo's own cases (anchors') are left as the platform made them.
    const now = new Date();
    console.log(`sla: loading ${count.toLocaleString('en')} open cases into a fresh schema`);
    let began = performance.now();
    await loadCases(k, count, now, anchors);
    const loadSeconds = (performance.now() - began) / 1000;
    began = performance.now();
    await sql`analyze cases`.execute(k);
    const analyzeSeconds = (performance.now() - began) / 1000;
    const size = await sql<{ n: string; table: string; alert: string }>`
      select (select count(*) from cases where finished_at is null)::text as n,
        pg_size_pretty(pg_table_size('cases')) as table,
        pg_size_pretty(pg_relation_size('cases_alert_idx')) as alert`.execute(k);

    const sweep = (trx: Tx) => dueForAlert(trx, now, SWEEP_BATCH);
    const baseline = (trx: Tx) => scanQuery(trx, now, SWEEP_BATCH).execute();
    // Both must find the same cases before either is timed; the demo's own cases are not due yet.
    const a = await timed(k, sweep);
    const b = await timed(k, baseline, noIndexes);
    const ids = (rows: CaseRow[]) => rows.map((r) => r.id).sort();
    const same = JSON.stringify(ids(a.rows)) === JSON.stringify(ids(b.rows));
    if (!same || a.rows.length !== DUE) {
      throw new Error(
        `the sweep found ${a.rows.length} cases, the scan ${b.rows.length}; same ids: ${same}`,
      );
    }
    const levels = a.rows.map((r) => warningLevel(r, now));
    const toRed = levels.filter((l) => l === 'red').length;

    for (let i = 0; i < 3; i++) await timed(k, sweep);
    await timed(k, baseline, noIndexes);
    const sweepTimes: number[] = [];
    const baselineTimes: number[] = [];
    // Interleaved, so that drift on a noisy machine hits both alike.
    for (let i = 0; i < ROUNDS; i++) {
      sweepTimes.push((await timed(k, sweep)).ms);
      baselineTimes.push((await timed(k, baseline, noIndexes)).ms);
    }
    const sweepMs = median(sweepTimes);
    const baselineMs = median(baselineTimes);

    // The whole sweep as the platform runs it (batches of 500: lock, update, events, audit), reset
    // between runs: a context figure, not part of the ratio.
    await sql`create table bench_sla_due as
      select id, warning, alert_at from cases where alert_at <= ${now}`.execute(k);
    const service = new CaseService(k, calendars, applications);
    const fullTimes: number[] = [];
    for (let i = 0; i < FULL_ROUNDS; i++) {
      const t = performance.now();
      const result = await service.sweepWarnings(now, null, META);
      fullTimes.push(performance.now() - t);
      if (result.yellow + result.red !== DUE) {
        throw new Error(`sweepWarnings recorded ${result.yellow + result.red} cases`);
      }
      await sql`update cases c set warning = d.warning, alert_at = d.alert_at, version = 1
        from bench_sla_due d where c.id = d.id`.execute(k);
      await sql`delete from case_events where case_id in (select id from bench_sla_due)`.execute(k);
    }

    // Context, not part of the ratio: the same two queries timed by the server (EXPLAIN ANALYZE,
    // so without sending and decoding the rows).
    const serverSweep: number[] = [];
    const serverScan: number[] = [];
    let sweepPlan = '';
    let scanPlan = '';
    for (let i = 0; i < 5; i++) {
      const x = await explain(k, (trx) => sweepQuery(trx, now, SWEEP_BATCH), false);
      const y = await explain(k, (trx) => scanQuery(trx, now, SWEEP_BATCH), true);
      serverSweep.push(x.ms);
      serverScan.push(y.ms);
      sweepPlan = x.plan;
      scanPlan = y.plan;
    }
    const row = size.rows[0]!;
    console.log(
      `sla: ${Number(row.n).toLocaleString('en')} open cases loaded in ${loadSeconds.toFixed(1)} s ` +
        `(indexes rebuilt), ANALYZE ${analyzeSeconds.toFixed(1)} s; table ${row.table}, ` +
        `partial index on alert_at ${row.alert}`,
    );
    console.log(
      `sla: at the sweep instant ${DUE} cases are due (${DUE - toRed} turn yellow, ${toRed} turn red); ` +
        `both ways find the same ${DUE} ids`,
    );
    const fmt = (values: number[]) => values.map((v) => v.toFixed(1)).join(', ');
    console.log(
      `sla: dueForAlert (batch ${SWEEP_BATCH}, FOR UPDATE SKIP LOCKED) p50 ${sweepMs.toFixed(2)} ms ` +
        `(${ROUNDS} runs: ${fmt(sweepTimes)})`,
    );
    console.log(`     plan: ${sweepPlan}`);
    console.log(
      `sla: sequential scan over every open case p50 ${baselineMs.toFixed(1)} ms ` +
        `(${ROUNDS} runs: ${fmt(baselineTimes)})`,
    );
    console.log(`     plan: ${scanPlan}`);
    console.log(
      `sla: server-side (EXPLAIN ANALYZE, 5 runs) sweep p50 ${median(serverSweep).toFixed(2)} ms, ` +
        `sequential scan p50 ${median(serverScan).toFixed(1)} ms, ratio ` +
        `${(median(serverScan) / median(serverSweep)).toFixed(0)}`,
    );
    console.log(
      `sla: whole CaseService.sweepWarnings (${DUE} cases recorded: updates, events, audit) p50 ` +
        `${median(fullTimes).toFixed(1)} ms (${FULL_ROUNDS} runs, reset between)`,
    );
    console.log(
      `BENCH sla sweep_ms=${sweepMs.toFixed(2)} baseline_ms=${baselineMs.toFixed(1)} ratio=${(baselineMs / sweepMs).toFixed(1)}`,
    );
  } finally {
    await db.close();
  }
}
