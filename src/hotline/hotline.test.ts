import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BUSINESS_HOURS, createWorkCalendar, toOffsetIso } from '../platform/calendar';
import { CalendarService } from '../platform/calendar/service';
import { startTestServer, type TestServer } from '../../test/support/server';
import { loadHotlineSettings, readProfiles } from './config';
import { HotlineService } from './service';
import { roundDeadlines, ruleFor } from './model';
import { rollupRows, weeklyFromRollups, weeklyFromTickets } from './store';

// The 12345 closed loop over real HTTP: who may do what, deadlines, refusals, concurrency,
// masking, the tracking page, attachments, the analysis and its rollups.

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('the 12345 hotline over HTTP', () => {
  let server: TestServer;
  const cookies: Record<string, string> = {};
  const profiles = readProfiles();
  const calendar = createWorkCalendar();
  let mobile = 13906312000;

  beforeAll(async () => {
    server = await startTestServer({ seed: 'all' });
    for (const user of [
      'operator',
      'handler',
      'handler-cgj',
      'handler-etdz',
      'supervisor',
      'admin',
      'citizen',
      'enterprise',
      'clerk',
    ]) {
      cookies[user] = await server.signIn(user);
    }
  }, 120_000);
  afterAll(() => server?.close());

  const as = (user: string) => cookies[user]!;
  const post = (path: string, body: unknown, user?: string) =>
    server.api(path, { method: 'POST', body, cookie: user ? as(user) : undefined });
  const get = (path: string, user?: string) =>
    server.api(path, { cookie: user ? as(user) : undefined });
  const act = (id: string, action: string, body: unknown, user: string) =>
    post(`/api/hotline/tickets/${id}/${action}`, body, user);

  function call(over: Record<string, unknown> = {}) {
    mobile += 7;
    return {
      channel: 'phone',
      type: 'complaint',
      categoryCode: 'CS-01',
      regionCode: '371002',
      address: '环翠区青岛中路88号东侧',
      content: '青岛中路88号东侧垃圾桶满溢多日无人清运，气味很大，请尽快处理。',
      requesterName: '郑海',
      requesterMobile: String(mobile),
      ...over,
    };
  }

  async function register(over: Record<string, unknown> = {}) {
    const reply = await post('/api/hotline/tickets', call(over), 'operator');
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body;
  }

  describe('reference data', () => {
    it('lists the taxonomy to anyone, with Open311 service codes and dispatch routes', async () => {
      const reply = await get('/api/hotline/categories');
      expect(reply.status).toBe(200);
      const road = reply.body.categories.find((c: any) => c.code === 'CS-02');
      expect(road).toMatchObject({
        serviceCode: '102',
        parentCode: 'CS',
        name: { zh: '市政道路设施' },
        groupName: { zh: '城市管理' },
        attributes: [expect.objectContaining({ code: 'FACILITY', required: true })],
      });
      expect(road.routes).toEqual(
        expect.arrayContaining([{ regionCode: '371002', departmentCode: 'huancui-cg' }]),
      );
    });

    it('suggests the unit of the nearest region’s route, falling back to the city', async () => {
      const huancui = await get('/api/hotline/suggestion?category=CS-01&region=371002', 'operator');
      expect(huancui.body.department.code).toBe('huancui-cg');
      const wendeng = await get('/api/hotline/suggestion?category=CS-01&region=371003', 'operator');
      expect(wendeng.body.department.code).toBe('cgj');
      const zone = await get('/api/hotline/suggestion?category=QY-01&region=371072-ZB', 'operator');
      expect(zone.body.department.code).toBe('etdz-xzsp');
      expect(
        (await get('/api/hotline/suggestion?category=CS-01&region=371002', 'handler')).status,
      ).toBe(403);
    });

    it('publishes the deadline rules, with the "215" profile as configured', async () => {
      const reply = await get('/api/hotline/profiles');
      expect(reply.status).toBe(200);
      expect(reply.body.rules.find((r: any) => r.key === 'enterprise-215')).toMatchObject({
        sign: { amount: 2, unit: 'workingHours' },
        contact: { amount: 1, unit: 'workingDays' },
        finish: { amount: 5, unit: 'workingDays' },
      });
    });
  });

  describe('intake', () => {
    it('refuses registration to anonymous callers (401) and to other roles (403)', async () => {
      expect((await post('/api/hotline/tickets', call())).status).toBe(401);
      for (const user of ['handler', 'supervisor', 'citizen', 'clerk', 'admin']) {
        const reply = await post('/api/hotline/tickets', call(), user);
        expect(reply.status, user).toBe(403);
        expect(reply.body.error.code).toBe('auth.forbidden');
      }
    });

    it('refuses bad input with 422 naming the field, never 500', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ content: undefined }, 'body.content'],
        [{ content: '短' }, 'body.content'],
        [{ categoryCode: 'CS-99' }, 'body.categoryCode'],
        [{ categoryCode: 'CS' }, 'body.categoryCode'],
        [{ regionCode: '999999' }, 'body.regionCode'],
        [{ requesterMobile: '12345' }, 'body.requesterMobile'],
        [{ requesterMobile: undefined }, 'body.requesterMobile'],
        [{ anonymous: true }, 'body.requesterMobile'],
        [{ lat: 37.5 }, 'body.lng'],
        [{ type: 'gossip' }, 'body.type'],
        [{ channel: 'open311' }, 'body.channel'],
        [{ enterprise: true }, 'body.enterpriseName'],
        [
          { enterprise: true, enterpriseName: '某公司', enterpriseUscc: '91371000MA3C000000' },
          'body.enterpriseUscc',
        ],
        [{ categoryCode: 'CS-02' }, 'body.attributes.FACILITY'],
        [{ categoryCode: 'CS-02', attributes: { FACILITY: 'bridge' } }, 'body.attributes.FACILITY'],
        [{ attributes: { COLOUR: 'red' } }, 'body.attributes.COLOUR'],
        [{ surprise: 1 }, 'body.surprise'],
      ];
      for (const [over, path] of cases) {
        const reply = await post('/api/hotline/tickets', call(over), 'operator');
        expect(reply.status, JSON.stringify(over)).toBe(422);
        expect(
          reply.body.error.details.map((d: any) => d.path),
          JSON.stringify(over),
        ).toContain(path);
        expect(reply.body.error.details[0].message).toBeTruthy();
      }
      const english = await server.api('/api/hotline/tickets', {
        method: 'POST',
        body: call({ regionCode: '999999' }),
        cookie: as('operator'),
        lang: 'en',
      });
      expect(english.body.error.details[0].message).toMatch(/region 999999 does not exist/);
    });

    it('registers a call with a number, a tracking code, the suggested unit and the rule', async () => {
      const ticket = await register({ urgency: 'urgent' });
      expect(ticket).toMatchObject({
        number: expect.stringMatching(/^GD\d{14}$/),
        trackCode: expect.stringMatching(/^[2-9A-Z]{8}$/),
        status: 'registered',
        channel: 'phone',
        suggested: { code: 'huancui-cg' },
        profile: { key: 'urgent' },
        category: { code: 'CS-01', name: { zh: '市容环境卫生' } },
        region: { code: '371002', name: { zh: '环翠区' } },
        requester: { name: '郑海', masked: false },
        can: expect.arrayContaining(['dispatch', 'answer', 'merge', 'update']),
      });
      expect(ticket.events.map((e: any) => e.action)).toEqual(['registered']);
    });

    it('finds the earlier ticket of the same requester on the same matter as a repeat', async () => {
      const first = await register();
      await act(first.id, 'answer', { answer: '已告知环卫部门清运时间，今晚清运。' }, 'operator');
      const again = await register({ requesterMobile: first.requester.mobile });
      expect(again.relation).toBe('repeat');
      expect(again.relatedNumber).toBe(first.number);
      // An open ticket on the same matter shows as a duplicate the operator may merge.
      const third = await register({ requesterMobile: first.requester.mobile });
      expect(third.similar[0]).toMatchObject({ number: again.number, kind: 'duplicate' });
      const merged = await act(third.id, 'merge', { into: again.number }, 'operator');
      expect(merged.status).toBe(200);
      expect(merged.body).toMatchObject({
        status: 'closed',
        resolution: 'merged',
        relation: 'duplicate',
      });
      const typing = await post(
        '/api/hotline/similar',
        {
          requesterMobile: first.requester.mobile,
          categoryCode: 'CS-01',
          regionCode: '371002',
          content: '垃圾没人清运',
        },
        'operator',
      );
      expect(typing.body.similar.map((s: any) => s.number)).toEqual(
        expect.arrayContaining([first.number, again.number]),
      );
    });

    it('lets an operator correct the registration before dispatch, moving the suggestion', async () => {
      const ticket = await register();
      const reply = await server.api(`/api/hotline/tickets/${ticket.id}`, {
        method: 'PATCH',
        body: { categoryCode: 'CS-02', attributes: { FACILITY: 'pothole' }, regionCode: '371003' },
        cookie: as('operator'),
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ category: { code: 'CS-02' }, suggested: { code: 'cgj' } });
      expect(reply.body.events.at(-1)).toMatchObject({ action: 'updated' });
    });

    it('lets a citizen file online and see their own tickets only', async () => {
      const reply = await post(
        '/api/hotline/my-tickets',
        {
          type: 'help',
          categoryCode: 'CS-04',
          regionCode: '371002',
          address: '环翠区戚家庄小区北门',
          content: '戚家庄小区北门外路灯连续一周不亮，晚上出行不便。',
        },
        'citizen',
      );
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({
        channel: 'web',
        requester: { name: '张伟', masked: false },
      });
      expect(reply.body.trackCode).toMatch(/^[2-9A-Z]{8}$/);
      const mine = await get('/api/hotline/my-tickets', 'citizen');
      expect(mine.body.items.map((t: any) => t.id)).toContain(reply.body.id);
      const other = await register();
      expect((await get(`/api/hotline/tickets/${other.id}`, 'citizen')).status).toBe(404);
      expect((await get(`/api/hotline/tickets/${reply.body.id}`, 'enterprise')).status).toBe(404);
      expect((await get('/api/hotline/tickets', 'citizen')).status).toBe(403);
    });
  });

  describe('the closed loop', () => {
    it('takes a ticket through dispatch, return, re-dispatch, extension, reply, review, callback and reopening', async () => {
      const ticket = await register();
      const id = ticket.id;

      // Dispatched to the city bureau by mistake, which signs and then returns it.
      const dispatched = await act(
        id,
        'dispatch',
        { department: 'cgj', note: '请核实后处理' },
        'operator',
      );
      expect(dispatched.status).toBe(200);
      const rule = ruleFor(profiles, { type: 'complaint', urgency: 'normal', enterprise: false });
      const expected = roundDeadlines(
        calendar,
        profiles,
        rule,
        new Date(dispatched.body.dispatchedAt),
      );
      expect(dispatched.body).toMatchObject({
        status: 'dispatched',
        round: 1,
        lead: { code: 'cgj' },
        finishDueAt: toOffsetIso(expected.finishDueAt),
        signDueAt: toOffsetIso(expected.signDueAt),
        returnUntil: toOffsetIso(expected.returnUntil),
      });
      // The unit that is not on the ticket does not see it.
      expect((await get(`/api/hotline/tickets/${id}`, 'handler')).status).toBe(404);
      expect((await act(id, 'sign', {}, 'handler')).status).toBe(404);
      const cgjView = await get(`/api/hotline/tickets/${id}`, 'handler-cgj');
      expect(cgjView.body.can).toEqual(['sign', 'return', 'attach']);
      expect((await act(id, 'sign', {}, 'handler-cgj')).body.status).toBe('handling');
      const returned = await act(
        id,
        'return',
        { reason: '属环翠区城市管理局职责，请改派。' },
        'handler-cgj',
      );
      expect(returned.body).toMatchObject({ status: 'returned', lead: null, finishDueAt: null });
      // Once returned, the bureau can still read the ticket but no longer act on it.
      const afterReturn = (await get(`/api/hotline/tickets/${id}`, 'handler-cgj')).body;
      expect(afterReturn.can).toEqual([]);
      // …and no longer sees whom to call.
      expect(afterReturn.requester).toMatchObject({ masked: true, name: '郑*' });
      expect((await act(id, 'sign', {}, 'handler-cgj')).status).toBe(403);

      // Re-dispatched to the district bureau with the city bureau assisting.
      const again = await act(
        id,
        'dispatch',
        { department: 'huancui-cg', assist: ['cgj'] },
        'operator',
      );
      expect(again.body).toMatchObject({
        status: 'dispatched',
        round: 2,
        lead: { code: 'huancui-cg' },
      });
      expect(
        again.body.assignments.filter((a: any) => a.round === 2).map((a: any) => a.role),
      ).toEqual(['lead', 'assist']);
      expect((await act(id, 'sign', {}, 'handler')).body.status).toBe('handling');
      expect((await act(id, 'sign', {}, 'handler-cgj')).status).toBe(200);
      // The assisting unit gives its opinion but cannot reply for the lead.
      expect(
        (await act(id, 'reply', { reply: '协办单位试图直接答复，应当被拒绝。' }, 'handler-cgj'))
          .status,
      ).toBe(403);
      expect(
        (await act(id, 'opinion', { opinion: '建议增加该路段清运频次。' }, 'handler-cgj')).status,
      ).toBe(200);
      expect(
        (await act(id, 'contact', { note: '已电话联系诉求人，约定现场查看。' }, 'handler')).body
          .contactedAt,
      ).toBeTruthy();

      // More time: at most 10 working days; approved by the operator, the deadline moves.
      const tooLong = await act(
        id,
        'extension',
        { workingDays: 11, reason: '需要协调环卫车辆调度。' },
        'handler',
      );
      expect(tooLong.status).toBe(422);
      expect(tooLong.body.error.details[0]).toMatchObject({
        path: 'body.workingDays',
        rule: 'maximum',
      });
      const asked = await act(
        id,
        'extension',
        { workingDays: 3, reason: '需要协调环卫车辆调度。' },
        'handler',
      );
      expect(asked.body.pendingExtension).toMatchObject({ workingDays: 3, status: 'pending' });
      expect(
        (await act(id, 'extension', { workingDays: 2, reason: '再次申请延期。' }, 'handler')).body
          .error.code,
      ).toBe('hotline.extension_pending');
      expect((await act(id, 'extension/decision', { approve: true }, 'handler')).status).toBe(403);
      const before = new Date(asked.body.finishDueAt);
      const approved = await act(
        id,
        'extension/decision',
        { approve: true, note: '同意' },
        'operator',
      );
      expect(approved.body.extendedDays).toBe(3);
      expect(approved.body.finishDueAt).toBe(toOffsetIso(calendar.addWorkingDays(before, 3).due));
      expect(approved.body.extensionRoom).toBe(7);

      // The reply goes to review; sent back once, then accepted.
      const replied = await act(
        id,
        'reply',
        { reply: '已增设两个垃圾桶，并将清运频次调整为每日两次。' },
        'handler',
      );
      expect(replied.body.status).toBe('replied');
      expect(
        (await act(id, 'review', { accept: false }, 'operator')).body.error.details[0].path,
      ).toBe('body.note');
      const sentBack = await act(
        id,
        'review',
        { accept: false, note: '请补充整改后的现场情况。' },
        'operator',
      );
      expect(sentBack.body.status).toBe('handling');
      await act(
        id,
        'reply',
        { reply: '已增设两个垃圾桶，清运频次调整为每日两次，现场已清理干净。' },
        'handler',
      );
      const accepted = await act(id, 'review', { accept: true }, 'operator');
      expect(accepted.body).toMatchObject({ status: 'reviewed', onTime: true });
      expect(accepted.body.callbackDueAt).toBeTruthy();

      // The callback: unsatisfied, then reopened to the same unit in a new round.
      expect(
        (await act(id, 'callback', { reached: true }, 'operator')).body.error.details[0].path,
      ).toBe('body.satisfaction');
      const unhappy = await act(
        id,
        'callback',
        { reached: true, satisfaction: 'unsatisfied', note: '垃圾桶仍然不够' },
        'operator',
      );
      expect(unhappy.body).toMatchObject({ status: 'reviewed', satisfaction: 'unsatisfied' });
      expect(unhappy.body.can).toEqual(expect.arrayContaining(['reopen', 'close']));
      const reopened = await act(
        id,
        'reopen',
        { note: '回访不满意：需继续增设垃圾桶。' },
        'operator',
      );
      expect(reopened.body).toMatchObject({
        status: 'dispatched',
        round: 3,
        reopenCount: 1,
        satisfaction: null,
        lead: { code: 'huancui-cg' },
        extendedDays: 0,
      });
      await act(id, 'sign', {}, 'handler');
      await act(id, 'reply', { reply: '再增设三个垃圾桶，并安排专人每日巡查。' }, 'handler');
      await act(id, 'review', { accept: true }, 'operator');
      const happy = await act(
        id,
        'callback',
        { reached: true, satisfaction: 'satisfied' },
        'operator',
      );
      expect(happy.body).toMatchObject({
        status: 'closed',
        resolution: 'handled',
        satisfaction: 'satisfied',
      });
      expect(happy.body.can).toEqual([]);

      expect(happy.body.events.map((e: any) => e.action)).toEqual([
        'registered',
        'dispatched',
        'signed',
        'returned',
        'dispatched',
        'signed',
        'signed',
        'opinion',
        'contacted',
        'extension_requested',
        'extension_approved',
        'replied',
        'review_rejected',
        'replied',
        'review_accepted',
        'callback',
        'reopened',
        'signed',
        'replied',
        'review_accepted',
        'callback',
      ]);

      // The public tracking page: progress and the answer, no requester, no staff names.
      const tracked = await get(`/api/hotline/track/${ticket.trackCode}`);
      expect(tracked.status).toBe(200);
      const text = JSON.stringify(tracked.body);
      expect(text).not.toContain(ticket.requester.mobile);
      expect(text).not.toContain('郑海');
      expect(text).not.toContain('请核实后处理');
      expect(tracked.body).toMatchObject({
        number: ticket.number,
        status: 'closed',
        handledBy: { zh: '威海市环翠区城市管理局' },
        answer: '再增设三个垃圾桶，并安排专人每日巡查。',
      });
      expect(tracked.body.steps.map((s: any) => s.action)).toContain('extension_approved');

      // Every step is in the audit chain.
      const audit = await server.db.kysely
        .selectFrom('auditLog')
        .select('action')
        .where('objectId', '=', ticket.number)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining([
          'hotline.ticket_registered',
          'hotline.returned',
          'hotline.reopened',
        ]),
      );
    });

    it('answers states that do not allow an action with 409 and roles that may not with 403', async () => {
      const ticket = await register();
      expect((await act(ticket.id, 'review', { accept: true }, 'operator')).status).toBe(409);
      expect((await act(ticket.id, 'review', { accept: true }, 'operator')).body.error.code).toBe(
        'hotline.invalid_state',
      );
      expect((await act(ticket.id, 'dispatch', { department: 'cgj' }, 'handler')).status).toBe(403);
      expect((await act(ticket.id, 'sign', {}, 'operator')).status).toBe(403);
      expect(
        (await act(ticket.id, 'escalate', { note: '请尽快处理此事。' }, 'operator')).status,
      ).toBe(403);
      expect(
        (await act(ticket.id, 'reply', { reply: '监督人员不能答复工单的内容。' }, 'supervisor'))
          .status,
      ).toBe(403);
      expect(
        (await act(ticket.id, 'dispatch', { department: 'no-such-unit' }, 'operator')).body.error
          .details[0].path,
      ).toBe('body.department');
      expect(
        (await act(ticket.id, 'dispatch', { department: 'cgj', assist: ['cgj'] }, 'operator'))
          .status,
      ).toBe(422);
      expect(
        (
          await act(
            '00000000-0000-4000-8000-000000000000',
            'dispatch',
            { department: 'cgj' },
            'operator',
          )
        ).status,
      ).toBe(404);
      expect((await act('not-a-uuid', 'dispatch', { department: 'cgj' }, 'operator')).status).toBe(
        422,
      );
    });

    it('lets one of two simultaneous sign-fors win and answers the other 409', async () => {
      const ticket = await register();
      await act(ticket.id, 'dispatch', { department: 'huancui-cg' }, 'operator');
      const second = await server.signIn('handler');
      const replies = await Promise.all([
        server.api(`/api/hotline/tickets/${ticket.id}/sign`, {
          method: 'POST',
          body: {},
          cookie: as('handler'),
        }),
        server.api(`/api/hotline/tickets/${ticket.id}/sign`, {
          method: 'POST',
          body: {},
          cookie: second,
        }),
      ]);
      expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
      const events = (await get(`/api/hotline/tickets/${ticket.id}`, 'operator')).body.events;
      expect(events.filter((e: any) => e.action === 'signed')).toHaveLength(1);
    });

    it('lets one of two simultaneous dispatches win and answers the other 409', async () => {
      const ticket = await register();
      const other = await server.signIn('operator');
      const replies = await Promise.all([
        server.api(`/api/hotline/tickets/${ticket.id}/dispatch`, {
          method: 'POST',
          body: { department: 'huancui-cg' },
          cookie: as('operator'),
        }),
        server.api(`/api/hotline/tickets/${ticket.id}/dispatch`, {
          method: 'POST',
          body: { department: 'cgj' },
          cookie: other,
        }),
      ]);
      expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
      const detail = (await get(`/api/hotline/tickets/${ticket.id}`, 'operator')).body;
      expect(detail.assignments).toHaveLength(1);
    });

    it('refuses a return once the window of two working days has passed', async () => {
      const ticket = await register();
      await act(ticket.id, 'dispatch', { department: 'huancui-cg' }, 'operator');
      // The window as the calendar set it, moved into the past as if the days had gone by.
      await server.db.kysely
        .updateTable('hotlineTickets')
        .set({ returnUntil: new Date(Date.now() - 60_000) })
        .where('id', '=', ticket.id)
        .execute();
      const reply = await act(ticket.id, 'return', { reason: '不属于本单位职责范围。' }, 'handler');
      expect(reply.status).toBe(409);
      expect(reply.body.error.code).toBe('hotline.return_window_passed');
    });

    it('answers directly and closes, counted as finished on time', async () => {
      const ticket = await register({
        type: 'consult',
        categoryCode: 'ZW-01',
        regionCode: '371000',
        address: '',
      });
      const reply = await act(
        ticket.id,
        'answer',
        { answer: '可在办事大厅搜索“出生一件事”网上办理。', satisfaction: 'satisfied' },
        'operator',
      );
      expect(reply.body).toMatchObject({
        status: 'closed',
        resolution: 'direct',
        onTime: true,
        satisfaction: 'satisfied',
      });
    });

    it('closes a ticket nobody can be called back on as soon as the reply is accepted', async () => {
      const ticket = await register({
        anonymous: true,
        requesterName: undefined,
        requesterMobile: undefined,
      });
      expect(ticket.requester).toMatchObject({ anonymous: true, name: null, mobile: null });
      await act(ticket.id, 'dispatch', { department: 'huancui-cg' }, 'operator');
      await act(ticket.id, 'sign', {}, 'handler');
      await act(ticket.id, 'reply', { reply: '已清运并增加每日清运频次。' }, 'handler');
      const reviewed = await act(ticket.id, 'review', { accept: true }, 'operator');
      expect(reviewed.body).toMatchObject({ status: 'closed', resolution: 'handled' });
    });

    it('lets a supervisor escalate; escalated and overdue tickets show in the supervisor’s lists', async () => {
      const ticket = await register();
      await act(ticket.id, 'dispatch', { department: 'huancui-cg' }, 'operator');
      const escalated = await act(
        ticket.id,
        'escalate',
        { note: '群众反映强烈，请加快办理。' },
        'supervisor',
      );
      expect(escalated.status).toBe(200);
      expect(escalated.body.escalationLevel).toBe(1);
      const list = await get('/api/hotline/tickets?escalated=true&limit=200', 'supervisor');
      expect(list.body.items.map((t: any) => t.id)).toContain(ticket.id);
      // Sign-for overdue: the deadline as if it had passed.
      await server.db.kysely
        .updateTable('hotlineTickets')
        .set({ signDueAt: new Date(Date.now() - 60_000) })
        .where('id', '=', ticket.id)
        .execute();
      const overdue = await get('/api/hotline/tickets?overdue=true&limit=200', 'supervisor');
      const row = overdue.body.items.find((t: any) => t.id === ticket.id);
      expect(row.overdue).toMatchObject({ sign: true, any: true });
      // The unit sees its queue with the flag too.
      const queue = await get('/api/hotline/tickets?queue=to_sign&limit=200', 'handler');
      expect(queue.body.items.find((t: any) => t.id === ticket.id)).toMatchObject({
        escalationLevel: 1,
      });
    });
  });

  describe('deadlines on the working-day calendar, at a given moment', () => {
    it('keeps and flags deadlines across the National Day holiday and its make-up Saturday', async () => {
      let now = new Date('2025-09-30T10:00:00+08:00');
      const hotline = new HotlineService(
        server.db.kysely,
        new CalendarService(server.db.kysely, DEFAULT_BUSINESS_HOURS),
        profiles,
        loadHotlineSettings({}),
        () => now,
      );
      const meta = { ip: null, requestId: null, userAgent: null };
      const users = await server.db.kysely
        .selectFrom('users')
        .select(['id', 'username', 'role', 'regionCode', 'departmentId', 'subjectId'])
        .where('username', 'in', ['operator', 'handler'])
        .execute();
      const actor = (name: string) => {
        const u = users.find((x) => x.username === name)!;
        return { ...u, userId: u.id, role: u.role as 'operator' | 'handler' };
      };
      const ticket = await hotline.register(actor('operator'), call() as never, meta);
      const dispatched = await hotline.dispatch(
        actor('operator'),
        ticket.id,
        { department: 'huancui-cg' },
        meta,
      );
      // 1–8 October are holidays; Saturday 11 October is a working day.
      expect(dispatched.finishDueAt).toBe('2025-10-14T17:00:00+08:00');
      expect(dispatched.signDueAt).toBe('2025-09-30T15:00:00+08:00');
      expect(dispatched.returnUntil).toBe('2025-10-10T17:00:00+08:00');
      now = new Date('2025-10-08T12:00:00+08:00');
      expect((await hotline.get(actor('operator'), ticket.id)).overdue).toMatchObject({
        sign: true,
        finish: false,
      });
      now = new Date('2025-10-11T10:00:00+08:00');
      const signed = await hotline.sign(actor('handler'), ticket.id, meta);
      expect(signed.overdue).toMatchObject({ sign: true, finish: false });
      await hotline.requestExtension(
        actor('handler'),
        ticket.id,
        { workingDays: 2, reason: '节后需现场复核。' },
        meta,
      );
      const extended = await hotline.decideExtension(
        actor('operator'),
        ticket.id,
        { approve: true },
        meta,
      );
      // Two working days after Tuesday 14 October.
      expect(extended.finishDueAt).toBe('2025-10-16T17:00:00+08:00');
      now = new Date('2025-10-16T16:59:00+08:00');
      expect((await hotline.get(actor('operator'), ticket.id)).overdue.finish).toBe(false);
      now = new Date('2025-10-16T17:01:00+08:00');
      expect((await hotline.get(actor('operator'), ticket.id)).overdue.finish).toBe(true);
      const late = await hotline.reply(
        actor('handler'),
        ticket.id,
        { reply: '已清运并增加清运频次。' },
        meta,
      );
      expect(late.overdue.finish).toBe(true);
      const reviewed = await hotline.review(actor('operator'), ticket.id, { accept: true }, meta);
      expect(reviewed.onTime).toBe(false);
      // The callback is due two working days after the review.
      expect(reviewed.callbackDueAt).toBe('2025-10-20T17:00:00+08:00');
    });
  });

  describe('identity protection', () => {
    it('shows the requester to the unit, masked to supervisors; a confidential one masked to the unit', async () => {
      const open = await register();
      await act(open.id, 'dispatch', { department: 'huancui-cg' }, 'operator');
      expect(
        (await get(`/api/hotline/tickets/${open.id}`, 'handler')).body.requester,
      ).toMatchObject({
        name: '郑海',
        mobile: open.requester.mobile,
        masked: false,
      });
      const supervised = (await get(`/api/hotline/tickets/${open.id}`, 'supervisor')).body;
      expect(supervised.requester).toMatchObject({ name: '郑*', masked: true });
      expect(supervised.requester.mobile).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(supervised.trackCode).toBeNull();

      const secret = await register({ confidential: true });
      await act(secret.id, 'dispatch', { department: 'huancui-cg' }, 'operator');
      const handlerView = (await get(`/api/hotline/tickets/${secret.id}`, 'handler')).body;
      expect(handlerView.requester).toMatchObject({ name: '郑*', masked: true });
      expect(JSON.stringify(handlerView)).not.toContain(secret.requester.mobile);
      const queue = await get('/api/hotline/tickets?queue=to_sign&limit=200', 'handler');
      expect(JSON.stringify(queue.body)).not.toContain(secret.requester.mobile);
    });

    it('answers 404 for an unknown tracking code and shows no identity for a known one', async () => {
      expect((await get('/api/hotline/track/ZZZZZZZZ')).status).toBe(404);
      expect((await get('/api/hotline/track/bad')).status).toBe(404);
      const ticket = await register({
        content: '我叫郑海，电话13906319999，小区门口垃圾没人清运。',
      });
      const tracked = await get(`/api/hotline/track/${ticket.trackCode.toLowerCase()}`);
      expect(tracked.status).toBe(200);
      expect(tracked.body.content).toContain('139****9999');
      expect(JSON.stringify(tracked.body)).not.toContain(ticket.requester.mobile);
    });
  });

  describe('attachments', () => {
    it('takes a PNG photo from the operator and serves it to the unit on the ticket', async () => {
      const ticket = await register();
      const form = new FormData();
      form.append('file', new Blob([PNG], { type: 'image/png' }), 'photo.png');
      const upload = await fetch(`${server.url}/api/hotline/tickets/${ticket.id}/attachments`, {
        method: 'POST',
        body: form,
        headers: { cookie: as('operator') },
      });
      expect(upload.status).toBe(200);
      const detail = (await upload.json()) as any;
      expect(detail.attachments[0]).toMatchObject({
        filename: 'photo.png',
        contentType: 'image/png',
      });
      await act(ticket.id, 'dispatch', { department: 'huancui-cg' }, 'operator');
      const download = await fetch(
        `${server.url}/api/hotline/tickets/${ticket.id}/attachments/${detail.attachments[0].id}`,
        { headers: { cookie: as('handler') } },
      );
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
      const elsewhere = await fetch(
        `${server.url}/api/hotline/tickets/${ticket.id}/attachments/${detail.attachments[0].id}`,
        { headers: { cookie: as('handler-etdz') } },
      );
      expect(elsewhere.status).toBe(404);
    });

    it('refuses files that are not JPEG, PNG or PDF, and JSON bodies', async () => {
      const ticket = await register();
      const form = new FormData();
      form.append('file', new Blob(['MZ not an image'], { type: 'image/png' }), 'virus.png');
      const refused = await fetch(`${server.url}/api/hotline/tickets/${ticket.id}/attachments`, {
        method: 'POST',
        body: form,
        headers: { cookie: as('operator') },
      });
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as any).error.details[0].path).toBe('body.file');
      const json = await act(ticket.id, 'attachments', {}, 'operator');
      expect(json.status).toBe(415);
    });
  });

  describe('analysis', () => {
    it('reads counts, on-time rate and satisfaction from rollups equal to a GROUP BY over the tickets', async () => {
      const reply = await get('/api/hotline/analysis', 'supervisor');
      expect(reply.status).toBe(200);
      expect(reply.body.weeks).toHaveLength(13);
      expect(reply.body.totals.received).toBeGreaterThan(10);
      expect(reply.body.totals.onTimeRate).toBeGreaterThan(0);
      expect(reply.body.categories[0]).toMatchObject({
        code: expect.any(String),
        name: { zh: expect.any(String) },
      });
      const { fromWeek, toWeek } = reply.body;
      const sort = (rows: any[]) =>
        [...rows].sort((a, b) =>
          `${a.weekStart}${a.categoryCode}${a.regionCode}`.localeCompare(
            `${b.weekStart}${b.categoryCode}${b.regionCode}`,
          ),
        );
      const rollups = await rollupRows(server.db.kysely, fromWeek, toWeek, null);
      const scanned = await weeklyFromTickets(server.db.kysely, fromWeek, toWeek, null);
      expect(sort(rollups)).toEqual(sort(scanned));
      // A rebuild from the tickets changes nothing.
      expect((await post('/api/hotline/analysis/rebuild', {}, 'admin')).status).toBe(200);
      expect(sort(await rollupRows(server.db.kysely, fromWeek, toWeek, null))).toEqual(
        sort(scanned),
      );
      // The grouped rows the analysis reads add up to the same totals per week.
      const grouped = await weeklyFromRollups(server.db.kysely, fromWeek, toWeek, null);
      const byWeek = (rows: any[]) =>
        Object.fromEntries(
          reply.body.weeks.map((w: any) => [
            w.weekStart,
            rows
              .filter((r) => r.weekStart === w.weekStart && r.regionCode !== null)
              .reduce((n, r) => n + r.received, 0),
          ]),
        );
      expect(byWeek(grouped)).toEqual(byWeek(scanned));
      expect(reply.body.weeks.map((w: any) => w.received)).toEqual(Object.values(byWeek(scanned)));
    });

    it('filters by region and category, names repeats and hot places, refuses others', async () => {
      const all = (await get('/api/hotline/analysis', 'operator')).body;
      const huancui = (await get('/api/hotline/analysis?region=371002&category=CS', 'operator'))
        .body;
      expect(huancui.totals.received).toBeLessThanOrEqual(all.totals.received);
      expect(huancui.regions.every((r: any) => r.code === '371002')).toBe(true);
      expect(huancui.categories.every((c: any) => c.code.startsWith('CS-'))).toBe(true);
      const details = await get('/api/hotline/analysis/details', 'supervisor');
      expect(details.body.repeats.length).toBeGreaterThan(0);
      expect(details.body.places[0]).toMatchObject({
        address: expect.any(String),
        tickets: expect.any(Number),
      });
      expect((await get('/api/hotline/analysis?region=999999', 'supervisor')).status).toBe(422);
      expect((await get('/api/hotline/analysis?weeks=0', 'supervisor')).status).toBe(422);
      expect((await get('/api/hotline/analysis', 'handler')).status).toBe(403);
      expect((await get('/api/hotline/analysis')).status).toBe(401);
    });

    it('exports the analysis and the enterprise ledger to Excel', async () => {
      for (const [path, sheet] of [
        ['/api/hotline/analysis/export', '分类 Categories'],
        ['/api/hotline/tickets/export?enterprise=true', '工单台账 Tickets'],
      ] as const) {
        const response = await fetch(server.url + path, { headers: { cookie: as('supervisor') } });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/spreadsheetml/);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
        const ws = workbook.getWorksheet(sheet)!;
        expect(ws.rowCount).toBeGreaterThan(1);
      }
      const ledger = new ExcelJS.Workbook();
      const response = await fetch(`${server.url}/api/hotline/tickets/export?enterprise=true`, {
        headers: { cookie: as('operator') },
      });
      await ledger.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
      const sheet = ledger.getWorksheet('工单台账 Tickets')!;
      const column = (sheet.getRow(1).values as string[]).indexOf('企业 Enterprise');
      expect(column).toBeGreaterThan(0);
      const names = sheet.getColumn(column).values;
      expect(names.slice(2).every((v) => typeof v === 'string' && v.length > 0)).toBe(true);
    });
  });

  describe('taxonomy and Open311 keys', () => {
    it('lets an administrator maintain a category and its routes, and nobody else', async () => {
      const body = {
        code: 'CS-09',
        group: 'CS',
        serviceCode: '109',
        name: { zh: '共享单车乱停放', en: 'Badly parked shared bikes' },
        keywords: ['共享单车', '乱停'],
        routes: [{ region: '371000', department: 'cgj' }],
      };
      const put = (b: unknown, user: string) =>
        server.api('/api/hotline/categories/CS-09', { method: 'PUT', body: b, cookie: as(user) });
      expect((await put(body, 'operator')).status).toBe(403);
      expect((await put({ ...body, serviceCode: '101' }, 'admin')).status).toBe(409);
      expect(
        (await put({ ...body, routes: [{ region: '371000', department: 'nobody' }] }, 'admin')).body
          .error.details[0].path,
      ).toBe('body.routes.0.department');
      const saved = await put(body, 'admin');
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({
        code: 'CS-09',
        routes: [{ regionCode: '371000', departmentCode: 'cgj' }],
      });
      const listed = await get('/api/hotline/categories');
      expect(listed.body.categories.map((c: any) => c.code)).toContain('CS-09');
    });

    it('issues keys shown once and revokes them', async () => {
      expect((await post('/api/hotline/api-keys', { name: 'App' }, 'operator')).status).toBe(403);
      const issued = await post('/api/hotline/api-keys', { name: '掌上12345' }, 'admin');
      expect(issued.status).toBe(201);
      expect(issued.body.key).toMatch(/^o311_/);
      const list = await get('/api/hotline/api-keys', 'admin');
      expect(JSON.stringify(list.body)).not.toContain(issued.body.key);
      expect(list.body.keys.map((k: any) => k.name)).toEqual(
        expect.arrayContaining(['掌上12345', '演示客户端 Demo client']),
      );
      const revoke = () =>
        server.api(`/api/hotline/api-keys/${issued.body.id}`, {
          method: 'DELETE',
          cookie: as('admin'),
        });
      expect((await revoke()).status).toBe(204);
      expect((await revoke()).status).toBe(404);
    });
  });
});
