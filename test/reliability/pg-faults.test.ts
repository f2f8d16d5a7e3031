import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ROLLUP_EVENTS, ROLLUP_HANDLERS } from '../../src/insight/rollups';
import { freshSchemaName, openDatabase, type Db, type Kdb } from '../../src/platform/db/database';
import { migrate } from '../../src/platform/db/migrate';
import { seedDemoData } from '../../src/server';
import { startChildServer, type ChildServer } from '../support/child-server';
import { sessionCookieOf } from '../support/http';
import {
  privatePostgresUnavailable,
  startPrivatePostgres,
  type PrivatePostgres,
} from '../support/private-postgres';
import {
  countApplications,
  createReviewers,
  expectActionsAppliedOnce,
  expectOneApplicationEach,
  expectStoredOnce,
  nextCaseStep,
  openingSubmission,
  type ListedCase,
} from '../support/recovery';
import { DEMO_PASSWORD, type ApiReply, type ApiRequest } from '../support/server';

// The database fails under the running platform while enterprises submit enterprise openings and
// reviewers work the cases they fan out to: first its connections are cut again and again
// (pg_terminate_backend, as a failover or a network cut does), then PostgreSQL itself is stopped and
// started (fast, then immediate: a crash). The platform process must live through it, answer 503
// in the one error shape while the database is away, and reconnect by itself. Every request is sent
// again with its Idempotency-Key until it is answered; afterwards nothing acknowledged may be lost,
// nothing applied twice, the audit chain must verify, every queued SMS must have gone out exactly
// once, every domain event reached its handlers once, and every cached due instant must still be
// what the clock recomputes.
// The platform runs on a PostgreSQL cluster of this test's own (test/support/private-postgres.ts):
// the shared server of the PostgreSQL pass is never stopped. On PGlite (no DATABASE_URL) there is
// no connection to drop: the database lives inside the platform's process, so losing it is the
// process dying, which test/reliability/crash.test.ts covers.

const POSTGRES_PASS = Boolean(process.env.DATABASE_URL);
const unavailable = POSTGRES_PASS ? privatePostgresUnavailable() : null;
const SKIP_REASON = !POSTGRES_PASS
  ? 'PGlite pass: the database is in-process, so a dropped connection is the crash test’s kill'
  : unavailable;
/** The platform's connections, told apart from the test's own by application_name (PGAPPNAME). */
const APP_NAME = 'onething-pg-faults';
/** How long a request is sent again while it is answered 503 before the test gives up on it. */
const RETRY_FOR_MS = 60_000;
/** How long queued events and messages may take to go out once the faults are over. */
const DRAIN_MS = 90_000;

interface Write {
  key: string;
  /** answered 2xx at last */
  acked: boolean;
  /** answered 503 (or not at all) at least once before that */
  retried: boolean;
  /** the status of the final answer: 201 created, 200 replayed or applied on the retry */
  status?: number;
}
interface Submission extends Write {
  body: Record<string, unknown>;
  id?: string;
}
interface CaseAction extends Write {
  caseId: string;
  action: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counters of what the load saw, for the log line. */
interface Seen {
  unavailable: number;
  shapes: string[];
}

/**
 * Sends a request until it is answered with anything but 503, waiting a little between tries; every
 * 503 must be the one error shape with code `service.unavailable` (or the health check's own).
 */
async function untilAvailable(
  server: ChildServer,
  path: string,
  request: ApiRequest,
  seen: Seen,
  onRetry: () => void = () => undefined,
): Promise<ApiReply> {
  const giveUp = Date.now() + RETRY_FOR_MS;
  for (;;) {
    const reply = await server.api(path, request);
    if (reply.status !== 503) return reply;
    seen.unavailable += 1;
    const error = (reply.body as { error?: { code?: string; requestId?: string } }).error;
    if (error?.code !== 'service.unavailable' || !error.requestId) {
      seen.shapes.push(JSON.stringify(reply.body));
    }
    onRetry();
    if (Date.now() > giveUp) return reply;
    await sleep(150);
  }
}

describe.skipIf(SKIP_REASON !== null)(
  `PostgreSQL faults under load${SKIP_REASON ? ` (skipped: ${SKIP_REASON})` : ''}`,
  () => {
    let cluster: PrivatePostgres | null = null;
    const opened: Db[] = [];
    const servers: ChildServer[] = [];

    let setup: Awaited<ReturnType<typeof setUp>>;
    let ownConnectionsLost = 0;

    beforeAll(async () => {
      const began = Date.now();
      cluster = await startPrivatePostgres();
      console.log(`pg-faults: private cluster on port ${cluster.port} in ${Date.now() - began} ms`);
      setup = await setUp();
    }, 180_000);

    afterAll(async () => {
      for (const server of servers) await server.kill();
      for (const db of opened) await db.close().catch(() => undefined);
      await cluster?.remove();
    });

    /**
     * A schema with the demo data, a reviewer per department and a mobile on the demo enterprise
     * (so that its notices go out by SMS too), and the platform running on it.
     */
    async function setUp() {
      const began = Date.now();
      const schema = freshSchemaName('pgfault');
      // the test's own pool loses its connections with the restarts too, and must reconnect as well
      const db = await openDatabase({
        url: cluster!.url,
        schema,
        poolSize: 2,
        onConnectionError: () => (ownConnectionsLost += 1),
      });
      opened.push(db);
      const k = db.kysely;
      await migrate(k);
      await seedDemoData(db, { syntheticSubjects: 0 });
      const reviewerNames = await createReviewers(k, 'faults-reviewer');
      const enterprise = await k
        .selectFrom('users')
        .select(['id', 'subjectId'])
        .where('username', '=', 'enterprise')
        .executeTakeFirstOrThrow();
      await k
        .updateTable('subjects')
        .set({ mobile: '13906310009' })
        .where('id', '=', enterprise.subjectId!)
        .execute();
      const seeded = Date.now();
      const server = await startChildServer({
        DATABASE_URL: cluster!.url,
        ONETHING_DB_SCHEMA: schema,
        PGAPPNAME: APP_NAME,
        // info: the console SMS sender's lines are how the test sees what went out
        LOG_LEVEL: 'info',
        ONETHING_OUTBOX_SECONDS: '1',
        // the sweep would add warning events of its own; this test counts the reviewers' events
        ONETHING_SLA_SWEEP_SECONDS: '0',
        // the faults make clients retry in bursts; limits are another test's business
        ONETHING_RATE_LIMITS: 'off',
      });
      servers.push(server);
      const sends = countSends(server);
      const exited: string[] = [];
      server.process.once('exit', (code, signal) => exited.push(`${code ?? signal}`));
      console.log(
        `pg-faults: seeded in ${seeded - began} ms, platform started in ${Date.now() - seeded} ms`,
      );
      return { k, server, sends, exited, reviewerNames, enterpriseId: enterprise.id };
    }

    /** What the checks after a fault compare with: the state before it. */
    async function baselineOf(k: Kdb, enterpriseId: string) {
      return {
        applications: await countApplications(k, enterpriseId),
        rollupOffset: await submittedRollupOffset(k),
        startedAt: new Date(),
      };
    }

    /**
     * Runs enterprises and reviewers against the platform while `fault` does its damage, then two
     * more seconds of quiet load; every request answered 503 is sent again with its key.
     */
    async function underLoad(
      server: ChildServer,
      reviewerNames: Map<string, string>,
      fault: () => Promise<string>,
    ) {
      const seen: Seen = { unavailable: 0, shapes: [] };
      const unexpected: string[] = [];
      const submissions: Submission[] = [];
      const actions: CaseAction[] = [];
      const signIn = async (username: string) => {
        const reply = await untilAvailable(
          server,
          '/api/session',
          { method: 'POST', body: { username, password: DEMO_PASSWORD } },
          seen,
        );
        if (reply.status !== 200) throw new Error(`sign-in of ${username}: ${reply.status}`);
        return sessionCookieOf(reply.headers);
      };
      const enterprise = await signIn('enterprise');
      const admin = await signIn('admin');
      const sessions = new Map<string, Promise<string>>();
      const reviewerOf = (department: string) => {
        let cookie = sessions.get(department);
        if (!cookie) {
          cookie = signIn(reviewerNames.get(department)!);
          sessions.set(department, cookie);
        }
        return cookie;
      };
      const accepted: string[] = [];
      let alive = true;
      let n = 0;

      const submitter = async () => {
        while (alive && unexpected.length === 0) {
          n += 1;
          const s: Submission = {
            key: randomUUID(),
            body: openingSubmission(n),
            acked: false,
            retried: false,
          };
          submissions.push(s);
          const reply = await untilAvailable(
            server,
            '/api/applications',
            {
              method: 'POST',
              cookie: enterprise,
              headers: { 'idempotency-key': s.key },
              body: s.body,
            },
            seen,
            () => (s.retried = true),
          );
          if (reply.status !== 201 && !(s.retried && reply.status === 200)) {
            unexpected.push(`submit ${reply.status} ${JSON.stringify(reply.body)}`);
            return;
          }
          Object.assign(s, { acked: true, status: reply.status, id: reply.body.id });
          accepted.push(reply.body.id);
        }
      };

      // Each worker takes whole applications and walks their cases to the result.
      const reviewer = async () => {
        while (alive && unexpected.length === 0) {
          const appId = accepted.shift();
          if (!appId) {
            await sleep(50);
            continue;
          }
          for (;;) {
            const list = await untilAvailable(
              server,
              `/api/cases?application=${appId}&limit=200`,
              { cookie: admin },
              seen,
            );
            if (list.status !== 200) {
              unexpected.push(`cases ${list.status} ${JSON.stringify(list.body)}`);
              return;
            }
            const next = nextCaseStep(list.body.items as ListedCase[]);
            if (!next) break;
            const a: CaseAction = {
              caseId: next.caseId,
              action: next.action,
              key: randomUUID(),
              acked: false,
              retried: false,
            };
            actions.push(a);
            const reply = await untilAvailable(
              server,
              `/api/cases/${a.caseId}/${a.action}`,
              {
                method: 'POST',
                cookie: await reviewerOf(next.departmentCode),
                headers: { 'idempotency-key': a.key },
                body: {},
              },
              seen,
              () => (a.retried = true),
            );
            if (reply.status !== 200) {
              unexpected.push(`${a.action} ${reply.status} ${JSON.stringify(reply.body)}`);
              return;
            }
            Object.assign(a, { acked: true, status: reply.status });
          }
        }
      };

      const began = Date.now();
      const workers = [submitter(), reviewer(), reviewer(), reviewer()];
      // a little work before the first fault, so that there are open cases in every state
      await sleep(1_500);
      const what = await fault();
      await sleep(2_000);
      alive = false;
      await Promise.all(workers);
      const summary = {
        ms: Date.now() - began,
        submissions: submissions.length,
        submissionsRetried: submissions.filter((s) => s.retried).length,
        replayed: submissions.filter((s) => s.retried && s.status === 200).length,
        actions: actions.length,
        actionsRetried: actions.filter((a) => a.retried).length,
        unavailable: seen.unavailable,
      };
      // the server's own pool once the load is over: connections lost with the fault must have
      // been given back, or every later request waits for one (and answers 503)
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const pool = Object.fromEntries(
        [...metrics.matchAll(/^onething_db_pool_clients\{state="(\w+)"\} (\d+)/gm)].map((m) => [
          m[1]!,
          Number(m[2]),
        ]),
      );
      console.log(
        `pg-faults: ${what}; load ${JSON.stringify(summary)}; pool ${JSON.stringify(pool)}`,
      );
      expect(pool.waiting, `the server's pool after the fault: ${JSON.stringify(pool)}`).toBe(0);
      expect(unexpected).toEqual([]);
      expect(seen.shapes, '503 bodies not in the one error shape').toEqual([]);
      return { submissions, actions, enterprise, admin, seen };
    }

    /** Everything the faults must not have broken, read over HTTP and from the database. */
    async function verify(
      baseline: Awaited<ReturnType<typeof baselineOf>>,
      load: Awaited<ReturnType<typeof underLoad>>,
    ) {
      const checked = Date.now();
      const { server, k, sends, exited, enterpriseId } = setup;
      const { submissions, actions, enterprise, admin } = load;

      // The platform lived through it and says so.
      expect(exited).toEqual([]);
      const health = await untilAvailable(server, '/api/health', {}, load.seen);
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'ok', db: 'postgres' });

      // Every submission was acknowledged at last, each with an application of its own; a replay
      // of its key answers with the same one.
      expect(submissions.length).toBeGreaterThan(0);
      expect(submissions.every((s) => s.acked)).toBe(true);
      await expectOneApplicationEach(server, enterprise, submissions, [
        ...submissions.filter((x) => x.retried),
        ...submissions.slice(0, 2),
      ]);

      // Every case action was applied exactly once: one event for it, the case where it left it.
      expect(actions.every((a) => a.acked)).toBe(true);
      await expectActionsAppliedOnce(server, admin, actions);

      // In the database: each submission exactly once under its key, nothing else created, one
      // case per member, no step twice, every due right, and the audit chain survived the cuts.
      const { open } = await expectStoredOnce(k, enterpriseId, baseline.applications, submissions);

      // Queued work goes out once the database is back: every domain event reaches every handler
      // of its type, every SMS queued during the load is sent.
      const drained = Date.now();
      let backlog = await pendingWork(k, baseline.startedAt);
      while (backlog.total > 0 && Date.now() - drained < DRAIN_MS) {
        await sleep(500);
        backlog = await pendingWork(k, baseline.startedAt);
      }
      expect(backlog).toMatchObject({ total: 0 });
      // … exactly once: one in-app message per recipient and key, one outbox row per address and
      // key, each handed to the sender once; each submission counted once by the cockpit.
      const outbox = await k
        .selectFrom('outbox')
        .select(['id', 'state', 'attempts'])
        .where('createdAt', '>=', baseline.startedAt)
        .execute();
      expect(outbox.length, 'the results issued queued SMS').toBeGreaterThan(0);
      expect(outbox.filter((o) => o.state !== 'sent')).toEqual([]);
      await sleep(200); // the last send's log line
      expect(
        outbox.filter((o) => sends.get(o.id) !== 1).map((o) => ({ ...o, sends: sends.get(o.id) })),
      ).toEqual([]);
      const doubled = await sql<{ n: number }>`
        select count(*)::int as n from (
          select user_id::text, dedupe_key from messages group by user_id, dedupe_key having count(*) > 1
          union all
          select recipient, dedupe_key from outbox
          group by channel, recipient, dedupe_key having count(*) > 1) d`.execute(k);
      expect(doubled.rows[0]!.n).toBe(0);
      expect(await submittedRollupOffset(k)).toBe(baseline.rollupOffset);
      const messages = await k
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('createdAt', '>=', baseline.startedAt)
        .executeTakeFirstOrThrow();
      console.log(
        `pg-faults: checked in ${Date.now() - checked} ms, drained in ${Date.now() - drained} ms; ${outbox.length} SMS sent once each ` +
          `(${outbox.filter((o) => o.attempts > 1).length} on a second attempt), ` +
          `${Number(messages.n)} in-app messages, ${open} open cases' dues recomputed`,
      );
    }

    it('lives through its connections being cut again and again mid-transaction', async () => {
      const baseline = await baselineOf(setup.k, setup.enterpriseId);
      let cuts = 0;
      let rounds = 0;
      const load = await underLoad(setup.server, setup.reviewerNames, async () => {
        const until = Date.now() + 8_000;
        while (Date.now() < until) {
          cuts += await cluster!.terminate(APP_NAME);
          rounds += 1;
          await sleep(120 + Math.random() * 180);
        }
        return `${cuts} backends terminated in ${rounds} rounds`;
      });
      expect(cuts).toBeGreaterThan(rounds / 2);
      expect(load.seen.unavailable).toBeGreaterThan(0);
      await verify(baseline, load);
    }, 240_000);

    it('reconnects by itself when PostgreSQL is restarted (fast, then after a crash)', async () => {
      const baseline = await baselineOf(setup.k, setup.enterpriseId);
      const load = await underLoad(setup.server, setup.reviewerNames, async () => {
        const log: string[] = [];
        for (const mode of ['fast', 'immediate'] as const) {
          const down = Date.now();
          await cluster!.stop(mode);
          // while the database is away, health says so at once instead of hanging
          const asked = Date.now();
          const health = await setup.server.api('/api/health');
          const answeredMs = Date.now() - asked;
          expect(health.status).toBe(503);
          expect(health.body.error.code).toBe('health.db_unavailable');
          expect(answeredMs).toBeLessThan(5_000);
          await sleep(1_500);
          await cluster!.start();
          log.push(`${mode} stop: down ${Date.now() - down} ms, health 503 in ${answeredMs} ms`);
          await sleep(2_500);
        }
        return `PostgreSQL restarted twice (${log.join('; ')})`;
      });
      expect(load.seen.unavailable).toBeGreaterThan(0);
      await verify(baseline, load);
      console.log(`pg-faults: the test's own pool lost ${ownConnectionsLost} connections`);
    }, 240_000);
  },
);

/**
 * The cockpit's submitted count of enterprise openings less the submissions its handler has
 * counted: constant while the handler runs once per event (the demo history adds rows of its own).
 */
async function submittedRollupOffset(k: Kdb): Promise<number> {
  const { rows } = await sql<{ counted: number; delivered: number }>`
    select
      (select coalesce(sum(submitted), 0)::int from insight_application_days
        where bundle_code = 'enterprise-opening') as counted,
      (select count(*)::int from domain_events e
        join domain_event_deliveries d on d.event_id = e.id
         and d.handler = ${ROLLUP_HANDLERS.submitted} and d.delivered_at is not null
        where e.type = ${ROLLUP_EVENTS.submitted}
          and e.payload->>'bundleCode' = 'enterprise-opening') as delivered`.execute(k);
  return rows[0]!.counted - rows[0]!.delivered;
}

/**
 * What is still to go out: outbox rows queued since `since` not yet sent, and events published
 * since then that lack a delivery to a handler other events of their type have reached.
 */
async function pendingWork(k: Kdb, since: Date) {
  const { rows } = await sql<{ outbox: number; events: number }>`
    with handlers as (
      select distinct e.type, d.handler from domain_event_deliveries d
      join domain_events e on e.id = d.event_id)
    select
      (select count(*)::int from outbox
        where created_at >= ${since} and state in ('pending', 'sending')) as outbox,
      (select count(*)::int from domain_events e join handlers h on h.type = e.type
        where e.occurred_at >= ${since}
          and not exists (select 1 from domain_event_deliveries d
            where d.event_id = e.id and d.handler = h.handler and d.delivered_at is not null))
        as events`.execute(k);
  const row = rows[0]!;
  return { total: row.outbox + row.events, outbox: row.outbox, events: row.events };
}

/** Counts the sends the console SMS/email sender logs, by outbox id, from the server's output. */
function countSends(server: ChildServer): Map<string, number> {
  const sends = new Map<string, number>();
  let rest = '';
  server.process.stdout!.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      if (!line.includes('sent (console)')) continue;
      try {
        const entry = JSON.parse(line) as { outboxId?: string };
        if (entry.outboxId) sends.set(entry.outboxId, (sends.get(entry.outboxId) ?? 0) + 1);
      } catch {
        // not a log line
      }
    }
  });
  return sends;
}
