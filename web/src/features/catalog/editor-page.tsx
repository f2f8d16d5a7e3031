import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { useBlocker, useNavigate, useParams } from 'react-router-dom';
import {
  Alert,
  Anchor,
  App,
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Result,
  Select,
  Spin,
  Switch,
  Tag,
  Typography,
} from 'antd';
import type { FormInstance } from 'antd';
import {
  ArrowLeftOutlined,
  CloudUploadOutlined,
  DeleteOutlined,
  EyeOutlined,
  SaveOutlined,
} from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import type { ErrorDetail } from '../platform/api';
import { ApiError, apiRequest } from '../platform/api';
import type { ItemVersion, VersionInfo, VersionStatus } from './api';
import { createItem, discardDraft, fetchItem, listVersions, publishDraft, saveDraft } from './api';
import { formatDateTime, ProblemList, RequireAdmin, useWho } from './admin-common';
import type { Audience, ItemContent, ItemTypeCode, Level, ResultKind } from './content';
import type { Expansion } from './editor-fields';
import {
  BilingualInput,
  ExpansionContext,
  FormFieldsEditor,
  LimitInput,
  MaterialsEditor,
  SituationsEditor,
  StringList,
} from './editor-fields';
import type { EditorValues } from './editor-values';
import { blankValues, namePathOf, toContent, toValues } from './editor-values';
import { ItemGuide } from './guide';
import { useFacets } from './hall-entry';
import {
  audienceLabels,
  itemTypeLabels,
  levelLabels,
  onlineDepthLabels,
  resultKindLabels,
  statusColors,
  statusLabels,
} from './labels';

const text = {
  newTitle: { zh: '新建事项', en: 'New service item' },
  editTitle: { zh: '编辑事项', en: 'Edit service item' },
  back: { zh: '事项目录', en: 'Catalogue' },
  save: { zh: '保存草稿', en: 'Save draft' },
  preview: { zh: '预览', en: 'Preview' },
  publish: { zh: '发布', en: 'Publish' },
  discard: { zh: '放弃草稿', en: 'Discard draft' },
  unsaved: { zh: '有未保存的修改', en: 'Unsaved changes' },
  editingDraft: { zh: '正在编辑草稿 第 {version} 版', en: 'Editing draft v{version}' },
  editingPublished: {
    zh: '基于已发布的第 {version} 版；保存后生成新草稿',
    en: 'Based on published v{version}; saving makes a new draft',
  },
  saved: { zh: '草稿已保存（第 {version} 版）', en: 'Draft saved (v{version})' },
  published: {
    zh: '已发布第 {version} 版，办事大厅即时生效',
    en: 'Version {version} published; the hall shows it now',
  },
  discarded: { zh: '草稿已放弃', en: 'Draft discarded' },
  invalid: {
    zh: '内容有 {count} 处问题，请按提示修改后再保存：',
    en: '{count} problem(s) in the content; fix them and save again:',
  },
  failed: { zh: '操作失败：{message}', en: 'Failed: {message}' },
  clientInvalid: { zh: '请先填写标红的必填项', en: 'Fill in the required fields marked in red' },
  publishTitle: { zh: '发布此事项？', en: 'Publish this item?' },
  publishBody: {
    zh: '发布后，办事大厅、打印版和所有渠道立即显示新版本的办事指南，原发布版本转为“已替代”。',
    en: 'Once published, the hall, the print version and every channel show the new guide at once; the previous version becomes superseded.',
  },
  publishUnsaved: {
    zh: '编辑器中有未保存的修改，将先保存为草稿再发布。',
    en: 'There are unsaved changes; they are saved as the draft first.',
  },
  discardTitle: { zh: '放弃此草稿？', en: 'Discard this draft?' },
  discardBody: {
    zh: '草稿中的所有修改将被删除，已发布的版本不受影响。',
    en: 'All changes in the draft are deleted; the published version stays as it is.',
  },
  leaveTitle: { zh: '离开此页？', en: 'Leave this page?' },
  leaveBody: {
    zh: '有未保存的修改，离开后将丢失。',
    en: 'There are unsaved changes; they will be lost.',
  },
  leave: { zh: '离开', en: 'Leave' },
  stay: { zh: '留下', en: 'Stay' },
  cancel: { zh: '取消', en: 'Cancel' },
  previewTitle: { zh: '预览：办事指南', en: 'Preview: service guide' },
  previewNote: {
    zh: '以下为编辑器中的内容（含未保存的修改），与发布后办事大厅显示的指南使用同一组件。',
    en: 'This is the content in the editor (unsaved changes included), shown by the same component as the published guide.',
  },
  versionTitle: { zh: '第 {version} 版', en: 'Version {version}' },
  notFound: { zh: '没有找到事项 {code}', en: 'No item {code}' },
  loading: { zh: '正在加载…', en: 'Loading…' },
  // Sections
  basics: { zh: '基本信息', en: 'Basics' },
  legal: { zh: '依据与条件', en: 'Legal basis and conditions' },
  limits: { zh: '时限、跑动与网办', en: 'Limits, visits and online depth' },
  feeResult: { zh: '收费与办理结果', en: 'Fee and result' },
  process: { zh: '办理流程', en: 'Process' },
  contacts: { zh: '地点与咨询', en: 'Place and contacts' },
  materials: { zh: '申请材料', en: 'Materials' },
  situations: { zh: '情形', en: 'Situations' },
  form: { zh: '申请表', en: 'Application form' },
  versions: { zh: '版本', en: 'Versions' },
  expandAll: { zh: '全部展开', en: 'Expand all' },
  collapseAll: { zh: '全部收起', en: 'Collapse all' },
  viewInHall: { zh: '在办事大厅查看已发布版', en: 'See the published guide in the hall' },
  sections: { zh: '目录', en: 'Sections' },
  noVersions: { zh: '尚未保存', en: 'Not saved yet' },
  publishedBy: { zh: '{who} 于 {when} 发布', en: 'published {when} by {who}' },
  createdBy: { zh: '{who} 于 {when} 保存', en: 'saved {when} by {who}' },
  // Fields
  code: { zh: '实施编码', en: 'Implementation code' },
  basicCode: { zh: '基本编码', en: 'Basic code' },
  name: { zh: '事项名称', en: 'Name' },
  type: { zh: '事项类型', en: 'Item type' },
  audience: { zh: '服务对象', en: 'Who it serves' },
  department: { zh: '实施部门', en: 'Department' },
  level: { zh: '实施层级', en: 'Level' },
  regionCode: { zh: '区划代码', en: 'Region code' },
  themes: { zh: '主题 / 人生事件', en: 'Themes / life events' },
  keywords: { zh: '搜索关键词', en: 'Search keywords' },
  tagsHelp: { zh: '输入后回车添加', en: 'Type and press Enter' },
  legalBasis: { zh: '依据 {n}', en: 'Basis {n}' },
  addLegal: { zh: '添加依据', en: 'Add a basis' },
  conditions: { zh: '受理条件', en: 'Conditions' },
  statutory: { zh: '法定时限', en: 'Statutory limit' },
  statutoryNone: { zh: '法律未规定时限', en: 'No limit set by law' },
  committed: { zh: '承诺时限', en: 'Committed limit' },
  visits: { zh: '跑动次数', en: 'Visits in person' },
  visitsReason: { zh: '到现场的理由', en: 'Why in person' },
  onlineDepth: { zh: '网办深度', en: 'Online service depth' },
  feeCharged: { zh: '收费', en: 'Charged' },
  feeBasis: { zh: '收费依据', en: 'Fee basis' },
  feeAmount: { zh: '金额（元）', en: 'Amount (CNY)' },
  resultKind: { zh: '结果类型', en: 'Result kind' },
  resultName: { zh: '结果名称', en: 'Result name' },
  licenceType: { zh: '证照类型', en: 'Licence type' },
  quantityLimit: { zh: '数量限制', en: 'Quantity limit' },
  step: { zh: '第 {n} 步', en: 'Step {n}' },
  addStep: { zh: '添加步骤', en: 'Add a step' },
  consultation: { zh: '咨询电话', en: 'Enquiries' },
  complaint: { zh: '监督投诉电话', en: 'Complaints' },
  address: { zh: '办理地点', en: 'Address' },
  hours: { zh: '办理时间', en: 'Opening hours' },
  required: { zh: '请填写', en: 'Required' },
} satisfies Record<string, Text>;

interface Department {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** The item currently in the editor, as the server has it. */
interface Loaded {
  code: string;
  /** The version loaded (draft or published), or null for a new item. */
  version: number | null;
  status: VersionStatus | null;
  versions: VersionInfo[];
}

/** `/workbench/catalog/new` and `/workbench/catalog/{code}/edit`: the item editor. */
export function ItemEditorPage() {
  return (
    <RequireAdmin>
      <ItemEditor />
    </RequireAdmin>
  );
}

function ItemEditor() {
  const { code: routeCode } = useParams();
  const isNew = !routeCode;
  const { t, lang, locale } = useI18n();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const who = useWho();
  const { facets } = useFacets();
  const [departments, setDepartments] = useState<Department[]>([]);
  const [loaded, setLoaded] = useState<Loaded | null>(
    isNew ? { code: '', version: null, status: null, versions: [] } : null,
  );
  const [loadError, setLoadError] = useState<{ status: number; message: string } | null>(null);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<'save' | 'publish' | 'discard' | null>(null);
  const [problems, setProblems] = useState<{ details: ErrorDetail[] } | null>(null);
  const [preview, setPreview] = useState<{
    content: ItemContent;
    title: string;
    departmentName?: Text;
    /** Whether it shows the editor's content (not a stored version). */
    fromEditor: boolean;
  } | null>(null);
  const [generation, setGeneration] = useState(0);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const expansion = useMemo<Expansion>(
    () => ({
      isOpen: (key) => expanded.has(key),
      toggle: (key) =>
        setExpanded((current) => {
          const next = new Set(current);
          if (next.has(key)) next.delete(key);
          else next.add(key);
          return next;
        }),
      open: (keys) => setExpanded((current) => new Set([...current, ...keys])),
      forget: (list) =>
        setExpanded(
          (current) => new Set([...current].filter((key) => !key.startsWith(`${list}.`))),
        ),
    }),
    [expanded],
  );
  /** Opens or folds every entry of a list. */
  const expandAll = (list: 'materials' | 'situations' | 'form', open: boolean) => {
    const count = ((form.getFieldValue(list) as unknown[] | undefined) ?? []).length;
    const keys = Array.from({ length: count }, (_, index) => `${list}.${index}`);
    if (open) expansion.open(keys);
    else expansion.forget(list);
  };
  /** Opens the folded entries a path lies in, so its input can be seen. */
  const reveal = (path: (string | number)[]) => {
    if (typeof path[0] === 'string' && typeof path[1] === 'number') {
      expansion.open([`${path[0]}.${path[1]}`]);
    }
  };
  useDocumentTitle(isNew ? text.newTitle : text.editTitle);

  // Departments for the picker (public directory).
  useEffect(() => {
    const controller = new AbortController();
    apiRequest<{ departments: Department[] }>('/api/departments', {
      lang,
      signal: controller.signal,
    }).then(
      (reply) => {
        const seen = new Set<string>();
        setDepartments(
          reply.departments.filter((d) => (seen.has(d.code) ? false : (seen.add(d.code), true))),
        );
      },
      () => undefined,
    );
    return () => controller.abort();
  }, []);

  // The item: its draft when there is one, else its published version.
  useEffect(() => {
    if (isNew) {
      form.setFieldsValue(blankValues());
      return;
    }
    const controller = new AbortController();
    (async () => {
      const versions = await listVersions(routeCode, lang, controller.signal);
      const target =
        versions.find((v) => v.status === 'draft') ??
        versions.find((v) => v.status === 'published') ??
        versions[versions.length - 1];
      if (!target)
        throw new ApiError(404, 'catalog.not_found', t(text.notFound, { code: routeCode }));
      const data = await fetchItem(routeCode, lang, {
        version: target.version,
        signal: controller.signal,
      });
      return { data, versions };
    })().then(
      ({ data, versions }: { data: ItemVersion; versions: VersionInfo[] }) => {
        form.resetFields();
        form.setFieldsValue(toValues(data.item));
        setLoaded({ code: routeCode, version: data.version, status: data.status, versions });
        setDirty(false);
        setProblems(null);
        setLoadError(null);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLoadError({
          status: error instanceof ApiError ? error.status : 0,
          message: error instanceof Error ? error.message : String(error),
        });
      },
    );
    return () => controller.abort();
  }, [routeCode, generation]);

  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && busy === null && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    modal.confirm({
      title: t(text.leaveTitle),
      content: t(text.leaveBody),
      okText: t(text.leave),
      cancelText: t(text.stay),
      onOk: () => blocker.proceed(),
      onCancel: () => blocker.reset(),
    });
  }, [blocker.state]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const departmentName = useCallback(
    (code: string): Text => {
      const department = departments.find((d) => d.code === code);
      return department ? { zh: department.nameZh, en: department.nameEn } : { zh: code, en: code };
    },
    [departments],
  );

  /** Puts each server problem next to its input (the longest registered path that matches). */
  const showProblems = (error: ApiError) => {
    // Folded entries mount their inputs when opened: open the ones named, then map.
    flushSync(() => error.details.forEach((detail) => reveal(namePathOf(detail.path))));
    const registered = form.getFieldsError().map((entry) => entry.name);
    const key = (name: (string | number)[]) => JSON.stringify(name);
    const known = new Map(registered.map((name) => [key(name), name]));
    const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
    for (const detail of error.details) {
      const path = namePathOf(detail.path);
      let target: (string | number)[] | undefined;
      for (let length = path.length; length > 0 && !target; length -= 1) {
        target = known.get(key(path.slice(0, length)));
      }
      if (!target) {
        // A problem of a group (e.g. `fee`): the first empty input under it, else the first.
        const under = registered.filter((name) => key(name.slice(0, path.length)) === key(path));
        target =
          under.find((name) => {
            const value: unknown = form.getFieldValue(name);
            return value === undefined || value === null || value === '';
          }) ?? under[0];
      }
      if (!target) continue;
      const entry = byField.get(key(target)) ?? { name: target, errors: [] };
      entry.errors.push(detail.message);
      byField.set(key(target), entry);
    }
    form.setFields([...byField.values()]);
    setProblems({ details: error.details });
    const first = [...byField.values()][0];
    // After the folded entries have opened.
    if (first) {
      window.setTimeout(
        () => form.scrollToField(first.name, { block: 'center', behavior: 'smooth' }),
        50,
      );
    }
  };

  const focusProblem = (detail: ErrorDetail) => {
    const path = namePathOf(detail.path);
    flushSync(() => reveal(path));
    const registered = form.getFieldsError().map((entry) => entry.name);
    const key = (name: (string | number)[]) => JSON.stringify(name);
    for (let length = path.length; length > 0; length -= 1) {
      const prefix = key(path.slice(0, length));
      const match = registered.find(
        (name) => key(name) === prefix || key(name.slice(0, length)) === prefix,
      );
      if (match) {
        window.setTimeout(
          () => form.scrollToField(match, { block: 'center', behavior: 'smooth', focus: true }),
          50,
        );
        return;
      }
    }
  };

  const contentNow = (): ItemContent => toContent(form.getFieldsValue(true) as EditorValues);

  /** Saves the draft; resolves with the code saved, or null when it failed (problems shown). */
  const save = async ({ stay = false } = {}): Promise<string | null> => {
    try {
      await form.validateFields();
    } catch {
      message.error(t(text.clientInvalid));
      return null;
    }
    const content = contentNow();
    setProblems(null);
    try {
      const saved = isNew
        ? await createItem(content, lang)
        : await saveDraft(loaded?.code ?? content.code, content, lang);
      setDirty(false);
      message.success(t(text.saved, { version: saved.version }));
      if (isNew) {
        if (!stay) {
          navigate(`/workbench/catalog/${encodeURIComponent(saved.code)}/edit`, { replace: true });
        }
      } else {
        const versions = await listVersions(saved.code, lang).catch(() => loaded?.versions ?? []);
        setLoaded({ code: saved.code, version: saved.version, status: 'draft', versions });
      }
      return saved.code;
    } catch (error) {
      if (error instanceof ApiError && error.details.length > 0) showProblems(error);
      else message.error(t(text.failed, { message: error instanceof Error ? error.message : '' }));
      return null;
    }
  };

  const onSave = async () => {
    setBusy('save');
    try {
      await save();
    } finally {
      setBusy(null);
    }
  };

  const onPublish = () => {
    modal.confirm({
      title: t(text.publishTitle),
      content: (
        <>
          <p>{t(text.publishBody)}</p>
          {dirty && <p>{t(text.publishUnsaved)}</p>}
        </>
      ),
      okText: t(text.publish),
      cancelText: t(text.cancel),
      onOk: async () => {
        setBusy('publish');
        let code = loaded?.code || null;
        let published = false;
        try {
          if (dirty || loaded?.status !== 'draft') code = await save({ stay: true });
          if (!code) return;
          const reply = await publishDraft(code, lang);
          published = true;
          message.success(t(text.published, { version: reply.version }));
          setDirty(false);
        } catch (error) {
          if (error instanceof ApiError && error.details.length > 0) showProblems(error);
          else
            message.error(t(text.failed, { message: error instanceof Error ? error.message : '' }));
        } finally {
          setBusy(null);
          // A new item, once saved, lives at its own address; a known one is read again.
          if (isNew && code) {
            navigate(`/workbench/catalog/${encodeURIComponent(code)}/edit`, { replace: true });
          } else if (published) {
            setGeneration((value) => value + 1);
          }
        }
      },
    });
  };

  const onDiscard = () => {
    if (!loaded?.code) return;
    modal.confirm({
      title: t(text.discardTitle),
      content: t(text.discardBody),
      okText: t(text.discard),
      okButtonProps: { danger: true },
      cancelText: t(text.cancel),
      onOk: async () => {
        setBusy('discard');
        try {
          await discardDraft(loaded.code, lang);
          message.success(t(text.discarded));
          setDirty(false);
          const stillPublished = loaded.versions.some((v) => v.status === 'published');
          if (stillPublished) setGeneration((value) => value + 1);
          else navigate('/workbench/catalog');
        } catch (error) {
          message.error(t(text.failed, { message: error instanceof Error ? error.message : '' }));
        } finally {
          setBusy(null);
        }
      },
    });
  };

  const showVersion = async (version: VersionInfo) => {
    if (!loaded?.code) return;
    try {
      const data = await fetchItem(loaded.code, lang, { version: version.version });
      setPreview({
        content: data.item,
        title: `${t(text.versionTitle, { version: version.version })} · ${t(statusLabels[version.status])}`,
        departmentName: data.departmentName ?? undefined,
        fromEditor: false,
      });
    } catch (error) {
      message.error(t(text.failed, { message: error instanceof Error ? error.message : '' }));
    }
  };

  const sections = useMemo(
    () =>
      (
        [
          ['basics', text.basics],
          ['legal', text.legal],
          ['limits', text.limits],
          ['fee', text.feeResult],
          ['process', text.process],
          ['contacts', text.contacts],
          ['materials', text.materials],
          ['situations', text.situations],
          ['form', text.form],
        ] as const
      ).map(([key, title]) => ({ key, href: `#editor-${key}`, title: t(title) })),
    [t],
  );

  if (loadError) {
    return (
      <Result
        status={loadError.status === 404 ? '404' : 'error'}
        title={
          loadError.status === 404
            ? t(text.notFound, { code: routeCode ?? '' })
            : t(text.failed, { message: '' })
        }
        subTitle={loadError.message}
        extra={
          <Button type="primary" onClick={() => navigate('/workbench/catalog')}>
            {t(text.back)}
          </Button>
        }
      />
    );
  }

  const required = [{ required: true, whitespace: true, message: t(text.required) }];
  const requiredAny = [{ required: true, message: t(text.required) }];
  const hasDraft = loaded?.status === 'draft';
  const publishedVersion = loaded?.versions.find((v) => v.status === 'published');

  return (
    <div className="ot-catalog-admin" data-testid="item-editor">
      <div className="ot-editor-bar">
        <div className="ot-editor-bar-title">
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            onClick={() => navigate('/workbench/catalog')}
            aria-label={t(text.back)}
            title={t(text.back)}
          />
          <Watch form={form} name={['name', lang]}>
            {(name) => (
              <h2>
                {(typeof name === 'string' && name.trim()) ||
                  t(isNew ? text.newTitle : text.editTitle)}
              </h2>
            )}
          </Watch>
          {loaded?.version !== null && loaded?.status && (
            <Tag color={statusColors[loaded.status]} data-testid="editor-status">
              {t(statusLabels[loaded.status])} · {t(text.versionTitle, { version: loaded.version })}
            </Tag>
          )}
          {dirty && <Tag color="red">{t(text.unsaved)}</Tag>}
        </div>
        <Button
          icon={<EyeOutlined />}
          onClick={() =>
            setPreview({ content: contentNow(), title: t(text.previewTitle), fromEditor: true })
          }
          disabled={!loaded}
        >
          {t(text.preview)}
        </Button>
        <Button
          icon={<SaveOutlined />}
          onClick={onSave}
          loading={busy === 'save'}
          disabled={!loaded || (busy !== null && busy !== 'save')}
          data-testid="editor-save"
        >
          {t(text.save)}
        </Button>
        {hasDraft && (
          <Button
            danger
            icon={<DeleteOutlined />}
            onClick={onDiscard}
            loading={busy === 'discard'}
            disabled={busy !== null && busy !== 'discard'}
          >
            {t(text.discard)}
          </Button>
        )}
        <Button
          type="primary"
          icon={<CloudUploadOutlined />}
          onClick={onPublish}
          loading={busy === 'publish'}
          disabled={!loaded || (busy !== null && busy !== 'publish')}
          data-testid="editor-publish"
        >
          {t(text.publish)}
        </Button>
      </div>

      {loaded && loaded.version !== null && (
        <Typography.Paragraph type="secondary">
          {hasDraft
            ? t(text.editingDraft, { version: loaded.version })
            : t(text.editingPublished, { version: loaded.version })}
        </Typography.Paragraph>
      )}

      {problems && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          data-testid="editor-problems"
          title={t(text.invalid, { count: problems.details.length })}
          description={<ProblemList details={problems.details} onSelect={focusProblem} />}
          closable={{ onClose: () => setProblems(null) }}
        />
      )}

      {!loaded ? (
        <div className="ot-centered" role="status">
          <Spin size="large" />
          <div className="ot-centered-note">{t(text.loading)}</div>
        </div>
      ) : null}

      <div className="ot-editor" style={loaded ? undefined : { display: 'none' }}>
        <ExpansionContext.Provider value={expansion}>
          <Form
            form={form}
            layout="vertical"
            onValuesChange={() => setDirty(true)}
            scrollToFirstError={{ block: 'center', behavior: 'smooth' }}
            requiredMark
          >
            <Card id="editor-basics" title={t(text.basics)} className="ot-editor-card">
              <div className="ot-editor-row">
                <Form.Item name="code" label={t(text.code)} rules={required}>
                  <Input disabled={!isNew} spellCheck={false} placeholder="371000-XK-0001" />
                </Form.Item>
                <Form.Item name="basicCode" label={t(text.basicCode)} rules={required}>
                  <Input spellCheck={false} />
                </Form.Item>
              </div>
              <BilingualInput name={['name']} label={t(text.name)} required testId="editor-name" />
              <div className="ot-editor-row">
                <Form.Item name="type" label={t(text.type)} rules={requiredAny}>
                  <Select
                    options={(Object.keys(itemTypeLabels) as ItemTypeCode[]).map((code) => ({
                      value: code,
                      label: `${code} ${t(itemTypeLabels[code])}`,
                    }))}
                  />
                </Form.Item>
                <Form.Item name="level" label={t(text.level)} rules={requiredAny}>
                  <Select
                    options={(Object.keys(levelLabels) as Level[]).map((level) => ({
                      value: level,
                      label: t(levelLabels[level]),
                    }))}
                  />
                </Form.Item>
                <Form.Item name="regionCode" label={t(text.regionCode)} rules={required}>
                  <Input spellCheck={false} />
                </Form.Item>
              </div>
              <div className="ot-editor-row">
                <Form.Item name="department" label={t(text.department)} rules={requiredAny}>
                  <Select
                    showSearch={{ optionFilterProp: 'label' }}
                    options={departments.map((d) => ({
                      value: d.code,
                      label: lang === 'en' ? d.nameEn : d.nameZh,
                    }))}
                  />
                </Form.Item>
                <Form.Item name="audience" label={t(text.audience)} rules={requiredAny}>
                  <Checkbox.Group
                    options={(['person', 'enterprise'] as Audience[]).map((value) => ({
                      value,
                      label: t(audienceLabels[value]),
                    }))}
                  />
                </Form.Item>
              </div>
              <Form.Item name="themes" label={t(text.themes)} tooltip={t(text.tagsHelp)}>
                <Select
                  mode="tags"
                  tokenSeparators={[',', '，', '、']}
                  options={(facets?.themes ?? []).map((theme) => ({
                    value: theme.name,
                    label: theme.name,
                  }))}
                />
              </Form.Item>
              <Form.Item name="keywords" label={t(text.keywords)} tooltip={t(text.tagsHelp)}>
                <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} />
              </Form.Item>
            </Card>

            <Card id="editor-legal" title={t(text.legal)} className="ot-editor-card">
              <StringList
                name="legalBasis"
                label={(n) => t(text.legalBasis, { n })}
                addLabel={t(text.addLegal)}
                textarea
              />
              <Form.Item
                name="conditions"
                label={t(text.conditions)}
                rules={required}
                style={{ marginTop: 16 }}
              >
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} />
              </Form.Item>
            </Card>

            <Card id="editor-limits" title={t(text.limits)} className="ot-editor-card">
              <div className="ot-editor-row">
                <div style={{ flex: 1 }}>
                  <Watch form={form} name="statutoryNone">
                    {(none) => (
                      <LimitInput
                        name={['statutoryLimit']}
                        label={t(text.statutory)}
                        disabled={!!none}
                        testId="editor-statutory"
                      />
                    )}
                  </Watch>
                  <Form.Item name="statutoryNone" valuePropName="checked">
                    <Checkbox>{t(text.statutoryNone)}</Checkbox>
                  </Form.Item>
                </div>
                <div style={{ flex: 1 }}>
                  <LimitInput
                    name={['committedLimit']}
                    label={t(text.committed)}
                    required
                    testId="editor-committed"
                  />
                </div>
              </div>
              <div className="ot-editor-row">
                <Form.Item name="visits" label={t(text.visits)} rules={requiredAny}>
                  <InputNumber min={0} max={10} precision={0} style={{ width: '100%' }} />
                </Form.Item>
                <Form.Item name="onlineDepth" label={t(text.onlineDepth)} rules={requiredAny}>
                  <Select
                    options={Object.entries(onlineDepthLabels).map(([depth, label]) => ({
                      value: Number(depth),
                      label: `${depth} ${t(label)}`,
                    }))}
                  />
                </Form.Item>
              </div>
              <Watch form={form} name="visits">
                {(visits) =>
                  typeof visits === 'number' &&
                  visits > 0 && (
                    <Form.Item name="visitsReason" label={t(text.visitsReason)}>
                      <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
                    </Form.Item>
                  )
                }
              </Watch>
            </Card>

            <Card id="editor-fee" title={t(text.feeResult)} className="ot-editor-card">
              <div className="ot-editor-row">
                <Form.Item
                  name={['fee', 'charged']}
                  label={t(text.feeCharged)}
                  valuePropName="checked"
                >
                  <Switch />
                </Form.Item>
                <Watch form={form} name={['fee', 'charged']}>
                  {(charged) =>
                    !!charged && (
                      <>
                        <Form.Item name={['fee', 'basis']} label={t(text.feeBasis)}>
                          <Input />
                        </Form.Item>
                        <Form.Item name={['fee', 'amountYuan']} label={t(text.feeAmount)}>
                          <InputNumber min={0} style={{ width: '100%' }} />
                        </Form.Item>
                      </>
                    )
                  }
                </Watch>
              </div>
              <div className="ot-editor-row">
                <Form.Item name={['result', 'kind']} label={t(text.resultKind)}>
                  <Select
                    options={(Object.keys(resultKindLabels) as ResultKind[]).map((kind) => ({
                      value: kind,
                      label: t(resultKindLabels[kind]),
                    }))}
                  />
                </Form.Item>
                <Form.Item name={['result', 'name']} label={t(text.resultName)} rules={required}>
                  <Input />
                </Form.Item>
                <Watch form={form} name={['result', 'kind']}>
                  {(kind) =>
                    kind === 'licence' && (
                      <Form.Item name={['result', 'licenceType']} label={t(text.licenceType)}>
                        <Input />
                      </Form.Item>
                    )
                  }
                </Watch>
              </div>
              <Form.Item name="quantityLimit" label={t(text.quantityLimit)}>
                <Input />
              </Form.Item>
            </Card>

            <Card id="editor-process" title={t(text.process)} className="ot-editor-card">
              <StringList
                name="process"
                label={(n) => t(text.step, { n })}
                addLabel={t(text.addStep)}
              />
            </Card>

            <Card id="editor-contacts" title={t(text.contacts)} className="ot-editor-card">
              <div className="ot-editor-row">
                <Form.Item name={['place', 'address']} label={t(text.address)} rules={required}>
                  <Input />
                </Form.Item>
                <Form.Item name={['place', 'hours']} label={t(text.hours)} rules={required}>
                  <Input />
                </Form.Item>
              </div>
              <div className="ot-editor-row">
                <Form.Item
                  name={['contacts', 'consultation']}
                  label={t(text.consultation)}
                  rules={required}
                >
                  <Input />
                </Form.Item>
                <Form.Item
                  name={['contacts', 'complaint']}
                  label={t(text.complaint)}
                  rules={required}
                >
                  <Input />
                </Form.Item>
              </div>
            </Card>

            <Card
              id="editor-materials"
              title={t(text.materials)}
              className="ot-editor-card"
              extra={<FoldAll onChange={(open) => expandAll('materials', open)} />}
            >
              <MaterialsEditor />
            </Card>

            <Card
              id="editor-situations"
              title={t(text.situations)}
              className="ot-editor-card"
              extra={<FoldAll onChange={(open) => expandAll('situations', open)} />}
            >
              <SituationsEditor />
            </Card>

            <Card
              id="editor-form"
              title={t(text.form)}
              className="ot-editor-card"
              extra={<FoldAll onChange={(open) => expandAll('form', open)} />}
            >
              <FormFieldsEditor />
            </Card>
          </Form>
        </ExpansionContext.Provider>

        <aside className="ot-editor-aside">
          <Card size="small" title={t(text.sections)}>
            <Anchor items={sections} offsetTop={140} affix={false} />
          </Card>
          <Card size="small" title={t(text.versions)} data-testid="editor-versions">
            {!loaded || loaded.versions.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(text.noVersions)} />
            ) : (
              <ul className="ot-version-list">
                {[...loaded.versions]
                  .sort((a, b) => b.version - a.version)
                  .map((version) => (
                    <li key={version.version}>
                      <button type="button" onClick={() => showVersion(version)}>
                        <span>{t(text.versionTitle, { version: version.version })}</span>
                        <Tag color={statusColors[version.status]}>
                          {t(statusLabels[version.status])}
                        </Tag>
                      </button>
                      <div className="ot-muted">
                        {version.publishedAt
                          ? t(text.publishedBy, {
                              who: who(version.publishedBy, version.publishedByName),
                              when: formatDateTime(version.publishedAt, locale),
                            })
                          : t(text.createdBy, {
                              who: who(version.createdBy, version.createdByName),
                              when: formatDateTime(version.createdAt, locale),
                            })}
                      </div>
                    </li>
                  ))}
              </ul>
            )}
            {publishedVersion && (
              <Button
                type="link"
                size="small"
                onClick={() => navigate(`/services/${loaded?.code}`)}
                style={{ paddingInline: 0 }}
              >
                {t(text.viewInHall)}
              </Button>
            )}
          </Card>
        </aside>
      </div>

      <Modal
        open={!!preview}
        title={preview?.title}
        onCancel={() => setPreview(null)}
        footer={null}
        width={1040}
        destroyOnHidden
        className="ot-preview"
      >
        {preview && (
          <div data-testid="editor-preview">
            {preview.fromEditor && (
              <Alert type="info" showIcon title={t(text.previewNote)} className="ot-block" />
            )}
            <ItemGuide
              content={preview.content}
              departmentName={preview.departmentName ?? departmentName(preview.content.department)}
            />
          </div>
        )}
      </Modal>
    </div>
  );
}

/** "Expand all · Collapse all" for one list's entries. */
function FoldAll({ onChange }: { onChange: (open: boolean) => void }) {
  const { t } = useI18n();
  return (
    <span className="ot-fold-all">
      <Button type="link" size="small" onClick={() => onChange(true)}>
        {t(text.expandAll)}
      </Button>
      <Button type="link" size="small" onClick={() => onChange(false)}>
        {t(text.collapseAll)}
      </Button>
    </span>
  );
}

/** Renders `children` with the current value of one form field, re-rendering only this part. */
function Watch({
  form,
  name,
  children,
}: {
  form: FormInstance;
  name: string | (string | number)[];
  children: (value: unknown) => ReactNode;
}) {
  const value: unknown = Form.useWatch(name, form);
  return <>{children(value)}</>;
}
