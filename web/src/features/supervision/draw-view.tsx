import { useState } from 'react';
import { Alert, Button, Descriptions, Table, Tag, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { ApiError } from '../platform/api';
import type { DrawResult, PlanView, Verification } from './api';
import { verifyDraw } from './api';
import type { Directory } from './directory';
import { nameIn } from './directory';
import {
  INDUSTRY_SECTIONS,
  PLAN_STATE_COLORS,
  PLAN_STATE_LABELS,
  RISK_LABELS,
  UNASSIGNED_REASONS,
  supervisionText,
} from './labels';

const text = {
  title: { zh: '计划名称', en: 'Title' },
  department: { zh: '实施部门', en: 'Department' },
  region: { zh: '抽查区域', en: 'Region' },
  filters: { zh: '筛选条件', en: 'Filters' },
  noFilter: { zh: '不限', en: 'none' },
  ratios: { zh: '各信用等级抽查比例', en: 'Ratio per credit grade' },
  perTarget: { zh: '每户检查人员', en: 'Inspectors per target' },
  perTargetValue: { zh: '{n} 人', en: '{n}' },
  maxTasks: { zh: '每人任务上限', en: 'Most tasks per inspector' },
  targets: { zh: '检查对象', en: 'Targets' },
  inspectorCount: { zh: '可选检查人员', en: 'Eligible inspectors' },
  committedAt: { zh: '公布时间', en: 'Published at' },
  drawnAt: { zh: '抽取时间', en: 'Drawn at' },
  algorithm: { zh: '算法', en: 'Algorithm' },
  perTier: { zh: '分级抽取情况', en: 'Per credit grade' },
  selected: { zh: '抽中对象及检查人员（{n} 户）', en: 'Drawn targets and inspectors ({n})' },
  unassigned: { zh: '未能派员的对象（{n} 户）', en: 'Drawn but not staffed ({n})' },
  reason: { zh: '原因', en: 'Reason' },
  eligible: { zh: '无利害关系人员数', en: 'Eligible inspectors' },
  verifyHint: {
    zh: '任何人都可以用公开的参数和种子重新运行抽取，核对结果是否与公布的完全一致。',
    en: 'Anyone can re-run the draw from the published inputs and seed and check that it gives exactly the published result.',
  },
  problems: { zh: '问题', en: 'Problems' },
} satisfies Record<string, Text>;

/** A refused request with the server's message and each problem it named (422 details). */
export function ProblemAlert({ error, testId }: { error: unknown; testId?: string }) {
  const { t } = useI18n();
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.details : [];
  return (
    <Alert
      type="error"
      showIcon
      className="ot-block"
      data-testid={testId}
      data-code={error instanceof ApiError ? error.code : undefined}
      title={t(supervisionText.failed, { message })}
      description={
        details.length > 0 ? (
          <ul className="ot-sv-problems">
            {details.map((d, i) => (
              <li key={i} data-rule={d.rule}>
                {d.message}
              </li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}

/** A long hex digest that wraps and can be copied. */
export function Digest({ value, testId }: { value: string | null; testId?: string }) {
  if (!value) return <span className="ot-muted">—</span>;
  return (
    <Typography.Text code copyable className="ot-sv-digest" data-testid={testId}>
      {value}
    </Typography.Text>
  );
}

/** What a plan says: items, region, filters, ratios, inspectors per target, period. */
export function PlanFacts({ plan, directory }: { plan: PlanView; directory: Directory | null }) {
  const { t, locale } = useI18n();
  const list = (values: string[]) => values.join(locale === 'en' ? ', ' : '、');
  const filters = [
    plan.filters.regions?.length
      ? list(plan.filters.regions.map((r) => t(nameIn(directory?.regions, r))))
      : null,
    plan.filters.industries?.length
      ? list(plan.filters.industries.map((i) => t(INDUSTRY_SECTIONS[i] ?? { zh: i, en: i })))
      : null,
    plan.filters.riskLevels?.length
      ? list(plan.filters.riskLevels.map((r) => t(RISK_LABELS[r])))
      : null,
  ].filter(Boolean);
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, md: 2 }}
      className="ot-block"
      data-testid="plan-facts"
    >
      <Descriptions.Item label={t(supervisionText.number)}>{plan.number}</Descriptions.Item>
      <Descriptions.Item label={t(supervisionText.state)}>
        <Tag color={PLAN_STATE_COLORS[plan.state]} data-testid="plan-state" data-state={plan.state}>
          {t(PLAN_STATE_LABELS[plan.state])}
        </Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t(text.title)} span={2}>
        {plan.title}
      </Descriptions.Item>
      <Descriptions.Item label={t(text.department)}>
        {t(nameIn(directory?.departments, plan.departmentCode))}
      </Descriptions.Item>
      <Descriptions.Item label={t(text.region)}>
        {t(nameIn(directory?.regions, plan.regionCode))}
      </Descriptions.Item>
      <Descriptions.Item label={t(supervisionText.items)} span={2}>
        {plan.itemCodes.map((code) => (
          <Tag key={code}>{t(nameIn(directory?.items, code))}</Tag>
        ))}
      </Descriptions.Item>
      <Descriptions.Item label={t(text.filters)} span={2}>
        {filters.length ? filters.join(' · ') : t(text.noFilter)}
      </Descriptions.Item>
      <Descriptions.Item label={t(text.ratios)} span={2}>
        {Object.entries(plan.tierRatios).map(([tier, ratio]) => (
          <Tag key={tier}>
            {tier} · {Math.round(ratio * 1000) / 10}%
          </Tag>
        ))}
      </Descriptions.Item>
      <Descriptions.Item label={t(text.perTarget)}>
        {t(text.perTargetValue, { n: plan.inspectorsPerTarget })}
      </Descriptions.Item>
      <Descriptions.Item label={t(supervisionText.period)}>
        {t(supervisionText.periodRange, { from: plan.startsOn, to: plan.endsOn })}
      </Descriptions.Item>
      {plan.maxTasksPerInspector !== null && (
        <Descriptions.Item label={t(text.maxTasks)}>{plan.maxTasksPerInspector}</Descriptions.Item>
      )}
    </Descriptions>
  );
}

/** The commitment: the seed's hash and the frozen inputs' digest, published before the draw. */
export function Commitment({ plan }: { plan: PlanView }) {
  const { t, locale } = useI18n();
  return (
    <Descriptions bordered size="small" column={1} data-testid="plan-commitment">
      <Descriptions.Item label={t(supervisionText.seedHash)}>
        <Digest value={plan.seedHash} testId="seed-hash" />
      </Descriptions.Item>
      <Descriptions.Item label={t(supervisionText.inputsDigest)}>
        <Digest value={plan.inputsDigest} testId="inputs-digest" />
      </Descriptions.Item>
      <Descriptions.Item label={t(text.targets)}>
        <span data-testid="target-count">{plan.inputs?.targets.length ?? '—'}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t(text.inspectorCount)}>
        <span data-testid="inspector-count">{plan.inputs?.inspectors.length ?? '—'}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t(text.committedAt)}>
        {formatTime(plan.committedAt, locale)}
      </Descriptions.Item>
    </Descriptions>
  );
}

type Names = { targets: Map<string, string>; inspectors: Map<string, string> };

const shortId = (id: string) => `${id.slice(0, 8)}…`;

/** The draw: the revealed seed, counts per tier, the drawn targets and their inspectors. */
export function DrawOutcome({ plan, names }: { plan: PlanView; names: Names }) {
  const { t, locale } = useI18n();
  const result = plan.result;
  if (!result) return null;
  const target = (id: string) => names.targets.get(id) ?? shortId(id);
  const inspector = (id: string) => names.inspectors.get(id) ?? shortId(id);
  return (
    <div data-testid="draw-outcome">
      <Descriptions bordered size="small" column={1} className="ot-block">
        <Descriptions.Item label={t(supervisionText.seed)}>
          <Digest value={plan.seed} testId="seed" />
        </Descriptions.Item>
        <Descriptions.Item label={t(supervisionText.drawDigest)}>
          <Digest value={plan.drawDigest} testId="draw-digest" />
        </Descriptions.Item>
        <Descriptions.Item label={t(text.algorithm)}>{result.algorithm}</Descriptions.Item>
        <Descriptions.Item label={t(text.drawnAt)}>
          {formatTime(plan.drawnAt, locale)}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5}>{t(text.perTier)}</Typography.Title>
      <Table<DrawResult['perTier'][number]>
        rowKey="tier"
        size="small"
        pagination={false}
        className="ot-block"
        data-testid="per-tier"
        dataSource={result.perTier}
        columns={[
          { key: 'tier', title: t(supervisionText.tier), dataIndex: 'tier' },
          {
            key: 'ratio',
            title: t(supervisionText.ratio),
            render: (_, row) => `${Math.round((plan.tierRatios[row.tier] ?? 0) * 1000) / 10}%`,
          },
          { key: 'population', title: t(supervisionText.population), dataIndex: 'population' },
          { key: 'drawn', title: t(supervisionText.drawn), dataIndex: 'drawn' },
        ]}
      />
      <Typography.Title level={5}>
        {t(text.selected, { n: result.selected.length })}
      </Typography.Title>
      <Table<DrawResult['selected'][number]>
        rowKey="targetId"
        size="small"
        className="ot-block"
        data-testid="selected-targets"
        dataSource={result.selected}
        pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
        columns={[
          {
            key: 'target',
            title: t(supervisionText.enterprise),
            render: (_, row) => <span data-target={row.targetId}>{target(row.targetId)}</span>,
          },
          { key: 'tier', title: t(supervisionText.tier), dataIndex: 'tier', width: 100 },
          {
            key: 'inspectors',
            title: t(supervisionText.inspectors),
            render: (_, row) => row.inspectorIds.map((id) => <Tag key={id}>{inspector(id)}</Tag>),
          },
        ]}
      />
      {result.unassigned.length > 0 && (
        <>
          <Typography.Title level={5}>
            {t(text.unassigned, { n: result.unassigned.length })}
          </Typography.Title>
          <Table<DrawResult['unassigned'][number]>
            rowKey="targetId"
            size="small"
            className="ot-block"
            data-testid="unassigned-targets"
            dataSource={result.unassigned}
            pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
            columns={[
              {
                key: 'target',
                title: t(supervisionText.enterprise),
                render: (_, row) => target(row.targetId),
              },
              { key: 'tier', title: t(supervisionText.tier), dataIndex: 'tier', width: 100 },
              {
                key: 'reason',
                title: t(text.reason),
                render: (_, row) => <Tag color="orange">{t(UNASSIGNED_REASONS[row.reason])}</Tag>,
              },
              { key: 'eligible', title: t(text.eligible), dataIndex: 'eligible' },
            ]}
          />
        </>
      )}
    </div>
  );
}

/** Re-runs the draw on the server from what is published and shows whether it matches. */
export function VerifyPanel({ planId }: { planId: string }) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [verification, setVerification] = useState<Verification | null>(null);
  const [error, setError] = useState<unknown>(null);
  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      setVerification(await verifyDraw(planId, lang));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="verify-panel">
      <Typography.Paragraph type="secondary">{t(text.verifyHint)}</Typography.Paragraph>
      <Button
        icon={<SafetyCertificateOutlined />}
        onClick={verify}
        loading={busy}
        data-testid="verify-draw"
      >
        {t(supervisionText.verify)}
      </Button>
      <ProblemAlert error={error} />
      {verification && (
        <div
          className="ot-sv-verification"
          data-testid="verify-result"
          data-ok={String(verification.ok)}
        >
          <Alert
            type={verification.ok ? 'success' : 'error'}
            showIcon
            className="ot-block"
            title={t(verification.ok ? supervisionText.verified : supervisionText.notVerified)}
            description={
              verification.problems.length > 0 ? (
                <ul className="ot-sv-problems">
                  {verification.problems.map((p, i) => (
                    <li key={i}>{typeof p.message === 'string' ? p.message : t(p.message)}</li>
                  ))}
                </ul>
              ) : undefined
            }
          />
          <Descriptions bordered size="small" column={1}>
            <Descriptions.Item label={t(supervisionText.seedCheck)}>
              {t(verification.seedMatchesCommitment ? supervisionText.yes : supervisionText.no)}
            </Descriptions.Item>
            <Descriptions.Item label={t(supervisionText.digestCheck)}>
              {t(verification.digestMatches ? supervisionText.yes : supervisionText.no)}
            </Descriptions.Item>
            <Descriptions.Item label={t(supervisionText.seedHash)}>
              <Digest value={verification.seedHash} />
            </Descriptions.Item>
            <Descriptions.Item label={t(supervisionText.seed)}>
              <Digest value={verification.seed} />
            </Descriptions.Item>
            <Descriptions.Item label={t(supervisionText.inputsDigest)}>
              <Digest value={verification.inputsDigest} />
            </Descriptions.Item>
            <Descriptions.Item label={t(supervisionText.drawDigest)}>
              <Digest value={verification.drawDigest} />
            </Descriptions.Item>
          </Descriptions>
        </div>
      )}
    </div>
  );
}
