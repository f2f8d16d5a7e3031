import type { Lang, Text } from '../../shell/i18n';
import { apiRequest } from '../platform/api';
import type { StatsDimension } from '../../../../src/evaluations/codes';

// 好差评 statistics over HTTP (src/evaluations/stats.ts).

export type { StatsDimension };

/** Figures of one row of the report, or of its totals; rates are fractions 0..1 or null. */
export interface StatsFigures {
  /** Ratings in the period and region, flagged (malicious) ones left out. */
  ratings: number;
  /** Level ≥ 3 (非常满意, 满意, 基本满意). */
  satisfied: number;
  /** Level ≤ 2 (差评). */
  bad: number;
  satisfactionRate: number | null;
  badRate: number | null;
  averageLevel: number | null;
  rectifications: number;
  rectifiedOnTime: number;
  /** rectifiedOnTime / rectifications whose unit part is done. */
  onTimeRate: number | null;
  realNameBad: number;
  calledBack: number;
  /** calledBack / realNameBad. */
  callbackRate: number | null;
}

/** One group of the report; key null for ratings without one (no staff member, no window …). */
export interface StatsRow extends StatsFigures {
  key: string | null;
  name: Text;
}

/** The report's totals, with the flagged ratings that were left out. */
export interface StatsTotals extends StatsRow {
  flagged: number;
}

/** What `GET /api/evaluations/stats` answers. */
export interface StatsReport {
  from: string;
  to: string;
  by: StatsDimension;
  region: string;
  totals: StatsTotals;
  rows: StatsRow[];
}

/** What the page asks for: Beijing calendar days (YYYY-MM-DD, both included) and a grouping. */
export interface StatsQuery {
  from?: string;
  to?: string;
  by?: StatsDimension;
  region?: string;
}

/** `GET /api/evaluations/stats`: the statistics of the period, region and grouping. */
export function fetchStats(
  query: StatsQuery,
  lang: Lang,
  signal?: AbortSignal,
): Promise<StatsReport> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value) params.set(name, value);
  }
  const search = params.toString();
  return apiRequest(`/api/evaluations/stats${search ? `?${search}` : ''}`, { lang, signal });
}
