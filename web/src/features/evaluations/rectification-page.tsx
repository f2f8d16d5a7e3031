import { useState } from 'react';
import type { ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  Result,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { RequireRole } from '../applications/require-role';
import { useLoad } from '../cases/use-load';
import type { RectificationAction, RectificationBodies, RectificationDetail } from './api';
import { actOnRectification, fetchRectification } from './api';
import { EVENT_LABELS, RECTIFICATION_ACTIONS, STATE_COLORS } from './labels';
import type { Problem } from './rating-dialog';
import { ProblemAlert, problemOf } from './rating-dialog';
import { DueCell, RECTIFICATION_ROLES } from './rectification-queue-page';
import { LevelTag } from './service-ratings';
import './evaluations.css';

const text = {
  title: { zh: '差评整改', en: 'Rectification' },
  back: { zh: '返回整改列表', en: 'Back to the list' },
  loading: { zh: '正在加载…', en: 'Loading…' },
  notFound: { zh: '没有找到这条整改', en: 'No such rectification' },
  notFoundBody: {
    zh: '整改不存在，或不属于您的部门或区域。',
    en: 'It does not exist or is not of your department or region.',
  },
  failed: { zh: '加载失败', en: 'Could not load' },
  refresh: { zh: '刷新', en: 'Refresh' },
  rating: { zh: '差评内容', en: 'The rating' },
  service: { zh: '服务', en: 'Service' },
  department: { zh: '被评部门', en: 'Department' },
  level: { zh: '评价等级', en: 'Level' },
  tags: { zh: '原因', en: 'Reasons' },
  comment: { zh: '评价意见', en: 'Comment' },
  channel: { zh: '评价渠道', en: 'Channel' },
  rater: { zh: '评价人', en: 'Rater' },
  realName: { zh: '实名评价', en: 'Real-name' },
  anonymous: { zh: '匿名评价', en: 'Anonymous' },
  ratedAt: { zh: '评价时间', en: 'Rated' },
  due: { zh: '整改期限', en: 'Due' },
  work: { zh: '整改情况', en: 'The rectification' },
  explanation: { zh: '情况核实', en: 'What happened' },
  fix: { zh: '整改措施', en: 'What was fixed' },
  answer: { zh: '答复评价人', en: 'Answer to the rater' },
  callbackAt: { zh: '回访时间', en: 'Called back' },
  callbackNote: { zh: '回访情况', en: 'Callback notes' },
  submittedAt: { zh: '提交时间', en: 'Submitted' },
  reviewNote: { zh: '审核意见', en: 'Review note' },
  reviewedAt: { zh: '审核时间', en: 'Reviewed' },
  appealReason: { zh: '申诉理由', en: 'Appeal' },
  appealNote: { zh: '申诉裁决意见', en: 'Ruling on the appeal' },
  answerSatisfied: { zh: '评价人意见', en: "The rater's verdict" },
  satisfied: { zh: '满意', en: 'Satisfied' },
  unsatisfied: { zh: '不满意', en: 'Not satisfied' },
  answerComment: { zh: '评价人补充', en: "The rater's comment" },
  onTime: { zh: '按时整改', en: 'On time' },
  yes: { zh: '是', en: 'Yes' },
  no: { zh: '否', en: 'No' },
  closedAt: { zh: '办结时间', en: 'Closed' },
  events: { zh: '办理过程', en: 'Steps' },
  noEvents: { zh: '暂无记录', en: 'Nothing yet' },
  actions: { zh: '办理', en: 'Actions' },
  noActions: {
    zh: '当前状态下您没有可执行的操作。',
    en: 'There is nothing for you to do on this now.',
  },
  explanationHint: {
    zh: '核实评价反映的问题：发生了什么，原因是什么',
    en: 'What the rating is about, and why it happened',
  },
  fixHint: { zh: '已经或将要采取的整改措施', en: 'What has been or will be done' },
  answerHint: {
    zh: '审核通过后发送给评价人，请用群众能看懂的话说明',
    en: 'Sent to the rater once approved; write it plainly',
  },
  callbackRequired: {
    zh: '实名差评须先电话回访评价人，请填写回访时间和情况',
    en: 'A real-name rating needs a callback first: enter when and what was said',
  },
  callbackOptional: {
    zh: '如已回访评价人，请填写回访时间和情况',
    en: 'If you called the rater back, enter when and what was said',
  },
  required: { zh: '请填写{field}', en: 'Enter {field}' },
  beijing: { zh: '北京时间 {time}', en: 'Beijing time {time}' },
  reviewNoteHint: {
    zh: '审核意见（退回时必填）',
    en: 'Review note (required to return)',
  },
  appealHint: {
    zh: '认为属于恶意差评或与本部门无关的，说明理由并提交申诉',
    en: 'If the rating is malicious or not about your department, say why and appeal',
  },
  rulingHint: { zh: '裁决意见', en: 'Ruling' },
  noteMissing: { zh: '请填写意见（至少 2 个字）', en: 'Write a note (2 characters or more)' },
  done: { zh: '已{action}', en: 'Done: {action}' },
} satisfies Record<string, Text>;

type NoteAction = Exclude<RectificationAction, 'submit' | 'verdict'>;

/** `/workbench/rectifications/{id}`: one rectification — the rating, the work, the steps, actions. */
export function RectificationPage() {
  return (
    <RequireRole roles={RECTIFICATION_ROLES}>
      <RectificationView />
    </RequireRole>
  );
}

function RectificationView() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const { state, reload, set } = useLoad<RectificationDetail>(id, (lang, signal) =>
    fetchRectification(id, lang, signal),
  );
  const r = state.value;
  useDocumentTitle(r ? r.service.title : text.title);
  const back = (
    <Button
      type="link"
      icon={<ArrowLeftOutlined />}
      onClick={() => navigate('/workbench/rectifications')}
      className="ot-app-back"
    >
      {t(text.back)}
    </Button>
  );

  if (!r && state.status === 'loading') {
    return (
      <div className="ot-centered" role="status">
        <Spin size="large" />
        <div className="ot-centered-note">{t(text.loading)}</div>
      </div>
    );
  }
  if (!r && state.status === 'error') {
    const missing = state.httpStatus === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={t(missing ? text.notFound : text.failed)}
        subTitle={missing ? t(text.notFoundBody) : state.message}
        extra={back}
      />
    );
  }
  if (!r) return null;

  const when = (iso: string | null) => (iso ? formatTime(iso, locale) : null);
  const work: { key: string; label: Text; value: ReactNode }[] = [
    { key: 'explanation', label: text.explanation, value: r.explanation },
    { key: 'fix', label: text.fix, value: r.fix },
    { key: 'answer', label: text.answer, value: r.answer },
    { key: 'callbackAt', label: text.callbackAt, value: when(r.callbackAt) },
    { key: 'callbackNote', label: text.callbackNote, value: r.callbackNote },
    { key: 'submittedAt', label: text.submittedAt, value: when(r.submittedAt) },
    { key: 'reviewNote', label: text.reviewNote, value: r.reviewNote },
    { key: 'reviewedAt', label: text.reviewedAt, value: when(r.reviewedAt) },
    { key: 'appealReason', label: text.appealReason, value: r.appealReason },
    { key: 'appealNote', label: text.appealNote, value: r.appealNote },
    {
      key: 'answerSatisfied',
      label: text.answerSatisfied,
      value:
        r.answerSatisfied === null || r.answerSatisfied === undefined ? null : (
          <Tag color={r.answerSatisfied ? 'green' : 'red'}>
            {t(r.answerSatisfied ? text.satisfied : text.unsatisfied)}
          </Tag>
        ),
    },
    { key: 'answerComment', label: text.answerComment, value: r.answerComment },
    {
      key: 'onTime',
      label: text.onTime,
      value: r.onTime === null || r.onTime === undefined ? null : t(r.onTime ? text.yes : text.no),
    },
    { key: 'closedAt', label: text.closedAt, value: when(r.closedAt) },
  ].filter((row) => row.value !== null && row.value !== undefined && row.value !== '');

  return (
    <div data-testid="rectification-page" data-state={r.state}>
      {back}
      <div className="ot-workbench-title ot-eval-rect-title">
        <Typography.Title level={2}>{t(r.service.title)}</Typography.Title>
        <Tag color={STATE_COLORS[r.state]} data-testid="rectification-state" data-state={r.state}>
          {t(r.stateLabel)}
        </Tag>
        <span className="ot-catalog-toolbar-spacer" />
        <Button icon={<ReloadOutlined />} onClick={reload}>
          {t(text.refresh)}
        </Button>
      </div>
      <div className="ot-eval-rect-grid">
        <div className="ot-eval-rect-main">
          <Card title={t(text.rating)} className="ot-block" data-testid="rectification-rating">
            <Descriptions
              size="small"
              column={1}
              items={[
                {
                  key: 'service',
                  label: t(text.service),
                  children: [t(r.service.kindLabel), r.service.number].filter(Boolean).join(' · '),
                },
                { key: 'department', label: t(text.department), children: t(r.department.name) },
                {
                  key: 'level',
                  label: t(text.level),
                  children: <LevelTag level={r.rating.level} label={r.rating.levelLabel} />,
                },
                {
                  key: 'tags',
                  label: t(text.tags),
                  children: r.rating.tags.length
                    ? r.rating.tags.map((tag) => (
                        <Tag key={tag.key} data-tag={tag.key}>
                          {t(tag.label)}
                        </Tag>
                      ))
                    : '—',
                },
                {
                  key: 'comment',
                  label: t(text.comment),
                  children: r.rating.comment ? (
                    <span className="ot-eval-prewrap" data-testid="rectification-comment">
                      {r.rating.comment}
                    </span>
                  ) : (
                    '—'
                  ),
                },
                { key: 'channel', label: t(text.channel), children: t(r.rating.channelLabel) },
                {
                  key: 'rater',
                  label: t(text.rater),
                  children: t(r.rating.realName ? text.realName : text.anonymous),
                },
                {
                  key: 'ratedAt',
                  label: t(text.ratedAt),
                  children: formatTime(r.rating.ratedAt, locale),
                },
                { key: 'due', label: t(text.due), children: <DueCell r={r} /> },
              ]}
            />
          </Card>
          {work.length > 0 && (
            <Card title={t(text.work)} className="ot-block" data-testid="rectification-work">
              <Descriptions
                size="small"
                column={1}
                items={work.map((row) => ({
                  key: row.key,
                  label: t(row.label),
                  children: <span className="ot-eval-prewrap">{row.value}</span>,
                }))}
              />
            </Card>
          )}
          <RectificationActions rectification={r} onDone={set} />
        </div>
        <Card title={t(text.events)} className="ot-block ot-eval-rect-events">
          {r.events.length === 0 ? (
            <Empty description={t(text.noEvents)} image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : (
            <Timeline
              data-testid="rectification-events"
              items={r.events.map((event, index) => ({
                key: index,
                content: (
                  <div data-action={event.action}>
                    <div>
                      <strong>
                        {EVENT_LABELS[event.action] ? t(EVENT_LABELS[event.action]!) : event.action}
                      </strong>
                      {event.actorName && <span className="ot-muted"> · {event.actorName}</span>}
                    </div>
                    <div className="ot-muted">{formatTime(event.at, locale)}</div>
                    {event.note && <div className="ot-eval-prewrap">{event.note}</div>}
                  </div>
                ),
              }))}
            />
          )}
        </Card>
      </div>
    </div>
  );
}

/** Runs one action and reports it; the page shows the rectification the server replies with. */
function useAct(rectification: RectificationDetail, onDone: (next: RectificationDetail) => void) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<RectificationAction | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  async function act<A extends keyof RectificationBodies>(
    action: A,
    body: RectificationBodies[A],
  ): Promise<boolean> {
    setBusy(action);
    setProblem(null);
    try {
      const next = await actOnRectification(rectification.id, action, body, lang);
      void message.success(t(text.done, { action: t(RECTIFICATION_ACTIONS[action]) }));
      onDone(next);
      return true;
    } catch (failure) {
      setProblem(problemOf(failure));
      return false;
    } finally {
      setBusy(null);
    }
  }
  return { act, busy, problem };
}

/** The forms of the actions the caller may take now. */
function RectificationActions({
  rectification,
  onDone,
}: {
  rectification: RectificationDetail;
  onDone: (next: RectificationDetail) => void;
}) {
  const { t } = useI18n();
  const { act, busy, problem } = useAct(rectification, onDone);
  const actions = rectification.actions;
  const has = (action: RectificationAction) => actions.includes(action);
  return (
    <Card title={t(text.actions)} className="ot-block" data-testid="rectification-actions">
      {actions.length === 0 && (
        <Typography.Paragraph type="secondary">{t(text.noActions)}</Typography.Paragraph>
      )}
      {has('submit') && (
        <SubmitForm rectification={rectification} busy={busy === 'submit'} act={act} />
      )}
      {has('appeal') && (
        <NoteForm
          hint={text.appealHint}
          required
          field="appeal"
          buttons={[{ action: 'appeal', danger: true }]}
          busy={busy}
          onAct={(_, note) => act('appeal', { reason: note })}
        />
      )}
      {(has('approve') || has('return')) && (
        <NoteForm
          hint={text.reviewNoteHint}
          field="review"
          buttons={[
            ...(has('approve') ? [{ action: 'approve' as const, primary: true }] : []),
            ...(has('return') ? [{ action: 'return' as const, needsNote: true }] : []),
          ]}
          busy={busy}
          onAct={(action, note) =>
            action === 'approve' ? act('approve', note ? { note } : {}) : act('return', { note })
          }
        />
      )}
      {(has('uphold') || has('reject')) && (
        <NoteForm
          hint={text.rulingHint}
          required
          field="ruling"
          buttons={[
            ...(has('uphold') ? [{ action: 'uphold' as const, danger: true }] : []),
            ...(has('reject') ? [{ action: 'reject' as const, primary: true }] : []),
          ]}
          busy={busy}
          onAct={(action, note) => act(action as 'uphold' | 'reject', { note })}
        />
      )}
      {problem && <ProblemAlert problem={problem} />}
    </Card>
  );
}

interface SubmitValues {
  explanation: string;
  fix: string;
  answer: string;
  callbackAt?: Dayjs | null;
  callbackNote?: string;
}

/** 提交整改: what happened, what was fixed, the answer to the rater, and the callback. */
function SubmitForm({
  rectification,
  busy,
  act,
}: {
  rectification: RectificationDetail;
  busy: boolean;
  act: ReturnType<typeof useAct>['act'];
}) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<SubmitValues>();
  const realName = !!rectification.rating.realName;
  const required = (label: Text) => ({
    required: true,
    whitespace: true,
    message: t(text.required, { field: t(label) }),
  });
  const callbackAt = Form.useWatch('callbackAt', form);
  const callbackNote = Form.useWatch('callbackNote', form);
  const callbackNeeded = realName || !!callbackAt || !!callbackNote?.trim();

  async function finish(values: SubmitValues) {
    const callback =
      values.callbackAt && values.callbackNote?.trim()
        ? { at: values.callbackAt.toISOString(), note: values.callbackNote.trim() }
        : undefined;
    await act('submit', {
      explanation: values.explanation.trim(),
      fix: values.fix.trim(),
      answer: values.answer.trim(),
      ...(callback ? { callback } : {}),
    });
  }

  return (
    <Form
      form={form}
      layout="vertical"
      className="ot-eval-action-form"
      initialValues={{
        explanation: rectification.explanation ?? '',
        fix: rectification.fix ?? '',
        answer: rectification.answer ?? '',
        callbackNote: rectification.callbackNote ?? '',
      }}
      onFinish={(values) => void finish(values)}
      data-testid="rect-submit-form"
    >
      <Typography.Title level={5}>{t(RECTIFICATION_ACTIONS.submit)}</Typography.Title>
      <Form.Item
        name="explanation"
        label={t(text.explanation)}
        rules={[required(text.explanation)]}
      >
        <Input.TextArea
          autoSize={{ minRows: 2, maxRows: 8 }}
          maxLength={2000}
          placeholder={t(text.explanationHint)}
          data-testid="rect-explanation"
        />
      </Form.Item>
      <Form.Item name="fix" label={t(text.fix)} rules={[required(text.fix)]}>
        <Input.TextArea
          autoSize={{ minRows: 2, maxRows: 8 }}
          maxLength={2000}
          placeholder={t(text.fixHint)}
          data-testid="rect-fix"
        />
      </Form.Item>
      <Form.Item name="answer" label={t(text.answer)} rules={[required(text.answer)]}>
        <Input.TextArea
          autoSize={{ minRows: 2, maxRows: 8 }}
          maxLength={2000}
          placeholder={t(text.answerHint)}
          data-testid="rect-answer"
        />
      </Form.Item>
      <Typography.Paragraph type={realName ? 'warning' : 'secondary'}>
        {t(realName ? text.callbackRequired : text.callbackOptional)}
      </Typography.Paragraph>
      <div className="ot-eval-callback">
        <Form.Item
          name="callbackAt"
          label={t(text.callbackAt)}
          extra={
            // The picker speaks the browser's zone; the platform's times are Beijing time.
            callbackAt && new Date().getTimezoneOffset() !== -480
              ? t(text.beijing, { time: formatTime(callbackAt.toISOString(), locale) })
              : undefined
          }
          rules={
            callbackNeeded
              ? [{ required: true, message: t(text.required, { field: t(text.callbackAt) }) }]
              : []
          }
        >
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            disabledDate={(day) => day.valueOf() > Date.now()}
            data-testid="rect-callback-at"
          />
        </Form.Item>
        <Form.Item
          name="callbackNote"
          label={t(text.callbackNote)}
          className="ot-eval-callback-note"
          rules={callbackNeeded ? [required(text.callbackNote)] : []}
        >
          <Input.TextArea
            autoSize={{ minRows: 1, maxRows: 6 }}
            maxLength={1000}
            data-testid="rect-callback-note"
          />
        </Form.Item>
      </div>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="rect-submit">
        {t(RECTIFICATION_ACTIONS.submit)}
      </Button>
    </Form>
  );
}

/** One note field and the actions that take it (approve/return, appeal, uphold/reject). */
function NoteForm({
  hint,
  field,
  required = false,
  buttons,
  busy,
  onAct,
}: {
  hint: Text;
  field: string;
  required?: boolean;
  buttons: { action: NoteAction; primary?: boolean; danger?: boolean; needsNote?: boolean }[];
  busy: RectificationAction | null;
  onAct: (action: NoteAction, note: string) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  return (
    <div className="ot-eval-action-form" data-testid={`rect-${field}-form`}>
      <Typography.Paragraph type="secondary">{t(hint)}</Typography.Paragraph>
      <Input.TextArea
        value={note}
        onChange={(event) => {
          setNote(event.target.value);
          setMissing(false);
        }}
        status={missing ? 'error' : undefined}
        autoSize={{ minRows: 2, maxRows: 6 }}
        maxLength={1000}
        aria-label={t(hint)}
        data-testid={`rect-${field}-note`}
      />
      {missing && (
        <Typography.Text type="danger" className="ot-eval-note-missing">
          {t(text.noteMissing)}
        </Typography.Text>
      )}
      <div className="ot-eval-action-buttons">
        {buttons.map((button) => (
          <Button
            key={button.action}
            type={button.primary ? 'primary' : 'default'}
            danger={button.danger}
            loading={busy === button.action}
            disabled={busy !== null && busy !== button.action}
            onClick={async () => {
              const trimmed = note.trim();
              // The server takes notes of 2 characters or more.
              if ((required || button.needsNote) && trimmed.length < 2) {
                setMissing(true);
                return;
              }
              if (await onAct(button.action, trimmed)) setNote('');
            }}
            data-testid={`rect-${button.action}`}
          >
            {t(RECTIFICATION_ACTIONS[button.action])}
          </Button>
        ))}
      </div>
    </div>
  );
}
