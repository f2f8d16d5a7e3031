// The reform-task ledger's rules (改革任务台账), pure: due dates from a measure's deadlines,
// reporting periods (周调度 weekly, 月报告 monthly), warnings on a given day, who may report on a
// task, and when a task may be ticked off (销号). Dates are Shanghai calendar dates (YYYY-MM-DD).
import type { Actor, Role } from '../platform/auth/model';
import { formatDayNumber, parseLocalDate, weekdayOf } from '../platform/calendar/time';
import type { Text } from '../platform/i18n';
import type { Deadline, Measure, SeedDocument } from './measures';

/** How a unit says its task stands in a progress report. */
export const REPORT_STATUSES = ['on_track', 'at_risk', 'delayed', 'completed'] as const;
/** One report status. */
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** A task is open until a supervisor ticks it off (销号). */
export const TASK_STATES = ['open', 'done'] as const;
/** One task state. */
export type TaskState = (typeof TASK_STATES)[number];

/** The warnings a task may carry on a day. */
export const WARNINGS = ['overdue', 'due_soon', 'unreported'] as const;
/** One warning. */
export type Warning = (typeof WARNINGS)[number];

/** How often a task's units report. */
export type Cadence = 'weekly' | 'monthly';

/** A task is 'due soon' this many calendar days ahead of its due date. */
export const DUE_SOON_DAYS = 14;
/**
 * Units report weekly (周调度) on a task due within this many days — or already overdue — and
 * monthly (月报告) otherwise, including on ongoing tasks (长期坚持, no due date).
 */
export const WEEKLY_WITHIN_DAYS = 60;

/** Names shown to people. */
export const REPORT_STATUS_LABELS: Record<ReportStatus, Text> = {
  on_track: { zh: '按计划推进', en: 'On track' },
  at_risk: { zh: '存在风险', en: 'At risk' },
  delayed: { zh: '进度滞后', en: 'Delayed' },
  completed: { zh: '已完成', en: 'Completed' },
};
export const WARNING_LABELS: Record<Warning, Text> = {
  overdue: { zh: '已逾期', en: 'Overdue' },
  due_soon: { zh: '即将到期', en: 'Due soon' },
  unreported: { zh: '本期未报', en: 'Not reported this period' },
};
export const STATE_LABELS: Record<TaskState, Text> = {
  open: { zh: '推进中', en: 'Open' },
  done: { zh: '已销号', en: 'Ticked off' },
};

/** The last dated deadline of a list, or null. */
export function lastDated(deadlines: readonly Deadline[]): string | null {
  const dated = deadlines.map((d) => d.date).filter((d): d is string => d !== null);
  return dated.length ? dated.sort().at(-1)! : null;
}

/**
 * A task's due date (完成时限): its own last dated deadline, else the document's goal deadline,
 * else null — an ongoing task (长期坚持 / 持续推进).
 */
export function dueOnOf(
  measure: Pick<Measure, 'deadlines'>,
  document: Pick<SeedDocument, 'goals'>,
) {
  return lastDated(measure.deadlines) ?? lastDated(document.goals.deadlines);
}

/** Days from one date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return parseLocalDate(to) - parseLocalDate(from);
}

/** The date a number of days after another. */
export function addDays(date: string, days: number): string {
  return formatDayNumber(parseLocalDate(date) + days);
}

/** How often a task's units report on a day: weekly near or past its due date, else monthly. */
export function cadenceOf(dueOn: string | null, today: string): Cadence {
  return dueOn !== null && daysBetween(today, dueOn) <= WEEKLY_WITHIN_DAYS ? 'weekly' : 'monthly';
}

/** The ISO 8601 week of a date as a period key, e.g. `2026-W48`. */
export function weekKey(date: string): string {
  const day = parseLocalDate(date);
  // The week belongs to the year of its Thursday (ISO 8601).
  const thursday = day - ((weekdayOf(day) + 6) % 7) + 3;
  const year = Number(formatDayNumber(thursday).slice(0, 4));
  const week = Math.floor((thursday - parseLocalDate(`${year}-01-01`)) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The month of a date as a period key, e.g. `2026-11`. */
export function monthKey(date: string): string {
  return date.slice(0, 7);
}

/** The key of the reporting period a day falls in for a cadence. */
export function periodKey(date: string, cadence: Cadence): string {
  return cadence === 'weekly' ? weekKey(date) : monthKey(date);
}

const WEEK = /^(\d{4})-W(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** The first day of a period (`2026-W48` → its Monday; `2026-11` → the 1st); null if malformed. */
export function periodStart(period: string): string | null {
  const week = WEEK.exec(period);
  if (week) {
    const [year, n] = [Number(week[1]), Number(week[2])];
    const jan4 = parseLocalDate(`${year}-01-04`);
    const monday = jan4 - ((weekdayOf(jan4) + 6) % 7) + (n - 1) * 7;
    if (n < 1 || weekKey(formatDayNumber(monday)) !== period) return null;
    return formatDayNumber(monday);
  }
  const month = MONTH.exec(period);
  if (month) {
    const n = Number(month[2]);
    return n >= 1 && n <= 12 ? `${period}-01` : null;
  }
  return null;
}

/** Why a period may not be reported on a day, or null when it may. */
export function periodProblem(period: string, today: string): 'format' | 'future' | null {
  const start = periodStart(period);
  if (start === null) return 'format';
  return start > today ? 'future' : null;
}

/** What the warnings of a day compare against, shared by the pure rule and the SQL filters. */
export interface WarningBounds {
  today: string;
  /** Open tasks due on or before this day, and not yet overdue, are due soon. */
  dueSoonUntil: string;
  /** Tasks due on or before this day report weekly. */
  weeklyUntil: string;
  week: string;
  month: string;
}

/** The bounds of the warnings on a day. */
export function warningBounds(today: string): WarningBounds {
  return {
    today,
    dueSoonUntil: addDays(today, DUE_SOON_DAYS),
    weeklyUntil: addDays(today, WEEKLY_WITHIN_DAYS),
    week: weekKey(today),
    month: monthKey(today),
  };
}

/** The facts of a task the warnings read. */
export interface TaskClock {
  state: TaskState;
  dueOn: string | null;
  /** Period of the task's latest report, null when none. */
  lastPeriod: string | null;
}

/**
 * A task's warnings on a day; a ticked-off task has none. Overdue: due date passed. Due soon:
 * due within DUE_SOON_DAYS. Unreported: no report for the current period of its cadence.
 */
export function warningsOf(task: TaskClock, today: string): Warning[] {
  if (task.state === 'done') return [];
  const warnings: Warning[] = [];
  if (task.dueOn !== null && task.dueOn < today) warnings.push('overdue');
  else if (task.dueOn !== null && daysBetween(today, task.dueOn) <= DUE_SOON_DAYS)
    warnings.push('due_soon');
  if (task.lastPeriod !== periodKey(today, cadenceOf(task.dueOn, today)))
    warnings.push('unreported');
  return warnings;
}

/** One report as the latest-report rule reads it. */
export interface ReportStamp {
  period: string;
  reportedAt: Date;
}

/**
 * The latest of a task's reports: the one for the latest period (by its first day), and among
 * reports of one period the last made — so a late report on a past period does not hide a newer one.
 */
export function latestReport<T extends ReportStamp>(reports: readonly T[]): T | null {
  let latest: T | null = null;
  for (const report of reports) {
    if (!latest) {
      latest = report;
      continue;
    }
    const [a, b] = [periodStart(report.period) ?? '', periodStart(latest.period) ?? ''];
    if (a > b || (a === b && report.reportedAt > latest.reportedAt)) latest = report;
  }
  return latest;
}

/** A unit a task names, with the department that reports for it (null: unmapped). */
export interface TaskUnit {
  name: string;
  role: 'lead' | 'responsible';
  departmentCode: string | null;
}

/** Roles that may tick a task off (销号) and reopen it. */
export const TICK_OFF_ROLES: readonly Role[] = ['supervisor', 'admin'];

/**
 * The units of a task the caller may report for: an administrator any unit; other staff the units
 * their department reports for (units.yaml); nobody else any.
 */
export function reportableUnits(
  actor: Pick<Actor, 'role'>,
  departmentCode: string | null,
  units: readonly TaskUnit[],
): string[] {
  if (actor.role === 'admin') return units.map((u) => u.name);
  if (actor.role === 'citizen' || actor.role === 'enterprise' || departmentCode === null) return [];
  return units.filter((u) => u.departmentCode === departmentCode).map((u) => u.name);
}

/** Whether the caller may tick tasks off and reopen them. */
export function canTickOff(actor: Pick<Actor, 'role'>): boolean {
  return TICK_OFF_ROLES.includes(actor.role);
}

/**
 * Why a task may not be ticked off, or null: it must be open and its latest report must say
 * 'completed' — a supervisor closes what a unit reported done, never a task nobody reported on.
 */
export function tickOffProblem(task: {
  state: TaskState;
  lastStatus: ReportStatus | null;
}): 'already_done' | 'completed_report' | null {
  if (task.state === 'done') return 'already_done';
  return task.lastStatus === 'completed' ? null : 'completed_report';
}
