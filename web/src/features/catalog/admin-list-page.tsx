import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Input,
  Modal,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { TableColumnsType } from 'antd';
import {
  DownloadOutlined,
  EditOutlined,
  EyeOutlined,
  InboxOutlined,
  PlusOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import type { ErrorDetail } from '../platform/api';
import { ApiError } from '../platform/api';
import type { CatalogFormat, DraftSummary, ItemList, ItemSummary } from './api';
import { exportUrl, formatOfFile, importCatalog, listDrafts, listItems } from './api';
import { formatDateTime, ProblemList, RequireAdmin, useWho } from './admin-common';
import { describeLimit, statusColors, statusLabels } from './labels';

const PAGE_SIZE = 20;

export const adminText = {
  title: { zh: '事项目录', en: 'Service catalogue' },
  intro: {
    zh: '维护本地区政务服务事项的实施清单和办事指南。修改先存为草稿，发布后办事大厅、打印版和各渠道即时同步（同源发布）。',
    en: 'Keep the implementation list and guides of the region’s service items. Changes are saved as drafts; once published, the hall, the print version and every channel show them at once.',
  },
  search: { zh: '按名称、编码或关键词搜索', en: 'Search by name, code or keyword' },
  newItem: { zh: '新建事项', en: 'New item' },
  exportYaml: { zh: '导出 YAML', en: 'Export YAML' },
  exportXlsx: { zh: '导出 Excel', en: 'Export Excel' },
  import: { zh: '导入', en: 'Import' },
  drafts: { zh: '待发布的草稿', en: 'Drafts waiting to be published' },
  noDrafts: { zh: '没有待发布的草稿', en: 'No drafts waiting' },
  published: { zh: '已发布事项', en: 'Published items' },
  name: { zh: '事项名称', en: 'Item' },
  department: { zh: '实施部门', en: 'Department' },
  type: { zh: '类型', en: 'Type' },
  status: { zh: '状态', en: 'Status' },
  limit: { zh: '承诺时限', en: 'Committed limit' },
  publishedAt: { zh: '发布时间', en: 'Published' },
  createdAt: { zh: '保存时间', en: 'Saved' },
  createdBy: { zh: '保存人', en: 'Saved by' },
  basedOn: { zh: '基于', en: 'Based on' },
  newDraft: { zh: '新事项', en: 'New item' },
  versionN: { zh: '第 {version} 版', en: 'v{version}' },
  actions: { zh: '操作', en: 'Actions' },
  edit: { zh: '编辑', en: 'Edit' },
  continueEditing: { zh: '继续编辑', en: 'Continue' },
  view: { zh: '查看指南', en: 'View guide' },
  draftPending: { zh: '有草稿 第 {version} 版', en: 'Draft v{version}' },
  loadFailed: { zh: '加载失败：{message}', en: 'Could not load: {message}' },
  importTitle: { zh: '导入事项', en: 'Import items' },
  importHint: {
    zh: '选择 YAML（.yaml/.yml）或 Excel（.xlsx）文件。文件中每个事项都会保存为草稿；有任何错误时整个文件都不导入，并列出每个出错的单元格。',
    en: 'Choose a YAML (.yaml/.yml) or Excel (.xlsx) file. Every item in it is saved as a draft; if anything is wrong nothing is imported and every bad cell is listed.',
  },
  importDrop: { zh: '点击或拖入文件', en: 'Click or drop a file here' },
  importPublish: { zh: '导入后立即发布', en: 'Publish at once' },
  importDo: { zh: '开始导入', en: 'Import' },
  importWrongType: {
    zh: '只能导入 .yaml、.yml 或 .xlsx 文件',
    en: 'Only .yaml, .yml or .xlsx files can be imported',
  },
  imported: {
    zh: '已导入 {imported} 个事项，发布 {published} 个',
    en: 'Imported {imported} items, published {published}',
  },
  importFailed: { zh: '导入失败：{message}', en: 'Import failed: {message}' },
} satisfies Record<string, Text>;

/** The administrator's list of the catalog at `/workbench/catalog`. */
export function CatalogAdminPage() {
  return (
    <RequireAdmin>
      <CatalogAdminList />
    </RequireAdmin>
  );
}

function CatalogAdminList() {
  const { t, lang, locale } = useI18n();
  const who = useWho();
  const navigate = useNavigate();
  const { message } = App.useApp();
  useDocumentTitle(adminText.title);
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [items, setItems] = useState<ItemList | null>(null);
  const [drafts, setDrafts] = useState<DraftSummary[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [importing, setImporting] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    Promise.all([
      listItems(
        { q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
        lang,
        controller.signal,
      ),
      listDrafts(lang, controller.signal),
    ]).then(
      ([list, waiting]) => {
        setItems(list);
        setDrafts(waiting);
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
  }, [q, page, generation]);

  const needle = q.toLowerCase();
  const shownDrafts = (drafts ?? []).filter(
    (draft) =>
      !needle ||
      draft.code.toLowerCase().includes(needle) ||
      draft.name.zh.toLowerCase().includes(needle) ||
      draft.name.en.toLowerCase().includes(needle),
  );
  const draftOf = (code: string) => drafts?.find((draft) => draft.code === code);
  const editPath = (code: string) => `/workbench/catalog/${encodeURIComponent(code)}/edit`;

  const draftColumns: TableColumnsType<DraftSummary> = [
    {
      key: 'name',
      title: t(adminText.name),
      render: (_, draft) => (
        <div className="ot-catalog-name-cell">
          <Link to={editPath(draft.code)}>{t(draft.name)}</Link>
          <span className="ot-muted">{draft.code}</span>
        </div>
      ),
    },
    {
      key: 'status',
      title: t(adminText.status),
      render: (_, draft) => (
        <div className="ot-tag-row">
          <Tag color={statusColors.draft}>
            {t(statusLabels.draft)} {t(adminText.versionN, { version: draft.version })}
          </Tag>
          <Tag>
            {draft.basedOn === null
              ? t(adminText.newDraft)
              : `${t(adminText.basedOn)} ${t(adminText.versionN, { version: draft.basedOn })}`}
          </Tag>
        </div>
      ),
    },
    {
      key: 'createdAt',
      title: t(adminText.createdAt),
      render: (_, draft) => formatDateTime(draft.createdAt, locale),
      responsive: ['md'],
    },
    {
      key: 'createdBy',
      title: t(adminText.createdBy),
      render: (_, draft) => who(draft.createdBy, draft.createdByName),
      responsive: ['lg'],
    },
    {
      key: 'actions',
      title: t(adminText.actions),
      render: (_, draft) => (
        <Button size="small" icon={<EditOutlined />} onClick={() => navigate(editPath(draft.code))}>
          {t(adminText.continueEditing)}
        </Button>
      ),
    },
  ];

  const columns: TableColumnsType<ItemSummary> = [
    {
      key: 'name',
      title: t(adminText.name),
      render: (_, item) => (
        <div className="ot-catalog-name-cell">
          <Link to={editPath(item.code)}>{t(item.name)}</Link>
          <span className="ot-muted">{item.code}</span>
        </div>
      ),
    },
    {
      key: 'department',
      title: t(adminText.department),
      render: (_, item) => t(item.departmentName),
      responsive: ['md'],
    },
    {
      key: 'type',
      title: t(adminText.type),
      render: (_, item) => t(item.typeName),
      responsive: ['lg'],
    },
    {
      key: 'limit',
      title: t(adminText.limit),
      render: (_, item) => (
        <span className="ot-nowrap">{t(describeLimit(item.committedLimit))}</span>
      ),
      responsive: ['lg'],
    },
    {
      key: 'status',
      title: t(adminText.status),
      render: (_, item) => {
        const draft = draftOf(item.code);
        return (
          <div className="ot-tag-row">
            <Tag color={statusColors.published}>
              {t(statusLabels.published)} {t(adminText.versionN, { version: item.version })}
            </Tag>
            {draft && (
              <Tag color={statusColors.draft}>
                {t(adminText.draftPending, { version: draft.version })}
              </Tag>
            )}
          </div>
        );
      },
    },
    {
      key: 'publishedAt',
      title: t(adminText.publishedAt),
      render: (_, item) => (
        <span className="ot-nowrap">{formatDateTime(item.publishedAt, locale)}</span>
      ),
      responsive: ['xl'],
    },
    {
      key: 'actions',
      title: t(adminText.actions),
      render: (_, item) => (
        <div className="ot-tag-row ot-nowrap">
          <Button
            size="small"
            icon={<EditOutlined />}
            onClick={() => navigate(editPath(item.code))}
          >
            {t(adminText.edit)}
          </Button>
          <Button
            size="small"
            type="text"
            icon={<EyeOutlined />}
            onClick={() => navigate(`/services/${item.code}`)}
            aria-label={t(adminText.view)}
            title={t(adminText.view)}
          />
        </div>
      ),
    },
  ];

  return (
    <div className="ot-catalog-admin" data-testid="catalog-admin">
      <Typography.Title level={2}>{t(adminText.title)}</Typography.Title>
      <Typography.Paragraph className="ot-lead">{t(adminText.intro)}</Typography.Paragraph>

      <div className="ot-catalog-toolbar">
        <Input.Search
          className="ot-catalog-toolbar-search"
          placeholder={t(adminText.search)}
          aria-label={t(adminText.search)}
          allowClear
          onSearch={(value) => {
            setQ(value.trim());
            setPage(1);
          }}
        />
        <span className="ot-catalog-toolbar-spacer" />
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => navigate('/workbench/catalog/new')}
        >
          {t(adminText.newItem)}
        </Button>
        <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
          {t(adminText.import)}
        </Button>
        <Button icon={<DownloadOutlined />} href={exportUrl('yaml')} download>
          {t(adminText.exportYaml)}
        </Button>
        <Button icon={<DownloadOutlined />} href={exportUrl('xlsx')} download>
          {t(adminText.exportXlsx)}
        </Button>
      </div>

      {error && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(adminText.loadFailed, { message: error })}
        />
      )}

      <Card title={t(adminText.drafts)} className="ot-block" data-testid="catalog-drafts">
        <Table<DraftSummary>
          rowKey="code"
          size="small"
          columns={draftColumns}
          dataSource={shownDrafts}
          loading={loading && !drafts}
          pagination={false}
          locale={{ emptyText: t(adminText.noDrafts) }}
        />
      </Card>

      <Card title={t(adminText.published)} className="ot-block" data-testid="catalog-published">
        <Table<ItemSummary>
          rowKey="code"
          size="middle"
          columns={columns}
          dataSource={items?.items ?? []}
          loading={loading}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: items?.total ?? 0,
            showSizeChanger: false,
            onChange: setPage,
          }}
        />
      </Card>

      <ImportModal
        open={importing}
        onClose={(changed) => {
          setImporting(false);
          if (changed) {
            message.success(changed);
            setGeneration((value) => value + 1);
          }
        }}
      />
    </div>
  );
}

/** Import of a YAML or Excel file, listing every bad cell when the server refuses it. */
function ImportModal({ open, onClose }: { open: boolean; onClose: (done: string | null) => void }) {
  const { t, lang } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [publish, setPublish] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ message: string; details: ErrorDetail[] } | null>(null);
  const format: CatalogFormat | null = file ? formatOfFile(file.name) : null;

  const reset = () => {
    setFile(null);
    setFailure(null);
    setPublish(false);
  };

  const submit = async () => {
    if (!file || !format) return;
    setBusy(true);
    setFailure(null);
    try {
      const result = await importCatalog(file, format, publish, lang);
      reset();
      onClose(t(adminText.imported, { ...result }));
    } catch (error) {
      setFailure(
        error instanceof ApiError
          ? { message: error.message, details: error.details }
          : { message: String(error), details: [] },
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t(adminText.importTitle)}
      onCancel={() => {
        reset();
        onClose(null);
      }}
      onOk={submit}
      okText={t(adminText.importDo)}
      okButtonProps={{ disabled: !file || !format, loading: busy }}
      destroyOnHidden
      width={640}
    >
      <Typography.Paragraph type="secondary">{t(adminText.importHint)}</Typography.Paragraph>
      <Upload.Dragger
        accept=".yaml,.yml,.xlsx"
        multiple={false}
        maxCount={1}
        fileList={
          file ? [{ uid: 'import', name: file.name, status: format ? 'done' : 'error' }] : []
        }
        beforeUpload={(chosen) => {
          setFile(chosen);
          setFailure(null);
          return false;
        }}
        onRemove={() => {
          setFile(null);
          setFailure(null);
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t(adminText.importDrop)}</p>
      </Upload.Dragger>
      {file && !format && (
        <Alert type="error" showIcon title={t(adminText.importWrongType)} className="ot-block" />
      )}
      <Checkbox
        checked={publish}
        onChange={(event) => setPublish(event.target.checked)}
        style={{ marginTop: 12 }}
      >
        {t(adminText.importPublish)}
      </Checkbox>
      {failure && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          title={t(adminText.importFailed, { message: failure.message })}
          description={
            failure.details.length > 0 ? <ProblemList details={failure.details} /> : undefined
          }
        />
      )}
    </Modal>
  );
}
