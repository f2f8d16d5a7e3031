import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, Descriptions, Input, Skeleton, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { ApiError } from '../platform/api';
import type { LicenceStatus, Verification } from './api';
import { verifyLicence } from './api';
import { STATUS_COLORS, STATUS_LABELS, licenceText } from './labels';
import './licences.css';

const text = {
  title: { zh: '电子证照核验', en: 'Verify an e-licence' },
  intro: {
    zh: '输入电子证照标识或扫描证照上的二维码，核验证照的签名和当前状态。页面只显示核验所需的最少信息。',
    en: 'Enter an e-licence identifier, or scan the QR code on a licence, to check its signature and current status. Only what verification needs is shown.',
  },
  placeholder: { zh: '电子证照标识，如 1.2.156.3005.2.…', en: 'Identifier, e.g. 1.2.156.3005.2.…' },
  search: { zh: '核验', en: 'Verify' },
  notFound: {
    zh: '核验未通过：平台没有签发过这个标识的电子证照。',
    en: 'Verification failed: the platform never issued an e-licence with this identifier.',
  },
  badIdentifier: {
    zh: '核验未通过：证照标识有误',
    en: 'Verification failed: the identifier is wrong',
  },
} satisfies Record<string, Text>;

/** A licence status as a coloured tag. */
export function LicenceStatusTag({ status }: { status: LicenceStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="licence-status" data-status={status}>
      {t(STATUS_LABELS[status])}
    </Tag>
  );
}

/** The verdict banner: green when valid, red with every reason when not. */
export function VerdictBanner({
  valid,
  reasons,
  children,
}: {
  valid: boolean;
  reasons: string[];
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div
      className={valid ? 'ot-lic-verdict ot-lic-verdict-ok' : 'ot-lic-verdict ot-lic-verdict-bad'}
      data-testid="verify-verdict"
      data-valid={valid}
      role="status"
    >
      <span className="ot-lic-verdict-icon" aria-hidden="true">
        {valid ? <CheckCircleFilled /> : <CloseCircleFilled />}
      </span>
      <div>
        <div className="ot-lic-verdict-title">
          {t(valid ? licenceText.valid : licenceText.invalid)}
        </div>
        {reasons.length > 0 && (
          <ul className="ot-lic-verdict-reasons">
            {reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        )}
        {children}
      </div>
    </div>
  );
}

/** A verification: the verdict, then the little a verifier needs to trust it. */
export function VerificationView({ verification: v }: { verification: Verification }) {
  const { t, locale } = useI18n();
  return (
    <div data-testid="verification">
      <VerdictBanner valid={v.valid} reasons={v.problems.map((p) => t(p.message))} />
      <Descriptions
        className="ot-block ot-lic-facts"
        bordered
        size="small"
        column={1}
        items={[
          {
            key: 'type',
            label: t({ zh: '证照类型', en: 'Licence type' }),
            children: t(v.type.name),
          },
          {
            key: 'identifier',
            label: t(licenceText.identifier),
            children: <span className="ot-lic-identifier">{v.identifier}</span>,
          },
          { key: 'holder', label: t(licenceText.holder), children: v.holder.name },
          { key: 'issuer', label: t(licenceText.issuer), children: t(v.issuer.name) },
          {
            key: 'issuedAt',
            label: t(licenceText.issuedAt),
            children: formatTime(v.issuedAt, locale),
          },
          {
            key: 'validity',
            label: t(licenceText.validity),
            children: t(licenceText.validRange, {
              from: v.validFrom,
              until: v.validUntil ?? t(licenceText.longTerm),
            }),
          },
          {
            key: 'status',
            label: t(licenceText.status),
            children: <LicenceStatusTag status={v.status} />,
          },
          {
            key: 'signature',
            label: t(licenceText.signature),
            children: v.signature.valid ? (
              <span className="ot-lic-ok">
                {t(licenceText.signatureOk, { algorithm: v.signature.algorithm })}
              </span>
            ) : (
              <span className="ot-lic-bad">
                {v.signature.reason ? t(v.signature.reason) : t(licenceText.signatureBad)}
              </span>
            ),
          },
        ]}
      />
    </div>
  );
}

/** `/verify` and `/verify/:identifier`: anyone checks a licence by its identifier. */
export function VerifyPage() {
  const { identifier = '' } = useParams();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  useDocumentTitle(text.title);
  const [verification, setVerification] = useState<Verification | null>(null);
  const [failure, setFailure] = useState<{ reasons: string[]; network: boolean } | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setVerification(null);
    setFailure(null);
    if (!identifier) return;
    const controller = new AbortController();
    setLoading(true);
    verifyLicence(identifier, lang, controller.signal).then(
      (value) => {
        setVerification(value);
        setLoading(false);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLoading(false);
        if (error instanceof ApiError && error.status === 404) {
          setFailure({ reasons: [t(text.notFound)], network: false });
        } else if (error instanceof ApiError && error.status === 422) {
          // The server names the broken rule (format, check character) in the details.
          const details = error.details.map((d) => d.message);
          setFailure({ reasons: details.length ? details : [error.message], network: false });
        } else {
          setFailure({
            reasons: [error instanceof Error ? error.message : String(error)],
            network: true,
          });
        }
      },
    );
    return () => controller.abort();
  }, [identifier, lang]);

  return (
    <div className="ot-page-width ot-section ot-lic-public" data-testid="verify-page">
      <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      <Input.Search
        key={identifier}
        size="large"
        enterButton={t(text.search)}
        defaultValue={identifier}
        placeholder={t(text.placeholder)}
        maxLength={300}
        onSearch={(value) =>
          value.trim() && navigate(`/verify/${encodeURIComponent(value.trim())}`)
        }
        className="ot-lic-search"
        data-testid="verify-search"
      />
      {loading && <Skeleton active className="ot-block" />}
      {failure &&
        (failure.network ? (
          <Alert type="warning" showIcon title={failure.reasons[0]} className="ot-block" />
        ) : (
          <div className="ot-block">
            <VerdictBanner valid={false} reasons={failure.reasons} />
          </div>
        ))}
      {verification && (
        <div className="ot-block">
          <VerificationView verification={verification} />
        </div>
      )}
    </div>
  );
}
