// Policies' use cases: writing and publishing policies, previewing a rule over every dossier,
// who matches a policy and why, what the hall recommends to a subject (为您推荐), and the facts
// other departments send about subjects (each change re-matches the subject at once).
import { randomUUID } from 'node:crypto';
import { appendAudit, type AuditAction } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import type { Kdb, Tx } from '../platform/db/database';
import { AppError, forbidden, invalidField, notFound } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import { maskSubjectIdentifier } from '../platform/privacy';
import { regionsUnder } from '../platform/regions';
import { DossierColumns } from './columns';
import type { GrantService } from './grants';
import { explain, hasBit, matchAll, type Explanation } from './matcher';
import type { Matching, MatchRun } from './matching';
import {
  MODE_LABELS,
  POLICY_STATE_LABELS,
  benefitAmount,
  benefitText,
  checkPolicy,
  inForce,
  type Facts,
  type PolicyInput,
} from './model';
import type { Dossier, Rule } from './rule';
import * as store from './store';
import type { PolicyRow } from './store';
import { toLocalDate } from '../platform/calendar';

const POLICY: Text = { zh: '政策', en: 'policy' };
const SUBJECT: Text = { zh: '办事主体', en: 'subject' };

/** A policy as readers see it. */
export interface PolicyView extends Omit<PolicyRow, 'updatedAt' | 'publishedAt' | 'rule'> {
  rule: Rule;
  department: Text;
  modeName: Text;
  stateName: Text;
  benefitText: Text | null;
  inForce: boolean;
  updatedAt: string;
  publishedAt: string | null;
  matched: number;
  nearMisses: number;
}

/** A subject in a preview or a list of matches. */
export interface MatchedSubject {
  subjectId: string;
  name: string;
  kind: 'person' | 'enterprise';
  identifier: string;
  regionCode: string;
  explanation: Explanation;
}

/** What the hall shows a subject: a policy it meets, or misses by one condition, and why. */
export interface Recommendation {
  policy: PolicyView;
  matched: boolean;
  explanation: Explanation;
  amount: number | null;
  grant: { id: string; number: string; state: string; stateName: Text } | null;
}

export class PolicyService {
  constructor(
    private readonly db: Kdb,
    private readonly matching: Matching,
    private readonly grants: GrantService,
  ) {}

  async #views(rows: readonly PolicyRow[], now: Date): Promise<PolicyView[]> {
    const [departments, counts] = await Promise.all([
      store.departmentNames(this.db),
      store.matchCounts(this.db),
    ]);
    const today = toLocalDate(now);
    return rows.map((row) => ({
      ...row,
      department: departments.get(row.departmentCode) ?? {
        zh: row.departmentCode,
        en: row.departmentCode,
      },
      modeName: MODE_LABELS[row.mode],
      stateName: POLICY_STATE_LABELS[row.state],
      benefitText: benefitText(row.benefit),
      inForce: row.state === 'published' && inForce(row, today),
      updatedAt: row.updatedAt.toISOString(),
      publishedAt: row.publishedAt?.toISOString() ?? null,
      matched: counts.get(row.id)?.matched ?? 0,
      nearMisses: counts.get(row.id)?.nearMisses ?? 0,
    }));
  }

  /** Published policies for everyone; drafts and withdrawn ones too for administrators. */
  async list(actor: Actor | null, now = new Date()) {
    const states =
      actor?.role === 'admin'
        ? (['draft', 'published', 'withdrawn'] as const)
        : (['published'] as const);
    return { items: await this.#views(await store.listPolicies(this.db, states), now) };
  }

  async get(actor: Actor | null, code: string, now = new Date()): Promise<PolicyView> {
    const row = await store.findPolicy(this.db, code);
    if (!row || (row.state !== 'published' && actor?.role !== 'admin')) throw notFound(POLICY);
    return (await this.#views([row], now))[0]!;
  }

  async #check(input: PolicyInput, db: Kdb | Tx) {
    const problems = checkPolicy(input);
    if (!(await store.departmentExists(db, input.departmentCode)))
      problems.push({
        path: 'body.departmentCode',
        rule: 'known_department',
        message: { zh: '部门不存在', en: 'unknown department' },
      });
    const regions = await store.regionTree(db);
    if (!regions.some((r) => r.code === input.regionCode))
      problems.push({
        path: 'body.regionCode',
        rule: 'known_region',
        message: { zh: '区划不存在', en: 'unknown region' },
      });
    if (problems.length > 0)
      throw new AppError(
        422,
        'request.invalid',
        { zh: '政策内容有误', en: 'invalid policy' },
        problems,
      );
  }

  /** A new policy, as a draft (published by `publish`). */
  async create(actor: Actor, input: PolicyInput, meta: RequestMeta, now = new Date()) {
    await this.#check(input, this.db);
    await this.db.transaction().execute(async (trx) => {
      if (await store.findPolicy(trx, input.code))
        throw new AppError(
          409,
          'policies.code_taken',
          { zh: '政策编码已存在', en: 'the policy code is taken' },
          [
            {
              path: 'body.code',
              rule: 'unique',
              message: { zh: '编码已被使用', en: 'code already used' },
            },
          ],
        );
      const id = randomUUID();
      await store.insertPolicy(trx, id, input, 'draft', actor.userId, now);
      await this.#audit(trx, actor, 'policies.created', id, meta, now, { code: input.code });
    });
    return this.get(actor, input.code, now);
  }

  /**
   * Changes a policy (its code stays). A published policy's matches follow its new rule at once;
   * grants already made stand.
   */
  async update(
    actor: Actor,
    code: string,
    input: PolicyInput & { version: number },
    meta: RequestMeta,
    now = new Date(),
  ) {
    if (input.code !== code)
      throw invalidField('body.code', 'unchanged', {
        zh: '政策编码不能修改',
        en: 'the code cannot change',
      });
    const { version, ...policy } = input;
    await this.#check(policy, this.db);
    const published = await this.db.transaction().execute(async (trx) => {
      const row = await store.findPolicy(trx, code, true);
      if (!row) throw notFound(POLICY);
      if (row.version !== version)
        throw new AppError(
          409,
          'policies.changed',
          { zh: '政策已被他人修改，请刷新', en: 'the policy changed meanwhile; reload it' },
          [
            {
              path: 'body.version',
              rule: 'current',
              message: { zh: '版本已过期', en: 'stale version' },
            },
          ],
        );
      await store.updatePolicy(trx, row.id, policy, actor.userId, now);
      await this.#audit(trx, actor, 'policies.updated', row.id, meta, now, {
        code,
        version: version + 1,
      });
      return row.state === 'published';
    });
    if (published) await this.#rematchPolicy(code, now);
    return this.get(actor, code, now);
  }

  /** Publishes (or withdraws) a policy; publishing matches every dossier against it at once. */
  async setState(
    actor: Actor,
    code: string,
    state: 'published' | 'withdrawn',
    meta: RequestMeta,
    now = new Date(),
  ) {
    await this.db.transaction().execute(async (trx) => {
      const row = await store.findPolicy(trx, code, true);
      if (!row) throw notFound(POLICY);
      if (row.state === state) return; // a retry
      if (state === 'withdrawn' && row.state !== 'published')
        throw invalidField('params.code', 'published', {
          zh: '只能撤回已发布的政策',
          en: 'only a published policy can be withdrawn',
        });
      await store.setPolicyState(trx, row.id, state, actor.userId, now);
      if (state === 'withdrawn') await store.deleteMatches(trx, row.id, 'all');
      await this.#audit(trx, actor, `policies.${state}`, row.id, meta, now, { code });
    });
    if (state === 'published') await this.#rematchPolicy(code, now);
    return this.get(actor, code, now);
  }

  async #rematchPolicy(code: string, now: Date): Promise<MatchRun | null> {
    const row = await store.findPolicy(this.db, code);
    if (!row || row.state !== 'published') return null;
    if (!inForce(row, toLocalDate(now))) {
      await this.db.transaction().execute((trx) => store.deleteMatches(trx, row.id, 'all'));
      return null;
    }
    return this.matching.matchAll(now, [row]);
  }

  /** Full re-match of every dossier against every published policy in force. */
  async rematchAll(actor: Actor, meta: RequestMeta, now = new Date()) {
    const rebuilt = await this.db.transaction().execute(async (trx) => {
      const built = await this.matching.rebuildDossiers(trx, null, now);
      await this.#audit(trx, actor, 'policies.rematched', null, meta, now, {
        subjects: built.size,
      });
      return built.size;
    });
    const run = await this.matching.matchAll(now);
    return { dossiersRebuilt: rebuilt, ...run };
  }

  /**
   * How many subjects a rule would match now and who, with explanations: the editor's live
   * preview. With `subjectId`, that subject's explanation too.
   */
  async preview(
    actor: Actor,
    body: { rule: Rule; subjectId?: string; limit?: number },
    now = new Date(),
  ) {
    const context = await this.matching.context(this.db, now);
    const compiled = this.matching.compile([{ id: 'preview', rule: body.rule }], {
      ...context,
    });
    const snapshot = await this.matching.snapshot();
    const started = performance.now();
    const [result] = matchAll(snapshot.columns, compiled, { nearMisses: true });
    const tookMs = performance.now() - started;
    const policy = compiled.policies[0]!;
    const limit = body.limit ?? 10;
    const pick = (bits: Uint32Array | undefined) => {
      const rows: number[] = [];
      if (!bits) return rows;
      for (let row = 0; row < snapshot.columns.length && rows.length < limit; row++)
        if (hasBit(bits, row)) rows.push(row);
      return rows;
    };
    const describe = async (rows: number[]): Promise<MatchedSubject[]> => {
      const subjects = new Map(
        (
          await store.subjectsByIds(
            this.db,
            rows.map((r) => snapshot.subjectIds[r]!),
          )
        ).map((s) => [s.id, s]),
      );
      return rows.flatMap((row) => {
        const subject = subjects.get(snapshot.subjectIds[row]!);
        if (!subject) return [];
        return [
          {
            subjectId: subject.id,
            name: subject.name,
            kind: subject.kind,
            identifier: maskSubjectIdentifier(subject.kind, subject.identifier),
            regionCode: subject.regionCode,
            explanation: explain(snapshot.columns, row, policy),
          },
        ];
      });
    };
    let subject: MatchedSubject | null = null;
    if (body.subjectId) {
      const row = snapshot.rowOf.get(body.subjectId);
      if (row === undefined)
        throw invalidField('body.subjectId', 'has_dossier', {
          zh: '该主体没有档案',
          en: 'no dossier for this subject',
        });
      subject = (await describe([row]))[0] ?? null;
    }
    void actor;
    return {
      asOf: context.asOf,
      subjects: snapshot.columns.length,
      matched: result!.count,
      nearMisses: result!.nearMissCount ?? 0,
      tookMs: Math.round(tookMs * 1000) / 1000,
      sample: await describe(pick(result!.bits)),
      nearMissSample: await describe(pick(result!.nearMiss)),
      subject,
    };
  }

  /** Who matches a policy (or nearly), in the staff member's regions, with the reasons. */
  async matches(
    actor: Actor,
    code: string,
    filter: { status: 'matched' | 'near_miss'; limit: number; offset: number },
  ) {
    const policy = await store.findPolicy(this.db, code);
    if (!policy) throw notFound(POLICY);
    if (actor.role !== 'admin' && actor.role !== 'supervisor') {
      const department = await store.departmentCodeOf(this.db, actor.departmentId);
      if (department !== policy.departmentCode) throw forbidden();
    }
    const regions = actor.role === 'admin' ? 'all' : await regionsUnder(this.db, actor.regionCode);
    const page = await store.listMatches(this.db, policy.id, { ...filter, regions });
    return {
      total: page.total,
      items: page.items.map((m) => ({
        subjectId: m.subjectId,
        name: m.name,
        kind: m.kind,
        identifier: maskSubjectIdentifier(m.kind, m.identifier),
        regionCode: m.regionCode,
        summary: m.summary,
        matchedAt: m.matchedAt.toISOString(),
      })),
    };
  }

  /**
   * 为您推荐: the published policies in force a subject meets or misses by one condition, with
   * the reasons worked out on its current dossier, what it would receive and its grant, if any.
   */
  async recommended(actor: Actor, now = new Date()): Promise<{ items: Recommendation[] }> {
    const subjectId = actor.subjectId;
    if (!subjectId) throw forbidden();
    let dossier = (await store.findDossier(this.db, subjectId))?.dossier;
    if (!dossier) {
      // a subject new since the last full match: build its dossier and match it now
      await this.db.transaction().execute((trx) => this.matching.matchSubject(trx, subjectId, now));
      dossier = (await store.findDossier(this.db, subjectId))?.dossier;
    }
    if (!dossier) throw notFound(SUBJECT);
    const policies = await this.matching.policiesInForce(this.db, now);
    if (policies.length === 0) return { items: [] };
    const compiled = this.matching.compile(policies, await this.matching.context(this.db, now));
    const columns = DossierColumns.from([dossier]);
    const [views, grants] = await Promise.all([
      this.#views(policies, now),
      this.grants.list(actor, { limit: 100, offset: 0 }, now),
    ]);
    const grantOf = new Map(grants.items.map((g) => [g.policy.code, g]));
    const items: Recommendation[] = [];
    for (const [i, policy] of policies.entries()) {
      const explanation = explain(columns, 0, compiled.policies[i]!);
      if (!explanation.matched && !explanation.nearMiss) continue;
      const grant = grantOf.get(policy.code);
      items.push({
        policy: views[i]!,
        matched: explanation.matched,
        explanation,
        amount: benefitAmount(policy.benefit, dossier),
        grant: grant
          ? { id: grant.id, number: grant.number, state: grant.state, stateName: grant.stateName }
          : null,
      });
    }
    items.sort(
      (a, b) => Number(b.matched) - Number(a.matched) || a.policy.code.localeCompare(b.policy.code),
    );
    return { items };
  }

  /** A subject's dossier as the rules read it, with its facts and matches (staff). */
  async dossier(actor: Actor, subjectId: string) {
    const subject = await store.findSubject(this.db, subjectId);
    if (!subject) throw notFound(SUBJECT);
    await this.#inRegion(actor, subject.regionCode);
    const [dossier, facts, matches] = await Promise.all([
      store.findDossier(this.db, subjectId),
      store.findFacts(this.db, subjectId),
      store.matchesOfSubject(this.db, subjectId),
    ]);
    return {
      subject: {
        id: subject.id,
        name: subject.name,
        kind: subject.kind,
        identifier: maskSubjectIdentifier(subject.kind, subject.identifier),
        regionCode: subject.regionCode,
      },
      dossier: dossier?.dossier ?? null,
      facts: facts ? { ...facts, updatedAt: facts.updatedAt.toISOString() } : null,
      matches: matches.map((m) => ({ ...m, matchedAt: m.matchedAt.toISOString() })),
    };
  }

  async #inRegion(actor: Actor, regionCode: string) {
    if (actor.role === 'admin') return;
    if (!(await regionsUnder(this.db, actor.regionCode)).includes(regionCode))
      throw notFound(SUBJECT);
  }

  /**
   * Records the facts another department's system holds about a subject (data exchange), and
   * re-matches the subject in the same transaction: new matches of 免申即享 policies are granted.
   */
  async putFacts(
    actor: Actor,
    subjectId: string,
    body: { facts: Facts; source: string },
    meta: RequestMeta,
    now = new Date(),
  ) {
    const subject = await store.findSubject(this.db, subjectId);
    if (!subject) throw notFound(SUBJECT);
    await this.#inRegion(actor, subject.regionCode);
    const grantsCreated = await this.db.transaction().execute(async (trx) => {
      await store.upsertFacts(
        trx,
        subjectId,
        subject.regionCode,
        body.facts,
        body.source,
        actor.userId,
        now,
      );
      await this.#audit(trx, actor, 'policies.facts_recorded', subjectId, meta, now, {
        source: body.source,
      });
      return this.matching.matchSubject(trx, subjectId, now);
    });
    return { ...(await this.dossier(actor, subjectId)), grantsCreated };
  }

  async #audit(
    trx: Tx,
    actor: Actor,
    action: AuditAction,
    objectId: string | null,
    meta: RequestMeta,
    now: Date,
    detail: Record<string, unknown>,
  ) {
    await appendAudit(trx, {
      at: now,
      actorId: actor.userId,
      actorRole: actor.role,
      action,
      objectType: 'policy',
      objectId,
      ip: meta.ip,
      requestId: meta.requestId,
      detail,
    });
  }
}

export type { Dossier };
