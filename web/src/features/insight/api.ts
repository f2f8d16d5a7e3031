import type { Lang, Text } from '../../shell/i18n';
import { apiRequest } from '../platform/api';
import type { Cadence, ReportStatus, TaskState, Warning } from '../../../../src/insight/ledger';

export type { Cadence, ReportStatus, TaskState, Warning };

const BASE = '/api/insight/ledger';

/** Counts of one group on the board. */
export interface BoardCounts {
  total: number;
  done: number;
  overdue: number;
  dueSoon: number;
  unreported: number;
}

/** `GET /api/insight/ledger/board`. */
export interface Board {
  today: string;
  documents: (BoardCounts & {
    key: string;
    letter: string | null;
    title: string;
    number: string | null;
    regionCode: string;
  })[];
  units: (BoardCounts & {
    unit: string;
    departmentCode: string | null;
    departmentName: Text | null;
  })[];
}

/** A deadline as the document writes it. */
export interface DeadlineView {
  kind: 'month' | 'year' | 'ongoing';
  phrase: string;
  date: string | null;
}

/** A task as the list shows it. */
export interface TaskSummary {
  id: string;
  documentKey: string;
  regionCode: string;
  path: string[];
  headings: string[];
  title: string;
  text: string;
  leadUnits: string[];
  responsibleUnits: string[];
  deadlines: DeadlineView[];
  dueOn: string | null;
  targets: string[];
  state: TaskState;
  doneAt: string | null;
  doneNote: string | null;
  lastPeriod: string | null;
  lastStatus: ReportStatus | null;
  lastPercent: number | null;
  lastReportedAt: string | null;
  version: number;
  warnings: Warning[];
  cadence: Cadence;
}

/** A progress report. */
export interface ReportView {
  id: string;
  unitName: string;
  departmentCode: string | null;
  period: string;
  status: ReportStatus;
  percent: number;
  note: string;
  evidence: { text: string; links: string[] };
  reportedAt: string;
  revision: number;
  reporter: string;
}

/** `GET /api/insight/ledger/tasks/{id}`. */
export interface TaskDetail extends TaskSummary {
  document: { key: string; letter: string | null; title: string; number: string | null };
  units: {
    name: string;
    role: 'lead' | 'responsible';
    departmentCode: string | null;
    departmentName: Text | null;
  }[];
  reports: ReportView[];
  currentPeriod: string;
  /** What the caller may do: report for these units; supervise (tick off / reopen) at all; now. */
  can: { report: string[]; supervise: boolean; tickOff: boolean; reopen: boolean };
}

/** The list's filters. */
export interface TaskQuery {
  document?: string;
  unit?: string;
  department?: string;
  state?: TaskState;
  warning?: Warning;
  q?: string;
  /** Only the tasks of the units the caller's department reports for. */
  mine?: boolean;
  limit?: number;
  offset?: number;
}

/** A document the ledger tracks. */
export interface LedgerDocument {
  key: string;
  letter: string | null;
  title: string;
  number: string | null;
}

/** What a unit's staff send. */
export interface ProgressInput {
  unit?: string;
  period?: string;
  status: ReportStatus;
  percent: number;
  note: string;
  evidence?: { text?: string; links?: string[] };
}

function search(query: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** `GET …/board`: counts per document and per unit. */
export function fetchBoard(lang: Lang, signal?: AbortSignal): Promise<Board> {
  return apiRequest<Board>(`${BASE}/board`, { lang, signal });
}

/** `GET …/documents`. */
export async function fetchDocuments(lang: Lang, signal?: AbortSignal): Promise<LedgerDocument[]> {
  return (await apiRequest<{ items: LedgerDocument[] }>(`${BASE}/documents`, { lang, signal }))
    .items;
}

/** `GET …/tasks`: a page of tasks. */
export function fetchTasks(
  query: TaskQuery,
  lang: Lang,
  signal?: AbortSignal,
): Promise<{ total: number; today: string; items: TaskSummary[] }> {
  return apiRequest(`${BASE}/tasks${search({ ...query })}`, { lang, signal });
}

/** `GET …/tasks/{id}`. */
export function fetchTask(id: string, lang: Lang, signal?: AbortSignal): Promise<TaskDetail> {
  return apiRequest<TaskDetail>(`${BASE}/tasks/${encodeURIComponent(id)}`, { lang, signal });
}

/** `POST …/tasks/{id}/progress`, with an idempotency key so a retried click reports once. */
export function reportProgress(id: string, input: ProgressInput, key: string, lang: Lang) {
  return apiRequest(`${BASE}/tasks/${encodeURIComponent(id)}/progress`, {
    method: 'POST',
    body: input,
    lang,
    headers: { 'Idempotency-Key': key },
  });
}

/** `POST …/tasks/{id}/tick-off` or `…/reopen`. */
export function decideTask(
  id: string,
  action: 'tick-off' | 'reopen',
  input: { note: string; version: number },
  lang: Lang,
) {
  return apiRequest(`${BASE}/tasks/${encodeURIComponent(id)}/${action}`, {
    method: 'POST',
    body: input,
    lang,
  });
}

/** Where the Excel export of the (filtered) ledger downloads from. */
export function exportUrl(query: TaskQuery = {}): string {
  return `${BASE}/export${search({ ...query, limit: undefined, offset: undefined })}`;
}

// ---- The cockpit's figures (/api/insight/definitions, indicators, panels, records, warnings) ----

const INSIGHT = '/api/insight';

/** What one indicator is: name, formula, source, unit and the documents' target. */
export interface IndicatorDefinition {
  key: string;
  name: Text;
  formula: Text;
  source: Text;
  unit: Text;
  target?: { value: number; text: Text };
}

/** The applications' and tickets' figures of a period; rates in % with one decimal, or null. */
export interface IndicatorFigures {
  submitted: number;
  completed: number;
  onTimeRate: number | null;
  onlineRate: number | null;
  easyRate: number | null;
  averageHours: number | null;
  p90Hours: number | null;
  savedSteps: number;
  savedMaterials: number;
  savedVisits: number;
  ticketsClosed: number;
  ticketOnTimeRate: number | null;
  ticketSatisfactionRate: number | null;
}

/** `GET /api/insight/indicators`. */
export interface Indicators {
  region: string;
  from: string;
  to: string;
  /** When the figures were computed (a server keeps them a few seconds). */
  asOf: string;
  figures: IndicatorFigures;
  byBundle: (IndicatorFigures & {
    bundleCode: string;
    name?: Text | null;
    /** The bundle's committed limit in hours, when it states one. */
    committedHours?: number | null;
  })[];
  byRegion: (IndicatorFigures & { regionCode: string })[];
  byDay: { day: string; submitted: number; completed: number }[];
  /** The top ticket categories of the period. */
  hotTopics?: { categoryCode: string; name: Text | null; closed: number }[];
}

/** `GET /api/insight/panels`: evaluations, certificate-free, policies, supervision, departments. */
export interface Panels {
  region: string;
  from: string;
  to: string;
  /** When the figures were computed. */
  asOf: string;
  evaluations: {
    rated: number;
    satisfied: number;
    satisfactionRate: number | null;
    bad: number;
    badRate: number | null;
    rectifications: number;
    rectifiedOnTime: number;
    rectificationOnTimeRate: number | null;
  };
  certificateFree: { scenarios: number; target: number };
  policies: {
    matches: number;
    matchedSubjects: number;
    grants: number;
    paid: number;
    paidOnTime: number;
    paidOnTimeRate: number | null;
    amountPaid: number;
  };
  supervision: {
    inspections: number;
    enterprises: number;
    perEnterprise: number | null;
    published: number;
    publishedOnTime: number;
    publishedOnTimeRate: number | null;
    plansDrawn: number;
    /** Plans drawn (and published) before their first day ÷ plans drawn. */
    drawsOnTimeRate: number | null;
  };
  /** Ranked best first. */
  departments: {
    departmentCode: string;
    name: Text;
    cases: number;
    casesOnTime: number;
    onTimeRate: number | null;
    rated: number;
    satisfactionRate: number | null;
    bad: number;
  }[];
  /** The items with the most cases finished in the period (at most 20). */
  items: {
    itemCode: string;
    name: Text;
    cases: number;
    casesOnTime: number;
    onTimeRate: number | null;
  }[];
}

/** One record behind a figure. */
export interface IndicatorRecord {
  id: string;
  number: string;
  title: Text;
  regionCode: string;
  departmentCode: string | null;
  at: string;
  /** Whether the record counts toward the figure's rate (on time → true, late → false). */
  good: boolean | null;
  note: Text | null;
  /** A web path that shows the record, or null. */
  link: string | null;
}

/** `GET /api/insight/records`. */
export interface IndicatorRecords {
  indicator: string;
  total: number;
  items: IndicatorRecord[];
}

/** The kinds of warnings the cockpit lists. */
export type WarningKind =
  | 'case_overdue'
  | 'ticket_overdue'
  | 'rectification_overdue'
  | 'grant_overdue'
  | 'inspection_unpublished'
  | 'ledger_overdue';

/** `GET /api/insight/warnings`: what needs attention now, most overdue first. */
export interface CockpitWarnings {
  counts: Partial<Record<WarningKind, number>> & Record<string, number>;
  items: {
    kind: WarningKind | string;
    id: string;
    number: string;
    title: Text;
    regionCode: string;
    departmentCode: string | null;
    dueAt: string;
    link: string | null;
  }[];
}

/** A period and region as the cockpit's endpoints take them. */
export interface CockpitQuery {
  from: string;
  to: string;
  region?: string;
}

/** `GET /api/insight/definitions`. */
export async function fetchDefinitions(
  lang: Lang,
  signal?: AbortSignal,
): Promise<IndicatorDefinition[]> {
  return (
    await apiRequest<{ items: IndicatorDefinition[] }>(`${INSIGHT}/definitions`, {
      lang,
      signal,
    })
  ).items;
}

/** `GET /api/insight/indicators`. */
export function fetchIndicators(
  query: CockpitQuery,
  lang: Lang,
  signal?: AbortSignal,
): Promise<Indicators> {
  return apiRequest<Indicators>(`${INSIGHT}/indicators${search({ ...query })}`, { lang, signal });
}

/** `GET /api/insight/panels`. */
export function fetchPanels(
  query: CockpitQuery,
  lang: Lang,
  signal?: AbortSignal,
): Promise<Panels> {
  return apiRequest<Panels>(`${INSIGHT}/panels${search({ ...query })}`, { lang, signal });
}

/** `GET /api/insight/records`: a page of the records behind one indicator. */
export function fetchRecords(
  query: CockpitQuery & { indicator: string; limit?: number; offset?: number },
  lang: Lang,
  signal?: AbortSignal,
): Promise<IndicatorRecords> {
  return apiRequest<IndicatorRecords>(`${INSIGHT}/records${search({ ...query })}`, {
    lang,
    signal,
  });
}

/** `GET /api/insight/warnings`. */
export function fetchWarnings(
  query: { region?: string },
  lang: Lang,
  signal?: AbortSignal,
): Promise<CockpitWarnings> {
  return apiRequest<CockpitWarnings>(`${INSIGHT}/warnings${search({ ...query })}`, {
    lang,
    signal,
  });
}
