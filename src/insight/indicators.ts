// The cockpit's indicators as definitions and formulas, apart from SQL: each indicator says what
// it measures, its formula, where its data come from and over which period, so the cockpit can
// publish a definition page for every figure; the formulas work on summed daily rollups.
import type { Text } from '../platform/i18n';

/** Upper edges (hours) of the completion-time buckets; the last bucket is open. */
export const DURATION_EDGES: readonly number[] = [
  0.25, 0.5, 1, 2, 4, 8, 12, 24, 48, 72, 120, 168, 240, 360, 480, 720, 1440,
];

/** The bucket of a completion time in hours. */
export function durationBucket(hours: number): number {
  const i = DURATION_EDGES.findIndex((edge) => hours <= edge);
  return i < 0 ? DURATION_EDGES.length : i;
}

/**
 * The q-quantile (0..1) of completion times counted in buckets, as the upper edge of the bucket
 * it falls in ("at most"); null when nothing was counted; Infinity past the last edge.
 */
export function quantileOfBuckets(counts: ReadonlyMap<number, number>, q: number): number | null {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let bucket = 0; bucket <= DURATION_EDGES.length; bucket++) {
    seen += counts.get(bucket) ?? 0;
    if (seen >= rank) return DURATION_EDGES[bucket] ?? Infinity;
  }
  return Infinity;
}

/** A share, rounded to 0.1 %; null when there is nothing to divide by. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

/** What one indicator is. */
export interface IndicatorDefinition {
  key: string;
  name: Text;
  formula: Text;
  source: Text;
  unit: Text;
  /** The target the seed documents set, if any. */
  target?: { value: number; text: Text };
}

const d = (
  key: string,
  name: [string, string],
  formula: [string, string],
  source: [string, string],
  unit: [string, string],
  target?: { value: number; text: [string, string] },
): IndicatorDefinition => ({
  key,
  name: { zh: name[0], en: name[1] },
  formula: { zh: formula[0], en: formula[1] },
  source: { zh: source[0], en: source[1] },
  unit: { zh: unit[0], en: unit[1] },
  ...(target
    ? { target: { value: target.value, text: { zh: target.text[0], en: target.text[1] } } }
    : {}),
});

const APPLICATIONS: [string, string] = [
  '一件事申请（提交与办结事件）',
  'bundle applications (submitted and completed events)',
];
const TICKETS: [string, string] = ['12345 工单（办结事件）', '12345 tickets (closing events)'];
const EVALUATIONS: [string, string] = [
  '好差评评价及差评整改记录',
  'ratings (好差评) and the rectifications of bad ones',
];
const POLICIES: [string, string] = ['政策匹配及免申即享兑现记录', 'policy matches and grants'];
const SUPERVISION: [string, string] = [
  '涉企检查、抽查计划及结果公示记录',
  'inspections, random-inspection plans and published results',
];

/** Every indicator the cockpit shows, in order. The period is the one asked for. */
export const INDICATORS: readonly IndicatorDefinition[] = [
  d(
    'submitted',
    ['申请量', 'Applications'],
    [
      '期间提交的一件事申请数（补正后再提交不重复计）',
      'applications submitted in the period (a resubmission is not counted again)',
    ],
    APPLICATIONS,
    ['件', ''],
  ),
  d(
    'completed',
    ['办结量', 'Completed'],
    ['期间办结的申请数', 'applications completed in the period'],
    APPLICATIONS,
    ['件', ''],
  ),
  d(
    'onTimeRate',
    ['按时办结率', 'On-time completion'],
    ['按承诺时限办结数 ÷ 办结数', 'completed by the committed time ÷ completed'],
    APPLICATIONS,
    ['%', '%'],
  ),
  d(
    'onlineRate',
    ['网上办理率', 'Online share'],
    ['网上提交数 ÷ 提交数', 'submitted online ÷ submitted'],
    APPLICATIONS,
    ['%', '%'],
  ),
  d(
    'easyRate',
    ['好办易办率', 'Easy to get done'],
    [
      '按承诺时限办结且承诺跑动不超过 1 次的申请数 ÷ 办结数（平台定义：办得快、少跑腿）',
      'completed by the committed time with at most one committed visit ÷ completed (the platform’s definition: fast and without coming back)',
    ],
    APPLICATIONS,
    ['%', '%'],
    { value: 90, text: ['好办易办率达到 90%', 'ease rate of 90 %'] },
  ),
  d(
    'averageHours',
    ['平均办理时长', 'Average time'],
    ['办结申请从提交到办结的平均小时数', 'mean hours from submission to completion'],
    APPLICATIONS,
    ['小时', 'h'],
  ),
  d(
    'p90Hours',
    ['90% 办结时长', '90th percentile time'],
    [
      '90% 的申请在此小时数内办结（按分档计，取档上限）',
      '90 % of applications completed within this many hours (upper edge of its bucket)',
    ],
    APPLICATIONS,
    ['小时', 'h'],
  ),
  d(
    'savedSteps',
    ['减环节', 'Steps saved'],
    [
      '逐项办理所需环节数 − 一件事承诺环节数，按办结申请累计',
      'steps item by item − the bundle’s committed steps, summed over completed applications',
    ],
    APPLICATIONS,
    ['个', ''],
  ),
  d(
    'savedMaterials',
    ['减材料', 'Materials saved'],
    [
      '逐项办理所需材料数 − 合并后材料数，加免提交材料数，按办结申请累计',
      'materials item by item − merged materials, plus waived ones, summed over completed applications',
    ],
    APPLICATIONS,
    ['份', ''],
  ),
  d(
    'savedVisits',
    ['减跑动', 'Visits saved'],
    [
      '逐项办理所需跑动次数 − 一件事承诺跑动次数，按办结申请累计',
      'visits item by item − the bundle’s committed visits, summed over completed applications',
    ],
    APPLICATIONS,
    ['次', ''],
  ),
  d(
    'ticketsClosed',
    ['工单办结量', 'Tickets closed'],
    ['期间办结的 12345 工单数', '12345 tickets closed in the period'],
    TICKETS,
    ['件', ''],
  ),
  d(
    'ticketOnTimeRate',
    ['工单按期办结率', 'Tickets on time'],
    ['按期办结数 ÷ 办结数', 'closed on time ÷ closed'],
    TICKETS,
    ['%', '%'],
  ),
  d(
    'ticketSatisfactionRate',
    ['工单满意率', 'Ticket satisfaction'],
    [
      '满意和基本满意的回访数 ÷ 有评价的回访数',
      'satisfied or basically satisfied callbacks ÷ callbacks with a rating',
    ],
    TICKETS,
    ['%', '%'],
  ),
  d(
    'satisfactionRate',
    ['好差评满意率', 'Satisfaction'],
    [
      '非常满意、满意和基本满意的评价数 ÷ 评价数（申诉认定的恶意差评不计）',
      'ratings of very satisfied, satisfied or fairly satisfied ÷ ratings (ratings found malicious on appeal left out)',
    ],
    EVALUATIONS,
    ['%', '%'],
    { value: 98, text: ['满意度达到 98%', 'satisfaction of 98 %'] },
  ),
  d(
    'badRate',
    ['差评率', 'Bad ratings'],
    ['不满意和非常不满意的评价数 ÷ 评价数', 'dissatisfied or very dissatisfied ratings ÷ ratings'],
    EVALUATIONS,
    ['%', '%'],
  ),
  d(
    'rectificationOnTimeRate',
    ['差评整改按期率', 'Rectified on time'],
    [
      '期间评价引起的整改中按期完成数 ÷ 已完成整改数（未完成的不计）',
      'rectifications of the period’s ratings done by their deadline ÷ rectifications done (open ones not counted)',
    ],
    EVALUATIONS,
    ['%', '%'],
  ),
  d(
    'certificateFreeScenarios',
    ['无证明场景数', 'Certificate-free scenarios'],
    [
      '已发布事项和一件事中，所需证明材料都可由电子证照或已对接的共享数据替代的场景数（按自然人、企业分别计，统计当前状态）',
      'published items and bundles, per kind of applicant, whose every proof can be replaced by an e-licence or connected shared data (as of now)',
    ],
    [
      '事项目录、一件事、电子证照类型与共享数据源',
      'catalog, bundles, e-licence types and shared data sources',
    ],
    ['个', ''],
    { value: 20, text: ['无证明场景不少于 20 个', 'at least 20 certificate-free scenarios'] },
  ),
  d(
    'policyMatches',
    ['政策匹配数', 'Policy matches'],
    [
      '期间政策与市场主体或个人匹配成功的次数（差一个条件的不计）',
      'policy–subject matches made in the period (near misses not counted)',
    ],
    POLICIES,
    ['次', ''],
  ),
  d(
    'grantsPaidOnTimeRate',
    ['免申即享按期兑现率', 'Grants paid on time'],
    [
      '期间兑现的免申即享资金中在兑现期限前支付的笔数 ÷ 期间兑现笔数',
      'grants paid in the period by their due instant ÷ grants paid in the period',
    ],
    POLICIES,
    ['%', '%'],
  ),
  d(
    'inspectionsPerEnterprise',
    ['户均检查次数', 'Inspections per enterprise'],
    [
      '期间完成的涉企检查次数 ÷ 被检查企业数（进一次门、查多项事，越低越好）',
      'inspections finished in the period ÷ distinct enterprises inspected (one visit for many checks: lower is better)',
    ],
    SUPERVISION,
    ['次/户', 'per enterprise'],
  ),
  d(
    'inspectionsPublishedOnTimeRate',
    ['检查结果按期公示率', 'Results published on time'],
    [
      '期间公示的检查结果中在公示期限（检查结束后 20 个工作日）内公示的数量 ÷ 期间公示数',
      'results published in the period within their deadline (20 working days after the inspection) ÷ results published in the period',
    ],
    SUPERVISION,
    ['%', '%'],
  ),
];

/** Summed daily rows of applications. */
export interface ApplicationSums {
  submitted: number;
  submittedOnline: number;
  completed: number;
  completedOnTime: number;
  easy: number;
  durationHours: number;
  savedSteps: number;
  savedMaterials: number;
  savedVisits: number;
  waivedMaterials: number;
}

/** Summed daily rows of tickets. */
export interface TicketSums {
  closed: number;
  closedOnTime: number;
  rated: number;
  satisfied: number;
}

/** The applications' and tickets' figures from their sums and completion-time buckets. */
export function figures(
  applications: ApplicationSums,
  durations: ReadonlyMap<number, number>,
  tickets: TicketSums,
) {
  return {
    submitted: applications.submitted,
    completed: applications.completed,
    onTimeRate: rate(applications.completedOnTime, applications.completed),
    onlineRate: rate(applications.submittedOnline, applications.submitted),
    easyRate: rate(applications.easy, applications.completed),
    averageHours:
      applications.completed > 0
        ? Math.round((applications.durationHours / applications.completed) * 10) / 10
        : null,
    p90Hours: quantileOfBuckets(durations, 0.9),
    savedSteps: applications.savedSteps,
    savedMaterials: applications.savedMaterials + applications.waivedMaterials,
    savedVisits: applications.savedVisits,
    ticketsClosed: tickets.closed,
    ticketOnTimeRate: rate(tickets.closedOnTime, tickets.closed),
    ticketSatisfactionRate: rate(tickets.satisfied, tickets.rated),
  };
}
export type Figures = ReturnType<typeof figures>;

/** Whether a completed application counts as 好办易办: on time, and at most one visit committed. */
export function isEasy(onTime: boolean | null, committedVisits: number | null): boolean {
  return onTime === true && (committedVisits ?? Infinity) <= 1;
}

/** Whether a ticket's satisfaction counts as satisfied (满意 or 基本满意). */
export function isSatisfied(satisfaction: string | null): boolean {
  return satisfaction === 'satisfied' || satisfaction === 'basically_satisfied';
}

/** Counts of ratings and rectifications (as the evaluations capability counts them). */
export interface EvaluationCounts {
  rated: number;
  satisfied: number;
  bad: number;
  rectifications: number;
  rectificationsDone: number;
  rectifiedOnTime: number;
}

/** 好差评 figures: satisfaction and bad-rating shares, rectifications done on time. */
export function evaluationFigures(c: EvaluationCounts) {
  return {
    rated: c.rated,
    satisfied: c.satisfied,
    satisfactionRate: rate(c.satisfied, c.rated),
    bad: c.bad,
    badRate: rate(c.bad, c.rated),
    rectifications: c.rectifications,
    rectifiedOnTime: c.rectifiedOnTime,
    rectificationOnTimeRate: rate(c.rectifiedOnTime, c.rectificationsDone),
  };
}

/** Counts of policy matches and grants. */
export interface PolicyCounts {
  matches: number;
  matchedSubjects: number;
  grants: number;
  paid: number;
  paidOnTime: number;
  amountPaid: number;
}

/** Policy figures: matches and grants paid on time. */
export function policyFigures(c: PolicyCounts) {
  return {
    matches: c.matches,
    matchedSubjects: c.matchedSubjects,
    grants: c.grants,
    paid: c.paid,
    paidOnTime: c.paidOnTime,
    paidOnTimeRate: rate(c.paidOnTime, c.paid),
    amountPaid: c.amountPaid,
  };
}

/** A ratio rounded to one decimal; null when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10) / 10 : null;
}

/** Counts of inspections, published results and drawn plans. */
export interface SupervisionCounts {
  inspections: number;
  enterprises: number;
  published: number;
  publishedOnTime: number;
  plansDrawn: number;
  plansDrawnOnTime: number;
}

/** Supervision figures: inspections per enterprise and results published on time. */
export function supervisionFigures(c: SupervisionCounts) {
  return {
    inspections: c.inspections,
    enterprises: c.enterprises,
    perEnterprise: ratio(c.inspections, c.enterprises),
    published: c.published,
    publishedOnTime: c.publishedOnTime,
    publishedOnTimeRate: rate(c.publishedOnTime, c.published),
    plansDrawn: c.plansDrawn,
    drawsOnTimeRate: rate(c.plansDrawnOnTime, c.plansDrawn),
  };
}

/** The items' rows: cases finished and on time, with the item's name. */
export function itemRows(
  items: readonly { itemCode: string; cases: number; casesOnTime: number }[],
  names: ReadonlyMap<string, Text>,
) {
  return items.map((i) => ({
    itemCode: i.itemCode,
    name: names.get(i.itemCode) ?? { zh: i.itemCode, en: i.itemCode },
    cases: i.cases,
    casesOnTime: i.casesOnTime,
    onTimeRate: rate(i.casesOnTime, i.cases),
  }));
}

/** One department's row of the ranking. */
export interface DepartmentRow {
  departmentCode: string;
  name: Text;
  cases: number;
  casesOnTime: number;
  onTimeRate: number | null;
  rated: number;
  satisfactionRate: number | null;
  bad: number;
}

const desc = (a: number | null, b: number | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : b - a;

/**
 * The departments ranked best first: by on-time completion rate, then satisfaction rate, then
 * fewer bad ratings, then more cases; rates without a denominator rank last.
 */
export function rankDepartments(
  cases: readonly { departmentCode: string; cases: number; casesOnTime: number }[],
  ratings: readonly { departmentCode: string; rated: number; satisfied: number; bad: number }[],
  names: ReadonlyMap<string, Text>,
): DepartmentRow[] {
  const codes = new Set([
    ...cases.map((c) => c.departmentCode),
    ...ratings.map((r) => r.departmentCode),
  ]);
  return [...codes]
    .map((code) => {
      const c = cases.find((x) => x.departmentCode === code);
      const r = ratings.find((x) => x.departmentCode === code);
      return {
        departmentCode: code,
        name: names.get(code) ?? { zh: code, en: code },
        cases: c?.cases ?? 0,
        casesOnTime: c?.casesOnTime ?? 0,
        onTimeRate: rate(c?.casesOnTime ?? 0, c?.cases ?? 0),
        rated: r?.rated ?? 0,
        satisfactionRate: rate(r?.satisfied ?? 0, r?.rated ?? 0),
        bad: r?.bad ?? 0,
      };
    })
    .sort(
      (a, b) =>
        desc(a.onTimeRate, b.onTimeRate) ||
        desc(a.satisfactionRate, b.satisfactionRate) ||
        a.bad - b.bad ||
        b.cases - a.cases ||
        (a.departmentCode < b.departmentCode ? -1 : a.departmentCode > b.departmentCode ? 1 : 0),
    );
}

/** The categories with the most closed tickets, most first (ties by code), at most `top`. */
export function hotTopics(
  rows: readonly { categoryCode: string; closed: number }[],
  top = 10,
): { categoryCode: string; closed: number }[] {
  return rows
    .filter((r) => r.closed > 0)
    .sort((a, b) => b.closed - a.closed || (a.categoryCode < b.categoryCode ? -1 : 1))
    .slice(0, top);
}
