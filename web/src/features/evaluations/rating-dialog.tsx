import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Alert, Button, Input, Modal, Typography } from 'antd';
import {
  FrownFilled,
  FrownOutlined,
  MehOutlined,
  SmileFilled,
  SmileOutlined,
} from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import { ApiError } from '../platform/api';
import type { ErrorDetail } from '../platform/api';
import type { Level, RatingInput, RatingView, ServiceView } from './api';
import { rateService } from './api';
import { LEVELS, LEVEL_COLORS, LEVEL_LABELS, evaluationText, isBad, tagsOfLevel } from './labels';
import './evaluations.css';

const text = {
  title: { zh: '服务评价', en: 'Rate the service' },
  level: { zh: '您对本次服务满意吗？', en: 'How satisfied are you with this service?' },
  goodTags: { zh: '哪些方面让您满意？（可多选）', en: 'What went well? (any)' },
  badTags: { zh: '哪些方面不满意？（可多选）', en: 'What went wrong? (any)' },
  reasonRequired: {
    zh: '差评请至少选择一个原因或填写意见，以便部门整改。',
    en: 'For a bad rating, pick at least one reason or write a comment, so the department can put it right.',
  },
  comment: { zh: '意见和建议（选填）', en: 'Comments and suggestions (optional)' },
  commentPlaceholder: {
    zh: '请描述您的办事体验，不要填写身份证号等个人信息',
    en: 'Tell us about your experience; do not write ID numbers or other personal data',
  },
  submit: { zh: '提交评价', en: 'Submit' },
  cancel: { zh: '取消', en: 'Cancel' },
  pickLevel: { zh: '请先选择满意程度', en: 'Choose a level first' },
  thanks: { zh: '感谢您的评价', en: 'Thank you for rating' },
  problems: { zh: '评价未能提交', en: 'The rating was not accepted' },
} satisfies Record<string, Text>;

/** The face of each level. */
export const LEVEL_ICONS: Record<Level, ReactNode> = {
  5: <SmileFilled />,
  4: <SmileOutlined />,
  3: <MehOutlined />,
  2: <FrownOutlined />,
  1: <FrownFilled />,
};

/** The five levels as large buttons, 5 (very satisfied) first. */
export function LevelPicker({
  value,
  onChange,
  huge = false,
}: {
  value: Level | null;
  onChange: (level: Level) => void;
  huge?: boolean;
}) {
  const { t } = useI18n();
  return (
    <div
      className={huge ? 'ot-eval-levels ot-eval-levels-huge' : 'ot-eval-levels'}
      role="radiogroup"
      aria-label={t(text.level)}
    >
      {LEVELS.map((level) => {
        const chosen = value === level;
        return (
          <button
            key={level}
            type="button"
            role="radio"
            aria-checked={chosen}
            className={chosen ? 'ot-eval-level ot-eval-level-chosen' : 'ot-eval-level'}
            style={{ ['--ot-eval-color' as string]: LEVEL_COLORS[level] }}
            onClick={() => onChange(level)}
            data-testid={`rating-level-${level}`}
          >
            <span className="ot-eval-level-face" aria-hidden="true">
              {LEVEL_ICONS[level]}
            </span>
            <span className="ot-eval-level-label">{t(LEVEL_LABELS[level])}</span>
          </button>
        );
      })}
    </div>
  );
}

/** The reason tags that fit the level, as checkable chips. */
export function ReasonTags({
  level,
  value,
  onChange,
  huge = false,
}: {
  level: Level;
  value: string[];
  onChange: (tags: string[]) => void;
  huge?: boolean;
}) {
  const { t } = useI18n();
  const bad = isBad(level);
  return (
    <div>
      <Typography.Text strong className="ot-eval-question">
        {t(bad ? text.badTags : text.goodTags)}
      </Typography.Text>
      <div
        className={huge ? 'ot-eval-tags ot-eval-tags-huge' : 'ot-eval-tags'}
        data-testid="rating-tags"
        data-set={bad ? 'bad' : 'good'}
      >
        {tagsOfLevel(level).map((tag) => {
          const checked = value.includes(tag.key);
          return (
            <button
              key={tag.key}
              type="button"
              aria-pressed={checked}
              className={[
                'ot-eval-tag',
                bad ? 'ot-eval-tag-bad' : 'ot-eval-tag-good',
                checked ? 'ot-eval-tag-checked' : '',
              ].join(' ')}
              onClick={() =>
                onChange(checked ? value.filter((key) => key !== tag.key) : [...value, tag.key])
              }
              data-testid={`rating-tag-${tag.key}`}
            >
              {t(tag.label)}
            </button>
          );
        })}
      </div>
    </div>
  );
}

/** A refused request: its message and the problems the server named. */
export interface Problem {
  message: string;
  details: ErrorDetail[];
}

/** A failure as a problem to show. */
export function problemOf(failure: unknown): Problem {
  if (failure instanceof ApiError) return { message: failure.message, details: failure.details };
  return { message: failure instanceof Error ? failure.message : String(failure), details: [] };
}

/** The server's refusal: under a title, each problem it named, or its message when it named none. */
export function ProblemAlert({ problem, title }: { problem: Problem; title?: Text }) {
  const { t } = useI18n();
  const list =
    problem.details.length > 0 ? (
      <ul className="ot-eval-problems">
        {problem.details.map((detail, index) => (
          <li key={index} data-rule={detail.rule}>
            {detail.message}
          </li>
        ))}
      </ul>
    ) : null;
  return (
    <Alert
      type="error"
      showIcon
      className="ot-block"
      data-testid="rating-error"
      title={title ? t(title) : problem.message}
      description={title ? (list ?? problem.message) : list}
    />
  );
}

/** What a rating form holds before it is sent. */
export interface RatingDraft {
  level: Level | null;
  tags: string[];
  comment: string;
}

export const emptyDraft: RatingDraft = { level: null, tags: [], comment: '' };

/** The draft as the API takes it; null until a level is chosen. */
export function inputOf(draft: RatingDraft): RatingInput | null {
  if (draft.level === null) return null;
  const comment = draft.comment.trim();
  return { level: draft.level, tags: draft.tags, ...(comment ? { comment } : {}) };
}

/** The level, the reasons that fit it and the comment: the body of every rating form. */
export function RatingFields({
  draft,
  onChange,
  huge = false,
}: {
  draft: RatingDraft;
  onChange: (draft: RatingDraft) => void;
  huge?: boolean;
}) {
  const { t } = useI18n();
  const setLevel = (level: Level) => {
    // Praise does not fit a complaint and the other way round: keep only the tags of the new set.
    const fitting = new Set(tagsOfLevel(level).map((tag) => tag.key));
    onChange({ ...draft, level, tags: draft.tags.filter((key) => fitting.has(key)) });
  };
  const bad = draft.level !== null && isBad(draft.level);
  const missingReason = bad && draft.tags.length === 0 && draft.comment.trim() === '';
  return (
    <div className="ot-eval-fields">
      <Typography.Text strong className="ot-eval-question">
        {t(text.level)}
      </Typography.Text>
      <LevelPicker value={draft.level} onChange={setLevel} huge={huge} />
      {draft.level !== null && (
        <ReasonTags
          level={draft.level}
          value={draft.tags}
          onChange={(tags) => onChange({ ...draft, tags })}
          huge={huge}
        />
      )}
      {missingReason && (
        <Typography.Paragraph type="warning" className="ot-eval-hint">
          {t(text.reasonRequired)}
        </Typography.Paragraph>
      )}
      {draft.level !== null && (
        <label className="ot-eval-comment">
          <Typography.Text strong className="ot-eval-question">
            {t(text.comment)}
          </Typography.Text>
          <Input.TextArea
            value={draft.comment}
            onChange={(event) => onChange({ ...draft, comment: event.target.value })}
            placeholder={t(text.commentPlaceholder)}
            autoSize={{ minRows: huge ? 3 : 2, maxRows: 6 }}
            maxLength={1000}
            showCount
            data-testid="rating-comment"
          />
        </label>
      )}
    </div>
  );
}

/** Texts of the rating form other pages reuse. */
export const ratingFormText = text;

/** The dialog to rate one service: level, reasons, comment; shows what the server refused. */
export function RatingDialog({
  service,
  open,
  onClose,
  onRated,
}: {
  service: ServiceView;
  open: boolean;
  onClose: () => void;
  onRated: (rating: RatingView) => void;
}) {
  const { t, lang, locale } = useI18n();
  const [draft, setDraft] = useState<RatingDraft>(emptyDraft);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    if (!open) return;
    setDraft(emptyDraft);
    setProblem(null);
  }, [open, service.id]);

  async function submit() {
    const input = inputOf(draft);
    if (!input) return;
    setBusy(true);
    setProblem(null);
    try {
      onRated(await rateService(service.id, input, lang));
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={open}
      title={t(text.title)}
      onCancel={onClose}
      destroyOnHidden
      width={640}
      footer={
        <>
          <Button onClick={onClose}>{t(text.cancel)}</Button>
          <Button
            type="primary"
            loading={busy}
            disabled={draft.level === null}
            title={draft.level === null ? t(text.pickLevel) : undefined}
            onClick={() => void submit()}
            data-testid="rating-submit"
          >
            {t(text.submit)}
          </Button>
        </>
      }
    >
      <div data-testid="rating-dialog" data-service={service.id}>
        <div className="ot-eval-dialog-service">
          <div className="ot-eval-service-title">{t(service.title)}</div>
          <div className="ot-muted">
            {[
              t(service.kindLabel),
              service.number,
              t(service.department.name),
              t(evaluationText.completedAt, { time: formatTime(service.completedAt, locale) }),
            ]
              .filter(Boolean)
              .join(' · ')}
          </div>
        </div>
        <RatingFields draft={draft} onChange={setDraft} />
        {problem && <ProblemAlert problem={problem} title={text.problems} />}
      </div>
    </Modal>
  );
}
