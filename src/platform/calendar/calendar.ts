import { buildDayTable } from './holidays';
import { compileBusinessHours, momentOfWorked, workedBefore } from './hours';
import {
  CalendarError,
  DEFAULT_BUSINESS_HOURS,
  DEFAULT_RANGE,
  KIND_BY_CODE,
  isWorkingCode,
  type BusinessHours,
  type CalendarRange,
  type DayInfo,
  type DayTable,
  type Deadline,
  type LocalDate,
  type WorkCalendarOptions,
} from './model';
import { DAY_MS, SHANGHAI_OFFSET_MS, instantMs, parseLocalDate } from './time';

/** A working-day calendar of one region: national data, the law for later years, and overrides. */
export interface WorkCalendar {
  readonly range: CalendarRange;
  readonly businessHours: BusinessHours;
  /** The resolved days, shared read-only (for the naive oracle, exports and month views). */
  readonly days: DayTable;
  /** Whether a local date is a working day (工作日). */
  isWorkingDay(date: LocalDate): boolean;
  /** Kind, name and provisional flag of a local date. */
  dayInfo(date: LocalDate): DayInfo;
  /**
   * Close of business of the nth working day after the start's local date; the start day is never
   * counted (期间开始的当日不计入). n = 0: close of business of the start day if it is a working day
   * (even when the start is later that evening), else of the next working day.
   */
  addWorkingDays(start: Date, n: number): Deadline;
  /**
   * The earliest moment by which `hours` of business time (fractions allowed, counted to the
   * millisecond) have passed since start; time outside business intervals does not count.
   */
  addWorkingHours(start: Date, hours: number): Deadline;
  /**
   * Working days after from's local date up to and including to's; negative (minus the working
   * days after to's date up to and including from's) when to is earlier. Inverse of addWorkingDays.
   */
  countWorkingDays(from: Date, to: Date): number;
}

function argumentError(en: string, zh: string): CalendarError {
  return new CalendarError('calendar.invalid_argument', { zh, en });
}

/**
 * Builds a calendar once (about 35,000 days by default) so that every query is a few array reads:
 * a prefix sum of working days by day index and the index of every working day by its ordinal.
 */
export function createWorkCalendar(options: WorkCalendarOptions = {}): WorkCalendar {
  const range = { ...(options.range ?? DEFAULT_RANGE) };
  const businessHours = options.businessHours ?? DEFAULT_BUSINESS_HOURS;
  const business = compileBusinessHours(businessHours);
  const days = buildDayTable({ ...options, range });
  const { firstDay, length, kinds, provisional } = days;

  // workingBefore[i]: working days among indices < i; workingAt[k]: index of the (k+1)-th working day.
  const workingBefore = new Int32Array(length + 1);
  // provisionalBefore[i]: provisional days among indices < i, so "any provisional day in a span" is O(1).
  const provisionalBefore = new Int32Array(length + 1);
  for (let i = 0; i < length; i++) {
    workingBefore[i + 1] =
      (workingBefore[i] as number) + (isWorkingCode(kinds[i] as number) ? 1 : 0);
    provisionalBefore[i + 1] = (provisionalBefore[i] as number) + (provisional[i] as number);
  }
  const totalWorking = workingBefore[length] as number;
  const workingAt = new Int32Array(totalWorking);
  for (let i = 0, k = 0; i < length; i++) {
    if (isWorkingCode(kinds[i] as number)) workingAt[k++] = i;
  }

  const rangeText = `${range.start}..${range.end}`;
  const outOfRange = (what: string, whatZh: string) =>
    new CalendarError('calendar.out_of_range', {
      zh: `${whatZh}超出工作日历范围 ${rangeText}`,
      en: `${what} is outside the working-day calendar's range ${rangeText}`,
    });

  function indexOfInstant(instant: Date): number {
    const index = Math.floor((instantMs(instant) + SHANGHAI_OFFSET_MS) / DAY_MS) - firstDay;
    if (index < 0 || index >= length) throw outOfRange('The start or end', '起止时间');
    return index;
  }

  function indexOfDate(date: LocalDate): number {
    const index = parseLocalDate(date) - firstDay;
    if (index < 0 || index >= length) throw outOfRange(`Date ${date}`, `日期 ${date} `);
    return index;
  }

  function workingDayAt(ordinal: number): number {
    if (ordinal >= totalWorking) throw outOfRange('The deadline', '期限');
    return workingAt[ordinal] as number;
  }

  // Any provisional day among indices from..to (inclusive)?
  const anyProvisional = (from: number, to: number) =>
    (provisionalBefore[to + 1] as number) - (provisionalBefore[from] as number) > 0;

  const startOfIndex = (index: number) => (firstDay + index) * DAY_MS - SHANGHAI_OFFSET_MS;

  return {
    range,
    businessHours,
    days,

    isWorkingDay(date) {
      return isWorkingCode(kinds[indexOfDate(date)] as number);
    },

    dayInfo(date) {
      const index = indexOfDate(date);
      const code = kinds[index] as number;
      const name = days.names.get(index);
      return {
        date, // parseLocalDate accepts only the canonical form, so it needs no reformatting
        working: isWorkingCode(code),
        kind: KIND_BY_CODE[code] as DayInfo['kind'],
        ...(name ? { name } : {}),
        provisional: provisional[index] === 1,
      };
    },

    addWorkingDays(start, n) {
      if (!Number.isSafeInteger(n) || n < 0) {
        throw argumentError(
          `Working days must be a non-negative integer, got ${n}`,
          `工作日数应为非负整数，实际为 ${n}`,
        );
      }
      const index = indexOfInstant(start);
      const counted = workingBefore[index + 1] as number; // working days up to and including the start day
      const startWorking = isWorkingCode(kinds[index] as number);
      const ordinal = n === 0 ? (startWorking ? counted - 1 : counted) : counted + n - 1;
      const due = workingDayAt(ordinal);
      return {
        due: new Date(startOfIndex(due) + business.closeMs),
        // With n ≥ 1 the start day's own status cannot change the answer.
        provisional: anyProvisional(n === 0 ? index : index + 1, due),
      };
    },

    addWorkingHours(start, hours) {
      if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0) {
        throw argumentError(
          `Working hours must be a finite non-negative number, got ${hours}`,
          `工作小时数应为有限的非负数，实际为 ${hours}`,
        );
      }
      const startMs = instantMs(start);
      const index = indexOfInstant(start);
      const amount = Math.round(hours * 3_600_000);
      if (amount === 0) return { due: new Date(startMs), provisional: provisional[index] === 1 };
      const msOfDay = startMs - startOfIndex(index);
      // Business time since the first working day of the range: the start's position on a line
      // where each working day is dailyMs long, so the due day is a division, not a walk.
      const position =
        (workingBefore[index] as number) * business.dailyMs +
        (isWorkingCode(kinds[index] as number) ? workedBefore(business, msOfDay) : 0);
      const target = position + amount;
      const ordinal = Math.ceil(target / business.dailyMs) - 1;
      const due = workingDayAt(ordinal);
      const worked = target - ordinal * business.dailyMs;
      return {
        due: new Date(startOfIndex(due) + momentOfWorked(business, worked)),
        provisional: anyProvisional(index, due),
      };
    },

    countWorkingDays(from, to) {
      return (
        (workingBefore[indexOfInstant(to) + 1] as number) -
        (workingBefore[indexOfInstant(from) + 1] as number)
      );
    },
  };
}
