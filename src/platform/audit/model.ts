import { createHash } from 'node:crypto';

/** The hash that the first entry of the chain points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry records: who, in which role, did what to which object, when and from where. */
export interface AuditFacts {
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  ip: string | null;
  requestId: string | null;
  detail: Record<string, unknown>;
}

/** An entry as stored: its facts, its place in the chain, and the hashes that link it. */
export interface AuditEntry extends AuditFacts {
  seq: number;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every level, so the same facts always hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}

/** SM3 over the previous hash and the canonical form of the entry's sequence number and facts. */
export function chainHash(prevHash: string, seq: number, facts: AuditFacts): string {
  const canonical = canonicalJson({
    seq,
    at: facts.at.toISOString(),
    actorId: facts.actorId,
    actorRole: facts.actorRole,
    action: facts.action,
    objectType: facts.objectType,
    objectId: facts.objectId,
    ip: facts.ip,
    requestId: facts.requestId,
    detail: facts.detail,
  });
  return createHash('sm3').update(`${prevHash}\n${canonical}`).digest('hex');
}

/** Where and why the chain breaks. */
export interface ChainBreak {
  seq: number;
  reason: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch';
}

/** Running state of a verification, so a long chain can be checked in pages. */
export interface ChainCursor {
  seq: number;
  hash: string;
}

/** The cursor before the first entry. */
export const CHAIN_START: ChainCursor = { seq: 0, hash: GENESIS_HASH };

/**
 * Checks entries (in sequence order) continuing from a cursor; returns the first break, or the
 * cursor after the last entry. A deleted entry shows as a gap, an edited one as a hash mismatch.
 */
export function verifyEntries(
  entries: readonly AuditEntry[],
  from: ChainCursor,
): { ok: true; cursor: ChainCursor } | { ok: false; break: ChainBreak } {
  let cursor = from;
  for (const entry of entries) {
    if (entry.seq !== cursor.seq + 1) {
      return { ok: false, break: { seq: cursor.seq + 1, reason: 'sequence_gap' } };
    }
    if (entry.prevHash !== cursor.hash) {
      return { ok: false, break: { seq: entry.seq, reason: 'prev_hash_mismatch' } };
    }
    if (chainHash(entry.prevHash, entry.seq, entry) !== entry.hash) {
      return { ok: false, break: { seq: entry.seq, reason: 'hash_mismatch' } };
    }
    cursor = { seq: entry.seq, hash: entry.hash };
  }
  return { ok: true, cursor };
}
