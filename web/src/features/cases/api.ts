import type { Lang, Text } from '../../shell/i18n';
import type {
  ApplicationProgress,
  CaseAction,
  CaseState,
  SegmentKind,
  SUSPENSION_KINDS,
  WarningLevel,
} from '../../../../src/cases/codes';
import { apiRequest } from '../platform/api';
import type { Waiver } from '../applications/api';
import type { Licence } from '../licences/api';

// The client of department cases (子件): the staff queue and actions under `/api/cases`, the
// supervision board, and the applicant's timeline and combined result package.

/** The server's codes of cases (src/cases/codes.ts, Node-free). */
export type {
  ApplicationProgress,
  CaseAction,
  CaseState,
  SegmentKind,
  WarningLevel,
} from '../../../../src/cases/codes';

/** The suspensions a reviewer may order. */
export type SuspensionKind = (typeof SUSPENSION_KINDS)[number];

/** A decision of a case. */
export type Decision = 'approved' | 'denied' | 'deemed_approved';

/** A time limit with its unit. */
export interface Limit {
  value: number;
  unit: 'workdays' | 'hours';
}

/** One recorded check of an automatic decision (秒批). */
export interface Check {
  id: string;
  label: Text;
  passed: boolean;
  detail?: string | null;
}

/** What a case decided and issued. */
export interface CaseResults {
  decision?: Decision;
  note?: string | null;
  reasons?: string[];
  checks?: Check[];
  issuedAt?: string;
  automatic?: boolean;
  [key: string]: unknown;
}

/** A clock segment: a suspension (not counted) or an extension. */
export interface Segment {
  id: string;
  kind: SegmentKind;
  label: Text;
  reason: string;
  startedAt: string;
  endedAt: string | null;
  days: number | null;
  approvedAt: string | null;
}

/** One step of a case. */
export interface CaseEvent {
  at: string;
  action: string;
  label?: Text;
  fromState: string | null;
  toState: string | null;
  actorName: string | null;
  actorRole: string | null;
  note: string | null;
  detail: unknown;
}

/** A department case as `GET /api/cases` lists it. */
export interface CaseView {
  id: string;
  applicationId: string;
  memberKey: string;
  itemCode: string;
  itemVersion: number;
  departmentCode: string;
  department: Text;
  regionCode: string;
  state: CaseState;
  stateName?: Text;
  after: string[];
  inputs: {
    answers?: Record<string, string[]>;
    data?: Record<string, unknown>;
    results?: Record<string, CaseResults | null>;
  } | null;
  results: CaseResults | null;
  committedLimit: Limit;
  statutoryLimit: Limit | null;
  startedAt: string | null;
  committedDueAt: string | null;
  statutoryDueAt: string | null;
  warnAt: string | null;
  dueProvisional: boolean;
  warning: WarningLevel;
  reviewerId: string | null;
  version: number;
  finishedAt: string | null;
  segments: Segment[];
  pendingExtension: boolean;
  /** What the caller may do now. */
  actions: string[];
  /** The item's name (may be missing from older servers). */
  item?: Text;
  applicationNumber?: string;
  applicantName?: string;
  bundleName?: Text;
}

/** A file the applicant uploaded for a material of the case. */
export interface CaseUpload {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  uploadedAt: string;
}

/** A material the case's item uses: the files handed in, or what was attached instead (免提交). */
export interface CaseMaterial {
  key: string;
  name: Text;
  provision: string;
  provisionLabel: Text;
  uploads: CaseUpload[];
  waived: Waiver | null;
}

/** One case with its history and materials (`GET /api/cases/{id}`). */
export interface CaseDetail extends CaseView {
  events: CaseEvent[];
  /** Absent from servers before materials were shown to staff. */
  materials?: CaseMaterial[];
}

/** A licence attached in place of a material, as staff opening it see it. */
export type AttachedLicence = Licence & {
  signature?: { algorithm: string; keyId: string; value: string; contentHash: string };
};

/** `GET /api/cases`. */
export interface CaseList {
  items: CaseView[];
  limit: number;
  offset: number;
  more: boolean;
}

/** The query of the queue. */
export interface CaseQuery {
  state?: CaseState;
  warning?: WarningLevel;
  dueBefore?: string;
  department?: string;
  limit?: number;
  offset?: number;
}

/** One department on the supervision board. */
export interface BoardDepartment {
  code: string;
  name: Text;
  open: number;
  byState: Partial<Record<CaseState, number>>;
  dueSoon: number;
  overdue: number;
}

/** `GET /api/cases/board`. */
export interface Board {
  at: string;
  departments: BoardDepartment[];
  dueSoon: CaseView[];
  overdue: CaseView[];
}

/** A case on the applicant's timeline. */
export interface TimelineCase {
  id: string;
  memberKey: string;
  item: Text;
  department: Text;
  state: CaseState;
  stateName?: Text;
  awaited: { who: string; text: Text };
  startedAt: string | null;
  committedDueAt: string | null;
  statutoryDueAt: string | null;
  warning: WarningLevel;
  finishedAt: string | null;
}

/** A step on the application's timeline. */
export interface TimelineStep {
  at: string;
  source: 'application' | 'case';
  caseId: string | null;
  memberKey: string | null;
  item: Text | null;
  department: Text | null;
  action: string;
  label: Text;
  state: string | null;
  actorName?: string | null;
  actorRole?: string | null;
  note: string | null;
}

/** `GET /api/applications/{id}/timeline`. */
export interface Timeline {
  applicationId: string;
  number: string;
  status: string;
  progress: ApplicationProgress;
  expectedBy: string | null;
  cases: TimelineCase[];
  steps: TimelineStep[];
}

/** One item of the combined result package. */
export interface ResultItem {
  caseId: string;
  memberKey: string;
  item: Text;
  department: Text;
  state: CaseState;
  stateName?: Text;
  decision: Decision | null;
  automatic: boolean;
  resultName: Text | null;
  result: Record<string, unknown> | null;
  reasons: string[];
  checks?: Check[];
  /** The legal basis of the decision, when the item names one. */
  basis?: string | null;
  note?: string | null;
  issuedAt: string | null;
}

/** `GET /api/applications/{id}/results`: the combined result package (一窗出件). */
export interface ResultPackage {
  applicationId: string;
  number: string;
  bundleName: Text | null;
  progress: ApplicationProgress;
  complete: boolean;
  issuedAt: string | null;
  /** The result notice (办结通知书) once every item is final. */
  notice?: { id: string; number: string } | null;
  items: ResultItem[];
}

/** What an action may carry. */
export interface ActionBody {
  note?: string;
  reasons?: string[];
  result?: Record<string, unknown>;
  kind?: SuspensionKind;
  days?: number;
}

function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const caseUrl = (id: string) => `/api/cases/${encodeURIComponent(id)}`;
const applicationUrl = (id: string) => `/api/applications/${encodeURIComponent(id)}`;

/** `GET /api/cases`: the caller's queue, earliest due first. */
export function listCases(query: CaseQuery, lang: Lang, signal?: AbortSignal): Promise<CaseList> {
  return apiRequest(`/api/cases${queryString(query)}`, { lang, signal });
}

/** `GET /api/cases/{id}`. */
export function fetchCase(id: string, lang: Lang, signal?: AbortSignal): Promise<CaseDetail> {
  return apiRequest(caseUrl(id), { lang, signal });
}

/** Where a file of a material this case uses downloads from (the session cookie goes along). */
export function caseUploadUrl(id: string, uploadId: string): string {
  return `${caseUrl(id)}/uploads/${encodeURIComponent(uploadId)}`;
}

/**
 * `GET /api/cases/{id}/materials/{material}/licences/{licenceId}`: opens the licence attached in
 * place of a material; the server logs each opening for the holder to see.
 */
export function openAttachedLicence(
  id: string,
  material: string,
  licenceId: string,
  lang: Lang,
): Promise<AttachedLicence> {
  return apiRequest(
    `${caseUrl(id)}/materials/${encodeURIComponent(material)}/licences/${encodeURIComponent(licenceId)}`,
    { lang },
  );
}

/** `POST /api/cases/{id}/{action}`: replies with the case as it now stands. */
export function actOnCase(
  id: string,
  action: CaseAction,
  body: ActionBody,
  lang: Lang,
): Promise<CaseView> {
  return apiRequest(`${caseUrl(id)}/${action}`, { method: 'POST', body, lang });
}

/** `GET /api/cases/board`: the supervision board (supervisors, administrators). */
export function fetchBoard(lang: Lang, signal?: AbortSignal): Promise<Board> {
  return apiRequest('/api/cases/board', { lang, signal });
}

/** `GET /api/applications/{id}/timeline`. */
export function fetchTimeline(id: string, lang: Lang, signal?: AbortSignal): Promise<Timeline> {
  return apiRequest(`${applicationUrl(id)}/timeline`, { lang, signal });
}

/** `GET /api/applications/{id}/results`. */
export function fetchResults(id: string, lang: Lang, signal?: AbortSignal): Promise<ResultPackage> {
  return apiRequest(`${applicationUrl(id)}/results`, { lang, signal });
}

/** `GET /api/departments`: the departments, for the supervisor's filter. */
export async function fetchDepartments(
  lang: Lang,
  signal?: AbortSignal,
): Promise<{ code: string; name: Text }[]> {
  const reply = await apiRequest<{
    departments: { code: string; nameZh: string; nameEn: string }[];
  }>('/api/departments', { lang, signal });
  return reply.departments.map((d) => ({ code: d.code, name: { zh: d.nameZh, en: d.nameEn } }));
}
