// 差评整改: the answerable unit explains, fixes and answers a bad rating by its due instant; a
// supervisor approves (the answer goes to the rater) or returns it; a unit may appeal a rating it
// believes malicious, and a supervisor upholds (the rating is kept but flagged) or rejects it.
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import type { Kdb, Tx } from '../platform/db/database';
import { AppError, forbidden, notFound } from '../platform/http/errors';
import { invalidRequest } from '../platform/http/validation';
import type { Text } from '../platform/i18n';
import { notify } from '../platform/notify';
import { regionsUnder } from '../platform/regions';
import {
  CHANNEL_LABELS,
  LEVEL_LABELS,
  RECTIFICATION_ACTIONS,
  RECTIFICATION_STATES,
  SERVICE_KIND_LABELS,
  type Level,
  type RectificationAction,
} from './codes';
import {
  UNIT_ROLES,
  allowedRectificationActions,
  canSeeRectification,
  nextRectificationState,
  tagLabel,
  type RectificationAccess,
} from './model';
import * as store from './store';
import type { RatingRow, RectificationRow, ServiceRow } from './store';

const RECTIFICATION: Text = { zh: '整改任务', en: 'rectification' };

function text(zh: string, en: string): Text {
  return { zh, en };
}

/** What each staff action takes. */
export type RectificationInput =
  | {
      action: 'submit';
      explanation: string;
      fix: string;
      answer: string;
      callback?: { at: string; note: string };
    }
  | { action: 'approve'; note?: string }
  | { action: 'return' | 'uphold' | 'reject'; note: string }
  | { action: 'appeal'; reason: string };

/** Rectifications for the units and supervisors. */
export class RectificationService {
  constructor(private readonly db: Kdb) {}

  async #staff(actor: Actor) {
    const [card, regions] = await Promise.all([
      store.staffCard(this.db, actor.userId),
      regionsUnder(this.db, actor.regionCode),
    ]);
    return {
      department: card?.departmentCode ?? null,
      name: card?.displayName ?? actor.username,
      regions: new Set(regions),
    };
  }

  #access(
    staff: { department: string | null; regions: Set<string> },
    row: RectificationRow,
  ): RectificationAccess {
    return {
      ofUnit: staff.department === row.departmentCode,
      inRegion: staff.regions.has(row.regionCode),
    };
  }

  /** The queue: the unit's own, a supervisor's region's, an administrator's all. */
  async list(actor: Actor, filter: { state?: string; limit: number; offset: number }) {
    const staff = await this.#staff(actor);
    const scope =
      actor.role === 'admin'
        ? {}
        : actor.role === 'supervisor'
          ? { regions: [...staff.regions] }
          : UNIT_ROLES.includes(actor.role) && staff.department
            ? { departmentCode: staff.department }
            : null;
    if (!scope) throw forbidden();
    const { rows, total } = await store.listRectifications(this.db, { ...filter, ...scope });
    return { items: await this.#summaries(rows), total };
  }

  async #summaries(rows: RectificationRow[], now = new Date()) {
    const ratings = new Map(
      (
        await store.ratingsByIds(
          this.db,
          rows.map((r) => r.ratingId),
        )
      ).map((r) => [r.id, r]),
    );
    const services = new Map(
      (
        await store.servicesByIds(
          this.db,
          [...ratings.values()].map((r) => r.serviceId),
        )
      ).map((s) => [s.id, s]),
    );
    const departments = await store.departmentNames(this.db);
    return rows.map((row) => {
      const rating = ratings.get(row.ratingId)!;
      return summary(row, rating, services.get(rating.serviceId)!, departments, now);
    });
  }

  /** One rectification with its events and the actions open to the actor. */
  async get(actor: Actor, id: string) {
    const row = await store.findRectification(this.db, id);
    if (!row) throw notFound(RECTIFICATION);
    const staff = await this.#staff(actor);
    const access = this.#access(staff, row);
    if (!canSeeRectification(actor, access)) throw notFound(RECTIFICATION);
    return this.#detail(actor, row, access);
  }

  async #detail(actor: Actor, row: RectificationRow, access: RectificationAccess) {
    const [[head], events] = await Promise.all([
      this.#summaries([row]),
      store.rectificationEventsOf(this.db, row.id),
    ]);
    return {
      ...head!,
      explanation: row.explanation,
      fix: row.fix,
      answer: row.answer,
      callbackAt: row.callbackAt?.toISOString() ?? null,
      callbackNote: row.callbackNote,
      submittedAt: row.submittedAt?.toISOString() ?? null,
      reviewNote: row.reviewNote,
      reviewedAt: row.reviewedAt?.toISOString() ?? null,
      appealReason: row.appealReason,
      appealNote: row.appealNote,
      answerSatisfied: row.answerSatisfied,
      answerComment: row.answerComment,
      onTime: row.onTime,
      closedAt: row.closedAt?.toISOString() ?? null,
      events: events.map((e) => ({
        action: e.action,
        actorName: e.actorName,
        note: e.note,
        at: e.at.toISOString(),
      })),
      actions: allowedRectificationActions(actor, access, row.state),
    };
  }

  /**
   * A staff action under a row lock: who may (404 for a rectification the actor cannot see, 403
   * for an action not theirs), what the state allows (409 `evaluations.invalid_state`), events,
   * audit, and the messages it owes (the rater's answer, the unit's return or appeal decision).
   */
  async act(
    actor: Actor,
    id: string,
    input: RectificationInput,
    meta: RequestMeta,
    now = new Date(),
  ) {
    const staff = await this.#staff(actor);
    const seen = await store.findRectification(this.db, id);
    if (!seen) throw notFound(RECTIFICATION);
    const access = this.#access(staff, seen);
    if (!canSeeRectification(actor, access)) throw notFound(RECTIFICATION);
    const rating = (await store.findRating(this.db, seen.ratingId))!;
    if (input.action === 'submit') checkSubmission(input, rating);
    const row = await this.db.transaction().execute(async (trx) => {
      const locked = (await store.lockRectification(trx, id))!;
      const next = nextRectificationState(locked.state, input.action);
      if (!next) {
        throw new AppError(409, 'evaluations.invalid_state', {
          zh: `整改当前为「${RECTIFICATION_STATES[locked.state].zh}」，不能${RECTIFICATION_ACTIONS[input.action].zh}`,
          en: `a rectification that is ${RECTIFICATION_STATES[locked.state].en} cannot take "${RECTIFICATION_ACTIONS[input.action].en}"`,
        });
      }
      if (!allowedRectificationActions(actor, access, locked.state).includes(input.action)) {
        throw forbidden(
          text(
            `您不能对此整改任务执行「${RECTIFICATION_ACTIONS[input.action].zh}」`,
            `you may not "${RECTIFICATION_ACTIONS[input.action].en}" this rectification`,
          ),
        );
      }
      const updated = await store.updateRectification(trx, id, {
        ...patchOf(input, locked, actor, now),
        state: next,
        updatedAt: now,
      });
      await store.insertRectificationEvent(trx, {
        id: randomUUID(),
        rectificationId: id,
        regionCode: locked.regionCode,
        action: EVENT_OF[input.action],
        actorId: actor.userId,
        actorName: staff.name,
        note: noteOf(input),
        at: now,
      });
      if (input.action === 'uphold') {
        await store.flagRating(trx, locked.ratingId, input.note.trim());
      }
      await this.#tell(trx, input.action, updated, rating, now);
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: `evaluations.rectification_${EVENT_OF[input.action]}`,
        objectType: 'rectification',
        objectId: id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { from: locked.state, to: next },
      });
      return updated;
    });
    return this.#detail(actor, row, access);
  }

  /** The messages an action owes: the rater gets the answer; the unit hears the supervisor. */
  async #tell(
    trx: Tx,
    action: RectificationAction,
    row: RectificationRow,
    rating: RatingRow,
    now: Date,
  ) {
    const link = `/workbench/rectifications/${row.id}`;
    if (action === 'approve' && rating.raterSubjectId) {
      await notify(
        trx,
        {
          to: { subjectIds: [rating.raterSubjectId] },
          kind: 'evaluations.answered',
          title: text('您的评价已整改答复', 'Your rating has been answered'),
          body: text(`整改答复：${row.answer ?? ''}`, `Answer: ${row.answer ?? ''}`),
          link: '/evaluations',
          dedupeKey: `evaluations-answered:${row.id}:${row.version}`,
        },
        now,
      );
    } else if (action === 'return' || action === 'reject' || action === 'uphold') {
      await notify(
        trx,
        {
          to: {
            department: { code: row.departmentCode, roles: [...UNIT_ROLES] },
          },
          kind: `evaluations.rectification_${EVENT_OF[action]}`,
          title: text(
            `整改任务${RECTIFICATION_ACTIONS[action].zh}`,
            `Rectification: ${RECTIFICATION_ACTIONS[action].en}`,
          ),
          body: text(
            row.reviewNote ?? row.appealNote ?? '',
            row.reviewNote ?? row.appealNote ?? '',
          ),
          link,
          dedupeKey: `evaluations-${action}:${row.id}:${row.version}`,
        },
        now,
      );
    } else if (action === 'submit' || action === 'appeal') {
      await notify(
        trx,
        {
          to: { supervisorsOver: row.regionCode },
          kind: `evaluations.rectification_${EVENT_OF[action]}`,
          title: text(
            action === 'submit' ? '差评整改待审核' : '差评申诉待决定',
            action === 'submit' ? 'A rectification awaits review' : 'An appeal awaits a decision',
          ),
          body: text(
            row.explanation ?? row.appealReason ?? '',
            row.explanation ?? row.appealReason ?? '',
          ),
          link,
          dedupeKey: `evaluations-${action}:${row.id}:${row.version}`,
        },
        now,
      );
    }
  }
}

const EVENT_OF = {
  submit: 'submitted',
  approve: 'approved',
  return: 'returned',
  appeal: 'appealed',
  uphold: 'appeal_upheld',
  reject: 'appeal_rejected',
  verdict: 'answer_rated',
} as const satisfies Record<RectificationAction, string>;

function noteOf(input: RectificationInput): string | null {
  switch (input.action) {
    case 'submit':
      return input.explanation.trim();
    case 'appeal':
      return input.reason.trim();
    default:
      return input.note?.trim() || null;
  }
}

/** What an action writes besides the state. */
function patchOf(input: RectificationInput, row: RectificationRow, actor: Actor, now: Date) {
  switch (input.action) {
    case 'submit':
      return {
        explanation: input.explanation.trim(),
        fix: input.fix.trim(),
        answer: input.answer.trim(),
        callbackAt: input.callback ? new Date(input.callback.at) : null,
        callbackNote: input.callback?.note.trim() ?? null,
        submittedAt: now,
        submittedBy: actor.userId,
      };
    case 'approve':
      return {
        reviewNote: input.note?.trim() || null,
        reviewedAt: now,
        reviewedBy: actor.userId,
        // the unit's part was done when it submitted what was approved
        onTime: row.submittedAt !== null && row.submittedAt <= row.dueAt,
      };
    case 'return':
      return { reviewNote: input.note.trim(), reviewedAt: now, reviewedBy: actor.userId };
    case 'appeal':
      return { appealReason: input.reason.trim() };
    case 'uphold':
      return { appealNote: input.note.trim(), closedAt: now };
    case 'reject':
      return { appealNote: input.note.trim() };
  }
}

/** A real-name rater must be called back (回访), not before they rated. */
function checkSubmission(
  input: Extract<RectificationInput, { action: 'submit' }>,
  rating: RatingRow,
) {
  if (!input.callback) {
    if (rating.realName) {
      throw invalidRequest([
        {
          path: 'body.callback',
          rule: 'required_for_real_name',
          message: text(
            '实名差评须先回访评价人，请填写回访时间和情况',
            'a real-name bad rating needs a callback to the rater: give its time and what was said',
          ),
        },
      ]);
    }
    return;
  }
  const at = new Date(input.callback.at);
  // times are picked to the minute: a call in the minute of the rating is after it
  const ratedMinute = Math.floor(rating.ratedAt.getTime() / 60_000) * 60_000;
  if (at.getTime() < ratedMinute || at > new Date()) {
    throw invalidRequest([
      {
        path: 'body.callback.at',
        rule: 'between_rating_and_now',
        message: text(
          '回访时间应在评价之后、当前时间之前',
          'the callback must be after the rating and not in the future',
        ),
      },
    ]);
  }
}

/** A rectification as queues show it. */
function summary(
  row: RectificationRow,
  rating: RatingRow,
  service: ServiceRow,
  departments: Map<string, Text>,
  now: Date,
) {
  return {
    id: row.id,
    state: row.state,
    stateLabel: RECTIFICATION_STATES[row.state],
    dueAt: row.dueAt.toISOString(),
    dueProvisional: row.dueProvisional,
    overdue: ['open', 'submitted', 'appealed'].includes(row.state) && row.dueAt < now,
    department: {
      code: row.departmentCode,
      name: departments.get(row.departmentCode) ?? text(row.departmentCode, row.departmentCode),
    },
    rating: {
      id: rating.id,
      level: rating.level,
      levelLabel: LEVEL_LABELS[rating.level as Level],
      tags: rating.tags.map((key) => ({ key, label: tagLabel(key) })),
      comment: rating.comment,
      channel: rating.channel,
      channelLabel: CHANNEL_LABELS[rating.channel],
      realName: rating.realName,
      flagged: rating.flagged,
      ratedAt: rating.ratedAt.toISOString(),
    },
    service: {
      kind: service.kind,
      kindLabel: SERVICE_KIND_LABELS[service.kind],
      title: service.title as Text,
      number: service.number,
    },
  };
}
