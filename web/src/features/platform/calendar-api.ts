import type { Lang, Text } from '../../shell/i18n';
import { apiRequest } from './api';

// The working-day calendar over HTTP (src/platform/calendar/routes.ts).

/** How a day counts: an ordinary weekday, a weekend, a holiday, or a weekend made a working day (调休上班). */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup';

/** A region's own rule for one day (地方调整): a holiday, or a working day. */
export type OverrideKind = 'workday' | 'holiday';

/** One day of a region's calendar, as `GET /api/calendar/days` lists it. */
export interface CalendarDay {
  date: string;
  working: boolean;
  kind: DayKind;
  /** The festival or local rule behind a holiday or make-up day. */
  name?: Text;
  /** The day follows from the law, the official schedule of its year is not yet published. */
  provisional: boolean;
  /** The stored override in effect, set by this region or one of its ancestors. */
  override?: { regionCode: string; kind: OverrideKind; name: Text };
  /** The day as the national calendar has it, given when an override replaces it. */
  national?: { working: boolean; kind: DayKind; name?: Text };
}

/** A region of the public directory. */
export interface CalendarRegion {
  code: string;
  nameZh: string;
  nameEn: string;
  parentCode: string | null;
  level: string;
}

/** `GET /api/regions`. */
export async function fetchCalendarRegions(
  lang: Lang,
  signal?: AbortSignal,
): Promise<CalendarRegion[]> {
  return (await apiRequest<{ regions: CalendarRegion[] }>('/api/regions', { lang, signal }))
    .regions;
}

/** `GET /api/calendar/days`: the days from..to (local dates, both inclusive) of a region. */
export async function fetchCalendarDays(
  region: string,
  from: string,
  to: string,
  lang: Lang,
  signal?: AbortSignal,
): Promise<CalendarDay[]> {
  const query = new URLSearchParams({ region, from, to });
  return (
    await apiRequest<{ days: CalendarDay[] }>(`/api/calendar/days?${query}`, { lang, signal })
  ).days;
}

/** `PUT /api/calendar/overrides/{region}/{day}`: sets the region's holiday or working day. */
export function setCalendarOverride(
  region: string,
  day: string,
  body: { kind: OverrideKind; nameZh: string; nameEn: string },
  lang: Lang,
): Promise<void> {
  return apiRequest(`/api/calendar/overrides/${encodeURIComponent(region)}/${day}`, {
    method: 'PUT',
    body,
    lang,
  });
}

/** `DELETE /api/calendar/overrides/{region}/{day}`: the day follows the national calendar again. */
export function removeCalendarOverride(region: string, day: string, lang: Lang): Promise<void> {
  return apiRequest(`/api/calendar/overrides/${encodeURIComponent(region)}/${day}`, {
    method: 'DELETE',
    lang,
  });
}

/** A computed deadline. */
export interface CalendarDeadline {
  /** The due instant with its +08:00 offset. */
  due: string;
  provisional: boolean;
  region: string;
}

/** `GET /api/calendar/deadline`: close of business of the nth working day after `start`. */
export function fetchDeadline(
  region: string,
  start: string,
  workdays: number,
  lang: Lang,
  signal?: AbortSignal,
): Promise<CalendarDeadline> {
  const query = new URLSearchParams({ region, start, workdays: String(workdays) });
  return apiRequest(`/api/calendar/deadline?${query}`, { lang, signal });
}
