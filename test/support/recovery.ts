import { expect } from 'vitest';
import { computeDue } from '../../src/cases';
import { clockSegments } from '../../src/cases/department-fanout';
import { OPENING_ANSWERS, OPENING_PLEDGES, openingData } from '../../src/cases/samples';
import type { TimeLimit } from '../../src/catalog';
import { verifyAuditChain } from '../../src/platform/audit';
import { DEFAULT_BUSINESS_HOURS } from '../../src/platform/calendar';
import { CalendarService } from '../../src/platform/calendar/service';
import type { Kdb } from '../../src/platform/db/database';
import type { ChildServer } from './child-server';

// What the reliability tests that break the platform under load share (crash.test.ts kills the
// process, pg-faults.test.ts takes the database away): the load they run — enterprises submitting
// enterprise openings, reviewers walking the cases they fan out to — and the checks afterwards that
// nothing acknowledged was lost, nothing applied twice and every cached due is still right.

/** The next action a reviewer takes on a case in each state, and the event it records. */
export const NEXT: Record<string, { action: string; event: string; to: string }> = {
  pending: { action: 'accept', event: 'accepted', to: 'accepted' },
  accepted: { action: 'start-review', event: 'review_started', to: 'in_review' },
  in_review: { action: 'approve', event: 'approved', to: 'approved' },
  approved: { action: 'issue-result', event: 'result_issued', to: 'result_issued' },
};
/** The step of NEXT each action is, by action. */
export const EVENT_OF = Object.fromEntries(Object.values(NEXT).map((n) => [n.action, n]));

/** The body of the `n`th enterprise opening submitted (POST /api/applications). */
export function openingSubmission(n: number): Record<string, unknown> {
  return {
    bundleCode: 'enterprise-opening',
    answers: OPENING_ANSWERS,
    data: openingData(n),
    pledges: OPENING_PLEDGES,
    submit: true,
  };
}

/** A case as GET /api/cases lists it, as far as the reviewers' load reads it. */
export interface ListedCase {
  id: string;
  state: string;
  departmentCode: string;
}

/** The first of an application's cases a reviewer still has a step on, and that step's action. */
export function nextCaseStep(
  items: readonly ListedCase[],
): { caseId: string; departmentCode: string; action: string } | undefined {
  const found = items.find((c) => NEXT[c.state]);
  return (
    found && {
      caseId: found.id,
      departmentCode: found.departmentCode,
      action: NEXT[found.state]!.action,
    }
  );
}

/**
 * One reviewer per department, created like the demo reviewer (same region and password), named
 * `${prefix}-${i}`; answers their usernames by department code.
 */
export async function createReviewers(k: Kdb, prefix: string): Promise<Map<string, string>> {
  const demo = await k
    .selectFrom('users')
    .selectAll()
    .where('username', '=', 'reviewer')
    .executeTakeFirstOrThrow();
  const departments = await k.selectFrom('departments').select(['id', 'code']).execute();
  const names = new Map<string, string>();
  for (const [i, d] of departments.entries()) {
    const username = `${prefix}-${i}`;
    await k
      .insertInto('users')
      .values({
        username,
        displayName: `审查员 ${d.code}`,
        passwordHash: demo.passwordHash,
        role: 'reviewer',
        regionCode: demo.regionCode,
        departmentId: d.id,
        subjectId: null,
      })
      .execute();
    names.set(d.code, username);
  }
  return names;
}

/** How many applications `userId` has created. */
export async function countApplications(k: Kdb, userId: string): Promise<number> {
  const row = await k
    .selectFrom('applications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('createdBy', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A submission the load sent, with the application it got once answered. */
export interface SentSubmission {
  key: string;
  body: Record<string, unknown>;
  id?: string;
}

/** A case action the load sent. */
export interface SentAction {
  caseId: string;
  action: string;
}

/**
 * Every submission got an application, a different one each, and sending each of `replayed` again
 * with its key answers 200 with the same application.
 */
export async function expectOneApplicationEach(
  server: Pick<ChildServer, 'api'>,
  enterprise: string,
  submissions: readonly SentSubmission[],
  replayed: readonly SentSubmission[],
): Promise<void> {
  expect(submissions.every((s) => s.id)).toBe(true);
  expect(new Set(submissions.map((s) => s.id)).size).toBe(submissions.length);
  for (const s of replayed) {
    const replay = await server.api('/api/applications', {
      method: 'POST',
      cookie: enterprise,
      headers: { 'idempotency-key': s.key },
      body: s.body,
    });
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(s.id);
  }
}

/**
 * Every action in `applied` is reflected once (GET /api/cases/:id): one event for it, and the case
 * in the state its last action left it.
 */
export async function expectActionsAppliedOnce(
  server: Pick<ChildServer, 'api'>,
  admin: string,
  applied: readonly SentAction[],
): Promise<void> {
  const last = new Map<string, string>();
  for (const a of applied) last.set(a.caseId, a.action);
  for (const [caseId, action] of last) {
    const reply = await server.api(`/api/cases/${caseId}`, { cookie: admin });
    expect(reply.status).toBe(200);
    expect(reply.body.state, `${caseId} after ${action}`).toBe(EVENT_OF[action]!.to);
    const events = (reply.body.events as { action: string }[]).map((e) => e.action);
    for (const a of applied.filter((x) => x.caseId === caseId)) {
      const recorded = events.filter((e) => e === EVENT_OF[a.action]!.event);
      expect(recorded, `${a.action} on ${caseId}`).toHaveLength(1);
    }
  }
}

/**
 * Read from the database: each submission stored exactly once under its key and no other
 * application created since `applicationsBefore`; one case per member of every application, never
 * two; no reviewer's step recorded twice on a case; every open case's cached dues what the clock
 * recomputes from its start and segments; the audit chain verifies. Answers how many cases were
 * open.
 */
export async function expectStoredOnce(
  k: Kdb,
  enterpriseId: string,
  applicationsBefore: number,
  submissions: readonly SentSubmission[],
): Promise<{ open: number }> {
  const ids = submissions.map((s) => s.id!);
  const keys = await k
    .selectFrom('applicationRequests')
    .select(['idempotencyKey', 'applicationId'])
    .where('userId', '=', enterpriseId)
    .execute();
  const byKey = new Map(keys.map((r) => [r.idempotencyKey, r.applicationId]));
  for (const s of submissions) expect(byKey.get(s.key)).toBe(s.id);
  expect((await countApplications(k, enterpriseId)) - applicationsBefore).toBe(submissions.length);

  const members = await k
    .selectFrom('applicationMembers')
    .select(['applicationId', 'memberKey'])
    .where('applicationId', 'in', ids)
    .execute();
  const cases = await k.selectFrom('cases').selectAll().where('applicationId', 'in', ids).execute();
  expect(members.length).toBeGreaterThan(0);
  expect(cases.map((c) => `${c.applicationId}/${c.memberKey}`).sort()).toEqual(
    members.map((m) => `${m.applicationId}/${m.memberKey}`).sort(),
  );

  const repeated = await k
    .selectFrom('caseEvents')
    .select(['caseId', 'action'])
    .where('applicationId', 'in', ids)
    .where(
      'action',
      'in',
      Object.values(NEXT).map((x) => x.event),
    )
    .groupBy(['caseId', 'action'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  expect(repeated).toEqual([]);

  const calendars = new CalendarService(k, DEFAULT_BUSINESS_HOURS);
  const segments = await k
    .selectFrom('caseClockSegments')
    .selectAll()
    .where(
      'caseId',
      'in',
      cases.map((c) => c.id),
    )
    .execute();
  const open = cases.filter((c) => !c.finishedAt);
  expect(open.length).toBeGreaterThan(0);
  for (const c of open) {
    const calendar = await calendars.forRegion(c.regionCode);
    const due = computeDue(
      calendar,
      c.startedAt,
      c.committedLimit as TimeLimit,
      (c.statutoryLimit as TimeLimit | null) ?? null,
      clockSegments(segments.filter((s) => s.caseId === c.id)),
    );
    expect(c.committedDueAt?.toISOString() ?? null, `committed due of ${c.id}`).toBe(
      due.committedDueAt?.toISOString() ?? null,
    );
    expect(c.statutoryDueAt?.toISOString() ?? null, `statutory due of ${c.id}`).toBe(
      due.statutoryDueAt?.toISOString() ?? null,
    );
  }

  expect((await verifyAuditChain(k)).ok).toBe(true);
  return { open: open.length };
}
