import { Link, useNavigate } from 'react-router-dom';
import { Alert, Button, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { useFilters } from '../../shell/use-filters';
import type { Role } from '../platform/api';
import { RequireRole } from '../applications/require-role';
import { useLoad } from '../cases/use-load';
import type { RectificationState, RectificationSummary } from './api';
import { listRectifications } from './api';
import { RECTIFICATION_STATES, STATE_COLORS, STATE_ORDER, evaluationText } from './labels';
import { LevelTag } from './service-ratings';
import './evaluations.css';

const PAGE_SIZE = 20;

/** Who works rectifications: the department's staff, supervisors of the region, admins. */
export const RECTIFICATION_ROLES: readonly Role[] = [
  'clerk',
  'reviewer',
  'operator',
  'handler',
  'supervisor',
  'admin',
];

/** States in which the department still has to act, so their due time matters. */
const PENDING: RectificationState[] = ['open', 'submitted', 'appealed'];

/** Due within this many milliseconds counts as soon. */
const SOON_MS = 24 * 60 * 60 * 1000;

export const queueText = {
  title: { zh: '差评整改', en: 'Rectification of bad ratings' },
  intro: {
    zh: '本部门收到的差评：核实原因、整改并答复评价人，经审核后反馈；恶意差评可申诉。黄色为 24 小时内到期，红色为已超期。',
    en: "Your department's bad ratings: find out why, put it right and answer the rater, reviewed before it is sent; malicious ratings can be appealed. Yellow is due within 24 hours, red is overdue.",
  },
  introSupervisor: {
    zh: '本区域各部门的差评整改：审核整改和答复，裁决申诉。黄色为 24 小时内到期，红色为已超期。',
    en: "Rectifications of your region's departments: review fixes and answers, decide appeals. Yellow is due within 24 hours, red is overdue.",
  },
  state: { zh: '状态', en: 'State' },
  allStates: { zh: '全部状态', en: 'All states' },
  service: { zh: '服务', en: 'Service' },
  rating: { zh: '评价', en: 'Rating' },
  department: { zh: '部门', en: 'Department' },
  due: { zh: '整改期限', en: 'Due' },
  overdue: { zh: '已超期', en: 'Overdue' },
  soon: { zh: '即将到期', en: 'Due soon' },
  ratedAt: { zh: '评价时间', en: 'Rated' },
  refresh: { zh: '刷新', en: 'Refresh' },
  empty: { zh: '没有符合条件的整改', en: 'No rectification matches' },
  total: { zh: '共 {total} 条', en: '{total} in all' },
} satisfies Record<string, Text>;

/** How urgent a rectification is: overdue, due soon, or neither. */
export function urgencyOf(r: Pick<RectificationSummary, 'state' | 'dueAt' | 'overdue'>) {
  if (!PENDING.includes(r.state)) return 'none';
  if (r.overdue) return 'overdue';
  return Date.parse(r.dueAt) - Date.now() < SOON_MS ? 'soon' : 'none';
}

/** The due time, red when overdue and orange when close. */
export function DueCell({ r }: { r: Pick<RectificationSummary, 'state' | 'dueAt' | 'overdue'> }) {
  const { t, locale } = useI18n();
  const urgency = urgencyOf(r);
  return (
    <span className="ot-eval-due" data-urgency={urgency}>
      <span className="ot-nowrap">{formatTime(r.dueAt, locale)}</span>
      {urgency === 'overdue' && <Tag color="red">{t(queueText.overdue)}</Tag>}
      {urgency === 'soon' && <Tag color="orange">{t(queueText.soon)}</Tag>}
    </span>
  );
}

/** `/workbench/rectifications`: the queue of rectifications (差评整改). */
export function RectificationQueuePage() {
  return (
    <RequireRole roles={RECTIFICATION_ROLES}>
      <RectificationQueue />
    </RequireRole>
  );
}

function RectificationQueue() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const { params, update } = useFilters();
  useDocumentTitle(queueText.title);
  const wide = user?.role === 'supervisor' || user?.role === 'admin';
  const stateParam = params.get('state') as RectificationState | null;
  const state = stateParam && STATE_ORDER.includes(stateParam) ? stateParam : undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const query = { state, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const { state: list, reload } = useLoad(JSON.stringify(query), (lang, signal) =>
    listRectifications(query, lang, signal),
  );
  const detail = (id: string) => `/workbench/rectifications/${id}`;

  const columns: TableColumnsType<RectificationSummary> = [
    {
      key: 'service',
      title: t(queueText.service),
      render: (_, r) => (
        <div className="ot-eval-cell">
          <Link to={detail(r.id)} data-testid="rectification-link">
            {t(r.service.title)}
          </Link>
          <span className="ot-muted">
            {[t(r.service.kindLabel), r.service.number].filter(Boolean).join(' · ')}
          </span>
        </div>
      ),
    },
    {
      key: 'rating',
      title: t(queueText.rating),
      render: (_, r) => (
        <div className="ot-eval-cell">
          <span>
            <LevelTag level={r.rating.level} label={r.rating.levelLabel} />
            {r.rating.tags.map((tag) => (
              <Tag key={tag.key}>{t(tag.label)}</Tag>
            ))}
          </span>
          {r.rating.comment && (
            <span className="ot-muted ot-eval-clip" title={r.rating.comment}>
              {r.rating.comment}
            </span>
          )}
        </div>
      ),
    },
    ...(wide
      ? [
          {
            key: 'department',
            title: t(queueText.department),
            render: (_: unknown, r: RectificationSummary) => t(r.department.name),
            responsive: ['md' as const],
          },
        ]
      : []),
    {
      key: 'state',
      title: t(queueText.state),
      render: (_, r) => (
        <Tag color={STATE_COLORS[r.state]} data-testid="rectification-state" data-state={r.state}>
          {t(r.stateLabel)}
        </Tag>
      ),
    },
    {
      key: 'due',
      title: t(queueText.due),
      render: (_, r) => <DueCell r={r} />,
    },
    {
      key: 'ratedAt',
      title: t(queueText.ratedAt),
      render: (_, r) => (
        <div className="ot-eval-cell">
          <span className="ot-nowrap">{formatTime(r.rating.ratedAt, locale)}</span>
          <span className="ot-muted">{t(r.rating.channelLabel)}</span>
        </div>
      ),
      responsive: ['lg'],
    },
  ];

  const value = list.value;
  return (
    <div data-testid="rectification-queue">
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(queueText.title)}</Typography.Title>
      </div>
      <Typography.Paragraph className="ot-lead">
        {t(wide ? queueText.introSupervisor : queueText.intro)}
      </Typography.Paragraph>
      <div className="ot-catalog-toolbar">
        <Select
          value={state ?? ''}
          onChange={(v: string) => update({ state: v || undefined })}
          aria-label={t(queueText.state)}
          style={{ minWidth: 170 }}
          popupMatchSelectWidth={false}
          options={[
            { value: '', label: t(queueText.allStates) },
            ...STATE_ORDER.map((s) => ({ value: s, label: t(RECTIFICATION_STATES[s]) })),
          ]}
          data-testid="rectification-state-filter"
        />
        <span className="ot-catalog-toolbar-spacer" />
        <Button icon={<ReloadOutlined />} onClick={reload}>
          {t(queueText.refresh)}
        </Button>
      </div>
      {list.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(evaluationText.loadFailed, { message: list.message })}
        />
      )}
      <Table<RectificationSummary>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={value?.items ?? []}
        loading={list.status === 'loading'}
        locale={{ emptyText: t(queueText.empty) }}
        rowClassName={(r) => `ot-eval-row ot-eval-row-${urgencyOf(r)}`}
        onRow={(r) => ({
          onClick: (event) => {
            if ((event.target as HTMLElement).closest('a')) return;
            navigate(detail(r.id));
          },
        })}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: value?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (total) => t(queueText.total, { total }),
          onChange: (next) => update({ page: next > 1 ? String(next) : undefined }),
        }}
      />
    </div>
  );
}
