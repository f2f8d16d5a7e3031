import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, App, Button, Result, Spin, Tag } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined, RobotOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { RequireRole } from '../applications/require-role';
import type { CaseDetail, Timeline } from './api';
import { fetchCase, fetchTimeline } from './api';
import { CaseActions, doneText } from './case-actions';
import {
  CaseMaterialsView,
  CaseStateTag,
  ChecksView,
  ClockLine,
  DueFacts,
  EventsView,
  InputsView,
  ResultSummary,
  SegmentsView,
  useItem,
} from './case-view';
import { itemName } from './queue-page';
import { useLoad } from './use-load';
import './cases.css';

const text = {
  title: { zh: '子件', en: 'Case' },
  back: { zh: '返回审批队列', en: 'Back to the queue' },
  backBoard: { zh: '返回督办看板', en: 'Back to the board' },
  loading: { zh: '正在加载子件…', en: 'Loading the case…' },
  notFound: { zh: '没有找到这个子件', en: 'No such case' },
  notFoundBody: {
    zh: '子件不存在，或不属于您的部门或区域。',
    en: 'The case does not exist or is not of your department or region.',
  },
  failed: { zh: '子件加载失败', en: 'The case could not be loaded' },
  application: { zh: '申请编号', en: 'Application' },
  applicant: { zh: '申请人', en: 'Applicant' },
  bundle: { zh: '一件事', en: 'Bundle' },
  department: { zh: '承办部门', en: 'Department' },
  actions: { zh: '办理', en: 'Actions' },
  noActions: {
    zh: '当前状态下您没有可执行的操作。',
    en: 'There is nothing for you to do on this case now.',
  },
  automatic: { zh: '智能审批', en: 'Decided automatically' },
  refresh: { zh: '刷新', en: 'Refresh' },
  result: { zh: '审批结果', en: 'Decision' },
  escalated: {
    zh: '该子件已超过承诺办结时间，已提交督办。',
    en: 'This case is past its committed due and has been escalated.',
  },
  dueSoon: {
    zh: '该子件即将到达承诺办结时间，请抓紧办理。',
    en: 'This case is close to its committed due; please act soon.',
  },
} satisfies Record<string, Text>;

/** `/workbench/cases/{id}`: one department case — its inputs, clock, history and actions. */
export function CasePage() {
  return (
    <RequireRole roles={['reviewer', 'supervisor', 'admin']}>
      <CaseDetailView />
    </RequireRole>
  );
}

function CaseDetailView() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { state, reload } = useLoad<CaseDetail>(id, (lang, signal) => fetchCase(id, lang, signal));
  const c = state.value;
  // The catalogue's item (names of fields and answers) and the application's timeline (its number
  // and the names of the other members) fill in what the case itself does not carry.
  const item = useItem(c?.itemCode ?? '', c?.itemVersion ?? 0);
  const timeline = useLoad<Timeline>(c ? c.applicationId : null, (lang, signal) =>
    fetchTimeline(c!.applicationId, lang, signal),
  ).state.value;
  const memberNames = new Map((timeline?.cases ?? []).map((x) => [x.memberKey, x.item]));
  const title = c ? (c.item ?? item?.item.name ?? itemName(c)) : text.title;
  useDocumentTitle(title);
  const queue = user?.role === 'reviewer' ? '/workbench/cases' : '/workbench/supervision';
  const back = (
    <Button
      type="link"
      icon={<ArrowLeftOutlined />}
      onClick={() => navigate(queue)}
      className="ot-app-back"
    >
      {t(user?.role === 'reviewer' ? text.back : text.backBoard)}
    </Button>
  );

  if (!c && state.status === 'loading') {
    return (
      <div className="ot-centered" role="status">
        <Spin size="large" />
        <div className="ot-centered-note">{t(text.loading)}</div>
      </div>
    );
  }
  if (!c && state.status === 'error') {
    const missing = state.httpStatus === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={t(missing ? text.notFound : text.failed)}
        subTitle={missing ? t(text.notFoundBody) : state.message}
        extra={back}
      />
    );
  }
  if (!c) return null;

  const results = c.results;
  const automatic = !!results?.automatic || (results?.checks?.length ?? 0) > 0;
  return (
    <div className="ot-app-page ot-case-page" data-testid="case-page" data-case-state={c.state}>
      {back}
      <header className="ot-app-header">
        <div className="ot-app-header-title">
          <h1 data-testid="case-title">{t(title)}</h1>
          <CaseStateTag state={c.state} name={c.stateName} />
          {automatic && (
            <Tag color="geekblue" icon={<RobotOutlined />}>
              {t(text.automatic)}
            </Tag>
          )}
          <span className="ot-spacer" />
          <Button icon={<ReloadOutlined />} onClick={reload} loading={state.status === 'loading'}>
            {t(text.refresh)}
          </Button>
        </div>
        <dl className="ot-app-facts">
          <div data-fact="department">
            <dt>{t(text.department)}</dt>
            <dd data-testid="case-department">{t(c.department)}</dd>
          </div>
          <div data-fact="application">
            <dt>{t(text.application)}</dt>
            <dd>
              {c.applicationNumber ?? timeline?.number ?? c.applicationId}
              {c.bundleName && <span className="ot-muted"> · {t(c.bundleName)}</span>}
            </dd>
          </div>
          {c.applicantName && (
            <div data-fact="applicant">
              <dt>{t(text.applicant)}</dt>
              <dd>{c.applicantName}</dd>
            </div>
          )}
        </dl>
        <DueFacts c={c} />
        <ClockLine c={c} />
      </header>

      {c.warning === 'red' && (
        <Alert type="error" showIcon className="ot-block" title={t(text.escalated)} />
      )}
      {c.warning === 'yellow' && (
        <Alert type="warning" showIcon className="ot-block" title={t(text.dueSoon)} />
      )}

      <section className="ot-app-card" data-testid="case-action-bar">
        <h2 className="ot-app-card-title">{t(text.actions)}</h2>
        {c.actions.length === 0 ? (
          <p className="ot-muted" data-testid="case-no-actions">
            {t(text.noActions)}
          </p>
        ) : (
          <CaseActions
            c={c}
            actions={c.actions}
            onDone={(_, action) => {
              void message.success(t(doneText(action)));
              reload();
            }}
          />
        )}
      </section>

      {results && (
        <section className="ot-app-card" data-testid="case-decision">
          <h2 className="ot-app-card-title">{t(text.result)}</h2>
          <ResultSummary results={results} />
        </section>
      )}
      {results?.checks && <ChecksView checks={results.checks} />}
      <InputsView c={c} item={item} memberNames={memberNames} />
      <CaseMaterialsView c={c} />
      <SegmentsView c={c} />
      <EventsView c={c} />
      <div className="ot-app-foot">
        <Link to={queue}>{t(user?.role === 'reviewer' ? text.back : text.backBoard)}</Link>
      </div>
    </div>
  );
}
