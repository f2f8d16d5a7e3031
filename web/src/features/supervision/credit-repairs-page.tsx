import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, App, Button, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { useFilters } from '../../shell/use-filters';
import type { Role } from '../platform/api';
import { RequireRole } from '../applications/require-role';
import { useLoad } from '../cases/use-load';
import type { CreditRepairListed, CreditRepairState } from './api';
import { decideRepair, fetchRepairs } from './api';
import { ProblemAlert } from './draw-view';
import { REPAIR_STATE_COLORS, REPAIR_STATE_LABELS, supervisionText } from './labels';
import './supervision.css';

const PAGE_SIZE = 20;

/** Who reads repairs; inspectors and reviewers of the recording department decide them. */
export const REPAIR_ROLES: readonly Role[] = ['inspector', 'reviewer', 'supervisor', 'admin'];
const DECIDERS: readonly Role[] = ['inspector', 'reviewer'];
const STATES = Object.keys(REPAIR_STATE_LABELS) as CreditRepairState[];

const text = {
  title: { zh: '信用修复', en: 'Credit repair' },
  intro: {
    zh: '本部门认定的失信记录的修复申请：核实纠正情况后在 5 个工作日内作出决定；同意修复的记录立即停止公示、不再计入信用评分。',
    en: 'Repair applications for records your department decided: check the correction and decide within 5 working days; an approved record stops being published and scored at once.',
  },
  allStates: { zh: '全部状态', en: 'All states' },
  subject: { zh: '信用主体', en: 'Subject' },
  record: { zh: '信用记录', en: 'Record' },
  statement: { zh: '纠正情况说明', en: 'Statement' },
  due: { zh: '决定期限', en: 'Decide by' },
  overdue: { zh: '已超期', en: 'Overdue' },
  action: { zh: '决定', en: 'Decision' },
  approve: { zh: '同意修复', en: 'Approve' },
  reject: { zh: '不予修复', en: 'Reject' },
  note: { zh: '说明（不予修复时必填）', en: 'Note (required to reject)' },
  confirm: { zh: '确定', en: 'Confirm' },
  cancel: { zh: '取消', en: 'Cancel' },
  decided: { zh: '已作出决定', en: 'Decided' },
  empty: { zh: '没有符合条件的修复申请', en: 'No repair application matches' },
} satisfies Record<string, Text>;

/** `/workbench/credit-repairs` (and `/:id`, from the department's message): the repair queue. */
export function CreditRepairsPage() {
  return (
    <RequireRole roles={REPAIR_ROLES}>
      <CreditRepairs />
    </RequireRole>
  );
}

function CreditRepairs() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const { id: focus } = useParams();
  const { params, update } = useFilters();
  useDocumentTitle(text.title);
  const stateParam = params.get('state') as CreditRepairState | null;
  const state = stateParam && STATES.includes(stateParam) ? stateParam : undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const query = { state, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const { state: list, reload } = useLoad(JSON.stringify(query), (lang, signal) =>
    fetchRepairs(query, lang, signal),
  );
  const [deciding, setDeciding] = useState<{ repair: CreditRepairListed; approve: boolean } | null>(
    null,
  );
  const decider = !!user && DECIDERS.includes(user.role);

  const columns: TableColumnsType<CreditRepairListed> = [
    {
      key: 'subject',
      title: t(text.subject),
      render: (_, r) => (
        <div className="ot-sv-cell">
          <span data-testid="repair-subject">{r.subjectName}</span>
          <span className="ot-muted ot-sv-nowrap">{formatTime(r.createdAt, locale)}</span>
        </div>
      ),
    },
    {
      key: 'record',
      title: t(text.record),
      render: (_, r) => (
        <div className="ot-sv-cell">
          <span>{r.record.title}</span>
          <span>
            <Tag color="red">{t(r.record.kindName)}</Tag>
            <Tag>{t(r.record.severityName)}</Tag>
          </span>
        </div>
      ),
    },
    {
      key: 'statement',
      title: t(text.statement),
      render: (_, r) => <span className="ot-sv-clip">{r.statement}</span>,
      responsive: ['lg'],
    },
    {
      key: 'state',
      title: t(supervisionText.state),
      render: (_, r) => (
        <div className="ot-sv-cell">
          <span>
            <Tag
              color={REPAIR_STATE_COLORS[r.state]}
              data-testid="repair-queue-state"
              data-state={r.state}
            >
              {t(r.stateName)}
            </Tag>
          </span>
          {r.decisionNote && <span className="ot-muted">{r.decisionNote}</span>}
        </div>
      ),
    },
    {
      key: 'due',
      title: t(text.due),
      render: (_, r) => (
        <span className="ot-sv-due">
          <span className="ot-sv-nowrap">{formatTime(r.dueAt, locale)}</span>
          {r.overdue && <Tag color="red">{t(text.overdue)}</Tag>}
        </span>
      ),
      responsive: ['md'],
    },
    ...(decider
      ? [
          {
            key: 'action',
            title: t(text.action),
            render: (_: unknown, r: CreditRepairListed) =>
              r.state === 'submitted' ? (
                <Space wrap>
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => setDeciding({ repair: r, approve: true })}
                    data-testid={`approve-${r.id}`}
                  >
                    {t(text.approve)}
                  </Button>
                  <Button
                    size="small"
                    danger
                    onClick={() => setDeciding({ repair: r, approve: false })}
                    data-testid={`reject-${r.id}`}
                  >
                    {t(text.reject)}
                  </Button>
                </Space>
              ) : (
                <span className="ot-muted">{formatTime(r.decidedAt, locale)}</span>
              ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="credit-repairs">
      <div className="ot-workbench-title">
        <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      </div>
      <Typography.Paragraph className="ot-lead">{t(text.intro)}</Typography.Paragraph>
      <div className="ot-sv-toolbar">
        <Select
          value={state ?? ''}
          onChange={(v: string) => update({ state: v || undefined })}
          aria-label={t(supervisionText.state)}
          style={{ minWidth: 150 }}
          popupMatchSelectWidth={false}
          options={[
            { value: '', label: t(text.allStates) },
            ...STATES.map((s) => ({ value: s, label: t(REPAIR_STATE_LABELS[s]) })),
          ]}
        />
        <span className="ot-sv-spacer" />
        <Button icon={<ReloadOutlined />} onClick={reload}>
          {t(supervisionText.refresh)}
        </Button>
      </div>
      {list.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(supervisionText.loadFailed, { message: list.message })}
        />
      )}
      <Table<CreditRepairListed>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.value?.items ?? []}
        loading={list.status === 'loading'}
        locale={{ emptyText: t(text.empty) }}
        rowClassName={(r) => (r.id === focus ? 'ot-sv-row ot-sv-row-focus' : 'ot-sv-row')}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.value?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (total) => t(supervisionText.total, { total }),
          onChange: (next) => update({ page: next > 1 ? String(next) : undefined }),
        }}
      />
      {deciding && (
        <DecisionDialog
          repair={deciding.repair}
          approve={deciding.approve}
          onClose={() => setDeciding(null)}
          onDone={() => {
            setDeciding(null);
            reload();
          }}
        />
      )}
    </div>
  );
}

function DecisionDialog({
  repair,
  approve,
  onClose,
  onDone,
}: {
  repair: CreditRepairListed;
  approve: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await decideRepair(
        repair.id,
        { approve, ...(note.trim() ? { note: note.trim() } : {}) },
        lang,
      );
      void message.success(t(text.decided));
      onDone();
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={`${t(approve ? text.approve : text.reject)} · ${repair.subjectName}`}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t(text.cancel)}
        </Button>,
        <Button
          key="ok"
          type="primary"
          danger={!approve}
          loading={busy}
          disabled={!approve && note.trim().length === 0}
          onClick={submit}
          data-testid="decision-confirm"
        >
          {t(text.confirm)}
        </Button>,
      ]}
    >
      <Typography.Paragraph strong>{repair.record.title}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">{repair.statement}</Typography.Paragraph>
      <Input.TextArea
        value={note}
        onChange={(e) => setNote(e.target.value)}
        rows={3}
        maxLength={1000}
        aria-label={t(text.note)}
        placeholder={t(text.note)}
        data-testid="decision-note"
      />
      <ProblemAlert error={error} />
    </Modal>
  );
}
