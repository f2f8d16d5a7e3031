import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Alert, Breadcrumb, Button, Result, Spin, Tag } from 'antd';
import { FormOutlined, PrinterOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { shellText } from '../../shell/messages';
import type { Answers } from './api';
import { ItemGuide } from './guide';
import { SituationQuestionnaire } from './questionnaire';
import {
  answersChanged,
  answersToParams,
  readAnswers,
  useApplicable,
  usePublishedItem,
} from './use-guide';

export const guidePageText = {
  hall: { zh: '办事大厅', en: 'Service hall' },
  services: { zh: '事项办理', en: 'Service items' },
  print: { zh: '打印指南', en: 'Print the guide' },
  apply: { zh: '在线申请', en: 'Apply online' },
  loading: { zh: '正在加载办事指南…', en: 'Loading the guide…' },
  notFoundTitle: { zh: '没有找到这个事项', en: 'No such service item' },
  notFoundBody: {
    zh: '事项编码 {code} 不存在或尚未发布。',
    en: 'There is no published service item with the code {code}.',
  },
  failedTitle: { zh: '办事指南加载失败', en: 'The guide could not be loaded' },
  backToList: { zh: '查看全部事项', en: 'All service items' },
  updating: { zh: '正在按您的情形更新…', en: 'Updating for your situation…' },
  applicableFailed: {
    zh: '未能按您的情形计算材料：{message}',
    en: 'Could not work out the materials for your answers: {message}',
  },
  guideTitle: { zh: '办事指南', en: 'Service guide' },
} satisfies Record<string, Text>;

/** The guide of one published item at `/services/{code}`, with the situation questionnaire. */
export function GuidePage() {
  const { code = '' } = useParams();
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const answers = readAnswers(params);
  const state = usePublishedItem(code);
  const ready = state.status === 'ready';
  const { applicable, pending, error } = useApplicable(code, answers, ready);
  useDocumentTitle(ready ? state.value.item.name : guidePageText.guideTitle);

  const setAnswers = (next: Answers) =>
    setParams(answersChanged(answers, next), { replace: true, preventScrollReset: true });

  if (state.status === 'loading') {
    return (
      <div className="ot-centered" role="status">
        <Spin size="large" />
        <div className="ot-centered-note">{t(guidePageText.loading)}</div>
      </div>
    );
  }
  if (state.status === 'error') {
    const missing = state.httpStatus === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={t(missing ? guidePageText.notFoundTitle : guidePageText.failedTitle)}
        subTitle={missing ? t(guidePageText.notFoundBody, { code }) : state.message}
        extra={
          <Button type="primary" onClick={() => navigate('/services')}>
            {t(guidePageText.backToList)}
          </Button>
        }
      />
    );
  }

  const { item, version, publishedAt, departmentName, typeName } = state.value;
  const printParams = answersToParams(answers).toString();

  return (
    <div className="ot-page-width ot-section ot-guide-page">
      <Breadcrumb
        className="ot-guide-breadcrumb"
        items={[
          { title: <Link to="/">{t(guidePageText.hall)}</Link> },
          { title: <Link to="/services">{t(guidePageText.services)}</Link> },
          { title: t(item.name) },
        ]}
      />
      <div className="ot-guide-actions">
        <Button
          icon={<PrinterOutlined />}
          onClick={() => navigate(`/services/${code}/print${printParams ? `?${printParams}` : ''}`)}
          data-testid="guide-print"
        >
          {t(guidePageText.print)}
        </Button>
        <Button type="primary" icon={<FormOutlined />} disabled>
          {t(guidePageText.apply)}
          <Tag className="ot-soon-tag">{t(shellText.comingSoon)}</Tag>
        </Button>
      </div>
      <div className="ot-guide-card">
        <ItemGuide
          content={item}
          departmentName={departmentName ?? { zh: item.department, en: item.department }}
          typeName={typeName}
          version={version}
          publishedAt={publishedAt}
          applicable={applicable}
          questionnaire={
            item.situations.length > 0 ? (
              <SituationQuestionnaire
                situations={item.situations}
                answers={answers}
                onChange={setAnswers}
              />
            ) : undefined
          }
          materialsNote={
            pending ? (
              <span className="ot-guide-note" role="status">
                <Spin size="small" /> {t(guidePageText.updating)}
              </span>
            ) : error ? (
              <Alert
                type="warning"
                showIcon
                title={t(guidePageText.applicableFailed, { message: error })}
              />
            ) : null
          }
        />
      </div>
    </div>
  );
}
