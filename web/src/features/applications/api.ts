import type { Lang, Text } from '../../shell/i18n';
import { apiRequest } from '../platform/api';
import type { Answers } from '../catalog/api';
import type { Guide } from '../bundles/api';
import type { MATERIAL_PROVISIONS } from '../../../../src/bundles/codes';

/** Where an application stands. */
export type ApplicationStatus =
  'draft' | 'submitted' | 'correction' | 'accepted' | 'refused' | 'withdrawn';

/** How it came in: online by the applicant, or at the window (帮办代办). */
export type Channel = 'online' | 'window';

/** Who applies. */
export interface Applicant {
  kind: 'person' | 'enterprise';
  name: string;
  identifier: string;
  mobile?: string | null;
}

/** How the applicant agreed to a clerk applying on their behalf. */
export interface Consent {
  method: string;
  reference: string;
}

/** One uploaded file of a material. */
export interface Upload {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedAt: string;
}

/** What the government already holds that stands in for a material (免提交). */
export interface WaivedSource {
  kind: 'licence' | 'shared-data' | 'item-result';
  /** Licence type name (营业执照), shared-data source name or item code. */
  name: string;
  label: Text;
  /** The licence attached, when the source is one (or an item result that issued one). */
  licence: null | { id: string; identifier: string; validUntil: string | null };
}

/** How a material is waived: the sources attached in its place. */
export interface Waiver {
  sources: WaivedSource[];
}

/** A material of the application: what the guide asks for, and what has been handed in. */
export interface ApplicationMaterial {
  key: string;
  name: Text;
  provision: keyof typeof MATERIAL_PROVISIONS;
  /** provision result: the member whose result provides it. */
  from?: string;
  required: boolean;
  deficiencyAllowed: boolean;
  pledgeAllowed: boolean;
  pledged: boolean;
  /** Attached from what the government holds (免提交): nothing to upload. */
  waived: Waiver | null;
  uploads: Upload[];
}

/** Something still missing before the application can be submitted. */
export interface MissingProblem {
  path: string;
  rule: string;
  message: Text | string;
}

/** A notice issued for the application (受理/补正/不予受理告知书). */
export interface NoticeRef {
  id: string;
  kind: 'acceptance' | 'correction' | 'refusal' | string;
  number: string;
  issuedAt: string;
}

/** One step in the application's history. */
export interface ApplicationEvent {
  at: string;
  action: string;
  actorName: string | null;
  actorRole: string | null;
  note: string | null;
}

/** One item of a correction request: a material or a field, and what to do. */
export interface CorrectionItem {
  material?: string;
  field?: string;
  note: string;
}

/** An application (申请) of a bundle, as `GET /api/applications/{id}` returns it. */
export interface Application {
  id: string;
  number: string;
  bundle: { code: string; version: number; name: Text };
  status: ApplicationStatus;
  channel: Channel;
  applicant: Applicant;
  assisted: null | { clerkId: string; clerkName: string; consent: Consent };
  answers: Answers;
  data: Record<string, unknown>;
  pledges: string[];
  guide: Guide;
  materials: ApplicationMaterial[];
  missing: MissingProblem[];
  submittedAt: string | null;
  acceptedAt: string | null;
  decidedAt: string | null;
  expectedBy: string | null;
  /** Once accepted: where the departments' cases stand, taken together. */
  progress?: {
    status: 'not_started' | 'in_progress' | 'completed' | 'denied' | 'withdrawn';
    expectedBy: string | null;
  } | null;
  deficiency: null | { materials: string[]; dueDate: string; note?: string | null };
  correction: null | { requestedAt: string; items: CorrectionItem[]; note?: string | null };
  refusal: null | { reason: string; legalBasis: string };
  notices: NoticeRef[];
  events: ApplicationEvent[];
  publicToken: string;
  /** What the caller may do next (update, upload, submit, withdraw, accept, …). */
  actions?: string[];
  createdAt?: string;
  updatedAt?: string;
}

/** An application in a list. */
export interface ApplicationSummary {
  id: string;
  number: string;
  bundle: { code: string; version?: number; name: Text };
  status: ApplicationStatus;
  channel: Channel;
  applicant: Pick<Applicant, 'kind' | 'name'> & Partial<Applicant>;
  submittedAt?: string | null;
  expectedBy?: string | null;
  createdAt?: string;
  updatedAt?: string;
}

/** `GET /api/applications`. */
export interface ApplicationList {
  applications: ApplicationSummary[];
  total: number;
}

/** A notice as printed (`GET /api/applications/{id}/notices/{noticeId}`). */
export interface Notice {
  id: string;
  kind: string;
  number: string;
  title: Text;
  issuedAt: string;
  issuer: { department: Text | string; name: Text | string };
  application: {
    id?: string;
    number: string;
    bundle?: { code: string; name: Text };
    bundleName?: Text;
    applicantName: string;
    /** Masked by the server. */
    applicantIdentifier: string;
  };
  facts: Record<string, unknown>;
  statusPath: string;
}

/** What the public may see of an application (`GET /api/public/applications/{token}`). */
export interface PublicStatus {
  number: string;
  bundle?: { code: string; name: Text };
  bundleName?: Text;
  status: ApplicationStatus;
  applicantName?: string;
  submittedAt?: string | null;
  acceptedAt?: string | null;
  decidedAt?: string | null;
  expectedBy?: string | null;
  events?: { at: string; action: string; label?: Text; note?: string | null }[];
  items?: { name: Text; department?: Text; departmentName?: Text; status?: string }[];
}

/** What the platform already knows of the applicant (`GET /api/applications/prefill`). */
export interface Prefill {
  applicant: Applicant | null;
  data: Record<string, unknown>;
}

/** The query of `GET /api/applications`. */
export interface ApplicationQuery {
  status?: ApplicationStatus;
  bundle?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A random UUID; `crypto.randomUUID` exists only in secure contexts, so fall back to v4 by hand. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const application = (id: string) => `/api/applications/${encodeURIComponent(id)}`;

/** `GET /api/applications`: the caller's own (applicants) or the window's queue (clerks). */
export async function listApplications(
  query: ApplicationQuery,
  lang: Lang,
  signal?: AbortSignal,
): Promise<ApplicationList> {
  const reply = await apiRequest<{
    applications?: ApplicationSummary[];
    items?: ApplicationSummary[];
    total: number;
  }>(`/api/applications${queryString(query)}`, { lang, signal });
  return { applications: reply.applications ?? reply.items ?? [], total: reply.total };
}

/** `GET /api/applications/{id}`. */
export function fetchApplication(
  id: string,
  lang: Lang,
  signal?: AbortSignal,
): Promise<Application> {
  return apiRequest(application(id), { lang, signal });
}

/** `GET /api/applications/prefill?bundle=`: the applicant and data the platform already holds. */
export function fetchPrefill(bundle: string, lang: Lang, signal?: AbortSignal): Promise<Prefill> {
  return apiRequest(`/api/applications/prefill${queryString({ bundle })}`, { lang, signal });
}

/** What a new application may carry. */
export interface NewApplication {
  bundleCode: string;
  answers?: Answers;
  data?: Record<string, unknown>;
  pledges?: string[];
  submit?: boolean;
  applicant?: Applicant;
  consent?: Consent;
}

/** `POST /api/applications`; the same key answers a repeated request with the same application. */
export function createApplication(
  body: NewApplication,
  idempotencyKey: string,
  lang: Lang,
): Promise<Application> {
  return apiRequest('/api/applications', {
    method: 'POST',
    body,
    lang,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

/** `PUT /api/applications/{id}`: saves answers, form data and pledges of a draft or correction. */
export function saveApplication(
  id: string,
  body: { answers: Answers; data: Record<string, unknown>; pledges: string[] },
  lang: Lang,
): Promise<Application> {
  return apiRequest(application(id), { method: 'PUT', body, lang });
}

/** `POST /api/applications/{id}/materials`: one file for one material. */
export function uploadMaterial(
  id: string,
  material: string,
  file: File,
  lang: Lang,
): Promise<unknown> {
  const body = new FormData();
  body.append('material', material);
  body.append('file', file, file.name);
  return apiRequest(`${application(id)}/materials`, { method: 'POST', body, lang });
}

/** `DELETE /api/applications/{id}/materials/{uploadId}`. */
export function deleteUpload(id: string, uploadId: string, lang: Lang): Promise<unknown> {
  return apiRequest(`${application(id)}/materials/${encodeURIComponent(uploadId)}`, {
    method: 'DELETE',
    lang,
  });
}

/** Where an uploaded file downloads from (the session cookie goes along). */
export function uploadUrl(id: string, uploadId: string): string {
  return `${application(id)}/materials/${encodeURIComponent(uploadId)}`;
}

/** `POST /api/applications/{id}/submit`. */
export function submitApplication(
  id: string,
  idempotencyKey: string,
  lang: Lang,
): Promise<Application> {
  return apiRequest(`${application(id)}/submit`, {
    method: 'POST',
    lang,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

/** `POST /api/applications/{id}/withdraw`. */
export function withdrawApplication(id: string, lang: Lang): Promise<Application> {
  return apiRequest(`${application(id)}/withdraw`, { method: 'POST', lang });
}

/** The clerk's decisions at intake. */
export type IntakeAction =
  | { kind: 'accept' }
  | { kind: 'accept-with-deficiency'; materials: string[]; dueDate: string; note?: string }
  | { kind: 'correction'; items: CorrectionItem[]; note?: string }
  | { kind: 'refuse'; reason: string; legalBasis: string };

/** `POST /api/applications/{id}/accept | accept-with-deficiency | correction | refuse` (clerks). */
export function decideIntake(
  id: string,
  action: IntakeAction,
  idempotencyKey: string,
  lang: Lang,
): Promise<Application> {
  const { kind, ...body } = action;
  return apiRequest(`${application(id)}/${kind}`, {
    method: 'POST',
    body: kind === 'accept' ? undefined : body,
    lang,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

/** `GET /api/applications/{id}/notices/{noticeId}`. */
export function fetchNotice(
  id: string,
  noticeId: string,
  lang: Lang,
  signal?: AbortSignal,
): Promise<Notice> {
  return apiRequest(`${application(id)}/notices/${encodeURIComponent(noticeId)}`, {
    lang,
    signal,
  });
}

/** `GET /api/public/applications/{token}`: no sign-in needed. */
export function fetchPublicStatus(
  token: string,
  lang: Lang,
  signal?: AbortSignal,
): Promise<PublicStatus> {
  return apiRequest(`/api/public/applications/${encodeURIComponent(token)}`, { lang, signal });
}
