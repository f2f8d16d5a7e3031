import type { Lang } from '../../shell/i18n';
import { apiRequest } from './api';

// The directory of regions and departments over HTTP (src/platform/regions/routes.ts).

/** Where a region sits: GB/T 2260 province, city or county level, or a functional zone. */
export type RegionLevel = 'province' | 'city' | 'county' | 'zone';

/** A region (区划) as `GET /api/regions` lists it. */
export interface Region {
  code: string;
  nameZh: string;
  nameEn: string;
  parentCode: string | null;
  level: RegionLevel;
  /** false for functional zones (经开区, 高区 …) that GB/T 2260 does not list. */
  standard: boolean;
}

/** A department (部门) as `GET /api/departments` lists it. */
export interface Department {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  /** 统一社会信用代码 (GB 32100); null until entered (a department seeded without demo data). */
  uscc: string | null;
  regionCode: string;
}

/** What `POST /api/regions` takes. */
export interface NewRegion {
  code: string;
  nameZh: string;
  nameEn: string;
  parentCode: string;
  zone: boolean;
}

/** What `POST /api/departments` takes. */
export interface NewDepartment {
  code: string;
  nameZh: string;
  nameEn: string;
  uscc: string;
  regionCode: string;
}

/** `GET /api/regions`: every region, parents before children. */
export async function fetchRegions(lang: Lang, signal?: AbortSignal): Promise<Region[]> {
  return (await apiRequest<{ regions: Region[] }>('/api/regions', { lang, signal })).regions;
}

/** `GET /api/departments?regionCode=`: the departments of one region. */
export async function fetchDepartments(
  regionCode: string,
  lang: Lang,
  signal?: AbortSignal,
): Promise<Department[]> {
  const query = new URLSearchParams({ regionCode });
  return (
    await apiRequest<{ departments: Department[] }>(`/api/departments?${query}`, { lang, signal })
  ).departments;
}

/** `POST /api/regions`: adds a GB/T 2260 division or a functional zone (administrators). */
export function createRegion(body: NewRegion, lang: Lang): Promise<Region> {
  return apiRequest('/api/regions', { method: 'POST', body, lang });
}

/** `POST /api/departments`: adds a department (administrators). */
export function createDepartment(body: NewDepartment, lang: Lang): Promise<Department> {
  return apiRequest('/api/departments', { method: 'POST', body, lang });
}

/** `PATCH /api/departments/{code}`: renames a department or enters its credit code (administrators). */
export function renameDepartment(
  code: string,
  body: { nameZh: string; nameEn: string; uscc?: string },
  lang: Lang,
): Promise<Department> {
  return apiRequest(`/api/departments/${encodeURIComponent(code)}`, {
    method: 'PATCH',
    body,
    lang,
  });
}
