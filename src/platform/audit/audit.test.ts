import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import { createTestDb } from '../../../test/support/db';
import { GENESIS_HASH, chainHash, canonicalJson } from './model';
import { appendAudit, verifyAuditChain } from './store';

const facts = (action: string, detail: Record<string, unknown> = {}) => ({
  actorId: null,
  actorRole: 'admin',
  action,
  objectType: 'test',
  objectId: action,
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

  it('links each entry to the one before with SM3, starting from the genesis hash', async () => {
    const rows = await db.kysely.selectFrom('auditLog').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(rows[0]!.hash).toBe(chainHash(GENESIS_HASH, 1, rows[0]!));
    expect(rows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies an untouched chain', async () => {
    const result = await verifyAuditChain(db.kysely, 2);
    expect(result).toMatchObject({ ok: true, entries: 5, head: { seq: 5 } });
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

  it('keeps the chain whole when many transactions append at once', async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        db.kysely.transaction().execute((trx) => appendAudit(trx, facts(`parallel.${i}`))),
      ),
    );
    expect(await verifyAuditChain(db.kysely)).toMatchObject({ ok: true, entries: 13 });
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
    await tamper(db, sql`update audit_log set detail = '{"i": 99}' where seq = 3`);
    const result = await verifyAuditChain(db.kysely, 2);
    expect(result).toMatchObject({
      ok: false,
      entries: 2,
      break: { seq: 3, reason: 'hash_mismatch' },
    });
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
        break: { seq: 2, reason: 'sequence_gap' },
      });
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

/** Changes the log the way an intruder with table rights would: with the guard trigger off. */
async function tamper(db: Db, change: ReturnType<typeof sql>) {
  await db.kysely.transaction().execute(async (trx) => {
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(trx);
    await change.execute(trx);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(trx);
  });
}
