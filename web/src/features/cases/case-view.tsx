import type { ReactNode } from 'react';
import { isValidElement, useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Modal, Spin, Tag, Tooltip } from 'antd';
import {
  CheckCircleFilled,
  CloseCircleFilled,
  EyeOutlined,
  PaperClipOutlined,
} from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import type { ItemVersion } from '../catalog/api';
import { fetchItem } from '../catalog/api';
import { WaivedSources, WaivedTag } from '../applications/application-editor';
import { HistoryCard } from '../applications/history-entry';
import { RowsTable } from '../applications/rows-table';
import { STATUS_COLORS } from '../licences/labels';
import type {
  AttachedLicence,
  CaseDetail,
  CaseMaterial,
  CaseResults,
  CaseState,
  CaseView,
  Check,
  WarningLevel,
} from './api';
import { caseUploadUrl, openAttachedLicence } from './api';
import {
  caseStateColors,
  caseStateLabels,
  decisionColors,
  decisionLabels,
  eventLabelOf,
  limitText,
  materialText,
  segmentLabels,
  warningColors,
  warningLabels,
} from './labels';

// The pieces of a case as staff read it: state, dues, clock, inputs, checks, segments, history.

export const caseViewText = {
  provisional: { zh: '暂定', en: 'provisional' },
  provisionalHint: {
    zh: '该年度节假日安排尚未公布，期限按法定节日推算，公布后可能调整。',
    en: 'The holiday schedule of that year is not published yet; the due follows the statutory holidays and may move.',
  },
  stopped: { zh: '计时暂停', en: 'clock stopped' },
  notStarted: { zh: '未开始计时', en: 'not started' },
  started: { zh: '开始计时', en: 'Started' },
  committedDue: { zh: '承诺办结', en: 'Committed due' },
  statutoryDue: { zh: '法定办结', en: 'Statutory due' },
  warnAt: { zh: '预警时间', en: 'Warning from' },
  committedLimit: { zh: '承诺时限', en: 'Committed limit' },
  statutoryLimit: { zh: '法定时限', en: 'Statutory limit' },
  suspended: {
    zh: '暂停计时 {count} 次（{list}，不计入期限）',
    en: 'clock stopped {count}× ({list}; not counted)',
  },
  suspendedNow: { zh: '当前计时暂停：{kind}', en: 'Clock stopped now: {kind}' },
  extension: { zh: '已延长 {days} 个工作日', en: 'Extended by {days} working days' },
  extensionPending: {
    zh: '延期 {days} 个工作日待批准',
    en: 'Extension of {days} working days awaiting approval',
  },
  finished: { zh: '办结时间', en: 'Finished' },
  answers: { zh: '申请人的情形', en: 'The applicant’s situation' },
  data: { zh: '申请表（本事项部分）', en: 'Application form (this item’s part)' },
  earlierResults: { zh: '前置事项的结果', en: 'Results of earlier items' },
  noData: { zh: '没有填写项', en: 'No fields' },
  checks: { zh: '智能审批校验', en: 'Automatic decision checks' },
  checksIntro: {
    zh: '以下规则全部通过时系统自动准予许可（秒批），校验结果即为审批理由。',
    en: 'When every rule passes the system approves on its own; the checks are the reasons.',
  },
  segments: { zh: '计时记录（暂停与延期）', en: 'Clock record (suspensions and extensions)' },
  segmentOpen: { zh: '进行中', en: 'ongoing' },
  segmentDays: { zh: '{days} 个工作日', en: '{days} working days' },
  segmentApproved: { zh: '已批准', en: 'approved' },
  segmentPending: { zh: '待批准', en: 'awaiting approval' },
  events: { zh: '办理记录', en: 'History' },
  result: { zh: '办理结果', en: 'Result' },
  reasons: { zh: '理由', en: 'Reasons' },
  note: { zh: '说明', en: 'Note' },
  issuedAt: { zh: '出具时间', en: 'Issued' },
  colon: { zh: '：', en: ': ' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
} satisfies Record<string, Text>;

/** The state of a case as a tag (the server's name when it sent one). */
export function CaseStateTag({ state, name }: { state: CaseState; name?: Text | null }) {
  const { t } = useI18n();
  return (
    <Tag color={caseStateColors[state] ?? 'default'} data-testid="case-state" data-state={state}>
      {t(caseStateLabels[state] ?? name ?? { zh: state, en: state })}
    </Tag>
  );
}

/** A warning level as a tag; nothing when all is well. */
export function WarningTag({ warning }: { warning: WarningLevel }) {
  const { t } = useI18n();
  if (warning === 'none') return null;
  return (
    <Tag color={warningColors[warning]} data-testid="case-warning" data-warning={warning}>
      {t(warningLabels[warning])}
    </Tag>
  );
}

/** The committed due of a case in Beijing time, with its warning and a provisional marker. */
export function DueCell({
  c,
}: {
  c: Pick<CaseView, 'committedDueAt' | 'warning' | 'dueProvisional' | 'startedAt' | 'state'> &
    Partial<Pick<CaseView, 'segments'>>;
}) {
  const { t, locale } = useI18n();
  const stopped = c.segments?.some((s) => s.kind !== 'extension' && !s.endedAt);
  let body: ReactNode;
  if (c.committedDueAt)
    body = <span className="ot-nowrap">{formatTime(c.committedDueAt, locale)}</span>;
  else
    body = (
      <span className="ot-muted">
        {t(
          stopped || c.state === 'returned_for_correction' || c.state === 'suspended'
            ? caseViewText.stopped
            : caseViewText.notStarted,
        )}
      </span>
    );
  return (
    <span className="ot-case-due" data-testid="case-due">
      {body}
      <WarningTag warning={c.warning} />
      {c.dueProvisional && (
        <Tooltip title={t(caseViewText.provisionalHint)}>
          <Tag color="orange" bordered={false} data-testid="due-provisional">
            {t(caseViewText.provisional)}
          </Tag>
        </Tooltip>
      )}
    </span>
  );
}

/** One line on the clock: started, suspended days, extension, what stops it now. */
export function ClockLine({ c }: { c: CaseView }) {
  const { t, locale } = useI18n();
  const parts: string[] = [];
  parts.push(
    c.startedAt
      ? `${t(caseViewText.started)} ${formatTime(c.startedAt, locale)}`
      : t(caseViewText.notStarted),
  );
  const suspended = c.segments.filter((s) => s.kind !== 'extension' && s.endedAt);
  if (suspended.length > 0) {
    const list = suspended.map((s) => t(segmentLabels[s.kind] ?? s.label)).join('、');
    parts.push(t(caseViewText.suspended, { count: suspended.length, list }));
  }
  const open = c.segments.find((s) => s.kind !== 'extension' && !s.endedAt);
  if (open) {
    parts.push(t(caseViewText.suspendedNow, { kind: t(segmentLabels[open.kind] ?? open.label) }));
  }
  const granted = c.segments
    .filter((s) => s.kind === 'extension' && s.approvedAt)
    .reduce((sum, s) => sum + (s.days ?? 0), 0);
  if (granted > 0) parts.push(t(caseViewText.extension, { days: granted }));
  const pending = c.segments.find((s) => s.kind === 'extension' && !s.approvedAt);
  if (pending) parts.push(t(caseViewText.extensionPending, { days: pending.days ?? 0 }));
  return (
    <p className="ot-case-clock" data-testid="case-clock">
      {parts.join(' · ')}
    </p>
  );
}

/** The dues and limits as a definition list. */
export function DueFacts({ c }: { c: CaseView }) {
  const { t, locale } = useI18n();
  const rows: { key: string; label: string; value: ReactNode }[] = [
    { key: 'committed', label: t(caseViewText.committedDue), value: <DueCell c={c} /> },
    {
      key: 'statutory',
      label: t(caseViewText.statutoryDue),
      value: formatTime(c.statutoryDueAt, locale),
    },
    {
      key: 'limits',
      label: t(caseViewText.committedLimit),
      value:
        t(limitText(c.committedLimit)) +
        (c.statutoryLimit
          ? ` · ${t(caseViewText.statutoryLimit)} ${t(limitText(c.statutoryLimit))}`
          : ''),
    },
  ];
  if (c.warnAt) {
    rows.push({ key: 'warn', label: t(caseViewText.warnAt), value: formatTime(c.warnAt, locale) });
  }
  if (c.finishedAt) {
    rows.push({
      key: 'finished',
      label: t(caseViewText.finished),
      value: formatTime(c.finishedAt, locale),
    });
  }
  return (
    <dl className="ot-app-facts">
      {rows.map((row) => (
        <div key={row.key} data-fact={row.key}>
          <dt>{row.label}</dt>
          <dd>{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A value of a form or result as people read it. */
export function PlainValue({ value }: { value: unknown }) {
  const { t } = useI18n();
  if (value === undefined || value === null || value === '')
    return <span className="ot-muted">—</span>;
  if (typeof value === 'boolean') return <>{t(value ? caseViewText.yes : caseViewText.no)}</>;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return <>{value.join('、')}</>;
    return (
      <ul className="ot-case-list">
        {value.map((v, i) => (
          <li key={i}>
            <PlainValue value={v} />
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.zh === 'string' && typeof o.en === 'string') return <>{t(o as unknown as Text)}</>;
    return (
      <span className="ot-case-inline">
        {Object.entries(o).map(([k, v]) => (
          <span key={k}>
            <span className="ot-muted">
              {k}
              {t(caseViewText.colon)}
            </span>
            <PlainValue value={v} />
          </span>
        ))}
      </span>
    );
  }
  return <>{String(value)}</>;
}

/** The published content of the item version a case works on, for field and answer names. */
export function useItem(code: string, version: number): ItemVersion | null {
  const { lang } = useI18n();
  const [item, setItem] = useState<ItemVersion | null>(null);
  useEffect(() => {
    if (!code) return;
    const controller = new AbortController();
    fetchItem(code, lang, { version: version || undefined, signal: controller.signal })
      .catch((error: unknown) => {
        if (controller.signal.aborted || !version) throw error;
        return fetchItem(code, lang, { signal: controller.signal });
      })
      .then(
        (reply) => setItem(reply),
        // Without the item the keys are shown as they are.
        () => undefined,
      );
    return () => controller.abort();
  }, [code, version]);
  return item;
}

/** Keys of a result the result view shows on their own lines rather than as data. */
const RESULT_META = new Set(['decision', 'note', 'reasons', 'checks', 'issuedAt', 'automatic']);

/** What a result carries besides its decision, as a definition list. */
export function ResultData({ result }: { result: Record<string, unknown> }) {
  const entries = Object.entries(result).filter(([k]) => !RESULT_META.has(k));
  if (entries.length === 0) return null;
  return (
    <dl className="ot-app-data ot-case-result-data">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{resultKeyLabels[k] ? <ResultKey k={k} /> : k}</dt>
          <dd>
            <PlainValue value={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

const resultKeyLabels: Record<string, Text> = {
  uscc: { zh: '统一社会信用代码', en: 'Unified social credit code' },
  name: { zh: '名称', en: 'Name' },
  enterpriseName: { zh: '企业名称', en: 'Enterprise name' },
  licence: { zh: '证照', en: 'Licence' },
  licenceNumber: { zh: '证照编号', en: 'Licence number' },
  number: { zh: '编号', en: 'Number' },
  account: { zh: '账号', en: 'Account' },
  accountNumber: { zh: '账号', en: 'Account number' },
  validUntil: { zh: '有效期至', en: 'Valid until' },
  basis: { zh: '依据', en: 'Basis' },
};

function ResultKey({ k }: { k: string }) {
  const { t } = useI18n();
  return <>{t(resultKeyLabels[k]!)}</>;
}

/** The decision of a case with its reasons and note. */
export function ResultSummary({ results }: { results: CaseResults }) {
  const { t, locale } = useI18n();
  return (
    <div className="ot-case-result" data-testid="case-result" data-decision={results.decision}>
      <div className="ot-case-result-head">
        {results.decision && (
          <Tag color={decisionColors[results.decision]}>{t(decisionLabels[results.decision])}</Tag>
        )}
        {results.issuedAt && (
          <span className="ot-muted">
            {t(caseViewText.issuedAt)} {formatTime(results.issuedAt, locale)}
          </span>
        )}
      </div>
      {results.reasons && results.reasons.length > 0 && (
        <div>
          <strong>
            {t(caseViewText.reasons)}
            {t(caseViewText.colon)}
          </strong>
          <ol className="ot-case-reasons">
            {results.reasons.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ol>
        </div>
      )}
      {results.note && (
        <div>
          <strong>
            {t(caseViewText.note)}
            {t(caseViewText.colon)}
          </strong>
          {results.note}
        </div>
      )}
      <ResultData result={results} />
    </div>
  );
}

/** The application's inputs to this case: answers, the item's form data and earlier results. */
export function InputsView({
  c,
  item,
  memberNames,
}: {
  c: CaseView;
  item: ItemVersion | null;
  memberNames?: Map<string, Text>;
}) {
  const { t } = useI18n();
  const answers = c.inputs?.answers ?? {};
  const data = c.inputs?.data ?? {};
  const earlier = c.inputs?.results ?? {};
  const situations = item?.item.situations ?? [];
  const fields = item?.item.form ?? [];
  const answerRows = Object.entries(answers).map(([key, values]) => {
    const s = situations.find((x) => x.key === key);
    return {
      key,
      label: s ? t(s.question) : key,
      value: (Array.isArray(values) ? values : [values])
        .map((v) => {
          const a = s?.answers.find((x) => x.key === v);
          return a ? t(a.label) : String(v);
        })
        .join('、'),
    };
  });
  const known = new Set(fields.map((f) => f.key));
  const dataRows = [
    ...fields
      .filter((f) => f.key in data)
      .map((f) => {
        const value = data[f.key];
        const option = f.type === 'choice' ? f.options?.find((o) => o.value === value) : undefined;
        const columns = f.type === 'table' ? (f.columns ?? []) : [];
        return {
          key: f.key,
          label: t(f.label),
          value:
            columns.length > 0 && Array.isArray(value) ? (
              <FieldRows columns={columns} rows={value} />
            ) : option ? (
              t(option.label)
            ) : (
              value
            ),
          wide: f.type === 'table',
        };
      }),
    ...Object.entries(data)
      .filter(([k]) => !known.has(k))
      .map(([k, v]) => ({ key: k, label: k, value: v, wide: typeof v === 'object' })),
  ];
  return (
    <section className="ot-app-card" data-testid="case-inputs">
      {answerRows.length > 0 && (
        <>
          <h2 className="ot-app-card-title">{t(caseViewText.answers)}</h2>
          <dl className="ot-app-data">
            {answerRows.map((row) => (
              <div key={row.key} data-answer={row.key}>
                <dt>{row.label}</dt>
                <dd>{row.value || '—'}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      <h2 className="ot-app-card-title ot-case-subtitle">{t(caseViewText.data)}</h2>
      {dataRows.length === 0 ? (
        <p className="ot-muted">{t(caseViewText.noData)}</p>
      ) : (
        <dl className="ot-app-data">
          {dataRows.map((row) => (
            <div
              key={row.key}
              data-field={row.key}
              className={row.wide ? 'ot-app-data-wide' : undefined}
            >
              <dt>{row.label}</dt>
              <dd>{isValidElement(row.value) ? row.value : <PlainValue value={row.value} />}</dd>
            </div>
          ))}
        </dl>
      )}
      {Object.keys(earlier).length > 0 && (
        <>
          <h2 className="ot-app-card-title ot-case-subtitle">{t(caseViewText.earlierResults)}</h2>
          <ul className="ot-case-earlier">
            {Object.entries(earlier).map(([member, result]) => (
              <li key={member} data-earlier={member}>
                <strong>{memberNames?.get(member) ? t(memberNames.get(member)!) : member}</strong>
                {result ? <ResultSummary results={result} /> : <span className="ot-muted">—</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Rows of a table field under its columns' names, choices by their labels. */
function FieldRows({
  columns,
  rows,
}: {
  columns: { key: string; label: Text; options?: { value: string; label: Text }[] }[];
  rows: unknown[];
}) {
  const { t } = useI18n();
  return (
    <div className="ot-case-table-wrap">
      <RowsTable
        columns={columns}
        rows={rows}
        cell={(column, value) => {
          const option = column.options?.find((o) => o.value === value);
          return option ? t(option.label) : <PlainValue value={value} />;
        }}
      />
    </div>
  );
}

/** The rule checks an automatic decision recorded. */
export function ChecksView({ checks }: { checks: Check[] }) {
  const { t } = useI18n();
  if (checks.length === 0) return null;
  return (
    <section className="ot-app-card" data-testid="case-checks">
      <h2 className="ot-app-card-title">{t(caseViewText.checks)}</h2>
      <p className="ot-muted">{t(caseViewText.checksIntro)}</p>
      <ul className="ot-case-checks">
        {checks.map((check) => (
          <li key={check.id} data-check={check.id} data-passed={check.passed}>
            {check.passed ? (
              <CheckCircleFilled className="ot-case-ok" aria-hidden="true" />
            ) : (
              <CloseCircleFilled className="ot-case-fail" aria-hidden="true" />
            )}
            <span>{t(check.label)}</span>
            {check.detail && <span className="ot-muted">{check.detail}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The clock's suspensions and extensions. */
export function SegmentsView({ c }: { c: CaseView }) {
  const { t, locale } = useI18n();
  if (c.segments.length === 0) return null;
  return (
    <section className="ot-app-card" data-testid="case-segments">
      <h2 className="ot-app-card-title">{t(caseViewText.segments)}</h2>
      <ul className="ot-case-segments">
        {c.segments.map((s) => (
          <li key={s.id} data-segment={s.kind}>
            <Tag color={s.kind === 'extension' ? 'geekblue' : 'purple'}>
              {t(segmentLabels[s.kind] ?? s.label)}
            </Tag>
            <span className="ot-nowrap">
              {formatTime(s.startedAt, locale)}
              {s.kind !== 'extension' &&
                ` – ${s.endedAt ? formatTime(s.endedAt, locale) : t(caseViewText.segmentOpen)}`}
            </span>
            {s.kind === 'extension' && (
              <span>
                {t(caseViewText.segmentDays, { days: s.days ?? 0 })} ·{' '}
                {s.approvedAt
                  ? `${t(caseViewText.segmentApproved)} ${formatTime(s.approvedAt, locale)}`
                  : t(caseViewText.segmentPending)}
              </span>
            )}
            {s.reason && <span className="ot-muted">{s.reason}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The case's history, oldest first, with who took each step. */
export function EventsView({ c }: { c: CaseDetail }) {
  return (
    <HistoryCard
      title={caseViewText.events}
      steps={c.events}
      labelOf={(e) => eventLabelOf(e.action, e.label)}
      colorOf={(e) =>
        e.action.startsWith('warning_red') || e.action === 'escalated' ? 'red' : undefined
      }
      testId="case-events"
    />
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 102.4) / 10} KB`;
  return `${Math.round(bytes / 1024 / 102.4) / 10} MB`;
}

/** Which licence of which material is open in the modal. */
interface Opening {
  material: CaseMaterial;
  licence: AttachedLicence | null;
}

/**
 * The materials the case's item uses: the files the applicant uploaded (downloads) and what was
 * attached in place of a paper (免提交), a licence with a button that opens it — the server logs
 * each opening and shows it to the holder, and the modal says so.
 */
export function CaseMaterialsView({ c }: { c: CaseDetail }) {
  const { t, lang, locale } = useI18n();
  const { message } = App.useApp();
  const [opening, setOpening] = useState<Opening | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const materials = c.materials;
  if (!materials) return null;

  const open = (material: CaseMaterial, licenceId: string) => {
    setBusy(`${material.key}:${licenceId}`);
    setOpening({ material, licence: null });
    openAttachedLicence(c.id, material.key, licenceId, lang).then(
      (licence) => {
        setOpening((current) =>
          current?.material.key === material.key ? { material, licence } : current,
        );
        setBusy(null);
      },
      (error: unknown) => {
        setOpening(null);
        setBusy(null);
        void message.error(
          t(materialText.openFailed, {
            message: error instanceof Error ? error.message : String(error),
          }),
        );
      },
    );
  };

  return (
    <section className="ot-app-card" aria-labelledby="case-materials" data-testid="case-materials">
      <h2 id="case-materials" className="ot-app-card-title">
        {t(materialText.title)}
      </h2>
      {materials.length === 0 ? (
        <p className="ot-muted">{t(materialText.none)}</p>
      ) : (
        <ol className="ot-app-materials">
          {materials.map((material) => (
            <li
              key={material.key}
              className="ot-app-material"
              data-case-material={material.key}
              data-waived={material.waived ? 'true' : undefined}
            >
              <div className="ot-app-material-head">
                <span className="ot-app-material-name">{t(material.name)}</span>
                {material.waived ? (
                  <WaivedTag materialKey={material.key} />
                ) : (
                  <Tag>{t(material.provisionLabel)}</Tag>
                )}
              </div>
              <div className="ot-app-material-body">
                {material.waived && (
                  <WaivedSources
                    waiver={material.waived}
                    action={(source) =>
                      source.licence && (
                        <Button
                          size="small"
                          icon={<EyeOutlined />}
                          loading={busy === `${material.key}:${source.licence.id}`}
                          onClick={() => open(material, source.licence!.id)}
                          data-testid={`open-licence-${material.key}`}
                        >
                          {t(materialText.openLicence)}
                        </Button>
                      )
                    }
                  />
                )}
                {material.uploads.length > 0 ? (
                  <ul className="ot-app-uploads">
                    {material.uploads.map((upload) => (
                      <li key={upload.id}>
                        <PaperClipOutlined aria-hidden="true" />
                        <a
                          href={caseUploadUrl(c.id, upload.id)}
                          target="_blank"
                          rel="noreferrer"
                          data-testid="case-upload-link"
                        >
                          {upload.filename}
                        </a>
                        <span className="ot-muted">
                          {formatSize(upload.size)} · {formatTime(upload.uploadedAt, locale)}
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : (
                  !material.waived &&
                  material.provision === 'upload' && (
                    <span className="ot-muted">{t(materialText.noUploads)}</span>
                  )
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
      <Modal
        open={opening !== null}
        title={opening ? t(opening.licence?.type.name ?? opening.material.name) : ''}
        onCancel={() => setOpening(null)}
        footer={<Button onClick={() => setOpening(null)}>{t(materialText.close)}</Button>}
        width={680}
        destroyOnHidden
      >
        {opening?.licence ? (
          <LicenceBody licence={opening.licence} />
        ) : (
          <div className="ot-centered" role="status">
            <Spin />
          </div>
        )}
      </Modal>
    </section>
  );
}

/** A licence opened for a case: the note that the opening is logged, its facts and contents. */
function LicenceBody({ licence }: { licence: AttachedLicence }) {
  const { t } = useI18n();
  return (
    <div data-testid="case-licence" data-identifier={licence.identifier}>
      <Alert
        type="info"
        showIcon
        className="ot-block"
        title={t(materialText.logged)}
        data-testid="case-licence-logged"
      />
      <Descriptions
        size="small"
        bordered
        column={1}
        className="ot-block"
        styles={{ label: { width: 140, whiteSpace: 'nowrap' } }}
        items={[
          {
            key: 'status',
            label: t(materialText.status),
            children: (
              <Tag color={STATUS_COLORS[licence.status] ?? 'default'} data-status={licence.status}>
                {t(licence.statusLabel)}
              </Tag>
            ),
          },
          {
            key: 'identifier',
            label: t(materialText.identifier),
            children: <span className="ot-case-licence-id">{licence.identifier}</span>,
          },
          { key: 'holder', label: t(materialText.holder), children: licence.holder.name },
          { key: 'issuer', label: t(materialText.issuer), children: t(licence.issuer.name) },
          {
            key: 'validity',
            label: t(materialText.validity),
            children: t(materialText.validRange, {
              from: licence.validFrom,
              until: licence.validUntil ?? t(materialText.longTerm),
            }),
          },
          ...(licence.signature
            ? [
                {
                  key: 'signature',
                  label: t(materialText.signature),
                  children: (
                    <span className="ot-muted">
                      {licence.signature.algorithm} · {licence.signature.keyId}
                    </span>
                  ),
                },
              ]
            : []),
        ]}
      />
      <h3 className="ot-case-subtitle">{t(materialText.fields)}</h3>
      <Descriptions
        size="small"
        bordered
        column={1}
        data-testid="case-licence-fields"
        styles={{ label: { width: 140 } }}
        items={licence.fields.map((field) => ({
          key: field.key,
          label: t(field.label),
          children: field.value ?? '—',
        }))}
      />
    </div>
  );
}
