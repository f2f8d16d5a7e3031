import type { Lang, Text } from '../../shell/i18n';
import { apiRequest } from '../platform/api';
import type {
  LimitUnit,
  Resolution,
  Satisfaction,
  TicketAction,
  TicketChannel,
  TicketStatus,
  TicketType,
  Urgency,
} from '../../../../src/hotline/codes';

export type {
  LimitUnit,
  Resolution,
  Satisfaction,
  TicketAction,
  TicketChannel,
  TicketStatus,
  TicketType,
  Urgency,
};

/** A department as tickets name it. */
export interface DepartmentRef {
  id: string;
  code: string;
  name: Text;
}

/** An Open311 attribute of a category (extra fields of its form). */
export interface CategoryAttribute {
  code: string;
  datatype: string;
  required: boolean;
  description: Text;
  values?: { key: string; name: Text }[];
}

/** A group or category of the taxonomy. */
export interface Category {
  code: string;
  parentCode: string | null;
  name: Text;
  description: Text;
  serviceCode: string | null;
  keywords: string[];
  attributes: CategoryAttribute[];
  groupName: Text;
  routes: { regionCode: string; departmentCode: string }[];
}

/** Which deadlines have passed without the step done. */
export interface OverdueFlags {
  sign: boolean;
  contact: boolean;
  finish: boolean;
  callback: boolean;
  any: boolean;
}

/** The requester as the caller may see them. */
export interface Requester {
  anonymous: boolean;
  confidential: boolean;
  name: string | null;
  mobile: string | null;
  masked: boolean;
}

/** A ticket in lists. */
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
  lead: DepartmentRef | null;
  requester: Requester;
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

/** One unit's part in a dispatch round. */
export interface Assignment {
  round: number;
  department: DepartmentRef | null;
  role: 'lead' | 'assist';
  status: 'dispatched' | 'signed' | 'replied' | 'returned' | 'ended';
  dispatchedAt: string;
  signDueAt: string;
  signedAt: string | null;
  opinion: string | null;
  repliedAt: string | null;
  returnedAt: string | null;
  returnReason: string | null;
}

/** An extension request. */
export interface Extension {
  id: string;
  round: number;
  department: DepartmentRef | null;
  workingDays: number;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
  dueBefore: string;
  dueAfter: string | null;
}

/** One step of the timeline. */
export interface TicketEvent {
  id: number;
  at: string;
  action: string;
  actorName: string;
  actorRole: string | null;
  department: DepartmentRef | null;
  note: string | null;
  public: boolean;
  status: TicketStatus;
  detail: Record<string, unknown>;
}

/** An earlier ticket on the same matter. */
export interface Similar {
  id: string;
  number: string;
  title: string;
  status: TicketStatus;
  createdAt: string;
  score: number;
  kind: 'duplicate' | 'repeat' | 'similar';
  reasons: string[];
  lead: DepartmentRef | null;
}

/** A ticket with all the caller may see and do. */
export interface TicketDetail extends TicketSummary {
  content: string;
  address: string;
  lat: number | null;
  lng: number | null;
  attributes: Record<string, string | string[]>;
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
  suggested: DepartmentRef | null;
  trackCode: string | null;
  assignments: Assignment[];
  extensions: Extension[];
  pendingExtension: Extension | null;
  events: TicketEvent[];
  attachments: {
    id: string;
    filename: string;
    contentType: string;
    size: number;
    uploadedAt: string;
  }[];
  similar: Similar[];
  myRole: 'lead' | 'assist' | null;
  can: TicketAction[];
}

/** A deadline rule (data/hotline/profiles.yaml). */
export interface DeadlineRule {
  key: string;
  name: Text;
  when: { urgency?: Urgency; enterprise?: boolean; type?: TicketType[] };
  sign: { amount: number; unit: LimitUnit };
  contact?: { amount: number; unit: LimitUnit };
  finish: { amount: number; unit: LimitUnit };
}

/** The deadline configuration. */
export interface Profiles {
  extensionMaxWorkingDays: number;
  callbackAttempts: number;
  rules: DeadlineRule[];
}

/** What an operator registers. */
export interface RegisterInput {
  channel: TicketChannel;
  type: TicketType;
  categoryCode: string;
  regionCode: string;
  address?: string;
  title?: string;
  content: string;
  urgency?: Urgency;
  enterprise?: boolean;
  enterpriseName?: string;
  enterpriseUscc?: string;
  anonymous?: boolean;
  confidential?: boolean;
  disclose?: boolean;
  requesterName?: string;
  requesterMobile?: string;
  attributes?: Record<string, string | string[]>;
}

/** Filters of the ticket list. */
export interface TicketQuery {
  status?: string;
  q?: string;
  queue?: 'to_sign' | 'in_hand' | 'done';
  overdue?: boolean;
  escalated?: boolean;
  pendingExtension?: boolean;
  enterprise?: boolean;
  categoryCode?: string;
  regionCode?: string;
  sort?: 'created' | 'due';
  limit?: number;
  offset?: number;
}

function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '' && value !== null) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** `GET /api/hotline/categories`. */
export async function fetchCategories(lang: Lang, signal?: AbortSignal): Promise<Category[]> {
  return (await apiRequest<{ categories: Category[] }>('/api/hotline/categories', { lang, signal }))
    .categories;
}

/** `GET /api/hotline/profiles`. */
export function fetchProfiles(lang: Lang, signal?: AbortSignal): Promise<Profiles> {
  return apiRequest<Profiles>('/api/hotline/profiles', { lang, signal });
}

/** `GET /api/departments`: every department (the dispatch choices). */
export async function fetchDepartments(
  lang: Lang,
  signal?: AbortSignal,
): Promise<{ id: string; code: string; nameZh: string; nameEn: string; regionCode: string }[]> {
  return (
    await apiRequest<{
      departments: {
        id: string;
        code: string;
        nameZh: string;
        nameEn: string;
        regionCode: string;
      }[];
    }>('/api/departments', { lang, signal })
  ).departments;
}

/** `GET /api/regions`. */
export async function fetchRegions(
  lang: Lang,
  signal?: AbortSignal,
): Promise<
  { code: string; nameZh: string; nameEn: string; parentCode: string | null; level: string }[]
> {
  return (
    await apiRequest<{
      regions: {
        code: string;
        nameZh: string;
        nameEn: string;
        parentCode: string | null;
        level: string;
      }[];
    }>('/api/regions', { lang, signal })
  ).regions;
}

/** `GET /api/hotline/tickets`. */
export function listTickets(
  query: TicketQuery,
  lang: Lang,
  signal?: AbortSignal,
): Promise<{ items: TicketSummary[]; total: number }> {
  return apiRequest(`/api/hotline/tickets${queryString(query)}`, { lang, signal });
}

/** The URL of the ledger export with the same filters. */
export function exportTicketsUrl(query: TicketQuery): string {
  return `/api/hotline/tickets/export${queryString({ ...query, limit: undefined, offset: undefined })}`;
}

/** `GET /api/hotline/tickets/{id}`. */
export function fetchTicket(id: string, lang: Lang, signal?: AbortSignal): Promise<TicketDetail> {
  return apiRequest(`/api/hotline/tickets/${encodeURIComponent(id)}`, { lang, signal });
}

/** `POST /api/hotline/tickets`. */
export function registerTicket(input: RegisterInput, lang: Lang): Promise<TicketDetail> {
  return apiRequest('/api/hotline/tickets', { method: 'POST', body: input, lang });
}

/** `POST /api/hotline/tickets/{id}/{action}`: any step of the closed loop. */
export function ticketAction(
  id: string,
  action: string,
  body: Record<string, unknown>,
  lang: Lang,
): Promise<TicketDetail> {
  return apiRequest(`/api/hotline/tickets/${encodeURIComponent(id)}/${action}`, {
    method: 'POST',
    body,
    lang,
  });
}

/** `POST /api/hotline/tickets/{id}/attachments` (multipart). */
export function attachFile(id: string, file: File, lang: Lang): Promise<TicketDetail> {
  const form = new FormData();
  form.append('file', file, file.name);
  return apiRequest(`/api/hotline/tickets/${encodeURIComponent(id)}/attachments`, {
    method: 'POST',
    body: form,
    lang,
  });
}

/** `POST /api/hotline/similar`: earlier tickets on the same matter while the operator types. */
export async function findSimilar(
  probe: {
    requesterMobile?: string;
    categoryCode?: string;
    regionCode?: string;
    address?: string;
    content: string;
  },
  lang: Lang,
  signal?: AbortSignal,
): Promise<Similar[]> {
  return (
    await apiRequest<{ similar: Similar[] }>('/api/hotline/similar', {
      method: 'POST',
      body: probe,
      lang,
      signal,
    })
  ).similar;
}

/** `GET /api/hotline/suggestion`. */
export async function fetchSuggestion(
  category: string,
  region: string,
  lang: Lang,
  signal?: AbortSignal,
): Promise<DepartmentRef | null> {
  return (
    await apiRequest<{ department: DepartmentRef | null }>(
      `/api/hotline/suggestion${queryString({ category, region })}`,
      { lang, signal },
    )
  ).department;
}

/** The public tracking view of a ticket. */
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
  steps: { at: string; action: string; department: Text | null; note: string | null }[];
}

/** `GET /api/hotline/track/{code}`. */
export function trackTicket(code: string, lang: Lang, signal?: AbortSignal): Promise<PublicTicket> {
  return apiRequest(`/api/hotline/track/${encodeURIComponent(code)}`, { lang, signal });
}

/** Counters and rates of the analysis. */
export interface Figures {
  received: number;
  finished: number;
  onTime: number;
  rated: number;
  satisfied: number;
  reopened: number;
  enterprise: number;
  repeated: number;
  onTimeRate: number | null;
  satisfactionRate: number | null;
}

/** `GET /api/hotline/analysis`. */
export interface Analysis {
  fromWeek: string;
  toWeek: string;
  totals: Figures;
  weeks: (Figures & { weekStart: string })[];
  categories: (Figures & { code: string; name: Text; groupName: Text })[];
  regions: (Figures & { code: string; name: Text })[];
  hot: {
    weekStart: string;
    categories: { code: string; name: Text; received: number }[];
    regions: { code: string; name: Text; received: number }[];
  }[];
}

/** `GET /api/hotline/analysis/details`. */
export interface AnalysisDetails {
  repeats: {
    number: string;
    title: string;
    category: { code: string; name: Text };
    region: { code: string; name: Text };
    times: number;
    lastAt: string;
  }[];
  places: { address: string; region: { code: string; name: Text }; tickets: number }[];
}

/** The analysis query. */
export interface AnalysisQuery {
  weeks?: number;
  region?: string;
  category?: string;
}

/** `GET /api/hotline/analysis`. */
export function fetchAnalysis(
  query: AnalysisQuery,
  lang: Lang,
  signal?: AbortSignal,
): Promise<Analysis> {
  return apiRequest(`/api/hotline/analysis${queryString(query)}`, { lang, signal });
}

/** `GET /api/hotline/analysis/details`. */
export function fetchAnalysisDetails(
  query: AnalysisQuery,
  lang: Lang,
  signal?: AbortSignal,
): Promise<AnalysisDetails> {
  return apiRequest(`/api/hotline/analysis/details${queryString(query)}`, { lang, signal });
}

/** The URL of the analysis export. */
export function exportAnalysisUrl(query: AnalysisQuery): string {
  return `/api/hotline/analysis/export${queryString(query)}`;
}

/** An Open311 key as listed. */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  createdByName: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** `GET /api/hotline/api-keys`. */
export async function listApiKeys(lang: Lang, signal?: AbortSignal): Promise<ApiKey[]> {
  return (await apiRequest<{ keys: ApiKey[] }>('/api/hotline/api-keys', { lang, signal })).keys;
}

/** `POST /api/hotline/api-keys`: the key is in the reply once. */
export function issueApiKey(name: string, lang: Lang): Promise<ApiKey & { key: string }> {
  return apiRequest('/api/hotline/api-keys', { method: 'POST', body: { name }, lang });
}

/** `DELETE /api/hotline/api-keys/{id}`. */
export function revokeApiKey(id: string, lang: Lang): Promise<void> {
  return apiRequest(`/api/hotline/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE', lang });
}
