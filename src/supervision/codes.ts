// Supervision's codes and their names: Node-free, so the web shows the server's own words.
import type { Text } from '../platform/i18n';

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const RISK_LABELS: Record<RiskLevel, Text> = {
  low: { zh: '低风险', en: 'low risk' },
  medium: { zh: '中风险', en: 'medium risk' },
  high: { zh: '高风险', en: 'high risk' },
};

export const INSPECTION_STATES = [
  'planned',
  'filed',
  'checked_in',
  'finished',
  'published',
] as const;
export type InspectionState = (typeof INSPECTION_STATES)[number];

export const INSPECTION_STATE_LABELS: Record<InspectionState, Text> = {
  planned: { zh: '待备案', en: 'to be filed' },
  filed: { zh: '已备案', en: 'filed' },
  checked_in: { zh: '检查中', en: 'on site' },
  finished: { zh: '待公示', en: 'to be published' },
  published: { zh: '已公示', en: 'published' },
};

export const RESULTS = ['pass', 'issues', 'fail'] as const;
export type InspectionResult = (typeof RESULTS)[number];

export const RESULT_LABELS: Record<InspectionResult, Text> = {
  pass: { zh: '未发现问题', en: 'no problem found' },
  issues: { zh: '发现问题已责令整改', en: 'problems found, correction ordered' },
  fail: { zh: '发现违法违规行为', en: 'violations found' },
};

export type UnassignedReason = 'too_few_without_conflict' | 'inspectors_at_capacity';

/** The reasons in words, for the planner's screen. */
export const UNASSIGNED_REASONS: Record<UnassignedReason, Text> = {
  too_few_without_conflict: {
    zh: '无利害关系的检查人员不足',
    en: 'too few inspectors without a declared conflict',
  },
  inspectors_at_capacity: {
    zh: '可选检查人员的任务已达上限',
    en: 'the eligible inspectors have reached their task limit',
  },
};

export const PLAN_STATES = ['draft', 'committed', 'drawn'] as const;
export type PlanState = (typeof PLAN_STATES)[number];

export const PLAN_STATE_LABELS: Record<PlanState, Text> = {
  draft: { zh: '草稿', en: 'draft' },
  committed: { zh: '已公布种子哈希', en: 'seed hash published' },
  drawn: { zh: '已抽取', en: 'drawn' },
};

/** The steps on an inspection's record (its events' actions). */
export const EVENT_LABELS: Record<string, Text> = {
  planned: { zh: '随机抽取生成任务', en: 'Drawn at random' },
  joined: { zh: '并入联合检查', en: 'Joined into a joint inspection' },
  file: { zh: '事前备案', en: 'Filed in advance' },
  check_in: { zh: '扫码入企', en: 'Checked in at the enterprise' },
  finish: { zh: '录入检查结果', en: 'Result recorded' },
  publish: { zh: '结果公示', en: 'Result published' },
};
