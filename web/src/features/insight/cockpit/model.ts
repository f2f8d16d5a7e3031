import type { Text } from '../../../shell/i18n';
import type { IndicatorDefinition, Indicators, Panels, WarningKind } from '../api';
import { cockpitText } from './text';

// What the cockpit shows, apart from how: the period and region it reads, the KPI cards with their
// targets and formats, and the warning kinds' names.

/** The month of a Beijing day (YYYY-MM), today by default. */
export function beijingMonth(now = new Date()): string {
  return beijingDay(now).slice(0, 7);
}

/** A Beijing day as YYYY-MM-DD. */
export function beijingDay(now = new Date()): string {
  // en-CA writes dates as YYYY-MM-DD
  return now.toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
}

/** The first and last day of a month (YYYY-MM). */
export function monthRange(month: string): { from: string; to: string } {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The period a page reads: a month or any range of days. */
export type Period =
  | { mode: 'month'; month: string; from: string; to: string }
  | { mode: 'range'; from: string; to: string };

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The period in a query string: `month=YYYY-MM`, or `from` and `to`; the current month otherwise. */
export function periodOf(params: URLSearchParams, now = new Date()): Period {
  const from = params.get('from');
  const to = params.get('to');
  if (from && to && DAY.test(from) && DAY.test(to) && from <= to)
    return { mode: 'range', from, to };
  const asked = params.get('month');
  const month = asked && MONTH.test(asked) ? asked : beijingMonth(now);
  return { mode: 'month', month, ...monthRange(month) };
}

/** Every day of a period, for a trend without gaps. */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && days.length < 400; t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** How a figure is written. */
export type Format = 'rate' | 'count' | 'hours' | 'ratio';

/** One KPI card. */
export interface Kpi {
  key: string;
  /** Used when the definitions have not loaded or do not know the key. */
  name: Text;
  format: Format;
  /** The documents' target, when the definitions do not give one. */
  target?: number;
  /** Whether smaller is better (times). */
  lowerIsBetter?: boolean;
  value: (indicators: Indicators | undefined, panels: Panels | null | undefined) => number | null;
}

const figure =
  (key: keyof Indicators['figures']) =>
  (indicators: Indicators | undefined): number | null =>
    (indicators?.figures[key] as number | null | undefined) ?? null;

/** The KPI cards, in reading order. */
export const KPIS: Kpi[] = [
  {
    key: 'easyRate',
    name: { zh: '好办易办率', en: 'Easy to get done' },
    format: 'rate',
    target: 90,
    value: figure('easyRate'),
  },
  {
    key: 'satisfactionRate',
    name: { zh: '好差评满意度', en: 'Satisfaction' },
    format: 'rate',
    target: 98,
    value: (_, p) => p?.evaluations?.satisfactionRate ?? null,
  },
  {
    key: 'onTimeRate',
    name: { zh: '按时办结率', en: 'On-time completion' },
    format: 'rate',
    value: figure('onTimeRate'),
  },
  {
    key: 'onlineRate',
    name: { zh: '网上办理率', en: 'Online share' },
    format: 'rate',
    value: figure('onlineRate'),
  },
  {
    key: 'submitted',
    name: { zh: '申请量', en: 'Applications' },
    format: 'count',
    value: figure('submitted'),
  },
  {
    key: 'completed',
    name: { zh: '办结量', en: 'Completed' },
    format: 'count',
    value: figure('completed'),
  },
  {
    key: 'averageHours',
    name: { zh: '平均办理时长', en: 'Average time' },
    format: 'hours',
    lowerIsBetter: true,
    value: figure('averageHours'),
  },
  {
    key: 'p90Hours',
    name: { zh: '90% 办结时长', en: '90th percentile time' },
    format: 'hours',
    lowerIsBetter: true,
    value: figure('p90Hours'),
  },
  {
    key: 'savedSteps',
    name: { zh: '减环节', en: 'Steps saved' },
    format: 'count',
    value: figure('savedSteps'),
  },
  {
    key: 'savedMaterials',
    name: { zh: '减材料', en: 'Materials saved' },
    format: 'count',
    value: figure('savedMaterials'),
  },
  {
    key: 'savedVisits',
    name: { zh: '减跑动', en: 'Visits saved' },
    format: 'count',
    value: figure('savedVisits'),
  },
  {
    key: 'certificateFreeScenarios',
    name: { zh: '无证明场景', en: 'Certificate-free scenarios' },
    format: 'count',
    target: 20,
    value: (_, p) => p?.certificateFree?.scenarios ?? null,
  },
  {
    key: 'ticketOnTimeRate',
    name: { zh: '工单按期办结率', en: 'Tickets on time' },
    format: 'rate',
    value: figure('ticketOnTimeRate'),
  },
  {
    key: 'ticketSatisfactionRate',
    name: { zh: '工单满意率', en: 'Ticket satisfaction' },
    format: 'rate',
    value: figure('ticketSatisfactionRate'),
  },
  {
    key: 'grantsPaidOnTimeRate',
    name: { zh: '免申即享按期兑现率', en: 'Grants paid on time' },
    format: 'rate',
    value: (_, p) => p?.policies?.paidOnTimeRate ?? null,
  },
  {
    key: 'inspectionsPerEnterprise',
    name: { zh: '户均检查次数', en: 'Inspections per enterprise' },
    format: 'ratio',
    lowerIsBetter: true,
    value: (_, p) => p?.supervision?.perEnterprise ?? null,
  },
];

/** The target of a KPI: the definition's, else the documents' figure the card knows. */
export function targetOf(kpi: Kpi, definition: IndicatorDefinition | undefined): number | null {
  return definition?.target?.value ?? kpi.target ?? null;
}

/** A figure as the cards and tables write it; '—' when there is none. */
export function formatFigure(value: number | null | undefined, format: Format, locale: string) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (format === 'rate') return `${value}%`;
  if (format === 'count') return value.toLocaleString(locale);
  return value.toLocaleString(locale, { maximumFractionDigits: format === 'ratio' ? 2 : 1 });
}

/** The unit written after a figure. */
export const UNITS: Record<Format, Text> = {
  rate: { zh: '', en: '' },
  count: { zh: '', en: '' },
  hours: { zh: '小时', en: 'h' },
  ratio: { zh: '次/户', en: 'per enterprise' },
};

/** The warning kinds, in the order the cockpit lists them. */
export const WARNING_KINDS: { kind: WarningKind; name: Text; color: string }[] = [
  { kind: 'case_overdue', name: { zh: '办件超期', en: 'Cases overdue' }, color: 'red' },
  { kind: 'ticket_overdue', name: { zh: '工单超期', en: 'Tickets overdue' }, color: 'volcano' },
  {
    kind: 'rectification_overdue',
    name: { zh: '差评整改超期', en: 'Rectifications overdue' },
    color: 'orange',
  },
  { kind: 'grant_overdue', name: { zh: '兑现超期', en: 'Grants overdue' }, color: 'gold' },
  {
    kind: 'inspection_unpublished',
    name: { zh: '检查结果未按期公示', en: 'Inspection results unpublished' },
    color: 'purple',
  },
  {
    kind: 'ledger_overdue',
    name: { zh: '改革任务逾期', en: 'Reform tasks overdue' },
    color: 'magenta',
  },
];

/** The name of a warning kind; the code itself for a kind this page does not know. */
export function warningName(kind: string): Text {
  return WARNING_KINDS.find((k) => k.kind === kind)?.name ?? { zh: kind, en: kind };
}

/** The figures the map can colour the divisions by. */
export const MAP_METRICS: { key: keyof Indicators['figures']; format: Format; name: Text }[] = [
  { key: 'easyRate', format: 'rate', name: { zh: '好办易办率', en: 'Easy to get done' } },
  { key: 'onTimeRate', format: 'rate', name: { zh: '按时办结率', en: 'On-time completion' } },
  { key: 'onlineRate', format: 'rate', name: { zh: '网上办理率', en: 'Online share' } },
  { key: 'submitted', format: 'count', name: { zh: '申请量', en: 'Applications' } },
  { key: 'ticketsClosed', format: 'count', name: { zh: '工单办结量', en: 'Tickets closed' } },
  {
    key: 'ticketOnTimeRate',
    format: 'rate',
    name: { zh: '工单按期办结率', en: 'Tickets on time' },
  },
];

/** The bundle whose commitment is one hour: 企业开办. */
export const ENTERPRISE_OPENING = 'enterprise-opening';

/** How a period reads in a heading: "2026年11月" or "2026-11-01 至 2026-11-15". */
export function periodLabel(
  period: Period,
  t: (text: Text, values?: Record<string, string | number>) => string,
): string {
  if (period.mode === 'month') {
    const [year, month] = period.month.split('-');
    return t(cockpitText.monthOf, { year: year!, month: Number(month) });
  }
  return t(cockpitText.rangeOf, { from: period.from, to: period.to });
}
