import { timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/database';
import type { App } from '../http/app';
import { AppError, forbidden } from '../http/errors';

/** How the metrics endpoint is reached. */
export interface MetricsOptions {
  /**
   * Bearer token a scraper must send (ONETHING_METRICS_TOKEN). When unset, only direct requests
   * from this machine (loopback, not forwarded by a proxy) may read the metrics.
   */
  token?: string | null;
}

/** The route of the metrics endpoint. */
export const METRICS_PATH = '/metrics';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
// Request durations in seconds, denser around the 150 ms p99 the platform aims at.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10];

/** Whether a presented Authorization header carries the configured token (constant time). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Who may read the metrics: with a token, exactly the callers that present it; without one,
 * direct loopback callers only (a request a reverse proxy forwarded is refused).
 */
export function metricsAccess(
  request: { remoteAddress: string | undefined; authorization?: string; forwarded: boolean },
  token: string | null,
): 'ok' | 'unauthenticated' | 'forbidden' {
  if (token) return bearerMatches(request.authorization, token) ? 'ok' : 'unauthenticated';
  const local = LOOPBACK.has(request.remoteAddress ?? '') && !request.forwarded;
  return local ? 'ok' : 'forbidden';
}

/** Gauges read from the database at each scrape: event backlog, outbox, connections. */
function databaseGauges(registry: Registry, app: App, db: Db) {
  const up = new Gauge({
    name: 'onething_db_up',
    help: 'Whether the database answered the last scrape (1) or not (0).',
    registers: [registry],
  });
  const backlog = new Gauge({
    name: 'onething_event_backlog',
    help: 'Domain events not yet delivered to a subscribed handler, by handler.',
    labelNames: ['handler'],
    registers: [registry],
  });
  const retrying = new Gauge({
    name: 'onething_event_deliveries_retrying',
    help: 'Event deliveries that failed and wait for a retry.',
    registers: [registry],
  });
  const outbox = new Gauge({
    name: 'onething_outbox_messages',
    help: 'Outgoing SMS and e-mail messages by state (pending, sending, sent, failed).',
    labelNames: ['state'],
    registers: [registry],
  });
  const connections = new Gauge({
    name: 'onething_db_connections',
    help: 'PostgreSQL server connections to this database by state (pg_stat_activity; all app servers).',
    labelNames: ['state'],
    registers: [registry],
  });
  const poolClients = db.poolClients;
  if (poolClients)
    new Gauge({
      name: 'onething_db_pool_clients',
      help: "This server's pool of PostgreSQL connections: open, idle, and requests waiting for one.",
      labelNames: ['state'],
      registers: [registry],
      collect() {
        for (const [state, n] of Object.entries(poolClients())) this.set({ state }, n);
      },
    });

  // One read of the database per scrape, shared by the gauges of that scrape.
  let pending: Promise<void> | null = null;
  const read = async () => {
    try {
      await readDatabase();
      up.set(1);
    } catch (error) {
      up.set(0);
      app.log.warn({ err: error }, 'metrics: database read failed');
    }
  };
  const readDatabase = async () => {
    const subscriptions = app.hasDecorator('events') ? app.events.subscriptions : [];
    backlog.reset();
    for (const s of subscriptions) backlog.set({ handler: s.name }, 0);
    if (subscriptions.length > 0) {
      const pairs = sql.join(subscriptions.map((s) => sql`(${s.type}, ${s.name})`));
      const { rows } = await sql<{ handler: string; n: number | string }>`
        select s.handler, count(*) as n
        from (values ${pairs}) as s (type, handler)
        join domain_events e on e.type = s.type
        where not exists (
          select 1 from domain_event_deliveries d
          where d.event_id = e.id and d.handler = s.handler and d.delivered_at is not null)
        group by s.handler`.execute(db.kysely);
      for (const row of rows) backlog.set({ handler: row.handler }, Number(row.n));
    }
    const { rows: failing } = await sql<{ n: number | string }>`
      select count(*) as n from domain_event_deliveries where delivered_at is null`.execute(
      db.kysely,
    );
    retrying.set(Number(failing[0]?.n ?? 0));
    outbox.reset();
    for (const state of ['pending', 'sending', 'sent', 'failed']) outbox.set({ state }, 0);
    const { rows: states } = await sql<{ state: string; n: number | string }>`
      select state, count(*) as n from outbox group by state`.execute(db.kysely);
    for (const row of states) outbox.set({ state: row.state }, Number(row.n));
    if (db.kind === 'postgres') {
      connections.reset();
      const { rows: conns } = await sql<{ state: string | null; n: number | string }>`
        select coalesce(state, 'unknown') as state, count(*) as n from pg_stat_activity
        where datname = current_database() group by 1`.execute(db.kysely);
      for (const row of conns) connections.set({ state: row.state ?? 'unknown' }, Number(row.n));
    }
  };
  return {
    collect: () => (pending ??= read().finally(() => (pending = null))),
  };
}

/**
 * Operations on the HTTP app: Prometheus metrics at GET /metrics (request counts and durations by
 * route pattern, method and status; event backlog; outbox; database connections; process) and
 * the route and signed-in user's id on every request's structured log lines.
 */
export function registerOperations(app: App, db: Db, options: MetricsOptions = {}): void {
  const token = options.token ?? null;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'onething_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'onething_http_request_duration_seconds',
    help: 'Time to answer HTTP requests in seconds, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const gauges = databaseGauges(registry, app, db);

  app.addHook('onResponse', async (request, reply) => {
    // The pattern, never the concrete URL: ids in paths would make a series per object.
    const route = request.routeOptions.url ?? 'unmatched';
    // Bound to the request's logger, so Fastify's "request completed" line carries them too.
    (request.log as Logger).setBindings({
      route,
      ...(request.actor ? { userId: request.actor.userId, role: request.actor.role } : {}),
    });
    if (route === METRICS_PATH) return;
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    requests.inc(labels);
    durations.observe(labels, reply.elapsedTime / 1000);
  });

  app.get(
    METRICS_PATH,
    {
      // Outside /api: the session check does not apply; the handler checks the token or origin.
      config: { access: { roles: 'public', scope: 'none' } },
      schema: { hide: true },
      logLevel: 'warn',
    },
    async (request, reply) => {
      const decision = metricsAccess(
        {
          remoteAddress: request.socket.remoteAddress,
          authorization: request.headers.authorization,
          forwarded: request.headers['x-forwarded-for'] !== undefined,
        },
        token,
      );
      if (decision === 'unauthenticated') {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new AppError(401, 'metrics.token_required', {
          zh: '读取指标需要有效的令牌（Authorization: Bearer …）',
          en: 'reading the metrics needs a valid token (Authorization: Bearer …)',
        });
      }
      if (decision === 'forbidden') {
        throw forbidden({
          zh: '未设置 ONETHING_METRICS_TOKEN 时，只能从本机读取指标',
          en: 'without ONETHING_METRICS_TOKEN the metrics may only be read from this machine',
        });
      }
      await gauges.collect();
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
}
