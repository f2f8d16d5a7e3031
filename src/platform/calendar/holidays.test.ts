import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BASE_DATA_LAST_YEAR, buildDayTable, statutoryHolidaysByLaw } from './holidays';
import { DEFAULT_RANGE, KIND_BY_CODE } from './model';
import { isWeekend, parseLocalDate } from './time';

const table = buildDayTable({ range: DEFAULT_RANGE });
const kindOf = (date: string) => KIND_BY_CODE[table.kinds[parseLocalDate(date) - table.firstDay]!];
const datesOf = (year: number, substitute: boolean) =>
  statutoryHolidaysByLaw(year)
    .filter((day) => day.substitute === substitute)
    .map((day) => day.date);

describe('the chinese-days base data', () => {
  it('should cover the years up to at least 2026', () => {
    expect(BASE_DATA_LAST_YEAR).toBeGreaterThanOrEqual(2026);
  });

  it.each([
    ['2025-01-28', 'holiday', '春节'],
    ['2025-01-26', 'makeup', '春节'],
    ['2025-10-06', 'holiday', '中秋节'],
    ['2025-10-11', 'makeup', '国庆节'],
    ['2026-01-04', 'makeup', '元旦'],
    ['2026-02-14', 'makeup', '春节'],
    ['2026-02-23', 'holiday', '春节'],
    ['2026-02-28', 'makeup', '春节'],
    ['2015-09-03', 'holiday', '中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日'],
  ])('should classify %s as %s (%s)', (date, kind, zh) => {
    expect(kindOf(date)).toBe(kind);
    expect(table.names.get(parseLocalDate(date) - table.firstDay)?.zh).toBe(zh);
  });
});

describe('statutoryHolidaysByLaw', () => {
  it.each([2025, 2026])(
    'should find every statutory day of %i inside the published schedule',
    (year) => {
      for (const date of datesOf(year, false))
        expect([date, kindOf(date)]).toEqual([date, 'holiday']);
    },
  );

  it('should give 春节 four days: 除夕 and 正月初一 to 初三 (2026: 初一 is 02-17, a 29-day 腊月)', () => {
    expect(datesOf(2026, false).filter((d) => d.startsWith('2026-02'))).toEqual([
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
    ]);
  });

  // Independent almanac dates, not derived from chinese-days.
  it.each([
    [2027, '2027-02-06', '2027-04-05', '2027-06-09', '2027-09-15'],
    [2028, '2028-01-26', '2028-04-04', '2028-05-28', '2028-10-03'],
    [2029, '2029-02-13', '2029-04-04', '2029-06-16', '2029-09-22'],
    [2030, '2030-02-03', '2030-04-05', '2030-06-05', '2030-09-12'],
  ])('should place the lunar and solar-term festivals of %i', (year, newYear, qm, dw, ma) => {
    const days = statutoryHolidaysByLaw(year).filter((d) => !d.substitute);
    const dateOf = (zh: string) => days.find((d) => d.name.zh.split('、').includes(zh))?.date;
    expect(datesOf(year, false)).toContain(newYear);
    expect(dateOf('清明节')).toBe(qm);
    expect(dateOf('端午节')).toBe(dw);
    expect(dateOf('中秋节')).toBe(ma);
  });

  it('should give substitute days off (补假) after a festival that falls on a weekend', () => {
    // 2027: 国庆 Fri–Sun, 春节 Fri–Mon, 劳动节 Sat–Sun; 2028: 元旦 on a Saturday.
    expect(datesOf(2027, true)).toEqual([
      '2027-02-09',
      '2027-02-10',
      '2027-05-03',
      '2027-05-04',
      '2027-10-04',
      '2027-10-05',
    ]);
    expect(datesOf(2028, true)).toContain('2028-01-03');
  });

  it('should give a substitute day when 中秋 coincides with 国庆 (2031)', () => {
    const days = statutoryHolidaysByLaw(2031);
    expect(days.find((d) => d.date === '2031-10-01')?.name).toEqual({
      zh: '中秋节、国庆节',
      en: 'Mid-autumn Festival, National Day',
    });
    // 2031-10-01 is a Wednesday: 10-01..03 are weekdays, and the shared day is owed on Monday 10-06.
    const october = days.filter((d) => d.substitute && d.date.startsWith('2031-10'));
    expect(october.map((d) => d.date)).toEqual(['2031-10-06']);
  });

  it('should cost exactly 13 working days in every year the law computes', () => {
    for (let year = BASE_DATA_LAST_YEAR + 1; year <= 2100; year++) {
      const weekdaysOff = statutoryHolidaysByLaw(year).filter(
        (d) => !isWeekend(parseLocalDate(d.date)),
      );
      expect([year, weekdaysOff.length]).toEqual([year, 13]);
    }
  });

  it('should give the same dates in a process west of UTC', () => {
    // chinese-days' getSolarDateFromLunar and getSolarTermDate shift by a day there; ours must not.
    const module = fileURLToPath(new URL('./holidays.ts', import.meta.url));
    const script = `const m = await import(${JSON.stringify(module)});
      console.log(JSON.stringify([2027, 2045, 2099].map((y) => m.statutoryHolidaysByLaw(y))));`;
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', script],
      { env: { ...process.env, TZ: 'America/New_York' }, encoding: 'utf8' },
    );
    expect(JSON.parse(output)).toEqual([2027, 2045, 2099].map((y) => statutoryHolidaysByLaw(y)));
  });

  it('should refuse years before the 2024 amendment took effect', () => {
    expect(() => statutoryHolidaysByLaw(2024)).toThrow(
      expect.objectContaining({ code: 'calendar.invalid_argument' }),
    );
  });
});

describe('buildDayTable', () => {
  it('should mark every day after the data as provisional and none before', () => {
    const last = parseLocalDate(`${BASE_DATA_LAST_YEAR}-12-31`) - table.firstDay;
    expect(table.provisional[last]).toBe(0);
    expect(table.provisional[last + 1]).toBe(1);
    expect(table.provisional.subarray(0, last + 1).every((p) => p === 0)).toBe(true);
    expect(table.provisional.subarray(last + 1).every((p) => p === 1)).toBe(true);
  });

  it('should clear provisional for published years', () => {
    const year = BASE_DATA_LAST_YEAR + 1;
    const published = buildDayTable({ range: DEFAULT_RANGE, publishedYears: [year] });
    const index = parseLocalDate(`${year}-06-01`) - published.firstDay;
    expect(published.provisional[index]).toBe(0);
    expect(published.provisional[index + 366]).toBe(1);
  });

  it.each([
    [{ start: '2003-12-31', end: '2025-12-31' }],
    [{ start: '2025-01-01', end: '2101-01-01' }],
    [{ start: '2025-02-01', end: '2025-01-01' }],
  ])('should refuse the range %j', (range) => {
    expect(() => buildDayTable({ range })).toThrow(
      expect.objectContaining({ code: 'calendar.invalid_options' }),
    );
  });
});
