import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Card,
  Empty,
  List,
  Progress,
  Segmented,
  Space,
  Statistic,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { RequireRole } from '../applications/require-role';
import type { Role } from '../platform/api';
import {
  fetchScenarios,
  fetchSharedData,
  updateSharedData,
  type BlockReason,
  type Blocker,
  type Scenario,
  type ScenarioTotals,
  type SharedDataSource,
} from './scenarios-api';

// The workbench's certificate-free scenarios (无证明场景): how many items and bundles a typical person
// or enterprise can complete without handing in a paper, against the seeds' target of 20 (B26),
// what blocks the others, and — for administrators — which shared-data sources are connected.

/** Roles that read the count (src/licences/shared-data.ts). */
const READERS: readonly Role[] = ['admin', 'supervisor'];

const text = {
  title: { zh: '无证明场景', en: 'Certificate-free scenarios' },
  intro: {
    zh: '一个场景是一项事项或一件事，对自然人或企业分别计数。典型申请人持有平台签发给其主体类型的全部电子证照，已对接的共享数据源覆盖其数据；所有需上传的材料都能由电子证照、共享数据或前序事项结果替代（免提交）时，即为“无证明”场景。',
    en: 'A scenario is an item or a bundle, counted for persons and enterprises separately. The typical applicant holds every e-licence the platform issues to their kind, and the connected shared-data sources hold their data; a scenario is certificate-free when every material they would upload can come from an e-licence, shared data or an earlier item’s result.',
  },
  target: {
    zh: '目标：打造20个以上“无证明”创新场景',
    en: 'Target: at least 20 certificate-free scenarios',
  },
  free: { zh: '无证明场景', en: 'Certificate-free' },
  total: { zh: '场景总数', en: 'Scenarios' },
  items: { zh: '事项', en: 'Items' },
  bundles: { zh: '一件事', en: 'Bundles' },
  met: { zh: '已达目标', en: 'Target met' },
  notMet: { zh: '尚差 {n} 个', en: '{n} to go' },
  scenarios: { zh: '场景', en: 'Scenarios' },
  sources: { zh: '共享数据源', en: 'Shared-data sources' },
  all: { zh: '全部', en: 'All' },
  blocked: { zh: '受阻', en: 'Blocked' },
  item: { zh: '事项', en: 'Item' },
  bundle: { zh: '一件事', en: 'Bundle' },
  person: { zh: '自然人', en: 'Person' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  name: { zh: '名称', en: 'Name' },
  kind: { zh: '类型', en: 'Kind' },
  applicant: { zh: '申请人', en: 'Applicant' },
  status: { zh: '状态', en: 'Status' },
  materials: { zh: '可免提交材料', en: 'Waivable materials' },
  blockers: { zh: '受阻材料', en: 'Blocking materials' },
  material: { zh: '材料', en: 'Material' },
  reason: { zh: '原因', en: 'Reason' },
  memberItem: { zh: '成员事项', en: 'Member item' },
  department: { zh: '提供部门', en: 'Department' },
  subjects: { zh: '数据主体', en: 'Holds data on' },
  namedBy: { zh: '目录引用', en: 'Named by materials' },
  note: { zh: '说明', en: 'Note' },
  connected: { zh: '已对接', en: 'Connected' },
  notConnected: { zh: '未对接', en: 'Not connected' },
  updated: { zh: '更新时间', en: 'Updated' },
  saved: { zh: '「{name}」已{state}', en: '"{name}" is now {state}' },
  adminOnly: {
    zh: '仅系统管理员可以修改对接状态。',
    en: 'Only administrators change whether a source is connected.',
  },
  failed: { zh: '加载失败：{message}', en: 'Could not load: {message}' },
} satisfies Record<string, Text>;

const REASONS: Record<BlockReason, Text> = {
  'no-source': { zh: '未列明替代来源', en: 'No source named' },
  'licence-not-issued': { zh: '平台未签发该证照', en: 'Licence not issued' },
  'licence-holder-kind': { zh: '持证主体不符', en: 'Wrong holder kind' },
  'data-unknown': { zh: '数据源未登记', en: 'Unknown data source' },
  'data-not-connected': { zh: '数据源未对接', en: 'Data not connected' },
  'data-subject-kind': { zh: '数据源不含该主体', en: 'No data on this kind' },
  'item-not-in-catalog': { zh: '前序事项不在目录', en: 'Item not in catalog' },
};

const SOURCE_KINDS: Record<NonNullable<Blocker['source']>['kind'], Text> = {
  licence: { zh: '电子证照', en: 'E-licence' },
  'shared-data': { zh: '共享数据', en: 'Shared data' },
  'item-result': { zh: '事项结果', en: 'Item result' },
};

type StatusFilter = 'all' | 'free' | 'blocked';
type KindFilter = 'all' | 'item' | 'bundle';
type ApplicantFilter = 'all' | 'person' | 'enterprise';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `/workbench/certificate-free`: the count of certificate-free scenarios and the data sources. */
export function CertificateFreePage() {
  return (
    <RequireRole roles={READERS}>
      <CertificateFree />
    </RequireRole>
  );
}

function CertificateFree() {
  const { t, lang } = useI18n();
  useDocumentTitle(text.title);
  const [data, setData] = useState<{ totals: ScenarioTotals; scenarios: Scenario[] } | null>(null);
  const [sources, setSources] = useState<SharedDataSource[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    Promise.all([fetchScenarios(lang, controller.signal), fetchSharedData(lang, controller.signal)])
      .then(([scenarios, list]) => {
        setData(scenarios);
        setSources(list);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(errorText(e));
      });
    return () => controller.abort();
  }, [lang, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  return (
    <div className="ot-certificate-free">
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      </div>
      <Alert type="info" showIcon title={t(text.intro)} style={{ marginBottom: 16 }} />
      {error && (
        <Alert
          type="error"
          showIcon
          title={t(text.failed, { message: error })}
          style={{ marginBottom: 16 }}
        />
      )}
      {data && <Totals totals={data.totals} />}
      <Tabs
        items={[
          {
            key: 'scenarios',
            label: t(text.scenarios),
            children: <ScenarioTable scenarios={data?.scenarios ?? null} />,
          },
          {
            key: 'sources',
            label: t(text.sources),
            children: <SourceTable sources={sources} onChanged={reload} />,
          },
        ]}
      />
    </div>
  );
}

function Totals({ totals }: { totals: ScenarioTotals }) {
  const { t } = useI18n();
  const percent = Math.min(100, Math.round((totals.free / totals.target) * 100));
  return (
    <Space wrap size={16} style={{ marginBottom: 16 }} data-testid="certificate-free-totals">
      <Card size="small" style={{ minWidth: 280 }}>
        <Space size={16} align="center">
          <Progress
            type="circle"
            size={88}
            percent={percent}
            status={totals.targetMet ? 'success' : 'active'}
            format={() => `${totals.free}/${totals.target}`}
          />
          <div>
            <Statistic title={t(text.free)} value={totals.free} suffix={`/ ${totals.target}`} />
            <Typography.Text type={totals.targetMet ? 'success' : 'warning'}>
              {totals.targetMet ? t(text.met) : t(text.notMet, { n: totals.target - totals.free })}
            </Typography.Text>
            <div>
              <Typography.Text type="secondary">{t(text.target)}</Typography.Text>
            </div>
          </div>
        </Space>
      </Card>
      <Card size="small">
        <Statistic title={t(text.total)} value={totals.total} />
      </Card>
      <Card size="small">
        <Statistic
          title={t(text.items)}
          value={totals.items.free}
          suffix={`/ ${totals.items.total}`}
        />
      </Card>
      <Card size="small">
        <Statistic
          title={t(text.bundles)}
          value={totals.bundles.free}
          suffix={`/ ${totals.bundles.total}`}
        />
      </Card>
    </Space>
  );
}

function ScenarioTable({ scenarios }: { scenarios: Scenario[] | null }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<StatusFilter>('all');
  const [kind, setKind] = useState<KindFilter>('all');
  const [applicant, setApplicant] = useState<ApplicantFilter>('all');

  const shown = useMemo(
    () =>
      (scenarios ?? []).filter(
        (s) =>
          (status === 'all' || s.free === (status === 'free')) &&
          (kind === 'all' || s.kind === kind) &&
          (applicant === 'all' || s.applicantKind === applicant),
      ),
    [scenarios, status, kind, applicant],
  );

  const columns: TableColumnsType<Scenario> = [
    {
      title: t(text.status),
      key: 'status',
      width: 120,
      render: (_, s) =>
        s.free ? (
          <Tag color="success">{t(text.free)}</Tag>
        ) : (
          <Tag color="warning">{t(text.blocked)}</Tag>
        ),
    },
    {
      title: t(text.kind),
      key: 'kind',
      width: 90,
      render: (_, s) => (
        <Tag color={s.kind === 'bundle' ? 'blue' : 'default'}>{t(text[s.kind])}</Tag>
      ),
    },
    {
      title: t(text.name),
      key: 'name',
      render: (_, s) => (
        <div>
          <div>{t(s.name)}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {s.code}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t(text.applicant),
      key: 'applicant',
      width: 100,
      render: (_, s) => t(text[s.applicantKind]),
    },
    {
      title: t(text.materials),
      key: 'materials',
      width: 140,
      render: (_, s) => `${s.materials.waivable} / ${s.materials.asked}`,
    },
    {
      title: t(text.blockers),
      key: 'blockers',
      width: 110,
      render: (_, s) => new Set(s.blockers.map((b) => b.material.key)).size || '—',
    },
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented<StatusFilter>
          aria-label={t(text.status)}
          value={status}
          onChange={setStatus}
          options={[
            { value: 'all', label: t(text.all) },
            { value: 'free', label: t(text.free) },
            { value: 'blocked', label: t(text.blocked) },
          ]}
        />
        <Segmented<KindFilter>
          aria-label={t(text.kind)}
          value={kind}
          onChange={setKind}
          options={[
            { value: 'all', label: t(text.all) },
            { value: 'item', label: t(text.item) },
            { value: 'bundle', label: t(text.bundle) },
          ]}
        />
        <Segmented<ApplicantFilter>
          aria-label={t(text.applicant)}
          value={applicant}
          onChange={setApplicant}
          options={[
            { value: 'all', label: t(text.all) },
            { value: 'person', label: t(text.person) },
            { value: 'enterprise', label: t(text.enterprise) },
          ]}
        />
      </Space>
      <Table<Scenario>
        rowKey={(s) => `${s.kind}:${s.code}:${s.applicantKind}`}
        loading={scenarios === null}
        dataSource={shown}
        columns={columns}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        locale={{ emptyText: <Empty /> }}
        expandable={{
          rowExpandable: (s) => s.blockers.length > 0,
          expandedRowRender: (s) => <BlockerList blockers={s.blockers} />,
        }}
      />
    </>
  );
}

function BlockerList({ blockers }: { blockers: Blocker[] }) {
  const { t } = useI18n();
  return (
    <List<Blocker>
      size="small"
      dataSource={blockers}
      renderItem={(b) => (
        <List.Item>
          <Space wrap size={8}>
            <Typography.Text strong>{t(b.material.name)}</Typography.Text>
            <Tag color={b.reason === 'data-not-connected' ? 'orange' : 'default'}>
              {t(REASONS[b.reason])}
            </Tag>
            {b.source && (
              <Tag>
                {t(SOURCE_KINDS[b.source.kind])}：{b.source.name}
              </Tag>
            )}
            {b.item && (
              <Typography.Text type="secondary">
                {t(text.memberItem)}：{t(b.item.name)}
              </Typography.Text>
            )}
            <Typography.Text>{t(b.message)}</Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

function SourceTable({
  sources,
  onChanged,
}: {
  sources: SharedDataSource[] | null;
  onChanged: () => void;
}) {
  const { t, lang, locale } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const [saving, setSaving] = useState<string | null>(null);
  const isAdmin = user?.role === 'admin';

  const toggle = (source: SharedDataSource, connected: boolean) => {
    setSaving(source.name);
    updateSharedData(source.name, { connected }, lang)
      .then((saved) => {
        message.success(
          t(text.saved, {
            name: t(saved.label),
            state: t(saved.connected ? text.connected : text.notConnected),
          }),
        );
        onChanged();
      })
      .catch((e: unknown) => message.error(errorText(e)))
      .finally(() => setSaving(null));
  };

  const columns: TableColumnsType<SharedDataSource> = [
    {
      title: t(text.name),
      key: 'name',
      render: (_, s) => t(s.label),
    },
    {
      title: t(text.department),
      key: 'department',
      render: (_, s) => t(s.department.name),
    },
    {
      title: t(text.subjects),
      key: 'subjects',
      width: 150,
      render: (_, s) => s.subjectKinds.map((k) => <Tag key={k}>{t(text[k])}</Tag>),
    },
    {
      title: t(text.namedBy),
      key: 'materials',
      width: 110,
      render: (_, s) => s.materials,
    },
    {
      title: t(text.note),
      key: 'note',
      render: (_, s) => s.note ?? '—',
    },
    {
      title: t(text.connected),
      key: 'connected',
      width: 110,
      render: (_, s) => (
        <Switch
          aria-label={`${t(text.connected)}：${t(s.label)}`}
          checked={s.connected}
          disabled={!isAdmin}
          loading={saving === s.name}
          checkedChildren={t(text.connected)}
          unCheckedChildren={t(text.notConnected)}
          onChange={(checked) => toggle(s, checked)}
        />
      ),
    },
    {
      title: t(text.updated),
      key: 'updated',
      width: 170,
      render: (_, s) => formatTime(s.updatedAt, locale),
    },
  ];

  return (
    <>
      {!isAdmin && (
        <Alert type="info" showIcon title={t(text.adminOnly)} style={{ marginBottom: 12 }} />
      )}
      <Table<SharedDataSource>
        rowKey="name"
        loading={sources === null}
        dataSource={sources ?? []}
        columns={columns}
        pagination={false}
        locale={{ emptyText: <Empty /> }}
      />
    </>
  );
}
