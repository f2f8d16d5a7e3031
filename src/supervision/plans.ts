// 双随机: a department's plan selects targets by filters, tiers them by credit grade and commits
// to a seed (its hash published) with the inputs frozen; the draw then assigns at least two
// inspectors without a declared conflict to each drawn target, reveals the seed, and turns the
// result into inspections — joining another department's open inspection of the same enterprise
// in an overlapping period (综合查一次). Anyone can re-run the draw from what is published.
import { randomUUID } from 'node:crypto';
import { appendAudit, type AuditAction } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import { toLocalDate } from '../platform/calendar';
import type { Kdb, Tx } from '../platform/db/database';
import { AppError, forbidden, invalidField, notFound } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import { notify } from '../platform/notify';
import { regionsUnder } from '../platform/regions';
import { tagsOfSubjects } from '../licences';
import { creditGrades } from './credit-service';
import {
  checkDrawInputs,
  commitSeed,
  digestInputs,
  drawPlan,
  generateSeed,
  verifyDraw,
  type DrawInputs,
  type DrawResult,
} from './draw';
import {
  checkPlan,
  mergeCoverage,
  overlaps,
  samplingShare,
  type Coverage,
  type PlanInput,
  type RiskLevel,
} from './model';
import * as store from './store';

const PLAN: Text = { zh: '抽查计划', en: 'inspection plan' };
const RISKS: readonly RiskLevel[] = ['low', 'medium', 'high'];

/** The planners: inspectors plan for their own department; administrators for any. */
async function plannerDepartment(db: Kdb | Tx, actor: Actor): Promise<string | null> {
  if (actor.role === 'admin') return null;
  const code = await store.departmentCodeOf(db, actor.departmentId);
  if (!code) throw forbidden();
  return code;
}

/** A stable risk level for an enterprise that nobody has assessed yet (mostly medium). */
export function defaultRisk(subjectId: string): RiskLevel {
  const h = parseInt(subjectId.replace(/-/g, '').slice(-4), 16) % 10;
  return h < 3 ? 'low' : h < 8 ? 'medium' : 'high';
}

/** The industry section of each enterprise, from its licences' tags. */
async function industriesOf(db: Kdb | Tx, ids: readonly string[]) {
  const tags = await tagsOfSubjects(db, ids);
  const industries = new Map<string, string>();
  for (const [id, list] of tags) {
    const industry = list.find((t) => t.startsWith('industry:'));
    if (industry) industries.set(id, industry.slice('industry:'.length));
  }
  return industries;
}

/** Brings every enterprise into the target registry (检查对象名录). */
export function syncTargets(trx: Tx, now: Date) {
  return store.addMissingTargets(trx, (ids) => industriesOf(trx, ids), defaultRisk, now);
}

export class PlanService {
  constructor(private readonly db: Kdb) {}

  async create(actor: Actor, input: PlanInput, meta: RequestMeta, now = new Date()) {
    const department = await plannerDepartment(this.db, actor);
    const problems = checkPlan(input, toLocalDate(now));
    const items = await store.listItems(this.db, input.itemCodes);
    for (const code of input.itemCodes) {
      const item = items.find((i) => i.code === code);
      if (!item)
        problems.push({
          path: 'body.itemCodes',
          rule: 'known_item',
          message: { zh: `检查事项 ${code} 不存在`, en: `unknown item ${code}` },
        });
      else if (department && item.departmentCode !== department)
        problems.push({
          path: 'body.itemCodes',
          rule: 'own_item',
          message: {
            zh: `检查事项 ${code} 不属于本部门`,
            en: `item ${code} is another department's`,
          },
        });
    }
    const departmentCode = department ?? items[0]?.departmentCode;
    if (new Set(items.map((i) => i.departmentCode)).size > 1)
      problems.push({
        path: 'body.itemCodes',
        rule: 'one_department',
        message: {
          zh: '一个计划只含一个部门的检查事项',
          en: "a plan holds one department's items",
        },
      });
    const allowed = actor.role === 'admin' ? null : await regionsUnder(this.db, actor.regionCode);
    if ((await regionsUnder(this.db, input.regionCode)).length === 0)
      problems.push({
        path: 'body.regionCode',
        rule: 'known_region',
        message: { zh: '区划不存在', en: 'unknown region' },
      });
    else if (allowed && !allowed.includes(input.regionCode))
      problems.push({
        path: 'body.regionCode',
        rule: 'own_region',
        message: { zh: '只能在本辖区内抽查', en: 'only in your own region' },
      });
    if (problems.length > 0 || !departmentCode)
      throw new AppError(
        422,
        'request.invalid',
        { zh: '抽查计划有误', en: 'invalid plan' },
        problems,
      );
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('inspectionPlans')
        .values({
          id,
          number: await store.nextNumber(trx, 'inspectionPlans', `SJ${now.getFullYear()}`),
          departmentCode,
          regionCode: input.regionCode,
          title: input.title,
          itemCodes: JSON.stringify(input.itemCodes),
          filters: JSON.stringify(input.filters),
          tierRatios: JSON.stringify(input.tierRatios),
          inspectorsPerTarget: input.inspectorsPerTarget,
          maxTasksPerInspector: input.maxTasksPerInspector ?? null,
          startsOn: input.startsOn,
          endsOn: input.endsOn,
          state: 'draft',
          createdBy: actor.userId,
          createdAt: now,
        })
        .execute();
      await this.#audit(trx, actor, 'supervision.plan_created', id, meta, now, {
        title: input.title,
      });
    });
    return this.get(id);
  }

  /** A plan as published: its hashes before the draw; the seed, inputs and result after. */
  async get(id: string) {
    const plan = await store.findPlan(this.db, id, {});
    if (!plan) throw notFound(PLAN);
    const drawn = plan.state === 'drawn';
    const result = drawn ? (plan.result as DrawResult) : null;
    // names beside the ids the draw works on (the digest covers the ids only)
    const names = result ? await this.#names(result) : null;
    return {
      ...plan,
      seed: drawn ? plan.seed : null,
      inputs: plan.state === 'draft' ? null : (plan.inputs as DrawInputs),
      result,
      names,
      summary: result
        ? {
            selected: result.selected.length,
            unassigned: result.unassigned.length,
            perTier: result.perTier,
          }
        : null,
      createdAt: plan.createdAt.toISOString(),
      committedAt: plan.committedAt?.toISOString() ?? null,
      drawnAt: plan.drawnAt?.toISOString() ?? null,
    };
  }

  async #names(result: DrawResult) {
    const targetIds = [
      ...result.selected.map((s) => s.targetId),
      ...result.unassigned.map((u) => u.targetId),
    ];
    const inspectorIds = [...new Set(result.selected.flatMap((s) => s.inspectorIds))];
    const [subjects, inspectors] = await Promise.all([
      targetIds.length === 0
        ? []
        : this.db
            .selectFrom('subjects')
            .select(['id', 'name'])
            .where('id', 'in', targetIds)
            .execute(),
      store.inspectorNames(this.db, inspectorIds),
    ]);
    return {
      targets: Object.fromEntries(subjects.map((s) => [s.id, s.name])),
      inspectors: Object.fromEntries([...inspectors].map(([id, i]) => [id, i.name])),
    };
  }

  async list(actor: Actor | null) {
    const items = await store.listPlans(this.db, {});
    void actor;
    return {
      items: items.map((p) => ({
        ...p,
        seed: p.state === 'drawn' ? p.seed : null,
        createdAt: p.createdAt.toISOString(),
        committedAt: p.committedAt?.toISOString() ?? null,
        drawnAt: p.drawnAt?.toISOString() ?? null,
      })),
    };
  }

  async #locked(trx: Tx, actor: Actor, id: string) {
    const plan = await store.findPlan(trx, id, { lock: true });
    if (!plan) throw notFound(PLAN);
    const department = await plannerDepartment(trx, actor);
    if (department && department !== plan.departmentCode) throw notFound(PLAN);
    return plan;
  }

  /**
   * Freezes the draw's inputs (targets by the filters, tiered by credit grade today; the
   * department's certified inspectors with their conflicts) and commits to a fresh seed, whose
   * hash is published from now on. The sampling share must stay within the items' limits.
   */
  async commit(actor: Actor, id: string, meta: RequestMeta, now = new Date()) {
    await this.db.transaction().execute(async (trx) => {
      const plan = await this.#locked(trx, actor, id);
      if (plan.state !== 'draft') return; // a retry
      await syncTargets(trx, now);
      const filters = plan.filters as {
        regions?: string[];
        industries?: string[];
        riskLevels?: RiskLevel[];
      };
      const under = await regionsUnder(trx, plan.regionCode);
      const regions = filters.regions?.length
        ? (await Promise.all(filters.regions.map((r) => regionsUnder(trx, r))))
            .flat()
            .filter((r) => under.includes(r))
        : under;
      const targets = await store.selectTargets(trx, {
        regions,
        industries: filters.industries,
        riskLevels: filters.riskLevels,
      });
      const today = toLocalDate(now);
      const grades = await creditGrades(
        trx,
        targets.map((t) => t.subjectId),
        today,
      );
      const inspectors = (
        await store.listInspectors(trx, { departmentCode: plan.departmentCode })
      ).filter((i) => i.active && i.certifiedUntil >= plan.endsOn);
      const conflicts = await store.conflictsOf(
        trx,
        inspectors.map((i) => i.id),
      );
      const inputs: DrawInputs = {
        targets: targets.map((t) => ({ id: t.subjectId, tier: grades.get(t.subjectId) ?? 'A' })),
        tierRatios: plan.tierRatios as Record<string, number>,
        inspectors: inspectors.map((i) => ({
          id: i.id,
          departmentCode: i.departmentCode,
          conflicts: conflicts.get(i.id) ?? [],
        })),
        inspectorsPerTarget: plan.inspectorsPerTarget,
        ...(plan.maxTasksPerInspector ? { maxTasksPerInspector: plan.maxTasksPerInspector } : {}),
      };
      const problems = checkDrawInputs(inputs);
      if (targets.length === 0)
        problems.push({
          path: 'filters',
          rule: 'some_target',
          message: { zh: '没有符合条件的检查对象', en: 'no target meets the filters' },
        });
      const population: Record<string, number> = {};
      for (const t of inputs.targets) population[t.tier] = (population[t.tier] ?? 0) + 1;
      const share = samplingShare(population, inputs.tierRatios);
      const items = await store.listItems(trx, plan.itemCodes as string[]);
      const limit = Math.min(...items.map((i) => i.maxRatio));
      if (share > limit + 1e-9)
        problems.push({
          path: 'tierRatios',
          rule: 'max_ratio',
          message: {
            zh: `抽查比例 ${(share * 100).toFixed(1)}% 超过检查事项上限 ${(limit * 100).toFixed(1)}%`,
            en: `sampling ${(share * 100).toFixed(1)}% exceeds the items' limit of ${(limit * 100).toFixed(1)}%`,
          },
        });
      if (problems.length > 0)
        throw new AppError(
          422,
          'supervision.draw_invalid',
          { zh: '无法抽取', en: 'the draw cannot run' },
          problems,
        );
      const seed = generateSeed();
      await trx
        .updateTable('inspectionPlans')
        .set({
          state: 'committed',
          inputs: JSON.stringify(inputs),
          inputsDigest: digestInputs(inputs),
          seed,
          seedHash: commitSeed(seed),
          committedAt: now,
        })
        .where('id', '=', id)
        .execute();
      await this.#audit(trx, actor, 'supervision.plan_committed', id, meta, now, {
        seedHash: commitSeed(seed),
        targets: targets.length,
        inspectors: inspectors.length,
      });
    });
    return this.get(id);
  }

  /** Runs the committed draw, reveals the seed and turns the result into inspections. */
  async draw(actor: Actor, id: string, meta: RequestMeta, now = new Date()) {
    await this.db.transaction().execute(async (trx) => {
      const plan = await this.#locked(trx, actor, id);
      if (plan.state === 'drawn') return; // a retry
      if (plan.state !== 'committed')
        throw invalidField('params.id', 'committed', {
          zh: '请先锁定抽取参数（公布种子哈希）',
          en: 'commit the plan (publish the seed hash) first',
        });
      const result = drawPlan(plan.inputs as DrawInputs, plan.seed!);
      await trx
        .updateTable('inspectionPlans')
        .set({
          state: 'drawn',
          result: JSON.stringify(result),
          drawDigest: result.drawDigest,
          drawnAt: now,
        })
        .where('id', '=', id)
        .execute();
      const tasks = await this.#inspections(trx, plan, result, now);
      await this.#audit(trx, actor, 'supervision.plan_drawn', id, meta, now, {
        drawDigest: result.drawDigest,
        selected: result.selected.length,
        joint: tasks.joined,
      });
    });
    return this.get(id);
  }

  async #inspections(trx: Tx, plan: store.PlanRow, result: DrawResult, now: Date) {
    let joined = 0;
    const byInspector = new Map<string, number>();
    for (const pick of result.selected) {
      const subject = await store.findSubject(trx, pick.targetId);
      if (!subject) continue;
      const task: Coverage = {
        planIds: [plan.id],
        departmentCodes: [plan.departmentCode],
        itemCodes: plan.itemCodes as string[],
        inspectorIds: pick.inspectorIds,
        startsOn: plan.startsOn,
        endsOn: plan.endsOn,
      };
      for (const i of pick.inspectorIds) byInspector.set(i, (byInspector.get(i) ?? 0) + 1);
      const open = (await store.openInspectionsOf(trx, pick.targetId)).find(
        (i) => overlaps(i, task) && !(i.departmentCodes as string[]).includes(plan.departmentCode),
      );
      if (open) {
        const merged = mergeCoverage(
          {
            ...open,
            planIds: open.planIds as string[],
            departmentCodes: open.departmentCodes as string[],
            itemCodes: open.itemCodes as string[],
            inspectorIds: open.inspectorIds as string[],
          },
          task,
        );
        await store.setCoverage(trx, open.id, merged, now);
        await store.appendEvent(
          trx,
          {
            inspectionId: open.id,
            regionCode: open.regionCode,
            action: 'joined',
            actorId: null,
            note: `${plan.number} ${plan.departmentCode}`,
          },
          now,
        );
        joined++;
        continue;
      }
      const id = randomUUID();
      await store.insertInspection(
        trx,
        {
          ...task,
          id,
          number: await store.nextNumber(trx, 'inspections', `JC${now.getFullYear()}`),
          subjectId: subject.id,
          regionCode: subject.regionCode,
        },
        now,
      );
      await store.appendEvent(
        trx,
        {
          inspectionId: id,
          regionCode: subject.regionCode,
          action: 'planned',
          actorId: null,
          note: plan.number,
        },
        now,
      );
    }
    const names = await store.inspectorNames(trx, [...byInspector.keys()]);
    for (const [inspectorId, count] of byInspector) {
      const userId = names.get(inspectorId)?.userId;
      if (!userId) continue;
      await notify(
        trx,
        {
          to: { userIds: [userId] },
          kind: 'supervision.tasks_drawn',
          title: { zh: `抽查任务：${plan.title}`, en: `Inspection tasks: ${plan.title}` },
          body: {
            zh: `您被随机抽派 ${count} 项检查，检查期 ${plan.startsOn} 至 ${plan.endsOn}，检查前须备案。`,
            en: `You were drawn for ${count} inspection(s) from ${plan.startsOn} to ${plan.endsOn}; file each before it happens.`,
          },
          link: '/workbench/inspections',
          dedupeKey: `supervision-drawn:${plan.id}:${inspectorId}`,
        },
        now,
      );
    }
    return { joined };
  }

  /** Re-runs a drawn plan's draw from its published inputs and seed (public). */
  async verify(id: string) {
    const plan = await store.findPlan(this.db, id, {});
    if (!plan) throw notFound(PLAN);
    if (plan.state !== 'drawn')
      throw invalidField('params.id', 'drawn', {
        zh: '尚未抽取，种子未公开',
        en: 'not drawn yet: the seed is not revealed',
      });
    const verification = verifyDraw(plan.inputs as DrawInputs, plan.seed!, {
      seedHash: plan.seedHash!,
      drawDigest: plan.drawDigest!,
    });
    return {
      ...verification,
      planNumber: plan.number,
      seedHash: plan.seedHash,
      seed: plan.seed,
      inputsDigest: plan.inputsDigest,
      drawDigest: plan.drawDigest,
    };
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
      objectType: 'inspection_plan',
      objectId: id,
      ip: meta.ip,
      requestId: meta.requestId,
      detail,
    });
  }
}

export { RISKS };
