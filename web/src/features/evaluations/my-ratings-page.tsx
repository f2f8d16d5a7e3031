import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { Alert, Breadcrumb, Button, Empty, Pagination, Result, Skeleton, Typography } from 'antd';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { useFilters } from '../../shell/use-filters';
import { useLoad } from '../cases/use-load';
import type { ServicePage } from './api';
import { fetchMyServices } from './api';
import { evaluationText } from './labels';
import { ServiceRatingList } from './service-ratings';
import './evaluations.css';

const PAGE_SIZE = 10;

const text = {
  title: { zh: '我的评价', en: 'My ratings' },
  hall: { zh: '办事大厅', en: 'Service hall' },
  intro: {
    zh: '为您办结的每一项服务都可以评价一次：整件事、每个承办部门、12345 工单和窗口服务。差评由部门整改，整改结果会反馈给您，请告诉我们是否满意。',
    en: 'Every service completed for you can be rated once: the whole matter, each department, 12345 tickets and counter visits. Bad ratings are put right by the department; you hear back and can say whether you are satisfied.',
  },
  none: { zh: '还没有可评价的服务', en: 'Nothing to rate yet' },
  noneHint: {
    zh: '办件办结后会出现在这里。',
    en: 'Services appear here once they are completed.',
  },
  staffTitle: {
    zh: '“我的评价”供群众和企业使用',
    en: '“My ratings” is for citizens and enterprises',
  },
  staffBody: {
    zh: '工作人员请在工作台处理差评整改。',
    en: 'Staff handle bad ratings in the workbench.',
  },
  toWorkbench: { zh: '前往工作台', en: 'Go to the workbench' },
} satisfies Record<string, Text>;

/** `/evaluations`: the services given to the signed-in citizen or enterprise, to rate (我的评价). */
export function MyRatingsPage() {
  const { t } = useI18n();
  const { user, state: auth } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const { params, update } = useFilters();
  useDocumentTitle(text.title);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const applicant = user?.role === 'citizen' || user?.role === 'enterprise';
  const key = applicant ? `${user.id}:${user.subjectId ?? ''}:${page}` : null;
  const { state, set } = useLoad<ServicePage>(key, (lang, signal) =>
    fetchMyServices({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, lang, signal),
  );

  if (auth.status === 'anonymous') {
    return <Navigate to={`/signin?next=${encodeURIComponent(location.pathname)}`} replace />;
  }
  if (user && !applicant) {
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

  const value = state.value;
  return (
    <div className="ot-page-width ot-section" data-testid="my-ratings">
      <Breadcrumb
        className="ot-guide-breadcrumb"
        items={[{ title: <Link to="/">{t(text.hall)}</Link> }, { title: t(text.title) }]}
      />
      <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      {state.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(evaluationText.loadFailed, { message: state.message })}
        />
      )}
      {!value ? (
        state.status === 'loading' && <Skeleton active />
      ) : value.items.length === 0 ? (
        <Empty description={t(text.none)} className="ot-block">
          <Typography.Text type="secondary">{t(text.noneHint)}</Typography.Text>
        </Empty>
      ) : (
        <>
          <ServiceRatingList
            services={value.items}
            onChange={(next) =>
              set({
                ...value,
                items: value.items.map((s) => (s.id === next.id ? next : s)),
              })
            }
          />
          {value.total > PAGE_SIZE && (
            <Pagination
              className="ot-eval-pager"
              current={page}
              pageSize={PAGE_SIZE}
              total={value.total}
              showSizeChanger={false}
              onChange={(next) => update({ page: next > 1 ? String(next) : undefined })}
            />
          )}
        </>
      )}
    </div>
  );
}
