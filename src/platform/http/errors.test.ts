import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/server';

describe('the HTTP error shape, request ids and logs', () => {
  let server: TestServer;
  const logLines: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({
      logStream: { write: (line: string) => void logLines.push(line) },
    });
  });
  afterAll(() => server?.close());

  it('answers a schema violation with 422, every field path and rule, in Chinese by default', async () => {
    const reply = await server.api('/api/session', {
      method: 'POST',
      body: { username: 1, extra: true },
    });
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe('request.invalid');
    const details = reply.body.error.details as { path: string; rule: string; message: string }[];
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'body.password', rule: 'required' }),
        expect.objectContaining({ path: 'body.username', rule: 'type' }),
        expect.objectContaining({ path: 'body.extra', rule: 'additionalProperties' }),
      ]),
    );
    expect(reply.body.error.message).toMatch(/请求参数有误/);
    expect(reply.body.error.requestId).toBe(reply.headers.get('x-request-id'));
  });

  it('answers in English when Accept-Language prefers it', async () => {
    const reply = await server.api('/api/session', {
      method: 'POST',
      body: { username: 'clerk' },
      lang: 'en-US,en;q=0.9,zh;q=0.5',
    });
    expect(reply.status).toBe(422);
    expect(reply.body.error.message).toBe('Invalid request: body.password password is required');
    expect(reply.body.error.details[0].message).toBe('password is required');
  });

  it('answers malformed JSON with 400 and the one error shape', async () => {
    const reply = await server.api('/api/session', { method: 'POST', body: '{"username": ' });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('request.malformed');
  });

  it('answers an unsupported content type with 415', async () => {
    const reply = await server.api('/api/session', {
      method: 'POST',
      body: 'username=clerk',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(reply.status).toBe(415);
    expect(reply.body.error.code).toBe('request.media_type');
  });

  it('answers a body over the limit with 413', async () => {
    const reply = await server.api('/api/session', {
      method: 'POST',
      body: { username: 'x'.repeat(2 * 1024 * 1024), password: 'y' },
    });
    expect(reply.status).toBe(413);
    expect(reply.body.error.code).toBe('request.too_large');
  });

  it('refuses NUL and unpaired surrogates anywhere in a body with 422 naming each field', async () => {
    const reply = await server.api('/api/session', {
      method: 'POST',
      body: '{"username":"a\\u0000b","password":"\\ud800x"}',
      lang: 'en',
    });
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe('request.invalid');
    expect(reply.body.error.details).toEqual([
      expect.objectContaining({ path: 'body.username', rule: 'text' }),
      expect.objectContaining({ path: 'body.password', rule: 'text' }),
    ]);
  });

  it('answers a bad percent-encoding and an overlong path parameter in the error shape', async () => {
    const badUrl = await server.api('/api/messages/%E0%A4%A/read', { method: 'POST' });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error).toMatchObject({ code: 'request.bad_url', details: [] });
    expect(badUrl.body.error.requestId).toBe(badUrl.headers.get('x-request-id'));
    const long = await server.api(`/api/messages/${'x'.repeat(500)}/read`, { method: 'POST' });
    expect(long.status).toBe(414);
    expect(long.body.error.code).toBe('request.uri_too_long');
  });

  it('answers request headers over the size limit with 431 in the error shape', async () => {
    const reply = await server.api('/api/health', { headers: { 'x-padding': 'x'.repeat(20_000) } });
    expect(reply.status).toBe(431);
    expect(reply.body.error).toMatchObject({ code: 'request.headers_too_large', details: [] });
    expect(reply.body.error.requestId).toBe(reply.headers.get('x-request-id'));
  });

  it('answers an unknown endpoint with 404 in the error shape', async () => {
    const reply = await server.api('/api/no-such-thing', { lang: 'en' });
    expect(reply.status).toBe(404);
    expect(reply.body.error).toMatchObject({
      code: 'http.not_found',
      message: 'No such endpoint: GET /api/no-such-thing',
      details: [],
    });
  });

  it('keeps a well-formed request id given by the caller and makes one otherwise', async () => {
    const given = await server.api('/api/health', {
      headers: { 'x-request-id': 'trace-12345678' },
    });
    expect(given.headers.get('x-request-id')).toBe('trace-12345678');
    const made = await server.api('/api/health', { headers: { 'x-request-id': 'bad id!' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports health with the database engine in use', async () => {
    const reply = await server.api('/api/health');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      status: 'ok',
      db: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    });
  });

  it('serves the OpenAPI document with every route and its access', async () => {
    const reply = await server.api('/api/openapi.json');
    expect(reply.status).toBe(200);
    expect(reply.body.openapi).toBe('3.0.3');
    const me = reply.body.paths['/api/me'].get;
    expect(me['x-access']).toEqual({ roles: 'signed-in', scope: 'own' });
    for (const route of server.app.accessTable.filter((r) => r.url !== '/api/openapi.json')) {
      const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(reply.body.paths[path]?.[route.method.toLowerCase()], path).toBeDefined();
    }
    const docs = await server.api('/api/docs/');
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain('swagger');
  });

  it('never logs passwords, resident ID numbers or mobile numbers in clear', async () => {
    const ric = '371002198603141011';
    await server.api('/api/session', {
      method: 'POST',
      body: { username: 'clerk', password: 'Secret-Password-123' },
    });
    await server.api(`/api/identifiers/ric/${ric}`);
    await server.api('/api/identifiers/mobile/13906311234');
    await server.api(`/api/identifiers/ric/${ric}?again=${ric}`);
    const log = logLines.join('');
    expect(log).toContain('/api/identifiers/ric/371002********1011');
    expect(log).toContain('/api/identifiers/mobile/139****1234');
    expect(log).not.toContain(ric);
    expect(log).not.toContain('13906311234');
    expect(log).not.toContain('Secret-Password-123');
  });

  it('serves the built web app at / and its client routes, with fresh pages and long-cached assets', async () => {
    const root = await server.api('/');
    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toMatch(/text\/html/);
    expect(root.headers.get('cache-control')).toBe('no-cache');
    const page = await server.api('/workbench');
    expect(page.status).toBe(200);
    expect(page.body).toBe(root.body);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(String(root.body))?.[1];
    expect(asset).toBeDefined();
    const script = await server.api(asset!);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
