import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Input, Tag, Typography } from 'antd';
import { LikeOutlined } from '@ant-design/icons';
import { useAuth } from '../../shell/auth';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import { formatTime } from '../../shell/time';
import type { Application } from '../applications/api';
import { useLoad } from '../cases/use-load';
import type { RatingView, ServiceView } from './api';
import { fetchServicesOf, giveVerdict } from './api';
import { LEVEL_COLORS, STATE_COLORS, evaluationText } from './labels';
import { LEVEL_ICONS, RatingDialog, ratingFormText } from './rating-dialog';
import './evaluations.css';

const text = {
  cardTitle: { zh: '服务评价', en: 'Rate this service' },
  cardIntro: {
    zh: '办结后，您可以对整件事和每个承办部门分别评价，一次一评。差评会转部门整改并把结果反馈给您。',
    en: 'Once done, you can rate the whole matter and each department that handled it, once each. Bad ratings are put right by the department and you hear back.',
  },
  mine: { zh: '我的评价', en: 'My ratings' },
  verdictComment: {
    zh: '补充说明（选填）',
    en: 'Anything to add (optional)',
  },
} satisfies Record<string, Text>;

/** The level given, with its face and colour. */
export function LevelTag({ level, label }: { level: RatingView['level']; label: Text }) {
  const { t } = useI18n();
  return (
    <Tag
      className="ot-eval-level-tag"
      color={LEVEL_COLORS[level]}
      icon={LEVEL_ICONS[level]}
      data-testid="rating-level"
      data-level={level}
    >
      {t(label)}
    </Tag>
  );
}

/** The answer to a bad rating, and the rater's 满意/不满意 once it is answered. */
function RectificationAnswer({
  rating,
  onChange,
}: {
  rating: RatingView;
  onChange: (rating: RatingView) => void;
}) {
  const { t, lang, locale } = useI18n();
  const { message } = App.useApp();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<'yes' | 'no' | null>(null);
  const rectification = rating.rectification;
  if (!rectification) return null;

  async function verdict(satisfied: boolean) {
    setBusy(satisfied ? 'yes' : 'no');
    try {
      const trimmed = comment.trim();
      const next = await giveVerdict(
        rating.id,
        { satisfied, ...(trimmed ? { comment: trimmed } : {}) },
        lang,
      );
      void message.success(t(evaluationText.verdictGiven));
      onChange(next);
    } catch (failure) {
      void message.error(
        t(evaluationText.failed, {
          message: failure instanceof Error ? failure.message : String(failure),
        }),
      );
    } finally {
      setBusy(null);
    }
  }

  return (
    <div
      className="ot-eval-answer"
      data-testid="rectification-answer"
      data-state={rectification.state}
    >
      <div className="ot-eval-answer-head">
        <Typography.Text strong>
          {t(rectification.answer ? evaluationText.answer : evaluationText.rectification)}
        </Typography.Text>
        <Tag color={STATE_COLORS[rectification.state]}>{t(rectification.stateLabel)}</Tag>
        {rectification.answeredAt && (
          <span className="ot-muted">
            {t(evaluationText.answeredAt, {
              time: formatTime(rectification.answeredAt, locale),
            })}
          </span>
        )}
      </div>
      {rectification.answer ? (
        <Typography.Paragraph
          className="ot-eval-answer-text"
          data-testid="rectification-answer-text"
        >
          {rectification.answer}
        </Typography.Paragraph>
      ) : (
        <Typography.Paragraph type="secondary">
          {t(evaluationText.inRectification)}
        </Typography.Paragraph>
      )}
      {rectification.answerSatisfied !== null && (
        <Typography.Paragraph
          type={rectification.answerSatisfied ? 'success' : 'warning'}
          data-testid="verdict-given"
          data-satisfied={String(rectification.answerSatisfied)}
        >
          {t(
            rectification.answerSatisfied
              ? evaluationText.verdictSatisfied
              : evaluationText.verdictUnsatisfied,
          )}
        </Typography.Paragraph>
      )}
      {rectification.canVerdict && (
        <div className="ot-eval-verdict">
          <Typography.Text>{t(evaluationText.verdictAsk)}</Typography.Text>
          <Input
            value={comment}
            onChange={(event) => setComment(event.target.value)}
            placeholder={t(text.verdictComment)}
            maxLength={500}
            className="ot-eval-verdict-comment"
            data-testid="verdict-comment"
          />
          <Button
            type="primary"
            loading={busy === 'yes'}
            disabled={busy !== null}
            onClick={() => void verdict(true)}
            data-testid="verdict-satisfied"
          >
            {t(evaluationText.satisfied)}
          </Button>
          <Button
            danger
            loading={busy === 'no'}
            disabled={busy !== null}
            onClick={() => void verdict(false)}
            data-testid="verdict-unsatisfied"
          >
            {t(evaluationText.unsatisfied)}
          </Button>
        </div>
      )}
    </div>
  );
}

/** A rating given: level, reasons, comment, and what became of it. */
export function RatingSummary({
  rating,
  onChange,
}: {
  rating: RatingView;
  onChange: (rating: RatingView) => void;
}) {
  const { t, locale } = useI18n();
  return (
    <div className="ot-eval-given" data-testid="rating-given">
      <div className="ot-eval-given-head">
        <LevelTag level={rating.level} label={rating.levelLabel} />
        {rating.tags.map((tag) => (
          <Tag key={tag.key} data-tag={tag.key}>
            {t(tag.label)}
          </Tag>
        ))}
        <span className="ot-muted">
          {t(evaluationText.ratedAt, { time: formatTime(rating.ratedAt, locale) })} ·{' '}
          {t(rating.channelLabel)}
        </span>
      </div>
      {rating.comment && (
        <Typography.Paragraph className="ot-eval-given-comment">
          {rating.comment}
        </Typography.Paragraph>
      )}
      <RectificationAnswer rating={rating} onChange={onChange} />
    </div>
  );
}

/** One service: what it was, and its 评价 button or the rating given. */
function ServiceRow({
  service,
  onRate,
  onChange,
}: {
  service: ServiceView;
  onRate: (service: ServiceView) => void;
  onChange: (service: ServiceView) => void;
}) {
  const { t, locale } = useI18n();
  return (
    <li
      className="ot-eval-service"
      data-testid="rated-service"
      data-service={service.id}
      data-kind={service.kind}
    >
      <div className="ot-eval-service-main">
        <div className="ot-eval-service-head">
          <span className="ot-eval-service-title">
            {service.link ? <Link to={service.link}>{t(service.title)}</Link> : t(service.title)}
          </span>
          <Tag>{t(service.kindLabel)}</Tag>
        </div>
        <div className="ot-muted">
          {[
            service.number,
            t(service.department.name),
            t(evaluationText.completedAt, { time: formatTime(service.completedAt, locale) }),
          ]
            .filter(Boolean)
            .join(' · ')}
        </div>
        {service.rating && (
          <RatingSummary
            rating={service.rating}
            onChange={(rating) => onChange({ ...service, rating, canRate: false })}
          />
        )}
      </div>
      {!service.rating && (
        <div className="ot-eval-service-action">
          {service.canRate ? (
            <>
              <Button
                type="primary"
                icon={<LikeOutlined />}
                onClick={() => onRate(service)}
                data-testid={`rate-${service.id}`}
              >
                {t(evaluationText.rate)}
              </Button>
              <span className="ot-muted ot-eval-until">
                {t(evaluationText.rateUntil, { time: formatTime(service.rateUntil, locale) })}
              </span>
            </>
          ) : (
            <span className="ot-muted">{t(evaluationText.closedForRating)}</span>
          )}
        </div>
      )}
    </li>
  );
}

/** Services with their rate and verdict controls; `onChange` receives a service after an action. */
export function ServiceRatingList({
  services,
  onChange,
}: {
  services: ServiceView[];
  onChange: (service: ServiceView) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [rating, setRating] = useState<ServiceView | null>(null);
  return (
    <>
      <ul className="ot-eval-services">
        {services.map((service) => (
          <ServiceRow key={service.id} service={service} onRate={setRating} onChange={onChange} />
        ))}
      </ul>
      {rating && (
        <RatingDialog
          service={rating}
          open
          onClose={() => setRating(null)}
          onRated={(given) => {
            void message.success(t(ratingFormText.thanks));
            onChange({ ...rating, rating: given, canRate: false });
            setRating(null);
          }}
        />
      )}
    </>
  );
}

/**
 * The applicant's card on a decided application (服务评价): the application and each department's
 * case, each to rate once; nothing while there is nothing to rate yet.
 */
export function ApplicationRating({ application }: { application: Application }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const applicant = user?.role === 'citizen' || user?.role === 'enterprise';
  const decided = application.status === 'accepted' || application.status === 'refused';
  const key = applicant && decided ? `${application.number}:${application.decidedAt ?? ''}` : null;
  const { state, set } = useLoad<ServiceView[]>(key, (lang, signal) =>
    fetchServicesOf(application.number, lang, signal),
  );
  if (key === null) return null;
  if (state.status === 'error' && !state.value) {
    return (
      <Alert
        type="warning"
        showIcon
        className="ot-block"
        title={t(evaluationText.loadFailed, { message: state.message })}
      />
    );
  }
  const services = state.value ?? [];
  if (services.length === 0) return null;
  return (
    <Card
      className="ot-block ot-eval-card"
      title={t(text.cardTitle)}
      extra={<Link to="/evaluations">{t(text.mine)}</Link>}
      data-testid="application-rating"
    >
      <Typography.Paragraph type="secondary">{t(text.cardIntro)}</Typography.Paragraph>
      <ServiceRatingList
        services={services}
        onChange={(next) => set(services.map((s) => (s.id === next.id ? next : s)))}
      />
    </Card>
  );
}
