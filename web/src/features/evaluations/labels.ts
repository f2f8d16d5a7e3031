import type { Text } from '../../shell/i18n';
import type { Level, RectificationState } from './api';
import {
  BAD_AT_MOST,
  BAD_TAGS,
  GOOD_TAGS,
  LEVELS,
  LEVEL_LABELS,
  RECTIFICATION_ACTIONS,
  RECTIFICATION_STATES,
} from '../../../../src/evaluations/codes';

// The words of 好差评: the server's own levels, tags, states and actions
// (src/evaluations/codes.ts), and the web's colours and texts around them.

export { BAD_AT_MOST, BAD_TAGS, GOOD_TAGS, LEVELS, LEVEL_LABELS, RECTIFICATION_ACTIONS };
export { RECTIFICATION_STATES };

/** Whether a level is a bad rating (差评), whose reasons are complaints. */
export function isBad(level: Level): boolean {
  return level <= BAD_AT_MOST;
}

/** The reason tags that fit a level: praise for 3–5, complaints for 1–2. */
export function tagsOfLevel(level: Level): { key: string; label: Text }[] {
  const set: Record<string, Text> = isBad(level) ? BAD_TAGS : GOOD_TAGS;
  return Object.entries(set).map(([key, label]) => ({ key, label }));
}

/** The colour of each level, green for very satisfied down to red. */
export const LEVEL_COLORS: Record<Level, string> = {
  5: '#389e0d',
  4: '#7cb305',
  3: '#d48806',
  2: '#d46b08',
  1: '#cf1322',
};

/** Tag colours of rectification states. */
export const STATE_COLORS: Record<RectificationState, string> = {
  open: 'red',
  submitted: 'gold',
  answered: 'blue',
  closed: 'green',
  appealed: 'purple',
  dismissed: 'default',
};

/** The states in the order of the queue's filter. */
export const STATE_ORDER = Object.keys(RECTIFICATION_STATES) as RectificationState[];

/** Names of the steps in a rectification's timeline (its events' actions). */
export const EVENT_LABELS: Record<string, Text> = {
  opened: { zh: '差评生成整改任务', en: 'Opened on a bad rating' },
  submitted: { zh: '提交整改', en: 'Fix submitted' },
  approved: { zh: '审核通过并反馈评价人', en: 'Approved and answered' },
  returned: { zh: '退回重改', en: 'Returned' },
  appealed: { zh: '提出申诉', en: 'Appealed' },
  appeal_upheld: { zh: '申诉成立', en: 'Appeal upheld' },
  appeal_rejected: { zh: '驳回申诉', en: 'Appeal rejected' },
  answer_rated: { zh: '评价人评价整改结果', en: 'The rater rated the answer' },
};

/** Texts the evaluation pages share. */
export const evaluationText = {
  rate: { zh: '评价', en: 'Rate' },
  rated: { zh: '已评价', en: 'Rated' },
  rateUntil: { zh: '{time} 前可评价', en: 'Rate by {time}' },
  closedForRating: { zh: '评价期已过', en: 'No longer open for rating' },
  completedAt: { zh: '{time} 办结', en: 'Completed {time}' },
  ratedAt: { zh: '{time} 评价', en: 'Rated {time}' },
  answer: { zh: '整改答复', en: 'Answer to your rating' },
  rectification: { zh: '差评整改', en: 'Being put right' },
  answeredAt: { zh: '{time} 答复', en: 'answered {time}' },
  verdictAsk: {
    zh: '您对整改结果是否满意？',
    en: 'Are you satisfied with how it was put right?',
  },
  satisfied: { zh: '满意', en: 'Satisfied' },
  unsatisfied: { zh: '不满意', en: 'Not satisfied' },
  verdictSatisfied: { zh: '您对整改结果表示满意', en: 'You were satisfied with the answer' },
  verdictUnsatisfied: {
    zh: '您对整改结果表示不满意',
    en: 'You were not satisfied with the answer',
  },
  verdictGiven: { zh: '感谢您的反馈', en: 'Thank you for your feedback' },
  inRectification: {
    zh: '您的差评已转办理部门整改，整改结果将反馈给您。',
    en: 'Your rating was passed to the department to put things right; you will hear back.',
  },
  failed: { zh: '操作失败：{message}', en: 'Failed: {message}' },
  loadFailed: { zh: '加载失败：{message}', en: 'Could not load: {message}' },
  open: { zh: '查看', en: 'Open' },
} satisfies Record<string, Text>;
