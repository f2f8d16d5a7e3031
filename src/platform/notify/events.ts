import { sql } from 'kysely';
import {
  currentSealPattern,
  open,
  reseal,
  seal,
  sealInBatches,
  textNeedsSealing,
  type SealOutcome,
} from '../crypto';
import type { Kdb, Tx } from '../db/database';
import {
  DEFAULT_BACKOFF,
  eventProblems,
  nextAttemptAt,
  type Backoff,
  type DomainEvent,
  type DomainEventInput,
} from './model';

/** What a handler does with an event, inside the transaction that records its delivery. */
export type EventHandler = (trx: Tx, event: DomainEvent) => Promise<void>;

/** Where the bus reports failing handlers (a pino/Fastify logger fits). */
export interface EventLog {
  warn(object: Record<string, unknown>, message: string): void;
}

/** How the bus works through its backlog. */
export interface EventBusOptions {
  /** Events per handler per dispatch run (default 100). */
  batch?: number;
  backoff?: Backoff;
  log?: EventLog;
}

/** What one dispatch run did. */
export interface DispatchResult {
  delivered: number;
  failed: number;
}

/**
 * Publishes a domain event in the caller's transaction, so the event exists exactly when the change
 * that caused it commits. Publishing the same (type, key) again is a no-op; `created` says which.
 */
export async function publishEvent(
  trx: Tx,
  input: DomainEventInput,
): Promise<{ id: string; created: boolean }> {
  const problems = eventProblems(input);
  if (problems.length > 0) throw new Error(`publishEvent: ${problems.join('; ')}`);
  const inserted = await trx
    .insertInto('domainEvents')
    .values({
      type: input.type,
      key: input.key,
      regionCode: input.regionCode,
      payload: JSON.stringify(storedPayload(input)),
      occurredAt: input.occurredAt ?? new Date(),
    })
    .onConflict((oc) => oc.columns(['type', 'key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await trx
    .selectFrom('domainEvents')
    .select('id')
    .where('type', '=', input.type)
    .where('key', '=', input.key)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

// Events carry ids and codes; the few personal values a handler needs (a licence holder's ID
// number, a case's form data, an applicant's mobile for the rating invitation) are sealed whole
// (SM4) under the payload's `sealed` key, which no SQL reads.
const SEALED = 'sealed';

function storedPayload(input: DomainEventInput): Record<string, unknown> {
  const payload = { ...input.payload };
  if (input.personal && Object.keys(input.personal).length > 0) {
    payload[SEALED] = seal(JSON.stringify(input.personal));
  }
  return payload;
}

/** An event payload as handlers see it: its sealed personal fields opened and merged back in. */
export function openEventPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const sealed = payload[SEALED];
  if (typeof sealed !== 'string') return payload;
  const rest = { ...payload };
  delete rest[SEALED];
  return { ...rest, ...(JSON.parse(open(sealed)) as Record<string, unknown>) };
}

/**
 * Seals, a batch at a time, the personal fields of stored events: those written plain before
 * events sealed them (`personalFields` names them per event type) and those sealed under an
 * earlier data key. Safe on every start and from several servers (`for update skip locked`).
 */
export async function sealEventPayloads(
  db: Kdb,
  personalFields: Readonly<Record<string, readonly string[]>>,
  batch = 500,
): Promise<SealOutcome> {
  const pattern = currentSealPattern();
  const plain = Object.entries(personalFields).map(
    ([type, fields]) =>
      sql<boolean>`(type = ${type} and payload ?| array[${sql.join(fields.map((f) => sql.val(f)))}]::text[])`,
  );
  return sealInBatches(
    db,
    'notify.events',
    {
      select: (trx, after: { id: string } | null, limit) =>
        trx
          .selectFrom('domainEvents')
          .select(['id', 'type', 'payload'])
          .where((eb) =>
            eb.or([
              eb.and([
                sql<boolean>`jsonb_typeof(payload->'sealed') = 'string'`,
                textNeedsSealing(sql`payload->>'sealed'`, pattern),
              ]),
              ...plain,
            ]),
          )
          .$if(after !== null, (q) => q.where('id', '>', after!.id))
          .orderBy('id')
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .execute(),
      write: async (trx, row) => {
        const fields = personalFields[row.type] ?? [];
        const stored = row.payload;
        const payload: Record<string, unknown> = {};
        const personal: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(stored)) {
          if (fields.includes(key)) personal[key] = value;
          else payload[key] = value;
        }
        if (Object.keys(personal).length > 0) {
          // fields once written plain join those already sealed, under the key in use
          const earlier =
            typeof stored[SEALED] === 'string'
              ? (JSON.parse(open(stored[SEALED])) as Record<string, unknown>)
              : {};
          payload[SEALED] = seal(JSON.stringify({ ...earlier, ...personal }));
        } else if (typeof stored[SEALED] === 'string') {
          payload[SEALED] = reseal(stored[SEALED]);
        }
        await trx
          .updateTable('domainEvents')
          .set({ payload: JSON.stringify(payload) })
          .where('id', '=', row.id)
          .execute();
        return true;
      },
    },
    batch,
  );
}

interface Subscription {
  type: string;
  name: string;
  handler: EventHandler;
}

/**
 * Delivers published domain events to the handlers subscribed to their type. Each (event, handler)
 * pair runs in its own transaction that also records the delivery, so a handler's effects happen
 * exactly once, however many app servers dispatch at the same time; a failing handler rolls back,
 * is retried later with backoff and does not hold up the others.
 */
export class EventBus {
  readonly #subscriptions: Subscription[] = [];
  readonly #batch: number;
  readonly #backoff: Backoff;
  readonly #log: EventLog | undefined;

  constructor(
    private readonly db: Kdb,
    options: EventBusOptions = {},
  ) {
    this.#batch = options.batch ?? 100;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#log = options.log;
  }

  /**
   * Subscribes a handler to a type. The name identifies the handler in the delivery records: keep
   * it stable across releases (renaming it re-delivers every past event of the type).
   */
  on(type: string, handlerName: string, handler: EventHandler): this {
    if (!/^[a-z][a-z0-9_.-]{0,99}$/.test(handlerName)) {
      throw new Error(`EventBus.on: bad handler name "${handlerName}"`);
    }
    if (this.#subscriptions.some((s) => s.type === type && s.name === handlerName)) {
      throw new Error(`EventBus.on: ${handlerName} already handles ${type}`);
    }
    this.#subscriptions.push({ type, name: handlerName, handler });
    return this;
  }

  /** The subscribed (type, handler name) pairs. */
  get subscriptions(): readonly { type: string; name: string }[] {
    return this.#subscriptions.map(({ type, name }) => ({ type, name }));
  }

  /** Runs every due (event, handler) pair not yet delivered; returns what it did. */
  async dispatch(now: Date = new Date()): Promise<DispatchResult> {
    const result: DispatchResult = { delivered: 0, failed: 0 };
    for (const subscription of this.#subscriptions) {
      for (const event of await this.#due(subscription, now)) {
        const outcome = await this.#deliver(subscription, event, now);
        if (outcome === 'delivered') result.delivered += 1;
        if (outcome === 'failed') result.failed += 1;
      }
    }
    return result;
  }

  async #due(subscription: Subscription, now: Date): Promise<DomainEvent[]> {
    return this.db
      .selectFrom('domainEvents as e')
      .select(['e.id', 'e.type', 'e.key', 'e.regionCode', 'e.payload', 'e.occurredAt'])
      .where('e.type', '=', subscription.type)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('domainEventDeliveries as d')
              .select('d.eventId')
              .whereRef('d.eventId', '=', 'e.id')
              .where('d.handler', '=', subscription.name)
              .where((eb) =>
                eb.or([eb('d.deliveredAt', 'is not', null), eb('d.nextAttemptAt', '>', now)]),
              ),
          ),
        ),
      )
      .orderBy('e.occurredAt')
      .orderBy('e.id')
      .limit(this.#batch)
      .execute();
  }

  async #deliver(
    subscription: Subscription,
    event: DomainEvent,
    now: Date,
  ): Promise<'delivered' | 'skipped' | 'failed'> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        // Another dispatcher working on this event holds its row: leave the event to it.
        const locked = await sql<{ id: string }>`
          select id from domain_events where id = ${event.id} for update skip locked`.execute(trx);
        if (locked.rows.length === 0) return 'skipped';
        // The delivery record commits with the handler's effects or not at all; a pair already
        // delivered (by a dispatcher that committed meanwhile) is left alone.
        const claimed = await trx
          .insertInto('domainEventDeliveries')
          .values({ eventId: event.id, handler: subscription.name, deliveredAt: now, attempts: 1 })
          .onConflict((oc) =>
            oc
              .columns(['eventId', 'handler'])
              .doUpdateSet((eb) => ({
                deliveredAt: eb.ref('excluded.deliveredAt'),
                attempts: sql<number>`domain_event_deliveries.attempts + 1`,
                lastError: null,
                nextAttemptAt: null,
              }))
              .where('domainEventDeliveries.deliveredAt', 'is', null),
          )
          .returning('eventId')
          .executeTakeFirst();
        if (!claimed) return 'skipped';
        await subscription.handler(trx, { ...event, payload: openEventPayload(event.payload) });
        return 'delivered';
      });
    } catch (error) {
      await this.#recordFailure(subscription, event, now, error);
      return 'failed';
    }
  }

  async #recordFailure(subscription: Subscription, event: DomainEvent, now: Date, error: unknown) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    try {
      const row = await this.db.transaction().execute(async (trx) => {
        const previous = await trx
          .selectFrom('domainEventDeliveries')
          .select(['attempts', 'deliveredAt'])
          .where('eventId', '=', event.id)
          .where('handler', '=', subscription.name)
          .forUpdate()
          .executeTakeFirst();
        if (previous?.deliveredAt) return null;
        const attempts = (previous?.attempts ?? 0) + 1;
        const next = nextAttemptAt(now, attempts, this.#backoff);
        await trx
          .insertInto('domainEventDeliveries')
          .values({
            eventId: event.id,
            handler: subscription.name,
            attempts,
            lastError: message,
            nextAttemptAt: next,
          })
          .onConflict((oc) =>
            oc
              .columns(['eventId', 'handler'])
              .doUpdateSet({ attempts, lastError: message, nextAttemptAt: next })
              .where('domainEventDeliveries.deliveredAt', 'is', null),
          )
          .execute();
        return { attempts, next };
      });
      if (row) {
        this.#log?.warn(
          {
            eventId: event.id,
            type: event.type,
            handler: subscription.name,
            attempts: row.attempts,
            nextAttemptAt: row.next.toISOString(),
            err: error,
          },
          'domain event handler failed',
        );
      }
    } catch (recordError) {
      // Without the record the pair is simply due again at the next run.
      this.#log?.warn(
        { eventId: event.id, err: recordError },
        'recording a handler failure failed',
      );
    }
  }
}
