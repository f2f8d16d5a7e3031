import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server';
import { BundleService } from '../bundles';
import { CatalogService } from '../catalog';
import type { Actor } from '../platform/auth/model';
import { CalendarService } from '../platform/calendar/service';
import { CaseService } from './department-service';
import { OPENING_ANSWERS, OPENING_PLEDGES, openingData } from './samples';
import { ApplicationService } from './service';
import { eicarScanner } from './uploads';

// Department cases (子件) of an accepted enterprise opening: fan-out, release along the dependency
// graph (name → registration → the parallel follow-ups), who may act, two reviewers at once, the
// clock under suspension and extension, warnings at controlled instants, the applicant's timeline.

const META = { ip: '127.0.0.1', requestId: 'test', userAgent: null };

describe('department cases on the clock', () => {
  let server: TestServer;
  let enterprise: string;
  let admin: string;
  let supervisor: string;
  let cases: CaseService;
  const reviewers = new Map<string, string>();

  beforeAll(async () => {
    server = await startTestServer({ seed: 'all' });
    enterprise = await server.signIn('enterprise');
    admin = await server.signIn('admin');
    supervisor = await server.signIn('supervisor');
    const db = server.db.kysely;
    const catalog = new CatalogService(db);
    const calendars = new CalendarService(db, server.config.businessHours);
    const applications = new ApplicationService(
      db,
      new BundleService(db, catalog, calendars),
      catalog,
      calendars,
      eicarScanner,
    );
    cases = new CaseService(db, calendars, applications);
  });
  afterAll(() => server?.close());

  /** A reviewer of a department (created like the demo reviewer), signed in. */
  async function reviewer(department: string, n = 1): Promise<string> {
    const username = `reviewer-${department}-${n}`;
    const cached = reviewers.get(username);
    if (cached) return cached;
    const db = server.db.kysely;
    const demo = await db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'reviewer')
      .executeTakeFirstOrThrow();
    const dept = await db
      .selectFrom('departments')
      .select('id')
      .where('code', '=', department)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('users')
      .values({
        username,
        displayName: `审查员 ${department} ${n}`,
        passwordHash: demo.passwordHash,
        role: 'reviewer',
        regionCode: demo.regionCode,
        departmentId: dept.id,
        subjectId: null,
      })
      .execute();
    const cookie = await server.signIn(username);
    reviewers.set(username, cookie);
    return cookie;
  }

  async function actorOf(username: string): Promise<Actor> {
    const u = await server.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    return {
      userId: u.id,
      username,
      role: u.role as Actor['role'],
      regionCode: u.regionCode,
      departmentId: u.departmentId,
      subjectId: u.subjectId,
    };
  }

  async function accepted(n: number) {
    const reply = await server.api('/api/applications', {
      method: 'POST',
      cookie: enterprise,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        bundleCode: 'enterprise-opening',
        answers: OPENING_ANSWERS,
        data: openingData(n),
        pledges: OPENING_PLEDGES,
        submit: true,
      },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.status).toBe('accepted');
    return reply.body;
  }

  async function casesOf(applicationId: string) {
    const reply = await server.api(`/api/cases?application=${applicationId}&limit=200`, {
      cookie: admin,
    });
    expect(reply.status).toBe(200);
    return new Map<string, any>(reply.body.items.map((c: any) => [c.memberKey, c]));
  }

  function act(cookie: string, id: string, action: string, body: object = {}) {
    return server.api(`/api/cases/${id}/${action}`, { method: 'POST', cookie, body });
  }

  /** Takes a released case through acceptance, review, approval and the result. */
  async function finish(c: { id: string; departmentCode: string }, result: object = {}) {
    const cookie = await reviewer(c.departmentCode);
    for (const [action, body] of [
      ['accept', {}],
      ['start-review', {}],
      ['approve', { result }],
      ['issue-result', {}],
    ] as const) {
      const reply = await act(cookie, c.id, action, body);
      expect(reply.status, `${action}: ${JSON.stringify(reply.body)}`).toBe(200);
    }
  }

  it('fans an accepted enterprise opening out into one case per member, released by the graph', async () => {
    const app = await accepted(1);
    const members = await server.db.kysely
      .selectFrom('applicationMembers')
      .select(['memberKey', 'departmentCode'])
      .where('applicationId', '=', app.id)
      .execute();
    const byKey = await casesOf(app.id);
    expect([...byKey.keys()].sort()).toEqual(members.map((m) => m.memberKey).sort());
    const name = byKey.get('name');
    expect(name).toMatchObject({ state: 'pending', departmentCode: 'xzsp', after: [] });
    expect(name.committedDueAt).not.toBeNull();
    expect(name.committedLimit).toEqual({ value: 0.25, unit: 'hours' });
    expect(byKey.get('registration')).toMatchObject({
      state: 'waiting',
      after: ['name'],
      committedDueAt: null,
    });
    expect(app.progress).toMatchObject({ status: 'in_progress' });
    const others = [...byKey.values()].filter((c) => c.memberKey !== 'name');
    expect(others.every((c) => c.state === 'waiting')).toBe(true);
  });

  it('releases registration when the name result is issued, then the follow-ups in parallel with its result as input', async () => {
    const app = await accepted(2);
    let byKey = await casesOf(app.id);
    await finish(byKey.get('name'), { approvedName: '海澜2号' });
    byKey = await casesOf(app.id);
    const registration = byKey.get('registration');
    expect(registration.state).toBe('pending');
    expect(registration.inputs.results.name).toMatchObject({
      decision: 'approved',
      approvedName: '海澜2号',
    });
    expect([...byKey.values()].filter((c) => c.state === 'waiting').length).toBe(byKey.size - 2);

    await finish(registration, { uscc: '91371000MA3C00002X' });
    byKey = await casesOf(app.id);
    const followUps = [...byKey.values()].filter(
      (c) => c.memberKey !== 'name' && c.memberKey !== 'registration',
    );
    expect(followUps.length).toBeGreaterThan(0);
    for (const c of followUps) {
      expect(c.state, c.memberKey).toBe('pending');
      expect(c.inputs.results.registration.uscc).toBe('91371000MA3C00002X');
    }

    let timeline = await server.api(`/api/applications/${app.id}/timeline`, { cookie: enterprise });
    expect(timeline.body.progress).toBe('in_progress');
    for (const c of followUps) await finish(c);
    timeline = await server.api(`/api/applications/${app.id}/timeline`, { cookie: enterprise });
    expect(timeline.body.progress).toBe('completed');
    expect(timeline.body.cases.every((c: any) => c.state === 'result_issued')).toBe(true);
    const view = await server.api(`/api/applications/${app.id}`, { cookie: enterprise });
    expect(view.body.progress).toMatchObject({ status: 'completed' });
    expect(view.body.progress.expectedBy).not.toBeNull();
  });

  it('keeps other departments and other roles off a case', async () => {
    const app = await accepted(3);
    const name = (await casesOf(app.id)).get('name');
    // the demo reviewer belongs to market regulation (scjg), not the approval bureau (xzsp)
    const other = await server.signIn('reviewer');
    expect((await act(other, name.id, 'accept')).status).toBe(404);
    expect((await server.api(`/api/cases/${name.id}`, { cookie: other })).status).toBe(404);
    const queue = await server.api('/api/cases?state=pending', { cookie: other });
    expect(queue.body.items.map((c: any) => c.id)).not.toContain(name.id);
    expect((await act(supervisor, name.id, 'accept')).status).toBe(403);
    expect((await act(enterprise, name.id, 'accept')).status).toBe(403);
    // a waiting case cannot be accepted yet
    const registration = (await casesOf(app.id)).get('registration');
    const early = await act(await reviewer('xzsp'), registration.id, 'accept');
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('cases.invalid_state');
    // the department's own queue has the released case, with its actions
    const own = await server.api(`/api/cases?application=${app.id}`, {
      cookie: await reviewer('xzsp'),
    });
    expect(own.body.items.find((c: any) => c.id === name.id).actions).toEqual(['accept']);
  });

  it('lets exactly one of two reviewers approving at once win; the other gets 409', async () => {
    const app = await accepted(4);
    const name = (await casesOf(app.id)).get('name');
    const first = await reviewer('xzsp', 1);
    const second = await reviewer('xzsp', 2);
    expect((await act(first, name.id, 'accept')).status).toBe(200);
    expect((await act(first, name.id, 'start-review')).status).toBe(200);
    const replies = await Promise.all([
      act(first, name.id, 'approve', { note: 'first' }),
      act(second, name.id, 'deny', { reasons: ['名称与在先名称近似'] }),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = replies.find((r) => r.status === 409)!;
    expect(loser.body.error.code).toBe('cases.invalid_state');
    const events = await server.api(`/api/cases/${name.id}`, { cookie: admin });
    const decisions = events.body.events.filter((e: any) =>
      ['approved', 'denied'].includes(e.action),
    );
    expect(decisions).toHaveLength(1);
  });

  it('does not count a suspension toward the statutory due, and an approved extension moves it', async () => {
    const app = await accepted(5);
    await finish((await casesOf(app.id)).get('name'));
    const registration = (await casesOf(app.id)).get('registration');
    expect(registration.statutoryLimit).toEqual({ value: 3, unit: 'workdays' });
    const xzsp = await reviewer('xzsp');
    expect(xzsp).toBeTruthy();
    const actor = await actorOf('reviewer-xzsp-1');
    const calendars = new CalendarService(server.db.kysely, server.config.businessHours);
    const calendar = await calendars.forRegion(registration.regionCode);
    const start = new Date(registration.startedAt);
    const hour = 3_600_000;
    await cases.act(actor, registration.id, 'accept', {}, META, new Date(start.getTime() + hour));
    const before = new Date(registration.statutoryDueAt);

    const from = new Date(start.getTime() + 2 * hour);
    const to = new Date(start.getTime() + 4 * 24 * hour);
    const suspended = await cases.act(
      actor,
      registration.id,
      'suspend',
      { kind: 'expert_review', note: '专家评审经营范围' },
      META,
      from,
    );
    expect(suspended).toMatchObject({
      state: 'suspended',
      statutoryDueAt: null,
      committedDueAt: null,
    });
    const resumed = await cases.act(actor, registration.id, 'resume', {}, META, to);
    expect(resumed.state).toBe('accepted');
    const after = new Date(resumed.statutoryDueAt!);
    const notCounted = calendar.countWorkingDays(from, to);
    expect(notCounted).toBeGreaterThan(0);
    expect(calendar.countWorkingDays(before, after)).toBe(notCounted);
    expect(resumed.segments[0]).toMatchObject({ kind: 'expert_review', endedAt: to.toISOString() });

    // An extension counts only once approved (by a supervisor of the region).
    const asked = await act(xzsp, registration.id, 'extend', { days: 10, note: '情况复杂' });
    expect(asked.status).toBe(200);
    expect(asked.body.statutoryDueAt).toBe(resumed.statutoryDueAt);
    expect((await act(xzsp, registration.id, 'approve-extension')).status).toBe(403);
    const granted = await act(supervisor, registration.id, 'approve-extension', { note: '同意' });
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    expect(calendar.countWorkingDays(after, new Date(granted.body.statutoryDueAt))).toBe(10);
    const again = await act(supervisor, registration.id, 'approve-extension');
    expect(again.status).toBe(409);
  });

  it('records yellow, then red and an escalation, once each, at controlled instants', async () => {
    const app = await accepted(6);
    const name = (await casesOf(app.id)).get('name');
    const warnAt = new Date(name.warnAt);
    const due = new Date(name.committedDueAt);
    expect(warnAt.getTime()).toBeLessThan(due.getTime());
    const sweep = (at: Date) =>
      server.api('/api/cases/sweep', {
        method: 'POST',
        cookie: admin,
        body: { at: at.toISOString() },
      });
    const mine = (reply: any) =>
      reply.body.cases.filter((c: any) => c.caseId === name.id).map((c: any) => c.warning);

    expect(mine(await sweep(new Date(warnAt.getTime() - 1)))).toEqual([]);
    expect(mine(await sweep(warnAt))).toEqual(['yellow']);
    expect(mine(await sweep(warnAt))).toEqual([]);
    const yellow = await server.api(`/api/cases?warning=yellow&application=${app.id}`, {
      cookie: admin,
    });
    expect(yellow.body.items.map((c: any) => c.id)).toEqual([name.id]);
    expect(mine(await sweep(due))).toEqual([]);
    expect(mine(await sweep(new Date(due.getTime() + 1000)))).toEqual(['red']);
    expect(mine(await sweep(new Date(due.getTime() + 60_000)))).toEqual([]);
    const events = (await server.api(`/api/cases/${name.id}`, { cookie: admin })).body.events;
    expect(events.map((e: any) => e.action)).toEqual([
      'created',
      'released',
      'warning_yellow',
      'warning_red',
      'escalated',
    ]);
    expect(
      (await server.api('/api/cases/sweep', { method: 'POST', cookie: supervisor, body: {} }))
        .status,
    ).toBe(403);
  });

  it('lets the applicant withdraw a case, and the waiting cases that depended on it go too', async () => {
    const app = await accepted(8);
    const byKey = await casesOf(app.id);
    const registration = byKey.get('registration');
    expect(
      (await act(await server.signIn('citizen'), registration.id, 'withdraw', { note: '不办了' }))
        .status,
    ).toBe(404);
    expect(
      (await act(await reviewer('xzsp'), registration.id, 'withdraw', { note: 'x' })).status,
    ).toBe(403);
    const reply = await act(enterprise, registration.id, 'withdraw', { note: '暂不设立' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.state).toBe('withdrawn');
    const after = await casesOf(app.id);
    expect(after.get('name').state).toBe('pending');
    for (const c of after.values()) {
      if (c.memberKey !== 'name') expect(c.state, c.memberKey).toBe('withdrawn');
    }
    const followUp = [...after.values()].find(
      (c) => c.memberKey !== 'name' && c.memberKey !== 'registration',
    );
    const seal = await server.api(`/api/cases/${followUp.id}`, { cookie: admin });
    expect(seal.body.events.at(-1)).toMatchObject({ action: 'withdrawn_with_earlier' });
    const again = await act(enterprise, registration.id, 'withdraw', { note: '再次' });
    expect(again.status).toBe(409);
  });

  it('shows the applicant every step with department and what is awaited, staff with names', async () => {
    const app = await accepted(7);
    const xzsp = await reviewer('xzsp');
    const name = (await casesOf(app.id)).get('name');
    expect((await act(xzsp, name.id, 'accept')).status).toBe(200);
    expect((await act(xzsp, name.id, 'start-review')).status).toBe(200);
    expect((await act(xzsp, name.id, 'return', { note: '请补充字号说明' })).status).toBe(200);

    const mine = await server.api(`/api/applications/${app.id}/timeline`, { cookie: enterprise });
    expect(mine.status).toBe(200);
    const actions = mine.body.steps.map((s: any) => s.action);
    expect(actions.slice(0, 3)).toEqual(['created', 'submitted', 'auto_accepted']);
    expect(actions).toEqual(
      expect.arrayContaining(['released', 'accepted', 'review_started', 'returned']),
    );
    const returned = mine.body.steps.find((s: any) => s.action === 'returned');
    expect(returned).toMatchObject({
      memberKey: 'name',
      department: { zh: '威海市行政审批服务局' },
      note: '请补充字号说明',
    });
    expect(returned.actorName).toBeUndefined();
    const nameCase = mine.body.cases.find((c: any) => c.memberKey === 'name');
    expect(nameCase.awaited.who).toBe('applicant');
    expect(nameCase.committedDueAt).toBeNull();
    expect(mine.body.cases.find((c: any) => c.memberKey === 'registration').awaited.who).toBe(
      'earlier',
    );

    const staff = await server.api(`/api/applications/${app.id}/timeline`, { cookie: xzsp });
    expect(staff.status).toBe(200);
    expect(staff.body.steps.find((s: any) => s.action === 'returned').actorName).toBe(
      '审查员 xzsp 1',
    );
    const stranger = await server.api(`/api/applications/${app.id}/timeline`, {
      cookie: await server.signIn('citizen'),
    });
    expect(stranger.status).toBe(404);
    expect(
      (
        await server.api(`/api/applications/${app.id}/timeline`, {
          cookie: await server.signIn('reviewer'),
        })
      ).status,
    ).toBe(404);
  });
});
