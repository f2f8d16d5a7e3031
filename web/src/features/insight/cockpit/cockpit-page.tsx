import { useMemo, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { Link } from 'react-router-dom';
import {
  Alert,
  Button,
  Card,
  Col,
  ConfigProvider,
  DatePicker,
  Progress,
  Row,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  theme as antTheme,
  Tooltip,
  Typography,
} from 'antd';
import {
  BookOutlined,
  DesktopOutlined,
  FileTextOutlined,
  FullscreenExitOutlined,
  InfoCircleOutlined,
  PhoneOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import dayjs from 'dayjs';
import type { EChartsType } from 'echarts/core';
import type { Text } from '../../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../../shell/i18n';
import { formatTime } from '../../../shell/time';
import type { CockpitWarnings, IndicatorDefinition, Indicators, Panels } from '../api';
import {
  bundlesOption,
  departmentsOption,
  hotTopicsOption,
  mapOption,
  mapPoints,
  shortName,
  trendOption,
  type ChartContext,
} from './charts';
import { DefinitionsModal, DrillDrawer } from './drill-drawer';
import { EChart } from './echart';
import {
  beijingDay,
  ENTERPRISE_OPENING,
  formatFigure,
  KPIS,
  MAP_METRICS,
  periodLabel,
  targetOf,
  UNITS,
  WARNING_KINDS,
  warningName,
  type Kpi,
} from './model';
import { cockpitText as text } from './text';
import { useCockpitData, useCockpitQuery, useDefinitions, useRegions } from './use-cockpit';
import { DIVISIONS, registerWeihaiMap, ZONES } from './weihai-map';
import './cockpit.css';

registerWeihaiMap();

/** `/cockpit`: the government-services cockpit (政务服务数字驾驶舱). */
export function CockpitPage() {
  const { t, locale } = useI18n();
  useDocumentTitle(text.title);
  const regions = useRegions();
  const { period, region, update } = useCockpitQuery(regions.root);
  const definitions = useDefinitions();
  const { indicators, panels, warnings, map } = useCockpitData(period, region, regions.root);
  const [big, setBig] = useState(false);
  const [metric, setMetric] = useState<(typeof MAP_METRICS)[number]['key']>('easyRate');
  const [drill, setDrill] = useState<Kpi | null>(null);
  const [showDefinitions, setShowDefinitions] = useState(false);
  const regionName = (code: string) => {
    const node = regions.byCode.get(code);
    return node ? t(node.name) : code;
  };
  const figures = indicators.value;
  const context: ChartContext = {
    t,
    locale,
    dark: big,
    regionName,
    noData: t(text.noFigure),
  };
  const today = beijingDay();
  const month = period.mode === 'month' ? period.month : period.to.slice(0, 7);

  const mapMetric = MAP_METRICS.find((m) => m.key === metric) ?? MAP_METRICS[0]!;
  const charts = useMemo(
    () => ({
      map: mapOption(map, mapMetric, region, context),
      trend: trendOption(
        figures,
        period.from,
        // days still to come are not drawn as zeros
        period.to > today && period.from <= today ? today : period.to,
        { submitted: t(text.submitted), completed: t(text.completed) },
        context,
      ),
      departments: departmentsOption(panels.value, context),
      bundles: bundlesOption(
        figures,
        { average: t(text.average), p90: t(text.p90), committed: t(text.committed) },
        context,
      ),
      hot: hotTopicsOption(figures, context),
    }),
    // the options follow the data, the language, the theme and the picked metric and region
    [
      map,
      figures,
      panels.value,
      locale,
      big,
      metric,
      region,
      regions.byCode,
      period.from,
      period.to,
    ],
  );

  const switchRegion = (code: string) => {
    if (regions.byCode.has(code) && code !== region)
      update({ region: code === regions.root ? undefined : code });
  };
  const drawnMap = (chart: EChartsType, element: HTMLDivElement) => {
    element.dataset.points = JSON.stringify(mapPoints(chart));
  };
  const height = big ? 190 : 300;

  const body = (
    <div
      className={big ? 'ot-ck ot-ck-big' : 'ot-ck'}
      data-testid="cockpit"
      data-region={region}
      data-from={period.from}
      data-to={period.to}
      data-loading={indicators.status === 'loading' ? 'true' : 'false'}
    >
      <div className="ot-ck-head">
        <div className="ot-ck-titles">
          <Typography.Title level={2} className="ot-ck-title">
            {t(text.title)}
          </Typography.Title>
          <div className="ot-ck-subtitle" data-testid="cockpit-subtitle">
            {t(text.subtitle, { region: regionName(region), period: periodLabel(period, t) })}
            {figures?.asOf && t(text.asOf, { time: formatTime(figures.asOf, locale) })}
          </div>
        </div>
        <Space wrap className="ot-ck-toolbar">
          <Segmented
            value={period.mode}
            onChange={(mode) =>
              mode === 'month'
                ? update({ month, from: undefined, to: undefined })
                : update({ month: undefined, from: period.from, to: period.to })
            }
            options={[
              { value: 'month', label: t(text.byMonth) },
              { value: 'range', label: t(text.byRange) },
            ]}
          />
          {period.mode === 'month' ? (
            <DatePicker
              picker="month"
              allowClear={false}
              value={dayjs(`${period.month}-01`)}
              onChange={(value) => value && update({ month: value.format('YYYY-MM') })}
              aria-label={t(text.period)}
              data-testid="period-month"
            />
          ) : (
            <DatePicker.RangePicker
              allowClear={false}
              value={[dayjs(period.from), dayjs(period.to)]}
              onChange={(values) =>
                values?.[0] &&
                values[1] &&
                update({ from: values[0].format('YYYY-MM-DD'), to: values[1].format('YYYY-MM-DD') })
              }
              data-testid="period-range"
            />
          )}
          <Select
            value={region}
            onChange={switchRegion}
            className="ot-ck-region"
            aria-label={t(text.region)}
            data-testid="region-select"
            options={regions.nodes.map((n) => ({
              value: n.code,
              label: t(n.name),
              depth: n.depth,
            }))}
            optionRender={(option) => (
              <span style={{ paddingLeft: (option.data.depth as number) * 14 }}>
                {option.label}
              </span>
            )}
          />
          <Button icon={<BookOutlined />} onClick={() => setShowDefinitions(true)}>
            {t(text.definitions)}
          </Button>
          <Link to={`/cockpit/report?region=${region}&month=${month}`} data-testid="report-link">
            <Button icon={<FileTextOutlined />}>{t(text.report)}</Button>
          </Link>
          <Link to="/cockpit/hotline">
            <Button icon={<PhoneOutlined />}>{t(text.hotline)}</Button>
          </Link>
          <Link to="/workbench/ledger">
            <Button icon={<UnorderedListOutlined />}>{t(text.ledger)}</Button>
          </Link>
          <Button
            type={big ? 'primary' : 'default'}
            icon={big ? <FullscreenExitOutlined /> : <DesktopOutlined />}
            onClick={() => setBig(!big)}
            data-testid="big-screen"
          >
            {t(big ? text.exitBigScreen : text.bigScreen)}
          </Button>
        </Space>
      </div>

      {indicators.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(text.failed, { message: indicators.message })}
        />
      )}
      {panels.error && (
        <Alert
          type="warning"
          showIcon
          className="ot-block"
          title={t(text.panelsUnavailable, { message: panels.error })}
        />
      )}

      <Row gutter={[12, 12]} className="ot-block">
        {KPIS.map((kpi) => (
          <Col key={kpi.key} xs={12} sm={8} md={6} lg={4} xl={3}>
            <KpiCard
              kpi={kpi}
              definition={definitions.get(kpi.key)}
              indicators={figures}
              panels={panels.value}
              onOpen={() => setDrill(kpi)}
            />
          </Col>
        ))}
      </Row>

      <Row gutter={[12, 12]} className="ot-block">
        <Col xs={24} xl={10} xxl={9}>
          <Card
            size="small"
            className="ot-ck-card"
            title={
              <span>
                {t(text.map)} <Tag className="ot-ck-schematic">{t(text.schematic)}</Tag>
              </span>
            }
            extra={
              <Select
                size="small"
                value={metric}
                onChange={setMetric}
                className="ot-ck-metric"
                aria-label={t(text.colourBy)}
                options={MAP_METRICS.map((m) => ({ value: m.key, label: t(m.name) }))}
              />
            }
          >
            <EChart
              testId="chart-map"
              label={t(text.map)}
              option={charts.map}
              dark={big}
              height={big ? 300 : 360}
              onClick={(click) => switchRegion(click.name)}
              onDrawn={drawnMap}
            />
            <div className="ot-ck-note">{t(text.mapNote)}</div>
            {!big && (
              <div className="ot-ck-map-keys">
                {[...DIVISIONS, ...ZONES].map((d) => (
                  <Tag.CheckableTag
                    key={d.code}
                    checked={d.code === region}
                    onChange={() => switchRegion(d.code)}
                    data-testid={`map-key-${d.code}`}
                  >
                    {shortName(regionName(d.code))}
                  </Tag.CheckableTag>
                ))}
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={14} xxl={15} className="ot-ck-stack">
          <Card size="small" className="ot-ck-card-fixed" title={t(text.trend)}>
            <EChart
              testId="chart-trend"
              label={t(text.trend)}
              option={charts.trend}
              dark={big}
              height={big ? 110 : 190}
            />
          </Card>
          <Card size="small" className="ot-ck-card-grow" title={t(text.bundles)}>
            <EnterpriseOpening indicators={figures} />
            <EChart
              testId="chart-bundles"
              label={t(text.bundles)}
              option={charts.bundles}
              dark={big}
              height={big ? 165 : 220}
            />
          </Card>
        </Col>
      </Row>

      <Row gutter={[12, 12]} className="ot-block">
        <Col xs={24} lg={12} xl={8}>
          <Card size="small" className="ot-ck-card" title={t(text.departments)}>
            <EChart
              testId="chart-departments"
              label={t(text.departments)}
              option={charts.departments}
              dark={big}
              height={height}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12} xl={8}>
          <Card size="small" className="ot-ck-card" title={t(text.hotTopics)}>
            <EChart
              testId="chart-hot"
              label={t(text.hotTopics)}
              option={charts.hot}
              dark={big}
              height={height}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <WarningsCard
            warnings={warnings.value}
            error={warnings.error}
            loading={warnings.loading}
            regionName={regionName}
          />
        </Col>
      </Row>

      <DrillDrawer
        indicator={drill?.key ?? null}
        name={drill?.name ?? text.title}
        definition={drill ? definitions.get(drill.key) : undefined}
        period={period}
        region={region}
        regionName={regionName}
        onClose={() => setDrill(null)}
      />
      <DefinitionsModal
        open={showDefinitions}
        definitions={[...definitions.values()]}
        onClose={() => setShowDefinitions(false)}
      />
    </div>
  );

  return big ? (
    <ConfigProvider theme={{ algorithm: antTheme.darkAlgorithm }}>{body}</ConfigProvider>
  ) : (
    <div className="ot-ck-frame">{body}</div>
  );
}

/** One KPI: its figure, target, definition on hover, and its records on click. */
function KpiCard({
  kpi,
  definition,
  indicators,
  panels,
  onOpen,
}: {
  kpi: Kpi;
  definition: IndicatorDefinition | undefined;
  indicators: Indicators | undefined;
  panels: Panels | null;
  onOpen: () => void;
}) {
  const { t, locale } = useI18n();
  const value = kpi.value(indicators, panels);
  const target = targetOf(kpi, definition);
  const met = value !== null && target !== null && value >= target;
  const name: Text = definition?.name ?? kpi.name;
  const open = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') onOpen();
  };
  const targetText =
    target === null ? null : formatFigure(target, kpi.format, locale) + t(UNITS[kpi.format]);
  return (
    <Card
      size="small"
      hoverable
      className="ot-ck-kpi"
      data-testid={`kpi-${kpi.key}`}
      data-value={value ?? ''}
      onClick={onOpen}
      onKeyDown={open}
      role="button"
      tabIndex={0}
      aria-label={`${t(name)} · ${t(text.drill)}`}
    >
      <div className="ot-ck-kpi-name">
        <span title={t(name)}>{t(name)}</span>
        {definition && (
          <Tooltip
            title={
              <div>
                <div>{t(definition.formula)}</div>
                <div className="ot-ck-tip-source">
                  {t(text.source)}：{t(definition.source)}
                </div>
              </div>
            }
          >
            <InfoCircleOutlined
              className="ot-ck-kpi-info"
              data-testid="kpi-info"
              onClick={(event) => event.stopPropagation()}
            />
          </Tooltip>
        )}
      </div>
      <div className="ot-ck-kpi-value" data-testid="kpi-value">
        {formatFigure(value, kpi.format, locale)}
        {value !== null && <small>{t(UNITS[kpi.format])}</small>}
      </div>
      {target !== null ? (
        <div className="ot-ck-kpi-target">
          <Progress
            percent={value === null ? 0 : Math.min(100, (value / target) * 100)}
            showInfo={false}
            size="small"
            strokeColor={met ? '#52c41a' : '#fa8c16'}
          />
          <span>
            {t(text.target, { target: targetText ?? '' })}{' '}
            {value !== null && (
              <Tag color={met ? 'success' : 'warning'} className="ot-ck-kpi-tag">
                {t(met ? text.met : text.notMet)}
              </Tag>
            )}
          </span>
        </div>
      ) : (
        <div className="ot-ck-kpi-target ot-ck-kpi-hint">{t(text.drill)}</div>
      )}
    </Card>
  );
}

/** 企业开办 against its one hour. */
function EnterpriseOpening({ indicators }: { indicators: Indicators | undefined }) {
  const { t, locale } = useI18n();
  const bundle = indicators?.byBundle.find((b) => b.bundleCode === ENTERPRISE_OPENING);
  if (!bundle || bundle.completed === 0) return null;
  const limit = bundle.committedHours ?? 1;
  // judged by the 90th percentile, or by the average while the percentile is not known
  const judged = bundle.p90Hours ?? bundle.averageHours;
  const within = judged !== null && judged <= limit;
  return (
    <div className="ot-ck-opening" data-testid="enterprise-opening">
      {judged !== null && (
        <Tag color={within ? 'success' : 'warning'}>{t(within ? text.met : text.notMet)}</Tag>
      )}
      {t(text.enterpriseOpening, {
        avg: formatFigure(bundle.averageHours, 'hours', locale),
        p90: formatFigure(bundle.p90Hours, 'hours', locale),
        limit,
      })}
    </div>
  );
}

/** What needs attention now: counts per kind, and the rows linking to their records. */
function WarningsCard({
  warnings,
  error,
  loading,
  regionName,
}: {
  warnings: CockpitWarnings | null;
  error: string | null;
  loading: boolean;
  regionName: (code: string) => string;
}) {
  const { t, locale } = useI18n();
  const [kind, setKind] = useState<string | null>(null);
  const items = (warnings?.items ?? []).filter((w) => kind === null || w.kind === kind);
  const now = Date.now();
  return (
    <Card
      size="small"
      className="ot-ck-card"
      title={t(text.warnings)}
      extra={<span className="ot-muted">{t(text.warningsNote)}</span>}
      data-testid="warnings"
    >
      {error ? (
        <Alert type="warning" showIcon title={t(text.warningsUnavailable, { message: error })} />
      ) : (
        <>
          <div className="ot-ck-warning-counts">
            {WARNING_KINDS.map((k) => (
              <Tag.CheckableTag
                key={k.kind}
                checked={kind === k.kind}
                onChange={(on) => setKind(on ? k.kind : null)}
                data-testid={`warning-count-${k.kind}`}
                data-count={warnings?.counts[k.kind] ?? 0}
              >
                {t(k.name)} <b>{warnings?.counts[k.kind] ?? 0}</b>
              </Tag.CheckableTag>
            ))}
          </div>
          <Table
            rowKey={(w) => `${w.kind}:${w.id}`}
            size="small"
            loading={loading}
            dataSource={items}
            pagination={{
              pageSize: 6,
              showSizeChanger: false,
              hideOnSinglePage: true,
              size: 'small',
            }}
            onRow={() => ({ 'data-testid': 'warning-row' }) as object}
            columns={[
              {
                key: 'title',
                title: t(text.subject),
                render: (_, w) => (
                  <div className="ot-ck-record">
                    <span>
                      <Tag color={WARNING_KINDS.find((k) => k.kind === w.kind)?.color}>
                        {t(warningName(w.kind))}
                      </Tag>
                      {w.link ? <Link to={w.link}>{t(w.title)}</Link> : t(w.title)}
                    </span>
                    <span className="ot-muted">
                      {w.number} · {regionName(w.regionCode)}
                    </span>
                  </div>
                ),
              },
              {
                key: 'due',
                title: t(text.due),
                width: 120,
                render: (_, w) => {
                  const days = Math.floor((now - Date.parse(w.dueAt)) / 86_400_000);
                  return (
                    <Tooltip title={formatTime(w.dueAt, locale)}>
                      <span className={days > 0 ? 'ot-ck-overdue' : undefined}>
                        {days > 0 ? t(text.overdueDays, { days }) : formatTime(w.dueAt, locale)}
                      </span>
                    </Tooltip>
                  );
                },
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}
