import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Lang, Text } from '../../../shell/i18n';
import { useAuth } from '../../../shell/auth';
import { useLoad } from '../../cases/use-load';
import { fetchRegions } from '../../hotline/api';
import {
  fetchDefinitions,
  fetchIndicators,
  fetchPanels,
  fetchWarnings,
  type CockpitWarnings,
  type IndicatorDefinition,
  type Panels,
} from '../api';
import { periodOf, type Period } from './model';

/** A region as the cockpit names and nests it. */
export interface RegionNode {
  code: string;
  name: Text;
  parentCode: string | null;
  level: string;
  depth: number;
}

/** The codes the indicator endpoints accept: six digits, or a zone such as 371072-ZB. */
const QUERYABLE = /^\d{6}(-[A-Z0-9]{1,8})?$/;

/** The regions at and below `root`, depth first, the root first. */
export function regionTree(
  regions: {
    code: string;
    nameZh: string;
    nameEn: string;
    parentCode: string | null;
    level: string;
  }[],
  root: string,
): RegionNode[] {
  const children = new Map<string | null, typeof regions>();
  for (const r of regions) children.set(r.parentCode, [...(children.get(r.parentCode) ?? []), r]);
  const out: RegionNode[] = [];
  const walk = (code: string, depth: number) => {
    const region = regions.find((r) => r.code === code);
    if (!region || !QUERYABLE.test(code)) return;
    out.push({
      code,
      name: { zh: region.nameZh, en: region.nameEn },
      parentCode: region.parentCode,
      level: region.level,
      depth,
    });
    const kids = [...(children.get(code) ?? [])].sort(
      (a, b) =>
        (a.level === 'zone' ? 1 : 0) - (b.level === 'zone' ? 1 : 0) || (a.code < b.code ? -1 : 1),
    );
    for (const kid of kids) walk(kid.code, depth + 1);
  };
  walk(root, 0);
  return out;
}

/** A reply that may not exist yet on this server (404) or may fail: the value or why not. */
export type Optional<T> = { value: T | null; error: string | null; loading: boolean };

function useOptional<T>(
  key: string | null,
  fetcher: (lang: Lang, signal: AbortSignal) => Promise<T>,
): Optional<T> {
  const { state } = useLoad(key, fetcher);
  return {
    value: state.value ?? null,
    error: state.status === 'error' ? state.message : null,
    loading: state.status === 'loading',
  };
}

/** The definitions, loaded once per language. */
export function useDefinitions(): Map<string, IndicatorDefinition> {
  const { state } = useLoad('definitions', (lang, signal) => fetchDefinitions(lang, signal));
  return useMemo(() => new Map((state.value ?? []).map((d) => [d.key, d])), [state.value]);
}

/** The regions at and below the signed-in user's region. */
export function useRegions(): {
  root: string;
  nodes: RegionNode[];
  byCode: Map<string, RegionNode>;
} {
  const { state: auth } = useAuth();
  const root = auth.status === 'signed-in' ? auth.user.regionCode : '371000';
  const { state } = useLoad('regions', (lang, signal) => fetchRegions(lang, signal));
  return useMemo(() => {
    const nodes = regionTree(state.value ?? [], root);
    return { root, nodes, byCode: new Map(nodes.map((n) => [n.code, n])) };
  }, [state.value, root]);
}

/** The page's period and region from the query string, and a way to change them. */
export function useCockpitQuery(root: string): {
  period: Period;
  region: string;
  params: URLSearchParams;
  update: (changes: Record<string, string | undefined>) => void;
} {
  const [params, setParams] = useSearchParams();
  const region = params.get('region') ?? root;
  const period = periodOf(params);
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };
  return { period, region, params, update };
}

/** Everything the cockpit reads for one period and region. */
export function useCockpitData(period: Period, region: string, root: string) {
  const query = { from: period.from, to: period.to, region };
  const key = `${query.from}|${query.to}|${region}`;
  const indicators = useLoad(key, (lang, signal) => fetchIndicators(query, lang, signal)).state;
  const panels = useOptional<Panels>(key, (lang, signal) => fetchPanels(query, lang, signal));
  const warnings = useOptional<CockpitWarnings>(`w|${region}`, (lang, signal) =>
    fetchWarnings({ region }, lang, signal),
  );
  // the map shows every division of the user's region, whichever region is picked
  const mapQuery = { from: period.from, to: period.to, region: root };
  const mapKey = region === root ? null : `${period.from}|${period.to}|${root}`;
  const rootIndicators = useLoad(mapKey, (lang, signal) =>
    fetchIndicators(mapQuery, lang, signal),
  ).state;
  const map = region === root ? indicators.value : (rootIndicators.value ?? indicators.value);
  return { indicators, panels, warnings, map };
}
