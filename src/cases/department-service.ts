import { randomUUID } from 'node:crypto';
import type { TimeLimit } from '../catalog';
import { appendAudit, canonicalJson, type AuditAction } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import type { CalendarService } from '../platform/calendar/service';
import type { Kdb, Tx } from '../platform/db/database';
import { forbidden, notFound } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import { listDepartments, regionsUnder } from '../platform/regions';
import {
  applicationProgress,
  awaited,
  canActOnCase,
  canSeeCase,
  caseActions,
  CASE_ACTOR_ROLES,
  FINAL_STATES,
  CASE_EVENT_LABELS,
  CASE_STATES,
  checkCaseTransition,
  DEFAULT_WARN_FRACTION,
  invalidCaseState,
  warningLevel,
  nextAlertAt,
  RUNNING_STATES,
  SEGMENT_LABELS,
  stranded,
  type SUSPENSION_KINDS,
  type CaseAction,
  type CaseState,
  type SegmentKind,
  type WarningLevel,
} from './casework';
import { CASE_SYSTEM_NAME, dueColumns, settleCases, type CaseClock } from './department-fanout';
import { caseDecision, guideItemsOf, recordOutcomes } from './department-results';
import type { Decision } from '../catalog/schema';
import { notify } from '../platform/notify';
import { toOffsetIso } from '../platform/calendar';
import * as cstore from './department-store';
import type { CaseRow, SegmentRow } from './department-store';
import { EVENT_LABELS, idempotencyConflict, isApplicant } from './model';
import { sha256Hex } from './uploads';
import { caseMaterials, caseUpload, openCaseLicence } from './case-materials';
import type { ApplicationService } from './service';
import * as store from './store';

// The use cases of department cases: the reviewer's queue, transitions under a row lock, the clock,
// the warning sweep and the application's timeline. Reads through other services (the calendar)
// happen before a transaction opens.

const CASE: Text = { zh: '子件', en: 'case' };

/** Keys of a case's results that record the decision rather than what it produced. */
const DECISION_KEYS = new Set([
  'decision',
  'automatic',
  'checks',
  'reasons',
  'note',
  'issuedAt',
  'basis',
  'committedDueAt',
]);

/** States of a case still open with its department or the applicant. */
const OPEN_STATES = Object.keys(CASE_STATES).filter(
  (s) => !FINAL_STATES.includes(s as CaseState) && s !== 'waiting',
);
const TTL_MS = 60_000;

function text(zh: string, en: string): Text {
  return { zh, en };
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

/** What a transition may carry. */
export interface CaseInput {
  note?: string;
  reasons?: string[];
  result?: Record<string, unknown>;
  kind?: (typeof SUSPENSION_KINDS)[number];
  days?: number;
}

/** What a queue request may filter by. */
export interface CaseQuery {
  state?: CaseState;
  department?: string;
  dueBefore?: string;
  warning?: WarningLevel;
  applicationId?: string;
  limit?: number;
  offset?: number;
}

const EVENT_OF: Partial<Record<CaseAction, string>> = {
  accept: 'accepted',
  'start-review': 'review_started',
  approve: 'approved',
  deny: 'denied',
  'issue-result': 'result_issued',
  return: 'returned',
  resume: 'resumed',
  suspend: 'suspended',
  extend: 'extension_requested',
  'approve-extension': 'extension_approved',
  withdraw: 'withdrawn',
  correct: 'corrected',
  urge: 'urged',
};

/** What the audit log records for each action on a case (`cases.case_` and the action). */
const AUDIT_OF: Record<CaseAction, AuditAction> = {
  accept: 'cases.case_accept',
  'start-review': 'cases.case_start_review',
  approve: 'cases.case_approve',
  deny: 'cases.case_deny',
  'issue-result': 'cases.case_issue_result',
  return: 'cases.case_return',
  resume: 'cases.case_resume',
  suspend: 'cases.case_suspend',
  extend: 'cases.case_extend',
  'approve-extension': 'cases.case_approve_extension',
  urge: 'cases.case_urge',
  withdraw: 'cases.case_withdraw',
  correct: 'cases.case_correct',
};

/** Department cases (子件): queues, transitions, clock, warnings, timeline. */
export class CaseService {
  readonly #regions = new Map<string, { set: Set<string>; at: number }>();
  #departments: { map: Map<string, Text>; at: number } | null = null;

  constructor(
    private readonly db: Kdb,
    private readonly calendars: CalendarService,
    private readonly applications: ApplicationService,
    private readonly warnFraction = DEFAULT_WARN_FRACTION,
  ) {}

  async #clock(regionCode: string, now: Date): Promise<CaseClock> {
    const calendar = await this.calendars.forRegion(regionCode, now.getTime());
    return { calendar, warnFraction: this.warnFraction };
  }

  async #regionsOf(code: string): Promise<Set<string>> {
    const cached = this.#regions.get(code);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.set;
    const set = new Set(await regionsUnder(this.db, code));
    this.#regions.set(code, { set, at: Date.now() });
    return set;
  }

  async #departmentNames(): Promise<Map<string, Text>> {
    if (this.#departments && Date.now() - this.#departments.at < TTL_MS) {
      return this.#departments.map;
    }
    const rows = await listDepartments(this.db);
    const map = new Map(rows.map((d) => [d.code, text(d.nameZh, d.nameEn)]));
    this.#departments = { map, at: Date.now() };
    return map;
  }

  async #staff(actor: Actor) {
    const [department, regions] = await Promise.all([
      cstore.departmentCodeOf(this.db, actor.departmentId),
      this.#regionsOf(actor.regionCode),
    ]);
    return { department, regions };
  }

  /** A case of the applicant's own application (404 otherwise). */
  async #ownCase(actor: Actor, id: string) {
    const row = await cstore.findCase(this.db, id);
    const app = row ? await store.findApplication(this.db, row.applicationId) : undefined;
    if (!row || !app || !isApplicant(actor) || actor.subjectId !== app.subjectId) {
      throw notFound(CASE);
    }
    const staff = { department: null, regions: new Set<string>() };
    return { row, staff, facts: { departmentCode: row.departmentCode, inActorRegion: false } };
  }

  /** A case the actor may see (404 otherwise, also for other departments' reviewers). */
  async #visible(actor: Actor, id: string) {
    const row = await cstore.findCase(this.db, id);
    const staff = await this.#staff(actor);
    if (!row) throw notFound(CASE);
    const facts = {
      departmentCode: row.departmentCode,
      inActorRegion: staff.regions.has(row.regionCode),
    };
    if (!canSeeCase(actor, staff.department, facts)) throw notFound(CASE);
    return { row, staff, facts };
  }

  async #view(
    actor: Actor,
    department: string | null,
    regions: Set<string>,
    row: CaseRow,
    segments: SegmentRow[],
    card?: cstore.ApplicationCard,
  ) {
    const departments = await this.#departmentNames();
    const item = card?.items?.find((i) => i.member === row.memberKey)?.name;
    const pendingExtension = segments.some((s) => s.kind === 'extension' && !s.approvedAt);
    const facts = {
      departmentCode: row.departmentCode,
      inActorRegion: regions.has(row.regionCode),
    };
    return {
      id: row.id,
      applicationId: row.applicationId,
      memberKey: row.memberKey,
      itemCode: row.itemCode,
      itemVersion: row.itemVersion,
      item: item ?? text(row.itemCode, row.itemCode),
      applicationNumber: card?.number ?? null,
      applicantName: card?.applicantName ?? null,
      bundleName: card?.bundleName ?? null,
      automatic: (row.decision as Decision | null)?.automatic === true,
      departmentCode: row.departmentCode,
      department:
        departments.get(row.departmentCode) ?? text(row.departmentCode, row.departmentCode),
      regionCode: row.regionCode,
      state: row.state as CaseState,
      stateName: CASE_STATES[row.state as CaseState],
      after: row.afterMembers as string[],
      inputs: row.inputs,
      results: row.results ?? null,
      committedLimit: row.committedLimit as TimeLimit,
      statutoryLimit: (row.statutoryLimit as TimeLimit | null) ?? null,
      startedAt: iso(row.startedAt),
      committedDueAt: iso(row.committedDueAt),
      statutoryDueAt: iso(row.statutoryDueAt),
      warnAt: iso(row.warnAt),
      dueProvisional: row.dueProvisional,
      warning: row.warning as WarningLevel,
      reviewerId: row.reviewerId,
      version: row.version,
      finishedAt: iso(row.finishedAt),
      segments: segments.map((s) => ({
        id: s.id,
        kind: s.kind as SegmentKind,
        label: SEGMENT_LABELS[s.kind as SegmentKind],
        reason: s.reason,
        startedAt: s.startedAt.toISOString(),
        endedAt: iso(s.endedAt),
        days: s.days,
        approvedAt: iso(s.approvedAt),
      })),
      pendingExtension,
      actions: caseActions(actor, department, {
        ...facts,
        state: row.state as CaseState,
        pendingExtension,
      }),
    };
  }

  /** Views of several cases with their segments and applications, in their order. */
  async #views(
    actor: Actor,
    staff: { department: string | null; regions: Set<string> },
    rows: readonly CaseRow[],
  ) {
    const [segments, cards] = await Promise.all([
      cstore.segmentsOf(
        this.db,
        rows.map((r) => r.id),
      ),
      cstore.applicationCards(this.db, [...new Set(rows.map((r) => r.applicationId))]),
    ]);
    const items = [];
    for (const row of rows) {
      items.push(
        await this.#view(
          actor,
          staff.department,
          staff.regions,
          row,
          segments.filter((s) => s.caseId === row.id),
          cards.get(row.applicationId),
        ),
      );
    }
    return items;
  }

  /** The queue: a reviewer's department's cases; a supervisor's region; an administrator's all. */
  async list(actor: Actor, query: CaseQuery) {
    const staff = await this.#staff(actor);
    const scope =
      actor.role === 'admin'
        ? {}
        : actor.role === 'supervisor'
          ? { regions: [...staff.regions] }
          : { departments: [staff.department ?? '-'], regions: [...staff.regions] };
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const { rows, more } = await cstore.listCases(this.db, scope, {
      state: query.state,
      department: actor.role === 'reviewer' ? undefined : query.department,
      dueBefore: query.dueBefore ? new Date(query.dueBefore) : undefined,
      warning: query.warning,
      applicationId: query.applicationId,
      limit,
      offset,
    });
    return { items: await this.#views(actor, staff, rows), limit, offset, more };
  }

  /**
   * The supervision board: open cases of the supervisor's region (all for administrators) by
   * department and state, how many are due soon (yellow) and overdue (red), and those cases,
   * earliest due first, for escalation.
   */
  async board(actor: Actor) {
    const staff = await this.#staff(actor);
    const scope = actor.role === 'admin' ? {} : { regions: [...staff.regions] };
    const open = OPEN_STATES;
    const [counts, departments, yellow, red] = await Promise.all([
      cstore.boardCounts(this.db, scope, open),
      this.#departmentNames(),
      cstore.listCases(this.db, scope, { states: open, warning: 'yellow', limit: 50, offset: 0 }),
      cstore.listCases(this.db, scope, { states: open, warning: 'red', limit: 50, offset: 0 }),
    ]);
    const byDepartment = new Map<
      string,
      { open: number; byState: Record<string, number>; dueSoon: number; overdue: number }
    >();
    for (const r of counts) {
      let d = byDepartment.get(r.departmentCode);
      if (!d)
        byDepartment.set(r.departmentCode, (d = { open: 0, byState: {}, dueSoon: 0, overdue: 0 }));
      d.open += r.n;
      d.byState[r.state] = (d.byState[r.state] ?? 0) + r.n;
      if (r.warning === 'yellow') d.dueSoon += r.n;
      if (r.warning === 'red') d.overdue += r.n;
    }
    return {
      at: new Date().toISOString(),
      departments: [...byDepartment.entries()]
        .map(([code, d]) => ({
          code,
          name: departments.get(code) ?? text(code, code),
          ...d,
        }))
        .sort((a, b) => b.overdue - a.overdue || b.dueSoon - a.dueSoon || b.open - a.open),
      dueSoon: await this.#views(actor, staff, yellow.rows),
      overdue: await this.#views(actor, staff, red.rows),
    };
  }

  /**
   * The combined result package of an application (一窗出件): every case's decision and result in
   * one place, complete once every case is final, with the result notice.
   */
  async results(actor: Actor, applicationId: string) {
    const line = await this.timeline(actor, applicationId);
    const [app, cases, notices] = await Promise.all([
      store.findApplication(this.db, applicationId),
      cstore.casesOf(this.db, [applicationId]),
      store.listNotices(this.db, applicationId),
    ]);
    const items = guideItemsOf(app!);
    const byId = new Map(cases.map((c) => [c.id, c]));
    const notice = notices.find((n) => n.kind === 'result') ?? null;
    return {
      applicationId,
      number: line.number,
      bundleName: (app!.snapshot as { bundle?: { name?: Text } } | null)?.bundle?.name ?? null,
      progress: line.progress,
      complete: cases.length > 0 && cases.every((c) => FINAL_STATES.includes(c.state as CaseState)),
      issuedAt: notice?.issuedAt.toISOString() ?? null,
      notice: notice ? { id: notice.id, number: notice.number } : null,
      items: line.cases.map((c) => {
        const row = byId.get(c.id)!;
        const { decision, results } = caseDecision(row);
        const resultName = items.get(c.memberKey)?.result.name ?? null;
        const all = (results ?? {}) as Record<string, unknown>;
        // what the result produced, apart from the decision's own record
        const produced = Object.fromEntries(
          Object.entries(all).filter(([key]) => !DECISION_KEYS.has(key)),
        );
        const { automatic, checks, reasons, note, issuedAt, basis } = all;
        return {
          caseId: c.id,
          memberKey: c.memberKey,
          item: c.item,
          department: c.department,
          state: c.state,
          stateName: c.stateName,
          decision,
          automatic: automatic === true,
          resultName: resultName ? text(resultName, resultName) : null,
          result: Object.keys(produced).length > 0 ? produced : null,
          reasons: (reasons as string[] | undefined) ?? [],
          checks: (checks as unknown[] | undefined) ?? [],
          basis: (basis as string | undefined) ?? null,
          note: (note as string | undefined) ?? null,
          issuedAt: (issuedAt as string | undefined) ?? c.finishedAt,
        };
      }),
    };
  }

  /** One case with its segments, events and materials (files, and what was attached instead). */
  async get(actor: Actor, id: string) {
    const { row, staff } = await this.#visible(actor, id);
    const [segments, events, cards, materials] = await Promise.all([
      cstore.segmentsOf(this.db, [id]),
      cstore.caseEventsOf(this.db, { caseId: id }),
      cstore.applicationCards(this.db, [row.applicationId]),
      caseMaterials(this.db, row),
    ]);
    return {
      ...(await this.#view(
        actor,
        staff.department,
        staff.regions,
        row,
        segments,
        cards.get(row.applicationId),
      )),
      events: events.map(eventView),
      materials,
    };
  }

  /** An uploaded file of a material the case uses, for the staff who may see the case. */
  async download(actor: Actor, id: string, uploadId: string) {
    const { row } = await this.#visible(actor, id);
    return caseUpload(this.db, row, uploadId);
  }

  /** The licence attached in place of a material of the case, opened and logged (查看证照). */
  async openLicence(actor: Actor, id: string, materialKey: string, licenceId: string) {
    const { row } = await this.#visible(actor, id);
    const card = await store.findUserCard(this.db, actor.userId);
    return openCaseLicence(
      this.db,
      this.applications.sources,
      row,
      materialKey,
      licenceId,
      actor,
      { name: card?.displayName ?? actor.username, departmentCode: card?.departmentCode ?? null },
      new Date(),
    );
  }

  /**
   * A transition: who may (404 for a case the actor cannot see, 403 for a role that cannot act),
   * what the state allows (409 `cases.invalid_state`), under a row lock so that of two reviewers
   * acting at once exactly one wins; segments and dues recomputed; events and audit.
   */
  async act(
    actor: Actor,
    id: string,
    action: CaseAction,
    input: CaseInput,
    meta: RequestMeta,
    now = new Date(),
    claim: { key: string; hash: string } | null = null,
  ) {
    const byApplicant = CASE_ACTOR_ROLES[action] === 'applicant';
    const {
      row: before,
      staff,
      facts,
    } = byApplicant ? await this.#ownCase(actor, id) : await this.#visible(actor, id);
    if (!byApplicant && !canActOnCase(actor, staff.department, facts, action)) {
      throw forbidden(
        text(
          '您的角色或部门不能对此子件执行该操作',
          'your role or department may not do this to the case',
        ),
      );
    }
    checkCaseTransition(before.state as CaseState, action, 'in_review');
    const clock = await this.#clock(before.regionCode, now);
    const card = await store.findUserCard(this.db, actor.userId);
    const by = {
      actorId: actor.userId,
      actorName: card?.displayName ?? actor.username,
      actorRole: actor.role,
    };
    const { row, segments } = await this.db.transaction().execute(async (trx) => {
      if (
        claim &&
        !(await cstore.claimActionRequest(trx, {
          userId: actor.userId,
          idempotencyKey: claim.key,
          regionCode: before.regionCode,
          caseId: id,
          action,
          requestHash: claim.hash,
          createdAt: now,
        }))
      ) {
        throw new KeyTaken();
      }
      // A transition may release, withdraw or complete siblings: lock the application's cases, in
      // one order, and the application row the outcomes are recorded against.
      const siblings = await cstore.lockCasesOf(trx, before.applicationId);
      const locked = siblings.find((c) => c.id === id);
      const app = await store.findApplication(trx, before.applicationId);
      if (!locked || !app) throw notFound(CASE);
      const state = locked.state as CaseState;
      let segments = await cstore.segmentsOf(trx, [id]);
      const open = segments.find((s) => s.kind !== 'extension' && !s.endedAt);
      const pendingExt = segments.find((s) => s.kind === 'extension' && !s.approvedAt);
      const next = checkCaseTransition(state, action, (open?.resumeState as CaseState) ?? null);
      const patch: Parameters<typeof cstore.updateCase>[2] = { state: next, updatedAt: now };
      let clockChanged = false;
      const detail: Record<string, unknown> = {};
      switch (action) {
        case 'accept':
          patch.reviewerId = actor.userId;
          break;
        case 'approve':
          patch.results = JSON.stringify({
            decision: 'approved',
            note: input.note ?? null,
            ...(input.result ?? {}),
          });
          break;
        case 'deny':
          patch.results = JSON.stringify({
            decision: 'denied',
            reasons: input.reasons ?? [],
            note: input.note ?? null,
          });
          detail.reasons = input.reasons;
          break;
        case 'withdraw':
          patch.finishedAt = now;
          patch.alertAt = null;
          break;
        case 'issue-result':
          patch.finishedAt = now;
          patch.alertAt = null;
          patch.results = JSON.stringify({
            ...((locked.results as object | null) ?? {}),
            issuedAt: now.toISOString(),
            ...(input.result ?? {}),
          });
          break;
        case 'return':
        case 'suspend': {
          const kind: SegmentKind = action === 'return' ? 'correction' : (input.kind ?? 'hearing');
          await cstore.insertSegment(trx, {
            id: randomUUID(),
            caseId: id,
            regionCode: locked.regionCode,
            kind,
            reason: input.note ?? '',
            startedAt: now,
            endedAt: null,
            resumeState: state,
            days: null,
            requestedBy: actor.userId,
            approvedAt: null,
            approvedBy: null,
          });
          detail.kind = kind;
          clockChanged = true;
          break;
        }
        case 'resume':
        case 'correct':
          if (!open) throw invalidCaseState(state, action);
          await cstore.updateSegment(trx, open.id, { endedAt: now });
          clockChanged = true;
          break;
        case 'urge':
          await notify(
            trx,
            {
              to: {
                department: {
                  code: locked.departmentCode,
                  regionCode: locked.regionCode,
                  roles: ['reviewer'],
                },
              },
              kind: 'cases.urged',
              title: text('督办通知', 'Urged by the supervisor'),
              body: text(
                `申请 ${app.number} 的子件被督办：${input.note ?? ''}`,
                `A case of application ${app.number} was urged: ${input.note ?? ''}`,
              ),
              link: `/workbench/cases/${id}`,
              dedupeKey: `case-urged:${id}:${locked.version}`,
            },
            now,
          );
          break;
        case 'extend':
          if (pendingExt) throw invalidCaseState(state, action);
          await cstore.insertSegment(trx, {
            id: randomUUID(),
            caseId: id,
            regionCode: locked.regionCode,
            kind: 'extension',
            reason: input.note ?? '',
            startedAt: now,
            endedAt: null,
            resumeState: null,
            days: input.days ?? 1,
            requestedBy: actor.userId,
            approvedAt: null,
            approvedBy: null,
          });
          detail.days = input.days;
          break;
        case 'approve-extension':
          if (!pendingExt) throw invalidCaseState(state, action);
          await cstore.updateSegment(trx, pendingExt.id, {
            approvedAt: now,
            approvedBy: actor.userId,
          });
          detail.days = pendingExt.days;
          clockChanged = true;
          break;
        default:
          break;
      }
      if (clockChanged) {
        segments = await cstore.segmentsOf(trx, [id]);
        Object.assign(patch, dueColumns(clock, locked, segments, now).columns);
      }
      const updated = await cstore.updateCase(trx, id, patch);
      await cstore.appendCaseEvents(trx, [
        {
          caseId: id,
          applicationId: locked.applicationId,
          regionCode: locked.regionCode,
          at: now,
          action: EVENT_OF[action] ?? action,
          fromState: state,
          toState: next,
          ...by,
          note: input.note ?? (input.reasons ? input.reasons.join('；') : null),
          detail: Object.keys(detail).length > 0 ? JSON.stringify(detail) : null,
        },
      ]);
      let after = siblings.map((c) => (c.id === id ? updated : c));
      let released: CaseRow[] = [];
      if (next === 'result_issued' && state === 'denied') {
        // what waited for a denied item can no longer start: it ends with it
        detail.endedWith = await withdrawStranded(
          trx,
          after,
          locked.memberKey,
          now,
          'ended_with_denial',
        );
        after = await cstore.casesOf(trx, [locked.applicationId]);
      } else if (next === 'result_issued') {
        after = await settleCases(trx, after, clock, now);
        const waited = new Set(siblings.filter((c) => c.state === 'waiting').map((c) => c.id));
        released = after.filter((c) => waited.has(c.id) && c.state !== 'waiting');
      }
      if (next === 'withdrawn') {
        detail.withdrawnWith = await withdrawStranded(trx, siblings, locked.memberKey, now);
        after = await cstore.casesOf(trx, [locked.applicationId]);
      }
      await recordOutcomes(trx, app, siblings, after, now);
      await appendAudit(trx, {
        actorId: actor.userId,
        actorRole: actor.role,
        action: AUDIT_OF[action],
        objectType: 'case',
        objectId: id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: {
          application: locked.applicationId,
          member: locked.memberKey,
          from: state,
          to: next,
          ...detail,
          ...(released.length > 0 ? { released: released.map((r) => r.memberKey) } : {}),
        },
      });
      return { row: updated, segments };
    });
    const cards = await cstore.applicationCards(this.db, [row.applicationId]);
    return this.#view(
      actor,
      staff.department,
      staff.regions,
      row,
      segments,
      cards.get(row.applicationId),
    );
  }

  /**
   * A transition that may be retried: with an Idempotency-Key, a retry of an action that was done
   * (its reply lost) returns the case as it stands instead of a conflict, and the same key for
   * another case, action or body is 409 `cases.idempotency_conflict`. Two requests with the same
   * key at once: the second waits on the key's row and then replays.
   */
  async actOnce(
    actor: Actor,
    id: string,
    action: CaseAction,
    input: CaseInput,
    meta: RequestMeta,
    key: string | undefined,
  ) {
    if (!key) return { view: await this.act(actor, id, action, input, meta), replayed: false };
    const hash = sha256Hex(Buffer.from(canonicalJson({ id, action, input })));
    const replay = async () => {
      const first = await cstore.findActionRequest(this.db, actor.userId, key);
      if (!first) return null;
      if (first.requestHash !== hash) throw idempotencyConflict();
      const byApplicant = CASE_ACTOR_ROLES[action] === 'applicant';
      const { row, staff } = byApplicant
        ? await this.#ownCase(actor, id)
        : await this.#visible(actor, id);
      const [segments, cards] = await Promise.all([
        cstore.segmentsOf(this.db, [id]),
        cstore.applicationCards(this.db, [row.applicationId]),
      ]);
      const view = await this.#view(
        actor,
        staff.department,
        staff.regions,
        row,
        segments,
        cards.get(row.applicationId),
      );
      return { view, replayed: true };
    };
    const earlier = await replay();
    if (earlier) return earlier;
    try {
      const view = await this.act(actor, id, action, input, meta, new Date(), { key, hash });
      return { view, replayed: false };
    } catch (error) {
      if (!(error instanceof KeyTaken)) throw error;
      const again = await replay();
      if (again) return again;
      throw error;
    }
  }

  /**
   * Records the warnings that have come due: yellow once the warning instant has passed (a message
   * to the department's reviewers), red and an escalation to the region's supervisors once the
   * committed due has. Idempotent: each case's next alert instant moves on as it is recorded. Cases
   * whose item deems them approved on timeout (超时默认) are then decided. Returns what it recorded.
   */
  async sweepWarnings(
    now = new Date(),
    actor: Actor | null = null,
    meta: RequestMeta | null = null,
  ) {
    const recorded: { caseId: string; warning: WarningLevel }[] = [];
    const deem: { id: string; regionCode: string }[] = [];
    const batch = 500;
    for (;;) {
      const done = await this.db.transaction().execute(async (trx) => {
        const rows = await cstore.dueForAlert(trx, now, batch);
        const events = [];
        const alerts: { id: string; warning: WarningLevel; alertAt: Date | null }[] = [];
        for (const row of rows) {
          const due = { warnAt: row.warnAt, committedDueAt: row.committedDueAt };
          const level = warningLevel(due, now);
          const rank = { none: 0, yellow: 1, red: 2 } as const;
          const previous = row.warning as WarningLevel;
          const warning = rank[level] > rank[previous] ? level : previous;
          alerts.push({ id: row.id, warning, alertAt: nextAlertAt(due, warning) });
          if (warning === 'red' && deemsApproved(row)) {
            deem.push({ id: row.id, regionCode: row.regionCode });
          }
          if (warning === previous) continue;
          const common = {
            caseId: row.id,
            applicationId: row.applicationId,
            regionCode: row.regionCode,
            at: now,
            fromState: row.state,
            toState: row.state,
            actorId: null,
            actorName: CASE_SYSTEM_NAME,
            actorRole: null,
          };
          const dueText =
            (warning === 'red' ? row.committedDueAt : row.warnAt)?.toISOString() ?? '';
          events.push({
            ...common,
            action: `warning_${warning}`,
            note: null,
            detail: JSON.stringify({
              committedDueAt: row.committedDueAt?.toISOString() ?? null,
              at: dueText,
            }),
          });
          if (warning === 'red') {
            events.push({
              ...common,
              action: 'escalated',
              note: null,
              detail: JSON.stringify({ to: 'supervisor' }),
            });
          }
          await this.#warn(trx, row, warning, now);
          recorded.push({ caseId: row.id, warning });
        }
        await cstore.recordAlerts(trx, alerts);
        await cstore.appendCaseEvents(trx, events);
        if (events.length > 0) {
          await appendAudit(trx, {
            actorId: actor?.userId ?? null,
            actorRole: actor?.role ?? null,
            action: 'cases.warnings_swept',
            objectType: 'case',
            objectId: null,
            ip: meta?.ip ?? null,
            requestId: meta?.requestId ?? null,
            detail: { at: now.toISOString(), recorded: events.length },
          });
        }
        return rows.length < batch;
      });
      if (done) break;
    }
    const deemed: string[] = [];
    for (const c of deem) {
      if (await this.#deemApproved(c.id, c.regionCode, now)) deemed.push(c.id);
    }
    return {
      at: now.toISOString(),
      yellow: recorded.filter((r) => r.warning === 'yellow').length,
      red: recorded.filter((r) => r.warning === 'red').length,
      deemedApproved: deemed.length,
      cases: recorded,
    };
  }

  /** The messages of a warning: the department's reviewers, and on red the supervisors over it. */
  async #warn(trx: Tx, row: cstore.AlertRow, warning: WarningLevel, now: Date) {
    const link = `/workbench/cases/${row.id}`;
    const due = row.committedDueAt
      ? toOffsetIso(row.committedDueAt).slice(0, 16).replace('T', ' ')
      : '';
    if (warning === 'yellow') {
      await notify(
        trx,
        {
          to: {
            department: {
              code: row.departmentCode,
              regionCode: row.regionCode,
              roles: ['reviewer'],
            },
          },
          kind: 'cases.warning_yellow',
          title: text('子件即将到期（黄灯）', 'Case due soon (yellow)'),
          body: text(`承诺时限 ${due} 到期，请抓紧办理。`, `The committed limit ends at ${due}.`),
          link,
          dedupeKey: `case-yellow:${row.id}:${row.committedDueAt?.toISOString() ?? ''}`,
        },
        now,
      );
      return;
    }
    const supervisors = await cstore.supervisorsOver(trx, row.regionCode);
    await notify(
      trx,
      {
        to: {
          userIds: supervisors,
          department: { code: row.departmentCode, regionCode: row.regionCode, roles: ['reviewer'] },
        },
        kind: 'cases.escalated',
        title: text('子件超期（红灯）督办', 'Case overdue (red): escalated'),
        body: text(
          `承诺时限已于 ${due} 届满，已提交监督人员督办。`,
          `The committed limit ended at ${due}; escalated to the supervisor.`,
        ),
        link,
        dedupeKey: `case-red:${row.id}:${row.committedDueAt?.toISOString() ?? ''}`,
      },
      now,
    );
  }

  /**
   * 超时默认: a running case whose item's rules deem it approved once its committed limit has
   * passed without a decision is approved by the system, its result issued, and what waits for it
   * released. False when the case moved on meanwhile.
   */
  async #deemApproved(id: string, regionCode: string, now: Date): Promise<boolean> {
    const clock = await this.#clock(regionCode, now);
    return this.db.transaction().execute(async (trx) => {
      const row = await cstore.findCase(trx, id);
      if (!row) return false;
      const siblings = await cstore.lockCasesOf(trx, row.applicationId);
      const locked = siblings.find((c) => c.id === id);
      const app = await store.findApplication(trx, row.applicationId);
      if (
        !locked ||
        !app ||
        !RUNNING_STATES.includes(locked.state as CaseState) ||
        !deemsApproved(locked) ||
        !locked.committedDueAt ||
        locked.committedDueAt.getTime() >= now.getTime()
      ) {
        return false;
      }
      const basis = (locked.decision as Decision).basis ?? null;
      const updated = await cstore.updateCase(trx, id, {
        state: 'deemed_approved',
        results: JSON.stringify({
          decision: 'deemed_approved',
          automatic: true,
          basis,
          committedDueAt: locked.committedDueAt.toISOString(),
          issuedAt: now.toISOString(),
        }),
        finishedAt: now,
        alertAt: null,
        updatedAt: now,
      });
      await cstore.appendCaseEvents(trx, [
        {
          caseId: id,
          applicationId: locked.applicationId,
          regionCode: locked.regionCode,
          at: now,
          action: 'deemed_approved',
          fromState: locked.state,
          toState: 'deemed_approved',
          actorId: null,
          actorName: CASE_SYSTEM_NAME,
          actorRole: null,
          note: basis,
          detail: JSON.stringify({ committedDueAt: locked.committedDueAt.toISOString() }),
        },
      ]);
      const after = await settleCases(
        trx,
        siblings.map((c) => (c.id === id ? updated : c)),
        clock,
        now,
      );
      await recordOutcomes(trx, app, siblings, after, now);
      await appendAudit(trx, {
        actorId: null,
        actorRole: null,
        action: 'cases.case_deemed_approved',
        objectType: 'case',
        objectId: id,
        ip: null,
        requestId: null,
        detail: { application: locked.applicationId, member: locked.memberKey, from: locked.state },
      });
      return true;
    });
  }

  /**
   * The application's timeline: its own events and every step of its cases in time order, with
   * department, what is awaited of whom and the due instants. The applicant sees the steps; staff
   * also see who took each.
   */
  async timeline(actor: Actor, applicationId: string) {
    const staff = isApplicant(actor) ? null : await this.#staff(actor);
    if (actor.role === 'reviewer') {
      const app = await store.findApplication(this.db, applicationId);
      const cases = app ? await cstore.casesOf(this.db, [applicationId]) : [];
      if (
        !cases.some(
          (c) => c.departmentCode === staff?.department && staff.regions.has(c.regionCode),
        )
      ) {
        throw notFound(text('申请', 'application'));
      }
    } else {
      // the application's own reading rules (404 for an application the caller may not see)
      await this.applications.get(actor, applicationId);
    }
    const app = await store.findApplication(this.db, applicationId);
    if (!app) throw notFound(text('申请', 'application'));
    const [appEvents, cases, events, departments] = await Promise.all([
      store.listEvents(this.db, applicationId),
      cstore.casesOf(this.db, [applicationId]),
      cstore.caseEventsOf(this.db, { applicationId }),
      this.#departmentNames(),
    ]);
    const guideItems =
      ((app.snapshot as { guide?: { items?: { member: string; name: Text }[] } } | null)?.guide
        ?.items as { member: string; name: Text }[] | undefined) ?? [];
    const itemName = (member: string) =>
      guideItems.find((i) => i.member === member)?.name ?? text(member, member);
    const deptName = (code: string) => departments.get(code) ?? text(code, code);
    const showActors = !isApplicant(actor);
    const byCase = new Map(cases.map((c) => [c.id, c]));
    const steps = [
      ...appEvents.map((e) => ({
        at: e.at.toISOString(),
        source: 'application' as const,
        caseId: null,
        memberKey: null,
        item: null,
        department: null,
        action: e.action,
        label: EVENT_LABELS[e.action] ?? text(e.action, e.action),
        state: null,
        ...(showActors ? { actorName: e.actorName, actorRole: e.actorRole } : {}),
        note: e.note,
      })),
      ...events.map((e) => {
        const c = byCase.get(e.caseId)!;
        return {
          at: e.at.toISOString(),
          source: 'case' as const,
          caseId: e.caseId,
          memberKey: c.memberKey,
          item: itemName(c.memberKey),
          department: deptName(c.departmentCode),
          action: e.action,
          label: CASE_EVENT_LABELS[e.action] ?? text(e.action, e.action),
          state: e.toState,
          ...(showActors ? { actorName: e.actorName, actorRole: e.actorRole } : {}),
          note: e.note,
        };
      }),
    ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const overall = applicationProgress(
      cases.map((c) => ({
        state: c.state as CaseState,
        committedDueAt: c.committedDueAt,
        results: c.results,
      })),
    );
    return {
      applicationId,
      number: app.number,
      status: app.status,
      progress: overall.progress,
      expectedBy: iso(overall.dueAt) ?? iso(app.expectedBy),
      cases: cases.map((c) => ({
        id: c.id,
        memberKey: c.memberKey,
        item: itemName(c.memberKey),
        department: deptName(c.departmentCode),
        state: c.state as CaseState,
        stateName: CASE_STATES[c.state as CaseState],
        awaited: awaited(c.state as CaseState),
        startedAt: iso(c.startedAt),
        committedDueAt: iso(c.committedDueAt),
        statutoryDueAt: iso(c.statutoryDueAt),
        warning: c.warning as WarningLevel,
        finishedAt: iso(c.finishedAt),
      })),
      steps,
    };
  }

  /** The overall progress of applications from their cases (for the application views). */
  async progressOf(applicationIds: readonly string[]) {
    const cases = await cstore.casesOf(this.db, applicationIds);
    const out = new Map<string, ReturnType<typeof applicationProgress>>();
    for (const id of applicationIds) {
      out.set(
        id,
        applicationProgress(
          cases
            .filter((c) => c.applicationId === id)
            .map((c) => ({
              state: c.state as CaseState,
              committedDueAt: c.committedDueAt,
              results: c.results,
            })),
        ),
      );
    }
    return out;
  }
}

/** Another request holds the action's idempotency key (it committed first). */
class KeyTaken extends Error {}

/** Whether the case's item deems it approved when its committed limit passes (超时默认). */
function deemsApproved(row: Pick<CaseRow, 'decision'>): boolean {
  return (row.decision as Decision | null)?.deemedApprovedOnTimeout === true;
}

function eventView(e: cstore.CaseEventRow) {
  return {
    at: e.at.toISOString(),
    action: e.action,
    label: CASE_EVENT_LABELS[e.action] ?? text(e.action, e.action),
    fromState: e.fromState,
    toState: e.toState,
    actorName: e.actorName,
    actorRole: e.actorRole,
    note: e.note,
    detail: e.detail ?? null,
  };
}

/** Withdraws the waiting cases that can no longer start; returns their members. */
async function withdrawStranded(
  trx: Tx,
  siblings: readonly CaseRow[],
  memberKey: string,
  now: Date,
  action: 'withdrawn_with_earlier' | 'ended_with_denial' = 'withdrawn_with_earlier',
) {
  const keys = stranded(
    siblings.map((c) => ({
      memberKey: c.memberKey,
      state: c.state as CaseState,
      after: c.afterMembers as string[],
    })),
    memberKey,
  );
  for (const key of keys) {
    const c = siblings.find((x) => x.memberKey === key)!;
    await cstore.updateCase(trx, c.id, {
      state: 'withdrawn',
      finishedAt: now,
      alertAt: null,
      updatedAt: now,
    });
    await cstore.appendCaseEvents(trx, [
      {
        caseId: c.id,
        applicationId: c.applicationId,
        regionCode: c.regionCode,
        at: now,
        action,
        fromState: c.state,
        toState: 'withdrawn',
        actorId: null,
        actorName: CASE_SYSTEM_NAME,
        actorRole: null,
        note: null,
        detail: JSON.stringify({ earlier: memberKey }),
      },
    ]);
  }
  return keys;
}
