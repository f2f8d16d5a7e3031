import { sql } from 'kysely';
import {
  currentSealPattern,
  resealLookup,
  sealInBatches,
  sealLookup,
  textNeedsSealing,
  type SealOutcome,
} from '../crypto';
import type { Kdb, Tx } from '../db/database';
import type { Text } from '../i18n';
import type { Channel, OutboxState, Recipients } from './model';

/** An in-app message as its owner reads it. */
export interface MessageRow {
  id: string;
  kind: string;
  title: Text;
  body: Text;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
}

/** An outbox row as stored (the recipient sealed) for the delivery worker and the operations view. */
export interface OutboxRow {
  id: string;
  channel: Channel;
  recipient: string;
  kind: string;
  title: Text;
  body: Text;
  link: string | null;
  dedupeKey: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  lastError: string | null;
  reference: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

const MESSAGE_COLUMNS = ['id', 'kind', 'title', 'body', 'link', 'createdAt', 'readAt'] as const;

/** The enabled accounts a notification reaches, each once. */
export async function resolveRecipients(trx: Tx, to: Recipients): Promise<string[]> {
  const ids = new Set<string>();
  const userIds = to.userIds ?? [];
  if (userIds.length > 0) {
    const rows = await trx
      .selectFrom('users')
      .select('id')
      .where('id', 'in', userIds)
      .where('disabled', '=', false)
      .execute();
    for (const row of rows) ids.add(row.id);
  }
  const subjectIds = to.subjectIds ?? [];
  if (subjectIds.length > 0) {
    const rows = await trx
      .selectFrom('users')
      .select('id')
      // the subjects' own accounts, and the persons who may act for them (法定代表人)
      .where((eb) =>
        eb.or([
          eb('subjectId', 'in', subjectIds),
          eb(
            'subjectId',
            'in',
            eb
              .selectFrom('subjectRepresentatives')
              .select('personId')
              .where('enterpriseId', 'in', subjectIds),
          ),
        ]),
      )
      .where('disabled', '=', false)
      .execute();
    for (const row of rows) ids.add(row.id);
  }
  const department = to.department;
  if (department && (department.roles === undefined || department.roles.length > 0)) {
    let query = trx
      .selectFrom('users')
      .innerJoin('departments', 'departments.id', 'users.departmentId')
      .select('users.id')
      .where('departments.code', '=', department.code)
      .where('users.disabled', '=', false);
    if (department.regionCode)
      query = query.where('departments.regionCode', '=', department.regionCode);
    if (department.roles) query = query.where('users.role', 'in', department.roles);
    for (const row of await query.execute()) ids.add(row.id);
  }
  if (to.supervisorsOver) {
    const rows = await sql<{ id: string }>`
      with recursive up (code, parent_code) as (
        select code, parent_code from regions where code = ${to.supervisorsOver}
        union all
        select r.code, r.parent_code from regions r join up on r.code = up.parent_code
      )
      select u.id from users u
      where u.role = 'supervisor' and not u.disabled and u.region_code in (select code from up)`.execute(
      trx,
    );
    for (const row of rows.rows) ids.add(row.id);
  }
  return [...ids].sort();
}

/** Inserts in-app messages; a user who already has the dedupe key gets nothing new. */
export async function insertMessages(
  trx: Tx,
  userIds: readonly string[],
  message: { kind: string; title: Text; body: Text; link: string | null; dedupeKey: string },
  now: Date,
): Promise<number> {
  if (userIds.length === 0) return 0;
  const rows = await trx
    .insertInto('messages')
    .values(
      userIds.map((userId) => ({
        userId,
        kind: message.kind,
        title: JSON.stringify(message.title),
        body: JSON.stringify(message.body),
        link: message.link,
        dedupeKey: message.dedupeKey,
        createdAt: now,
      })),
    )
    .onConflict((oc) => oc.columns(['userId', 'dedupeKey']).doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

/**
 * Queues one external message; the same (channel, recipient, dedupe key) is queued once. The
 * recipient (a mobile or an e-mail address) is sealed at rest (SM4) deterministically, so the
 * unique key still finds a repeat; the delivery worker opens it just before sending.
 */
export async function insertOutbox(
  trx: Tx,
  row: {
    channel: Channel;
    recipient: string;
    kind: string;
    title: Text;
    body: Text;
    link: string | null;
    dedupeKey: string;
  },
  now: Date,
): Promise<boolean> {
  const inserted = await trx
    .insertInto('outbox')
    .values({
      channel: row.channel,
      recipient: sealLookup(row.recipient),
      kind: row.kind,
      title: JSON.stringify(row.title),
      body: JSON.stringify(row.body),
      link: row.link,
      dedupeKey: row.dedupeKey,
      state: 'pending',
      nextAttemptAt: now,
      createdAt: now,
    })
    .onConflict((oc) => oc.columns(['channel', 'recipient', 'dedupeKey']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * Seals outbox recipients stored plain or under an earlier data key, deterministically under the
 * key in use, a batch at a time. A row whose new form another row already holds (the same message
 * queued again meanwhile) keeps its recipient as it is.
 */
export async function sealOutbox(db: Kdb, batch = 500): Promise<SealOutcome> {
  const pattern = currentSealPattern();
  return sealInBatches(
    db,
    'notify.outbox',
    {
      select: (trx, after: { id: string } | null, limit) =>
        trx
          .selectFrom('outbox')
          .select(['id', 'channel', 'recipient', 'dedupeKey'])
          .where(textNeedsSealing('recipient', pattern))
          .$if(after !== null, (q) => q.where('id', '>', after!.id))
          .orderBy('id')
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .execute(),
      write: async (trx, row) => {
        const recipient = resealLookup(row.recipient);
        const taken = await trx
          .selectFrom('outbox')
          .select('id')
          .where('channel', '=', row.channel)
          .where('recipient', '=', recipient)
          .where('dedupeKey', '=', row.dedupeKey)
          .executeTakeFirst();
        if (taken) return false;
        await trx.updateTable('outbox').set({ recipient }).where('id', '=', row.id).execute();
        return true;
      },
    },
    batch,
  );
}

/** One page of a user's messages, newest first. */
export async function listMessages(
  db: Kdb,
  userId: string,
  query: { unread?: boolean; limit: number; offset: number },
): Promise<{ messages: MessageRow[]; total: number; unread: number }> {
  let base = db.selectFrom('messages').where('userId', '=', userId);
  if (query.unread) base = base.where('readAt', 'is', null);
  const [messages, total, unread] = await Promise.all([
    base
      .select(MESSAGE_COLUMNS)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    countUnread(db, userId),
  ]);
  return { messages, total: Number(total.n), unread };
}

/** How many of a user's messages are unread. */
export async function countUnread(db: Kdb, userId: string): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One of a user's messages, locked for marking it read; undefined when it is not theirs. */
export async function findOwnMessageForUpdate(trx: Tx, userId: string, id: string) {
  return trx
    .selectFrom('messages')
    .select(MESSAGE_COLUMNS)
    .where('id', '=', id)
    .where('userId', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/** Marks one message read. */
export async function markMessageRead(trx: Tx, id: string, now: Date): Promise<void> {
  await trx.updateTable('messages').set({ readAt: now }).where('id', '=', id).execute();
}

/** Marks every unread message of a user read; returns how many. */
export async function markAllRead(trx: Tx, userId: string, now: Date): Promise<number> {
  const rows = await trx
    .updateTable('messages')
    .set({ readAt: now })
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

/**
 * Claims due outbox rows for sending: pending rows whose time has come, and rows another worker
 * left in `sending` past its lease (it may have crashed before or after the provider accepted).
 * Rows locked by another worker are skipped; claimed rows get a lease and one more attempt.
 */
export async function claimDueOutbox(
  trx: Tx,
  now: Date,
  options: { limit: number; leaseSeconds: number; maxAttempts: number },
): Promise<{ claimed: OutboxRow[]; abandoned: number }> {
  const due = await sql<{ id: string; state: OutboxState; attempts: number }>`
    select id, state, attempts from outbox
    where (state = 'pending' and next_attempt_at <= ${now})
       or (state = 'sending' and lease_until <= ${now})
    order by next_attempt_at, id
    limit ${options.limit}
    for update skip locked`.execute(trx);
  // A row whose last lease ran out on its last attempt is given up rather than tried beyond the limit.
  const abandon = due.rows.filter((r) => r.attempts >= options.maxAttempts).map((r) => r.id);
  const claim = due.rows.filter((r) => r.attempts < options.maxAttempts).map((r) => r.id);
  if (abandon.length > 0) {
    await trx
      .updateTable('outbox')
      .set({ state: 'failed', leaseUntil: null, lastError: 'lease expired on the last attempt' })
      .where('id', 'in', abandon)
      .execute();
  }
  if (claim.length === 0) return { claimed: [], abandoned: abandon.length };
  const leaseUntil = new Date(now.getTime() + options.leaseSeconds * 1000);
  const claimed = await trx
    .updateTable('outbox')
    .set((eb) => ({ state: 'sending', leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', claim)
    .returningAll()
    .execute();
  claimed.sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
  return { claimed, abandoned: abandon.length };
}

/** Records a send the provider accepted, unless another worker has taken the row over since. */
export async function markOutboxSent(
  db: Kdb,
  row: Pick<OutboxRow, 'id' | 'attempts'>,
  now: Date,
  reference: string | null,
): Promise<boolean> {
  const updated = await db
    .updateTable('outbox')
    .set({ state: 'sent', sentAt: now, leaseUntil: null, lastError: null, reference })
    .where('id', '=', row.id)
    .where('state', '=', 'sending')
    .where('attempts', '=', row.attempts)
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
}

/** Records a failed send: back to pending for a later try, or failed for good. */
export async function markOutboxFailed(
  db: Kdb,
  row: Pick<OutboxRow, 'id' | 'attempts'>,
  failure: { error: string; retryAt: Date | null },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set(
      failure.retryAt
        ? {
            state: 'pending',
            nextAttemptAt: failure.retryAt,
            leaseUntil: null,
            lastError: failure.error,
          }
        : { state: 'failed', leaseUntil: null, lastError: failure.error },
    )
    .where('id', '=', row.id)
    .where('state', '=', 'sending')
    .where('attempts', '=', row.attempts)
    .execute();
}

/** One page of the outbox for operations, newest first, with counts by state. */
export async function listOutbox(
  db: Kdb,
  query: { state?: OutboxState; limit: number; offset: number },
): Promise<{ items: OutboxRow[]; total: number; counts: Record<OutboxState, number> }> {
  let base = db.selectFrom('outbox');
  if (query.state) base = base.where('state', '=', query.state);
  const [items, total, byState] = await Promise.all([
    base
      .selectAll()
      .orderBy('createdAt', 'desc')
      .orderBy('id')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db
      .selectFrom('outbox')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('state')
      .execute(),
  ]);
  const counts: Record<OutboxState, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const row of byState) counts[row.state] = Number(row.n);
  return { items, total: Number(total.n), counts };
}
