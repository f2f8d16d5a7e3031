import { Link, useParams } from 'react-router-dom';
import { Alert, Breadcrumb, Empty, Skeleton, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { useFilters } from '../../shell/use-filters';
import { useLoad } from '../cases/use-load';
import type { CreditRecord, InspectionView, PlanSummary } from './api';
import { fetchCreditCard, fetchPlans, fetchResults } from './api';
import { useDirectory, nameIn } from './directory';
import { DepartmentTags } from './inspections-page';
import {
  GRADE_COLORS,
  GRADE_LABELS,
  PLAN_STATE_COLORS,
  PLAN_STATE_LABELS,
  RESULT_COLORS,
  supervisionText,
} from './labels';
import './supervision.css';

const PAGE_SIZE = 20;

const text = {
  hall: { zh: '办事大厅', en: 'Service hall' },
  title: { zh: '抽查结果公示', en: 'Inspection results' },
  intro: {
    zh: '双随机、一公开：随机抽取检查对象、随机选派检查人员，抽查情况和查处结果及时向社会公开。每项抽查计划都公布了随机种子的哈希和抽取参数，任何人都可以复核抽取过程。',
    en: 'Random targets, random inspectors, published results. Every plan publishes the hash of its random seed and its inputs, so anyone can re-run its draw.',
  },
  mine: { zh: '我的检查与信用', en: 'My inspections and credit' },
  resultsTab: { zh: '检查结果', en: 'Results' },
  plansTab: { zh: '抽查计划', en: 'Plans' },
  empty: { zh: '暂无公示的检查结果', en: 'No results published yet' },
  plansEmpty: { zh: '暂无抽查计划', en: 'No plans yet' },
  onTime: { zh: '按期公示', en: 'on time' },
  late: { zh: '逾期公示', en: 'late' },
  creditTitle: { zh: '企业信用信息公示', en: 'Enterprise credit' },
  creditIntro: {
    zh: '信用等级按公示期内的信用记录和公布的规则计算；已修复或公示期满的记录不再公示。',
    en: 'The grade follows from the records still published, by the published rules; repaired or expired records are no longer shown.',
  },
  grade: { zh: '信用等级', en: 'Credit grade' },
  score: { zh: '信用分 {score}', en: 'Score {score}' },
  asOf: { zh: '截至 {day}', en: 'as of {day}' },
  records: { zh: '公示中的信用记录', en: 'Records in publication' },
  noRecords: { zh: '无公示中的信用记录', en: 'No record in publication' },
  kind: { zh: '类别', en: 'Kind' },
  recordTitle: { zh: '内容', en: 'Record' },
  department: { zh: '认定部门', en: 'Department' },
  decidedOn: { zh: '决定日期', en: 'Decided' },
  publishUntil: { zh: '公示至', en: 'Published until' },
  points: { zh: '分值', en: 'Points' },
} satisfies Record<string, Text>;

/** `/supervision/results`: published results (一公开) and the plans with their seed hashes. */
export function ResultsPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const { params, update } = useFilters();
  useDocumentTitle(text.title);
  const tab = params.get('tab') === 'plans' ? 'plans' : 'results';
  return (
    <div className="ot-page-width ot-section" data-testid="results-page">
      <Breadcrumb
        className="ot-block"
        items={[{ title: <Link to="/">{t(text.hall)}</Link> }, { title: t(text.title) }]}
      />
      <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      {(user?.role === 'enterprise' || user?.role === 'citizen') && (
        <Typography.Paragraph>
          <Link to="/supervision/mine" data-testid="to-my-supervision">
            {t(text.mine)} ›
          </Link>
        </Typography.Paragraph>
      )}
      <Tabs
        activeKey={tab}
        onChange={(key) => update({ tab: key === 'plans' ? 'plans' : undefined })}
        items={[
          { key: 'results', label: t(text.resultsTab), children: <Results /> },
          { key: 'plans', label: t(text.plansTab), children: <PublicPlans /> },
        ]}
      />
    </div>
  );
}

function Results() {
  const { t, locale } = useI18n();
  const { params, update } = useFilters();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const query = { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const { state } = useLoad(JSON.stringify(query), (lang, signal) =>
    fetchResults(query, lang, signal),
  );
  const columns: TableColumnsType<InspectionView> = [
    {
      key: 'subject',
      title: t(supervisionText.enterprise),
      render: (_, i) => (
        <div className="ot-sv-cell">
          <Link to={`/supervision/credit/${i.subject.id}`} data-testid="result-subject">
            {i.subject.name}
          </Link>
          <span className="ot-muted">{i.number}</span>
        </div>
      ),
    },
    {
      key: 'departments',
      title: t(supervisionText.departments),
      render: (_, i) => <DepartmentTags inspection={i} />,
      responsive: ['md'],
    },
    {
      key: 'items',
      title: t(supervisionText.items),
      render: (_, i) => (
        <div className="ot-sv-cell">
          {i.items.map((item) => (
            <span key={item.code}>{t(item.name)}</span>
          ))}
        </div>
      ),
      responsive: ['lg'],
    },
    {
      key: 'result',
      title: t(supervisionText.result),
      render: (_, i) => (
        <div className="ot-sv-cell">
          {i.result && i.resultName && (
            <span>
              <Tag color={RESULT_COLORS[i.result]} data-testid="result-tag">
                {t(i.resultName)}
              </Tag>
            </span>
          )}
          {i.findings && <span className="ot-muted ot-sv-clip">{i.findings}</span>}
        </div>
      ),
    },
    {
      key: 'published',
      title: t(supervisionText.publishedAt),
      render: (_, i) => {
        const late = !!i.publishDueAt && !!i.publishedAt && i.publishedAt > i.publishDueAt;
        return (
          <div className="ot-sv-cell">
            <span className="ot-sv-nowrap">{formatTime(i.publishedAt, locale)}</span>
            <span className="ot-muted ot-sv-nowrap">
              {t(supervisionText.publishDue)} {formatTime(i.publishDueAt, locale)}{' '}
              <Tag color={late ? 'red' : 'green'}>{t(late ? text.late : text.onTime)}</Tag>
            </span>
          </div>
        );
      },
      responsive: ['sm'],
    },
  ];
  return (
    <>
      {state.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(supervisionText.loadFailed, { message: state.message })}
        />
      )}
      <Table<InspectionView>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={state.value?.items ?? []}
        loading={state.status === 'loading'}
        locale={{ emptyText: t(text.empty) }}
        data-testid="results-table"
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: state.value?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (total) => t(supervisionText.total, { total }),
          onChange: (next) => update({ page: next > 1 ? String(next) : undefined }),
        }}
      />
    </>
  );
}

function PublicPlans() {
  const { t } = useI18n();
  const directory = useDirectory();
  const { state } = useLoad('public-plans', (lang, signal) => fetchPlans(lang, signal));
  const columns: TableColumnsType<PlanSummary> = [
    {
      key: 'plan',
      title: t(text.plansTab),
      render: (_, p) => (
        <div className="ot-sv-cell">
          <Link to={`/supervision/plans/${p.id}`}>{p.title}</Link>
          <span className="ot-muted">
            {p.number} · {t(nameIn(directory?.departments, p.departmentCode))}
          </span>
        </div>
      ),
    },
    {
      key: 'period',
      title: t(supervisionText.period),
      render: (_, p) => t(supervisionText.periodRange, { from: p.startsOn, to: p.endsOn }),
      responsive: ['md'],
    },
    {
      key: 'state',
      title: t(supervisionText.state),
      render: (_, p) => (
        <Tag color={PLAN_STATE_COLORS[p.state]}>{t(PLAN_STATE_LABELS[p.state])}</Tag>
      ),
    },
    {
      key: 'seedHash',
      title: t(supervisionText.seedHash),
      render: (_, p) =>
        p.seedHash ? (
          <Typography.Text code className="ot-sv-hash-short" title={p.seedHash}>
            {p.seedHash.slice(0, 16)}…
          </Typography.Text>
        ) : (
          '—'
        ),
      responsive: ['sm'],
    },
  ];
  return (
    <Table<PlanSummary>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={(state.value ?? []).filter((p) => p.state !== 'draft')}
      loading={state.status === 'loading'}
      locale={{ emptyText: t(text.plansEmpty) }}
      pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
    />
  );
}

/** The grade as a large badge. */
export function GradeBadge({ grade, score }: { grade: keyof typeof GRADE_LABELS; score: number }) {
  const { t } = useI18n();
  return (
    <div className="ot-sv-grade" data-testid="credit-grade" data-grade={grade}>
      <Tag color={GRADE_COLORS[grade]} className="ot-sv-grade-letter">
        {grade}
      </Tag>
      <div className="ot-sv-cell">
        <strong>{t(GRADE_LABELS[grade])}</strong>
        <span className="ot-muted">{t(text.score, { score })}</span>
      </div>
    </div>
  );
}

/** The columns of credit records shared by the public page and the subject's own. */
export function useRecordColumns(): TableColumnsType<CreditRecord> {
  const { t } = useI18n();
  return [
    {
      key: 'kind',
      title: t(text.kind),
      render: (_, r) => (
        <div className="ot-sv-cell">
          <span>
            <Tag color={r.kind === 'commendation' ? 'green' : 'red'}>{t(r.kindName)}</Tag>
          </span>
          <span className="ot-muted">{t(r.severityName)}</span>
        </div>
      ),
    },
    {
      key: 'title',
      title: t(text.recordTitle),
      render: (_, r) => (
        <div className="ot-sv-cell">
          <span data-testid="credit-record-title">{r.title}</span>
          <span className="ot-muted">{t(r.department.name)}</span>
        </div>
      ),
    },
    { key: 'decidedOn', title: t(text.decidedOn), dataIndex: 'decidedOn', responsive: ['md'] },
    {
      key: 'publishUntil',
      title: t(text.publishUntil),
      dataIndex: 'publishUntil',
      responsive: ['md'],
    },
    {
      key: 'points',
      title: t(text.points),
      render: (_, r) => (r.points > 0 ? `+${r.points}` : String(r.points)),
      responsive: ['lg'],
    },
  ];
}

/** `/supervision/credit/:subjectId`: an enterprise's public credit page (信用信息公示). */
export function PublicCreditPage() {
  const { subjectId = '' } = useParams();
  const { t } = useI18n();
  const columns = useRecordColumns();
  useDocumentTitle(text.creditTitle);
  const { state } = useLoad(subjectId, (lang, signal) => fetchCreditCard(subjectId, lang, signal));
  const card = state.value;
  return (
    <div className="ot-page-width ot-section" data-testid="public-credit">
      <Breadcrumb
        className="ot-block"
        items={[
          { title: <Link to="/supervision/results">{t(text.title)}</Link> },
          { title: t(text.creditTitle) },
        ]}
      />
      <Typography.Title level={2}>{card?.subject.name ?? t(text.creditTitle)}</Typography.Title>
      <Typography.Paragraph className="ot-lead">{t(text.creditIntro)}</Typography.Paragraph>
      {state.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(supervisionText.loadFailed, { message: state.message })}
        />
      )}
      {!card ? (
        state.status === 'loading' && <Skeleton active />
      ) : (
        <>
          <div className="ot-sv-grade-row ot-block">
            <GradeBadge grade={card.grade} score={card.score} />
            <span className="ot-muted">{t(text.asOf, { day: card.asOf })}</span>
          </div>
          <Typography.Title level={4}>{t(text.records)}</Typography.Title>
          {card.records.length === 0 ? (
            <Empty description={t(text.noRecords)} />
          ) : (
            <Table<CreditRecord>
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={card.records}
              pagination={false}
              data-testid="credit-records"
            />
          )}
        </>
      )}
    </div>
  );
}

export { text as publicText };
