import type { Text } from '../../shell/i18n';
import type { Role } from '../platform/api';
import type { ReportStatus, TaskState, Warning } from './api';

export {
  REPORT_STATUS_LABELS,
  REPORT_STATUSES,
  STATE_LABELS,
  WARNING_LABELS,
  WARNINGS,
  DUE_SOON_DAYS,
  WEEKLY_WITHIN_DAYS,
} from '../../../../src/insight/ledger';

/** Every staff role reads the ledger (the server decides who may report and tick off). */
export const LEDGER_ROLES: readonly Role[] = [
  'clerk',
  'reviewer',
  'operator',
  'handler',
  'inspector',
  'supervisor',
  'admin',
];

export const WARNING_COLORS: Record<Warning, string> = {
  overdue: 'red',
  due_soon: 'orange',
  unreported: 'gold',
};
export const STATUS_COLORS: Record<ReportStatus, string> = {
  on_track: 'green',
  at_risk: 'orange',
  delayed: 'red',
  completed: 'blue',
};
export const STATE_COLORS: Record<TaskState, string> = { open: 'processing', done: 'success' };

/** Texts shared by the ledger's pages. */
export const ledgerText = {
  title: { zh: '改革任务台账', en: 'Reform-task ledger' },
  intro: {
    zh: '政策文件的每一项改革举措都是一项任务：牵头和责任单位按周或按月报送进展，督办人员核验后销号。临近或超过完成时限的任务每周报送，其余每月报送；到期前 {soon} 天提示即将到期。',
    en: 'Every measure of the policy documents is a task: its lead and responsible units report progress weekly or monthly, and a supervisor ticks it off once verified. Tasks near or past their due date report weekly, others monthly; a task is due soon {soon} days ahead.',
  },
  tasks: { zh: '任务清单', en: 'Task list' },
  byDocument: { zh: '按文件', en: 'By document' },
  byUnit: { zh: '按责任单位', en: 'By unit' },
  unit: { zh: '单位', en: 'Unit' },
  department: { zh: '报送部门', en: 'Reporting department' },
  unmapped: { zh: '未对应平台部门', en: 'No platform department' },
  total: { zh: '任务数', en: 'Tasks' },
  done: { zh: '已销号', en: 'Ticked off' },
  overdue: { zh: '已逾期', en: 'Overdue' },
  dueSoon: { zh: '即将到期', en: 'Due soon' },
  unreported: { zh: '本期未报', en: 'Unreported' },
  export: { zh: '导出 Excel', en: 'Export to Excel' },
  loadFailed: { zh: '加载失败：{message}', en: 'Could not load: {message}' },
  asOf: { zh: '统计日期 {today}', en: 'As of {today}' },
  count: { zh: '共 {total} 项', en: '{total} in all' },
  ongoing: { zh: '长期坚持', en: 'Ongoing' },
  back: { zh: '返回台账', en: 'Back to the ledger' },
} satisfies Record<string, Text>;
