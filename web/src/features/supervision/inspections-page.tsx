import { Link, useNavigate } from 'react-router-dom';
import { Alert, Button, Checkbox, Select, Table, Tag, Typography } from 'antd';
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
import type { InspectionState, InspectionView } from './api';
import { fetchInspections } from './api';
import {
  INSPECTION_STATES,
  INSPECTION_STATE_COLORS,
  INSPECTION_STATE_LABELS,
  supervisionText,
} from './labels';
import './supervision.css';

const PAGE_SIZE = 20;

/** Who reads the inspection tasks: inspectors their own, supervisors their region, admins all. */
export const INSPECTION_ROLES: readonly Role[] = ['inspector', 'supervisor', 'admin'];

export const tasksText = {
  title: { zh: '检查任务', en: 'Inspection tasks' },
  intro: {
    zh: '随机抽取派给您的检查：检查前须备案（事前备案、计划匹配），到企业后扫企业出示的入企码（扫码入企），录入检查结果后 20 个工作日内公示。多个部门对同一企业的检查合并为联合检查，进一次门、查多项事。',
    en: 'The inspections drawn for you: file each before it happens (matched to its plan), check in with the code the enterprise shows, record the result and publish it within 20 working days. Several departments inspecting one enterprise go together as one joint inspection.',
  },
  introWide: {
    zh: '本区域的检查任务及其进度；红色标签为逾期未公示。',
    en: 'The inspections of your region and their progress; red marks results overdue for publication.',
  },
  allStates: { zh: '全部状态', en: 'All states' },
  overdueOnly: { zh: '只看逾期未公示', en: 'Only overdue for publication' },
  empty: { zh: '没有符合条件的检查任务', en: 'No inspection matches' },
} satisfies Record<string, Text>;

/** The departments of an inspection, with 联合检查 when there are several. */
export function DepartmentTags({ inspection }: { inspection: InspectionView }) {
  const { t } = useI18n();
  return (
    <span className="ot-sv-tags">
      {inspection.joint && (
        <Tag color="magenta" data-testid="joint-tag">
          {t(supervisionText.joint)}
        </Tag>
      )}
      {inspection.departments.map((d) => (
        <Tag key={d.code}>{t(d.name)}</Tag>
      ))}
    </span>
  );
}

/** The publication deadline, red when it has passed unpublished. */
export function PublishDue({ inspection }: { inspection: InspectionView }) {
  const { t, locale } = useI18n();
  if (!inspection.publishDueAt) return <span className="ot-muted">—</span>;
  return (
    <span className="ot-sv-due">
      <span className="ot-sv-nowrap">{formatTime(inspection.publishDueAt, locale)}</span>
      {inspection.publishOverdue && (
        <Tag color="red" data-testid="publish-overdue">
          {t(supervisionText.overdue)}
        </Tag>
      )}
    </span>
  );
}

/** An inspection's state as a tag. */
export function StateTag({ inspection }: { inspection: InspectionView }) {
  const { t } = useI18n();
  return (
    <Tag
      color={INSPECTION_STATE_COLORS[inspection.state]}
      data-testid="inspection-state"
      data-state={inspection.state}
    >
      {t(inspection.stateName)}
    </Tag>
  );
}

/** `/workbench/inspections`: the inspector's task list (检查任务). */
export function InspectionsPage() {
  return (
    <RequireRole roles={INSPECTION_ROLES}>
      <Inspections />
    </RequireRole>
  );
}

function Inspections() {
  const { t } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const { params, update } = useFilters();
  useDocumentTitle(tasksText.title);
  const stateParam = params.get('state') as InspectionState | null;
  const state = stateParam && INSPECTION_STATES.includes(stateParam) ? stateParam : undefined;
  const overdue = params.get('overdue') === '1';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const query = {
    state,
    publishOverdue: overdue || undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const { state: list, reload } = useLoad(JSON.stringify(query), (lang, signal) =>
    fetchInspections(query, lang, signal),
  );
  const detail = (id: string) => `/workbench/inspections/${id}`;

  const columns: TableColumnsType<InspectionView> = [
    {
      key: 'subject',
      title: t(supervisionText.enterprise),
      render: (_, i) => (
        <div className="ot-sv-cell">
          <Link to={detail(i.id)} data-testid="inspection-link" data-subject={i.subject.name}>
            {i.subject.name}
          </Link>
          <span className="ot-muted">{i.number}</span>
        </div>
      ),
    },
    {
      key: 'departments',
      title: t(supervisionText.departments),
      render: (_, i) => <DepartmentTags inspection={i} />,
    },
    {
      key: 'items',
      title: t(supervisionText.items),
      render: (_, i) => (
        <div className="ot-sv-cell">
          {i.items.map((item) => (
            <span key={item.code}>{t(item.name)}</span>
          ))}
        </div>
      ),
      responsive: ['lg'],
    },
    {
      key: 'period',
      title: t(supervisionText.period),
      render: (_, i) => (
        <div className="ot-sv-cell">
          <span className="ot-sv-nowrap">
            {t(supervisionText.periodRange, { from: i.startsOn, to: i.endsOn })}
          </span>
          {i.scheduledOn && (
            <span className="ot-muted">
              {t(supervisionText.scheduledOn)} {i.scheduledOn}
            </span>
          )}
        </div>
      ),
      responsive: ['md'],
    },
    {
      key: 'state',
      title: t(supervisionText.state),
      render: (_, i) => <StateTag inspection={i} />,
    },
    {
      key: 'due',
      title: t(supervisionText.publishDue),
      render: (_, i) => <PublishDue inspection={i} />,
    },
  ];

  const value = list.value;
  return (
    <div data-testid="inspections-page">
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(tasksText.title)}</Typography.Title>
      </div>
      <Typography.Paragraph className="ot-lead">
        {t(user?.role === 'inspector' ? tasksText.intro : tasksText.introWide)}
      </Typography.Paragraph>
      <div className="ot-sv-toolbar">
        <Select
          value={state ?? ''}
          onChange={(v: string) => update({ state: v || undefined })}
          aria-label={t(supervisionText.state)}
          style={{ minWidth: 150 }}
          popupMatchSelectWidth={false}
          options={[
            { value: '', label: t(tasksText.allStates) },
            ...INSPECTION_STATES.map((s) => ({ value: s, label: t(INSPECTION_STATE_LABELS[s]) })),
          ]}
          data-testid="inspection-state-filter"
        />
        <Checkbox
          checked={overdue}
          onChange={(e) => update({ overdue: e.target.checked ? '1' : undefined })}
          data-testid="inspection-overdue-filter"
        >
          {t(tasksText.overdueOnly)}
        </Checkbox>
        <span className="ot-sv-spacer" />
        <Button icon={<ReloadOutlined />} onClick={reload}>
          {t(supervisionText.refresh)}
        </Button>
      </div>
      {list.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(supervisionText.loadFailed, { message: list.message })}
        />
      )}
      <Table<InspectionView>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={value?.items ?? []}
        loading={list.status === 'loading'}
        locale={{ emptyText: t(tasksText.empty) }}
        rowClassName={(i) => (i.publishOverdue ? 'ot-sv-row ot-sv-row-overdue' : 'ot-sv-row')}
        onRow={(i) => ({
          onClick: (event) => {
            if ((event.target as HTMLElement).closest('a')) return;
            navigate(detail(i.id));
          },
        })}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: value?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (total) => t(supervisionText.total, { total }),
          onChange: (next) => update({ page: next > 1 ? String(next) : undefined }),
        }}
      />
    </div>
  );
}
