// Code lists of the 12345 hotline and their names, shared by the server and the web app. Node-free.

/** A zh-CN text with its English translation (the platform's Text, repeated to stay Node-free). */
export interface Label {
  zh: string;
  en: string;
}

/** Channels a ticket can come in by. */
export const TICKET_CHANNELS = [
  'phone',
  'web',
  'app',
  'mailbox',
  'entrepreneur_day',
  'wenzheng',
  'open311',
] as const;
/** One channel code. */
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

/** Channel names. */
export const CHANNEL_LABELS: Record<TicketChannel, Label> = {
  phone: { zh: '电话', en: 'Phone' },
  web: { zh: '网站', en: 'Website' },
  app: { zh: '移动端', en: 'Mobile app' },
  mailbox: { zh: '市长信箱', en: "Mayor's mailbox" },
  entrepreneur_day: { zh: '企业家日', en: "Entrepreneurs' day" },
  wenzheng: { zh: '问政', en: 'Public enquiry (问政)' },
  open311: { zh: 'Open311 接口', en: 'Open311 API' },
};

/** What a requester wants (诉求类型). */
export const TICKET_TYPES = [
  'consult',
  'help',
  'complaint',
  'report',
  'suggestion',
  'praise',
] as const;
/** One ticket type. */
export type TicketType = (typeof TICKET_TYPES)[number];

/** Ticket type names. */
export const TYPE_LABELS: Record<TicketType, Label> = {
  consult: { zh: '咨询', en: 'Enquiry' },
  help: { zh: '求助', en: 'Request for help' },
  complaint: { zh: '投诉', en: 'Complaint' },
  report: { zh: '举报', en: 'Report of wrongdoing' },
  suggestion: { zh: '建议', en: 'Suggestion' },
  praise: { zh: '表扬', en: 'Praise' },
};

/** How urgent a ticket is. */
export const URGENCIES = ['normal', 'urgent', 'very_urgent'] as const;
/** One urgency. */
export type Urgency = (typeof URGENCIES)[number];

/** Urgency names. */
export const URGENCY_LABELS: Record<Urgency, Label> = {
  normal: { zh: '一般', en: 'Normal' },
  urgent: { zh: '紧急', en: 'Urgent' },
  very_urgent: { zh: '特急', en: 'Very urgent' },
};

/**
 * Where a ticket stands in its closed loop: registered → (answered directly and closed) or
 * dispatched → handling → replied → reviewed (awaiting callback) → closed; a wrong dispatch is
 * returned, an unsatisfied callback reopens it.
 */
export const TICKET_STATUSES = [
  'registered',
  'dispatched',
  'handling',
  'returned',
  'replied',
  'reviewed',
  'closed',
] as const;
/** One ticket status. */
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Status names. */
export const STATUS_LABELS: Record<TicketStatus, Label> = {
  registered: { zh: '待派单', en: 'Awaiting dispatch' },
  dispatched: { zh: '待签收', en: 'Awaiting sign-for' },
  handling: { zh: '办理中', en: 'Being handled' },
  returned: { zh: '已退单', en: 'Returned' },
  replied: { zh: '待审核', en: 'Reply awaiting review' },
  reviewed: { zh: '待回访', en: 'Awaiting callback' },
  closed: { zh: '已办结', en: 'Closed' },
};

/** How a closed ticket ended. */
export const RESOLUTIONS = ['direct', 'handled', 'merged', 'unreachable', 'unreasonable'] as const;
/** One resolution. */
export type Resolution = (typeof RESOLUTIONS)[number];

/** Resolution names. */
export const RESOLUTION_LABELS: Record<Resolution, Label> = {
  direct: { zh: '直接答复办结', en: 'Answered directly' },
  handled: { zh: '承办单位办结', en: 'Handled by the unit' },
  merged: { zh: '重复工单合并', en: 'Merged into an earlier ticket' },
  unreachable: { zh: '回访未联系上', en: 'Requester could not be reached' },
  unreasonable: { zh: '诉求不合理，解释办结', en: 'Closed with an explanation' },
};

/** The requester's verdict at callback (回访). */
export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
/** One satisfaction verdict. */
export type Satisfaction = (typeof SATISFACTIONS)[number];

/** Satisfaction names. */
export const SATISFACTION_LABELS: Record<Satisfaction, Label> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basically_satisfied: { zh: '基本满意', en: 'Mostly satisfied' },
  unsatisfied: { zh: '不满意', en: 'Unsatisfied' },
};

/** What someone may do to a ticket; replies list the ones the caller may do next. */
export const TICKET_ACTIONS = [
  'update',
  'answer',
  'dispatch',
  'merge',
  'sign',
  'return',
  'contact',
  'opinion',
  'reply',
  'request_extension',
  'decide_extension',
  'review',
  'callback',
  'close',
  'reopen',
  'escalate',
  'attach',
] as const;
/** One action. */
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** Action names, as buttons and the timeline show them. */
export const ACTION_LABELS: Record<TicketAction, Label> = {
  update: { zh: '修改登记信息', en: 'Edit registration' },
  answer: { zh: '直接答复', en: 'Answer directly' },
  dispatch: { zh: '派单', en: 'Dispatch' },
  merge: { zh: '合并重复工单', en: 'Merge as duplicate' },
  sign: { zh: '签收', en: 'Sign for' },
  return: { zh: '退单', en: 'Return' },
  contact: { zh: '联系诉求人', en: 'Contact the requester' },
  opinion: { zh: '提交协办意见', en: 'Submit assisting opinion' },
  reply: { zh: '办结答复', en: 'Reply' },
  request_extension: { zh: '申请延期', en: 'Ask for an extension' },
  decide_extension: { zh: '审批延期', en: 'Decide an extension' },
  review: { zh: '审核答复', en: 'Review the reply' },
  callback: { zh: '回访', en: 'Call back' },
  close: { zh: '结案', en: 'Close' },
  reopen: { zh: '重办', en: 'Reopen' },
  escalate: { zh: '督办', en: 'Escalate' },
  attach: { zh: '上传附件', en: 'Attach a file' },
};

/** Events of a ticket's timeline (the actions above plus what the system does). */
export const EVENT_LABELS: Record<string, Label> = {
  registered: { zh: '登记工单', en: 'Registered' },
  updated: { zh: '修改登记信息', en: 'Registration edited' },
  answered: { zh: '直接答复办结', en: 'Answered directly' },
  dispatched: { zh: '派单', en: 'Dispatched' },
  merged: { zh: '合并为重复工单', en: 'Merged as a duplicate' },
  signed: { zh: '签收', en: 'Signed for' },
  returned: { zh: '退单', en: 'Returned' },
  contacted: { zh: '联系诉求人', en: 'Requester contacted' },
  opinion: { zh: '协办意见', en: 'Assisting opinion' },
  replied: { zh: '办结答复', en: 'Replied' },
  extension_requested: { zh: '申请延期', en: 'Extension requested' },
  extension_approved: { zh: '同意延期', en: 'Extension approved' },
  extension_rejected: { zh: '不同意延期', en: 'Extension refused' },
  review_accepted: { zh: '审核通过', en: 'Reply accepted' },
  review_rejected: { zh: '审核退回', en: 'Reply sent back' },
  callback: { zh: '回访', en: 'Callback' },
  closed: { zh: '结案', en: 'Closed' },
  reopened: { zh: '重办', en: 'Reopened' },
  escalated: { zh: '督办', en: 'Escalated' },
  attached: { zh: '上传附件', en: 'File attached' },
  requester_update: { zh: '诉求人补充', en: 'Requester added information' },
};

/** How a deadline limit is counted. */
export const LIMIT_UNITS = ['minutes', 'hours', 'workingHours', 'workingDays'] as const;
/** One limit unit. */
export type LimitUnit = (typeof LIMIT_UNITS)[number];

/** Limit unit names, with a placeholder for the amount. */
export const LIMIT_UNIT_LABELS: Record<LimitUnit, Label> = {
  minutes: { zh: '{n} 分钟', en: '{n} min' },
  hours: { zh: '{n} 小时', en: '{n} h' },
  workingHours: { zh: '{n} 个工作小时', en: '{n} working hours' },
  workingDays: { zh: '{n} 个工作日', en: '{n} working days' },
};
