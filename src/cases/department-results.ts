import { randomUUID } from 'node:crypto';
import type { GuideItem } from '../bundles';
import { toLocalDate } from '../platform/calendar';
import type { Tx } from '../platform/db/database';
import type { Text } from '../platform/i18n';
import { checkMobile } from '../platform/ids';
import { listDepartments } from '../platform/regions';
import { notify, publishEvent } from '../platform/notify';
import { applicationProgress, DONE_STATES, FINAL_STATES, type CaseState } from './casework';
import { CASE_SYSTEM_NAME } from './department-fanout';
import type { CaseRow } from './department-store';
import { noticeNumberPrefix } from './model';
import * as store from './store';
import type { ApplicationRow } from './store';

// What follows from cases being decided, in the transaction that decides them: a domain event per
// decided case (the hook that e-licences listen to), the combined result package once every case is
// final — the result notice (办结通知书, one output window), an `application_completed` event (the
// hook that invites a rating) and a message to the applicant — and messages when a case needs the
// applicant or lands in a department's queue.

function text(zh: string, en: string): Text {
  return { zh, en };
}

/**
 * The payload fields of case events that name a person, stored sealed (`personal` of
 * `publishEvent`); the start-up step seals them in events stored before events sealed them.
 */
export const PERSONAL_EVENT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'cases.case_decided': ['results', 'data', 'answers', 'holder'],
  'cases.application_completed': ['mobile'],
};

/** Domain event types cases publish (see docs/architecture.md). */
export const CASE_EVENTS = {
  /** A case was decided with a result: issued, or deemed approved on timeout. */
  caseDecided: 'cases.case_decided',
  /** Every case of an application is final: the combined result package is out. */
  applicationCompleted: 'cases.application_completed',
  /** An application was submitted (once; a resubmission after a correction is not counted). */
  applicationSubmitted: 'cases.application_submitted',
} as const;

/** The items of an application's snapshot guide, by member key. */
export function guideItemsOf(app: Pick<ApplicationRow, 'snapshot'>): Map<string, GuideItem> {
  const items = (app.snapshot as { guide?: { items?: GuideItem[] } } | null)?.guide?.items ?? [];
  return new Map(items.map((i) => [i.member, i]));
}

/** What a case decided, as the result package shows it. */
export function caseDecision(c: Pick<CaseRow, 'state' | 'results'>) {
  const results = (c.results ?? null) as {
    decision?: string;
    automatic?: boolean;
    reasons?: string[];
    issuedAt?: string;
  } | null;
  if (c.state === 'deemed_approved') return { decision: 'deemed_approved' as const, results };
  const decision =
    results?.decision === 'approved' || results?.decision === 'denied' ? results.decision : null;
  return { decision, results };
}

/**
 * A message to the applicant's accounts about their application, with an SMS to the mobile the
 * application gave when it is a valid one (a bad one must not undo what caused the message).
 */
export async function tellApplicant(
  trx: Tx,
  app: Pick<ApplicationRow, 'id' | 'subjectId' | 'applicant'>,
  message: { kind: string; title: Text; body: Text; dedupeKey: string },
  now: Date,
): Promise<void> {
  await notify(
    trx,
    {
      to: { subjectIds: [app.subjectId] },
      ...message,
      link: `/applications/${app.id}`,
      ...smsTo(app.applicant as Applicant),
    },
    now,
  );
}

/** An SMS to the applicant's mobile when it has a valid one (a bad one must not undo a decision). */
function smsTo(applicant: Applicant): { sms?: { mobile: string } } {
  return applicant.mobile && checkMobile(applicant.mobile).valid
    ? { sms: { mobile: applicant.mobile } }
    : {};
}

interface Applicant {
  kind: string;
  name: string;
  identifier: string;
  mobile?: string;
}

/**
 * Records what the transition from `before` to `after` (the application's cases) caused. Call it
 * in the transaction that changed them, with the application row.
 */
export async function recordOutcomes(
  trx: Tx,
  app: ApplicationRow,
  before: readonly CaseRow[],
  after: readonly CaseRow[],
  now: Date,
): Promise<void> {
  const was = new Map(before.map((c) => [c.id, c.state as CaseState]));
  const items = guideItemsOf(app);
  const applicant = app.applicant as Applicant;
  for (const c of after) {
    const previous = was.get(c.id);
    const state = c.state as CaseState;
    if (previous === state) continue;
    const item = items.get(c.memberKey);
    const name = item?.name ?? text(c.memberKey, c.memberKey);
    if (DONE_STATES.includes(state)) {
      const { decision } = caseDecision(c);
      await publishEvent(trx, {
        type: CASE_EVENTS.caseDecided,
        key: c.id,
        regionCode: c.regionCode,
        occurredAt: now,
        payload: {
          applicationId: app.id,
          applicationNumber: app.number,
          caseId: c.id,
          memberKey: c.memberKey,
          itemCode: c.itemCode,
          itemName: name,
          itemVersion: c.itemVersion,
          departmentCode: c.departmentCode,
          reviewerId: c.reviewerId,
          decision,
          result: item?.result ?? null,
          subjectId: app.subjectId,
        },
        // sealed in the stored event (see PERSONAL_EVENT_FIELDS), opened for its handlers
        personal: {
          results: c.results ?? null,
          // the case's own form data and answers, so that what the result issues can be filled in
          data: (c.inputs as { data?: unknown } | null)?.data ?? {},
          answers: (c.inputs as { answers?: unknown } | null)?.answers ?? {},
          holder: { kind: applicant.kind, name: applicant.name, identifier: applicant.identifier },
        },
      });
    }
    if (state === 'pending') {
      await notify(
        trx,
        {
          to: {
            department: { code: c.departmentCode, regionCode: c.regionCode, roles: ['reviewer'] },
          },
          kind: 'cases.case_released',
          title: text(`新子件待受理：${name.zh}`, `New case to accept: ${name.en}`),
          body: text(
            `申请 ${app.number}（${app.applicantName}）`,
            `Application ${app.number} (${app.applicantName})`,
          ),
          link: `/workbench/cases/${c.id}`,
          dedupeKey: `case-released:${c.id}`,
        },
        now,
      );
    }
    if (state === 'returned_for_correction') {
      await tellApplicant(
        trx,
        app,
        {
          kind: 'cases.case_returned',
          title: text(`请补正：${name.zh}`, `Correction needed: ${name.en}`),
          body: text(
            `申请 ${app.number} 的「${name.zh}」被退回补正，补正期间暂停计时。`,
            `"${name.en}" of application ${app.number} was returned for correction; the clock is stopped meanwhile.`,
          ),
          dedupeKey: `case-returned:${c.id}:${c.version}`,
        },
        now,
      );
    }
  }
  const wasDone =
    before.length > 0 && before.every((c) => FINAL_STATES.includes(c.state as CaseState));
  const done = after.length > 0 && after.every((c) => FINAL_STATES.includes(c.state as CaseState));
  if (!done || wasDone || after.every((c) => c.state === 'withdrawn')) return;
  await completeApplication(trx, app, after, now);
}

/** The combined result package is out: the result notice, the completion event and the message. */
async function completeApplication(
  trx: Tx,
  app: ApplicationRow,
  cases: readonly CaseRow[],
  now: Date,
): Promise<void> {
  const overall = applicationProgress(
    cases.map((c) => ({
      state: c.state as CaseState,
      committedDueAt: c.committedDueAt,
      results: c.results,
    })),
  );
  const items = guideItemsOf(app);
  const departments = new Map(
    (await listDepartments(trx)).map((d) => [d.code, text(d.nameZh, d.nameEn)]),
  );
  const facts = {
    progress: overall.progress,
    items: cases.map((c) => {
      const { decision, results } = caseDecision(c);
      const item = items.get(c.memberKey);
      return {
        memberKey: c.memberKey,
        name: item?.name ?? text(c.memberKey, c.memberKey),
        department: departments.get(c.departmentCode) ?? text(c.departmentCode, c.departmentCode),
        state: c.state,
        decision,
        resultName: item?.result.name ?? null,
        automatic: results?.automatic === true,
        reasons: results?.reasons ?? [],
        issuedAt: c.finishedAt?.toISOString() ?? null,
      };
    }),
  };
  const snapshot = app.snapshot as {
    bundle?: {
      leadDepartment?: string;
      name?: { zh: string; en: string };
      commitment?: { steps: number; visits: number };
    };
    guide?: {
      materials?: unknown[];
      separately?: { steps: number; materials: number; visits: number };
    };
    waivers?: Record<string, unknown>;
  } | null;
  const notice = await store.insertNotice(trx, {
    id: randomUUID(),
    numberPrefix: noticeNumberPrefix('result', toLocalDate(now)),
    applicationId: app.id,
    regionCode: app.regionCode,
    kind: 'result',
    issuedAt: now,
    issuedBy: null,
    issuerName: CASE_SYSTEM_NAME,
    issuerDepartment: snapshot?.bundle?.leadDepartment ?? cases[0]!.departmentCode,
    facts: JSON.stringify(facts),
  });
  await store.updateApplication(trx, app.id, { decidedAt: now, updatedAt: now });
  await publishEvent(trx, {
    type: CASE_EVENTS.applicationCompleted,
    key: app.id,
    regionCode: app.regionCode,
    occurredAt: now,
    payload: {
      applicationId: app.id,
      applicationNumber: app.number,
      bundleCode: app.bundleCode,
      bundleName: snapshot?.bundle?.name ?? text(app.bundleCode, app.bundleCode),
      leadDepartment: snapshot?.bundle?.leadDepartment ?? cases[0]!.departmentCode,
      // the clerk who took it at the window (帮办代办), if one did
      clerkId: app.assistedBy,
      subjectId: app.subjectId,
      progress: overall.progress,
      noticeId: notice.id,
      cases: cases.map((c) => c.id),
      // for the cockpit: how long it took against its commitment, and what the bundle saved
      channel: app.channel,
      submittedAt: app.submittedAt?.toISOString() ?? null,
      expectedBy: app.expectedBy?.toISOString() ?? null,
      onTime: app.expectedBy ? now.getTime() <= app.expectedBy.getTime() : null,
      savings: savingsOf(snapshot),
    },
    // the applicant's mobile, for the rating invitation: sealed in the stored event
    personal: { mobile: (app.applicant as Applicant).mobile ?? null },
  });
  const completed = overall.progress === 'completed';
  await tellApplicant(
    trx,
    app,
    {
      kind: 'cases.application_completed',
      title: completed
        ? text(`办结：申请 ${app.number}`, `Done: application ${app.number}`)
        : text(`办理结果：申请 ${app.number}`, `Decided: application ${app.number}`),
      body: completed
        ? text(
            `您的申请已全部办结，结果已统一出件（办结通知书 ${notice.number}）。`,
            `Every part of your application is done; the results are out together (notice ${notice.number}).`,
          )
        : text(
            `您的申请已办理完毕，部分事项未予许可，详见办结通知书 ${notice.number}。`,
            `Your application is decided; some items were not approved — see notice ${notice.number}.`,
          ),
      dedupeKey: `application-completed:${app.id}`,
    },
    now,
  );
}

/**
 * What a bundle saved one applicant against applying item by item (减环节、减材料、减跑动), from
 * the application's snapshot; null for snapshots of older versions.
 */
function savingsOf(
  snapshot: {
    bundle?: { commitment?: { steps: number; visits: number } };
    guide?: {
      materials?: unknown[];
      separately?: { steps: number; materials: number; visits: number };
    };
    waivers?: Record<string, unknown>;
  } | null,
) {
  const separately = snapshot?.guide?.separately;
  const commitment = snapshot?.bundle?.commitment;
  if (!separately || !commitment) return null;
  return bundleSavings(
    commitment,
    { separately, materials: snapshot.guide?.materials ?? [] },
    Object.keys(snapshot.waivers ?? {}).length,
  );
}

/**
 * What a bundle saves against applying item by item, given its commitment, the applicant's guide
 * (merged materials and the item-by-item totals) and how many materials were waived.
 */
export function bundleSavings(
  commitment: { steps: number; visits: number },
  guide: {
    materials: readonly unknown[];
    separately: { steps: number; materials: number; visits: number };
  },
  waived: number,
) {
  const { separately } = guide;
  return {
    steps: Math.max(0, separately.steps - commitment.steps),
    materials: Math.max(0, separately.materials - guide.materials.length),
    visits: Math.max(0, separately.visits - commitment.visits),
    waived,
    committedVisits: commitment.visits,
  };
}
