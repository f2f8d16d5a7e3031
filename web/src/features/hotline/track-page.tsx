import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, Card, Input, Spin, Steps, Tag, Typography } from 'antd';
import { ApiError } from '../platform/api';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import type { PublicTicket } from './api';
import { trackTicket } from './api';
import { StatusTag } from './components';
import { EVENT_LABELS, RESOLUTION_LABELS, SATISFACTION_LABELS, TYPE_LABELS } from './labels';
import { formatTime } from '../../shell/time';
import './hotline.css';

export const trackText = {
  title: { zh: '12345 诉求查询', en: 'Track a 12345 request' },
  intro: {
    zh: '输入登记时告知您的 8 位查询码，查看诉求的办理进度和答复。页面不显示任何个人信息。',
    en: 'Enter the 8-character tracking code you were given to see how your request is handled. No personal data is shown.',
  },
  placeholder: { zh: '查询码，如 K7QM2XP9', en: 'Tracking code, e.g. K7QM2XP9' },
  search: { zh: '查询', en: 'Track' },
  notFound: {
    zh: '没有找到该查询码对应的诉求，请核对后重试。',
    en: 'No request has this tracking code; check it and try again.',
  },
  number: { zh: '工单号', en: 'Number' },
  registered: { zh: '受理时间', en: 'Registered' },
  due: { zh: '承诺办结时间', en: 'Due by' },
  handledBy: { zh: '承办单位', en: 'Handled by' },
  answer: { zh: '办理结果', en: 'Result' },
  progress: { zh: '办理进度', en: 'Progress' },
  satisfaction: { zh: '您的评价', en: 'Your verdict' },
} satisfies Record<string, Text>;

/** `/hotline/track` and `/hotline/track/:code`: the requester's public tracking page. */
export function HotlineTrackPage() {
  const { code = '' } = useParams();
  const { t, lang, locale } = useI18n();
  const navigate = useNavigate();
  useDocumentTitle(trackText.title);
  const [ticket, setTicket] = useState<PublicTicket | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!code) {
      setTicket(null);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    trackTicket(code, lang, controller.signal).then(
      (value) => {
        setTicket(value);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setTicket(null);
        setError(
          failure instanceof ApiError && failure.status === 404
            ? t(trackText.notFound)
            : String(failure),
        );
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [code]);

  return (
    <div className="ot-page-width ot-section ot-hl-track">
      <Typography.Title level={2}>{t(trackText.title)}</Typography.Title>
      <Typography.Paragraph className="ot-lead">{t(trackText.intro)}</Typography.Paragraph>
      <Input.Search
        size="large"
        enterButton={t(trackText.search)}
        defaultValue={code}
        placeholder={t(trackText.placeholder)}
        maxLength={12}
        onSearch={(value) =>
          value.trim() &&
          navigate(`/hotline/track/${encodeURIComponent(value.trim().toUpperCase())}`)
        }
        className="ot-hl-track-search"
        data-testid="track-search"
      />
      {loading && <Spin />}
      {error && <Alert type="warning" showIcon title={error} className="ot-block" />}
      {ticket && (
        <Card className="ot-hl-card" data-testid="track-result">
          <div className="ot-hl-header-title">
            <h2>{ticket.title}</h2>
            <StatusTag status={ticket.status} />
            <Tag>{t(TYPE_LABELS[ticket.type])}</Tag>
            {ticket.resolution && <Tag>{t(RESOLUTION_LABELS[ticket.resolution])}</Tag>}
          </div>
          <Typography.Paragraph className="ot-hl-content">{ticket.content}</Typography.Paragraph>
          <dl className="ot-hl-facts ot-block">
            <div>
              <dt>{t(trackText.number)}</dt>
              <dd>{ticket.number}</dd>
            </div>
            <div>
              <dt>{t(trackText.registered)}</dt>
              <dd>{formatTime(ticket.createdAt, locale)}</dd>
            </div>
            <div>
              <dt>{t(trackText.due)}</dt>
              <dd>{formatTime(ticket.finishDueAt, locale)}</dd>
            </div>
            <div>
              <dt>{t(trackText.handledBy)}</dt>
              <dd>{ticket.handledBy ? t(ticket.handledBy) : '—'}</dd>
            </div>
          </dl>
          {ticket.answer && (
            <Alert
              type="success"
              className="ot-block"
              title={t(trackText.answer)}
              description={ticket.answer}
            />
          )}
          {ticket.satisfaction && (
            <p>
              {t(trackText.satisfaction)}：<Tag>{t(SATISFACTION_LABELS[ticket.satisfaction])}</Tag>
            </p>
          )}
          <Typography.Title level={4}>{t(trackText.progress)}</Typography.Title>
          <Steps
            orientation="vertical"
            size="small"
            current={ticket.status === 'closed' ? ticket.steps.length : ticket.steps.length - 1}
            items={ticket.steps.map((step) => ({
              title: t(EVENT_LABELS[step.action] ?? { zh: step.action, en: step.action }),
              description: (
                <div>
                  <div className="ot-muted">
                    {formatTime(step.at, locale)}
                    {step.department ? ` · ${t(step.department)}` : ''}
                  </div>
                  {step.note && <div>{step.note}</div>}
                </div>
              ),
            }))}
          />
        </Card>
      )}
    </div>
  );
}
