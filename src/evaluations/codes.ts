// Codes and labels of 好差评 (evaluations), free of Node imports so the web app can read them.
import type { Text } from '../platform/i18n';

/** The five levels of the national scheme, 5 the best. */
export const LEVELS = [5, 4, 3, 2, 1] as const;
/** A level. */
export type Level = (typeof LEVELS)[number];

/** Labels of the levels. */
export const LEVEL_LABELS: Record<Level, Text> = {
  5: { zh: '非常满意', en: 'Very satisfied' },
  4: { zh: '满意', en: 'Satisfied' },
  3: { zh: '基本满意', en: 'Fairly satisfied' },
  2: { zh: '不满意', en: 'Dissatisfied' },
  1: { zh: '非常不满意', en: 'Very dissatisfied' },
};

/** A rating at or below this level is bad (差评) and opens a rectification. */
export const BAD_AT_MOST: Level = 2;
/** A rating at or above this level counts as satisfied (满意, including 基本满意). */
export const SATISFIED_AT_LEAST: Level = 3;

/** What may be rated. */
export const SERVICE_KINDS = [
  'application',
  'case',
  'ticket',
  'window_visit',
  'inspection',
] as const;
/** A kind of rateable service. */
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export const SERVICE_KIND_LABELS: Record<ServiceKind, Text> = {
  application: { zh: '办件（一件事）', en: 'Application' },
  case: { zh: '部门审批事项', en: 'Department case' },
  ticket: { zh: '12345 工单', en: '12345 ticket' },
  window_visit: { zh: '窗口服务', en: 'Window service' },
  inspection: { zh: '涉企检查', en: 'Inspection' },
};

/** How a rating was given: online, on the counter tablet, or told on a callback. */
export const CHANNELS = ['online', 'counter', 'callback'] as const;
/** A channel. */
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_LABELS: Record<Channel, Text> = {
  online: { zh: '网上评价', en: 'Online' },
  counter: { zh: '窗口评价器', en: 'Counter tablet' },
  callback: { zh: '电话回访', en: 'Callback' },
};

/** Reason tags (评价标签): praise for good ratings, complaints for the others. */
export const GOOD_TAGS = {
  fast: { zh: '办理快捷', en: 'Quick' },
  'no-run': { zh: '少跑腿', en: 'Few trips' },
  'clear-guide': { zh: '指引清楚', en: 'Clear guidance' },
  friendly: { zh: '态度热情', en: 'Friendly staff' },
  'easy-online': { zh: '网上办理方便', en: 'Easy online' },
} as const satisfies Record<string, Text>;

export const BAD_TAGS = {
  slow: { zh: '办理超时或太慢', en: 'Too slow or late' },
  'repeat-materials': { zh: '重复提交材料', en: 'Asked for papers again' },
  'many-trips': { zh: '多次跑腿', en: 'Too many trips' },
  unclear: { zh: '告知不清楚', en: 'Unclear information' },
  attitude: { zh: '服务态度差', en: 'Poor attitude' },
  'system-trouble': { zh: '系统不好用', en: 'System trouble' },
  'not-solved': { zh: '问题未解决', en: 'Problem not solved' },
} as const satisfies Record<string, Text>;

/** A reason tag. */
export type RatingTag = keyof typeof GOOD_TAGS | keyof typeof BAD_TAGS;

/** States of a rectification (差评整改). */
export const RECTIFICATION_STATES = {
  open: { zh: '待整改', en: 'To rectify' },
  submitted: { zh: '待审核', en: 'Awaiting review' },
  answered: { zh: '已反馈评价人', en: 'Answered' },
  closed: { zh: '已办结', en: 'Closed' },
  appealed: { zh: '申诉中', en: 'Appealed' },
  dismissed: { zh: '申诉成立（恶意差评）', en: 'Dismissed as malicious' },
} as const satisfies Record<string, Text>;
/** A state of a rectification. */
export type RectificationState = keyof typeof RECTIFICATION_STATES;

/** What may be done to a rectification, and by whom. */
export const RECTIFICATION_ACTIONS = {
  submit: { zh: '提交整改', en: 'Submit the fix' },
  approve: { zh: '审核通过并反馈', en: 'Approve and answer' },
  return: { zh: '退回重改', en: 'Return' },
  appeal: { zh: '申诉', en: 'Appeal' },
  uphold: { zh: '申诉成立', en: 'Uphold the appeal' },
  reject: { zh: '驳回申诉', en: 'Reject the appeal' },
  verdict: { zh: '评价整改结果', en: 'Rate the answer' },
} as const satisfies Record<string, Text>;
/** An action on a rectification. */
export type RectificationAction = keyof typeof RECTIFICATION_ACTIONS;

/** Grouping of the statistics. */
export const STATS_DIMENSIONS = ['department', 'item', 'bundle', 'window', 'staff'] as const;
/** A grouping. */
export type StatsDimension = (typeof STATS_DIMENSIONS)[number];
