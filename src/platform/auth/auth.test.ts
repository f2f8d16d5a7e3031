import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../../../test/support/server';
import { SESSION_COOKIE } from '../http/app';
import { ROLES } from './model';
import { actorForToken, purgeExpiredSessions, sessionTokenHash, signIn } from './service';

describe('signing in, sessions and lock-out', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      env: { ONETHING_LOCKOUT_ATTEMPTS: '3', ONETHING_LOCKOUT_MINUTES: '15' },
    });
  });
  afterAll(() => server?.close());

  const meta = { ip: '127.0.0.1', requestId: 'test-request', userAgent: 'vitest' };

  it('signs every demo account in and shows who it is, bound to a region and department or subject', async () => {
    for (const role of ROLES) {
      const cookie = await server.signIn(role);
      const me = await server.api('/api/me', { cookie });
      expect(me.status).toBe(200);
      expect(me.body.user).toMatchObject({ username: role, role });
      expect(me.body.user.regionName.zh).toMatch(/威海|环翠|经济技术开发区/);
      if (role === 'citizen' || role === 'enterprise') {
        expect(me.body.user.subjectId).toEqual(expect.any(String));
        expect(me.body.user.departmentId).toBeNull();
      } else {
        expect(me.body.user.departmentName.zh).toEqual(expect.any(String));
        expect(me.body.user.subjectId).toBeNull();
      }
    }
  });

  it('sets an HTTP-only, same-site session cookie and stores only a hash of the token', async () => {
    const reply = await server.api('/api/session', {
      method: 'POST',
      body: { username: 'clerk', password: DEMO_PASSWORD },
    });
    const cookie = reply.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    const token = decodeURIComponent(cookie.split(';')[0]!.split('=')[1]!);
    const stored = await server.db.kysely.selectFrom('sessions').select('tokenHash').execute();
    expect(stored.map((s) => s.tokenHash)).toContain(sessionTokenHash(token));
    expect(stored.map((s) => s.tokenHash)).not.toContain(token);
  });

  it('accepts the username in any case and with surrounding spaces', async () => {
    const reply = await server.api('/api/session', {
      method: 'POST',
      body: { username: '  Reviewer ', password: DEMO_PASSWORD },
    });
    expect(reply.status).toBe(200);
  });

  it('refuses a wrong password and an unknown user alike, in both languages', async () => {
    const wrong = await server.api('/api/session', {
      method: 'POST',
      body: { username: 'operator', password: 'nope' },
    });
    const unknown = await server.api('/api/session', {
      method: 'POST',
      body: { username: 'nobody', password: 'nope' },
      lang: 'en',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({
      code: 'auth.invalid_credentials',
      message: '用户名或密码错误',
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toMatchObject({
      code: 'auth.invalid_credentials',
      message: 'Wrong username or password',
    });
  });

  it('locks an account after repeated failures, refuses even the right password, then lets it in after the lock', async () => {
    for (let i = 1; i < 3; i++) {
      const reply = await server.api('/api/session', {
        method: 'POST',
        body: { username: 'inspector', password: `wrong-${i}` },
      });
      expect(reply.status).toBe(401);
    }
    const third = await server.api('/api/session', {
      method: 'POST',
      body: { username: 'inspector', password: 'wrong-3' },
    });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('auth.locked');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    const right = await server.api('/api/session', {
      method: 'POST',
      body: { username: 'inspector', password: DEMO_PASSWORD },
    });
    expect(right.status).toBe(429);
    const audit = await server.db.kysely
      .selectFrom('auditLog')
      .select('action')
      .where('action', 'in', ['auth.sign_in_failed', 'auth.locked'])
      .execute();
    expect(audit.filter((a) => a.action === 'auth.locked')).toHaveLength(1);

    const later = new Date(Date.now() + 16 * 60_000);
    const session = await signIn(
      server.db.kysely,
      server.config,
      { username: 'inspector', password: DEMO_PASSWORD },
      meta,
      later,
    );
    expect(session.profile.username).toBe('inspector');
  });

  it('ends a session at sign-out, so the old cookie no longer works', async () => {
    const cookie = await server.signIn('handler');
    expect((await server.api('/api/me', { cookie })).status).toBe(200);
    const out = await server.api('/api/session', { method: 'DELETE', cookie });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(new RegExp(`${SESSION_COOKIE}=;`));
    const after = await server.api('/api/me', { cookie });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('auth.required');
  });

  it('replaces the session presented at sign-in with a new one (no session fixation)', async () => {
    const first = await server.signIn('supervisor');
    const reply = await server.api('/api/session', {
      method: 'POST',
      cookie: first,
      body: { username: 'supervisor', password: DEMO_PASSWORD },
    });
    expect(reply.status).toBe(200);
    expect((await server.api('/api/me', { cookie: first })).status).toBe(401);
  });

  it('expires sessions after their lifetime and after idling too long', async () => {
    const now = new Date();
    const { token } = await signIn(
      server.db.kysely,
      server.config,
      { username: 'admin', password: DEMO_PASSWORD },
      meta,
      now,
    );
    const db = server.db.kysely;
    const { config } = server;
    const soon = new Date(now.getTime() + 5 * 60_000);
    expect(await actorForToken(db, config, token, soon)).toMatchObject({ role: 'admin' });
    const idle = new Date(soon.getTime() + (config.sessionIdleMinutes + 1) * 60_000);
    expect(await actorForToken(db, config, token, idle)).toBeNull();

    const second = await signIn(
      db,
      config,
      { username: 'admin', password: DEMO_PASSWORD },
      meta,
      now,
    );
    const pastLifetime = new Date(now.getTime() + (config.sessionTtlMinutes + 1) * 60_000);
    expect(await actorForToken(db, config, second.token, pastLifetime)).toBeNull();
  });

  it('refuses a disabled account', async () => {
    await server.db.kysely
      .updateTable('users')
      .set({ disabled: true })
      .where('username', '=', 'enterprise')
      .execute();
    const reply = await server.api('/api/session', {
      method: 'POST',
      body: { username: 'enterprise', password: DEMO_PASSWORD },
    });
    expect(reply.status).toBe(401);
  });

  it('sweeps away sessions past their lifetime and keeps live ones', async () => {
    const db = server.db.kysely;
    const credentials = { username: 'reviewer', password: DEMO_PASSWORD };
    const old = new Date(Date.now() - (server.config.sessionTtlMinutes + 5) * 60_000);
    const stale = await signIn(db, server.config, credentials, meta, old);
    const live = await signIn(db, server.config, credentials, meta);
    expect(await purgeExpiredSessions(db, server.config)).toBeGreaterThanOrEqual(1);
    const left = (await db.selectFrom('sessions').select('tokenHash').execute()).map(
      (s) => s.tokenHash,
    );
    expect(left).not.toContain(sessionTokenHash(stale.token));
    expect(left).toContain(sessionTokenHash(live.token));
  });
});
