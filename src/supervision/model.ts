// Supervision's rules apart from SQL: what a plan says, how its draw's quota respects the items'
// sampling limits, how plans on the same enterprise merge into one joint inspection (进一次门、
// 查多项事), which steps an inspection takes, and the deadlines of check-in and publication.
import { Type, type Static } from 'typebox';
import type { FieldProblem } from '../platform/http/errors';
import { tierQuota } from './draw';
import { RISK_LEVELS, type InspectionState } from './codes';
export * from './codes';

/** Results are published within this many working days of an inspection's end (双随机一公开). */
export const PUBLISH_WORKING_DAYS = 20;
/** The enterprise's check-in code (扫码入企) is good for this long. */
export const CHECKIN_CODE_MINUTES = 10;
/** Credit grades, the tiers of a draw. */
export const TIERS = ['A', 'B', 'C', 'D'] as const;

/** The step each action takes an inspection from and to. */
export const INSPECTION_STEPS = {
  file: { from: 'planned', to: 'filed' },
  check_in: { from: 'filed', to: 'checked_in' },
  finish: { from: 'checked_in', to: 'finished' },
  publish: { from: 'finished', to: 'published' },
} as const satisfies Record<string, { from: InspectionState; to: InspectionState }>;
export type InspectionStep = keyof typeof INSPECTION_STEPS;

const Ratio = Type.Number({ minimum: 0, maximum: 1 });

/** A random-inspection plan as a department's planner writes it. */
export const PlanInputSchema = Type.Object(
  {
    title: Type.String({ minLength: 2, maxLength: 200 }),
    itemCodes: Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }), {
      minItems: 1,
      maxItems: 20,
      uniqueItems: true,
    }),
    regionCode: Type.String({ pattern: '^\\d{6}$' }),
    filters: Type.Object(
      {
        regions: Type.Optional(
          Type.Array(Type.String({ pattern: '^\\d{6}$' }), { maxItems: 50, uniqueItems: true }),
        ),
        industries: Type.Optional(
          Type.Array(Type.String({ pattern: '^[A-T]\\d{0,4}$' }), {
            maxItems: 50,
            uniqueItems: true,
          }),
        ),
        riskLevels: Type.Optional(Type.Array(Type.Enum(RISK_LEVELS), { uniqueItems: true })),
      },
      { additionalProperties: false },
    ),
    tierRatios: Type.Object(
      { A: Ratio, B: Ratio, C: Ratio, D: Ratio },
      { additionalProperties: false },
    ),
    inspectorsPerTarget: Type.Integer({ minimum: 2, maximum: 5 }),
    maxTasksPerInspector: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    startsOn: Type.String({ format: 'date' }),
    endsOn: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);
export type PlanInput = Static<typeof PlanInputSchema>;

/** Problems of a plan beyond its shape. */
export function checkPlan(input: PlanInput, today: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.endsOn < input.startsOn)
    problems.push({
      path: 'body.endsOn',
      rule: 'after_starts_on',
      message: { zh: '结束日期早于开始日期', en: 'ends before it starts' },
    });
  if (input.endsOn < today)
    problems.push({
      path: 'body.endsOn',
      rule: 'not_past',
      message: { zh: '检查期已过', en: 'the inspection period is over' },
    });
  if (Object.values(input.tierRatios).every((r) => r === 0))
    problems.push({
      path: 'body.tierRatios',
      rule: 'some_ratio',
      message: { zh: '至少一个信用等级的抽查比例大于 0', en: 'at least one ratio above 0' },
    });
  return problems;
}

/**
 * The share of the population a draw will take, by the draw's own rounding: Σ ⌈ratio × tier⌉
 * over the whole population (0 when there is nobody).
 */
export function samplingShare(
  population: Readonly<Record<string, number>>,
  ratios: Readonly<Record<string, number>>,
): number {
  let total = 0;
  let drawn = 0;
  for (const [tier, n] of Object.entries(population)) {
    total += n;
    drawn += tierQuota(n, ratios[tier] ?? 0);
  }
  return total === 0 ? 0 : drawn / total;
}

/** Whether two date ranges (YYYY-MM-DD, inclusive) overlap. */
export function overlaps(
  a: { startsOn: string; endsOn: string },
  b: { startsOn: string; endsOn: string },
): boolean {
  return a.startsOn <= b.endsOn && b.startsOn <= a.endsOn;
}

/** What an inspection of one enterprise covers: plans, departments, items and inspectors. */
export interface Coverage {
  planIds: string[];
  departmentCodes: string[];
  itemCodes: string[];
  inspectorIds: string[];
  startsOn: string;
  endsOn: string;
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

/**
 * A joint inspection (综合查一次): another department's drawn task on the same enterprise in an
 * overlapping period joins the inspection not yet filed, so the enterprise opens its door once.
 * The period narrows to the overlap.
 */
export function mergeCoverage(existing: Coverage, addition: Coverage): Coverage {
  return {
    planIds: union(existing.planIds, addition.planIds),
    departmentCodes: union(existing.departmentCodes, addition.departmentCodes),
    itemCodes: union(existing.itemCodes, addition.itemCodes),
    inspectorIds: union(existing.inspectorIds, addition.inspectorIds),
    startsOn: existing.startsOn > addition.startsOn ? existing.startsOn : addition.startsOn,
    endsOn: existing.endsOn < addition.endsOn ? existing.endsOn : addition.endsOn,
  };
}

/**
 * Why a filing (事前备案) matches no planned inspection, or null when it matches: the inspector
 * must be assigned, every item planned, the day within the period, the inspection not filed yet.
 */
export function filingProblem(
  inspection: Coverage & { state: InspectionState },
  filing: { inspectorId: string; itemCodes: readonly string[]; scheduledOn: string },
): FieldProblem | null {
  if (!inspection.inspectorIds.includes(filing.inspectorId))
    return {
      path: 'body.subjectId',
      rule: 'assigned',
      message: { zh: '您未被抽派检查该企业', en: 'you were not drawn to inspect this enterprise' },
    };
  const unplanned = filing.itemCodes.filter((c) => !inspection.itemCodes.includes(c));
  if (unplanned.length > 0)
    return {
      path: 'body.itemCodes',
      rule: 'planned',
      message: {
        zh: `检查事项不在计划内：${unplanned.join('、')}`,
        en: `items not in the plan: ${unplanned.join(', ')}`,
      },
    };
  if (filing.scheduledOn < inspection.startsOn || filing.scheduledOn > inspection.endsOn)
    return {
      path: 'body.scheduledOn',
      rule: 'within_period',
      message: {
        zh: `检查日期须在 ${inspection.startsOn} 至 ${inspection.endsOn} 之间`,
        en: `the day must be from ${inspection.startsOn} to ${inspection.endsOn}`,
      },
    };
  if (inspection.state !== 'planned')
    return {
      path: 'body.subjectId',
      rule: 'not_filed',
      message: { zh: '该检查已备案', en: 'this inspection is already filed' },
    };
  return null;
}
