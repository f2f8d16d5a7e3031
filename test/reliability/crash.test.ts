import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshSchemaName, openDatabase, type Db } from '../../src/platform/db/database';
import { migrate } from '../../src/platform/db/migrate';
import { seedDemoData } from '../../src/server';
import { startChildServer, type ChildServer } from '../support/child-server';
import {
  EVENT_OF,
  countApplications,
  createReviewers,
  expectActionsAppliedOnce,
  expectOneApplicationEach,
  expectStoredOnce,
  nextCaseStep,
  openingSubmission,
  type ListedCase,
} from '../support/recovery';

// The platform is killed outright (SIGKILL: no shutdown, no flush) while enterprises submit
// enterprise openings and reviewers work the cases they fan out to, then started again on the same
// database; every request that was not answered is sent again (submissions with the same
// Idempotency-Key). Nothing acknowledged may be lost, nothing applied twice, and every cached due
// instant must still be what the clock recomputes from the stored start and segments.
// On PostgreSQL (DATABASE_URL) the platform runs in a fresh schema; otherwise on the embedded PGlite
// in a data folder of its own, which the test opens only while the platform is down (PGlite allows
// one process at a time).

const DATABASE_URL = process.env.DATABASE_URL;
/** Kill-and-restart rounds; PGlite starts slower (WASM), so one there keeps the test near a minute. */
const CYCLES = DATABASE_URL ? 2 : 1;
/** Acknowledged work to wait for before each kill (or the time limit, whichever comes first). */
const BEFORE_KILL = { submissions: 3, actions: 15, maxMs: 10_000 };

interface Submission {
  key: string;
  body: Record<string, unknown>;
  acked: boolean;
  id?: string;
}

interface CaseAction {
  caseId: string;
  action: string;
  /** Idempotency-Key: a retry returns the case instead of a conflict when the first was applied */
  key: string;
  /** answered 2xx (first time or on the retry), or found committed when the retry got 409 */
  done: boolean;
  acked: boolean;
}

describe('crash recovery: the platform killed (SIGKILL) and restarted under load', () => {
  const schema = freshSchemaName('crash');
  const dataDir = DATABASE_URL ? null : mkdtempSync(join(tmpdir(), 'onething-crash-'));
  let pg: Db | null = null;
  let server: ChildServer | null = null;

  afterAll(async () => {
    await server?.kill();
    await pg?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const env: Record<string, string> = DATABASE_URL
    ? { DATABASE_URL, ONETHING_DB_SCHEMA: schema }
    : { DATABASE_URL: '', ONETHING_DATA_DIR: dataDir! };
  // the sweep would add warning events of its own; this test counts the reviewers' events
  const start = () => startChildServer({ ...env, ONETHING_SLA_SWEEP_SECONDS: '0' });

  /** Runs `work` on the platform's database (PGlite: only while the platform is down). */
  async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
    if (DATABASE_URL) {
      pg ??= await openDatabase({
        url: DATABASE_URL,
        schema,
        dropSchemaOnClose: true,
        poolSize: 2,
      });
      return work(pg);
    }
    const db = await openDatabase({ url: null, dataDir: dataDir! });
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  }

  it('loses no acknowledged submission or case action, applies none twice, and keeps every due right', async () => {
    const submissions: Submission[] = [];
    const actions: CaseAction[] = [];
    let n = 0;

    // The demo data and a reviewer per department, as the first start would seed them.
    const seeded = Date.now();
    const { reviewerNames, enterpriseId, before } = await withDb(async (db) => {
      const k = db.kysely;
      await migrate(k);
      await seedDemoData(db, { syntheticSubjects: 0 });
      const names = await createReviewers(k, 'crash-reviewer');
      const enterprise = await k
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'enterprise')
        .executeTakeFirstOrThrow();
      const before = await countApplications(k, enterprise.id);
      return { reviewerNames: names, enterpriseId: enterprise.id, before };
    });
    server = await start();
    console.log(`crash: seeded and started in ${Date.now() - seeded} ms`);

    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const live = server!;
      const enterprise = await live.signIn('enterprise');
      const admin = await live.signIn('admin');
      // signed in when first needed: signing in hashes a password, dozens would cost seconds
      const sessions = new Map<string, Promise<string>>();
      const reviewerOf = (department: string) => {
        let cookie = sessions.get(department);
        if (!cookie) {
          cookie = live.signIn(reviewerNames.get(department)!);
          sessions.set(department, cookie);
        }
        return cookie;
      };
      let alive = true;
      const unexpected: string[] = [];
      const accepted: string[] = submissions.filter((s) => s.id).map((s) => s.id!);

      const submitter = async () => {
        while (alive) {
          n += 1;
          const s: Submission = { key: randomUUID(), body: openingSubmission(n), acked: false };
          submissions.push(s);
          let reply;
          try {
            reply = await live.api('/api/applications', {
              method: 'POST',
              cookie: enterprise,
              headers: { 'idempotency-key': s.key },
              body: s.body,
            });
          } catch {
            return; // no answer: the server is gone; retried after the restart
          }
          if (reply.status !== 201) {
            unexpected.push(`submit ${reply.status} ${JSON.stringify(reply.body)}`);
            return;
          }
          s.acked = true;
          s.id = reply.body.id;
          accepted.push(reply.body.id);
        }
      };

      // Each worker takes whole applications and walks their cases to the result.
      const reviewer = async () => {
        while (alive) {
          const appId = accepted.shift();
          if (!appId) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            continue;
          }
          for (;;) {
            let list;
            try {
              list = await live.api(`/api/cases?application=${appId}&limit=200`, {
                cookie: admin,
              });
            } catch {
              return;
            }
            const next = nextCaseStep(list.body.items as ListedCase[]);
            if (!next) break;
            const a: CaseAction = {
              caseId: next.caseId,
              action: next.action,
              key: randomUUID(),
              done: false,
              acked: false,
            };
            actions.push(a);
            let reply;
            try {
              reply = await live.api(`/api/cases/${a.caseId}/${a.action}`, {
                method: 'POST',
                cookie: await reviewerOf(next.departmentCode),
                headers: { 'idempotency-key': a.key },
                body: {},
              });
            } catch {
              return;
            }
            if (reply.status !== 200) {
              unexpected.push(`${a.action} ${reply.status} ${JSON.stringify(reply.body)}`);
              return;
            }
            a.acked = true;
            a.done = true;
          }
        }
      };

      const workers = [submitter(), reviewer(), reviewer(), reviewer()];
      const began = Date.now();
      const counts = () => ({
        submissions: submissions.filter((s) => s.acked).length,
        actions: actions.filter((a) => a.acked).length,
      });
      const target = {
        submissions: counts().submissions + BEFORE_KILL.submissions,
        actions: counts().actions + BEFORE_KILL.actions,
      };
      while (Date.now() - began < BEFORE_KILL.maxMs && unexpected.length === 0) {
        const c = counts();
        if (c.submissions >= target.submissions && c.actions >= target.actions) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      // Kill while the workers still have requests in flight.
      await live.kill();
      alive = false;
      await Promise.all(workers);
      expect(unexpected).toEqual([]);
      expect(counts().submissions).toBeGreaterThan(0);
      const inFlight = {
        submissions: submissions.filter((s) => !s.acked).length,
        actions: actions.filter((a) => !a.done).length,
      };
      console.log(
        `crash: cycle ${cycle} killed after ${Date.now() - began} ms with ` +
          `${counts().submissions} submissions and ${counts().actions} case actions acknowledged, ` +
          `${inFlight.submissions} submissions and ${inFlight.actions} actions unanswered`,
      );

      const restarted = Date.now();
      server = await start();
      const again = server;
      console.log(`crash: restarted in ${Date.now() - restarted} ms`);
      const enterprise2 = await again.signIn('enterprise');
      // Every submission not answered is sent again with its key: created now, or replayed.
      for (const s of submissions.filter((x) => !x.acked)) {
        const reply = await again.api('/api/applications', {
          method: 'POST',
          cookie: enterprise2,
          headers: { 'idempotency-key': s.key },
          body: s.body,
        });
        expect([200, 201], JSON.stringify(reply.body)).toContain(reply.status);
        s.acked = true;
        s.id = reply.body.id;
      }
      // Every case action not answered is sent again with its key: applied now, or answered with
      // the case when it was applied before the kill; either way its event is there exactly once.
      const admin2 = await again.signIn('admin');
      for (const a of actions.filter((x) => !x.done)) {
        const view = await again.api(`/api/cases/${a.caseId}`, { cookie: admin2 });
        expect(view.status).toBe(200);
        const reply = await again.api(`/api/cases/${a.caseId}/${a.action}`, {
          method: 'POST',
          cookie: await again.signIn(reviewerNames.get(view.body.departmentCode)!),
          headers: { 'idempotency-key': a.key },
          body: {},
        });
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
        const after = await again.api(`/api/cases/${a.caseId}`, { cookie: admin2 });
        const recorded = (after.body.events as { action: string }[]).filter(
          (e) => e.action === EVENT_OF[a.action]!.event,
        ).length;
        expect(recorded, `${a.action} on ${a.caseId}`).toBe(1);
        a.done = true;
      }
    }

    const live = server!;
    const enterprise = await live.signIn('enterprise');
    const admin = await live.signIn('admin');

    // Every submission got an application, a different one each, and a replay answers with it.
    await expectOneApplicationEach(live, enterprise, submissions, submissions.slice(0, 5));

    // Every action done is reflected once (GET /api/cases/:id): one event for it, and the case in
    // the state its last action left it.
    expect(actions.filter((a) => a.acked).length).toBeGreaterThan(0);
    await expectActionsAppliedOnce(
      live,
      admin,
      actions.filter((a) => a.done),
    );

    // The rest is read from the database (PGlite: once the platform is down): each submission
    // exactly once under its key, one case per member, no step twice, every due right, and the
    // audit chain survived the kills.
    if (!DATABASE_URL) await live.kill();
    await withDb((db) => expectStoredOnce(db.kysely, enterpriseId, before, submissions));
  }, 180_000);
});
