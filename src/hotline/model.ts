import type { Actor } from '../platform/auth/model';
import type { Deadline, WorkCalendar } from '../platform/calendar';
import { maskIdentifier } from '../platform/ids';
import type { Text } from '../platform/i18n';
import type {
  LimitUnit,
  Satisfaction,
  TicketAction,
  TicketStatus,
  TicketType,
  Urgency,
} from './codes';

// Pure rules of the 12345 hotline: deadlines, who may do what in which state, duplicate and repeat
// detection, masking of requesters, and each ticket's share of the weekly rollups. No I/O here:
// `now` and the calendar are arguments.

/** A time limit with its unit (see data/hotline/profiles.yaml). */
export interface Limit {
  amount: number;
  unit: LimitUnit;
}

/** One deadline rule: which tickets it applies to and their limits from the dispatch. */
export interface DeadlineRule {
  key: string;
  name: Text;
  when: { urgency?: Urgency; enterprise?: boolean; type?: TicketType[] };
  /** 签收 — the unit signs for (responds to) the ticket. */
  sign: Limit;
  /** 联系诉求人 — the unit contacts the requester (the "1" of "215"). */
  contact?: Limit;
  /** 办结答复 — the unit finishes and replies. */
  finish: Limit;
}

/** The hotline's deadline configuration (data/hotline/profiles.yaml). */
export interface DeadlineProfiles {
  returnWithin: Limit;
  extensionMaxWorkingDays: number;
  callbackWithin: Limit;
  callbackAttempts: number;
  duplicates: { windowDays: number; textThreshold: number; nearMetres: number };
  rules: DeadlineRule[];
}

/** What deadline rules look at. */
export interface RuleInput {
  type: TicketType;
  urgency: Urgency;
  enterprise: boolean;
}

/** The first rule that matches the ticket (the file must end with a catch-all rule). */
export function ruleFor(profiles: DeadlineProfiles, ticket: RuleInput): DeadlineRule {
  const rule = profiles.rules.find(
    (r) =>
      (r.when.urgency === undefined || r.when.urgency === ticket.urgency) &&
      (r.when.enterprise === undefined || r.when.enterprise === ticket.enterprise) &&
      (r.when.type === undefined || r.when.type.includes(ticket.type)),
  );
  if (!rule) throw new Error('hotline profiles: no rule matches; the last rule must match all');
  return rule;
}

const MINUTE_MS = 60_000;

/** The moment a limit ends when counted from start on the calendar. */
export function addLimit(calendar: WorkCalendar, start: Date, limit: Limit): Deadline {
  switch (limit.unit) {
    case 'minutes':
      return { due: new Date(start.getTime() + limit.amount * MINUTE_MS), provisional: false };
    case 'hours':
      return { due: new Date(start.getTime() + limit.amount * 60 * MINUTE_MS), provisional: false };
    case 'workingHours':
      return calendar.addWorkingHours(start, limit.amount);
    case 'workingDays':
      return calendar.addWorkingDays(start, limit.amount);
  }
}

/** The deadlines of one dispatch round, all counted from the dispatch. */
export interface RoundDeadlines {
  signDueAt: Date;
  contactDueAt: Date | null;
  finishDueAt: Date;
  /** A wrong dispatch may be returned until then (退单时限). */
  returnUntil: Date;
  /** True when any of them rests on a year whose official holiday schedule is not yet published. */
  provisional: boolean;
}

/** Deadlines of a dispatch at `dispatchedAt` under a rule. */
export function roundDeadlines(
  calendar: WorkCalendar,
  profiles: DeadlineProfiles,
  rule: DeadlineRule,
  dispatchedAt: Date,
): RoundDeadlines {
  const sign = addLimit(calendar, dispatchedAt, rule.sign);
  const contact = rule.contact ? addLimit(calendar, dispatchedAt, rule.contact) : null;
  const finish = addLimit(calendar, dispatchedAt, rule.finish);
  const back = addLimit(calendar, dispatchedAt, profiles.returnWithin);
  return {
    signDueAt: sign.due,
    contactDueAt: contact?.due ?? null,
    finishDueAt: finish.due,
    returnUntil: back.due,
    provisional:
      sign.provisional || !!contact?.provisional || finish.provisional || back.provisional,
  };
}

/** The finish deadline after an extension of `workingDays` (延期), counted from the current one. */
export function extendedDeadline(calendar: WorkCalendar, due: Date, workingDays: number): Deadline {
  return calendar.addWorkingDays(due, workingDays);
}

/** Working days an extension may still ask for, given what this round has already had. */
export function extensionRoom(profiles: DeadlineProfiles, extendedDays: number): number {
  return Math.max(0, profiles.extensionMaxWorkingDays - extendedDays);
}

// ---------------------------------------------------------------------------------------------
// Who may do what, when

/** What the rules need to know about a ticket to decide the caller's next actions. */
export interface TicketState {
  status: TicketStatus;
  /** The caller's unit's assignment in the current round, if any. */
  assignment: { role: 'lead' | 'assist'; status: string } | null;
  returnUntil: Date | null;
  extendedDays: number;
  pendingExtension: boolean;
  satisfaction: Satisfaction | null;
  callbackAttempts: number;
  /** The requester can be called back (a number to call, not anonymous). */
  callable: boolean;
  /** The caller is the requester (a citizen or enterprise account that filed it). */
  ownTicket: boolean;
}

const OPEN_STATUSES: readonly TicketStatus[] = [
  'registered',
  'dispatched',
  'handling',
  'returned',
  'replied',
  'reviewed',
];

/** Whether a ticket still needs someone to act (everything but closed). */
export function isOpen(status: TicketStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Which roles an action belongs to, whatever the state (403 for anyone else). */
export const ACTION_ROLES: Record<TicketAction, readonly Actor['role'][]> = {
  update: ['operator'],
  answer: ['operator'],
  dispatch: ['operator'],
  merge: ['operator'],
  sign: ['handler'],
  return: ['handler'],
  contact: ['handler'],
  opinion: ['handler'],
  reply: ['handler'],
  request_extension: ['handler'],
  decide_extension: ['operator', 'supervisor'],
  review: ['operator'],
  callback: ['operator'],
  close: ['operator'],
  reopen: ['operator'],
  escalate: ['supervisor'],
  attach: ['operator', 'handler', 'citizen', 'enterprise'],
};

/**
 * Whether the state allows the action for this caller (their role is checked apart, so that a
 * wrong role is 403 and a wrong moment 409). `now` matters for the return window.
 */
export function stateAllows(
  action: TicketAction,
  state: TicketState,
  profiles: DeadlineProfiles,
  now: Date,
): boolean {
  const { status, assignment } = state;
  const lead = assignment?.role === 'lead';
  const assist = assignment?.role === 'assist';
  switch (action) {
    case 'update':
    case 'answer':
    case 'dispatch':
    case 'merge':
      return status === 'registered' || status === 'returned';
    case 'sign':
      return (
        assignment?.status === 'dispatched' &&
        (lead ? status === 'dispatched' : status === 'dispatched' || status === 'handling')
      );
    case 'return':
      return (
        (assignment?.status === 'dispatched' || assignment?.status === 'signed') &&
        (status === 'dispatched' || status === 'handling') &&
        state.returnUntil !== null &&
        now.getTime() <= state.returnUntil.getTime()
      );
    case 'contact':
      return lead && status === 'handling';
    case 'opinion':
      return assist && assignment?.status === 'signed' && status === 'handling';
    case 'reply':
      return lead && status === 'handling' && assignment?.status === 'signed';
    case 'request_extension':
      return (
        lead &&
        status === 'handling' &&
        !state.pendingExtension &&
        extensionRoom(profiles, state.extendedDays) > 0
      );
    case 'decide_extension':
      return state.pendingExtension && (status === 'dispatched' || status === 'handling');
    case 'review':
      return status === 'replied';
    case 'callback':
      return status === 'reviewed' && state.callable;
    case 'close':
      // After an unsatisfied verdict (closing with an explanation), or when the requester
      // could not be reached often enough, or cannot be called at all.
      return (
        status === 'reviewed' &&
        (state.satisfaction === 'unsatisfied' ||
          !state.callable ||
          state.callbackAttempts >= profiles.callbackAttempts)
      );
    case 'reopen':
      return (status === 'reviewed' || status === 'closed') && state.satisfaction === 'unsatisfied';
    case 'escalate':
      return isOpen(status) && status !== 'reviewed';
    case 'attach':
      return isOpen(status);
  }
}

/** The actions the caller may take next on the ticket, for the UI's buttons. */
export function availableActions(
  actor: Actor,
  state: TicketState,
  profiles: DeadlineProfiles,
  now: Date,
): TicketAction[] {
  return (Object.keys(ACTION_ROLES) as TicketAction[]).filter((action) => {
    if (!ACTION_ROLES[action].includes(actor.role)) return false;
    if (actor.role === 'handler' && action === 'attach' && !state.assignment) return false;
    if ((actor.role === 'citizen' || actor.role === 'enterprise') && !state.ownTicket) return false;
    return stateAllows(action, state, profiles, now);
  });
}

// ---------------------------------------------------------------------------------------------
// Overdue flags

/** The deadlines and moments that overdue flags compare. */
export interface DueFacts {
  status: TicketStatus;
  signDueAt: Date | null;
  signedAt: Date | null;
  contactDueAt: Date | null;
  contactedAt: Date | null;
  finishDueAt: Date | null;
  repliedAt: Date | null;
  callbackDueAt: Date | null;
}

/** Which of a ticket's deadlines have passed without the step being done. */
export interface OverdueFlags {
  sign: boolean;
  contact: boolean;
  finish: boolean;
  callback: boolean;
  any: boolean;
}

const past = (due: Date | null, done: Date | null, now: Date) =>
  due !== null && (done ? done.getTime() > due.getTime() : now.getTime() > due.getTime());

/** Overdue flags at `now`: a step is overdue when done after its deadline, or not done by now. */
export function overdueFlags(t: DueFacts, now: Date): OverdueFlags {
  const inRound = t.status === 'dispatched' || t.status === 'handling' || t.status === 'replied';
  const sign = inRound && past(t.signDueAt, t.signedAt, now);
  const contact = inRound && past(t.contactDueAt, t.contactedAt, now);
  const finish = inRound && past(t.finishDueAt, t.repliedAt, now);
  const callback = t.status === 'reviewed' && past(t.callbackDueAt, null, now);
  return { sign, contact, finish, callback, any: sign || contact || finish || callback };
}

/** Whether a reply at `repliedAt` kept the finish deadline. */
export function repliedOnTime(repliedAt: Date, finishDueAt: Date | null): boolean {
  return finishDueAt === null || repliedAt.getTime() <= finishDueAt.getTime();
}

// ---------------------------------------------------------------------------------------------
// Duplicates and repeats

// Punctuation, spaces and the filler words callers use everywhere do not tell two matters apart.
const NOISE = /[\s\p{P}\p{S}]+|反映|市民|来电|您好|你好|请求|希望|要求|问题|情况|处理|一下/gu;

/** Character bigrams of a text without punctuation and filler words. */
export function bigrams(text: string): Set<string> {
  const clean = text.toLowerCase().replace(NOISE, '');
  const out = new Set<string>();
  if (clean.length === 1) out.add(clean);
  for (let i = 0; i + 1 < clean.length; i++) out.add(clean.slice(i, i + 2));
  return out;
}

/**
 * How alike two texts are, 0..1: the Dice coefficient of their character bigrams, leaving out
 * the bigrams of `ignore` (the place, which is compared on its own).
 */
export function textSimilarity(a: string, b: string, ignore = ''): number {
  const skip = bigrams(ignore);
  const x = new Set([...bigrams(a)].filter((g) => !skip.has(g)));
  const y = new Set([...bigrams(b)].filter((g) => !skip.has(g)));
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const gram of x) if (y.has(gram)) shared++;
  return (2 * shared) / (x.size + y.size);
}

/** Great-circle distance in metres between two WGS84 points. */
export function distanceMetres(
  a: { lat: number; lng: number },
  b: { lat: number; lng: number },
): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** What duplicate detection compares. */
export interface SimilarityProbe {
  requesterMobile: string | null;
  categoryCode: string | null;
  regionCode: string | null;
  address: string;
  lat: number | null;
  lng: number | null;
  text: string;
}

/** An earlier ticket compared with a new one. */
export interface SimilarityCandidate extends SimilarityProbe {
  status: TicketStatus;
  closedAt: Date | null;
}

/** Why two tickets look like the same matter. */
export type SimilarityReason = 'same_requester' | 'same_place' | 'similar_text' | 'same_category';

/** What an earlier ticket is to a new one. */
export type SimilarityKind = 'duplicate' | 'repeat' | 'similar';

/** The verdict on one candidate. */
export interface SimilarityMatch {
  score: number;
  text: number;
  reasons: SimilarityReason[];
  /**
   * duplicate: the same matter is still open (merge it); repeat: the same requester comes back
   * on a matter already closed (重复诉求); similar: alike, for the operator's information.
   */
  kind: SimilarityKind;
}

/** Same place: within `nearMetres` when both have coordinates, else addresses alike enough. */
export function samePlace(a: SimilarityProbe, b: SimilarityProbe, nearMetres: number): boolean {
  if (a.lat !== null && a.lng !== null && b.lat !== null && b.lng !== null) {
    return distanceMetres({ lat: a.lat, lng: a.lng }, { lat: b.lat, lng: b.lng }) <= nearMetres;
  }
  if (a.address.trim().length < 4 || b.address.trim().length < 4) return false;
  return textSimilarity(a.address, b.address) >= 0.6;
}

/**
 * Compares a new ticket with an earlier one; null when they do not look like the same matter.
 * The texts are compared without the words of their places. A match is: the same requester in
 * the same category (重复诉求 as 12345 centres count it), the same place in the same category, or
 * alike texts with one more sign — the same requester, the same place, or the same category and
 * region.
 */
export function compareTickets(
  probe: SimilarityProbe,
  candidate: SimilarityCandidate,
  options: { textThreshold: number; nearMetres: number },
): SimilarityMatch | null {
  const text = textSimilarity(probe.text, candidate.text, `${probe.address} ${candidate.address}`);
  const reasons: SimilarityReason[] = [];
  const alike = text >= options.textThreshold;
  if (alike) reasons.push('similar_text');
  const sameRequester =
    !!probe.requesterMobile && probe.requesterMobile === candidate.requesterMobile;
  if (sameRequester) reasons.push('same_requester');
  const place = samePlace(probe, candidate, options.nearMetres);
  if (place) reasons.push('same_place');
  const sameCategory =
    !!probe.categoryCode &&
    probe.categoryCode === candidate.categoryCode &&
    probe.regionCode === candidate.regionCode;
  if (sameCategory) reasons.push('same_category');
  const match =
    (sameRequester && sameCategory) ||
    (place && sameCategory) ||
    (alike && (sameRequester || place || sameCategory));
  if (!match) return null;
  const score = Math.min(
    1,
    0.5 * text + (sameRequester ? 0.2 : 0) + (place ? 0.2 : 0) + (sameCategory ? 0.1 : 0),
  );
  const kind: SimilarityKind =
    candidate.status !== 'closed' ? 'duplicate' : sameRequester ? 'repeat' : 'similar';
  return {
    score: Math.round(score * 1000) / 1000,
    text: Math.round(text * 1000) / 1000,
    reasons,
    kind,
  };
}

// ---------------------------------------------------------------------------------------------
// Requesters' identity

/** 张伟 → 张*, 欧阳娜娜 → 欧阳**; keeps the family name only. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (/^[\x20-\x7e]+$/.test(name)) return `${chars[0]}***`;
  const keep = chars.length >= 4 ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(Math.max(1, chars.length - keep));
}

/** 13906311013 → 139****1013 (what the platform masks in logs). */
export function maskMobile(mobile: string): string {
  return maskIdentifier('mobile', mobile);
}

/** How much of the requester a caller may see. */
export type RequesterView = 'full' | 'masked' | 'none';

/**
 * Operators take and call back: they see the requester. A handling unit sees the requester only
 * when the requester may be contacted (not anonymous, not confidential, not a report of
 * wrongdoing) and the unit is on the ticket; supervisors and administrators see masked values;
 * the requester sees themselves; the public sees nothing.
 */
export function requesterView(
  actor: Actor | null,
  ticket: { confidential: boolean; type: TicketType; anonymous: boolean },
  onTicket: boolean,
  ownTicket: boolean,
): RequesterView {
  if (!actor) return 'none';
  if (actor.role === 'operator' || ownTicket) return 'full';
  if (actor.role === 'handler') {
    return onTicket && !ticket.confidential && !ticket.anonymous && ticket.type !== 'report'
      ? 'full'
      : 'masked';
  }
  if (actor.role === 'supervisor' || actor.role === 'admin') return 'masked';
  return 'none';
}

// ---------------------------------------------------------------------------------------------
// Weekly rollups

const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;

/** The Monday (Asia/Shanghai) of the week an instant falls in, as YYYY-MM-DD. */
export function weekStartOf(at: Date): string {
  const day = Math.floor((at.getTime() + SHANGHAI_MS) / DAY_MS);
  // 1970-01-01 was a Thursday: day 0 → weekday 3 counting Monday as 0.
  const monday = day - ((day + 3) % 7);
  return new Date(monday * DAY_MS).toISOString().slice(0, 10);
}

/** The columns of a ticket that its share of the rollups depends on. */
export interface RollupFacts {
  createdAt: Date;
  categoryCode: string;
  regionCode: string;
  finishedAt: Date | null;
  onTime: boolean | null;
  satisfaction: string | null;
  reopenCount: number;
  enterprise: boolean;
  relation: string | null;
}

/** The counters of one rollup row. */
export const ROLLUP_COUNTERS = [
  'received',
  'finished',
  'onTime',
  'rated',
  'satisfied',
  'reopened',
  'enterprise',
  'repeated',
] as const;

/** One counter name. */
export type RollupCounter = (typeof ROLLUP_COUNTERS)[number];

/** A ticket's share of one rollup row (or a change to one). */
export interface RollupShare {
  weekStart: string;
  categoryCode: string;
  regionCode: string;
  counts: Record<RollupCounter, number>;
}

/** What a ticket adds to the rollup row of its week, category and region. */
export function rollupShare(t: RollupFacts): RollupShare {
  const finished = t.finishedAt !== null;
  return {
    weekStart: weekStartOf(t.createdAt),
    categoryCode: t.categoryCode,
    regionCode: t.regionCode,
    counts: {
      received: 1,
      finished: finished ? 1 : 0,
      onTime: finished && t.onTime ? 1 : 0,
      rated: t.satisfaction ? 1 : 0,
      satisfied: t.satisfaction === 'satisfied' || t.satisfaction === 'basically_satisfied' ? 1 : 0,
      reopened: t.reopenCount > 0 ? 1 : 0,
      enterprise: t.enterprise ? 1 : 0,
      repeated: t.relation === 'repeat' ? 1 : 0,
    },
  };
}

/**
 * The changes to the rollups when a ticket goes from `before` (null: new) to `after`: one
 * difference when it stays in the same row, else a subtraction and an addition. Rows whose
 * counters would not change are left out.
 */
export function rollupDelta(before: RollupFacts | null, after: RollupFacts): RollupShare[] {
  const next = rollupShare(after);
  if (!before) return [next];
  const prev = rollupShare(before);
  const sameRow =
    prev.weekStart === next.weekStart &&
    prev.categoryCode === next.categoryCode &&
    prev.regionCode === next.regionCode;
  const negate = (share: RollupShare): RollupShare => ({
    ...share,
    counts: Object.fromEntries(
      ROLLUP_COUNTERS.map((k) => [k, -share.counts[k]]),
    ) as RollupShare['counts'],
  });
  if (!sameRow) return [negate(prev), next];
  const counts = Object.fromEntries(
    ROLLUP_COUNTERS.map((k) => [k, next.counts[k] - prev.counts[k]]),
  ) as RollupShare['counts'];
  return ROLLUP_COUNTERS.some((k) => counts[k] !== 0) ? [{ ...next, counts }] : [];
}

// ---------------------------------------------------------------------------------------------
// Open311

/** GeoReport v2 knows only open and closed. */
export function open311Status(status: TicketStatus): 'open' | 'closed' {
  return status === 'closed' ? 'closed' : 'open';
}

/** The FixMyStreet-style status of an update (servicerequestupdates extension). */
export function open311UpdateStatus(
  status: TicketStatus,
  resolution: string | null,
): 'OPEN' | 'IN_PROGRESS' | 'ACTION_SCHEDULED' | 'FIXED' | 'CLOSED' | 'DUPLICATE' {
  switch (status) {
    case 'registered':
    case 'returned':
      return 'OPEN';
    case 'dispatched':
      return 'ACTION_SCHEDULED';
    case 'handling':
    case 'replied':
      return 'IN_PROGRESS';
    case 'reviewed':
      return 'FIXED';
    case 'closed':
      return resolution === 'merged' ? 'DUPLICATE' : resolution === 'handled' ? 'FIXED' : 'CLOSED';
  }
}

/**
 * A title from the text when the operator gives none: the first sentence, or its first clauses
 * up to 30 characters, never a word cut in half without an ellipsis.
 */
export function titleOf(content: string): string {
  const chars = [...content.replace(/\s+/g, ' ').trim()];
  const end = chars.findIndex((c) => '。！？!?；;\n'.includes(c));
  const sentence = end === -1 ? chars : chars.slice(0, end);
  if (sentence.length <= 30) return sentence.join('');
  const cut = sentence.slice(0, 30).join('');
  const comma = Math.max(cut.lastIndexOf('，'), cut.lastIndexOf(','), cut.lastIndexOf('、'));
  return comma >= 8 ? cut.slice(0, comma) : `${cut.slice(0, 29)}…`;
}

/** A ticket number: GD, the local creation date, and a sequence number. */
export function ticketNumber(localDate: string, sequence: number): string {
  return `GD${localDate.replaceAll('-', '')}${String(sequence).padStart(6, '0')}`;
}

// No 0/O, 1/I/L: the code is read out over the phone.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A tracking code (查询码) of 8 characters from bytes of randomness. */
export function trackCodeFrom(bytes: Uint8Array): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[(bytes[i] ?? 0) % CODE_ALPHABET.length];
  return code;
}

/** Whether a string has the shape of a tracking code. */
export function isTrackCode(value: string): boolean {
  return /^[2-9A-HJKMNP-Z]{8}$/.test(value);
}
