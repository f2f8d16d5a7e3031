import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiReply, type TestServer } from '../../../test/support/server';
import { sessionCookieOf } from '../../../test/support/http';
import { accountStatus, adminGuard, heldBack } from './model';
import { newTemporaryPassword, passwordProblems } from './password-policy';

const UUID = '00000000-0000-4000-8000-000000000000';

describe('user administration rules (pure)', () => {
  it.each([
    ['an admin disabling a clerk', 'b', 'clerk', false, 'clerk', true, 0, null],
    ['an admin disabling themself', 'a', 'admin', false, 'admin', true, 1, 'self'],
    ['an admin demoting themself', 'a', 'admin', false, 'reviewer', false, 1, 'self'],
    ['an admin renaming themself', 'a', 'admin', false, 'admin', false, 0, null],
    ['disabling the last other admin', 'b', 'admin', false, 'admin', true, 0, 'last-admin'],
    ['demoting an admin while another remains', 'b', 'admin', false, 'clerk', false, 1, null],
    ['enabling a disabled admin', 'b', 'admin', true, 'admin', false, 0, null],
  ] as const)('%s', (_what, userId, role, disabled, nextRole, nextDisabled, others, answer) => {
    expect(adminGuard('a', { userId, role, disabled, nextRole, nextDisabled }, others)).toBe(
      answer,
    );
  });

  it('tells an account disabled, locked or active', () => {
    const now = new Date('2026-11-24T10:00:00Z');
    const later = new Date('2026-11-24T10:05:00Z');
    const earlier = new Date('2026-11-24T09:55:00Z');
    expect(accountStatus({ disabled: true, lockedUntil: later }, now)).toBe('disabled');
    expect(accountStatus({ disabled: false, lockedUntil: later }, now)).toBe('locked');
    expect(accountStatus({ disabled: false, lockedUntil: earlier }, now)).toBe('active');
    expect(accountStatus({ disabled: false, lockedUntil: null }, now)).toBe('active');
  });

  it('makes temporary passwords that meet the policy and differ every time', () => {
    const made = Array.from({ length: 50 }, () => newTemporaryPassword('clerk'));
    for (const password of made) {
      expect(password).toMatch(/^[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}$/);
      expect(passwordProblems(password, 'clerk')).toEqual([]);
    }
    expect(new Set(made).size).toBe(made.length);
  });

  it('holds a session back for its password first, then for its second factor', () => {
    const both = { passwordChangeOnly: true, secondFactorSetupOnly: true } as const;
    expect(heldBack(both, { secondFactorSetup: true })).toBe('password-change');
    expect(heldBack(both, { passwordChange: true })).toBeNull();
    expect(heldBack({ secondFactorSetupOnly: true }, { passwordChange: true })).toBe(
      'second-factor',
    );
    expect(heldBack({}, {})).toBeNull();
  });
});

describe('user administration over HTTP', () => {
  let server: TestServer;
  let admin: string;
  let departments: { id: string; code: string; regionCode: string }[];

  beforeAll(async () => {
    server = await startTestServer({ env: { ONETHING_LOCKOUT_ATTEMPTS: '3' } });
    admin = await server.signIn('admin');
    departments = await server.db.kysely
      .selectFrom('departments')
      .select(['id', 'code', 'regionCode'])
      .execute();
  });
  afterAll(() => server?.close());

  const department = (code: string) => departments.find((d) => d.code === code)!;

  async function userId(username: string): Promise<string> {
    const row = await server.db.kysely
      .selectFrom('users')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function audit(action: string, objectId: string) {
    return server.db.kysely
      .selectFrom('auditLog')
      .select(['actorRole', 'detail'])
      .where('action', '=', action)
      .where('objectId', '=', objectId)
      .orderBy('seq')
      .execute();
  }

  function create(body: object, lang?: string): Promise<ApiReply> {
    return server.api('/api/users', { method: 'POST', cookie: admin, body, lang });
  }

  async function signInFirst(username: string, password: string) {
    const reply = await server.api('/api/session', {
      method: 'POST',
      body: { username, password },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return { reply, cookie: sessionCookieOf(reply.headers) };
  }

  it('refuses every user route to anonymous callers and to every other role', async () => {
    const reviewer = await server.signIn('reviewer');
    const citizen = await server.signIn('citizen');
    const id = await userId('clerk');
    const routes: [string, string, object?][] = [
      ['GET', '/api/users'],
      ['GET', `/api/users/${id}`],
      [
        'POST',
        '/api/users',
        { username: 'x1', displayName: 'x', role: 'clerk', departmentId: UUID },
      ],
      ['PATCH', `/api/users/${id}`, { disabled: true }],
      ['POST', `/api/users/${id}/unlock`],
      ['POST', `/api/users/${id}/password-reset`],
    ];
    for (const [method, path, body] of routes) {
      expect((await server.api(path, { method, body })).status, `${method} ${path}`).toBe(401);
      for (const cookie of [reviewer, citizen]) {
        const reply = await server.api(path, { method, body, cookie });
        expect(reply.status, `${method} ${path}`).toBe(403);
        expect(reply.body.error.code).toBe('auth.forbidden');
      }
    }
    // Nothing was changed by the refused calls.
    const clerk = await server.api(`/api/users/${id}`, { cookie: admin });
    expect(clerk.body.user).toMatchObject({ disabled: false, passwordChangeRequired: false });
  });

  it('lists accounts with filters, paging and a total, subjects’ ID numbers masked', async () => {
    const all = await server.api('/api/users?limit=5', { cookie: admin });
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(5);
    expect(all.body.total).toBeGreaterThan(5);
    const names = all.body.items.map((u: { username: string }) => u.username);
    expect(names).toEqual([...names].sort());

    const next = await server.api('/api/users?limit=5&offset=5', { cookie: admin });
    expect(next.body.items[0].username > names.at(-1)).toBe(true);

    const reviewers = await server.api('/api/users?role=reviewer&limit=200', { cookie: admin });
    expect(reviewers.body.total).toBe(reviewers.body.items.length);
    expect(reviewers.body.items.every((u: { role: string }) => u.role === 'reviewer')).toBe(true);
    expect(reviewers.body.items[0]).toMatchObject({
      department: { id: expect.any(String), name: { zh: expect.any(String) } },
      subject: null,
      status: 'active',
      secondFactorEnrolled: false,
    });

    const byName = await server.api(`/api/users?q=${encodeURIComponent('系统管理')}`, {
      cookie: admin,
    });
    expect(byName.body.items.map((u: { username: string }) => u.username)).toEqual(['admin']);
    expect(byName.body.items[0].lastSignedInAt).not.toBeNull();

    // A % in the search is a character, not a wildcard.
    const wild = await server.api('/api/users?q=%25', { cookie: admin });
    expect(wild.body.total).toBe(0);

    const zone = await server.api('/api/users?regionCode=371072&limit=200', { cookie: admin });
    expect(zone.body.items.length).toBeGreaterThan(0);
    expect(zone.body.items.every((u: { regionCode: string }) => u.regionCode === '371072')).toBe(
      true,
    );

    const citizen = await server.api('/api/users?role=citizen&q=citizen', { cookie: admin });
    expect(citizen.body.items[0].subject).toMatchObject({
      kind: 'person',
      identifier: expect.stringMatching(/^\d{6}\*{8}[\dX]{4}$/),
    });

    const bad = await server.api('/api/users?status=gone', { cookie: admin, lang: 'en' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toMatch(/status/);
  });

  it('creates a staff account with a temporary password the account must change first', async () => {
    const scjg = department('scjg');
    const created = await create({
      username: 'Reviewer-New',
      displayName: '新审批员',
      role: 'reviewer',
      departmentId: scjg.id,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const temporary: string = created.body.temporaryPassword;
    expect(passwordProblems(temporary, 'reviewer-new')).toEqual([]);
    expect(created.body.user).toMatchObject({
      username: 'reviewer-new',
      role: 'reviewer',
      regionCode: scjg.regionCode,
      department: { id: scjg.id },
      passwordChangeRequired: true,
      lastSignedInAt: null,
    });
    const id: string = created.body.user.id;
    const [entry] = await audit('auth.user_created', id);
    expect(entry).toMatchObject({ actorRole: 'admin', detail: { username: 'reviewer-new' } });
    expect(JSON.stringify(entry!.detail)).not.toContain(temporary);

    // Signed in with the temporary password: only the password change is open.
    const { reply, cookie } = await signInFirst('reviewer-new', temporary);
    expect(reply.body.user).toMatchObject({ passwordChangeRequired: true });
    const me = await server.api('/api/me', { cookie });
    expect(me.body.user.passwordChangeRequired).toBe(true);
    const held = await server.api('/api/me/second-factor', { cookie, lang: 'en' });
    expect(held.status).toBe(403);
    expect(held.body.error).toMatchObject({
      code: 'auth.password_change_required',
      message: expect.stringMatching(/temporary password/),
    });

    const changed = await server.api('/api/me/password', {
      method: 'PUT',
      cookie,
      body: { currentPassword: temporary, newPassword: 'Fresh-Start-2026' },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(204);
    const fresh = sessionCookieOf(changed.headers);
    expect((await server.api('/api/me', { cookie: fresh })).body.user.passwordChangeRequired).toBe(
      false,
    );
    expect((await server.api('/api/me/second-factor', { cookie: fresh })).status).toBe(200);
    const listed = await server.api(`/api/users/${id}`, { cookie: admin });
    expect(listed.body.user).toMatchObject({ passwordChangeRequired: false });
    expect(listed.body.user.lastSignedInAt).not.toBeNull();
  });

  it('refuses a taken username, a non-staff role, an unknown department and a region outside it', async () => {
    const scjg = department('scjg');
    const taken = await create(
      { username: 'clerk', displayName: '重名', role: 'clerk', departmentId: scjg.id },
      'en',
    );
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({
      code: 'auth.username_taken',
      message: expect.stringContaining('clerk'),
      details: [{ path: 'body.username', rule: 'unique' }],
    });
    const citizen = await create({
      username: 'new-citizen',
      displayName: '某人',
      role: 'citizen',
      departmentId: scjg.id,
    });
    expect(citizen.status).toBe(422);
    expect(citizen.body.error.details[0].path).toBe('body.role');
    const nowhere = await create({
      username: 'nowhere',
      displayName: '某人',
      role: 'clerk',
      departmentId: UUID,
    });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.error.details[0]).toMatchObject({
      path: 'body.departmentId',
      rule: 'exists',
    });
    // The ETDZ's department cannot place an account in the city's own region above it.
    const etdz = department('etdz-kjcx');
    const outside = await create({
      username: 'outside',
      displayName: '某人',
      role: 'clerk',
      departmentId: etdz.id,
      regionCode: '371000',
    });
    expect(outside.status).toBe(422);
    expect(outside.body.error.details[0]).toMatchObject({
      path: 'body.regionCode',
      rule: 'within-department',
    });
    // A city department may place an account in a district below the city.
    const below = await create({
      username: 'district-clerk',
      displayName: '区级窗口',
      role: 'clerk',
      departmentId: scjg.id,
      regionCode: '371002',
    });
    expect(below.status).toBe(201);
    expect(below.body.user.regionCode).toBe('371002');
    const badName = await create({
      username: '-bad name',
      displayName: '某人',
      role: 'clerk',
      departmentId: scjg.id,
    });
    expect(badName.status).toBe(422);
    expect(badName.body.error.details[0].path).toBe('body.username');
  });

  it('changes an account, and disabling it ends its sessions and stops its sign-in', async () => {
    const id = await userId('operator');
    const session = await server.signIn('operator');
    const renamed = await server.api(`/api/users/${id}`, {
      method: 'PATCH',
      cookie: admin,
      body: { displayName: '陈晨（话务）', role: 'handler', departmentId: department('cgj').id },
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.user).toMatchObject({
      displayName: '陈晨（话务）',
      role: 'handler',
      department: { id: department('cgj').id },
    });
    const disabled = await server.api(`/api/users/${id}`, {
      method: 'PATCH',
      cookie: admin,
      body: { disabled: true },
    });
    expect(disabled.body.user).toMatchObject({ disabled: true, status: 'disabled' });
    expect((await server.api('/api/me', { cookie: session })).status).toBe(401);
    const refused = await server.api('/api/session', {
      method: 'POST',
      body: { username: 'operator', password: 'OneThing@2026' },
    });
    expect(refused.status).toBe(401);
    const listed = await server.api('/api/users?status=disabled', { cookie: admin });
    expect(listed.body.items.map((u: { id: string }) => u.id)).toContain(id);

    const enabled = await server.api(`/api/users/${id}`, {
      method: 'PATCH',
      cookie: admin,
      body: { disabled: false, role: 'operator', departmentId: department('hotline').id },
    });
    expect(enabled.body.user).toMatchObject({ disabled: false, role: 'operator' });
    expect((await server.signIn('operator')).length).toBeGreaterThan(0);
    const entries = await audit('auth.user_updated', id);
    expect(entries).toHaveLength(3);
    expect(entries[1]!.detail).toMatchObject({ changed: { disabled: true }, endedSessions: 1 });
  });

  it('refuses an administrator disabling or demoting themself, and subject accounts a staff role', async () => {
    const self = await userId('admin');
    const disable = await server.api(`/api/users/${self}`, {
      method: 'PATCH',
      cookie: admin,
      body: { disabled: true },
    });
    expect(disable.status).toBe(409);
    expect(disable.body.error.code).toBe('auth.user_self_lockout');
    const demote = await server.api(`/api/users/${self}`, {
      method: 'PATCH',
      cookie: admin,
      body: { role: 'supervisor' },
      lang: 'en',
    });
    expect(demote.status).toBe(409);
    expect(demote.body.error.message).toMatch(/your own/);
    const reset = await server.api(`/api/users/${self}/password-reset`, {
      method: 'POST',
      cookie: admin,
    });
    expect(reset.status).toBe(409);
    expect((await server.api('/api/me', { cookie: admin })).body.user.role).toBe('admin');

    const citizen = await userId('citizen');
    const promote = await server.api(`/api/users/${citizen}`, {
      method: 'PATCH',
      cookie: admin,
      body: { role: 'clerk' },
    });
    expect(promote.status).toBe(422);
    expect(promote.body.error.details[0]).toMatchObject({ path: 'body.role', rule: 'staff-only' });
    // A district's department keeps its accounts in its district or below, never the city above.
    const handler = await userId('handler');
    const upward = await server.api(`/api/users/${handler}`, {
      method: 'PATCH',
      cookie: admin,
      body: { regionCode: '371000' },
    });
    expect(upward.status).toBe(422);
    expect(upward.body.error.details[0]).toMatchObject({
      path: 'body.regionCode',
      rule: 'within-department',
    });
    const missing = await server.api(`/api/users/${UUID}`, {
      method: 'PATCH',
      cookie: admin,
      body: { displayName: 'x' },
    });
    expect(missing.status).toBe(404);
  });

  it('unlocks an account locked after failed sign-ins', async () => {
    const id = await userId('inspector');
    for (let i = 0; i < 3; i++) {
      await server.api('/api/session', {
        method: 'POST',
        body: { username: 'inspector', password: 'wrong-password' },
      });
    }
    const locked = await server.api(`/api/users/${id}`, { cookie: admin });
    expect(locked.body.user).toMatchObject({ status: 'locked', lockedUntil: expect.any(String) });
    const lockedList = await server.api('/api/users?status=locked', { cookie: admin });
    expect(lockedList.body.items.map((u: { id: string }) => u.id)).toEqual([id]);

    const unlocked = await server.api(`/api/users/${id}/unlock`, { method: 'POST', cookie: admin });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.user).toMatchObject({ status: 'active', lockedUntil: null });
    expect((await server.signIn('inspector')).length).toBeGreaterThan(0);
    expect(await audit('auth.user_unlocked', id)).toMatchObject([
      { actorRole: 'admin', detail: { username: 'inspector', wasLocked: true } },
    ]);
  });

  it('resets a password: sessions end, the old password stops working, a change comes first', async () => {
    const id = await userId('handler');
    const session = await server.signIn('handler');
    const reset = await server.api(`/api/users/${id}/password-reset`, {
      method: 'POST',
      cookie: admin,
    });
    expect(reset.status).toBe(200);
    const temporary: string = reset.body.temporaryPassword;
    expect(reset.body.user.passwordChangeRequired).toBe(true);
    expect((await server.api('/api/me', { cookie: session })).status).toBe(401);
    await expect(server.signIn('handler')).rejects.toThrow(/401/);

    const { cookie } = await signInFirst('handler', temporary);
    const held = await server.api('/api/hotline/tickets', { cookie });
    expect(held.status).toBe(403);
    expect(held.body.error.code).toBe('auth.password_change_required');
    // Signing out stays open to it.
    const out = await server.api('/api/session', { method: 'DELETE', cookie });
    expect(out.status).toBe(204);
    const [entry] = await audit('auth.password_reset', id);
    expect(entry).toMatchObject({ actorRole: 'admin', detail: { endedSessions: 1 } });
    expect(JSON.stringify(entry!.detail)).not.toContain(temporary);
  });

  it('resets the second factor of an account through the existing route', async () => {
    const id = await userId('clerk');
    const reply = await server.api(`/api/users/${id}/second-factor`, {
      method: 'DELETE',
      cookie: admin,
    });
    expect(reply.status).toBe(204);
    const user = await server.api(`/api/users/${id}`, { cookie: admin });
    expect(user.body.user.secondFactorEnrolled).toBe(false);
  });
});

describe('a temporary password under ONETHING_SECOND_FACTOR=required', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ONETHING_SECOND_FACTOR: 'required' } });
  });
  afterAll(() => server?.close());

  it('is changed first, and the second factor is enrolled after it', async () => {
    const admin = await server.signIn('admin');
    const { id } = await server.db.kysely
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'reviewer-tax')
      .executeTakeFirstOrThrow();
    // The admin's own session may only enrol first, so the flag is set as a reset would set it.
    expect(
      (await server.api(`/api/users/${id}/password-reset`, { method: 'POST', cookie: admin }))
        .status,
    ).toBe(403);
    await server.db.kysely
      .updateTable('users')
      .set({ passwordChangeRequired: true })
      .where('id', '=', id)
      .execute();
    const cookie = await server.signIn('reviewer-tax');
    const me = await server.api('/api/me', { cookie });
    expect(me.body.user).toMatchObject({
      passwordChangeRequired: true,
      secondFactorSetupRequired: true,
    });
    const enrol = await server.api('/api/me/second-factor', { method: 'POST', cookie });
    expect(enrol.body.error.code).toBe('auth.password_change_required');
    const changed = await server.api('/api/me/password', {
      method: 'PUT',
      cookie,
      body: { currentPassword: 'OneThing@2026', newPassword: 'Tax-Review-2026' },
    });
    expect(changed.status).toBe(204);
    const fresh = sessionCookieOf(changed.headers);
    const after = await server.api('/api/me/second-factor', { method: 'POST', cookie: fresh });
    expect(after.status).toBe(200);
    const other = await server.api('/api/users', { cookie: fresh });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('auth.forbidden');
  });
});
