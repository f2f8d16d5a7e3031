import type { TimeLimit } from '../catalog';
import type { Actor } from '../platform/auth/model';
import type { WorkCalendar } from '../platform/calendar';
import { AppError } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import {
  CASE_ACTION_NAMES,
  CASE_STATES,
  type ApplicationProgress,
  type CaseAction,
  type CaseState,
  type SegmentKind,
  type WarningLevel,
} from './codes';
export {
  CASE_ACTION_NAMES,
  CASE_EVENT_LABELS,
  CASE_STATES,
  SEGMENT_LABELS,
  SUSPENSION_KINDS,
  type ApplicationProgress,
  type CaseAction,
  type CaseState,
  type SegmentKind,
  type WarningLevel,
} from './codes';

// The pure rules of department cases (子件): the state machine, who may act, the clock (due instants
// recomputed from the start and the stored suspension and extension segments on a working-day
// calendar), warning levels and release along the bundle's dependency graph. No SQL, no HTTP.

function text(zh: string, en: string): Text {
  return { zh, en };
}

/** States in which nothing more happens to a case. */
export const FINAL_STATES: readonly CaseState[] = ['result_issued', 'withdrawn', 'deemed_approved'];

/** States whose clock runs: the case is with the department. */
export const RUNNING_STATES: readonly CaseState[] = ['pending', 'accepted', 'in_review'];

/** States that release the cases waiting for this one. */
export const DONE_STATES: readonly CaseState[] = ['result_issued', 'deemed_approved'];

/** The state machine: states each action may start from, and where it leads (null: unchanged). */
export const CASE_TRANSITIONS: Record<CaseAction, { from: CaseState[]; to: CaseState | null }> = {
  accept: { from: ['pending'], to: 'accepted' },
  'start-review': { from: ['accepted'], to: 'in_review' },
  approve: { from: ['in_review'], to: 'approved' },
  deny: { from: ['in_review'], to: 'denied' },
  'issue-result': { from: ['approved', 'denied'], to: 'result_issued' },
  return: { from: ['accepted', 'in_review'], to: 'returned_for_correction' },
  // the state it resumes to is the one the suspension recorded
  resume: { from: ['returned_for_correction', 'suspended'], to: null },
  suspend: { from: ['accepted', 'in_review'], to: 'suspended' },
  extend: { from: ['accepted', 'in_review'], to: null },
  'approve-extension': { from: ['accepted', 'in_review', 'suspended'], to: null },
  // 督办: a supervisor presses the department on any case still open with it
  urge: {
    from: ['pending', 'accepted', 'in_review', 'approved', 'denied', 'suspended'],
    to: null,
  },
  // the applicant hands in the correction; the clock runs again from where it stopped
  correct: { from: ['returned_for_correction'], to: null },
  withdraw: {
    from: ['waiting', 'pending', 'accepted', 'in_review', 'returned_for_correction', 'suspended'],
    to: 'withdrawn',
  },
};

/** Roles who act on cases of their department, and those who approve extensions. */
export const CASE_ACTOR_ROLES: Record<CaseAction, 'reviewer' | 'supervisor' | 'applicant'> = {
  accept: 'reviewer',
  'start-review': 'reviewer',
  approve: 'reviewer',
  deny: 'reviewer',
  'issue-result': 'reviewer',
  return: 'reviewer',
  resume: 'reviewer',
  suspend: 'reviewer',
  extend: 'reviewer',
  'approve-extension': 'supervisor',
  urge: 'supervisor',
  withdraw: 'applicant',
  correct: 'applicant',
};

/** 409 `cases.invalid_state` naming the action and the state it was tried in. */
export function invalidCaseState(state: CaseState, action: CaseAction): AppError {
  const s = CASE_STATES[state];
  const name = CASE_ACTION_NAMES[action];
  return new AppError(409, 'cases.invalid_state', {
    zh: `子件当前状态为「${s.zh}」，不能${name.zh}`,
    en: `the case is ${s.en.toLowerCase()}; you cannot ${name.en} it now`,
  });
}

/**
 * The state an action leads to (the same state for those that do not move it); 409 when the state
 * does not allow it. `resumeTo` is the state a suspension recorded.
 */
export function checkCaseTransition(
  state: CaseState,
  action: CaseAction,
  resumeTo: CaseState | null = null,
): CaseState {
  const rule = CASE_TRANSITIONS[action];
  if (!rule.from.includes(state)) throw invalidCaseState(state, action);
  if (action === 'resume' || action === 'correct') return resumeTo ?? 'in_review';
  return rule.to ?? state;
}

/** What the access rules need to know of a case. */
export interface CaseAccessFacts {
  departmentCode: string;
  /** Whether the case's region is the actor's region or one below it. */
  inActorRegion: boolean;
}

/** Whether staff may see the case: its department's reviewers, supervisors of its region, admins. */
export function canSeeCase(
  actor: Actor,
  actorDepartment: string | null,
  c: CaseAccessFacts,
): boolean {
  if (actor.role === 'admin') return true;
  if (!c.inActorRegion) return false;
  if (actor.role === 'supervisor') return true;
  return actor.role === 'reviewer' && actorDepartment === c.departmentCode;
}

/** Whether the actor may take this action on a case they can see. */
export function canActOnCase(
  actor: Actor,
  actorDepartment: string | null,
  c: CaseAccessFacts,
  action: CaseAction,
): boolean {
  if (!canSeeCase(actor, actorDepartment, c)) return false;
  const role = CASE_ACTOR_ROLES[action];
  // the applicant's own withdrawal is checked against the application, not here
  if (role === 'applicant') return false;
  if (role === 'supervisor') return actor.role === 'supervisor';
  return actor.role === 'reviewer';
}

/** The actions the actor may take next on a case, for the buttons of the workbench. */
export function caseActions(
  actor: Actor,
  actorDepartment: string | null,
  c: CaseAccessFacts & { state: CaseState; pendingExtension: boolean },
): CaseAction[] {
  return (Object.keys(CASE_TRANSITIONS) as CaseAction[]).filter((action) => {
    if (!CASE_TRANSITIONS[action].from.includes(c.state)) return false;
    if (action === 'approve-extension' && !c.pendingExtension) return false;
    if (action === 'extend' && c.pendingExtension) return false;
    return canActOnCase(actor, actorDepartment, c, action);
  });
}

// ---------------------------------------------------------------------------------------------
// The clock
// ---------------------------------------------------------------------------------------------

/** A stored clock segment, as the due computation needs it. */
export interface ClockSegment {
  kind: SegmentKind;
  startedAt: Date;
  endedAt: Date | null;
  /** Extensions: the working days granted, counted only once approved. */
  days: number | null;
  approvedAt: Date | null;
}

/** Hours of a working day under the default business hours (09:00–12:00, 13:00–17:00). */
const HOURS_PER_DAY = 7;

/** The default share of the committed limit that is the yellow warning window (the last 20%). */
export const DEFAULT_WARN_FRACTION = 0.2;

/** The due instants of a case, or nulls while its clock is stopped. */
export interface CaseDue {
  committedDueAt: Date | null;
  statutoryDueAt: Date | null;
  warnAt: Date | null;
  provisional: boolean;
  /** Working days (or hours) not counted because the clock was stopped. */
  suspendedDays: number;
  suspendedHours: number;
  extensionDays: number;
  /** The clock is stopped now (an open suspension). */
  stopped: boolean;
}

/** Working hours between two instants (0 when `to` is not later), to the millisecond. */
export function workingHoursBetween(calendar: WorkCalendar, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  // Wall-clock hours bound the working hours; addWorkingHours is monotonic, so bisect on it.
  let lo = 0;
  let hi = (to.getTime() - from.getTime()) / 3_600_000;
  if (calendar.addWorkingHours(from, hi).due.getTime() <= to.getTime()) return hi;
  for (let i = 0; i < 60 && hi - lo > 1 / 3_600_000; i++) {
    const mid = (lo + hi) / 2;
    if (calendar.addWorkingHours(from, mid).due.getTime() <= to.getTime()) lo = mid;
    else hi = mid;
  }
  return Math.round(lo * 3_600_000) / 3_600_000;
}

/** A limit's deadline from a start, with days (or hours) added. */
function deadline(
  calendar: WorkCalendar,
  start: Date,
  limit: TimeLimit,
  addDays: number,
  addHours: number,
  extensionDays: number,
) {
  if (limit.unit === 'workdays')
    return calendar.addWorkingDays(start, limit.value + addDays + extensionDays);
  const base = calendar.addWorkingHours(start, limit.value + addHours);
  return extensionDays > 0 ? calendar.addWorkingDays(base.due, extensionDays) : base;
}

/**
 * The due instants of a case from its start and segments (行政许可法): working days after the start
 * day (the start day is not counted); the working days a suspension covered (补正, 听证, 检验检测,
 * 专家评审) are not counted; an approved extension adds its working days. Limits in hours count
 * suspended working hours instead. The yellow warning starts when `warnFraction` of the committed
 * limit is left. While a suspension is open the clock is stopped and every due is null.
 */
export function computeDue(
  calendar: WorkCalendar,
  startedAt: Date | null,
  committed: TimeLimit,
  statutory: TimeLimit | null,
  segments: readonly ClockSegment[],
  warnFraction = DEFAULT_WARN_FRACTION,
): CaseDue {
  let suspendedDays = 0;
  let suspendedHours = 0;
  let extensionDays = 0;
  let stopped = false;
  for (const s of segments) {
    if (s.kind === 'extension') {
      if (s.approvedAt) extensionDays += s.days ?? 0;
    } else if (!s.endedAt) {
      stopped = true;
    } else {
      suspendedDays += Math.max(0, calendar.countWorkingDays(s.startedAt, s.endedAt));
      suspendedHours += workingHoursBetween(calendar, s.startedAt, s.endedAt);
    }
  }
  const none = { suspendedDays, suspendedHours, extensionDays, stopped };
  if (!startedAt || stopped) {
    return {
      committedDueAt: null,
      statutoryDueAt: null,
      warnAt: null,
      provisional: false,
      ...none,
    };
  }
  const c = deadline(calendar, startedAt, committed, suspendedDays, suspendedHours, extensionDays);
  const s = statutory
    ? deadline(calendar, startedAt, statutory, suspendedDays, suspendedHours, extensionDays)
    : null;
  let warnAt: Date;
  if (committed.unit === 'workdays') {
    const total = committed.value + extensionDays;
    const before = Math.max(0, total - Math.max(1, Math.ceil(total * warnFraction)));
    // the start of the last working days: close of business of the day before them
    warnAt = calendar.addWorkingDays(startedAt, before + suspendedDays).due;
    if (before === 0) warnAt = startedAt;
  } else {
    const hours = committed.value + extensionDays * HOURS_PER_DAY;
    warnAt = calendar.addWorkingHours(startedAt, hours * (1 - warnFraction) + suspendedHours).due;
  }
  if (warnAt.getTime() > c.due.getTime()) warnAt = c.due;
  return {
    committedDueAt: c.due,
    statutoryDueAt: s?.due ?? null,
    warnAt,
    provisional: c.provisional || (s?.provisional ?? false),
    ...none,
  };
}

/** The warning level of an open case at an instant. */
export function warningLevel(
  due: Pick<CaseDue, 'warnAt' | 'committedDueAt'>,
  now: Date,
): WarningLevel {
  if (due.committedDueAt && now.getTime() > due.committedDueAt.getTime()) return 'red';
  if (due.warnAt && now.getTime() >= due.warnAt.getTime()) return 'yellow';
  return 'none';
}

/**
 * The next instant the sweep has something to record for an open case after `level` was
 * recorded: the warning instant, then the committed due; null when red or the clock is stopped.
 */
export function nextAlertAt(
  due: Pick<CaseDue, 'warnAt' | 'committedDueAt'>,
  level: WarningLevel,
): Date | null {
  if (!due.committedDueAt || !due.warnAt) return null;
  if (level === 'none') return due.warnAt;
  // red is recorded just after the committed due has passed
  if (level === 'yellow') return new Date(due.committedDueAt.getTime() + 1);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Fan-out and release
// ---------------------------------------------------------------------------------------------

/** The members of a case graph as release needs them. */
export interface GraphCase {
  memberKey: string;
  state: CaseState;
  after: readonly string[];
}

/**
 * The waiting cases that can start now: every member they wait for is done (result issued or
 * deemed approved). Members a case waits for that have no case of their own (not applicable to
 * this applicant) do not hold it back.
 */
export function releasable(cases: readonly GraphCase[]): string[] {
  const byKey = new Map(cases.map((c) => [c.memberKey, c]));
  return cases
    .filter((c) => c.state === 'waiting')
    .filter((c) =>
      c.after.every((key) => {
        const dep = byKey.get(key);
        return !dep || DONE_STATES.includes(dep.state);
      }),
    )
    .map((c) => c.memberKey);
}

/**
 * The waiting cases that can no longer start once `memberKey` is withdrawn: those that wait for
 * it, directly or through other waiting cases.
 */
export function stranded(cases: readonly GraphCase[], memberKey: string): string[] {
  const gone = new Set([memberKey]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of cases) {
      if (c.state !== 'waiting' || gone.has(c.memberKey)) continue;
      if (c.after.some((key) => gone.has(key))) {
        gone.add(c.memberKey);
        grew = true;
      }
    }
  }
  gone.delete(memberKey);
  return cases.filter((c) => gone.has(c.memberKey)).map((c) => c.memberKey);
}

/** The application's overall progress and expected completion from its cases. */
export function applicationProgress(
  cases: readonly { state: CaseState; committedDueAt: Date | null; results: unknown }[],
): { progress: ApplicationProgress; dueAt: Date | null } {
  if (cases.length === 0) return { progress: 'not_started', dueAt: null };
  const dues = cases.map((c) => c.committedDueAt?.getTime() ?? 0).filter((t) => t > 0);
  const dueAt = dues.length > 0 ? new Date(Math.max(...dues)) : null;
  if (cases.every((c) => c.state === 'withdrawn')) return { progress: 'withdrawn', dueAt: null };
  if (cases.some((c) => c.state === 'denied' || deniedResult(c))) {
    if (cases.every((c) => FINAL_STATES.includes(c.state) || c.state === 'waiting')) {
      return { progress: 'denied', dueAt };
    }
  }
  if (cases.every((c) => FINAL_STATES.includes(c.state))) return { progress: 'completed', dueAt };
  return { progress: 'in_progress', dueAt };
}

function deniedResult(c: { state: CaseState; results: unknown }): boolean {
  return (
    c.state === 'result_issued' &&
    typeof c.results === 'object' &&
    c.results !== null &&
    (c.results as { decision?: string }).decision === 'denied'
  );
}

/** Who is awaited on a case in this state, for the applicant's timeline. */
export function awaited(state: CaseState): {
  who: 'department' | 'applicant' | 'none' | 'earlier';
  text: Text;
} {
  switch (state) {
    case 'waiting':
      return {
        who: 'earlier',
        text: text('等待前置事项办结', 'waiting for earlier items to finish'),
      };
    case 'pending':
    case 'accepted':
    case 'in_review':
      return { who: 'department', text: text('部门审查中', 'the department is reviewing') };
    case 'approved':
    case 'denied':
      return { who: 'department', text: text('部门出具结果', 'the department issues the result') };
    case 'returned_for_correction':
      return {
        who: 'applicant',
        text: text('请申请人补正材料', 'the applicant corrects the materials'),
      };
    case 'suspended':
      return {
        who: 'department',
        text: text(
          '听证、检验检测或专家评审中，不计入期限',
          'hearing, testing or expert review; not counted',
        ),
      };
    default:
      return { who: 'none', text: text('已办结', 'finished') };
  }
}
