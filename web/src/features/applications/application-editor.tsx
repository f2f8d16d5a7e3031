import type { ReactNode } from 'react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Checkbox, Form, Popconfirm, Tag, Typography, Upload } from 'antd';
import {
  CheckCircleFilled,
  CloudUploadOutlined,
  DatabaseOutlined,
  DeleteOutlined,
  ExclamationCircleFilled,
  FileDoneOutlined,
  LoadingOutlined,
  PaperClipOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import type { Answers, BundleContent } from '../bundles/api';
import { provisionLabels } from '../bundles/labels';
import { SituationQuestionnaire } from '../catalog/questionnaire';
import type { ErrorDetail } from '../platform/api';
import { ApiError, fieldOfPath } from '../platform/api';
import type { Application, ApplicationMaterial, MissingProblem, WaivedSource, Waiver } from './api';
import {
  deleteUpload,
  fetchApplication,
  fetchPrefill,
  saveApplication,
  submitApplication,
  uploadMaterial,
  uploadUrl,
} from './api';
import { cleanData, FormFieldItem } from './form-fields';
import { waivedText } from './labels';
import { useOnce } from './use-once';
import './applications.css';

export const editorText = {
  correctionTitle: {
    zh: '请按以下一次性告知补正后重新提交',
    en: 'Please correct the following and submit again',
  },
  correctionMaterial: { zh: '材料「{name}」', en: 'Material "{name}"' },
  correctionField: { zh: '填写项「{name}」', en: 'Field "{name}"' },
  questions: { zh: '1. 您的情形', en: '1. Your situation' },
  questionsNote: {
    zh: '修改回答后，下面的表单和材料会随之调整。',
    en: 'Change an answer and the form and materials below adapt.',
  },
  form: { zh: '2. 一表申请', en: '2. One form' },
  formNote: {
    zh: '{count} 个事项需要的信息合并为这一张表，同一信息只填一次。',
    en: 'What the {count} items need, in one form: each fact asked once.',
  },
  noFields: { zh: '按您的情形无需填写申请表。', en: 'No form to fill in for your situation.' },
  prefilled: {
    zh: '已根据您的实名信息预填 {count} 项，请核对。',
    en: '{count} fields were filled in from your verified identity; please check them.',
  },
  materials: { zh: '3. 一套材料', en: '3. One set of materials' },
  materialsNote: {
    zh: '每份材料只交一次，各部门共享。支持 PDF、JPEG、PNG、OFD，单个文件不超过 10 MB。',
    en: 'Each material is handed in once and shared by the departments. PDF, JPEG, PNG or OFD, up to 10 MB each.',
  },
  noMaterials: { zh: '按您的情形无需提交材料。', en: 'No materials needed for your situation.' },
  upload: { zh: '上传', en: 'Upload' },
  uploadMore: { zh: '再传一份', en: 'Add a file' },
  uploading: { zh: '正在上传…', en: 'Uploading…' },
  uploaded: { zh: '已上传「{name}」', en: 'Uploaded "{name}"' },
  uploadFailed: { zh: '上传失败：{message}', en: 'Upload failed: {message}' },
  remove: { zh: '删除', en: 'Remove' },
  removeConfirm: { zh: '删除这份文件？', en: 'Remove this file?' },
  removeFailed: { zh: '删除失败：{message}', en: 'Could not remove: {message}' },
  noUpload: { zh: '{how} — 无需上传', en: '{how} — nothing to upload' },
  pledge: {
    zh: '签署告知承诺，以承诺代替此材料',
    en: 'Sign a pledge (告知承诺) in place of this material',
  },
  pledged: { zh: '已承诺', en: 'Pledged' },
  deficiency: {
    zh: '可容缺：暂缺时可先提交，受理后按期补交',
    en: 'May follow later: you can submit without it and hand it in after acceptance',
  },
  notNeeded: { zh: '按当前情形已无需提交', en: 'No longer needed for your answers' },
  provided: { zh: '已提供', en: 'Provided' },
  outstanding: { zh: '待上传', en: 'To upload' },
  saving: { zh: '正在保存…', en: 'Saving…' },
  saved: { zh: '已自动保存', en: 'Saved' },
  unsaved: { zh: '有修改，稍后自动保存', en: 'Changes will be saved' },
  saveFailed: { zh: '自动保存失败：{message}', en: 'Could not save: {message}' },
  retry: { zh: '重试', en: 'Retry' },
  submit: { zh: '提交申请', en: 'Submit' },
  resubmit: { zh: '补正后重新提交', en: 'Submit the correction' },
  stillMissing: {
    zh: '提交前还需完成 {count} 项',
    en: '{count} thing(s) to complete before submitting',
  },
  ready: { zh: '信息已齐全，可以提交', en: 'Everything is there; you can submit' },
  submitted: { zh: '已提交，等待窗口预审', en: 'Submitted; the window will pre-review it' },
  submittedAccepted: { zh: '已提交并受理', en: 'Submitted and accepted' },
  submitFailed: { zh: '还不能提交：', en: 'Not ready to submit yet:' },
  failed: { zh: '操作失败：{message}', en: 'Failed: {message}' },
  answers: { zh: '情形', en: 'Situation' },
  lateTitle: {
    zh: '补交容缺材料（期限 {date}）',
    en: 'Materials to hand in after acceptance (due {date})',
  },
} satisfies Record<string, Text>;

/** A problem message as the server sent it: both languages (Text) or one already rendered. */
function messageOf(message: Text | string, t: (text: Text) => string): string {
  return typeof message === 'string' ? message : t(message);
}

/** Scrolls to the input or block a problem path names, and focuses it when it can. */
export function revealPath(path: string): void {
  const parts = fieldOfPath(path).split('.');
  const [head, key] = parts;
  let target: Element | null = null;
  if (head === 'data' && key) {
    const exact = document.querySelector(`[data-field="${parts.slice(1).join('.')}"]`);
    target = exact ?? document.querySelector(`[data-field="${key}"]`);
  } else if (head === 'materials' && key) {
    target = document.querySelector(`[data-app-material="${key}"]`);
  } else if (head === 'answers' && key) {
    target = document.querySelector(`[data-situation="${key}"]`);
  }
  if (!target) return;
  target.scrollIntoView({ block: 'center', behavior: 'smooth' });
  const input = target.querySelector<HTMLElement>('input, textarea, button');
  window.setTimeout(() => input?.focus({ preventScroll: true }), 300);
}

/** A list of problems; each names its field and leads to it. */
export function MissingList({ problems }: { problems: (MissingProblem | ErrorDetail)[] }) {
  const { t } = useI18n();
  return (
    <ul className="ot-app-missing" data-testid="missing-list">
      {problems.map((problem, index) => (
        <li key={`${problem.path}-${index}`} data-path={fieldOfPath(problem.path)}>
          <button type="button" onClick={() => revealPath(problem.path)}>
            {messageOf(problem.message, t)}
          </button>
        </li>
      ))}
    </ul>
  );
}

type SaveState =
  | { status: 'saved'; at: Date | null }
  | { status: 'dirty' }
  | { status: 'saving' }
  | { status: 'error'; message: string };

/** The name of a material or field of the application, for correction items and problems. */
export function useNames(application: Application, content?: BundleContent | null) {
  const { t } = useI18n();
  return useMemo(() => {
    const material = (key: string) => {
      const found =
        application.materials.find((m) => m.key === key)?.name ??
        content?.materials.find((m) => m.key === key)?.name;
      return found ? t(found) : key;
    };
    const field = (key: string) => {
      const found =
        application.guide.fields.find((f) => f.key === key)?.label ??
        content?.form.find((f) => f.key === key)?.label;
      return found ? t(found) : key;
    };
    return { material, field };
  }, [application, content, t]);
}

/** The correction a clerk asked for (一次性告知), item by item. */
export function CorrectionBanner({
  application,
  content,
}: {
  application: Application;
  content?: BundleContent | null;
}) {
  const { t } = useI18n();
  const names = useNames(application, content);
  const correction = application.correction;
  if (!correction) return null;
  return (
    <Alert
      type="warning"
      showIcon
      className="ot-block"
      data-testid="correction-banner"
      title={t(editorText.correctionTitle)}
      description={
        <>
          <ol className="ot-app-correction-items">
            {correction.items.map((item, index) => (
              <li key={index}>
                <button
                  type="button"
                  className="ot-link-button"
                  onClick={() =>
                    revealPath(item.material ? `materials.${item.material}` : `data.${item.field}`)
                  }
                >
                  {item.material
                    ? t(editorText.correctionMaterial, { name: names.material(item.material) })
                    : item.field
                      ? t(editorText.correctionField, { name: names.field(item.field) })
                      : ''}
                </button>
                {item.note && <span>：{item.note}</span>}
              </li>
            ))}
          </ol>
          {correction.note && <div className="ot-muted">{correction.note}</div>}
        </>
      }
    />
  );
}

/** The tag of a material attached from what the government holds (免提交). */
export function WaivedTag({ materialKey }: { materialKey: string }) {
  const { t } = useI18n();
  return (
    <Tag
      color="success"
      icon={<CheckCircleFilled />}
      data-testid={`waived-${materialKey}`}
      className="ot-app-waived-tag"
    >
      {t(waivedText.tag)}
    </Tag>
  );
}

const sourceIcons: Record<WaivedSource['kind'], ReactNode> = {
  licence: <SafetyCertificateOutlined aria-hidden="true" />,
  'shared-data': <DatabaseOutlined aria-hidden="true" />,
  'item-result': <FileDoneOutlined aria-hidden="true" />,
};

/**
 * Where a waived material comes from, one line per source: a licence shows its identifier, which
 * leads to public verification, and whatever `action` adds (staff open the licence).
 */
export function WaivedSources({
  waiver,
  action,
}: {
  waiver: Waiver;
  action?: (source: WaivedSource) => ReactNode;
}) {
  const { t } = useI18n();
  return (
    <ul className="ot-app-waived" data-testid="waived-sources">
      {waiver.sources.map((source) => (
        <li key={`${source.kind}:${source.name}`} data-source-kind={source.kind}>
          {sourceIcons[source.kind]}
          <span>{t(waivedText.source, { source: t(source.label) })}</span>
          {source.licence && (
            <Link
              to={`/verify/${encodeURIComponent(source.licence.identifier)}`}
              target="_blank"
              rel="noreferrer"
              className="ot-app-waived-id"
              title={t(waivedText.verify)}
              data-testid="waived-licence"
            >
              {source.licence.identifier}
            </Link>
          )}
          {source.licence?.validUntil && (
            <span className="ot-muted">
              {t(waivedText.validUntil, { date: source.licence.validUntil })}
            </span>
          )}
          {action?.(source)}
        </li>
      ))}
    </ul>
  );
}

/** One material of the set: how it is provided, its files, the pledge where one is allowed. */
function MaterialRow({
  application,
  material,
  pledged,
  onPledge,
  onChanged,
  noPledge = false,
  serial = (work) => work(),
}: {
  application: Application;
  material: ApplicationMaterial;
  pledged: boolean;
  onPledge: (pledged: boolean) => void;
  onChanged: (next: Application) => void;
  /** Hides the pledge and the 容缺 hint (materials handed in after acceptance). */
  noPledge?: boolean;
  /** Queues a write behind the editor's other writes. */
  serial?: <T>(work: () => Promise<T>) => Promise<T>;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(false);
  const needed = material.required;
  const waived = needed ? material.waived : null;
  const provided =
    material.uploads.length > 0 || pledged || !!waived || material.provision !== 'upload';

  const refresh = async (reply: unknown) => {
    const next =
      reply && typeof reply === 'object' && 'materials' in reply && 'status' in reply
        ? (reply as Application)
        : await fetchApplication(application.id, lang);
    onChanged(next);
  };

  return (
    <li
      className={needed ? 'ot-app-material' : 'ot-app-material ot-app-material-extra'}
      data-app-material={material.key}
    >
      <div className="ot-app-material-head">
        {provided ? (
          <CheckCircleFilled className="ot-app-ok" aria-hidden="true" />
        ) : (
          <ExclamationCircleFilled className="ot-app-todo" aria-hidden="true" />
        )}
        <span className="ot-app-material-name">{t(material.name)}</span>
        {!needed && <Tag>{t(editorText.notNeeded)}</Tag>}
        {waived && <WaivedTag materialKey={material.key} />}
        {needed && !waived && material.provision === 'upload' && (
          <Tag color={provided ? 'success' : 'warning'}>
            {t(provided ? editorText.provided : editorText.outstanding)}
          </Tag>
        )}
      </div>
      {material.provision !== 'upload' ? (
        <div className="ot-app-material-body">
          <Tag color="cyan" icon={<SafetyCertificateOutlined />}>
            {t(editorText.noUpload, { how: t(provisionLabels[material.provision]) })}
          </Tag>
        </div>
      ) : (
        <div className="ot-app-material-body">
          {material.uploads.length > 0 && (
            <ul className="ot-app-uploads">
              {material.uploads.map((upload) => (
                <li key={upload.id}>
                  <PaperClipOutlined aria-hidden="true" />
                  <a href={uploadUrl(application.id, upload.id)} target="_blank" rel="noreferrer">
                    {upload.filename}
                  </a>
                  <span className="ot-muted">{formatSize(upload.size)}</span>
                  <Popconfirm
                    title={t(editorText.removeConfirm)}
                    onConfirm={() =>
                      serial(async () =>
                        refresh(await deleteUpload(application.id, upload.id, lang)),
                      ).catch((error: unknown) => {
                        void message.error(
                          t(editorText.removeFailed, {
                            message: error instanceof Error ? error.message : String(error),
                          }),
                        );
                      })
                    }
                  >
                    <Button
                      type="text"
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={`${t(editorText.remove)} ${upload.filename}`}
                    />
                  </Popconfirm>
                </li>
              ))}
            </ul>
          )}
          {waived && <WaivedSources waiver={waived} />}
          {needed && !pledged && !waived && (
            <Upload
              accept=".pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png"
              showUploadList={false}
              multiple={false}
              disabled={uploading}
              customRequest={async ({ file }) => {
                const chosen = file as File;
                setUploading(true);
                try {
                  await serial(async () =>
                    refresh(await uploadMaterial(application.id, material.key, chosen, lang)),
                  );
                  void message.success(t(editorText.uploaded, { name: chosen.name }));
                } catch (error) {
                  void message.error(
                    t(editorText.uploadFailed, {
                      message: error instanceof Error ? error.message : String(error),
                    }),
                  );
                } finally {
                  setUploading(false);
                }
              }}
            >
              <Button
                icon={uploading ? <LoadingOutlined /> : <CloudUploadOutlined />}
                disabled={uploading}
                data-testid={`upload-${material.key}`}
              >
                {t(
                  uploading
                    ? editorText.uploading
                    : material.uploads.length > 0
                      ? editorText.uploadMore
                      : editorText.upload,
                )}
              </Button>
            </Upload>
          )}
          {needed && material.pledgeAllowed && !noPledge && !waived && (
            <Checkbox
              checked={pledged}
              onChange={(event) => onPledge(event.target.checked)}
              className="ot-app-pledge"
              data-testid={`pledge-${material.key}`}
            >
              {t(editorText.pledge)}
            </Checkbox>
          )}
          {needed && material.deficiencyAllowed && !provided && !noPledge && (
            <div className="ot-muted ot-app-hint">{t(editorText.deficiency)}</div>
          )}
        </div>
      )}
    </li>
  );
}

/**
 * 容缺受理: the materials an accepted application may still hand in, each with its upload, until
 * they are all there.
 */
export function LateMaterials({
  application,
  onChange,
}: {
  application: Application;
  onChange: (next: Application) => void;
}) {
  const { t } = useI18n();
  const { user } = useAuth();
  const deficiency = application.deficiency;
  const applicant = user?.role === 'citizen' || user?.role === 'enterprise';
  if (application.status !== 'accepted' || !deficiency || !applicant) return null;
  const late = application.materials.filter((m) => deficiency.materials.includes(m.key));
  if (late.length === 0) return null;
  return (
    <section className="ot-app-card" aria-labelledby="app-late" data-testid="late-materials">
      <h2 id="app-late" className="ot-app-card-title">
        {t(editorText.lateTitle, { date: deficiency.dueDate })}
      </h2>
      <ol className="ot-app-materials">
        {late.map((material) => (
          <MaterialRow
            key={material.key}
            application={application}
            material={{ ...material, required: true }}
            pledged={false}
            onPledge={() => undefined}
            onChanged={onChange}
            noPledge
          />
        ))}
      </ol>
    </section>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 102.4) / 10} KB`;
  return `${Math.round(bytes / 1024 / 102.4) / 10} MB`;
}

/**
 * The application while it can be changed (draft or correction): the situation questions, the one
 * merged form, the one set of materials with uploads and pledges, then submit. Every change is
 * saved on its own a moment later; the hall and the window (帮办代办) use the same editor.
 */
export function ApplicationEditor({
  application,
  content,
  onChange,
  onSubmitted,
}: {
  application: Application;
  /** The bundle version of the application: its questions and its whole form. */
  content: BundleContent | null;
  onChange: (next: Application) => void;
  onSubmitted?: (next: Application) => void;
}) {
  const { t, lang, locale } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [answers, setAnswersState] = useState<Answers>(application.answers);
  const [pledges, setPledgesState] = useState<string[]>(application.pledges);
  const [save, setSave] = useState<SaveState>({ status: 'saved', at: null });
  const [prefilled, setPrefilled] = useState(0);
  const [refused, setRefused] = useState<ErrorDetail[] | null>(null);
  const submit = useOnce<Application>();
  const answersRef = useRef(answers);
  const pledgesRef = useRef(pledges);
  const timer = useRef<number | undefined>(undefined);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const formKeys = useMemo(
    () => (content ? new Set(content.form.map((f) => f.key)) : null),
    [content],
  );

  const payload = useCallback(() => {
    const data = cleanData(form.getFieldsValue(true) as Record<string, unknown>);
    if (formKeys) for (const key of Object.keys(data)) if (!formKeys.has(key)) delete data[key];
    // What an earlier item's result fills is the platform's to write, not the applicant's.
    for (const field of content?.form ?? []) if (field.filledBy) delete data[field.key];
    return { answers: answersRef.current, data, pledges: pledgesRef.current };
  }, [form, formKeys, content]);
  const lastSaved = useRef(
    JSON.stringify({
      answers: application.answers,
      data: application.data,
      pledges: application.pledges,
    }),
  );

  /**
   * Runs writes one after another (saves, uploads, removals), so that each reply is the newest
   * state and an older one never overwrites it.
   */
  const serial = useCallback(<T,>(work: () => Promise<T>): Promise<T> => {
    const next = chain.current.then(work, work);
    chain.current = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }, []);

  /** Saves what is on screen, after any save under way; nothing when nothing changed. */
  const flush = useCallback((): Promise<void> => {
    window.clearTimeout(timer.current);
    const run = async () => {
      const body = payload();
      const key = JSON.stringify(body);
      if (key === lastSaved.current) {
        setSave((current) =>
          current.status === 'dirty' ? { status: 'saved', at: null } : current,
        );
        return;
      }
      setSave({ status: 'saving' });
      try {
        const next = await saveApplication(application.id, body, lang);
        lastSaved.current = key;
        setSave({ status: 'saved', at: new Date() });
        onChange(next);
      } catch (error) {
        setSave({
          status: 'error',
          message: error instanceof Error ? error.message : String(error),
        });
        throw error;
      }
    };
    return serial(run);
  }, [application.id, lang, onChange, payload, serial]);

  const schedule = useCallback(
    (delay: number) => {
      window.clearTimeout(timer.current);
      setSave({ status: 'dirty' });
      timer.current = window.setTimeout(() => void flush().catch(() => undefined), delay);
    },
    [flush],
  );

  // Save what is pending when the editor goes away (leaving the page, submitting elsewhere).
  useEffect(
    () => () => {
      if (timer.current !== undefined) {
        window.clearTimeout(timer.current);
        void flush().catch(() => undefined);
      }
    },
    [],
  );

  // A new draft of an applicant starts from what the platform knows of them (一次填报，多次复用).
  useEffect(() => {
    const applicant = user?.role === 'citizen' || user?.role === 'enterprise';
    if (!applicant || application.status !== 'draft') return;
    if (Object.keys(application.data).length > 0) return;
    const controller = new AbortController();
    fetchPrefill(application.bundle.code, lang, controller.signal).then(
      (prefill) => {
        const current = form.getFieldsValue(true) as Record<string, unknown>;
        const fill: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(prefill.data ?? {})) {
          if (current[key] === undefined || current[key] === '') fill[key] = value;
        }
        if (Object.keys(fill).length === 0) return;
        form.setFieldsValue(fill);
        setPrefilled(Object.keys(fill).length);
        schedule(0);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [application.id]);

  const setAnswers = (next: Answers) => {
    answersRef.current = next;
    setAnswersState(next);
    schedule(150);
  };
  const setPledge = (key: string, on: boolean) => {
    const next = on
      ? [...new Set([...pledgesRef.current, key])]
      : pledgesRef.current.filter((k) => k !== key);
    pledgesRef.current = next;
    setPledgesState(next);
    schedule(150);
  };

  const onSubmit = () => {
    setRefused(null);
    submit
      .run(async (key) => {
        await flush();
        return submitApplication(application.id, key, lang);
      })
      .then(
        (next) => {
          message.success(
            t(next.status === 'accepted' ? editorText.submittedAccepted : editorText.submitted),
          );
          onChange(next);
          onSubmitted?.(next);
        },
        async (error: unknown) => {
          if (error instanceof ApiError && error.details.length > 0) {
            setRefused(error.details);
            form.setFields(
              error.details
                .map((d) => fieldOfPath(d.path).split('.'))
                .filter((parts) => parts[0] === 'data' && parts.length >= 2)
                .map((parts) => ({
                  name: parts.slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
                  errors: error.details
                    .filter((d) => fieldOfPath(d.path) === parts.join('.'))
                    .map((d) => d.message),
                })),
            );
            // The application's own list of what is missing is the fresher one.
            onChange(await fetchApplication(application.id, lang).catch(() => application));
            window.setTimeout(() => revealPath(error.details[0]!.path), 50);
          } else {
            message.error(
              t(editorText.failed, {
                message: error instanceof Error ? error.message : String(error),
              }),
            );
          }
        },
      );
  };

  const guide = application.guide;
  const shownMaterials = application.materials.filter((m) => m.required || m.uploads.length > 0);
  const waivedCount = shownMaterials.filter((m) => m.required && m.waived).length;
  const missing = application.missing ?? [];
  const situations = content?.situations ?? [];

  return (
    <div className="ot-app-editor" data-testid="application-editor">
      {application.status === 'correction' && (
        <CorrectionBanner application={application} content={content} />
      )}

      {situations.length > 0 && (
        <section className="ot-app-card" aria-labelledby="app-questions">
          <h2 id="app-questions" className="ot-app-card-title">
            {t(editorText.questions)}
          </h2>
          <SituationQuestionnaire situations={situations} answers={answers} onChange={setAnswers} />
        </section>
      )}

      <section className="ot-app-card" aria-labelledby="app-form" data-testid="application-form">
        <h2 id="app-form" className="ot-app-card-title">
          {t(editorText.form)}
        </h2>
        <Typography.Paragraph type="secondary">
          {t(editorText.formNote, { count: guide.items.length })}
        </Typography.Paragraph>
        {prefilled > 0 && (
          <Alert
            type="info"
            showIcon
            className="ot-block"
            title={t(editorText.prefilled, { count: prefilled })}
            data-testid="prefilled"
          />
        )}
        <Form
          form={form}
          layout="vertical"
          initialValues={application.data}
          onValuesChange={() => schedule(800)}
          className="ot-app-form"
        >
          {guide.fields.length === 0 ? (
            <p className="ot-muted">{t(editorText.noFields)}</p>
          ) : (
            <div className="ot-app-form-grid">
              {guide.fields.map((field) => (
                <div
                  key={field.key}
                  className={
                    field.type === 'table' || (field.maxLength ?? 0) > 200
                      ? 'ot-app-form-wide'
                      : undefined
                  }
                >
                  <FormFieldItem
                    field={field}
                    filledBy={
                      field.filledBy === undefined
                        ? undefined
                        : t(
                            guide.items.find((item) => item.member === field.filledBy)?.name ?? {
                              zh: field.filledBy,
                              en: field.filledBy,
                            },
                          )
                    }
                  />
                </div>
              ))}
            </div>
          )}
        </Form>
      </section>

      <section
        className="ot-app-card"
        aria-labelledby="app-materials"
        data-testid="application-materials"
      >
        <h2 id="app-materials" className="ot-app-card-title">
          {t(editorText.materials)}
        </h2>
        <Typography.Paragraph type="secondary">{t(editorText.materialsNote)}</Typography.Paragraph>
        {waivedCount > 0 && (
          <Alert
            type="success"
            showIcon
            className="ot-block"
            title={t(waivedText.summary, { count: waivedCount })}
            data-testid="waived-summary"
          />
        )}
        {shownMaterials.length === 0 ? (
          <p className="ot-muted">{t(editorText.noMaterials)}</p>
        ) : (
          <ol className="ot-app-materials">
            {shownMaterials.map((material) => (
              <MaterialRow
                key={material.key}
                application={application}
                material={material}
                pledged={pledges.includes(material.key)}
                onPledge={(on) => setPledge(material.key, on)}
                onChanged={onChange}
                serial={serial}
              />
            ))}
          </ol>
        )}
      </section>

      <div className="ot-app-submit" data-testid="submit-bar">
        <div className="ot-app-submit-state">
          <SaveIndicator
            state={save}
            locale={locale}
            onRetry={() => void flush().catch(() => undefined)}
          />
          {missing.length > 0 ? (
            <span className="ot-app-todo-text" data-testid="missing-count">
              {t(editorText.stillMissing, { count: missing.length })}
            </span>
          ) : (
            <span className="ot-app-ok-text">{t(editorText.ready)}</span>
          )}
        </div>
        <Button
          type="primary"
          size="large"
          icon={<SendOutlined />}
          loading={submit.busy}
          onClick={onSubmit}
          data-testid="application-submit"
        >
          {t(application.status === 'correction' ? editorText.resubmit : editorText.submit)}
        </Button>
      </div>
      {refused && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(editorText.submitFailed)}
          description={<MissingList problems={refused} />}
          data-testid="submit-problems"
          closable={{ onClose: () => setRefused(null) }}
        />
      )}
      {!refused && missing.length > 0 && (
        <details className="ot-app-missing-details">
          <summary>{t(editorText.stillMissing, { count: missing.length })}</summary>
          <MissingList problems={missing} />
        </details>
      )}
    </div>
  );
}

function SaveIndicator({
  state,
  locale,
  onRetry,
}: {
  state: SaveState;
  locale: string;
  onRetry: () => void;
}) {
  const { t } = useI18n();
  switch (state.status) {
    case 'saving':
      return (
        <span className="ot-muted" role="status" data-testid="save-state">
          <LoadingOutlined /> {t(editorText.saving)}
        </span>
      );
    case 'dirty':
      return (
        <span className="ot-muted" role="status" data-testid="save-state">
          {t(editorText.unsaved)}
        </span>
      );
    case 'error':
      return (
        <span className="ot-app-todo-text" role="alert" data-testid="save-state">
          {t(editorText.saveFailed, { message: state.message })}{' '}
          <Button size="small" onClick={onRetry}>
            {t(editorText.retry)}
          </Button>
        </span>
      );
    default:
      return (
        <span className="ot-muted" role="status" data-testid="save-state">
          <CheckCircleFilled className="ot-app-ok" /> {t(editorText.saved)}
          {state.at
            ? ` ${state.at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })}`
            : ''}
        </span>
      );
  }
}
