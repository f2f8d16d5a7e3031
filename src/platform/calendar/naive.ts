// The obvious day-by-day algorithms over a calendar's public answers: the oracle the tests compare
// the prefix-sum arithmetic with, and the baseline of bench/calendar.ts. They share no arithmetic
// with calendar.ts: dates advance as 'YYYY-MM-DD' strings and instants come from Date.parse.
import type { WorkCalendar } from './calendar';
import type { Deadline, LocalDate } from './model';

const HOUR_MS = 3_600_000;

function localDateOf(instant: Date): LocalDate {
  return new Date(instant.getTime() + 8 * HOUR_MS).toISOString().slice(0, 10);
}

function nextDate(date: LocalDate): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 24 * HOUR_MS).toISOString().slice(0, 10);
}

function localInstant(date: LocalDate, clock: string): number {
  // '24:00' is a valid interval end but not every parser's favourite, so add minutes to midnight.
  const [hh, mm] = clock.split(':').map(Number);
  return Date.parse(`${date}T00:00:00+08:00`) + ((hh as number) * 60 + (mm as number)) * 60_000;
}

/** Reference addWorkingDays: walks day by day from the start's local date. */
export function naiveAddWorkingDays(calendar: WorkCalendar, start: Date, n: number): Deadline {
  let date = localDateOf(start);
  let info = calendar.dayInfo(date);
  let provisional = n === 0 && info.provisional;
  let remaining = n === 0 && !info.working ? 1 : n;
  while (remaining > 0) {
    date = nextDate(date);
    info = calendar.dayInfo(date);
    provisional ||= info.provisional;
    if (info.working) remaining--;
  }
  const close = calendar.businessHours[calendar.businessHours.length - 1]?.[1] ?? '17:00';
  return { due: new Date(localInstant(date, close)), provisional };
}

/** Reference addWorkingHours: walks business intervals day by day, consuming the hours. */
export function naiveAddWorkingHours(calendar: WorkCalendar, start: Date, hours: number): Deadline {
  let remaining = Math.round(hours * HOUR_MS);
  let date = localDateOf(start);
  let info = calendar.dayInfo(date);
  let provisional = info.provisional;
  if (remaining === 0) return { due: new Date(start.getTime()), provisional };
  for (;;) {
    if (info.working) {
      for (const [from, to] of calendar.businessHours) {
        const begin = Math.max(localInstant(date, from), start.getTime());
        const end = localInstant(date, to);
        if (end <= begin) continue;
        if (end - begin >= remaining) return { due: new Date(begin + remaining), provisional };
        remaining -= end - begin;
      }
    }
    date = nextDate(date);
    info = calendar.dayInfo(date);
    provisional ||= info.provisional;
  }
}

/** Reference countWorkingDays: counts working days in (from's date, to's date], negated when reversed. */
export function naiveCountWorkingDays(calendar: WorkCalendar, from: Date, to: Date): number {
  let [date, last] = [localDateOf(from), localDateOf(to)];
  const sign = date <= last ? 1 : -1;
  if (sign < 0) [date, last] = [last, date];
  let count = 0;
  while (date < last) {
    date = nextDate(date);
    if (calendar.isWorkingDay(date)) count++;
  }
  return count === 0 ? 0 : sign * count; // never -0
}
