import type { Lang, Text } from '../../shell/i18n';
import { apiRequest } from './api';

// The audit review over HTTP (src/platform/audit/routes.ts).

/** Who did it, as the log names them; null for the platform itself. */
export interface AuditActor {
  id: string | null;
  username: string | null;
  displayName: string | null;
  /** The role they acted in. */
  role: string | null;
}

/** One entry of the audit log. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: AuditActor | null;
  action: string;
  objectType: string;
  objectId: string | null;
  ip: string | null;
  requestId: string | null;
  detail: Record<string, unknown>;
  lane: number;
  laneSeq: number;
  hash: string;
}

/** One page of entries, newest first. */
export interface AuditPage {
  entries: AuditEntry[];
  /** `before` of the next page; null on the last one. */
  nextBefore: number | null;
  masked: boolean;
}

/** What the list is filtered on; `action` ending in a dot is a prefix (`auth.`). */
export interface AuditQuery {
  action?: string;
  objectType?: string;
  objectId?: string;
  actorUsername?: string;
  from?: string;
  to?: string;
  before?: number;
  limit?: number;
}

/**
 * An action in the log with its label and its entries counted up to a cap (`capped`: more than
 * that).
 */
export interface AuditActionCount {
  action: string;
  label: Text;
  count: number;
  capped: boolean;
}

/** Where a lane's chain broke. */
export interface AuditBreak {
  lane: number;
  laneSeq: number;
  reason: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch';
}

/** The result of checking every lane of the log. */
export interface AuditVerification {
  ok: boolean;
  entries: number;
  heads: { lane: number; laneSeq: number; hash: string }[];
  headHash: string | null;
  break: AuditBreak | null;
  checkedAt: string;
  durationMs: number;
}

/** `GET /api/audit`: a page of the log. */
export function fetchAudit(
  query: AuditQuery,
  lang: Lang,
  signal?: AbortSignal,
): Promise<AuditPage> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  return apiRequest<AuditPage>(`/api/audit?${params}`, { lang, signal });
}

/** `GET /api/audit/actions`: the actions for the filter. */
export async function fetchAuditActions(
  lang: Lang,
  signal?: AbortSignal,
): Promise<AuditActionCount[]> {
  const reply = await apiRequest<{ actions: AuditActionCount[] }>('/api/audit/actions', {
    lang,
    signal,
  });
  return reply.actions;
}

/** `POST /api/audit/verification`: checks every chain (administrators). */
export function verifyAudit(lang: Lang): Promise<AuditVerification> {
  return apiRequest<AuditVerification>('/api/audit/verification', { method: 'POST', lang });
}
