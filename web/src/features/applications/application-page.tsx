import type { ReactNode } from 'react';
import { Link, Navigate, useLocation, useNavigate, useParams } from 'react-router-dom';
import { App, Breadcrumb, Button, Popconfirm, Result, Spin } from 'antd';
import { RollbackOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import type { Application } from './api';
import { withdrawApplication } from './api';
import { ApplicationEditor, LateMaterials } from './application-editor';
import {
  AnswersView,
  ApplicationFacts,
  DataView,
  EventTimeline,
  ItemsView,
  MaterialsView,
  NoticeList,
  StatusNote,
  StatusTag,
} from './application-view';
import { useApplication, useBundleContent } from './use-application';
import { ApplicationProgress } from '../cases/timeline';
import { ApplicationRating } from '../evaluations/service-ratings';

export const applicationPageText = {
  hall: { zh: '办事大厅', en: 'Service hall' },
  mine: { zh: '我的办件', en: 'My applications' },
  title: { zh: '申请', en: 'Application' },
  loading: { zh: '正在加载申请…', en: 'Loading the application…' },
  notFoundTitle: { zh: '没有找到这份申请', en: 'No such application' },
  notFoundBody: {
    zh: '申请不存在，或不属于当前登录的账号。',
    en: 'The application does not exist or does not belong to the signed-in account.',
  },
  failedTitle: { zh: '申请加载失败', en: 'The application could not be loaded' },
  withdraw: { zh: '撤回申请', en: 'Withdraw' },
  withdrawConfirm: {
    zh: '撤回后这份申请不再办理，确定撤回吗？',
    en: 'A withdrawn application is not handled any further. Withdraw it?',
  },
  withdrawn: { zh: '申请已撤回', en: 'The application was withdrawn' },
  failed: { zh: '操作失败：{message}', en: 'Failed: {message}' },
  seeGuide: { zh: '查看这件事的指南', en: 'See the guide of this bundle' },
} satisfies Record<string, Text>;

/** The frame of an application page: heading with status and actions, then the body. */
export function ApplicationHeader({
  application,
  actions,
}: {
  application: Application;
  actions?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <header className="ot-app-header">
      <div className="ot-app-header-title">
        <h1 data-testid="application-title">{t(application.bundle.name)}</h1>
        <StatusTag status={application.status} />
        <span className="ot-spacer" />
        {actions}
      </div>
      <ApplicationFacts application={application} />
    </header>
  );
}

/** `/applications/{id}`: the applicant's application — the editor until submitted, then its status. */
export function ApplicationPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { user, state: auth } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { state, set } = useApplication(id);
  const application = state.status === 'ready' ? state.value : null;
  const content = useBundleContent(
    application?.bundle.code ?? null,
    application?.bundle.version ?? null,
  );
  useDocumentTitle(application ? application.bundle.name : applicationPageText.title);

  if (auth.status === 'anonymous') {
    return <Navigate to={`/signin?next=${encodeURIComponent(location.pathname)}`} replace />;
  }
  if (state.status === 'loading' || auth.status === 'loading') {
    return (
      <div className="ot-centered" role="status">
        <Spin size="large" />
        <div className="ot-centered-note">{t(applicationPageText.loading)}</div>
      </div>
    );
  }
  if (state.status === 'error') {
    const missing = state.httpStatus === 404 || state.httpStatus === 403;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={t(missing ? applicationPageText.notFoundTitle : applicationPageText.failedTitle)}
        subTitle={missing ? t(applicationPageText.notFoundBody) : state.message}
        extra={
          <Button type="primary" onClick={() => navigate('/applications')}>
            {t(applicationPageText.mine)}
          </Button>
        }
      />
    );
  }

  const app = state.value;
  const editable = app.status === 'draft' || app.status === 'correction';
  const applicantUser = user?.role === 'citizen' || user?.role === 'enterprise';
  const withdraw =
    applicantUser && ['draft', 'submitted', 'correction'].includes(app.status) ? (
      <Popconfirm
        title={t(applicationPageText.withdrawConfirm)}
        onConfirm={() =>
          withdrawApplication(app.id, lang).then(
            (next) => {
              set(next);
              message.success(t(applicationPageText.withdrawn));
            },
            (error: unknown) => {
              void message.error(
                t(applicationPageText.failed, {
                  message: error instanceof Error ? error.message : String(error),
                }),
              );
            },
          )
        }
      >
        <Button icon={<RollbackOutlined />}>{t(applicationPageText.withdraw)}</Button>
      </Popconfirm>
    ) : null;

  return (
    <div className="ot-page-width ot-section ot-app-page" data-testid="application-page">
      <Breadcrumb
        className="ot-guide-breadcrumb"
        items={[
          { title: <Link to="/">{t(applicationPageText.hall)}</Link> },
          { title: <Link to="/applications">{t(applicationPageText.mine)}</Link> },
          { title: app.number },
        ]}
      />
      <ApplicationHeader application={app} actions={withdraw} />
      {editable && applicantUser ? (
        <ApplicationEditor
          key={app.id}
          application={app}
          content={content}
          onChange={set}
          onSubmitted={() => window.scrollTo({ top: 0, behavior: 'smooth' })}
        />
      ) : null}
      {editable && applicantUser && app.status === 'correction' && (
        <>
          <NoticeList application={app} />
          <EventTimeline application={app} />
        </>
      )}
      {editable && applicantUser ? null : (
        <>
          <StatusNote application={app} content={content} />
          <ApplicationRating application={app} />
          {app.status === 'accepted' && (
            <ApplicationProgress applicationId={app.id} materials={app.materials} />
          )}
          <LateMaterials application={app} onChange={set} />
          <NoticeList application={app} />
          <ItemsView application={app} />
          <EventTimeline application={app} />
          <AnswersView application={app} content={content} />
          <DataView application={app} />
          <MaterialsView application={app} />
        </>
      )}
      <div className="ot-app-foot">
        <Link to={`/bundles/${encodeURIComponent(app.bundle.code)}`}>
          {t(applicationPageText.seeGuide)}
        </Link>
      </div>
    </div>
  );
}
