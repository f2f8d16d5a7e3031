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
