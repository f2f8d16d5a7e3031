// The cockpit's panels, drill-down and warnings: the formulas against hand-computed values, and the
// routes end to end over a small fixture written straight into a fresh database in March 2020 (a
// month no demo data touches) — ratings, rectifications, grants, matches, inspections, a plan,
// department cases and application events — whose figures are counted here by hand.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedHoursOf } from '../bundles';
import { toLocalDate } from '../platform/calendar';
import { startTestServer, type TestServer } from '../../test/support/server';
import {
  evaluationFigures,
  hotTopics,
  INDICATORS,
  policyFigures,
  rankDepartments,
  ratio,
  supervisionFigures,
} from './indicators';
import { RECORD_KEYS } from './records';

const text = (zh: string) => ({ zh, en: zh });

describe('panel formulas', () => {
  it('computes the 好差评 shares from the counts', () => {
    expect(
      evaluationFigures({
        rated: 8,
        satisfied: 7,
        bad: 1,
        rectifications: 1,
        rectificationsDone: 0,
        rectifiedOnTime: 0,
      }),
    ).toEqual({
      rated: 8,
      satisfied: 7,
      satisfactionRate: 87.5,
      bad: 1,
      badRate: 12.5,
      rectifications: 1,
      rectifiedOnTime: 0,
      // the one rectification is still open: neither on time nor late yet
      rectificationOnTimeRate: null,
    });
  });

  it('computes grants paid on time and inspections per enterprise', () => {
    const p = policyFigures({
      matches: 5,
      matchedSubjects: 4,
      grants: 3,
      paid: 3,
      paidOnTime: 2,
      amountPaid: 10,
    });
    expect(p.paidOnTimeRate).toBe(66.7);
    const s = supervisionFigures({
      inspections: 7,
      enterprises: 3,
      published: 4,
      publishedOnTime: 3,
      plansDrawn: 3,
      plansDrawnOnTime: 2,
    });
    expect(s.perEnterprise).toBe(2.3);
    expect(s.drawsOnTimeRate).toBe(66.7);
    expect(s.publishedOnTimeRate).toBe(75);
    expect(ratio(1, 0)).toBeNull();
  });

  it('ranks departments by on-time rate, then satisfaction, with empty rates last', () => {
    const names = new Map([['a', text('甲')]]);
    const ranked = rankDepartments(
      [
        { departmentCode: 'a', cases: 4, casesOnTime: 3 },
        { departmentCode: 'b', cases: 2, casesOnTime: 2 },
        { departmentCode: 'c', cases: 4, casesOnTime: 3 },
      ],
      [
        { departmentCode: 'a', rated: 2, satisfied: 1, bad: 1 },
        { departmentCode: 'c', rated: 2, satisfied: 2, bad: 0 },
        { departmentCode: 'd', rated: 1, satisfied: 1, bad: 0 },
      ],
      names,
    );
    expect(ranked.map((d) => d.departmentCode)).toEqual(['b', 'c', 'a', 'd']);
    expect(ranked[2]).toMatchObject({ name: text('甲'), onTimeRate: 75, satisfactionRate: 50 });
    expect(ranked[3]).toMatchObject({ name: text('d'), cases: 0, onTimeRate: null });
  });

  it('keeps the ten hottest ticket categories', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ categoryCode: `C${i}`, closed: i }));
    const top = hotTopics(rows);
    expect(top).toHaveLength(10);
    expect(top[0]).toEqual({ categoryCode: 'C11', closed: 11 });
    expect(hotTopics([{ categoryCode: 'X', closed: 0 }])).toEqual([]);
  });

  it('sets a bundle’s committed limit in elapsed hours', () => {
    expect(committedHoursOf({ value: 1, unit: 'hours' })).toBe(1);
    expect(committedHoursOf({ value: 5, unit: 'workdays' })).toBe(168);
  });

  it('defines every drill-down key, with the documents’ targets', () => {
    const keys = INDICATORS.map((d) => d.key);
    for (const key of RECORD_KEYS) expect(keys).toContain(key);
    const target = (key: string) => INDICATORS.find((d) => d.key === key)?.target?.value;
    expect(target('satisfactionRate')).toBe(98);
    expect(target('certificateFreeScenarios')).toBe(20);
  });
});

describe('panels, records and warnings over HTTP', () => {
  let server: TestServer;
  const cookie: Record<string, string> = {};
  const march = { from: '2020-03-01', to: '2020-03-31' };
  const at = (day: number, hour = 10) =>
    new Date(
      `2020-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`,
    );
  const ids = {
    application: randomUUID(),
    lateCase: randomUUID(),
    openCase: randomUUID(),
    openRectification: randomUUID(),
    doneRectification: randomUUID(),
    lateGrant: randomUUID(),
    onTimeGrant: randomUUID(),
    pendingGrant: randomUUID(),
    unpublished: randomUUID(),
    demoApplication: randomUUID(),
  };

  async function fixtures() {
    const db = server.db.kysely;
    const run = (q: ReturnType<typeof sql>) => q.execute(db);
    const subjects = (
      await db.selectFrom('subjects').select('id').orderBy('identifier').limit(3).execute()
    ).map((s) => s.id);
    const [s1, s2, s3] = subjects as [string, string, string];
    const admin = (
      await db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'admin')
        .executeTakeFirstOrThrow()
    ).id;
    const bundle = await db
      .selectFrom('bundleVersions')
      .select(['bundleCode', 'version'])
      .where('status', '=', 'published')
      .where('bundleCode', '=', 'enterprise-opening')
      .executeTakeFirstOrThrow();

    // 好差评: four counted ratings (5, 3 satisfied; 2, 1 bad) and one found malicious
    const rate = async (level: number, department: string, flagged = false) => {
      const service = randomUUID();
      const rating = randomUUID();
      await run(sql`insert into rateable_services (id, kind, target_id, region_code, title, number,
        department_code, completed_at, rate_until, created_at)
        values (${service}, 'ticket', ${randomUUID()}, '371002', ${JSON.stringify(text(`服务${level}`))},
          ${`N-${level}-${department}`}, ${department}, ${at(2)}, ${at(30)}, ${at(2)})`);
      await run(sql`insert into ratings (id, service_id, region_code, level, tags, channel, real_name,
        kind, department_code, flagged, rated_at)
        values (${rating}, ${service}, '371002', ${level}, '[]', 'online', false, 'ticket',
          ${department}, ${flagged}, ${at(3)})`);
      return rating;
    };
    await rate(5, 'xzsp');
    const bad2 = await rate(2, 'xzsp');
    await rate(3, 'scjg');
    const bad1 = await rate(1, 'scjg');
    await rate(1, 'scjg', true);
    await run(sql`insert into rectifications (id, rating_id, region_code, department_code, state,
      due_at, on_time, created_at, updated_at)
      values (${ids.doneRectification}, ${bad2}, '371002', 'xzsp', 'answered', ${at(10)}, true,
        ${at(3)}, ${at(6)}),
      (${ids.openRectification}, ${bad1}, '371002', 'scjg', 'open', ${at(12)}, null, ${at(3)}, ${at(3)})`);

    // policies: two subjects matched, one near miss; three grants, two paid (one late), one overdue
    const policy = randomUUID();
    await run(sql`insert into policies (id, code, name, summary, department_code, region_code,
      source_document, valid_from, mode, rule, state, created_at, updated_at)
      values (${policy}, 'cockpit-fixture', ${JSON.stringify(text('驾驶舱测试政策'))},
        ${JSON.stringify(text('测试'))}, 'kjj', '371000', '测试文件', '2020-01-01', 'automatic',
        '{}', 'withdrawn', ${at(1)}, ${at(1)})`);
    await run(sql`insert into policy_matches (policy_id, subject_id, region_code, status, summary,
      matched_at, updated_at) values
      (${policy}, ${s1}, '371002', 'matched', ${JSON.stringify(text('符合'))}, ${at(4)}, ${at(4)}),
      (${policy}, ${s2}, '371002', 'matched', ${JSON.stringify(text('符合'))}, ${at(5)}, ${at(5)}),
      (${policy}, ${s3}, '371002', 'near_miss', ${JSON.stringify(text('差一项'))}, ${at(5)}, ${at(5)})`);
    await run(sql`insert into policy_grants (id, number, policy_id, subject_id, region_code,
      department_code, amount, state, due_at, paid_at, created_at, updated_at) values
      (${ids.onTimeGrant}, 'GT-FIX-1', ${policy}, ${s1}, '371002', 'kjj', 1000, 'paid', ${at(14)},
        ${at(10)}, ${at(4)}, ${at(10)}),
      (${ids.lateGrant}, 'GT-FIX-2', ${policy}, ${s2}, '371002', 'kjj', 500.5, 'paid', ${at(14)},
        ${at(20)}, ${at(5)}, ${at(20)}),
      (${ids.pendingGrant}, 'GT-FIX-3', ${policy}, ${s3}, '371002', 'kjj', 200, 'pending', ${at(15)},
        null, ${at(5)}, ${at(5)})`);

    // supervision: three inspections of two enterprises; two published (one late), one not yet
    const inspect = (
      id: string,
      subject: string,
      state: string,
      published: Date | null,
      due: Date,
    ) =>
      run(sql`insert into inspections (id, number, subject_id, region_code, plan_ids, department_codes,
        item_codes, inspector_ids, starts_on, ends_on, state, finished_at, result, publish_due_at,
        published_at, created_at, updated_at)
        values (${id}, ${`JC-${id.slice(0, 8)}`}, ${subject}, '371002', '[]', '["scjg"]', '[]', '[]',
          '2020-03-01', '2020-03-31', ${state}, ${at(6)}, 'pass', ${due}, ${published}, ${at(1)},
          ${at(6)})`);
    await inspect(randomUUID(), s1, 'published', at(8), at(20));
    await inspect(randomUUID(), s1, 'published', at(25), at(20));
    await inspect(ids.unpublished, s2, 'finished', null, at(20));
    await run(sql`insert into inspection_plans (id, number, department_code, region_code, title,
      item_codes, filters, tier_ratios, inspectors_per_target, starts_on, ends_on, state,
      created_by, created_at, drawn_at)
      values (${randomUUID()}, 'PLAN-FIX-1', 'scjg', '371002', '测试计划', '[]', '{}', '{}', 2,
        '2020-03-01', '2020-03-31', 'drawn', ${admin}, ${at(1)}, ${at(2)}),
      (${randomUUID()}, 'PLAN-FIX-2', 'scjg', '371002', '测试计划二', '[]', '{}', '{}', 2,
        '2020-03-10', '2020-03-31', 'drawn', ${admin}, ${at(1)}, ${at(3)})`);

    // cases: xzsp finished one on time and one late; scjg finished one on time, has one overdue
    await run(sql`insert into applications (id, number, bundle_code, bundle_version, status, channel,
      region_code, subject_id, applicant, applicant_name, created_by, snapshot, public_token,
      created_at, updated_at, submitted_at)
      values (${ids.application}, 'YJS-FIXTURE-1', ${bundle.bundleCode}, ${bundle.version},
        'accepted', 'online', '371002', ${s1}, '{}', '测试人', ${admin},
        ${JSON.stringify({ guide: { items: [{ member: 'm4', name: text('测试事项') }] } })},
        ${randomUUID()}, ${at(1)}, ${at(1)}, ${at(1)})`);
    const kase = (
      id: string,
      member: string,
      department: string,
      state: string,
      due: Date,
      finished: Date | null,
    ) =>
      run(sql`insert into cases (id, application_id, member_key, region_code, item_code, item_version,
        department_code, state, after_members, inputs, committed_limit, started_at, committed_due_at,
        created_at, updated_at, finished_at)
        values (${id}, ${ids.application}, ${member}, '371002', 'ITEM-FIX', 1, ${department}, ${state},
          '[]', '{}', '{"value": 1, "unit": "workdays"}', ${at(1)}, ${due}, ${at(1)}, ${at(1)},
          ${finished})`);
    await kase(randomUUID(), 'm1', 'xzsp', 'result_issued', at(10), at(9));
    await kase(ids.lateCase, 'm2', 'xzsp', 'result_issued', at(10), at(11));
    await kase(randomUUID(), 'm3', 'scjg', 'result_issued', at(10), at(10));
    await kase(ids.openCase, 'm4', 'scjg', 'in_review', at(5), null);

    // application events: the fixture's application completed on time, a synthetic one late
    const event = (key: string, payload: Record<string, unknown>, when: Date) =>
      run(sql`insert into domain_events (type, key, region_code, payload, occurred_at)
        values ('cases.application_completed', ${key}, '371002', ${JSON.stringify(payload)}, ${when})`);
    await event(
      ids.application,
      {
        applicationId: ids.application,
        applicationNumber: 'YJS-FIXTURE-1',
        bundleCode: bundle.bundleCode,
        leadDepartment: 'scjg',
        channel: 'online',
        submittedAt: at(1).toISOString(),
        onTime: true,
        savings: { steps: 2, materials: 1, visits: 1, waived: 0, committedVisits: 0 },
      },
      at(1, 12),
    );
    await event(
      ids.demoApplication,
      {
        applicationId: ids.demoApplication,
        applicationNumber: 'YJS-DEMO-1',
        bundleCode: bundle.bundleCode,
        channel: 'window',
        submittedAt: at(1).toISOString(),
        onTime: false,
        demo: true,
      },
      at(7),
    );
  }

  beforeAll(async () => {
    server = await startTestServer({ seed: 'all', env: { ONETHING_OUTBOX_SECONDS: '0' } });
    for (const name of ['citizen', 'enterprise', 'supervisor', 'admin', 'handler'])
      cookie[name] = await server.signIn(name);
    await fixtures();
  }, 300_000);
  afterAll(() => server?.close());

  const get = (path: string, who: string | null, query: Record<string, string | number>) =>
    server.api(
      `/api/insight/${path}?${new URLSearchParams(
        Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
      )}`,
      { cookie: who ? cookie[who] : undefined },
    );

  it('counts the panels of the month by hand', async () => {
    const reply = await get('panels', 'supervisor', { ...march, region: '371002' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const p = reply.body;
    expect(p).toMatchObject({ region: '371002', ...march });
    // levels 5, 3 satisfied and 2, 1 bad of four (the malicious one left out); one of the two
    // rectifications done, on time
    expect(p.evaluations).toEqual({
      rated: 4,
      satisfied: 2,
      satisfactionRate: 50,
      bad: 2,
      badRate: 50,
      rectifications: 2,
      rectifiedOnTime: 1,
      rectificationOnTimeRate: 100,
    });
    expect(p.policies).toEqual({
      matches: 2,
      matchedSubjects: 2,
      grants: 3,
      paid: 2,
      paidOnTime: 1,
      paidOnTimeRate: 50,
      amountPaid: 1500.5,
    });
    // three inspections of two enterprises: 1.5 each; one of two results published in time
    expect(p.supervision).toEqual({
      inspections: 3,
      enterprises: 2,
      perEnterprise: 1.5,
      published: 2,
      publishedOnTime: 1,
      publishedOnTimeRate: 50,
      // one plan drawn the day after it started, one a week before
      plansDrawn: 2,
      drawsOnTimeRate: 50,
    });
    // all four cases are of one item; three finished in March, two of them on time
    expect(p.items).toEqual([
      {
        itemCode: 'ITEM-FIX',
        name: { zh: 'ITEM-FIX', en: 'ITEM-FIX' },
        cases: 3,
        casesOnTime: 2,
        onTimeRate: 66.7,
      },
    ]);
    expect(p.certificateFree.target).toBe(20);
    expect(p.certificateFree.scenarios).toBeGreaterThanOrEqual(0);
    // scjg: 1 of 1 on time beats xzsp: 1 of 2
    expect(p.departments.map((d: any) => d.departmentCode)).toEqual(['scjg', 'xzsp']);
    expect(p.departments[0]).toMatchObject({
      cases: 1,
      casesOnTime: 1,
      onTimeRate: 100,
      rated: 2,
      satisfactionRate: 50,
      bad: 1,
    });
    expect(p.departments[0].name.zh).toMatch(/市场监督管理局/);
    expect(p.departments[1]).toMatchObject({ cases: 2, casesOnTime: 1, onTimeRate: 50 });
  });

  it('drills down to the application events, linking only applications that exist', async () => {
    const reply = await get('records', 'supervisor', {
      indicator: 'onTimeRate',
      ...march,
      region: '371002',
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.total).toBe(2);
    const [demo, real] = reply.body.items;
    expect(real).toMatchObject({
      id: ids.application,
      number: 'YJS-FIXTURE-1',
      good: true,
      departmentCode: 'scjg',
      link: `/workbench/intake/${ids.application}`,
    });
    expect(real.title.zh).toMatch(/^企业开办/);
    expect(demo).toMatchObject({ id: ids.demoApplication, good: false, link: null });
    const page = await get('records', 'admin', {
      indicator: 'completed',
      ...march,
      region: '371002',
      limit: 1,
      offset: 1,
    });
    expect(page.body.total).toBe(2);
    expect(page.body.items.map((i: any) => i.id)).toEqual([ids.application]);
  });

  it('drills down to ratings, grants and inspections with their pages', async () => {
    const records = async (indicator: string) =>
      (await get('records', 'supervisor', { indicator, ...march, region: '371002' })).body;
    const bad = await records('badRate');
    expect(bad.total).toBe(2);
    expect(bad.items.map((i: any) => i.link).sort()).toEqual(
      [
        `/workbench/rectifications/${ids.doneRectification}`,
        `/workbench/rectifications/${ids.openRectification}`,
      ].sort(),
    );
    const satisfaction = await records('satisfactionRate');
    expect(satisfaction.total).toBe(4);
    expect(satisfaction.items.filter((i: any) => i.good)).toHaveLength(2);
    const rectified = await records('rectificationOnTimeRate');
    expect(rectified.items.map((i: any) => i.good).sort()).toEqual([null, true].sort());
    const grants = await records('grantsPaidOnTimeRate');
    expect(grants.total).toBe(2);
    expect(grants.items.find((i: any) => i.id === ids.lateGrant)).toMatchObject({
      good: false,
      number: 'GT-FIX-2',
      link: `/workbench/policy-grants/${ids.lateGrant}`,
    });
    expect((await records('policyMatches')).total).toBe(2);
    const published = await records('inspectionsPublishedOnTimeRate');
    expect(published.items.map((i: any) => i.good).sort()).toEqual([false, true]);
    expect(published.items[0].link).toMatch(/^\/workbench\/inspections\//);
    expect((await records('inspectionsPerEnterprise')).total).toBe(3);
    const scenarios = await records('certificateFreeScenarios');
    expect(scenarios.items.filter((i: any) => i.good)).toHaveLength(
      Math.min(
        50,
        (await get('panels', 'supervisor', { ...march, region: '371002' })).body.certificateFree
          .scenarios,
      ),
    );
  });

  it('drills down to the tickets closed in the month', async () => {
    const today = toLocalDate(new Date());
    const month = { from: `${today.slice(0, 8)}01`, to: today };
    const reply = await get('records', 'supervisor', { indicator: 'ticketOnTimeRate', ...month });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const closed = await server.db.kysely
      .selectFrom('hotlineTickets')
      .select(['id', 'onTime'])
      .where('status', '=', 'closed')
      .where('closedAt', '>=', new Date(`${month.from}T00:00:00+08:00`))
      .execute();
    expect(reply.body.total).toBe(closed.length);
    for (const item of reply.body.items) {
      expect(item.link).toBe(`/workbench/hotline/tickets/${item.id}`);
      expect(item.good).toBe(closed.find((t) => t.id === item.id)?.onTime === true);
    }
    const indicators = await get('indicators', 'supervisor', month);
    expect(Array.isArray(indicators.body.hotTopics)).toBe(true);
    for (const topic of indicators.body.hotTopics) expect(topic.closed).toBeGreaterThan(0);
    const opening = indicators.body.byBundle.find(
      (b: any) => b.bundleCode === 'enterprise-opening',
    );
    if (opening) expect(opening.committedHours).toBe(1);
  });

  it('lists what is overdue, the most overdue first, with links', async () => {
    const reply = await get('warnings', 'supervisor', {});
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const { counts, items } = reply.body;
    for (const kind of [
      'case_overdue',
      'rectification_overdue',
      'grant_overdue',
      'inspection_unpublished',
    ])
      expect(counts[kind]).toBeGreaterThanOrEqual(1);
    const find = (id: string) => items.find((i: any) => i.id === id);
    expect(find(ids.openCase)).toMatchObject({
      kind: 'case_overdue',
      number: 'YJS-FIXTURE-1',
      title: text('测试事项'),
      departmentCode: 'scjg',
      link: `/workbench/cases/${ids.openCase}`,
    });
    expect(find(ids.openRectification)?.kind).toBe('rectification_overdue');
    expect(find(ids.pendingGrant)?.link).toBe(`/workbench/policy-grants/${ids.pendingGrant}`);
    expect(find(ids.unpublished)?.kind).toBe('inspection_unpublished');
    // finished cases, paid grants and answered rectifications are not warnings
    expect(find(ids.lateCase)).toBeUndefined();
    expect(find(ids.lateGrant)).toBeUndefined();
    expect(find(ids.doneRectification)).toBeUndefined();
    const dues = items.map((i: any) => i.dueAt);
    expect([...dues].sort()).toEqual(dues);
    expect(items[0].dueAt).toBe(new Date('2020-03-05T10:00:00+08:00').toISOString());
    // Rongcheng has none of the fixture's
    const other = await get('warnings', 'admin', { region: '371082' });
    expect(other.body.items.find((i: any) => i.id === ids.openCase)).toBeUndefined();
  });

  it('refuses callers outside the cockpit and questions it cannot answer', async () => {
    for (const path of ['panels', 'records', 'warnings']) {
      const query = path === 'records' ? { indicator: 'submitted', ...march } : march;
      const q = path === 'warnings' ? {} : query;
      expect((await get(path, null, q)).status).toBe(401);
      expect((await get(path, 'citizen', q)).status).toBe(403);
      expect((await get(path, 'enterprise', q)).status).toBe(403);
      expect((await get(path, 'handler', q)).status).toBe(403);
      expect((await get(path, 'supervisor', { ...q, region: '370200' })).status).toBe(403);
    }
    const unknown = await get('records', 'supervisor', { indicator: 'nope', ...march });
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.body.error.details)).toMatch(/indicator/);
    const tooMany = await get('records', 'supervisor', {
      indicator: 'submitted',
      ...march,
      limit: 500,
    });
    expect(tooMany.status).toBe(422);
    const backwards = await get('panels', 'supervisor', { from: '2020-03-31', to: '2020-03-01' });
    expect(backwards.status).toBe(422);
    expect(backwards.body.error.details[0]).toMatchObject({
      path: 'querystring.to',
      rule: 'after_from',
    });
    const long = await get('panels', 'admin', { from: '2019-01-01', to: '2020-03-01' });
    expect(long.body.error.details[0].rule).toBe('max_days');
    expect((await get('panels', 'admin', { from: 'march', to: '2020-03-01' })).status).toBe(422);
    expect((await get('warnings', 'admin', { region: '999999' })).status).toBe(422);
    // a zone's code is a region too
    expect((await get('panels', 'supervisor', { ...march, region: '371072-ZB' })).status).toBe(200);
  });
});
