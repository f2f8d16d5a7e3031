import type { Text } from '../../shell/i18n';
import type { GrantState, Mode, PolicyState } from './api';
// The names of modes, states and actions are the server's own (src/policies/model.ts), and the
// rule language's attributes and operators too (src/policies/rule.ts).
export {
  FORMULA_ATTRS,
  GRANT_ACTIONS,
  GRANT_STATE_LABELS,
  GRANT_STATES,
  MODE_LABELS,
  MODES,
  POLICY_STATE_LABELS,
} from '../../../../src/policies/model';
export { ATTRIBUTES, ATTRS, attrSpec, checkRule, isCondition } from '../../../../src/policies/rule';
export type { AttrSpec, Condition, Op } from '../../../../src/policies/rule';

/** Tag colours of the modes: automatic grants green, silent ones cyan, applications blue. */
export const MODE_COLORS: Record<Mode, string> = {
  apply: 'blue',
  automatic: 'green',
  silent: 'cyan',
};

/** Tag colours of policy states. */
export const POLICY_STATE_COLORS: Record<PolicyState, string> = {
  draft: 'default',
  published: 'green',
  withdrawn: 'red',
};

/** Tag colours of grant states. */
export const GRANT_STATE_COLORS: Record<GrantState, string> = {
  pending: 'gold',
  confirmed: 'blue',
  paid: 'green',
  rejected: 'red',
  suspended: 'orange',
};

/** Names of the rule language's operators, as the editor offers them. */
export const OP_LABELS: Record<string, Text> = {
  eq: { zh: '等于', en: 'is' },
  in: { zh: '属于其一', en: 'is one of' },
  within: { zh: '位于', en: 'within' },
  prefix: { zh: '代码以…开头', en: 'starts with' },
  atLeast: { zh: '不低于', en: 'at least' },
  before: { zh: '早于', en: 'before' },
  after: { zh: '晚于', en: 'after' },
  between: { zh: '介于', en: 'between' },
  lt: { zh: '<', en: '<' },
  lte: { zh: '≤', en: '≤' },
  gt: { zh: '>', en: '>' },
  gte: { zh: '≥', en: '≥' },
  has: { zh: '包含', en: 'has' },
  hasAny: { zh: '包含任一', en: 'has any of' },
  hasAll: { zh: '包含全部', en: 'has all of' },
};

/** Texts the policy pages share. */
export const policyText = {
  hall: { zh: '办事大厅', en: 'Service hall' },
  publicTitle: { zh: '惠企惠民政策', en: 'Policies' },
  mineTitle: { zh: '为您推荐', en: 'Recommended for you' },
  benefit: { zh: '兑现标准', en: 'Benefit' },
  amount: { zh: '金额', en: 'Amount' },
  yuan: { zh: '{amount} 元', en: '{amount} yuan' },
  department: { zh: '发布部门', en: 'Issued by' },
  source: { zh: '政策依据', en: 'Source document' },
  validity: { zh: '有效期', en: 'Valid' },
  validRange: { zh: '{from} 至 {until}', en: '{from} to {until}' },
  longTerm: { zh: '长期', en: 'no end date' },
  mode: { zh: '兑现方式', en: 'Mode' },
  state: { zh: '状态', en: 'State' },
  due: { zh: '兑现期限', en: 'Due' },
  overdue: { zh: '已逾期', en: 'Overdue' },
  grantNumber: { zh: '兑现编号', en: 'Grant number' },
  ledger: { zh: '兑现台账', en: 'Ledger' },
  noLedger: { zh: '暂无记录', en: 'Nothing yet' },
  paymentRef: { zh: '支付凭证号', en: 'Payment reference' },
  note: { zh: '说明', en: 'Note' },
  nextCheck: { zh: '下次静默认证', en: 'Next silent re-check' },
  loadFailed: { zh: '加载失败：{message}', en: 'Could not load: {message}' },
  failed: { zh: '操作失败：{message}', en: 'Failed: {message}' },
  refresh: { zh: '刷新', en: 'Refresh' },
  subject: { zh: '主体', en: 'Subject' },
  policy: { zh: '政策', en: 'Policy' },
  createdAt: { zh: '生成时间', en: 'Created' },
} satisfies Record<string, Text>;

/** An amount of yuan as people read it: "200,000 元". */
export function yuan(amount: number, locale: string): Text {
  const shown = amount.toLocaleString(locale, { maximumFractionDigits: 2 });
  return { zh: `${shown} 元`, en: `${shown} yuan` };
}
