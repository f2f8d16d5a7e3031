import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import type { Text } from '../../../shell/i18n';
import type { Indicators, Panels } from '../api';
import { DIVISIONS, WEIHAI_MAP, ZONES } from './weihai-map';
import { daysOf, formatFigure, type Format } from './model';

// The cockpit's chart options, as pure functions of the figures, so the page stays about layout.

/** How the charts write names and pick colours. */
export interface ChartContext {
  t: (text: Text, values?: Record<string, string | number>) => string;
  locale: string;
  dark: boolean;
  regionName: (code: string) => string;
  noData: string;
}

const BLUE = '#1b5fbf';
const TEAL = '#13a8a8';
const ORANGE = '#fa8c16';

function axisColours(c: ChartContext) {
  const text = c.dark ? 'rgba(255,255,255,0.75)' : 'rgba(0,0,0,0.65)';
  const line = c.dark ? 'rgba(255,255,255,0.15)' : 'rgba(0,0,0,0.08)';
  return {
    axisLabel: { color: text },
    axisLine: { lineStyle: { color: line } },
    splitLine: { lineStyle: { color: line } },
  };
}

/** A centred "no data" title when a chart has nothing to draw. */
function empty(c: ChartContext, isEmpty: boolean) {
  return isEmpty
    ? {
        title: {
          text: c.noData,
          left: 'center',
          top: 'middle',
          textStyle: {
            color: c.dark ? 'rgba(255,255,255,0.45)' : 'rgba(0,0,0,0.35)',
            fontSize: 14,
            fontWeight: 'normal',
          },
        },
      }
    : {};
}

/** Applications and completions per day of the period, every day shown. */
export function trendOption(
  indicators: Indicators | undefined,
  from: string,
  to: string,
  labels: { submitted: string; completed: string },
  c: ChartContext,
): EChartsCoreOption {
  const byDay = new Map((indicators?.byDay ?? []).map((d) => [d.day, d]));
  const days = daysOf(from, to);
  const axis = axisColours(c);
  return {
    ...empty(c, byDay.size === 0),
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { color: axis.axisLabel.color } },
    grid: { left: 40, right: 16, top: 32, bottom: 28 },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: days.map((d) => d.slice(5)),
      ...axis,
    },
    yAxis: { type: 'value', minInterval: 1, ...axis },
    series: [
      {
        name: labels.submitted,
        type: 'line',
        smooth: 0.3,
        smoothMonotone: 'x',
        showSymbol: days.length <= 31,
        color: BLUE,
        areaStyle: { opacity: 0.12 },
        data: days.map((d) => byDay.get(d)?.submitted ?? 0),
      },
      {
        name: labels.completed,
        type: 'line',
        smooth: 0.3,
        smoothMonotone: 'x',
        showSymbol: days.length <= 31,
        color: TEAL,
        areaStyle: { opacity: 0.08 },
        data: days.map((d) => byDay.get(d)?.completed ?? 0),
      },
    ],
  };
}

/** The short name of a zone: what its Chinese name has in brackets, or its English name. */
export function shortName(name: string): string {
  const bracketed = /（(.+)）$/.exec(name);
  return bracketed ? bracketed[1]! : name.replace(/^Weihai /, '');
}

/** The schematic map coloured by one figure of the regions below the root. */
export function mapOption(
  indicators: Indicators | undefined,
  metric: { key: keyof Indicators['figures']; format: Format; name: Text },
  selected: string,
  c: ChartContext,
): EChartsCoreOption {
  const values = new Map(
    (indicators?.byRegion ?? []).map((r) => [r.regionCode, r[metric.key] as number | null]),
  );
  const valueOf = (code: string) => values.get(code) ?? null;
  const present = [...DIVISIONS.map((d) => d.code), ...ZONES.map((z) => z.code)]
    .map(valueOf)
    .filter((v): v is number => v !== null && Number.isFinite(v));
  const rate = metric.format === 'rate';
  // the scale spans the values shown, so close figures still differ in colour
  let min = rate && present.length ? Math.floor(Math.min(...present)) : 0;
  let max = present.length ? Math.ceil(Math.max(...present)) : rate ? 100 : 1;
  if (max - min < 2) {
    min = Math.max(0, min - 1);
    max = rate ? Math.min(100, max + 1) : max + 1;
  }
  const text = c.dark ? 'rgba(255,255,255,0.85)' : 'rgba(0,0,0,0.75)';
  const label = (code: string) => shortName(c.regionName(code));
  const tip = (code: string) =>
    `${c.regionName(code)}<br/>${c.t(metric.name)}: ${formatFigure(valueOf(code), metric.format, c.locale)}`;
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string }) => tip(p.name),
    },
    visualMap: {
      type: 'continuous',
      min,
      max,
      seriesIndex: 0,
      orient: 'horizontal',
      left: 'center',
      bottom: 4,
      itemHeight: 120,
      calculable: false,
      text: [
        formatFigure(max, metric.format, c.locale),
        formatFigure(min, metric.format, c.locale),
      ],
      textStyle: { color: text },
      inRange: { color: c.dark ? ['#16335c', '#3f8cff'] : ['#d6e4f7', BLUE] },
    },
    geo: {
      map: WEIHAI_MAP,
      roam: false,
      top: 8,
      bottom: 44,
      left: 8,
      right: 8,
      selectedMode: false,
      label: {
        show: true,
        formatter: (p: { name: string }) => label(p.name),
        color: text,
        fontSize: 13,
      },
      itemStyle: {
        areaColor: c.dark ? '#1f2a3a' : '#eef1f6',
        borderColor: c.dark ? '#0d1626' : '#ffffff',
        borderWidth: 2,
      },
      emphasis: {
        label: { color: text },
        itemStyle: { areaColor: ORANGE },
      },
      regions: [
        {
          name: selected,
          itemStyle: { borderColor: ORANGE, borderWidth: 3 },
        },
      ],
    },
    series: [
      {
        type: 'map',
        geoIndex: 0,
        data: DIVISIONS.map((d) => ({ name: d.code, value: valueOf(d.code) ?? '-' })),
      },
      {
        type: 'effectScatter',
        coordinateSystem: 'geo',
        symbolSize: (v: unknown, p: { name: string }) => (p.name === selected ? 18 : 12),
        rippleEffect: { scale: 3, brushType: 'stroke' },
        itemStyle: { color: ORANGE, borderColor: '#fff', borderWidth: 1 },
        label: {
          show: true,
          position: 'right',
          formatter: (p: { name: string }) => label(p.name),
          color: text,
          fontSize: 12,
          fontWeight: 'bold',
        },
        tooltip: { formatter: (p: { name: string }) => tip(p.name) },
        data: ZONES.map((z) => ({ name: z.code, value: [...z.at, valueOf(z.code) ?? '-'] })),
      },
    ],
  };
}

/** Where each division's centre and each zone is drawn, in the chart's pixels. */
export function mapPoints(chart: EChartsType): Record<string, [number, number]> {
  const points: Record<string, [number, number]> = {};
  for (const { code, at } of [
    ...DIVISIONS.map((d) => ({ code: d.code, at: d.centre })),
    ...ZONES,
  ]) {
    try {
      const pixel = chart.convertToPixel({ geoIndex: 0 }, at) as number[] | undefined;
      if (pixel) points[code] = [Math.round(pixel[0]!), Math.round(pixel[1]!)];
    } catch {
      // the geo component is not laid out yet; the next draw fills the points in
    }
  }
  return points;
}

/** Departments ranked by on-time rate, best at the top. */
export function departmentsOption(panels: Panels | null, c: ChartContext): EChartsCoreOption {
  const rows = (panels?.departments ?? []).filter((d) => d.onTimeRate !== null).slice(0, 10);
  const axis = axisColours(c);
  return {
    ...empty(c, rows.length === 0),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (items: { dataIndex: number }[]) => {
        const d = rows[items[0]?.dataIndex ?? 0];
        if (!d) return '';
        return `${c.t(d.name)}<br/>${formatFigure(d.onTimeRate, 'rate', c.locale)} · ${d.casesOnTime}/${d.cases}`;
      },
    },
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100, ...axis },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((d) => c.t(d.name)),
      ...axis,
      axisLabel: { ...axis.axisLabel, width: 150, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        data: rows.map((d) => d.onTimeRate),
        color: BLUE,
        barMaxWidth: 16,
        label: {
          show: true,
          position: 'right',
          color: axis.axisLabel.color,
          formatter: (p: { value: number }) => `${p.value}%`,
        },
      },
    ],
  };
}

/** Bundles by volume: average and 90th-percentile hours, against the committed limit. */
export function bundlesOption(
  indicators: Indicators | undefined,
  labels: { average: string; p90: string; committed: string },
  c: ChartContext,
): EChartsCoreOption {
  const rows = (indicators?.byBundle ?? [])
    .filter((b) => b.completed > 0)
    // the dark large screen has room for the six busiest
    .slice(0, c.dark ? 6 : 10);
  const axis = axisColours(c);
  const name = (b: (typeof rows)[number]) => (b.name ? c.t(b.name) : b.bundleCode);
  // a log scale, so the one-hour enterprise opening and a month-long bundle both read
  const finite = (v: number | null | undefined) =>
    v !== null && v !== undefined && Number.isFinite(v) && v > 0 ? v : null;
  return {
    ...empty(c, rows.length === 0),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, textStyle: { color: axis.axisLabel.color } },
    grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: 'log', logBase: 10, min: 0.1, name: 'h', ...axis },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map(name),
      ...axis,
      axisLabel: { ...axis.axisLabel, width: 150, overflow: 'truncate', interval: 0 },
    },
    series: [
      {
        name: labels.average,
        type: 'bar',
        color: BLUE,
        barMaxWidth: 10,
        data: rows.map((b) => finite(b.averageHours)),
      },
      {
        name: labels.p90,
        type: 'bar',
        color: TEAL,
        barMaxWidth: 10,
        data: rows.map((b) => finite(b.p90Hours)),
      },
      {
        name: labels.committed,
        type: 'scatter',
        color: ORANGE,
        symbol: 'rect',
        symbolSize: [4, 22],
        z: 5,
        data: rows
          .map((b, i) => (finite(b.committedHours) ? [b.committedHours, i] : null))
          .filter(Boolean),
      },
    ],
  };
}

/** The ticket categories closed most in the period. */
export function hotTopicsOption(
  indicators: Indicators | undefined,
  c: ChartContext,
): EChartsCoreOption {
  const rows = (indicators?.hotTopics ?? []).slice(0, 10);
  const axis = axisColours(c);
  return {
    ...empty(c, rows.length === 0),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, ...axis },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => (r.name ? c.t(r.name) : r.categoryCode)),
      ...axis,
      axisLabel: { ...axis.axisLabel, width: 130, overflow: 'truncate', interval: 0 },
    },
    series: [
      {
        type: 'bar',
        color: ORANGE,
        barMaxWidth: 14,
        data: rows.map((r) => r.closed),
        label: { show: true, position: 'right', color: axis.axisLabel.color },
      },
    ],
  };
}
