import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, Button, Input, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import type { BundleSummary } from '../bundles/api';
import { listBundles } from '../bundles/api';
import { formatTime } from '../../shell/time';
import { useFilters } from '../../shell/use-filters';
import type { ApplicationList, ApplicationStatus, ApplicationSummary } from './api';
import { listApplications } from './api';
import { maskIdentifier, StatusTag } from './application-view';
import { applicantKindLabels, channelLabels, statusLabels } from './labels';
import { RequireRole } from './require-role';
import './applications.css';

const PAGE_SIZE = 20;

export const intakeText = {
  title: { zh: '窗口受理', en: 'Counter intake' },
  intro: {
    zh: '综合窗口“前台综合受理”：预审网上提交和窗口帮办的一件事申请，受理、容缺受理、一次性告知补正或不予受理，并出具告知书。',
    en: 'The comprehensive window: pre-review bundle applications submitted online or at the window, then accept, accept with materials to follow, request a correction once, or refuse — each with its notice.',
  },
  assisted: { zh: '帮办代办', en: 'Apply on someone’s behalf' },
  status: { zh: '状态', en: 'Status' },
  allStatuses: { zh: '全部状态', en: 'All statuses' },
  bundle: { zh: '一件事', en: 'Bundle' },
  allBundles: { zh: '全部一件事', en: 'All bundles' },
  search: { zh: '按申请编号或申请人搜索', en: 'Search by number or applicant' },
  number: { zh: '申请编号', en: 'Number' },
  applicant: { zh: '申请人', en: 'Applicant' },
  channel: { zh: '渠道', en: 'Channel' },
  submittedAt: { zh: '提交时间', en: 'Submitted' },
  expectedBy: { zh: '预计办结', en: 'Expected by' },
  open: { zh: '预审', en: 'Review' },
  view: { zh: '查看', en: 'View' },
  refresh: { zh: '刷新', en: 'Refresh' },
  failed: { zh: '加载失败：{message}', en: 'Could not load: {message}' },
  empty: { zh: '没有符合条件的申请', en: 'No application matches' },
  total: { zh: '共 {total} 件', en: '{total} applications' },
} satisfies Record<string, Text>;

const STATUSES: ApplicationStatus[] = [
  'submitted',
  'correction',
  'accepted',
  'refused',
  'withdrawn',
  'draft',
];

/** `/workbench/intake`: the window's queue, submitted applications first. */
export function IntakeQueuePage() {
  return (
    <RequireRole roles={['clerk']}>
      <IntakeQueue />
    </RequireRole>
  );
}

function IntakeQueue() {
  const { t, lang, locale } = useI18n();
  const navigate = useNavigate();
  const { params, update } = useFilters();
  useDocumentTitle(intakeText.title);
  const statusParam = params.get('status');
  const status: ApplicationStatus | undefined =
    statusParam === 'all'
      ? undefined
      : STATUSES.includes(statusParam as ApplicationStatus)
        ? (statusParam as ApplicationStatus)
        : 'submitted';
  const bundle = params.get('bundle') ?? '';
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [list, setList] = useState<ApplicationList | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [bundles, setBundles] = useState<BundleSummary[]>([]);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    listBundles({}, lang, controller.signal).then(
      (reply) => setBundles(reply.bundles),
      () => undefined,
    );
    return () => controller.abort();
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    listApplications(
      {
        status,
        bundle: bundle || undefined,
        q: q || undefined,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      },
      lang,
      controller.signal,
    ).then(
      (value) => {
        setList(value);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(failure instanceof Error ? failure.message : String(failure));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [status, bundle, q, page, generation]);

  const detail = (id: string) => `/workbench/intake/${id}`;
  const columns: TableColumnsType<ApplicationSummary> = [
    {
      key: 'number',
      title: t(intakeText.number),
      render: (_, app) => (
        <div className="ot-catalog-name-cell">
          <Link to={detail(app.id)} data-testid="queue-link">
            {app.number}
          </Link>
          <span className="ot-muted">{t(app.bundle.name)}</span>
        </div>
      ),
    },
    {
      key: 'applicant',
      title: t(intakeText.applicant),
      render: (_, app) => (
        <div className="ot-catalog-name-cell">
          <span>{app.applicant.name}</span>
          <span className="ot-muted">
            {t(applicantKindLabels[app.applicant.kind])}
            {app.applicant.identifier ? ` · ${maskIdentifier(app.applicant.identifier)}` : ''}
          </span>
        </div>
      ),
    },
    {
      key: 'channel',
      title: t(intakeText.channel),
      render: (_, app) => <Tag>{t(channelLabels[app.channel])}</Tag>,
      responsive: ['md'],
    },
    {
      key: 'status',
      title: t(intakeText.status),
      render: (_, app) => <StatusTag status={app.status} />,
    },
    {
      key: 'submitted',
      title: t(intakeText.submittedAt),
      render: (_, app) => (
        <span className="ot-nowrap">{formatTime(app.submittedAt ?? null, locale)}</span>
      ),
      responsive: ['lg'],
    },
    {
      key: 'expected',
      title: t(intakeText.expectedBy),
      render: (_, app) => (
        <span className="ot-nowrap">{formatTime(app.expectedBy ?? null, locale)}</span>
      ),
      responsive: ['xl'],
    },
    {
      key: 'actions',
      title: '',
      render: (_, app) => (
        <Button
          size="small"
          type={app.status === 'submitted' ? 'primary' : 'default'}
          onClick={() => navigate(detail(app.id))}
        >
          {t(app.status === 'submitted' ? intakeText.open : intakeText.view)}
        </Button>
      ),
    },
  ];

  return (
    <div data-testid="intake-queue">
      <div className="ot-workbench-title ot-app-wb-title">
        <Typography.Title level={2}>{t(intakeText.title)}</Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => navigate('/workbench/intake/new')}
          data-testid="assisted-new"
        >
          {t(intakeText.assisted)}
        </Button>
      </div>
      <Typography.Paragraph className="ot-lead">{t(intakeText.intro)}</Typography.Paragraph>
      <div className="ot-catalog-toolbar">
        <Select
          value={status ?? 'all'}
          onChange={(value: string) => update({ status: value })}
          aria-label={t(intakeText.status)}
          style={{ minWidth: 170 }}
          options={[
            { value: 'all', label: t(intakeText.allStatuses) },
            ...STATUSES.map((s) => ({ value: s, label: t(statusLabels[s]) })),
          ]}
          data-testid="queue-status"
        />
        <Select
          value={bundle}
          onChange={(value: string) => update({ bundle: value || undefined })}
          aria-label={t(intakeText.bundle)}
          style={{ minWidth: 200 }}
          popupMatchSelectWidth={false}
          options={[
            { value: '', label: t(intakeText.allBundles) },
            ...bundles.map((b) => ({ value: b.code, label: t(b.name) })),
          ]}
        />
        <Input.Search
          className="ot-catalog-toolbar-search"
          placeholder={t(intakeText.search)}
          aria-label={t(intakeText.search)}
          defaultValue={q}
          allowClear
          onSearch={(value) => update({ q: value.trim() || undefined })}
        />
        <span className="ot-catalog-toolbar-spacer" />
        <Button icon={<ReloadOutlined />} onClick={() => setGeneration((g) => g + 1)}>
          {t(intakeText.refresh)}
        </Button>
      </div>
      {error && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(intakeText.failed, { message: error })}
        />
      )}
      <Table<ApplicationSummary>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list?.applications ?? []}
        loading={loading}
        locale={{ emptyText: t(intakeText.empty) }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t(intakeText.total, { total }),
          onChange: (next) => update({ page: next > 1 ? String(next) : undefined }),
        }}
      />
    </div>
  );
}
