import { toOffsetIso } from '../platform/calendar';
import type { Text } from '../platform/i18n';
import { maskPersonalData } from '../platform/http/redact';
import type {
  Resolution,
  Satisfaction,
  TicketAction,
  TicketChannel,
  TicketStatus,
  TicketType,
  Urgency,
} from './codes';
import type { DepartmentRef } from './directory';
import {
  maskMobile,
  maskName,
  overdueFlags,
  type OverdueFlags,
  type RequesterView,
  type SimilarityKind,
  type SimilarityReason,
} from './model';
import type { AssignmentRow, ExtensionRow, TicketRow } from './store';

// How tickets are shown: to staff (summaries and details, with the requester as the caller may
// see them) and to the public (tracking page), always with instants in +08:00.

/** An instant as the API writes it (ISO 8601, +08:00), or null. */
export function iso(value: Date | null | undefined): string | null {
  return value ? toOffsetIso(value) : null;
}

/** A department as replies name it. */
export interface DepartmentOut {
  id: string;
  code: string;
  name: Text;
}

/** The department part of a reply. */
export function departmentOut(ref: DepartmentRef | null): DepartmentOut | null {
  return ref ? { id: ref.id, code: ref.code, name: ref.name } : null;
}

/** The requester as the caller may see them. */
export interface RequesterOut {
  anonymous: boolean;
  confidential: boolean;
  name: string | null;
  mobile: string | null;
  /** True when the values are masked for this caller. */
  masked: boolean;
}

/** The requester of a ticket under a view. */
export function requesterOut(ticket: TicketRow, view: RequesterView): RequesterOut {
  const base = { anonymous: ticket.anonymous, confidential: ticket.confidential };
  if (view === 'none') return { ...base, name: null, mobile: null, masked: true };
  if (view === 'masked') {
    return {
      ...base,
      name: ticket.requesterName ? maskName(ticket.requesterName) : null,
      mobile: ticket.requesterMobile ? maskMobile(ticket.requesterMobile) : null,
      masked: true,
    };
  }
  return { ...base, name: ticket.requesterName, mobile: ticket.requesterMobile, masked: false };
}

/** A ticket in lists and queues. */
export interface TicketSummary {
  id: string;
  number: string;
  title: string;
  type: TicketType;
  channel: TicketChannel;
  urgency: Urgency;
  enterprise: boolean;
  enterpriseName: string | null;
  category: { code: string; name: Text; groupName: Text };
  region: { code: string; name: Text };
  status: TicketStatus;
  resolution: Resolution | null;
  lead: DepartmentOut | null;
  requester: RequesterOut;
  createdAt: string;
  updatedAt: string;
  dispatchedAt: string | null;
  signDueAt: string | null;
  contactDueAt: string | null;
  finishDueAt: string | null;
  callbackDueAt: string | null;
  dueProvisional: boolean;
  overdue: OverdueFlags;
  escalationLevel: number;
  reopenCount: number;
  satisfaction: Satisfaction | null;
  onTime: boolean | null;
  relation: 'duplicate' | 'repeat' | null;
  relatedNumber: string | null;
}

/** Names a summary needs, looked up by the service. */
export interface SummaryNames {
  category: { name: Text; groupName: Text };
  region: Text;
  lead: DepartmentRef | null;
  relatedNumber: string | null;
}

/** A ticket as lists show it. */
export function ticketSummary(
  t: TicketRow,
  names: SummaryNames,
  view: RequesterView,
  now: Date,
): TicketSummary {
  return {
    id: t.id,
    number: t.number,
    title: t.title,
    type: t.type as TicketType,
    channel: t.channel as TicketChannel,
    urgency: t.urgency as Urgency,
    enterprise: t.enterprise,
    enterpriseName: t.enterpriseName,
    category: { code: t.categoryCode, ...names.category },
    region: { code: t.regionCode, name: names.region },
    status: t.status as TicketStatus,
    resolution: t.resolution as Resolution | null,
    lead: departmentOut(names.lead),
    requester: requesterOut(t, view),
    createdAt: iso(t.createdAt)!,
    updatedAt: iso(t.updatedAt)!,
    dispatchedAt: iso(t.dispatchedAt),
    signDueAt: iso(t.signDueAt),
    contactDueAt: iso(t.contactDueAt),
    finishDueAt: iso(t.finishDueAt),
    callbackDueAt: iso(t.callbackDueAt),
    dueProvisional: t.dueProvisional,
    overdue: overdueFlags(
      {
        status: t.status as TicketStatus,
        signDueAt: t.signDueAt,
        signedAt: t.signedAt,
        contactDueAt: t.contactDueAt,
        contactedAt: t.contactedAt,
        finishDueAt: t.finishDueAt,
        repliedAt: t.repliedAt,
        callbackDueAt: t.callbackDueAt,
      },
      now,
    ),
    escalationLevel: t.escalationLevel,
    reopenCount: t.reopenCount,
    satisfaction: t.satisfaction as Satisfaction | null,
    onTime: t.onTime,
    relation: t.relation as 'duplicate' | 'repeat' | null,
    relatedNumber: names.relatedNumber,
  };
}

/** One unit's part in a dispatch round. */
export interface AssignmentOut {
  round: number;
  department: DepartmentOut | null;
  role: 'lead' | 'assist';
  status: AssignmentRow['status'];
  dispatchedAt: string;
  signDueAt: string;
  signedAt: string | null;
  opinion: string | null;
  repliedAt: string | null;
  returnedAt: string | null;
  returnReason: string | null;
}

/** An assignment as replies show it. */
export function assignmentOut(a: AssignmentRow, department: DepartmentRef | null): AssignmentOut {
  return {
    round: a.round,
    department: departmentOut(department),
    role: a.role,
    status: a.status,
    dispatchedAt: iso(a.dispatchedAt)!,
    signDueAt: iso(a.signDueAt)!,
    signedAt: iso(a.signedAt),
    opinion: a.opinion,
    repliedAt: iso(a.repliedAt),
    returnedAt: iso(a.returnedAt),
    returnReason: a.returnReason,
  };
}

/** An extension request as replies show it. */
export interface ExtensionOut {
  id: string;
  round: number;
  department: DepartmentOut | null;
  workingDays: number;
  reason: string;
  status: ExtensionRow['status'];
  requestedAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
  dueBefore: string;
  dueAfter: string | null;
}

/** An extension as replies show it. */
export function extensionOut(e: ExtensionRow, department: DepartmentRef | null): ExtensionOut {
  return {
    id: e.id,
    round: e.round,
    department: departmentOut(department),
    workingDays: e.workingDays,
    reason: e.reason,
    status: e.status,
    requestedAt: iso(e.requestedAt)!,
    decidedAt: iso(e.decidedAt),
    decisionNote: e.decisionNote,
    dueBefore: iso(e.dueBefore)!,
    dueAfter: iso(e.dueAfter),
  };
}

/** One event of the timeline. */
export interface EventOut {
  id: number;
  at: string;
  action: string;
  actorName: string;
  actorRole: string | null;
  department: DepartmentOut | null;
  note: string | null;
  public: boolean;
  status: TicketStatus;
  detail: Record<string, unknown>;
}

/** An earlier ticket that looks like the same matter. */
export interface SimilarOut {
  id: string;
  number: string;
  title: string;
  status: TicketStatus;
  createdAt: string;
  score: number;
  kind: SimilarityKind;
  reasons: SimilarityReason[];
  lead: DepartmentOut | null;
}

/** An attachment without its bytes. */
export interface AttachmentOut {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  uploadedAt: string;
}

/** A ticket with everything the caller may see and do. */
export interface TicketDetail extends TicketSummary {
  content: string;
  address: string;
  lat: number | null;
  lng: number | null;
  attributes: Record<string, unknown>;
  mediaUrl: string | null;
  disclose: boolean;
  enterpriseUscc: string | null;
  profile: { key: string; name: Text };
  round: number;
  answer: string | null;
  signedAt: string | null;
  contactedAt: string | null;
  repliedAt: string | null;
  finishedAt: string | null;
  closedAt: string | null;
  returnUntil: string | null;
  extendedDays: number;
  extensionRoom: number;
  callbackAttempts: number;
  suggested: DepartmentOut | null;
  /** 查询码: for the operator to read out and for the requester; null for others. */
  trackCode: string | null;
  assignments: AssignmentOut[];
  extensions: ExtensionOut[];
  pendingExtension: ExtensionOut | null;
  events: EventOut[];
  attachments: AttachmentOut[];
  similar: SimilarOut[];
  /** The caller's unit's part in the current round. */
  myRole: 'lead' | 'assist' | null;
  can: TicketAction[];
}

/** One step shown on the public tracking page. */
export interface PublicStep {
  at: string;
  action: string;
  department: Text | null;
  note: string | null;
}

/** What anyone with the tracking code sees: no requester, personal data masked in texts. */
export interface PublicTicket {
  number: string;
  title: string;
  content: string;
  type: TicketType;
  category: Text;
  region: Text;
  status: TicketStatus;
  resolution: Resolution | null;
  createdAt: string;
  finishDueAt: string | null;
  handledBy: Text | null;
  answer: string | null;
  satisfaction: Satisfaction | null;
  steps: PublicStep[];
}

/** Masks mobile numbers and resident IDs in free text shown in public. */
export function publicText(text: string | null): string | null {
  return text === null ? null : maskPersonalData(text);
}
