import chineseDays from 'chinese-days';
import baseData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { Text } from '../i18n';
import {
  CalendarError,
  KIND_CODE,
  MAX_RANGE,
  type CalendarOverride,
  type CalendarRange,
  type DayTable,
  type LocalDate,
} from './model';
import { formatDayNumber, isWeekend, parseLocalDate } from './time';

/** A statutory holiday day as the law fixes it, or a substitute day off for one that fell on a weekend. */
export interface StatutoryDay {
  readonly date: LocalDate;
  readonly name: Text;
  /** 补假: a working day given off because a holiday day fell on a weekend or on another holiday. */
  readonly substitute: boolean;
}

/** Options of buildDayTable: what a calendar instance resolves once. */
export interface DayTableOptions {
  range: CalendarRange;
  overrides?: readonly CalendarOverride[];
  publishedYears?: readonly number[];
}

// Canonical names keyed by the English half of chinese-days' "English,中文,days" values, so data
// years and law-computed years name a festival the same way.
const FESTIVALS = {
  newYear: { zh: '元旦', en: "New Year's Day" },
  springFestival: { zh: '春节', en: 'Spring Festival' },
  qingming: { zh: '清明节', en: 'Tomb-sweeping Day' },
  labourDay: { zh: '劳动节', en: 'Labour Day' },
  dragonBoat: { zh: '端午节', en: 'Dragon Boat Festival' },
  midAutumn: { zh: '中秋节', en: 'Mid-autumn Festival' },
  nationalDay: { zh: '国庆节', en: 'National Day' },
} as const satisfies Record<string, Text>;

const FESTIVAL_BY_DATA_NAME: ReadonlyMap<string, Text> = new Map<string, Text>([
  ["New Year's Day", FESTIVALS.newYear],
  ['Spring Festival', FESTIVALS.springFestival],
  ['Tomb-sweeping Day', FESTIVALS.qingming],
  ['Labour Day', FESTIVALS.labourDay],
  ['Dragon Boat Festival', FESTIVALS.dragonBoat],
  ['Mid-autumn Festival', FESTIVALS.midAutumn],
  ['National Day', FESTIVALS.nationalDay],
  [
    'Anti-Fascist 70th Day',
    {
      zh: '中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日',
      en: '70th Anniversary of the Victory of the War of Resistance',
    },
  ],
]);

function dataName(value: string): Text {
  const first = value.indexOf(',');
  const last = value.lastIndexOf(',');
  const en = value.slice(0, first);
  return FESTIVAL_BY_DATA_NAME.get(en) ?? { zh: value.slice(first + 1, last), en };
}

const HOLIDAY_DATA: Readonly<Record<string, string>> = baseData.holidays;
const WORKDAY_DATA: Readonly<Record<string, string>> = baseData.workdays;

/** Last year the chinese-days data publishes a schedule for; later years follow from the law. */
export const BASE_DATA_LAST_YEAR: number = Math.max(
  ...Object.keys(HOLIDAY_DATA).map((date) => Number(date.slice(0, 4))),
);

// The 2024 amendment (国务院令第795号, in force 2025-01-01) is the law the fallback encodes.
const LAW_FIRST_YEAR = 2025;

/** Solar date of a day in a lunar month of a lunar year, via chinese-days' getLunarDate. */
function lunarToDayNumber(lunarYear: number, month: number, day: number, probe: number): number {
  // getLunarDate is the one chinese-days conversion that is right in every process time zone
  // (getSolarDateFromLunar and getSolarTermDate shift by a day west of UTC), so walk with it:
  // jump towards the end of the probe's lunar month until the wanted (non-leap) month is reached.
  for (let guard = 0; guard < 24; guard++) {
    const lunar = chineseDays.getLunarDate(formatDayNumber(probe));
    if (lunar.lunarYear === lunarYear && lunar.lunarMon === month && !lunar.isLeap) {
      if (lunar.lunarDay > day) break;
      return probe + day - lunar.lunarDay;
    }
    probe += Math.max(1, 29 - lunar.lunarDay);
  }
  throw new Error(`lunar date ${lunarYear}-${month}-${day} not found`);
}

/** 清明 of a year 2001–2100: the 寿星 formula with chinese-days' 21st-century constant (C = 4.81). */
function qingmingDay(year: number): number {
  const y = year % 100;
  return parseLocalDate(`${year}-04-0${Math.floor(y * 0.2422 + 4.81) - Math.floor(y / 4)}`);
}

function fixedDays(year: number, month: number, days: readonly number[]): number[] {
  const mm = String(month).padStart(2, '0');
  return days.map((d) => parseLocalDate(`${year}-${mm}-${String(d).padStart(2, '0')}`));
}

const lawCache = new Map<number, readonly StatutoryDay[]>();

/**
 * Statutory holidays of a year by 全国年节及纪念日放假办法 (2024 amendment), with the substitute days
 * off of its Art. 6 (假日适逢周六、周日，应当在工作日补假) and no 调休, which only a State Council
 * notice can set. Sorted by date.
 */
export function statutoryHolidaysByLaw(year: number): readonly StatutoryDay[] {
  if (!Number.isInteger(year) || year < LAW_FIRST_YEAR || year > 2100) {
    throw new CalendarError('calendar.invalid_argument', {
      zh: `仅能按法规推算 ${LAW_FIRST_YEAR}–2100 年的节假日`,
      en: `Holidays follow from the law only for ${LAW_FIRST_YEAR}–2100`,
    });
  }
  const cached = lawCache.get(year);
  if (cached) return cached;

  const newYear = parseLocalDate(`${year}-01-01`);
  const lunarNewYear = lunarToDayNumber(year, 1, 1, newYear + 14);
  // Art. 2: 春节 4 days = 除夕 (the eve, last day of the 12th lunar month) and 正月初一 to 初三.
  const festivals: { name: Text; days: number[] }[] = [
    { name: FESTIVALS.newYear, days: [newYear] },
    { name: FESTIVALS.springFestival, days: [0, 1, 2, 3].map((i) => lunarNewYear - 1 + i) },
    { name: FESTIVALS.qingming, days: [qingmingDay(year)] },
    { name: FESTIVALS.labourDay, days: fixedDays(year, 5, [1, 2]) },
    { name: FESTIVALS.dragonBoat, days: [lunarToDayNumber(year, 5, 5, newYear + 120)] },
    { name: FESTIVALS.midAutumn, days: [lunarToDayNumber(year, 8, 15, newYear + 231)] },
    { name: FESTIVALS.nationalDay, days: fixedDays(year, 10, [1, 2, 3]) },
  ].sort((a, b) => (a.days[0] as number) - (b.days[0] as number));

  const off = new Map<number, StatutoryDay>();
  for (const { name, days } of festivals) {
    for (const day of days) {
      // A day two festivals share (中秋 on 国庆) carries both names.
      const shared = off.get(day)?.name;
      off.set(day, {
        date: formatDayNumber(day),
        name: shared ? { zh: `${shared.zh}、${name.zh}`, en: `${shared.en}, ${name.en}` } : name,
        substitute: false,
      });
    }
  }
  // Substitutes go to the first free weekdays after the festival; a day shared by two festivals
  // (中秋 on 国庆) is a lost day too, as in the 2020 schedule.
  const claimed = new Set<number>();
  for (const { name, days } of festivals) {
    let owed = days.filter((day) => isWeekend(day) || claimed.has(day)).length;
    days.forEach((day) => claimed.add(day));
    let cursor = days[days.length - 1] as number;
    while (owed > 0) {
      cursor++;
      if (isWeekend(cursor) || off.has(cursor)) continue;
      off.set(cursor, {
        date: formatDayNumber(cursor),
        name: { zh: `${name.zh}补假`, en: `${name.en} (substitute day off)` },
        substitute: true,
      });
      owed--;
    }
  }
  const result = [...off.entries()].sort(([a], [b]) => a - b).map(([, day]) => day);
  lawCache.set(year, result);
  return result;
}

function optionsError(en: string, zh: string): CalendarError {
  return new CalendarError('calendar.invalid_options', { zh, en });
}

function checkedRange(range: CalendarRange): [number, number] {
  const first = parseLocalDate(range.start);
  const last = parseLocalDate(range.end);
  if (first > last) {
    throw optionsError(
      `Calendar range ${range.start}..${range.end} ends before it starts`,
      `日历范围 ${range.start}..${range.end} 的结束早于开始`,
    );
  }
  if (first < parseLocalDate(MAX_RANGE.start) || last > parseLocalDate(MAX_RANGE.end)) {
    throw optionsError(
      `Calendar range must lie within ${MAX_RANGE.start}..${MAX_RANGE.end}`,
      `日历范围须在 ${MAX_RANGE.start}..${MAX_RANGE.end} 之内`,
    );
  }
  return [first, last];
}

/**
 * Resolves every day of a range once: weekends, the chinese-days schedule up to
 * BASE_DATA_LAST_YEAR, the law for later years (provisional unless published), then overrides.
 */
export function buildDayTable(options: DayTableOptions): DayTable {
  const [first, last] = checkedRange(options.range);
  const length = last - first + 1;
  const kinds = new Uint8Array(length);
  const provisional = new Uint8Array(length);
  const names = new Map<number, Text>();
  const inRange = (day: number) => day >= first && day <= last;

  for (let i = 0; i < length; i++) {
    kinds[i] = isWeekend(first + i) ? KIND_CODE.weekend : KIND_CODE.workday;
  }
  for (const [date, value] of Object.entries(HOLIDAY_DATA)) {
    const day = parseLocalDate(date);
    if (!inRange(day)) continue;
    kinds[day - first] = KIND_CODE.holiday;
    names.set(day - first, dataName(value));
  }
  for (const [date, value] of Object.entries(WORKDAY_DATA)) {
    const day = parseLocalDate(date);
    if (!inRange(day)) continue;
    kinds[day - first] = isWeekend(day) ? KIND_CODE.makeup : KIND_CODE.workday;
    names.set(day - first, dataName(value));
  }

  const published = new Set(options.publishedYears ?? []);
  for (const year of published) {
    if (!Number.isInteger(year)) {
      throw optionsError(`Published year ${year} is not an integer`, `已公布年份 ${year} 不是整数`);
    }
  }
  const firstYear = Number(formatDayNumber(first).slice(0, 4));
  const lastYear = Number(formatDayNumber(last).slice(0, 4));
  for (let year = Math.max(firstYear, BASE_DATA_LAST_YEAR + 1); year <= lastYear; year++) {
    for (const holiday of statutoryHolidaysByLaw(year)) {
      const day = parseLocalDate(holiday.date);
      if (!inRange(day)) continue;
      kinds[day - first] = KIND_CODE.holiday;
      names.set(day - first, holiday.name);
    }
    if (published.has(year)) continue;
    const from = Math.max(first, parseLocalDate(`${year}-01-01`));
    const to = Math.min(last, parseLocalDate(`${year}-12-31`));
    provisional.fill(1, from - first, to - first + 1);
  }

  for (const override of options.overrides ?? []) {
    const day = parseLocalDate(override.date);
    if (override.kind !== 'workday' && override.kind !== 'holiday') {
      throw optionsError(
        `Override for ${override.date} has kind ${JSON.stringify(override.kind)}: expected workday or holiday`,
        `${override.date} 的调整类型应为 workday 或 holiday`,
      );
    }
    // Overrides outside the range cannot change any answer, and a region's list may reach back further.
    if (!inRange(day)) continue;
    const i = day - first;
    // Copied, so the caller's objects and the table never alias each other.
    const name = override.name && { zh: override.name.zh, en: override.name.en };
    if (override.kind === 'holiday') {
      kinds[i] = KIND_CODE.holiday;
      // A nameless local holiday on a national one keeps the national name.
      if (name) names.set(i, name);
    } else {
      kinds[i] = isWeekend(day) ? KIND_CODE.makeup : KIND_CODE.workday;
      if (name) names.set(i, name);
      else names.delete(i);
    }
    // The override itself is a published fact even in a year whose schedule is not.
    provisional[i] = 0;
  }
  return { firstDay: first, length, kinds, provisional, names };
}
