import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/server';
import { BASE_DATA_LAST_YEAR } from './holidays';

// The working-day calendar over real HTTP on a seeded platform. Dates are chosen so that tests do
// not disturb each other: the read-only checks use 2024–2027 dates that no override touches, and
// every override test works on its own weeks in November–December 2025.

type Params = Record<string, string | number>;

const HOLIDAY_BODY = { kind: 'holiday', nameZh: '地方假日', nameEn: 'Local holiday' } as const;

describe('the working-day calendar routes', () => {
  let server: TestServer;
  let admin: string;
  let clerk: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.signIn('admin');
    clerk = await server.signIn('clerk');
  });
  afterAll(() => server?.close());

  // URLSearchParams encodes the '+' of '+08:00', which would otherwise arrive as a space.
  const query = (params: Params) =>
    new URLSearchParams(
      Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
  const deadline = (params: Params, lang?: string) =>
    server.api(`/api/calendar/deadline?${query(params)}`, { lang });
  const workingDays = (params: Params) => server.api(`/api/calendar/working-days?${query(params)}`);
  const days = (params: Params) => server.api(`/api/calendar/days?${query(params)}`);
  const dueIn = async (region: string, start: string, workdays: number) => {
    const reply = await deadline({ start, workdays, region });
    expect(reply.status).toBe(200);
    return reply.body.due as string;
  };
  const override = (region: string, day: string, request: { cookie?: string; body?: unknown }) =>
    server.api(`/api/calendar/overrides/${region}/${day}`, { method: 'PUT', ...request });
  const removeOverride = (region: string, day: string, cookie?: string) =>
    server.api(`/api/calendar/overrides/${region}/${day}`, { method: 'DELETE', cookie });

  describe('GET /api/calendar/deadline', () => {
    it('should end 1 working day after 2025-09-30 at close of business on 2025-10-09, after 国庆/中秋', async () => {
      const reply = await deadline({ start: '2025-09-30T10:00:00+08:00', workdays: 1 });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        due: '2025-10-09T17:00:00+08:00',
        provisional: false,
        region: '371000',
      });
    });

    // 国庆/中秋 2025: 10-01..10-08 off; Sunday 09-28 and Saturday 10-11 are 调休 working days.
    it.each([
      [
        'a Friday, 1 day: the 调休 Sunday',
        '2025-09-26T10:00:00+08:00',
        1,
        '2025-09-28T17:00:00+08:00',
      ],
      [
        'a Friday, 3 days: the last day before the holiday',
        '2025-09-26T10:00:00+08:00',
        3,
        '2025-09-30T17:00:00+08:00',
      ],
      [
        'a Friday, 4 days: over the holiday',
        '2025-09-26T10:00:00+08:00',
        4,
        '2025-10-09T17:00:00+08:00',
      ],
      [
        'a Friday, 6 days: the 调休 Saturday',
        '2025-09-26T10:00:00+08:00',
        6,
        '2025-10-11T17:00:00+08:00',
      ],
      ['the first holiday day, 1 day', '2025-10-01T10:00:00+08:00', 1, '2025-10-09T17:00:00+08:00'],
      [
        'a working day, 0 days: its own close of business',
        '2025-09-30T10:00:00+08:00',
        0,
        '2025-09-30T17:00:00+08:00',
      ],
      [
        'a holiday, 0 days: the next working day',
        '2025-10-03T10:00:00+08:00',
        0,
        '2025-10-09T17:00:00+08:00',
      ],
      [
        'late evening, 1 day: the start day is not counted',
        '2025-09-29T23:59:00+08:00',
        1,
        '2025-09-30T17:00:00+08:00',
      ],
    ])('should count working days from %s', async (_label, start, workdays, due) => {
      const reply = await deadline({ start, workdays });
      expect(reply.status).toBe(200);
      expect(reply.body.due).toBe(due);
    });

    it.each([
      ['over the holiday', '2025-09-30T16:00:00+08:00', 2, '2025-10-09T10:00:00+08:00'],
      ['across the lunch break', '2025-03-10T11:30:00+08:00', 1.5, '2025-03-10T14:00:00+08:00'],
      ['to the minute of closing', '2025-09-30T09:00:00+08:00', 7, '2025-09-30T17:00:00+08:00'],
      ['zero hours: the start itself', '2025-03-10T11:30:00+08:00', 0, '2025-03-10T11:30:00+08:00'],
    ])('should count working hours %s', async (_label, start, hours, due) => {
      const reply = await deadline({ start, hours });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ due, provisional: false, region: '371000' });
    });

    it('should answer a start given in UTC with the +08:00 deadline', async () => {
      const reply = await deadline({ start: '2025-09-30T02:00:00Z', workdays: 1 });
      expect(reply.status).toBe(200);
      expect(reply.body.due).toBe('2025-10-09T17:00:00+08:00');
    });

    it('should count from the Shanghai date of a UTC start, not from its UTC date', async () => {
      // 2025-09-29T16:30Z is 2025-09-30 00:30 in Shanghai; 15:30Z is still 2025-09-29 23:30.
      expect(await dueIn('371000', '2025-09-29T16:30:00Z', 1)).toBe('2025-10-09T17:00:00+08:00');
      expect(await dueIn('371000', '2025-09-29T15:30:00Z', 1)).toBe('2025-09-30T17:00:00+08:00');
    });

    it(`should answer provisional true for a year after ${BASE_DATA_LAST_YEAR}, whose schedule is not published`, async () => {
      const reply = await deadline({
        start: `${BASE_DATA_LAST_YEAR + 1}-03-02T10:00:00+08:00`,
        workdays: 5,
      });
      expect(reply.status).toBe(200);
      expect(reply.body.provisional).toBe(true);
    });

    it('should answer provisional true when a deadline in a published year ends in an unpublished one', async () => {
      // 2027-01-01 is a Friday and 元旦 by law; the weekend follows.
      const reply = await deadline({ start: '2026-12-31T10:00:00+08:00', workdays: 1 });
      expect(reply.body).toEqual({
        due: '2027-01-04T17:00:00+08:00',
        provisional: true,
        region: '371000',
      });
    });

    it.each([
      ['both workdays and hours', { workdays: 1, hours: 2 }],
      ['neither workdays nor hours', {}],
    ])('should fail with 422 naming querystring.workdays when given %s', async (_l, extra) => {
      const reply = await deadline({ start: '2025-09-30T10:00:00+08:00', ...extra }, 'en');
      expect(reply.status).toBe(422);
      expect(reply.body.error).toMatchObject({
        code: 'request.invalid',
        details: [
          {
            path: 'querystring.workdays',
            rule: 'oneOf',
            message: 'give exactly one of workdays and hours',
          },
        ],
      });
    });

    it.each([
      ['a word', 'yesterday'],
      ['a local time without an offset', '2025-09-30T10:00:00'],
      ['a date alone', '2025-09-30'],
    ])('should fail with 422 naming querystring.start for %s', async (_l, start) => {
      const reply = await deadline({ start, workdays: 1 });
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'querystring.start', rule: 'format' }),
      ]);
    });

    it('should fail with 422 naming querystring.start for a start before the calendar begins', async () => {
      const reply = await deadline({ start: '2003-06-02T10:00:00+08:00', workdays: 1 });
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'querystring.start', rule: 'calendar.out_of_range' }),
      ]);
    });

    it.each([
      ['negative working days', { workdays: -1 }, 'querystring.workdays', 'minimum'],
      ['fractional working days', { workdays: 1.5 }, 'querystring.workdays', 'type'],
      ['negative hours', { hours: -2 }, 'querystring.hours', 'minimum'],
      [
        'an unknown parameter',
        { workdays: 1, days: 1 },
        'querystring.days',
        'additionalProperties',
      ],
    ])('should fail with 422 for %s', async (_l, extra, path, rule) => {
      const reply = await deadline({ start: '2025-09-30T10:00:00+08:00', ...extra });
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toContainEqual(expect.objectContaining({ path, rule }));
    });

    it('should fail with 404 for an unknown region', async () => {
      const reply = await deadline({
        start: '2025-09-30T10:00:00+08:00',
        workdays: 1,
        region: '999999',
      });
      expect(reply.status).toBe(404);
      expect(reply.body.error.code).toBe('not_found');
    });

    it('should answer in the language of Accept-Language', async () => {
      const params = { start: '2025-09-30T10:00:00+08:00' };
      const zh = await deadline(params);
      const en = await deadline(params, 'en');
      expect(zh.body.error.message).toMatch(/workdays 与 hours/);
      expect(en.body.error.message).toMatch(/give exactly one/);
    });
  });

  describe('GET /api/calendar/working-days', () => {
    it('should count the 1 working day between 2025-09-30 and the close of 2025-10-09', async () => {
      const reply = await workingDays({
        from: '2025-09-30T10:00:00+08:00',
        to: '2025-10-09T17:00:00+08:00',
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ workingDays: 1, region: '371000' });
    });

    it.each([
      ['2025-09-26T10:00:00+08:00', [1, 3, 4, 6, 10, 30]],
      ['2025-12-31T10:00:00+08:00', [1, 2, 5, 25]],
      ['2026-02-13T09:00:00+08:00', [1, 2, 6, 7]],
      ['2025-10-04T10:00:00+08:00', [1, 2, 3]],
    ])('should invert the deadline from %s', async (start, counts) => {
      for (const n of counts) {
        const due = await dueIn('371000', start, n);
        const reply = await workingDays({ from: start, to: due });
        expect(reply.body.workingDays, `${n} working days to ${due}`).toBe(n);
      }
    });

    it('should count negatively when to is earlier than from', async () => {
      const reply = await workingDays({
        from: '2025-10-09T17:00:00+08:00',
        to: '2025-09-30T10:00:00+08:00',
      });
      expect(reply.body.workingDays).toBe(-1);
    });

    it('should fail with 422 naming querystring.from for a bad from', async () => {
      const reply = await workingDays({ from: 'today', to: '2025-09-30T10:00:00+08:00' });
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'querystring.from', rule: 'format' }),
      ]);
    });

    it('should fail with 422 when to is missing', async () => {
      const reply = await workingDays({ from: '2025-09-30T10:00:00+08:00' });
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'querystring.to', rule: 'required' }),
      ]);
    });

    it('should fail with 422 when to is beyond the calendar', async () => {
      const reply = await workingDays({
        from: '2025-09-30T10:00:00+08:00',
        to: '2100-06-01T10:00:00+08:00',
      });
      expect(reply.status).toBe(422);
      expect(reply.body.error.details[0]).toMatchObject({
        path: 'querystring.to',
        rule: 'calendar.out_of_range',
      });
    });

    it('should fail with 404 for an unknown region', async () => {
      const reply = await workingDays({
        from: '2025-09-30T10:00:00+08:00',
        to: '2025-10-09T10:00:00+08:00',
        region: '999999',
      });
      expect(reply.status).toBe(404);
    });
  });

  describe('GET /api/calendar/days', () => {
    it('should list workdays, weekends, holidays and 调休 make-up days around 国庆 2025', async () => {
      const reply = await days({ from: '2025-09-26', to: '2025-10-12' });
      expect(reply.status).toBe(200);
      expect(reply.body.region).toBe('371000');
      expect(reply.body.days).toHaveLength(17);
      const byDate = new Map<string, any>(reply.body.days.map((d: any) => [d.date, d]));
      expect(byDate.get('2025-09-26')).toEqual({
        date: '2025-09-26',
        working: true,
        kind: 'workday',
        provisional: false,
      });
      expect(byDate.get('2025-09-27')).toMatchObject({ working: false, kind: 'weekend' });
      expect(byDate.get('2025-09-28')).toMatchObject({
        working: true,
        kind: 'makeup',
        name: { zh: '国庆节', en: 'National Day' },
      });
      expect(byDate.get('2025-10-01')).toMatchObject({
        working: false,
        kind: 'holiday',
        name: { zh: '国庆节', en: 'National Day' },
      });
      expect(byDate.get('2025-10-06')).toMatchObject({
        kind: 'holiday',
        name: { zh: '中秋节', en: 'Mid-autumn Festival' },
      });
      expect(byDate.get('2025-10-09')).toMatchObject({ working: true, kind: 'workday' });
      expect(byDate.get('2025-10-11')).toMatchObject({ working: true, kind: 'makeup' });
      expect(byDate.get('2025-10-12')).toMatchObject({ working: false, kind: 'weekend' });
    });

    it('should mark days of a year whose schedule is not published as provisional', async () => {
      const reply = await days({ from: '2027-10-01', to: '2027-10-01' });
      expect(reply.body.days).toEqual([
        {
          date: '2027-10-01',
          working: false,
          kind: 'holiday',
          name: { zh: '国庆节', en: 'National Day' },
          provisional: true,
        },
      ]);
    });

    it.each([
      ['a leap year', '2024-01-01', '2024-12-31'],
      ['a year and a day', '2025-01-01', '2026-01-01'],
    ])('should list 366 days: %s', async (_l, from, to) => {
      const reply = await days({ from, to });
      expect(reply.status).toBe(200);
      expect(reply.body.days).toHaveLength(366);
      expect(reply.body.days.at(-1).date).toBe(to);
    });

    it.each([
      ['367 days, one more than listed', '2024-01-01', '2025-01-01'],
      ['to before from', '2025-10-02', '2025-10-01'],
    ])('should fail with 422 naming querystring.to for %s', async (_l, from, to) => {
      const reply = await days({ from, to });
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'querystring.to', rule: 'range' }),
      ]);
    });

    it('should fail with 422 for a date that does not exist', async () => {
      const reply = await days({ from: '2025-02-28', to: '2025-02-30' });
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toEqual([
        expect.objectContaining({ path: 'querystring.to', rule: 'format' }),
      ]);
    });

    it('should fail with 404 for an unknown region', async () => {
      const reply = await days({ from: '2025-10-01', to: '2025-10-02', region: '999999' });
      expect(reply.status).toBe(404);
    });
  });

  describe('PUT /api/calendar/overrides/:regionCode/:day', () => {
    it('should fail with 401 when anonymous', async () => {
      const reply = await override('371002', '2025-11-05', { body: HOLIDAY_BODY });
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe('auth.required');
    });

    it('should fail with 403 for a window clerk', async () => {
      const reply = await override('371002', '2025-11-05', { cookie: clerk, body: HOLIDAY_BODY });
      expect(reply.status).toBe(403);
      expect(reply.body.error.code).toBe('auth.forbidden');
    });

    it.each([
      ['an unknown kind', '2025-11-05', { ...HOLIDAY_BODY, kind: 'festival' }, 'body.kind'],
      ['a missing name', '2025-11-05', { kind: 'holiday', nameZh: '地方假日' }, 'body.nameEn'],
      ['a day that does not exist', '2025-11-31', HOLIDAY_BODY, 'params.day'],
    ])('should fail with 422 for %s', async (_l, day, body, path) => {
      const reply = await override('371002', day, { cookie: admin, body });
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toContainEqual(expect.objectContaining({ path }));
    });

    it('should fail with 404 for an unknown region', async () => {
      const reply = await override('999999', '2025-11-05', { cookie: admin, body: HOLIDAY_BODY });
      expect(reply.status).toBe(404);
    });

    it('should move a deadline in 环翠区 371002 only, after a local holiday there', async () => {
      // Wednesday 2025-11-12 becomes a holiday in 371002 alone.
      const start = '2025-11-11T10:00:00+08:00';
      expect(await dueIn('371002', start, 1)).toBe('2025-11-12T17:00:00+08:00');

      const reply = await override('371002', '2025-11-12', { cookie: admin, body: HOLIDAY_BODY });
      expect(reply.status).toBe(204);

      expect(await dueIn('371002', start, 1)).toBe('2025-11-13T17:00:00+08:00');
      expect(await dueIn('371003', start, 1)).toBe('2025-11-12T17:00:00+08:00');
      expect(await dueIn('371000', start, 1)).toBe('2025-11-12T17:00:00+08:00');
      const listed = await days({ from: '2025-11-12', to: '2025-11-12', region: '371002' });
      expect(listed.body.days).toEqual([
        {
          date: '2025-11-12',
          working: false,
          kind: 'holiday',
          name: { zh: '地方假日', en: 'Local holiday' },
          provisional: false,
          override: {
            regionCode: '371002',
            kind: 'holiday',
            name: { zh: '地方假日', en: 'Local holiday' },
          },
          national: { working: true, kind: 'workday' },
        },
      ]);
      const counted = await workingDays({ from: start, to: '2025-11-13T17:00:00+08:00' });
      expect(counted.body.workingDays).toBe(2);
      const countedLocally = await workingDays({
        from: start,
        to: '2025-11-13T17:00:00+08:00',
        region: '371002',
      });
      expect(countedLocally.body.workingDays).toBe(1);
    });

    it('should write an audit entry for the override', async () => {
      const entries = await server.db.kysely
        .selectFrom('auditLog')
        .selectAll()
        .where('action', '=', 'calendar.override_set')
        .where('objectId', '=', '371002')
        .execute();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actorRole: 'admin',
        objectType: 'region',
        detail: { day: '2025-11-12', kind: 'holiday', nameZh: '地方假日' },
      });
    });

    it('should apply an override of the parent city 371000 to its district 371002', async () => {
      const start = '2025-11-18T10:00:00+08:00';
      const reply = await override('371000', '2025-11-19', { cookie: admin, body: HOLIDAY_BODY });
      expect(reply.status).toBe(204);
      expect(await dueIn('371002', start, 1)).toBe('2025-11-20T17:00:00+08:00');
      expect(await dueIn('371003', start, 1)).toBe('2025-11-20T17:00:00+08:00');
      expect(await dueIn('371000', start, 1)).toBe('2025-11-20T17:00:00+08:00');
    });

    it("should let a district's own override beat its parent's for the same day", async () => {
      const start = '2025-12-02T10:00:00+08:00';
      await override('371000', '2025-12-03', { cookie: admin, body: HOLIDAY_BODY });
      const reply = await override('371002', '2025-12-03', {
        cookie: admin,
        body: { kind: 'workday', nameZh: '照常上班', nameEn: 'Business as usual' },
      });
      expect(reply.status).toBe(204);
      expect(await dueIn('371000', start, 1)).toBe('2025-12-04T17:00:00+08:00');
      expect(await dueIn('371002', start, 1)).toBe('2025-12-03T17:00:00+08:00');
    });

    it('should list the override in effect and the national day behind it, nearest region first', async () => {
      // 2025-12-03 as the test before left it: a city holiday, a district working day.
      const city = await days({ from: '2025-12-02', to: '2025-12-03', region: '371000' });
      expect(city.body.days[0]).not.toHaveProperty('override');
      expect(city.body.days[1]).toMatchObject({
        kind: 'holiday',
        override: { regionCode: '371000', kind: 'holiday', name: { zh: '地方假日' } },
        national: { working: true, kind: 'workday' },
      });
      const district = await days({ from: '2025-12-03', to: '2025-12-03', region: '371002' });
      expect(district.body.days[0]).toMatchObject({
        kind: 'workday',
        name: { zh: '照常上班', en: 'Business as usual' },
        override: { regionCode: '371002', kind: 'workday' },
        national: { kind: 'workday' },
      });
      // Another district inherits the city's holiday.
      const inherited = await days({ from: '2025-12-03', to: '2025-12-03', region: '371003' });
      expect(inherited.body.days[0]).toMatchObject({
        kind: 'holiday',
        override: { regionCode: '371000' },
      });
    });

    it('should make a Saturday a 调休 make-up working day with a workday override', async () => {
      // Friday 2025-11-21; Saturday 11-22 becomes a working day in 文登区 371003.
      const reply = await override('371003', '2025-11-22', {
        cookie: admin,
        body: { kind: 'workday', nameZh: '调休上班', nameEn: 'Make-up working day' },
      });
      expect(reply.status).toBe(204);
      const start = '2025-11-21T10:00:00+08:00';
      expect(await dueIn('371003', start, 1)).toBe('2025-11-22T17:00:00+08:00');
      expect(await dueIn('371002', start, 1)).toBe('2025-11-24T17:00:00+08:00');
      const listed = await days({ from: '2025-11-22', to: '2025-11-22', region: '371003' });
      expect(listed.body.days[0]).toMatchObject({ working: true, kind: 'makeup' });
    });

    it('should replace an existing override of the same day', async () => {
      await override('371083', '2025-12-10', { cookie: admin, body: HOLIDAY_BODY });
      const reply = await override('371083', '2025-12-10', {
        cookie: admin,
        body: { kind: 'workday', nameZh: '撤回假日', nameEn: 'Holiday withdrawn' },
      });
      expect(reply.status).toBe(204);
      expect(await dueIn('371083', '2025-12-09T10:00:00+08:00', 1)).toBe(
        '2025-12-10T17:00:00+08:00',
      );
    });

    it('should turn a provisional day into a published one', async () => {
      const day = `${BASE_DATA_LAST_YEAR + 1}-06-09`;
      const reply = await override('371082', day, { cookie: admin, body: HOLIDAY_BODY });
      expect(reply.status).toBe(204);
      const listed = await days({ from: day, to: day, region: '371082' });
      expect(listed.body.days[0]).toMatchObject({ kind: 'holiday', provisional: false });
    });
  });

  describe('DELETE /api/calendar/overrides/:regionCode/:day', () => {
    it('should fail with 401 when anonymous', async () => {
      const reply = await removeOverride('371002', '2025-11-12');
      expect(reply.status).toBe(401);
    });

    it('should fail with 403 for a window clerk', async () => {
      const reply = await removeOverride('371002', '2025-11-12', clerk);
      expect(reply.status).toBe(403);
    });

    it('should fail with 422 for a day that is not a date', async () => {
      const reply = await removeOverride('371002', 'tomorrow', admin);
      expect(reply.status).toBe(422);
      expect(reply.body.error.details).toContainEqual(
        expect.objectContaining({ path: 'params.day', rule: 'format' }),
      );
    });

    it('should fail with 404 for an override that does not exist', async () => {
      const reply = await removeOverride('371003', '2025-11-12', admin);
      expect(reply.status).toBe(404);
      expect(reply.body.error.code).toBe('not_found');
    });

    it('should remove an override, restore the deadline and audit the removal', async () => {
      const reply = await removeOverride('371002', '2025-11-12', admin);
      expect(reply.status).toBe(204);
      expect(await dueIn('371002', '2025-11-11T10:00:00+08:00', 1)).toBe(
        '2025-11-12T17:00:00+08:00',
      );
      const entry = await server.db.kysely
        .selectFrom('auditLog')
        .select(['actorRole', 'objectId', 'detail'])
        .where('action', '=', 'calendar.override_removed')
        .executeTakeFirst();
      expect(entry).toEqual({
        actorRole: 'admin',
        objectId: '371002',
        detail: { day: '2025-11-12' },
      });
      const again = await removeOverride('371002', '2025-11-12', admin);
      expect(again.status).toBe(404);
    });
  });
});
