import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { Descriptions, Skeleton, Typography } from 'antd';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { ApiError } from '../platform/api';
import type { SharedLicence } from './api';
import { openShare } from './api';
import { VerdictBanner, VerificationView } from './verify-page';
import './licences.css';

const text = {
  title: { zh: '亮证查看', en: 'A shown licence' },
  intro: {
    zh: '持证人向您出示了以下电子证照。页面只显示持证人选择出示的内容，到期后自动失效。',
    en: 'The holder is showing you this e-licence. Only what the holder chose to show is here, and the page stops working when it expires.',
  },
  shown: { zh: '持证人出示的内容', en: 'What the holder shows' },
  none: {
    zh: '持证人未选择出示证照内容，仅供核验真伪和状态。',
    en: 'The holder shows no fields: only the verification.',
  },
  until: { zh: '本次亮证 {time} 失效', en: 'This share expires at {time}' },
} satisfies Record<string, Text>;

/** `/licence-shares/:token`: what a holder chose to show, with the licence's verification. */
export function SharedLicencePage() {
  const { token = '' } = useParams();
  const { t, lang, locale } = useI18n();
  useDocumentTitle(text.title);
  const [shared, setShared] = useState<SharedLicence | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setShared(null);
    setError(null);
    openShare(token, lang, controller.signal).then(setShared, (failure: unknown) => {
      if (controller.signal.aborted) return;
      // A malformed token is as unknown as a missing one to whoever scanned it.
      setError(
        failure instanceof ApiError && failure.status === 422
          ? t({
              zh: '亮证码无效：没有找到这次亮证，请向持证人索取新的二维码',
              en: 'This licence share does not exist; ask the holder for a new QR code',
            })
          : failure instanceof Error
            ? failure.message
            : String(failure),
      );
    });
    return () => controller.abort();
    // Opening counts as a view: reload only when the token changes, not the language.
  }, [token]);

  return (
    <div className="ot-page-width ot-section ot-lic-public" data-testid="share-page">
      <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      {error ? (
        <div data-testid="share-error">
          <VerdictBanner valid={false} reasons={[error]} />
        </div>
      ) : !shared ? (
        <Skeleton active />
      ) : (
        <>
          <Typography.Paragraph type="secondary" data-testid="share-expires">
            {t(text.until, { time: formatTime(shared.expiresAt, locale) })}
          </Typography.Paragraph>
          <VerificationView verification={shared.verification} />
          <Typography.Title level={4} className="ot-block">
            {t(text.shown)}
          </Typography.Title>
          {shared.fields.length === 0 ? (
            <Typography.Paragraph type="secondary">{t(text.none)}</Typography.Paragraph>
          ) : (
            <Descriptions
              bordered
              size="small"
              column={1}
              className="ot-lic-facts"
              data-testid="shared-fields"
              items={shared.fields.map((field) => ({
                key: field.key,
                label: t(field.label),
                children: <span data-field={field.key}>{field.value ?? '—'}</span>,
              }))}
            />
          )}
        </>
      )}
    </div>
  );
}
