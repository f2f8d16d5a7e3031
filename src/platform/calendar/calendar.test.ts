import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from './calendar';
import { atLocalTime, toOffsetIso } from './time';

const calendar = createWorkCalendar();
const at = (date: string, time = '10:00') => atLocalTime(date, time);

describe('addWorkingDays', () => {
  it.each([
    // 国庆/中秋 2025: 10-01..10-08 off, 09-28 (Sun) and 10-11 (Sat) worked.
    ['the Friday before 国庆 2025, 1 day', '2025-09-26', '10:00', 1, '2025-09-28T17:00:00+08:00'],
    ['the Friday before 国庆 2025, 3 days', '2025-09-26', '10:00', 3, '2025-09-30T17:00:00+08:00'],
    ['the Friday before 国庆 2025, 4 days', '2025-09-26', '10:00', 4, '2025-10-09T17:00:00+08:00'],
    ['the Friday before 国庆 2025, 6 days', '2025-09-26', '10:00', 6, '2025-10-11T17:00:00+08:00'],
    ['the Friday before 国庆 2025, 7 days', '2025-09-26', '10:00', 7, '2025-10-13T17:00:00+08:00'],
    ['the last day before 国庆 2025', '2025-09-30', '16:59', 1, '2025-10-09T17:00:00+08:00'],
    // 春节 2026: 02-15..02-23 off, 02-14 and 02-28 (Saturdays) worked.
    ['the Friday before 春节 2026, 1 day', '2026-02-13', '09:00', 1, '2026-02-14T17:00:00+08:00'],
    ['the Friday before 春节 2026, 2 days', '2026-02-13', '09:00', 2, '2026-02-24T17:00:00+08:00'],
    ['the Friday before 春节 2026, 6 days', '2026-02-13', '09:00', 6, '2026-02-28T17:00:00+08:00'],
    ['the Friday before 春节 2026, 7 days', '2026-02-13', '09:00', 7, '2026-03-02T17:00:00+08:00'],
    ['New Year’s Eve 2025 into 元旦 2026', '2025-12-31', '10:00', 1, '2026-01-04T17:00:00+08:00'],
    ['a Saturday', '2025-03-08', '10:00', 1, '2025-03-10T17:00:00+08:00'],
    ['a Monday late in the evening', '2025-03-10', '23:59', 1, '2025-03-11T17:00:00+08:00'],
    ['a Monday at midnight', '2025-03-10', '00:00', 1, '2025-03-11T17:00:00+08:00'],
    ['a Monday, 10 days', '2025-03-10', '10:00', 10, '2025-03-24T17:00:00+08:00'],
  ])('should count from %s', (_label, date, time, n, due) => {
    const result = calendar.addWorkingDays(at(date, time), n);
    expect(toOffsetIso(result.due)).toBe(due);
    expect(result.provisional).toBe(false);
  });

  it('should not count the start day when the start is just after local midnight (16:30 UTC)', () => {
    const start = new Date('2025-03-09T16:30:00Z'); // Monday 2025-03-10 00:30 in Shanghai
    expect(toOffsetIso(calendar.addWorkingDays(start, 1).due)).toBe('2025-03-11T17:00:00+08:00');
  });

  it.each([
    ['a working day in the morning', '2025-03-10', '08:00', '2025-03-10T17:00:00+08:00'],
    [
      'a working day after closing (due before the start)',
      '2025-03-10',
      '18:00',
      '2025-03-10T17:00:00+08:00',
    ],
    ['a 调休 Saturday', '2026-02-14', '08:00', '2026-02-14T17:00:00+08:00'],
    ['a weekend', '2025-03-08', '10:00', '2025-03-10T17:00:00+08:00'],
    ['the first day of 春节 2026', '2026-02-15', '10:00', '2026-02-24T17:00:00+08:00'],
  ])(
    'should end n = 0 at close of business of the start day or next working day: %s',
    (_l, date, time, due) => {
      expect(toOffsetIso(calendar.addWorkingDays(at(date, time), 0).due)).toBe(due);
    },
  );

  it('should end at the close of custom business hours', () => {
    const custom = createWorkCalendar({
      businessHours: [
        ['08:30', '12:00'],
        ['14:00', '18:00'],
      ],
    });
    expect(toOffsetIso(custom.addWorkingDays(at('2025-03-10'), 1).due)).toBe(
      '2025-03-11T18:00:00+08:00',
    );
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('should refuse n = %s', (n) => {
    expect(() => calendar.addWorkingDays(at('2025-03-10'), n)).toThrow(
      expect.objectContaining({ code: 'calendar.invalid_argument' }),
    );
  });

  it('should refuse a start outside the range', () => {
    expect(() => calendar.addWorkingDays(at('2004-01-01'), 1)).not.toThrow();
    expect(() => calendar.addWorkingDays(new Date('2003-12-31T00:00:00Z'), 1)).toThrow(
      expect.objectContaining({ code: 'calendar.out_of_range' }),
    );
  });

  it('should refuse a deadline past the end of the range', () => {
    const short = createWorkCalendar({ range: { start: '2025-01-01', end: '2025-12-31' } });
    expect(toOffsetIso(short.addWorkingDays(at('2025-12-30'), 1).due)).toBe(
      '2025-12-31T17:00:00+08:00',
    );
    expect(() => short.addWorkingDays(at('2025-12-30'), 2)).toThrow(
      expect.objectContaining({ code: 'calendar.out_of_range' }),
    );
  });

  it('should refuse an invalid Date', () => {
    expect(() => calendar.addWorkingDays(new Date(Number.NaN), 1)).toThrow(
      expect.objectContaining({ code: 'calendar.invalid_date' }),
    );
  });
});

describe('addWorkingHours', () => {
  it.each([
    ['across lunch', '2025-03-10', '11:00', 2, '2025-03-10T14:00:00+08:00'],
    [
      'to the end of the morning, not the start of the afternoon',
      '2025-03-10',
      '11:00',
      1,
      '2025-03-10T12:00:00+08:00',
    ],
    ['from inside the lunch break', '2025-03-10', '12:30', 0.5, '2025-03-10T13:30:00+08:00'],
    ['from before opening', '2025-03-10', '08:00', 1, '2025-03-10T10:00:00+08:00'],
    ['into the next day', '2025-03-10', '16:00', 2, '2025-03-11T10:00:00+08:00'],
    ['from after closing', '2025-03-10', '18:00', 1, '2025-03-11T10:00:00+08:00'],
    ['a quarter hour', '2025-03-10', '09:00', 1.25, '2025-03-10T10:15:00+08:00'],
    ['one minute', '2025-03-10', '09:00', 1 / 60, '2025-03-10T09:01:00+08:00'],
    ['a full day to closing', '2025-03-10', '09:00', 7, '2025-03-10T17:00:00+08:00'],
    ['a day and a half hour', '2025-03-10', '09:00', 7.5, '2025-03-11T09:30:00+08:00'],
    ['nothing', '2025-03-10', '10:20', 0, '2025-03-10T10:20:00+08:00'],
    ['from a Saturday', '2025-03-08', '10:00', 1, '2025-03-10T10:00:00+08:00'],
    [
      'into the 调休 Sunday before 国庆 2025',
      '2025-09-26',
      '16:00',
      2,
      '2025-09-28T10:00:00+08:00',
    ],
    ['over 国庆 2025', '2025-09-30', '16:30', 1, '2025-10-09T09:30:00+08:00'],
    [
      'to closing of the 调休 Saturday before 春节 2026',
      '2026-02-13',
      '16:00',
      8,
      '2026-02-14T17:00:00+08:00',
    ],
    ['over 春节 2026', '2026-02-14', '16:00', 2, '2026-02-24T10:00:00+08:00'],
  ])('should add hours %s', (_label, date, time, hours, due) => {
    const result = calendar.addWorkingHours(at(date, time), hours);
    expect(toOffsetIso(result.due)).toBe(due);
    expect(result.provisional).toBe(false);
  });

  it('should count custom business hours', () => {
    const custom = createWorkCalendar({
      businessHours: [
        ['08:30', '12:00'],
        ['14:00', '18:00'],
      ],
    });
    expect(toOffsetIso(custom.addWorkingHours(at('2025-03-10', '11:30'), 1).due)).toBe(
      '2025-03-10T14:30:00+08:00',
    );
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('should refuse %s hours', (hours) => {
    expect(() => calendar.addWorkingHours(at('2025-03-10'), hours)).toThrow(
      expect.objectContaining({ code: 'calendar.invalid_argument' }),
    );
  });
});

describe('countWorkingDays', () => {
  it('should count the working days after the first date up to and including the second', () => {
    expect(calendar.countWorkingDays(at('2025-09-26'), at('2025-10-09', '08:00'))).toBe(4);
  });

  it('should be negative when the second instant is earlier', () => {
    expect(calendar.countWorkingDays(at('2025-10-09'), at('2025-09-26'))).toBe(-4);
  });

  it('should be zero within one day', () => {
    expect(calendar.countWorkingDays(at('2025-03-10', '08:00'), at('2025-03-10', '20:00'))).toBe(0);
  });

  it('should count a Monday after a weekend start as one', () => {
    expect(calendar.countWorkingDays(at('2025-03-08'), at('2025-03-10'))).toBe(1);
  });
});

describe('dayInfo and isWorkingDay', () => {
  it.each([
    ['2025-03-10', { working: true, kind: 'workday' }],
    ['2025-03-08', { working: false, kind: 'weekend' }],
    [
      '2025-10-06',
      { working: false, kind: 'holiday', name: { zh: '中秋节', en: 'Mid-autumn Festival' } },
    ],
    ['2026-02-28', { working: true, kind: 'makeup', name: { zh: '春节', en: 'Spring Festival' } }],
  ])('should describe %s', (date, expected) => {
    expect(calendar.dayInfo(date)).toEqual({ date, provisional: false, ...expected });
    expect(calendar.isWorkingDay(date)).toBe(expected.working);
  });

  it('should refuse an impossible date', () => {
    expect(() => calendar.dayInfo('2025-02-30')).toThrow(
      expect.objectContaining({ code: 'calendar.invalid_date' }),
    );
  });

  it('should refuse a date outside the range', () => {
    expect(() => calendar.isWorkingDay('2100-01-01')).toThrow(
      expect.objectContaining({ code: 'calendar.out_of_range' }),
    );
  });
});

describe('overrides', () => {
  const local = { zh: '地方节日', en: 'Local festival' };

  it('should make a local holiday count as a day off', () => {
    const region = createWorkCalendar({
      overrides: [{ date: '2025-03-12', kind: 'holiday', name: local }],
    });
    expect(region.dayInfo('2025-03-12')).toEqual({
      date: '2025-03-12',
      working: false,
      kind: 'holiday',
      name: local,
      provisional: false,
    });
    expect(toOffsetIso(region.addWorkingDays(at('2025-03-11'), 1).due)).toBe(
      '2025-03-13T17:00:00+08:00',
    );
  });

  it('should make a worked Saturday a make-up day', () => {
    const region = createWorkCalendar({ overrides: [{ date: '2025-03-15', kind: 'workday' }] });
    expect(region.dayInfo('2025-03-15')).toMatchObject({ working: true, kind: 'makeup' });
    expect(toOffsetIso(region.addWorkingDays(at('2025-03-14'), 1).due)).toBe(
      '2025-03-15T17:00:00+08:00',
    );
  });

  it('should take precedence over the national schedule', () => {
    const region = createWorkCalendar({ overrides: [{ date: '2025-10-08', kind: 'workday' }] });
    expect(region.dayInfo('2025-10-08')).toEqual({
      date: '2025-10-08',
      working: true,
      kind: 'workday',
      provisional: false,
    });
  });

  it('should let a later entry for the same date win', () => {
    const region = createWorkCalendar({
      overrides: [
        { date: '2025-03-12', kind: 'holiday', name: local },
        { date: '2025-03-12', kind: 'workday' },
      ],
    });
    expect(region.isWorkingDay('2025-03-12')).toBe(true);
  });

  it('should ignore overrides outside the range', () => {
    expect(() =>
      createWorkCalendar({ overrides: [{ date: '1999-10-01', kind: 'holiday' }] }),
    ).not.toThrow();
  });

  it('should refuse a malformed override', () => {
    expect(() =>
      createWorkCalendar({ overrides: [{ date: '2025-3-1', kind: 'holiday' }] }),
    ).toThrow(expect.objectContaining({ code: 'calendar.invalid_date' }));
    const kind = 'rest' as 'holiday';
    expect(() => createWorkCalendar({ overrides: [{ date: '2025-03-01', kind }] })).toThrow(
      expect.objectContaining({ code: 'calendar.invalid_options' }),
    );
  });

  it('should refuse invalid business hours', () => {
    expect(() => createWorkCalendar({ businessHours: [['17:00', '09:00']] })).toThrow(
      expect.objectContaining({ code: 'calendar.invalid_business_hours' }),
    );
  });
});

describe('a year beyond the published data (2027)', () => {
  it('should place 国庆 on October 1–3 with substitute days for the weekend, provisionally', () => {
    for (const date of ['2027-10-01', '2027-10-02', '2027-10-03']) {
      expect(calendar.dayInfo(date)).toMatchObject({
        kind: 'holiday',
        name: { zh: '国庆节' },
        provisional: true,
      });
    }
    expect(calendar.dayInfo('2027-10-04')).toMatchObject({
      kind: 'holiday',
      name: { zh: '国庆节补假' },
    });
    expect(calendar.dayInfo('2027-10-06')).toMatchObject({ kind: 'workday', provisional: true });
    const result = calendar.addWorkingDays(at('2027-09-30'), 1);
    expect(toOffsetIso(result.due)).toBe('2027-10-06T17:00:00+08:00');
    expect(result.provisional).toBe(true);
  });

  it('should place 春节 on 除夕 and 正月初一 to 初三 (2027-02-05..08) with two substitute days', () => {
    for (const date of ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']) {
      expect(calendar.dayInfo(date)).toMatchObject({ kind: 'holiday', name: { zh: '春节' } });
    }
    expect(calendar.isWorkingDay('2027-02-04')).toBe(true);
    expect(calendar.dayInfo('2027-02-09').name?.zh).toBe('春节补假');
    expect(calendar.dayInfo('2027-02-10').name?.zh).toBe('春节补假');
    expect(toOffsetIso(calendar.addWorkingDays(at('2027-02-04'), 1).due)).toBe(
      '2027-02-11T17:00:00+08:00',
    );
  });

  it('should mark a deadline provisional as soon as it reaches into 2027', () => {
    expect(calendar.addWorkingDays(at('2026-12-30'), 1).provisional).toBe(false);
    expect(calendar.addWorkingDays(at('2026-12-30'), 2)).toEqual({
      due: atLocalTime('2027-01-04', '17:00'),
      provisional: true,
    });
    expect(calendar.addWorkingHours(at('2026-12-31', '16:00'), 2).provisional).toBe(true);
  });

  it('should not be provisional once the year is published with its schedule as overrides', () => {
    const published = createWorkCalendar({
      publishedYears: [2027],
      overrides: [
        ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({
          date: `2027-10-${d}`,
          kind: 'holiday' as const,
        })),
        { date: '2027-09-26', kind: 'workday' },
        { date: '2027-10-09', kind: 'workday' },
      ],
    });
    expect(published.addWorkingDays(at('2027-09-30'), 1)).toEqual({
      due: atLocalTime('2027-10-08', '17:00'),
      provisional: false,
    });
    expect(published.dayInfo('2027-10-09')).toMatchObject({ kind: 'makeup', provisional: false });
  });
});
