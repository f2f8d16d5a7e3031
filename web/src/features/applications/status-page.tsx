import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Result, Spin, Timeline } from 'antd';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { ApiError } from '../platform/api';
import type { PublicStatus } from './api';
import { fetchPublicStatus } from './api';
import { StatusTag } from './application-view';
import { eventLabel } from './labels';
import './applications.css';

const text = {
  title: { zh: '办理进度查询', en: 'Application status' },
  number: { zh: '申请编号', en: 'Application number' },
  bundle: { zh: '申请事项', en: 'Matter' },
  applicant: { zh: '申请人', en: 'Applicant' },
  submittedAt: { zh: '提交时间', en: 'Submitted' },
  acceptedAt: { zh: '受理时间', en: 'Accepted' },
  decidedAt: { zh: '决定时间', en: 'Decided' },
  expectedBy: { zh: '预计办结', en: 'Expected by' },
  items: { zh: '办理事项', en: 'Items' },
  history: { zh: '办理记录', en: 'History' },
  loading: { zh: '正在查询…', en: 'Looking it up…' },
  notFound: { zh: '没有找到这份申请', en: 'No such application' },
  notFoundBody: {
    zh: '二维码或链接可能已失效，请核对后重试。',
    en: 'The QR code or link may no longer be valid.',
  },
  failed: { zh: '查询失败', en: 'The lookup failed' },
  note: {
    zh: '此页面仅显示办理进度，不含申请人的个人信息和材料。',
    en: 'This page shows the progress only, never the applicant’s personal data or materials.',
  },
  hall: { zh: '前往办事大厅', en: 'Go to the service hall' },
} satisfies Record<string, Text>;

/** `/status/{token}`: the public progress of one application, opened from a notice's QR code. */
export function StatusPage() {
  const { token = '' } = useParams();
  const { t, lang, locale } = useI18n();
  const [status, setStatus] = useState<PublicStatus | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  useDocumentTitle(text.title);

  useEffect(() => {
    const controller = new AbortController();
    fetchPublicStatus(token, lang, controller.signal).then(setStatus, (failure: unknown) => {
      if (controller.signal.aborted) return;
      setError({
        status: failure instanceof ApiError ? failure.status : 0,
        message: failure instanceof Error ? failure.message : String(failure),
      });
    });
    return () => controller.abort();
  }, [token]);

  if (error) {
    const missing = error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={t(missing ? text.notFound : text.failed)}
        subTitle={missing ? t(text.notFoundBody) : error.message}
        extra={<Link to="/">{t(text.hall)}</Link>}
      />
    );
  }
  if (!status) {
    return (
      <div className="ot-centered" role="status">
        <Spin size="large" />
        <div className="ot-centered-note">{t(text.loading)}</div>
      </div>
    );
  }

  const bundleName = status.bundle?.name ?? status.bundleName;
  const rows: { key: string; label: Text; value: string | null | undefined }[] = [
    { key: 'number', label: text.number, value: status.number },
    { key: 'bundle', label: text.bundle, value: bundleName ? t(bundleName) : null },
    { key: 'applicant', label: text.applicant, value: status.applicantName },
    {
      key: 'submitted',
      label: text.submittedAt,
      value: status.submittedAt ? formatTime(status.submittedAt, locale) : null,
    },
    {
      key: 'accepted',
      label: text.acceptedAt,
      value: status.acceptedAt ? formatTime(status.acceptedAt, locale) : null,
    },
    {
      key: 'decided',
      label: text.decidedAt,
      value:
        status.decidedAt && status.decidedAt !== status.acceptedAt
          ? formatTime(status.decidedAt, locale)
          : null,
    },
    {
      key: 'expected',
      label: text.expectedBy,
      value: status.expectedBy ? formatTime(status.expectedBy, locale) : null,
    },
  ];

  return (
    <div className="ot-page-width ot-section ot-status-page" data-testid="status-page">
      <div className="ot-app-card">
        <div className="ot-app-header-title">
          <h1>{t(text.title)}</h1>
          <StatusTag status={status.status} />
        </div>
        <dl className="ot-app-facts">
          {rows
            .filter((row) => row.value)
            .map((row) => (
              <div key={row.key} data-fact={row.key}>
                <dt>{t(row.label)}</dt>
                <dd>{row.value}</dd>
              </div>
            ))}
        </dl>
      </div>
      {status.items && status.items.length > 0 && (
        <div className="ot-app-card">
          <h2 className="ot-app-card-title">{t(text.items)}</h2>
          <ul className="ot-bg-item-list">
            {status.items.map((item, index) => (
              <li key={index}>
                {t(item.name)}{' '}
                {(item.department ?? item.departmentName) && (
                  <span className="ot-muted">{t((item.department ?? item.departmentName)!)}</span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {status.events && status.events.length > 0 && (
        <div className="ot-app-card">
          <h2 className="ot-app-card-title">{t(text.history)}</h2>
          <Timeline
            items={status.events.map((event, index) => ({
              key: index,
              content: (
                <div className="ot-app-event">
                  <div className="ot-app-event-head">
                    <strong>{t(event.label ?? eventLabel(event.action))}</strong>
                    <span className="ot-muted">{formatTime(event.at, locale)}</span>
                  </div>
                  {event.note && <div>{event.note}</div>}
                </div>
              ),
            }))}
          />
        </div>
      )}
      <p className="ot-muted">{t(text.note)}</p>
    </div>
  );
}
