import { Link, useNavigate } from 'react-router-dom';
import { Alert, Button, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import type { Role } from '../platform/api';
import { RequireRole } from '../applications/require-role';
import { useLoad } from '../cases/use-load';
import type { PlanSummary } from './api';
import { fetchPlans } from './api';
import { useDirectory, nameIn } from './directory';
import { PLAN_STATE_COLORS, PLAN_STATE_LABELS, supervisionText } from './labels';
import './supervision.css';

/** Who plans random inspections: inspectors for their department, administrators for any. */
export const PLANNER_ROLES: readonly Role[] = ['inspector', 'admin'];

export const plansText = {
  title: { zh: '抽查计划', en: 'Inspection plans' },
  intro: {
    zh: '双随机、一公开：按检查事项、区域、行业、风险和信用等级制定抽查计划；抽取前锁定参数并公布随机种子的哈希，抽取后公开种子，任何人都可以复核抽取结果。',
    en: 'Random inspections, published results: plan by item, region, industry, risk and credit grade; the inputs are frozen and the hash of the random seed published before the draw, the seed revealed after it, so anyone can re-run the draw.',
  },
  create: { zh: '新建抽查计划', en: 'New inspection plan' },
  planTitle: { zh: '计划', en: 'Plan' },
  department: { zh: '部门', en: 'Department' },
  created: { zh: '创建时间', en: 'Created' },
  empty: { zh: '还没有抽查计划', en: 'No plans yet' },
} satisfies Record<string, Text>;

/** `/workbench/supervision/plans`: the department planner's list of plans. */
export function PlansPage() {
  return (
    <RequireRole roles={PLANNER_ROLES}>
      <Plans />
    </RequireRole>
  );
}

function Plans() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const directory = useDirectory();
  useDocumentTitle(plansText.title);
  const { state, reload } = useLoad('plans', (lang, signal) => fetchPlans(lang, signal));
  const detail = (id: string) => `/workbench/supervision/plans/${id}`;

  const columns: TableColumnsType<PlanSummary> = [
    {
      key: 'plan',
      title: t(plansText.planTitle),
      render: (_, p) => (
        <div className="ot-sv-cell">
          <Link to={detail(p.id)} data-testid="plan-link">
            {p.title}
          </Link>
          <span className="ot-muted">{p.number}</span>
        </div>
      ),
    },
    {
      key: 'department',
      title: t(plansText.department),
      render: (_, p) => t(nameIn(directory?.departments, p.departmentCode)),
      responsive: ['md'],
    },
    {
      key: 'period',
      title: t(supervisionText.period),
      render: (_, p) => (
        <span className="ot-sv-nowrap">
          {t(supervisionText.periodRange, { from: p.startsOn, to: p.endsOn })}
        </span>
      ),
      responsive: ['lg'],
    },
    {
      key: 'state',
      title: t(supervisionText.state),
      render: (_, p) => (
        <Tag color={PLAN_STATE_COLORS[p.state]} data-state={p.state}>
          {t(PLAN_STATE_LABELS[p.state])}
        </Tag>
      ),
    },
    {
      key: 'seedHash',
      title: t(supervisionText.seedHash),
      render: (_, p) =>
        p.seedHash ? (
          <Typography.Text code className="ot-sv-hash-short" title={p.seedHash}>
            {p.seedHash.slice(0, 16)}…
          </Typography.Text>
        ) : (
          <span className="ot-muted">—</span>
        ),
      responsive: ['md'],
    },
    {
      key: 'created',
      title: t(plansText.created),
      render: (_, p) => <span className="ot-sv-nowrap">{formatTime(p.createdAt, locale)}</span>,
      responsive: ['xl'],
    },
  ];

  return (
    <div data-testid="plans-page">
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(plansText.title)}</Typography.Title>
      </div>
      <Typography.Paragraph className="ot-lead">{t(plansText.intro)}</Typography.Paragraph>
      <div className="ot-sv-toolbar">
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => navigate('/workbench/supervision/plans/new')}
          data-testid="plan-new"
        >
          {t(plansText.create)}
        </Button>
        <span className="ot-sv-spacer" />
        <Button icon={<ReloadOutlined />} onClick={reload}>
          {t(supervisionText.refresh)}
        </Button>
      </div>
      {state.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(supervisionText.loadFailed, { message: state.message })}
        />
      )}
      <Table<PlanSummary>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={state.value ?? []}
        loading={state.status === 'loading'}
        locale={{ emptyText: t(plansText.empty) }}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        onRow={(p) => ({
          onClick: (event) => {
            if ((event.target as HTMLElement).closest('a')) return;
            navigate(detail(p.id));
          },
        })}
        rowClassName="ot-sv-row"
      />
    </div>
  );
}
