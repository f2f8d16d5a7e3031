// Applications per second: complete enterprise-opening applications POSTed with `submit: true` over
// HTTP on PostgreSQL — each accepted by the system in the same request (智能受理: application,
// idempotency key, events, acceptance notice, members, audit entry) — against a baseline route in
// the same process and run that only inserts the same rows in one transaction.
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import type { DestinationStream } from 'pino';
import { insertApplicationRows, type ApplicationRows } from '../src/cases';
import { appendAudit } from '../src/platform/audit';
import { openJson } from '../src/platform/crypto';
import { loadConfig } from '../src/platform/config';
import { freshSchemaName, openDatabase, type Db, type Kdb } from '../src/platform/db/database';
import { migrate } from '../src/platform/db/migrate';
import { createApp, requireActor, SESSION_COOKIE, type App } from '../src/platform/http/app';
import { ROUTES, seedDemoData } from '../src/server';
import { OPENING_ANSWERS, OPENING_PLEDGES, openingData } from '../src/cases/samples';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
const CLIENTS = Number(process.env.BENCH_CLIENTS || 8);
const ROUNDS = 10;
const BASELINE_PATH = '/api/bench/intake-baseline';

const silent: DestinationStream = { write: () => undefined };

/** The rows of one application the system accepted, as templates for the baseline's inserts. */
async function templateRows(db: Kdb, applicationId: string): Promise<ApplicationRows> {
  const app = await db
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', applicationId)
    .executeTakeFirstOrThrow();
  const request = await db
    .selectFrom('applicationRequests')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .executeTakeFirstOrThrow();
  const events = await db
    .selectFrom('applicationEvents')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .orderBy('id')
    .execute();
  const notice = await db
    .selectFrom('applicationNotices')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .executeTakeFirstOrThrow();
  const members = await db
    .selectFrom('applicationMembers')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .execute();
  const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
  return {
    application: {
      id: '',
      numberPrefix: app.number.slice(0, 11),
      bundleCode: app.bundleCode,
      bundleVersion: app.bundleVersion,
      status: app.status,
      channel: app.channel,
      regionCode: app.regionCode,
      subjectId: app.subjectId,
      applicant: JSON.stringify(app.applicant),
      applicantName: app.applicantName,
      createdBy: app.createdBy,
      assistedBy: null,
      consent: null,
      answers: JSON.stringify(app.answers),
      data: JSON.stringify(app.data),
      pledges: JSON.stringify(app.pledges),
      snapshot: json(app.snapshot),
      deficiency: json(app.deficiency),
      expectedBy: app.expectedBy,
      expectedProvisional: app.expectedProvisional,
      publicToken: '',
      createdAt: app.createdAt,
      updatedAt: app.updatedAt,
      submittedAt: app.submittedAt,
      acceptedAt: app.acceptedAt,
      decidedAt: app.decidedAt,
    },
    request: { userId: request.userId, key: '', requestHash: request.requestHash },
    events: events.map((e) => ({
      action: e.action,
      actorId: e.actorId,
      actorName: e.actorName,
      actorRole: e.actorRole,
      note: e.note,
    })),
    notice: {
      id: '',
      numberPrefix: notice.number.slice(0, 10),
      regionCode: notice.regionCode,
      kind: notice.kind,
      issuedAt: notice.issuedAt,
      issuedBy: notice.issuedBy,
      issuerName: notice.issuerName,
      issuerDepartment: notice.issuerDepartment,
      facts: JSON.stringify(notice.facts),
    },
    members: members.map((m) => ({
      memberKey: m.memberKey,
      regionCode: m.regionCode,
      itemCode: m.itemCode,
      itemVersion: m.itemVersion,
      departmentCode: m.departmentCode,
      afterMembers: JSON.stringify(m.afterMembers),
      // opened: the insert seals them again, as the real path does
      answers: JSON.stringify(openJson(m.answers)),
      data: JSON.stringify(openJson(m.data)),
      startsAfterHours: Number(m.startsAfterHours),
      finishesAfterHours: Number(m.finishesAfterHours),
    })),
  };
}

/** The bench-only route: the same rows and audit entry in one transaction, nothing else. */
function baselineRoute(db: Db, template: () => ApplicationRows | null) {
  return (app: App) => {
    app.post(
      BASELINE_PATH,
      {
        config: { access: { roles: ['citizen', 'enterprise'], scope: 'own' } },
        schema: { hide: true, body: Type.Object({}, { additionalProperties: true }) },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const rows = template();
        if (!rows) throw new Error('no template yet');
        const now = new Date();
        const id = randomUUID();
        const created = await db.kysely.transaction().execute(async (trx) => {
          const row = await insertApplicationRows(
            trx,
            {
              ...rows,
              application: { ...rows.application, id, publicToken: randomUUID() },
              request: { ...rows.request, key: randomUUID() },
              notice: { ...rows.notice, id: randomUUID() },
            },
            now,
          );
          await appendAudit(trx, {
            actorId: actor.userId,
            actorRole: actor.role,
            action: 'cases.application_created',
            objectType: 'application',
            objectId: row.id,
            ip: request.ip,
            requestId: String(request.id),
            detail: { number: row.number, bench: true },
          });
          return row;
        });
        return reply.status(201).send({ id: created.id, number: created.number });
      },
    );
  };
}

async function signIn(url: string, username: string): Promise<string> {
  const response = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'OneThing@2026' }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${username}: ${response.status}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  return cookie!.split(';')[0]!;
}

let sequence = 0;

/**
 * One complete enterprise-opening application, submitted at once. The reply is read but parsed only
 * when asked for: the client shares the process, and its parsing is not the server's work.
 */
async function submitApplication(
  url: string,
  cookie: string,
  parse = false,
): Promise<Record<string, unknown>> {
  const n = ++sequence;
  const response = await fetch(`${url}/api/applications`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie,
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify({
      bundleCode: 'enterprise-opening',
      answers: OPENING_ANSWERS,
      data: openingData(n),
      pledges: OPENING_PLEDGES,
      submit: true,
    }),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  if (response.status !== 201) throw new Error(`submit: ${response.status} ${bytes.toString()}`);
  return parse ? (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>) : {};
}

async function baselineInsert(url: string, cookie: string): Promise<void> {
  const response = await fetch(`${url}${BASELINE_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ n: ++sequence }),
  });
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`baseline: ${response.status}`);
}

/** Runs `work` from CLIENTS concurrent clients for `seconds`; completed operations per second. */
async function measure(seconds: number, work: () => Promise<unknown>): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        await work();
        done++;
      }
    }),
  );
  return done / ((performance.now() - began) / 1000);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Prints the figures and, last, `BENCH intake apps_per_s=… baseline_per_s=… ratio=…`. */
export async function run(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS || 20);
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_URL;
  const db = await openDatabase({
    url: databaseUrl,
    schema: freshSchemaName('bench'),
    dropSchemaOnClose: true,
    poolSize: 10,
  });
  let app: App | null = null;
  try {
    await migrate(db.kysely);
    await seedDemoData(db);
    let template: ApplicationRows | null = null;
    const config = loadConfig({ LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl });
    app = await createApp(
      { db, config },
      { routes: [...ROUTES, baselineRoute(db, () => template)], logStream: silent },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    const url = `http://127.0.0.1:${address.port}`;
    const cookie = await signIn(url, 'enterprise');

    // One application first: it must be accepted by the system, and it is the baseline's template.
    const first = await submitApplication(url, cookie, true);
    if (first.status !== 'accepted') throw new Error(`expected acceptance, got ${first.status}`);
    template = await templateRows(db.kysely, first.id as string);
    const bytes = JSON.stringify(first).length;

    // Warm-up, so both paths run with a settled JIT, caches and pool.
    await measure(Math.min(2, seconds / 10), () => submitApplication(url, cookie));
    await measure(Math.min(2, seconds / 10), () => baselineInsert(url, cookie));

    const slice = seconds / ROUNDS;
    const runs = { apps: [] as number[], baseline: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternating, so a noisy neighbour slows both alike.
      runs.apps.push(await measure(slice, () => submitApplication(url, cookie)));
      runs.baseline.push(await measure(slice, () => baselineInsert(url, cookie)));
    }
    const apps = median(runs.apps);
    const baseline = median(runs.baseline);
    const count = await db.kysely
      .selectFrom('applications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'accepted')
      .executeTakeFirstOrThrow();

    console.log(
      `intake: enterprise-opening submitted with submit: true over HTTP, PostgreSQL, ${CLIENTS} ` +
        `concurrent clients, ${ROUNDS} alternating rounds of ${slice.toFixed(1)} s per side, medians`,
    );
    console.log(
      `  each application: ${template.events.length} events, 1 acceptance notice, ` +
        `${template.members.length} members, 1 audit entry; reply ${bytes.toLocaleString('en-US')} bytes`,
    );
    const line = (label: string, values: number[]) =>
      console.log(
        `  ${label.padEnd(58)}${median(values).toFixed(0).padStart(7)} /s   runs: ` +
          values.map((v) => v.toFixed(0)).join(', '),
      );
    line('POST /api/applications (submit: true, accepted at once)', runs.apps);
    line('baseline: bench-only route, same rows in one transaction', runs.baseline);
    console.log(`  ${Number(count.n).toLocaleString('en-US')} applications accepted in the run`);
    console.log(
      `BENCH intake apps_per_s=${apps.toFixed(1)} baseline_per_s=${baseline.toFixed(1)} ratio=${(apps / baseline).toFixed(2)}`,
    );
  } finally {
    await app?.close();
    await db.close();
  }
}
