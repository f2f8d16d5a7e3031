import type { Text } from '../i18n';

/** A calendar date in Asia/Shanghai, written 'YYYY-MM-DD'. */
export type LocalDate = string;

/** How a day counts: an ordinary weekday, a weekend, a holiday, or a weekend made a working day (调休上班). */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup';

/** What the calendar knows about one local date. */
export interface DayInfo {
  date: LocalDate;
  working: boolean;
  kind: DayKind;
  /** The festival or local rule behind a holiday or make-up day. */
  name?: Text;
  /** True when the day comes from the law, not from a published schedule (未公布放假安排的年份). */
  provisional: boolean;
}

/** A computed deadline and whether it rests on a year whose schedule is not yet published. */
export interface Deadline {
  due: Date;
  provisional: boolean;
}

/** A per-region correction that beats the national data, e.g. a local holiday or a newly published schedule. */
export interface CalendarOverride {
  date: LocalDate;
  kind: 'workday' | 'holiday';
  name?: Text;
}

/** Business intervals of a working day as local 'HH:MM' pairs, e.g. [['09:00', '12:00'], ['13:00', '17:00']]. */
export type BusinessHours = readonly (readonly [string, string])[];

/** The first and last local dates a calendar answers for, both inclusive. */
export interface CalendarRange {
  start: LocalDate;
  end: LocalDate;
}

/** Options of createWorkCalendar; everything is optional. */
export interface WorkCalendarOptions {
  /** Applied in order, so a later entry for the same date wins (e.g. province list, then city list). */
  overrides?: readonly CalendarOverride[];
  businessHours?: BusinessHours;
  /** Years beyond the base data whose official schedule has been loaded as overrides. */
  publishedYears?: readonly number[];
  range?: CalendarRange;
}

/** Stable codes of calendar errors, for the HTTP layer to map to 422 and friends. */
export type CalendarErrorCode =
  | 'calendar.invalid_date'
  | 'calendar.invalid_argument'
  | 'calendar.invalid_business_hours'
  | 'calendar.invalid_options'
  | 'calendar.out_of_range';

/** A calendar failure with a stable code and a bilingual message. */
export class CalendarError extends Error {
  override readonly name = 'CalendarError';

  constructor(
    readonly code: CalendarErrorCode,
    readonly text: Text,
    readonly details?: readonly Text[],
  ) {
    super(text.en);
  }
}

/** Default business hours: 09:00–12:00 and 13:00–17:00, 7 hours a day. */
export const DEFAULT_BUSINESS_HOURS: BusinessHours = [
  ['09:00', '12:00'],
  ['13:00', '17:00'],
];

/** Default supported range: the first year of the chinese-days data to the end of the century. */
export const DEFAULT_RANGE: CalendarRange = { start: '2004-01-01', end: '2099-12-31' };

/** The widest range allowed: no data before 2004; the lunar tables of chinese-days stop at 2100. */
export const MAX_RANGE: CalendarRange = { start: '2004-01-01', end: '2100-12-31' };

/** Internal day-kind codes, one byte per day in DayTable.kinds. */
export const KIND_CODE = { workday: 0, weekend: 1, holiday: 2, makeup: 3 } as const;

/** DayKind by its code. */
export const KIND_BY_CODE: readonly DayKind[] = ['workday', 'weekend', 'holiday', 'makeup'];

/** Whether a kind code is a working day: ordinary weekdays and make-up days. */
export function isWorkingCode(code: number): boolean {
  return code === KIND_CODE.workday || code === KIND_CODE.makeup;
}

/**
 * The resolved days of a calendar's range, one entry per day from `firstDay` (days since
 * 1970-01-01 in Shanghai). Shared read-only with the naive oracle and exports; do not write to it.
 */
export interface DayTable {
  readonly firstDay: number;
  readonly length: number;
  readonly kinds: Uint8Array;
  readonly provisional: Uint8Array;
  /** Names of holidays and make-up days, by index into the table. */
  readonly names: ReadonlyMap<number, Text>;
}
