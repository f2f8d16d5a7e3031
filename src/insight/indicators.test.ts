// Indicator formulas against hand-computed values on small fixtures, and the rollups end to end:
// a real application submitted and completed, a ticket's closing event, the figures of the month
// from the handlers and again from a rebuild of the stored events.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENING_ANSWERS, openingData } from '../cases/samples';
import { toLocalDate } from '../platform/calendar';
import { startTestServer, type TestServer } from '../../test/support/server';
import { removeDemoHistory } from './demo-history';
import {
  DURATION_EDGES,
  durationBucket,
  figures,
  isEasy,
  quantileOfBuckets,
  rate,
  type ApplicationSums,
} from './indicators';

const none: ApplicationSums = {
  submitted: 0,
  submittedOnline: 0,
  completed: 0,
  completedOnTime: 0,
  easy: 0,
  durationHours: 0,
  savedSteps: 0,
  savedMaterials: 0,
  savedVisits: 0,
  waivedMaterials: 0,
};
const noTickets = { closed: 0, closedOnTime: 0, rated: 0, satisfied: 0 };

describe('indicator formulas', () => {
  it('rounds shares to 0.1 % and has none without a denominator', () => {
    expect(rate(9, 10)).toBe(90);
    expect(rate(2, 3)).toBe(66.7);
    expect(rate(0, 0)).toBeNull();
  });

  it('puts completion times in buckets by their upper edge', () => {
    expect(durationBucket(0)).toBe(0);
    expect(durationBucket(0.25)).toBe(0);
    expect(durationBucket(0.26)).toBe(1);
    expect(durationBucket(1)).toBe(2);
    expect(durationBucket(100_000)).toBe(DURATION_EDGES.length);
  });

  it('reads the 90th percentile off the buckets', () => {
    // ten applications: 5 within 1 h, 4 within 24 h, 1 within 72 h → the 9th is within 24 h
    const buckets = new Map([
      [durationBucket(0.9), 5],
      [durationBucket(20), 4],
      [durationBucket(70), 1],
    ]);
    expect(quantileOfBuckets(buckets, 0.9)).toBe(24);
    expect(quantileOfBuckets(buckets, 0.5)).toBe(1);
    expect(quantileOfBuckets(buckets, 1)).toBe(72);
    expect(quantileOfBuckets(new Map(), 0.9)).toBeNull();
  });

  it('computes the figures of a month from its sums', () => {
    const f = figures(
      {
        ...none,
        submitted: 40,
        submittedOnline: 30,
        completed: 20,
        completedOnTime: 18,
        easy: 15,
        durationHours: 50,
        savedSteps: 160,
        savedMaterials: 100,
        waivedMaterials: 12,
        savedVisits: 60,
      },
      new Map([[durationBucket(2), 20]]),
      { closed: 8, closedOnTime: 7, rated: 5, satisfied: 4 },
    );
    expect(f).toEqual({
      submitted: 40,
      completed: 20,
      onTimeRate: 90,
      onlineRate: 75,
      easyRate: 75,
      averageHours: 2.5,
      p90Hours: 2,
      savedSteps: 160,
      savedMaterials: 112,
      savedVisits: 60,
      ticketsClosed: 8,
      ticketOnTimeRate: 87.5,
      ticketSatisfactionRate: 80,
    });
    expect(figures(none, new Map(), noTickets).onTimeRate).toBeNull();
  });

  it('counts as 好办易办 only what was on time with at most one visit', () => {
    expect(isEasy(true, 0)).toBe(true);
    expect(isEasy(true, 1)).toBe(true);
    expect(isEasy(true, 2)).toBe(false);
    expect(isEasy(false, 0)).toBe(false);
    expect(isEasy(null, 0)).toBe(false);
    expect(isEasy(true, null)).toBe(false);
  });
});

describe('indicators over HTTP', () => {
  let server: TestServer;
  const cookie: Record<string, string> = {};
  const today = toLocalDate(new Date());
  const month = { from: `${today.slice(0, 8)}01`, to: today };

  beforeAll(async () => {
    server = await startTestServer({
      seed: 'all',
      env: { ONETHING_OUTBOX_SECONDS: '0', ONETHING_COCKPIT_MAX_AGE_SECONDS: '600' },
    });
    // the figures are this file's own: without the demo's synthetic history (demo-history.ts)
    await server.app.events.dispatch();
    await removeDemoHistory(server.db.kysely);
    for (const name of ['citizen', 'supervisor', 'admin', 'handler'])
      cookie[name] = await server.signIn(name);
    // 张伟 opens an enterprise online: decided by rule, it completes at once
    const reply = await server.api('/api/applications', {
      method: 'POST',
      cookie: cookie.citizen,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        bundleCode: 'enterprise-opening',
        answers: OPENING_ANSWERS,
        data: { ...openingData(21), 'trade-name': '驾驶舱科技' },
        submit: true,
      },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    // a ticket closed on time with a satisfied callback (the hotline's closing event)
    await server.db.kysely
      .insertInto('domainEvents')
      .values({
        type: 'hotline.ticket_closed',
        key: `${randomUUID()}:0`,
        regionCode: '371002',
        payload: JSON.stringify({
          categoryCode: 'city.roads',
          onTime: true,
          satisfaction: 'satisfied',
        }),
        occurredAt: new Date(),
      })
      .execute();
    await server.app.events.dispatch();
  });
  afterAll(() => server?.close());

  const get = (who: string | null, query: Record<string, string>) =>
    server.api(`/api/insight/indicators?${new URLSearchParams(query)}`, {
      cookie: who ? cookie[who] : undefined,
    });

  it('counts the application and the ticket in the month of the city', async () => {
    const reply = await get('supervisor', month);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const f = reply.body.figures;
    expect(f.submitted).toBe(1);
    expect(f.completed).toBe(1);
    expect(f.onTimeRate).toBe(100);
    expect(f.onlineRate).toBe(100);
    // 企业开办 commits no visit: on time is 好办易办
    expect(f.easyRate).toBe(100);
    expect(f.p90Hours).toBe(DURATION_EDGES[0]);
    // the opening's answers make 3 members apply: 2 steps fewer than item by item, and the
    // residence proof waived by 张伟's title certificate
    expect(f.savedSteps).toBe(2);
    expect(f.savedMaterials).toBe(1);
    // the demo's closed tickets and the one above, counted by hand from their closing events
    const closings = (
      await server.db.kysely
        .selectFrom('domainEvents')
        .select(['payload', 'occurredAt'])
        .where('type', '=', 'hotline.ticket_closed')
        .execute()
    )
      .filter((e) => toLocalDate(e.occurredAt) >= month.from)
      .map((e) => e.payload as { onTime?: boolean; satisfaction?: string | null });
    expect(f.ticketsClosed).toBe(closings.length);
    const rated = closings.filter((c) => c.satisfaction);
    const satisfied = rated.filter((c) =>
      ['satisfied', 'basically_satisfied'].includes(c.satisfaction!),
    );
    expect(f.ticketSatisfactionRate).toBe(
      Math.round((satisfied.length / rated.length) * 1000) / 10,
    );
    expect(reply.body.byBundle[0].bundleCode).toBe('enterprise-opening');
    // by region: the parts add up to the whole
    const byRegion = reply.body.byRegion as { submitted: number; ticketsClosed: number }[];
    expect(byRegion.reduce((n, r) => n + r.submitted, 0)).toBe(1);
    expect(byRegion.reduce((n, r) => n + r.ticketsClosed, 0)).toBe(closings.length);
    expect(reply.body.byDay).toEqual([{ day: today, submitted: 1, completed: 1 }]);
  });

  it('gives the same figures after a rebuild from the stored events', async () => {
    const before = (await get('admin', month)).body;
    const rebuilt = await server.api('/api/insight/rebuild', {
      method: 'POST',
      cookie: cookie.admin,
    });
    expect(rebuilt.status).toBe(200);
    const { asOf, ...after } = (await get('admin', month)).body;
    // recomputed (a rebuild forgets the figures kept), and the same
    expect(Date.parse(asOf)).toBeGreaterThanOrEqual(Date.parse(before.asOf));
    expect({ ...after, asOf: before.asOf }).toEqual(before);
  });

  it('keeps the figures of a period and region, saying when they were computed, until a rebuild', async () => {
    const closeTicket = async () => {
      await server.db.kysely
        .insertInto('domainEvents')
        .values({
          type: 'hotline.ticket_closed',
          key: `${randomUUID()}:0`,
          regionCode: '371002',
          payload: JSON.stringify({ categoryCode: 'city.roads', onTime: true }),
          occurredAt: new Date(),
        })
        .execute();
      await server.app.events.dispatch();
    };
    const rebuild = () =>
      server.api('/api/insight/rebuild', { method: 'POST', cookie: cookie.admin });
    expect((await rebuild()).status).toBe(200);
    const first = (await get('supervisor', month)).body;
    expect(Date.parse(first.asOf)).toBeGreaterThan(Date.now() - 60_000);
    await closeTicket();
    // within the maximum age: the same answer, computed at the same instant
    const kept = (await get('supervisor', month)).body;
    expect(kept.asOf).toBe(first.asOf);
    expect(kept.figures.ticketsClosed).toBe(first.figures.ticketsClosed);
    // another region is its own answer; a rebuild forgets them all
    expect((await get('supervisor', { ...month, region: '371002' })).body.asOf).not.toBe(
      first.asOf,
    );
    expect((await rebuild()).status).toBe(200);
    const fresh = (await get('supervisor', month)).body;
    expect(fresh.figures.ticketsClosed).toBe(first.figures.ticketsClosed + 1);
    expect(Date.parse(fresh.asOf)).toBeGreaterThanOrEqual(Date.parse(first.asOf));
  });

  it('has nothing for a region without records, and refuses what is not the caller’s', async () => {
    const other = await get('supervisor', { ...month, region: '371082' });
    expect(other.body.figures.submitted).toBe(0);
    expect(other.body.figures.onTimeRate).toBeNull();
    expect((await get('citizen', month)).status).toBe(403);
    expect((await get(null, month)).status).toBe(401);
    expect((await get('supervisor', { ...month, region: '370200' })).status).toBe(403);
    const backwards = await get('admin', { from: today, to: '2020-01-01' });
    expect(backwards.body.error.details[0].rule).toBe('after_from');
    expect(
      (await server.api('/api/insight/rebuild', { method: 'POST', cookie: cookie.supervisor }))
        .status,
    ).toBe(403);
    const definitions = await server.api('/api/insight/definitions');
    expect(definitions.body.items.find((d: any) => d.key === 'easyRate').target.value).toBe(90);
  });
});
