import { sql } from 'kysely';
import type { Kdb, Tx } from '../db/database';
import {
  CHAIN_START,
  canonicalJson,
  chainHash,
  headsHash,
  laneOf,
  verifyEntries,
  type AuditEntry,
  type AuditFacts,
  type ChainBreak,
  type LaneHead,
} from './model';

// One writer at a time appends to a lane; the lock (this key and the lane) is held until the
// transaction ends.
const AUDIT_CHAIN_LOCK = 0x0e7e_0a0d;

/**
 * Appends an entry inside the caller's transaction, so the record of an action commits or rolls
 * back with the action itself. A transaction's first entry picks the lane of its record; the
 * transaction's later entries go to the same lane (kept in a transaction-local setting), so no
 * transaction ever holds two lanes' locks and two cannot deadlock on them.
 */
export async function appendAudit(trx: Tx, facts: Omit<AuditFacts, 'at'> & { at?: Date }) {
  const { lane } = (
    await sql<{ lane: number }>`
      with chosen as (
        select coalesce(nullif(current_setting('onething.audit_lane', true), '')::int,
          ${laneOf(facts.objectType, facts.objectId)}) as lane)
      select lane, set_config('onething.audit_lane', lane::text, true),
        pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}, lane)
      from chosen`.execute(trx)
  ).rows[0]!;
  const last = await trx
    .selectFrom('auditLog')
    .select(['laneSeq', 'hash'])
    .where('lane', '=', lane)
    .orderBy('laneSeq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prev = last ? { seq: last.laneSeq, hash: last.hash } : CHAIN_START;
  const full: AuditFacts = { ...facts, at: facts.at ?? new Date() };
  // Round-trip through JSON so that what is hashed is exactly what jsonb gives back.
  full.detail = JSON.parse(canonicalJson(full.detail)) as Record<string, unknown>;
  const laneSeq = prev.seq + 1;
  const hash = chainHash(prev.hash, laneSeq, full);
  const { seq } = await trx
    .insertInto('auditLog')
    .values({
      ...full,
      lane,
      laneSeq,
      detail: JSON.stringify(full.detail),
      prevHash: prev.hash,
      hash,
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return { seq, lane, laneSeq, hash };
}

/** Result of checking every lane: the entries checked, and the lanes' heads or the first break. */
export type AuditVerification =
  | { ok: true; entries: number; heads: LaneHead[]; headHash: string }
  | { ok: false; entries: number; break: ChainBreak };

/** Reads each lane in pages and checks every link; names the first broken entry. */
export async function verifyAuditChain(db: Kdb, pageSize = 1000): Promise<AuditVerification> {
  const lanes = await db.selectFrom('auditLog').select('lane').distinct().orderBy('lane').execute();
  const heads: LaneHead[] = [];
  let entries = 0;
  for (const { lane } of lanes) {
    let cursor = CHAIN_START;
    for (;;) {
      const rows = await db
        .selectFrom('auditLog')
        .selectAll()
        .where('lane', '=', lane)
        .where('laneSeq', '>', cursor.seq)
        .orderBy('laneSeq')
        .limit(pageSize)
        .execute();
      const result = verifyEntries(lane, rows as AuditEntry[], cursor);
      if (!result.ok) return { ok: false, entries: entries + cursor.seq, break: result.break };
      cursor = result.cursor;
      if (rows.length < pageSize) break;
    }
    entries += cursor.seq;
    heads.push({ lane, ...cursor });
  }
  return { ok: true, entries, heads, headHash: headsHash(heads) };
}

/** The most recent entries, newest first (for the workbench and tests). */
export function recentAudit(db: Kdb, limit = 50) {
  return db.selectFrom('auditLog').selectAll().orderBy('seq', 'desc').limit(limit).execute();
}
