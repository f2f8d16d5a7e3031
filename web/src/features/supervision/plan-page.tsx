import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Breadcrumb, Button, Card, Skeleton, Steps, Typography } from 'antd';
import { LockOutlined, ThunderboltOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { RequireRole } from '../applications/require-role';
import { useLoad } from '../cases/use-load';
import type { PlanView } from './api';
import { fetchPlan, planStep } from './api';
import { useDirectory } from './directory';
import { Commitment, DrawOutcome, PlanFacts, ProblemAlert, VerifyPanel } from './draw-view';
import { supervisionText } from './labels';
import { PLANNER_ROLES, plansText } from './plans-page';
import './supervision.css';

const text = {
  commit: { zh: '锁定并公布种子哈希', en: 'Freeze and publish the seed hash' },
  commitHint: {
    zh: '锁定检查对象、信用等级和检查人员（含回避关系），生成随机种子并公布其 SHA-256 哈希。公布后参数不可更改。',
    en: 'Freezes the targets, their credit grades and the inspectors (with their conflicts), draws a random seed and publishes its SHA-256 hash. The inputs cannot change afterwards.',
  },
  draw: { zh: '抽取', en: 'Draw' },
  drawHint: {
    zh: '用已承诺的种子运行抽取：按信用等级抽取对象，每户随机分派无利害关系的检查人员，生成检查任务（多部门同一企业合并为联合检查），并公开种子。',
    en: 'Runs the draw with the committed seed: targets by credit grade, inspectors without a conflict assigned at random, tasks created (one joint inspection per enterprise across departments), the seed revealed.',
  },
  verifyStep: { zh: '验证', en: 'Verify' },
  waitCommit: { zh: '尚未锁定参数。', en: 'Not committed yet.' },
  waitDraw: { zh: '尚未抽取。', en: 'Not drawn yet.' },
  publicPage: { zh: '公开页面', en: 'Public page' },
  publicTitle: { zh: '抽查计划公示', en: 'Published inspection plan' },
  publicIntro: {
    zh: '本计划在抽取前公布了随机种子的哈希，抽取后公开了种子和全部参数。点击“验证抽取结果”，平台将用公开的数据重新运行抽取并比对结果。',
    en: 'This plan published the hash of its random seed before the draw and the seed with all inputs after it. "Verify the draw" re-runs the draw from the published data and compares the result.',
  },
  results: { zh: '抽查结果公示', en: 'Published results' },
} satisfies Record<string, Text>;

/** `/workbench/supervision/plans/:id`: commit, draw and verify a plan. */
export function PlanPage() {
  return (
    <RequireRole roles={PLANNER_ROLES}>
      <PlanWork />
    </RequireRole>
  );
}

function PlanWork() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const { state, set } = useLoad(id, (l, signal) => fetchPlan(id, l, signal));
  const [busy, setBusy] = useState<'commit' | 'draw' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const plan = state.value;
  useDocumentTitle(plan ? { zh: plan.title, en: plan.title } : plansText.title);

  const step = async (which: 'commit' | 'draw') => {
    setBusy(which);
    setError(null);
    try {
      set(await planStep(id, which, lang));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  if (!plan)
    return state.status === 'error' ? (
      <Alert
        type="error"
        showIcon
        title={t(supervisionText.loadFailed, { message: state.message })}
      />
    ) : (
      <Skeleton active />
    );
  const current = plan.state === 'draft' ? 0 : plan.state === 'committed' ? 1 : 2;
  return (
    <div data-testid="plan-page" data-state={plan.state}>
      <Breadcrumb
        className="ot-block"
        items={[
          { title: <Link to="/workbench/supervision/plans">{t(plansText.title)}</Link> },
          { title: plan.number },
        ]}
      />
      <div className="ot-workbench-title ot-sv-title-row">
        <Typography.Title level={2}>{plan.title}</Typography.Title>
        <Link to={`/supervision/plans/${plan.id}`}>{t(text.publicPage)}</Link>
      </div>
      <PlanFacts plan={plan} directory={directory} />
      <Steps
        className="ot-block ot-sv-steps"
        current={current}
        status={plan.state === 'drawn' ? 'finish' : 'process'}
        items={[{ title: t(text.commit) }, { title: t(text.draw) }, { title: t(text.verifyStep) }]}
      />
      <ProblemAlert error={error} testId="plan-problems" />
      <Card className="ot-block" title={`1 · ${t(text.commit)}`} data-testid="step-commit">
        {plan.state === 'draft' ? (
          <>
            <Typography.Paragraph type="secondary">{t(text.commitHint)}</Typography.Paragraph>
            <Button
              type="primary"
              icon={<LockOutlined />}
              loading={busy === 'commit'}
              onClick={() => step('commit')}
              data-testid="plan-commit"
            >
              {t(text.commit)}
            </Button>
          </>
        ) : (
          <Commitment plan={plan} />
        )}
      </Card>
      <Card className="ot-block" title={`2 · ${t(text.draw)}`} data-testid="step-draw">
        {plan.state === 'draft' && (
          <Typography.Text type="secondary">{t(text.waitCommit)}</Typography.Text>
        )}
        {plan.state === 'committed' && (
          <>
            <Typography.Paragraph type="secondary">{t(text.drawHint)}</Typography.Paragraph>
            <Button
              type="primary"
              icon={<ThunderboltOutlined />}
              loading={busy === 'draw'}
              onClick={() => step('draw')}
              data-testid="plan-draw"
            >
              {t(text.draw)}
            </Button>
          </>
        )}
        {plan.state === 'drawn' && <DrawOutcome plan={plan} names={namesOf(plan)} />}
      </Card>
      <Card className="ot-block" title={`3 · ${t(text.verifyStep)}`} data-testid="step-verify">
        {plan.state === 'drawn' ? (
          <VerifyPanel planId={plan.id} />
        ) : (
          <Typography.Text type="secondary">{t(text.waitDraw)}</Typography.Text>
        )}
      </Card>
    </div>
  );
}

/** `/supervision/plans/:id`: a plan's public page with its hashes, seed and verification. */
export function PublicPlanPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const directory = useDirectory();
  const { state } = useLoad<PlanView>(id, (lang, signal) => fetchPlan(id, lang, signal));
  const plan = state.value;
  useDocumentTitle(text.publicTitle);
  return (
    <div className="ot-page-width ot-section" data-testid="public-plan">
      <Breadcrumb
        className="ot-block"
        items={[
          { title: <Link to="/supervision/results">{t(text.results)}</Link> },
          { title: plan?.number ?? '…' },
        ]}
      />
      <Typography.Title level={2}>{t(text.publicTitle)}</Typography.Title>
      <Typography.Paragraph className="ot-lead">{t(text.publicIntro)}</Typography.Paragraph>
      {state.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(supervisionText.loadFailed, { message: state.message })}
        />
      )}
      {!plan ? (
        state.status === 'loading' && <Skeleton active />
      ) : (
        <>
          <PlanFacts plan={plan} directory={directory} />
          {plan.state !== 'draft' && (
            <Card className="ot-block" title={t(text.commit)}>
              <Commitment plan={plan} />
            </Card>
          )}
          {plan.state === 'drawn' && (
            <>
              <Card className="ot-block" title={t(text.draw)}>
                <DrawOutcome plan={plan} names={namesOf(plan)} />
              </Card>
              <Card className="ot-block" title={t(text.verifyStep)}>
                <VerifyPanel planId={plan.id} />
              </Card>
            </>
          )}
        </>
      )}
    </div>
  );
}

/** The names the plan carries beside its drawn ids. */
function namesOf(plan: PlanView) {
  return {
    targets: new Map(Object.entries(plan.names?.targets ?? {})),
    inspectors: new Map(Object.entries(plan.names?.inspectors ?? {})),
  };
}
