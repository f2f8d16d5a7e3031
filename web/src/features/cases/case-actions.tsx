import { useState } from 'react';
import { Alert, Button, Form, Input, InputNumber, Modal, Select, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import type { ErrorDetail } from '../platform/api';
import { ApiError } from '../platform/api';
import type { ActionBody, CaseAction, CaseView, SuspensionKind } from './api';
import { actOnCase } from './api';
import { actionLabels, segmentLabels, SUSPENSION_KINDS } from './labels';

// The action buttons of a case, exactly those the server says the caller may take now, each with a
// dialog for what it needs; the server's refusal is shown inside the dialog.

const text = {
  note: { zh: '说明', en: 'Note' },
  noteOptional: { zh: '说明（选填）', en: 'Note (optional)' },
  reasons: { zh: '不予许可的理由（至少一条）', en: 'Reasons for the denial (at least one)' },
  reason: { zh: '理由', en: 'Reason' },
  addReason: { zh: '再加一条理由', en: 'Add a reason' },
  kind: { zh: '中止事由', en: 'Why the clock stops' },
  days: { zh: '延长的工作日数（1–60）', en: 'Working days to add (1–60)' },
  required: { zh: '请填写', en: 'Required' },
  cancel: { zh: '取消', en: 'Cancel' },
  failed: { zh: '未能完成：{message}', en: 'Could not do it: {message}' },
  done: { zh: '已{action}', en: '{action}: done' },
  hints: {
    accept: {
      zh: '受理后由本部门审查，承诺时限照常计算。',
      en: 'The department takes the case; the clock keeps running.',
    },
    'start-review': { zh: '开始实质审查。', en: 'Start the substantive review.' },
    approve: {
      zh: '准予许可后还需“出具结果”，结果才送达申请人并放行后续事项。',
      en: 'After approving, issue the result: only then does it reach the applicant and release the next items.',
    },
    deny: {
      zh: '不予许可须说明理由，理由将写入结果告知申请人。',
      en: 'A denial states its reasons; they go to the applicant with the result.',
    },
    'issue-result': {
      zh: '出具结果后本子件办结，等待本事项结果的后续事项随即开始办理。',
      en: 'Issuing the result finishes the case; items waiting for it start at once.',
    },
    return: {
      zh: '退回申请人补正，补正期间暂停计时；请写明需要补正的内容。',
      en: 'Return to the applicant to correct; the clock stops meanwhile. Say what to correct.',
    },
    resume: { zh: '结束暂停，恢复计时。', en: 'End the suspension; the clock runs again.' },
    suspend: {
      zh: '依《行政许可法》第四十五条，听证、检验检测、专家评审所需时间不计入期限。',
      en: 'Under Art. 45 of the Administrative Licensing Law, hearings, testing and expert reviews are not counted.',
    },
    extend: {
      zh: '法定期限内不能办结的，经负责人批准可以延长；请说明理由。',
      en: 'When the case cannot be finished in time, the head of the unit may extend it; give the reason.',
    },
    'approve-extension': {
      zh: '批准后期限按延长的工作日顺延。',
      en: 'Once approved, the dues move by the days asked for.',
    },
    withdraw: {
      zh: '撤回后本事项不再办理，依赖它的后续事项一并撤回。',
      en: 'A withdrawn item is not handled any further; items that depend on it go too.',
    },
    urge: {
      zh: '督办意见将记入办理记录并提醒办理部门。',
      en: 'The note is recorded on the case and reminds the department.',
    },
    correct: {
      zh: '确认已按要求补正，部门恢复办理并继续计时。',
      en: 'Confirm you have corrected what was asked; the department resumes and the clock runs again.',
    },
  } satisfies Partial<Record<CaseAction, Text>>,
} as const;

/** The order the buttons stand in. */
const ORDER: CaseAction[] = [
  'accept',
  'start-review',
  'approve',
  'issue-result',
  'deny',
  'return',
  'suspend',
  'resume',
  'extend',
  'approve-extension',
  'urge',
  'correct',
  'withdraw',
];

const PRIMARY = new Set<CaseAction>([
  'accept',
  'start-review',
  'approve',
  'issue-result',
  'approve-extension',
  'correct',
]);
const DANGER = new Set<CaseAction>(['deny', 'withdraw']);
const NOTE_REQUIRED = new Set<CaseAction>([
  'return',
  'suspend',
  'extend',
  'withdraw',
  'urge',
  'correct',
]);
/** Actions whose body takes no note (the server refuses unknown fields). */
const NO_NOTE = new Set<CaseAction>([]);

/** The actions of `actions` this UI knows, in button order. */
export function knownActions(actions: readonly string[]): CaseAction[] {
  return ORDER.filter((a) => actions.includes(a));
}

/** A server refusal, as the dialog shows it. */
type Problem = { message: string; details: ErrorDetail[] } | null;

/** The buttons for the actions the caller may take, and the dialog each opens. */
export function CaseActions({
  c,
  actions,
  onDone,
  size,
}: {
  c: Pick<CaseView, 'id'>;
  actions: readonly string[];
  onDone: (next: CaseView, action: CaseAction) => void;
  size?: 'small' | 'middle';
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState<CaseAction | null>(null);
  const shown = knownActions(actions);
  if (shown.length === 0) return null;
  return (
    <>
      <Space wrap data-testid="case-actions">
        {shown.map((action) => (
          <Button
            key={action}
            size={size}
            type={PRIMARY.has(action) ? 'primary' : 'default'}
            danger={DANGER.has(action)}
            onClick={() => setOpen(action)}
            data-testid={`case-action-${action}`}
          >
            {t(actionLabels[action])}
          </Button>
        ))}
      </Space>
      {open && (
        <ActionDialog
          caseId={c.id}
          action={open}
          onCancel={() => setOpen(null)}
          onDone={(next) => {
            setOpen(null);
            onDone(next, open);
          }}
        />
      )}
    </>
  );
}

interface Values {
  note?: string;
  reasons?: string[];
  kind?: SuspensionKind;
  days?: number;
}

/** One action's dialog: its inputs, the server's refusal inline, busy while it runs. */
export function ActionDialog({
  caseId,
  action,
  onCancel,
  onDone,
}: {
  caseId: string;
  action: CaseAction;
  onCancel: () => void;
  onDone: (next: CaseView) => void;
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>(null);

  const submit = async () => {
    const values = await form.validateFields();
    const body: ActionBody = {};
    const note = values.note?.trim();
    if (note) body.note = note;
    if (action === 'deny')
      body.reasons = (values.reasons ?? []).map((r) => r.trim()).filter(Boolean);
    if (action === 'suspend') body.kind = values.kind;
    if (action === 'extend') body.days = values.days;
    setBusy(true);
    setProblem(null);
    try {
      onDone(await actOnCase(caseId, action, body, lang));
    } catch (error) {
      setProblem({
        message: error instanceof Error ? error.message : String(error),
        details: error instanceof ApiError ? error.details : [],
      });
    } finally {
      setBusy(false);
    }
  };

  const required = [{ required: true, whitespace: true, message: t(text.required) }];
  const hint = text.hints[action as keyof typeof text.hints] as Text | undefined;
  return (
    <Modal
      open
      title={t(actionLabels[action])}
      okText={t(actionLabels[action])}
      cancelText={t(text.cancel)}
      okButtonProps={{
        loading: busy,
        danger: DANGER.has(action),
        ...({ 'data-testid': 'action-ok' } as Record<`data-${string}`, string>),
      }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onCancel}
      destroyOnHidden
      data-testid="action-dialog"
    >
      <div data-testid={`action-dialog-${action}`}>
        {hint && <p className="ot-muted">{t(hint)}</p>}
        {problem && (
          <Alert
            type="error"
            showIcon
            className="ot-block"
            data-testid="action-problem"
            title={t(text.failed, { message: problem.message })}
            description={
              problem.details.length > 0 ? (
                <ul className="ot-case-list">
                  {problem.details.map((d, i) => (
                    <li key={i}>{d.message}</li>
                  ))}
                </ul>
              ) : undefined
            }
          />
        )}
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ reasons: [''], kind: 'hearing', days: 5 }}
        >
          {action === 'deny' && (
            <Form.List
              name="reasons"
              rules={[
                {
                  validator: async (_, reasons: string[] | undefined) => {
                    if (!reasons || reasons.filter((r) => r?.trim()).length === 0) {
                      throw new Error(t(text.required));
                    }
                  },
                },
              ]}
            >
              {(rows, { add, remove }, { errors }) => (
                <Form.Item label={t(text.reasons)} required>
                  {rows.map((row, index) => (
                    <div key={row.key} className="ot-case-reason-row">
                      <Form.Item name={row.name} rules={required} noStyle>
                        <Input
                          maxLength={500}
                          aria-label={`${t(text.reason)} ${index + 1}`}
                          data-testid={`deny-reason-${index}`}
                        />
                      </Form.Item>
                      {rows.length > 1 && (
                        <Button
                          type="text"
                          icon={<MinusCircleOutlined />}
                          onClick={() => remove(row.name)}
                          aria-label={t(text.cancel)}
                        />
                      )}
                    </div>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')} block>
                    {t(text.addReason)}
                  </Button>
                  <Form.ErrorList errors={errors} />
                </Form.Item>
              )}
            </Form.List>
          )}
          {action === 'suspend' && (
            <Form.Item name="kind" label={t(text.kind)} rules={[{ required: true }]}>
              <Select
                data-testid="suspend-kind"
                options={SUSPENSION_KINDS.map((k) => ({ value: k, label: t(segmentLabels[k]) }))}
              />
            </Form.Item>
          )}
          {action === 'extend' && (
            <Form.Item
              name="days"
              label={t(text.days)}
              rules={[{ required: true, type: 'integer', min: 1, max: 60, message: t(text.days) }]}
            >
              <InputNumber min={1} max={60} precision={0} data-testid="extend-days" />
            </Form.Item>
          )}
          {!NO_NOTE.has(action) && (
            <Form.Item
              name="note"
              label={t(NOTE_REQUIRED.has(action) ? text.note : text.noteOptional)}
              rules={NOTE_REQUIRED.has(action) ? required : []}
            >
              <Input.TextArea
                autoSize={{ minRows: 2, maxRows: 6 }}
                maxLength={2000}
                data-testid="action-note"
              />
            </Form.Item>
          )}
        </Form>
      </div>
    </Modal>
  );
}

/** The success message of an action. */
export function doneText(action: CaseAction): Text {
  return {
    zh: text.done.zh.replace('{action}', actionLabels[action].zh),
    en: text.done.en.replace('{action}', actionLabels[action].en),
  };
}
