import type { Lang, Text } from '../../shell/i18n';
import { apiRequest } from '../platform/api';
import type { Answers } from '../catalog/api';
import type { TimeLimit } from '../catalog/content';
// The server's own types (src/bundles), so the two sides cannot drift apart. model.ts is read for
// its types only: its code imports the catalog, which the browser does not load.
import type {
  BundleContent,
  BundleMaterial,
  BundleSituation,
  Commitment,
} from '../../../../src/bundles/schema';
import type { BUNDLE_CLUSTERS, INTAKE_MODES } from '../../../../src/bundles/codes';
import type {
  BundleProblem,
  Guide as ServerGuide,
  GuideItem as ServerGuideItem,
} from '../../../../src/bundles/model';

export type { Answers, BundleContent, BundleMaterial, BundleProblem, BundleSituation, Commitment };

/** 民事 / 企事 / 政事. */
export type Cluster = keyof typeof BUNDLE_CLUSTERS;
/** How applications of a bundle are taken in. */
export type IntakeMode = keyof typeof INTAKE_MODES;

/** One published bundle in the hall's list (`GET /api/bundles`). */
export interface BundleSummary {
  code: string;
  name: Text;
  summary: Text;
  cluster: Cluster;
  lifeEvent: Text;
  audience: ('person' | 'enterprise')[];
  leadDepartment: string;
  leadDepartmentName: Text;
  commitment: Commitment;
  intake: IntakeMode;
  memberCount: number;
  version: number;
  publishedAt: string | null;
}

/** `GET /api/bundles`. */
export interface BundleList {
  bundles: BundleSummary[];
  total: number;
}

/** The status of one version of a bundle. */
export type BundleStatus = 'draft' | 'published' | 'superseded';

/** A member item with its names resolved. */
export interface BundleMember {
  key: string;
  item: string;
  name: Text;
  department: string;
  departmentName: Text;
  committedLimit: TimeLimit;
}

/** `GET /api/bundles/{code}`: one version with its members and the static checks' findings. */
export interface BundleVersion {
  code: string;
  version: number;
  status: BundleStatus;
  publishedAt: string | null;
  content: BundleContent;
  members: BundleMember[];
  problems: BundleProblem[];
}

/** A member item on the guide, with its department's name. */
export type GuideItem = ServerGuideItem & { departmentName?: Text };

/** What applies to one applicant (`POST /api/bundles/{code}/guide`). */
export type Guide = Omit<ServerGuide, 'items'> & { items: GuideItem[] };

/** The guide as the API returns it: which bundle version, and when it would be done. */
export type BundleGuide = Guide & {
  bundle: { code: string; version: number; name: Text };
  /** When the results are expected if the application were accepted now; null when unknown. */
  expectedBy: string | null;
};

/** A draft waiting to be published (`GET /api/bundles/drafts`). */
export interface BundleDraft {
  code: string;
  name: Text;
  version: number;
  basedOn?: number | null;
  /** How many errors the static checks found in the draft when it was saved. */
  errors?: number;
  createdAt?: string;
  createdByName?: string | null;
}

/** One version in a bundle's history. */
export interface BundleVersionInfo {
  version: number;
  status: BundleStatus;
  createdAt?: string;
  publishedAt?: string | null;
  createdByName?: string | null;
  publishedByName?: string | null;
  problems?: BundleProblem[];
}

/** What saving a draft returns. */
export interface SavedBundle {
  code: string;
  version: number;
  problems?: BundleProblem[];
}

/** The query of `GET /api/bundles`. */
export interface BundleQuery {
  q?: string;
  cluster?: Cluster;
  audience?: 'person' | 'enterprise';
}

function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const bundle = (code: string) => `/api/bundles/${encodeURIComponent(code)}`;

/** `GET /api/bundles`: the published bundles. */
export function listBundles(
  query: BundleQuery,
  lang: Lang,
  signal?: AbortSignal,
): Promise<BundleList> {
  return apiRequest(`/api/bundles${queryString(query)}`, { lang, signal });
}

/** `GET /api/bundles/{code}`: the published version, or version N (drafts: administrators). */
export function fetchBundle(
  code: string,
  lang: Lang,
  options: { version?: number; signal?: AbortSignal } = {},
): Promise<BundleVersion> {
  return apiRequest(`${bundle(code)}${queryString({ version: options.version })}`, {
    lang,
    signal: options.signal,
  });
}

/** `POST /api/bundles/{code}/guide`: what applies for these answers. */
export function fetchGuide(
  code: string,
  answers: Answers,
  lang: Lang,
  signal?: AbortSignal,
): Promise<BundleGuide> {
  return apiRequest(`${bundle(code)}/guide`, {
    method: 'POST',
    body: { answers },
    lang,
    signal,
  });
}

/** A list the server may send bare or wrapped in an object under `key`. */
function listOf<T>(reply: unknown, key: string): T[] {
  if (Array.isArray(reply)) return reply as T[];
  const inner = (reply as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}

/** `GET /api/bundles/drafts` (administrators). */
export async function listBundleDrafts(lang: Lang, signal?: AbortSignal): Promise<BundleDraft[]> {
  return listOf<BundleDraft>(await apiRequest('/api/bundles/drafts', { lang, signal }), 'drafts');
}

/** `GET /api/bundles/{code}/versions` (administrators). */
export async function listBundleVersions(
  code: string,
  lang: Lang,
  signal?: AbortSignal,
): Promise<BundleVersionInfo[]> {
  return listOf<BundleVersionInfo>(
    await apiRequest(`${bundle(code)}/versions`, { lang, signal }),
    'versions',
  );
}

/** `POST /api/bundles/check` (administrators): the static checks of any content. */
export async function checkBundle(
  content: unknown,
  lang: Lang,
  signal?: AbortSignal,
): Promise<BundleProblem[]> {
  const reply = await apiRequest<{ problems: BundleProblem[] }>('/api/bundles/check', {
    method: 'POST',
    body: { content },
    lang,
    signal,
  });
  return reply.problems;
}

/** `POST /api/bundles` (administrators): a new bundle, as a draft. */
export function createBundle(content: unknown, lang: Lang): Promise<SavedBundle> {
  return apiRequest('/api/bundles', { method: 'POST', body: { content }, lang });
}

/** `PUT /api/bundles/{code}/draft` (administrators). */
export function saveBundleDraft(code: string, content: unknown, lang: Lang): Promise<SavedBundle> {
  return apiRequest(`${bundle(code)}/draft`, { method: 'PUT', body: { content }, lang });
}

/** `DELETE /api/bundles/{code}/draft` (administrators). */
export function discardBundleDraft(code: string, lang: Lang): Promise<void> {
  return apiRequest(`${bundle(code)}/draft`, { method: 'DELETE', lang });
}

/** `POST /api/bundles/{code}/publish` (administrators); 422 with the problems when it may not. */
export function publishBundle(code: string, lang: Lang): Promise<SavedBundle> {
  return apiRequest(`${bundle(code)}/publish`, { method: 'POST', lang });
}
