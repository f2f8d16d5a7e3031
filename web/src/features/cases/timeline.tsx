import { useState } from 'react';
import { App, Button, Tag, Timeline as AntTimeline } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { HistoryEntry, platformNote } from '../applications/history-entry';
import type { CaseAction, CaseState, ResultPackage, Timeline, TimelineCase } from './api';
import { fetchResults, fetchTimeline } from './api';
import { ActionDialog, doneText } from './case-actions';
import { CaseStateTag, WarningTag } from './case-view';
import { awaitedLabels, eventLabelOf, progressColors, progressLabels } from './labels';
import { hasResults, ResultPackageView } from './results';
import { useLoad } from './use-load';
import './cases.css';

// The applicant's view of the department cases of an application: where each stands, what is
// awaited of whom and by when, every step in time order, and the combined result package.

export const timelineText = {
  title: { zh: '办理进度', en: 'Progress' },
  expectedBy: { zh: '预计 {at} 前全部办结', en: 'Expected to be finished by {at}' },
  due: { zh: '承诺 {at} 前办结', en: 'Due by {at}' },
  finished: { zh: '{at} 办结', en: 'Finished {at}' },
  awaited: { zh: '等待：{who}', en: 'Awaiting: {who}' },
  steps: { zh: '办理过程', en: 'Steps' },
  showAll: { zh: '显示全部 {count} 步', en: 'Show all {count} steps' },
  showLess: { zh: '只看最近', en: 'Show the latest' },
  refresh: { zh: '刷新', en: 'Refresh' },
  correct: { zh: '已补正', en: 'Corrected' },
  withdraw: { zh: '撤回此事项', en: 'Withdraw this item' },
  correctHint: {
    zh: '部门退回补正：请按要求补正后点击“已补正”。',
    en: 'Returned for correction: correct what was asked, then confirm.',
  },
  failed: { zh: '办理进度加载失败：{message}', en: 'Progress could not be loaded: {message}' },
} satisfies Record<string, Text>;

/** Case states the applicant may still withdraw from. */
const WITHDRAWABLE: CaseState[] = [
  'waiting',
  'pending',
  'accepted',
  'in_review',
  'returned_for_correction',
  'suspended',
];

/** How many of the latest steps show before "show all". */
const RECENT_STEPS = 8;

/** One case on the applicant's timeline, with the applicant's own buttons. */
function CaseCard({
  c,
  applicant,
  onAct,
}: {
  c: TimelineCase;
  applicant: boolean;
  onAct: (action: CaseAction) => void;
}) {
  const { t, locale } = useI18n();
  const mayCorrect = applicant && c.state === 'returned_for_correction';
  const mayWithdraw = applicant && WITHDRAWABLE.includes(c.state);
  return (
    <li
      className={`ot-case-progress-item ot-case-awaited-${c.awaited.who}`}
      data-testid="progress-case"
      data-member={c.memberKey}
      data-state={c.state}
    >
      <div className="ot-case-progress-head">
        <strong>{t(c.item)}</strong>
        <CaseStateTag state={c.state} name={c.stateName} />
        <WarningTag warning={c.warning} />
      </div>
      <div className="ot-muted">{t(c.department)}</div>
      <div
        className="ot-case-progress-awaited"
        data-testid="progress-awaited"
        data-who={c.awaited.who}
      >
        {c.awaited.who !== 'none' && (
          <Tag bordered={false} color={c.awaited.who === 'applicant' ? 'orange' : 'blue'}>
            {t(timelineText.awaited, {
              who: t(awaitedLabels[c.awaited.who] ?? { zh: c.awaited.who, en: c.awaited.who }),
            })}
          </Tag>
        )}
        <span>{t(c.awaited.text)}</span>
      </div>
      <div className="ot-muted ot-case-progress-due">
        {c.finishedAt
          ? t(timelineText.finished, { at: formatTime(c.finishedAt, locale) })
          : c.committedDueAt
            ? t(timelineText.due, { at: formatTime(c.committedDueAt, locale) })
            : null}
      </div>
      {mayCorrect && <div className="ot-case-progress-hint">{t(timelineText.correctHint)}</div>}
      {(mayCorrect || mayWithdraw) && (
        <div className="ot-case-progress-actions">
          {mayCorrect && (
            <Button
              type="primary"
              size="small"
              onClick={() => onAct('correct')}
              data-testid="progress-correct"
            >
              {t(timelineText.correct)}
            </Button>
          )}
          {mayWithdraw && (
            <Button
              size="small"
              danger
              onClick={() => onAct('withdraw')}
              data-testid="progress-withdraw"
            >
              {t(timelineText.withdraw)}
            </Button>
          )}
        </div>
      )}
    </li>
  );
}

/** The steps of the application and its cases, oldest first. */
function Steps({
  timeline,
  materials,
}: {
  timeline: Timeline;
  materials: readonly { key: string; name: Text }[];
}) {
  const { t } = useI18n();
  const [all, setAll] = useState(false);
  const steps = timeline.steps;
  const shown = all ? steps : steps.slice(-RECENT_STEPS);
  if (steps.length === 0) return null;
  return (
    <div className="ot-case-steps" data-testid="progress-steps">
      <div className="ot-case-section-head">
        <h3>{t(timelineText.steps)}</h3>
        {steps.length > RECENT_STEPS && (
          <Button type="link" size="small" onClick={() => setAll((v) => !v)}>
            {all ? t(timelineText.showLess) : t(timelineText.showAll, { count: steps.length })}
          </Button>
        )}
      </div>
      <AntTimeline
        items={shown.map((s, i) => ({
          key: `${s.at}-${i}`,
          color:
            s.action === 'warning_red' ? 'red' : s.source === 'application' ? 'gray' : undefined,
          content: (
            <HistoryEntry
              step={s.source === 'application' ? { ...s, note: platformNote(s, materials, t) } : s}
              label={eventLabelOf(s.action, s.label)}
              testId="progress-step"
              about={
                (s.item || s.department) && (
                  <div className="ot-muted">
                    {[s.item && t(s.item), s.department && t(s.department)]
                      .filter(Boolean)
                      .join(' · ')}
                  </div>
                )
              }
            />
          ),
        }))}
      />
    </div>
  );
}

/**
 * The "办理进度" section of an application: each department case with what is awaited of whom and
 * its due, the steps in time order, and — once any result exists — the combined result package.
 */
export function ApplicationProgress({
  applicationId,
  materials,
}: {
  applicationId: string;
  /** The application's materials, to name them in the notes the platform wrote. */
  materials: readonly { key: string; name: Text }[];
}) {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const timeline = useLoad<Timeline>(applicationId, (lang, signal) =>
    fetchTimeline(applicationId, lang, signal),
  );
  const results = useLoad<ResultPackage>(applicationId, (lang, signal) =>
    fetchResults(applicationId, lang, signal),
  );
  const [acting, setActing] = useState<{ caseId: string; action: CaseAction } | null>(null);
  const applicant = user?.role === 'citizen' || user?.role === 'enterprise';
  const value = timeline.state.value;
  const reload = () => {
    timeline.reload();
    results.reload();
  };
  // An application without department cases yet (or a server without them) shows nothing here.
  if (!value) {
    if (timeline.state.status === 'error' && timeline.state.httpStatus >= 500) {
      return (
        <p className="ot-muted">{t(timelineText.failed, { message: timeline.state.message })}</p>
      );
    }
    return null;
  }
  if (value.cases.length === 0) return null;
  const pkg = results.state.value;
  return (
    <>
      {hasResults(pkg) && <ResultPackageView pkg={pkg} />}
      <section className="ot-app-card" data-testid="progress" data-progress={value.progress}>
        <div className="ot-case-section-head">
          <h2 className="ot-app-card-title">{t(timelineText.title)}</h2>
          <Tag color={progressColors[value.progress]} data-testid="progress-tag">
            {t(progressLabels[value.progress])}
          </Tag>
          <span className="ot-spacer" />
          <Button
            size="small"
            icon={<ReloadOutlined />}
            onClick={reload}
            loading={timeline.state.status === 'loading'}
            className="ot-case-no-print"
          >
            {t(timelineText.refresh)}
          </Button>
        </div>
        {value.expectedBy && value.progress === 'in_progress' && (
          <p className="ot-muted">
            {t(timelineText.expectedBy, { at: formatTime(value.expectedBy, locale) })}
          </p>
        )}
        <ul className="ot-case-progress">
          {value.cases.map((c) => (
            <CaseCard
              key={c.id}
              c={c}
              applicant={applicant}
              onAct={(action) => setActing({ caseId: c.id, action })}
            />
          ))}
        </ul>
        <Steps timeline={value} materials={materials} />
      </section>
      {acting && (
        <ActionDialog
          caseId={acting.caseId}
          action={acting.action}
          onCancel={() => setActing(null)}
          onDone={() => {
            void message.success(t(doneText(acting.action)));
            setActing(null);
            reload();
          }}
        />
      )}
    </>
  );
}
