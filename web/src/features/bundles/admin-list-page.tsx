import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatDateTime } from '../catalog/admin-common';
import { RequireRole } from '../applications/require-role';
import type { BundleDraft, BundleProblem, BundleSummary } from './api';
import { fetchBundle, listBundleDrafts, listBundles } from './api';
import {
  bundleStatusColors,
  bundleStatusLabels,
  clusterLabels,
  describeCommitment,
} from './labels';
import './bundles.css';

export const bundleAdminText = {
  title: { zh: '一件事配置', en: 'Bundles' },
  intro: {
    zh: '配置“一件事”：成员事项及办理顺序、情形问题、合并后的一张表和一套材料、承诺（环节、成本、时限）。每次保存都做静态检查；有错误的草稿不能发布。',
    en: 'Configure bundles: member items and their order, situation questions, the merged form and material list, and the commitment (steps, cost, time). Every save is checked; a draft with errors cannot be published.',
  },
  newBundle: { zh: '新建一件事', en: 'New bundle' },
  drafts: { zh: '待发布的草稿', en: 'Drafts waiting to be published' },
  noDrafts: { zh: '没有待发布的草稿', en: 'No drafts waiting' },
  published: { zh: '已发布的一件事', en: 'Published bundles' },
  name: { zh: '名称', en: 'Bundle' },
  cluster: { zh: '类别', en: 'Cluster' },
  commitment: { zh: '承诺', en: 'Commitment' },
  members: { zh: '事项数', en: 'Items' },
  status: { zh: '版本', en: 'Version' },
  checks: { zh: '检查', en: 'Checks' },
  errors: { zh: '{count} 个错误', en: '{count} error(s)' },
  warnings: { zh: '{count} 个提示', en: '{count} warning(s)' },
  clean: { zh: '通过', en: 'Passed' },
  versionN: { zh: '第 {version} 版', en: 'v{version}' },
  draftPending: { zh: '草稿 第 {version} 版', en: 'Draft v{version}' },
  savedAt: { zh: '保存时间', en: 'Saved' },
  savedBy: { zh: '保存人', en: 'Saved by' },
  publishedAt: { zh: '发布时间', en: 'Published' },
  actions: { zh: '操作', en: 'Actions' },
  edit: { zh: '编辑', en: 'Edit' },
  continue: { zh: '继续编辑', en: 'Continue' },
  view: { zh: '在大厅查看', en: 'View in the hall' },
  failed: { zh: '加载失败：{message}', en: 'Could not load: {message}' },
} satisfies Record<string, Text>;

/** Errors and warnings of the checks as small tags. */
export function CheckCounts({ problems, errors }: { problems?: BundleProblem[]; errors?: number }) {
  const { t } = useI18n();
  const errorCount = errors ?? (problems ?? []).filter((p) => p.severity === 'error').length;
  const warningCount = (problems ?? []).filter((p) => p.severity === 'warning').length;
  if (errorCount === 0 && warningCount === 0) {
    return problems || errors !== undefined ? (
      <Tag color="green">{t(bundleAdminText.clean)}</Tag>
    ) : null;
  }
  return (
    <span className="ot-tag-row">
      {errorCount > 0 && <Tag color="red">{t(bundleAdminText.errors, { count: errorCount })}</Tag>}
      {warningCount > 0 && (
        <Tag color="gold">{t(bundleAdminText.warnings, { count: warningCount })}</Tag>
      )}
    </span>
  );
}

/** `/workbench/bundles`: the administrator's list of bundles and drafts. */
export function BundleAdminPage() {
  return (
    <RequireRole roles={['admin']}>
      <BundleAdminList />
    </RequireRole>
  );
}

function BundleAdminList() {
  const { t, lang, locale } = useI18n();
  const navigate = useNavigate();
  useDocumentTitle(bundleAdminText.title);
  const [bundles, setBundles] = useState<BundleSummary[] | null>(null);
  const [drafts, setDrafts] = useState<BundleDraft[] | null>(null);
  const [problems, setProblems] = useState<Map<string, BundleProblem[]>>(new Map());
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([
      listBundles({}, lang, controller.signal),
      listBundleDrafts(lang, controller.signal),
    ]).then(
      ([list, waiting]) => {
        setBundles(list.bundles);
        setDrafts(waiting);
        // The stored findings of each published version (warnings remain after publishing).
        void Promise.all(
          list.bundles.map((b) =>
            fetchBundle(b.code, lang, { signal: controller.signal }).then(
              (v): [string, BundleProblem[]] => [b.code, v.problems],
              (): [string, BundleProblem[]] => [b.code, []],
            ),
          ),
        ).then((entries) => {
          if (!controller.signal.aborted) setProblems(new Map(entries));
        });
      },
      (failure: unknown) => {
        if (!controller.signal.aborted)
          setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
    return () => controller.abort();
  }, []);

  const editPath = (code: string) => `/workbench/bundles/${encodeURIComponent(code)}/edit`;
  const draftOf = (code: string) => drafts?.find((d) => d.code === code);

  const draftColumns: TableColumnsType<BundleDraft> = [
    {
      key: 'name',
      title: t(bundleAdminText.name),
      render: (_, d) => (
        <div className="ot-catalog-name-cell">
          <Link to={editPath(d.code)}>{t(d.name)}</Link>
          <span className="ot-muted">{d.code}</span>
        </div>
      ),
    },
    {
      key: 'status',
      title: t(bundleAdminText.status),
      render: (_, d) => (
        <Tag color={bundleStatusColors.draft}>
          {t(bundleAdminText.draftPending, { version: d.version })}
        </Tag>
      ),
    },
    {
      key: 'checks',
      title: t(bundleAdminText.checks),
      render: (_, d) => <CheckCounts errors={d.errors ?? 0} />,
    },
    {
      key: 'saved',
      title: t(bundleAdminText.savedAt),
      render: (_, d) => formatDateTime(d.createdAt, locale),
      responsive: ['md'],
    },
    {
      key: 'by',
      title: t(bundleAdminText.savedBy),
      render: (_, d) => d.createdByName ?? '—',
      responsive: ['lg'],
    },
    {
      key: 'actions',
      title: t(bundleAdminText.actions),
      render: (_, d) => (
        <Button size="small" icon={<EditOutlined />} onClick={() => navigate(editPath(d.code))}>
          {t(bundleAdminText.continue)}
        </Button>
      ),
    },
  ];

  const columns: TableColumnsType<BundleSummary> = [
    {
      key: 'name',
      title: t(bundleAdminText.name),
      render: (_, b) => (
        <div className="ot-catalog-name-cell">
          <Link to={editPath(b.code)}>{t(b.name)}</Link>
          <span className="ot-muted">{b.code}</span>
        </div>
      ),
    },
    {
      key: 'cluster',
      title: t(bundleAdminText.cluster),
      render: (_, b) => <Tag>{t(clusterLabels[b.cluster])}</Tag>,
      responsive: ['md'],
    },
    {
      key: 'commitment',
      title: t(bundleAdminText.commitment),
      render: (_, b) => <span className="ot-nowrap">{t(describeCommitment(b.commitment))}</span>,
      responsive: ['lg'],
    },
    {
      key: 'members',
      title: t(bundleAdminText.members),
      render: (_, b) => b.memberCount,
      responsive: ['md'],
    },
    {
      key: 'status',
      title: t(bundleAdminText.status),
      render: (_, b) => {
        const draft = draftOf(b.code);
        return (
          <div className="ot-tag-row">
            <Tag color={bundleStatusColors.published}>
              {t(bundleStatusLabels.published)}{' '}
              {t(bundleAdminText.versionN, { version: b.version })}
            </Tag>
            {draft && (
              <Tag color={bundleStatusColors.draft}>
                {t(bundleAdminText.draftPending, { version: draft.version })}
              </Tag>
            )}
          </div>
        );
      },
    },
    {
      key: 'checks',
      title: t(bundleAdminText.checks),
      render: (_, b) => <CheckCounts problems={problems.get(b.code)} />,
    },
    {
      key: 'published',
      title: t(bundleAdminText.publishedAt),
      render: (_, b) => <span className="ot-nowrap">{formatDateTime(b.publishedAt, locale)}</span>,
      responsive: ['xl'],
    },
    {
      key: 'actions',
      title: t(bundleAdminText.actions),
      render: (_, b) => (
        <div className="ot-tag-row ot-nowrap">
          <Button
            size="small"
            icon={<EditOutlined />}
            onClick={() => navigate(editPath(b.code))}
            data-testid={`edit-${b.code}`}
          >
            {t(bundleAdminText.edit)}
          </Button>
          <Button
            size="small"
            type="text"
            icon={<EyeOutlined />}
            onClick={() => navigate(`/bundles/${b.code}`)}
            aria-label={t(bundleAdminText.view)}
            title={t(bundleAdminText.view)}
          />
        </div>
      ),
    },
  ];

  return (
    <div className="ot-catalog-admin" data-testid="bundle-admin">
      <div className="ot-workbench-title ot-app-wb-title">
        <Typography.Title level={2}>{t(bundleAdminText.title)}</Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => navigate('/workbench/bundles/new')}
        >
          {t(bundleAdminText.newBundle)}
        </Button>
      </div>
      <Typography.Paragraph className="ot-lead">{t(bundleAdminText.intro)}</Typography.Paragraph>
      {error && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(bundleAdminText.failed, { message: error })}
        />
      )}
      <Card title={t(bundleAdminText.drafts)} className="ot-block">
        <Table<BundleDraft>
          rowKey="code"
          size="small"
          columns={draftColumns}
          dataSource={drafts ?? []}
          loading={!drafts && !error}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: t(bundleAdminText.noDrafts) }}
        />
      </Card>
      <Card title={t(bundleAdminText.published)} className="ot-block">
        <Table<BundleSummary>
          rowKey="code"
          size="middle"
          columns={columns}
          dataSource={bundles ?? []}
          loading={!bundles && !error}
          pagination={false}
          // its unbroken columns (commitment, time, actions) outgrow the card beside the menu in
          // English: scroll inside the card, not the page
          scroll={{ x: true }}
        />
      </Card>
    </div>
  );
}
