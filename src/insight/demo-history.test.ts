// The demo's six months of cockpit history: what it stores and counts, that it is the same for the
// same clock and stored once, that no event handler ever runs for it, and that its figures are the
// ones designed (on time 85–98 % and online 60–85 % in every district, 乳山 the slowest, …).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleService, readSeedBundles } from '../bundles';
import { CatalogService, seedCatalog } from '../catalog';
import { loadConfig } from '../platform/config';
import type { Db } from '../platform/db/database';
import type { App } from '../platform/http/app';
import { seedDemo } from '../platform/seed/demo';
import { buildServer } from '../server';
import { createTestDb } from '../../test/support/db';
import { startTestServer, type TestServer } from '../../test/support/server';
import { HISTORY_DAYS, HISTORY_HANDLERS, removeDemoHistory, seedDemoHistory } from './demo-history';
import { DURATION_EDGES } from './indicators';
import { ROLLUP_EVENTS } from './rollups';

const NOW = new Date('2026-03-16T10:00:00+08:00');
const DAY_MS = 86_400_000;
const TYPES = Object.values(ROLLUP_EVENTS);
const pct = (part: number, whole: number) => (100 * part) / whole;

async function storedHistory(db: Db) {
  const rows = await db.kysely
    .selectFrom('domainEvents')
    .select(['type', 'key', 'regionCode', 'payload', 'occurredAt'])
    .where('type', 'in', TYPES)
    .orderBy('type')
    .orderBy('key')
    .execute();
  return rows.map((r) => ({ ...r, occurredAt: r.occurredAt.toISOString() }));
}

/** Rows of the tables a handler of the history's events would have written to. */
async function handlerEffects(db: Db) {
  const counts = await sql<Record<string, number>>`
    select (select count(*) from rateable_services)::int as services,
      (select count(*) from ratings)::int as ratings,
      (select count(*) from messages)::int as messages,
      (select count(*) from outbox)::int as outbox`.execute(db.kysely);
  return counts.rows[0]!;
}

describe('seedDemoHistory', () => {
  let db: Db;
  let app: App | undefined;
  let stored = 0;

  beforeAll(async () => {
    db = await createTestDb();
    await seedDemo(db.kysely);
    await seedCatalog(db.kysely);
    await new BundleService(db.kysely, new CatalogService(db.kysely)).seed(readSeedBundles());
    stored = await seedDemoHistory(db.kysely, { now: NOW });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('stores six months of applications and closed tickets, every one flagged demo', async () => {
    const events = await storedHistory(db);
    expect(events).toHaveLength(stored);
    const of = (type: string) => events.filter((e) => e.type === type);
    const submitted = of(ROLLUP_EVENTS.submitted);
    const completed = of(ROLLUP_EVENTS.completed);
    const closed = of(ROLLUP_EVENTS.ticketClosed);
    expect(submitted.length).toBeGreaterThan(3600);
    expect(submitted.length).toBeLessThan(4400);
    // all but the most recent few percent are done
    expect(pct(completed.length, submitted.length)).toBeGreaterThan(90);
    expect(completed.length).toBeLessThan(submitted.length);
    expect(closed.length).toBeGreaterThan(2200);
    expect(closed.length).toBeLessThan(2800);
    expect(events.every((e) => (e.payload as { demo?: boolean }).demo === true)).toBe(true);
    const since = new Date(NOW.getTime() - HISTORY_DAYS * DAY_MS).toISOString();
    expect(events.every((e) => e.occurredAt >= since && e.occurredAt < NOW.toISOString())).toBe(
      true,
    );
    // every seed bundle, every district and zone of the demo, every hotline group
    const bundles = new Set(submitted.map((e) => (e.payload as { bundleCode: string }).bundleCode));
    expect([...bundles].sort()).toEqual(readSeedBundles().map((b) => b.code));
    expect(new Set(events.map((e) => e.regionCode))).toEqual(
      new Set(['371002', '371003', '371082', '371083', '371071', '371072', '371073', '371072-ZB']),
    );
    const groups = new Set(
      closed.map((e) => (e.payload as { categoryCode: string }).categoryCode.slice(0, 2)),
    );
    expect(groups.size).toBe(9);
    // a completion says what the bundle saved, as the cases' completion event does
    expect(completed[0]!.payload).toMatchObject({
      savings: {
        steps: expect.any(Number),
        materials: expect.any(Number),
        visits: expect.any(Number),
        waived: expect.any(Number),
        committedVisits: expect.any(Number),
      },
    });
  });

  it('counts the history into the rollups', async () => {
    const events = await storedHistory(db);
    const completed = events
      .filter((e) => e.type === ROLLUP_EVENTS.completed)
      .map((e) => e.payload as { onTime: boolean; savings: Record<string, number> });
    const sums = await sql<Record<string, number>>`
      select sum(submitted)::int as submitted, sum(submitted_online)::int as online,
        sum(completed)::int as completed, sum(completed_on_time)::int as on_time,
        sum(saved_steps)::int as steps, sum(saved_materials)::int as materials,
        sum(waived_materials)::int as waived,
        (select sum(n)::int from insight_application_durations) as durations,
        (select sum(closed)::int from insight_ticket_days) as closed
      from insight_application_days`.execute(db.kysely);
    const of = (type: string) => events.filter((e) => e.type === type).length;
    const total = (key: string) => completed.reduce((n, c) => n + c.savings[key]!, 0);
    expect(sums.rows[0]).toEqual({
      submitted: of(ROLLUP_EVENTS.submitted),
      online: events.filter(
        (e) =>
          e.type === ROLLUP_EVENTS.submitted &&
          (e.payload as { channel: string }).channel === 'online',
      ).length,
      completed: completed.length,
      onTime: completed.filter((c) => c.onTime).length,
      steps: total('steps'),
      materials: total('materials'),
      waived: total('waived'),
      durations: completed.length,
      closed: of(ROLLUP_EVENTS.ticketClosed),
    });
  });

  it('has the figures designed: districts that differ, a weekly rhythm and growth', async () => {
    const regions = await sql<Record<string, number> & { regionCode: string }>`
      select region_code, sum(submitted)::int as submitted, sum(submitted_online)::int as online,
        sum(completed)::int as completed, sum(completed_on_time)::int as on_time,
        sum(duration_hours)::float8 as hours
      from insight_application_days group by region_code`.execute(db.kysely);
    for (const r of regions.rows) {
      expect(pct(r.onTime!, r.completed!), r.regionCode).toBeGreaterThanOrEqual(85);
      expect(pct(r.onTime!, r.completed!), r.regionCode).toBeLessThanOrEqual(98);
      expect(pct(r.online!, r.submitted!), r.regionCode).toBeGreaterThanOrEqual(60);
      expect(pct(r.online!, r.submitted!), r.regionCode).toBeLessThanOrEqual(85);
    }
    // 乳山 is the slowest district: the longest average and the lowest share on time
    const byAverage = [...regions.rows].sort(
      (a, b) => b.hours! / b.completed! - a.hours! / a.completed!,
    );
    expect(byAverage[0]!.regionCode).toBe('371083');
    const byOnTime = [...regions.rows].sort(
      (a, b) => a.onTime! / a.completed! - b.onTime! / b.completed!,
    );
    expect(byOnTime[0]!.regionCode).toBe('371083');
    // 企业开办 is done within its hour, nearly always
    const opening = await sql<{ bucket: number; n: number }>`
      select bucket, sum(n)::int as n from insight_application_durations
      where bundle_code = 'enterprise-opening' group by bucket`.execute(db.kysely);
    const within = opening.rows
      .filter((r) => DURATION_EDGES[r.bucket]! <= 1)
      .reduce((n, r) => n + r.n, 0);
    expect(
      pct(
        within,
        opening.rows.reduce((n, r) => n + r.n, 0),
      ),
    ).toBeGreaterThan(90);
    // working days busier than rest days; the last full month busier than the first
    const days = await sql<{ weekend: boolean; perDay: number }>`
      select extract(isodow from day) > 5 as weekend, sum(submitted)::float8 / count(distinct day) as per_day
      from insight_application_days group by 1`.execute(db.kysely);
    const perDay = (weekend: boolean) => days.rows.find((r) => r.weekend === weekend)!.perDay;
    expect(perDay(false)).toBeGreaterThan(2 * perDay(true));
    const months = await sql<{ month: string; submitted: number }>`
      select to_char(day, 'YYYY-MM') as month, sum(submitted)::int as submitted
      from insight_application_days group by 1 order by 1`.execute(db.kysely);
    const full = months.rows.slice(1, -1);
    expect(full.at(-1)!.submitted).toBeGreaterThan(full[0]!.submitted);
    // tickets: about 92 % on time, three in four rated, mostly satisfied
    const tickets = await sql<Record<string, number>>`
      select sum(closed)::int as closed, sum(closed_on_time)::int as on_time,
        sum(rated)::int as rated, sum(satisfied)::int as satisfied
      from insight_ticket_days`.execute(db.kysely);
    const t = tickets.rows[0]!;
    expect(pct(t.onTime!, t.closed!)).toBeGreaterThan(88);
    expect(pct(t.onTime!, t.closed!)).toBeLessThan(96);
    expect(pct(t.rated!, t.closed!)).toBeGreaterThan(70);
    expect(pct(t.rated!, t.closed!)).toBeLessThan(80);
    expect(pct(t.satisfied!, t.rated!)).toBeGreaterThan(85);
  });

  it('never hands a history event to a handler: each is recorded as delivered to all of them', async () => {
    app = await buildServer(db, loadConfig({ ONETHING_OUTBOX_SECONDS: '0' }), {
      logStream: { write: () => undefined },
    });
    await app.ready();
    // every handler the platform subscribes to the history's types is one the history names
    for (const type of TYPES) {
      const subscribed = app.events.subscriptions.filter((s) => s.type === type).map((s) => s.name);
      expect(subscribed.sort(), type).toEqual([...HISTORY_HANDLERS[type]!].sort());
    }
    const pairs = TYPES.reduce((n, type) => n + HISTORY_HANDLERS[type]!.length, 0);
    expect(pairs).toBe(5);
    const open = await sql<{ n: number }>`
      select count(*)::int as n from domain_events e
        join domain_event_deliveries d on d.event_id = e.id
      where e.payload->>'demo' = 'true'
        and (d.delivered_at is distinct from e.occurred_at or d.attempts <> 0)`.execute(db.kysely);
    expect(open.rows[0]!.n).toBe(0);
    const rollups =
      await sql`select * from insight_application_days order by day, region_code, bundle_code`.execute(
        db.kysely,
      );
    const before = await handlerEffects(db);
    // the platform's own dispatcher finds nothing due: no rating invited, no message, no count
    expect(await app.events.dispatch()).toEqual({ delivered: 0, failed: 0 });
    expect(await handlerEffects(db)).toEqual(before);
    expect(before).toEqual({ services: 0, ratings: 0, messages: 0, outbox: 0 });
    expect(
      (
        await sql`select * from insight_application_days order by day, region_code, bundle_code`.execute(
          db.kysely,
        )
      ).rows,
    ).toEqual(rollups.rows);
  });

  it('stores nothing the second time, or where such events exist', async () => {
    const count = (await storedHistory(db)).length;
    expect(await seedDemoHistory(db.kysely, { now: NOW })).toBe(0);
    expect(await storedHistory(db)).toHaveLength(count);
    await removeDemoHistory(db.kysely);
    await db.kysely
      .insertInto('domainEvents')
      .values({
        type: ROLLUP_EVENTS.ticketClosed,
        key: 'a-real-ticket:0',
        regionCode: '371002',
        payload: JSON.stringify({ categoryCode: 'CS-01', onTime: true }),
        occurredAt: NOW,
      })
      .execute();
    expect(await seedDemoHistory(db.kysely, { now: NOW })).toBe(0);
    expect(await storedHistory(db)).toHaveLength(1);
    await sql`delete from domain_events`.execute(db.kysely);
  });

  it('stores the same history again for the same clock', async () => {
    await removeDemoHistory(db.kysely);
    const first = await seedDemoHistory(db.kysely, { now: NOW });
    const events = await storedHistory(db);
    await removeDemoHistory(db.kysely);
    expect(await seedDemoHistory(db.kysely, { now: NOW })).toBe(first);
    expect(await storedHistory(db)).toEqual(events);
  });
});

describe('the demo history on a fresh start', () => {
  let server: TestServer;
  let supervisor: string;
  const today = new Date();
  const period = {
    from: new Date(today.getTime() - HISTORY_DAYS * DAY_MS).toISOString().slice(0, 10),
    to: today.toISOString().slice(0, 10),
  };

  beforeAll(async () => {
    // figures computed on every read: the test compares them before and after its handlers run
    server = await startTestServer({
      seed: 'all',
      env: { ONETHING_OUTBOX_SECONDS: '0', ONETHING_COCKPIT_MAX_AGE_SECONDS: '0' },
    });
    supervisor = await server.signIn('supervisor');
  });
  afterAll(() => server?.close());

  const indicators = async () => {
    const reply = await server.api(`/api/insight/indicators?${new URLSearchParams(period)}`, {
      cookie: supervisor,
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body;
  };

  it('shows the city’s six months with figures for each district', async () => {
    const body = await indicators();
    expect(body.figures.submitted).toBeGreaterThan(3000);
    expect(body.figures.onTimeRate).toBeGreaterThan(85);
    expect(body.byRegion.length).toBeGreaterThanOrEqual(7);
    expect(body.byDay.length).toBeGreaterThan(150);
  });

  it('counts the demo tickets’ closings once, on top of the history', async () => {
    // the demo tickets closed after the history was stored: the cockpit's handler counts them now
    const closings = await sql<{ n: number }>`
      select count(*)::int as n from domain_events
      where type = ${ROLLUP_EVENTS.ticketClosed} and payload->>'demo' is null`.execute(
      server.db.kysely,
    );
    expect(closings.rows[0]!.n).toBeGreaterThan(0);
    await server.app.events.dispatch();
    const counted = await indicators();
    const admin = await server.signIn('admin');
    const rebuilt = await server.api('/api/insight/rebuild', { method: 'POST', cookie: admin });
    expect(rebuilt.status).toBe(200);
    const { asOf, ...again } = await indicators();
    expect(Date.parse(asOf)).toBeGreaterThanOrEqual(Date.parse(counted.asOf));
    expect({ ...again, asOf: counted.asOf }).toEqual(counted);
  });
});
