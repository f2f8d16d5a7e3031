import type { Kdb, Tx } from '../db/database';
import { lockForTransaction } from '../db/database';
import {
  CHAIN_START,
  canonicalJson,
  chainHash,
  verifyEntries,
  type AuditEntry,
  type AuditFacts,
  type ChainBreak,
  type ChainCursor,
} from './model';

// One writer at a time appends to the chain; the lock is held until the transaction ends.
const AUDIT_CHAIN_LOCK = 0x0e7e_0a0d;

/**
 * Appends an entry to the audit chain inside the caller's transaction, so the record of an action
 * commits or rolls back with the action itself.
 */
export async function appendAudit(trx: Tx, facts: Omit<AuditFacts, 'at'> & { at?: Date }) {
  await lockForTransaction(trx, AUDIT_CHAIN_LOCK);
  const last = await trx
    .selectFrom('auditLog')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prev: ChainCursor = last ?? CHAIN_START;
  const full: AuditFacts = { ...facts, at: facts.at ?? new Date() };
  // Round-trip through JSON so that what is hashed is exactly what jsonb gives back.
  full.detail = JSON.parse(canonicalJson(full.detail)) as Record<string, unknown>;
  const seq = prev.seq + 1;
  const hash = chainHash(prev.hash, seq, full);
  await trx
    .insertInto('auditLog')
    .values({ ...full, seq, detail: JSON.stringify(full.detail), prevHash: prev.hash, hash })
    .execute();
  return { seq, hash };
}

/** Result of checking the whole chain. */
export type AuditVerification =
  | { ok: true; entries: number; head: ChainCursor }
  | { ok: false; entries: number; break: ChainBreak };

/** Reads the chain in pages and checks every link; names the first broken entry. */
export async function verifyAuditChain(db: Kdb, pageSize = 1000): Promise<AuditVerification> {
  let cursor = CHAIN_START;
  for (;;) {
    const rows = await db
      .selectFrom('auditLog')
      .selectAll()
      .where('seq', '>', cursor.seq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    const result = verifyEntries(rows as AuditEntry[], cursor);
    if (!result.ok) return { ok: false, entries: cursor.seq, break: result.break };
    cursor = result.cursor;
    if (rows.length < pageSize) return { ok: true, entries: cursor.seq, head: cursor };
  }
}

/** The most recent entries, newest first (for the workbench and tests). */
export function recentAudit(db: Kdb, limit = 50) {
  return db.selectFrom('auditLog').selectAll().orderBy('seq', 'desc').limit(limit).execute();
}
