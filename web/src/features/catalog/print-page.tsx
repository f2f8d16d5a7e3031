import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Button, Result, Spin } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { ItemGuide } from './guide';
import { guidePageText } from './guide-page';
import { answersToParams, readAnswers, useApplicable, usePublishedItem } from './use-guide';

const text = {
  print: { zh: '打印', en: 'Print' },
  back: { zh: '返回办事指南', en: 'Back to the guide' },
  hint: {
    zh: '此页面为 A4 打印版，内容与网上办事指南同源发布。',
    en: 'A4 print version; the same published content as the online guide.',
  },
  footer: {
    zh: '打印于 {date} · 以一件事平台发布的第 {version} 版为准 · {url}',
    en: 'Printed {date} · version {version} as published on OneThing · {url}',
  },
  site: { zh: '一件事 · 政务服务一体化平台', en: 'OneThing · integrated government services' },
} satisfies Record<string, Text>;

/** The printable guide at `/services/{code}/print`: no navigation, A4-friendly, same content. */
export function PrintPage() {
  const { code = '' } = useParams();
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const answers = readAnswers(params);
  const state = usePublishedItem(code);
  const ready = state.status === 'ready';
  const { applicable, pending } = useApplicable(code, answers, ready);
  useDocumentTitle(ready ? state.value.item.name : guidePageText.guideTitle);
  const query = answersToParams(answers).toString();
  const back = () => navigate(`/services/${code}${query ? `?${query}` : ''}`);

  if (state.status === 'loading') {
    return (
      <div className="ot-centered" role="status">
        <Spin size="large" />
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <Result
        status={state.httpStatus === 404 ? '404' : 'error'}
        title={t(
          state.httpStatus === 404 ? guidePageText.notFoundTitle : guidePageText.failedTitle,
        )}
        subTitle={
          state.httpStatus === 404 ? t(guidePageText.notFoundBody, { code }) : state.message
        }
      />
    );
  }

  const { item, version, publishedAt, departmentName, typeName } = state.value;
  const guideUrl = `${window.location.origin}/services/${code}`;
  return (
    <div className="ot-print">
      <div className="ot-print-toolbar" data-testid="print-toolbar">
        <Button icon={<ArrowLeftOutlined />} onClick={back}>
          {t(text.back)}
        </Button>
        <span className="ot-print-hint">{t(text.hint)}</span>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t(text.print)}
        </Button>
      </div>
      <div className="ot-print-sheet" data-testid="print-sheet" aria-busy={pending}>
        <div className="ot-print-site">
          {t(text.site)} · {t(guidePageText.guideTitle)}
        </div>
        <ItemGuide
          content={item}
          departmentName={departmentName ?? { zh: item.department, en: item.department }}
          typeName={typeName}
          version={version}
          publishedAt={publishedAt}
          applicable={applicable}
          answers={Object.keys(answers).length > 0 ? answers : undefined}
          variant="print"
        />
        <footer className="ot-print-footer">
          {t(text.footer, {
            date: new Date().toLocaleString(locale),
            version,
            url: guideUrl,
          })}
        </footer>
      </div>
    </div>
  );
}
