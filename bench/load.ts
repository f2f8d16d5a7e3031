// A mixed, realistic workload against one real platform process on PostgreSQL — hall browsing,
// guidance, enterprise-opening submissions, reviewers' case actions, 12345 ticket intake and
// cockpit reads — from a fixed number of keep-alive connections (default 200), against the same
// server's plain `GET /api/health` over the same connections in the same run. The figures are the
// highest rate the mix can be offered, paced over those connections, with p99 within the aim and
// no errors (a closed loop that never pauses is saturated by construction; it is printed as
// context). The load generator and the server share the machine: what the clients spend is taken
// from the server.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import { useDataKey } from '../src/platform/crypto';
import { freshSchemaName, openDatabase, type Db } from '../src/platform/db/database';
import { migrate } from '../src/platform/db/migrate';
import { seedDemoData } from '../src/server';
import { OPENING_ANSWERS, OPENING_PLEDGES, openingData } from '../src/cases/samples';
import { startChildServer, type ChildServer } from '../test/support/child-server';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 200);
/** Seconds of the mixed workload and of health checks, split over alternating rounds. */
const MIX_SECONDS = Number(process.env.BENCH_SECONDS || 30);
const HEALTH_SECONDS = Number(process.env.BENCH_HEALTH_SECONDS || 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS || 5);
/** Seconds per kind of request of the optional profile: each kind alone, CPU per request (0 skips). */
const PROFILE_SECONDS = Number(process.env.BENCH_PROFILE_SECONDS || 0);
/** Seconds of each paced run of the search for the highest rate that keeps the aim. */
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS || 10);
/** Paced runs in the search (after the first at half the saturated throughput). */
const SEARCH_STEPS = Number(process.env.BENCH_SEARCH_STEPS || 6);
/** Paced runs at the rate found, whose medians are the figures. */
const CONFIRM_ROUNDS = Number(process.env.BENCH_CONFIRM_ROUNDS || 3);
/** Rates confirmed at most: the one found, then a tenth lower each time its medians miss the aim. */
const CONFIRM_STEPS = Number(process.env.BENCH_CONFIRM_STEPS || 6);
/** The aims of the issue: p99 at 200 connections, no errors. */
const AIM_P99_MS = 150;
const SEED = 20261123;
/** The server's pool of PostgreSQL connections (openDatabase's default; no setting changes it). */
const SERVER_POOL = 10;

/** The reviewer's steps through a case, in order (the release of waiting cases comes last). */
const CASE_STEPS = ['accept', 'start-review', 'approve', 'issue-result'] as const;
const SEARCHES = [
  '开公司',
  '营业执照',
  '新生儿上户口',
  '过户',
  '通水电',
  '社保',
  '退休',
  '餐饮',
  '公积金',
  '不动产登记',
  'social insurance',
  '医保',
];
const DISTRICTS = ['371002', '371003', '371082', '371083'];
const COMPLAINTS = [
  '路口垃圾桶满溢多日无人清运，气味很大，请尽快处理。',
  '小区门前道路井盖破损，夜间行人容易绊倒，请派人维修。',
  '楼下餐馆油烟直排，影响居民开窗通风，希望有关部门查处。',
  '公交站台照明损坏一周，晚上候车很不安全，请尽快修复。',
  '施工工地夜间十点后仍在作业，噪声扰民，请予以制止。',
  '咨询新生儿办理医保和社保卡需要准备哪些材料。',
];

/** One request to send. */
interface Spec {
  method: 'GET' | 'POST';
  path: string;
  cookie?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One reply as the clients read it: status 0 when the connection failed. */
interface Reply {
  status: number;
  body: Buffer;
}

/** A request chosen for a connection, with what to do with its reply. */
interface Planned {
  kind: string;
  spec: Spec;
  onReply?: (reply: Reply) => void;
}

/** A kind of request in the mix and its share. */
interface Op {
  kind: string;
  group: string;
  weight: number;
  plan(): Planned;
}

/** A department case a reviewer is walking through its steps; held by one connection at a time. */
interface OpenCase {
  id: string;
  cookie: string;
  step: number;
}

/** What the run knows about the seeded platform, gathered before timing. */
interface Fixtures {
  itemCodes: string[];
  itemAnswers: Map<string, Record<string, string[]>>;
  bundleCodes: string[];
  bundleAnswers: Map<string, Record<string, string[]>>;
  categories: string[];
  cookies: { enterprise: string; operator: string; supervisor: string };
  reviewers: Map<string, string>;
}

/** Latencies and failures of one kind of request. */
interface Tally {
  ms: number[];
  errors: number;
  samples: string[];
}

// ------------------------------------------------------------------------------------------------
// Pure helpers

/** A small seeded generator (mulberry32): the mix is the same from run to run. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The value at quantile q of ascending `sorted` (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** Picks an entry by weight with a uniform draw in [0, 1). */
export function pickWeighted<T extends { weight: number }>(entries: readonly T[], u: number): T {
  const total = entries.reduce((sum, e) => sum + e.weight, 0);
  let left = u * total;
  for (const entry of entries) {
    left -= entry.weight;
    if (left < 0) return entry;
  }
  return entries[entries.length - 1]!;
}

/** Answers to a questionnaire: for each situation one of its answers, chosen by `u`. */
function answersFor(
  situations: readonly { key: string; answers: readonly { key: string }[] }[],
  u: () => number,
): Record<string, string[]> {
  return Object.fromEntries(
    situations.map((s) => [s.key, [s.answers[Math.floor(u() * s.answers.length)]!.key]]),
  );
}

/** A Beijing calendar day `days` before `now`, as YYYY-MM-DD. */
function beijingDay(now: Date, days: number): string {
  return new Date(now.getTime() + 8 * 3_600_000 - days * 86_400_000).toISOString().slice(0, 10);
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

// ------------------------------------------------------------------------------------------------
// HTTP over keep-alive connections

/** Sends one request over the agent's connections; the whole reply is read. */
function send(agent: http.Agent, base: URL, spec: Spec): Promise<Reply> {
  return new Promise((resolve) => {
    const payload = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body));
    const headers: Record<string, string | number> = { ...spec.headers };
    if (spec.cookie) headers.cookie = spec.cookie;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    const request = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: spec.method,
        path: spec.path,
        headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }),
        );
        response.on('error', () => resolve({ status: 0, body: Buffer.alloc(0) }));
      },
    );
    request.on('error', (error) => resolve({ status: 0, body: Buffer.from(String(error)) }));
    request.end(payload);
  });
}

async function json<T>(agent: http.Agent, base: URL, spec: Spec): Promise<T> {
  const reply = await send(agent, base, spec);
  if (reply.status < 200 || reply.status > 299)
    throw new Error(`${spec.method} ${spec.path}: ${reply.status} ${reply.body.toString()}`);
  return JSON.parse(reply.body.toString('utf8')) as T;
}

/**
 * Runs `plan` from every connection in a closed loop (the next request as soon as the last reply
 * is read) for `seconds`; each reply's latency goes to `record`. Returns the elapsed seconds.
 */
async function drive(
  agent: http.Agent,
  base: URL,
  seconds: number,
  plan: () => Planned,
  record: (kind: string, ms: number, reply: Reply) => void,
): Promise<number> {
  const began = performance.now();
  const until = began + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const planned = plan();
        const start = performance.now();
        const reply = await send(agent, base, planned.spec);
        record(planned.kind, performance.now() - start, reply);
        planned.onReply?.(reply);
      }
    }),
  );
  return (performance.now() - began) / 1000;
}

/**
 * Runs `plan` from every connection at a fixed total rate (an open schedule of slots shared by
 * the connections) for `seconds`; latency counts from the slot, so a late start counts too.
 */
async function drivePaced(
  agent: http.Agent,
  base: URL,
  seconds: number,
  perSecond: number,
  plan: () => Planned,
  record: (kind: string, ms: number, reply: Reply) => void,
): Promise<void> {
  const began = performance.now();
  const interval = 1000 / perSecond;
  const slots = Math.floor(seconds * perSecond);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      for (let slot = next++; slot < slots; slot = next++) {
        const due = began + slot * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const planned = plan();
        const reply = await send(agent, base, planned.spec);
        record(planned.kind, performance.now() - due, reply);
        planned.onReply?.(reply);
      }
    }),
  );
}

/** One paced run: the rate achieved (replies over elapsed time), its quantiles and errors. */
interface PacedRun {
  offered: number;
  achieved: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Whether a paced run keeps the aim: p99 within the limit and no errors. */
const keepsAim = (run: PacedRun) => run.p99 <= AIM_P99_MS && run.errors === 0;

async function pacedRun(
  agent: http.Agent,
  base: URL,
  perSecond: number,
  plan: () => Planned,
  record?: (kind: string, ms: number, reply: Reply) => void,
): Promise<PacedRun> {
  const ms: number[] = [];
  let errors = 0;
  const began = performance.now();
  await drivePaced(agent, base, PACED_SECONDS, perSecond, plan, (kind, latency, reply) => {
    ms.push(latency);
    if (reply.status < 200 || reply.status > 299) errors++;
    record?.(kind, latency, reply);
  });
  const elapsed = (performance.now() - began) / 1000;
  ms.sort((a, b) => a - b);
  return {
    offered: perSecond,
    achieved: ms.length / elapsed,
    p50: quantile(ms, 0.5),
    p99: quantile(ms, 0.99),
    errors,
  };
}

/**
 * The highest paced rate over all the connections at which the mix keeps the aim: starts at half
 * the saturated throughput, raises it by a quarter while the aim holds and bisects between the last
 * rate that kept it and the first that did not; a rate that misses is run once more and counts as
 * missed only if it misses again (the confirmation runs after it are the strict part). Returns every run, in order, and the rate found
 * (0 when even the lowest rate tried missed the aim).
 */
async function searchCapacity(
  agent: http.Agent,
  base: URL,
  saturated: number,
  plan: () => Planned,
): Promise<{ runs: PacedRun[]; rate: number }> {
  const runs: PacedRun[] = [];
  let kept = 0;
  let missed = Infinity;
  let rate = saturated / 2;
  for (let step = 0; step <= SEARCH_STEPS; step++) {
    let run = await pacedRun(agent, base, rate, plan);
    runs.push(run);
    // one stall (a checkpoint, a neighbour's burst) must not cap the search: a miss is run again
    if (!keepsAim(run)) runs.push((run = await pacedRun(agent, base, rate, plan)));
    if (keepsAim(run)) kept = Math.max(kept, rate);
    else missed = Math.min(missed, rate);
    rate = Number.isFinite(missed) ? (kept > 0 ? (kept + missed) / 2 : missed / 2) : rate * 1.25;
  }
  return { runs, rate: kept };
}

/** The server's event-loop delay since the last read, in ms, from its Prometheus metrics. */
async function eventLoopDelay(agent: http.Agent, base: URL) {
  const text = (await send(agent, base, { method: 'GET', path: '/metrics' })).body.toString();
  const read = (name: string) =>
    1000 * Number(new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text)?.[1] ?? NaN);
  return {
    p50: read('nodejs_eventloop_lag_p50_seconds'),
    p99: read('nodejs_eventloop_lag_p99_seconds'),
    max: read('nodejs_eventloop_lag_max_seconds'),
  };
}

// ------------------------------------------------------------------------------------------------
// The platform and its fixtures

async function gatherFixtures(
  db: Db,
  server: ChildServer,
  agent: http.Agent,
  base: URL,
): Promise<Fixtures> {
  const u = generator(SEED + 1);
  const items = await json<{ items: { code: string }[] }>(agent, base, {
    method: 'GET',
    path: '/api/catalog/items?limit=200',
  });
  const itemCodes = items.items.map((i) => i.code);
  const itemAnswers = new Map<string, Record<string, string[]>>();
  for (const code of itemCodes) {
    const detail = await json<{
      item: { situations: { key: string; answers: { key: string }[] }[] };
    }>(agent, base, { method: 'GET', path: `/api/catalog/items/${code}` });
    itemAnswers.set(code, answersFor(detail.item.situations, u));
  }
  const bundles = await json<{ bundles: { code: string }[] }>(agent, base, {
    method: 'GET',
    path: '/api/bundles',
  });
  const bundleCodes = bundles.bundles.map((b) => b.code);
  const bundleAnswers = new Map<string, Record<string, string[]>>();
  for (const code of bundleCodes) {
    const detail = await json<{
      content: { situations: { key: string; answers: { key: string }[] }[] };
    }>(agent, base, { method: 'GET', path: `/api/bundles/${code}` });
    bundleAnswers.set(
      code,
      code === 'enterprise-opening'
        ? (OPENING_ANSWERS as unknown as Record<string, string[]>)
        : answersFor(detail.content.situations, u),
    );
  }
  const taxonomy = await json<{
    categories: { code: string; active: boolean; attributes: { required?: boolean }[] }[];
  }>(agent, base, { method: 'GET', path: '/api/hotline/categories' });
  const categories = taxonomy.categories
    .filter((c) => /^[A-Z]{2}-\d{2}$/.test(c.code) && c.active)
    .filter((c) => c.attributes.every((a) => !a.required))
    .map((c) => c.code);
  const reviewerRows = await db.kysely
    .selectFrom('users')
    .innerJoin('departments', 'departments.id', 'users.departmentId')
    .select(['users.username', 'departments.code'])
    .where('users.role', '=', 'reviewer')
    .orderBy('users.username')
    .execute();
  const reviewers = new Map<string, string>();
  for (const row of reviewerRows) reviewers.set(row.code, await server.signIn(row.username));
  return {
    itemCodes,
    itemAnswers,
    bundleCodes,
    bundleAnswers,
    categories,
    cookies: {
      enterprise: await server.signIn('enterprise'),
      operator: await server.signIn('operator'),
      supervisor: await server.signIn('supervisor'),
    },
    reviewers,
  };
}

// ------------------------------------------------------------------------------------------------
// The mix

/** The weighted mix of requests; cases opened by submissions are walked by the reviewers. */
function workload(f: Fixtures, now: Date) {
  const u = generator(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(u() * xs.length)]!;
  let submitted = 0;
  let mobile = 13_900_000_000;
  const ready: OpenCase[] = [];
  const known = new Set<string>();
  const reviewerList = [...f.reviewers.entries()];
  let nextReviewer = 0;
  const periods = [7, 30, 90].map(
    (days) => `from=${beijingDay(now, days)}&to=${beijingDay(now, 0)}`,
  );

  /** A reviewer reads the department's queue; pending cases nobody holds yet join the work. */
  const queueRead = (): Planned => {
    const [department, cookie] = reviewerList[nextReviewer++ % reviewerList.length]!;
    return {
      kind: 'case queue (reviewer)',
      spec: { method: 'GET', path: '/api/cases?state=pending&limit=50', cookie },
      onReply: (reply) => {
        if (reply.status !== 200) return;
        const { items } = JSON.parse(reply.body.toString('utf8')) as {
          items: { id: string; state: string; departmentCode: string }[];
        };
        for (const c of items) {
          if (c.state !== 'pending' || known.has(c.id) || c.departmentCode !== department) continue;
          known.add(c.id);
          ready.push({ id: c.id, cookie, step: 0 });
        }
      },
    };
  };

  const ops: Op[] = [
    {
      kind: 'catalog search',
      group: 'hall',
      weight: 14,
      plan: () => ({
        kind: 'catalog search',
        spec: {
          method: 'GET',
          path: `/api/catalog/items?q=${encodeURIComponent(pick(SEARCHES))}&limit=20`,
        },
      }),
    },
    {
      kind: 'catalog list',
      group: 'hall',
      weight: 6,
      plan: () => ({
        kind: 'catalog list',
        spec: { method: 'GET', path: `/api/catalog/items?limit=50&offset=${pick([0, 50, 100])}` },
      }),
    },
    {
      kind: 'catalog item',
      group: 'hall',
      weight: 10,
      plan: () => ({
        kind: 'catalog item',
        spec: { method: 'GET', path: `/api/catalog/items/${pick(f.itemCodes)}` },
      }),
    },
    {
      kind: 'catalog facets',
      group: 'hall',
      weight: 4,
      plan: () => ({
        kind: 'catalog facets',
        spec: { method: 'GET', path: '/api/catalog/facets' },
      }),
    },
    {
      kind: 'bundle list',
      group: 'hall',
      weight: 6,
      plan: () => ({
        kind: 'bundle list',
        spec: { method: 'GET', path: pick(['/api/bundles', '/api/bundles?audience=person']) },
      }),
    },
    {
      kind: 'bundle',
      group: 'hall',
      weight: 8,
      plan: () => ({
        kind: 'bundle',
        spec: { method: 'GET', path: `/api/bundles/${pick(f.bundleCodes)}` },
      }),
    },
    {
      kind: 'bundle guide',
      group: 'guidance',
      weight: 10,
      plan: () => {
        const code = pick(f.bundleCodes);
        return {
          kind: 'bundle guide',
          spec: {
            method: 'POST',
            path: `/api/bundles/${code}/guide`,
            body: { answers: f.bundleAnswers.get(code) },
          },
        };
      },
    },
    {
      kind: 'item situations',
      group: 'guidance',
      weight: 4,
      plan: () => {
        const code = pick(f.itemCodes);
        return {
          kind: 'item situations',
          spec: {
            method: 'POST',
            path: `/api/catalog/items/${code}/applicable`,
            body: { answers: f.itemAnswers.get(code) },
          },
        };
      },
    },
    {
      kind: 'submission',
      group: 'submissions',
      weight: 6,
      plan: () => ({
        kind: 'submission',
        spec: {
          method: 'POST',
          path: '/api/applications',
          cookie: f.cookies.enterprise,
          headers: { 'idempotency-key': randomUUID() },
          body: {
            bundleCode: 'enterprise-opening',
            answers: OPENING_ANSWERS,
            data: openingData(++submitted),
            pledges: OPENING_PLEDGES,
            submit: true,
          },
        },
      }),
    },
    { kind: 'case queue (reviewer)', group: 'case actions', weight: 4, plan: queueRead },
    {
      kind: 'case action',
      group: 'case actions',
      weight: 8,
      // With no case in hand, the reviewer reads the queue instead (counted as such).
      plan: () => {
        const held = ready.shift();
        if (!held) return queueRead();
        return {
          kind: 'case action',
          spec: {
            method: 'POST',
            path: `/api/cases/${held.id}/${CASE_STEPS[held.step]}`,
            cookie: held.cookie,
            headers: { 'idempotency-key': randomUUID() },
            body: {},
          },
          onReply: (reply) => {
            if (reply.status === 200 && held.step + 1 < CASE_STEPS.length)
              ready.push({ ...held, step: held.step + 1 });
          },
        };
      },
    },
    {
      kind: 'ticket registration',
      group: 'ticket intake',
      weight: 6,
      plan: () => ({
        kind: 'ticket registration',
        spec: {
          method: 'POST',
          path: '/api/hotline/tickets',
          cookie: f.cookies.operator,
          body: {
            channel: 'phone',
            type: pick(['complaint', 'help', 'consult', 'report']),
            categoryCode: pick(f.categories),
            regionCode: pick(DISTRICTS),
            address: `文化西路${Math.floor(u() * 300)}号`,
            content: pick(COMPLAINTS),
            requesterName: '郑海',
            requesterMobile: String(++mobile),
          },
        },
      }),
    },
    {
      kind: 'ticket duplicates check',
      group: 'ticket intake',
      weight: 2,
      plan: () => ({
        kind: 'ticket duplicates check',
        spec: {
          method: 'POST',
          path: '/api/hotline/similar',
          cookie: f.cookies.operator,
          body: {
            requesterMobile: String(mobile - Math.floor(u() * 50)),
            categoryCode: pick(f.categories),
            regionCode: pick(DISTRICTS),
            content: pick(COMPLAINTS),
          },
        },
      }),
    },
    {
      kind: 'cockpit indicators',
      group: 'cockpit',
      weight: 7,
      plan: () => ({
        kind: 'cockpit indicators',
        spec: {
          method: 'GET',
          path: `/api/insight/indicators?${pick(periods)}`,
          cookie: f.cookies.supervisor,
        },
      }),
    },
    {
      kind: 'cockpit panels',
      group: 'cockpit',
      weight: 5,
      plan: () => ({
        kind: 'cockpit panels',
        spec: {
          method: 'GET',
          path: `/api/insight/panels?${pick(periods)}`,
          cookie: f.cookies.supervisor,
        },
      }),
    },
  ];
  return {
    ops,
    plan: (): Planned => pickWeighted(ops, u()).plan(),
    submitted: () => submitted,
    casesKnown: () => known.size,
  };
}

// ------------------------------------------------------------------------------------------------
// Watching the database while the mix runs

/** What the server's PostgreSQL sessions were doing, sampled twice a second. */
function watchSessions(db: Db, application: string) {
  let sampling = false;
  let samples = 0;
  let active = 0;
  let inTransaction = 0;
  let full = 0;
  const waits = new Map<string, number>();
  const timer = setInterval(() => {
    if (!sampling) return;
    void sql<{ state: string | null; wait: string | null }>`
      select state, wait_event_type || ':' || wait_event as wait
      from pg_stat_activity where application_name = ${application}`
      .execute(db.kysely)
      .then(({ rows }) => {
        samples++;
        let busy = 0;
        for (const row of rows) {
          if (row.state === 'idle in transaction') inTransaction++;
          if (row.state !== 'idle') busy++;
          if (row.state !== 'active') continue;
          active++;
          const key = row.wait ?? 'CPU (no wait)';
          waits.set(key, (waits.get(key) ?? 0) + 1);
        }
        if (busy >= SERVER_POOL) full++;
      })
      .catch(() => undefined);
  }, 500);
  const per = (n: number) => n / Math.max(1, samples);
  return {
    /** Samples only while the mix runs. */
    set sampling(on: boolean) {
      sampling = on;
    },
    stop() {
      clearInterval(timer);
      const top = [...waits.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([k, n]) => `${k} ${fmt(per(n), 2)}`)
        .join(', ');
      return { active: per(active), inTransaction: per(inTransaction), full: per(full), top };
    },
  };
}

/** CPU seconds a process has used (user + system), from /proc; 0 when it is gone. */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Seconds the process's main thread has waited runnable for a CPU, from /proc; 0 when gone. */
function queuedSecondsOf(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return 0;
  }
}

/**
 * CPU used by the server process and by its PostgreSQL backends (found by application name; the
 * database runs on this machine) since the last reading, in seconds.
 */
function cpuMeter(db: Db, server: ChildServer, application: string) {
  const pid = server.process.pid!;
  const read = async () => {
    const { rows } = await sql<{ pid: number }>`
      select pid from pg_stat_activity where application_name = ${application}`.execute(db.kysely);
    return {
      server: cpuSecondsOf(pid),
      queued: queuedSecondsOf(pid),
      backends: new Map(rows.map((r) => [r.pid, cpuSecondsOf(r.pid)])),
    };
  };
  let last = { server: 0, queued: 0, backends: new Map<number, number>() };
  return {
    async reset() {
      last = await read();
    },
    /** CPU seconds of the server and of PostgreSQL since the last reset or lap. */
    async lap() {
      const now = await read();
      let database = 0;
      for (const [backend, seconds] of now.backends)
        database += seconds - (last.backends.get(backend) ?? 0);
      const spent = {
        server: now.server - last.server,
        queued: now.queued - last.queued,
        database,
      };
      last = now;
      return spent;
    },
  };
}

/** Counts the server's log lines at warn and above (pino JSON, level ≥ 40). */
function watchLogs(server: ChildServer) {
  let warnings = 0;
  const first: string[] = [];
  let partial = '';
  const read = (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const level = /"level":(\d+)/.exec(line);
      if (level && Number(level[1]) >= 40) {
        warnings++;
        if (first.length < 3) first.push(line.slice(0, 300));
      }
    }
  };
  server.process.stdout!.on('data', read);
  server.process.stderr!.on('data', read);
  return { warnings: () => warnings, first };
}

async function stopServer(server: ChildServer): Promise<void> {
  const exited = new Promise<void>((resolve) => server.process.once('exit', () => resolve()));
  if (server.process.exitCode === null && server.process.signalCode === null) {
    server.process.kill('SIGTERM');
    const timeout = setTimeout(() => void server.kill(), 10_000);
    await exited;
    clearTimeout(timeout);
  }
}

// ------------------------------------------------------------------------------------------------

/** Prints the figures and, last, `BENCH load req_per_s=… p99_ms=… health_req_per_s=… ratio=…`. */
export async function run(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_URL;
  const schema = freshSchemaName('bench_load');
  const application = schema;
  const db = await openDatabase({
    url: databaseUrl,
    schema,
    dropSchemaOnClose: true,
    poolSize: 2,
  });
  let server: ChildServer | null = null;
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: CONNECTIONS,
    maxFreeSockets: CONNECTIONS,
  });
  try {
    // One data key for the seed written here and the server: the demo's personal data is sealed.
    const dataKey = process.env.ONETHING_DATA_KEY || randomBytes(16).toString('hex');
    useDataKey(Buffer.from(dataKey, 'hex'));
    let began = performance.now();
    await migrate(db.kysely);
    await seedDemoData(db);
    const seeded = (performance.now() - began) / 1000;
    const url = new URL(databaseUrl);
    url.searchParams.set('application_name', application);
    began = performance.now();
    server = await startChildServer({
      DATABASE_URL: url.toString(),
      ONETHING_DB_SCHEMA: schema,
      ONETHING_DATA_KEY: dataKey,
      ONETHING_RATE_LIMITS: 'off',
      // e.g. `--require ./profile.cjs` (a profiler) to see where the server's time goes
      ...(process.env.BENCH_SERVER_NODE_OPTIONS
        ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS }
        : {}),
      LOG_LEVEL: 'warn',
    });
    const started = (performance.now() - began) / 1000;
    const logs = watchLogs(server);
    const base = new URL(server.url);
    const fixtures = await gatherFixtures(db, server, agent, base);
    const mix = workload(fixtures, new Date());

    const tallies = new Map<string, Tally>();
    const record = (kind: string, ms: number, reply: Reply) => {
      let tally = tallies.get(kind);
      if (!tally) tallies.set(kind, (tally = { ms: [], errors: 0, samples: [] }));
      tally.ms.push(ms);
      if (reply.status < 200 || reply.status > 299) {
        tally.errors++;
        if (tally.samples.length < 3)
          tally.samples.push(`${reply.status} ${reply.body.toString('utf8').slice(0, 200)}`);
      }
    };
    const discard = () => undefined;
    const health = (): Planned => ({
      kind: 'health',
      spec: { method: 'GET', path: '/api/health' },
    });

    // Warm-up: JIT, caches, the pool, a queue of cases; not counted.
    await drive(agent, base, WARMUP_SECONDS, mix.plan, discard);
    await drive(agent, base, Math.min(2, WARMUP_SECONDS), health, discard);
    const submittedBefore = mix.submitted();

    // Alternating rounds, so a noisy neighbour slows both sides alike.
    let mixSeconds = 0;
    let healthSeconds = 0;
    const watcher = watchSessions(db, application);
    const healthTally: Tally = { ms: [], errors: 0, samples: [] };
    const cpu = cpuMeter(db, server, application);
    const spent = {
      mix: { server: 0, queued: 0, database: 0 },
      health: { server: 0, queued: 0, database: 0 },
    };
    const add = (to: { server: number; queued: number; database: number }, lap: typeof to) => {
      to.server += lap.server;
      to.queued += lap.queued;
      to.database += lap.database;
    };
    for (let round = 0; round < ROUNDS; round++) {
      watcher.sampling = true;
      await cpu.reset();
      mixSeconds += await drive(agent, base, MIX_SECONDS / ROUNDS, mix.plan, record);
      add(spent.mix, await cpu.lap());
      watcher.sampling = false;
      healthSeconds += await drive(agent, base, HEALTH_SECONDS / ROUNDS, health, (_k, ms, r) => {
        healthTally.ms.push(ms);
        if (r.status !== 200) healthTally.errors++;
      });
      add(spent.health, await cpu.lap());
    }
    const sessions = watcher.stop();
    const submittedTimed = mix.submitted() - submittedBefore;

    const all = [...tallies.values()].flatMap((t) => t.ms).sort((a, b) => a - b);
    const errors = [...tallies.values()].reduce((n, t) => n + t.errors, 0);
    const reqPerS = all.length / mixSeconds;
    const p50 = quantile(all, 0.5);
    const p99 = quantile(all, 0.99);
    const healthSorted = [...healthTally.ms].sort((a, b) => a - b);
    const healthPerS = healthSorted.length / healthSeconds;
    const groupOf = new Map(mix.ops.map((op) => [op.kind, op.group]));

    // The figures: the highest rate the mix can be offered over the same connections, paced (an
    // open schedule; latency counts from each request's slot), with p99 within the aim and no
    // errors; then runs at that rate, whose medians are reported. A closed loop is saturated by
    // construction: its mean latency is connections ÷ throughput, whatever the server does.
    const search = await searchCapacity(agent, base, reqPerS, mix.plan);
    // Confirm: runs at the rate found, their medians the figures; when the medians miss the aim (the
    // search's single runs are noisy near the knee), a tenth lower, at most CONFIRM_STEPS times.
    const median = (values: number[]) =>
      quantile(
        [...values].sort((a, b) => a - b),
        0.5,
      );
    let confirmRate =
      search.rate > 0 ? search.rate : Math.min(...search.runs.map((r) => r.offered));
    const tried: { rate: number; p99: number }[] = [];
    let confirms: PacedRun[] = [];
    let atRate = new Map<string, number[]>();
    let loopDelay = { p50: NaN, p99: NaN, max: NaN };
    let capacity = { achieved: 0, p50: NaN, p99: NaN, errors: 0 };
    for (let step = 0; step < CONFIRM_STEPS; step++) {
      if (step > 0) confirmRate *= 0.9;
      await eventLoopDelay(agent, base); // prom-client resets the delay histogram on every read
      confirms = [];
      atRate = new Map();
      for (let round = 0; round < CONFIRM_ROUNDS; round++)
        confirms.push(
          await pacedRun(agent, base, confirmRate, mix.plan, (kind, ms) => {
            let list = atRate.get(kind);
            if (!list) atRate.set(kind, (list = []));
            list.push(ms);
          }),
        );
      loopDelay = await eventLoopDelay(agent, base);
      capacity = {
        achieved: median(confirms.map((r) => r.achieved)),
        p50: median(confirms.map((r) => r.p50)),
        p99: median(confirms.map((r) => r.p99)),
        errors: confirms.reduce((n, r) => n + r.errors, 0),
      };
      tried.push({ rate: confirmRate, p99: capacity.p99 });
      if (capacity.p99 <= AIM_P99_MS && capacity.errors === 0) break;
    }

    // Optional: each kind alone, for the CPU it costs per request (where the time goes).
    const profile: string[] = [];
    for (const op of PROFILE_SECONDS > 0 ? mix.ops : []) {
      let n = 0;
      let failed = 0;
      await cpu.reset();
      await drive(agent, base, PROFILE_SECONDS, op.plan, (_k, _ms, r) => {
        n++;
        if (r.status < 200 || r.status > 299) failed++;
      });
      const lap = await cpu.lap();
      profile.push(
        `  profile ${op.kind.padEnd(26)}${String(n).padStart(6)} req ${fmt(n / PROFILE_SECONDS).padStart(7)}/s ` +
          `server ${fmt((1000 * lap.server) / n, 2).padStart(6)} ms  PostgreSQL ${fmt((1000 * lap.database) / n, 2).padStart(6)} ms per request` +
          (failed > 0 ? `  errors ${failed}` : ''),
      );
    }

    console.log(
      `load: one platform process (onething start) on PostgreSQL, schema ${schema}, demo data ` +
        `(seeded in ${fmt(seeded, 0)} s, started in ${fmt(started, 0)} s), rate limits off`,
    );
    console.log(
      `  ${CONNECTIONS} keep-alive connections, closed loop (next request as soon as the reply is read), ` +
        `${ROUNDS} alternating rounds: mix ${fmt(mixSeconds, 1)} s, health ${fmt(healthSeconds, 1)} s; ` +
        `warm-up ${WARMUP_SECONDS} s`,
    );
    console.log(
      '  the load generator, the server and PostgreSQL share this machine ' +
        `(${cpus().length} cores; other work may be running: load average ` +
        `${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')})`,
    );
    console.log(
      `  ${'kind'.padEnd(26)}${'group'.padEnd(15)}${'count'.padStart(7)}${'share'.padStart(7)}` +
        `${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}${'errors'.padStart(8)}`,
    );
    const rows = [...tallies.entries()].sort((a, b) => b[1].ms.length - a[1].ms.length);
    for (const [kind, tally] of rows) {
      const sorted = [...tally.ms].sort((a, b) => a - b);
      console.log(
        `  ${kind.padEnd(26)}${(groupOf.get(kind) ?? '').padEnd(15)}${String(sorted.length).padStart(7)}` +
          `${fmt((100 * sorted.length) / all.length, 1).padStart(6)}%` +
          `${fmt(quantile(sorted, 0.5)).padStart(9)}${fmt(quantile(sorted, 0.99)).padStart(9)}` +
          `${fmt(sorted[sorted.length - 1]!).padStart(9)}${String(tally.errors).padStart(8)}`,
      );
    }
    console.log(
      `  mix: ${all.length} requests, ${fmt(reqPerS)} req/s, p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms, ` +
        `errors ${errors}; ${submittedTimed} applications submitted while timed, ` +
        `${mix.casesKnown()} cases taken up by reviewers in all`,
    );
    console.log(
      `  health: ${healthSorted.length} requests, ${fmt(healthPerS)} req/s, p50 ${fmt(quantile(healthSorted, 0.5))} ms, ` +
        `p99 ${fmt(quantile(healthSorted, 0.99))} ms, errors ${healthTally.errors}`,
    );
    const perRequest = (seconds: number, n: number) => fmt((1000 * seconds) / n, 2);
    console.log(
      `  CPU per request (load-independent): mix ${perRequest(spent.mix.server, all.length)} ms in the server ` +
        `+ ${perRequest(spent.mix.database, all.length)} ms in PostgreSQL; health ` +
        `${perRequest(spent.health.server, healthSorted.length)} ms + ` +
        `${perRequest(spent.health.database, healthSorted.length)} ms (server busy ` +
        `${fmt((100 * spent.mix.server) / mixSeconds, 0)} % of one core during the mix; its main ` +
        `thread waited runnable for a CPU ${fmt((100 * spent.mix.queued) / mixSeconds, 0)} % of the time)`,
    );
    console.log(
      `  server's PostgreSQL sessions during the timed rounds (pool of ${SERVER_POOL}), on average: ` +
        `${fmt(sessions.active, 2)} running a statement, ${fmt(sessions.inTransaction, 2)} idle in a ` +
        `transaction, all ${SERVER_POOL} in use in ${fmt(100 * sessions.full, 0)} % of samples; ` +
        `statements by wait: ${sessions.top || 'none sampled'}`,
    );
    console.log(
      `  server log lines at warn or above: ${logs.warnings()}` +
        (logs.first.length > 0 ? `; first: ${logs.first.join(' | ')}` : ''),
    );
    for (const line of profile) console.log(line);
    for (const [kind, tally] of rows)
      for (const sample of tally.samples) console.log(`  error (${kind}): ${sample}`);
    console.log(
      `  saturated closed loop: ${fmt(reqPerS)} req/s, p99 ${fmt(p99)} ms — by Little's law its mean ` +
        `latency is connections ÷ throughput (${fmt((1000 * CONNECTIONS) / reqPerS, 0)} ms here), so the ` +
        `aim is read at a paced rate instead`,
    );
    console.log(
      `  search for the highest rate paced over the same ${CONNECTIONS} connections that keeps p99 ≤ ` +
        `${AIM_P99_MS} ms with no errors (${PACED_SECONDS} s a run, latency from each request's slot):`,
    );
    for (const run of search.runs)
      console.log(
        `    offered ${fmt(run.offered).padStart(7)} req/s: achieved ${fmt(run.achieved).padStart(7)}, ` +
          `p50 ${fmt(run.p50).padStart(7)} ms, p99 ${fmt(run.p99).padStart(8)} ms, errors ${run.errors}` +
          ` — ${keepsAim(run) ? 'kept' : 'missed'}`,
      );
    if (tried.length > 1)
      console.log(
        `  confirmed lower, as the medians at the rates before missed the aim: ` +
          tried
            .slice(0, -1)
            .map((t) => `${fmt(t.rate)} req/s p99 ${fmt(t.p99)} ms`)
            .join(', '),
      );
    console.log(
      `  at ${fmt(confirmRate)} req/s offered, ${CONFIRM_ROUNDS} runs: achieved ` +
        `${confirms.map((r) => fmt(r.achieved)).join(', ')} req/s; p50 ` +
        `${confirms.map((r) => fmt(r.p50)).join(', ')} ms; p99 ${confirms.map((r) => fmt(r.p99)).join(', ')} ms; ` +
        `errors ${capacity.errors} (medians are the figures)`,
    );
    const slowest = [...atRate.entries()]
      .map(([kind, ms]) => ({
        kind,
        p99: quantile(
          [...ms].sort((a, b) => a - b),
          0.99,
        ),
      }))
      .sort((a, b) => b.p99 - a.p99)
      .slice(0, 5);
    console.log(
      `  slowest kinds at that rate (p99 over the runs): ` +
        slowest.map((k) => `${k.kind} ${fmt(k.p99)} ms`).join(', '),
    );
    console.log(
      `  the server's event-loop delay over those runs (its /metrics): p50 ${fmt(loopDelay.p50)} ms, ` +
        `p99 ${fmt(loopDelay.p99)} ms, max ${fmt(loopDelay.max)} ms`,
    );
    const aims = capacity.p99 <= AIM_P99_MS && capacity.errors === 0;
    console.log(
      `  aim at ${CONNECTIONS} connections: p99 ≤ ${AIM_P99_MS} ms and no errors — ` +
        (aims
          ? `met up to ${fmt(capacity.achieved)} req/s of the mix (${fmt((100 * capacity.achieved) / reqPerS, 0)} % of the saturated throughput)`
          : `not met at ${fmt(confirmRate)} req/s, the lowest rate confirmed`),
    );
    console.log(
      `BENCH load req_per_s=${fmt(capacity.achieved)} p99_ms=${fmt(capacity.p99)} health_req_per_s=${fmt(healthPerS)} ` +
        `ratio=${(capacity.achieved / healthPerS).toFixed(3)}`,
    );
  } finally {
    agent.destroy();
    if (server) await stopServer(server);
    await db.close();
  }
}
