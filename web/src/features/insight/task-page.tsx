import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useDocumentTitle, useI18n, type Text } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { ApiError, fieldOfPath } from '../platform/api';
import { RequireRole } from '../applications/require-role';
import { useLoad } from '../cases/use-load';
import {
  decideTask,
  fetchTask,
  reportProgress,
  type ProgressInput,
  type ReportStatus,
  type ReportView,
  type TaskDetail,
} from './api';
import {
  LEDGER_ROLES,
  REPORT_STATUS_LABELS,
  REPORT_STATUSES,
  STATUS_COLORS,
  WEEKLY_WITHIN_DAYS,
  ledgerText,
} from './labels';
import { TaskTags } from './list-page';
import './ledger.css';

const text = {
  document: { zh: '所属文件', en: 'Document' },
  number: { zh: '编号', en: 'Number' },
  section: { zh: '所属部分', en: 'Section' },
  due: { zh: '完成时限', en: 'Due' },
  // the deadlines as the document words them (Chinese phrases), in the reader's punctuation
  asWritten: { zh: '（原文时限：{phrases}）', en: ' (as written: {phrases})' },
  unitDepartment: { zh: '（{name}）', en: ' ({name})' },
  cadence: { zh: '报送频次', en: 'Reporting' },
  weekly: { zh: '每周报送（本期 {period}）', en: 'Weekly (this period {period})' },
  monthly: { zh: '每月报送（本期 {period}）', en: 'Monthly (this period {period})' },
  cadenceRule: {
    zh: '距完成时限 {days} 天以内或已逾期的任务每周报送，其余每月报送。',
    en: 'Tasks within {days} days of their due date, or past it, report weekly; others monthly.',
  },
  targets: { zh: '指标', en: 'Targets' },
  state: { zh: '状态', en: 'State' },
  text: { zh: '任务原文', en: 'Text of the measure' },
  units: { zh: '责任单位', en: 'Units' },
  lead: { zh: '牵头', en: 'Lead' },
  responsible: { zh: '责任', en: 'Responsible' },
  unmapped: { zh: '未对应平台部门', en: 'No platform department' },
  history: { zh: '进展记录', en: 'Progress history' },
  noReports: { zh: '尚无进展报送', en: 'No progress reported yet' },
  period: { zh: '周期', en: 'Period' },
  status: { zh: '进展状态', en: 'Status' },
  percent: { zh: '完成比例', en: 'Percent done' },
  note: { zh: '进展情况', en: 'Progress' },
  evidence: { zh: '佐证材料', en: 'Evidence' },
  links: { zh: '佐证链接（每行一个）', en: 'Evidence links (one per line)' },
  reporter: { zh: '报送人', en: 'Reporter' },
  report: { zh: '报送进展', en: 'Report progress' },
  reportAs: { zh: '报送单位', en: 'Reporting for' },
  reportHint: {
    zh: '同一单位同一周期再次报送将覆盖本期记录。状态为“已完成”时完成比例须为 100%。',
    en: 'Reporting again for the same unit and period replaces that report. A completed report says 100%.',
  },
  submit: { zh: '提交', en: 'Submit' },
  reported: { zh: '进展已报送', en: 'Progress reported' },
  supervise: { zh: '督办销号', en: 'Tick-off' },
  decisionNote: { zh: '核验说明', en: 'Note' },
  tickOff: { zh: '销号', en: 'Tick off' },
  reopen: { zh: '恢复推进', en: 'Reopen' },
  tickOffHint: {
    zh: '只有最新进展为“已完成”的任务可以销号。',
    en: 'Only a task whose latest report says completed can be ticked off.',
  },
  doneAt: { zh: '已于 {at} 销号：{note}', en: 'Ticked off on {at}: {note}' },
  decided: { zh: '已保存', en: 'Saved' },
} satisfies Record<string, Text>;

/** `/workbench/ledger/tasks/:id`: a reform task, its history, reporting and tick-off. */
export function LedgerTaskPage() {
  return (
    <RequireRole roles={LEDGER_ROLES}>
      <LedgerTask />
    </RequireRole>
  );
}

function LedgerTask() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { state, reload } = useLoad(id, (lang, signal) => fetchTask(id, lang, signal));
  useDocumentTitle(
    state.value ? { zh: state.value.title, en: state.value.title } : ledgerText.title,
  );
  const task = state.value;
  if (state.status === 'error' && !task)
    return (
      <Alert type="error" showIcon title={t(ledgerText.loadFailed, { message: state.message })} />
    );
  if (!task) return null;
  return (
    <div data-testid="ledger-task" data-state={task.state}>
      <div className="ot-workbench-title">
        <Typography.Title level={2}>
          <span className="ot-ledger-path">{task.path.join('.')}</span>
          {task.title}
        </Typography.Title>
        <Link to="/workbench/ledger">
          <Button>{t(ledgerText.back)}</Button>
        </Link>
      </div>
      <Summary task={task} />
      <Card title={t(text.text)} className="ot-block">
        <Typography.Paragraph className="ot-ledger-text">{task.text}</Typography.Paragraph>
      </Card>
      {task.can.report.length > 0 && <ReportForm task={task} onDone={reload} />}
      {task.can.supervise && <DecisionCard task={task} onDone={reload} />}
      <History reports={task.reports} />
    </div>
  );
}

function Summary({ task }: { task: TaskDetail }) {
  const { t, lang, locale } = useI18n();
  return (
    <Card className="ot-block">
      <Descriptions column={{ xs: 1, md: 2 }} size="small">
        <Descriptions.Item label={t(text.document)} span={2}>
          {task.document.letter ? `${task.document.letter} · ` : ''}
          {task.document.title}
          {task.document.number && <span className="ot-muted"> {task.document.number}</span>}
        </Descriptions.Item>
        <Descriptions.Item label={t(text.section)} span={2}>
          {task.headings.join(' › ') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t(text.state)}>
          <TaskTags task={task} />
        </Descriptions.Item>
        <Descriptions.Item label={t(text.due)}>
          <span data-testid="task-due">{task.dueOn ?? t(ledgerText.ongoing)}</span>
          {task.deadlines.length > 0 && (
            <span className="ot-muted">
              {' '}
              {t(text.asWritten, {
                phrases: task.deadlines.map((d) => d.phrase).join(lang === 'zh' ? '；' : '; '),
              })}
            </span>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t(text.cadence)} span={2}>
          {t(task.cadence === 'weekly' ? text.weekly : text.monthly, {
            period: task.currentPeriod,
          })}
          <span className="ot-muted"> {t(text.cadenceRule, { days: WEEKLY_WITHIN_DAYS })}</span>
        </Descriptions.Item>
        {task.targets.length > 0 && (
          <Descriptions.Item label={t(text.targets)} span={2}>
            {task.targets.map((target) => (
              <Tag key={target}>{target}</Tag>
            ))}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t(text.units)} span={2}>
          <Space wrap>
            {task.units.map((u) => (
              <Tag key={u.name} color={u.role === 'lead' ? 'blue' : undefined}>
                {t(u.role === 'lead' ? text.lead : text.responsible)} · {u.name}
                {u.departmentName ? t(text.unitDepartment, { name: t(u.departmentName) }) : ''}
              </Tag>
            ))}
          </Space>
        </Descriptions.Item>
        {task.state === 'done' && task.doneAt && (
          <Descriptions.Item label={t(text.tickOff)} span={2}>
            {t(text.doneAt, { at: formatTime(task.doneAt, locale), note: task.doneNote ?? '' })}
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}

interface ReportFields {
  unit: string;
  period: string;
  status: ReportStatus;
  percent: number;
  note: string;
  evidenceText?: string;
  links?: string;
}

/** Shows an API error on the form's fields it names, or as a message. */
function useErrorsOn<T>(form: ReturnType<typeof Form.useForm<T>>[0]) {
  const { message } = App.useApp();
  return (error: unknown) => {
    if (error instanceof ApiError && error.details.length > 0) {
      form.setFields(
        error.details.map((d) => {
          const field = fieldOfPath(d.path);
          const name = field.startsWith('evidence.links')
            ? 'links'
            : field.startsWith('evidence')
              ? 'evidenceText'
              : field;
          return { name: name as never, errors: [d.message] };
        }),
      );
    }
    void message.error(error instanceof Error ? error.message : String(error));
  };
}

function ReportForm({ task, onDone }: { task: TaskDetail; onDone: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReportFields>();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const showError = useErrorsOn(form);
  const submit = async (fields: ReportFields) => {
    const input: ProgressInput = {
      unit: fields.unit,
      period: fields.period,
      status: fields.status,
      percent: fields.percent,
      note: fields.note,
      evidence: {
        text: fields.evidenceText ?? '',
        links: (fields.links ?? '')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      },
    };
    setBusy(true);
    try {
      await reportProgress(task.id, input, key, lang);
      setKey(crypto.randomUUID());
      void message.success(t(text.reported));
      form.resetFields(['note', 'evidenceText', 'links']);
      onDone();
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t(text.report)} className="ot-block" data-testid="report-form">
      <Typography.Paragraph className="ot-muted">{t(text.reportHint)}</Typography.Paragraph>
      <Form<ReportFields>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          unit: task.can.report[0],
          period: task.currentPeriod,
          status: 'on_track',
          percent: task.lastPercent ?? 0,
        }}
      >
        <Space wrap align="start">
          <Form.Item name="unit" label={t(text.reportAs)} rules={[{ required: true }]}>
            <Select
              style={{ minWidth: 200 }}
              options={task.can.report.map((u) => ({ value: u, label: u }))}
            />
          </Form.Item>
          <Form.Item name="period" label={t(text.period)} rules={[{ required: true }]}>
            <Input style={{ width: 120 }} data-testid="report-period" />
          </Form.Item>
          <Form.Item name="status" label={t(text.status)} rules={[{ required: true }]}>
            <Select
              style={{ minWidth: 150 }}
              data-testid="report-status"
              options={REPORT_STATUSES.map((s) => ({
                value: s,
                label: t(REPORT_STATUS_LABELS[s]),
              }))}
              onChange={(s: ReportStatus) =>
                s === 'completed' && form.setFieldValue('percent', 100)
              }
            />
          </Form.Item>
          <Form.Item name="percent" label={t(text.percent)} rules={[{ required: true }]}>
            <InputNumber min={0} max={100} suffix="%" data-testid="report-percent" />
          </Form.Item>
        </Space>
        <Form.Item name="note" label={t(text.note)} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={3} maxLength={2000} showCount data-testid="report-note" />
        </Form.Item>
        <Form.Item name="evidenceText" label={t(text.evidence)}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="links" label={t(text.links)}>
          <Input.TextArea rows={2} placeholder="https://" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="report-submit">
          {t(text.submit)}
        </Button>
      </Form>
    </Card>
  );
}

function DecisionCard({ task, onDone }: { task: TaskDetail; onDone: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note: string }>();
  const [busy, setBusy] = useState(false);
  const showError = useErrorsOn(form);
  const decide = async (action: 'tick-off' | 'reopen') => {
    const { note } = await form.validateFields();
    setBusy(true);
    try {
      await decideTask(task.id, action, { note, version: task.version }, lang);
      void message.success(t(text.decided));
      form.resetFields();
      onDone();
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t(text.supervise)} className="ot-block" data-testid="decision-card">
      {!task.can.tickOff && task.state === 'open' && (
        <Alert type="info" showIcon className="ot-block" title={t(text.tickOffHint)} />
      )}
      <Form form={form} layout="vertical">
        <Form.Item name="note" label={t(text.decisionNote)} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={2} maxLength={500} data-testid="decision-note" />
        </Form.Item>
        {task.state === 'open' ? (
          <Button
            type="primary"
            disabled={!task.can.tickOff}
            loading={busy}
            onClick={() => void decide('tick-off')}
            data-testid="tick-off"
          >
            {t(text.tickOff)}
          </Button>
        ) : (
          <Button danger loading={busy} onClick={() => void decide('reopen')} data-testid="reopen">
            {t(text.reopen)}
          </Button>
        )}
      </Form>
    </Card>
  );
}

function History({ reports }: { reports: ReportView[] }) {
  const { t, locale } = useI18n();
  const columns: TableColumnsType<ReportView> = [
    { key: 'period', title: t(text.period), dataIndex: 'period' },
    { key: 'unit', title: t(text.reportAs), dataIndex: 'unitName', responsive: ['md'] },
    {
      key: 'status',
      title: t(text.status),
      render: (_, r) => (
        <Tag color={STATUS_COLORS[r.status]} data-status={r.status}>
          {t(REPORT_STATUS_LABELS[r.status])} · {r.percent}%
        </Tag>
      ),
    },
    {
      key: 'note',
      title: t(text.note),
      render: (_, r) => (
        <div className="ot-ledger-cell">
          <span>{r.note}</span>
          {r.evidence.text && <span className="ot-muted">{r.evidence.text}</span>}
          {r.evidence.links.map((link) => (
            <a key={link} href={link} target="_blank" rel="noreferrer noopener">
              {link}
            </a>
          ))}
        </div>
      ),
    },
    {
      key: 'reporter',
      title: t(text.reporter),
      responsive: ['lg'],
      render: (_, r) => (
        <div className="ot-ledger-cell">
          <span>{r.reporter}</span>
          <span className="ot-muted ot-nowrap">{formatTime(r.reportedAt, locale)}</span>
        </div>
      ),
    },
  ];
  return (
    <Card title={t(text.history)} className="ot-block">
      <Table<ReportView>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={reports}
        pagination={false}
        locale={{ emptyText: t(text.noReports) }}
        data-testid="report-history"
      />
    </Card>
  );
}
