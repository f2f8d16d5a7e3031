// 好差评 over HTTP on a seeded platform: a completed application is recorded with its cases and
// its applicant invited; ratings are checked (period, content, one per rater, only the person
// served); a bad rating opens a rectification that the unit fixes and answers, the supervisor
// approves and the rater rates; an appeal upheld flags a rating; the counter tablet takes one
// anonymous rating per visit; statistics follow.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENING_ANSWERS, openingData } from '../cases/samples';
import { startTestServer, type TestServer } from '../../test/support/server';

describe('好差评: ratings, rectification and the counter', () => {
  let server: TestServer;
  const cookie: Record<string, string> = {};
  let application: { id: string; number: string };
  let services: any[];

  beforeAll(async () => {
    server = await startTestServer({
      seed: 'all',
      env: { ONETHING_OUTBOX_SECONDS: '0', ONETHING_SLA_SWEEP_SECONDS: '0' },
    });
    for (const name of [
      'citizen',
      'enterprise',
      'clerk',
      'reviewer-xzsp',
      'reviewer-tax',
      'reviewer-police',
      'supervisor',
      'admin',
      'inspector',
      'operator',
    ]) {
      cookie[name] = await server.signIn(name);
    }
    // 张伟 opens an enterprise; decided by rule, it completes at once
    const reply = await server.api('/api/applications', {
      method: 'POST',
      cookie: cookie.citizen,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        bundleCode: 'enterprise-opening',
        answers: OPENING_ANSWERS,
        data: { ...openingData(11), 'trade-name': '评价精工' },
        submit: true,
      },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    application = reply.body;
    await server.app.events.dispatch();
  });
  afterAll(() => server?.close());

  const xzspCases = () =>
    services.filter((s: any) => s.kind === 'case' && s.department.code === 'xzsp');
  const rate = (who: string, body: Record<string, unknown>) =>
    server.api('/api/ratings', { method: 'POST', cookie: cookie[who], body });
  const act = (who: string, id: string, action: string, body: Record<string, unknown>) =>
    server.api(`/api/rectifications/${id}/${action}`, {
      method: 'POST',
      cookie: cookie[who],
      body,
    });

  it('records the completed application and its cases, and invites the applicant to rate', async () => {
    const reply = await server.api(`/api/evaluations/services?number=${application.number}`, {
      cookie: cookie.citizen,
    });
    expect(reply.status).toBe(200);
    services = reply.body.items;
    const kinds = services.map((s: any) => s.kind);
    expect(kinds.filter((k: string) => k === 'application')).toHaveLength(1);
    // name declaration, registration and the tax package: the members this opening took
    expect(kinds.filter((k: string) => k === 'case')).toHaveLength(3);
    const app = services.find((s: any) => s.kind === 'application');
    expect(app).toMatchObject({
      targetId: application.id,
      number: application.number,
      canRate: true,
      rating: null,
      department: { code: 'xzsp' },
      title: { zh: expect.stringContaining('企业开办') },
    });
    // five working days to rate
    expect(new Date(app.rateUntil).getTime()).toBeGreaterThan(Date.now() + 4 * 86_400_000);
    const messages = await server.api('/api/messages', { cookie: cookie.citizen });
    expect(messages.body.messages.map((m: any) => m.title.zh)).toContain(`请评价：${app.title.zh}`);
    // recorded once however often the events are delivered
    await server.app.events.dispatch();
    const again = await server.api(`/api/evaluations/services?number=${application.number}`, {
      cookie: cookie.citizen,
    });
    expect(again.body.items).toHaveLength(services.length);
    // someone else sees none of them
    const others = await server.api(`/api/evaluations/services?number=${application.number}`, {
      cookie: cookie.enterprise,
    });
    expect(others.body.items).toEqual([]);
  });

  it('checks what a rating says, who gives it, once, and within the period', async () => {
    const app = services.find((s: any) => s.kind === 'application');
    const noReason = await rate('citizen', { serviceId: app.id, level: 1, tags: [] });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.details[0]).toMatchObject({
      path: 'body.tags',
      rule: 'reason_required',
    });
    const wrongTag = await rate('citizen', { serviceId: app.id, level: 1, tags: ['fast'] });
    expect(wrongTag.body.error.details[0]).toMatchObject({ path: 'body.tags.0', rule: 'tag' });
    expect((await rate('citizen', { serviceId: app.id, level: 6, tags: [] })).status).toBe(422);
    // only the person served: someone else's service is not found
    expect((await rate('enterprise', { serviceId: app.id, level: 5, tags: [] })).status).toBe(404);
    expect((await rate('clerk', { serviceId: app.id, level: 5, tags: [] })).status).toBe(403);

    const bad = await rate('citizen', {
      serviceId: app.id,
      level: 1,
      tags: ['slow', 'unclear'],
      comment: '等了很久，窗口也说不清楚要什么材料',
    });
    expect(bad.status, JSON.stringify(bad.body)).toBe(201);
    expect(bad.body).toMatchObject({
      level: 1,
      levelLabel: { zh: '非常不满意' },
      channel: 'online',
      rectification: { state: 'open', answer: null, canVerdict: false },
    });
    const twice = await rate('citizen', { serviceId: app.id, level: 5, tags: [] });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('evaluations.already_rated');

    // a case whose rating period is over
    const late = xzspCases()[0];
    await server.db.kysely
      .updateTable('rateableServices')
      .set({ rateUntil: new Date(Date.now() - 60_000) })
      .where('id', '=', late.id)
      .execute();
    const tooLate = await rate('citizen', { serviceId: late.id, level: 4, tags: ['fast'] });
    expect(tooLate.status).toBe(422);
    expect(tooLate.body.error.details[0].rule).toBe('rate_until');
  });

  it('has the unit fix and answer the bad rating, the supervisor approve, the rater rate the answer', async () => {
    const queue = await server.api('/api/rectifications?state=open', {
      cookie: cookie['reviewer-xzsp'],
    });
    expect(queue.status).toBe(200);
    expect(queue.body.total).toBe(1);
    const task = queue.body.items[0];
    expect(task).toMatchObject({
      state: 'open',
      department: { code: 'xzsp' },
      rating: { level: 1, realName: true },
      service: { kind: 'application', number: application.number },
      overdue: false,
    });
    // fifteen working days to rectify
    expect(new Date(task.dueAt).getTime()).toBeGreaterThan(Date.now() + 14 * 86_400_000);
    // not another department's, not the rater's
    expect(
      (await server.api(`/api/rectifications/${task.id}`, { cookie: cookie['reviewer-police'] }))
        .status,
    ).toBe(404);
    expect((await server.api('/api/rectifications', { cookie: cookie.citizen })).status).toBe(403);
    expect((await server.api('/api/rectifications', { cookie: cookie.inspector })).status).toBe(
      403,
    );

    const fix = {
      explanation: '企业开办材料清单未在窗口张贴，导致申请人多次询问',
      fix: '已在窗口和网上张贴一次性告知清单，并对窗口人员开展培训',
      answer: '您好，已针对您反映的问题完成整改：材料清单已公开张贴并培训窗口人员，感谢监督。',
    };
    const noCallback = await act('reviewer-xzsp', task.id, 'submit', fix);
    expect(noCallback.status).toBe(422);
    expect(noCallback.body.error.details[0].rule).toBe('required_for_real_name');
    // the supervisor cannot submit, the unit cannot approve
    expect((await act('supervisor', task.id, 'approve', {})).status).toBe(409);
    const submitted = await act('reviewer-xzsp', task.id, 'submit', {
      ...fix,
      callback: { at: new Date().toISOString(), note: '已电话回访，申请人表示理解' },
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.state).toBe('submitted');
    expect((await act('reviewer-xzsp', task.id, 'approve', {})).status).toBe(403);
    expect((await act('supervisor', task.id, 'submit', fix)).status).toBe(403);

    // returned once, then approved
    const returned = await act('supervisor', task.id, 'return', {
      note: '答复过于简单，请补充整改措施',
    });
    expect(returned.body.state).toBe('open');
    await act('reviewer-xzsp', task.id, 'submit', {
      ...fix,
      callback: { at: new Date().toISOString(), note: '再次回访' },
    });
    const approved = await act('supervisor', task.id, 'approve', { note: '整改到位' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'answered', onTime: true });
    expect(approved.body.events.map((e: any) => e.action)).toEqual([
      'opened',
      'submitted',
      'returned',
      'submitted',
      'approved',
    ]);

    // the rater sees the answer and rates it
    const mine = await server.api('/api/evaluations/mine', { cookie: cookie.citizen });
    const rated = mine.body.items.find((s: any) => s.kind === 'application').rating;
    expect(rated.rectification).toMatchObject({
      state: 'answered',
      answer: fix.answer,
      canVerdict: true,
    });
    const messages = await server.api('/api/messages', { cookie: cookie.citizen });
    expect(messages.body.messages.map((m: any) => m.kind)).toContain('evaluations.answered');
    const verdict = await server.api(`/api/ratings/${rated.id}/verdict`, {
      method: 'POST',
      cookie: cookie.citizen,
      body: { satisfied: true },
    });
    expect(verdict.status).toBe(200);
    expect(verdict.body.rectification).toMatchObject({ state: 'closed', answerSatisfied: true });
    expect(
      (
        await server.api(`/api/ratings/${rated.id}/verdict`, {
          method: 'POST',
          cookie: cookie.citizen,
          body: { satisfied: false },
        })
      ).status,
    ).toBe(409);
  });

  it('flags a rating the supervisor finds malicious on appeal, and keeps it out of the figures', async () => {
    const taxCase = services.find((s: any) => s.kind === 'case' && s.department.code === 'tax');
    expect(taxCase, 'a tax case').toBeDefined();
    const bad = await rate('citizen', {
      serviceId: taxCase.id,
      level: 2,
      tags: ['attitude'],
    });
    expect(bad.status, JSON.stringify(bad.body)).toBe(201);
    const [task] = (await server.api('/api/rectifications', { cookie: cookie['reviewer-tax'] }))
      .body.items;
    const appealed = await act('reviewer-tax', task.id, 'appeal', {
      reason: '该事项为系统自动办结，无人工服务，评价与事实不符',
    });
    expect(appealed.body.state).toBe('appealed');
    const upheld = await act('supervisor', task.id, 'uphold', {
      note: '经核实为系统秒批，申诉成立',
    });
    expect(upheld.body).toMatchObject({ state: 'dismissed', rating: { flagged: true } });

    const stats = await server.api('/api/evaluations/stats?by=department', {
      cookie: cookie.supervisor,
    });
    expect(stats.status).toBe(200);
    expect(stats.body.totals).toMatchObject({ flagged: 1 });
    const xzsp = stats.body.rows.find((r: any) => r.key === 'xzsp');
    expect(xzsp).toMatchObject({ ratings: 1, bad: 1, rectifications: 1, rectifiedOnTime: 1 });
    expect(stats.body.rows.find((r: any) => r.key === 'tax')).toBeUndefined();
  });

  it('takes one anonymous rating per window visit on the counter tablet', async () => {
    const opened = await server.api('/api/window-visits', {
      method: 'POST',
      cookie: cookie.clerk,
      body: { windowCode: 'xzsp-03' },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const token = opened.body.token as string;
    expect(opened.body.path).toBe(`/counter/${token}`);
    const page = await server.api(`/api/public/window-visits/${token}`);
    expect(page.body).toMatchObject({
      clerkName: '王晓燕',
      windowCode: 'xzsp-03',
      department: { code: 'xzsp' },
      rated: false,
    });
    const path = `/api/public/window-visits/${token}/rating`;
    const good = await server.api(path, { method: 'POST', body: { level: 5, tags: ['friendly'] } });
    expect(good.status, JSON.stringify(good.body)).toBe(201);
    expect((await server.api(path, { method: 'POST', body: { level: 5, tags: [] } })).status).toBe(
      409,
    );
    expect((await server.api(`/api/public/window-visits/${token}`)).body.rated).toBe(true);
    const unknown = await server.api(`/api/public/window-visits/${'x'.repeat(32)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('evaluations.visit_not_found');
    // only clerks open visits
    expect(
      (
        await server.api('/api/window-visits', {
          method: 'POST',
          cookie: cookie.citizen,
          body: { windowCode: 'a' },
        })
      ).status,
    ).toBe(403);
    const byWindow = await server.api('/api/evaluations/stats?by=window', {
      cookie: cookie.supervisor,
    });
    expect(byWindow.body.rows.find((r: any) => r.key === 'xzsp-03')).toMatchObject({
      ratings: 1,
      satisfied: 1,
    });
    const byStaff = await server.api('/api/evaluations/stats?by=staff', {
      cookie: cookie.supervisor,
    });
    expect(byStaff.body.rows.map((r: any) => r.name.zh)).toContain('王晓燕');
  });

  it('takes a rating told on a callback from the operator', async () => {
    const registration = xzspCases()[1];
    const told = await server.api('/api/ratings/callback', {
      method: 'POST',
      cookie: cookie.operator,
      body: { serviceId: registration.id, level: 4, tags: ['fast'] },
    });
    expect(told.status, JSON.stringify(told.body)).toBe(201);
    expect(told.body.channel).toBe('callback');
    // not for a service outside the staff member's regions: a clerk of 文登区 cannot
    const clerk = await server.db.kysely
      .selectFrom('users')
      .select(['passwordHash', 'departmentId'])
      .where('username', '=', 'clerk')
      .executeTakeFirstOrThrow();
    await server.db.kysely
      .insertInto('users')
      .values({
        username: 'clerk-wendeng',
        displayName: '文登窗口',
        passwordHash: clerk.passwordHash,
        role: 'clerk',
        regionCode: '371003',
        departmentId: clerk.departmentId,
      })
      .execute();
    const outside = await server.api('/api/ratings/callback', {
      method: 'POST',
      cookie: await server.signIn('clerk-wendeng'),
      body: { serviceId: xzspCases()[0].id, level: 4, tags: ['fast'] },
    });
    expect(outside.status).toBe(404);
    // it is the citizen's rating of that service now
    const again = await rate('citizen', { serviceId: registration.id, level: 5, tags: [] });
    expect(again.status).toBe(409);
  });

  it('records a closed 12345 ticket for its requester, answerable by the unit that closed it', async () => {
    const filed = await server.api('/api/hotline/my-tickets', {
      method: 'POST',
      cookie: cookie.citizen,
      body: {
        type: 'consult',
        categoryCode: 'CS-01',
        regionCode: '371002',
        address: '环翠区文化中路88号',
        content: '想咨询小区垃圾分类投放点的开放时间，谢谢。',
      },
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const answered = await server.api(`/api/hotline/tickets/${filed.body.id}/answer`, {
      method: 'POST',
      cookie: cookie.operator,
      body: { answer: '投放点每天 6:30–8:30、18:00–20:00 开放。' },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    await server.app.events.dispatch();
    const mine = await server.api(`/api/evaluations/services?number=${filed.body.number}`, {
      cookie: cookie.citizen,
    });
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        kind: 'ticket',
        canRate: true,
        department: expect.objectContaining({ code: 'hotline' }),
      }),
    ]);
    const rated = await rate('citizen', {
      serviceId: mine.body.items[0].id,
      level: 5,
      tags: ['fast'],
    });
    expect(rated.status).toBe(201);
  });
});
