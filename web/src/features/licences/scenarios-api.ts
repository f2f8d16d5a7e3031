import type { Lang, Text } from '../../shell/i18n';
import { apiRequest } from '../platform/api';
import type { HolderKind } from '../../../../src/licences/codes';

// The certificate-free scenarios (无证明场景) and the shared-data sources (共享数据源) over HTTP
// (src/licences/scenarios.ts, src/licences/shared-data.ts).

/** Why a material cannot be waived for the typical applicant. */
export type BlockReason =
  | 'no-source'
  | 'licence-not-issued'
  | 'licence-holder-kind'
  | 'data-unknown'
  | 'data-not-connected'
  | 'data-subject-kind'
  | 'item-not-in-catalog';

/** A material that keeps a scenario from being certificate-free, and why. */
export interface Blocker {
  material: { key: string; name: Text };
  reason: BlockReason;
  message: Text;
  source?: { kind: 'licence' | 'shared-data' | 'item-result'; name: string };
  /** In a bundle, the member item whose sources fall short. */
  item?: { code: string; name: Text };
}

/** One item or bundle for one kind of applicant. */
export interface Scenario {
  kind: 'item' | 'bundle';
  code: string;
  name: Text;
  applicantKind: HolderKind;
  free: boolean;
  materials: { asked: number; waivable: number };
  blockers: Blocker[];
}

/** The count against the seeds' target (≥ 20, B26). */
export interface ScenarioTotals {
  free: number;
  total: number;
  target: number;
  targetMet: boolean;
  items: { free: number; total: number };
  bundles: { free: number; total: number };
}

/** A shared-data source as staff see it. */
export interface SharedDataSource {
  name: string;
  nameEn: string;
  label: Text;
  department: { code: string; name: Text };
  subjectKinds: HolderKind[];
  connected: boolean;
  note: string | null;
  /** How many materials of the published catalog name it. */
  materials: number;
  updatedAt: string;
}

/** `GET /api/licences/certificate-free`: the scenarios, certificate-free first, with the totals. */
export function fetchScenarios(
  lang: Lang,
  signal?: AbortSignal,
): Promise<{ totals: ScenarioTotals; scenarios: Scenario[] }> {
  return apiRequest('/api/licences/certificate-free', { lang, signal });
}

/** `GET /api/shared-data`: every shared-data source. */
export async function fetchSharedData(
  lang: Lang,
  signal?: AbortSignal,
): Promise<SharedDataSource[]> {
  const reply = await apiRequest<{ items: SharedDataSource[] }>('/api/shared-data', {
    lang,
    signal,
  });
  return reply.items;
}

/** `PUT /api/shared-data/{name}`: marks a source connected or not (administrators). */
export function updateSharedData(
  name: string,
  body: { connected: boolean; note?: string | null },
  lang: Lang,
): Promise<SharedDataSource> {
  return apiRequest<SharedDataSource>(`/api/shared-data/${encodeURIComponent(name)}`, {
    method: 'PUT',
    body,
    lang,
  });
}
