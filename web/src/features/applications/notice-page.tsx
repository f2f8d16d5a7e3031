import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router-dom';
import { Button, Result, Spin } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import QRCode from 'qrcode';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { provisionLabels } from '../bundles/labels';
import { ApiError } from '../platform/api';
import type { Notice } from './api';
import { fetchNotice } from './api';
import { maskIdentifier } from './application-view';
import { waivedText } from './labels';
import { formatDay, formatLongTime } from '../../shell/time';
import '../catalog/catalog.css';
import './applications.css';

const text = {
  title: { zh: '告知书', en: 'Notice' },
  print: { zh: '打印', en: 'Print' },
  back: { zh: '返回申请', en: 'Back to the application' },
  hint: {
    zh: 'A4 打印版；扫描二维码可随时查询办理进度。',
    en: 'A4 print version; scan the QR code to follow the application.',
  },
  number: { zh: '编号：{number}', en: 'No. {number}' },
  applicant: { zh: '申请人', en: 'Applicant' },
  identifier: { zh: '证件号码', en: 'Identifier' },
  bundle: { zh: '申请事项', en: 'Matter' },
  applicationNumber: { zh: '申请编号', en: 'Application number' },
  issuer: { zh: '出具单位', en: 'Issued by' },
  issuedAt: { zh: '出具日期', en: 'Date' },
  seal: { zh: '（电子印章）', en: '(electronic seal)' },
  clerk: { zh: '经办人：{name}', en: 'Handled by {name}' },
  qr: { zh: '扫码查询办理进度', en: 'Scan to follow the application' },
  loading: { zh: '正在加载告知书…', en: 'Loading the notice…' },
  notFound: { zh: '没有找到这份告知书', en: 'No such notice' },
  failed: { zh: '告知书加载失败', en: 'The notice could not be loaded' },
  yes: { zh: '是', en: 'Yes' },
  no: { zh: '否', en: 'No' },
  site: { zh: '一件事 · 政务服务一体化平台', en: 'OneThing · integrated government services' },
} satisfies Record<string, Text>;

/** Labels of the facts a notice may state, by key. */
const factLabels: Record<string, Text> = {
  acceptedAt: { zh: '受理时间', en: 'Accepted' },
  submittedAt: { zh: '提交时间', en: 'Submitted' },
  requestedAt: { zh: '告知时间', en: 'Requested' },
  decidedAt: { zh: '决定时间', en: 'Decided' },
  expectedBy: { zh: '承诺办结时间', en: 'To be done by' },
  committedLimit: { zh: '承诺时限', en: 'Committed limit' },
  limit: { zh: '承诺时限', en: 'Committed limit' },
  items: { zh: '办理事项', en: 'Items' },
  departments: { zh: '承办部门', en: 'Departments' },
  materials: { zh: '材料', en: 'Materials' },
  deficiency: { zh: '容缺材料', en: 'Materials to follow' },
  deficientMaterials: { zh: '容缺材料', en: 'Materials to follow' },
  dueDate: { zh: '补交期限', en: 'Due date' },
  correction: { zh: '需补正的内容', en: 'To correct' },
  corrections: { zh: '需补正的内容', en: 'To correct' },
  reason: { zh: '不予受理理由', en: 'Reason' },
  legalBasis: { zh: '法律依据', en: 'Legal basis' },
  note: { zh: '说明', en: 'Note' },
  pledges: { zh: '告知承诺', en: 'Pledges' },
  clerk: { zh: '经办人', en: 'Clerk' },
  clerkName: { zh: '经办人', en: 'Clerk' },
  channel: { zh: '申请渠道', en: 'Channel' },
  remedy: { zh: '救济途径', en: 'Remedies' },
  statusPath: { zh: '进度查询', en: 'Status' },
  progress: { zh: '办理结果', en: 'Outcome' },
};

/** What the result notice (办结通知书) says of each item and of the whole. */
const outcomeLabels: Record<string, Text> = {
  approved: { zh: '准予许可', en: 'approved' },
  denied: { zh: '不予许可', en: 'denied' },
  deemed_approved: { zh: '超时默认通过', en: 'deemed approved on timeout' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
  automatic: { zh: '智能审批', en: 'decided automatically' },
  completed: { zh: '全部办结', en: 'all done' },
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function isText(value: unknown): value is Text {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Text).zh === 'string' &&
    typeof (value as Text).en === 'string'
  );
}

/** A fact value as people read it: dates formatted, texts in the UI language, lists as lists. */
function FactValue({ value }: { value: unknown }): ReactNode {
  const { t, locale } = useI18n();
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return t(value ? text.yes : text.no);
  if (typeof value === 'string')
    return ISO_TIME.test(value) ? formatLongTime(value, locale) : value;
  if (typeof value === 'number') return String(value);
  if (isText(value)) return t(value);
  if (Array.isArray(value)) {
    return (
      <ol className="ot-notice-list">
        {value.map((entry, index) => (
          <li key={index}>
            <FactValue value={entry} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // A named thing (an item, a material) leads with its name; the rest follows.
    const name = record.name ?? record.label ?? record.title;
    const rest = Object.entries(record).filter(
      ([key]) => !['name', 'label', 'title', 'key', 'code', 'member'].includes(key),
    );
    return (
      <span>
        {name !== undefined && <FactValue value={name} />}
        {rest.map(([key, inner]) => (
          <span key={key} className="ot-notice-sub">
            {' '}
            {factLabels[key] ? `${t(factLabels[key])}：` : ''}
            <FactValue value={inner} />
          </span>
        ))}
      </span>
    );
  }
  return String(value);
}

const factText = {
  files: { zh: '已提交 {count} 份', en: '{count} file(s) handed in' },
  pledged: { zh: '以告知承诺代替', en: 'replaced by a pledge' },
  deficient: { zh: '容缺，受理后补交', en: 'to follow after acceptance' },
  notProvided: { zh: '未提交', en: 'not provided' },
  provisional: {
    zh: '（节假日安排未公布，暂定）',
    en: '(provisional: holidays not yet published)',
  },
  dueBy: { zh: '请于 {date} 前补交：{list}', en: 'Hand in by {date}: {list}' },
  material: { zh: '材料「{name}」', en: 'Material "{name}"' },
  field: { zh: '填写项「{name}」', en: 'Field "{name}"' },
} satisfies Record<string, Text>;

/** The facts of a notice the server states, in the order and words of a paper notice. */
function NoticeFacts({ notice }: { notice: Notice }) {
  const { t, locale } = useI18n();
  const list = (items: string[]) => items.join(locale === 'en' ? ', ' : '、');
  const facts = { ...(notice.facts ?? {}) };
  const name = (value: unknown) =>
    isText(value) ? t(value) : typeof value === 'string' ? value : '';
  const rows: { key: string; label: Text; value: ReactNode }[] = [];
  const take = (key: string) => {
    const value = facts[key];
    delete facts[key];
    return value;
  };

  const items = take('items');
  if (Array.isArray(items) && notice.kind !== 'correction') {
    rows.push({
      key: 'items',
      label: factLabels.items!,
      value: (
        <ol className="ot-notice-list">
          {items.map((item, index) => {
            const record = item as Record<string, unknown>;
            const department = record.department ?? record.departmentName;
            const outcome =
              typeof record.decision === 'string'
                ? outcomeLabels[record.decision]
                : record.state === 'withdrawn'
                  ? outcomeLabels.withdrawn
                  : undefined;
            return (
              <li key={index}>
                {name(record.name)}
                {department ? <span className="ot-muted">（{name(department)}）</span> : null}
                {outcome ? (
                  <span data-outcome={String(record.decision ?? record.state)}>
                    {' — '}
                    {t(outcome)}
                    {record.automatic === true ? `（${t(outcomeLabels.automatic!)}）` : ''}
                    {typeof record.resultName === 'string' ? `：${record.resultName}` : ''}
                  </span>
                ) : null}
              </li>
            );
          })}
        </ol>
      ),
    });
  } else if (Array.isArray(items)) {
    rows.push({
      key: 'corrections',
      label: factLabels.corrections!,
      value: (
        <ol className="ot-notice-list">
          {items.map((item, index) => {
            const record = item as Record<string, unknown>;
            const what = record.material
              ? t(factText.material, { name: name(record.materialName) || String(record.material) })
              : record.field
                ? t(factText.field, { name: name(record.fieldLabel) || String(record.field) })
                : '';
            return (
              <li key={index}>
                {what}
                {record.note ? `：${String(record.note)}` : ''}
              </li>
            );
          })}
        </ol>
      ),
    });
  }

  const materials = take('materials');
  if (Array.isArray(materials)) {
    rows.push({
      key: 'materials',
      label: factLabels.materials!,
      value: (
        <ol className="ot-notice-list">
          {materials.map((entry, index) => {
            const record = entry as Record<string, unknown>;
            const waived = Array.isArray(record.waived) ? record.waived.map(name) : null;
            const how =
              record.deficient === true
                ? t(factText.deficient)
                : record.pledged === true
                  ? t(factText.pledged)
                  : waived
                    ? t(waivedText.notice, {
                        list: list(waived.map((source) => t(waivedText.source, { source }))),
                      })
                    : record.provision && record.provision !== 'upload'
                      ? name(
                          provisionLabels[record.provision as keyof typeof provisionLabels] ?? '',
                        )
                      : typeof record.files === 'number' && record.files > 0
                        ? t(factText.files, { count: record.files })
                        : t(factText.notProvided);
            return (
              <li key={index} data-waived={waived ? 'true' : undefined}>
                {name(record.name)} <span className="ot-muted">— {how}</span>
              </li>
            );
          })}
        </ol>
      ),
    });
  }

  const deficiency = take('deficiency') as
    { materials?: unknown[]; dueDate?: string; note?: string } | null | undefined;
  if (deficiency && typeof deficiency === 'object') {
    rows.push({
      key: 'deficiency',
      label: factLabels.deficiency!,
      value: (
        <>
          {t(factText.dueBy, {
            date: deficiency.dueDate ?? '—',
            list: list(
              (deficiency.materials ?? []).map((m) =>
                name((m as Record<string, unknown>)?.name ?? m),
              ),
            ),
          })}
          {deficiency.note ? <div>{deficiency.note}</div> : null}
        </>
      ),
    });
  }

  const progress = take('progress');
  if (typeof progress === 'string') {
    rows.push({
      key: 'progress',
      label: factLabels.progress!,
      value: <strong>{t(outcomeLabels[progress] ?? { zh: progress, en: progress })}</strong>,
    });
  }

  const expectedBy = take('expectedBy');
  const provisional = take('expectedProvisional');
  if (typeof expectedBy === 'string') {
    rows.push({
      key: 'expectedBy',
      label: factLabels.expectedBy!,
      value: (
        <strong>
          <FactValue value={expectedBy} />
          {provisional === true ? t(factText.provisional) : ''}
        </strong>
      ),
    });
  }

  for (const [key, value] of Object.entries(facts)) {
    if (value === null || value === undefined || value === '') continue;
    rows.push({
      key,
      label: factLabels[key] ?? { zh: key, en: key },
      value: <FactValue value={value} />,
    });
  }

  return (
    <>
      {rows.map((row) => (
        <tr key={row.key} data-fact={row.key}>
          <th>{t(row.label)}</th>
          <td colSpan={3}>{row.value}</td>
        </tr>
      ))}
    </>
  );
}

/**
 * `/applications/{id}/notices/{noticeId}`: a notice (受理通知书, 补正材料通知书, 不予受理决定书) to print,
 * with a QR code that opens the application's public status page.
 */
export function NoticePage() {
  const { id = '', noticeId = '' } = useParams();
  const { t, lang, locale } = useI18n();
  const { state: auth } = useAuth();
  const navigate = useNavigate();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  useDocumentTitle(notice ? notice.title : text.title);

  useEffect(() => {
    const controller = new AbortController();
    fetchNotice(id, noticeId, lang, controller.signal).then(setNotice, (failure: unknown) => {
      if (controller.signal.aborted) return;
      setError({
        status: failure instanceof ApiError ? failure.status : 0,
        message: failure instanceof Error ? failure.message : String(failure),
      });
    });
    return () => controller.abort();
  }, [id, noticeId, auth.status]);

  const statusUrl = notice ? new URL(notice.statusPath, window.location.origin).href : null;
  useEffect(() => {
    if (!statusUrl) return;
    let live = true;
    QRCode.toDataURL(statusUrl, { margin: 1, width: 240, errorCorrectionLevel: 'M' }).then(
      (url) => live && setQr(url),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [statusUrl]);

  if (error?.status === 401 && auth.status === 'anonymous') {
    return <Navigate to={`/signin?next=${encodeURIComponent(window.location.pathname)}`} replace />;
  }
  if (error) {
    return (
      <Result
        status={error.status === 404 || error.status === 403 ? '404' : 'error'}
        title={t(error.status === 404 || error.status === 403 ? text.notFound : text.failed)}
        subTitle={error.message}
        extra={
          <Button onClick={() => navigate(-1)} icon={<ArrowLeftOutlined />}>
            {t(text.back)}
          </Button>
        }
      />
    );
  }
  if (!notice) {
    return (
      <div className="ot-centered" role="status">
        <Spin size="large" />
        <div className="ot-centered-note">{t(text.loading)}</div>
      </div>
    );
  }

  const issued = formatDay(notice.issuedAt, locale);
  // The server masks the identifier; a notice never shows a whole one, whatever it is sent.
  const identifier = notice.application.applicantIdentifier.includes('*')
    ? notice.application.applicantIdentifier
    : maskIdentifier(notice.application.applicantIdentifier);
  const issuerName =
    typeof notice.issuer.name === 'string' ? notice.issuer.name : t(notice.issuer.name);
  const bundleName = notice.application.bundle?.name ?? notice.application.bundleName;
  const department =
    typeof notice.issuer.department === 'string'
      ? notice.issuer.department
      : t(notice.issuer.department);

  return (
    <div className="ot-print">
      <div className="ot-print-toolbar" data-testid="print-toolbar">
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>
          {t(text.back)}
        </Button>
        <span className="ot-print-hint">{t(text.hint)}</span>
        <Button
          type="primary"
          icon={<PrinterOutlined />}
          onClick={() => window.print()}
          data-testid="notice-print"
        >
          {t(text.print)}
        </Button>
      </div>
      <article className="ot-print-sheet ot-notice" data-testid="notice" data-kind={notice.kind}>
        <div className="ot-print-site">{t(text.site)}</div>
        <div className="ot-notice-issuer-head">{department}</div>
        <h1 className="ot-notice-title" data-testid="notice-title">
          {t(notice.title)}
        </h1>
        <div className="ot-notice-number" data-testid="notice-number">
          {t(text.number, { number: notice.number })}
        </div>

        <table className="ot-notice-table">
          <tbody>
            <tr>
              <th>{t(text.applicant)}</th>
              <td data-testid="notice-applicant">{notice.application.applicantName}</td>
              <th>{t(text.identifier)}</th>
              <td data-testid="notice-identifier">{identifier}</td>
            </tr>
            <tr>
              <th>{t(text.bundle)}</th>
              <td>{bundleName ? t(bundleName) : '—'}</td>
              <th>{t(text.applicationNumber)}</th>
              <td>{notice.application.number}</td>
            </tr>
            <NoticeFacts notice={notice} />
          </tbody>
        </table>

        <footer className="ot-notice-foot">
          <div className="ot-notice-qr" data-testid="notice-qr">
            {qr ? (
              <img
                src={qr}
                alt={t(text.qr)}
                width={112}
                height={112}
                data-testid="notice-qr-image"
              />
            ) : (
              <Spin />
            )}
            <div>
              <div className="ot-notice-qr-label">{t(text.qr)}</div>
              <div className="ot-notice-url" data-testid="notice-status-url">
                {statusUrl}
              </div>
            </div>
          </div>
          <div className="ot-notice-sign">
            <div className="ot-notice-sign-department">{department}</div>
            <div className="ot-muted">{t(text.seal)}</div>
            <div>{issued}</div>
            <div className="ot-muted ot-notice-clerk">{t(text.clerk, { name: issuerName })}</div>
          </div>
        </footer>
      </article>
    </div>
  );
}
