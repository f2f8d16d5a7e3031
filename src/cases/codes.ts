import type { Text } from '../platform/i18n';

// The codes of department cases and their names, zh-CN with English: states, actions, clock
// segments, warning levels and timeline events. Node-free: the web app reads this file too.

function text(zh: string, en: string): Text {
  return { zh, en };
}

/** Where a department case stands. */
export const CASE_STATES = {
  waiting: text('等待前置事项', 'Waiting for earlier items'),
  pending: text('待受理', 'Pending acceptance'),
  accepted: text('已受理', 'Accepted'),
  in_review: text('审查中', 'In review'),
  approved: text('准予许可', 'Approved'),
  denied: text('不予许可', 'Denied'),
  result_issued: text('已出证办结', 'Result issued'),
  returned_for_correction: text('退回补正', 'Returned for correction'),
  suspended: text(
    '中止计时（听证、检验检测、专家评审）',
    'Suspended (hearing, testing, expert review)',
  ),
  withdrawn: text('已撤回', 'Withdrawn'),
  deemed_approved: text('超时默认通过', 'Deemed approved on timeout'),
} as const satisfies Record<string, Text>;

/** One case state. */
export type CaseState = keyof typeof CASE_STATES;

/** What can be done to a case by staff. */
export type CaseAction =
  | 'accept'
  | 'start-review'
  | 'approve'
  | 'deny'
  | 'issue-result'
  | 'return'
  | 'resume'
  | 'suspend'
  | 'extend'
  | 'approve-extension'
  | 'urge'
  | 'withdraw'
  | 'correct';

/** Names of the actions as a sentence uses them (you cannot ... it now). */
export const CASE_ACTION_NAMES: Record<CaseAction, Text> = {
  accept: text('受理', 'accept'),
  'start-review': text('开始审查', 'start reviewing'),
  approve: text('准予许可', 'approve'),
  deny: text('不予许可', 'deny'),
  'issue-result': text('出具结果', 'issue the result of'),
  return: text('退回补正', 'return for correction'),
  resume: text('恢复计时', 'resume'),
  suspend: text('中止计时', 'suspend'),
  extend: text('申请延期', 'ask to extend'),
  'approve-extension': text('批准延期', 'approve the extension of'),
  urge: text('督办', 'urge action on'),
  withdraw: text('撤回', 'withdraw'),
  correct: text('提交补正', 'hand in the correction of'),
};

/** Kinds of suspension (not counted toward the limits) and the extension (法定延长). */
export type SegmentKind = 'correction' | 'hearing' | 'testing' | 'expert_review' | 'extension';

/** The suspensions a reviewer may order (行政许可法 Art. 45). */
export const SUSPENSION_KINDS = ['hearing', 'testing', 'expert_review'] as const;

/** Names of the clock segments. */
export const SEGMENT_LABELS: Record<SegmentKind, Text> = {
  correction: text('补正', 'correction'),
  hearing: text('听证', 'hearing'),
  testing: text('检验检测', 'testing'),
  expert_review: text('专家评审', 'expert review'),
  extension: text('延长期限', 'extension'),
};

/** Warning levels: none, yellow (the last part of the committed limit), red (overdue). */
export type WarningLevel = 'none' | 'yellow' | 'red';

/** What the application's overall progress is, derived from its cases. */
export type ApplicationProgress =
  'not_started' | 'in_progress' | 'completed' | 'denied' | 'withdrawn';

/** Labels of case events on the timeline. */
export const CASE_EVENT_LABELS: Record<string, Text> = {
  created: text('生成子件', 'Case created'),
  released: text('开始办理（计时开始）', 'Released (clock started)'),
  accepted: text('部门受理', 'Accepted by the department'),
  review_started: text('开始审查', 'Review started'),
  approved: text('准予许可', 'Approved'),
  denied: text('不予许可', 'Denied'),
  result_issued: text('出具结果', 'Result issued'),
  returned: text('退回补正（暂停计时）', 'Returned for correction (clock stopped)'),
  suspended: text('中止计时', 'Clock suspended'),
  resumed: text('恢复计时', 'Clock resumed'),
  extension_requested: text('申请延长期限', 'Extension requested'),
  extension_approved: text('批准延长期限', 'Extension approved'),
  warning_yellow: text('即将到期预警（黄灯）', 'Due soon (yellow)'),
  warning_red: text('超期（红灯）', 'Overdue (red)'),
  escalated: text('超期督办：提交监督人员', 'Escalated to the supervisor'),
  withdrawn: text('申请人撤回', 'Withdrawn by the applicant'),
  corrected: text('申请人提交补正（恢复计时）', 'Correction handed in (clock resumed)'),
  urged: text('监督人员督办', 'Urged by the supervisor'),
  auto_approved: text('智能审批通过（秒批）', 'Approved automatically'),
  auto_declined: text('智能审批未通过，转人工审查', 'Automatic checks not met: to a reviewer'),
  deemed_approved: text('超时默认通过', 'Deemed approved on timeout'),
  withdrawn_with_earlier: text('前置事项撤回，随之撤回', 'Withdrawn with an earlier item'),
  ended_with_denial: text('前置事项不予许可，本事项随之终止', 'Ended: an earlier item was denied'),
};
