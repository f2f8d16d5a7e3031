import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/server';
import { publishEvent } from '../notify';
import { bearerMatches, metricsAccess } from './metrics';

/** The value of one sample line of a Prometheus text exposition, or undefined. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    const shown = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (shown) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('who may read the metrics', () => {
  it('admits loopback callers only when no token is configured', () => {
    expect(metricsAccess({ remoteAddress: '127.0.0.1', forwarded: false }, null)).toBe('ok');
    expect(metricsAccess({ remoteAddress: '::1', forwarded: false }, null)).toBe('ok');
    expect(metricsAccess({ remoteAddress: '10.0.0.8', forwarded: false }, null)).toBe('forbidden');
    // A reverse proxy on the same machine forwards outside callers from loopback.
    expect(metricsAccess({ remoteAddress: '127.0.0.1', forwarded: true }, null)).toBe('forbidden');
  });

  it('admits exactly the callers that present the configured token', () => {
    const token = 's3cret-token';
    expect(
      metricsAccess(
        { remoteAddress: '10.0.0.8', forwarded: true, authorization: `Bearer ${token}` },
        token,
      ),
    ).toBe('ok');
    expect(metricsAccess({ remoteAddress: '127.0.0.1', forwarded: false }, token)).toBe(
      'unauthenticated',
    );
    expect(bearerMatches('Bearer s3cret-tokeN', token)).toBe(false);
    expect(bearerMatches('Basic s3cret-token', token)).toBe(false);
    expect(bearerMatches(undefined, token)).toBe(false);
  });
});

describe('GET /metrics without a token', () => {
  let server: TestServer;
  const logs: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({
      env: { ONETHING_OUTBOX_SECONDS: '0' },
      logStream: { write: (line: string) => void logs.push(line) },
    });
  }, 120_000);
  afterAll(() => server?.close());

  it('counts requests and their durations by route pattern, method and status', async () => {
    await server.api('/api/health');
    await server.api('/api/health');
    await server.api('/api/no-such-thing/12345');
    const reply = await fetch(`${server.url}/metrics`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await reply.text();
    const health = { method: 'GET', route: '/api/health', status: '200' };
    expect(sample(text, 'onething_http_requests_total', health)).toBeGreaterThanOrEqual(2);
    expect(
      sample(text, 'onething_http_request_duration_seconds_count', health),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sample(text, 'onething_http_request_duration_seconds_bucket', { ...health, le: '+Inf' }),
    ).toBeGreaterThanOrEqual(2);
    // Concrete paths never become labels.
    expect(
      sample(text, 'onething_http_requests_total', { route: 'unmatched', status: '404' }),
    ).toBe(1);
    expect(text).not.toContain('no-such-thing');
    // The scrape itself is not counted; process metrics come along.
    expect(text).not.toContain('route="/metrics"');
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'onething_db_up')).toBe(1);
    expect(sample(text, 'onething_outbox_messages', { state: 'pending' })).toBeGreaterThanOrEqual(
      0,
    );
    if (server.db.kind === 'postgres') {
      expect(text).toMatch(/onething_db_connections\{state="active"\} [1-9]/);
      // this server's own pool: the scrape itself holds no client once it is answered
      expect(sample(text, 'onething_db_pool_clients', { state: 'open' })).toBeGreaterThan(0);
      expect(sample(text, 'onething_db_pool_clients', { state: 'waiting' })).toBe(0);
    } else {
      expect(text).not.toContain('onething_db_pool_clients');
    }
  });

  it('shows domain events waiting for their handlers as the backlog', async () => {
    const [subscription] = server.app.events.subscriptions;
    expect(subscription).toBeDefined();
    const read = async () =>
      sample(await (await fetch(`${server.url}/metrics`)).text(), 'onething_event_backlog', {
        handler: subscription!.name,
      }) ?? 0;
    const before = await read();
    await server.db.kysely.transaction().execute((trx) =>
      publishEvent(trx, {
        type: subscription!.type,
        key: `metrics-test-${Date.now()}`,
        regionCode: '371000',
        payload: {},
      }),
    );
    expect(await read()).toBe(before + 1);
  });

  it('refuses a request forwarded by a proxy, in the one error shape', async () => {
    const reply = await server.api('/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe('auth.forbidden');
    expect(reply.body.error.message).toMatch(/本机/);
  });

  it('logs each request as JSON with its id, route, status, duration and user id', async () => {
    const cookie = await server.signIn('admin');
    const me = await server.api('/api/me', { cookie });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const completed = logs
      .map((line) => JSON.parse(line) as Record<string, any>)
      .filter((l) => l.msg === 'request completed' && l.route === '/api/me');
    expect(completed.length).toBeGreaterThan(0);
    const line = completed.at(-1)!;
    expect(line.reqId).toBe(me.headers.get('x-request-id'));
    expect(line.res.statusCode).toBe(me.status);
    expect(typeof line.responseTime).toBe('number');
    expect(me.status).toBe(200);
    expect(line.userId).toMatch(/^[0-9a-f-]{36}$/);
    // Who, by id only: no names, no cookies.
    const all = logs.join('\n');
    expect(all).not.toContain('onething_session=');
  });
});

describe('GET /metrics with ONETHING_METRICS_TOKEN', () => {
  let server: TestServer;
  const token = 'metrics-token-for-tests';

  beforeAll(async () => {
    process.env.ONETHING_METRICS_TOKEN = token;
    server = await startTestServer({ seed: false });
  }, 120_000);
  afterAll(async () => {
    delete process.env.ONETHING_METRICS_TOKEN;
    await server?.close();
  });

  it('asks for the token and admits the scraper that sends it', async () => {
    const none = await server.api('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body.error.code).toBe('metrics.token_required');
    const wrong = await server.api('/metrics', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('onething_http_requests_total');
  });
});
