import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server';
import { BundleService } from '../bundles';
import { CatalogService } from '../catalog';
import type { Actor } from '../platform/auth/model';
import { CalendarService } from '../platform/calendar/service';
import { CaseService } from './department-service';
import { checkUscc } from '../platform/ids';
import { pdfBytes, uploadFile } from './fixtures';
import { OPENING_ANSWERS, OPENING_OPTIONAL_DATA, OPENING_PLEDGES, openingData } from './samples';
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
  let applications: ApplicationService;
  const reviewers = new Map<string, string>();

  beforeAll(async () => {
    // no background sweep: the tests sweep at the instants they choose
    server = await startTestServer({ seed: 'all', env: { ONETHING_SLA_SWEEP_SECONDS: '0' } });
    enterprise = await server.signIn('enterprise');
    admin = await server.signIn('admin');
    supervisor = await server.signIn('supervisor');
    const db = server.db.kysely;
    const catalog = new CatalogService(db);
    const calendars = new CalendarService(db, server.config.businessHours);
    applications = new ApplicationService(
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

  /**
   * An accepted enterprise opening. The sample trade name carries a digit, which the name's
   * automatic checks refuse (规范汉字), so the name goes to a reviewer; `data` overrides that.
   */
  async function accepted(
    n: number,
    answers: Record<string, readonly string[]> = OPENING_ANSWERS,
    data: Record<string, unknown> = {},
    uploads: string[] = [],
  ) {
    const body = {
      bundleCode: 'enterprise-opening',
      answers,
      data: { ...openingData(n), ...data },
      pledges: OPENING_PLEDGES,
    };
    const reply = await server.api('/api/applications', {
      method: 'POST',
      cookie: enterprise,
      headers: { 'idempotency-key': randomUUID() },
      body: { ...body, submit: uploads.length === 0 },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    if (uploads.length === 0) {
      expect(reply.body.status).toBe('accepted');
      return reply.body;
    }
    for (const material of uploads) {
      const up = await uploadFile(server, enterprise, reply.body.id, material, {
        name: `${material}.pdf`,
        bytes: pdfBytes(material),
      });
      expect(up.status, JSON.stringify(up.body)).toBe(201);
    }
    const submitted = await server.api(`/api/applications/${reply.body.id}/submit`, {
      method: 'POST',
      cookie: enterprise,
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.status).toBe('accepted');
    return submitted.body;
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

  it('sends a name the checks refuse to a reviewer, then decides the registration and the follow-ups by rule (秒批)', async () => {
    const app = await accepted(
      2,
      { ...OPENING_ANSWERS, also: ['bank', 'staff'] },
      OPENING_OPTIONAL_DATA,
      ['seals'],
    );
    let byKey = await casesOf(app.id);
    const name = await server.api(`/api/cases/${byKey.get('name').id}`, { cookie: admin });
    expect(name.body.state).toBe('pending');
    const declined = name.body.events.find((e: any) => e.action === 'auto_declined');
    const failed = declined.detail.checks.filter((c: any) => !c.passed).map((c: any) => c.id);
    expect(failed).toEqual(['trade-name']);

    await finish(byKey.get('name'), { approvedName: '海澜2号' });
    byKey = await casesOf(app.id);
    const registration = byKey.get('registration');
    expect(registration.inputs.results.name).toMatchObject({
      decision: 'approved',
      approvedName: '海澜2号',
    });
    expect(registration.state).toBe('result_issued');
    expect(registration.results).toMatchObject({ decision: 'approved', automatic: true });
    expect(registration.results.checks.every((c: any) => c.passed)).toBe(true);
    const uscc = registration.results.uscc as string;
    expect(checkUscc(uscc).valid).toBe(true);
    expect(uscc.slice(2, 8)).toBe('371000');

    // the bank appointment stays with the bank; the rest is decided by rule
    const manual = ['bank'];
    for (const c of byKey.values()) {
      if (c.memberKey === 'name' || c.memberKey === 'registration') continue;
      expect(c.inputs.results.registration.uscc, c.memberKey).toBe(uscc);
      expect(c.state, c.memberKey).toBe(manual.includes(c.memberKey) ? 'pending' : 'result_issued');
    }
    let results = await server.api(`/api/applications/${app.id}/results`, { cookie: enterprise });
    expect(results.status).toBe(200);
    expect(results.body).toMatchObject({ complete: false, notice: null, progress: 'in_progress' });

    for (const key of manual) await finish(byKey.get(key));
    results = await server.api(`/api/applications/${app.id}/results`, { cookie: enterprise });
    expect(results.body).toMatchObject({ complete: true, progress: 'completed' });
    expect(results.body.notice.number).toMatch(/^BJ\d{8}\d{5}$/);
    const reg = results.body.items.find((i: any) => i.memberKey === 'registration');
    expect(reg).toMatchObject({ decision: 'approved', automatic: true, result: { uscc } });
    expect(reg.resultName).toMatchObject({ zh: expect.stringContaining('营业执照') });
    const view = await server.api(`/api/applications/${app.id}`, { cookie: enterprise });
    expect(view.body.progress).toMatchObject({ status: 'completed' });
    expect(view.body.notices.map((n: any) => n.kind)).toContain('result');

    // the hooks: one decided event per case, one completion, one message to the applicant
    const events = await server.db.kysely
      .selectFrom('domainEvents')
      .select(['type', 'key'])
      .where('type', 'in', ['cases.case_decided', 'cases.application_completed'])
      .execute();
    const ids = new Set([...byKey.values()].map((c) => c.id));
    expect(events.filter((e) => e.type === 'cases.case_decided' && ids.has(e.key))).toHaveLength(
      ids.size,
    );
    expect(events.filter((e) => e.key === app.id)).toHaveLength(1);
    const messages = await server.api('/api/messages?limit=50', { cookie: enterprise });
    const done = messages.body.messages.filter(
      (m: any) => m.kind === 'cases.application_completed',
    );
    expect(done.map((m: any) => m.link)).toContain(`/applications/${app.id}`);
    const notices = messages.body.messages.filter(
      (m: any) => m.kind === 'cases.notice_acceptance' && m.link === `/applications/${app.id}`,
    );
    expect(notices).toHaveLength(1);
    expect(
      (
        await server.api(`/api/applications/${app.id}/results`, {
          cookie: await server.signIn('citizen'),
        })
      ).status,
    ).toBe(404);
  });

  it('takes a qualifying enterprise opening from submission to its combined result within the hour, by rule', async () => {
    const submittedAt = Date.now();
    const app = await accepted(
      9,
      { ...OPENING_ANSWERS, also: ['staff'] },
      { ...OPENING_OPTIONAL_DATA, 'trade-name': '海澜精工' },
    );
    const results = await server.api(`/api/applications/${app.id}/results`, { cookie: enterprise });
    expect(results.body.complete).toBe(true);
    expect(results.body.items.every((i: any) => i.automatic && i.decision === 'approved')).toBe(
      true,
    );
    expect(new Date(results.body.issuedAt).getTime() - submittedAt).toBeLessThan(3_600_000);
    const timeline = await server.api(`/api/applications/${app.id}/timeline`, {
      cookie: enterprise,
    });
    expect(timeline.body.progress).toBe('completed');
    expect(timeline.body.steps.filter((s: any) => s.action === 'auto_approved').length).toBe(
      results.body.items.length,
    );
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
    // decided by a reviewer here: the case keeps no decision rules
    await server.db.kysely
      .updateTable('cases')
      .set({ decision: null })
      .where('applicationId', '=', app.id)
      .execute();
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
      'auto_declined',
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

  it('deems a case approved when its committed limit passes, where the item allows it (超时默认), and goes on', async () => {
    const app = await accepted(10, { ...OPENING_ANSWERS, also: ['staff'] }, OPENING_OPTIONAL_DATA);
    const name = (await casesOf(app.id)).get('name');
    expect(name.state).toBe('pending');
    await server.db.kysely
      .updateTable('cases')
      .set({
        decision: JSON.stringify({
          automatic: false,
          deemedApprovedOnTimeout: true,
          basis: '承诺时限内未作决定的视为准予',
        }),
      })
      .where('id', '=', name.id)
      .execute();
    const due = new Date(name.committedDueAt);
    const before = await server.api('/api/cases/sweep', {
      method: 'POST',
      cookie: admin,
      body: { at: due.toISOString() },
    });
    expect(before.body.deemedApproved).toBe(0);
    const after = await server.api('/api/cases/sweep', {
      method: 'POST',
      cookie: admin,
      body: { at: new Date(due.getTime() + 1000).toISOString() },
    });
    expect(after.body.deemedApproved).toBeGreaterThanOrEqual(1);
    const byKey = await casesOf(app.id);
    expect(byKey.get('name')).toMatchObject({
      state: 'deemed_approved',
      results: { decision: 'deemed_approved', basis: '承诺时限内未作决定的视为准予' },
    });
    // what waited for the name went on, by rule, to the combined result
    expect(
      [...byKey.values()].every((c) => ['deemed_approved', 'result_issued'].includes(c.state)),
    ).toBe(true);
    const results = await server.api(`/api/applications/${app.id}/results`, { cookie: enterprise });
    expect(results.body.complete).toBe(true);
    expect(results.body.items.find((i: any) => i.memberKey === 'name').decision).toBe(
      'deemed_approved',
    );
    const events = (await server.api(`/api/cases/${name.id}`, { cookie: admin })).body.events;
    expect(events.filter((e: any) => e.action === 'deemed_approved')).toHaveLength(1);
    const again = await server.api('/api/cases/sweep', {
      method: 'POST',
      cookie: admin,
      body: { at: new Date(due.getTime() + 60_000).toISOString() },
    });
    expect(again.body.cases.filter((c: any) => c.caseId === name.id)).toEqual([]);
  });

  it('warns and escalates at the working instants across the Spring Festival and its make-up Saturday', async () => {
    // 2026: 02-14 (Saturday) is a make-up working day, 02-15 to 02-23 the holiday.
    const actor = await actorOf('enterprise');
    const at = (iso: string) => new Date(iso);
    async function nameCaseAt(submitted: string, n: number) {
      const { application } = await applications.create(
        actor,
        randomUUID(),
        {
          bundleCode: 'enterprise-opening',
          answers: { ...OPENING_ANSWERS },
          data: openingData(n),
          pledges: OPENING_PLEDGES,
          submit: true,
        } as never,
        META,
        at(submitted),
      );
      expect(application.status).toBe('accepted');
      return (await casesOf(application.id)).get('name');
    }
    const sweep = async (iso: string, id: string) => {
      const reply = await server.api('/api/cases/sweep', {
        method: 'POST',
        cookie: admin,
        body: { at: iso },
      });
      expect(reply.status).toBe(200);
      return reply.body.cases.filter((c: any) => c.caseId === id).map((c: any) => c.warning);
    };

    // Friday 16:55 + 15 working minutes: 5 on Friday, 10 on the make-up Saturday
    const friday = await nameCaseAt('2026-02-13T16:55:00+08:00', 11);
    expect(friday.warnAt).toBe(at('2026-02-14T09:07:00+08:00').toISOString());
    expect(friday.committedDueAt).toBe(at('2026-02-14T09:10:00+08:00').toISOString());
    expect(await sweep('2026-02-13T17:30:00+08:00', friday.id)).toEqual([]);
    expect(await sweep('2026-02-14T09:06:59+08:00', friday.id)).toEqual([]);
    expect(await sweep('2026-02-14T09:07:00+08:00', friday.id)).toEqual(['yellow']);
    expect(await sweep('2026-02-14T09:10:00+08:00', friday.id)).toEqual([]);
    expect(await sweep('2026-02-14T09:10:01+08:00', friday.id)).toEqual(['red']);

    // Saturday 16:55: the rest of the quarter-hour falls on the first day after the holiday
    const saturday = await nameCaseAt('2026-02-14T16:55:00+08:00', 12);
    expect(saturday.committedDueAt).toBe(at('2026-02-24T09:10:00+08:00').toISOString());
    for (const day of ['2026-02-16', '2026-02-20', '2026-02-23']) {
      expect(await sweep(`${day}T12:00:00+08:00`, saturday.id)).toEqual([]);
    }
    expect(await sweep('2026-02-24T09:07:00+08:00', saturday.id)).toEqual(['yellow']);
    expect(await sweep('2026-02-24T09:10:01+08:00', saturday.id)).toEqual(['red']);
    const events = (await server.api(`/api/cases/${saturday.id}`, { cookie: admin })).body.events;
    expect(events.filter((e: any) => e.action === 'escalated').map((e: any) => e.at)).toEqual([
      at('2026-02-24T09:10:01+08:00').toISOString(),
    ]);
    // the supervisors of the region were told, the department's reviewers too
    const supervisorId = (await actorOf('supervisor')).userId;
    const told = await server.db.kysely
      .selectFrom('messages')
      .select(['userId', 'kind'])
      .where('kind', '=', 'cases.escalated')
      .where('link', '=', `/workbench/cases/${saturday.id}`)
      .execute();
    expect(told.map((m) => m.userId)).toContain(supervisorId);
  });

  it('shows the supervisor a board of open cases, lets them urge, and the applicant hand in a correction', async () => {
    const app = await accepted(13);
    const xzsp = await reviewer('xzsp');
    const name = (await casesOf(app.id)).get('name');
    const board = await server.api('/api/cases/board', { cookie: supervisor });
    expect(board.status).toBe(200);
    const dept = board.body.departments.find((d: any) => d.code === 'xzsp');
    expect(dept.open).toBeGreaterThanOrEqual(1);
    expect(dept.byState.pending).toBeGreaterThanOrEqual(1);
    expect((await server.api('/api/cases/board', { cookie: xzsp })).status).toBe(403);
    expect((await server.api('/api/cases/board', { cookie: enterprise })).status).toBe(403);

    const urged = await act(supervisor, name.id, 'urge', { note: '请今日办结' });
    expect(urged.status, JSON.stringify(urged.body)).toBe(200);
    expect(urged.body.state).toBe('pending');
    expect((await act(xzsp, name.id, 'urge', { note: 'x' })).status).toBe(403);
    const inbox = await server.api('/api/messages', { cookie: xzsp });
    expect(inbox.body.messages.some((m: any) => m.kind === 'cases.urged')).toBe(true);

    expect((await act(xzsp, name.id, 'accept')).status).toBe(200);
    expect((await act(xzsp, name.id, 'start-review')).status).toBe(200);
    expect((await act(xzsp, name.id, 'return', { note: '请说明字号含义' })).status).toBe(200);
    expect((await act(xzsp, name.id, 'correct', { note: 'x' })).status).toBe(403);
    expect(
      (await act(await server.signIn('citizen'), name.id, 'correct', { note: 'x' })).status,
    ).toBe(404);
    const corrected = await act(enterprise, name.id, 'correct', { note: '字号取自海澜湾' });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
    expect(corrected.body.state).toBe('in_review');
    expect(corrected.body.committedDueAt).not.toBeNull();
    expect((await act(enterprise, name.id, 'correct', { note: '再次' })).status).toBe(409);
    const mine = await server.api('/api/messages', { cookie: enterprise });
    expect(mine.body.messages.some((m: any) => m.kind === 'cases.case_returned')).toBe(true);
  });

  it('ends what waits for a denied item, and issues the result package with the denial', async () => {
    const app = await accepted(14);
    const xzsp = await reviewer('xzsp');
    const name = (await casesOf(app.id)).get('name');
    for (const [action, body] of [
      ['accept', {}],
      ['start-review', {}],
      ['deny', { reasons: ['与他人在先字号近似'] }],
      ['issue-result', {}],
    ] as const) {
      const reply = await act(xzsp, name.id, action, body);
      expect(reply.status, `${action}: ${JSON.stringify(reply.body)}`).toBe(200);
    }
    const byKey = await casesOf(app.id);
    for (const c of byKey.values()) {
      if (c.memberKey !== 'name') expect(c.state, c.memberKey).toBe('withdrawn');
    }
    const registration = await server.api(`/api/cases/${byKey.get('registration').id}`, {
      cookie: admin,
    });
    expect(registration.body.events.at(-1).action).toBe('ended_with_denial');
    const results = await server.api(`/api/applications/${app.id}/results`, { cookie: enterprise });
    expect(results.body).toMatchObject({ complete: true, progress: 'denied' });
    expect(results.body.items.find((i: any) => i.memberKey === 'name')).toMatchObject({
      decision: 'denied',
      reasons: ['与他人在先字号近似'],
    });
    expect(results.body.notice).not.toBeNull();
  });

  it('answers a retried action with the same Idempotency-Key with the case, once applied', async () => {
    const app = await accepted(15);
    const xzsp = await reviewer('xzsp');
    const name = (await casesOf(app.id)).get('name');
    const withKey = (key: string, action: string, body: object = {}) =>
      server.api(`/api/cases/${name.id}/${action}`, {
        method: 'POST',
        cookie: xzsp,
        body,
        headers: { 'idempotency-key': key },
      });
    const key = randomUUID();
    // two copies of the same request at once (a client retrying on a timeout), then a late one
    const [a, b] = await Promise.all([withKey(key, 'accept'), withKey(key, 'accept')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const late = await withKey(key, 'accept');
    expect(late.status).toBe(200);
    expect(late.headers.get('idempotent-replayed')).toBe('true');
    expect(late.body).toMatchObject({ state: 'accepted', id: name.id });
    const events = (await server.api(`/api/cases/${name.id}`, { cookie: admin })).body.events;
    expect(events.filter((e: any) => e.action === 'accepted')).toHaveLength(1);

    const reused = await withKey(key, 'start-review');
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('cases.idempotency_conflict');
    // without a key a repeat is a plain conflict of states
    expect((await act(xzsp, name.id, 'accept')).status).toBe(409);
    // a failed action leaves its key free for a retry that can succeed
    const failing = randomUUID();
    expect((await withKey(failing, 'approve')).status).toBe(409);
    expect((await withKey(failing, 'start-review')).status).toBe(200);
  });
});
