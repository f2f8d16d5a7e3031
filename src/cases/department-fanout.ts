import { randomUUID } from 'node:crypto';
import type { GuideItem } from '../bundles';
import type { TimeLimit } from '../catalog';
import type { Decision } from '../catalog/schema';
import type { WorkCalendar } from '../platform/calendar';
import type { Tx } from '../platform/db/database';
import {
  computeDue,
  nextAlertAt,
  releasable,
  type CaseState,
  type ClockSegment,
  type WarningLevel,
} from './casework';
import { evaluateDecision, newEnterpriseUscc, type DecisionContext } from './decisions';
import * as cstore from './department-store';
import type { CaseRow, SegmentRow } from './department-store';

// Fan-out of an accepted application into department cases and their release along the bundle's
// dependency graph. Runs inside the caller's transaction; the calendar is read before it opens.

/** Who a system step is recorded under. */
export const CASE_SYSTEM_NAME = '系统 (system)';

/** The clock of a region's cases, read before a transaction opens. */
export interface CaseClock {
  calendar: WorkCalendar;
  /** The share of the committed limit that is the yellow warning window. */
  warnFraction: number;
}

const SYSTEM = { actorId: null, actorName: CASE_SYSTEM_NAME, actorRole: null } as const;

/** Segments as the clock needs them. */
export function clockSegments(rows: readonly SegmentRow[]): ClockSegment[] {
  return rows.map((s) => ({
    kind: s.kind as ClockSegment['kind'],
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    days: s.days,
    approvedAt: s.approvedAt,
  }));
}

/** The cached due columns of a case from its start and segments, with the warning kept or lowered. */
export function dueColumns(
  clock: CaseClock,
  row: Pick<CaseRow, 'startedAt' | 'committedLimit' | 'statutoryLimit' | 'warning'>,
  segments: readonly SegmentRow[],
  now: Date,
) {
  const due = computeDue(
    clock.calendar,
    row.startedAt,
    row.committedLimit as TimeLimit,
    (row.statutoryLimit as TimeLimit | null) ?? null,
    clockSegments(segments),
    clock.warnFraction,
  );
  const previous = row.warning as WarningLevel;
  // An extension may take a red case back to yellow or none; the sweep records any rise.
  const rank = { none: 0, yellow: 1, red: 2 } as const;
  const now_ = due.committedDueAt
    ? due.committedDueAt.getTime() < now.getTime()
      ? 'red'
      : due.warnAt && due.warnAt.getTime() <= now.getTime()
        ? 'yellow'
        : 'none'
    : previous;
  const warning: WarningLevel = rank[now_] < rank[previous] ? now_ : previous;
  return {
    due,
    columns: {
      committedDueAt: due.committedDueAt,
      statutoryDueAt: due.statutoryDueAt,
      warnAt: due.warnAt,
      dueProvisional: due.provisional,
      warning,
      alertAt: nextAlertAt(due, warning),
    },
  };
}

/** The applicant facts a case carries for its decision checks (申请人). */
export interface CaseApplicant {
  kind: string;
  identifier: string;
}

/**
 * Creates one case per member of an accepted application: those that wait for nothing start now
 * (clock running from acceptance), the others wait. Each case keeps its item's decision rules;
 * cases decided automatically (秒批) are settled at once, releasing those that wait for them.
 */
export async function fanOutCases(
  trx: Tx,
  app: { id: string; regionCode: string; applicant: CaseApplicant },
  items: readonly GuideItem[],
  byMember: Record<string, Record<string, unknown>>,
  itemVersions: Record<string, number>,
  decisions: Record<string, Decision | null>,
  clock: CaseClock,
  now: Date,
): Promise<CaseRow[]> {
  const members = new Set(items.map((i) => i.member));
  const rows = items.map((item) => {
    const after = item.after.filter((key) => members.has(key));
    const released = after.length === 0;
    const base = {
      startedAt: released ? now : null,
      committedLimit: item.committedLimit,
      statutoryLimit: item.statutoryLimit,
      warning: 'none',
    };
    const { columns } = dueColumns(clock, base, [], now);
    const decision = decisions[item.code] ?? null;
    const inputs = {
      answers: item.answers,
      data: byMember[item.member] ?? {},
      applicant: { kind: app.applicant.kind, identifier: app.applicant.identifier },
    };
    return {
      id: randomUUID(),
      applicationId: app.id,
      memberKey: item.member,
      regionCode: app.regionCode,
      itemCode: item.code,
      itemVersion: itemVersions[item.code] ?? 0,
      departmentCode: item.department,
      state: released ? 'pending' : 'waiting',
      afterMembers: JSON.stringify(after),
      inputs: JSON.stringify(inputs),
      results: null,
      decision: decision ? JSON.stringify(decision) : null,
      committedLimit: JSON.stringify(item.committedLimit),
      statutoryLimit: item.statutoryLimit ? JSON.stringify(item.statutoryLimit) : null,
      startedAt: base.startedAt,
      ...columns,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    };
  });
  await cstore.insertCases(trx, rows);
  await cstore.appendCaseEvents(
    trx,
    rows.flatMap((r) => {
      const common = { caseId: r.id, applicationId: app.id, regionCode: app.regionCode, at: now };
      const created = {
        ...common,
        ...SYSTEM,
        action: 'created',
        fromState: null,
        toState: 'waiting',
        note: null,
        detail: null,
      };
      if (r.state === 'waiting') return [created];
      return [
        created,
        {
          ...common,
          ...SYSTEM,
          action: 'released',
          fromState: 'waiting',
          toState: 'pending',
          note: null,
          detail: null,
        },
      ];
    }),
  );
  const cases = await cstore.casesOf(trx, [app.id]);
  const fresh = cases.filter((c) => c.state === 'pending').map((c) => c.id);
  return settleCases(trx, cases, clock, now, fresh);
}

/**
 * Releases the waiting cases of an application whose every dependency is done, passing the done
 * cases' results as inputs. `cases` are the application's cases, locked, as they stand now.
 */
export async function releaseWaiting(
  trx: Tx,
  cases: readonly CaseRow[],
  clock: CaseClock,
  now: Date,
): Promise<CaseRow[]> {
  const graph = cases.map((c) => ({
    memberKey: c.memberKey,
    state: c.state as CaseState,
    after: c.afterMembers as string[],
  }));
  const keys = new Set(releasable(graph));
  const released: CaseRow[] = [];
  for (const c of cases) {
    if (!keys.has(c.memberKey)) continue;
    const results: Record<string, unknown> = {};
    for (const key of c.afterMembers as string[]) {
      const dep = cases.find((x) => x.memberKey === key);
      if (dep) results[key] = dep.results;
    }
    const { columns } = dueColumns(clock, { ...c, startedAt: now }, [], now);
    const inputs = { ...(c.inputs as Record<string, unknown>), results };
    const row = await cstore.updateCase(trx, c.id, {
      state: 'pending',
      startedAt: now,
      inputs: JSON.stringify(inputs),
      ...columns,
      updatedAt: now,
    });
    await cstore.appendCaseEvents(trx, [
      {
        caseId: c.id,
        applicationId: c.applicationId,
        regionCode: c.regionCode,
        at: now,
        action: 'released',
        fromState: 'waiting',
        toState: 'pending',
        ...SYSTEM,
        note: null,
        detail: JSON.stringify({ inputsFrom: Object.keys(results) }),
      },
    ]);
    released.push(row);
  }
  return released;
}

/** What a decision's checks read from a case. */
function decisionContext(c: CaseRow): DecisionContext {
  const inputs = (c.inputs ?? {}) as Partial<{
    answers: Record<string, string[]>;
    data: Record<string, unknown>;
    results: Record<string, unknown>;
    applicant: CaseApplicant;
  }>;
  return {
    answers: inputs.answers ?? {},
    data: inputs.data ?? {},
    results: inputs.results ?? {},
    applicant: inputs.applicant ?? { kind: '', identifier: '' },
  };
}

/**
 * Settles an application's cases after something was done: decides the fresh cases whose item
 * decides automatically (秒批) — when every check passes the case is approved and its result issued
 * at once, with the checks as its reasons; when one fails it stays with the department, the failed
 * checks on its timeline — then releases the waiting cases that every result now frees, decides
 * those in turn, and so on until nothing moves. `fresh` are cases just released (by fan-out).
 * Returns every case as it now stands.
 */
export async function settleCases(
  trx: Tx,
  cases: readonly CaseRow[],
  clock: CaseClock,
  now: Date,
  fresh: readonly string[] = [],
): Promise<CaseRow[]> {
  let current = [...cases];
  let candidates = new Set(fresh);
  for (;;) {
    for (const c of current) {
      if (!candidates.has(c.id) || c.state !== 'pending' || !c.decision) continue;
      const decided = await decideAutomatically(trx, c, now);
      if (decided) current = current.map((x) => (x.id === decided.id ? decided : x));
    }
    const released = await releaseWaiting(trx, current, clock, now);
    if (released.length === 0) return current;
    for (const r of released) current = current.map((x) => (x.id === r.id ? r : x));
    candidates = new Set(released.map((r) => r.id));
  }
}

/** A pending case decided by its item's rules: the issued case, or null when it stays manual. */
async function decideAutomatically(trx: Tx, c: CaseRow, now: Date): Promise<CaseRow | null> {
  const decision = c.decision as Decision;
  if (!decision.automatic) return null;
  const outcome = evaluateDecision(decision, decisionContext(c));
  const common = {
    caseId: c.id,
    applicationId: c.applicationId,
    regionCode: c.regionCode,
    at: now,
    ...SYSTEM,
  };
  const reasons = outcome.checks.map((k) => `${k.passed ? '✓' : '✗'} ${k.label.zh}`).join('；');
  const detail = JSON.stringify({ checks: outcome.checks });
  if (!outcome.approve) {
    await cstore.appendCaseEvents(trx, [
      {
        ...common,
        action: 'auto_declined',
        fromState: 'pending',
        toState: 'pending',
        note: reasons,
        detail,
      },
    ]);
    return null;
  }
  const results = {
    decision: 'approved',
    automatic: true,
    checks: outcome.checks,
    basis: decision.basis ?? null,
    issuedAt: now.toISOString(),
    ...(decision.issues?.includes('uscc') ? { uscc: newEnterpriseUscc(c.regionCode) } : {}),
  };
  const row = await cstore.updateCase(trx, c.id, {
    state: 'result_issued',
    results: JSON.stringify(results),
    finishedAt: now,
    alertAt: null,
    updatedAt: now,
  });
  await cstore.appendCaseEvents(trx, [
    {
      ...common,
      action: 'auto_approved',
      fromState: 'pending',
      toState: 'approved',
      note: reasons,
      detail,
    },
    {
      ...common,
      action: 'result_issued',
      fromState: 'approved',
      toState: 'result_issued',
      note: null,
      detail: null,
    },
  ]);
  return row;
}
