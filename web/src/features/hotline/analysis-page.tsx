import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Row,
  Select,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import type { Analysis, AnalysisDetails, AnalysisQuery, Category, Figures } from './api';
import {
  exportAnalysisUrl,
  fetchAnalysis,
  fetchAnalysisDetails,
  fetchCategories,
  fetchRegions,
} from './api';
import { messageOf, RequireHotlineRole } from './components';
import { formatTime } from '../../shell/time';
import { percent } from './percent';
import './hotline.css';

export const analysisText = {
  title: { zh: '12345 诉求分析', en: '12345 analysis' },
  intro: {
    zh: '按周统计受理量、按期办结率和满意率，分类与区域一览，热点分类和地点，以及重复诉求。数据来自随工单写入实时更新的周汇总。',
    en: 'Weekly counts, on-time rate and satisfaction by category and region, hot categories and places, and repeat complaints — from weekly rollups kept with every ticket write.',
  },
  weeks: { zh: '统计周期', en: 'Period' },
  weeksN: { zh: '近 {n} 周', en: 'Last {n} weeks' },
  region: { zh: '区域', en: 'Region' },
  allRegions: { zh: '全部区域', en: 'All regions' },
  category: { zh: '分类', en: 'Category' },
  allCategories: { zh: '全部分类', en: 'All categories' },
  export: { zh: '导出 Excel', en: 'Export to Excel' },
  received: { zh: '受理量', en: 'Received' },
  finished: { zh: '办结量', en: 'Finished' },
  onTimeRate: { zh: '按期办结率', en: 'On-time rate' },
  satisfaction: { zh: '满意率', en: 'Satisfaction' },
  enterprise: { zh: '企业诉求', en: 'Enterprise demands' },
  repeated: { zh: '重复诉求', en: 'Repeat complaints' },
  reopened: { zh: '重办', en: 'Reopened' },
  trend: { zh: '每周趋势', en: 'Week by week' },
  byCategory: { zh: '按分类', en: 'By category' },
  byRegion: { zh: '按区域', en: 'By region' },
  hot: { zh: '每周热点', en: 'Hot spots by week' },
  weekOf: { zh: '周', en: 'Week of' },
  hotCategories: { zh: '热点分类', en: 'Hot categories' },
  hotRegions: { zh: '热点区域', en: 'Hot places' },
  repeats: {
    zh: '重复诉求（同一诉求人再次反映）',
    en: 'Repeat complaints (the same requester again)',
  },
  places: { zh: '多次反映的地点', en: 'Places asked about more than once' },
  first: { zh: '首次工单', en: 'First ticket' },
  times: { zh: '重复次数', en: 'Times' },
  lastAt: { zh: '最近一次', en: 'Last' },
  tickets: { zh: '工单数', en: 'Tickets' },
  name: { zh: '名称', en: 'Name' },
  failed: { zh: '加载失败：{message}', en: 'Could not load: {message}' },
  from: { zh: '{from} 至 {to} 当周', en: 'weeks of {from} to {to}' },
  legendRate: { zh: '柱下数字为按期办结率', en: 'the figure under each bar is the on-time rate' },
} satisfies Record<string, Text>;

/** `/workbench/hotline/analysis` and `/cockpit/hotline`: the weekly analysis. */
export function HotlineAnalysisPage() {
  return (
    <RequireHotlineRole roles={['operator', 'supervisor', 'admin']}>
      <AnalysisView />
    </RequireHotlineRole>
  );
}

function AnalysisView() {
  const { t, lang, locale } = useI18n();
  useDocumentTitle(analysisText.title);
  const [query, setQuery] = useState<AnalysisQuery>({ weeks: 13 });
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [details, setDetails] = useState<AnalysisDetails | null>(null);
  const [categories, setCategories] = useState<Category[]>([]);
  const [regions, setRegions] = useState<{ code: string; name: Text }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([
      fetchCategories(lang, controller.signal),
      fetchRegions(lang, controller.signal),
    ]).then(
      ([cats, regs]) => {
        setCategories(cats.filter((c) => c.parentCode === null));
        setRegions(
          regs
            .filter((r) => r.level !== 'province')
            .map((r) => ({ code: r.code, name: { zh: r.nameZh, en: r.nameEn } })),
        );
      },
      () => undefined,
    );
    return () => controller.abort();
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    Promise.all([
      fetchAnalysis(query, lang, controller.signal),
      fetchAnalysisDetails(query, lang, controller.signal),
    ]).then(
      ([a, d]) => {
        setAnalysis(a);
        setDetails(d);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(messageOf(failure));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [query.weeks, query.region, query.category]);

  const figureColumns = <T extends Figures>(): TableColumnsType<T> => [
    { key: 'received', title: t(analysisText.received), dataIndex: 'received', align: 'right' },
    {
      key: 'finished',
      title: t(analysisText.finished),
      dataIndex: 'finished',
      align: 'right',
      responsive: ['md'],
    },
    {
      key: 'onTimeRate',
      title: t(analysisText.onTimeRate),
      align: 'right',
      render: (_, f) => <Rate value={f.onTimeRate} />,
    },
    {
      key: 'satisfactionRate',
      title: t(analysisText.satisfaction),
      align: 'right',
      render: (_, f) => <Rate value={f.satisfactionRate} />,
    },
    {
      key: 'repeated',
      title: t(analysisText.repeated),
      dataIndex: 'repeated',
      align: 'right',
      responsive: ['lg'],
    },
    {
      key: 'enterprise',
      title: t(analysisText.enterprise),
      dataIndex: 'enterprise',
      align: 'right',
      responsive: ['lg'],
    },
  ];

  const maxWeek = Math.max(1, ...(analysis?.weeks.map((w) => w.received) ?? [1]));

  return (
    <div className="ot-hl-page ot-hl-analysis" data-testid="analysis">
      <div className="ot-workbench-title ot-hl-title-row">
        <Typography.Title level={2}>{t(analysisText.title)}</Typography.Title>
        <span className="ot-hl-spacer" />
        <Button icon={<DownloadOutlined />} href={exportAnalysisUrl(query)}>
          {t(analysisText.export)}
        </Button>
      </div>
      <Typography.Paragraph className="ot-lead">{t(analysisText.intro)}</Typography.Paragraph>
      <div className="ot-hl-toolbar">
        <Select
          value={query.weeks}
          onChange={(weeks) => setQuery({ ...query, weeks })}
          options={[4, 8, 13, 26, 52].map((n) => ({
            value: n,
            label: t(analysisText.weeksN, { n }),
          }))}
          aria-label={t(analysisText.weeks)}
          className="ot-hl-select"
        />
        <Select
          allowClear
          value={query.region}
          placeholder={t(analysisText.allRegions)}
          onChange={(region) => setQuery({ ...query, region })}
          options={regions.map((r) => ({ value: r.code, label: t(r.name) }))}
          className="ot-hl-select-wide"
        />
        <Select
          allowClear
          value={query.category}
          placeholder={t(analysisText.allCategories)}
          onChange={(category) => setQuery({ ...query, category })}
          options={categories.map((c) => ({ value: c.code, label: t(c.name) }))}
          className="ot-hl-select"
        />
        {analysis && (
          <span className="ot-muted">
            {t(analysisText.from, { from: analysis.fromWeek, to: analysis.toWeek })}
          </span>
        )}
      </div>
      {error && (
        <Alert
          type="error"
          showIcon
          title={t(analysisText.failed, { message: error })}
          className="ot-block"
        />
      )}
      {!analysis ? (
        <div className="ot-centered">
          <Spin />
        </div>
      ) : (
        <Spin spinning={loading}>
          <Row gutter={[12, 12]} className="ot-block">
            {(
              [
                [analysisText.received, analysis.totals.received, null],
                [analysisText.finished, analysis.totals.finished, null],
                [analysisText.onTimeRate, null, analysis.totals.onTimeRate],
                [analysisText.satisfaction, null, analysis.totals.satisfactionRate],
                [analysisText.enterprise, analysis.totals.enterprise, null],
                [analysisText.repeated, analysis.totals.repeated, null],
              ] as [Text, number | null, number | null][]
            ).map(([label, count, rate]) => (
              <Col key={label.en} xs={12} md={8} xl={4}>
                <Card size="small" className="ot-hl-kpi">
                  <Statistic title={t(label)} value={count ?? percent(rate)} />
                </Card>
              </Col>
            ))}
          </Row>
          <Card size="small" title={t(analysisText.trend)} className="ot-hl-card">
            {analysis.totals.received === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <div className="ot-hl-chart" role="img" aria-label={t(analysisText.trend)}>
                {analysis.weeks.map((w) => (
                  <div
                    key={w.weekStart}
                    className="ot-hl-bar-col"
                    title={`${w.weekStart}: ${w.received}`}
                  >
                    <div className="ot-hl-bar-value">{w.received}</div>
                    <div className="ot-hl-bar-track">
                      <div
                        className="ot-hl-bar"
                        style={{ height: `${(w.received / maxWeek) * 100}%` }}
                      >
                        <div
                          className="ot-hl-bar-done"
                          style={{ height: `${w.received ? (w.finished / w.received) * 100 : 0}%` }}
                        />
                      </div>
                    </div>
                    <div className="ot-hl-bar-label">{w.weekStart.slice(5)}</div>
                    <div className="ot-hl-bar-rate">{percent(w.onTimeRate)}</div>
                  </div>
                ))}
              </div>
            )}
            <div className="ot-hl-legend ot-muted">
              <span className="ot-hl-legend-received" /> {t(analysisText.received)}
              <span className="ot-hl-legend-finished" /> {t(analysisText.finished)}
              <span>· {t(analysisText.legendRate)}</span>
            </div>
          </Card>
          <Row gutter={16}>
            <Col xs={24} xl={14}>
              <Card size="small" title={t(analysisText.byCategory)} className="ot-hl-card">
                <Table
                  size="small"
                  rowKey="code"
                  pagination={{ pageSize: 10, hideOnSinglePage: true }}
                  // seven columns are wider than the card beside the regions: scroll inside it
                  scroll={{ x: true }}
                  dataSource={analysis.categories}
                  columns={[
                    {
                      key: 'name',
                      title: t(analysisText.name),
                      render: (_, c) => (
                        <span>
                          {t(c.name)} <span className="ot-muted">{t(c.groupName)}</span>
                        </span>
                      ),
                    },
                    ...figureColumns<Analysis['categories'][number]>(),
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title={t(analysisText.byRegion)} className="ot-hl-card">
                <Table
                  size="small"
                  rowKey="code"
                  pagination={false}
                  scroll={{ x: true }}
                  dataSource={analysis.regions}
                  columns={[
                    { key: 'name', title: t(analysisText.name), render: (_, r) => t(r.name) },
                    ...figureColumns<Analysis['regions'][number]>()
                      .filter((c) => c.key !== 'finished')
                      .slice(0, 3),
                  ]}
                />
              </Card>
            </Col>
          </Row>
          <Card size="small" title={t(analysisText.hot)} className="ot-hl-card">
            <Table
              size="small"
              rowKey="weekStart"
              pagination={false}
              dataSource={[...analysis.hot].reverse().filter((h) => h.categories.length > 0)}
              columns={[
                { key: 'week', title: t(analysisText.weekOf), dataIndex: 'weekStart', width: 110 },
                {
                  key: 'categories',
                  title: t(analysisText.hotCategories),
                  render: (_, h) =>
                    h.categories.map((c) => (
                      <Tag key={c.code} color="volcano">
                        {t(c.name)} {c.received}
                      </Tag>
                    )),
                },
                {
                  key: 'regions',
                  title: t(analysisText.hotRegions),
                  render: (_, h) =>
                    h.regions.map((r) => (
                      <Tag key={r.code} color="geekblue">
                        {t(r.name)} {r.received}
                      </Tag>
                    )),
                },
              ]}
            />
          </Card>
          <Row gutter={16}>
            <Col xs={24} xl={14}>
              <Card size="small" title={t(analysisText.repeats)} className="ot-hl-card">
                <Table
                  size="small"
                  rowKey="number"
                  pagination={false}
                  dataSource={details?.repeats ?? []}
                  columns={[
                    {
                      key: 'number',
                      title: t(analysisText.first),
                      render: (_, r) => (
                        <div className="ot-hl-name-cell">
                          <Link to={`/workbench/hotline?tab=ledger&q=${r.number}`}>{r.title}</Link>
                          <span className="ot-muted">
                            {r.number} · {t(r.category.name)} · {t(r.region.name)}
                          </span>
                        </div>
                      ),
                    },
                    {
                      key: 'times',
                      title: t(analysisText.times),
                      dataIndex: 'times',
                      align: 'right',
                    },
                    {
                      key: 'lastAt',
                      title: t(analysisText.lastAt),
                      render: (_, r) => formatTime(r.lastAt, locale),
                      responsive: ['md'],
                    },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title={t(analysisText.places)} className="ot-hl-card">
                <Table
                  size="small"
                  rowKey={(p) => `${p.region.code}:${p.address}`}
                  pagination={false}
                  dataSource={details?.places ?? []}
                  columns={[
                    {
                      key: 'address',
                      title: t(analysisText.name),
                      render: (_, p) => (
                        <div className="ot-hl-name-cell">
                          <span>{p.address}</span>
                          <span className="ot-muted">{t(p.region.name)}</span>
                        </div>
                      ),
                    },
                    {
                      key: 'tickets',
                      title: t(analysisText.tickets),
                      dataIndex: 'tickets',
                      align: 'right',
                    },
                  ]}
                />
              </Card>
            </Col>
          </Row>
        </Spin>
      )}
    </div>
  );
}

function Rate({ value }: { value: number | null }) {
  if (value === null) return <span className="ot-muted">—</span>;
  const color =
    value >= 0.9 ? 'ot-hl-rate-good' : value >= 0.75 ? 'ot-hl-rate-fair' : 'ot-hl-rate-poor';
  return <span className={color}>{percent(value)}</span>;
}
