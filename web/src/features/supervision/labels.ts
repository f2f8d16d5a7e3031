import type { Text } from '../../shell/i18n';
import type {
  CreditGrade,
  CreditRepairState,
  InspectionResult,
  InspectionState,
  PlanState,
} from './api';

// The words of supervision: the server's own (src/supervision/codes.ts and credit.ts are free of
// I/O), and the colours the pages give them.
export { GRADE_LABELS, REPAIR_STATE_LABELS } from '../../../../src/supervision/credit';
export {
  EVENT_LABELS,
  INSPECTION_STATE_LABELS,
  PLAN_STATE_LABELS,
  RESULT_LABELS,
  RISK_LABELS,
  UNASSIGNED_REASONS,
} from '../../../../src/supervision/codes';
import { INSPECTION_STATE_LABELS } from '../../../../src/supervision/codes';

export const INSPECTION_STATES = Object.keys(INSPECTION_STATE_LABELS) as InspectionState[];

export const INSPECTION_STATE_COLORS: Record<InspectionState, string> = {
  planned: 'default',
  filed: 'blue',
  checked_in: 'purple',
  finished: 'gold',
  published: 'green',
};

export const RESULT_COLORS: Record<InspectionResult, string> = {
  pass: 'green',
  issues: 'orange',
  fail: 'red',
};

export const PLAN_STATE_COLORS: Record<PlanState, string> = {
  draft: 'default',
  committed: 'blue',
  drawn: 'green',
};

export const GRADE_COLORS: Record<CreditGrade, string> = {
  A: 'green',
  B: 'blue',
  C: 'orange',
  D: 'red',
};

export const REPAIR_STATE_COLORS: Record<CreditRepairState, string> = {
  submitted: 'gold',
  approved: 'green',
  rejected: 'red',
};

/** GB/T 4754 industry sections, the plan's industry filter. */
export const INDUSTRY_SECTIONS: Record<string, Text> = {
  A: { zh: '农、林、牧、渔业', en: 'Agriculture, forestry, fishing' },
  B: { zh: '采矿业', en: 'Mining' },
  C: { zh: '制造业', en: 'Manufacturing' },
  D: { zh: '电力、热力、燃气及水生产和供应业', en: 'Utilities' },
  E: { zh: '建筑业', en: 'Construction' },
  F: { zh: '批发和零售业', en: 'Wholesale and retail' },
  G: { zh: '交通运输、仓储和邮政业', en: 'Transport and storage' },
  H: { zh: '住宿和餐饮业', en: 'Accommodation and catering' },
  I: { zh: '信息传输、软件和信息技术服务业', en: 'Information technology' },
  J: { zh: '金融业', en: 'Finance' },
  K: { zh: '房地产业', en: 'Real estate' },
  L: { zh: '租赁和商务服务业', en: 'Leasing and business services' },
  M: { zh: '科学研究和技术服务业', en: 'Research and technical services' },
  N: { zh: '水利、环境和公共设施管理业', en: 'Water, environment, public facilities' },
  O: { zh: '居民服务、修理和其他服务业', en: 'Household and repair services' },
  P: { zh: '教育', en: 'Education' },
  Q: { zh: '卫生和社会工作', en: 'Health and social work' },
  R: { zh: '文化、体育和娱乐业', en: 'Culture, sports, entertainment' },
  S: { zh: '公共管理、社会保障和社会组织', en: 'Public administration' },
  T: { zh: '国际组织', en: 'International organisations' },
};

/** Texts the supervision pages share. */
export const supervisionText = {
  loadFailed: { zh: '加载失败：{message}', en: 'Could not load: {message}' },
  failed: { zh: '操作失败：{message}', en: 'Failed: {message}' },
  number: { zh: '编号', en: 'Number' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  departments: { zh: '检查部门', en: 'Departments' },
  items: { zh: '检查事项', en: 'Items' },
  inspectors: { zh: '检查人员', en: 'Inspectors' },
  period: { zh: '检查期', en: 'Period' },
  periodRange: { zh: '{from} 至 {to}', en: '{from} to {to}' },
  state: { zh: '状态', en: 'State' },
  result: { zh: '检查结果', en: 'Result' },
  findings: { zh: '检查情况', en: 'Findings' },
  scheduledOn: { zh: '备案检查日期', en: 'Filed for' },
  publishDue: { zh: '公示期限', en: 'Publish by' },
  publishedAt: { zh: '公示时间', en: 'Published' },
  finishedAt: { zh: '检查结束', en: 'Finished' },
  joint: { zh: '联合检查', en: 'Joint inspection' },
  overdue: { zh: '逾期未公示', en: 'Overdue' },
  refresh: { zh: '刷新', en: 'Refresh' },
  total: { zh: '共 {total} 条', en: '{total} in all' },
  seedHash: { zh: '种子哈希（抽取前公布）', en: 'Seed hash (published before the draw)' },
  seed: { zh: '随机种子（抽取后公开）', en: 'Seed (revealed after the draw)' },
  inputsDigest: { zh: '抽取参数摘要', en: 'Inputs digest' },
  drawDigest: { zh: '抽取结果摘要', en: 'Result digest' },
  verify: { zh: '验证抽取结果', en: 'Verify the draw' },
  verified: {
    zh: '✓ 验证通过：种子与事先公布的哈希一致，按公布的参数重新抽取得到完全相同的结果',
    en: '✓ Verified: the seed matches the published hash and re-running the draw gives exactly the same result',
  },
  notVerified: { zh: '✗ 验证未通过', en: '✗ Verification failed' },
  seedCheck: { zh: '种子与哈希一致', en: 'Seed matches its hash' },
  digestCheck: { zh: '结果摘要一致', en: 'Result digest matches' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  tier: { zh: '信用等级', en: 'Credit grade' },
  population: { zh: '对象数', en: 'Population' },
  drawn: { zh: '抽中数', en: 'Drawn' },
  ratio: { zh: '抽查比例', en: 'Ratio' },
} satisfies Record<string, Text>;
