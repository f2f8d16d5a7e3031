import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Form,
  Input,
  Modal,
  Result,
  Select,
  Space,
  Spin,
} from 'antd';
import {
  ArrowLeftOutlined,
  CheckOutlined,
  ClockCircleOutlined,
  EditOutlined,
  MinusCircleOutlined,
  PlusOutlined,
  PrinterOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import type { ErrorDetail } from '../platform/api';
import { ApiError } from '../platform/api';
import type { Application, IntakeAction } from './api';
import { decideIntake } from './api';
import { ApplicationEditor, MissingList } from './application-editor';
import { ApplicationHeader } from './application-page';
import {
  AnswersView,
  DataView,
  EventTimeline,
  ItemsView,
  MaterialsView,
  NoticeList,
  StatusNote,
} from './application-view';
import { noticeKindLabels } from './labels';
import { RequireRole } from './require-role';
import { intakeText } from './intake-queue-page';
import { useApplication, useBundleContent } from './use-application';
import { useOnce } from './use-once';

const text = {
  back: { zh: '返回受理队列', en: 'Back to the queue' },
  loading: { zh: '正在加载申请…', en: 'Loading the application…' },
  notFound: { zh: '没有找到这份申请', en: 'No such application' },
  decide: { zh: '预审决定', en: 'Pre-review decision' },
  decideNote: {
    zh: '核对申请表和材料后作出决定；每个决定都会出具告知书，并在办理记录中留痕。',
    en: 'Check the form and materials, then decide; every decision issues a notice and is recorded.',
  },
  accept: { zh: '受理', en: 'Accept' },
  acceptTitle: { zh: '受理这份申请？', en: 'Accept this application?' },
  acceptBody: {
    zh: '受理后出具《受理通知书》，各部门开始并联办理，承诺时限开始计算。',
    en: 'Accepting issues the acceptance notice; the departments start in parallel and the committed clock starts.',
  },
  deficiency: { zh: '容缺受理', en: 'Accept, materials to follow' },
  deficiencyTitle: { zh: '容缺受理', en: 'Accept with materials to follow' },
  deficiencyMaterials: { zh: '后补的材料', en: 'Materials to follow' },
  deficiencyNone: {
    zh: '这份申请没有允许容缺的材料。',
    en: 'No material of this application may follow later.',
  },
  dueDate: { zh: '补交期限', en: 'Due date' },
  note: { zh: '说明（选填）', en: 'Note (optional)' },
  correction: { zh: '一次性告知补正', en: 'Request correction' },
  correctionTitle: { zh: '一次性告知补正', en: 'Request a correction, all at once' },
  correctionIntro: {
    zh: '把需要补正的内容一次列全：每一项选择材料或填写项，并说明要怎样补正。',
    en: 'List everything to correct at once: pick a material or field for each and say what to do.',
  },
  target: { zh: '补正对象', en: 'What' },
  targetMaterials: { zh: '材料', en: 'Materials' },
  targetFields: { zh: '填写项', en: 'Fields' },
  itemNote: { zh: '补正要求', en: 'What to do' },
  addItem: { zh: '再加一项', en: 'Add an item' },
  overallNote: { zh: '总体说明（选填）', en: 'Overall note (optional)' },
  refuse: { zh: '不予受理', en: 'Refuse' },
  refuseTitle: { zh: '不予受理', en: 'Refuse the application' },
  reason: { zh: '不予受理的理由', en: 'Reason' },
  legalBasis: { zh: '法律依据', en: 'Legal basis' },
  legalBasisHint: {
    zh: '例：《中华人民共和国行政许可法》第三十二条第一款第（一）项',
    en: 'e.g. Administrative Licensing Law, Art. 32(1)(i)',
  },
  required: { zh: '请填写', en: 'Required' },
  requiredChoice: { zh: '请选择', en: 'Choose one' },
  done: { zh: '已{action}，已出具《{notice}》', en: '{action} done; {notice} issued' },
  printNotice: { zh: '查看并打印告知书', en: 'View and print the notice' },
  failed: { zh: '未能完成：{message}', en: 'Could not do it: {message}' },
  assisted: {
    zh: '帮办代办：您正代 {name} 填写申请，填好后提交，再回到此页预审受理。',
    en: 'Assisted application: you are filling this in for {name}; submit it, then pre-review it here.',
  },
  cancel: { zh: '取消', en: 'Cancel' },
} satisfies Record<string, Text>;

type Dialog = 'deficiency' | 'correction' | 'refuse' | null;

/** The action names in the "done" message. */
const actionNames: Record<IntakeAction['kind'], Text> = {
  accept: { zh: '受理', en: 'Acceptance' },
  'accept-with-deficiency': { zh: '容缺受理', en: 'Acceptance with deficiency' },
  correction: { zh: '告知补正', en: 'Correction request' },
  refuse: { zh: '不予受理', en: 'Refusal' },
};

function today(offsetDays: number): string {
  const date = new Date(Date.now() + offsetDays * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `/workbench/intake/{id}`: one application at the window — review and decide, or fill it in for someone. */
export function IntakeDetailPage() {
  return (
    <RequireRole roles={['clerk']}>
      <IntakeDetail />
    </RequireRole>
  );
}

function IntakeDetail() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const { state, set } = useApplication(id);
  const application = state.status === 'ready' ? state.value : null;
  const content = useBundleContent(
    application?.bundle.code ?? null,
    application?.bundle.version ?? null,
  );
  const decide = useOnce<Application>();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [problems, setProblems] = useState<Problems>(null);
  const [issued, setIssued] = useState<{ kind: IntakeAction['kind']; noticeId: string } | null>(
    null,
  );
  useDocumentTitle(application ? application.bundle.name : intakeText.title);

  if (state.status === 'loading') {
    return (
      <div className="ot-centered" role="status">
        <Spin size="large" />
        <div className="ot-centered-note">{t(text.loading)}</div>
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <Result
        status={state.httpStatus === 404 ? '404' : 'error'}
        title={t(text.notFound)}
        subTitle={state.message}
        extra={
          <Button type="primary" onClick={() => navigate('/workbench/intake')}>
            {t(text.back)}
          </Button>
        }
      />
    );
  }

  const app = state.value;
  const actions = app.actions;
  const may = (action: string) => (actions ? actions.includes(action) : app.status === 'submitted');
  const assistedByMe = !!app.assisted && app.assisted.clerkId === user?.id;
  const editing =
    (app.status === 'draft' || app.status === 'correction') &&
    (actions ? actions.includes('update') : assistedByMe);

  /** Runs a decision; on success shows the notice it issued, on refusal the server's reasons. */
  const run = (action: IntakeAction): Promise<boolean> => {
    setProblems(null);
    const before = new Set(app.notices.map((n) => n.id));
    return decide
      .run((key) => decideIntake(app.id, action, key, lang))
      .then(
        (next) => {
          set(next);
          setDialog(null);
          const notice = next.notices.find((n) => !before.has(n.id)) ?? next.notices.at(-1);
          if (notice) setIssued({ kind: action.kind, noticeId: notice.id });
          message.success(
            t(text.done, {
              action: t(actionNames[action.kind]),
              notice: notice
                ? t(noticeKindLabels[notice.kind] ?? { zh: notice.kind, en: notice.kind })
                : '—',
            }),
          );
          window.scrollTo({ top: 0, behavior: 'smooth' });
          return true;
        },
        (error: unknown) => {
          setProblems({
            message: error instanceof Error ? error.message : String(error),
            details: error instanceof ApiError ? error.details : [],
          });
          return false;
        },
      );
  };

  const onAccept = () =>
    modal.confirm({
      title: t(text.acceptTitle),
      content: t(text.acceptBody),
      okText: t(text.accept),
      cancelText: t(text.cancel),
      onOk: () => run({ kind: 'accept' }),
    });

  const issuedNotice = issued && app.notices.find((n) => n.id === issued.noticeId);

  return (
    <div className="ot-app-page ot-app-intake" data-testid="intake-detail">
      <Button
        type="link"
        icon={<ArrowLeftOutlined />}
        onClick={() => navigate('/workbench/intake')}
        className="ot-app-back"
      >
        {t(text.back)}
      </Button>
      <ApplicationHeader application={app} />

      {issuedNotice && (
        <Alert
          type="success"
          showIcon
          className="ot-block"
          data-testid="decision-done"
          title={t(text.done, {
            action: t(actionNames[issued.kind]),
            notice: t(noticeKindLabels[issuedNotice.kind] ?? { zh: issuedNotice.kind, en: '' }),
          })}
          action={
            <Link
              to={`/applications/${app.id}/notices/${issuedNotice.id}`}
              data-testid="issued-notice"
            >
              <PrinterOutlined /> {t(text.printNotice)}
            </Link>
          }
        />
      )}

      {problems && dialog === null && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          data-testid="decision-problems"
          title={t(text.failed, { message: problems.message })}
          description={
            problems.details.length > 0 ? <MissingList problems={problems.details} /> : undefined
          }
          closable={{ onClose: () => setProblems(null) }}
        />
      )}

      {editing ? (
        <>
          <Alert
            type="info"
            showIcon
            className="ot-block"
            title={t(text.assisted, { name: app.applicant.name })}
          />
          <ApplicationEditor
            key={app.id}
            application={app}
            content={content}
            onChange={set}
            onSubmitted={() => window.scrollTo({ top: 0, behavior: 'smooth' })}
          />
        </>
      ) : (
        <>
          <StatusNote application={app} content={content} />
          {(may('accept') ||
            may('accept-with-deficiency') ||
            may('correction') ||
            may('refuse')) && (
            <section className="ot-app-card ot-app-decide" data-testid="decision-bar">
              <h2 className="ot-app-card-title">{t(text.decide)}</h2>
              <p className="ot-muted">{t(text.decideNote)}</p>
              <Space wrap>
                {may('accept') && (
                  <Button
                    type="primary"
                    icon={<CheckOutlined />}
                    onClick={onAccept}
                    loading={decide.busy}
                    data-testid="decide-accept"
                  >
                    {t(text.accept)}
                  </Button>
                )}
                {may('accept-with-deficiency') && (
                  <Button
                    icon={<ClockCircleOutlined />}
                    onClick={() => setDialog('deficiency')}
                    data-testid="decide-deficiency"
                  >
                    {t(text.deficiency)}
                  </Button>
                )}
                {may('correction') && (
                  <Button
                    icon={<EditOutlined />}
                    onClick={() => setDialog('correction')}
                    data-testid="decide-correction"
                  >
                    {t(text.correction)}
                  </Button>
                )}
                {may('refuse') && (
                  <Button
                    danger
                    icon={<StopOutlined />}
                    onClick={() => setDialog('refuse')}
                    data-testid="decide-refuse"
                  >
                    {t(text.refuse)}
                  </Button>
                )}
              </Space>
            </section>
          )}
          <NoticeList application={app} />
          <AnswersView application={app} content={content} />
          <DataView application={app} />
          <MaterialsView application={app} />
          <ItemsView application={app} />
          <EventTimeline application={app} />
        </>
      )}

      <DeficiencyDialog
        problems={problems}
        open={dialog === 'deficiency'}
        application={app}
        busy={decide.busy}
        onCancel={() => {
          setDialog(null);
          setProblems(null);
        }}
        onSubmit={(values) => run({ kind: 'accept-with-deficiency', ...values })}
      />
      <CorrectionDialog
        problems={problems}
        open={dialog === 'correction'}
        application={app}
        busy={decide.busy}
        onCancel={() => {
          setDialog(null);
          setProblems(null);
        }}
        onSubmit={(values) => run({ kind: 'correction', ...values })}
      />
      <RefuseDialog
        problems={problems}
        open={dialog === 'refuse'}
        busy={decide.busy}
        onCancel={() => {
          setDialog(null);
          setProblems(null);
        }}
        onSubmit={(values) => run({ kind: 'refuse', ...values })}
      />
    </div>
  );
}

/** The server's reasons for refusing a decision, inside the dialog that asked for it. */
function DialogProblems({ problems }: { problems: Problems }) {
  const { t } = useI18n();
  if (!problems) return null;
  return (
    <Alert
      type="error"
      showIcon
      className="ot-block"
      data-testid="dialog-problems"
      title={t(text.failed, { message: problems.message })}
      description={
        problems.details.length > 0 ? <MissingList problems={problems.details} /> : undefined
      }
    />
  );
}

type Problems = { message: string; details: ErrorDetail[] } | null;

function DeficiencyDialog({
  problems,
  open,
  application,
  busy,
  onCancel,
  onSubmit,
}: {
  problems: Problems;
  open: boolean;
  application: Application;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (values: { materials: string[]; dueDate: string; note?: string }) => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const allowed = application.materials.filter((m) => m.required && m.deficiencyAllowed);
  const outstanding = allowed
    .filter((m) => m.provision === 'upload' && !m.pledged && m.uploads.length === 0)
    .map((m) => m.key);
  return (
    <Modal
      open={open}
      title={t(text.deficiencyTitle)}
      onCancel={onCancel}
      okText={t(text.deficiency)}
      cancelText={t(text.cancel)}
      okButtonProps={{ loading: busy, disabled: allowed.length === 0 }}
      destroyOnHidden
      onOk={() =>
        form
          .validateFields()
          .then((values: { materials: string[]; dueDate: string; note?: string }) =>
            onSubmit({ ...values, note: values.note?.trim() || undefined }),
          )
      }
      data-testid="deficiency-dialog"
    >
      <DialogProblems problems={problems} />
      {allowed.length === 0 ? (
        <Alert type="info" showIcon title={t(text.deficiencyNone)} />
      ) : (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ materials: outstanding, dueDate: today(7) }}
          preserve={false}
        >
          <Form.Item
            name="materials"
            label={t(text.deficiencyMaterials)}
            rules={[{ required: true, message: t(text.requiredChoice) }]}
          >
            <Checkbox.Group
              className="ot-app-checklist"
              options={allowed.map((m) => ({ value: m.key, label: t(m.name) }))}
            />
          </Form.Item>
          <Form.Item
            name="dueDate"
            label={t(text.dueDate)}
            rules={[{ required: true, message: t(text.required) }]}
          >
            <Input type="date" min={today(1)} />
          </Form.Item>
          <Form.Item name="note" label={t(text.note)}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

function CorrectionDialog({
  problems,
  open,
  application,
  busy,
  onCancel,
  onSubmit,
}: {
  problems: Problems;
  open: boolean;
  application: Application;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (values: {
    items: { material?: string; field?: string; note: string }[];
    note?: string;
  }) => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const options = [
    {
      label: t(text.targetMaterials),
      options: application.materials
        .filter((m) => m.required)
        .map((m) => ({ value: `material:${m.key}`, label: t(m.name) })),
    },
    {
      label: t(text.targetFields),
      options: application.guide.fields.map((f) => ({
        value: `field:${f.key}`,
        label: t(f.label),
      })),
    },
  ];
  return (
    <Modal
      open={open}
      title={t(text.correctionTitle)}
      onCancel={onCancel}
      okText={t(text.correction)}
      cancelText={t(text.cancel)}
      okButtonProps={{ loading: busy }}
      width={720}
      destroyOnHidden
      onOk={() =>
        form
          .validateFields()
          .then((values: { items: { target: string; note: string }[]; note?: string }) =>
            onSubmit({
              items: values.items.map((item) => {
                const [kind, key] = item.target.split(':');
                return kind === 'material'
                  ? { material: key, note: item.note.trim() }
                  : { field: key, note: item.note.trim() };
              }),
              note: values.note?.trim() || undefined,
            }),
          )
      }
    >
      <DialogProblems problems={problems} />
      <p className="ot-muted">{t(text.correctionIntro)}</p>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ items: [{}] }}
        preserve={false}
        data-testid="correction-dialog"
      >
        <Form.List name="items">
          {(rows, { add, remove }) => (
            <>
              {rows.map((row, index) => (
                <div key={row.key} className="ot-app-correction-row" data-row={index}>
                  <Form.Item
                    name={[row.name, 'target']}
                    label={t(text.target)}
                    rules={[{ required: true, message: t(text.requiredChoice) }]}
                  >
                    <Select
                      options={options}
                      showSearch={{ optionFilterProp: 'label' }}
                      popupMatchSelectWidth={false}
                      data-testid={`correction-target-${index}`}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[row.name, 'note']}
                    label={t(text.itemNote)}
                    rules={[{ required: true, whitespace: true, message: t(text.required) }]}
                  >
                    <Input maxLength={1000} data-testid={`correction-note-${index}`} />
                  </Form.Item>
                  {rows.length > 1 && (
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      onClick={() => remove(row.name)}
                      aria-label={t(text.cancel)}
                      className="ot-app-correction-remove"
                    />
                  )}
                </div>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block>
                {t(text.addItem)}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item name="note" label={t(text.overallNote)} style={{ marginTop: 16 }}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RefuseDialog({
  problems,
  open,
  busy,
  onCancel,
  onSubmit,
}: {
  problems: Problems;
  open: boolean;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (values: { reason: string; legalBasis: string }) => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  return (
    <Modal
      open={open}
      title={t(text.refuseTitle)}
      onCancel={onCancel}
      okText={t(text.refuse)}
      okButtonProps={{ danger: true, loading: busy }}
      cancelText={t(text.cancel)}
      destroyOnHidden
      onOk={() =>
        form
          .validateFields()
          .then((values: { reason: string; legalBasis: string }) =>
            onSubmit({ reason: values.reason.trim(), legalBasis: values.legalBasis.trim() }),
          )
      }
    >
      <DialogProblems problems={problems} />
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label={t(text.reason)}
          rules={[{ required: true, whitespace: true, message: t(text.required) }]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} />
        </Form.Item>
        <Form.Item
          name="legalBasis"
          label={t(text.legalBasis)}
          extra={t(text.legalBasisHint)}
          rules={[{ required: true, whitespace: true, message: t(text.required) }]}
        >
          <Input maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
