// Grants of policies granted without applying (免申即享, 直补快办) and silently re-certified ones
// (静默认证): created on a new match, due within the policy's working days; the issuing department
// confirms and pays (or rejects with a reason); every step goes to the ledger (台账), the audit log
// and a message to the subject. Silent grants are re-checked on schedule and suspended, with notice,
// when the subject no longer qualifies.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import type { BusinessHours, WorkCalendar } from '../platform/calendar';
import { CalendarService } from '../platform/calendar/service';
import type { Kdb, Tx } from '../platform/db/database';
import { AppError, forbidden, invalidField, notFound } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import { maskSubjectIdentifier } from '../platform/privacy';
import { notify } from '../platform/notify';
import { regionsUnder } from '../platform/regions';
import type { Matching } from './matching';
import {
  GRANT_ACTIONS,
  GRANT_STATE_LABELS,
  LEDGER_ACTION_LABELS,
  MODE_LABELS,
  benefitAmount,
  grantTransition,
  recheckOutcome,
  type GrantAction,
  type GrantState,
  type Mode,
} from './model';
import type { Dossier } from './rule';
import * as store from './store';
import type { GrantRow, PolicyRow } from './store';

const GRANT: Text = { zh: '政策兑现', en: 'grant' };
const DAY_MS = 86_400_000;

/** A grant as its readers see it. */
export interface GrantView {
  id: string;
  number: string;
  policy: { code: string; name: Text; mode: Mode; modeName: Text };
  subject: { id: string; name: string; kind: 'person' | 'enterprise'; identifier: string };
  regionCode: string;
  departmentCode: string;
  amount: number | null;
  state: GrantState;
  stateName: Text;
  dueAt: string;
  overdue: boolean;
  confirmedAt: string | null;
  paidAt: string | null;
  paymentRef: string | null;
  note: string | null;
  nextCheckAt: string | null;
  version: number;
  createdAt: string;
}

export interface LedgerEntryView {
  action: string;
  actionName: Text;
  actorName: string | null;
  amount: number | null;
  note: string | null;
  at: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const money = (v: string | number | null) => (v === null ? null : Number(v));

/** Staff who confirm and pay their department's grants. */
const DEPARTMENT_ROLES = ['clerk', 'reviewer'] as const;

export class GrantService {
  #matching: Matching | null = null;

  constructor(
    private readonly db: Kdb,
    private readonly businessHours: BusinessHours,
  ) {}

  /** The matcher the re-checks use (set once both exist: they need each other). */
  attach(matching: Matching) {
    this.#matching = matching;
  }

  /**
   * Creates the grant of a new match in the caller's transaction, due the policy's working days
   * later on the subject's region's calendar; false when the subject already has one.
   */
  async create(
    trx: Tx,
    policy: PolicyRow,
    subjectId: string,
    regionCode: string,
    dossier: Dossier,
    now: Date,
    /** Calendars already built in this transaction, by region (a run grants many at once). */
    calendars?: Map<string, WorkCalendar>,
  ): Promise<boolean> {
    // one numbering at a time: grant numbers are consecutive per year
    await sql`select pg_advisory_xact_lock(hashtext('policy_grants.number'))`.execute(trx);
    let calendar = calendars?.get(regionCode);
    if (!calendar) {
      calendar = await new CalendarService(trx, this.businessHours).forRegion(regionCode);
      calendars?.set(regionCode, calendar);
    }
    const dueAt = calendar.addWorkingDays(now, policy.payWorkingDays).due;
    const amount = benefitAmount(policy.benefit, dossier);
    const id = randomUUID();
    const created = await store.insertGrant(
      trx,
      {
        id,
        number: await store.nextGrantNumber(trx, now.getFullYear()),
        policyId: policy.id,
        subjectId,
        regionCode,
        departmentCode: policy.departmentCode,
        amount,
        dueAt,
        nextCheckAt:
          policy.mode === 'silent' && policy.recheckDays
            ? new Date(now.getTime() + policy.recheckDays * DAY_MS)
            : null,
      },
      now,
    );
    if (!created) return false;
    await store.appendLedger(
      trx,
      { grantId: id, regionCode, action: 'created', actorId: null, amount, note: null },
      now,
    );
    const amountText = amount === null ? '' : `${amount} 元`;
    const due = dueAt.toISOString().slice(0, 10);
    await notify(
      trx,
      {
        to: { subjectIds: [subjectId] },
        kind: 'policies.granted',
        title: {
          zh: `您符合「${policy.name.zh}」，无需申请`,
          en: `You qualify for "${policy.name.en}": no need to apply`,
        },
        body: {
          zh: `经数据比对，您符合政策条件，${amountText ? `${amountText}将` : '将'}于 ${due} 前兑现。`,
          en: `Data comparison shows you qualify${amount === null ? '' : `; ${amount} yuan`} will be paid by ${due}.`,
        },
        link: '/policies/mine',
        dedupeKey: `policies-granted:${id}`,
      },
      now,
    );
    await notify(
      trx,
      {
        to: { department: { code: policy.departmentCode, roles: [...DEPARTMENT_ROLES] } },
        kind: 'policies.grant_pending',
        title: {
          zh: `免申即享待确认：${policy.name.zh}`,
          en: `Grant to confirm: ${policy.name.en}`,
        },
        body: { zh: `请于 ${due} 前确认并拨付。`, en: `Confirm and pay by ${due}.` },
        link: `/workbench/policy-grants/${id}`,
        dedupeKey: `policies-grant-pending:${id}`,
      },
      now,
    );
    return true;
  }

  /** Whose grants the actor reads: their own, their department's, their region's, all. */
  async #scope(
    actor: Actor,
  ): Promise<Pick<store.GrantFilter, 'departmentCode' | 'regions' | 'subjectId'>> {
    if (actor.role === 'citizen' || actor.role === 'enterprise') {
      if (!actor.subjectId) throw forbidden();
      return { subjectId: actor.subjectId };
    }
    if (actor.role === 'admin') return { regions: 'all' };
    if (actor.role === 'supervisor')
      return { regions: await regionsUnder(this.db, actor.regionCode) };
    const departmentCode = await store.departmentCodeOf(this.db, actor.departmentId);
    if (!departmentCode) throw forbidden();
    return { departmentCode, regions: await regionsUnder(this.db, actor.regionCode) };
  }

  async list(
    actor: Actor,
    filter: { state?: GrantState; overdue?: boolean; limit: number; offset: number },
    now = new Date(),
  ) {
    const scope = await this.#scope(actor);
    const page = await store.listGrants(this.db, {
      ...scope,
      state: filter.state,
      overdueAt: filter.overdue ? now : undefined,
      limit: filter.limit,
      offset: filter.offset,
    });
    const staff = actor.role !== 'citizen' && actor.role !== 'enterprise';
    return {
      total: page.total,
      items: page.items.map((row) =>
        this.#view(
          row,
          {
            code: row.policyCode,
            name: row.policyName as Text,
            mode: row.mode,
          },
          {
            id: row.subjectId,
            name: row.subjectName,
            kind: row.subjectKind,
            identifier: staff
              ? maskSubjectIdentifier(row.subjectKind, row.identifier)
              : row.identifier,
          },
          now,
        ),
      ),
    };
  }

  /** One grant with its ledger, for the subject it is for or the staff over it. */
  async get(actor: Actor, id: string, now = new Date()) {
    const grant = await store.findGrant(this.db, id);
    if (!grant) throw notFound(GRANT);
    await this.#authorise(actor, grant);
    const [policy, subject, ledger] = await Promise.all([
      store.findPolicyById(this.db, grant.policyId),
      store.findSubject(this.db, grant.subjectId),
      store.ledgerOf(this.db, id),
    ]);
    const staff = actor.role !== 'citizen' && actor.role !== 'enterprise';
    return {
      ...this.#view(
        grant,
        policy!,
        {
          id: subject!.id,
          name: subject!.name,
          kind: subject!.kind,
          identifier: staff
            ? maskSubjectIdentifier(subject!.kind, subject!.identifier)
            : subject!.identifier,
        },
        now,
      ),
      policySummary: policy!.summary,
      ledger: ledger.map((l): LedgerEntryView => ({
        action: l.action,
        actionName: LEDGER_ACTION_LABELS[l.action] ?? { zh: l.action, en: l.action },
        actorName: l.actorName ?? null,
        amount: money(l.amount),
        note: l.note,
        at: l.at.toISOString(),
      })),
    };
  }

  async #authorise(actor: Actor, grant: GrantRow) {
    const scope = await this.#scope(actor);
    const ok =
      (scope.subjectId === undefined || scope.subjectId === grant.subjectId) &&
      (scope.departmentCode === undefined || scope.departmentCode === grant.departmentCode) &&
      (scope.regions === undefined ||
        scope.regions === 'all' ||
        scope.regions.includes(grant.regionCode));
    if (!ok) throw notFound(GRANT);
  }

  /**
   * The issuing department confirms, pays or rejects a grant under a row lock. A retry of an
   * action already taken (same version + 1 and state) answers with the grant as it is.
   */
  async act(
    actor: Actor,
    id: string,
    action: GrantAction,
    input: { version: number; note?: string; paymentRef?: string },
    meta: RequestMeta,
    now = new Date(),
  ) {
    const departmentCode = await store.departmentCodeOf(this.db, actor.departmentId);
    await this.db.transaction().execute(async (trx) => {
      const grant = await store.findGrant(trx, id, true);
      if (!grant) throw notFound(GRANT);
      if (grant.departmentCode !== departmentCode) throw notFound(GRANT);
      if (!(await regionsUnder(trx, actor.regionCode)).includes(grant.regionCode))
        throw notFound(GRANT);
      const target = GRANT_ACTIONS[action].to;
      if (grant.version === input.version + 1 && grant.state === target) return; // a retry
      if (grant.version !== input.version)
        throw new AppError(
          409,
          'policies.grant_changed',
          { zh: '该兑现记录已被他人处理，请刷新', en: 'the grant changed meanwhile; reload it' },
          [
            {
              path: 'body.version',
              rule: 'current',
              message: { zh: '版本已过期', en: 'stale version' },
            },
          ],
        );
      const next = grantTransition(grant.state, action);
      if (!next)
        throw invalidField('body.action', 'state', {
          zh: `当前状态「${GRANT_STATE_LABELS[grant.state].zh}」不能${GRANT_ACTIONS[action].label.zh}`,
          en: `a grant that is ${GRANT_STATE_LABELS[grant.state].en} cannot be ${action === 'pay' ? 'paid' : `${action}ed`}`,
        });
      if (action === 'reject' && !input.note?.trim())
        throw invalidField('body.note', 'required', {
          zh: '不予兑现须说明理由',
          en: 'a rejection needs a reason',
        });
      if (action === 'pay' && !input.paymentRef?.trim())
        throw invalidField('body.paymentRef', 'required', {
          zh: '拨付须填写支付凭证号',
          en: 'a payment needs its payment reference',
        });
      await store.updateGrant(
        trx,
        id,
        {
          state: next,
          ...(input.note !== undefined ? { note: input.note.trim() } : {}),
          ...(action === 'confirm' ? { confirmedAt: now } : {}),
          ...(action === 'pay' ? { paidAt: now, paymentRef: input.paymentRef!.trim() } : {}),
        },
        now,
      );
      const ledgerAction =
        action === 'confirm' ? 'confirmed' : action === 'pay' ? 'paid' : 'rejected';
      await store.appendLedger(
        trx,
        {
          grantId: id,
          regionCode: grant.regionCode,
          action: ledgerAction,
          actorId: actor.userId,
          amount: action === 'pay' ? money(grant.amount) : null,
          note: input.note?.trim() || (action === 'pay' ? input.paymentRef!.trim() : null),
        },
        now,
      );
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: `policies.grant_${ledgerAction}`,
        objectType: 'policy_grant',
        objectId: id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { from: grant.state, to: next, number: grant.number },
      });
      if (action !== 'confirm')
        await this.#tellSubject(trx, grant, ledgerAction, input.note ?? null, now);
    });
    return this.get(actor, id, now);
  }

  async #tellSubject(trx: Tx, grant: GrantRow, action: string, note: string | null, now: Date) {
    const policy = await store.findPolicyById(trx, grant.policyId);
    const label = LEDGER_ACTION_LABELS[action]!;
    await notify(
      trx,
      {
        to: { subjectIds: [grant.subjectId] },
        kind: `policies.grant_${action}`,
        title: {
          zh: `「${policy!.name.zh}」${label.zh}`,
          en: `"${policy!.name.en}": ${label.en}`,
        },
        body: { zh: note ?? label.zh, en: note ?? label.en },
        link: '/policies/mine',
        dedupeKey: `policies-grant-${action}:${grant.id}:${now.getTime()}`,
      },
      now,
    );
  }

  /**
   * 静默认证: re-checks the silent grants due, against their subjects' current dossiers. Those
   * still eligible are re-certified for another period; those no longer eligible are suspended
   * with notice; suspended ones that qualify again resume. Servers running at once skip each
   * other's rows.
   */
  async recheck(
    now = new Date(),
    batch = 200,
  ): Promise<{ checked: number; suspended: number; resumed: number }> {
    const matching = this.#matching;
    if (!matching) throw new Error('GrantService.recheck: no matcher attached');
    const totals = { checked: 0, suspended: 0, resumed: 0 };
    for (;;) {
      const done = await this.db.transaction().execute(async (trx) => {
        const due = await store.grantsDueForCheck(trx, now, batch);
        if (due.length === 0) return true;
        const policies = new Map<string, PolicyRow>();
        for (const grant of due) {
          const policy =
            policies.get(grant.policyId) ?? (await store.findPolicyById(trx, grant.policyId))!;
          policies.set(policy.id, policy);
          const rebuilt = (await matching.rebuildDossiers(trx, [grant.subjectId], now)).get(
            grant.subjectId,
          );
          const compiled = matching.compile([policy], await matching.context(trx, now));
          const eligible =
            policy.state === 'published' &&
            !!rebuilt &&
            matching.eligible(compiled, 0, rebuilt.dossier);
          const outcome = recheckOutcome(grant.state, eligible);
          const nextCheckAt = new Date(now.getTime() + (policy.recheckDays ?? 30) * DAY_MS);
          totals.checked++;
          if (outcome === 'suspended') totals.suspended++;
          if (outcome === 'resumed') totals.resumed++;
          const state: GrantState =
            outcome === 'suspended'
              ? 'suspended'
              : outcome === 'resumed'
                ? grant.paidAt
                  ? 'paid'
                  : grant.confirmedAt
                    ? 'confirmed'
                    : 'pending'
                : grant.state;
          await store.updateGrant(trx, grant.id, { state, nextCheckAt }, now);
          if (!outcome) continue;
          const note =
            outcome === 'suspended'
              ? await this.#why(trx, matching, policy, rebuilt?.dossier ?? null, now)
              : null;
          await store.appendLedger(
            trx,
            {
              grantId: grant.id,
              regionCode: grant.regionCode,
              action: outcome,
              actorId: null,
              amount: null,
              note,
            },
            now,
          );
          await appendAudit(trx, {
            at: now,
            actorId: null,
            actorRole: 'system',
            action: `policies.grant_${outcome}`,
            objectType: 'policy_grant',
            objectId: grant.id,
            ip: null,
            requestId: null,
            detail: { from: grant.state, to: state, number: grant.number },
          });
          if (outcome !== 'recertified') await this.#tellSubject(trx, grant, outcome, note, now);
        }
        return due.length < batch;
      });
      if (done) return totals;
    }
  }

  /** Why a dossier fails a policy, in one line (zh · en). */
  async #why(trx: Tx, matching: Matching, policy: PolicyRow, dossier: Dossier | null, now: Date) {
    if (!dossier || policy.state !== 'published')
      return '政策已撤回或主体不存在 · the policy was withdrawn or the subject is gone';
    const summary = matching.summary(
      matching.compile([policy], await matching.context(trx, now)),
      0,
      dossier,
    );
    return `${summary.zh} · ${summary.en}`;
  }

  #view(
    row: GrantRow,
    policy: { code: string; name: Text; mode: Mode },
    subject: GrantView['subject'],
    now: Date,
  ): GrantView {
    return {
      id: row.id,
      number: row.number,
      policy: {
        code: policy.code,
        name: policy.name,
        mode: policy.mode,
        modeName: MODE_LABELS[policy.mode],
      },
      subject,
      regionCode: row.regionCode,
      departmentCode: row.departmentCode,
      amount: money(row.amount),
      state: row.state,
      stateName: GRANT_STATE_LABELS[row.state],
      dueAt: row.dueAt.toISOString(),
      overdue: (row.state === 'pending' || row.state === 'confirmed') && row.dueAt < now,
      confirmedAt: iso(row.confirmedAt),
      paidAt: iso(row.paidAt),
      paymentRef: row.paymentRef,
      note: row.note,
      nextCheckAt: iso(row.nextCheckAt),
      version: row.version,
      createdAt: row.createdAt.toISOString(),
    };
  }
}
