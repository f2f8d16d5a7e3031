import { randomUUID } from 'node:crypto';
import type { TimeLimit } from '../catalog';
import { appendAudit } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import type { CalendarService } from '../platform/calendar/service';
import type { Kdb, Tx } from '../platform/db/database';
import { forbidden, notFound } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import { listDepartments } from '../platform/regions';
import {
  applicationProgress,
  awaited,
  canActOnCase,
  canSeeCase,
  caseActions,
  CASE_EVENT_LABELS,
  CASE_STATES,
  checkCaseTransition,
  invalidCaseState,
  warningLevel,
  nextAlertAt,
  SEGMENT_LABELS,
  stranded,
  type SUSPENSION_KINDS,
  type CaseAction,
  type CaseState,
  type SegmentKind,
  type WarningLevel,
} from './casework';
import { CASE_SYSTEM_NAME, dueColumns, releaseWaiting } from './department-fanout';
import * as cstore from './department-store';
import type { CaseRow, SegmentRow } from './department-store';
import { EVENT_LABELS, isApplicant } from './model';
import type { ApplicationService } from './service';
import * as store from './store';

// The use cases of department cases: the reviewer's queue, transitions under a row lock, the clock,
// the warning sweep and the application's timeline. Reads through other services (the calendar)
// happen before a transaction opens.

const CASE: Text = { zh: '子件', en: 'case' };
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
};

/** Department cases (子件): queues, transitions, clock, warnings, timeline. */
export class CaseService {
  readonly #regions = new Map<string, { set: Set<string>; at: number }>();
  #departments: { map: Map<string, Text>; at: number } | null = null;

  constructor(
    private readonly db: Kdb,
    private readonly calendars: CalendarService,
    private readonly applications: ApplicationService,
  ) {}

  async #regionsOf(code: string): Promise<Set<string>> {
    const cached = this.#regions.get(code);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.set;
    const set = new Set(await store.regionsUnder(this.db, code));
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
  ) {
    const departments = await this.#departmentNames();
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
      dueBefore: query.dueBefore ? new Date(query.dueBefore) : undefined,
      warning: query.warning,
      applicationId: query.applicationId,
      limit,
      offset,
    });
    const segments = await cstore.segmentsOf(
      this.db,
      rows.map((r) => r.id),
    );
    const items = [];
    for (const row of rows) {
      items.push(
        await this.#view(
          actor,
          staff.department,
          staff.regions,
          row,
          segments.filter((s) => s.caseId === row.id),
        ),
      );
    }
    return { items, limit, offset, more };
  }

  /** One case with its segments and events. */
  async get(actor: Actor, id: string) {
    const { row, staff } = await this.#visible(actor, id);
    const [segments, events] = await Promise.all([
      cstore.segmentsOf(this.db, [id]),
      cstore.caseEventsOf(this.db, { caseId: id }),
    ]);
    return {
      ...(await this.#view(actor, staff.department, staff.regions, row, segments)),
      events: events.map(eventView),
    };
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
  ) {
    const {
      row: before,
      staff,
      facts,
    } = action === 'withdraw' ? await this.#ownCase(actor, id) : await this.#visible(actor, id);
    if (action !== 'withdraw' && !canActOnCase(actor, staff.department, facts, action)) {
      throw forbidden(
        text(
          '您的角色或部门不能对此子件执行该操作',
          'your role or department may not do this to the case',
        ),
      );
    }
    checkCaseTransition(before.state as CaseState, action, 'in_review');
    const calendar = await this.calendars.forRegion(before.regionCode, now.getTime());
    const card = await store.findUserCard(this.db, actor.userId);
    const by = {
      actorId: actor.userId,
      actorName: card?.displayName ?? actor.username,
      actorRole: actor.role,
    };
    const { row, segments } = await this.db.transaction().execute(async (trx) => {
      // issuing a result may release siblings: lock the application's cases in one order
      const siblings =
        action === 'issue-result' || action === 'withdraw'
          ? await cstore.lockCasesOf(trx, before.applicationId)
          : null;
      const locked = siblings ? siblings.find((c) => c.id === id) : await cstore.lockCase(trx, id);
      if (!locked) throw notFound(CASE);
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
          if (!open) throw invalidCaseState(state, action);
          await cstore.updateSegment(trx, open.id, { endedAt: now });
          clockChanged = true;
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
        Object.assign(patch, dueColumns(calendar, locked, segments, now).columns);
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
      let released: CaseRow[] = [];
      if (siblings && next === 'result_issued') {
        const now_ = siblings.map((c) => (c.id === id ? updated : c));
        released = await releaseWaiting(trx, now_, calendar, now);
      }
      if (siblings && next === 'withdrawn') {
        detail.withdrawnWith = await withdrawStranded(trx, siblings, locked.memberKey, now);
      }
      await appendAudit(trx, {
        actorId: actor.userId,
        actorRole: actor.role,
        action: `cases.case_${action.replaceAll('-', '_')}`,
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
    return this.#view(actor, staff.department, staff.regions, row, segments);
  }

  /**
   * Records the warnings that have come due: yellow once the warning instant has passed, red and an
   * escalation to the supervisor once the committed due has. Idempotent: each case's next alert
   * instant moves on as it is recorded. Returns what it recorded.
   */
  async sweepWarnings(
    now = new Date(),
    actor: Actor | null = null,
    meta: RequestMeta | null = null,
  ) {
    const recorded: { caseId: string; warning: WarningLevel }[] = [];
    const batch = 500;
    for (;;) {
      const done = await this.db.transaction().execute(async (trx) => {
        const rows = await cstore.dueForAlert(trx, now, batch);
        const events = [];
        for (const row of rows) {
          const due = { warnAt: row.warnAt, committedDueAt: row.committedDueAt };
          const level = warningLevel(due, now);
          const rank = { none: 0, yellow: 1, red: 2 } as const;
          const previous = row.warning as WarningLevel;
          const warning = rank[level] > rank[previous] ? level : previous;
          await cstore.updateCase(trx, row.id, { warning, alertAt: nextAlertAt(due, warning) });
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
          recorded.push({ caseId: row.id, warning });
        }
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
    return {
      at: now.toISOString(),
      yellow: recorded.filter((r) => r.warning === 'yellow').length,
      red: recorded.filter((r) => r.warning === 'red').length,
      cases: recorded,
    };
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
        action: 'withdrawn_with_earlier',
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
