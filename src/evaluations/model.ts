// The rules of 好差评, pure: who may rate what and when, what a rating must say, which ratings
// open a rectification, and how a rectification moves and who moves it.
import type { Actor, Role } from '../platform/auth/model';
import type { FieldProblem } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import {
  BAD_AT_MOST,
  BAD_TAGS,
  GOOD_TAGS,
  LEVELS,
  RECTIFICATION_STATES,
  type Level,
  type RectificationAction,
  type RectificationState,
} from './codes';

function text(zh: string, en: string): Text {
  return { zh, en };
}

/** Whether a level is a bad rating (差评), which opens a rectification. */
export function isBad(level: number): boolean {
  return level <= BAD_AT_MOST;
}

/** The label of a tag, whichever set it is in. */
export function tagLabel(key: string): Text {
  return (
    (GOOD_TAGS as Record<string, Text>)[key] ??
    (BAD_TAGS as Record<string, Text>)[key] ?? { zh: key, en: key }
  );
}

/**
 * What is wrong with a rating's content: a level of the scheme, tags of the level's set (praise
 * for 3–5, complaints for 1–2), each once, and a reason for a bad rating (a tag or a comment).
 */
export function ratingProblems(input: {
  level: number;
  tags: readonly string[];
  comment?: string | null;
}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!(LEVELS as readonly number[]).includes(input.level)) {
    problems.push({
      path: 'body.level',
      rule: 'level',
      message: text(
        '评价等级应为 1（非常不满意）至 5（非常满意）',
        'level must be 1 (very dissatisfied) to 5 (very satisfied)',
      ),
    });
    return problems;
  }
  const allowed = isBad(input.level) ? BAD_TAGS : GOOD_TAGS;
  input.tags.forEach((tag, i) => {
    if (!(tag in allowed)) {
      problems.push({
        path: `body.tags.${i}`,
        rule: 'tag',
        message: isBad(input.level)
          ? text(`标签 ${tag} 不是差评理由`, `${tag} is not a reason for a bad rating`)
          : text(`标签 ${tag} 不是好评理由`, `${tag} is not a reason for a good rating`),
      });
    } else if (input.tags.indexOf(tag) !== i) {
      problems.push({
        path: `body.tags.${i}`,
        rule: 'unique',
        message: text(`标签 ${tag} 重复`, `tag ${tag} is given twice`),
      });
    }
  });
  if (isBad(input.level) && input.tags.length === 0 && !input.comment?.trim()) {
    problems.push({
      path: 'body.tags',
      rule: 'reason_required',
      message: text(
        '不满意的评价请至少选择一个理由或写下意见，以便整改',
        'a bad rating needs a reason (a tag or a comment) so that it can be put right',
      ),
    });
  }
  return problems;
}

/** A service as the rating rules see it. */
export interface RateableFacts {
  subjectId: string | null;
  completedAt: Date;
  rateUntil: Date;
}

/** Why a service cannot be rated now: not completed yet, or its rating period is over. */
export function timeRefusal(
  service: RateableFacts,
  now: Date,
): 'not_completed' | 'too_late' | null {
  if (now < service.completedAt) return 'not_completed';
  if (now > service.rateUntil) return 'too_late';
  return null;
}

/** Why a subject may not rate a service now (only the person served may), or null when they may. */
export function ratingRefusal(
  service: RateableFacts,
  raterSubjectId: string | null,
  now: Date,
): 'not_yours' | 'not_completed' | 'too_late' | null {
  if (service.subjectId === null || service.subjectId !== raterSubjectId) return 'not_yours';
  return timeRefusal(service, now);
}

// ---------------------------------------------------------------------------------------------
// Rectification (差评整改)
// ---------------------------------------------------------------------------------------------

/** Where each action leads from each state it is allowed in. */
export const RECTIFICATION_TRANSITIONS: Record<
  RectificationAction,
  Partial<Record<RectificationState, RectificationState>>
> = {
  submit: { open: 'submitted' },
  approve: { submitted: 'answered' },
  return: { submitted: 'open' },
  appeal: { open: 'appealed' },
  uphold: { appealed: 'dismissed' },
  reject: { appealed: 'open' },
  verdict: { answered: 'closed' },
};

/** Staff of the answerable unit who rectify: its window clerks, reviewers, operators, handlers. */
export const UNIT_ROLES: readonly Role[] = ['clerk', 'reviewer', 'operator', 'handler'];

/** Who takes each action: the unit, the supervisor (or an administrator), or the rater. */
export const ACTION_BY: Record<RectificationAction, 'unit' | 'supervisor' | 'rater'> = {
  submit: 'unit',
  appeal: 'unit',
  approve: 'supervisor',
  return: 'supervisor',
  uphold: 'supervisor',
  reject: 'supervisor',
  verdict: 'rater',
};

/** The state an action leads to, or null when the state does not allow it. */
export function nextRectificationState(
  state: RectificationState,
  action: RectificationAction,
): RectificationState | null {
  return RECTIFICATION_TRANSITIONS[action][state] ?? null;
}

/** The facts that decide who may act on a rectification. */
export interface RectificationAccess {
  /** The actor is staff of the answerable unit (their department is it). */
  ofUnit: boolean;
  /** The rectification is in the actor's region or below it. */
  inRegion: boolean;
}

/** Whether the actor may see a rectification: its unit, supervisors of its region, admins. */
export function canSeeRectification(actor: Pick<Actor, 'role'>, access: RectificationAccess) {
  if (actor.role === 'admin') return true;
  if (actor.role === 'supervisor') return access.inRegion;
  return UNIT_ROLES.includes(actor.role) && access.ofUnit;
}

/** The staff actions the actor may take now (the rater's verdict is decided elsewhere). */
export function allowedRectificationActions(
  actor: Pick<Actor, 'role'>,
  access: RectificationAccess,
  state: RectificationState,
): RectificationAction[] {
  return (Object.keys(RECTIFICATION_TRANSITIONS) as RectificationAction[]).filter((action) => {
    if (!nextRectificationState(state, action)) return false;
    const by = ACTION_BY[action];
    if (by === 'unit') return UNIT_ROLES.includes(actor.role) && access.ofUnit;
    if (by === 'supervisor') {
      return actor.role === 'admin' || (actor.role === 'supervisor' && access.inRegion);
    }
    return false;
  });
}

/** The label of a state. */
export function stateLabel(state: RectificationState): Text {
  return RECTIFICATION_STATES[state];
}

/** Whether a level is one of the scheme's. */
export function isLevel(value: number): value is Level {
  return (LEVELS as readonly number[]).includes(value);
}
