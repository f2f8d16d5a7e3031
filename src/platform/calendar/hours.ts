import type { Text } from '../i18n';
import { CalendarError, type BusinessHours } from './model';

const CLOCK = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const MINUTE_MS = 60_000;

/** Business hours compiled to milliseconds after local midnight, for constant-time arithmetic. */
export interface BusinessDay {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  /** Business time before interval i starts, so a position inside a day is found without a scan over days. */
  readonly before: readonly number[];
  /** Business time of one working day (7 h by default). */
  readonly dailyMs: number;
  /** End of the last interval: when a day-counted period expires (办公时间结束). */
  readonly closeMs: number;
}

function clockMinutes(value: unknown): number | undefined {
  const match = typeof value === 'string' ? CLOCK.exec(value) : null;
  if (!match) return undefined;
  return match[3] ? 24 * 60 : Number(match[1]) * 60 + Number(match[2]);
}

/** Problems with a business-hours value, empty when it is valid: sorted, non-overlapping 'HH:MM' pairs. */
export function validateBusinessHours(value: unknown): Text[] {
  if (!Array.isArray(value) || value.length === 0) {
    return [
      {
        zh: '办公时间应为非空的时段列表，如 [["09:00","12:00"]]',
        en: 'Business hours must be a non-empty list of intervals, e.g. [["09:00","12:00"]]',
      },
    ];
  }
  const problems: Text[] = [];
  let previousEnd = 0;
  value.forEach((interval: unknown, i) => {
    const pair = Array.isArray(interval) && interval.length === 2 ? interval : undefined;
    const start = clockMinutes(pair?.[0]);
    const end = clockMinutes(pair?.[1]);
    if (start === undefined || end === undefined || start === 24 * 60) {
      problems.push({
        zh: `第 ${i + 1} 个时段应为 ["HH:MM","HH:MM"]（结束可为 24:00）`,
        en: `Interval ${i + 1} must be ["HH:MM","HH:MM"] (the end may be 24:00)`,
      });
      return;
    }
    if (end <= start) {
      problems.push({
        zh: `第 ${i + 1} 个时段的结束应晚于开始`,
        en: `Interval ${i + 1} must end after it starts`,
      });
    } else if (start < previousEnd) {
      problems.push({
        zh: `第 ${i + 1} 个时段与前一时段重叠或顺序颠倒`,
        en: `Interval ${i + 1} overlaps the previous one or is out of order`,
      });
    }
    previousEnd = Math.max(previousEnd, end);
  });
  return problems;
}

/** Compiles validated business hours; throws CalendarError listing the problems otherwise. */
export function compileBusinessHours(hours: BusinessHours): BusinessDay {
  const problems = validateBusinessHours(hours);
  if (problems.length > 0) {
    throw new CalendarError(
      'calendar.invalid_business_hours',
      { zh: '办公时间设置无效', en: 'Invalid business hours' },
      problems,
    );
  }
  const starts = hours.map(([start]) => (clockMinutes(start) as number) * MINUTE_MS);
  const ends = hours.map(([, end]) => (clockMinutes(end) as number) * MINUTE_MS);
  const before: number[] = [];
  let total = 0;
  starts.forEach((start, i) => {
    before.push(total);
    total += (ends[i] as number) - start;
  });
  return { starts, ends, before, dailyMs: total, closeMs: ends[ends.length - 1] as number };
}

/** Business time of a working day that has passed at `msOfDay` after local midnight. */
export function workedBefore(day: BusinessDay, msOfDay: number): number {
  let worked = 0;
  for (let i = 0; i < day.starts.length; i++) {
    const start = day.starts[i] as number;
    if (msOfDay <= start) break;
    worked += Math.min(msOfDay, day.ends[i] as number) - start;
  }
  return worked;
}

/**
 * The earliest moment of a working day, in ms after midnight, at which `worked` business time has
 * passed; `worked` is in (0, dailyMs], so a total that fills a morning ends at 12:00, not 13:00.
 */
export function momentOfWorked(day: BusinessDay, worked: number): number {
  let i = day.starts.length - 1;
  while (i > 0 && (day.before[i] as number) >= worked) i--;
  return (day.starts[i] as number) + worked - (day.before[i] as number);
}
