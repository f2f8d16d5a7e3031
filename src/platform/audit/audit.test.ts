import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import { freshSchemaName, openDatabase } from '../db/database';
import { migrate, readMigrations } from '../db/migrate';
import { createTestDb } from '../../../test/support/db';
import { AUDIT_LANES, GENESIS_HASH, chainHash, canonicalJson, headsHash, laneOf } from './model';
import type { AuditAction, AuditObjectType } from './actions';
import { appendAudit, verifyAuditChain } from './store';

// Entries about one record share a lane; `objectId` picks the record. The chain hashes any action
// and object type alike, so these are made up (no version writes them; hence the casts).
const facts = (action: string, detail: Record<string, unknown> = {}, objectId = 'record-1') => ({
  actorId: null,
  actorRole: 'admin',
  action: action as AuditAction,
  objectType: 'test' as AuditObjectType,
  objectId,
  ip: '127.0.0.1',
  requestId: null,
  detail,
});

describe('the SM3-chained audit log', () => {
  let db: Db;

  beforeAll(async () => {
    db = await createTestDb();
    for (let i = 1; i <= 5; i++) {
      await db.kysely
        .transaction()
        .execute((trx) => appendAudit(trx, facts(`step.${i}`, { i, nested: { z: 1, a: '中文' } })));
    }
  });
  afterAll(() => db?.close());

  const lane = laneOf('test', 'record-1');

  it('links each entry to the one before with SM3, starting from the genesis hash', async () => {
    const rows = await db.kysely.selectFrom('auditLog').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.map((r) => [r.lane, r.laneSeq])).toEqual([1, 2, 3, 4, 5].map((n) => [lane, n]));
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(rows[0]!.hash).toBe(chainHash(GENESIS_HASH, 1, rows[0]!));
    expect(rows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies an untouched chain', async () => {
    const result = await verifyAuditChain(db.kysely, 2);
    expect(result).toMatchObject({ ok: true, entries: 5, heads: [{ lane, seq: 5 }] });
  });

  it('writes nothing when the action it records rolls back', async () => {
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        await appendAudit(trx, facts('rolled.back'));
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    const count = await db.kysely
      .selectFrom('auditLog')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(5);
  });

  it('keeps every lane whole when many transactions append at once, to one record or many', async () => {
    await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        db.kysely
          .transaction()
          .execute((trx) =>
            appendAudit(trx, facts(`parallel.${i}`, {}, i % 2 ? 'record-1' : `record-p${i}`)),
          ),
      ),
    );
    const result = await verifyAuditChain(db.kysely);
    expect(result).toMatchObject({ ok: true, entries: 21 });
    expect(result.ok && result.heads.find((head) => head.lane === lane)?.seq).toBe(13);
    expect(result.ok && result.heads.length).toBeGreaterThan(1);
  });

  it('keeps a transaction in one lane, so two cannot deadlock on lanes', async () => {
    // Two records in different lanes, written by two transactions in opposite orders at once.
    const [a, b] = ['record-a', 'record-b'];
    expect(laneOf('test', a)).not.toBe(laneOf('test', b));
    const both = (first: string, second: string) =>
      db.kysely.transaction().execute(async (trx) => {
        const one = await appendAudit(trx, facts('pair.1', {}, first));
        await new Promise((resolve) => setTimeout(resolve, 50));
        const two = await appendAudit(trx, facts('pair.2', {}, second));
        return [one.lane, two.lane];
      });
    const [ab, ba] = await Promise.all([both(a, b), both(b, a)]);
    expect(ab).toEqual([laneOf('test', a), laneOf('test', a)]);
    expect(ba).toEqual([laneOf('test', b), laneOf('test', b)]);
    expect(await verifyAuditChain(db.kysely)).toMatchObject({ ok: true, entries: 25 });
  });

  it('spreads records over all lanes and keeps each record in one', () => {
    const lanes = new Set(Array.from({ length: 500 }, (_, i) => laneOf('case', `id-${i}`)));
    expect(lanes.size).toBe(AUDIT_LANES);
    expect(laneOf('case', 'id-7')).toBe(laneOf('case', 'id-7'));
    expect(laneOf('case', null)).toBe(laneOf('case', null));
  });

  it('stands for a log written before lanes by its one head hash, for older backups', () => {
    expect(headsHash([{ lane: 0, seq: 9, hash: 'a'.repeat(64) }])).toBe('a'.repeat(64));
    const two = headsHash([
      { lane: 3, seq: 1, hash: 'b'.repeat(64) },
      { lane: 0, seq: 9, hash: 'a'.repeat(64) },
    ]);
    expect(two).toMatch(/^[0-9a-f]{64}$/);
    expect(two).not.toBe(headsHash([{ lane: 0, seq: 9, hash: 'a'.repeat(64) }]));
  });

  it('refuses updates and deletes of entries', async () => {
    await expect(
      sql`update audit_log set action = 'forged' where seq = 2`.execute(db.kysely),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 2`.execute(db.kysely)).rejects.toThrow(
      /append-only/,
    );
  });

  it('names the first edited entry when someone bypasses the guard', async () => {
    await tamper(
      db,
      sql`update audit_log set detail = '{"i": 99}' where lane = ${lane} and lane_seq = 3`,
    );
    const result = await verifyAuditChain(db.kysely, 2);
    expect(result).toMatchObject({ ok: false, break: { lane, seq: 3, reason: 'hash_mismatch' } });
  });

  it('names the gap when an entry is deleted', async () => {
    const fresh = await createTestDb();
    try {
      for (let i = 1; i <= 4; i++) {
        await fresh.kysely.transaction().execute((trx) => appendAudit(trx, facts(`e.${i}`)));
      }
      await tamper(fresh, sql`delete from audit_log where seq = 2`);
      expect(await verifyAuditChain(fresh.kysely)).toMatchObject({
        ok: false,
        break: { lane, seq: 2, reason: 'sequence_gap' },
      });
    } finally {
      await fresh.close();
    }
  });

  it('names the break when an entry is moved to another lane', async () => {
    const fresh = await createTestDb();
    try {
      for (let i = 1; i <= 3; i++) {
        await fresh.kysely.transaction().execute((trx) => appendAudit(trx, facts(`e.${i}`)));
      }
      const other = (lane + 1) % AUDIT_LANES;
      await tamper(fresh, sql`update audit_log set lane = ${other}, lane_seq = 1 where seq = 3`);
      const result = await verifyAuditChain(fresh.kysely);
      expect(result).toMatchObject({ ok: false, break: { reason: 'prev_hash_mismatch' } });
    } finally {
      await fresh.close();
    }
  });

  it('hashes the same facts the same whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"x":2,"y":1}]},"b":1}',
    );
  });
});

describe('a log written before lanes', () => {
  it('verifies unchanged after the lanes migration and goes on in lanes', async () => {
    const url = process.env.DATABASE_URL || null;
    const db = await openDatabase({
      url,
      memory: true,
      schema: url ? freshSchemaName() : undefined,
      dropSchemaOnClose: true,
      poolSize: 2,
    });
    try {
      const all = readMigrations();
      await migrate(
        db.kysely,
        all.filter((m) => m.version < 21),
      );
      // Entries as the single chain wrote them: seq is the place in the chain.
      let prevHash = GENESIS_HASH;
      for (let seq = 1; seq <= 3; seq++) {
        const entry = { ...facts(`old.${seq}`, {}, `old-${seq}`), at: new Date() };
        const hash = chainHash(prevHash, seq, entry);
        await sql`insert into audit_log (seq, at, actor_role, action, object_type, object_id, ip,
          detail, prev_hash, hash) values (${seq}, ${entry.at}, 'admin', ${entry.action}, 'test',
          ${entry.objectId}, '127.0.0.1', '{}', ${prevHash}, ${hash})`.execute(db.kysely);
        prevHash = hash;
      }
      await migrate(db.kysely, all);
      expect(await verifyAuditChain(db.kysely)).toEqual({
        ok: true,
        entries: 3,
        heads: [{ lane: 0, seq: 3, hash: prevHash }],
        headHash: prevHash,
      });
      const appended = await db.kysely
        .transaction()
        .execute((trx) => appendAudit(trx, facts('new.1', {}, 'new-1')));
      expect(appended).toMatchObject({ seq: 4, lane: laneOf('test', 'new-1'), laneSeq: 1 });
      expect(await verifyAuditChain(db.kysely)).toMatchObject({ ok: true, entries: 4 });
    } finally {
      await db.close();
    }
  });
});

/** Changes the log the way an intruder with table rights would: with the guard trigger off. */
async function tamper(db: Db, change: ReturnType<typeof sql>) {
  await db.kysely.transaction().execute(async (trx) => {
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(trx);
    await change.execute(trx);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(trx);
  });
}
