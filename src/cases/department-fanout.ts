import { randomUUID } from 'node:crypto';
import type { GuideItem } from '../bundles';
import type { TimeLimit } from '../catalog';
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
import * as cstore from './department-store';
import type { CaseRow, SegmentRow } from './department-store';

// Fan-out of an accepted application into department cases and their release along the bundle's
// dependency graph. Runs inside the caller's transaction; the calendar is read before it opens.

/** Who a system step is recorded under. */
export const CASE_SYSTEM_NAME = '系统 (system)';

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
  calendar: WorkCalendar,
  row: Pick<CaseRow, 'startedAt' | 'committedLimit' | 'statutoryLimit' | 'warning'>,
  segments: readonly SegmentRow[],
  now: Date,
) {
  const due = computeDue(
    calendar,
    row.startedAt,
    row.committedLimit as TimeLimit,
    (row.statutoryLimit as TimeLimit | null) ?? null,
    clockSegments(segments),
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

/**
 * Creates one case per member of an accepted application: those that wait for nothing start now
 * (clock running from acceptance), the others wait.
 */
export async function fanOutCases(
  trx: Tx,
  app: { id: string; regionCode: string },
  items: readonly GuideItem[],
  byMember: Record<string, Record<string, unknown>>,
  itemVersions: Record<string, number>,
  calendar: WorkCalendar,
  now: Date,
): Promise<void> {
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
    const { columns } = dueColumns(calendar, base, [], now);
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
      inputs: JSON.stringify({ answers: item.answers, data: byMember[item.member] ?? {} }),
      results: null,
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
      const by = { actorId: null, actorName: CASE_SYSTEM_NAME, actorRole: null };
      const common = { caseId: r.id, applicationId: app.id, regionCode: app.regionCode, at: now };
      const created = {
        ...common,
        ...by,
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
          ...by,
          action: 'released',
          fromState: 'waiting',
          toState: 'pending',
          note: null,
          detail: null,
        },
      ];
    }),
  );
}

/**
 * Releases the waiting cases of an application whose every dependency is done, passing the done
 * cases' results as inputs. `cases` are the application's cases, locked, as they stand now.
 */
export async function releaseWaiting(
  trx: Tx,
  cases: readonly CaseRow[],
  calendar: WorkCalendar,
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
    const { columns } = dueColumns(calendar, { ...c, startedAt: now }, [], now);
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
        actorId: null,
        actorName: CASE_SYSTEM_NAME,
        actorRole: null,
        note: null,
        detail: JSON.stringify({ inputsFrom: Object.keys(results) }),
      },
    ]);
    released.push(row);
  }
  return released;
}
