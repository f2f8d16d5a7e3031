import type { Lang, Text } from '../../shell/i18n';
import { localeOf, translate } from '../../shell/i18n';
import type { ErrorDetail } from '../platform/api';
import { ApiError, apiRequest } from '../platform/api';

import type {
  Audience,
  FormField,
  ItemContent,
  ItemTypeCode,
  Material,
  TimeLimit,
} from './content';

/** One item in a list or search result. */
export interface ItemSummary {
  code: string;
  name: Text;
  type: ItemTypeCode;
  typeName: Text;
  department: string;
  departmentName: Text;
  audience: Audience[];
  themes: string[];
  committedLimit: TimeLimit;
  visits: number;
  onlineDepth: number;
  version: number;
  publishedAt: string | null;
}

/** `GET /api/catalog/items`. */
export interface ItemList {
  items: ItemSummary[];
  total: number;
}

/** The query of `GET /api/catalog/items`. */
export interface ItemQuery {
  q?: string;
  department?: string;
  type?: string;
  audience?: Audience;
  theme?: string;
  limit?: number;
  offset?: number;
}

/** `GET /api/catalog/facets`: what the hall can be browsed by, with counts. */
export interface Facets {
  themes: {
    name: string;
    count: number;
    audience: Audience[];
    byAudience: Partial<Record<Audience, number>>;
  }[];
  departments: { code: string; name: Text; count: number }[];
  types: { code: ItemTypeCode; name: Text; count: number }[];
}

/** The status of one version of an item. */
export type VersionStatus = 'draft' | 'published' | 'superseded';

/** `GET /api/catalog/items/{code}`: one version of an item with its names resolved. */
export interface ItemVersion {
  item: ItemContent;
  version: number;
  status: VersionStatus;
  publishedAt: string | null;
  publishedBy: string | null;
  /** Null when the department code is not (or no longer) in the directory. */
  departmentName: Text | null;
  typeName: Text;
}

/** Why a material or field applies: always, or because of which answers. */
export interface Reason {
  always: boolean;
  because: { situation: string; answer: string; label: Text }[];
}

/** Situation key → the chosen answer keys. */
export type Answers = Record<string, string[]>;

/** `POST /api/catalog/items/{code}/applicable`: what applies once the situations are answered. */
export interface Applicable {
  materials: (Material & { reason: Reason })[];
  fields: (FormField & { reason: Reason })[];
  committedLimit: TimeLimit;
  problems: ErrorDetail[];
}

/** One draft waiting to be published (`GET /api/catalog/drafts`). */
export interface DraftSummary {
  code: string;
  name: Text;
  version: number;
  basedOn: number | null;
  createdAt: string;
  createdBy: string | null;
  createdByName: string | null;
}

/** One version in an item's history (`GET /api/catalog/items/{code}/versions`). */
export interface VersionInfo {
  version: number;
  status: VersionStatus;
  createdAt: string;
  createdBy: string | null;
  createdByName: string | null;
  publishedAt: string | null;
  publishedBy: string | null;
  publishedByName: string | null;
}

/** What saving or publishing returns. */
export interface SavedVersion {
  code: string;
  version: number;
  status: VersionStatus;
}

function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const item = (code: string) => `/api/catalog/items/${encodeURIComponent(code)}`;

/** `GET /api/catalog/items`: published items, ranked by relevance when `q` is given. */
export function listItems(query: ItemQuery, lang: Lang, signal?: AbortSignal): Promise<ItemList> {
  return apiRequest(`/api/catalog/items${queryString(query)}`, { lang, signal });
}

/** `GET /api/catalog/facets`. */
export function fetchFacets(lang: Lang, signal?: AbortSignal): Promise<Facets> {
  return apiRequest('/api/catalog/facets', { lang, signal });
}

/** `GET /api/catalog/items/{code}`: the published version, or version N (drafts: admins only). */
export function fetchItem(
  code: string,
  lang: Lang,
  options: { version?: number; signal?: AbortSignal } = {},
): Promise<ItemVersion> {
  return apiRequest(`${item(code)}${queryString({ version: options.version })}`, {
    lang,
    signal: options.signal,
  });
}

/** `POST /api/catalog/items/{code}/applicable`. */
export function fetchApplicable(
  code: string,
  answers: Answers,
  lang: Lang,
  signal?: AbortSignal,
): Promise<Applicable> {
  return apiRequest(`${item(code)}/applicable`, {
    method: 'POST',
    body: { answers },
    lang,
    signal,
  });
}

/** `GET /api/catalog/drafts` (admin). */
export async function listDrafts(lang: Lang, signal?: AbortSignal): Promise<DraftSummary[]> {
  const reply = await apiRequest<{ drafts: DraftSummary[] }>('/api/catalog/drafts', {
    lang,
    signal,
  });
  return reply.drafts;
}

/** `GET /api/catalog/items/{code}/versions` (admin). */
export async function listVersions(
  code: string,
  lang: Lang,
  signal?: AbortSignal,
): Promise<VersionInfo[]> {
  const reply = await apiRequest<{ versions: VersionInfo[] }>(`${item(code)}/versions`, {
    lang,
    signal,
  });
  return reply.versions;
}

/** `POST /api/catalog/items` (admin): a new item, as a draft. */
export function createItem(content: ItemContent, lang: Lang): Promise<SavedVersion> {
  return apiRequest('/api/catalog/items', { method: 'POST', body: content, lang });
}

/** `PUT /api/catalog/items/{code}/draft` (admin): saves the draft (creating it if needed). */
export function saveDraft(code: string, content: ItemContent, lang: Lang): Promise<SavedVersion> {
  return apiRequest(`${item(code)}/draft`, { method: 'PUT', body: content, lang });
}

/** `DELETE /api/catalog/items/{code}/draft` (admin). */
export function discardDraft(code: string, lang: Lang): Promise<void> {
  return apiRequest(`${item(code)}/draft`, { method: 'DELETE', lang });
}

/** `POST /api/catalog/items/{code}/publish` (admin). */
export function publishDraft(code: string, lang: Lang): Promise<SavedVersion> {
  return apiRequest(`${item(code)}/publish`, { method: 'POST', lang });
}

/** The two file formats of export and import. */
export type CatalogFormat = 'yaml' | 'xlsx';

/** Where the export of the whole catalog downloads from (admin; the session cookie goes along). */
export function exportUrl(format: CatalogFormat): string {
  return `/api/catalog/export?format=${format}`;
}

const contentTypes: Record<CatalogFormat, string> = {
  yaml: 'application/yaml',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The format of a file to import, by its name; null when it is neither. */
export function formatOfFile(name: string): CatalogFormat | null {
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  if (/\.xlsx$/i.test(name)) return 'xlsx';
  return null;
}

const importErrors = {
  network: {
    zh: '无法连接到服务器，请检查网络后重试。',
    en: 'Cannot reach the server. Check the connection and try again.',
  },
  unexpected: {
    zh: '服务器返回了无法识别的响应（HTTP {status}），请稍后重试。',
    en: 'The server sent a response that could not be read (HTTP {status}). Please try again later.',
  },
} satisfies Record<string, Text>;

/** `POST /api/catalog/import` (admin): a YAML or Excel file of items; throws ApiError with every bad cell. */
export async function importCatalog(
  file: Blob,
  format: CatalogFormat,
  publish: boolean,
  lang: Lang,
): Promise<{ imported: number; published: number }> {
  let response: Response;
  try {
    response = await fetch(`/api/catalog/import${publish ? '?publish=true' : ''}`, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Accept-Language': localeOf(lang),
        'Content-Type': contentTypes[format],
      },
      body: file,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'client.network', translate(lang, importErrors.network));
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (response.ok && payload) return payload as { imported: number; published: number };
  const error = (payload as { error?: Partial<ApiError> & { details?: ErrorDetail[] } } | undefined)
    ?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    throw new ApiError(
      response.status,
      error.code,
      error.message,
      error.details ?? [],
      error.requestId,
    );
  }
  throw new ApiError(
    response.status,
    'client.unexpected_response',
    translate(lang, importErrors.unexpected, { status: response.status }),
  );
}
