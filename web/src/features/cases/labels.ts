import type { Text } from '../../shell/i18n';
import {
  CASE_EVENT_LABELS,
  CASE_STATES,
  SEGMENT_LABELS,
  SUSPENSION_KINDS as SERVER_SUSPENSION_KINDS,
} from '../../../../src/cases/codes';
import type {
  ApplicationProgress,
  CaseAction,
  CaseState,
  Decision,
  SegmentKind,
  SuspensionKind,
  WarningLevel,
} from './api';

// The words of department cases, zh-CN first: the server's own names of states, clock segments
// and events (src/cases/codes.ts), and the web's words for the rest (buttons, colours, warning,
// decision and progress labels).

/** Where a department case stands; a tag has room only for the short name of a suspension. */
export const caseStateLabels: Record<CaseState, Text> = {
  ...CASE_STATES,
  suspended: { zh: '中止计时', en: 'Suspended' },
};

/** The states in the order of the queue's filter. */
export const CASE_STATE_ORDER: CaseState[] = [
  'pending',
  'accepted',
  'in_review',
  'returned_for_correction',
  'suspended',
  'approved',
  'denied',
  'result_issued',
  'deemed_approved',
  'waiting',
  'withdrawn',
];

/** States still open at the department (the board's columns). */
export const OPEN_STATES: CaseState[] = [
  'pending',
  'accepted',
  'in_review',
  'returned_for_correction',
  'suspended',
  'approved',
  'denied',
];

/** Tag colours of the states. */
export const caseStateColors: Record<CaseState, string> = {
  waiting: 'default',
  pending: 'blue',
  accepted: 'processing',
  in_review: 'processing',
  approved: 'green',
  denied: 'red',
  result_issued: 'success',
  returned_for_correction: 'warning',
  suspended: 'purple',
  withdrawn: 'default',
  deemed_approved: 'cyan',
};

/** Warning levels. */
export const warningLabels: Record<WarningLevel, Text> = {
  none: { zh: '正常', en: 'On time' },
  yellow: { zh: '即将到期', en: 'Due soon' },
  red: { zh: '已超期', en: 'Overdue' },
};

/** Tag colours of the warning levels. */
export const warningColors: Record<WarningLevel, string> = {
  none: 'default',
  yellow: 'gold',
  red: 'red',
};

/** Clock segments: suspensions (not counted) and the extension. */
export const segmentLabels: Record<SegmentKind, Text> = SEGMENT_LABELS;

/** The suspensions a reviewer may order (行政许可法第四十五条). */
export const SUSPENSION_KINDS: readonly SuspensionKind[] = SERVER_SUSPENSION_KINDS;

/** The buttons of the case actions. */
export const actionLabels: Record<CaseAction, Text> = {
  accept: { zh: '受理', en: 'Accept' },
  'start-review': { zh: '开始审查', en: 'Start review' },
  approve: { zh: '准予许可', en: 'Approve' },
  deny: { zh: '不予许可', en: 'Deny' },
  'issue-result': { zh: '出具结果', en: 'Issue the result' },
  return: { zh: '退回补正', en: 'Return for correction' },
  resume: { zh: '恢复计时', en: 'Resume the clock' },
  suspend: { zh: '中止计时', en: 'Suspend the clock' },
  extend: { zh: '申请延期', en: 'Ask for an extension' },
  'approve-extension': { zh: '批准延期', en: 'Approve the extension' },
  withdraw: { zh: '撤回', en: 'Withdraw' },
  urge: { zh: '督办', en: 'Urge' },
  correct: { zh: '已补正，恢复办理', en: 'Corrected — resume' },
};

/** Steps of a case's history (the server's event actions); the reply's own label comes first. */
export const caseEventLabels: Record<string, Text> = CASE_EVENT_LABELS;

/** The label of a step: the server's when it sent one, else ours, else the action code. */
export function eventLabelOf(action: string, label?: Text | null): Text {
  return label ?? caseEventLabels[action] ?? { zh: action, en: action };
}

/** Decisions of a case's result. */
export const decisionLabels: Record<Decision, Text> = {
  approved: { zh: '准予许可', en: 'Approved' },
  denied: { zh: '不予许可', en: 'Denied' },
  deemed_approved: { zh: '超时默认通过', en: 'Deemed approved' },
};

/** Tag colours of the decisions. */
export const decisionColors: Record<Decision, string> = {
  approved: 'success',
  denied: 'error',
  deemed_approved: 'cyan',
};

/** The application's overall progress, derived from its cases. */
export const progressLabels: Record<ApplicationProgress, Text> = {
  not_started: { zh: '尚未开始办理', en: 'Not started' },
  in_progress: { zh: '各部门办理中', en: 'In progress' },
  completed: { zh: '全部办结', en: 'Completed' },
  denied: { zh: '办结（有不予许可的事项）', en: 'Finished, with a denial' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

/** Tag colours of the progress. */
export const progressColors: Record<ApplicationProgress, string> = {
  not_started: 'default',
  in_progress: 'processing',
  completed: 'success',
  denied: 'error',
  withdrawn: 'default',
};

/** Who is awaited on a case. */
export const awaitedLabels: Record<string, Text> = {
  department: { zh: '部门', en: 'Department' },
  applicant: { zh: '申请人', en: 'Applicant' },
  earlier: { zh: '前置事项', en: 'Earlier items' },
  none: { zh: '—', en: '—' },
};

/** A limit with its unit: "3个工作日" / "3 working days". */
export function limitText(limit: { value: number; unit: 'workdays' | 'hours' }): Text {
  return limit.unit === 'hours'
    ? { zh: `${limit.value}个工作小时`, en: `${limit.value} working hours` }
    : { zh: `${limit.value}个工作日`, en: `${limit.value} working days` };
}

/** The words of a case's materials card and the licence opened in place of a paper. */
export const materialText = {
  title: { zh: '申请材料', en: 'Materials' },
  none: { zh: '本事项没有需要的材料', en: 'This item needs no materials' },
  noUploads: { zh: '未上传文件', en: 'No file uploaded' },
  openLicence: { zh: '查看证照', en: 'Open licence' },
  openFailed: { zh: '证照打开失败：{message}', en: 'Could not open the licence: {message}' },
  logged: {
    zh: '本次调阅已记录并告知持证人',
    en: 'This opening is logged and shown to the holder',
  },
  fields: { zh: '证照内容', en: 'Contents' },
  identifier: { zh: '证照标识', en: 'Identifier' },
  holder: { zh: '持证主体', en: 'Holder' },
  issuer: { zh: '发证机关', en: 'Issued by' },
  validity: { zh: '有效期', en: 'Valid' },
  validRange: { zh: '{from} 至 {until}', en: '{from} to {until}' },
  longTerm: { zh: '长期', en: 'no end date' },
  status: { zh: '状态', en: 'Status' },
  signature: { zh: '电子签名', en: 'Signature' },
  close: { zh: '关闭', en: 'Close' },
} satisfies Record<string, Text>;
