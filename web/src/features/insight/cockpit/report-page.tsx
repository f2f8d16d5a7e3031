import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, DatePicker, Select, Space, Spin } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined, TranslationOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Text } from '../../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../../shell/i18n';
import { formatTime } from '../../../shell/time';
import { useLoad } from '../../cases/use-load';
import { fetchBoard, type IndicatorDefinition, type Indicators, type Panels } from '../api';
import {
  formatFigure,
  KPIS,
  monthRange,
  targetOf,
  UNITS,
  WARNING_KINDS,
  type Format,
  type Period,
} from './model';
import { cockpitText as text } from './text';
import { useCockpitData, useCockpitQuery, useDefinitions, useRegions } from './use-cockpit';
import './cockpit.css';

/** The figures of the panels endpoint, by indicator key. */
const PANEL_FIGURES: Record<string, (p: Panels) => number | null> = {
  satisfactionRate: (p) => p.evaluations.satisfactionRate,
  badRate: (p) => p.evaluations.badRate,
  rectificationOnTimeRate: (p) => p.evaluations.rectificationOnTimeRate,
  certificateFreeScenarios: (p) => p.certificateFree.scenarios,
  policyMatches: (p) => p.policies.matches,
  grantsPaidOnTimeRate: (p) => p.policies.paidOnTimeRate,
  inspectionsPerEnterprise: (p) => p.supervision.perEnterprise,
  inspectionsPublishedOnTimeRate: (p) => p.supervision.publishedOnTimeRate,
};

function formatOfUnit(key: string, unit: Text | undefined): Format {
  const kpi = KPIS.find((k) => k.key === key);
  if (kpi) return kpi.format;
  if (unit?.en === '%') return 'rate';
  if (unit?.en === 'h') return 'hours';
  return 'count';
}

function valueOf(key: string, indicators: Indicators | undefined, panels: Panels | null) {
  const panel = PANEL_FIGURES[key];
  if (panel) return panels ? (panel(panels) ?? null) : null;
  const figure = indicators?.figures[key as keyof Indicators['figures']];
  return typeof figure === 'number' ? figure : null;
}

/** `/cockpit/report?region=&month=YYYY-MM`: the printable monthly report of a region. */
export function MonthlyReportPage() {
  const { t, lang, setLang, locale } = useI18n();
  const regions = useRegions();
  const { period: asked, region, update } = useCockpitQuery(regions.root);
  const month = asked.mode === 'month' ? asked.month : asked.to.slice(0, 7);
  const period: Period = { mode: 'month', month, ...monthRange(month) };
  const definitions = useDefinitions();
  const { indicators, panels, warnings } = useCockpitData(period, region, region);
  const board = useLoad('board', (l, signal) => fetchBoard(l, signal)).state;
  const regionName = (code: string) => {
    const node = regions.byCode.get(code);
    return node ? t(node.name) : code;
  };
  const [year, mon] = month.split('-');
  const place = regions.byCode.get(region)?.name ?? { zh: region, en: region };
  const title: Text = {
    zh: `${place.zh}政务服务月度报告 ${year}年${Number(mon)}月`,
    en: `${place.en} government services monthly report, ${month}`,
  };
  useDocumentTitle(title);
  const figures = indicators.value;
  const p = panels.value;
  const fmt = (value: number | null | undefined, format: Format) =>
    formatFigure(value ?? null, format, locale);

  // every defined indicator, then the cards' figures the definitions do not list yet
  const rows: { key: string; name: Text; definition?: IndicatorDefinition; format: Format }[] = [
    ...[...definitions.values()].map((d) => ({
      key: d.key,
      name: d.name,
      definition: d,
      format: formatOfUnit(d.key, d.unit),
    })),
    ...KPIS.filter((k) => !definitions.has(k.key)).map((k) => ({
      key: k.key,
      name: k.name,
      format: k.format,
    })),
  ];

  return (
    <div className="ot-report-shell">
      <div className="ot-report-bar">
        <Link to={`/cockpit?${region === regions.root ? '' : `region=${region}&`}month=${month}`}>
          <Button icon={<ArrowLeftOutlined />}>{t(text.back)}</Button>
        </Link>
        <Space wrap>
          <DatePicker
            picker="month"
            allowClear={false}
            value={dayjs(`${month}-01`)}
            onChange={(value) => value && update({ month: value.format('YYYY-MM') })}
            aria-label={t(text.month)}
          />
          <Select
            value={region}
            onChange={(code) => update({ region: code })}
            className="ot-ck-region"
            aria-label={t(text.region)}
            options={regions.nodes.map((n) => ({
              value: n.code,
              label: `${'\u3000'.repeat(n.depth)}${t(n.name)}`,
            }))}
          />
          <Button
            icon={<TranslationOutlined />}
            onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
          >
            {lang === 'zh' ? 'English' : '中文'}
          </Button>
          <Button
            type="primary"
            icon={<PrinterOutlined />}
            onClick={() => window.print()}
            data-testid="print"
          >
            {t(text.print)}
          </Button>
        </Space>
      </div>
      <article className="ot-report" data-testid="report" data-region={region} data-month={month}>
        <h1 data-testid="report-title">{t(title)}</h1>
        <div className="ot-report-meta">
          {period.from} — {period.to} ·{' '}
          {t(text.generated, { time: formatTime(new Date().toISOString(), locale) })}
        </div>
        {indicators.status === 'error' && (
          <Alert type="error" showIcon title={t(text.failed, { message: indicators.message })} />
        )}
        {indicators.status === 'loading' && !figures && (
          <div className="ot-centered">
            <Spin />
          </div>
        )}

        <h2>{t(text.sectionIndicators)}</h2>
        <table data-testid="report-indicators">
          <thead>
            <tr>
              <th>{t(text.name)}</th>
              <th className="num">{t(text.value)}</th>
              <th className="num">{t(text.targetColumn)}</th>
              <th>{t(text.formula)}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const kpi = KPIS.find((k) => k.key === row.key);
              const value = kpi ? kpi.value(figures, p) : valueOf(row.key, figures, p);
              const target = kpi
                ? targetOf(kpi, row.definition)
                : (row.definition?.target?.value ?? null);
              const unit = t(UNITS[row.format]);
              return (
                <tr key={row.key} data-key={row.key}>
                  <td>{t(row.name)}</td>
                  <td
                    className={`num ${target === null || value === null ? '' : value >= target ? 'ot-report-hit' : 'ot-report-miss'}`}
                    data-value={value ?? ''}
                  >
                    {fmt(value, row.format)}
                    {value !== null && unit ? ` ${unit}` : ''}
                  </td>
                  <td className="num">{target === null ? '—' : fmt(target, row.format)}</td>
                  <td>
                    {row.definition ? (
                      <>
                        {t(row.definition.formula)}
                        <span className="ot-muted">
                          {t(text.sourceAfter, { source: t(row.definition.source) })}
                        </span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>

        <h2>{t(text.sectionBundles)}</h2>
        <SimpleTable
          testId="report-bundles"
          head={[
            t(text.bundle),
            t(text.submitted),
            t(text.completed),
            t(text.onTimeRate),
            t(text.average),
            t(text.p90),
            t(text.committed),
          ]}
          rows={(figures?.byBundle ?? []).map((b) => [
            b.name ? t(b.name) : b.bundleCode,
            fmt(b.submitted, 'count'),
            fmt(b.completed, 'count'),
            fmt(b.onTimeRate, 'rate'),
            fmt(b.averageHours, 'hours'),
            fmt(b.p90Hours, 'hours'),
            fmt(b.committedHours, 'hours'),
          ])}
        />

        <h2>{t(text.sectionRegions)}</h2>
        <SimpleTable
          testId="report-regions"
          head={[
            t(text.regionColumn),
            t(text.submitted),
            t(text.completed),
            t(text.onTimeRate),
            t(KPIS[0]!.name),
            t(KPIS[3]!.name),
            t(text.ticketsClosed),
            t(text.ticketOnTime),
          ]}
          rows={(figures?.byRegion ?? []).map((r) => [
            regionName(r.regionCode),
            fmt(r.submitted, 'count'),
            fmt(r.completed, 'count'),
            fmt(r.onTimeRate, 'rate'),
            fmt(r.easyRate, 'rate'),
            fmt(r.onlineRate, 'rate'),
            fmt(r.ticketsClosed, 'count'),
            fmt(r.ticketOnTimeRate, 'rate'),
          ])}
        />

        <h2>{t(text.sectionPanels)}</h2>
        {panels.error ? (
          <Alert
            type="warning"
            showIcon
            title={t(text.panelsUnavailable, { message: panels.error })}
          />
        ) : (
          <div className="ot-report-panels" data-testid="report-panels">
            <Figures
              title={t(text.evaluations)}
              items={[
                [t(text.rated), fmt(p?.evaluations.rated, 'count')],
                [t(text.satisfaction), fmt(p?.evaluations.satisfactionRate, 'rate')],
                [t(text.badRate), fmt(p?.evaluations.badRate, 'rate')],
                [t(text.rectifications), fmt(p?.evaluations.rectifications, 'count')],
                [t(text.rectificationOnTime), fmt(p?.evaluations.rectificationOnTimeRate, 'rate')],
                [
                  t(text.certificateFree),
                  p
                    ? `${fmt(p.certificateFree.scenarios, 'count')} / ${p.certificateFree.target}`
                    : '—',
                ],
              ]}
            />
            <Figures
              title={t(text.policies)}
              items={[
                [t(text.matches), fmt(p?.policies.matches, 'count')],
                [t(text.matchedSubjects), fmt(p?.policies.matchedSubjects, 'count')],
                [t(text.grants), fmt(p?.policies.grants, 'count')],
                [t(text.paid), fmt(p?.policies.paid, 'count')],
                [t(text.paidOnTime), fmt(p?.policies.paidOnTimeRate, 'rate')],
                [t(text.amountPaid), fmt(p?.policies.amountPaid, 'count')],
              ]}
            />
            <Figures
              title={t(text.supervision)}
              items={[
                [t(text.plansDrawn), fmt(p?.supervision.plansDrawn, 'count')],
                [t(text.drawsOnTime), fmt(p?.supervision.drawsOnTimeRate, 'rate')],
                [t(text.inspections), fmt(p?.supervision.inspections, 'count')],
                [t(text.enterprises), fmt(p?.supervision.enterprises, 'count')],
                [t(text.perEnterprise), fmt(p?.supervision.perEnterprise, 'ratio')],
                [t(text.published), fmt(p?.supervision.published, 'count')],
                [t(text.publishedOnTime), fmt(p?.supervision.publishedOnTimeRate, 'rate')],
              ]}
            />
          </div>
        )}
        {p && p.departments.length > 0 && (
          <>
            <h3>{t(text.departments)}</h3>
            <SimpleTable
              testId="report-departments"
              head={[
                t(text.unitName),
                t(text.cases),
                t(text.onTimeRate),
                t(text.rated),
                t(text.satisfaction),
                t(text.badRatings),
              ]}
              rows={p.departments.map((d) => [
                t(d.name),
                fmt(d.cases, 'count'),
                fmt(d.onTimeRate, 'rate'),
                fmt(d.rated, 'count'),
                fmt(d.satisfactionRate, 'rate'),
                fmt(d.bad, 'count'),
              ])}
            />
          </>
        )}
        {p && p.items.length > 0 && (
          <>
            <h3>{t(text.items)}</h3>
            <SimpleTable
              testId="report-items"
              head={[t(text.itemName), t(text.cases), t(text.onTimeRate)]}
              rows={p.items.map((i) => [
                t(i.name),
                fmt(i.cases, 'count'),
                fmt(i.onTimeRate, 'rate'),
              ])}
            />
          </>
        )}

        <h2>{t(text.sectionWarnings)}</h2>
        {warnings.error ? (
          <Alert
            type="warning"
            showIcon
            title={t(text.warningsUnavailable, { message: warnings.error })}
          />
        ) : (
          <SimpleTable
            testId="report-warnings"
            head={[t(text.kind), t(text.warningCount)]}
            rows={WARNING_KINDS.map((k) => [
              t(k.name),
              fmt(warnings.value?.counts[k.kind] ?? 0, 'count'),
            ])}
          />
        )}

        <h2>{t(text.sectionLedger)}</h2>
        {board.status === 'error' && (
          <Alert type="error" showIcon title={t(text.failed, { message: board.message })} />
        )}
        <h3>{t(text.ledgerDocuments)}</h3>
        <SimpleTable
          testId="report-ledger-documents"
          head={[
            t(text.document),
            t(text.total),
            t(text.done),
            t(text.overdue),
            t(text.dueSoon),
            t(text.unreported),
          ]}
          rows={(board.value?.documents ?? []).map((d) => [
            `${d.letter ? `${d.letter} · ` : ''}${d.title}${d.number ? `（${d.number}）` : ''}`,
            d.total,
            d.done,
            d.overdue,
            d.dueSoon,
            d.unreported,
          ])}
        />
        <h3>{t(text.ledgerUnits)}</h3>
        <SimpleTable
          testId="report-ledger-units"
          head={[
            t(text.unitName),
            t(text.total),
            t(text.done),
            t(text.overdue),
            t(text.dueSoon),
            t(text.unreported),
          ]}
          rows={[...(board.value?.units ?? [])]
            // the units with the most overdue tasks first
            .sort((a, b) => b.overdue - a.overdue || b.unreported - a.unreported)
            .map((u) => [u.unit, u.total, u.done, u.overdue, u.dueSoon, u.unreported])}
        />
      </article>
    </div>
  );
}

/** A plain table: the first column text, the others numbers. */
function SimpleTable({
  testId,
  head,
  rows,
}: {
  testId: string;
  head: string[];
  rows: ReactNode[][];
}) {
  const { t } = useI18n();
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={h} className={i === 0 ? undefined : 'num'}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={head.length} className="ot-muted">
              {t(text.none)}
            </td>
          </tr>
        ) : (
          rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, i) => (
                <td key={i} className={i === 0 ? undefined : 'num'}>
                  {cell}
                </td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

/** A panel's figures as a two-column table. */
function Figures({ title, items }: { title: string; items: [string, string][] }) {
  return (
    <table>
      <thead>
        <tr>
          <th colSpan={2}>{title}</th>
        </tr>
      </thead>
      <tbody>
        {items.map(([label, value]) => (
          <tr key={label}>
            <td>{label}</td>
            <td className="num">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
