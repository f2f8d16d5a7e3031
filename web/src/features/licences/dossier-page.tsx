import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  Input,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Text } from '../../shell/i18n';
import { useAuth } from '../../shell/auth';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatDay, formatTime } from '../../shell/time';
import { RequireRole } from '../applications/require-role';
import { apiRequest, type Role } from '../platform/api';
import { roleLabels } from '../platform/roles';
import { GRADE_COLORS, GRADE_LABELS } from '../supervision/labels';
import type { CreditGrade } from '../../../../src/supervision/credit';

// The staff workbench's dossiers (一人一档 / 一企一档): search subjects by name or identifier, then
// read one subject's dossier — identity, tags, licences, applications and (administrators) who
// read it. Every read is logged on the server; inspectors give a reason first.

/** Roles that read dossiers (src/licences/dossiers.ts DOSSIER_READERS). */
const READERS: readonly Role[] = ['clerk', 'reviewer', 'supervisor', 'inspector', 'admin'];

/** A subject found by a search. */
interface SubjectHit {
  id: string;
  kind: 'person' | 'enterprise';
  name: string;
  identifier: string;
  region: { code: string; name: Text };
}

/** A dossier as `GET /api/dossiers/{subject}` returns it. */
interface Dossier {
  subject: SubjectHit & { identifierMasked: boolean; since: string };
  tags: { tag: string; value: string; source: string; updatedAt: string }[];
  licences: {
    id: string;
    identifier: string;
    type: { code: string; name: Text };
    issuedAt: string;
    validFrom: string;
    validUntil: string | null;
    status: string;
    statusLabel: Text;
  }[];
  applications: {
    available: boolean;
    note: Text | null;
    items: {
      id: string;
      number: string;
      bundle: { code: string; name: Text };
      status: string;
      statusName: Text;
      submittedAt: string | null;
      acceptedAt: string | null;
      expectedBy: string | null;
    }[];
  };
  /** An enterprise's grade (信用分级分类); null for a person, whose credit is not shown here. */
  credit: { score: number; grade: CreditGrade; asOf: string } | null;
  creditNote: Text | null;
  actions: { accessLog: boolean; refreshTags: boolean };
}

/** One read of a dossier. */
interface AccessEntry {
  id: string;
  role: Role;
  name: string;
  department: { code: string; name: Text } | null;
  reason: string | null;
  at: string;
}

const text = {
  title: { zh: '一人一档 / 一企一档', en: 'Subject dossiers' },
  intro: {
    zh: '按名称、公民身份号码或统一社会信用代码查找主体。每次查阅档案都会被记录，主体本人可以看到谁查阅了其档案。',
    en: 'Find a subject by name, resident ID or credit code. Every read of a dossier is logged, and the subject can see who read it.',
  },
  search: { zh: '名称 / 证件号码 / 信用代码', en: 'Name, resident ID or credit code' },
  tag: { zh: '按标签查找（如 industry:C）', en: 'Or by tag (e.g. industry:C)' },
  name: { zh: '名称', en: 'Name' },
  kind: { zh: '类型', en: 'Kind' },
  person: { zh: '自然人', en: 'Person' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  identifier: { zh: '证件号码', en: 'Identifier' },
  region: { zh: '区划', en: 'Region' },
  open: { zh: '查看档案', en: 'Open dossier' },
  reason: { zh: '查阅事由', en: 'Reason for reading' },
  reasonHint: {
    zh: '执法检查人员须填写事由（如：双随机抽查任务编号）',
    en: 'Inspectors must give a reason (e.g. the inspection task number)',
  },
  read: { zh: '查阅', en: 'Read' },
  back: { zh: '返回查找', en: 'Back to search' },
  identity: { zh: '基本信息', en: 'Identity' },
  masked: { zh: '（已脱敏）', en: '(masked)' },
  since: { zh: '建档时间', en: 'Known since' },
  credit: { zh: '信用等级', en: 'Credit grade' },
  creditScore: { zh: '{score} 分，截至 {day}', en: '{score} points as of {day}' },
  creditPublic: { zh: '信用信息公示', en: 'Public credit page' },
  tags: { zh: '标签', en: 'Tags' },
  tagShown: { zh: '{label}：{value}', en: '{label}: {value}' },
  noTags: { zh: '暂无标签', en: 'No tags' },
  refresh: { zh: '重算标签', en: 'Recompute tags' },
  licences: { zh: '电子证照', en: 'E-licences' },
  licenceType: { zh: '证照', en: 'Licence' },
  licenceId: { zh: '证照标识', en: 'Identifier' },
  status: { zh: '状态', en: 'Status' },
  validity: { zh: '有效期', en: 'Validity' },
  longTerm: { zh: '长期', en: 'no end date' },
  applications: { zh: '办件', en: 'Applications' },
  number: { zh: '申请编号', en: 'Number' },
  bundle: { zh: '一件事', en: 'Bundle' },
  submitted: { zh: '提交时间', en: 'Submitted' },
  accepted: { zh: '受理时间', en: 'Accepted' },
  expected: { zh: '预计办结', en: 'Expected by' },
  accessLog: { zh: '查阅记录', en: 'Access log' },
  who: { zh: '查阅人', en: 'Who' },
  role: { zh: '角色', en: 'Role' },
  department: { zh: '部门', en: 'Department' },
  when: { zh: '时间', en: 'When' },
} satisfies Record<string, Text>;

const TAG_NAMES: Record<string, Text> = {
  region: { zh: '区划', en: 'Region' },
  kind: { zh: '类型', en: 'Kind' },
  licence: { zh: '持证', en: 'Licence' },
  qualification: { zh: '资质', en: 'Qualification' },
  industry: { zh: '行业', en: 'Industry' },
  size: { zh: '规模', en: 'Size' },
};

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `/workbench/dossiers`: find a subject by name, identifier or tag. */
export function DossierSearchPage() {
  return (
    <RequireRole roles={READERS}>
      <DossierSearch />
    </RequireRole>
  );
}

function DossierSearch() {
  const { t, lang } = useI18n();
  useDocumentTitle(text.title);
  const navigate = useNavigate();
  const [query, setQuery] = useState<{ q?: string; tag?: string } | null>(null);
  const [hits, setHits] = useState<{ total: number; items: SubjectHit[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!query) return;
    const controller = new AbortController();
    const params = new URLSearchParams({ limit: '50' });
    if (query.q) params.set('q', query.q);
    if (query.tag) params.set('tag', query.tag);
    setLoading(true);
    setError(null);
    apiRequest<{ total: number; items: SubjectHit[] }>(`/api/dossiers?${params}`, {
      lang,
      signal: controller.signal,
    })
      .then(setHits, (e: unknown) => {
        if (!controller.signal.aborted) setError(errorText(e));
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
  }, [query, lang]);

  return (
    <div className="ot-dossier">
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      </div>
      <Alert type="info" showIcon title={t(text.intro)} style={{ marginBottom: 16 }} />
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label={t(text.search)}
          placeholder={t(text.search)}
          allowClear
          enterButton
          style={{ width: 360 }}
          onSearch={(value) => value.trim() && setQuery({ q: value.trim() })}
        />
        <Input.Search
          aria-label={t(text.tag)}
          placeholder={t(text.tag)}
          allowClear
          style={{ width: 280 }}
          onSearch={(value) => value.trim() && setQuery({ tag: value.trim() })}
        />
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {hits && (
        <Table<SubjectHit>
          rowKey="id"
          loading={loading}
          dataSource={hits.items}
          pagination={false}
          locale={{ emptyText: <Empty /> }}
          onRow={(row) => ({ onClick: () => navigate(`/workbench/dossiers/${row.id}`) })}
          columns={[
            {
              title: t(text.name),
              dataIndex: 'name',
              render: (name: string, row) => (
                <Link to={`/workbench/dossiers/${row.id}`}>{name}</Link>
              ),
            },
            {
              title: t(text.kind),
              dataIndex: 'kind',
              render: (kind: 'person' | 'enterprise') => t(text[kind]),
            },
            { title: t(text.identifier), dataIndex: 'identifier' },
            {
              title: t(text.region),
              dataIndex: 'region',
              render: (region: SubjectHit['region']) => t(region.name),
            },
          ]}
        />
      )}
    </div>
  );
}

/** `/workbench/dossiers/:subject`: one subject's dossier. */
export function DossierPage() {
  return (
    <RequireRole roles={READERS}>
      <DossierView />
    </RequireRole>
  );
}

function DossierView() {
  const { subject = '' } = useParams();
  const { t, lang, locale } = useI18n();
  useDocumentTitle(text.title);
  const [reason, setReason] = useState('');
  const { user } = useAuth();
  // Inspectors say why before the read is made (and logged); others read at once.
  const [asked, setAsked] = useState<{ reason: string } | null>(
    user?.role === 'inspector' ? null : { reason: '' },
  );
  const [dossier, setDossier] = useState<Dossier | null>(null);
  const [log, setLog] = useState<AccessEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!asked) return;
    const controller = new AbortController();
    const query = asked.reason ? `?reason=${encodeURIComponent(asked.reason)}` : '';
    setError(null);
    apiRequest<Dossier>(`/api/dossiers/${encodeURIComponent(subject)}${query}`, {
      lang,
      signal: controller.signal,
    }).then(
      (d) => {
        setDossier(d);
        if (d.actions.accessLog) {
          apiRequest<{ items: AccessEntry[] }>(
            `/api/dossiers/${encodeURIComponent(d.subject.id)}/access-log?limit=50`,
            { lang, signal: controller.signal },
          ).then(
            (l) => setLog(l.items),
            () => setLog(null),
          );
        }
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setError(errorText(e));
      },
    );
    return () => controller.abort();
  }, [subject, asked, lang, generation]);

  async function refresh() {
    if (!dossier) return;
    try {
      await apiRequest(`/api/dossiers/${dossier.subject.id}/tags/refresh`, {
        method: 'POST',
        lang,
      });
      setGeneration((g) => g + 1);
    } catch (e) {
      setError(errorText(e));
    }
  }

  const reasonForm = (
    <Space.Compact style={{ width: '100%', maxWidth: 520 }}>
      <Input
        aria-label={t(text.reason)}
        placeholder={t(text.reasonHint)}
        value={reason}
        maxLength={500}
        onChange={(e) => setReason(e.target.value)}
        onPressEnter={() => setAsked({ reason: reason.trim() })}
      />
      <Button type="primary" onClick={() => setAsked({ reason: reason.trim() })}>
        {t(text.read)}
      </Button>
    </Space.Compact>
  );

  return (
    <div className="ot-dossier">
      <div className="ot-workbench-title">
        <Link to="/workbench/dossiers">← {t(text.back)}</Link>
      </div>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          description={!dossier ? reasonForm : undefined}
          style={{ marginBottom: 16 }}
        />
      )}
      {!dossier && !error && (asked ? <Spin /> : reasonForm)}
      {dossier && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Card title={`${t(text.identity)} · ${dossier.subject.name}`}>
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t(text.kind)}>
                {t(text[dossier.subject.kind])}
              </Descriptions.Item>
              <Descriptions.Item label={t(text.identifier)}>
                {dossier.subject.identifier}
                {dossier.subject.identifierMasked && t(text.masked)}
              </Descriptions.Item>
              <Descriptions.Item label={t(text.region)}>
                {t(dossier.subject.region.name)}（{dossier.subject.region.code}）
              </Descriptions.Item>
              <Descriptions.Item label={t(text.since)}>
                {formatDay(dossier.subject.since, locale)}
              </Descriptions.Item>
              <Descriptions.Item label={t(text.credit)}>
                {dossier.credit ? (
                  <Space wrap size={4} data-testid="dossier-credit">
                    <Tag color={GRADE_COLORS[dossier.credit.grade]}>
                      {t(GRADE_LABELS[dossier.credit.grade])}
                    </Tag>
                    <Typography.Text type="secondary">
                      {t(text.creditScore, {
                        score: dossier.credit.score,
                        day: formatDay(dossier.credit.asOf, locale),
                      })}
                    </Typography.Text>
                    <Link to={`/supervision/credit/${dossier.subject.id}`}>
                      {t(text.creditPublic)}
                    </Link>
                  </Space>
                ) : (
                  dossier.creditNote && t(dossier.creditNote)
                )}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card
            title={t(text.tags)}
            extra={
              dossier.actions.refreshTags && (
                <Button size="small" onClick={refresh}>
                  {t(text.refresh)}
                </Button>
              )
            }
          >
            {dossier.tags.length === 0 ? (
              t(text.noTags)
            ) : (
              <Space wrap>
                {dossier.tags.map((tag) => {
                  const tagValue = (value: string) =>
                    value === 'person' || value === 'enterprise' ? t(text[value]) : value;
                  const namespace = tag.tag.split(':')[0] ?? '';
                  const label = TAG_NAMES[namespace];
                  return (
                    <Tag key={tag.tag} title={tag.source}>
                      {label
                        ? t(text.tagShown, { label: t(label), value: tagValue(tag.value) })
                        : tag.tag}
                    </Tag>
                  );
                })}
              </Space>
            )}
          </Card>
          <Card title={t(text.licences)}>
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={dossier.licences}
              scroll={{ x: true }}
              columns={[
                {
                  title: t(text.licenceType),
                  dataIndex: 'type',
                  render: (type: { name: Text }) => t(type.name),
                },
                { title: t(text.licenceId), dataIndex: 'identifier' },
                {
                  title: t(text.status),
                  dataIndex: 'statusLabel',
                  render: (label: Text, row) => (
                    <Tag color={row.status === 'valid' ? 'green' : 'red'}>{t(label)}</Tag>
                  ),
                },
                {
                  title: t(text.validity),
                  key: 'validity',
                  render: (_: unknown, row) =>
                    `${row.validFrom} – ${row.validUntil ?? t(text.longTerm)}`,
                },
              ]}
            />
          </Card>
          <Card title={t(text.applications)}>
            {!dossier.applications.available && dossier.applications.note ? (
              t(dossier.applications.note)
            ) : (
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={dossier.applications.items}
                scroll={{ x: true }}
                columns={[
                  { title: t(text.number), dataIndex: 'number' },
                  {
                    title: t(text.bundle),
                    dataIndex: 'bundle',
                    render: (bundle: { name: Text }) => t(bundle.name),
                  },
                  {
                    title: t(text.status),
                    dataIndex: 'statusName',
                    render: (name: Text) => <Tag>{t(name)}</Tag>,
                  },
                  {
                    title: t(text.submitted),
                    dataIndex: 'submittedAt',
                    render: (at: string | null) => formatTime(at, locale),
                  },
                  {
                    title: t(text.accepted),
                    dataIndex: 'acceptedAt',
                    render: (at: string | null) => formatTime(at, locale),
                  },
                  {
                    title: t(text.expected),
                    dataIndex: 'expectedBy',
                    render: (at: string | null) => formatTime(at, locale),
                  },
                ]}
              />
            )}
          </Card>
          {dossier.actions.accessLog && log && (
            <Card title={t(text.accessLog)}>
              <Table<AccessEntry>
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={log}
                columns={[
                  {
                    title: t(text.when),
                    dataIndex: 'at',
                    render: (at: string) => formatTime(at, locale),
                  },
                  { title: t(text.who), dataIndex: 'name' },
                  {
                    title: t(text.role),
                    dataIndex: 'role',
                    render: (role: Role) => t(roleLabels[role]),
                  },
                  {
                    title: t(text.department),
                    dataIndex: 'department',
                    render: (d: AccessEntry['department']) => (d ? t(d.name) : '—'),
                  },
                  {
                    title: t(text.reason),
                    dataIndex: 'reason',
                    render: (r: string | null) => r ?? '—',
                  },
                ]}
              />
            </Card>
          )}
        </Space>
      )}
    </div>
  );
}
