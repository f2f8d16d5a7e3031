import type { ReactNode } from 'react';
import { Timeline } from 'antd';
import type { Text, TextValues } from '../../shell/i18n';
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

const noteText = {
  upload: { zh: '{material}：{file}', en: '{material}: {file}' },
  deficiency: {
    zh: '容缺材料：{materials}，{due} 前补交',
    en: 'Materials to follow: {materials}, by {due}',
  },
  separator: { zh: '、', en: ', ' },
} satisfies Record<string, Text>;

/**
 * A note the platform wrote itself on an application's step, in the reader's language: the server
 * records an upload as "<material>：<file>" with the material's Chinese name, and a deficiency as
 * "容缺材料：<keys>，<date> 前补交" with the materials' keys; the application knows their names in
 * both languages. Notes people wrote are shown as they are.
 */
export function platformNote(
  step: HistoryStep,
  materials: readonly { key: string; name: Text }[],
  t: (text: Text, values?: TextValues) => string,
): string | null | undefined {
  const note = step.note;
  if (!note) return note;
  if (step.action === 'material_uploaded') {
    const material = materials.find((m) => note.startsWith(`${m.name.zh}：`));
    if (!material) return note;
    return t(noteText.upload, {
      material: t(material.name),
      file: note.slice(material.name.zh.length + 1),
    });
  }
  const deficiency = /^容缺材料：(.+)，(\d{4}-\d{2}-\d{2}) 前补交$/.exec(note);
  if (deficiency) {
    const names = deficiency[1]!.split('、').map((key) => {
      const material = materials.find((m) => m.key === key);
      return material ? t(material.name) : key;
    });
    return t(noteText.deficiency, {
      materials: names.join(t(noteText.separator)),
      due: deficiency[2]!,
    });
  }
  return note;
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
