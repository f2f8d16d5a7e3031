import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row,
  Select,
  Spin,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { ArrowLeftOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { roleLabels } from '../platform/roles';
import { ApiError, fieldOfPath } from '../platform/api';
import type { Role } from '../platform/api';
import type { Category, TicketAction, TicketDetail } from './api';
import { attachFile, fetchCategories, fetchDepartments, fetchTicket, ticketAction } from './api';
import { Due, messageOf, RequireHotlineRole, StatusTag, TicketTags } from './components';
import {
  ACTION_LABELS,
  CHANNEL_LABELS,
  EVENT_LABELS,
  KIND_LABELS,
  REASON_LABELS,
  RESOLUTION_LABELS,
  SATISFACTION_LABELS,
  SATISFACTIONS,
} from './labels';
import { formatTime } from '../../shell/time';
import './hotline.css';

export const ticketText = {
  back: { zh: '返回工单列表', en: 'Back to the tickets' },
  loading: { zh: '正在加载工单…', en: 'Loading the ticket…' },
  failed: { zh: '无法打开工单：{message}', en: 'Cannot open the ticket: {message}' },
  content: { zh: '诉求内容', en: 'Request' },
  facts: { zh: '登记信息', en: 'Registration' },
  number: { zh: '工单号', en: 'Number' },
  trackCode: { zh: '查询码（告知诉求人）', en: 'Tracking code (tell the requester)' },
  channel: { zh: '渠道', en: 'Channel' },
  category: { zh: '分类', en: 'Category' },
  region: { zh: '区域', en: 'Region' },
  address: { zh: '地址', en: 'Address' },
  createdAt: { zh: '受理时间', en: 'Registered' },
  requester: { zh: '诉求人', en: 'Requester' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  profile: { zh: '时限规则', en: 'Deadline rule' },
  attributes: { zh: '补充信息', en: 'Details' },
  masked: { zh: '已脱敏', en: 'masked' },
  anonymous: { zh: '匿名诉求', en: 'Anonymous' },
  confidential: { zh: '要求保密', en: 'Identity protected' },
  deadlines: { zh: '办理时限（工作日历）', en: 'Deadlines (working-day calendar)' },
  signDue: { zh: '签收时限', en: 'Sign for by' },
  contactDue: { zh: '联系诉求人时限', en: 'Contact the requester by' },
  finishDue: { zh: '办结时限', en: 'Reply by' },
  returnUntil: { zh: '可退单至', en: 'May be returned until' },
  callbackDue: { zh: '回访时限', en: 'Call back by' },
  done: { zh: '已完成 {at}', en: 'done {at}' },
  extended: {
    zh: '已延期 {n} 个工作日，还可延 {room} 个',
    en: 'extended by {n} working days; {room} left',
  },
  units: { zh: '承办单位', en: 'Handling units' },
  lead: { zh: '主办', en: 'Lead' },
  assist: { zh: '协办', en: 'Assisting' },
  round: { zh: '第 {n} 轮', en: 'Round {n}' },
  assignmentStatus: {
    zh: '待签收|已签收|已答复|已退单|已结束',
    en: 'to sign|signed|replied|returned|ended',
  },
  opinion: { zh: '协办意见', en: 'Opinion' },
  returnReason: { zh: '退单理由', en: 'Reason for return' },
  answer: { zh: '答复', en: 'Answer' },
  result: { zh: '办理结果', en: 'Result' },
  onTime: { zh: '按期办结', en: 'On time' },
  late: { zh: '超期办结', en: 'Late' },
  satisfaction: { zh: '满意度', en: 'Satisfaction' },
  timeline: { zh: '办理过程', en: 'History' },
  publicStep: { zh: '公开', en: 'public' },
  actions: { zh: '可执行的操作', en: 'What you can do' },
  noActions: { zh: '当前没有需要您处理的操作', en: 'Nothing for you to do now' },
  attachments: { zh: '附件', en: 'Attachments' },
  noAttachments: { zh: '无附件', en: 'None' },
  similar: { zh: '疑似重复与重复诉求', en: 'Earlier tickets on the same matter' },
  pendingExtension: {
    zh: '{unit} 申请延期 {n} 个工作日：{reason}',
    en: '{unit} asks for {n} more working days: {reason}',
  },
  note: { zh: '说明', en: 'Note' },
  required: { zh: '请填写', en: 'Required' },
  unit: { zh: '主办单位', en: 'Lead unit' },
  assistUnits: { zh: '协办单位（可选）', en: 'Assisting units (optional)' },
  into: { zh: '合并到工单号', en: 'Merge into ticket number' },
  workingDays: { zh: '延期工作日数', en: 'Working days' },
  reason: { zh: '理由', en: 'Reason' },
  approve: { zh: '同意延期', en: 'Approve' },
  refuse: { zh: '不同意', en: 'Refuse' },
  accept: { zh: '审核通过', en: 'Accept' },
  sendBack: { zh: '退回重办', en: 'Send back' },
  reached: { zh: '是否接通', en: 'Reached' },
  reachedYes: { zh: '已接通', en: 'Reached' },
  reachedNo: { zh: '未接通', en: 'Not reached' },
  resolved: { zh: '问题是否解决', en: 'Resolved' },
  closeReason: { zh: '结案原因', en: 'Why close' },
  saved: { zh: '已完成：{action}', en: 'Done: {action}' },
  sameUnit: { zh: '不选则派回原主办单位', en: 'Leave empty to send it back to the last lead unit' },
  by: { zh: '{name}（{role}）', en: '{name} ({role})' },
  to: { zh: '派往', en: 'To' },
} satisfies Record<string, Text>;

const ASSIGNMENT_STATUS = ['dispatched', 'signed', 'replied', 'returned', 'ended'];

/** `/workbench/hotline/tickets/:id`: one ticket, its deadlines, history and the caller's actions. */
export function HotlineTicketPage() {
  return (
    <RequireHotlineRole roles={['operator', 'handler', 'supervisor', 'admin']}>
      <TicketView />
    </RequireHotlineRole>
  );
}

function TicketView() {
  const { id = '' } = useParams();
  const { t, lang, locale } = useI18n();
  const navigate = useNavigate();
  const [ticket, setTicket] = useState<TicketDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<TicketAction | null>(null);
  useDocumentTitle(ticket ? { zh: ticket.title, en: ticket.title } : ticketText.loading);

  useEffect(() => {
    const controller = new AbortController();
    fetchTicket(id, lang, controller.signal).then(
      (value) => {
        setTicket(value);
        setError(null);
      },
      (failure: unknown) => {
        if (!controller.signal.aborted) setError(messageOf(failure));
      },
    );
    return () => controller.abort();
  }, [id]);

  if (error) {
    return <Alert type="error" showIcon title={t(ticketText.failed, { message: error })} />;
  }
  if (!ticket) {
    return (
      <div className="ot-centered" role="status">
        <Spin size="large" />
      </div>
    );
  }

  const facts: [Text, ReactNode][] = [
    [ticketText.number, <span data-testid="ticket-number">{ticket.number}</span>],
    ...(ticket.trackCode
      ? ([[ticketText.trackCode, <strong data-testid="track-code">{ticket.trackCode}</strong>]] as [
          Text,
          ReactNode,
        ][])
      : []),
    [ticketText.channel, t(CHANNEL_LABELS[ticket.channel])],
    [ticketText.category, `${t(ticket.category.groupName)} / ${t(ticket.category.name)}`],
    [ticketText.region, t(ticket.region.name)],
    [ticketText.address, ticket.address || '—'],
    [ticketText.createdAt, formatTime(ticket.createdAt, locale)],
    [ticketText.requester, <RequesterLine ticket={ticket} />],
    ...(ticket.enterprise
      ? ([
          [ticketText.enterprise, `${ticket.enterpriseName ?? ''} ${ticket.enterpriseUscc ?? ''}`],
        ] as [Text, ReactNode][])
      : []),
    [ticketText.profile, t(ticket.profile.name)],
  ];

  return (
    <div className="ot-hl-page" data-testid="ticket-page">
      <Button
        type="link"
        icon={<ArrowLeftOutlined />}
        onClick={() => navigate('/workbench/hotline')}
        className="ot-hl-back"
      >
        {t(ticketText.back)}
      </Button>
      <div className="ot-hl-header">
        <div className="ot-hl-header-title">
          <h1>{ticket.title}</h1>
          <StatusTag status={ticket.status} />
          {ticket.resolution && <Tag>{t(RESOLUTION_LABELS[ticket.resolution])}</Tag>}
        </div>
        <TicketTags ticket={ticket} />
      </div>
      {ticket.pendingExtension && (
        <Alert
          type="warning"
          showIcon
          className="ot-block"
          title={t(ticketText.pendingExtension, {
            unit: ticket.pendingExtension.department
              ? t(ticket.pendingExtension.department.name)
              : '',
            n: ticket.pendingExtension.workingDays,
            reason: ticket.pendingExtension.reason,
          })}
        />
      )}
      <Row gutter={16} align="top">
        <Col xs={24} xl={16}>
          <Card size="small" title={t(ticketText.content)} className="ot-hl-card">
            <Typography.Paragraph className="ot-hl-content" data-testid="ticket-content">
              {ticket.content}
            </Typography.Paragraph>
            {Object.keys(ticket.attributes).length > 0 && <Attributes ticket={ticket} />}
            <dl className="ot-hl-facts">
              {facts.map(([label, value]) => (
                <div key={label.en}>
                  <dt>{t(label)}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          </Card>
          <Card
            size="small"
            title={t(ticketText.deadlines)}
            className="ot-hl-card"
            data-testid="deadlines"
          >
            <Deadlines ticket={ticket} />
          </Card>
          {(ticket.answer || ticket.satisfaction) && (
            <Card
              size="small"
              title={t(ticketText.result)}
              className="ot-hl-card"
              data-testid="result"
            >
              {ticket.answer && (
                <Typography.Paragraph className="ot-hl-content">
                  {ticket.answer}
                </Typography.Paragraph>
              )}
              <div className="ot-hl-tags">
                {ticket.onTime !== null && (
                  <Tag color={ticket.onTime ? 'green' : 'red'}>
                    {t(ticket.onTime ? ticketText.onTime : ticketText.late)}
                  </Tag>
                )}
                {ticket.satisfaction && (
                  <Tag color={ticket.satisfaction === 'unsatisfied' ? 'red' : 'green'}>
                    {t(ticketText.satisfaction)}：{t(SATISFACTION_LABELS[ticket.satisfaction])}
                  </Tag>
                )}
              </div>
            </Card>
          )}
          {ticket.assignments.length > 0 && (
            <Card size="small" title={t(ticketText.units)} className="ot-hl-card">
              <Assignments ticket={ticket} />
            </Card>
          )}
          <Card
            size="small"
            title={t(ticketText.timeline)}
            className="ot-hl-card"
            data-testid="timeline"
          >
            <Timeline
              items={ticket.events.map((event) => ({
                key: event.id,
                color:
                  event.action.includes('reject') ||
                  event.action === 'returned' ||
                  event.action === 'escalated'
                    ? 'red'
                    : 'blue',
                content: (
                  <div className="ot-hl-event">
                    <div>
                      <strong>
                        {t(EVENT_LABELS[event.action] ?? { zh: event.action, en: event.action })}
                      </strong>{' '}
                      <span className="ot-muted">{formatTime(event.at, locale)}</span>
                      {event.public && (
                        <Tag className="ot-hl-public">{t(ticketText.publicStep)}</Tag>
                      )}
                    </div>
                    <div className="ot-muted">
                      {event.actorName &&
                        t(ticketText.by, {
                          name: event.actorName,
                          role: event.actorRole
                            ? t(
                                roleLabels[event.actorRole as Role] ?? {
                                  zh: event.actorRole,
                                  en: event.actorRole,
                                },
                              )
                            : 'Open311',
                        })}
                      {event.department ? ` · ${t(event.department.name)}` : ''}
                    </div>
                    {typeof event.detail.leadName === 'string' && (
                      <div>
                        {t(ticketText.to)}{' '}
                        <strong data-testid="event-lead">
                          {leadNameOf(ticket, event.detail.lead, event.detail.leadName, t)}
                        </strong>
                        {typeof event.detail.finishDueAt === 'string' && (
                          <span className="ot-muted">
                            {' '}
                            · {t(ticketText.finishDue)}{' '}
                            {formatTime(event.detail.finishDueAt, locale)}
                          </span>
                        )}
                      </div>
                    )}
                    {event.note && <div className="ot-hl-note">{event.note}</div>}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card
            size="small"
            title={t(ticketText.actions)}
            className="ot-hl-card ot-hl-actions"
            data-testid="actions"
          >
            {ticket.can.filter((a) => a !== 'attach').length === 0 ? (
              <span className="ot-muted">{t(ticketText.noActions)}</span>
            ) : (
              <div className="ot-hl-action-buttons">
                {ticket.can
                  .filter((a) => a !== 'attach')
                  .map((action) => (
                    <Button
                      key={action}
                      type={
                        ['dispatch', 'sign', 'reply', 'review', 'callback'].includes(action)
                          ? 'primary'
                          : 'default'
                      }
                      danger={action === 'escalate' || action === 'return'}
                      onClick={() => setOpen(action)}
                      data-testid={`action-${action}`}
                    >
                      {t(ACTION_LABELS[action])}
                    </Button>
                  ))}
              </div>
            )}
          </Card>
          <Card size="small" title={t(ticketText.attachments)} className="ot-hl-card">
            <AttachmentList ticket={ticket} onChange={setTicket} />
          </Card>
          {ticket.similar.length > 0 && (
            <Card size="small" title={t(ticketText.similar)} className="ot-hl-card">
              <ul className="ot-hl-similar">
                {ticket.similar.map((s) => (
                  <li key={s.id}>
                    <Tag
                      color={
                        s.kind === 'duplicate'
                          ? 'orange'
                          : s.kind === 'repeat'
                            ? 'magenta'
                            : 'default'
                      }
                    >
                      {t(KIND_LABELS[s.kind]!)}
                    </Tag>
                    <Link to={`/workbench/hotline/tickets/${s.id}`}>{s.number}</Link>
                    <div className="ot-hl-similar-title">{s.title}</div>
                    <div className="ot-muted">
                      {s.reasons.map((r) => t(REASON_LABELS[r] ?? { zh: r, en: r })).join(' · ')}
                    </div>
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </Col>
      </Row>
      {open && (
        <ActionModal
          ticket={ticket}
          action={open}
          onClose={() => setOpen(null)}
          onDone={(next) => {
            setTicket(next);
            setOpen(null);
          }}
        />
      )}
    </div>
  );
}

/**
 * The unit a dispatch or reopening went to, in the reader's language: the event keeps the unit's
 * code and its Chinese name as it was then; the ticket's assignments carry both names.
 */
function leadNameOf(
  ticket: TicketDetail,
  code: unknown,
  recorded: string,
  t: (text: Text) => string,
): string {
  const unit = ticket.assignments.find((a) => a.department?.code === code)?.department;
  return unit ? t(unit.name) : recorded;
}

function RequesterLine({ ticket }: { ticket: TicketDetail }) {
  const { t } = useI18n();
  const r = ticket.requester;
  if (r.anonymous) return <Tag>{t(ticketText.anonymous)}</Tag>;
  return (
    <span data-testid="requester">
      {[r.name, r.mobile].filter(Boolean).join(' · ') || '—'}
      {r.masked && <Tag className="ot-hl-masked">{t(ticketText.masked)}</Tag>}
      {r.confidential && <Tag color="purple">{t(ticketText.confidential)}</Tag>}
    </span>
  );
}

function Attributes({ ticket }: { ticket: TicketDetail }) {
  const { t, lang } = useI18n();
  const [category, setCategory] = useState<Category | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetchCategories(lang, controller.signal).then(
      (all) => setCategory(all.find((c) => c.code === ticket.category.code) ?? null),
      () => undefined,
    );
    return () => controller.abort();
  }, [ticket.category.code]);
  return (
    <div className="ot-hl-tags ot-block">
      {Object.entries(ticket.attributes).map(([code, value]) => {
        const attribute = category?.attributes.find((a) => a.code === code);
        const name = (key: string) => {
          const found = attribute?.values?.find((v) => v.key === key);
          return found ? t(found.name) : key;
        };
        return (
          <Tag key={code}>
            {attribute ? t(attribute.description) : code}：
            {(Array.isArray(value) ? value : [value]).map(name).join('、')}
          </Tag>
        );
      })}
    </div>
  );
}

function Deadlines({ ticket }: { ticket: TicketDetail }) {
  const { t, locale } = useI18n();
  const rows: [Text, string | null, boolean, string | null][] = [
    [ticketText.signDue, ticket.signDueAt, ticket.overdue.sign, ticket.signedAt],
    [ticketText.contactDue, ticket.contactDueAt, ticket.overdue.contact, ticket.contactedAt],
    [ticketText.finishDue, ticket.finishDueAt, ticket.overdue.finish, ticket.repliedAt],
    [ticketText.returnUntil, ticket.returnUntil, false, null],
    [ticketText.callbackDue, ticket.callbackDueAt, ticket.overdue.callback, null],
  ];
  const shown = rows.filter(([, due]) => due);
  if (shown.length === 0) return <span className="ot-muted">—</span>;
  return (
    <>
      <dl className="ot-hl-facts">
        {shown.map(([label, due, overdue, doneAt]) => (
          <div key={label.en} data-testid={`due-${label.en}`}>
            <dt>{t(label)}</dt>
            <dd>
              <Due due={due} overdue={overdue} provisional={ticket.dueProvisional} />
              {doneAt && (
                <div className="ot-muted">
                  {t(ticketText.done, { at: formatTime(doneAt, locale) })}
                </div>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {ticket.extendedDays > 0 && (
        <div className="ot-muted">
          {t(ticketText.extended, { n: ticket.extendedDays, room: ticket.extensionRoom })}
        </div>
      )}
    </>
  );
}

function Assignments({ ticket }: { ticket: TicketDetail }) {
  const { t, locale } = useI18n();
  const statusNames = (lang: 'zh' | 'en') => ticketText.assignmentStatus[lang].split('|');
  return (
    <ul className="ot-hl-assignments">
      {[...ticket.assignments].reverse().map((a) => (
        <li key={`${a.round}-${a.department?.code}`}>
          <div>
            <Tag>{t(ticketText.round, { n: a.round })}</Tag>
            <Tag color={a.role === 'lead' ? 'blue' : 'default'}>
              {t(a.role === 'lead' ? ticketText.lead : ticketText.assist)}
            </Tag>
            <strong>{a.department ? t(a.department.name) : '—'}</strong>{' '}
            <span className="ot-muted">
              {locale === 'en'
                ? statusNames('en')[ASSIGNMENT_STATUS.indexOf(a.status)]
                : statusNames('zh')[ASSIGNMENT_STATUS.indexOf(a.status)]}
              {a.signedAt ? ` · ${formatTime(a.signedAt, locale)}` : ''}
            </span>
          </div>
          {a.opinion && (
            <div className="ot-hl-note">
              {t(ticketText.opinion)}：{a.opinion}
            </div>
          )}
          {a.returnReason && (
            <div className="ot-hl-note">
              {t(ticketText.returnReason)}：{a.returnReason}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

function AttachmentList({
  ticket,
  onChange,
}: {
  ticket: TicketDetail;
  onChange: (t: TicketDetail) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  return (
    <>
      {ticket.attachments.length === 0 ? (
        // a line of its own: the attach button follows below, not glued to the word
        <div className="ot-muted">{t(ticketText.noAttachments)}</div>
      ) : (
        <ul className="ot-hl-files">
          {ticket.attachments.map((file) => (
            <li key={file.id}>
              <PaperClipOutlined />{' '}
              <a href={`/api/hotline/tickets/${ticket.id}/attachments/${file.id}`}>
                {file.filename}
              </a>{' '}
              <span className="ot-muted">{Math.ceil(file.size / 1024)} KB</span>
            </li>
          ))}
        </ul>
      )}
      {ticket.can.includes('attach') && (
        <Upload
          accept=".jpg,.jpeg,.png,.pdf"
          showUploadList={false}
          beforeUpload={(file) => {
            attachFile(ticket.id, file, lang).then(onChange, (error: unknown) =>
              message.error(messageOf(error)),
            );
            return false;
          }}
        >
          <Button size="small" icon={<UploadOutlined />} className="ot-hl-upload">
            {t(ACTION_LABELS.attach)}
          </Button>
        </Upload>
      )}
    </>
  );
}

interface ActionFields {
  note?: string;
  department?: string;
  assist?: string[];
  answer?: string;
  satisfaction?: string;
  into?: string;
  reason?: string;
  workingDays?: number;
  reply?: string;
  opinion?: string;
  reached?: boolean;
  resolved?: boolean;
  decision?: 'approve' | 'refuse' | 'accept' | 'reject';
}

/** The form of one action, sent to the server as it is; its 422s land on the fields. */
function ActionModal({
  ticket,
  action,
  onClose,
  onDone,
}: {
  ticket: TicketDetail;
  action: TicketAction;
  onClose: () => void;
  onDone: (ticket: TicketDetail) => void;
}) {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<ActionFields>();
  const [units, setUnits] = useState<{ value: string; label: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const reached = Form.useWatch('reached', form);
  const decision = Form.useWatch('decision', form);
  const req = [{ required: true, message: t(ticketText.required) }];

  useEffect(() => {
    if (action !== 'dispatch' && action !== 'reopen') return;
    fetchDepartments(lang).then(
      (list) =>
        setUnits(list.map((d) => ({ value: d.code, label: t({ zh: d.nameZh, en: d.nameEn }) }))),
      () => undefined,
    );
  }, [action]);

  const initial: ActionFields = {
    department: action === 'dispatch' ? ticket.suggested?.code : undefined,
    reached: true,
    decision:
      action === 'review' ? 'accept' : action === 'decide_extension' ? 'approve' : undefined,
    workingDays: Math.min(3, Math.max(1, ticket.extensionRoom)),
    into: ticket.similar.find((s) => s.kind === 'duplicate')?.number,
  };

  function bodyOf(v: ActionFields): { path: string; body: Record<string, unknown> } {
    switch (action) {
      case 'dispatch':
        return {
          path: 'dispatch',
          body: { department: v.department, assist: v.assist ?? [], note: v.note || undefined },
        };
      case 'answer':
        return {
          path: 'answer',
          body: { answer: v.answer, satisfaction: v.satisfaction || undefined },
        };
      case 'merge':
        return { path: 'merge', body: { into: v.into?.trim(), note: v.note || undefined } };
      case 'sign':
        return { path: 'sign', body: {} };
      case 'return':
        return { path: 'return', body: { reason: v.reason } };
      case 'contact':
        return { path: 'contact', body: { note: v.note } };
      case 'opinion':
        return { path: 'opinion', body: { opinion: v.opinion } };
      case 'reply':
        return { path: 'reply', body: { reply: v.reply } };
      case 'request_extension':
        return { path: 'extension', body: { workingDays: v.workingDays, reason: v.reason } };
      case 'decide_extension':
        return {
          path: 'extension/decision',
          body: { approve: v.decision === 'approve', note: v.note || undefined },
        };
      case 'review':
        return {
          path: 'review',
          body: { accept: v.decision === 'accept', note: v.note || undefined },
        };
      case 'callback':
        return {
          path: 'callback',
          body: v.reached
            ? {
                reached: true,
                satisfaction: v.satisfaction,
                resolved: v.resolved,
                note: v.note || undefined,
              }
            : { reached: false, note: v.note || undefined },
        };
      case 'close':
        return { path: 'close', body: { reason: v.reason, note: v.note } };
      case 'reopen':
        return {
          path: 'reopen',
          body: {
            note: v.note,
            department: v.department || undefined,
            assist: v.assist?.length ? v.assist : undefined,
          },
        };
      case 'escalate':
        return { path: 'escalate', body: { note: v.note } };
      default:
        return { path: action, body: {} };
    }
  }

  async function submit() {
    setFailure(null);
    let values: ActionFields;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const { path, body } = bodyOf(values);
    setBusy(true);
    try {
      const next = await ticketAction(ticket.id, path, body, lang);
      message.success(t(ticketText.saved, { action: t(ACTION_LABELS[action]) }));
      onDone(next);
    } catch (error) {
      if (error instanceof ApiError && error.details.length > 0) {
        form.setFields(
          error.details.map((detail) => ({
            name: fieldOfPath(detail.path).split('.')[0] as never,
            errors: [detail.message],
          })),
        );
      }
      setFailure(messageOf(error));
    } finally {
      setBusy(false);
    }
  }

  const text = (name: keyof ActionFields, label: Text, required = true, rows = 3) => (
    <Form.Item name={name} label={t(label)} rules={required ? req : undefined}>
      <Input.TextArea
        autoSize={{ minRows: rows, maxRows: 10 }}
        maxLength={4000}
        data-testid={`field-${name}`}
      />
    </Form.Item>
  );

  let fields: ReactNode = null;
  switch (action) {
    case 'dispatch':
      fields = (
        <>
          <Form.Item name="department" label={t(ticketText.unit)} rules={req}>
            <Select
              showSearch={{ filterOption: (i, o) => String(o?.label ?? '').includes(i) }}
              options={units}
              data-testid="field-department"
            />
          </Form.Item>
          <Form.Item name="assist" label={t(ticketText.assistUnits)}>
            <Select
              mode="multiple"
              showSearch={{ filterOption: (i, o) => String(o?.label ?? '').includes(i) }}
              options={units}
            />
          </Form.Item>
          {text('note', ticketText.note, false, 2)}
        </>
      );
      break;
    case 'answer':
      fields = (
        <>
          {text('answer', ticketText.answer)}
          <Form.Item name="satisfaction" label={t(ticketText.satisfaction)}>
            <Radio.Group
              options={SATISFACTIONS.map((s) => ({ value: s, label: t(SATISFACTION_LABELS[s]) }))}
            />
          </Form.Item>
        </>
      );
      break;
    case 'merge':
      fields = (
        <>
          <Form.Item name="into" label={t(ticketText.into)} rules={req}>
            <Input placeholder="GD…" />
          </Form.Item>
          {text('note', ticketText.note, false, 2)}
        </>
      );
      break;
    case 'return':
    case 'request_extension':
      fields = (
        <>
          {action === 'request_extension' && (
            <Form.Item name="workingDays" label={t(ticketText.workingDays)} rules={req}>
              <InputNumber
                min={1}
                max={Math.max(1, ticket.extensionRoom)}
                data-testid="field-workingDays"
              />
            </Form.Item>
          )}
          {text('reason', ticketText.reason)}
        </>
      );
      break;
    case 'contact':
    case 'escalate':
      fields = text('note', ticketText.note);
      break;
    case 'opinion':
      fields = text('opinion', ticketText.opinion);
      break;
    case 'reply':
      fields = text('reply', ticketText.answer, true, 5);
      break;
    case 'decide_extension':
    case 'review':
      fields = (
        <>
          {action === 'review' && ticket.answer && (
            <Typography.Paragraph className="ot-hl-content ot-hl-quote">
              {ticket.answer}
            </Typography.Paragraph>
          )}
          <Form.Item name="decision" rules={req}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={
                action === 'review'
                  ? [
                      { value: 'accept', label: t(ticketText.accept) },
                      { value: 'reject', label: t(ticketText.sendBack) },
                    ]
                  : [
                      { value: 'approve', label: t(ticketText.approve) },
                      { value: 'refuse', label: t(ticketText.refuse) },
                    ]
              }
            />
          </Form.Item>
          {text('note', ticketText.note, decision === 'reject' || decision === 'refuse', 2)}
        </>
      );
      break;
    case 'callback':
      fields = (
        <>
          <Form.Item name="reached" label={t(ticketText.reached)}>
            <Radio.Group
              options={[
                { value: true, label: t(ticketText.reachedYes) },
                { value: false, label: t(ticketText.reachedNo) },
              ]}
            />
          </Form.Item>
          {reached !== false && (
            <>
              <Form.Item name="satisfaction" label={t(ticketText.satisfaction)} rules={req}>
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  options={SATISFACTIONS.map((s) => ({
                    value: s,
                    label: t(SATISFACTION_LABELS[s]),
                  }))}
                  data-testid="field-satisfaction"
                />
              </Form.Item>
              <Form.Item name="resolved" label={t(ticketText.resolved)}>
                <Radio.Group
                  options={[
                    { value: true, label: '✓' },
                    { value: false, label: '✗' },
                  ]}
                />
              </Form.Item>
            </>
          )}
          {text('note', ticketText.note, false, 2)}
        </>
      );
      break;
    case 'close':
      fields = (
        <>
          <Form.Item name="reason" label={t(ticketText.closeReason)} rules={req}>
            <Radio.Group
              options={(['unreasonable', 'unreachable'] as const).map((r) => ({
                value: r,
                label: t(RESOLUTION_LABELS[r]),
              }))}
            />
          </Form.Item>
          {text('note', ticketText.note)}
        </>
      );
      break;
    case 'reopen':
      fields = (
        <>
          {text('note', ticketText.note)}
          <Form.Item name="department" label={t(ticketText.unit)} extra={t(ticketText.sameUnit)}>
            <Select
              allowClear
              showSearch={{ filterOption: (i, o) => String(o?.label ?? '').includes(i) }}
              options={units}
            />
          </Form.Item>
        </>
      );
      break;
    default:
      fields = null;
  }

  return (
    <Modal
      open
      title={t(ACTION_LABELS[action])}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'modal-ok' } as never}
      destroyOnHidden
      width={560}
    >
      {user && failure && <Alert type="error" showIcon title={failure} className="ot-block" />}
      <Form<ActionFields> form={form} layout="vertical" initialValues={initial}>
        {fields}
      </Form>
    </Modal>
  );
}
