import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  startTestServer,
  type ApiReply,
  type TestServer,
} from '../../../test/support/server';
import { loadConfig } from '../config';
import { CHALLENGE_COOKIE, SESSION_COOKIE } from '../http/app';
import { sessionStanding } from './model';
import { matchTotp, newRecoveryCode, normalizeRecoveryCode, totpCode } from './totp';

function cookieOf(reply: ApiReply, name: string): string | undefined {
  return reply.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];
}

/** The code of the next 30-second step: accepted now (±1 step), and not the one just used. */
function codeAt(secret: string, stepsAhead: number): string {
  return totpCode(secret, new Date(Date.now() + stepsAhead * 30_000));
}

async function enrol(server: TestServer, cookie: string) {
  const started = await server.api('/api/me/second-factor', { method: 'POST', cookie });
  expect(started.status).toBe(200);
  const secret: string = started.body.secret;
  const confirmed = await server.api('/api/me/second-factor/confirmation', {
    method: 'POST',
    cookie,
    body: { code: codeAt(secret, 0) },
  });
  expect(confirmed.status).toBe(200);
  return {
    secret,
    uri: started.body.uri as string,
    recoveryCodes: confirmed.body.recoveryCodes as string[],
    cookie: cookieOf(confirmed, SESSION_COOKIE)!,
  };
}

async function password(server: TestServer, username: string) {
  const reply = await server.api('/api/session', {
    method: 'POST',
    body: { username, password: DEMO_PASSWORD },
  });
  return { reply, challenge: cookieOf(reply, CHALLENGE_COOKIE) };
}

function secondStep(
  server: TestServer,
  challenge: string | undefined,
  body: object,
  lang?: string,
) {
  return server.api('/api/session/second-factor', {
    method: 'POST',
    cookie: challenge,
    body,
    lang,
  });
}

describe('TOTP codes and the standing of a session (pure rules)', () => {
  // RFC 6238 appendix B: the SHA-1 secret "12345678901234567890" gives 94287082 at T = 59 s.
  const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

  it('matches the RFC 6238 test vector, one step either side and no further', () => {
    expect(totpCode(RFC_SECRET, new Date(59_000))).toBe('287082');
    expect(matchTotp(RFC_SECRET, '287082', new Date(59_000))).toBe(1);
    expect(matchTotp(RFC_SECRET, '287 082', new Date(89_000))).toBe(1);
    expect(matchTotp(RFC_SECRET, '287082', new Date(119_000))).toBeNull();
    expect(matchTotp(RFC_SECRET, '28708', new Date(59_000))).toBeNull();
  });

  it('makes recovery codes that read back the same however they are typed', () => {
    const code = newRecoveryCode();
    expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(normalizeRecoveryCode(` ${code.toUpperCase().replace(/-/g, ' ')} `)).toBe(
      code.replace(/-/g, ''),
    );
  });

  it.each([
    ['optional', 'clerk', false, true, 'full'],
    ['optional', 'admin', false, false, 'full'],
    ['required', 'citizen', false, false, 'full'],
    ['required', 'enterprise', false, true, 'full'],
    ['required', 'clerk', true, true, 'full'],
    ['required', 'reviewer', false, false, 'enrol-only'],
    ['required', 'admin', false, true, 'ended'],
  ] as const)(
    'under %s, a %s session (second factor %s, enrolled %s) is %s',
    (policy, role, used, enrolled, standing) => {
      expect(sessionStanding(policy, role, { secondFactor: used }, enrolled)).toBe(standing);
    },
  );
});

describe('the second factor (TOTP) of staff accounts, optional policy', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { ONETHING_LOCKOUT_ATTEMPTS: '3' } });
  });
  afterAll(() => server?.close());

  it('enrols an authenticator, stores its secret sealed, and then asks for a code at sign-in', async () => {
    const first = await server.signIn('clerk');
    const status = await server.api('/api/me/second-factor', { cookie: first });
    expect(status.body).toMatchObject({ enrolled: false, pending: false, policy: 'optional' });

    const { secret, uri, recoveryCodes, cookie } = await enrol(server, first);
    expect(uri).toMatch(/^otpauth:\/\/totp\/OneThing:clerk\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect(recoveryCodes).toHaveLength(8);
    expect(new Set(recoveryCodes).size).toBe(8);

    const stored = await server.db.kysely
      .selectFrom('userSecondFactors')
      .innerJoin('users', 'users.id', 'userSecondFactors.userId')
      .select(['secret', 'confirmedAt'])
      .where('users.username', '=', 'clerk')
      .executeTakeFirstOrThrow();
    expect(stored.secret).toMatch(/^sm4:1:/);
    expect(stored.secret).not.toContain(secret);
    expect(stored.confirmedAt).not.toBeNull();
    const codes = await server.db.kysely
      .selectFrom('userRecoveryCodes')
      .select('codeHash')
      .execute();
    expect(codes.map((c) => c.codeHash).join()).not.toContain(recoveryCodes[0]!.replace(/-/g, ''));

    // Confirming gave the enrolling session a new token and ended the old one.
    expect((await server.api('/api/me', { cookie: first })).status).toBe(401);
    const after = await server.api('/api/me/second-factor', { cookie });
    expect(after.body).toMatchObject({ enrolled: true, recoveryCodesLeft: 8 });

    const { reply, challenge } = await password(server, 'clerk');
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe('auth.second_factor_required');
    expect(cookieOf(reply, SESSION_COOKIE)).toBeUndefined();
    expect(reply.headers.getSetCookie().join()).toMatch(/onething_sign_in=[^;]+;.*HttpOnly/i);

    const code = codeAt(secret, 1);
    const done = await secondStep(server, challenge, { code });
    expect(done.status).toBe(200);
    expect(done.body.user).toMatchObject({ username: 'clerk', secondFactorSetupRequired: false });
    const session = cookieOf(done, SESSION_COOKIE)!;
    expect((await server.api('/api/me', { cookie: session })).status).toBe(200);

    // The same code a second time: refused, and counted.
    const again = await password(server, 'clerk');
    const replay = await secondStep(server, again.challenge, { code }, 'en');
    expect(replay.status).toBe(401);
    expect(replay.body.error).toMatchObject({
      code: 'auth.second_factor_invalid',
      details: [{ path: 'body.code', rule: 'second-factor.replayed' }],
    });
    expect(replay.body.error.message).toMatch(/used already/);
    const audit = await server.db.kysely
      .selectFrom('auditLog')
      .select(['action', 'detail'])
      .where('action', 'in', ['auth.second_factor_enrolled', 'auth.signed_in'])
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toContain('auth.second_factor_enrolled');
    expect(audit.at(-1)).toMatchObject({
      action: 'auth.signed_in',
      detail: { secondFactor: 'totp' },
    });
  });

  it('refuses a wrong code naming the field, counts it towards the lock-out, and locks', async () => {
    const { secret } = await enrol(server, await server.signIn('reviewer'));
    const { challenge } = await password(server, 'reviewer');
    const wrong = codeAt(secret, 0) === '000000' ? '111111' : '000000';
    const first = await secondStep(server, challenge, { code: wrong });
    expect(first.status).toBe(401);
    expect(first.body.error).toMatchObject({
      code: 'auth.second_factor_invalid',
      message: expect.stringMatching(/验证码不正确/),
      details: [{ path: 'body.code', rule: 'second-factor.invalid' }],
    });
    const user = await server.db.kysely
      .selectFrom('users')
      .select('failedAttempts')
      .where('username', '=', 'reviewer')
      .executeTakeFirstOrThrow();
    expect(user.failedAttempts).toBe(1);
    expect((await secondStep(server, challenge, { code: wrong })).status).toBe(401);
    const third = await secondStep(server, challenge, { code: wrong });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('auth.locked');
    // Locked: even the right code after the right password is refused.
    const locked = await password(server, 'reviewer');
    expect(locked.reply.status).toBe(429);
  });

  it('accepts each recovery code once in place of a code', async () => {
    const { recoveryCodes } = await enrol(server, await server.signIn('operator'));
    const { challenge } = await password(server, 'operator');
    const typed = recoveryCodes[3]!.toUpperCase().replace(/-/g, ' ');
    const done = await secondStep(server, challenge, { recoveryCode: typed });
    expect(done.status).toBe(200);
    const cookie = cookieOf(done, SESSION_COOKIE)!;
    const status = await server.api('/api/me/second-factor', { cookie });
    expect(status.body.recoveryCodesLeft).toBe(7);

    const again = await password(server, 'operator');
    const reused = await secondStep(server, again.challenge, { recoveryCode: recoveryCodes[3]! });
    expect(reused.status).toBe(401);
    expect(reused.body.error.details[0]).toMatchObject({
      path: 'body.recoveryCode',
      rule: 'second-factor.recovery-code',
    });
  });

  it('refuses a second step without a live challenge, with both or neither answer, or a malformed code', async () => {
    const none = await secondStep(server, undefined, { code: '123456' });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('auth.second_factor_challenge_expired');
    const forged = await secondStep(server, `${CHALLENGE_COOKIE}=forged`, { code: '123456' });
    expect(forged.status).toBe(401);
    const both = await secondStep(server, undefined, { code: '123456', recoveryCode: 'abcd' });
    expect(both.status).toBe(422);
    expect(both.body.error.details[0]).toMatchObject({
      path: 'body.code',
      rule: 'second-factor.one-of',
    });
    const bad = await secondStep(server, undefined, { code: '12ab56' }, 'en');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0]).toMatchObject({ path: 'body.code', rule: 'pattern' });
  });

  it('refuses a wrong code at enrolment, and a second enrolment while one is confirmed', async () => {
    const cookie = await server.signIn('inspector');
    const started = await server.api('/api/me/second-factor', { method: 'POST', cookie });
    const right = codeAt(started.body.secret, 0);
    const wrong = right === '999999' ? '888888' : '999999';
    const refused = await server.api('/api/me/second-factor/confirmation', {
      method: 'POST',
      cookie,
      body: { code: wrong },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details[0]).toMatchObject({
      path: 'body.code',
      rule: 'second-factor.invalid',
    });
    const { cookie: fresh } = await enrol(server, cookie);
    const twice = await server.api('/api/me/second-factor', { method: 'POST', cookie: fresh });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('auth.second_factor_enrolled');
  });

  it('leaves citizens and enterprises alone: no code at sign-in, no enrolment', async () => {
    for (const role of ['citizen', 'enterprise']) {
      const cookie = await server.signIn(role);
      const reply = await server.api('/api/me/second-factor', { method: 'POST', cookie });
      expect(reply.status).toBe(403);
    }
  });

  it('renews the recovery codes given a current code, once per code, and the old ones stop working', async () => {
    const url = '/api/me/second-factor/recovery-codes';
    const { secret, recoveryCodes, cookie } = await enrol(server, await server.signIn('handler'));
    const next = codeAt(secret, 1);
    const wrong = next === '999999' ? '888888' : '999999';

    expect((await server.api(url, { method: 'POST', body: { code: next } })).status).toBe(401);
    const citizen = await server.signIn('citizen');
    const subject = await server.api(url, {
      method: 'POST',
      cookie: citizen,
      body: { code: next },
    });
    expect(subject.status).toBe(403);
    const admin = await server.signIn('admin');
    const none = await server.api(url, { method: 'POST', cookie: admin, body: { code: next } });
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('auth.second_factor_not_enrolled');
    const refused = await server.api(url, { method: 'POST', cookie, body: { code: wrong } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details[0]).toMatchObject({
      path: 'body.code',
      rule: 'second-factor.invalid',
    });

    const renewed = await server.api(url, { method: 'POST', cookie, body: { code: next } });
    expect(renewed.status).toBe(200);
    const fresh = renewed.body.recoveryCodes as string[];
    expect(fresh).toHaveLength(8);
    expect(fresh.filter((code) => recoveryCodes.includes(code))).toEqual([]);
    const status = await server.api('/api/me/second-factor', { cookie });
    expect(status.body.recoveryCodesLeft).toBe(8);
    const replayed = await server.api(url, { method: 'POST', cookie, body: { code: next } });
    expect(replayed.status).toBe(422);
    expect(replayed.body.error.details[0]).toMatchObject({
      path: 'body.code',
      rule: 'second-factor.replayed',
    });
    const entries = await server.db.kysely
      .selectFrom('auditLog')
      .select(['actorRole', 'detail'])
      .where('action', '=', 'auth.recovery_codes_renewed')
      .execute();
    expect(entries).toEqual([{ actorRole: 'handler', detail: { recoveryCodes: 8 } }]);

    const old = await password(server, 'handler');
    const withOld = await secondStep(server, old.challenge, { recoveryCode: recoveryCodes[0]! });
    expect(withOld.status).toBe(401);
    const again = await password(server, 'handler');
    const withNew = await secondStep(server, again.challenge, { recoveryCode: fresh[0]! });
    expect(withNew.status).toBe(200);
  });

  it('lets an administrator reset a second factor, audited, ending the account’s sessions', async () => {
    const { cookie } = await enrol(server, await server.signIn('supervisor'));
    const user = await server.db.kysely
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'supervisor')
      .executeTakeFirstOrThrow();
    const url = `/api/users/${user.id}/second-factor`;

    expect((await server.api(url, { method: 'DELETE' })).status).toBe(401);
    const other = await server.api(url, { method: 'DELETE', cookie });
    expect(other.status).toBe(403);

    const admin = await server.signIn('admin');
    const reset = await server.api(url, { method: 'DELETE', cookie: admin });
    expect(reset.status).toBe(204);
    const entry = await server.db.kysely
      .selectFrom('auditLog')
      .select(['actorRole', 'objectId', 'detail'])
      .where('action', '=', 'auth.second_factor_reset')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      actorRole: 'admin',
      objectId: user.id,
      detail: { username: 'supervisor', hadFactor: true, endedSessions: 1 },
    });
    expect((await server.api('/api/me', { cookie })).status).toBe(401);
    const plain = await password(server, 'supervisor');
    expect(plain.reply.status).toBe(200);

    const unknown = await server.api(
      '/api/users/00000000-0000-4000-8000-000000000000/second-factor',
      {
        method: 'DELETE',
        cookie: admin,
      },
    );
    expect(unknown.status).toBe(404);
    const malformed = await server.api('/api/users/nope/second-factor', {
      method: 'DELETE',
      cookie: admin,
    });
    expect(malformed.status).toBe(422);
  });
});

describe('the second factor under ONETHING_SECOND_FACTOR=required', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { ONETHING_SECOND_FACTOR: 'required' } });
  });
  afterAll(() => server?.close());

  it('reads the policy, optional by default, and refuses anything else', () => {
    expect(loadConfig({}).secondFactor).toBe('optional');
    expect(loadConfig({ ONETHING_SECOND_FACTOR: 'required' }).secondFactor).toBe('required');
    expect(() => loadConfig({ ONETHING_SECOND_FACTOR: 'always' })).toThrow(/optional.*required/);
  });

  it('lets un-enrolled staff reach only the enrolment routes until they enrol', async () => {
    const { reply } = await password(server, 'handler');
    expect(reply.status).toBe(200);
    expect(reply.body.user.secondFactorSetupRequired).toBe(true);
    const cookie = cookieOf(reply, SESSION_COOKIE)!;

    const me = await server.api('/api/me', { cookie });
    expect(me.body.user.secondFactorSetupRequired).toBe(true);
    const work = server.app.accessTable.find(
      (r) =>
        r.method === 'GET' &&
        !r.url.includes(':') &&
        Array.isArray(r.access.roles) &&
        r.access.roles.includes('handler') &&
        !r.url.startsWith('/api/me'),
    )!;
    const blocked = await server.api(work.url, { cookie, lang: 'en' });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('auth.second_factor_enrolment_required');
    const password2 = await server.api('/api/me/password', { method: 'PUT', cookie, body: {} });
    expect(password2.status).toBe(403);

    const { cookie: full } = await enrol(server, cookie);
    expect((await server.api(work.url, { cookie: full })).status).not.toBe(403);
    const after = await server.api('/api/me', { cookie: full });
    expect(after.body.user.secondFactorSetupRequired).toBe(false);
  });

  it('does not hold citizens to it', async () => {
    const cookie = await server.signIn('citizen');
    const me = await server.api('/api/me', { cookie });
    expect(me.body.user.secondFactorSetupRequired).toBe(false);
    expect((await server.api('/api/me/subjects', { cookie })).status).toBe(200);
  });
});
