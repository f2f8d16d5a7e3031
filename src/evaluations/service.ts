// 好差评 use cases, each owning its transaction: recording the services that may be rated (from the
// other capabilities' domain events, in the delivery's transaction), inviting the person served,
// rating online, at the counter and on a callback, and the rater's verdict on the answer.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { appendAudit } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import type { BusinessHours } from '../platform/calendar';
import { CalendarService } from '../platform/calendar/service';
import type { Kdb, Tx } from '../platform/db/database';
import { AppError, forbidden, notFound } from '../platform/http/errors';
import { invalidRequest } from '../platform/http/validation';
import type { Text } from '../platform/i18n';
import { notify } from '../platform/notify';
import { regionsUnder } from '../platform/regions';
import {
  CHANNEL_LABELS,
  LEVEL_LABELS,
  RECTIFICATION_STATES,
  SERVICE_KIND_LABELS,
  type Channel,
  type Level,
  type ServiceKind,
} from './codes';
import { isBad, ratingProblems, ratingRefusal, tagLabel, timeRefusal } from './model';
import * as store from './store';
import type { RatingRow, RectificationRow, ServiceRow } from './store';

const SERVICE: Text = { zh: '可评价的服务', en: 'rateable service' };
const RATING: Text = { zh: '评价', en: 'rating' };
/** How long the counter tablet's page of a visit takes ratings. */
export const VISIT_MINUTES = 30;

function text(zh: string, en: string): Text {
  return { zh, en };
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** What a service is, as the event that completed it tells. */
export interface ServiceInput {
  kind: ServiceKind;
  targetId: string;
  regionCode: string;
  title: Text;
  number: string | null;
  subjectId: string | null;
  departmentCode: string;
  itemCode?: string | null;
  bundleCode?: string | null;
  staffUserId?: string | null;
  windowCode?: string | null;
  completedAt: Date;
}

/** The rectification of a rating as its rater sees it. */
export interface RaterRectification {
  id: string;
  state: RectificationRow['state'];
  stateLabel: Text;
  answer: string | null;
  answeredAt: string | null;
  answerSatisfied: boolean | null;
  canVerdict: boolean;
}

/** A rating as replies show it. */
export interface RatingView {
  id: string;
  serviceId: string;
  level: number;
  levelLabel: Text;
  tags: { key: string; label: Text }[];
  comment: string | null;
  channel: Channel;
  channelLabel: Text;
  ratedAt: string;
  flagged: boolean;
  rectification: RaterRectification | null;
}

/** A service as its rater sees it, with their rating. */
export interface ServiceView {
  id: string;
  kind: ServiceKind;
  kindLabel: Text;
  targetId: string;
  title: Text;
  number: string | null;
  department: { code: string; name: Text };
  completedAt: string;
  rateUntil: string;
  canRate: boolean;
  rating: RatingView | null;
  link: string | null;
}

/** Where the rater finds the service itself. */
function linkOf(service: ServiceRow): string | null {
  if (service.kind === 'application') return `/applications/${service.targetId}`;
  if (service.kind === 'ticket' && service.number) return `/hotline/track`;
  if (service.kind === 'inspection') return '/supervision/mine';
  return null;
}

/** A rating and its rectification as their rater sees them. */
export function ratingView(rating: RatingRow, rectification?: RectificationRow): RatingView {
  return {
    id: rating.id,
    serviceId: rating.serviceId,
    level: rating.level,
    levelLabel: LEVEL_LABELS[rating.level as Level],
    tags: rating.tags.map((key) => ({ key, label: tagLabel(key) })),
    comment: rating.comment,
    channel: rating.channel,
    channelLabel: CHANNEL_LABELS[rating.channel],
    ratedAt: rating.ratedAt.toISOString(),
    flagged: rating.flagged,
    rectification: rectification
      ? {
          id: rectification.id,
          state: rectification.state,
          stateLabel: RECTIFICATION_STATES[rectification.state],
          // the answer is the rater's once a supervisor approved it
          answer: ['answered', 'closed'].includes(rectification.state)
            ? rectification.answer
            : null,
          answeredAt:
            ['answered', 'closed'].includes(rectification.state) && rectification.reviewedAt
              ? rectification.reviewedAt.toISOString()
              : null,
          answerSatisfied: rectification.answerSatisfied,
          canVerdict: rectification.state === 'answered',
        }
      : null,
  };
}

/** Ratings: recording services, invitations, rating, verdicts, window visits. */
export class EvaluationService {
  constructor(
    private readonly db: Kdb,
    private readonly businessHours: BusinessHours,
    private readonly ratingWorkingDays: number,
    private readonly rectifyWorkingDays: number,
  ) {}

  /**
   * Records a service that may be rated, in the caller's transaction (an event handler's, or the
   * clerk's opening a visit): rated until a number of working days after completion in the
   * region's calendar. The existing one when recorded before.
   */
  async recordService(trx: Tx, input: ServiceInput, now: Date) {
    // the calendar is read in the transaction: PGlite has one connection, which it holds
    const calendar = await new CalendarService(trx, this.businessHours).forRegion(input.regionCode);
    const rateUntil = calendar.addWorkingDays(input.completedAt, this.ratingWorkingDays).due;
    return store.insertService(trx, {
      id: randomUUID(),
      kind: input.kind,
      targetId: input.targetId,
      regionCode: input.regionCode,
      title: JSON.stringify(input.title),
      number: input.number,
      subjectId: input.subjectId,
      departmentCode: input.departmentCode,
      itemCode: input.itemCode ?? null,
      bundleCode: input.bundleCode ?? null,
      staffUserId: input.staffUserId ?? null,
      windowCode: input.windowCode ?? null,
      completedAt: input.completedAt,
      rateUntil,
      createdAt: now,
    });
  }

  /** Invites the person served to rate (一次一评): a message, and an SMS when a mobile is known. */
  async invite(trx: Tx, service: ServiceRow, mobile: string | null, now: Date) {
    if (!service.subjectId) return;
    const title = service.title as Text;
    await notify(
      trx,
      {
        to: { subjectIds: [service.subjectId] },
        kind: 'evaluations.invite',
        title: text(`请评价：${title.zh}`, `Please rate: ${title.en}`),
        body: text(
          `「${title.zh}」已办结，欢迎您对本次服务作出评价（非常满意至非常不满意），${this.ratingWorkingDays} 个工作日内有效。`,
          `"${title.en}" is done. Please rate the service (very satisfied to very dissatisfied) within ${this.ratingWorkingDays} working days.`,
        ),
        link: `/evaluations?service=${service.id}`,
        dedupeKey: `evaluations-invite:${service.id}`,
        ...(mobile ? { sms: { mobile } } : {}),
      },
      now,
    );
  }

  /** The services given to the actor's subject, newest first, with their ratings (我的评价). */
  async mine(
    actor: Actor,
    page: { number?: string; limit: number; offset: number },
    now = new Date(),
  ) {
    if (!actor.subjectId) return { items: [], total: 0 };
    const { rows, total } = await store.servicesOf(this.db, actor.subjectId, page);
    return { items: await this.#views(rows, actor.subjectId, now), total };
  }

  async #views(rows: ServiceRow[], subjectId: string, now: Date): Promise<ServiceView[]> {
    const [ratings, departments] = await Promise.all([
      store.ratingsOf(
        this.db,
        rows.map((r) => r.id),
        subjectId,
      ),
      store.departmentNames(this.db),
    ]);
    const rectifications = new Map(
      (
        await store.rectificationsOfRatings(
          this.db,
          [...ratings.values()].map((r) => r.id),
        )
      ).map((r) => [r.ratingId, r]),
    );
    return rows.map((row) => {
      const rating = ratings.get(row.id);
      return {
        id: row.id,
        kind: row.kind,
        kindLabel: SERVICE_KIND_LABELS[row.kind],
        targetId: row.targetId,
        title: row.title as Text,
        number: row.number,
        department: {
          code: row.departmentCode,
          name: departments.get(row.departmentCode) ?? text(row.departmentCode, row.departmentCode),
        },
        completedAt: row.completedAt.toISOString(),
        rateUntil: row.rateUntil.toISOString(),
        canRate: !rating && ratingRefusal(row, subjectId, now) === null,
        rating: rating ? ratingView(rating, rectifications.get(rating.id)) : null,
        link: linkOf(row),
      };
    });
  }

  /** The rater rates a service given to them, online (网上评价). */
  async rate(
    actor: Actor,
    input: { serviceId: string; level: number; tags: string[]; comment?: string },
    meta: RequestMeta,
    now = new Date(),
  ): Promise<RatingView> {
    const service = await store.findService(this.db, input.serviceId);
    // someone else's service is not found, so that ids of others' do not leak
    if (!service || !actor.subjectId || service.subjectId !== actor.subjectId) {
      throw notFound(SERVICE);
    }
    return this.#rate(service, input, {
      raterSubjectId: actor.subjectId,
      enteredBy: actor.userId,
      channel: 'online',
      realName: true,
      actor,
      meta,
      now,
    });
  }

  /** A rating told on a callback (电话回访), entered by the operator or a window clerk. */
  async rateOnCallback(
    actor: Actor,
    input: { serviceId: string; level: number; tags: string[]; comment?: string },
    meta: RequestMeta,
    now = new Date(),
  ): Promise<RatingView> {
    const service = await store.findService(this.db, input.serviceId);
    // staff enter callbacks for services of their region and the regions below it
    if (!service || !(await regionsUnder(this.db, actor.regionCode)).includes(service.regionCode)) {
      throw notFound(SERVICE);
    }
    return this.#rate(service, input, {
      raterSubjectId: service.subjectId,
      enteredBy: actor.userId,
      channel: 'callback',
      realName: service.subjectId !== null,
      actor,
      meta,
      now,
      checkRater: false,
    });
  }

  async #rate(
    service: ServiceRow,
    input: { level: number; tags: string[]; comment?: string },
    how: {
      raterSubjectId: string | null;
      enteredBy: string | null;
      channel: Channel;
      realName: boolean;
      actor: Actor | null;
      meta: RequestMeta;
      now: Date;
      checkRater?: boolean;
    },
  ): Promise<RatingView> {
    const { now } = how;
    const comment = input.comment?.trim() || null;
    const problems = ratingProblems({ ...input, comment });
    if (problems.length > 0) throw invalidRequest(problems);
    // a callback or the counter speaks for the person served: only the period is checked
    const refusal =
      how.checkRater === false
        ? timeRefusal(service, now)
        : ratingRefusal(service, how.raterSubjectId, now);
    if (refusal === 'not_yours') throw notFound(SERVICE);
    if (refusal) {
      const until = service.rateUntil.toISOString();
      throw invalidRequest([
        refusal === 'too_late'
          ? {
              path: 'body.serviceId',
              rule: 'rate_until',
              message: text(
                `评价期限已过：本次服务须在办结后 ${this.ratingWorkingDays} 个工作日内（${until} 前）评价`,
                `too late: this service could be rated within ${this.ratingWorkingDays} working days of completion (until ${until})`,
              ),
            }
          : {
              path: 'body.serviceId',
              rule: 'completed',
              message: text('服务尚未办结，办结后才能评价', 'the service is not completed yet'),
            },
      ]);
    }
    const dueCalendar = isBad(input.level)
      ? await new CalendarService(this.db, this.businessHours).forRegion(service.regionCode)
      : null;
    const created = await this.db.transaction().execute(async (trx) => {
      const rating = await store.insertRating(trx, {
        id: randomUUID(),
        serviceId: service.id,
        regionCode: service.regionCode,
        raterSubjectId: how.raterSubjectId,
        enteredBy: how.enteredBy,
        level: input.level,
        tags: JSON.stringify(input.tags),
        comment,
        channel: how.channel,
        realName: how.realName,
        kind: service.kind,
        departmentCode: service.departmentCode,
        itemCode: service.itemCode,
        bundleCode: service.bundleCode,
        staffUserId: service.staffUserId,
        windowCode: service.windowCode,
        flagNote: null,
        ratedAt: now,
      });
      if (!rating) {
        throw new AppError(409, 'evaluations.already_rated', {
          zh: '您已评价过本次服务（一次一评）',
          en: 'this service has been rated already (one rating per service)',
        });
      }
      let rectification: RectificationRow | undefined;
      if (dueCalendar) {
        const due = dueCalendar.addWorkingDays(now, this.rectifyWorkingDays);
        rectification = await store.insertRectification(trx, {
          id: randomUUID(),
          ratingId: rating.id,
          regionCode: service.regionCode,
          departmentCode: service.departmentCode,
          state: 'open',
          dueAt: due.due,
          dueProvisional: due.provisional,
          createdAt: now,
          updatedAt: now,
        });
        await store.insertRectificationEvent(trx, {
          id: randomUUID(),
          rectificationId: rectification.id,
          regionCode: service.regionCode,
          action: 'opened',
          actorId: null,
          actorName: '系统',
          note: LEVEL_LABELS[input.level as Level].zh,
          at: now,
        });
        const title = service.title as Text;
        await notify(
          trx,
          {
            to: {
              department: {
                code: service.departmentCode,
                roles: ['clerk', 'reviewer', 'operator', 'handler'],
              },
            },
            kind: 'evaluations.rectification_opened',
            title: text(`差评待整改：${title.zh}`, `Bad rating to rectify: ${title.en}`),
            body: text(
              `收到「${LEVEL_LABELS[input.level as Level].zh}」评价，请于 ${due.due.toISOString()} 前整改并答复评价人。`,
              `A "${LEVEL_LABELS[input.level as Level].en}" rating came in; rectify and answer the rater by ${due.due.toISOString()}.`,
            ),
            link: `/workbench/rectifications/${rectification.id}`,
            dedupeKey: `evaluations-rectification:${rectification.id}`,
          },
          now,
        );
      }
      await appendAudit(trx, {
        at: now,
        actorId: how.actor?.userId ?? null,
        actorRole: how.actor?.role ?? null,
        action: 'evaluations.rated',
        objectType: 'rating',
        objectId: rating.id,
        ip: how.meta.ip,
        requestId: how.meta.requestId,
        detail: {
          service: service.id,
          kind: service.kind,
          level: input.level,
          channel: how.channel,
          rectification: rectification?.id ?? null,
        },
      });
      return { rating, rectification };
    });
    return ratingView(created.rating, created.rectification);
  }

  /** The rater's verdict on the answer to their bad rating, which closes the rectification. */
  async verdict(
    actor: Actor,
    ratingId: string,
    input: { satisfied: boolean; comment?: string },
    meta: RequestMeta,
    now = new Date(),
  ): Promise<RatingView> {
    const rating = await store.findRating(this.db, ratingId);
    if (!rating || !actor.subjectId || rating.raterSubjectId !== actor.subjectId) {
      throw notFound(RATING);
    }
    const [found] = await store.rectificationsOfRatings(this.db, [rating.id]);
    if (!found) throw notFound(RATING);
    const updated = await this.db.transaction().execute(async (trx) => {
      const locked = (await store.lockRectification(trx, found.id))!;
      if (locked.state !== 'answered') {
        throw new AppError(409, 'evaluations.invalid_state', {
          zh: `整改当前为「${RECTIFICATION_STATES[locked.state].zh}」，尚不能评价整改结果`,
          en: `the rectification is ${RECTIFICATION_STATES[locked.state].en}; its answer cannot be rated now`,
        });
      }
      const next = await store.updateRectification(trx, locked.id, {
        state: 'closed',
        answerSatisfied: input.satisfied,
        answerComment: input.comment?.trim() || null,
        closedAt: now,
        updatedAt: now,
      });
      await store.insertRectificationEvent(trx, {
        id: randomUUID(),
        rectificationId: locked.id,
        regionCode: locked.regionCode,
        action: input.satisfied ? 'answer_satisfied' : 'answer_unsatisfied',
        actorId: actor.userId,
        actorName: '评价人',
        note: input.comment?.trim() || null,
        at: now,
      });
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'evaluations.answer_rated',
        objectType: 'rectification',
        objectId: locked.id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { satisfied: input.satisfied },
      });
      return next;
    });
    return ratingView(rating, updated);
  }

  // ---------------------------------------------------------------------------------------------
  // Window visits (窗口评价器)
  // ---------------------------------------------------------------------------------------------

  /** A clerk opens a visit for the person at the window; its token's page takes one rating. */
  async openVisit(
    actor: Actor,
    input: { windowCode: string; applicationNumber?: string },
    meta: RequestMeta,
    now = new Date(),
  ) {
    const card = await store.staffCard(this.db, actor.userId);
    if (!card?.departmentCode) throw forbidden();
    const token = randomBytes(24).toString('base64url');
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + VISIT_MINUTES * 60_000);
    const departments = await store.departmentNames(this.db);
    const department = departments.get(card.departmentCode)!;
    await this.db.transaction().execute(async (trx) => {
      await store.insertVisit(trx, {
        id,
        tokenHash: sha256(token),
        regionCode: actor.regionCode,
        clerkId: actor.userId,
        departmentCode: card.departmentCode!,
        windowCode: input.windowCode,
        applicationNumber: input.applicationNumber ?? null,
        startedAt: now,
        expiresAt,
      });
      await this.recordService(
        trx,
        {
          kind: 'window_visit',
          targetId: id,
          regionCode: actor.regionCode,
          title: text(
            `${department.zh} ${input.windowCode} 号窗口服务`,
            `${department.en}, window ${input.windowCode}`,
          ),
          number: input.applicationNumber ?? null,
          subjectId: null,
          departmentCode: card.departmentCode!,
          staffUserId: actor.userId,
          windowCode: input.windowCode,
          completedAt: now,
        },
        now,
      );
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'evaluations.visit_opened',
        objectType: 'window_visit',
        objectId: id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { window: input.windowCode },
      });
    });
    return { id, token, path: `/counter/${token}`, expiresAt: expiresAt.toISOString() };
  }

  async #visit(token: string, now: Date) {
    const visit = await store.findVisitByTokenHash(this.db, sha256(token));
    if (!visit) {
      throw new AppError(404, 'evaluations.visit_not_found', {
        zh: '评价链接无效',
        en: 'no such rating link',
      });
    }
    if (visit.expiresAt <= now) {
      throw new AppError(404, 'evaluations.visit_expired', {
        zh: '评价链接已过期，请向窗口工作人员重新获取',
        en: 'the rating link has expired; ask the clerk for a new one',
      });
    }
    const service = (await this.db
      .selectFrom('rateableServices')
      .selectAll()
      .where('kind', '=', 'window_visit')
      .where('targetId', '=', visit.id)
      .executeTakeFirst())!;
    return { visit, service };
  }

  /** The counter tablet's page of a visit: who served, where, and whether it is rated. */
  async visit(token: string, now = new Date()) {
    const { visit, service } = await this.#visit(token, now);
    const rated = (await store.ratingsOf(this.db, [service.id], null)).has(service.id);
    return {
      clerkName: visit.clerkName,
      department: {
        code: visit.departmentCode,
        name: text(visit.departmentZh, visit.departmentEn),
      },
      windowCode: visit.windowCode,
      startedAt: visit.startedAt.toISOString(),
      expiresAt: visit.expiresAt.toISOString(),
      rated,
    };
  }

  /** The visitor rates the visit on the counter tablet (anonymous, once). */
  async rateVisit(
    token: string,
    input: { level: number; tags: string[]; comment?: string },
    meta: RequestMeta,
    now = new Date(),
  ) {
    const { service } = await this.#visit(token, now);
    const view = await this.#rate(service, input, {
      raterSubjectId: null,
      enteredBy: null,
      channel: 'counter',
      realName: false,
      actor: null,
      meta,
      now,
      checkRater: false,
    });
    return { level: view.level, levelLabel: view.levelLabel };
  }
}
