import type { Text } from '../../shell/i18n';
// The hotline's code lists and names are the server's own (one source for both sides of the wire).
export {
  ACTION_LABELS,
  CHANNEL_LABELS,
  EVENT_LABELS,
  LIMIT_UNIT_LABELS,
  RESOLUTION_LABELS,
  SATISFACTION_LABELS,
  SATISFACTIONS,
  STATUS_LABELS,
  TICKET_CHANNELS,
  TICKET_STATUSES,
  TICKET_TYPES,
  TYPE_LABELS,
  URGENCIES,
  URGENCY_LABELS,
} from '../../../../src/hotline/codes';
import type { TicketStatus, Urgency } from '../../../../src/hotline/codes';

/** Tag colours of statuses: waiting for the centre blue, with a unit orange, done green. */
export const STATUS_COLORS: Record<TicketStatus, string> = {
  registered: 'blue',
  dispatched: 'gold',
  handling: 'orange',
  returned: 'magenta',
  replied: 'cyan',
  reviewed: 'geekblue',
  closed: 'green',
};

/** Tag colours of urgencies. */
export const URGENCY_COLORS: Record<Urgency, string> = {
  normal: 'default',
  urgent: 'orange',
  very_urgent: 'red',
};

/** Why an earlier ticket looks like the same matter. */
export const REASON_LABELS: Record<string, Text> = {
  similar_text: { zh: '内容相似', en: 'similar text' },
  same_requester: { zh: '同一诉求人', en: 'same requester' },
  same_place: { zh: '同一地点', en: 'same place' },
  same_category: { zh: '同类同区域', en: 'same category and region' },
};

/** What an earlier ticket is to this one. */
export const KIND_LABELS: Record<string, Text> = {
  duplicate: { zh: '疑似重复（在办）', en: 'Possible duplicate (open)' },
  repeat: { zh: '重复诉求', en: 'Repeat complaint' },
  similar: { zh: '相似诉求', en: 'Similar' },
};
