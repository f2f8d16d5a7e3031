import { Type } from 'typebox';
import { requestMeta, requireActor, type App, type AppContext } from '../http/app';
import { logSealing, open } from '../crypto';
import { TextSchema, errorResponses } from '../http/schemas';
import { EventBus } from './events';
import { maskRecipient, type Sender } from './model';
import { ConsoleSender } from './senders';
import { NotifyService } from './service';
import { sealOutbox } from './store';
import type { MessageRow, OutboxRow } from './store';

declare module 'fastify' {
  interface FastifyInstance {
    /** The domain-event bus: capabilities subscribe their handlers in their route modules. */
    events: EventBus;
    /** In-app messages and the outbox of SMS and email. */
    notifications: NotifyService;
  }
}

const OutboxStateSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('sending'),
  Type.Literal('sent'),
  Type.Literal('failed'),
]);

const MessageSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.String({ description: 'what the message is about, e.g. cases.accepted' }),
  title: TextSchema,
  body: TextSchema,
  link: Type.Union([Type.String(), Type.Null()], { description: 'a path inside the web app' }),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const OutboxItemSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  channel: Type.Union([Type.Literal('sms'), Type.Literal('email')]),
  recipient: Type.String({ description: 'masked: 138****5678, z***@example.cn' }),
  kind: Type.String(),
  title: TextSchema,
  dedupeKey: Type.String(),
  state: OutboxStateSchema,
  attempts: Type.Integer(),
  nextAttemptAt: Type.String({ format: 'date-time' }),
  leaseUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const Counts = Type.Object({
  pending: Type.Integer(),
  sending: Type.Integer(),
  sent: Type.Integer(),
  failed: Type.Integer(),
});

const OWN = { roles: 'signed-in', scope: 'own' } as const;

function messageOut(row: MessageRow) {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  };
}

function outboxOut(row: OutboxRow) {
  return {
    id: row.id,
    channel: row.channel,
    recipient: maskRecipient(row.channel, open(row.recipient)),
    kind: row.kind,
    title: row.title,
    dedupeKey: row.dedupeKey,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    leaseUntil: row.leaseUntil?.toISOString() ?? null,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

/** Options of the notification routes; tests pass their own senders. */
export interface NotifyRouteOptions {
  senders?: readonly Sender[];
}

/**
 * The signed-in user's messages (站内消息) and the outbox for operations. Also puts the event bus
 * and the notification service on the app, so the route modules registered after this one can
 * subscribe handlers and the server can run the delivery workers.
 */
export function notifyRoutes(app: App, { db }: AppContext, options: NotifyRouteOptions = {}) {
  const log = app.log;
  app.decorate('events', new EventBus(db.kysely, { log }));
  app.decorate(
    'notifications',
    new NotifyService(db.kysely, {
      senders: options.senders ?? [new ConsoleSender('sms', log), new ConsoleSender('email', log)],
      log,
    }),
  );
  const service = app.notifications;
  // outbox recipients stored plain or under an earlier data key, sealed under the key in use
  app.addHook('onReady', async () => {
    logSealing(log, { outbox: await sealOutbox(db.kysely) });
  });

  app.get(
    '/api/messages',
    {
      config: { access: OWN },
      schema: {
        tags: ['platform'],
        summary: 'Your messages, newest first (站内消息)',
        querystring: Type.Object(
          {
            unread: Type.Optional(Type.Boolean({ description: 'only unread messages' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            messages: Type.Array(MessageSchema),
            total: Type.Integer({ description: 'messages matching the filter' }),
            unread: Type.Integer(),
          }),
          ...errorResponses(401, 422),
        },
      },
    },
    async (request) => {
      const page = await service.listMessages(requireActor(request), request.query);
      return { ...page, messages: page.messages.map(messageOut) };
    },
  );

  app.get(
    '/api/messages/unread-count',
    {
      config: { access: OWN },
      schema: {
        tags: ['platform'],
        summary: 'How many of your messages are unread',
        response: { 200: Type.Object({ unread: Type.Integer() }), ...errorResponses(401) },
      },
    },
    async (request) => ({ unread: await service.unreadCount(requireActor(request)) }),
  );

  app.post(
    '/api/messages/read-all',
    {
      config: { access: OWN },
      schema: {
        tags: ['platform'],
        summary: 'Mark all your messages read',
        response: { 200: Type.Object({ marked: Type.Integer() }), ...errorResponses(401) },
      },
    },
    async (request) => ({
      marked: await service.markAllRead(requireActor(request), requestMeta(request)),
    }),
  );

  app.post(
    '/api/messages/:id/read',
    {
      config: { access: OWN },
      schema: {
        tags: ['platform'],
        summary: 'Mark one of your messages read',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: MessageSchema, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) =>
      messageOut(
        await service.markRead(requireActor(request), request.params.id, requestMeta(request)),
      ),
  );

  app.get(
    '/api/outbox',
    {
      config: { access: { roles: ['admin'], scope: 'all' } },
      schema: {
        tags: ['platform'],
        summary: 'The outbox of SMS and email, newest first (operations)',
        querystring: Type.Object(
          {
            state: Type.Optional(OutboxStateSchema),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(OutboxItemSchema),
            total: Type.Integer(),
            counts: Counts,
          }),
          ...errorResponses(401, 403, 422),
        },
      },
    },
    async (request) => {
      const page = await service.listOutbox(request.query);
      return { ...page, items: page.items.map(outboxOut) };
    },
  );
}
