import type { ReactNode } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  Empty,
  Result,
  Skeleton,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, GiftOutlined, RightOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { useLoad } from '../cases/use-load';
import type { GrantView, PolicyView, Recommendation } from './api';
import { fetchGrant, fetchRecommended, listGrants, listPolicies } from './api';
import { ExplanationLines } from './explanation';
import { Amount, GrantDue, GrantLedger, GrantStateTag } from './grant-parts';
import { MODE_COLORS, policyText, yuan } from './labels';
import './policies.css';

const text = {
  publicIntro: {
    zh: '本地区正在实施的惠企惠民政策。免申即享政策经数据比对直接兑现，无需申请；登录后可查看为您匹配的政策和原因。',
    en: 'The policies in force here. Those granted without applying are paid on data comparison; sign in to see which ones fit you, and why.',
  },
  mineIntro: {
    zh: '平台依据您的档案（一人一档 / 一企一档）比对全部政策：符合的政策列在前面，并逐条说明原因；免申即享的无需申请，部门确认后直接拨付。',
    en: 'The platform compares your dossier with every policy: those you meet come first, each with its reasons; those granted without applying are paid once the department confirms.',
  },
  toMine: { zh: '查看为您推荐', en: 'See what fits you' },
  toPublic: { zh: '全部政策', en: 'All policies' },
  matchedTitle: { zh: '符合条件的政策', en: 'Policies you meet' },
  nearTitle: { zh: '差一点符合', en: 'Nearly eligible' },
  nearIntro: {
    zh: '以下政策您只差一项条件，标 ✗ 的是尚未满足的条件。',
    en: 'You miss these by one condition; the ✗ line says what is missing.',
  },
  noneMatched: { zh: '暂未匹配到符合条件的政策', en: 'No policy fits you yet' },
  grantsTitle: { zh: '我的政策兑现', en: 'My grants' },
  noGrants: { zh: '暂无兑现记录', en: 'No grants yet' },
  apply: { zh: '去申请', en: 'Apply' },
  grantLink: { zh: '查看兑现', en: 'See the grant' },
  youGet: { zh: '可享 {amount}', en: 'You get {amount}' },
  why: { zh: '匹配原因', en: 'Why' },
  missing: { zh: '还差', en: 'Missing' },
  staffTitle: {
    zh: '为您推荐面向群众和企业',
    en: 'Recommendations are for citizens and enterprises',
  },
  staffBody: {
    zh: '工作人员请在工作台查看政策和兑现。',
    en: 'Staff see policies and grants in the workbench.',
  },
  toWorkbench: { zh: '前往工作台', en: 'Go to the workbench' },
  grantTitle: { zh: '政策兑现', en: 'Grant' },
  back: { zh: '返回为您推荐', en: 'Back to your recommendations' },
  notFound: { zh: '没有找到这条兑现记录', en: 'No such grant' },
  noPolicies: { zh: '暂无政策', en: 'No policies yet' },
  hallEntryTitle: { zh: '政策找人 · 免申即享', en: 'Policies find you' },
  hallEntryBody: {
    zh: '符合条件的政策主动推送给您，免申即享的直接兑现。',
    en: 'Policies you qualify for come to you; some are paid without applying.',
  },
} satisfies Record<string, Text>;

/** A policy's facts: benefit, mode, department, source, validity. */
function PolicyFacts({ policy, amount }: { policy: PolicyView; amount?: number | null }) {
  const { t, locale } = useI18n();
  const benefit =
    amount !== undefined && amount !== null
      ? t(yuan(amount, locale))
      : policy.benefitText
        ? t(policy.benefitText)
        : '—';
  return (
    <dl className="ot-pol-facts">
      <dt>{t(policyText.benefit)}</dt>
      <dd className="ot-pol-amount" data-testid="policy-benefit">
        {benefit}
      </dd>
      <dt>{t(policyText.department)}</dt>
      <dd>{t(policy.department)}</dd>
      <dt>{t(policyText.source)}</dt>
      <dd>{policy.sourceDocument}</dd>
      <dt>{t(policyText.validity)}</dt>
      <dd>
        {t(policyText.validRange, {
          from: policy.validFrom,
          until: policy.validUntil ?? t(policyText.longTerm),
        })}
      </dd>
    </dl>
  );
}

/** A policy's name with its mode. */
function PolicyHead({ policy, extra }: { policy: PolicyView; extra?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="ot-pol-card-head">
      <span className="ot-pol-card-name">{t(policy.name)}</span>
      <Tag color={MODE_COLORS[policy.mode]} data-testid="policy-mode">
        {t(policy.modeName)}
      </Tag>
      {extra}
    </div>
  );
}

/** `/policies`: the published policies, for everyone. */
export function PoliciesPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  useDocumentTitle(text.toPublic);
  const { state } = useLoad('policies', (lang, signal) => listPolicies(lang, signal));
  const subject = user?.role === 'citizen' || user?.role === 'enterprise';
  return (
    <div className="ot-page-width ot-section" data-testid="policies-public">
      <Breadcrumb
        className="ot-guide-breadcrumb"
        items={[
          { title: <Link to="/">{t(policyText.hall)}</Link> },
          { title: t(policyText.publicTitle) },
        ]}
      />
      <div className="ot-pol-title-row">
        <Typography.Title level={2}>{t(policyText.publicTitle)}</Typography.Title>
        {subject && (
          <Link to="/policies/mine" data-testid="to-recommended">
            {t(text.toMine)} <RightOutlined />
          </Link>
        )}
      </div>
      <Typography.Paragraph className="ot-lead">{t(text.publicIntro)}</Typography.Paragraph>
      {state.status === 'error' && (
        <Alert type="error" showIcon title={t(policyText.loadFailed, { message: state.message })} />
      )}
      {!state.value ? (
        state.status === 'loading' && <Skeleton active />
      ) : state.value.length === 0 ? (
        <Empty description={t(text.noPolicies)} />
      ) : (
        <div className="ot-pol-grid">
          {state.value.map((policy) => (
            <Card key={policy.code} className="ot-pol-card" data-policy={policy.code}>
              <PolicyHead policy={policy} />
              <Typography.Paragraph className="ot-pol-summary-text">
                {t(policy.summary)}
              </Typography.Paragraph>
              <PolicyFacts policy={policy} />
            </Card>
          ))}
        </div>
      )}
    </div>
  );
}

/** One recommendation: the policy, what the subject gets, why, its grant or the way to apply. */
function RecommendationCard({ item }: { item: Recommendation }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { policy, grant } = item;
  return (
    <Card
      className={item.matched ? 'ot-pol-card ot-pol-card-matched' : 'ot-pol-card ot-pol-card-near'}
      data-policy={policy.code}
      data-matched={item.matched}
      data-testid="recommendation"
    >
      <PolicyHead policy={policy} extra={grant && <GrantStateTag grant={grant} />} />
      <Typography.Paragraph className="ot-pol-summary-text">
        {t(policy.summary)}
      </Typography.Paragraph>
      <PolicyFacts policy={policy} amount={item.amount} />
      <div className="ot-pol-why">
        <div className="ot-pol-why-label">{t(item.matched ? text.why : text.missing)}</div>
        <ExplanationLines explanation={item.explanation} />
      </div>
      <div className="ot-pol-card-actions">
        {grant && (
          <Link to={`/policies/grants/${grant.id}`} data-testid="grant-link">
            {t(text.grantLink)} {grant.number} <RightOutlined />
          </Link>
        )}
        {item.matched && policy.mode === 'apply' && policy.applyLink && (
          <Button type="primary" onClick={() => navigate(policy.applyLink!)}>
            {t(text.apply)}
          </Button>
        )}
      </div>
    </Card>
  );
}

/** `/policies/mine`: 为您推荐 — the signed-in citizen's or enterprise's policies and grants. */
export function RecommendedPage() {
  const { t } = useI18n();
  const { user, state: auth } = useAuth();
  const navigate = useNavigate();
  useDocumentTitle(policyText.mineTitle);
  const subject = user?.role === 'citizen' || user?.role === 'enterprise';
  const key = subject ? `recommended:${user.subjectId ?? user.id}` : null;
  const { state } = useLoad(key, (lang, signal) => fetchRecommended(lang, signal));
  const grants = useLoad(key, (lang, signal) =>
    listGrants({ limit: 100, offset: 0 }, lang, signal),
  ).state;

  if (auth.status === 'anonymous')
    return <Navigate to={`/signin?next=${encodeURIComponent('/policies/mine')}`} replace />;
  if (auth.status === 'loading') return <Skeleton active className="ot-page-width ot-section" />;
  if (!subject)
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

  const items = state.value ?? [];
  const matched = items.filter((item) => item.matched);
  const near = items.filter((item) => !item.matched);
  return (
    <div className="ot-page-width ot-section" data-testid="policies-recommended">
      <Breadcrumb
        className="ot-guide-breadcrumb"
        items={[
          { title: <Link to="/">{t(policyText.hall)}</Link> },
          { title: t(policyText.mineTitle) },
        ]}
      />
      <div className="ot-pol-title-row">
        <Typography.Title level={2}>{t(policyText.mineTitle)}</Typography.Title>
        <Link to="/policies">
          {t(text.toPublic)} <RightOutlined />
        </Link>
      </div>
      <Typography.Paragraph className="ot-lead">{t(text.mineIntro)}</Typography.Paragraph>
      {state.status === 'error' && (
        <Alert type="error" showIcon title={t(policyText.loadFailed, { message: state.message })} />
      )}
      {!state.value && state.status === 'loading' ? (
        <Skeleton active />
      ) : (
        <>
          <Typography.Title level={4} className="ot-section-title">
            {t(text.matchedTitle)}
          </Typography.Title>
          {matched.length === 0 ? (
            <Empty description={t(text.noneMatched)} image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : (
            <div className="ot-pol-grid" data-testid="recommended-matched">
              {matched.map((item) => (
                <RecommendationCard key={item.policy.code} item={item} />
              ))}
            </div>
          )}
          {near.length > 0 && (
            <section className="ot-pol-near" data-testid="recommended-near">
              <Typography.Title level={4} className="ot-section-title">
                {t(text.nearTitle)}
              </Typography.Title>
              <Typography.Paragraph type="secondary">{t(text.nearIntro)}</Typography.Paragraph>
              <div className="ot-pol-grid">
                {near.map((item) => (
                  <RecommendationCard key={item.policy.code} item={item} />
                ))}
              </div>
            </section>
          )}
        </>
      )}
      <section className="ot-pol-near">
        <Typography.Title level={4} className="ot-section-title">
          {t(text.grantsTitle)}
        </Typography.Title>
        <MyGrants grants={grants.value?.items} loading={grants.status === 'loading'} />
      </section>
    </div>
  );
}

/** The subject's own grants: policy, amount, state, due date. */
function MyGrants({ grants, loading }: { grants?: GrantView[]; loading: boolean }) {
  const { t } = useI18n();
  const columns: TableColumnsType<GrantView> = [
    {
      key: 'policy',
      title: t(policyText.policy),
      render: (_, g) => (
        <Link to={`/policies/grants/${g.id}`} data-testid="my-grant-link">
          {t(g.policy.name)}
        </Link>
      ),
    },
    { key: 'number', title: t(policyText.grantNumber), dataIndex: 'number', responsive: ['md'] },
    { key: 'amount', title: t(policyText.amount), render: (_, g) => <Amount amount={g.amount} /> },
    { key: 'state', title: t(policyText.state), render: (_, g) => <GrantStateTag grant={g} /> },
    { key: 'due', title: t(policyText.due), render: (_, g) => <GrantDue grant={g} /> },
  ];
  return (
    <Table<GrantView>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={grants ?? []}
      loading={loading && !grants}
      pagination={false}
      // a phone is narrower than the four columns: the table scrolls, not the page
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t(text.noGrants) }}
      data-testid="my-grants"
    />
  );
}

/** `/policies/grants/:id`: one of the subject's grants with its ledger. */
export function MyGrantPage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const { state: auth } = useAuth();
  const { state } = useLoad(auth.status === 'loading' ? null : id, (lang, signal) =>
    fetchGrant(id, lang, signal),
  );
  const grant = state.value;
  useDocumentTitle(grant ? grant.policy.name : text.grantTitle);
  if (auth.status === 'anonymous')
    return <Navigate to={`/signin?next=${encodeURIComponent(`/policies/grants/${id}`)}`} replace />;
  const back = (
    <Link to="/policies/mine" className="ot-pol-back">
      <ArrowLeftOutlined /> {t(text.back)}
    </Link>
  );
  if (!grant) {
    if (state.status === 'error')
      return (
        <Result
          status={state.httpStatus === 404 ? '404' : 'error'}
          title={t(state.httpStatus === 404 ? text.notFound : policyText.loadFailed, {
            message: state.message,
          })}
          extra={back}
        />
      );
    return <Skeleton active className="ot-page-width ot-section" />;
  }
  return (
    <div className="ot-page-width ot-section" data-testid="my-grant" data-state={grant.state}>
      {back}
      <div className="ot-pol-title-row">
        <Typography.Title level={2}>{t(grant.policy.name)}</Typography.Title>
        <GrantStateTag grant={grant} />
      </div>
      <div className="ot-pol-detail-grid">
        <Card className="ot-block">
          <Typography.Paragraph>{t(grant.policySummary)}</Typography.Paragraph>
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'number', label: t(policyText.grantNumber), children: grant.number },
              { key: 'mode', label: t(policyText.mode), children: t(grant.policy.modeName) },
              {
                key: 'amount',
                label: t(policyText.amount),
                children: <Amount amount={grant.amount} />,
              },
              { key: 'due', label: t(policyText.due), children: <GrantDue grant={grant} /> },
              {
                key: 'createdAt',
                label: t(policyText.createdAt),
                children: formatTime(grant.createdAt, locale),
              },
              ...(grant.paymentRef
                ? [{ key: 'ref', label: t(policyText.paymentRef), children: grant.paymentRef }]
                : []),
              ...(grant.note
                ? [{ key: 'note', label: t(policyText.note), children: grant.note }]
                : []),
              ...(grant.nextCheckAt
                ? [
                    {
                      key: 'next',
                      label: t(policyText.nextCheck),
                      children: formatTime(grant.nextCheckAt, locale),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
        <Card title={t(policyText.ledger)} className="ot-block">
          <GrantLedger ledger={grant.ledger} />
        </Card>
      </div>
    </div>
  );
}

/** The hall's banner to policies: 为您推荐 for citizens and enterprises, the list for others. */
export function PolicyHallEntry() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { user } = useAuth();
  const subject = user?.role === 'citizen' || user?.role === 'enterprise';
  return (
    <section className="ot-page-width ot-section ot-pol-hall" aria-labelledby="hall-policies">
      <Card className="ot-pol-hall-card">
        <GiftOutlined className="ot-pol-hall-icon" aria-hidden="true" />
        <div className="ot-pol-hall-body">
          <Typography.Title level={4} id="hall-policies" className="ot-section-title">
            {t(text.hallEntryTitle)}
          </Typography.Title>
          <div className="ot-muted">{t(text.hallEntryBody)}</div>
        </div>
        <Button
          type="primary"
          onClick={() => navigate(subject ? '/policies/mine' : '/policies')}
          data-testid="hall-policies"
        >
          {t(subject ? policyText.mineTitle : text.toPublic)}
        </Button>
      </Card>
    </section>
  );
}
