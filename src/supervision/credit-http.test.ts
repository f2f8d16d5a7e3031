// Credit over HTTP on a seeded platform: the published rules, the public credit page of the demo
// enterprises, a department recording a penalty, the subject asking for repair when the rules
// allow (and refused with the rule's name when not), the department deciding within its limit, the
// publication ending and the grade recomputed — and everyone else refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server';
import { toLocalDate } from '../platform/calendar';
import { CalendarService } from '../platform/calendar/service';
import { addMonths, CREDIT_REPAIR_DECISION_WORKING_DAYS } from './credit';
import { creditGrades, seedCredit } from './credit-service';

const BASE = '/api/supervision/credit';

describe('credit: records, grades and repair', () => {
  let server: TestServer;
  const cookie: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const today = toLocalDate(new Date());

  beforeAll(async () => {
    server = await startTestServer({ seed: 'all', env: { ONETHING_OUTBOX_SECONDS: '0' } });
    await seedCredit(server.db.kysely);
    for (const name of ['citizen', 'enterprise', 'inspector', 'reviewer', 'reviewer-tax'])
      cookie[name] = await server.signIn(name);
    for (const name of ['supervisor', 'admin']) cookie[name] = await server.signIn(name);
    const subjects = await server.db.kysely.selectFrom('subjects').select(['id', 'name']).execute();
    for (const s of subjects) ids[s.name] = s.id;
    // 张伟 acts for 威海星屿海洋食品有限公司, whose legal representative he is
    const switched = await server.api('/api/session/subject', {
      method: 'PUT',
      cookie: cookie.citizen,
      body: { subjectId: ids['威海星屿海洋食品有限公司'] },
    });
    expect(switched.status, JSON.stringify(switched.body)).toBe(200);
  });
  afterAll(() => server?.close());

  const api = (who: string | null, path: string, method = 'GET', body?: unknown) =>
    server.api(BASE + path, { method, cookie: who ? cookie[who] : undefined, body });
  const record = (who: string, body: Record<string, unknown>) => api(who, '/records', 'POST', body);
  const penalty = (monthsAgo: number, title: string, kind = 'penalty') => ({
    subjectId: ids['威海星屿海洋食品有限公司'],
    kind,
    severity: 'general',
    title,
    decidedOn: addMonths(today, -monthsAgo),
  });
  const messages = (kind: string) =>
    server.db.kysely
      .selectFrom('messages')
      .innerJoin('users', 'users.id', 'messages.userId')
      .select(['users.username', 'messages.title'])
      .where('messages.kind', '=', kind)
      .execute();
  const audited = (action: string, objectId: string) =>
    server.db.kysely
      .selectFrom('auditLog')
      .select('seq')
      .where('action', '=', action)
      .where('objectId', '=', objectId)
      .execute();

  it('seeds the demo records once', async () => {
    expect(await seedCredit(server.db.kysely)).toBe(0);
    const count = await server.db.kysely
      .selectFrom('creditRecords')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(5);
  });

  it('publishes the grading and repair rules to everyone', async () => {
    const reply = await api(null, '/rules');
    expect(reply.status).toBe(200);
    expect(reply.body.grading.grades.map((g: any) => g.minScore)).toEqual([90, 75, 60, 0]);
    expect(reply.body.repair.decisionWorkingDays).toBe(CREDIT_REPAIR_DECISION_WORKING_DAYS);
    expect(reply.body.repair.basis.zh).toContain('第58号');
  });

  it("shows an enterprise's grade and published records publicly, never a person's", async () => {
    const yuanfan = await api(null, `/subjects/${ids['荣成远帆水产有限公司']}`);
    expect(yuanfan.status).toBe(200);
    expect([yuanfan.body.score, yuanfan.body.grade]).toEqual([85, 'B']);
    expect(yuanfan.body.records).toHaveLength(1);
    expect(yuanfan.body.records[0].kindName.zh).toBe('行政处罚');
    expect(yuanfan.body.records[0].department.name.zh).toBe('威海市市场监督管理局');
    const lanshi = await api(null, `/subjects/${ids['威海澜石精密机械有限公司']}`);
    expect([lanshi.body.grade, lanshi.body.records[0].kind]).toEqual(['A', 'commendation']);
    const shengda = await api(null, `/subjects/${ids['威海临港晟达物流有限公司']}`);
    expect(shengda.body.grade).toBe('D');
    expect((await api(null, `/subjects/${ids['张伟']}`)).status).toBe(404);
    expect((await api(null, '/subjects/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await api(null, '/subjects/nope');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toBe('params.subjectId');
  });

  it('grades every subject asked for, A without records', async () => {
    const names = [
      '荣成远帆水产有限公司',
      '威海澜石精密机械有限公司',
      '威海鲸园餐饮管理有限公司',
      '威海临港晟达物流有限公司',
      '乳山松涛纺织有限公司',
      '文登云岭中医药科技有限公司',
    ];
    const grades = await creditGrades(
      server.db.kysely,
      names.map((n) => ids[n]!),
      today,
    );
    expect(names.map((n) => grades.get(ids[n]!))).toEqual(['B', 'A', 'B', 'D', 'A', 'A']);
    // a long list (the draw's whole registry) is read another way, with the same answer
    const padding = Array.from(
      { length: 1200 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const long = await creditGrades(
      server.db.kysely,
      [...names.map((n) => ids[n]!), ...padding],
      today,
    );
    expect(names.map((n) => long.get(ids[n]!))).toEqual(['B', 'A', 'B', 'D', 'A', 'A']);
    expect([long.size, long.get(padding[0]!)]).toEqual([1206, 'A']);
    const all = await creditGrades(server.db.kysely, null, today);
    expect(all.size).toBe(5);
    expect(all.has(ids['文登云岭中医药科技有限公司']!)).toBe(false);
  });

  it('lets a department record credit of its own, and refuses everyone else', async () => {
    const body = penalty(4, '销售超过保质期的食品（测试）');
    expect((await record('enterprise', body)).status).toBe(403);
    expect((await api(null, '/records', 'POST', body)).status).toBe(401);
    expect((await api('supervisor', '/records', 'POST', body)).status).toBe(403);
    const other = await record('reviewer-tax', { ...body, departmentCode: 'scjg' });
    expect(other.status).toBe(403);
    const wrong = await record('inspector', { ...body, kind: 'fine', decidedOn: '2026-02-30x' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details.map((d: any) => d.path).sort()).toEqual([
      'body.decidedOn',
      'body.kind',
    ]);
    const future = await record('inspector', { ...body, decidedOn: addMonths(today, 1) });
    expect(future.status).toBe(422);
    expect(future.body.error.details[0]).toMatchObject({
      path: 'body.decidedOn',
      rule: 'not_future',
    });
    const created = await record('inspector', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      department: { code: 'scjg' },
      publishUntil: addMonths(body.decidedOn, 12),
      repairableFrom: addMonths(body.decidedOn, 3),
      state: 'published',
      published: true,
    });
    ids.penalty = created.body.id;
    const retried = await record('inspector', body);
    expect([retried.status, retried.body.id]).toEqual([200, created.body.id]);
    expect(await audited('supervision.credit_recorded', created.body.id)).toHaveLength(1);
    expect((await messages('supervision.credit_recorded')).map((m) => m.username)).toContain(
      'citizen',
    );
    const card = await api(null, `/subjects/${ids['威海星屿海洋食品有限公司']}`);
    expect([card.body.score, card.body.grade]).toEqual([85, 'B']);
  });

  it('refuses a repair with the rule that forbids it', async () => {
    const early = await record('inspector', penalty(1, '未按规定公示食品安全信息（测试）'));
    const tooEarly = await api('citizen', '/repairs', 'POST', {
      recordId: early.body.id,
      statement: '已整改到位',
    });
    expect(tooEarly.status).toBe(422);
    expect(tooEarly.body.error.code).toBe('supervision.credit_min_publication');
    expect(tooEarly.body.error.details[0]).toMatchObject({
      path: 'body.recordId',
      rule: 'min_publication',
    });
    expect(tooEarly.body.error.message).toContain('最短公示期为 3 个月');

    const mine = await api('enterprise', '/mine');
    const commendation = mine.body.records.find((r: any) => r.kind === 'commendation');
    expect(commendation.canRepair).toBe(false);
    const praise = await api('enterprise', '/repairs', 'POST', {
      recordId: commendation.id,
      statement: '申请修复',
    });
    expect([praise.status, praise.body.error.details[0].rule]).toEqual([422, 'not_repairable']);
    // another subject's record is not there for you
    const foreign = await api('enterprise', '/repairs', 'POST', {
      recordId: ids.penalty,
      statement: '申请修复',
    });
    expect(foreign.status).toBe(404);
    expect(
      (await api('reviewer', '/repairs', 'POST', { recordId: ids.penalty, statement: 'x' })).status,
    ).toBe(403);
    expect(
      (await api(null, '/repairs', 'POST', { recordId: ids.penalty, statement: 'xx' })).status,
    ).toBe(401);
  });

  it('takes a repair once its conditions are met, due within the decision limit', async () => {
    const reply = await api('citizen', '/repairs', 'POST', {
      recordId: ids.penalty,
      statement: '已全部下架销毁过期食品，建立临期食品台账并接受回访',
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.state).toBe('submitted');
    ids.repair = reply.body.id;
    const stored = await server.db.kysely
      .selectFrom('creditRepairs')
      .select(['dueAt', 'createdAt', 'regionCode'])
      .where('id', '=', ids.repair!)
      .executeTakeFirstOrThrow();
    const calendar = await new CalendarService(
      server.db.kysely,
      server.config.businessHours,
    ).forRegion(stored.regionCode);
    expect(stored.dueAt).toEqual(
      calendar.addWorkingDays(stored.createdAt, CREDIT_REPAIR_DECISION_WORKING_DAYS).due,
    );
    const again = await api('citizen', '/repairs', 'POST', {
      recordId: ids.penalty,
      statement: '再次申请',
    });
    expect([again.status, again.body.error.code]).toEqual([409, 'supervision.credit_repair_open']);
    expect(await audited('supervision.credit_repair_submitted', ids.repair!)).toHaveLength(1);
    const told = (await messages('supervision.credit_repair_submitted')).map((m) => m.username);
    expect(told).toEqual(expect.arrayContaining(['inspector', 'reviewer']));
    expect(told).not.toContain('reviewer-tax');
  });

  it("lists repairs to the department, the region's supervisor and the subject only", async () => {
    const seen = async (who: string) =>
      (await api(who, '/repairs')).body.items.map((r: any) => r.id) as string[];
    expect(await seen('reviewer')).toContain(ids.repair);
    expect(await seen('supervisor')).toContain(ids.repair);
    expect(await seen('admin')).toContain(ids.repair);
    expect(await seen('citizen')).toContain(ids.repair);
    expect(await seen('reviewer-tax')).not.toContain(ids.repair);
    expect(await seen('enterprise')).not.toContain(ids.repair);
    expect((await api(null, '/repairs')).status).toBe(401);
    const mine = await api('citizen', '/mine');
    expect(mine.body.repairs[0]).toMatchObject({ id: ids.repair, stateName: { zh: '待审核' } });
  });

  it('lets the department approve: publication ends and the grade is recomputed', async () => {
    const decide = (who: string | null, body: unknown) =>
      api(who, `/repairs/${ids.repair}/decide`, 'POST', body);
    expect((await decide(null, { approve: true })).status).toBe(401);
    expect((await decide('citizen', { approve: true })).status).toBe(403);
    expect((await decide('supervisor', { approve: true })).status).toBe(403);
    expect((await decide('reviewer-tax', { approve: true })).status).toBe(404);
    const noReason = await decide('reviewer', { approve: false });
    expect([noReason.status, noReason.body.error.details[0].path]).toEqual([422, 'body.note']);
    expect((await decide('reviewer', { approve: 'yes' })).status).toBe(422);

    const approved = await decide('reviewer', { approve: true, note: '整改到位' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.state).toBe('approved');
    const retry = await decide('reviewer', { approve: true, note: '整改到位' });
    expect([retry.status, retry.body.decidedAt]).toEqual([200, approved.body.decidedAt]);
    const changed = await decide('reviewer', { approve: false, note: '改判' });
    expect(changed.status).toBe(409);
    expect(await audited('supervision.credit_repair_approved', ids.repair!)).toHaveLength(1);

    const card = await api(null, `/subjects/${ids['威海星屿海洋食品有限公司']}`);
    expect(card.body.records.map((r: any) => r.id)).not.toContain(ids.penalty);
    expect(card.body.score).toBe(85); // only the recent penalty still counts
    const mine = await api('citizen', '/mine');
    const repaired = mine.body.records.find((r: any) => r.id === ids.penalty);
    expect(repaired).toMatchObject({ state: 'repaired', published: false, canRepair: false });
    expect(repaired.repairedAt).not.toBeNull();
    const again = await api('citizen', '/repairs', 'POST', {
      recordId: ids.penalty,
      statement: '再来一次',
    });
    expect([again.status, again.body.error.details[0].rule]).toEqual([422, 'already_repaired']);
    expect((await messages('supervision.credit_repair_approved')).length).toBeGreaterThan(0);
  });

  it('lets the department reject with a reason; the subject may apply again', async () => {
    const listing = await record('inspector', {
      ...penalty(0, '通过登记的住所无法联系（测试）', 'abnormal'),
    });
    expect(listing.status).toBe(201);
    const first = await api('citizen', '/repairs', 'POST', {
      recordId: listing.body.id,
      statement: '已办理住所变更登记',
    });
    expect(first.status).toBe(201);
    const rejected = await api('inspector', `/repairs/${first.body.id}/decide`, 'POST', {
      approve: false,
      note: '变更登记尚未核准',
    });
    expect([rejected.status, rejected.body.state]).toEqual([200, 'rejected']);
    expect(rejected.body.decisionNote).toBe('变更登记尚未核准');
    const card = await api(null, `/subjects/${ids['威海星屿海洋食品有限公司']}`);
    expect(card.body.records.map((r: any) => r.id)).toContain(listing.body.id);
    const second = await api('citizen', '/repairs', 'POST', {
      recordId: listing.body.id,
      statement: '变更登记已核准',
    });
    expect(second.status).toBe(201);
  });
});
