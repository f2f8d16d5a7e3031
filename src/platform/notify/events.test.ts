import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDb } from '../../../test/support/db';
import type { Db, Tx } from '../db/database';
import { EventBus, publishEvent } from './events';
import type { DomainEvent } from './model';

const REGION = '371000';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('domain events', () => {
  let db: Db;

  beforeAll(async () => {
    db = await createTestDb();
    // Handler effects land here, in the handler's transaction.
    await sql`create table test_effects (event_id uuid not null, handler text not null)`.execute(
      db.kysely,
    );
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await sql`delete from test_effects`.execute(db.kysely);
    await sql`delete from domain_events`.execute(db.kysely);
  });

  const publish = (type: string, key: string, payload: Record<string, unknown> = {}) =>
    db.kysely
      .transaction()
      .execute((trx) => publishEvent(trx, { type, key, regionCode: REGION, payload }));

  const effect = (handler: string) => async (trx: Tx, event: DomainEvent) => {
    await sql`insert into test_effects (event_id, handler) values (${event.id}, ${handler})`.execute(
      trx,
    );
  };

  async function effects(handler?: string) {
    const rows = await sql<{ eventId: string; handler: string }>`
      select event_id, handler from test_effects`.execute(db.kysely);
    return rows.rows.filter((r) => !handler || r.handler === handler);
  }

  it('keeps one event when the same event is published twice', async () => {
    const first = await publish('cases.decided', 'case-1:approved', { caseId: 'case-1' });
    const second = await publish('cases.decided', 'case-1:approved', { caseId: 'other' });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const rows = await db.kysely.selectFrom('domainEvents').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toEqual({ caseId: 'case-1' });
  });

  it('writes no event when the transaction that published it rolls back', async () => {
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        await publishEvent(trx, { type: 'cases.decided', key: 'gone', regionCode: REGION });
        throw new Error('the decision failed');
      }),
    ).rejects.toThrow('the decision failed');
    expect(await db.kysely.selectFrom('domainEvents').selectAll().execute()).toHaveLength(0);
  });

  it('refuses an event type that is not dotted lower case', async () => {
    await expect(publish('CasesDecided', 'x')).rejects.toThrow(/dotted/);
  });

  it('delivers each event to each subscribed handler once, in its own transaction', async () => {
    const bus = new EventBus(db.kysely)
      .on('cases.decided', 'licences.issue', effect('licences.issue'))
      .on('cases.decided', 'ratings.invite', effect('ratings.invite'))
      .on('tickets.closed', 'ratings.ticket', effect('ratings.ticket'));
    await publish('cases.decided', 'a');
    await publish('cases.decided', 'b');
    await publish('tickets.closed', 'c');
    expect(await bus.dispatch()).toEqual({ delivered: 5, failed: 0 });
    expect(await bus.dispatch()).toEqual({ delivered: 0, failed: 0 });
    expect(await effects('licences.issue')).toHaveLength(2);
    expect(await effects('ratings.invite')).toHaveLength(2);
    expect(await effects('ratings.ticket')).toHaveLength(1);
  });

  it('runs a handler exactly once per event even with two dispatchers at once', async () => {
    let calls = 0;
    const handler = async (trx: Tx, event: DomainEvent) => {
      calls += 1;
      await sleep(5);
      await effect('licences.issue')(trx, event);
    };
    const one = new EventBus(db.kysely).on('cases.decided', 'licences.issue', handler);
    const two = new EventBus(db.kysely).on('cases.decided', 'licences.issue', handler);
    for (let i = 0; i < 12; i++) await publish('cases.decided', `concurrent-${i}`);
    const [a, b] = await Promise.all([one.dispatch(), two.dispatch()]);
    expect(a.delivered + b.delivered).toBe(12);
    expect(calls).toBe(12);
    const rows = await effects('licences.issue');
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => r.eventId)).size).toBe(12);
  });

  it('rolls back a failing handler, retries it after a backoff and still delivers the others', async () => {
    let failing = true;
    const bus = new EventBus(db.kysely, { backoff: { baseSeconds: 60, maxSeconds: 3600 } })
      .on('cases.decided', 'flaky', async (trx, event) => {
        await effect('flaky')(trx, event);
        if (failing && event.key === 'poison') throw new Error('licence service down');
      })
      .on('cases.decided', 'steady', effect('steady'));
    await publish('cases.decided', 'poison');
    await publish('cases.decided', 'fine');
    const t0 = new Date('2026-11-23T02:00:00Z');

    expect(await bus.dispatch(t0)).toEqual({ delivered: 3, failed: 1 });
    expect((await effects('flaky')).length).toBe(1); // the failed run's effect rolled back
    expect(await effects('steady')).toHaveLength(2);
    const record = await db.kysely
      .selectFrom('domainEventDeliveries')
      .selectAll()
      .where('handler', '=', 'flaky')
      .where('deliveredAt', 'is', null)
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({ attempts: 1, lastError: 'licence service down' });
    expect(record.nextAttemptAt).toEqual(new Date(t0.getTime() + 60_000));

    // Not due before the backoff has passed; the second failure waits twice as long.
    expect(await bus.dispatch(new Date(t0.getTime() + 30_000))).toEqual({
      delivered: 0,
      failed: 0,
    });
    expect(await bus.dispatch(new Date(t0.getTime() + 61_000))).toEqual({
      delivered: 0,
      failed: 1,
    });
    const again = await db.kysely
      .selectFrom('domainEventDeliveries')
      .select(['attempts', 'nextAttemptAt'])
      .where('handler', '=', 'flaky')
      .where('deliveredAt', 'is', null)
      .executeTakeFirstOrThrow();
    expect(again.attempts).toBe(2);
    expect(again.nextAttemptAt).toEqual(new Date(t0.getTime() + 61_000 + 120_000));

    failing = false;
    expect(await bus.dispatch(new Date(t0.getTime() + 200_000))).toEqual({
      delivered: 1,
      failed: 0,
    });
    expect(await effects('flaky')).toHaveLength(2);
    const done = await db.kysely
      .selectFrom('domainEventDeliveries')
      .selectAll()
      .where('handler', '=', 'flaky')
      .execute();
    expect(done.every((d) => d.deliveredAt !== null && d.lastError === null)).toBe(true);
  });

  it('refuses the same handler name twice for one type', () => {
    const bus = new EventBus(db.kysely).on('cases.decided', 'one', async () => undefined);
    expect(() => bus.on('cases.decided', 'one', async () => undefined)).toThrow(/already/);
  });
});
