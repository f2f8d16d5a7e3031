// One net for every inspection of an enterprise: filed before it happens and matched to a drawn
// plan or refused (事前备案、计划匹配), checked in at the door with the enterprise's time-limited
// code (扫码入企), every step recorded (全程留痕), finished with findings, its result published
// within 20 working days (deadline tracked), and rated by the enterprise (事后评价, through the
// `supervision.inspection_finished` event that evaluations records).
import { createHash, randomBytes } from 'node:crypto';
import { appendAudit, type AuditAction } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import type { BusinessHours } from '../platform/calendar';
import { CalendarService } from '../platform/calendar/service';
import type { Kdb, Tx } from '../platform/db/database';
import { AppError, forbidden, invalidField, notFound } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import { notify, publishEvent } from '../platform/notify';
import { regionsUnder } from '../platform/regions';
import {
  CHECKIN_CODE_MINUTES,
  INSPECTION_STATE_LABELS,
  INSPECTION_STEPS,
  PUBLISH_WORKING_DAYS,
  RESULT_LABELS,
  filingProblem,
  type InspectionResult,
  type InspectionState,
  type InspectionStep,
} from './model';
import * as store from './store';
import type { InspectionRow } from './store';

const INSPECTION: Text = { zh: '检查', en: 'inspection' };
/** The event evaluations records an inspection to be rated by (事后评价). */
export const INSPECTION_FINISHED = 'supervision.inspection_finished';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export class InspectionService {
  constructor(
    private readonly db: Kdb,
    private readonly businessHours: BusinessHours,
  ) {}

  async #view(row: InspectionRow, now: Date) {
    const [names, departments, items] = await Promise.all([
      store.inspectorNames(this.db, row.inspectorIds as string[]),
      store.departmentNames(this.db),
      store.listItems(this.db, row.itemCodes as string[]),
    ]);
    return {
      id: row.id,
      number: row.number,
      subject: {
        id: row.subjectId,
        name: row.subjectName,
        identifier: row.subjectIdentifier,
      },
      regionCode: row.regionCode,
      joint: (row.departmentCodes as string[]).length > 1,
      departments: (row.departmentCodes as string[]).map((code) => ({
        code,
        name: departments.get(code) ?? { zh: code, en: code },
      })),
      items: items.map((i) => ({ code: i.code, name: i.name, departmentCode: i.departmentCode })),
      inspectors: (row.inspectorIds as string[]).map((id) => ({
        id,
        name: names.get(id)?.name ?? id,
      })),
      startsOn: row.startsOn,
      endsOn: row.endsOn,
      state: row.state,
      stateName: INSPECTION_STATE_LABELS[row.state],
      scheduledOn: row.scheduledOn,
      filedAt: row.filedAt?.toISOString() ?? null,
      checkedInAt: row.checkedInAt?.toISOString() ?? null,
      finishedAt: row.finishedAt?.toISOString() ?? null,
      result: row.result,
      resultName: row.result ? RESULT_LABELS[row.result] : null,
      findings: row.findings,
      publishDueAt: row.publishDueAt?.toISOString() ?? null,
      publishOverdue: row.state === 'finished' && !!row.publishDueAt && row.publishDueAt < now,
      publishedAt: row.publishedAt?.toISOString() ?? null,
      version: row.version,
    };
  }

  /** Whose inspections the actor reads. */
  async #scope(actor: Actor): Promise<Partial<store.InspectionFilter>> {
    if (actor.role === 'enterprise') {
      if (!actor.subjectId) throw forbidden();
      return { subjectId: actor.subjectId };
    }
    if (actor.role === 'admin') return {};
    const regions = await regionsUnder(this.db, actor.regionCode);
    if (actor.role === 'supervisor') return { regions };
    const inspector = await store.inspectorOfUser(this.db, actor.userId);
    if (actor.role === 'inspector' && inspector) return { inspectorId: inspector.id };
    const departmentCode = await store.departmentCodeOf(this.db, actor.departmentId);
    if (!departmentCode) throw forbidden();
    return { departmentCode, regions };
  }

  async list(
    actor: Actor,
    filter: { state?: InspectionState; publishOverdue?: boolean; limit: number; offset: number },
    now = new Date(),
  ) {
    const page = await store.listInspections(this.db, {
      ...(await this.#scope(actor)),
      state: filter.state,
      publishOverdueAt: filter.publishOverdue ? now : undefined,
      limit: filter.limit,
      offset: filter.offset,
    });
    return {
      total: page.total,
      items: await Promise.all(page.items.map((r) => this.#view(r, now))),
    };
  }

  async get(actor: Actor, id: string, now = new Date()) {
    const row = await store.findInspection(this.db, id);
    if (!row) throw notFound(INSPECTION);
    const scope = await this.#scope(actor);
    const visible =
      (!scope.subjectId || scope.subjectId === row.subjectId) &&
      (!scope.inspectorId || (row.inspectorIds as string[]).includes(scope.inspectorId)) &&
      (!scope.departmentCode || (row.departmentCodes as string[]).includes(scope.departmentCode)) &&
      (!scope.regions || scope.regions.includes(row.regionCode));
    if (!visible) throw notFound(INSPECTION);
    const events = await store.eventsOf(this.db, id);
    return {
      ...(await this.#view(row, now)),
      events: events.map((e) => ({
        action: e.action,
        note: e.note,
        actorName: e.actorName,
        at: e.at.toISOString(),
      })),
    };
  }

  /**
   * 事前备案: an inspector files an inspection before going; it must match a drawn task of theirs
   * (assigned, items planned, within the period), or it is refused — nobody inspects unplanned.
   */
  async file(
    actor: Actor,
    body: { subjectId: string; itemCodes: string[]; scheduledOn: string },
    meta: RequestMeta,
    now = new Date(),
  ) {
    const inspector = await store.inspectorOfUser(this.db, actor.userId);
    if (!inspector)
      throw new AppError(403, 'supervision.not_inspector', {
        zh: '您不在执法检查人员名录中',
        en: 'you are not a registered inspector',
      });
    const id = await this.db.transaction().execute(async (trx) => {
      const candidates = await store.listInspections(trx, {
        subjectId: body.subjectId,
        inspectorId: inspector.id,
        limit: 20,
        offset: 0,
      });
      const problems = candidates.items.map((c) =>
        filingProblem(
          {
            ...c,
            planIds: c.planIds as string[],
            departmentCodes: c.departmentCodes as string[],
            itemCodes: c.itemCodes as string[],
            inspectorIds: c.inspectorIds as string[],
            state: c.state,
          },
          { inspectorId: inspector.id, ...body },
        ),
      );
      const match = candidates.items.find((_, i) => problems[i] === null);
      if (!match) {
        const detail = problems.find((p) => p !== null) ?? {
          path: 'body.subjectId',
          rule: 'planned',
          message: {
            zh: '没有抽查计划派给您检查该企业',
            en: 'no drawn plan assigns you to this enterprise',
          },
        };
        throw new AppError(
          422,
          'supervision.unplanned',
          { zh: '无计划不得检查', en: 'no inspection without a plan' },
          [detail],
        );
      }
      const locked = (await store.findInspection(trx, match.id, true))!;
      if (locked.state !== 'planned')
        throw new AppError(409, 'supervision.changed', {
          zh: '检查已变化，请刷新',
          en: 'the inspection changed; reload it',
        });
      await store.updateInspection(
        trx,
        match.id,
        { state: 'filed', filedAt: now, filedBy: actor.userId, scheduledOn: body.scheduledOn },
        now,
      );
      await this.#record(
        trx,
        actor,
        locked,
        'file',
        `${body.scheduledOn} ${body.itemCodes.join(',')}`,
        meta,
        now,
      );
      return match.id;
    });
    return this.get(actor, id, now);
  }

  /** The enterprise's check-in code for the inspectors at its door, good for a few minutes. */
  async checkinCode(actor: Actor, id: string, meta: RequestMeta, now = new Date()) {
    const token = randomBytes(18).toString('base64url');
    const expiresAt = new Date(now.getTime() + CHECKIN_CODE_MINUTES * 60_000);
    await this.db.transaction().execute(async (trx) => {
      const row = await store.findInspection(trx, id, true);
      if (!row || row.subjectId !== actor.subjectId) throw notFound(INSPECTION);
      if (row.state !== 'filed')
        throw invalidField('params.id', 'filed', {
          zh: '该检查未备案，不得入企',
          en: 'the inspection is not filed: no entry',
        });
      await store.updateInspection(
        trx,
        id,
        { checkinHash: hash(token), checkinExpiresAt: expiresAt },
        now,
      );
      await this.#audit(trx, actor, 'supervision.checkin_code', id, meta, now, {});
    });
    return {
      token,
      expiresAt: expiresAt.toISOString(),
      path: `/supervision/check-in/${id}?token=${token}`,
    };
  }

  /** 扫码入企: an assigned inspector scans the enterprise's code; a wrong or stale code is refused. */
  async checkIn(actor: Actor, id: string, token: string, meta: RequestMeta, now = new Date()) {
    await this.#step(actor, id, 'check_in', meta, now, async (row) => {
      if (!row.checkinHash || row.checkinHash !== hash(token))
        throw invalidField('body.token', 'valid', {
          zh: '入企码无效',
          en: 'the check-in code is not valid',
        });
      if (!row.checkinExpiresAt || row.checkinExpiresAt < now)
        throw invalidField('body.token', 'fresh', {
          zh: '入企码已过期，请企业重新出示',
          en: 'the check-in code expired; ask for a new one',
        });
      return { checkedInAt: now, checkinHash: null, checkinExpiresAt: null };
    });
    return this.get(actor, id, now);
  }

  /** Findings and result; the result is due for publication 20 working days later. */
  async finish(
    actor: Actor,
    id: string,
    body: { result: InspectionResult; findings: string },
    meta: RequestMeta,
    now = new Date(),
  ) {
    await this.#step(actor, id, 'finish', meta, now, async (row, trx) => {
      const calendar = await new CalendarService(trx, this.businessHours).forRegion(row.regionCode);
      const publishDueAt = calendar.addWorkingDays(now, PUBLISH_WORKING_DAYS).due;
      const departments = row.departmentCodes as string[];
      await publishEvent(trx, {
        type: INSPECTION_FINISHED,
        key: row.id,
        regionCode: row.regionCode,
        payload: {
          inspectionId: row.id,
          number: row.number,
          subjectId: row.subjectId,
          departmentCode: departments[0],
          title: {
            zh: `${departments.length > 1 ? '联合' : ''}检查 ${row.number}`,
            en: `${departments.length > 1 ? 'Joint i' : 'I'}nspection ${row.number}`,
          },
          inspectorUserId: actor.userId,
        },
        occurredAt: now,
      });
      return { finishedAt: now, result: body.result, findings: body.findings, publishDueAt };
    });
    return this.get(actor, id, now);
  }

  /** Publishes the result on the public page (双随机一公开). */
  async publish(actor: Actor, id: string, meta: RequestMeta, now = new Date()) {
    await this.#step(actor, id, 'publish', meta, now, async () => ({ publishedAt: now }));
    return this.get(actor, id, now);
  }

  /** A step by an assigned inspector under a row lock; a retry of a step taken answers as is. */
  async #step(
    actor: Actor,
    id: string,
    step: InspectionStep,
    meta: RequestMeta,
    now: Date,
    changes: (row: InspectionRow, trx: Tx) => Promise<Parameters<typeof store.updateInspection>[2]>,
  ) {
    const inspector = await store.inspectorOfUser(this.db, actor.userId);
    await this.db.transaction().execute(async (trx) => {
      const row = await store.findInspection(trx, id, true);
      if (!row || !inspector || !(row.inspectorIds as string[]).includes(inspector.id))
        throw notFound(INSPECTION);
      const { from, to } = INSPECTION_STEPS[step];
      if (row.state === to) return;
      if (row.state !== from)
        throw invalidField('params.id', 'state', {
          zh: `检查「${INSPECTION_STATE_LABELS[row.state].zh}」，不能进行此步骤`,
          en: `the inspection is ${INSPECTION_STATE_LABELS[row.state].en}: not this step`,
        });
      const extra = await changes(row, trx);
      await store.updateInspection(trx, id, { state: to, ...extra }, now);
      await this.#record(trx, actor, row, step, null, meta, now);
      if (step === 'publish' || step === 'finish')
        await notify(
          trx,
          {
            to: { subjectIds: [row.subjectId] },
            kind: `supervision.inspection_${step}`,
            title:
              step === 'finish'
                ? {
                    zh: `检查 ${row.number} 已结束，欢迎评价`,
                    en: `Inspection ${row.number} is over: rate it`,
                  }
                : {
                    zh: `检查 ${row.number} 结果已公示`,
                    en: `Result of inspection ${row.number} published`,
                  },
            body: {
              zh: '可在“我的检查与信用”中查看。',
              en: 'See it under My inspections and credit.',
            },
            link: '/supervision/mine',
            dedupeKey: `supervision-${step}:${row.id}`,
          },
          now,
        );
    });
  }

  async #record(
    trx: Tx,
    actor: Actor,
    row: InspectionRow,
    action: InspectionStep,
    note: string | null,
    meta: RequestMeta,
    now: Date,
  ) {
    await store.appendEvent(
      trx,
      { inspectionId: row.id, regionCode: row.regionCode, action, actorId: actor.userId, note },
      now,
    );
    await this.#audit(trx, actor, `supervision.inspection_${action}`, row.id, meta, now, {
      number: row.number,
    });
  }

  async #audit(
    trx: Tx,
    actor: Actor,
    action: AuditAction,
    id: string,
    meta: RequestMeta,
    now: Date,
    detail: Record<string, unknown>,
  ) {
    await appendAudit(trx, {
      at: now,
      actorId: actor.userId,
      actorRole: actor.role,
      action,
      objectType: 'inspection',
      objectId: id,
      ip: meta.ip,
      requestId: meta.requestId,
      detail,
    });
  }

  /** The public results page (一公开): published results, newest first. */
  async results(filter: { limit: number; offset: number }, now = new Date()) {
    const page = await store.listInspections(this.db, { published: true, ...filter });
    const items = await Promise.all(page.items.map((r) => this.#view(r, now)));
    return {
      total: page.total,
      // inspectors' names are not published
      items: items.map((view) => ({ ...view, inspectors: undefined, version: undefined })),
    };
  }
}
