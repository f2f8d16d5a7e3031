import { createHash } from 'node:crypto';

/** The hash that the first entry of every lane points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The log is several chains (lanes), each gapless under its own lock, so that writers about
 * different records do not queue behind one another. A transaction writes to the lane of the
 * record its first entry is about. Entries written before lanes are lane 0.
 */
export const AUDIT_LANES = 16;

/** The lane for a record: SM3 of its type and id, modulo the lane count. */
export function laneOf(objectType: string, objectId: string | null): number {
  const digest = createHash('sm3')
    .update(`${objectType}\n${objectId ?? ''}`)
    .digest();
  return digest.readUInt16BE(0) % AUDIT_LANES;
}

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

/**
 * An entry as stored: its facts, its place in the log (`seq`, for order only), its place in its
 * lane's chain (`lane`, `laneSeq`), and the hashes that link it.
 */
export interface AuditEntry extends AuditFacts {
  seq: number;
  lane: number;
  laneSeq: number;
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

/**
 * SM3 over the previous hash and the canonical form of the entry's place in its lane and facts.
 * (Before lanes, the place was the log-wide sequence number; lane 0 continues that numbering, so
 * older entries verify unchanged.)
 */
export function chainHash(prevHash: string, laneSeq: number, facts: AuditFacts): string {
  const canonical = canonicalJson({
    seq: laneSeq,
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

/** Where and why a lane's chain breaks (`seq`: the place in the lane). */
export interface ChainBreak {
  lane: number;
  seq: number;
  reason: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch';
}

/** Running state of a lane's verification, so a long chain can be checked in pages. */
export interface ChainCursor {
  seq: number;
  hash: string;
}

/** The cursor before the first entry. */
export const CHAIN_START: ChainCursor = { seq: 0, hash: GENESIS_HASH };

/**
 * Checks one lane's entries (in lane order) continuing from a cursor; returns the first break, or
 * the cursor after the last entry. A deleted entry shows as a gap, an edited one as a hash
 * mismatch, one moved to another lane as both.
 */
export function verifyEntries(
  lane: number,
  entries: readonly AuditEntry[],
  from: ChainCursor,
): { ok: true; cursor: ChainCursor } | { ok: false; break: ChainBreak } {
  let cursor = from;
  for (const entry of entries) {
    if (entry.lane !== lane || entry.laneSeq !== cursor.seq + 1) {
      return { ok: false, break: { lane, seq: cursor.seq + 1, reason: 'sequence_gap' } };
    }
    if (entry.prevHash !== cursor.hash) {
      return { ok: false, break: { lane, seq: entry.laneSeq, reason: 'prev_hash_mismatch' } };
    }
    if (chainHash(entry.prevHash, entry.laneSeq, entry) !== entry.hash) {
      return { ok: false, break: { lane, seq: entry.laneSeq, reason: 'hash_mismatch' } };
    }
    cursor = { seq: entry.laneSeq, hash: entry.hash };
  }
  return { ok: true, cursor };
}

/** The head of one lane after verification. */
export interface LaneHead extends ChainCursor {
  lane: number;
}

/**
 * One hash that stands for the heads of all lanes (what a backup records and a restore must
 * reach). A log with lane 0 only — every log written before lanes — has that lane's head hash.
 */
export function headsHash(heads: readonly LaneHead[]): string {
  if (heads.length === 1 && heads[0]!.lane === 0) return heads[0]!.hash;
  const lines = [...heads]
    .sort((a, b) => a.lane - b.lane)
    .map((head) => `${head.lane}:${head.seq}:${head.hash}`);
  return createHash('sm3').update(lines.join('\n')).digest('hex');
}
