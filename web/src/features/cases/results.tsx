import { Link } from 'react-router-dom';
import { Button, Tag } from 'antd';
import { PrinterOutlined, RobotOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import type { ResultItem, ResultPackage } from './api';
import { CaseStateTag, ResultData } from './case-view';
import { decisionColors, decisionLabels } from './labels';
import './cases.css';

// The combined result package of an application (一窗出件): every item's decision and result in one
// place, as the applicant receives it.

export const resultsText = {
  title: { zh: '办理结果（一窗出件）', en: 'Results, delivered together' },
  complete: {
    zh: '全部事项已办结，结果一并送达。',
    en: 'Every item is finished; the results are delivered together.',
  },
  partial: {
    zh: '部分事项已出结果，其余事项仍在办理。',
    en: 'Some items have their results; the others are still in progress.',
  },
  issuedAt: { zh: '出件时间 {at}', en: 'Delivered {at}' },
  automatic: { zh: '秒批', en: 'Automatic' },
  pending: { zh: '办理中', en: 'In progress' },
  reasons: { zh: '理由', en: 'Reasons' },
  basis: { zh: '依据', en: 'Basis' },
  note: { zh: '说明', en: 'Note' },
  notice: { zh: '查看并打印结果通知书 {number}', en: 'View and print the result notice {number}' },
  print: { zh: '打印', en: 'Print' },
  colon: { zh: '：', en: ': ' },
} satisfies Record<string, Text>;

/** Whether a package has anything to show: complete, or some result issued. */
export function hasResults(pkg: ResultPackage | null | undefined): pkg is ResultPackage {
  return !!pkg && (pkg.complete || pkg.items.some((i) => i.decision !== null || i.issuedAt));
}

function ResultRow({ item }: { item: ResultItem }) {
  const { t, locale } = useI18n();
  return (
    <li
      className="ot-case-package-item"
      data-testid="result-item"
      data-member={item.memberKey}
      data-decision={item.decision ?? ''}
    >
      <div className="ot-case-package-head">
        <SafetyCertificateOutlined aria-hidden="true" className="ot-app-notice-icon" />
        <div className="ot-case-package-name">
          <strong>{t(item.item)}</strong>
          <span className="ot-muted">{t(item.department)}</span>
        </div>
        <span className="ot-case-package-tags">
          {item.decision ? (
            <Tag color={decisionColors[item.decision]}>{t(decisionLabels[item.decision])}</Tag>
          ) : (
            <CaseStateTag state={item.state} name={item.stateName} />
          )}
          {item.automatic && (
            <Tag color="geekblue" icon={<RobotOutlined />}>
              {t(resultsText.automatic)}
            </Tag>
          )}
        </span>
      </div>
      {item.resultName && <div className="ot-case-package-result">{t(item.resultName)}</div>}
      {item.result && <ResultData result={item.result} />}
      {item.reasons.length > 0 && (
        <div className="ot-case-package-reasons">
          <span className="ot-muted">
            {t(resultsText.reasons)}
            {t(resultsText.colon)}
          </span>
          {item.reasons.join('；')}
        </div>
      )}
      {item.note && (
        <div>
          <span className="ot-muted">
            {t(resultsText.note)}
            {t(resultsText.colon)}
          </span>
          {item.note}
        </div>
      )}
      {item.basis && (
        <div className="ot-muted">
          {t(resultsText.basis)}
          {t(resultsText.colon)}
          {item.basis}
        </div>
      )}
      {item.issuedAt && (
        <div className="ot-muted">
          {t(resultsText.issuedAt, { at: formatTime(item.issuedAt, locale) })}
        </div>
      )}
    </li>
  );
}

/** The combined result package. */
export function ResultPackageView({ pkg }: { pkg: ResultPackage }) {
  const { t, locale } = useI18n();
  return (
    <section
      className="ot-app-card ot-case-package"
      data-testid="result-package"
      data-complete={pkg.complete}
    >
      <div className="ot-case-section-head">
        <h2 className="ot-app-card-title">{t(resultsText.title)}</h2>
        <Button
          size="small"
          icon={<PrinterOutlined />}
          onClick={() => window.print()}
          className="ot-case-no-print"
        >
          {t(resultsText.print)}
        </Button>
      </div>
      <p
        className={pkg.complete ? 'ot-case-package-done' : 'ot-muted'}
        data-testid="result-package-status"
      >
        {t(pkg.complete ? resultsText.complete : resultsText.partial)}
        {pkg.issuedAt && ` ${t(resultsText.issuedAt, { at: formatTime(pkg.issuedAt, locale) })}`}
      </p>
      {pkg.notice && (
        <p>
          <Link
            to={`/applications/${pkg.applicationId}/notices/${pkg.notice.id}`}
            data-testid="result-notice"
          >
            <PrinterOutlined aria-hidden="true" />{' '}
            {t(resultsText.notice, { number: pkg.notice.number })}
          </Link>
        </p>
      )}
      <ol className="ot-case-package-list">
        {pkg.items.map((item) => (
          <ResultRow key={item.caseId} item={item} />
        ))}
      </ol>
    </section>
  );
}
