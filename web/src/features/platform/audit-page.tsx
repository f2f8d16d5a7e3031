import { useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useAuth } from '../../shell/auth';
import type { I18n, Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { RequireRole } from '../applications/require-role';
import type { Role } from './api';
import {
  fetchAudit,
  fetchAuditActions,
  verifyAudit,
  type AuditActionCount,
  type AuditBreak,
  type AuditEntry,
  type AuditQuery,
  type AuditVerification,
} from './audit-api';
import { roleLabels } from './roles';
import { isRole } from '../../../../src/platform/auth/model';
import {
  AUDIT_MODULES,
  AUDIT_OBJECT_TYPES,
  auditActionLabel,
  auditModuleLabel,
  auditModuleOf,
  auditObjectTypeLabel,
  isAuditAction,
} from '../../../../src/platform/audit/actions';

// The workbench's audit log (审计日志, 等保三级 8.1.4.3): administrators and supervisors review the
// SM3-chained log with filters; administrators also verify the chains.

const READERS: readonly Role[] = ['admin', 'supervisor'];
const PAGE = 50;

const text = {
  title: { zh: '审计日志', en: 'Audit log' },
  intro: {
    zh: '平台的每一次状态变更都写入防篡改的审计日志：条目按对象分入 16 条 SM3 哈希链，每条记录链接前一条的哈希，不能修改或删除。可按动作、对象、操作人和时间查询；详情中的身份证号和手机号已脱敏。',
    en: 'Every change on the platform is written to the tamper-evident audit log: entries are kept in 16 SM3 hash chains by object, each linked to the hash of the one before, and cannot be changed or deleted. Filter by action, object, actor and time; resident IDs and mobile numbers in details are masked.',
  },
  action: { zh: '动作', en: 'Action' },
  allActions: { zh: '全部动作', en: 'All actions' },
  wholeModule: { zh: '{module}：全部动作', en: '{module}: all actions' },
  otherModule: { zh: '其他', en: 'Other' },
  allObjectTypes: { zh: '全部对象', en: 'All objects' },
  objectType: { zh: '对象类型', en: 'Object type' },
  objectId: { zh: '对象标识', en: 'Object id' },
  actor: { zh: '操作人用户名', en: 'Actor username' },
  period: { zh: '时间范围', en: 'Period' },
  search: { zh: '查询', en: 'Search' },
  reset: { zh: '重置', en: 'Reset' },
  time: { zh: '时间', en: 'Time' },
  who: { zh: '操作人', en: 'Actor' },
  object: { zh: '对象', en: 'Object' },
  ip: { zh: 'IP 地址', en: 'IP address' },
  system: { zh: '系统', en: 'System' },
  loadMore: { zh: '加载更多', en: 'Load more' },
  end: { zh: '已显示全部 {n} 条', en: 'All {n} entries shown' },
  requestId: { zh: '请求标识', en: 'Request id' },
  place: { zh: '链位置', en: 'Place in chain' },
  placeValue: {
    zh: '第 {lane} 链 · 第 {seq} 条（日志序号 {log}）',
    en: 'lane {lane} · entry {seq} (log seq {log})',
  },
  hash: { zh: 'SM3 哈希', en: 'SM3 hash' },
  detail: { zh: '详情', en: 'Detail' },
  verify: { zh: '验证审计链', en: 'Verify the audit chain' },
  verifying: {
    zh: '正在逐条校验全部审计链，日志较大时需要一些时间……',
    en: 'Checking every entry of every chain; a large log takes a while…',
  },
  intact: { zh: '审计链完整', en: 'The audit chain is intact' },
  intactBody: {
    zh: '已校验 {n} 条，{lanes} 条链均未发现篡改（用时 {ms} 毫秒）。',
    en: '{n} entries checked; no tampering found in {lanes} chains ({ms} ms).',
  },
  broken: { zh: '审计链已断裂', en: 'The audit chain is broken' },
  brokenBody: {
    zh: '第 {lane} 链第 {seq} 条：{reason}。断点前已校验 {n} 条。',
    en: 'Lane {lane}, entry {seq}: {reason}. {n} entries checked before the break.',
  },
  headHash: { zh: '链头汇总哈希', en: 'Head hash of all lanes' },
  lane: { zh: '链', en: 'Lane' },
  laneSeq: { zh: '条数', en: 'Entries' },
  laneHash: { zh: '链头哈希', en: 'Head hash' },
  checkedAt: { zh: '校验时间 {at}', en: 'Checked at {at}' },
  masked: { zh: '详情中的个人信息已脱敏', en: 'Personal data in details is masked' },
} satisfies Record<string, Text>;

const BREAK_REASONS: Record<AuditBreak['reason'], Text> = {
  sequence_gap: { zh: '条目缺失（序号不连续）', en: 'an entry is missing (gap in the sequence)' },
  prev_hash_mismatch: {
    zh: '与前一条的哈希链接不符（条目被移动或插入）',
    en: 'the link to the entry before does not match (moved or inserted)',
  },
  hash_mismatch: { zh: '条目内容被修改', en: 'the content of the entry was changed' },
};

/** The filters as the form holds them. */
interface FilterForm {
  action?: string;
  objectType?: string;
  objectId?: string;
  actorUsername?: string;
  period?: [Dayjs, Dayjs] | null;
}

/** Beijing-time day bounds, as the server takes instants. */
function queryOf(form: FilterForm): AuditQuery {
  const trim = (value?: string) => value?.trim() || undefined;
  const [start, end] = form.period ?? [];
  return {
    action: form.action,
    objectType: trim(form.objectType),
    objectId: trim(form.objectId),
    actorUsername: trim(form.actorUsername),
    from: start ? `${start.format('YYYY-MM-DD')}T00:00:00+08:00` : undefined,
    to: end ? `${end.format('YYYY-MM-DD')}T23:59:59.999+08:00` : undefined,
  };
}

/** An option of the action filter with the text it is found by (labels in both languages, code). */
interface ActionOption {
  value: string;
  label: ReactNode;
  search: string;
}

/**
 * The action filter's options: a group per module (in the order of AUDIT_MODULES, modules this
 * version does not know after them), each first offering the whole module (its prefix), then its
 * actions by label with code and count.
 */
function actionGroups(actions: readonly AuditActionCount[], t: I18n['t']) {
  const byModule = new Map<string, AuditActionCount[]>();
  for (const entry of actions) {
    const prefix = auditModuleOf(entry.action) ?? '';
    byModule.set(prefix, [...(byModule.get(prefix) ?? []), entry]);
  }
  const order = Object.keys(AUDIT_MODULES);
  const rank = (prefix: string) => (order.includes(prefix) ? order.indexOf(prefix) : order.length);
  const prefixes = [...byModule.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return prefixes.map((prefix) => {
    const module = prefix ? auditModuleLabel(prefix) : null;
    const name = module ? t(module) : prefix || t(text.otherModule);
    // A group is found by its module's name too, and then shows whole.
    const search = [module?.zh, module?.en, prefix].join(' ');
    const whole: ActionOption[] = prefix
      ? [
          {
            value: prefix,
            label: (
              <span>
                {t(text.wholeModule, { module: name })}{' '}
                <Typography.Text type="secondary">{prefix}*</Typography.Text>
              </span>
            ),
            search,
          },
        ]
      : [];
    const named: ActionOption[] = byModule.get(prefix)!.map((entry) => ({
      value: entry.action,
      label: (
        <span>
          {isAuditAction(entry.action) ? t(entry.label) : entry.action}{' '}
          <Typography.Text type="secondary">
            {isAuditAction(entry.action) ? `${entry.action} · ` : ''}
            {entry.count}
            {entry.capped ? '+' : ''}
          </Typography.Text>
        </span>
      ),
      search: [entry.label.zh, entry.label.en, entry.action].join(' '),
    }));
    return {
      key: prefix || 'other',
      label: name,
      title: name,
      search,
      options: [...whole, ...named],
    };
  });
}

/** Whether an action option is found by what was typed (either language's label, or the code). */
function matchesSearch(input: string, option?: { search?: string }): boolean {
  return (option?.search ?? '').toLowerCase().includes(input.trim().toLowerCase());
}

/** Whether an object-type suggestion is found by what was typed (label or code). */
function matchesLabel(input: string, option?: { label?: ReactNode }): boolean {
  return String(option?.label ?? '')
    .toLowerCase()
    .includes(input.trim().toLowerCase());
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `/workbench/audit`: the audit log for administrators and supervisors. */
export function AuditLogPage() {
  return (
    <RequireRole roles={READERS}>
      <AuditLog />
    </RequireRole>
  );
}

function AuditLog() {
  const { t, lang, locale } = useI18n();
  const { user } = useAuth();
  useDocumentTitle(text.title);
  const [form] = Form.useForm<FilterForm>();
  const [query, setQuery] = useState<AuditQuery>({});
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [masked, setMasked] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [actions, setActions] = useState<AuditActionCount[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    fetchAuditActions(lang, controller.signal).then(setActions, () => undefined);
    return () => controller.abort();
  }, [lang]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    fetchAudit({ ...query, limit: PAGE }, lang, controller.signal)
      .then((page) => {
        setEntries(page.entries);
        setNextBefore(page.nextBefore);
        setMasked(page.masked);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(errorText(e));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [query, lang]);

  async function loadMore() {
    if (nextBefore === null) return;
    setLoading(true);
    try {
      const page = await fetchAudit({ ...query, limit: PAGE, before: nextBefore }, lang);
      setEntries((shown) => [...shown, ...page.entries]);
      setNextBefore(page.nextBefore);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }

  const actionOptions = useMemo(() => actionGroups(actions, t), [actions, t]);
  const objectTypeOptions = useMemo(
    () =>
      Object.entries(AUDIT_OBJECT_TYPES).map(([code, label]) => ({
        value: code,
        label: `${t(label)} · ${code}`,
      })),
    [t],
  );

  const columns: TableColumnsType<AuditEntry> = [
    {
      key: 'at',
      title: t(text.time),
      width: 170,
      render: (_, e) => formatTime(e.at, locale),
    },
    {
      key: 'actor',
      title: t(text.who),
      render: (_, e) =>
        e.actor ? (
          <span>
            {e.actor.displayName ?? e.actor.username ?? e.actor.id ?? '—'}
            {e.actor.username && (
              <Typography.Text type="secondary"> @{e.actor.username}</Typography.Text>
            )}
            {e.actor.role && isRole(e.actor.role) && (
              <Tag style={{ marginLeft: 8 }}>{t(roleLabels[e.actor.role])}</Tag>
            )}
          </span>
        ) : (
          <Typography.Text type="secondary">{t(text.system)}</Typography.Text>
        ),
    },
    {
      key: 'action',
      title: t(text.action),
      render: (_, e) => (
        <div>
          <div>{t(auditActionLabel(e.action))}</div>
          {/* The code too: reviewers search and filter by it. */}
          {isAuditAction(e.action) && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              <code>{e.action}</code>
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      key: 'object',
      title: t(text.object),
      render: (_, e) => (
        <span>
          <Tooltip title={e.objectType}>
            <span>{t(auditObjectTypeLabel(e.objectType))}</span>
          </Tooltip>
          {e.objectId && (
            <Typography.Text
              type="secondary"
              ellipsis={{ tooltip: e.objectId }}
              style={{
                display: 'inline-block',
                maxWidth: 120,
                marginLeft: 4,
                verticalAlign: 'bottom',
              }}
            >
              {e.objectId}
            </Typography.Text>
          )}
        </span>
      ),
    },
    { key: 'ip', title: t(text.ip), responsive: ['md'], render: (_, e) => e.ip ?? '—' },
  ];

  return (
    <div className="ot-audit">
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      </div>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      {user?.role === 'admin' && <VerifyPanel />}
      <Card size="small" className="ot-block">
        <Form<FilterForm>
          form={form}
          layout="inline"
          onFinish={(values) => setQuery(queryOf(values))}
          data-testid="audit-filters"
        >
          <Form.Item name="action" label={t(text.action)}>
            <Select
              allowClear
              showSearch={{ filterOption: matchesSearch }}
              placeholder={t(text.allActions)}
              options={actionOptions}
              style={{ width: 300 }}
              aria-label={t(text.action)}
            />
          </Form.Item>
          <Form.Item name="objectType" label={t(text.objectType)}>
            <AutoComplete
              allowClear
              maxLength={64}
              placeholder={t(text.allObjectTypes)}
              options={objectTypeOptions}
              showSearch={{ filterOption: matchesLabel }}
              style={{ width: 180 }}
            />
          </Form.Item>
          <Form.Item name="objectId" label={t(text.objectId)}>
            <Input allowClear maxLength={200} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="actorUsername" label={t(text.actor)}>
            <Input allowClear maxLength={64} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="period" label={t(text.period)}>
            <DatePicker.RangePicker />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t(text.search)}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setQuery({});
                }}
              >
                {t(text.reset)}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon title={error} className="ot-block" />}
      {masked && <Typography.Paragraph type="secondary">{t(text.masked)}</Typography.Paragraph>}
      <Table<AuditEntry>
        rowKey="seq"
        data-testid="audit-table"
        loading={loading}
        dataSource={entries}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={{ expandedRowRender: (entry) => <EntryDetail entry={entry} /> }}
      />
      <div className="ot-block" style={{ marginTop: 16, textAlign: 'center' }}>
        {nextBefore !== null ? (
          <Button onClick={() => void loadMore()} loading={loading}>
            {t(text.loadMore)}
          </Button>
        ) : (
          <Typography.Text type="secondary">{t(text.end, { n: entries.length })}</Typography.Text>
        )}
      </div>
    </div>
  );
}

function EntryDetail({ entry }: { entry: AuditEntry }) {
  const { t } = useI18n();
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      data-testid={`audit-entry-${entry.seq}`}
      items={[
        { key: 'requestId', label: t(text.requestId), children: entry.requestId ?? '—' },
        {
          key: 'place',
          label: t(text.place),
          children: t(text.placeValue, { lane: entry.lane, seq: entry.laneSeq, log: entry.seq }),
        },
        {
          key: 'hash',
          label: t(text.hash),
          children: (
            <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
              {entry.hash}
            </Typography.Text>
          ),
        },
        {
          key: 'detail',
          label: t(text.detail),
          children: (
            <pre className="ot-audit-detail" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
              {JSON.stringify(entry.detail, null, 2)}
            </pre>
          ),
        },
      ]}
    />
  );
}

function VerifyPanel() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<AuditVerification | null>(null);

  async function run() {
    setRunning(true);
    try {
      setResult(await verifyAudit(lang));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setRunning(false);
    }
  }

  return (
    <Card size="small" className="ot-block" data-testid="audit-verification">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Button
          type="primary"
          icon={<SafetyCertificateOutlined />}
          loading={running}
          onClick={() => void run()}
        >
          {t(text.verify)}
        </Button>
        {running && <Typography.Text type="secondary">{t(text.verifying)}</Typography.Text>}
        {result && <VerificationResult result={result} />}
      </Space>
    </Card>
  );
}

function VerificationResult({ result }: { result: AuditVerification }) {
  const { t, locale } = useI18n();
  const at = t(text.checkedAt, { at: formatTime(result.checkedAt, locale) });
  if (!result.ok && result.break) {
    return (
      <Alert
        type="error"
        showIcon
        data-testid="audit-verification-result"
        title={t(text.broken)}
        description={
          <>
            <div>
              {t(text.brokenBody, {
                lane: result.break.lane,
                seq: result.break.laneSeq,
                reason: t(BREAK_REASONS[result.break.reason]),
                n: result.entries,
              })}
            </div>
            <Typography.Text type="secondary">{at}</Typography.Text>
          </>
        }
      />
    );
  }
  return (
    <Alert
      type="success"
      showIcon
      data-testid="audit-verification-result"
      title={t(text.intact)}
      description={
        <>
          <div>
            {t(text.intactBody, {
              n: result.entries,
              lanes: result.heads.length,
              ms: result.durationMs,
            })}
          </div>
          <div>
            {t(text.headHash)}:{' '}
            <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
              {result.headHash}
            </Typography.Text>
          </div>
          <Typography.Text type="secondary">{at}</Typography.Text>
          <Table
            size="small"
            rowKey="lane"
            style={{ marginTop: 8 }}
            pagination={false}
            dataSource={result.heads}
            columns={[
              { key: 'lane', title: t(text.lane), dataIndex: 'lane', width: 60 },
              { key: 'laneSeq', title: t(text.laneSeq), dataIndex: 'laneSeq', width: 80 },
              {
                key: 'hash',
                title: t(text.laneHash),
                render: (_, head) => <code style={{ wordBreak: 'break-all' }}>{head.hash}</code>,
              },
            ]}
          />
        </>
      }
    />
  );
}
