import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router-dom';
import { Alert, Breadcrumb, Button, Empty, Result, Segmented, Skeleton } from 'antd';
import { AppstoreOutlined, RightOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import type { ApplicationList, ApplicationStatus } from './api';
import { listApplications } from './api';
import { StatusTag } from './application-view';
import { channelLabels, statusLabels } from './labels';
import './applications.css';

const text = {
  title: { zh: '我的办件', en: 'My applications' },
  hall: { zh: '办事大厅', en: 'Service hall' },
  intro: {
    zh: '您提交的“一件事”申请：草稿可继续填写，已提交的可查看进度、告知书和办理结果。',
    en: 'Your bundle applications: continue a draft, or follow the progress, notices and results of those submitted.',
  },
  all: { zh: '全部', en: 'All' },
  none: { zh: '还没有申请', en: 'No applications yet' },
  start: { zh: '去办一件事', en: 'Find a bundle' },
  failed: { zh: '加载失败：{message}', en: 'Could not load: {message}' },
  created: { zh: '创建于 {date}', en: 'created {date}' },
  submitted: { zh: '提交于 {date}', en: 'submitted {date}' },
  expected: { zh: '预计 {date} 办结', en: 'expected by {date}' },
  continue: { zh: '继续填写', en: 'Continue' },
  view: { zh: '查看', en: 'View' },
  staffTitle: {
    zh: '“我的办件”供群众和企业使用',
    en: '“My applications” is for citizens and enterprises',
  },
  staffBody: {
    zh: '工作人员请在工作台办理业务。',
    en: 'Staff work in the workbench.',
  },
  toWorkbench: { zh: '前往工作台', en: 'Go to the workbench' },
} satisfies Record<string, Text>;

const FILTERS: (ApplicationStatus | 'all')[] = [
  'all',
  'draft',
  'submitted',
  'correction',
  'accepted',
  'refused',
];

/** `/applications`: the signed-in applicant's applications. */
export function MyApplicationsPage() {
  const { t, lang, locale } = useI18n();
  const { user, state: auth } = useAuth();
  const navigate = useNavigate();
  useDocumentTitle(text.title);
  const [filter, setFilter] = useState<ApplicationStatus | 'all'>('all');
  const [list, setList] = useState<ApplicationList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const applicant = user?.role === 'citizen' || user?.role === 'enterprise';

  useEffect(() => {
    if (!applicant) return;
    const controller = new AbortController();
    setList(null);
    listApplications(
      { status: filter === 'all' ? undefined : filter, limit: 100 },
      lang,
      controller.signal,
    ).then(
      (value) => {
        setList(value);
        setError(null);
      },
      (failure: unknown) => {
        if (!controller.signal.aborted)
          setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
    return () => controller.abort();
  }, [filter, applicant]);

  if (auth.status === 'anonymous') return <Navigate to="/signin?next=%2Fapplications" replace />;
  if (auth.status === 'loading') return <Skeleton active className="ot-page-width ot-section" />;
  if (!applicant) {
    return (
      <Result
        status="info"
        title={t(text.staffTitle)}
        subTitle={t(text.staffBody)}
        extra={
          <Button type="primary" onClick={() => navigate('/workbench')}>
            {t(text.toWorkbench)}
          </Button>
        }
      />
    );
  }

  return (
    <div className="ot-page-width ot-section ot-app-page" data-testid="my-applications">
      <Breadcrumb
        className="ot-guide-breadcrumb"
        items={[{ title: <Link to="/">{t(text.hall)}</Link> }, { title: t(text.title) }]}
      />
      <h1 className="ot-app-page-title">{t(text.title)}</h1>
      <p className="ot-muted">{t(text.intro)}</p>
      <div className="ot-app-list-filter">
        <Segmented
          value={filter}
          onChange={(value) => setFilter(value as ApplicationStatus | 'all')}
          options={FILTERS.map((key) => ({
            value: key,
            label: key === 'all' ? t(text.all) : t(statusLabels[key]).replace(/，.*$/, ''),
          }))}
        />
      </div>
      {error ? (
        <Alert type="error" showIcon title={t(text.failed, { message: error })} />
      ) : !list ? (
        <Skeleton active />
      ) : list.applications.length === 0 ? (
        <Empty description={t(text.none)}>
          <Button type="primary" icon={<AppstoreOutlined />} onClick={() => navigate('/bundles')}>
            {t(text.start)}
          </Button>
        </Empty>
      ) : (
        <ul className="ot-app-list">
          {list.applications.map((app) => (
            <li key={app.id}>
              <Link
                to={`/applications/${app.id}`}
                className="ot-app-list-item"
                data-testid="my-application"
              >
                <div className="ot-app-list-main">
                  <div className="ot-app-list-name">
                    {t(app.bundle.name)} <StatusTag status={app.status} />
                  </div>
                  <div className="ot-muted">
                    {app.number} · {t(channelLabels[app.channel])}
                    {app.submittedAt
                      ? ` · ${t(text.submitted, { date: formatTime(app.submittedAt, locale) })}`
                      : app.createdAt
                        ? ` · ${t(text.created, { date: formatTime(app.createdAt, locale) })}`
                        : ''}
                    {app.expectedBy && app.status === 'accepted'
                      ? ` · ${t(text.expected, { date: formatTime(app.expectedBy, locale) })}`
                      : ''}
                  </div>
                </div>
                <span className="ot-app-list-open">
                  {t(
                    app.status === 'draft' || app.status === 'correction'
                      ? text.continue
                      : text.view,
                  )}{' '}
                  <RightOutlined aria-hidden="true" />
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
