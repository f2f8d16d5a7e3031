import type { Lang, Text } from '../../shell/i18n';
import { apiRequest } from '../platform/api';
import type {
  CreditGrade,
  CreditKind,
  CreditRecordState,
  CreditRepairState,
  CreditSeverity,
} from '../../../../src/supervision/credit';

export type { CreditGrade, CreditKind, CreditRepairState, CreditSeverity };

// The supervision API (src/supervision/routes.ts, credit-routes.ts) as the web reads it.

/** A plan's life: written, committed to a seed (hash published), drawn (seed revealed). */
export type PlanState = 'draft' | 'committed' | 'drawn';
export type InspectionState = 'planned' | 'filed' | 'checked_in' | 'finished' | 'published';
export type InspectionResult = 'pass' | 'issues' | 'fail';
export type RiskLevel = 'low' | 'medium' | 'high';
export type UnassignedReason = 'too_few_without_conflict' | 'inspectors_at_capacity';

/** A random-inspection plan as the planner writes it (`PlanInputSchema` in src/supervision/model.ts). */
export interface PlanInput {
  title: string;
  itemCodes: string[];
  regionCode: string;
  filters: { regions?: string[]; industries?: string[]; riskLevels?: RiskLevel[] };
  tierRatios: { A: number; B: number; C: number; D: number };
  inspectorsPerTarget: number;
  maxTasksPerInspector?: number;
  startsOn: string;
  endsOn: string;
}

/** An inspection item (检查事项清单). */
export interface InspectionItem {
  code: string;
  departmentCode: string;
  name: Text;
  legalBasis: string;
  kind: 'key' | 'general';
  /** The largest share of the targets one plan may sample; numeric, may come as a string. */
  maxRatio: number | string;
}

/** What a draw was run on (frozen at commit). */
export interface DrawInputs {
  targets: { id: string; tier: string }[];
  tierRatios: Record<string, number>;
  inspectors: { id: string; departmentCode?: string; conflicts: string[] }[];
  inspectorsPerTarget: number;
  maxTasksPerInspector?: number;
}

/** What a draw gave. */
export interface DrawResult {
  algorithm: string;
  seedHash: string;
  inputsDigest: string;
  selected: { targetId: string; tier: string; inspectorIds: string[] }[];
  perTier: { tier: string; population: number; drawn: number }[];
  unassigned: { targetId: string; tier: string; reason: UnassignedReason; eligible: number }[];
  drawDigest: string;
}

/** A plan as listed (no inputs nor result). */
export interface PlanSummary {
  id: string;
  number: string;
  departmentCode: string;
  regionCode: string;
  title: string;
  itemCodes: string[];
  filters: PlanInput['filters'];
  tierRatios: Record<string, number>;
  inspectorsPerTarget: number;
  maxTasksPerInspector: number | null;
  startsOn: string;
  endsOn: string;
  state: PlanState;
  inputsDigest: string | null;
  seedHash: string | null;
  seed: string | null;
  drawDigest: string | null;
  createdAt: string;
  committedAt: string | null;
  drawnAt: string | null;
}

/** A plan with its frozen inputs and, once drawn, its result. */
export interface PlanView extends PlanSummary {
  inputs: DrawInputs | null;
  result: DrawResult | null;
  summary: { selected: number; unassigned: number; perTier: DrawResult['perTier'] } | null;
  /** Names of the drawn targets and their inspectors, by id. */
  names: { targets: Record<string, string>; inspectors: Record<string, string> } | null;
}

/** What re-running a draw found (`GET /api/supervision/draws/{id}/verify`). */
export interface Verification {
  ok: boolean;
  seedMatchesCommitment: boolean;
  digestMatches: boolean;
  problems: { path: string; rule: string; message: Text | string }[];
  planNumber: string;
  seedHash: string;
  seed: string;
  inputsDigest: string;
  drawDigest: string;
}

/** One inspection (涉企检查). */
export interface InspectionView {
  id: string;
  number: string;
  subject: { id: string; name: string; identifier: string };
  regionCode: string;
  joint: boolean;
  departments: { code: string; name: Text }[];
  items: { code: string; name: Text; departmentCode: string }[];
  /** Not on the public results page. */
  inspectors?: { id: string; name: string }[];
  startsOn: string;
  endsOn: string;
  state: InspectionState;
  stateName: Text;
  scheduledOn: string | null;
  filedAt: string | null;
  checkedInAt: string | null;
  finishedAt: string | null;
  result: InspectionResult | null;
  resultName: Text | null;
  findings: string | null;
  publishDueAt: string | null;
  publishOverdue: boolean;
  publishedAt: string | null;
}

/** One step on an inspection's record (全程留痕). */
export interface InspectionEvent {
  action: string;
  note: string | null;
  actorName: string | null;
  at: string;
}

export interface InspectionDetail extends InspectionView {
  events: InspectionEvent[];
}

export interface Page<T> {
  total: number;
  items: T[];
}

/** A target of the registry (检查对象名录). */
export interface Target {
  subjectId: string;
  name: string;
  identifier: string;
  regionCode: string;
  industry: string | null;
  riskLevel: RiskLevel;
  riskName: Text;
}

/** An inspector of the registry (执法检查人员名录). */
export interface Inspector {
  id: string;
  userId: string | null;
  name: string;
  departmentCode: string;
  regionCode: string;
  certificateNo: string;
  certifiedUntil: string;
  active: boolean;
}

/** The enterprise's check-in code for the inspectors at its door. */
export interface CheckinCode {
  token: string;
  expiresAt: string;
  path: string;
}

/** A credit record (信用记录). */
export interface CreditRecord {
  id: string;
  subjectId: string;
  kind: CreditKind;
  kindName: Text;
  severity: CreditSeverity;
  severityName: Text;
  title: string;
  department: { code: string; name: Text };
  decidedOn: string;
  publishUntil: string;
  repairableFrom: string;
  state: CreditRecordState;
  stateName: Text;
  repairedAt: string | null;
  published: boolean;
  points: number;
}

/** A credit repair application (信用修复申请). */
export interface CreditRepair {
  id: string;
  recordId: string;
  subjectId: string;
  departmentCode: string;
  statement: string;
  state: CreditRepairState;
  stateName: Text;
  dueAt: string;
  overdue: boolean;
  decidedAt: string | null;
  decisionNote: string | null;
  createdAt: string;
}

/** A repair in a department's queue. */
export interface CreditRepairListed extends CreditRepair {
  subjectName: string;
  record: {
    title: string;
    kind: CreditKind;
    kindName: Text;
    severity: CreditSeverity;
    severityName: Text;
  };
}

/** 信用信息公示: an enterprise's grade and its records in publication. */
export interface CreditCard {
  subject: { id: string; name: string; regionCode: string };
  asOf: string;
  score: number;
  grade: CreditGrade;
  records: CreditRecord[];
}

/** The subject's own credit: every record with what it may do, and its repairs. */
export interface MyCredit {
  subject: { id: string; name: string; kind: string };
  asOf: string;
  score: number;
  grade: CreditGrade;
  records: (CreditRecord & { canRepair: boolean; repairRefusal: Text | null })[];
  repairs: CreditRepair[];
}

const BASE = '/api/supervision';

function query(values: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** `GET /api/supervision/items`: every department's inspection items. */
export async function fetchItems(lang: Lang, signal?: AbortSignal): Promise<InspectionItem[]> {
  return (await apiRequest<{ items: InspectionItem[] }>(`${BASE}/items`, { lang, signal })).items;
}

/** `GET /api/supervision/plans`: every plan with its hashes (public). */
export async function fetchPlans(lang: Lang, signal?: AbortSignal): Promise<PlanSummary[]> {
  return (await apiRequest<{ items: PlanSummary[] }>(`${BASE}/plans`, { lang, signal })).items;
}

/** `GET /api/supervision/plans/{id}` (public). */
export function fetchPlan(id: string, lang: Lang, signal?: AbortSignal): Promise<PlanView> {
  return apiRequest(`${BASE}/plans/${encodeURIComponent(id)}`, { lang, signal });
}

/** `POST /api/supervision/plans`. */
export function createPlan(input: PlanInput, lang: Lang): Promise<PlanView> {
  return apiRequest(`${BASE}/plans`, { method: 'POST', body: input, lang });
}

/** `POST /api/supervision/plans/{id}/commit` or `/draw`. */
export function planStep(id: string, step: 'commit' | 'draw', lang: Lang): Promise<PlanView> {
  return apiRequest(`${BASE}/plans/${encodeURIComponent(id)}/${step}`, { method: 'POST', lang });
}

/** `GET /api/supervision/draws/{id}/verify` (public). */
export function verifyDraw(id: string, lang: Lang): Promise<Verification> {
  return apiRequest(`${BASE}/draws/${encodeURIComponent(id)}/verify`, { lang });
}

/** `GET /api/supervision/inspections`: whose depends on who asks. */
export function fetchInspections(
  q: { state?: InspectionState; publishOverdue?: boolean; limit: number; offset: number },
  lang: Lang,
  signal?: AbortSignal,
): Promise<Page<InspectionView>> {
  return apiRequest(`${BASE}/inspections${query(q)}`, { lang, signal });
}

/** `GET /api/supervision/inspections/{id}`. */
export function fetchInspection(
  id: string,
  lang: Lang,
  signal?: AbortSignal,
): Promise<InspectionDetail> {
  return apiRequest(`${BASE}/inspections/${encodeURIComponent(id)}`, { lang, signal });
}

/** `POST /api/supervision/inspections/file` (事前备案). */
export function fileInspection(
  body: { subjectId: string; itemCodes: string[]; scheduledOn: string },
  lang: Lang,
): Promise<InspectionDetail> {
  return apiRequest(`${BASE}/inspections/file`, { method: 'POST', body, lang });
}

/** `POST /api/supervision/inspections/{id}/checkin-code` (the enterprise). */
export function requestCheckinCode(id: string, lang: Lang): Promise<CheckinCode> {
  return apiRequest(`${BASE}/inspections/${encodeURIComponent(id)}/checkin-code`, {
    method: 'POST',
    lang,
  });
}

/** An inspector's step: check in with the code, finish with the result, publish. */
export function inspectionStep(
  id: string,
  step: 'check-in' | 'finish' | 'publish',
  body: unknown,
  lang: Lang,
): Promise<InspectionDetail> {
  return apiRequest(`${BASE}/inspections/${encodeURIComponent(id)}/${step}`, {
    method: 'POST',
    body,
    lang,
  });
}

/** `GET /api/supervision/results` (public, 一公开). */
export function fetchResults(
  q: { limit: number; offset: number },
  lang: Lang,
  signal?: AbortSignal,
): Promise<Page<InspectionView>> {
  return apiRequest(`${BASE}/results${query(q)}`, { lang, signal });
}

/** `GET /api/supervision/credit/subjects/{id}` (public). */
export function fetchCreditCard(
  subjectId: string,
  lang: Lang,
  signal?: AbortSignal,
): Promise<CreditCard> {
  return apiRequest(`${BASE}/credit/subjects/${encodeURIComponent(subjectId)}`, { lang, signal });
}

/** `GET /api/supervision/credit/mine`. */
export function fetchMyCredit(lang: Lang, signal?: AbortSignal): Promise<MyCredit> {
  return apiRequest(`${BASE}/credit/mine`, { lang, signal });
}

/** `POST /api/supervision/credit/repairs`. */
export function applyRepair(
  body: { recordId: string; statement: string },
  lang: Lang,
): Promise<CreditRepair> {
  return apiRequest(`${BASE}/credit/repairs`, { method: 'POST', body, lang });
}

/** `GET /api/supervision/credit/repairs`. */
export function fetchRepairs(
  q: { state?: CreditRepairState; limit: number; offset: number },
  lang: Lang,
  signal?: AbortSignal,
): Promise<Page<CreditRepairListed>> {
  return apiRequest(`${BASE}/credit/repairs${query(q)}`, { lang, signal });
}

/** `POST /api/supervision/credit/repairs/{id}/decide`. */
export function decideRepair(
  id: string,
  body: { approve: boolean; note?: string },
  lang: Lang,
): Promise<CreditRepair> {
  return apiRequest(`${BASE}/credit/repairs/${encodeURIComponent(id)}/decide`, {
    method: 'POST',
    body,
    lang,
  });
}
