import { useEffect, useState } from 'react';
import {
  Alert,
  Card,
  DatePicker,
  Empty,
  Segmented,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { RequireRole } from '../applications/require-role';
import type { Role } from '../platform/api';
import { STATS_DIMENSIONS } from '../../../../src/evaluations/codes';
import { fetchStats, type StatsDimension, type StatsReport, type StatsRow } from './stats-api';

// The workbench's 好差评 statistics: satisfaction, bad ratings, on-time rectification and callbacks
// over a period, grouped by department, item, bundle, window or staff member. echarts is not a
// dependency of the web app, so the figures are shown as cards and a table, without a chart.

/** Roles that read the statistics (src/evaluations/stats.ts): these two the whole region … */
const REGION_READERS: readonly Role[] = ['supervisor', 'admin'];
/** … and these only their own department's ratings. */
const READERS: readonly Role[] = ['clerk', 'reviewer', 'operator', 'handler', ...REGION_READERS];

const text = {
  title: { zh: '好差评统计', en: 'Rating statistics' },
  intro: {
    zh: '按评价时间（北京时间）统计本区划及下级区划的评价。满意含非常满意、满意、基本满意；差评为不满意、非常不满意。申诉成立的恶意差评不计入。整改按期率 = 按期整改数 ÷ 已完成整改（已审核反馈）数；回访率 = 已回访数 ÷ 实名差评数（目标 100%）。',
    en: 'Ratings given in the period (Beijing time) in the region and below. Satisfied covers very satisfied, satisfied and fairly satisfied; bad covers dissatisfied and very dissatisfied. Ratings found malicious on appeal are left out. On-time rate = rectified on time ÷ rectifications done (approved and answered); callback rate = called back ÷ real-name bad ratings (target 100%).',
  },
  ownDepartment: {
    zh: '您看到的是本部门作为责任单位的评价。',
    en: 'You see the ratings your department answers for.',
  },
  period: { zh: '统计期间', en: 'Period' },
  by: { zh: '统计维度', en: 'Group by' },
  thisMonth: { zh: '本月', en: 'This month' },
  lastMonth: { zh: '上月', en: 'Last month' },
  last30: { zh: '近 30 天', en: 'Last 30 days' },
  thisYear: { zh: '今年', en: 'This year' },
  ratings: { zh: '评价数', en: 'Ratings' },
  flagged: { zh: '另有 {n} 条恶意差评未计入', en: '{n} malicious ratings left out' },
  satisfied: { zh: '满意', en: 'Satisfied' },
  bad: { zh: '差评', en: 'Bad' },
  satisfactionRate: { zh: '满意率', en: 'Satisfaction rate' },
  badRate: { zh: '差评率', en: 'Bad-rating rate' },
  averageLevel: { zh: '平均等级', en: 'Average level' },
  rectifications: { zh: '整改数', en: 'Rectifications' },
  rectifiedOnTime: { zh: '按期整改', en: 'On time' },
  onTimeRate: { zh: '整改按期率', en: 'On-time rate' },
  realNameBad: { zh: '实名差评', en: 'Real-name bad' },
  calledBack: { zh: '已回访', en: 'Called back' },
  callbackRate: { zh: '回访率', en: 'Callback rate' },
  name: { zh: '名称', en: 'Name' },
  region: { zh: '{region}，{from} 至 {to}', en: '{region}, {from} to {to}' },
  failed: { zh: '加载失败：{message}', en: 'Could not load: {message}' },
} satisfies Record<string, Text>;

const DIMENSION_LABELS: Record<StatsDimension, Text> = {
  department: { zh: '按部门', en: 'Department' },
  item: { zh: '按事项', en: 'Item' },
  bundle: { zh: '按一件事', en: 'Bundle' },
  window: { zh: '按窗口', en: 'Window' },
  staff: { zh: '按经办人', en: 'Staff' },
};

const DAY = 'YYYY-MM-DD';

/** A rate as a percentage with one decimal, or '—' when there was nothing to divide. */
function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `/workbench/evaluations/stats`: 好差评 statistics of the caller's region or department. */
export function EvaluationStatsPage() {
  return (
    <RequireRole roles={READERS}>
      <EvaluationStats />
    </RequireRole>
  );
}

function EvaluationStats() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  useDocumentTitle(text.title);
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().startOf('month'), dayjs()]);
  const [by, setBy] = useState<StatsDimension>('department');
  const [report, setReport] = useState<StatsReport | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const from = range[0].format(DAY);
  const to = range[1].format(DAY);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    fetchStats({ from, to, by }, lang, controller.signal)
      .then(setReport)
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(errorText(e));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [from, to, by, lang]);

  const today = dayjs();
  const presets = [
    { label: t(text.thisMonth), value: [today.startOf('month'), today] as [Dayjs, Dayjs] },
    {
      label: t(text.lastMonth),
      value: [
        today.subtract(1, 'month').startOf('month'),
        today.subtract(1, 'month').endOf('month'),
      ] as [Dayjs, Dayjs],
    },
    { label: t(text.last30), value: [today.subtract(29, 'day'), today] as [Dayjs, Dayjs] },
    { label: t(text.thisYear), value: [today.startOf('year'), today] as [Dayjs, Dayjs] },
  ];

  return (
    <div className="ot-evaluation-stats">
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      </div>
      <Alert type="info" showIcon title={t(text.intro)} style={{ marginBottom: 16 }} />
      {user && !REGION_READERS.includes(user.role) && (
        <Alert type="warning" showIcon title={t(text.ownDepartment)} style={{ marginBottom: 16 }} />
      )}
      <Space wrap size={16} style={{ marginBottom: 16 }}>
        <Space>
          <Typography.Text>{t(text.period)}</Typography.Text>
          <DatePicker.RangePicker
            aria-label={t(text.period)}
            value={range}
            allowClear={false}
            presets={presets}
            // The server takes at most 366 days; later days than today have no ratings yet.
            disabledDate={(day, info) =>
              day.isAfter(today, 'day') ||
              (info.from !== undefined && Math.abs(day.diff(info.from, 'day')) >= 366)
            }
            onChange={(dates) => {
              if (dates?.[0] && dates[1]) setRange([dates[0], dates[1]]);
            }}
          />
        </Space>
        <Segmented<StatsDimension>
          aria-label={t(text.by)}
          value={by}
          onChange={setBy}
          options={STATS_DIMENSIONS.map((d) => ({ value: d, label: t(DIMENSION_LABELS[d]) }))}
        />
      </Space>
      {error && (
        <Alert
          type="error"
          showIcon
          title={t(text.failed, { message: error })}
          style={{ marginBottom: 16 }}
        />
      )}
      {report && (
        <Typography.Paragraph type="secondary">
          {t(text.region, {
            // the caller's own region by its name; another (never sent today) by its code
            region: user && report.region === user.regionCode ? t(user.regionName) : report.region,
            from: report.from,
            to: report.to,
          })}
        </Typography.Paragraph>
      )}
      {report && <Totals report={report} />}
      <StatsTable report={report} loading={loading} />
    </div>
  );
}

function RateCard({ title, rate, detail }: { title: Text; rate: number | null; detail: string }) {
  const { t } = useI18n();
  return (
    <Card size="small" style={{ minWidth: 160 }}>
      <Statistic
        title={t(title)}
        // Rounded here: Statistic's precision cuts the decimals off instead of rounding them.
        value={rate === null ? '—' : Math.round(rate * 1000) / 10}
        precision={rate === null ? undefined : 1}
        suffix={rate === null ? undefined : '%'}
      />
      <Typography.Text type="secondary">{detail}</Typography.Text>
    </Card>
  );
}

function Totals({ report }: { report: StatsReport }) {
  const { t } = useI18n();
  const totals = report.totals;
  return (
    <Space wrap size={16} style={{ marginBottom: 16 }} data-testid="evaluation-stats-totals">
      <Card size="small" style={{ minWidth: 160 }}>
        <Statistic title={t(text.ratings)} value={totals.ratings} />
        <Typography.Text type="secondary">
          {totals.flagged > 0 ? t(text.flagged, { n: totals.flagged }) : '\u00a0'}
        </Typography.Text>
      </Card>
      <RateCard
        title={text.satisfactionRate}
        rate={totals.satisfactionRate}
        detail={`${t(text.satisfied)} ${totals.satisfied} / ${totals.ratings}`}
      />
      <RateCard
        title={text.badRate}
        rate={totals.badRate}
        detail={`${t(text.bad)} ${totals.bad} / ${totals.ratings}`}
      />
      <RateCard
        title={text.onTimeRate}
        rate={totals.onTimeRate}
        detail={`${t(text.rectifiedOnTime)} ${totals.rectifiedOnTime} / ${t(text.rectifications)} ${totals.rectifications}`}
      />
      <RateCard
        title={text.callbackRate}
        rate={totals.callbackRate}
        detail={`${t(text.calledBack)} ${totals.calledBack} / ${totals.realNameBad}`}
      />
    </Space>
  );
}

function StatsTable({ report, loading }: { report: StatsReport | null; loading: boolean }) {
  const { t } = useI18n();
  // A staff member's key is their account id: not worth showing under the name.
  const showKey = report?.by !== 'staff';
  const count = (title: Text, field: keyof StatsRow) => ({
    title: t(title),
    key: field,
    align: 'right' as const,
    width: 90,
    render: (_: unknown, row: StatsRow) => row[field] as number,
  });
  const ratio = (title: Text, field: keyof StatsRow) => ({
    title: t(title),
    key: field,
    align: 'right' as const,
    width: 100,
    render: (_: unknown, row: StatsRow) => percent(row[field] as number | null),
  });
  const columns: TableColumnsType<StatsRow> = [
    {
      title: t(text.name),
      key: 'name',
      fixed: 'left',
      render: (_, row) => (
        <div>
          <div>{t(row.name)}</div>
          {showKey && row.key && row.key !== row.name.zh && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {row.key}
            </Typography.Text>
          )}
        </div>
      ),
    },
    count(text.ratings, 'ratings'),
    count(text.satisfied, 'satisfied'),
    count(text.bad, 'bad'),
    ratio(text.satisfactionRate, 'satisfactionRate'),
    ratio(text.badRate, 'badRate'),
    {
      title: t(text.averageLevel),
      key: 'averageLevel',
      align: 'right',
      width: 90,
      render: (_, row) => (row.averageLevel === null ? '—' : row.averageLevel.toFixed(2)),
    },
    count(text.rectifications, 'rectifications'),
    count(text.rectifiedOnTime, 'rectifiedOnTime'),
    ratio(text.onTimeRate, 'onTimeRate'),
    count(text.realNameBad, 'realNameBad'),
    count(text.calledBack, 'calledBack'),
    ratio(text.callbackRate, 'callbackRate'),
  ];
  return (
    <Table<StatsRow>
      rowKey={(row) => row.key ?? '(none)'}
      loading={loading}
      dataSource={report?.rows ?? []}
      columns={columns}
      scroll={{ x: 'max-content' }}
      pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
      locale={{ emptyText: <Empty /> }}
    />
  );
}
