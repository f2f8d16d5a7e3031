import type { ReactNode } from 'react';
import { Timeline } from 'antd';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import type { Role } from '../platform/api';
import { roleLabels } from '../platform/roles';

/** One step of a history as the server records it: what, when, by whom, with what note. */
export interface HistoryStep {
  action: string;
  at: string;
  actorName?: string | null;
  actorRole?: string | null;
  note?: string | null;
}

/**
 * One step on a history timeline, the same for an application's and a case's: the step's name and
 * time, what it concerns (`about`, when given), who took it and the note.
 */
export function HistoryEntry({
  step,
  label,
  about,
  testId,
}: {
  step: HistoryStep;
  label: Text;
  about?: ReactNode;
  testId?: string;
}) {
  const { t, locale } = useI18n();
  return (
    <div className="ot-app-event" data-action={step.action} data-testid={testId}>
      <div className="ot-app-event-head">
        <strong>{t(label)}</strong>
        <span className="ot-muted">{formatTime(step.at, locale)}</span>
      </div>
      {about}
      {(step.actorName || step.actorRole) && (
        <div className="ot-muted">
          {[
            step.actorName,
            step.actorRole && step.actorRole in roleLabels
              ? t(roleLabels[step.actorRole as Role])
              : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </div>
      )}
      {step.note && <div>{step.note}</div>}
    </div>
  );
}

/** A card with a history, oldest step first; nothing while there is no step. */
export function HistoryCard<S extends HistoryStep>({
  title,
  titleId,
  steps,
  labelOf,
  colorOf,
  testId,
}: {
  title: Text;
  /** The heading's id, when the card is labelled by it for screen readers. */
  titleId?: string;
  steps: S[];
  labelOf: (step: S) => Text;
  /** The dot's colour of a step, to make warnings stand out. */
  colorOf?: (step: S) => string | undefined;
  testId: string;
}) {
  const { t } = useI18n();
  if (steps.length === 0) return null;
  return (
    <section className="ot-app-card" aria-labelledby={titleId} data-testid={testId}>
      <h2 id={titleId} className="ot-app-card-title">
        {t(title)}
      </h2>
      <Timeline
        items={steps.map((step, index) => ({
          key: index,
          color: colorOf?.(step),
          content: <HistoryEntry step={step} label={labelOf(step)} />,
        }))}
      />
    </section>
  );
}
