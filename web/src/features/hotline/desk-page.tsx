import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Badge, Button, Checkbox, Input, Table, Tabs, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import {
  BarChartOutlined,
  DownloadOutlined,
  PlusOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import type { Role } from '../platform/api';
import type { TicketQuery, TicketSummary } from './api';
import { exportTicketsUrl, listTickets } from './api';
import { Due, messageOf, RequireHotlineRole, StatusTag, TicketTags } from './components';
import { CHANNEL_LABELS } from './labels';
import { formatShort } from '../../shell/time';
import './hotline.css';

const PAGE_SIZE = 20;

export const deskText = {
  title: { zh: '12345 接诉即办', en: '12345 hotline' },
  introOperator: {
    zh: '统一受理、依责派单、审核答复、回访评价：每张工单按工作日历计时，超期和督办一目了然。',
    en: 'Take every request, dispatch it to the responsible unit, review the reply and call back: every ticket runs on the working-day clock.',
  },
  introHandler: {
    zh: '本单位的工单：按时限签收、联系诉求人、办理并答复；错派的工单请在 2 个工作日内退单。',
    en: "Your unit's tickets: sign for them in time, contact the requester, handle and reply; return a wrong dispatch within 2 working days.",
  },
  introSupervisor: {
    zh: '超期未签收、超期未办结和已督办的工单，以及待审批的延期申请。',
    en: 'Tickets overdue for sign-for or reply, escalated tickets and extensions waiting for a decision.',
  },
  introAdmin: { zh: '全部工单台账。', en: 'The ledger of every ticket.' },
  newTicket: { zh: '新建工单', en: 'New ticket' },
  analysis: { zh: '诉求分析', en: 'Analysis' },
  export: { zh: '导出 Excel', en: 'Export to Excel' },
  refresh: { zh: '刷新', en: 'Refresh' },
  search: { zh: '工单号、标题、内容、地址或电话', en: 'Number, title, text, address or phone' },
  enterpriseOnly: { zh: '只看企业诉求', en: 'Enterprise demands only' },
  overdueOnly: { zh: '只看超期', en: 'Overdue only' },
  number: { zh: '工单', en: 'Ticket' },
  category: { zh: '分类 / 区域', en: 'Category / region' },
  unit: { zh: '承办单位', en: 'Unit' },
  status: { zh: '状态', en: 'Status' },
  due: { zh: '时限', en: 'Due' },
  created: { zh: '受理时间', en: 'Registered' },
  empty: { zh: '没有工单', en: 'No tickets' },
  failed: { zh: '加载失败：{message}', en: 'Could not load: {message}' },
  total: { zh: '共 {total} 件', en: '{total} tickets' },
  dispatch: { zh: '待派单', en: 'To dispatch' },
  review: { zh: '待审核', en: 'To review' },
  callback: { zh: '待回访', en: 'To call back' },
  extensions: { zh: '延期审批', en: 'Extensions' },
  open: { zh: '在办', en: 'In progress' },
  ledger: { zh: '全部台账', en: 'Ledger' },
  toSign: { zh: '待签收', en: 'To sign for' },
  inHand: { zh: '办理中', en: 'In hand' },
  done: { zh: '已办 / 已退', en: 'Done / returned' },
  overdue: { zh: '超期工单', en: 'Overdue' },
  escalated: { zh: '督办工单', en: 'Escalated' },
} satisfies Record<string, Text>;

interface DeskTab {
  key: string;
  label: Text;
  query: TicketQuery;
}

const TABS: Partial<Record<Role, DeskTab[]>> = {
  operator: [
    { key: 'dispatch', label: deskText.dispatch, query: { status: 'registered,returned' } },
    { key: 'review', label: deskText.review, query: { status: 'replied' } },
    { key: 'callback', label: deskText.callback, query: { status: 'reviewed', sort: 'due' } },
    { key: 'extensions', label: deskText.extensions, query: { pendingExtension: true } },
    { key: 'open', label: deskText.open, query: { status: 'dispatched,handling', sort: 'due' } },
    { key: 'ledger', label: deskText.ledger, query: {} },
  ],
  handler: [
    { key: 'to_sign', label: deskText.toSign, query: { queue: 'to_sign', sort: 'due' } },
    { key: 'in_hand', label: deskText.inHand, query: { queue: 'in_hand', sort: 'due' } },
    { key: 'done', label: deskText.done, query: { queue: 'done' } },
  ],
  supervisor: [
    { key: 'overdue', label: deskText.overdue, query: { overdue: true, sort: 'due' } },
    { key: 'escalated', label: deskText.escalated, query: { escalated: true } },
    { key: 'extensions', label: deskText.extensions, query: { pendingExtension: true } },
    { key: 'ledger', label: deskText.ledger, query: {} },
  ],
  admin: [{ key: 'ledger', label: deskText.ledger, query: {} }],
};

const INTRO: Partial<Record<Role, Text>> = {
  operator: deskText.introOperator,
  handler: deskText.introHandler,
  supervisor: deskText.introSupervisor,
  admin: deskText.introAdmin,
};

/** `/workbench/hotline`: each role's queues of tickets and the ledger. */
export function HotlineDeskPage() {
  return (
    <RequireHotlineRole roles={['operator', 'handler', 'supervisor', 'admin']}>
      <Desk />
    </RequireHotlineRole>
  );
}

function Desk() {
  const { t, lang, locale } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  useDocumentTitle(deskText.title);
  const tabs = useMemo(() => TABS[user!.role] ?? [], [user]);
  const tab = tabs.find((candidate) => candidate.key === params.get('tab')) ?? tabs[0]!;
  const q = params.get('q') ?? '';
  const enterprise = params.get('enterprise') === '1';
  const overdueOnly = params.get('overdue') === '1';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [list, setList] = useState<{ items: TicketSummary[]; total: number } | null>(null);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  const query: TicketQuery = {
    ...tab.query,
    q: q || undefined,
    enterprise: enterprise ? true : undefined,
    overdue: overdueOnly ? true : tab.query.overdue,
  };

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    listTickets(
      { ...query, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
      lang,
      controller.signal,
    ).then(
      (value) => {
        setList(value);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(messageOf(failure));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [tab.key, q, enterprise, overdueOnly, page, generation]);

  // How many wait in each queue, for the tab badges.
  useEffect(() => {
    const controller = new AbortController();
    Promise.all(
      tabs.map((candidate) =>
        listTickets({ ...candidate.query, limit: 1 }, lang, controller.signal).then(
          (reply) => [candidate.key, reply.total] as const,
        ),
      ),
    ).then(
      (pairs) => setCounts(Object.fromEntries(pairs)),
      () => undefined,
    );
    return () => controller.abort();
  }, [tabs, generation]);

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };

  const detail = (id: string) => `/workbench/hotline/tickets/${id}`;
  const dueOf = (ticket: TicketSummary) => {
    if (tab.key === 'to_sign' || ticket.status === 'dispatched') {
      return { due: ticket.signDueAt, overdue: ticket.overdue.sign };
    }
    if (ticket.status === 'reviewed')
      return { due: ticket.callbackDueAt, overdue: ticket.overdue.callback };
    return { due: ticket.finishDueAt, overdue: ticket.overdue.finish };
  };
  const columns: TableColumnsType<TicketSummary> = [
    {
      key: 'number',
      title: t(deskText.number),
      render: (_, ticket) => (
        <div className="ot-hl-name-cell">
          <Link to={detail(ticket.id)} data-testid="ticket-link">
            {ticket.title}
          </Link>
          <span className="ot-muted">
            {ticket.number} · {t(CHANNEL_LABELS[ticket.channel])}
            {ticket.enterpriseName ? ` · ${ticket.enterpriseName}` : ''}
          </span>
          <TicketTags ticket={ticket} />
        </div>
      ),
    },
    {
      key: 'category',
      title: t(deskText.category),
      render: (_, ticket) => (
        <div className="ot-hl-name-cell">
          <span>{t(ticket.category.name)}</span>
          <span className="ot-muted">{t(ticket.region.name)}</span>
        </div>
      ),
      responsive: ['md'],
    },
    {
      key: 'unit',
      title: t(deskText.unit),
      render: (_, ticket) =>
        ticket.lead ? t(ticket.lead.name) : <span className="ot-muted">—</span>,
      responsive: ['lg'],
    },
    {
      key: 'status',
      title: t(deskText.status),
      render: (_, ticket) => <StatusTag status={ticket.status} />,
    },
    {
      key: 'due',
      title: t(deskText.due),
      render: (_, ticket) => {
        const { due, overdue } = dueOf(ticket);
        return <Due due={due} overdue={overdue} provisional={ticket.dueProvisional} short />;
      },
    },
    {
      key: 'created',
      title: t(deskText.created),
      render: (_, ticket) => (
        <span className="ot-nowrap">{formatShort(ticket.createdAt, locale)}</span>
      ),
      responsive: ['xl'],
    },
  ];

  const role = user!.role;
  return (
    <div className="ot-hl-page">
      <div className="ot-workbench-title ot-hl-title-row">
        <Typography.Title level={2}>{t(deskText.title)}</Typography.Title>
        <span className="ot-hl-spacer" />
        {role === 'operator' && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => navigate('/workbench/hotline/new')}
          >
            {t(deskText.newTicket)}
          </Button>
        )}
        {role !== 'handler' && (
          <Button
            icon={<BarChartOutlined />}
            onClick={() => navigate('/workbench/hotline/analysis')}
          >
            {t(deskText.analysis)}
          </Button>
        )}
      </div>
      <Typography.Paragraph className="ot-lead">
        {t(INTRO[role] ?? deskText.introAdmin)}
      </Typography.Paragraph>
      <Tabs
        activeKey={tab.key}
        onChange={(key) => update({ tab: key, overdue: undefined })}
        items={tabs.map((candidate) => ({
          key: candidate.key,
          label: (
            <span data-testid={`tab-${candidate.key}`}>
              {t(candidate.label)}{' '}
              {counts[candidate.key] !== undefined && candidate.key !== 'ledger' && (
                <Badge
                  count={counts[candidate.key]}
                  showZero
                  color={counts[candidate.key] ? '#1b5fbf' : '#bfbfbf'}
                  overflowCount={999}
                />
              )}
            </span>
          ),
        }))}
      />
      <div className="ot-hl-toolbar">
        <Input.Search
          allowClear
          defaultValue={q}
          placeholder={t(deskText.search)}
          onSearch={(value) => update({ q: value.trim() || undefined })}
          className="ot-hl-search"
        />
        <Checkbox
          checked={enterprise}
          onChange={(e) => update({ enterprise: e.target.checked ? '1' : undefined })}
        >
          {t(deskText.enterpriseOnly)}
        </Checkbox>
        {!tab.query.overdue && (
          <Checkbox
            checked={overdueOnly}
            onChange={(e) => update({ overdue: e.target.checked ? '1' : undefined })}
          >
            {t(deskText.overdueOnly)}
          </Checkbox>
        )}
        <span className="ot-hl-spacer" />
        <Button icon={<ReloadOutlined />} onClick={() => setGeneration((g) => g + 1)}>
          {t(deskText.refresh)}
        </Button>
        {role !== 'handler' && (
          <Button icon={<DownloadOutlined />} href={exportTicketsUrl(query)}>
            {t(deskText.export)}
          </Button>
        )}
      </div>
      {error && (
        <Alert
          type="error"
          showIcon
          title={t(deskText.failed, { message: error })}
          className="ot-block"
        />
      )}
      <Table<TicketSummary>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={list?.items ?? []}
        rowClassName={(ticket) => (ticket.overdue.any ? 'ot-hl-row-overdue' : '')}
        locale={{ emptyText: t(deskText.empty) }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t(deskText.total, { total }),
          onChange: (next) => update({ page: String(next) }),
        }}
        data-testid="ticket-table"
      />
    </div>
  );
}
