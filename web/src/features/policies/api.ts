import type { Lang, Text } from '../../shell/i18n';
import { apiRequest } from '../platform/api';
import type {
  Benefit,
  GrantAction,
  GrantState,
  Mode,
  PolicyInput,
  PolicyState,
} from '../../../../src/policies/model';
import type { Attr, Rule } from '../../../../src/policies/rule';

export type { Attr, Benefit, GrantAction, GrantState, Mode, PolicyInput, PolicyState, Rule };

/** One line of an explanation: a condition or a group, met (✓) or not (✗). */
export interface ExplainLine {
  path: string;
  depth: number;
  kind: 'all' | 'any' | 'not' | 'condition';
  ok: boolean;
  attr?: Attr;
  actual?: Text;
  needed?: Text;
  text: Text;
}

/** Why a subject does or does not meet a policy (the server's `Explanation`). */
export interface Explanation {
  policyId: string;
  matched: boolean;
  nearMiss: boolean;
  failing: string[];
  lines: ExplainLine[];
  summary: Text;
}

/** A policy as readers see it (`PolicyView`). */
export interface PolicyView extends Omit<PolicyInput, 'benefit' | 'validUntil' | 'recheckDays'> {
  id: string;
  benefit: Benefit | null;
  validUntil: string | null;
  recheckDays: number | null;
  payWorkingDays: number;
  applyLink: string | null;
  state: PolicyState;
  version: number;
  department: Text;
  modeName: Text;
  stateName: Text;
  benefitText: Text | null;
  inForce: boolean;
  updatedAt: string;
  publishedAt: string | null;
  matched: number;
  nearMisses: number;
}

/** What 为您推荐 shows: a policy met or missed by one condition, and why. */
export interface Recommendation {
  policy: PolicyView;
  matched: boolean;
  explanation: Explanation;
  amount: number | null;
  grant: { id: string; number: string; state: GrantState; stateName: Text } | null;
}

/** A subject in the preview or a policy's matches. */
export interface MatchedSubject {
  subjectId: string;
  name: string;
  kind: 'person' | 'enterprise';
  identifier: string;
  regionCode: string;
  explanation: Explanation;
}

/** The editor's live preview (`POST /api/policies/preview`). */
export interface Preview {
  asOf: string;
  subjects: number;
  matched: number;
  nearMisses: number;
  tookMs: number;
  sample: MatchedSubject[];
  nearMissSample: MatchedSubject[];
}

/** One stored match of a policy (`GET /api/policies/:code/matches`). */
export interface StoredMatch {
  subjectId: string;
  name: string;
  kind: 'person' | 'enterprise';
  identifier: string;
  regionCode: string;
  summary: Text;
  matchedAt: string;
}

/** A grant (`GrantView`). */
export interface GrantView {
  id: string;
  number: string;
  policy: { code: string; name: Text; mode: Mode; modeName: Text };
  subject: { id: string; name: string; kind: 'person' | 'enterprise'; identifier: string };
  regionCode: string;
  departmentCode: string;
  amount: number | null;
  state: GrantState;
  stateName: Text;
  dueAt: string;
  overdue: boolean;
  confirmedAt: string | null;
  paidAt: string | null;
  paymentRef: string | null;
  note: string | null;
  nextCheckAt: string | null;
  version: number;
  createdAt: string;
}

/** One entry of a grant's ledger (台账). */
export interface LedgerEntry {
  action: string;
  actionName: Text;
  actorName: string | null;
  amount: number | null;
  note: string | null;
  at: string;
}

/** A grant with its ledger (`GET /api/policy-grants/:id`). */
export interface GrantDetail extends GrantView {
  policySummary: Text;
  ledger: LedgerEntry[];
}

const policyUrl = (code: string) => `/api/policies/${encodeURIComponent(code)}`;

/** `GET /api/policies`: published policies (administrators: all of them). */
export async function listPolicies(lang: Lang, signal?: AbortSignal): Promise<PolicyView[]> {
  return (await apiRequest<{ items: PolicyView[] }>('/api/policies', { lang, signal })).items;
}

/** `GET /api/policies/recommended`: 为您推荐 for the signed-in subject. */
export async function fetchRecommended(
  lang: Lang,
  signal?: AbortSignal,
): Promise<Recommendation[]> {
  return (
    await apiRequest<{ items: Recommendation[] }>('/api/policies/recommended', { lang, signal })
  ).items;
}

/** `GET /api/policies/:code`. */
export function fetchPolicy(code: string, lang: Lang, signal?: AbortSignal): Promise<PolicyView> {
  return apiRequest<PolicyView>(policyUrl(code), { lang, signal });
}

/** `POST /api/policies` (a new draft) or `PUT /api/policies/:code` (with its version). */
export function savePolicy(
  input: PolicyInput,
  version: number | null,
  lang: Lang,
): Promise<PolicyView> {
  return version === null
    ? apiRequest<PolicyView>('/api/policies', { method: 'POST', body: input, lang })
    : apiRequest<PolicyView>(policyUrl(input.code), {
        method: 'PUT',
        body: { ...input, version },
        lang,
      });
}

/** `POST /api/policies/:code/publish|withdraw`. */
export function setPolicyState(
  code: string,
  action: 'publish' | 'withdraw',
  lang: Lang,
): Promise<PolicyView> {
  return apiRequest<PolicyView>(`${policyUrl(code)}/${action}`, { method: 'POST', lang });
}

/** `POST /api/policies/preview`: how many subjects a rule matches now, who, and why. */
export function previewRule(rule: Rule, lang: Lang, signal?: AbortSignal): Promise<Preview> {
  return apiRequest<Preview>('/api/policies/preview', {
    method: 'POST',
    body: { rule, limit: 6 },
    lang,
    signal,
  });
}

/** `GET /api/policies/:code/matches`. */
export function listMatches(
  code: string,
  query: { status: 'matched' | 'near_miss'; limit: number; offset: number },
  lang: Lang,
  signal?: AbortSignal,
): Promise<{ total: number; items: StoredMatch[] }> {
  const params = new URLSearchParams({
    status: query.status,
    limit: String(query.limit),
    offset: String(query.offset),
  });
  return apiRequest(`${policyUrl(code)}/matches?${params}`, { lang, signal });
}

/** `GET /api/policy-grants`: the caller's grants, or their department's, region's, all. */
export function listGrants(
  query: { state?: GrantState; overdue?: boolean; limit: number; offset: number },
  lang: Lang,
  signal?: AbortSignal,
): Promise<{ total: number; items: GrantView[] }> {
  const params = new URLSearchParams({ limit: String(query.limit), offset: String(query.offset) });
  if (query.state) params.set('state', query.state);
  if (query.overdue) params.set('overdue', 'true');
  return apiRequest(`/api/policy-grants?${params}`, { lang, signal });
}

/** `GET /api/policy-grants/:id`: one grant with its ledger. */
export function fetchGrant(id: string, lang: Lang, signal?: AbortSignal): Promise<GrantDetail> {
  return apiRequest<GrantDetail>(`/api/policy-grants/${encodeURIComponent(id)}`, {
    lang,
    signal,
  });
}

/** `POST /api/policy-grants/:id/confirm|pay|reject`, with the version the page shows. */
export function actOnGrant(
  id: string,
  action: GrantAction,
  body: { version: number; note?: string; paymentRef?: string },
  lang: Lang,
): Promise<GrantDetail> {
  return apiRequest<GrantDetail>(`/api/policy-grants/${encodeURIComponent(id)}/${action}`, {
    method: 'POST',
    body,
    lang,
  });
}
