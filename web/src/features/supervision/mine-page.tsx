import { useEffect, useState } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import QRCode from 'qrcode';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Empty,
  Input,
  Modal,
  Result,
  Skeleton,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { QrcodeOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { useLoad } from '../cases/use-load';
import type { CheckinCode, CreditRecord, InspectionView, MyCredit } from './api';
import { applyRepair, fetchInspections, fetchMyCredit, requestCheckinCode } from './api';
import { ProblemAlert } from './draw-view';
import { DepartmentTags, PublishDue, StateTag } from './inspections-page';
import { REPAIR_STATE_COLORS, RESULT_COLORS, supervisionText } from './labels';
import { GradeBadge, useRecordColumns } from './public-pages';
import './supervision.css';

const text = {
  hall: { zh: '办事大厅', en: 'Service hall' },
  title: { zh: '我的检查与信用', en: 'My inspections and credit' },
  intro: {
    zh: '对本企业的每一次涉企检查都须事前备案、按计划进行：检查人员到达时，请出示入企码供其扫码登记；检查结束后可以评价。信用记录满足条件后可在线申请信用修复。',
    en: 'Every inspection of your enterprise is filed in advance and follows a plan: when the inspectors arrive, show them your check-in code; rate the inspection once it is over. Credit records may be repaired online once the conditions are met.',
  },
  // a natural person is not inspected and has no public credit page: only their own records
  personIntro: {
    zh: '这里是您本人的信用等级和信用记录，仅您本人可见；记录满足条件后可在线申请信用修复。',
    en: 'Your own credit grade and records, seen only by you. Records may be repaired online once the conditions are met.',
  },
  inspections: { zh: '涉企检查', en: 'Inspections' },
  noInspections: { zh: '暂无对本企业的检查', en: 'No inspection of your enterprise' },
  showCode: { zh: '出示入企码', en: 'Show check-in code' },
  codeTitle: { zh: '入企码', en: 'Check-in code' },
  codeHint: {
    zh: '请检查人员扫描二维码或输入下方码值。只有已备案的检查才能生成入企码。',
    en: 'Let the inspectors scan the QR code or type the code below. Only a filed inspection has one.',
  },
  expiresIn: { zh: '{time} 后失效', en: 'expires in {time}' },
  expired: { zh: '已失效，请重新出示', en: 'expired; show a new one' },
  rate: { zh: '评价', en: 'Rate' },
  credit: { zh: '我的信用', en: 'My credit' },
  publicCredit: { zh: '查看公示页面', en: 'See the public page' },
  asOf: { zh: '截至 {day}', en: 'as of {day}' },
  records: { zh: '信用记录', en: 'Credit records' },
  noRecords: { zh: '暂无信用记录', en: 'No credit record' },
  state: { zh: '状态', en: 'State' },
  action: { zh: '操作', en: 'Action' },
  applyRepair: { zh: '申请信用修复', en: 'Apply for repair' },
  repairTitle: { zh: '信用修复申请', en: 'Credit repair' },
  repairIntro: {
    zh: '请说明失信行为的纠正情况（如已缴纳罚款、已补报年报、已整改到位等）。认定部门将在 5 个工作日内作出决定。',
    en: 'State how the act was corrected (fine paid, report filed, fixed…). The department decides within 5 working days.',
  },
  statement: { zh: '纠正情况说明', en: 'How it was corrected' },
  submit: { zh: '提交申请', en: 'Submit' },
  cancel: { zh: '取消', en: 'Cancel' },
  submitted: { zh: '修复申请已提交', en: 'Repair application submitted' },
  repairs: { zh: '我的修复申请', en: 'My repair applications' },
  pending: { zh: '修复申请审核中', en: 'Repair being decided' },
  due: { zh: '决定期限', en: 'Decision due' },
  decision: { zh: '决定', en: 'Decision' },
  staffTitle: {
    zh: '“我的检查与信用”供企业使用',
    en: '“My inspections and credit” is for enterprises',
  },
} satisfies Record<string, Text>;

/** `/supervision/mine`: the enterprise's inspections, check-in codes, credit and repairs. */
export function MySupervisionPage() {
  const { t } = useI18n();
  const { user, state: auth } = useAuth();
  const location = useLocation();
  useDocumentTitle(text.title);
  if (auth.status === 'anonymous')
    return <Navigate to={`/signin?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (!user) return <Skeleton active />;
  if (user.role !== 'enterprise' && user.role !== 'citizen')
    return <Result status="info" title={t(text.staffTitle)} />;
  return (
    <div className="ot-page-width ot-section" data-testid="my-supervision">
      <Breadcrumb
        className="ot-block"
        items={[{ title: <Link to="/">{t(text.hall)}</Link> }, { title: t(text.title) }]}
      />
      <Typography.Title level={2}>{t(text.title)}</Typography.Title>
      <Typography.Paragraph className="ot-lead">
        {t(user.role === 'enterprise' ? text.intro : text.personIntro)}
      </Typography.Paragraph>
      {user.role === 'enterprise' && <MyInspections key={user.subjectId ?? ''} />}
      <MyCreditCard key={`credit:${user.subjectId ?? ''}`} />
    </div>
  );
}

function MyInspections() {
  const { t } = useI18n();
  const { state } = useLoad('mine', (lang, signal) =>
    fetchInspections({ limit: 50, offset: 0 }, lang, signal),
  );
  const [code, setCode] = useState<{ inspection: InspectionView; code: CheckinCode } | null>(null);
  const columns: TableColumnsType<InspectionView> = [
    {
      key: 'number',
      title: t(supervisionText.number),
      render: (_, i) => (
        <div className="ot-sv-cell">
          <span className="ot-sv-nowrap">{i.number}</span>
          <DepartmentTags inspection={i} />
        </div>
      ),
    },
    {
      key: 'items',
      title: t(supervisionText.items),
      render: (_, i) => (
        <div className="ot-sv-cell">
          {i.items.map((item) => (
            <span key={item.code}>{t(item.name)}</span>
          ))}
        </div>
      ),
      responsive: ['md'],
    },
    {
      key: 'when',
      title: t(supervisionText.period),
      render: (_, i) => (
        <div className="ot-sv-cell">
          <span className="ot-sv-nowrap">
            {t(supervisionText.periodRange, { from: i.startsOn, to: i.endsOn })}
          </span>
          {i.scheduledOn && (
            <span className="ot-muted">
              {t(supervisionText.scheduledOn)} {i.scheduledOn}
            </span>
          )}
        </div>
      ),
      responsive: ['sm'],
    },
    {
      key: 'state',
      title: t(supervisionText.state),
      render: (_, i) => (
        <div className="ot-sv-cell">
          <span>
            <StateTag inspection={i} />
          </span>
          {i.result && i.resultName && (
            <span>
              <Tag color={RESULT_COLORS[i.result]}>{t(i.resultName)}</Tag>
            </span>
          )}
          {i.state === 'finished' && <PublishDue inspection={i} />}
        </div>
      ),
    },
    {
      key: 'action',
      title: t(text.action),
      className: 'ot-sv-nowrap',
      render: (_, i) =>
        i.state === 'filed' ? (
          <ShowCodeButton inspection={i} onCode={(c) => setCode({ inspection: i, code: c })} />
        ) : i.state === 'finished' || i.state === 'published' ? (
          <Link to="/evaluations" data-testid="rate-inspection">
            {t(text.rate)}
          </Link>
        ) : null,
    },
  ];
  return (
    <Card className="ot-block ot-sv-card" title={t(text.inspections)} data-testid="my-inspections">
      {state.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(supervisionText.loadFailed, { message: state.message })}
        />
      )}
      {code && (
        <CheckinCodePanel
          inspection={code.inspection}
          code={code.code}
          onClose={() => setCode(null)}
        />
      )}
      <Table<InspectionView>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={state.value?.items ?? []}
        loading={state.status === 'loading'}
        locale={{ emptyText: t(text.noInspections) }}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
      />
    </Card>
  );
}

function ShowCodeButton({
  inspection,
  onCode,
}: {
  inspection: InspectionView;
  onCode: (code: CheckinCode) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      type="primary"
      icon={<QrcodeOutlined />}
      loading={busy}
      data-testid={`show-code-${inspection.number}`}
      onClick={async () => {
        setBusy(true);
        try {
          onCode(await requestCheckinCode(inspection.id, lang));
        } catch (error) {
          void message.error(error instanceof Error ? error.message : String(error));
        } finally {
          setBusy(false);
        }
      }}
    >
      {t(text.showCode)}
    </Button>
  );
}

/** Seconds left until `iso`, ticking every second. */
function useSecondsLeft(iso: string): number {
  const left = () => Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 1000));
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    const timer = setInterval(() => setSeconds(left()), 1000);
    return () => clearInterval(timer);
    // left reads iso only
  }, [iso]);
  return seconds;
}

/** The code shown large, with a QR code of its link and the countdown to its expiry. */
function CheckinCodePanel({
  inspection,
  code,
  onClose,
}: {
  inspection: InspectionView;
  code: CheckinCode;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const seconds = useSecondsLeft(code.expiresAt);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(`${window.location.origin}${code.path}`, {
      margin: 1,
      width: 220,
      errorCorrectionLevel: 'M',
    }).then(
      (url) => live && setQr(url),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [code.path]);
  const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return (
    <Card
      className="ot-block ot-sv-code-card"
      size="small"
      title={`${t(text.codeTitle)} · ${inspection.number}`}
      extra={
        <Button type="link" onClick={onClose}>
          ×
        </Button>
      }
      data-testid="checkin-code"
    >
      <div className="ot-sv-code">
        {qr && <img src={qr} alt={t(text.codeTitle)} className="ot-sv-qr" />}
        <div className="ot-sv-code-text">
          <Typography.Paragraph type="secondary">{t(text.codeHint)}</Typography.Paragraph>
          <div className="ot-sv-token-large" data-testid="checkin-token">
            {code.token}
          </div>
          <Tag color={seconds > 0 ? 'blue' : 'red'} data-testid="checkin-expiry">
            {seconds > 0 ? t(text.expiresIn, { time: clock }) : t(text.expired)}
          </Tag>
        </div>
      </div>
    </Card>
  );
}

function MyCreditCard() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const recordColumns = useRecordColumns();
  const { state, reload } = useLoad<MyCredit>('my-credit', (lang, signal) =>
    fetchMyCredit(lang, signal),
  );
  const [repairing, setRepairing] = useState<CreditRecord | null>(null);
  const credit = state.value;
  const pending = new Set(
    (credit?.repairs ?? []).filter((r) => r.state === 'submitted').map((r) => r.recordId),
  );
  const titleOf = (recordId: string) =>
    credit?.records.find((r) => r.id === recordId)?.title ?? recordId;
  const columns: TableColumnsType<MyCredit['records'][number]> = [
    ...(recordColumns as TableColumnsType<MyCredit['records'][number]>),
    {
      key: 'state',
      title: t(text.state),
      render: (_, r) => (
        <Tag color={r.state === 'repaired' ? 'green' : r.published ? 'blue' : 'default'}>
          {t(r.stateName)}
        </Tag>
      ),
    },
    {
      key: 'action',
      title: t(text.action),
      className: 'ot-sv-nowrap',
      render: (_, r) =>
        r.canRepair ? (
          <Button size="small" onClick={() => setRepairing(r)} data-testid={`repair-${r.id}`}>
            {t(text.applyRepair)}
          </Button>
        ) : pending.has(r.id) ? (
          <span className="ot-muted">{t(text.pending)}</span>
        ) : r.repairRefusal && r.kind !== 'commendation' ? (
          <span className="ot-muted ot-sv-clip" title={t(r.repairRefusal)}>
            {t(r.repairRefusal)}
          </span>
        ) : null,
    },
  ];
  return (
    <Card
      className="ot-block ot-sv-card"
      title={t(text.credit)}
      data-testid="my-credit"
      extra={
        // only an enterprise's credit is published (信用信息公示); a person's page would be a 404
        credit?.subject.kind === 'enterprise' && (
          <Link to={`/supervision/credit/${credit.subject.id}`} data-testid="public-credit-link">
            {t(text.publicCredit)}
          </Link>
        )
      }
    >
      {state.status === 'error' && (
        <Alert
          type="error"
          showIcon
          className="ot-block"
          title={t(supervisionText.loadFailed, { message: state.message })}
        />
      )}
      {!credit ? (
        state.status === 'loading' && <Skeleton active />
      ) : (
        <>
          <div className="ot-sv-grade-row ot-block">
            <GradeBadge grade={credit.grade} score={credit.score} />
            <span className="ot-muted">{t(text.asOf, { day: credit.asOf })}</span>
          </div>
          <Typography.Title level={5}>{t(text.records)}</Typography.Title>
          {credit.records.length === 0 ? (
            <Empty description={t(text.noRecords)} />
          ) : (
            <Table
              rowKey="id"
              size="small"
              className="ot-block"
              columns={columns}
              dataSource={credit.records}
              pagination={false}
              scroll={{ x: 'max-content' }}
              data-testid="my-credit-records"
            />
          )}
          {credit.repairs.length > 0 && (
            <>
              <Typography.Title level={5}>{t(text.repairs)}</Typography.Title>
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                scroll={{ x: 'max-content' }}
                dataSource={credit.repairs}
                data-testid="my-repairs"
                columns={[
                  {
                    key: 'record',
                    title: t(text.records),
                    render: (_, r) => titleOf(r.recordId),
                  },
                  {
                    key: 'state',
                    title: t(text.state),
                    render: (_, r) => (
                      <Tag
                        color={REPAIR_STATE_COLORS[r.state]}
                        data-testid="repair-state"
                        data-state={r.state}
                      >
                        {t(r.stateName)}
                      </Tag>
                    ),
                  },
                  {
                    key: 'due',
                    title: t(text.due),
                    render: (_, r) => (
                      <span className="ot-sv-nowrap">{formatTime(r.dueAt, locale)}</span>
                    ),
                    responsive: ['md'],
                  },
                  {
                    key: 'decision',
                    title: t(text.decision),
                    render: (_, r) =>
                      r.decidedAt
                        ? `${formatTime(r.decidedAt, locale)}${r.decisionNote ? ` · ${r.decisionNote}` : ''}`
                        : '—',
                  },
                ]}
              />
            </>
          )}
        </>
      )}
      {repairing && (
        <RepairDialog
          record={repairing}
          onClose={() => setRepairing(null)}
          onDone={() => {
            setRepairing(null);
            void message.success(t(text.submitted));
            reload();
          }}
        />
      )}
    </Card>
  );
}

function RepairDialog({
  record,
  onClose,
  onDone,
}: {
  record: CreditRecord;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const [statement, setStatement] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await applyRepair({ recordId: record.id, statement: statement.trim() }, lang);
      onDone();
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t(text.repairTitle)}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t(text.cancel)}
        </Button>,
        <Button
          key="submit"
          type="primary"
          loading={busy}
          disabled={statement.trim().length < 2}
          onClick={submit}
          data-testid="repair-submit"
        >
          {t(text.submit)}
        </Button>,
      ]}
    >
      <Typography.Paragraph strong>{record.title}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t(text.repairIntro)}</Typography.Paragraph>
      <Input.TextArea
        value={statement}
        onChange={(e) => setStatement(e.target.value)}
        rows={4}
        maxLength={2000}
        aria-label={t(text.statement)}
        placeholder={t(text.statement)}
        data-testid="repair-statement"
      />
      <ProblemAlert error={error} testId="repair-problems" />
    </Modal>
  );
}
