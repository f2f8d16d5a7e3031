import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Alert, App, Breadcrumb, Button, Result, Spin, Tag } from 'antd';
import {
  ApartmentOutlined,
  FormOutlined,
  LoginOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { audienceLabels } from '../catalog/labels';
import { SituationQuestionnaire } from '../catalog/questionnaire';
import { answersChanged, readAnswers } from '../catalog/use-guide';
import type { Application } from '../applications/api';
import { createApplication } from '../applications/api';
import { useOnce } from '../applications/use-once';
import type { Answers } from './api';
import { BundleGuideView } from './bundle-guide';
import { bundlesText } from './bundles-page';
import { clusterLabels, describeCommitment, describeVisitsShort, intakeLabels } from './labels';
import { useBundle, useBundleGuide, useDepartmentNames } from './use-bundle';

export const bundlePageText = {
  questions: { zh: '回答几个问题', en: 'A few questions' },
  questionsNone: {
    zh: '这件事不需要回答问题，右侧即为您需要准备的全部内容。',
    en: 'No questions for this one: the list beside is everything you need.',
  },
  liveList: { zh: '按您的情形', en: 'For your situation' },
  updating: { zh: '正在更新…', en: 'Updating…' },
  apply: { zh: '开始申请', en: 'Apply' },
  signInToApply: { zh: '登录后申请', en: 'Sign in to apply' },
  staffHint: {
    zh: '工作人员不能以本人名义申请；窗口工作人员可在工作台“帮办代办”中代为申请。',
    en: 'Staff cannot apply in their own name; window clerks can apply on someone’s behalf in the workbench.',
  },
  assist: { zh: '帮办代办', en: 'Apply on someone’s behalf' },
  applyFailed: { zh: '未能开始申请：{message}', en: 'Could not start the application: {message}' },
  unanswered: {
    zh: '还有问题未回答：也可以先开始申请，在申请页中继续回答。',
    en: 'Some questions are unanswered; you can start now and answer them in the application.',
  },
  guideFailed: {
    zh: '未能按您的回答计算：{message}',
    en: 'Could not work out the list for your answers: {message}',
  },
  loading: { zh: '正在加载…', en: 'Loading…' },
  notFoundTitle: { zh: '没有找到这件事', en: 'No such bundle' },
  notFoundBody: {
    zh: '一件事 {code} 不存在或尚未发布。',
    en: 'There is no published bundle with the code {code}.',
  },
  failedTitle: { zh: '加载失败', en: 'Could not load' },
  backToList: { zh: '查看全部一件事', en: 'All bundles' },
  lead: { zh: '牵头单位：{name}', en: 'Lead unit: {name}' },
  members: { zh: '涉及 {count} 个事项', en: '{count} items joined' },
  version: { zh: '第 {version} 版', en: 'version {version}' },
} satisfies Record<string, Text>;

/** A bundle at `/bundles/{code}`: the questions beside a live list of what applies, then apply. */
export function BundlePage() {
  const { code = '' } = useParams();
  const { t, lang } = useI18n();
  const { user, state: auth } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const answers = readAnswers(params);
  const state = useBundle(code);
  const ready = state.status === 'ready';
  const { guide, pending, error } = useBundleGuide(code, answers, ready);
  const create = useOnce<Application>();
  const departmentName = useDepartmentNames();
  useDocumentTitle(ready ? state.value.content.name : bundlesText.title);

  const setAnswers = (next: Answers) =>
    setParams(answersChanged(answers, next), { replace: true, preventScrollReset: true });

  if (state.status === 'loading') {
    return (
      <div className="ot-centered" role="status">
        <Spin size="large" />
        <div className="ot-centered-note">{t(bundlePageText.loading)}</div>
      </div>
    );
  }
  if (state.status === 'error') {
    const missing = state.httpStatus === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={t(missing ? bundlePageText.notFoundTitle : bundlePageText.failedTitle)}
        subTitle={missing ? t(bundlePageText.notFoundBody, { code }) : state.message}
        extra={
          <Button type="primary" onClick={() => navigate('/bundles')}>
            {t(bundlePageText.backToList)}
          </Button>
        }
      />
    );
  }

  const { content, version, members } = state.value;
  const applicant = user && (user.role === 'citizen' || user.role === 'enterprise');
  const staff = user && !applicant;
  const unanswered = content.situations.some((s) => (answers[s.key] ?? []).length === 0);

  const apply = () => {
    if (!user) {
      const here = `${location.pathname}${location.search}`;
      navigate(`/signin?next=${encodeURIComponent(here)}`);
      return;
    }
    create
      .run((key) => createApplication({ bundleCode: code, answers, submit: false }, key, lang))
      .then(
        (created) => navigate(`/applications/${created.id}`),
        (failure: unknown) => {
          void message.error(
            t(bundlePageText.applyFailed, {
              message: failure instanceof Error ? failure.message : String(failure),
            }),
          );
        },
      );
  };

  const applyButton = staff ? (
    <div className="ot-bundle-staff">
      <span className="ot-muted">{t(bundlePageText.staffHint)}</span>
      {user.role === 'clerk' && (
        <Button
          onClick={() => navigate(`/workbench/intake/new?bundle=${encodeURIComponent(code)}`)}
        >
          {t(bundlePageText.assist)}
        </Button>
      )}
    </div>
  ) : (
    <Button
      type="primary"
      size="large"
      icon={user ? <FormOutlined /> : <LoginOutlined />}
      loading={create.busy}
      disabled={auth.status === 'loading'}
      onClick={apply}
      data-testid="bundle-apply"
      block
    >
      {t(user ? bundlePageText.apply : bundlePageText.signInToApply)}
    </Button>
  );

  return (
    <div className="ot-page-width ot-section ot-bundle-page" data-testid="bundle-page">
      <Breadcrumb
        className="ot-guide-breadcrumb"
        items={[
          { title: <Link to="/">{t(bundlesText.hall)}</Link> },
          { title: <Link to="/bundles">{t(bundlesText.title)}</Link> },
          { title: t(content.name) },
        ]}
      />
      <header className="ot-bundle-header">
        <div className="ot-bundle-header-main">
          <div className="ot-bundle-header-tags">
            <Tag color="blue">{t(clusterLabels[content.cluster])}</Tag>
            <Tag>{t(content.lifeEvent)}</Tag>
            {content.audience.map((a) => (
              <Tag key={a}>{t(audienceLabels[a])}</Tag>
            ))}
          </div>
          <h1 className="ot-bundle-title" data-testid="bundle-title">
            {t(content.name)}
          </h1>
          <p className="ot-bundle-summary">{t(content.summary)}</p>
          <div className="ot-bundle-header-facts">
            <span className="ot-bundle-commitment ot-bundle-commitment-large">
              <ThunderboltOutlined aria-hidden="true" /> {t(describeCommitment(content.commitment))}
            </span>
            <span>{t(describeVisitsShort(content.commitment.visits))}</span>
            <span>
              <ApartmentOutlined aria-hidden="true" />{' '}
              {t(bundlePageText.members, { count: members.length })}
            </span>
          </div>
          <div className="ot-bundle-header-meta ot-muted">
            <span>
              {t(bundlePageText.lead, { name: t(departmentName(content.leadDepartment)) })}
            </span>
            <span>{t(intakeLabels[content.intake])}</span>
            <span>{t(bundlePageText.version, { version })}</span>
          </div>
        </div>
      </header>

      <div className="ot-bundle-layout">
        <aside className="ot-bundle-questions" aria-labelledby="bundle-questions">
          <div className="ot-bundle-panel">
            <h2 id="bundle-questions" className="ot-bundle-panel-title">
              {t(bundlePageText.questions)}
            </h2>
            {content.situations.length > 0 ? (
              <SituationQuestionnaire
                situations={content.situations}
                answers={answers}
                onChange={setAnswers}
              />
            ) : (
              <p className="ot-muted">{t(bundlePageText.questionsNone)}</p>
            )}
            <div className="ot-bundle-apply">
              {unanswered && !staff && (
                <div className="ot-muted ot-bundle-apply-note">{t(bundlePageText.unanswered)}</div>
              )}
              {applyButton}
            </div>
          </div>
        </aside>

        <section className="ot-bundle-live" aria-labelledby="bundle-live" aria-busy={pending}>
          <div className="ot-bundle-live-head">
            <h2 id="bundle-live" className="ot-bundle-panel-title">
              {t(bundlePageText.liveList)}
            </h2>
            {pending && (
              <span className="ot-muted" role="status" data-testid="bundle-updating">
                <Spin size="small" /> {t(bundlePageText.updating)}
              </span>
            )}
          </div>
          {error && (
            <Alert
              type="warning"
              showIcon
              className="ot-block"
              title={t(bundlePageText.guideFailed, { message: error })}
            />
          )}
          {guide ? (
            <BundleGuideView guide={guide} />
          ) : (
            !error && (
              <div className="ot-centered">
                <Spin />
              </div>
            )
          )}
        </section>
      </div>
    </div>
  );
}
