import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, Button, Input, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { LeftOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { useFilters } from '../../shell/use-filters';
import { RequireRole } from '../applications/require-role';
import type { CaseList, CaseState, CaseView, WarningLevel } from './api';
import { fetchDepartments, listCases } from './api';
import { CaseStateTag, DueCell } from './case-view';
import { CASE_STATE_ORDER, caseStateLabels, warningLabels } from './labels';
import { useLoad } from './use-load';
import './cases.css';

const PAGE_SIZE = 20;

export const queueText = {
  title: { zh: '部门审批', en: 'Department review queue' },
  intro: {
    zh: '本部门承办的一件事子件，按承诺办结时间先后排列；黄色为即将到期，红色为已超期。',
    en: "Your department's cases of bundle applications, earliest committed due first; yellow is due soon, red is overdue.",
  },
  introSupervisor: {
    zh: '本区域各部门的子件，按承诺办结时间先后排列；可按部门筛选。',
    en: 'Cases of every department in your region, earliest due first; filter by department.',
  },
  state: { zh: '状态', en: 'State' },
  allStates: { zh: '全部状态', en: 'All states' },
  warning: { zh: '预警', en: 'Warning' },
  allWarnings: { zh: '全部预警', en: 'Any warning' },
  dueBefore: { zh: '承诺办结早于', en: 'Due before' },
  department: { zh: '部门', en: 'Department' },
  allDepartments: { zh: '全部部门', en: 'All departments' },
  number: { zh: '申请编号', en: 'Application' },
  item: { zh: '事项', en: 'Item' },
  applicant: { zh: '申请人', en: 'Applicant' },
  due: { zh: '承诺办结', en: 'Due' },
  started: { zh: '开始计时', en: 'Started' },
  open: { zh: '办理', en: 'Open' },
  refresh: { zh: '刷新', en: 'Refresh' },
  failed: { zh: '加载失败：{message}', en: 'Could not load: {message}' },
  empty: { zh: '没有符合条件的子件', en: 'No case matches' },
  page: { zh: '第 {page} 页', en: 'Page {page}' },
  previous: { zh: '上一页', en: 'Previous' },
  next: { zh: '下一页', en: 'Next' },
  board: { zh: '督办看板', en: 'Supervision board' },
} satisfies Record<string, Text>;

const WARNINGS: WarningLevel[] = ['red', 'yellow', 'none'];

/** The end of a Beijing calendar day (YYYY-MM-DD) as an instant. */
function endOfBeijingDay(day: string): string | undefined {
  const date = new Date(`${day}T23:59:59.999+08:00`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The item's name, or its code when the server sent none. */
export function itemName(c: Pick<CaseView, 'item' | 'itemCode' | 'memberKey'>): Text {
  return c.item ?? { zh: c.itemCode, en: c.itemCode };
}

/** `/workbench/cases`: the department's queue of cases (子件). */
export function CaseQueuePage() {
  return (
    <RequireRole roles={['reviewer', 'supervisor', 'admin']}>
      <CaseQueue />
    </RequireRole>
  );
}

function CaseQueue() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const { params, update } = useFilters();
  useDocumentTitle(queueText.title);
  const wide = user?.role === 'supervisor' || user?.role === 'admin';
  const stateParam = params.get('state') as CaseState | null;
  const state = stateParam && CASE_STATE_ORDER.includes(stateParam) ? stateParam : undefined;
  const warningParam = params.get('warning') as WarningLevel | null;
  const warning = warningParam && WARNINGS.includes(warningParam) ? warningParam : undefined;
  const due = params.get('due') ?? '';
  const department = params.get('department') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const query = {
    state,
    warning,
    dueBefore: due ? endOfBeijingDay(due) : undefined,
    department: wide && department ? department : undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const { state: list, reload } = useLoad<CaseList>(JSON.stringify(query), (lang, signal) =>
    listCases(query, lang, signal),
  );
  const [departments, setDepartments] = useState<{ code: string; name: Text }[]>([]);
  useEffect(() => {
    if (!wide) return;
    const controller = new AbortController();
    fetchDepartments('zh', controller.signal).then(setDepartments, () => undefined);
    return () => controller.abort();
  }, [wide]);

  const detail = (id: string) => `/workbench/cases/${id}`;
  const columns: TableColumnsType<CaseView> = [
    {
      key: 'number',
      title: t(queueText.number),
      render: (_, c) => (
        <div className="ot-catalog-name-cell">
          <Link to={detail(c.id)} data-testid="case-link">
            {c.applicationNumber ?? c.applicationId.slice(0, 8)}
          </Link>
          {c.bundleName && <span className="ot-muted">{t(c.bundleName)}</span>}
        </div>
      ),
    },
    {
      key: 'item',
      title: t(queueText.item),
      render: (_, c) => (
        <div className="ot-catalog-name-cell">
          <span data-testid="case-item">{t(itemName(c))}</span>
          <span className="ot-muted">{wide ? t(c.department) : c.itemCode}</span>
        </div>
      ),
    },
    {
      key: 'applicant',
      title: t(queueText.applicant),
      render: (_, c) => c.applicantName ?? <span className="ot-muted">—</span>,
      responsive: ['md'],
    },
    {
      key: 'state',
      title: t(queueText.state),
      render: (_, c) => <CaseStateTag state={c.state} name={c.stateName} />,
    },
    {
      key: 'due',
      title: t(queueText.due),
      render: (_, c) => <DueCell c={c} />,
    },
    {
      key: 'started',
      title: t(queueText.started),
      render: (_, c) => <span className="ot-nowrap">{formatTime(c.startedAt, locale)}</span>,
      responsive: ['lg'],
    },
  ];

  const value = list.value;
  return (
    <div data-testid="case-queue">
      <div className="ot-workbench-title ot-app-wb-title">
        <Typography.Title level={2}>{t(queueText.title)}</Typography.Title>
        {wide && (
          <Button onClick={() => navigate('/workbench/supervision')}>{t(queueText.board)}</Button>
        )}
      </div>
      <Typography.Paragraph className="ot-lead">
        {t(wide ? queueText.introSupervisor : queueText.intro)}
      </Typography.Paragraph>
      <div className="ot-catalog-toolbar">
        <Select
          value={state ?? ''}
          onChange={(v: string) => update({ state: v || undefined })}
          aria-label={t(queueText.state)}
          style={{ minWidth: 150 }}
          popupMatchSelectWidth={false}
          options={[
            { value: '', label: t(queueText.allStates) },
            ...CASE_STATE_ORDER.map((s) => ({ value: s, label: t(caseStateLabels[s]) })),
          ]}
          data-testid="queue-state"
        />
        <Select
          value={warning ?? ''}
          onChange={(v: string) => update({ warning: v || undefined })}
          aria-label={t(queueText.warning)}
          style={{ minWidth: 130 }}
          options={[
            { value: '', label: t(queueText.allWarnings) },
            ...WARNINGS.map((w) => ({ value: w, label: t(warningLabels[w]) })),
          ]}
          data-testid="queue-warning"
        />
        <label className="ot-case-due-filter">
          <span>{t(queueText.dueBefore)}</span>
          <Input
            type="date"
            value={due}
            onChange={(e) => update({ due: e.target.value || undefined })}
            aria-label={t(queueText.dueBefore)}
            style={{ width: 160 }}
            data-testid="queue-due"
          />
        </label>
        {wide && (
          <Select
            value={department}
            onChange={(v: string) => update({ department: v || undefined })}
            aria-label={t(queueText.department)}
            style={{ minWidth: 180 }}
            popupMatchSelectWidth={false}
            showSearch={{ optionFilterProp: 'label' }}
            options={[
              { value: '', label: t(queueText.allDepartments) },
              ...departments.map((d) => ({ value: d.code, label: t(d.name) })),
            ]}
            data-testid="queue-department"
          />
        )}
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
          title={t(queueText.failed, { message: list.message })}
        />
      )}
      <Table<CaseView>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={value?.items ?? []}
        loading={list.status === 'loading'}
        locale={{ emptyText: t(queueText.empty) }}
        pagination={false}
        rowClassName={(c) => `ot-case-row ot-case-row-${c.warning}`}
        onRow={(c) => ({
          onClick: (event) => {
            // Links inside the row navigate on their own.
            if ((event.target as HTMLElement).closest('a')) return;
            navigate(detail(c.id));
          },
        })}
      />
      <div className="ot-case-pager">
        <Button
          icon={<LeftOutlined />}
          disabled={page <= 1}
          onClick={() => update({ page: page > 2 ? String(page - 1) : undefined })}
        >
          {t(queueText.previous)}
        </Button>
        <span className="ot-muted">{t(queueText.page, { page })}</span>
        <Button
          disabled={!value?.more}
          onClick={() => update({ page: String(page + 1) })}
          data-testid="queue-next"
        >
          {t(queueText.next)} <RightOutlined />
        </Button>
      </div>
    </div>
  );
}
