import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../../../test/support/server';
import { loadConfig } from '../config';

describe('security headers', () => {
  let server: TestServer;
  let tls: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ seed: false });
    tls = await startTestServer({ seed: false, env: { ONETHING_HTTPS: '1' } });
  });
  afterAll(async () => {
    await server?.close();
    await tls?.close();
  });

  it('sends a content security policy that lets only the platform’s own scripts run', async () => {
    const reply = await server.api('/api/health');
    const csp = reply.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("script-src-attr 'none'");
    // Ant Design and ECharts set inline styles; ECharts exports canvas images as data:/blob: URLs
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(reply.headers.get('x-frame-options')).toBe('DENY');
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reply.headers.get('referrer-policy')).toBe('same-origin');
    expect(reply.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(reply.headers.get('permissions-policy')).toContain('camera=()');
  });

  it('sends HSTS and upgrades insecure requests only when users come over HTTPS', async () => {
    expect((await server.api('/api/health')).headers.get('strict-transport-security')).toBeNull();
    const reply = await tls.api('/api/health');
    expect(reply.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    expect(reply.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });

  it('marks API replies not to be stored, and sends the headers on errors too', async () => {
    const reply = await server.api('/api/me');
    expect(reply.status).toBe(401);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('serves the built web app under the policy: no inline script in the page', async () => {
    const page = await server.api('/');
    if (page.status !== 200 || typeof page.body !== 'string' || !page.body.includes('<html')) {
      return; // the web app is not built in this checkout
    }
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    // every script the page loads comes from the platform itself
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.body).not.toMatch(/<script[^>]*src="(?!\/)/);
    expect(page.body).not.toMatch(/\son[a-z]+="/);
  });
});

describe('protection against cross-site request forgery', () => {
  let server: TestServer;
  let cookie: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { ONETHING_ORIGINS: 'https://zwfw.example.gov.cn' } });
    cookie = await server.signIn('citizen');
  });
  afterAll(() => server?.close());

  // Marking all messages read is a harmless unsafe request any signed-in user may send.
  const post = (headers: Record<string, string>, withCookie = true) =>
    server.api('/api/messages/read-all', {
      method: 'POST',
      cookie: withCookie ? cookie : undefined,
      headers,
    });

  it('lets the platform’s own pages through (same origin by header or by Origin)', async () => {
    const own = server.url;
    expect((await post({ 'sec-fetch-site': 'same-origin' })).status).toBeLessThan(300);
    expect((await post({ 'sec-fetch-site': 'none' })).status).toBeLessThan(300);
    expect((await post({ origin: own })).status).toBeLessThan(300);
    expect((await post({ referer: `${own}/workbench` })).status).toBeLessThan(300);
    expect((await post({ origin: 'https://zwfw.example.gov.cn' })).status).toBeLessThan(300);
  });

  it('lets non-browser clients through: they send none of the headers', async () => {
    expect((await post({})).status).toBeLessThan(300);
  });

  it('refuses an unsafe request with a session cookie from another site, in the one error shape', async () => {
    const forged: Record<string, string>[] = [
      { origin: 'https://evil.example.com', 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example.com' },
      { origin: 'null' },
      { referer: 'https://evil.example.com/page' },
      { 'sec-fetch-site': 'same-site' },
      { origin: server.url.replace('127.0.0.1', 'localhost') },
    ];
    for (const headers of forged) {
      const reply = await post(headers);
      expect(reply.status, JSON.stringify(headers)).toBe(403);
      expect(reply.body.error).toMatchObject({
        code: 'security.cross_site',
        message: expect.stringContaining('跨站请求伪造'),
      });
    }
    const en = await server.api('/api/messages/read-all', {
      method: 'POST',
      cookie,
      lang: 'en',
      headers: { origin: 'https://evil.example.com' },
    });
    expect(en.body.error.message).toMatch(/^The request came from another site/);
  });

  it('checks only unsafe requests that carry a session, and every sign-in (login CSRF)', async () => {
    const evil = { origin: 'https://evil.example.com', 'sec-fetch-site': 'cross-site' };
    expect((await server.api('/api/me', { cookie, headers: evil })).status).toBe(200);
    // without a session there is nothing to forge (the route then answers 401 itself)
    expect((await post(evil, false)).status).toBe(401);
    const signIn = await server.api('/api/session', {
      method: 'POST',
      headers: evil,
      body: { username: 'clerk', password: DEMO_PASSWORD },
    });
    expect(signIn.status).toBe(403);
    const ownSignIn = await server.api('/api/session', {
      method: 'POST',
      headers: { origin: server.url, 'sec-fetch-site': 'same-origin' },
      body: { username: 'clerk', password: DEMO_PASSWORD },
    });
    expect(ownSignIn.status).toBe(200);
  });
});

describe('rate limits', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        // long enough that a burst of argon2 sign-ins on a busy machine stays inside one window
        ONETHING_RATE_WINDOW_SECONDS: '10',
        ONETHING_RATE_SIGNIN_PER_IP: '6',
        ONETHING_RATE_SIGNIN_PER_USER: '3',
        ONETHING_RATE_PUBLIC_PER_IP: '5',
        ONETHING_RATE_INTAKE_PER_IP: '1000',
        ONETHING_RATE_INTAKE_PER_USER: '2',
        ONETHING_LOCKOUT_ATTEMPTS: '0',
      },
    });
  });
  afterAll(() => server?.close());

  const WINDOW_MS = 10_000;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function expectLimited(reply: { status: number; headers: Headers; body: any }) {
    expect(reply.status).toBe(429);
    expect(reply.body.error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/请求过于频繁，请 \d+ 秒后再试/),
      details: [],
    });
    const retryAfter = Number(reply.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
  }

  it('limits public endpoints per address, then lets the address in again after the window', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await server.api('/api/hotline/track/NOPE')).status).not.toBe(429);
    }
    const limited = await server.api('/api/regions');
    await expectLimited(limited);
    const en = await server.api('/api/regions', { lang: 'en' });
    expect(en.body.error.message).toMatch(/^Too many requests; try again in \d+ seconds$/);
    // the health probe of the load balancer is never limited
    expect((await server.api('/api/health')).status).toBe(200);
    await sleep(WINDOW_MS + 100);
    expect((await server.api('/api/regions')).status).toBe(200);
  }, 60_000);

  it('limits sign-in attempts per username and per address', async () => {
    await sleep(WINDOW_MS + 100);
    const attempt = (username: string) =>
      server.api('/api/session', {
        method: 'POST',
        body: { username, password: 'Wrong-password-1' },
      });
    for (let i = 0; i < 3; i++) expect((await attempt('handler')).status).toBe(401);
    await expectLimited(await attempt('handler'));
    // another username from the same address may still try, until the address limit
    expect((await attempt('operator')).status).toBe(401);
    expect((await attempt('reviewer')).status).toBe(401);
    await expectLimited(await attempt('inspector'));
    await sleep(WINDOW_MS + 100);
    const ok = await server.api('/api/session', {
      method: 'POST',
      body: { username: 'handler', password: DEMO_PASSWORD },
    });
    expect(ok.status).toBe(200);
  }, 60_000);

  it('limits submissions per signed-in user', async () => {
    await sleep(WINDOW_MS + 100);
    const citizen = await server.signIn('citizen');
    const enterprise = await server.signIn('enterprise');
    const send = (cookie: string) =>
      server.api('/api/messages/read-all', { method: 'POST', cookie });
    expect((await send(citizen)).status).toBeLessThan(300);
    expect((await send(citizen)).status).toBeLessThan(300);
    await expectLimited(await send(citizen));
    // another user from the same address is counted on their own
    expect((await send(enterprise)).status).toBeLessThan(300);
    await sleep(WINDOW_MS + 100);
    expect((await send(citizen)).status).toBeLessThan(300);
  }, 60_000);

  it('has generous defaults, configurable and switchable off', () => {
    const defaults = loadConfig({}).rateLimits;
    expect(defaults).toMatchObject({ enabled: true, windowSeconds: 60 });
    expect(defaults.signInPerIp).toBeGreaterThanOrEqual(100);
    expect(defaults.publicPerIp).toBeGreaterThanOrEqual(1000);
    expect(loadConfig({ ONETHING_RATE_LIMITS: 'off' }).rateLimits.enabled).toBe(false);
    expect(() => loadConfig({ ONETHING_RATE_WINDOW_SECONDS: '0' })).toThrow(
      /ONETHING_RATE_WINDOW_SECONDS/,
    );
  });
});
