import { useEffect, useMemo, useRef, useState } from 'react';
import { useBlocker, useNavigate, useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Input,
  Modal,
  Result,
  Spin,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import {
  ArrowLeftOutlined,
  CheckCircleFilled,
  CloseCircleFilled,
  CloudUploadOutlined,
  DeleteOutlined,
  EyeOutlined,
  LoadingOutlined,
  SaveOutlined,
  WarningFilled,
} from '@ant-design/icons';
import { Document, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatDateTime } from '../catalog/admin-common';
import { describeLimit, fieldTypeLabels } from '../catalog/labels';
import { SituationQuestionnaire } from '../catalog/questionnaire';
import { RequireRole } from '../applications/require-role';
import { ApiError } from '../platform/api';
import type { Answers, BundleContent, BundleMember, BundleProblem, BundleVersionInfo } from './api';
import {
  checkBundle,
  createBundle,
  discardBundleDraft,
  fetchBundle,
  listBundleVersions,
  publishBundle,
  saveBundleDraft,
} from './api';
import {
  bundleStatusColors,
  bundleStatusLabels,
  clusterLabels,
  describeCommitment,
  intakeLabels,
  provisionLabels,
} from './labels';
import './bundles.css';

const text = {
  newTitle: { zh: '新建一件事', en: 'New bundle' },
  editTitle: { zh: '编辑一件事', en: 'Edit bundle' },
  back: { zh: '一件事配置', en: 'Bundles' },
  intro: {
    zh: '以 YAML 编辑一件事的完整定义（与 data/bundles 中的种子文件格式相同）。右侧随输入即时检查：成员事项是否存在、办理顺序有无成环、情形是否回答了成员事项的问题、表单和材料是否覆盖每个事项、承诺是否与关键路径相符。',
    en: 'Edit the whole bundle as YAML (the format of the seed files in data/bundles). The checks beside run as you type: members exist, the order has no cycle, the questions answer every member item’s own, the form and materials cover every item, and the commitment fits the critical path.',
  },
  save: { zh: '保存草稿', en: 'Save draft' },
  publish: { zh: '发布', en: 'Publish' },
  discard: { zh: '放弃草稿', en: 'Discard draft' },
  preview: { zh: '预览', en: 'Preview' },
  unsaved: { zh: '有未保存的修改', en: 'Unsaved changes' },
  checks: { zh: '检查结果', en: 'Checks' },
  checking: { zh: '正在检查…', en: 'Checking…' },
  checksPassed: { zh: '检查通过，可以发布', en: 'All checks pass; ready to publish' },
  checksErrors: {
    zh: '{errors} 个错误、{warnings} 个提示；有错误时不能发布',
    en: '{errors} error(s), {warnings} warning(s); errors block publishing',
  },
  checksWarnings: {
    zh: '{warnings} 个提示，不影响发布',
    en: '{warnings} warning(s); publishing allowed',
  },
  yamlError: { zh: 'YAML 格式错误', en: 'YAML syntax error' },
  line: { zh: '第 {line} 行', en: 'line {line}' },
  saved: { zh: '草稿已保存（第 {version} 版）', en: 'Draft saved (v{version})' },
  savedWithErrors: {
    zh: '草稿已保存（第 {version} 版），但还有 {count} 个错误，修正后才能发布',
    en: 'Draft saved (v{version}) with {count} error(s); fix them to publish',
  },
  published: {
    zh: '已发布第 {version} 版，办事大厅即时生效',
    en: 'Version {version} published; the hall shows it now',
  },
  discarded: { zh: '草稿已放弃', en: 'Draft discarded' },
  failed: { zh: '操作失败：{message}', en: 'Failed: {message}' },
  publishTitle: { zh: '发布这件事？', en: 'Publish this bundle?' },
  publishBody: {
    zh: '发布后办事大厅立即按新版本引导和受理；已提交的申请仍按提交时的版本办理。',
    en: 'Once published, the hall guides and takes applications by the new version; applications already made keep theirs.',
  },
  publishUnsaved: {
    zh: '有未保存的修改，将先保存为草稿再发布。',
    en: 'Unsaved changes are saved as the draft first.',
  },
  discardTitle: { zh: '放弃此草稿？', en: 'Discard this draft?' },
  discardBody: {
    zh: '草稿中的修改将被删除，已发布的版本不受影响。',
    en: 'The draft’s changes are deleted; the published version stays.',
  },
  leaveTitle: { zh: '离开此页？', en: 'Leave this page?' },
  leaveBody: {
    zh: '有未保存的修改，离开后将丢失。',
    en: 'There are unsaved changes; they will be lost.',
  },
  leave: { zh: '离开', en: 'Leave' },
  stay: { zh: '留下', en: 'Stay' },
  cancel: { zh: '取消', en: 'Cancel' },
  editingDraft: { zh: '正在编辑草稿 第 {version} 版', en: 'Editing draft v{version}' },
  editingPublished: {
    zh: '基于已发布的第 {version} 版；保存后生成新草稿',
    en: 'Based on published v{version}; saving makes a new draft',
  },
  versions: { zh: '版本', en: 'Versions' },
  versionN: { zh: '第 {version} 版', en: 'v{version}' },
  notFound: { zh: '没有找到一件事 {code}', en: 'No bundle {code}' },
  loading: { zh: '正在加载…', en: 'Loading…' },
  previewTitle: { zh: '预览：{name}', en: 'Preview: {name}' },
  previewNote: {
    zh: '以下为编辑器中的内容（含未保存的修改）。发布后，办事大厅按这些问题即时计算每位申请人的事项、材料和时限。',
    en: 'This is the content in the editor, unsaved changes included. Once published, the hall works out each applicant’s items, materials and time from these questions.',
  },
  members: { zh: '成员事项与办理顺序', en: 'Member items and their order' },
  after: { zh: '前置：{list}', en: 'after: {list}' },
  optional: { zh: '按情形办理', en: 'by situation' },
  questions: { zh: '情形问题', en: 'Questions' },
  materials: { zh: '一套材料（{count} 份）', en: 'One set of materials ({count})' },
  form: { zh: '一张表（{count} 项）', en: 'One form ({count} fields)' },
  required: { zh: '必填', en: 'required' },
  deficiency: { zh: '容缺', en: 'may follow' },
  pledge: { zh: '告知承诺', en: 'pledge' },
  notBundle: {
    zh: '内容不是一件事定义（应为 YAML 对象）',
    en: 'The content is not a bundle (a YAML mapping is expected)',
  },
} satisfies Record<string, Text>;

/** A new bundle starts from this skeleton; the checks say what is still missing. */
const TEMPLATE = `# 新的一件事：按提示补全后保存；右侧会列出检查发现的问题。
code: new-bundle
name: { zh: 新的一件事, en: New bundle }
summary: { zh: 一句话说明这件事为谁办什么, en: One sentence on what it does for whom }
cluster: civil
lifeEvent: { zh: 人生事件, en: Life event }
audience: [person]
leadDepartment: xzsp
regionCode: '371000'
sources: [B1]
keywords: []
commitment:
  steps: 1
  costYuan: 0
  limit: { value: 5, unit: workdays }
  visits: 0
intake: window
members:
  - key: first
    item: 371000-XZSP-01-0002
    after: []
    optional: false
  - key: second
    item: 371000-TAX-10-0001
    after: [first]
    optional: false
situations: []
form: []
materials: []
`;

/** The order of keys in the YAML, as the seed files write them; other keys keep their order. */
const KEY_ORDER = [
  'code',
  'key',
  'item',
  'name',
  'label',
  'question',
  'summary',
  'cluster',
  'lifeEvent',
  'audience',
  'leadDepartment',
  'regionCode',
  'sources',
  'keywords',
  'commitment',
  'intake',
  'after',
  'optional',
  'multiple',
  'type',
  'required',
  'conditional',
  'identifierKind',
  'forms',
  'copies',
  'provision',
  'deficiencyAllowed',
  'pledgeAllowed',
  'answers',
  'addMembers',
  'removeMembers',
  'set',
  'fields',
  'options',
  'value',
  'unit',
  'min',
  'max',
  'maxLength',
  'columns',
  'help',
  'note',
  'steps',
  'costYuan',
  'limit',
  'visits',
  'members',
  'situations',
  'form',
  'materials',
  'zh',
  'en',
];

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (!value || typeof value !== 'object') return value;
  const rank = (key: string) => {
    const index = KEY_ORDER.indexOf(key);
    return index < 0 ? KEY_ORDER.length : index;
  };
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .map(([key, inner], index) => ({ key, inner, index }))
      .sort((a, b) => rank(a.key) - rank(b.key) || a.index - b.index)
      .map(({ key, inner }) => [key, ordered(inner)]),
  );
}

/**
 * A bundle as YAML the way the seed files read: keys in their usual order, texts `{ zh, en }`,
 * short lists and small maps on one line.
 */
function toYaml(content: unknown): string {
  const doc = new Document(ordered(content));
  visit(doc, {
    Map(_, node) {
      const scalars = node.items.every((pair) => isScalar(pair.value));
      if (scalars && node.items.length > 0 && node.items.length <= 2) node.flow = true;
    },
    Seq(_, node) {
      if (node.items.length === 0 || node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** A problem's path without the request prefix: `members.2.after`. */
function shortPath(path: string): string {
  return path.replace(/^\/?(body[./])?content[./]?/, '').replace(/\//g, '.');
}

/**
 * The line of the YAML source each path points into, walking up to the nearest node that exists;
 * one parse for all of them.
 */
function linesOf(source: string, paths: string[]): Map<string, number> {
  const lines = new Map<string, number>();
  if (paths.length === 0) return lines;
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter });
  for (const path of paths) {
    const parts = shortPath(path)
      .split('.')
      .filter(Boolean)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    for (let length = parts.length; length >= 0; length -= 1) {
      const node = length === 0 ? doc.contents : doc.getIn(parts.slice(0, length), true);
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range) {
        lines.set(path, counter.linePos(range[0]).line);
        break;
      }
    }
  }
  return lines;
}

type Parsed = { ok: true; content: unknown } | { ok: false; message: string; line: number | null };

function parse(source: string): Parsed {
  const doc = parseDocument(source, { prettyErrors: true });
  const error = doc.errors[0];
  if (error) return { ok: false, message: error.message, line: error.linePos?.[0]?.line ?? null };
  return { ok: true, content: doc.toJS() };
}

interface Loaded {
  code: string | null;
  version: number | null;
  status: 'draft' | 'published' | 'superseded' | null;
  versions: BundleVersionInfo[];
  members: BundleMember[];
}

/** `/workbench/bundles/new` and `/workbench/bundles/{code}/edit`: the YAML editor with live checks. */
export function BundleEditorPage() {
  return (
    <RequireRole roles={['admin']}>
      <BundleEditor />
    </RequireRole>
  );
}

function BundleEditor() {
  const { code: routeCode } = useParams();
  const isNew = !routeCode;
  const { t, lang, locale } = useI18n();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const area = useRef<TextAreaRef>(null);
  const [source, setSource] = useState<string>(isNew ? TEMPLATE : '');
  const [loaded, setLoaded] = useState<Loaded | null>(
    isNew ? { code: null, version: null, status: null, versions: [], members: [] } : null,
  );
  const [loadError, setLoadError] = useState<{ status: number; message: string } | null>(null);
  const [dirty, setDirty] = useState(false);
  const [problems, setProblems] = useState<BundleProblem[] | null>(null);
  const [serverProblems, setServerProblems] = useState<{
    message: string;
    list: { path: string; message: string }[];
  } | null>(null);
  const [checking, setChecking] = useState(false);
  const [busy, setBusy] = useState<'save' | 'publish' | 'discard' | null>(null);
  const [preview, setPreview] = useState(false);
  const [generation, setGeneration] = useState(0);
  useDocumentTitle(isNew ? text.newTitle : text.editTitle);

  // Parsing a long YAML takes a noticeable moment: it runs once the typing pauses, not per key.
  const [settled, setSettled] = useState(source);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(source), 350);
    return () => window.clearTimeout(timer);
  }, [source]);
  const parsed = useMemo(() => parse(settled), [settled]);

  // The bundle: its draft when there is one, else its published version.
  useEffect(() => {
    if (isNew) return;
    const controller = new AbortController();
    (async () => {
      const versions = await listBundleVersions(routeCode, lang, controller.signal);
      const target =
        versions.find((v) => v.status === 'draft') ??
        versions.find((v) => v.status === 'published') ??
        versions[0];
      if (!target)
        throw new ApiError(404, 'bundles.not_found', t(text.notFound, { code: routeCode }));
      const data = await fetchBundle(routeCode, lang, {
        version: target.version,
        signal: controller.signal,
      });
      return { data, versions };
    })().then(
      ({ data, versions }) => {
        const yaml = toYaml(data.content);
        setSource(yaml);
        setSettled(yaml);
        setLoaded({
          code: data.code,
          version: data.version,
          status: data.status,
          versions,
          members: data.members,
        });
        setDirty(false);
        setServerProblems(null);
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

  // The static checks, a moment after the typing stops.
  useEffect(() => {
    if (!loaded || !parsed.ok) {
      setChecking(false);
      return;
    }
    const controller = new AbortController();
    setChecking(true);
    const timer = window.setTimeout(() => {
      checkBundle(parsed.content, lang, controller.signal).then(
        (found) => {
          setProblems(found);
          setChecking(false);
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setChecking(false);
          setProblems([
            {
              severity: 'error',
              path: '',
              rule: 'check',
              message: {
                zh: error instanceof Error ? error.message : String(error),
                en: error instanceof Error ? error.message : String(error),
              },
            },
          ]);
        },
      );
    }, 150);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [settled, loaded !== null]);

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

  /** Puts the caret at the start of a line and scrolls the editor to it. */
  const goToLine = (line: number | null) => {
    const textarea = area.current?.resizableTextArea?.textArea;
    if (!textarea || !line) return;
    const lines = source.split('\n');
    const start = lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0);
    const end = start + (lines[line - 1]?.length ?? 0);
    textarea.focus();
    textarea.setSelectionRange(start, end);
    const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
    textarea.scrollTop = Math.max(0, (line - 5) * lineHeight);
  };

  const lines = useMemo(
    () =>
      linesOf(
        settled,
        [...(problems ?? []), ...(serverProblems?.list ?? [])].map((p) => p.path),
      ),
    [settled, problems, serverProblems],
  );
  const errors = (problems ?? []).filter((p) => p.severity === 'error');
  const warnings = (problems ?? []).filter((p) => p.severity === 'warning');
  const contentCode =
    parsed.ok && parsed.content && typeof parsed.content === 'object'
      ? (parsed.content as { code?: unknown }).code
      : undefined;

  const failure = (error: unknown) => {
    if (error instanceof ApiError && error.details.length > 0) {
      setServerProblems({
        message: error.message,
        list: error.details.map((d) => ({ path: d.path, message: d.message })),
      });
    } else {
      message.error(
        t(text.failed, { message: error instanceof Error ? error.message : String(error) }),
      );
    }
  };

  /** Saves the draft; resolves with the code, or null when it failed. */
  const save = async (): Promise<string | null> => {
    const now = parse(source);
    if (!now.ok) return null;
    setServerProblems(null);
    try {
      const saved =
        isNew || !loaded?.code
          ? await createBundle(now.content, lang)
          : await saveBundleDraft(loaded.code, now.content, lang);
      setDirty(false);
      const errorCount = (saved.problems ?? []).filter((p) => p.severity === 'error').length;
      if (saved.problems) setProblems(saved.problems);
      if (errorCount > 0) {
        message.warning(t(text.savedWithErrors, { version: saved.version, count: errorCount }));
      } else {
        message.success(t(text.saved, { version: saved.version }));
      }
      if (isNew) {
        navigate(`/workbench/bundles/${encodeURIComponent(saved.code)}/edit`, { replace: true });
      } else {
        const versions = await listBundleVersions(saved.code, lang).catch(
          () => loaded?.versions ?? [],
        );
        setLoaded((current) => ({
          code: saved.code,
          version: saved.version,
          status: 'draft',
          versions,
          members: current?.members ?? [],
        }));
      }
      return saved.code;
    } catch (error) {
      failure(error);
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

  const onPublish = () =>
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
        try {
          let code = loaded?.code ?? null;
          if (dirty || loaded?.status !== 'draft') code = await save();
          if (!code) return;
          const reply = await publishBundle(code, lang);
          message.success(t(text.published, { version: reply.version }));
          setDirty(false);
          setGeneration((value) => value + 1);
        } catch (error) {
          failure(error);
        } finally {
          setBusy(null);
        }
      },
    });

  const onDiscard = () => {
    if (!loaded?.code) return;
    const code = loaded.code;
    modal.confirm({
      title: t(text.discardTitle),
      content: t(text.discardBody),
      okText: t(text.discard),
      okButtonProps: { danger: true },
      cancelText: t(text.cancel),
      onOk: async () => {
        setBusy('discard');
        try {
          await discardBundleDraft(code, lang);
          message.success(t(text.discarded));
          setDirty(false);
          if (loaded.versions.some((v) => v.status === 'published')) {
            setGeneration((value) => value + 1);
          } else {
            navigate('/workbench/bundles');
          }
        } catch (error) {
          failure(error);
        } finally {
          setBusy(null);
        }
      },
    });
  };

  if (loadError) {
    return (
      <Result
        status={loadError.status === 404 ? '404' : 'error'}
        title={t(text.notFound, { code: routeCode ?? '' })}
        subTitle={loadError.message}
        extra={
          <Button type="primary" onClick={() => navigate('/workbench/bundles')}>
            {t(text.back)}
          </Button>
        }
      />
    );
  }
  if (!loaded) {
    return (
      <div className="ot-centered" role="status">
        <Spin size="large" />
        <div className="ot-centered-note">{t(text.loading)}</div>
      </div>
    );
  }

  const hasDraft = loaded.status === 'draft';
  const title =
    parsed.ok && parsed.content && typeof parsed.content === 'object'
      ? ((parsed.content as { name?: Text }).name?.[lang] ?? '')
      : '';
  const pending = checking || settled !== source;
  const canPublish = parsed.ok && !pending && problems !== null && errors.length === 0;

  return (
    <div className="ot-catalog-admin" data-testid="bundle-editor">
      <div className="ot-editor-bar">
        <div className="ot-editor-bar-title">
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            onClick={() => navigate('/workbench/bundles')}
            aria-label={t(text.back)}
            title={t(text.back)}
          />
          <h2>{title || t(isNew ? text.newTitle : text.editTitle)}</h2>
          {loaded.status && loaded.version !== null && (
            <Tag color={bundleStatusColors[loaded.status]} data-testid="editor-status">
              {t(bundleStatusLabels[loaded.status])} ·{' '}
              {t(text.versionN, { version: loaded.version })}
            </Tag>
          )}
          {dirty && <Tag color="red">{t(text.unsaved)}</Tag>}
        </div>
        <Button icon={<EyeOutlined />} onClick={() => setPreview(true)} disabled={!parsed.ok}>
          {t(text.preview)}
        </Button>
        <Button
          icon={<SaveOutlined />}
          onClick={onSave}
          loading={busy === 'save'}
          disabled={!parsed.ok || (busy !== null && busy !== 'save')}
          data-testid="bundle-save"
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
        <Tooltip
          title={
            canPublish
              ? undefined
              : t(text.checksErrors, { errors: errors.length, warnings: warnings.length })
          }
        >
          <Button
            type="primary"
            icon={<CloudUploadOutlined />}
            onClick={onPublish}
            loading={busy === 'publish'}
            disabled={!canPublish || (busy !== null && busy !== 'publish')}
            data-testid="bundle-publish"
          >
            {t(text.publish)}
          </Button>
        </Tooltip>
      </div>
      <Typography.Paragraph type="secondary">
        {loaded.version !== null
          ? hasDraft
            ? t(text.editingDraft, { version: loaded.version })
            : t(text.editingPublished, { version: loaded.version })
          : t(text.intro)}
      </Typography.Paragraph>

      {serverProblems && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(text.failed, { message: serverProblems.message })}
          data-testid="bundle-server-problems"
          description={
            <ul className="ot-check-list">
              {serverProblems.list.map((p, index) => (
                <li key={index}>
                  <button
                    type="button"
                    className="ot-link-button"
                    onClick={() => goToLine(lines.get(p.path) ?? null)}
                  >
                    <code>{shortPath(p.path)}</code>
                  </button>
                  <span>{p.message}</span>
                </li>
              ))}
            </ul>
          }
          closable={{ onClose: () => setServerProblems(null) }}
        />
      )}

      <div className="ot-bundle-editor">
        <Card size="small" className="ot-yaml-card">
          <Input.TextArea
            ref={area}
            value={source}
            onChange={(event) => {
              setSource(event.target.value);
              setDirty(true);
            }}
            spellCheck={false}
            autoComplete="off"
            className="ot-yaml-input"
            style={{ height: '70vh', resize: 'vertical' }}
            aria-label="YAML"
            data-testid="bundle-yaml"
          />
        </Card>
        <aside>
          <Card
            size="small"
            title={t(text.checks)}
            className="ot-block"
            data-testid="bundle-checks"
            extra={pending ? <LoadingOutlined aria-label={t(text.checking)} /> : null}
          >
            {!parsed.ok ? (
              <Alert
                type="error"
                showIcon
                title={
                  parsed.line
                    ? `${t(text.yamlError)}（${t(text.line, { line: parsed.line })}）`
                    : t(text.yamlError)
                }
                description={<pre className="ot-yaml-error">{parsed.message}</pre>}
                data-testid="yaml-error"
                action={
                  parsed.line ? (
                    <Button size="small" onClick={() => goToLine(parsed.line)}>
                      {t(text.line, { line: parsed.line })}
                    </Button>
                  ) : undefined
                }
              />
            ) : problems === null ? (
              <span className="ot-muted">{t(text.checking)}</span>
            ) : (
              <>
                <div
                  className="ot-check-summary"
                  data-testid="check-summary"
                  data-errors={errors.length}
                >
                  {errors.length > 0 ? (
                    <span className="ot-check-error">
                      <CloseCircleFilled />{' '}
                      {t(text.checksErrors, { errors: errors.length, warnings: warnings.length })}
                    </span>
                  ) : warnings.length > 0 ? (
                    <span className="ot-check-warning">
                      <WarningFilled /> {t(text.checksWarnings, { warnings: warnings.length })}
                    </span>
                  ) : (
                    <span className="ot-app-ok-text">
                      <CheckCircleFilled /> {t(text.checksPassed)}
                    </span>
                  )}
                </div>
                {problems.length > 0 && (
                  <ul className="ot-check-list" data-testid="check-list">
                    {[...errors, ...warnings].map((problem, index) => {
                      const line = lines.get(problem.path) ?? null;
                      return (
                        <li key={index} data-severity={problem.severity} data-rule={problem.rule}>
                          {problem.severity === 'error' ? (
                            <CloseCircleFilled className="ot-check-error" />
                          ) : (
                            <WarningFilled className="ot-check-warning" />
                          )}
                          <div>
                            <div>
                              {typeof problem.message === 'string'
                                ? problem.message
                                : t(problem.message)}
                            </div>
                            <button
                              type="button"
                              className="ot-link-button"
                              onClick={() => goToLine(line)}
                            >
                              <code>{shortPath(problem.path) || '—'}</code>
                              {line ? ` · ${t(text.line, { line })}` : ''}
                            </button>
                          </div>
                        </li>
                      );
                    })}
                  </ul>
                )}
              </>
            )}
          </Card>
          {loaded.versions.length > 0 && (
            <Card size="small" title={t(text.versions)}>
              <ul className="ot-version-list">
                {loaded.versions.map((v) => (
                  <li key={v.version}>
                    <span>
                      {t(text.versionN, { version: v.version })}{' '}
                      <Tag color={bundleStatusColors[v.status]}>
                        {t(bundleStatusLabels[v.status])}
                      </Tag>
                    </span>
                    <div className="ot-muted">
                      {formatDateTime(v.publishedAt ?? v.createdAt ?? null, locale)}{' '}
                      {v.publishedByName ?? v.createdByName ?? ''}
                    </div>
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </aside>
      </div>

      <Modal
        open={preview}
        title={t(text.previewTitle, { name: title || String(contentCode ?? '') })}
        onCancel={() => setPreview(false)}
        footer={null}
        width={960}
        destroyOnHidden
      >
        {parsed.ok && (
          <BundlePreview content={parsed.content as BundleContent} members={loaded.members} />
        )}
      </Modal>
    </div>
  );
}

/** The draft as the hall would present it: promise, members in order, questions, materials, form. */
function BundlePreview({ content, members }: { content: BundleContent; members: BundleMember[] }) {
  const { t, locale } = useI18n();
  const [answers, setAnswers] = useState<Answers>({});
  const list = (items: string[]) => items.join(locale === 'en' ? ', ' : '、');
  if (!content || typeof content !== 'object' || !Array.isArray(content.members)) {
    return <Alert type="warning" showIcon title={t(text.notBundle)} />;
  }
  const nameOf = (member: { key: string; item: string }) => {
    const found = members.find((m) => m.key === member.key && m.item === member.item);
    return found ? t(found.name) : member.item;
  };
  const safe = (value: Text | undefined) => (value && typeof value === 'object' ? t(value) : '');
  return (
    <div className="ot-bundle-preview" data-testid="bundle-preview">
      <Alert type="info" showIcon title={t(text.previewNote)} className="ot-block" />
      <div className="ot-bundle-header">
        <div className="ot-bundle-header-tags">
          {content.cluster && clusterLabels[content.cluster] && (
            <Tag color="blue">{t(clusterLabels[content.cluster])}</Tag>
          )}
          <Tag>{safe(content.lifeEvent)}</Tag>
          {content.intake && intakeLabels[content.intake] && (
            <Tag>{t(intakeLabels[content.intake])}</Tag>
          )}
        </div>
        <h1 className="ot-bundle-title">{safe(content.name)}</h1>
        <p className="ot-bundle-summary">{safe(content.summary)}</p>
        {content.commitment?.limit && (
          <span className="ot-bundle-commitment ot-bundle-commitment-large">
            {t(describeCommitment(content.commitment))}
          </span>
        )}
      </div>
      <h3>{t(text.members)}</h3>
      <ol className="ot-bg-item-list">
        {content.members.map((m) => (
          <li key={m.key}>
            <strong>{nameOf(m)}</strong> <span className="ot-muted">{m.key}</span>
            {m.optional && <Tag style={{ marginInlineStart: 8 }}>{t(text.optional)}</Tag>}
            {m.after?.length > 0 && (
              <span className="ot-muted"> · {t(text.after, { list: list(m.after) })}</span>
            )}
          </li>
        ))}
      </ol>
      {Array.isArray(content.situations) && content.situations.length > 0 && (
        <>
          <h3>{t(text.questions)}</h3>
          <SituationQuestionnaire
            situations={content.situations}
            answers={answers}
            onChange={setAnswers}
          />
        </>
      )}
      <h3>{t(text.materials, { count: content.materials?.length ?? 0 })}</h3>
      <ol className="ot-bg-item-list">
        {(content.materials ?? []).map((m) => (
          <li key={m.key}>
            {safe(m.name)}{' '}
            {m.provision && m.provision !== 'upload' && provisionLabels[m.provision] && (
              <Tag color="cyan">{t(provisionLabels[m.provision])}</Tag>
            )}
            {m.deficiencyAllowed && <Tag color="gold">{t(text.deficiency)}</Tag>}
            {m.pledgeAllowed && <Tag color="purple">{t(text.pledge)}</Tag>}
          </li>
        ))}
      </ol>
      <h3>{t(text.form, { count: content.form?.length ?? 0 })}</h3>
      <ol className="ot-bg-item-list">
        {(content.form ?? []).map((f) => (
          <li key={f.key}>
            {safe(f.label)}{' '}
            <span className="ot-muted">
              {fieldTypeLabels[f.type] ? t(fieldTypeLabels[f.type]) : f.type}
              {f.required ? ` · ${t(text.required)}` : ''}
            </span>
          </li>
        ))}
      </ol>
      {content.commitment?.limit && (
        <p className="ot-muted">{t(describeLimit(content.commitment.limit))}</p>
      )}
    </div>
  );
}
