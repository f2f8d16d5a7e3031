import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Input,
  Select,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { RequireRole } from '../applications/require-role';
import { useLoad } from '../cases/use-load';
import type { InspectionDetail, InspectionResult } from './api';
import { fileInspection, fetchInspection, inspectionStep } from './api';
import { ProblemAlert } from './draw-view';
import {
  DepartmentTags,
  INSPECTION_ROLES,
  PublishDue,
  StateTag,
  tasksText,
} from './inspections-page';
import { EVENT_LABELS, RESULT_COLORS, RESULT_LABELS, supervisionText } from './labels';
import './supervision.css';

const text = {
  file: { zh: '事前备案', en: 'File in advance' },
  fileHint: {
    zh: '检查前须备案：勾选本次检查的事项并选择检查日期，须与抽查计划一致，否则不得检查。',
    en: 'File before you go: tick the items and pick the day; both must match the plan, or the inspection is refused.',
  },
  fileItems: { zh: '本次检查事项', en: 'Items to inspect' },
  fileDate: { zh: '检查日期', en: 'Day of the inspection' },
  fileSubmit: { zh: '备案', en: 'File' },
  checkIn: { zh: '扫码入企', en: 'Check in' },
  checkInHint: {
    zh: '到达企业后，请企业在“我的检查与信用”中出示入企码，扫码或输入码值完成入企登记（入企码 10 分钟内有效）。',
    en: 'At the enterprise, ask it to show its check-in code under "My inspections and credit"; scan it or type it in (valid for 10 minutes).',
  },
  token: { zh: '入企码', en: 'Check-in code' },
  tokenPlaceholder: { zh: '扫描或输入企业出示的入企码', en: "Scan or type the enterprise's code" },
  checkInSubmit: { zh: '确认入企', en: 'Check in' },
  finish: { zh: '检查结果', en: 'Result' },
  finishHint: {
    zh: '录入检查情况和结论；检查结束后 20 个工作日内须公示结果，企业可对本次检查进行评价。',
    en: 'Record the findings and the result; it must be published within 20 working days, and the enterprise may rate the inspection.',
  },
  findingsPlaceholder: {
    zh: '检查发现的情况、责令整改的事项等',
    en: 'What you found, what was ordered',
  },
  finishSubmit: { zh: '提交检查结果', en: 'Record the result' },
  publish: { zh: '结果公示', en: 'Publish' },
  publishHint: {
    zh: '公示后结果将出现在公开的“抽查结果公示”页面。',
    en: 'Once published the result appears on the public results page.',
  },
  publishSubmit: { zh: '公示结果', en: 'Publish the result' },
  published: { zh: '结果已于 {time} 公示。', en: 'Published {time}.' },
  publicLink: { zh: '查看公示页面', en: 'See the public page' },
  readOnly: {
    zh: '由被抽派的检查人员办理。',
    en: 'The assigned inspectors take the steps.',
  },
  events: { zh: '全程留痕', en: 'Every step on record' },
  subjectId: { zh: '统一社会信用代码', en: 'Credit code' },
  checkedInAt: { zh: '入企时间', en: 'Checked in' },
  pickResult: { zh: '请选择检查结论', en: 'Choose the result' },
} satisfies Record<string, Text>;

/** `/workbench/inspections/:id`: an inspection task, from filing to publication. */
export function InspectionPage() {
  return (
    <RequireRole roles={INSPECTION_ROLES}>
      <InspectionWork />
    </RequireRole>
  );
}

function InspectionWork() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const { state, set } = useLoad(id, (lang, signal) => fetchInspection(id, lang, signal));
  const inspection = state.value;
  useDocumentTitle(
    inspection
      ? { zh: `检查 ${inspection.number}`, en: `Inspection ${inspection.number}` }
      : tasksText.title,
  );
  if (!inspection)
    return state.status === 'error' ? (
      <Alert
        type="error"
        showIcon
        title={t(supervisionText.loadFailed, { message: state.message })}
      />
    ) : (
      <Skeleton active />
    );
  const inspector = user?.role === 'inspector';
  return (
    <div data-testid="inspection-page" data-state={inspection.state}>
      <Breadcrumb
        className="ot-block"
        items={[
          { title: <Link to="/workbench/inspections">{t(tasksText.title)}</Link> },
          { title: inspection.number },
        ]}
      />
      <div className="ot-workbench-title ot-sv-title-row">
        <Typography.Title level={2}>{inspection.subject.name}</Typography.Title>
        <StateTag inspection={inspection} />
      </div>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} className="ot-block">
        <Descriptions.Item label={t(supervisionText.number)}>{inspection.number}</Descriptions.Item>
        <Descriptions.Item label={t(text.subjectId)}>
          {inspection.subject.identifier}
        </Descriptions.Item>
        <Descriptions.Item label={t(supervisionText.departments)} span={2}>
          <DepartmentTags inspection={inspection} />
        </Descriptions.Item>
        <Descriptions.Item label={t(supervisionText.items)} span={2}>
          {inspection.items.map((item) => (
            <Tag key={item.code}>{t(item.name)}</Tag>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t(supervisionText.inspectors)}>
          {(inspection.inspectors ?? []).map((i) => i.name).join(locale === 'en' ? ', ' : '、')}
        </Descriptions.Item>
        <Descriptions.Item label={t(supervisionText.period)}>
          {t(supervisionText.periodRange, { from: inspection.startsOn, to: inspection.endsOn })}
        </Descriptions.Item>
        <Descriptions.Item label={t(supervisionText.scheduledOn)}>
          {inspection.scheduledOn ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t(text.checkedInAt)}>
          {formatTime(inspection.checkedInAt, locale)}
        </Descriptions.Item>
        {inspection.result && (
          <>
            <Descriptions.Item label={t(supervisionText.result)}>
              <Tag color={RESULT_COLORS[inspection.result]} data-testid="inspection-result">
                {t(inspection.resultName ?? RESULT_LABELS[inspection.result])}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t(supervisionText.finishedAt)}>
              {formatTime(inspection.finishedAt, locale)}
            </Descriptions.Item>
            <Descriptions.Item label={t(supervisionText.findings)} span={2}>
              {inspection.findings}
            </Descriptions.Item>
          </>
        )}
        <Descriptions.Item label={t(supervisionText.publishDue)} span={2}>
          <PublishDue inspection={inspection} />
        </Descriptions.Item>
      </Descriptions>
      {inspector ? (
        <StepCard inspection={inspection} onChange={set} />
      ) : (
        inspection.state !== 'published' && (
          <Alert type="info" showIcon className="ot-block" title={t(text.readOnly)} />
        )
      )}
      <Card className="ot-block" title={t(text.events)} data-testid="inspection-events">
        <Timeline
          items={inspection.events.map((e) => ({
            content: (
              <div className="ot-sv-event" data-action={e.action}>
                <strong>{t(EVENT_LABELS[e.action] ?? { zh: e.action, en: e.action })}</strong>
                <span className="ot-muted">
                  {formatTime(e.at, locale)}
                  {e.actorName ? ` · ${e.actorName}` : ''}
                </span>
                {e.note && <span className="ot-muted ot-sv-note">{e.note}</span>}
              </div>
            ),
          }))}
        />
      </Card>
    </div>
  );
}

/** The step the inspection is at, for an inspector. */
function StepCard({
  inspection,
  onChange,
}: {
  inspection: InspectionDetail;
  onChange: (next: InspectionDetail) => void;
}) {
  const { t, lang, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const today = dayjs();
  const firstDay = dayjs(inspection.startsOn);
  const [items, setItems] = useState<string[]>(inspection.items.map((i) => i.code));
  const [day, setDay] = useState<Dayjs | null>(today.isBefore(firstDay) ? firstDay : today);
  const [token, setToken] = useState('');
  const [result, setResult] = useState<InspectionResult | undefined>();
  const [findings, setFindings] = useState('');

  const run = async (action: () => Promise<InspectionDetail>) => {
    setBusy(true);
    setError(null);
    try {
      onChange(await action());
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  switch (inspection.state) {
    case 'planned':
      return (
        <Card className="ot-block" title={t(text.file)} data-testid="step-file">
          <Typography.Paragraph type="secondary">{t(text.fileHint)}</Typography.Paragraph>
          <div className="ot-sv-field">
            <span className="ot-sv-label">{t(text.fileItems)}</span>
            <Checkbox.Group
              value={items}
              onChange={(v) => setItems(v as string[])}
              className="ot-sv-checks"
            >
              {inspection.items.map((item) => (
                <Checkbox key={item.code} value={item.code} data-testid={`file-item-${item.code}`}>
                  {t(item.name)}
                </Checkbox>
              ))}
            </Checkbox.Group>
          </div>
          <div className="ot-sv-field">
            <span className="ot-sv-label">{t(text.fileDate)}</span>
            <DatePicker value={day} onChange={setDay} allowClear={false} data-testid="file-date" />
          </div>
          <ProblemAlert error={error} testId="file-problems" />
          <Button
            type="primary"
            loading={busy}
            disabled={items.length === 0 || !day}
            data-testid="file-submit"
            onClick={() =>
              run(() =>
                fileInspection(
                  {
                    subjectId: inspection.subject.id,
                    itemCodes: items,
                    scheduledOn: day!.format('YYYY-MM-DD'),
                  },
                  lang,
                ),
              )
            }
          >
            {t(text.fileSubmit)}
          </Button>
        </Card>
      );
    case 'filed':
      return (
        <Card className="ot-block" title={t(text.checkIn)} data-testid="step-check-in">
          <Typography.Paragraph type="secondary">{t(text.checkInHint)}</Typography.Paragraph>
          <Space.Compact className="ot-sv-token">
            <Input
              value={token}
              onChange={(e) => setToken(e.target.value.trim())}
              placeholder={t(text.tokenPlaceholder)}
              aria-label={t(text.token)}
              data-testid="checkin-token-input"
            />
            <Button
              type="primary"
              loading={busy}
              disabled={token.length < 8}
              data-testid="checkin-submit"
              onClick={() => run(() => inspectionStep(inspection.id, 'check-in', { token }, lang))}
            >
              {t(text.checkInSubmit)}
            </Button>
          </Space.Compact>
          <ProblemAlert error={error} testId="checkin-problems" />
        </Card>
      );
    case 'checked_in':
      return (
        <Card className="ot-block" title={t(text.finish)} data-testid="step-finish">
          <Typography.Paragraph type="secondary">{t(text.finishHint)}</Typography.Paragraph>
          <div className="ot-sv-field">
            <span className="ot-sv-label">{t(supervisionText.result)}</span>
            <Select<InspectionResult>
              value={result}
              onChange={setResult}
              placeholder={t(text.pickResult)}
              style={{ minWidth: 240 }}
              options={(Object.keys(RESULT_LABELS) as InspectionResult[]).map((r) => ({
                value: r,
                label: t(RESULT_LABELS[r]),
              }))}
              data-testid="finish-result"
            />
          </div>
          <div className="ot-sv-field">
            <span className="ot-sv-label">{t(supervisionText.findings)}</span>
            <Input.TextArea
              value={findings}
              onChange={(e) => setFindings(e.target.value)}
              rows={4}
              maxLength={4000}
              placeholder={t(text.findingsPlaceholder)}
              data-testid="finish-findings"
            />
          </div>
          <ProblemAlert error={error} testId="finish-problems" />
          <Button
            type="primary"
            loading={busy}
            disabled={!result || findings.trim().length < 2}
            data-testid="finish-submit"
            onClick={() =>
              run(() =>
                inspectionStep(
                  inspection.id,
                  'finish',
                  { result, findings: findings.trim() },
                  lang,
                ),
              )
            }
          >
            {t(text.finishSubmit)}
          </Button>
        </Card>
      );
    case 'finished':
      return (
        <Card className="ot-block" title={t(text.publish)} data-testid="step-publish">
          <Typography.Paragraph type="secondary">{t(text.publishHint)}</Typography.Paragraph>
          <ProblemAlert error={error} testId="publish-problems" />
          <Button
            type="primary"
            loading={busy}
            data-testid="publish-submit"
            onClick={() => run(() => inspectionStep(inspection.id, 'publish', undefined, lang))}
          >
            {t(text.publishSubmit)}
          </Button>
        </Card>
      );
    case 'published':
      return (
        <Alert
          type="success"
          showIcon
          className="ot-block"
          data-testid="step-published"
          title={t(text.published, { time: formatTime(inspection.publishedAt, locale) })}
          action={<Link to="/supervision/results">{t(text.publicLink)}</Link>}
        />
      );
  }
}
