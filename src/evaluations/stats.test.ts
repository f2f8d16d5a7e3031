import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server';
import { atLocalTime, toLocalDate } from '../platform/calendar';
import type { Db } from '../platform/db/database';
import { compareRows, departmentOfWindow, rate, resolvePeriod } from './stats';

// 好差评 statistics over HTTP on a seeded platform: ratings, rectifications and callbacks inserted
// directly for known departments, items, bundles, windows, staff and regions, then the exact figures
// of every dimension, the period and region filters, and who may read what.

describe('statistics rules', () => {
  it('takes Beijing calendar days, both included, defaulting to this month so far', () => {
    const now = new Date('2026-11-23T17:00:00Z'); // 2026-11-24 01:00 in Beijing
    expect(resolvePeriod({}, now)).toEqual({
      from: '2026-11-01',
      to: '2026-11-24',
      start: new Date('2026-10-31T16:00:00Z'),
      end: new Date('2026-11-24T16:00:00Z'),
    });
    expect(resolvePeriod({ from: '2026-10-01', to: '2026-10-31' }, now)).toMatchObject({
      start: new Date('2026-09-30T16:00:00Z'),
      end: new Date('2026-10-31T16:00:00Z'),
    });
  });

  it('refuses a period that ends before it starts or covers more than 366 days', () => {
    const now = new Date('2026-11-23T04:00:00Z');
    const problem = (query: { from?: string; to?: string }) => {
      try {
        resolvePeriod(query, now);
        return null;
      } catch (error) {
        const e = error as { status: number; details: { path: string; rule: string }[] };
        return { status: e.status, ...e.details[0] };
      }
    };
    expect(problem({ from: '2026-10-02', to: '2026-10-01' })).toMatchObject({
      status: 422,
      path: 'querystring.to',
      rule: 'not_before_from',
    });
    expect(problem({ from: '2025-10-01', to: '2026-10-01' })).toBeNull(); // 366 days
    expect(problem({ from: '2025-09-30', to: '2026-10-01' })).toMatchObject({
      path: 'querystring.from',
      rule: 'max_span',
    });
    expect(problem({ from: '2026-02-29' })).toMatchObject({ path: 'querystring.from' });
  });

  it('divides only when there is something to divide by', () => {
    expect(rate(1, 4)).toBe(0.25);
    expect(rate(0, 0)).toBeNull();
  });

  it('names a window after the longest department code that starts it', () => {
    const departments = [{ code: 'xzsp' }, { code: 'etdz-xzsp' }, { code: 'x' }];
    expect(departmentOfWindow('xzsp-03', departments)?.code).toBe('xzsp');
    expect(departmentOfWindow('etdz-xzsp-01', departments)?.code).toBe('etdz-xzsp');
    expect(departmentOfWindow('xzspa-01', departments)).toBeUndefined();
  });

  it('sorts rows by ratings, then by key with the keyless row last', () => {
    const row = (key: string | null, ratings: number) => ({ key, ratings }) as never;
    const rows = [row(null, 2), row('b', 1), row('a', 2), row('B', 1)].sort(compareRows);
    expect(rows.map((r: { key: string | null }) => r.key)).toEqual(['a', null, 'B', 'b']);
  });
});

const ITEM_XZSP = '371000-XZSP-01-0006'; // 食品经营许可 (seed catalog)
const ITEM_POLICE = '371000-POLICE-07-0002'; // 出生登记 (seed catalog)
const ITEM_UNKNOWN = '371000-SCJG-99-0001'; // not in the catalog

/** One rating of the fixture, with its rectification if any. */
interface Given {
  name: string;
  department: string;
  item?: string;
  bundle?: string;
  window?: string;
  staff?: string;
  region: string;
  level: number;
  realName: boolean;
  /** Beijing wall-clock time, 'YYYY-MM-DD HH:MM'. */
  at: string;
  flagged?: boolean;
  rectification?: { state: string; onTime: boolean | null; callback?: boolean };
}

// Period 2026-10-01 … 2026-10-31 in region 371000 counts r1–r7; r8 is flagged; r9 and r10 fall just
// outside the period; r11 is in 370000, above the city.
const GIVEN: Given[] = [
  {
    name: 'r1',
    department: 'xzsp',
    item: ITEM_XZSP,
    bundle: 'restaurant-opening',
    window: 'xzsp-03',
    staff: 'clerk',
    region: '371002',
    level: 5,
    realName: true,
    at: '2026-10-01 00:30',
  },
  {
    name: 'r2',
    department: 'xzsp',
    item: ITEM_XZSP,
    window: 'xzsp-03',
    staff: 'clerk',
    region: '371003',
    level: 3,
    realName: false,
    at: '2026-10-05 10:00',
  },
  {
    name: 'r3',
    department: 'xzsp',
    item: ITEM_XZSP,
    window: 'xzsp-05',
    staff: 'reviewer-xzsp',
    region: '371002',
    level: 2,
    realName: true,
    at: '2026-10-08 09:00',
    rectification: { state: 'closed', onTime: true, callback: true },
  },
  {
    name: 'r4',
    department: 'xzsp',
    bundle: 'restaurant-opening',
    region: '371003',
    level: 1,
    realName: true,
    at: '2026-10-09 15:00',
    rectification: { state: 'answered', onTime: false },
  },
  {
    name: 'r5',
    department: 'police',
    item: ITEM_POLICE,
    bundle: 'birth',
    window: 'police-01',
    staff: 'reviewer-police',
    region: '371002',
    level: 4,
    realName: true,
    at: '2026-10-31 23:30',
  },
  {
    name: 'r6',
    department: 'police',
    item: ITEM_POLICE,
    bundle: 'birth',
    region: '371002',
    level: 1,
    realName: false,
    at: '2026-10-20 11:00',
    rectification: { state: 'open', onTime: null },
  },
  {
    name: 'r7',
    department: 'scjg',
    item: ITEM_UNKNOWN,
    window: 'hall-9',
    staff: 'reviewer',
    region: '371003',
    level: 2,
    realName: true,
    at: '2026-10-21 14:00',
    rectification: { state: 'submitted', onTime: null, callback: true },
  },
  {
    name: 'r8-flagged',
    department: 'xzsp',
    item: ITEM_XZSP,
    window: 'xzsp-03',
    staff: 'clerk',
    region: '371002',
    level: 1,
    realName: true,
    at: '2026-10-10 10:00',
    flagged: true,
    rectification: { state: 'dismissed', onTime: null },
  },
  {
    name: 'r9-before',
    department: 'xzsp',
    item: ITEM_XZSP,
    region: '371002',
    level: 5,
    realName: true,
    at: '2026-09-30 23:59',
  },
  {
    name: 'r10-after',
    department: 'police',
    region: '371002',
    level: 1,
    realName: true,
    at: '2026-11-01 00:00',
  },
  {
    name: 'r11-province',
    department: 'xzsp',
    region: '370000',
    level: 1,
    realName: true,
    at: '2026-10-15 10:00',
    rectification: { state: 'open', onTime: null },
  },
];

const OCTOBER = 'from=2026-10-01&to=2026-10-31';

async function insertGiven(db: Db, users: Map<string, string>) {
  await db.kysely.transaction().execute(async (trx) => {
    for (const g of GIVEN) {
      const at = atLocalTime(g.at.slice(0, 10), g.at.slice(11));
      const serviceId = randomUUID();
      const codes = {
        regionCode: g.region,
        departmentCode: g.department,
        itemCode: g.item ?? null,
        bundleCode: g.bundle ?? null,
        staffUserId: g.staff ? users.get(g.staff)! : null,
        windowCode: g.window ?? null,
      };
      await trx
        .insertInto('rateableServices')
        .values({
          id: serviceId,
          kind: g.window ? 'window_visit' : 'application',
          targetId: randomUUID(),
          title: JSON.stringify({ zh: g.name, en: g.name }),
          number: null,
          subjectId: null,
          completedAt: at,
          rateUntil: new Date(at.getTime() + 15 * 86_400_000),
          createdAt: at,
          ...codes,
        })
        .execute();
      const ratingId = randomUUID();
      await trx
        .insertInto('ratings')
        .values({
          id: ratingId,
          serviceId,
          raterSubjectId: null,
          enteredBy: null,
          level: g.level,
          tags: '[]',
          comment: null,
          channel: 'online',
          realName: g.realName,
          kind: g.window ? 'window_visit' : 'application',
          flagged: g.flagged ?? false,
          flagNote: g.flagged ? 'malicious' : null,
          ratedAt: at,
          ...codes,
        })
        .execute();
      if (g.rectification) {
        const r = g.rectification;
        await trx
          .insertInto('rectifications')
          .values({
            id: randomUUID(),
            ratingId,
            regionCode: g.region,
            departmentCode: g.department,
            state: r.state as 'open',
            dueAt: new Date(at.getTime() + 5 * 86_400_000),
            explanation: null,
            fix: null,
            answer: null,
            callbackAt: r.callback ? new Date(at.getTime() + 2 * 86_400_000) : null,
            callbackNote: r.callback ? 'called' : null,
            submittedAt: null,
            submittedBy: null,
            reviewNote: null,
            reviewedAt: null,
            reviewedBy: null,
            appealReason: null,
            appealNote: null,
            answerSatisfied: null,
            answerComment: null,
            onTime: r.onTime,
            closedAt: null,
            createdAt: at,
            updatedAt: at,
          })
          .execute();
      }
    }
  });
}

/** The figures of a row, as the reply gives them. */
function figures(
  ratings: number,
  satisfied: number,
  bad: number,
  levelSum: number,
  rect: [total: number, onTime: number, done: number],
  callbacks: [realNameBad: number, calledBack: number],
) {
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  return {
    ratings,
    satisfied,
    bad,
    satisfactionRate: ratio(satisfied, ratings),
    badRate: ratio(bad, ratings),
    averageLevel: ratio(levelSum, ratings),
    rectifications: rect[0],
    rectifiedOnTime: rect[1],
    onTimeRate: ratio(rect[1], rect[2]),
    realNameBad: callbacks[0],
    calledBack: callbacks[1],
    callbackRate: ratio(callbacks[1], callbacks[0]),
  };
}

describe('GET /api/evaluations/stats', () => {
  let server: TestServer;
  const cookies: Record<string, string> = {};
  const users = new Map<string, string>();
  const names = new Map<string, string>();

  beforeAll(async () => {
    server = await startTestServer({
      seed: 'all',
      env: { ONETHING_OUTBOX_SECONDS: '0', ONETHING_SLA_SWEEP_SECONDS: '0' },
    });
    const rows = await server.db.kysely
      .selectFrom('users')
      .select(['id', 'username', 'displayName'])
      .execute();
    for (const u of rows) {
      users.set(u.username, u.id);
      names.set(u.username, u.displayName);
    }
    await insertGiven(server.db, users);
    for (const username of [
      'supervisor',
      'admin',
      'reviewer-xzsp',
      'clerk',
      'citizen',
      'inspector',
      'handler',
    ]) {
      cookies[username] = await server.signIn(username);
    }
  }, 120_000);
  afterAll(() => server?.close());

  async function stats(username: string | null, query: string) {
    const reply = await server.api(`/api/evaluations/stats?${query}`, {
      cookie: username ? cookies[username] : undefined,
    });
    return { status: reply.status, body: reply.body };
  }
  async function ok(username: string, query: string) {
    const reply = await stats(username, query);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body;
  }

  const TOTALS = {
    key: null,
    name: { zh: '合计', en: 'Total' },
    ...figures(7, 3, 4, 18, [4, 1, 2], [3, 2]),
    flagged: 1,
  };

  it('totals the period and region without flagged ratings, counting them apart', async () => {
    const body = await ok('supervisor', `${OCTOBER}&by=department`);
    expect(body).toMatchObject({ from: '2026-10-01', to: '2026-10-31', by: 'department' });
    expect(body.region).toBe('371000');
    expect(body.totals).toEqual(TOTALS);
    expect(body.totals.onTimeRate).toBe(0.5);
    expect(body.totals.callbackRate).toBeCloseTo(2 / 3, 12);
  });

  it('groups by department with the departments’ names', async () => {
    const body = await ok('supervisor', `${OCTOBER}&by=department`);
    expect(body.rows).toEqual([
      {
        key: 'xzsp',
        name: { zh: '威海市行政审批服务局', en: 'Weihai Administrative Approval Service Bureau' },
        ...figures(4, 2, 2, 11, [2, 1, 2], [2, 1]),
      },
      {
        key: 'police',
        name: { zh: '威海市公安局', en: 'Weihai Public Security Bureau' },
        ...figures(2, 1, 1, 5, [1, 0, 0], [0, 0]),
      },
      {
        key: 'scjg',
        name: { zh: '威海市市场监督管理局', en: 'Weihai Administration for Market Regulation' },
        ...figures(1, 0, 1, 2, [1, 0, 0], [1, 1]),
      },
    ]);
    // nothing to divide: null, never NaN
    expect(body.rows[1].onTimeRate).toBeNull();
    expect(body.rows[1].callbackRate).toBeNull();
  });

  it('groups by item with the catalog’s names, the code when the item is not published', async () => {
    const body = await ok('supervisor', `${OCTOBER}&by=item`);
    expect(body.rows).toEqual([
      {
        key: ITEM_XZSP,
        name: { zh: '食品经营许可', en: 'Food business licence' },
        ...figures(3, 2, 1, 10, [1, 1, 1], [1, 1]),
      },
      {
        key: ITEM_POLICE,
        name: { zh: '出生登记', en: 'Birth registration in the household register' },
        ...figures(2, 1, 1, 5, [1, 0, 0], [0, 0]),
      },
      {
        key: ITEM_UNKNOWN,
        name: { zh: ITEM_UNKNOWN, en: ITEM_UNKNOWN },
        ...figures(1, 0, 1, 2, [1, 0, 0], [1, 1]),
      },
      {
        key: null,
        name: { zh: '（无事项）', en: '(no item)' },
        ...figures(1, 0, 1, 1, [1, 0, 1], [1, 0]),
      },
    ]);
  });

  it('groups by bundle with the bundles’ names, the keyless row ranked by its count', async () => {
    const body = await ok('supervisor', `${OCTOBER}&by=bundle`);
    expect(body.rows).toEqual([
      {
        key: null,
        name: { zh: '（非一件事）', en: '(not a bundle)' },
        ...figures(3, 1, 2, 7, [2, 1, 1], [2, 2]),
      },
      {
        key: 'birth',
        name: { zh: '新生儿出生“一件事”', en: 'Having a baby' },
        ...figures(2, 1, 1, 5, [1, 0, 0], [0, 0]),
      },
      {
        key: 'restaurant-opening',
        name: { zh: '开餐馆“一业一证”', en: 'Opening a restaurant (one industry, one licence)' },
        ...figures(2, 1, 1, 6, [1, 0, 1], [1, 0]),
      },
    ]);
  });

  it('groups by window, naming the department a window code starts with', async () => {
    const body = await ok('supervisor', `${OCTOBER}&by=window`);
    expect(body.rows.map((r: any) => [r.key, r.name, r.ratings, r.bad])).toEqual([
      [
        'xzsp-03',
        {
          zh: 'xzsp-03（威海市行政审批服务局）',
          en: 'xzsp-03 (Weihai Administrative Approval Service Bureau)',
        },
        2,
        0,
      ],
      [null, { zh: '（非窗口服务）', en: '(not at a window)' }, 2, 2],
      ['hall-9', { zh: 'hall-9', en: 'hall-9' }, 1, 1],
      [
        'police-01',
        { zh: 'police-01（威海市公安局）', en: 'police-01 (Weihai Public Security Bureau)' },
        1,
        0,
      ],
      [
        'xzsp-05',
        {
          zh: 'xzsp-05（威海市行政审批服务局）',
          en: 'xzsp-05 (Weihai Administrative Approval Service Bureau)',
        },
        1,
        1,
      ],
    ]);
    expect(body.rows[0]).toMatchObject(figures(2, 2, 0, 8, [0, 0, 0], [0, 0]));
    expect(body.rows[1]).toMatchObject(figures(2, 0, 2, 2, [2, 0, 1], [1, 0]));
  });

  it('groups by staff member with display names and the ratings without one together', async () => {
    const body = await ok('supervisor', `${OCTOBER}&by=staff`);
    const staff = (username: string) => ({
      key: users.get(username)!,
      name: { zh: names.get(username)!, en: names.get(username)! },
    });
    const ones = [
      { ...staff('reviewer-xzsp'), ...figures(1, 0, 1, 2, [1, 1, 1], [1, 1]) },
      { ...staff('reviewer-police'), ...figures(1, 1, 0, 4, [0, 0, 0], [0, 0]) },
      { ...staff('reviewer'), ...figures(1, 0, 1, 2, [1, 0, 0], [1, 1]) },
    ].sort((a, b) => (a.key < b.key ? -1 : 1));
    expect(body.rows).toEqual([
      { ...staff('clerk'), ...figures(2, 2, 0, 8, [0, 0, 0], [0, 0]) },
      {
        key: null,
        name: { zh: '（无经办人）', en: '(no staff member)' },
        ...figures(2, 0, 2, 2, [2, 0, 1], [1, 0]),
      },
      ...ones,
    ]);
    expect(body.rows[0].name.zh).toBe('王晓燕');
  });

  it('reads Beijing calendar days: the edges of the period are in, the days around it out', async () => {
    const withoutFirst = await ok('supervisor', 'from=2026-10-02&to=2026-10-30');
    expect(withoutFirst.totals.ratings).toBe(5); // r1 (Oct 1, 00:30) and r5 (Oct 31, 23:30) out
    const widened = await ok('supervisor', 'from=2026-09-30&to=2026-11-01');
    expect(widened.totals.ratings).toBe(9); // r9 (Sep 30, 23:59) and r10 (Nov 1, 00:00) in
    expect(widened.totals.flagged).toBe(1);
  });

  it('narrows to a region below the caller’s', async () => {
    const body = await ok('supervisor', `${OCTOBER}&region=371002`);
    expect(body.region).toBe('371002');
    // r1, r3, r5, r6 (and the flagged r8) are in 环翠区
    expect(body.totals).toMatchObject(figures(4, 2, 2, 12, [2, 1, 1], [1, 1]));
    expect(body.totals.flagged).toBe(1);
    expect(body.rows.map((r: any) => [r.key, r.ratings])).toEqual([
      ['police', 2],
      ['xzsp', 2],
    ]);
  });

  it('lets an administrator read any region, and refuses the supervisor one above theirs', async () => {
    const province = await ok('admin', `${OCTOBER}&region=370000`);
    expect(province.totals.ratings).toBe(8); // r11 in 370000 as well
    expect(province.totals.flagged).toBe(1);
    const refused = await stats('supervisor', `${OCTOBER}&region=370000`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('auth.forbidden');
  });

  it('shows a reviewer only their own department’s rows', async () => {
    const byDepartment = await ok('reviewer-xzsp', `${OCTOBER}&by=department`);
    expect(byDepartment.rows.map((r: any) => r.key)).toEqual(['xzsp']);
    expect(byDepartment.totals).toMatchObject(figures(4, 2, 2, 11, [2, 1, 2], [2, 1]));
    expect(byDepartment.totals.flagged).toBe(1);
    const byStaff = await ok('reviewer-xzsp', `${OCTOBER}&by=staff`);
    expect(byStaff.rows.map((r: any) => [r.key, r.ratings])).toEqual([
      [users.get('clerk'), 2],
      [users.get('reviewer-xzsp'), 1],
      [null, 1],
    ]);
    const clerk = await ok('clerk', `${OCTOBER}&by=window`);
    expect(clerk.rows.map((r: any) => [r.key, r.ratings])).toEqual([
      ['xzsp-03', 2],
      ['xzsp-05', 1],
      [null, 1],
    ]);
  });

  it('gives a handler of 环翠区 their own region with empty figures, and refuses the city', async () => {
    const own = await ok('handler', OCTOBER);
    expect(own.region).toBe('371002');
    expect(own.rows).toEqual([]);
    expect(own.totals).toEqual({
      key: null,
      name: { zh: '合计', en: 'Total' },
      ...figures(0, 0, 0, 0, [0, 0, 0], [0, 0]),
      flagged: 0,
    });
    expect(own.totals.satisfactionRate).toBeNull();
    const city = await stats('handler', `${OCTOBER}&region=371000`);
    expect(city.status).toBe(403);
  });

  it('defaults to this month so far in the caller’s region, grouped by department', async () => {
    const body = await ok('supervisor', '');
    const today = toLocalDate(new Date());
    expect(body).toMatchObject({
      from: `${today.slice(0, 8)}01`,
      to: today,
      by: 'department',
      region: '371000',
    });
  });

  it('refuses citizens, inspectors and anonymous callers', async () => {
    expect((await stats('citizen', OCTOBER)).status).toBe(403);
    expect((await stats('inspector', OCTOBER)).status).toBe(403);
    expect((await stats(null, OCTOBER)).status).toBe(401);
  });

  it('answers 422 naming the field for bad dates, dimensions and regions', async () => {
    const detail = async (query: string) => {
      const reply = await stats('supervisor', query);
      expect(reply.status, query).toBe(422);
      return reply.body.error.details[0];
    };
    expect(await detail('from=2026-10-31&to=2026-10-01')).toMatchObject({
      path: 'querystring.to',
      rule: 'not_before_from',
    });
    expect(await detail('from=2025-01-01&to=2026-10-01')).toMatchObject({
      path: 'querystring.from',
      rule: 'max_span',
    });
    expect(await detail('from=2026-02-30')).toMatchObject({ path: 'querystring.from' });
    expect(await detail('to=31.10.2026')).toMatchObject({ path: 'querystring.to' });
    expect(await detail('by=region')).toMatchObject({ path: 'querystring.by' });
    expect(await detail('region=999999')).toMatchObject({
      path: 'querystring.region',
      rule: 'exists',
    });
  });

  it('declares its access and documents the rates', async () => {
    const route = server.app.accessTable.find((r) => r.url === '/api/evaluations/stats');
    expect(route?.access).toEqual({
      roles: ['clerk', 'reviewer', 'operator', 'handler', 'supervisor', 'admin'],
      scope: 'department',
    });
    const spec = (await server.api('/api/openapi.json')).body;
    const op = spec.paths['/api/evaluations/stats'].get;
    expect(op.tags).toEqual(['evaluations']);
    expect(op.summary).toMatch(
      /supervisors and administrators: the region; other staff: their own department/,
    );
    expect(op.description).toMatch(/onTimeRate .* whose unit part is done/);
  });
});
