import { Button, Checkbox, Radio } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import type { Answers } from './api';
import type { Situation } from './content';

/** What the questionnaire reads of a question; bundle questions (一件事情形) have this shape too. */
export type QuestionnaireSituation = Pick<Situation, 'key' | 'question' | 'multiple'> & {
  answers: Pick<Situation['answers'][number], 'key' | 'label'>[];
};

const text = {
  intro: {
    zh: '回答以下问题，材料清单和承诺时限会按您的情形即时调整。',
    en: 'Answer these questions and the list of materials and the committed limit adapt to your situation at once.',
  },
  multiple: { zh: '可多选', en: 'choose all that apply' },
  unanswered: {
    zh: '还有 {count} 个问题未回答，回答后材料清单更准确。',
    en: '{count} question(s) still unanswered; answer them for an exact list.',
  },
  allAnswered: {
    zh: '已按您的回答列出所需材料。',
    en: 'The materials below are those your answers call for.',
  },
  reset: { zh: '重新选择', en: 'Start over' },
} satisfies Record<string, Text>;

/** The situation questions (情形引导): one radio or checkbox group per question. */
export function SituationQuestionnaire({
  situations,
  answers,
  onChange,
}: {
  situations: QuestionnaireSituation[];
  answers: Answers;
  onChange(answers: Answers): void;
}) {
  const { t } = useI18n();
  const unanswered = situations.filter((s) => (answers[s.key] ?? []).length === 0).length;
  const answeredAny = unanswered < situations.length;

  const set = (key: string, chosen: string[]) => {
    const next = { ...answers };
    if (chosen.length === 0) delete next[key];
    else next[key] = chosen;
    onChange(next);
  };

  return (
    <div className="ot-questionnaire" data-testid="questionnaire">
      <p className="ot-guide-note">{t(text.intro)}</p>
      <ol className="ot-questionnaire-list">
        {situations.map((situation) => {
          const id = `situation-${situation.key}`;
          const chosen = answers[situation.key] ?? [];
          return (
            <li key={situation.key} className="ot-question" data-situation={situation.key}>
              <div className="ot-question-text" id={id}>
                {t(situation.question)}
                {situation.multiple && <span className="ot-guide-note"> · {t(text.multiple)}</span>}
              </div>
              {situation.multiple ? (
                <Checkbox.Group
                  aria-labelledby={id}
                  className="ot-question-answers"
                  value={chosen}
                  onChange={(values) => set(situation.key, values.map(String))}
                  options={situation.answers.map((answer) => ({
                    value: answer.key,
                    label: t(answer.label),
                  }))}
                />
              ) : (
                <Radio.Group
                  aria-labelledby={id}
                  className="ot-question-answers"
                  value={chosen[0]}
                  onChange={(event) => set(situation.key, [String(event.target.value)])}
                  options={situation.answers.map((answer) => ({
                    value: answer.key,
                    label: t(answer.label),
                  }))}
                />
              )}
            </li>
          );
        })}
      </ol>
      {answeredAny && (
        <div className="ot-questionnaire-status">
          <span className="ot-guide-note" data-testid="questionnaire-status">
            {unanswered > 0 ? t(text.unanswered, { count: unanswered }) : t(text.allAnswered)}
          </span>
          <Button size="small" icon={<ReloadOutlined />} onClick={() => onChange({})}>
            {t(text.reset)}
          </Button>
        </div>
      )}
    </div>
  );
}
