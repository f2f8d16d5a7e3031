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
import type { AuditAction, AuditObjectType } from './actions';

// One writer at a time appends to a lane; the lock (this key and the lane) is held until the
// transaction ends.
const AUDIT_CHAIN_LOCK = 0x0e7e_0a0d;

/**
 * Appends an entry inside the caller's transaction, so the record of an action commits or rolls
 * back with the action itself. A transaction's first entry picks the lane of its record; the
 * transaction's later entries go to the same lane (kept in a transaction-local setting), so no
 * transaction ever holds two lanes' locks and two cannot deadlock on them.
 */
export async function appendAudit(
  trx: Tx,
  facts: Omit<AuditFacts, 'at' | 'action' | 'objectType'> & {
    at?: Date;
    action: AuditAction;
    objectType: AuditObjectType;
  },
) {
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

/** What the audit review filters on; every field narrows the list. */
export interface AuditFilter {
  /** One action by its exact name. */
  action?: string;
  /** Every action whose name starts with this (`auth.`). */
  actionPrefix?: string;
  objectType?: string;
  objectId?: string;
  actorId?: string;
  actorUsername?: string;
  /** Entries at or after this instant. */
  from?: Date;
  /** Entries at or before this instant. */
  to?: Date;
  /** Entries older than this place in the log (the keyset cursor of the page before). */
  before?: number;
  limit: number;
}

/** An entry as the review lists it: the stored facts with the actor's account, if there is one. */
export interface AuditListEntry extends AuditEntry {
  actorUsername: string | null;
  actorDisplayName: string | null;
}

/**
 * One page of the log, newest first, and the cursor of the next page (null at the end). The
 * filters follow the indexes of 0025_audit_review.sql; a prefix is resolved to the action names it
 * covers first, so that a rare prefix is read from the action index rather than the whole log.
 */
export async function listAudit(
  db: Kdb,
  filter: AuditFilter,
): Promise<{ entries: AuditListEntry[]; nextBefore: number | null }> {
  let actions: string[] | null = filter.action !== undefined ? [filter.action] : null;
  if (filter.actionPrefix !== undefined) {
    const prefix = filter.actionPrefix;
    const named = (await auditActionNames(db)).filter((name) => name.startsWith(prefix));
    actions = actions ? actions.filter((name) => named.includes(name)) : named;
  }
  if (actions?.length === 0) return { entries: [], nextBefore: null };
  let query = db
    .selectFrom('auditLog as a')
    .leftJoin('users as u', 'u.id', 'a.actorId')
    .selectAll('a')
    .select(['u.username as actorUsername', 'u.displayName as actorDisplayName']);
  if (actions) query = query.where('a.action', 'in', actions);
  if (filter.objectType !== undefined) query = query.where('a.objectType', '=', filter.objectType);
  if (filter.objectId !== undefined) query = query.where('a.objectId', '=', filter.objectId);
  if (filter.actorId !== undefined) query = query.where('a.actorId', '=', filter.actorId);
  if (filter.actorUsername !== undefined) {
    // The account first, so the planner sees the actor's id (and its statistics) and can use the
    // actor index for a rare actor instead of walking the log through the join.
    const account = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', filter.actorUsername)
      .executeTakeFirst();
    if (!account) return { entries: [], nextBefore: null };
    query = query.where('a.actorId', '=', account.id);
  }
  if (filter.from !== undefined) query = query.where('a.at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('a.at', '<=', filter.to);
  if (filter.before !== undefined) query = query.where('a.seq', '<', filter.before);
  const rows = await query
    .orderBy('a.seq', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const entries = rows.slice(0, filter.limit) as AuditListEntry[];
  const more = rows.length > filter.limit;
  return { entries, nextBefore: more ? entries[entries.length - 1]!.seq : null };
}

/**
 * `names`: the distinct action names in the log, by a skip scan over the action index (one index
 * probe per name), so it stays cheap however long the log grows.
 */
const ACTION_NAMES = sql`
    with recursive names (action) as (
      (select action from audit_log order by action limit 1)
      union all
      select (select a.action from audit_log a where a.action > n.action order by a.action limit 1)
      from names n where n.action is not null)
`;

/** The distinct action names in the log, in name order. */
export async function auditActionNames(db: Kdb): Promise<string[]> {
  const { rows } = await sql<{ action: string }>`${ACTION_NAMES}
    select action from names where action is not null order by action`.execute(db);
  return rows.map((row) => row.action);
}

/** Counts per action stop here: the filter list shows "1000+" rather than count a huge log. */
export const ACTION_COUNT_CAP = 1000;

/**
 * The distinct actions with how many entries each has, counted up to ACTION_COUNT_CAP from the
 * action index (at most that many index entries per name).
 */
export async function auditActionCounts(
  db: Kdb,
): Promise<{ action: string; count: number; capped: boolean }[]> {
  const { rows } = await sql<{ action: string; n: number | string }>`${ACTION_NAMES}
    select n.action, (select count(*) from (select 1 from audit_log a where a.action = n.action
      limit ${ACTION_COUNT_CAP + 1}) capped) as n
    from names n where n.action is not null order by n.action`.execute(db);
  return rows.map((row) => {
    const n = Number(row.n);
    return {
      action: row.action,
      count: Math.min(n, ACTION_COUNT_CAP),
      capped: n > ACTION_COUNT_CAP,
    };
  });
}
