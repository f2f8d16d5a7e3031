import { appendAudit } from '../audit';
import type { Actor } from '../auth/model';
import { open } from '../crypto';
import type { RequestMeta } from '../auth/service';
import type { Kdb, Tx } from '../db/database';
import { notFound } from '../http/errors';
import { invalidRequest } from '../http/validation';
import type { Text } from '../i18n';
import { checkMobile } from '../ids';
import {
  DEFAULT_BACKOFF,
  nextAttemptAt,
  notifyProblems,
  type Backoff,
  type Channel,
  type NotifyInput,
  type NotifyResult,
  type OutboxState,
  type Sender,
} from './model';
import { ConsoleSender } from './senders';
import * as store from './store';

const MESSAGE: Text = { zh: '消息', en: 'message' };

/**
 * Notifies people inside the caller's transaction: an in-app message to every recipient and, when
 * given, an SMS and an email queued in the outbox. The dedupe key makes a repeat a no-op: no second
 * message for a user, no second SMS or email to the same address.
 */
export async function notify(
  trx: Tx,
  input: NotifyInput,
  now: Date = new Date(),
): Promise<NotifyResult> {
  const problems = notifyProblems(input);
  if (problems.length > 0) {
    throw invalidRequest(
      problems.map((p) => ({ path: p.path, rule: 'notify', message: p.message })),
    );
  }
  const content = {
    kind: input.kind,
    title: input.title,
    body: input.body,
    link: input.link ?? null,
    dedupeKey: input.dedupeKey,
  };
  const userIds = await store.resolveRecipients(trx, input.to);
  const messages = await store.insertMessages(trx, userIds, content, now);
  let outbox = 0;
  const external: { channel: Channel; recipient: string }[] = [];
  if (input.sms)
    external.push({ channel: 'sms', recipient: checkMobile(input.sms.mobile).normalized });
  if (input.email)
    external.push({ channel: 'email', recipient: input.email.address.trim().toLowerCase() });
  for (const target of external) {
    if (await store.insertOutbox(trx, { ...content, ...target }, now)) outbox += 1;
  }
  return { messages, outbox };
}

/** Milliseconds before the next try at recording a send: 200 ms doubling, at most 2 s. */
export function recordRetryDelay(attempt: number): number {
  return Math.min(200 * 2 ** attempt, 2_000);
}

/** Where the delivery worker reports (a pino/Fastify logger fits). */
export interface NotifyLog {
  warn(object: Record<string, unknown>, message: string): void;
}

/** How the outbox is delivered. */
export interface NotifyServiceOptions {
  /** One sender per channel; a console sender for any channel not given. */
  senders?: readonly Sender[];
  /** How long a claimed row is left to its worker before another may resend it (default 60 s). */
  leaseSeconds?: number;
  /** Attempts before a row is given up as failed (default 8). */
  maxAttempts?: number;
  /** Rows claimed per delivery run (default 50). */
  batch?: number;
  backoff?: Backoff;
  log?: NotifyLog;
}

/** What one delivery run did. */
export interface DeliveryResult {
  sent: number;
  retried: number;
  failed: number;
}

/** A page of messages with the number unread. */
export interface MessagePage {
  messages: store.MessageRow[];
  total: number;
  unread: number;
}

/** In-app messages of the signed-in user and the delivery of the outbox through pluggable senders. */
export class NotifyService {
  readonly #senders = new Map<Channel, Sender>();
  readonly #lease: number;
  readonly #maxAttempts: number;
  readonly #batch: number;
  readonly #backoff: Backoff;
  readonly #log: NotifyLog | undefined;

  constructor(
    private readonly db: Kdb,
    options: NotifyServiceOptions = {},
  ) {
    for (const sender of options.senders ?? []) this.#senders.set(sender.channel, sender);
    for (const channel of ['sms', 'email'] as const) {
      if (!this.#senders.has(channel)) this.#senders.set(channel, new ConsoleSender(channel));
    }
    this.#lease = options.leaseSeconds ?? 60;
    this.#maxAttempts = options.maxAttempts ?? 8;
    this.#batch = options.batch ?? 50;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#log = options.log;
  }

  /**
   * Sends what is due in the outbox, at least once: rows are claimed with a lease in a committed
   * transaction, handed to the channel's sender with the row id as idempotency key, then marked
   * sent — or pending again with backoff, or failed after the last attempt. A worker that dies
   * between the send and the mark leaves the row to be sent again when its lease runs out.
   */
  async deliverOutbox(now: Date = new Date()): Promise<DeliveryResult> {
    const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
    const { claimed, abandoned } = await this.db.transaction().execute((trx) =>
      store.claimDueOutbox(trx, now, {
        limit: this.#batch,
        leaseSeconds: this.#lease,
        maxAttempts: this.#maxAttempts,
      }),
    );
    result.failed += abandoned;
    for (const row of claimed) {
      const sender = this.#senders.get(row.channel);
      let reference: string | null;
      try {
        if (!sender) throw new Error(`no sender for channel ${row.channel}`);
        const accepted = await sender.send({
          id: row.id,
          idempotencyKey: row.id,
          channel: row.channel,
          recipient: open(row.recipient),
          kind: row.kind,
          title: row.title,
          body: row.body,
          link: row.link,
          attempt: row.attempts,
        });
        reference = accepted?.reference ?? null;
      } catch (error) {
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
        const last = row.attempts >= this.#maxAttempts;
        const retryAt = last ? null : nextAttemptAt(now, row.attempts, this.#backoff);
        await this.#record(row, () =>
          store.markOutboxFailed(this.db, row, { error: message, retryAt }),
        );
        if (last) result.failed += 1;
        else result.retried += 1;
        this.#log?.warn(
          { outboxId: row.id, channel: row.channel, attempts: row.attempts, retryAt, err: error },
          last ? 'outbox message failed for good' : 'outbox message failed; will retry',
        );
        continue;
      }
      // Sent: the mark must not be lost to a database hiccup, or the row would go out again.
      await this.#record(row, () => store.markOutboxSent(this.db, row, now, reference));
      result.sent += 1;
    }
    return result;
  }

  /**
   * Records the outcome of a send, trying again while the database is out of reach (a restart, a
   * dropped connection) for up to half the lease: within the lease no other worker takes the row,
   * so a mark that lands late still keeps the message from going out twice. Past that the error is
   * thrown and the row is left to the lease (sent again: at least once).
   */
  async #record(row: { id: string }, mark: () => Promise<unknown>): Promise<void> {
    const giveUpAt = Date.now() + (this.#lease * 1000) / 2;
    for (let attempt = 0; ; attempt++) {
      try {
        await mark();
        return;
      } catch (error) {
        const wait = recordRetryDelay(attempt);
        if (Date.now() + wait > giveUpAt) throw error;
        this.#log?.warn(
          { outboxId: row.id, attempt: attempt + 1, err: error },
          'recording an outbox send failed; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /** The caller's own messages, newest first. */
  listMessages(
    actor: Actor,
    query: { unread?: boolean; limit?: number; offset?: number },
  ): Promise<MessagePage> {
    return store.listMessages(this.db, actor.userId, {
      unread: query.unread,
      limit: query.limit ?? 20,
      offset: query.offset ?? 0,
    });
  }

  /** How many of the caller's messages are unread. */
  unreadCount(actor: Actor): Promise<number> {
    return store.countUnread(this.db, actor.userId);
  }

  /** Marks one of the caller's messages read; someone else's message is not found. */
  async markRead(
    actor: Actor,
    id: string,
    meta: RequestMeta,
    now: Date = new Date(),
  ): Promise<store.MessageRow> {
    return this.db.transaction().execute(async (trx) => {
      const message = await store.findOwnMessageForUpdate(trx, actor.userId, id);
      if (!message) throw notFound(MESSAGE);
      if (message.readAt) return message;
      await store.markMessageRead(trx, id, now);
      await appendAudit(trx, {
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'message.read',
        objectType: 'message',
        objectId: id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { kind: message.kind },
        at: now,
      });
      return { ...message, readAt: now };
    });
  }

  /** Marks every unread message of the caller read; returns how many it marked. */
  async markAllRead(actor: Actor, meta: RequestMeta, now: Date = new Date()): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const marked = await store.markAllRead(trx, actor.userId, now);
      if (marked > 0) {
        await appendAudit(trx, {
          actorId: actor.userId,
          actorRole: actor.role,
          action: 'message.read_all',
          objectType: 'message',
          objectId: null,
          ip: meta.ip,
          requestId: meta.requestId,
          detail: { marked },
          at: now,
        });
      }
      return marked;
    });
  }

  /** The outbox for operations, newest first. */
  listOutbox(query: { state?: OutboxState; limit?: number; offset?: number }) {
    return store.listOutbox(this.db, {
      state: query.state,
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
    });
  }
}
