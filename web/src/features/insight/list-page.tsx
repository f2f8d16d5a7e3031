import { Link, useNavigate } from 'react-router-dom';
import { Alert, Button, Input, Progress, Select, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useDocumentTitle, useI18n, type Text } from '../../shell/i18n';
import { useFilters } from '../../shell/use-filters';
import { RequireRole } from '../applications/require-role';
import { useLoad } from '../cases/use-load';
import {
  exportUrl,
  fetchDocuments,
  fetchTasks,
  type TaskQuery,
  type TaskState,
  type TaskSummary,
  type Warning,
} from './api';
import {
  LEDGER_ROLES,
  STATE_COLORS,
  STATE_LABELS,
  WARNING_COLORS,
  WARNING_LABELS,
  WARNINGS,
  ledgerText,
} from './labels';
import './ledger.css';

const PAGE_SIZE = 20;

const text = {
  document: { zh: '文件', en: 'Document' },
  allDocuments: { zh: '全部文件', en: 'All documents' },
  warning: { zh: '预警', en: 'Warning' },
  allWarnings: { zh: '全部预警', en: 'Any warning' },
  state: { zh: '状态', en: 'State' },
  allStates: { zh: '全部状态', en: 'All states' },
  search: { zh: '搜索任务内容', en: 'Search the tasks' },
  mine: { zh: '本单位任务', en: 'My units' },
  unitFilter: { zh: '单位：{unit}', en: 'Unit: {unit}' },
  task: { zh: '任务', en: 'Task' },
  lead: { zh: '牵头单位', en: 'Lead units' },
  due: { zh: '完成时限', en: 'Due' },
  progress: { zh: '最新进展', en: 'Latest progress' },
  none: { zh: '尚未报送', en: 'No report yet' },
  empty: { zh: '没有符合条件的任务', en: 'No task matches' },
} satisfies Record<string, Text>;

/** `/workbench/ledger/tasks`: the ledger's tasks with filters. */
export function LedgerListPage() {
  return (
    <RequireRole roles={LEDGER_ROLES}>
      <LedgerList />
    </RequireRole>
  );
}

/** A task's state and warnings as tags. */
export function TaskTags({ task }: { task: Pick<TaskSummary, 'state' | 'warnings'> }) {
  const { t } = useI18n();
  return (
    <span data-testid="task-tags" data-state={task.state}>
      <Tag color={STATE_COLORS[task.state]}>{t(STATE_LABELS[task.state])}</Tag>
      {task.warnings.map((w) => (
        <Tag key={w} color={WARNING_COLORS[w]} data-warning={w}>
          {t(WARNING_LABELS[w])}
        </Tag>
      ))}
    </span>
  );
}

function LedgerList() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { params, update } = useFilters();
  useDocumentTitle(ledgerText.tasks);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const warning = params.get('warning') as Warning | null;
  const state = params.get('state') as TaskState | null;
  const query: TaskQuery = {
    document: params.get('document') ?? undefined,
    unit: params.get('unit') ?? undefined,
    warning: warning && WARNINGS.includes(warning) ? warning : undefined,
    state: state === 'open' || state === 'done' ? state : undefined,
    q: params.get('q') ?? undefined,
    mine: params.get('mine') === 'true' || undefined,
  };
  const paged = { ...query, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const { state: list } = useLoad(JSON.stringify(paged), (lang, signal) =>
    fetchTasks(paged, lang, signal),
  );
  const { state: documents } = useLoad('documents', (lang, signal) => fetchDocuments(lang, signal));
  const detail = (id: string) => `/workbench/ledger/tasks/${encodeURIComponent(id)}`;

  const columns: TableColumnsType<TaskSummary> = [
    {
      key: 'task',
      title: t(text.task),
      render: (_, task) => (
        <div className="ot-ledger-cell">
          <span>
            <span className="ot-ledger-path">{task.path.at(-1)}</span>
            <Link to={detail(task.id)} data-testid="task-link">
              {task.title}
            </Link>
          </span>
          <span className="ot-muted">{task.headings.slice(-1).join('')}</span>
        </div>
      ),
    },
    {
      key: 'lead',
      title: t(text.lead),
      responsive: ['md'],
      render: (_, task) => task.leadUnits.join('、') || '—',
    },
    {
      key: 'due',
      title: t(text.due),
      render: (_, task) => <span className="ot-nowrap">{task.dueOn ?? t(ledgerText.ongoing)}</span>,
    },
    {
      key: 'progress',
      title: t(text.progress),
      width: 150,
      responsive: ['lg'],
      render: (_, task) =>
        task.lastPercent === null ? (
          <span className="ot-muted">{t(text.none)}</span>
        ) : (
          <div className="ot-ledger-cell">
            <Progress percent={task.lastPercent} size="small" />
            <span className="ot-muted">{task.lastPeriod}</span>
          </div>
        ),
    },
    {
      key: 'state',
      title: t(text.state),
      width: 190,
      render: (_, task) => <TaskTags task={task} />,
    },
  ];

  return (
    <div data-testid="ledger-list">
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(ledgerText.tasks)}</Typography.Title>
        <span className="ot-ledger-actions">
          <Link to="/workbench/ledger">
            <Button>{t(ledgerText.back)}</Button>
          </Link>
          <Button icon={<DownloadOutlined />} href={exportUrl(query)} download>
            {t(ledgerText.export)}
          </Button>
        </span>
      </div>
      <div className="ot-catalog-toolbar">
        <Select
          value={query.document ?? ''}
          onChange={(v: string) => update({ document: v || undefined })}
          aria-label={t(text.document)}
          style={{ minWidth: 220, maxWidth: 360 }}
          popupMatchSelectWidth={false}
          options={[
            { value: '', label: t(text.allDocuments) },
            ...(documents.value ?? []).map((d) => ({
              value: d.key,
              label: `${d.letter ? `${d.letter} · ` : ''}${d.title}`,
            })),
          ]}
          data-testid="filter-document"
        />
        <Select
          value={query.warning ?? ''}
          onChange={(v: string) => update({ warning: v || undefined })}
          aria-label={t(text.warning)}
          style={{ minWidth: 140 }}
          options={[
            { value: '', label: t(text.allWarnings) },
            ...WARNINGS.map((w) => ({ value: w, label: t(WARNING_LABELS[w]) })),
          ]}
          data-testid="filter-warning"
        />
        <Select
          value={query.state ?? ''}
          onChange={(v: string) => update({ state: v || undefined })}
          aria-label={t(text.state)}
          style={{ minWidth: 120 }}
          options={[
            { value: '', label: t(text.allStates) },
            { value: 'open', label: t(STATE_LABELS.open) },
            { value: 'done', label: t(STATE_LABELS.done) },
          ]}
        />
        <Input.Search
          defaultValue={query.q}
          allowClear
          placeholder={t(text.search)}
          onSearch={(v) => update({ q: v.trim() || undefined })}
          style={{ maxWidth: 260 }}
          data-testid="filter-q"
        />
        <label className="ot-nowrap">
          <Switch
            size="small"
            checked={query.mine === true}
            onChange={(on) => update({ mine: on ? 'true' : undefined })}
            data-testid="filter-mine"
          />{' '}
          {t(text.mine)}
        </label>
        {query.unit && (
          <Tag closable onClose={() => update({ unit: undefined })}>
            {t(text.unitFilter, { unit: query.unit })}
          </Tag>
        )}
      </div>
      {list.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(ledgerText.loadFailed, { message: list.message })}
        />
      )}
      <Table<TaskSummary>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.value?.items ?? []}
        loading={list.status === 'loading'}
        locale={{ emptyText: t(text.empty) }}
        onRow={(task) => ({
          onClick: (event) => {
            if ((event.target as HTMLElement).closest('a')) return;
            navigate(detail(task.id));
          },
        })}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.value?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (total) => t(ledgerText.count, { total }),
          onChange: (next) => update({ page: next > 1 ? String(next) : undefined }),
        }}
      />
    </div>
  );
}
