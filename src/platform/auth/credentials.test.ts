import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../../../test/support/server';
import { loadConfig } from '../config';
import { SESSION_COOKIE } from '../http/app';
import { hashNewPassword } from './credentials';
import { actorForToken, signIn } from './service';

const meta = { ip: '127.0.0.1', requestId: 'test-request', userAgent: 'vitest' };

function sessionCookie(headers: Headers): string | undefined {
  return headers
    .getSetCookie()
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`))
    ?.split(';')[0];
}

describe('changing one’s password', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  const change = (cookie: string, body: object, lang?: string) =>
    server.api('/api/me/password', { method: 'PUT', cookie, body, lang });

  it('refuses a wrong current password, naming the field', async () => {
    const cookie = await server.signIn('clerk');
    const reply = await change(cookie, {
      currentPassword: 'not-it',
      newPassword: 'Counter-Window-7',
    });
    expect(reply.status).toBe(422);
    expect(reply.body.error.details).toEqual([
      { path: 'body.currentPassword', rule: 'password.current', message: '当前密码不正确' },
    ]);
  });

  it('refuses a new password that breaks the policy, naming every rule in both languages', async () => {
    const cookie = await server.signIn('clerk');
    const weak = await change(cookie, { currentPassword: DEMO_PASSWORD, newPassword: 'clerk123' });
    expect(weak.status).toBe(422);
    expect(weak.body.error.details.map((d: any) => d.rule)).toEqual([
      'password.minLength',
      'password.classes',
      'password.username',
    ]);
    expect(weak.body.error.details[0]).toMatchObject({
      path: 'body.newPassword',
      message: '密码至少需要 10 个字符',
    });
    const en = await change(
      cookie,
      { currentPassword: DEMO_PASSWORD, newPassword: 'Password2026!' },
      'en',
    );
    expect(en.body.error.details).toEqual([
      {
        path: 'body.newPassword',
        rule: 'password.common',
        message: 'this password is too common and easily guessed; choose another',
      },
    ]);
    const same = await change(cookie, {
      currentPassword: DEMO_PASSWORD,
      newPassword: DEMO_PASSWORD,
    });
    expect(same.body.error.details[0].rule).toBe('password.reused');
  });

  it('sets the new password, ends every other session and gives this one a new token', async () => {
    const cookie = await server.signIn('reviewer');
    const other = await server.signIn('reviewer');
    const reply = await change(cookie, {
      currentPassword: DEMO_PASSWORD,
      newPassword: 'Shen-pi 2026 ok',
    });
    expect(reply.status).toBe(204);
    const rotated = sessionCookie(reply.headers)!;
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(cookie);
    expect((await server.api('/api/me', { cookie: rotated })).status).toBe(200);
    expect((await server.api('/api/me', { cookie })).status).toBe(401);
    expect((await server.api('/api/me', { cookie: other })).status).toBe(401);
    const old = await server.api('/api/session', {
      method: 'POST',
      body: { username: 'reviewer', password: DEMO_PASSWORD },
    });
    expect(old.status).toBe(401);
    expect(await server.signIn('reviewer', 'Shen-pi 2026 ok')).toMatch(SESSION_COOKIE);
    const audit = await server.db.kysely
      .selectFrom('auditLog')
      .select(['action', 'detail'])
      .where('action', '=', 'auth.password_changed')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toMatchObject({ endedSessions: 1 });
  });

  it('checks the policy wherever a password is set', async () => {
    await expect(hashNewPassword('short', 'x')).rejects.toMatchObject({ status: 422 });
    await expect(hashNewPassword(DEMO_PASSWORD, 'citizen')).resolves.toMatch(/^\$argon2id\$/);
  });

  it('needs a session', async () => {
    const reply = await server.api('/api/me/password', {
      method: 'PUT',
      body: { currentPassword: 'a', newPassword: 'b' },
    });
    expect(reply.status).toBe(401);
  });
});

describe('lock-out within a window and session rules', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        ONETHING_LOCKOUT_ATTEMPTS: '3',
        ONETHING_LOCKOUT_WINDOW_MINUTES: '15',
        ONETHING_LOCKOUT_MINUTES: '15',
        ONETHING_SESSION_IDLE_MINUTES: '10',
        ONETHING_SESSION_TTL_MINUTES: '60',
      },
    });
  });
  afterAll(() => server?.close());

  const attempt = (password: string, at: Date) =>
    signIn(server.db.kysely, server.config, { username: 'handler', password }, meta, at).then(
      () => 'ok',
      (error: { code: string }) => error.code,
    );

  it('forgets failures older than the window, and locks on enough failures within it', async () => {
    const start = Date.now();
    const at = (minutes: number) => new Date(start + minutes * 60_000);
    expect(await attempt('wrong-1', at(0))).toBe('auth.invalid_credentials');
    expect(await attempt('wrong-2', at(1))).toBe('auth.invalid_credentials');
    // 20 minutes later the first two no longer count
    expect(await attempt('wrong-3', at(21))).toBe('auth.invalid_credentials');
    expect(await attempt('wrong-4', at(22))).toBe('auth.invalid_credentials');
    expect(await attempt('wrong-5', at(23))).toBe('auth.locked');
    expect(await attempt(DEMO_PASSWORD, at(30))).toBe('auth.locked');
    expect(await attempt(DEMO_PASSWORD, at(39))).toBe('ok');
    const audit = await server.db.kysely
      .selectFrom('auditLog')
      .select(['action', 'detail'])
      .where('objectType', '=', 'user')
      .where('action', 'in', ['auth.sign_in_failed', 'auth.locked'])
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'auth.sign_in_failed',
      'auth.sign_in_failed',
      'auth.sign_in_failed',
      'auth.sign_in_failed',
      'auth.locked',
    ]);
    expect(audit.map((a) => (a.detail as { failures: number }).failures)).toEqual([1, 2, 1, 2, 3]);
  });

  it('ends sessions after the configured idle time and lifetime, whichever comes first', async () => {
    const now = new Date();
    const minutes = (n: number) => new Date(now.getTime() + n * 60_000);
    const { token } = await signIn(
      server.db.kysely,
      server.config,
      { username: 'operator', password: DEMO_PASSWORD },
      meta,
      now,
    );
    const { db, config } = { db: server.db.kysely, config: server.config };
    // used every 9 minutes it stays alive, but not beyond its lifetime
    for (let m = 9; m < 60; m += 9) {
      expect(await actorForToken(db, config, token, minutes(m))).not.toBeNull();
    }
    expect(await actorForToken(db, config, token, minutes(61))).toBeNull();
    const idle = await signIn(
      db,
      config,
      { username: 'operator', password: DEMO_PASSWORD },
      meta,
      now,
    );
    expect(await actorForToken(db, config, idle.token, minutes(11))).toBeNull();
  });

  it('marks the cookie Secure behind TLS, HttpOnly and SameSite always', async () => {
    const tls = await startTestServer({ env: { ONETHING_HTTPS: '1' } });
    try {
      const reply = await tls.api('/api/session', {
        method: 'POST',
        body: { username: 'clerk', password: DEMO_PASSWORD },
      });
      const cookie = reply.headers.getSetCookie().join();
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Secure/i);
    } finally {
      await tls.close();
    }
    const plain = await server.api('/api/session', {
      method: 'POST',
      body: { username: 'clerk', password: DEMO_PASSWORD },
    });
    expect(plain.headers.getSetCookie().join()).not.toMatch(/Secure/i);
  });

  it('reads the session and lock-out settings with safe defaults', () => {
    const defaults = loadConfig({});
    expect(defaults).toMatchObject({
      sessionIdleMinutes: 120,
      sessionTtlMinutes: 720,
      lockoutAttempts: 5,
      lockoutWindowMinutes: 15,
      lockoutMinutes: 15,
      https: false,
      cookieSecure: false,
    });
    expect(() => loadConfig({ ONETHING_SESSION_IDLE_MINUTES: '0' })).toThrow();
    expect(loadConfig({ ONETHING_HTTPS: '1' }).cookieSecure).toBe(true);
  });
});
