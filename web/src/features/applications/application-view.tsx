import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Tag } from 'antd';
import {
  FileTextOutlined,
  PaperClipOutlined,
  PrinterOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import type { BundleContent } from '../bundles/api';
import { BundleTimeline } from '../bundles/bundle-guide';
import { provisionLabels } from '../bundles/labels';
import { formatTime } from '../../shell/time';
import type { FormColumn } from '../catalog/content';
import type { Application } from './api';
import { uploadUrl } from './api';
import { useNames, WaivedSources, WaivedTag } from './application-editor';
import { HistoryCard, platformNote } from './history-entry';
import { RowsTable } from './rows-table';
import {
  applicantKindLabels,
  channelLabels,
  consentMethods,
  eventLabel,
  noticeKindLabels,
  statusColors,
  statusLabels,
} from './labels';
import './applications.css';

export const viewText = {
  number: { zh: '申请编号', en: 'Application number' },
  applicant: { zh: '申请人', en: 'Applicant' },
  channel: { zh: '申请渠道', en: 'Channel' },
  assistedBy: {
    zh: '帮办人：{name}（{method}，凭证 {reference}）',
    en: 'Assisted by {name} ({method}, ref. {reference})',
  },
  submittedAt: { zh: '提交时间', en: 'Submitted' },
  acceptedAt: { zh: '受理时间', en: 'Accepted' },
  expectedBy: { zh: '预计办结', en: 'Expected by' },
  decidedAt: { zh: '决定时间', en: 'Decided' },
  submittedNote: {
    zh: '申请已提交，综合窗口正在预审；预审结果会通知您。',
    en: 'Submitted; the window is pre-reviewing it and will let you know.',
  },
  acceptedNote: {
    zh: '已受理，各部门正在并联办理，预计 {date} 前全部办结。',
    en: 'Accepted; the departments are working in parallel and expect to be done by {date}.',
  },
  acceptedNoteNoDate: {
    zh: '已受理，各部门正在并联办理。',
    en: 'Accepted; the departments are working in parallel.',
  },
  completedNote: {
    zh: '已全部办结，办理结果已统一出件，请查看办结通知书。',
    en: 'All done: the results are out together; see the notice of completion.',
  },
  deniedNote: {
    zh: '已办理完毕，部分事项不予许可，详见办结通知书。',
    en: 'Decided: some items were not approved; see the notice of completion.',
  },
  casesWithdrawnNote: { zh: '各事项均已撤回。', en: 'Every item was withdrawn.' },
  deficiencyNote: {
    zh: '容缺受理：请在 {date} 前补交以下材料：{list}',
    en: 'Accepted with materials to follow: hand in by {date}: {list}',
  },
  refusedNote: { zh: '不予受理：{reason}', en: 'Not accepted: {reason}' },
  legalBasis: { zh: '依据：{basis}', en: 'Legal basis: {basis}' },
  withdrawnNote: { zh: '申请已撤回。', en: 'The application was withdrawn.' },
  notices: { zh: '告知书', en: 'Notices' },
  printNotice: { zh: '查看并打印', en: 'View and print' },
  history: { zh: '办理记录', en: 'History' },
  items: { zh: '并联办理的事项', en: 'Items handled in parallel' },
  data: { zh: '申请表', en: 'Application form' },
  materials: { zh: '提交的材料', en: 'Materials handed in' },
  pledged: { zh: '以告知承诺代替', en: 'Replaced by a pledge' },
  none: { zh: '未提交', en: 'Not provided' },
  noFields: { zh: '无需填写', en: 'Nothing to fill in' },
  answers: { zh: '申请人的情形', en: 'The applicant’s situation' },
  yes: { zh: '是', en: 'yes' },
} satisfies Record<string, Text>;

/** A resident ID or credit code shown with its middle hidden. */
export function maskIdentifier(value: string): string {
  if (value.length <= 8) return value;
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
}

/** The status of an application as a tag. */
export function StatusTag({ status }: { status: Application['status'] }) {
  const { t } = useI18n();
  return (
    <Tag color={statusColors[status]} data-testid="application-status" data-status={status}>
      {t(statusLabels[status])}
    </Tag>
  );
}

/** The facts at the top of an application: number, applicant, channel, dates. */
export function ApplicationFacts({ application }: { application: Application }) {
  const { t, locale } = useI18n();
  const rows: { key: string; label: string; value: ReactNode }[] = [
    { key: 'number', label: t(viewText.number), value: application.number },
    {
      key: 'applicant',
      label: t(viewText.applicant),
      value: (
        <>
          {application.applicant.name}{' '}
          <span className="ot-muted">
            {t(applicantKindLabels[application.applicant.kind])} ·{' '}
            {maskIdentifier(application.applicant.identifier)}
          </span>
        </>
      ),
    },
    {
      key: 'channel',
      label: t(viewText.channel),
      value: (
        <>
          {t(channelLabels[application.channel])}
          {application.assisted && (
            <div className="ot-muted">
              {t(viewText.assistedBy, {
                name: application.assisted.clerkName,
                method: consentMethods[application.assisted.consent.method]
                  ? t(consentMethods[application.assisted.consent.method]!)
                  : application.assisted.consent.method,
                reference: application.assisted.consent.reference,
              })}
            </div>
          )}
        </>
      ),
    },
  ];
  if (application.submittedAt) {
    rows.push({
      key: 'submitted',
      label: t(viewText.submittedAt),
      value: formatTime(application.submittedAt, locale),
    });
  }
  if (application.acceptedAt) {
    rows.push({
      key: 'accepted',
      label: t(viewText.acceptedAt),
      value: formatTime(application.acceptedAt, locale),
    });
  }
  if (application.expectedBy && application.status === 'accepted') {
    rows.push({
      key: 'expected',
      label: t(viewText.expectedBy),
      value: (
        <strong data-testid="expected-by">{formatTime(application.expectedBy, locale)}</strong>
      ),
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

/** What the status means for the applicant, in one sentence, with deficiency or refusal details. */
export function StatusNote({
  application,
  content,
}: {
  application: Application;
  content?: BundleContent | null;
}) {
  const { t, locale } = useI18n();
  const names = useNames(application, content);
  const list = (items: string[]) => items.join(locale === 'en' ? ', ' : '、');
  switch (application.status) {
    case 'submitted':
      return <Alert type="info" showIcon className="ot-block" title={t(viewText.submittedNote)} />;
    case 'accepted':
      return (
        <>
          <Alert
            type={application.progress?.status === 'denied' ? 'warning' : 'success'}
            showIcon
            className="ot-block"
            data-testid="accepted-note"
            data-progress={application.progress?.status ?? 'in_progress'}
            title={
              application.progress?.status === 'completed'
                ? t(viewText.completedNote)
                : application.progress?.status === 'denied'
                  ? t(viewText.deniedNote)
                  : application.progress?.status === 'withdrawn'
                    ? t(viewText.casesWithdrawnNote)
                    : application.expectedBy
                      ? t(viewText.acceptedNote, {
                          date: formatTime(application.expectedBy, locale),
                        })
                      : t(viewText.acceptedNoteNoDate)
            }
          />
          {application.deficiency && (
            <Alert
              type="warning"
              showIcon
              className="ot-block"
              title={t(viewText.deficiencyNote, {
                date: application.deficiency.dueDate,
                list: list(application.deficiency.materials.map(names.material)),
              })}
              description={application.deficiency.note || undefined}
            />
          )}
        </>
      );
    case 'refused':
      return (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(viewText.refusedNote, { reason: application.refusal?.reason ?? '' })}
          description={
            application.refusal?.legalBasis
              ? t(viewText.legalBasis, { basis: application.refusal.legalBasis })
              : undefined
          }
        />
      );
    case 'withdrawn':
      return <Alert type="info" showIcon className="ot-block" title={t(viewText.withdrawnNote)} />;
    default:
      return null;
  }
}

/** The notices issued, each leading to its printable page. */
export function NoticeList({ application }: { application: Application }) {
  const { t, locale } = useI18n();
  if (application.notices.length === 0) return null;
  return (
    <section className="ot-app-card" aria-labelledby="app-notices" data-testid="notices">
      <h2 id="app-notices" className="ot-app-card-title">
        {t(viewText.notices)}
      </h2>
      <ul className="ot-app-notices">
        {application.notices.map((notice) => (
          <li key={notice.id} data-notice-kind={notice.kind}>
            <FileTextOutlined aria-hidden="true" className="ot-app-notice-icon" />
            <div className="ot-app-notice-body">
              <div className="ot-app-notice-title">
                {t(noticeKindLabels[notice.kind] ?? { zh: notice.kind, en: notice.kind })}
              </div>
              <div className="ot-muted">
                {notice.number} · {formatTime(notice.issuedAt, locale)}
              </div>
            </div>
            <Link
              to={`/applications/${application.id}/notices/${notice.id}`}
              className="ot-app-notice-link"
              data-testid="notice-link"
            >
              <PrinterOutlined aria-hidden="true" /> {t(viewText.printNotice)}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The application's history, newest last. */
export function EventTimeline({ application }: { application: Application }) {
  const { t } = useI18n();
  const steps = application.events.map((event) => ({
    ...event,
    note: platformNote(event, application.materials, t),
  }));
  return (
    <HistoryCard
      title={viewText.history}
      titleId="app-history"
      steps={steps}
      labelOf={(event) => eventLabel(event.action)}
      testId="history"
    />
  );
}

/** A form value as people read it. */
function FieldValue({
  field,
  value,
}: {
  field: FormColumn & { columns?: FormColumn[] };
  value: unknown;
}) {
  const { t } = useI18n();
  if (value === undefined || value === null || value === '')
    return <span className="ot-muted">—</span>;
  if (field.type === 'choice') {
    const option = field.options?.find((o) => o.value === value);
    return <>{option ? t(option.label) : String(value)}</>;
  }
  if (field.type === 'table' && Array.isArray(value)) {
    return (
      <RowsTable
        columns={field.columns ?? []}
        rows={value}
        cell={(column, cellValue) => <FieldValue field={column} value={cellValue} />}
      />
    );
  }
  return <>{String(value)}</>;
}

/** The filled-in form, read-only. */
export function DataView({ application }: { application: Application }) {
  const { t } = useI18n();
  const fields = application.guide.fields;
  return (
    <section className="ot-app-card" aria-labelledby="app-data" data-testid="data-view">
      <h2 id="app-data" className="ot-app-card-title">
        {t(viewText.data)}
      </h2>
      {fields.length === 0 ? (
        <p className="ot-muted">{t(viewText.noFields)}</p>
      ) : (
        <dl className="ot-app-data">
          {fields.map((field) => (
            <div
              key={field.key}
              className={field.type === 'table' ? 'ot-app-data-wide' : undefined}
              data-field={field.key}
            >
              <dt>{t(field.label)}</dt>
              <dd>
                <FieldValue field={field} value={application.data[field.key]} />
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

/** The materials as handed in, with downloads. */
export function MaterialsView({ application }: { application: Application }) {
  const { t } = useI18n();
  const shown = application.materials.filter((m) => m.required || m.uploads.length > 0);
  return (
    <section
      className="ot-app-card"
      aria-labelledby="app-materials-view"
      data-testid="materials-view"
    >
      <h2 id="app-materials-view" className="ot-app-card-title">
        {t(viewText.materials)}
      </h2>
      <ol className="ot-app-materials">
        {shown.map((material) => (
          <li key={material.key} className="ot-app-material" data-app-material={material.key}>
            <div className="ot-app-material-head">
              <span className="ot-app-material-name">{t(material.name)}</span>
              {material.provision !== 'upload' && (
                <Tag color="cyan" icon={<SafetyCertificateOutlined />}>
                  {t(provisionLabels[material.provision])}
                </Tag>
              )}
              {material.pledged && <Tag color="purple">{t(viewText.pledged)}</Tag>}
              {material.required && material.waived && <WaivedTag materialKey={material.key} />}
              {material.provision === 'upload' &&
                !material.pledged &&
                !material.waived &&
                material.uploads.length === 0 && <Tag color="warning">{t(viewText.none)}</Tag>}
            </div>
            {material.required && material.waived && (
              <div className="ot-app-material-body">
                <WaivedSources waiver={material.waived} />
              </div>
            )}
            {material.uploads.length > 0 && (
              <ul className="ot-app-uploads">
                {material.uploads.map((upload) => (
                  <li key={upload.id}>
                    <PaperClipOutlined aria-hidden="true" />
                    <a
                      href={uploadUrl(application.id, upload.id)}
                      target="_blank"
                      rel="noreferrer"
                      data-testid="upload-link"
                    >
                      {upload.filename}
                    </a>
                    <span className="ot-muted">{upload.contentType}</span>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The items the departments handle, on the timeline of the application's guide. */
export function ItemsView({ application }: { application: Application }) {
  const { t } = useI18n();
  if (application.guide.items.length === 0) return null;
  return (
    <section className="ot-app-card" aria-labelledby="app-items">
      <h2 id="app-items" className="ot-app-card-title">
        {t(viewText.items)}
      </h2>
      <BundleTimeline guide={application.guide} />
    </section>
  );
}

/** The answers of an application, read-only. */
export function AnswersView({
  application,
  content,
}: {
  application: Application;
  content?: BundleContent | null;
}) {
  const { t } = useI18n();
  const situations = content?.situations ?? [];
  if (situations.length === 0) return null;
  return (
    <section className="ot-app-card" aria-labelledby="app-answers">
      <h2 id="app-answers" className="ot-app-card-title">
        {t(viewText.answers)}
      </h2>
      <dl className="ot-app-data">
        {situations.map((s) => (
          <div key={s.key}>
            <dt>{t(s.question)}</dt>
            <dd>
              {(application.answers[s.key] ?? [])
                .map((key) => s.answers.find((a) => a.key === key))
                .map((a) => (a ? t(a.label) : ''))
                .join('、') || '—'}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
