import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENING_ANSWERS, OPENING_PLEDGES, openingData } from '../../src/cases/samples';
import { freshSchemaName, openDatabase, type Db } from '../../src/platform/db/database';
import { migrate } from '../../src/platform/db/migrate';
import { seedDemoData } from '../../src/server';
import { startBalancer, type Balancer } from '../support/balancer';
import { startChildServer, type ChildServer } from '../support/child-server';
import { sessionCookieOf } from '../support/http';
import { DEMO_PASSWORD } from '../support/server';

// Two app servers (`onething start`, separate processes) on one PostgreSQL schema behind a
// round-robin balancer without sticky sessions, as docs/scale-out.md describes. What a user does
// through one server must hold on the other: sessions, idempotency keys and the outbox live in the
// database, so nothing may depend on which server a request reaches. Rate limits are counted per
// process; the last test measures that caveat rather than hiding it.
// PostgreSQL only: PGlite is an embedded database that one process opens at a time, so two servers
// cannot share it.

const DATABASE_URL = process.env.DATABASE_URL;
/** Sign-in attempts per username and window on each server, low enough to reach in a test. */
const SIGNIN_PER_USER = 2;
/** Submissions whose notices queue SMS for the two delivery loops to race on. */
const SUBMISSIONS = 8;

/** One line a console sender logged for a message it sent (pino JSON on stdout). */
interface SentLine {
  outboxId: string;
  server: number;
}

/** The outbox rows each server's console sender reports sending, read from its log lines. */
function watchSends(child: ChildServer, server: number, into: SentLine[]): void {
  let pending = '';
  child.process.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('sent (console)')) continue;
      try {
        const entry = JSON.parse(line) as { outboxId?: string };
        if (entry.outboxId) into.push({ outboxId: entry.outboxId, server });
      } catch {
        // not a JSON log line
      }
    }
  });
}

async function waitFor<T>(
  what: () => string,
  probe: () => Promise<T | null>,
  ms: number,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const describeOnPostgres = DATABASE_URL ? describe : describe.skip;

describeOnPostgres('two app servers behind a round-robin balancer on one PostgreSQL', () => {
  const schema = freshSchemaName('scale');
  let db: Db;
  const servers: ChildServer[] = [];
  let lb: Balancer;
  const sent: SentLine[] = [];
  let enterpriseId: string;
  /** The enterprise signed in once (sign-ins are rate limited per username, low on purpose here). */
  let enterprise: string;

  beforeAll(async () => {
    db = await openDatabase({ url: DATABASE_URL!, schema, dropSchemaOnClose: true, poolSize: 2 });
    await migrate(db.kysely);
    await seedDemoData(db, { syntheticSubjects: 0 });
    const account = await db.kysely
      .selectFrom('users')
      .select(['id', 'subjectId'])
      .where('username', '=', 'enterprise')
      .executeTakeFirstOrThrow();
    enterpriseId = account.id;
    // The demo enterprise has no mobile; with one, every notice to it also queues an SMS (a value
    // stored unsealed is read as is, like data from before sealing).
    await db.kysely
      .updateTable('subjects')
      .set({ mobile: '13906310099' })
      .where('id', '=', account.subjectId!)
      .execute();
    const env = {
      DATABASE_URL: DATABASE_URL!,
      ONETHING_DB_SCHEMA: schema,
      // info: the console senders log each message they send, which is what the test counts
      LOG_LEVEL: 'info',
      // both servers run the event dispatcher and the outbox sender every second
      ONETHING_OUTBOX_SECONDS: '1',
      ONETHING_SLA_SWEEP_SECONDS: '0',
      // behind the balancer: the client address comes from X-Forwarded-For
      ONETHING_TRUST_PROXY: '1',
      ONETHING_RATE_SIGNIN_PER_USER: String(SIGNIN_PER_USER),
    };
    // One after the other: on a busy machine two cold starts at once can outlast the start-up
    // limit (starting together is safe: migrations run under an advisory lock).
    for (let i = 0; i < 2; i++) {
      servers.push(await startChildServer(env));
      watchSends(servers[i]!, i, sent);
    }
    lb = await startBalancer(servers.map((s) => s.url));
    enterprise = await servers[1]!.signIn('enterprise');
  }, 300_000);

  afterAll(async () => {
    await lb?.close();
    await Promise.all(servers.map((s) => s.kill()));
    await db?.close();
  });

  it('keeps a session made on one server valid on the other, and a sign-out on one ends it on both', async () => {
    const signIn = await lb.api('/api/session', {
      method: 'POST',
      body: { username: 'enterprise', password: DEMO_PASSWORD },
    });
    expect(signIn.status).toBe(200);
    const cookie = sessionCookieOf(signIn.headers);

    const seen = new Set<number>([signIn.served]);
    for (let i = 0; i < 4; i++) {
      const me = await lb.api('/api/me', { cookie });
      expect(me.status).toBe(200);
      expect(me.body.user.username).toBe('enterprise');
      seen.add(me.served);
    }
    expect([...seen].sort()).toEqual([0, 1]);

    const signOut = await lb.api('/api/session', { method: 'DELETE', cookie });
    expect(signOut.status).toBe(204);
    // the next two requests reach both servers, the one that ended the session and the other
    const after = [await lb.api('/api/me', { cookie }), await lb.api('/api/me', { cookie })];
    expect(after.map((r) => r.status)).toEqual([401, 401]);
    expect(new Set(after.map((r) => r.served)).size).toBe(2);
  });

  it('creates one application for one Idempotency-Key sent to both servers, one after the other', async () => {
    const cookie = enterprise;
    const key = randomUUID();
    const body = {
      bundleCode: 'enterprise-opening',
      answers: OPENING_ANSWERS,
      data: openingData(9001),
      pledges: OPENING_PLEDGES,
      submit: true,
    };
    const send = () =>
      lb.api('/api/applications', {
        method: 'POST',
        cookie,
        headers: { 'idempotency-key': key },
        body,
      });
    const first = await send();
    const second = await send();
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(first.served).not.toBe(second.served);
    expect(second.body.id).toBe(first.body.id);

    const keys = await db.kysely
      .selectFrom('applicationRequests')
      .select('applicationId')
      .where('userId', '=', enterpriseId)
      .where('idempotencyKey', '=', key)
      .execute();
    expect(keys.map((k) => k.applicationId)).toEqual([first.body.id]);
  });

  it('creates one application for one Idempotency-Key sent to both servers at the same time', async () => {
    const cookie = enterprise;
    const before = await applicationsOf(enterpriseId);
    const key = randomUUID();
    const body = {
      bundleCode: 'enterprise-opening',
      answers: OPENING_ANSWERS,
      data: openingData(9002),
      pledges: OPENING_PLEDGES,
      submit: true,
    };
    const replies = await Promise.all(
      Array.from({ length: 6 }, () =>
        lb.api('/api/applications', {
          method: 'POST',
          cookie,
          headers: { 'idempotency-key': key },
          body,
        }),
      ),
    );
    expect(new Set(replies.map((r) => r.served)).size).toBe(2);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(await applicationsOf(enterpriseId)).toBe(before + 1);
  });

  it('sends every queued SMS exactly once although both servers run delivery loops', async () => {
    const cookie = enterprise;
    const ids: string[] = [];
    // Every submission is accepted at once and its acceptance notice queues an SMS to the
    // applicant; submissions alternate between the servers.
    for (let n = 0; n < SUBMISSIONS; n++) {
      const reply = await lb.api('/api/applications', {
        method: 'POST',
        cookie,
        headers: { 'idempotency-key': randomUUID() },
        body: {
          bundleCode: 'enterprise-opening',
          answers: OPENING_ANSWERS,
          data: openingData(9100 + n),
          pledges: OPENING_PLEDGES,
          submit: true,
        },
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      ids.push(reply.body.id);
    }

    // Wait until nothing is left to send, then compare the outbox with what the senders logged.
    // (each run dispatches the pending domain events first, then sends; the demo seed leaves many)
    let states = '';
    const rows = await waitFor(
      () => `the outbox to drain (${states})`,
      async () => {
        const all = await db.kysely.selectFrom('outbox').selectAll().execute();
        states = JSON.stringify(all.map((r) => `${r.state}/${r.attempts}/${r.lastError ?? ''}`));
        const ours = all.filter((r) => r.dedupeKey.startsWith('notice:')).length;
        return ours >= ids.length && all.every((r) => r.state === 'sent') ? all : null;
      },
      150_000,
    );
    // at least the acceptance notices' SMS (one per submission) are among them
    expect(rows.filter((r) => r.dedupeKey.startsWith('notice:')).length).toBeGreaterThanOrEqual(
      ids.length,
    );
    // give a late duplicate, if any, a delivery tick to show up in the logs
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const outboxIds = rows.map((r) => r.id).sort();
    expect(sent.map((s) => s.outboxId).sort()).toEqual(outboxIds);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    const byServer = [0, 1].map((i) => sent.filter((s) => s.server === i).length);
    console.log(
      `two-servers: ${rows.length} outbox messages, sent by server 0: ${byServer[0]}, ` +
        `server 1: ${byServer[1]}; requests through the balancer: ${lb.log.length}`,
    );

    // The in-app messages of the notices: one per notice and recipient, whichever server wrote them.
    const messages = await db.kysely
      .selectFrom('messages')
      .select(['userId', 'dedupeKey'])
      .where('userId', '=', enterpriseId)
      .where('dedupeKey', 'like', 'notice:%')
      .execute();
    expect(new Set(messages.map((m) => m.dedupeKey)).size).toBe(messages.length);
    expect(messages.length).toBeGreaterThanOrEqual(SUBMISSIONS);
  }, 240_000);

  it('counts rate limits per server: behind N servers a limit lets N times as many through', async () => {
    const attempt = () =>
      lb.api('/api/session', {
        method: 'POST',
        body: { username: 'nobody-here', password: 'wrong-password-1' },
      });
    const replies = [];
    for (let i = 0; i < 2 * SIGNIN_PER_USER + 2; i++) replies.push(await attempt());
    // each server lets SIGNIN_PER_USER attempts through (refused as bad credentials), then 429
    expect(replies.map((r) => r.status)).toEqual([
      ...Array<number>(2 * SIGNIN_PER_USER).fill(401),
      429,
      429,
    ]);
    expect(new Set(replies.slice(-2).map((r) => r.served)).size).toBe(2);
  });

  async function applicationsOf(userId: string): Promise<number> {
    const row = await db.kysely
      .selectFrom('applications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('createdBy', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
});
