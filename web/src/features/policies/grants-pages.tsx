import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Input,
  Modal,
  Result,
  Select,
  Space,
  Spin,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { useFilters } from '../../shell/use-filters';
import { RequireRole } from '../applications/require-role';
import { useLoad } from '../cases/use-load';
import { ProblemList } from '../catalog/admin-common';
import type { ErrorDetail, Role } from '../platform/api';
import { ApiError } from '../platform/api';
import type { GrantAction, GrantDetail, GrantState, GrantView } from './api';
import { actOnGrant, fetchGrant, listGrants } from './api';
import { Amount, GrantDue, GrantLedger, GrantStateTag } from './grant-parts';
import { GRANT_ACTIONS, GRANT_STATE_LABELS, GRANT_STATES, policyText } from './labels';
import './policies.css';

const PAGE_SIZE = 20;

/** Who reads grants in the workbench: the department's staff, supervisors, administrators. */
export const GRANT_ROLES: readonly Role[] = ['clerk', 'reviewer', 'supervisor', 'admin'];
/** Who acts on them: the issuing department's staff. */
const HANDLER_ROLES: readonly Role[] = ['clerk', 'reviewer'];

const text = {
  title: { zh: '政策兑现', en: 'Policy grants' },
  intro: {
    zh: '免申即享和静默认证政策经数据比对生成的兑现：请在兑现期限内确认并拨付，不符合的说明理由不予兑现。每一步都记入兑现台账并通知当事人。',
    en: 'Grants made by data comparison for policies granted without applying: confirm and pay them before they are due, or reject them with a reason. Every step goes to the ledger and is told to the subject.',
  },
  allStates: { zh: '全部状态', en: 'All states' },
  overdueOnly: { zh: '只看逾期', en: 'Overdue only' },
  empty: { zh: '没有符合条件的兑现', en: 'No grants match' },
  total: { zh: '共 {total} 条', en: '{total} in all' },
  back: { zh: '返回兑现列表', en: 'Back to the grants' },
  notFound: { zh: '没有找到这条兑现记录', en: 'No such grant' },
  notFoundBody: {
    zh: '兑现记录不存在，或不属于您的部门或区域。',
    en: 'It does not exist or is not of your department or region.',
  },
  actions: { zh: '办理', en: 'Actions' },
  noActions: { zh: '当前状态下没有可执行的操作。', en: 'There is nothing to do on this now.' },
  staffOnly: {
    zh: '由政策发布部门的工作人员确认和拨付。',
    en: "The issuing department's staff confirm and pay it.",
  },
  confirmTitle: {
    zh: '确认兑现「{policy}」给 {subject}？',
    en: 'Confirm the grant of "{policy}" to {subject}?',
  },
  confirmBody: {
    zh: '确认后进入待拨付，请在期限内完成拨付。',
    en: 'It then awaits payment; pay it before it is due.',
  },
  payTitle: { zh: '拨付 {amount}', en: 'Pay {amount}' },
  payHint: {
    zh: '填写国库集中支付或银行转账的凭证号',
    en: 'The reference of the treasury payment or bank transfer',
  },
  rejectTitle: { zh: '不予兑现', en: 'Reject the grant' },
  rejectHint: {
    zh: '说明不予兑现的理由，将告知当事人',
    en: 'Why it is rejected; the subject is told',
  },
  needed: { zh: '请填写{field}', en: 'Enter {field}' },
  reason: { zh: '理由', en: 'reason' },
  cancel: { zh: '取消', en: 'Cancel' },
  done: { zh: '已{action}', en: 'Done: {action}' },
  policySummary: { zh: '政策内容', en: 'The policy' },
  identifier: { zh: '证件号码', en: 'Identifier' },
  confirmedAt: { zh: '确认时间', en: 'Confirmed' },
  paidAt: { zh: '拨付时间', en: 'Paid' },
} satisfies Record<string, Text>;

/** `/workbench/policy-grants`: the queue of grants. */
export function GrantQueuePage() {
  return (
    <RequireRole roles={GRANT_ROLES}>
      <GrantQueue />
    </RequireRole>
  );
}

function GrantQueue() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { params, update } = useFilters();
  useDocumentTitle(text.title);
  const stateParam = params.get('state') as GrantState | null;
  const state = stateParam && GRANT_STATES.includes(stateParam) ? stateParam : undefined;
  const overdue = params.get('overdue') === 'true';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const query = { state, overdue, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const { state: list, reload } = useLoad(JSON.stringify(query), (lang, signal) =>
    listGrants(query, lang, signal),
  );
  const detail = (id: string) => `/workbench/policy-grants/${id}`;
  const columns: TableColumnsType<GrantView> = [
    {
      key: 'subject',
      title: t(policyText.subject),
      render: (_, g) => (
        <div className="ot-pol-cell">
          <Link to={detail(g.id)} data-testid="grant-link">
            {g.subject.name}
          </Link>
          <span className="ot-muted">{g.number}</span>
        </div>
      ),
    },
    {
      key: 'policy',
      title: t(policyText.policy),
      render: (_, g) => (
        <div className="ot-pol-cell">
          <span>{t(g.policy.name)}</span>
          <span className="ot-muted">{t(g.policy.modeName)}</span>
        </div>
      ),
      responsive: ['md'],
    },
    {
      key: 'amount',
      title: t(policyText.amount),
      render: (_, g) => <Amount amount={g.amount} />,
      align: 'right',
    },
    { key: 'state', title: t(policyText.state), render: (_, g) => <GrantStateTag grant={g} /> },
    { key: 'due', title: t(policyText.due), render: (_, g) => <GrantDue grant={g} /> },
  ];
  const value = list.value;
  return (
    <div data-testid="grant-queue">
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      </div>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      <div className="ot-catalog-toolbar">
        <Select
          value={state ?? ''}
          onChange={(v: string) => update({ state: v || undefined })}
          aria-label={t(policyText.state)}
          style={{ minWidth: 150 }}
          popupMatchSelectWidth={false}
          options={[
            { value: '', label: t(text.allStates) },
            ...GRANT_STATES.map((s) => ({ value: s, label: t(GRANT_STATE_LABELS[s]) })),
          ]}
          data-testid="grant-state-filter"
        />
        <Checkbox
          checked={overdue}
          onChange={(e) => update({ overdue: e.target.checked ? 'true' : undefined })}
          data-testid="grant-overdue-filter"
        >
          {t(text.overdueOnly)}
        </Checkbox>
        <span className="ot-catalog-toolbar-spacer" />
        <Button icon={<ReloadOutlined />} onClick={reload}>
          {t(policyText.refresh)}
        </Button>
      </div>
      {list.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(policyText.loadFailed, { message: list.message })}
        />
      )}
      <Table<GrantView>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={value?.items ?? []}
        loading={list.status === 'loading'}
        locale={{ emptyText: t(text.empty) }}
        rowClassName={(g) => (g.overdue ? 'ot-pol-row ot-pol-row-overdue' : 'ot-pol-row')}
        onRow={(g) => ({
          onClick: (event) => {
            if ((event.target as HTMLElement).closest('a')) return;
            navigate(detail(g.id));
          },
        })}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: value?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (total) => t(text.total, { total }),
          onChange: (next) => update({ page: next > 1 ? String(next) : undefined }),
        }}
      />
    </div>
  );
}

/** `/workbench/policy-grants/:id`: one grant, its ledger, and the department's actions. */
export function GrantDetailPage() {
  return (
    <RequireRole roles={GRANT_ROLES}>
      <GrantDetailView />
    </RequireRole>
  );
}

function GrantDetailView() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const { state, reload, set } = useLoad<GrantDetail>(id, (lang, signal) =>
    fetchGrant(id, lang, signal),
  );
  const grant = state.value;
  useDocumentTitle(grant ? grant.policy.name : text.title);
  const back = (
    <Button
      type="link"
      icon={<ArrowLeftOutlined />}
      onClick={() => navigate('/workbench/policy-grants')}
      className="ot-app-back"
    >
      {t(text.back)}
    </Button>
  );
  if (!grant && state.status === 'error') {
    const missing = state.httpStatus === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={t(missing ? text.notFound : policyText.loadFailed, { message: state.message })}
        subTitle={missing ? t(text.notFoundBody) : undefined}
        extra={back}
      />
    );
  }
  if (!grant)
    return (
      <div className="ot-centered" role="status">
        <Spin size="large" />
      </div>
    );
  const handler = !!user && HANDLER_ROLES.includes(user.role);
  return (
    <div data-testid="grant-page" data-state={grant.state}>
      {back}
      <div className="ot-workbench-title ot-pol-editor-title">
        <Typography.Title level={2}>{t(grant.policy.name)}</Typography.Title>
        <GrantStateTag grant={grant} />
        <span className="ot-catalog-toolbar-spacer" />
        <Button icon={<ReloadOutlined />} onClick={reload}>
          {t(policyText.refresh)}
        </Button>
      </div>
      <div className="ot-pol-detail-grid">
        <div>
          <Card className="ot-block" size="small">
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'number', label: t(policyText.grantNumber), children: grant.number },
                {
                  key: 'subject',
                  label: t(policyText.subject),
                  children: <span data-testid="grant-subject">{grant.subject.name}</span>,
                },
                {
                  key: 'identifier',
                  label: t(text.identifier),
                  children: grant.subject.identifier,
                },
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
                ...(grant.confirmedAt
                  ? [
                      {
                        key: 'confirmedAt',
                        label: t(text.confirmedAt),
                        children: formatTime(grant.confirmedAt, locale),
                      },
                    ]
                  : []),
                ...(grant.paidAt
                  ? [
                      {
                        key: 'paidAt',
                        label: t(text.paidAt),
                        children: formatTime(grant.paidAt, locale),
                      },
                    ]
                  : []),
                ...(grant.paymentRef
                  ? [
                      {
                        key: 'ref',
                        label: t(policyText.paymentRef),
                        children: <span data-testid="grant-payment-ref">{grant.paymentRef}</span>,
                      },
                    ]
                  : []),
                ...(grant.note
                  ? [{ key: 'note', label: t(policyText.note), children: grant.note }]
                  : []),
                { key: 'policy', label: t(text.policySummary), children: t(grant.policySummary) },
              ]}
            />
          </Card>
          <GrantActions grant={grant} handler={handler} onDone={set} />
        </div>
        <Card title={t(policyText.ledger)} className="ot-block" size="small">
          <GrantLedger ledger={grant.ledger} />
        </Card>
      </div>
    </div>
  );
}

/** 确认 / 拨付 / 不予兑现, each behind a dialog, sending the version the page shows. */
function GrantActions({
  grant,
  handler,
  onDone,
}: {
  grant: GrantDetail;
  handler: boolean;
  onDone: (g: GrantDetail) => void;
}) {
  const { t, lang, locale } = useI18n();
  const { message, modal } = App.useApp();
  const [dialog, setDialog] = useState<'pay' | 'reject' | null>(null);
  const [input, setInput] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState<GrantAction | null>(null);
  const [problems, setProblems] = useState<ErrorDetail[]>([]);
  const may = (action: GrantAction) =>
    (GRANT_ACTIONS[action].from as readonly string[]).includes(grant.state);
  const actions = (['confirm', 'pay', 'reject'] as const).filter(may);

  async function act(action: GrantAction, extra: { note?: string; paymentRef?: string } = {}) {
    setBusy(action);
    setProblems([]);
    try {
      const next = await actOnGrant(grant.id, action, { version: grant.version, ...extra }, lang);
      void message.success(t(text.done, { action: t(GRANT_ACTIONS[action].label) }));
      onDone(next);
      return true;
    } catch (failure) {
      setProblems(
        failure instanceof ApiError
          ? failure.details.length
            ? failure.details
            : [{ path: '', rule: failure.code, message: failure.message }]
          : [{ path: '', rule: 'client', message: String(failure) }],
      );
      return false;
    } finally {
      setBusy(null);
    }
  }

  const open = (which: 'pay' | 'reject') => {
    setInput('');
    setMissing(false);
    setDialog(which);
  };

  return (
    <Card title={t(text.actions)} className="ot-block" size="small" data-testid="grant-actions">
      {!handler ? (
        <Typography.Paragraph type="secondary">{t(text.staffOnly)}</Typography.Paragraph>
      ) : actions.length === 0 ? (
        <Typography.Paragraph type="secondary">{t(text.noActions)}</Typography.Paragraph>
      ) : (
        <Space wrap>
          {may('confirm') && (
            <Button
              type="primary"
              loading={busy === 'confirm'}
              data-testid="grant-confirm"
              onClick={() =>
                modal.confirm({
                  title: t(text.confirmTitle, {
                    policy: t(grant.policy.name),
                    subject: grant.subject.name,
                  }),
                  content: t(text.confirmBody),
                  okText: t(GRANT_ACTIONS.confirm.label),
                  cancelText: t(text.cancel),
                  onOk: () => void act('confirm'),
                })
              }
            >
              {t(GRANT_ACTIONS.confirm.label)}
            </Button>
          )}
          {may('pay') && (
            <Button
              type="primary"
              loading={busy === 'pay'}
              onClick={() => open('pay')}
              data-testid="grant-pay"
            >
              {t(GRANT_ACTIONS.pay.label)}
            </Button>
          )}
          {may('reject') && (
            <Button
              danger
              loading={busy === 'reject'}
              onClick={() => open('reject')}
              data-testid="grant-reject"
            >
              {t(GRANT_ACTIONS.reject.label)}
            </Button>
          )}
        </Space>
      )}
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          className="ot-block ot-pol-action-error"
          title={<ProblemList details={problems} />}
          data-testid="grant-error"
        />
      )}
      <Modal
        open={dialog !== null}
        title={
          dialog === 'pay'
            ? t(text.payTitle, {
                amount:
                  grant.amount === null
                    ? ''
                    : `${grant.amount.toLocaleString(locale)} ${t({ zh: '元', en: 'yuan' })}`,
              })
            : t(text.rejectTitle)
        }
        okText={dialog ? t(GRANT_ACTIONS[dialog].label) : ''}
        okButtonProps={{ danger: dialog === 'reject', loading: busy !== null }}
        cancelText={t(text.cancel)}
        onCancel={() => setDialog(null)}
        onOk={async () => {
          const value = input.trim();
          if (!value) {
            setMissing(true);
            return;
          }
          const ok = await act(dialog!, dialog === 'pay' ? { paymentRef: value } : { note: value });
          if (ok) setDialog(null);
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {t(dialog === 'pay' ? text.payHint : text.rejectHint)}
        </Typography.Paragraph>
        {dialog === 'pay' ? (
          <Input
            value={input}
            onChange={(e) => {
              setInput(e.target.value);
              setMissing(false);
            }}
            maxLength={80}
            status={missing ? 'error' : undefined}
            aria-label={t(policyText.paymentRef)}
            placeholder={t(policyText.paymentRef)}
            data-testid="grant-payment-input"
          />
        ) : (
          <Input.TextArea
            value={input}
            onChange={(e) => {
              setInput(e.target.value);
              setMissing(false);
            }}
            maxLength={1000}
            autoSize={{ minRows: 3, maxRows: 6 }}
            status={missing ? 'error' : undefined}
            aria-label={t(text.reason)}
            data-testid="grant-reject-input"
          />
        )}
        {missing && (
          <Typography.Text type="danger">
            {t(text.needed, { field: t(dialog === 'pay' ? policyText.paymentRef : text.reason) })}
          </Typography.Text>
        )}
        {problems.length > 0 && <ProblemList details={problems} />}
      </Modal>
    </Card>
  );
}
