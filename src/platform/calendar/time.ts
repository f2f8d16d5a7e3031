import { CalendarError, type LocalDate } from './model';

/** Milliseconds in a day; every Shanghai day has exactly this many (no DST since 1991). */
export const DAY_MS = 86_400_000;

/** Asia/Shanghai is UTC+08:00 all year, so a fixed offset is exact and needs no tz database. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** Days since 1970-01-01 of the Shanghai calendar date the instant falls on. */
export function dayNumberOf(instant: Date): number {
  return Math.floor((instantMs(instant) + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** Milliseconds since the epoch of a valid Date; throws on anything else. */
export function instantMs(instant: Date): number {
  const ms = instant instanceof Date ? instant.getTime() : NaN;
  if (!Number.isFinite(ms)) {
    throw new CalendarError('calendar.invalid_date', {
      zh: '时间无效',
      en: 'Invalid instant: expected a valid Date',
    });
  }
  return ms;
}

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date; rejects impossible dates such as 2025-02-29. */
export function parseLocalDate(value: LocalDate): number {
  const match = typeof value === 'string' ? LOCAL_DATE.exec(value) : null;
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    // Checked by hand because Date.UTC silently rolls 02-30 over to March and maps years 0–99 to 19xx.
    if (year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) {
      return Date.UTC(year, month - 1, day) / DAY_MS;
    }
  }
  throw new CalendarError('calendar.invalid_date', {
    zh: `日期无效：${String(value)}，应为 YYYY-MM-DD`,
    en: `Invalid date ${JSON.stringify(value)}: expected YYYY-MM-DD`,
  });
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The 'YYYY-MM-DD' form of a day number. */
export function formatDayNumber(dayNumber: number): LocalDate {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** Day of the week of a day number: 0 Sunday … 6 Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** Whether a day number is a Saturday or Sunday. */
export function isWeekend(dayNumber: number): boolean {
  const weekday = weekdayOf(dayNumber);
  return weekday === 0 || weekday === 6;
}

/** The Shanghai calendar date an instant falls on. */
export function toLocalDate(instant: Date): LocalDate {
  return formatDayNumber(dayNumberOf(instant));
}

/** The instant of a Shanghai wall-clock time, e.g. atLocalTime('2025-09-30', '16:30'). */
export function atLocalTime(date: LocalDate, time = '00:00'): Date {
  const match = LOCAL_TIME.exec(time);
  if (!match) {
    throw new CalendarError('calendar.invalid_argument', {
      zh: `时刻无效：${time}，应为 HH:MM 或 HH:MM:SS`,
      en: `Invalid time ${JSON.stringify(time)}: expected HH:MM or HH:MM:SS`,
    });
  }
  const seconds = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0);
  return new Date(parseLocalDate(date) * DAY_MS + seconds * 1000 - SHANGHAI_OFFSET_MS);
}

/** ISO 8601 in Shanghai time with its offset, e.g. '2026-10-09T17:00:00+08:00' (milliseconds only when set). */
export function toOffsetIso(instant: Date): string {
  const iso = new Date(instantMs(instant) + SHANGHAI_OFFSET_MS).toISOString();
  const millis = iso.slice(19, 23);
  return `${iso.slice(0, 19)}${millis === '.000' ? '' : millis}+08:00`;
}
