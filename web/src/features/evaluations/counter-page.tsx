import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { Button, Result, Spin } from 'antd';
import { SmileFilled } from '@ant-design/icons';
import type { Text } from '../../shell/i18n';
import { useDocumentTitle, useI18n } from '../../shell/i18n';
import { ApiError } from '../platform/api';
import type { Level, PublicVisit } from './api';
import { fetchVisit, rateVisit } from './api';
import { LEVEL_COLORS } from './labels';
import type { Problem, RatingDraft } from './rating-dialog';
import { ProblemAlert, RatingFields, emptyDraft, inputOf, problemOf } from './rating-dialog';
import './evaluations.css';

const text = {
  title: { zh: '窗口服务评价', en: 'Rate the counter service' },
  servedBy: { zh: '为您服务的是', en: 'You were served by' },
  window: { zh: '{window} 号窗口', en: 'Window {window}' },
  submit: { zh: '提交评价', en: 'Submit' },
  thanks: { zh: '感谢您的评价！', en: 'Thank you for your rating!' },
  thanksBody: {
    zh: '您的评价是我们改进服务的依据。',
    en: 'Your rating helps us serve you better.',
  },
  thanksBad: {
    zh: '我们会认真整改，并把整改结果反馈给您。',
    en: 'We will put it right and let you know how.',
  },
  alreadyRated: { zh: '本次服务已评价', en: 'This visit has been rated' },
  alreadyRatedBody: {
    zh: '每次窗口服务只能评价一次，感谢您的参与。',
    en: 'Each counter visit can be rated once. Thank you.',
  },
  notFound: { zh: '没有找到这次评价', en: 'This rating link is unknown' },
  notFoundBody: {
    zh: '请联系窗口工作人员重新发起评价。',
    en: 'Ask the clerk at the window to start a new one.',
  },
  expired: { zh: '评价已超时', en: 'This rating link has expired' },
  expiredBody: {
    zh: '评价链接已过期，请联系窗口工作人员重新发起评价。',
    en: 'The link has expired; ask the clerk at the window to start a new one.',
  },
  failed: { zh: '加载失败', en: 'Could not load' },
  loading: { zh: '正在加载…', en: 'Loading…' },
  retry: { zh: '重试', en: 'Try again' },
} satisfies Record<string, Text>;

type Stage =
  | { step: 'loading' }
  | { step: 'rating'; visit: PublicVisit }
  | { step: 'thanks'; visit: PublicVisit | null; level: Level | null }
  | { step: 'failed'; code: string; message: string };

/** The other language's switch, as the page has no header. */
function LanguageButton() {
  const { lang, setLang } = useI18n();
  return (
    <Button
      type="text"
      className="ot-counter-lang"
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
      lang={lang === 'zh' ? 'en' : 'zh-CN'}
    >
      {lang === 'zh' ? 'English' : '中文'}
    </Button>
  );
}

/**
 * `/counter/:token`: the counter tablet (窗口评价器) facing the person at the window — who served
 * them, five huge faces, the reasons, and a big thank-you. Public: the token is the permission.
 */
export function CounterPage() {
  const { token = '' } = useParams();
  const { t, lang } = useI18n();
  useDocumentTitle(text.title);
  const [stage, setStage] = useState<Stage>({ step: 'loading' });
  const [draft, setDraft] = useState<RatingDraft>(emptyDraft);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setStage({ step: 'loading' });
    fetchVisit(token, lang, controller.signal).then(
      (visit) =>
        setStage(visit.rated ? { step: 'thanks', visit, level: null } : { step: 'rating', visit }),
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        // A malformed token (422) is as unknown as a missing one to whoever holds the tablet.
        const malformed = failure instanceof ApiError && failure.status === 422;
        setStage({
          step: 'failed',
          code: malformed
            ? 'evaluations.visit_not_found'
            : failure instanceof ApiError
              ? failure.code
              : 'client.error',
          message: failure instanceof Error ? failure.message : String(failure),
        });
      },
    );
    return () => controller.abort();
    // The visit's facts do not depend on the language; reload only for a new token.
  }, [token, generation]);

  async function submit(visit: PublicVisit) {
    const input = inputOf(draft);
    if (!input) return;
    setBusy(true);
    setProblem(null);
    try {
      const rated = await rateVisit(token, input, lang);
      setStage({ step: 'thanks', visit, level: rated.level });
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'evaluations.already_rated') {
        setStage({ step: 'thanks', visit, level: null });
      } else {
        setProblem(problemOf(failure));
      }
    } finally {
      setBusy(false);
    }
  }

  let body;
  if (stage.step === 'loading') {
    body = (
      <div className="ot-centered" role="status">
        <Spin size="large" />
        <div className="ot-centered-note">{t(text.loading)}</div>
      </div>
    );
  } else if (stage.step === 'failed') {
    const expired = stage.code === 'evaluations.visit_expired';
    const missing =
      stage.code === 'evaluations.visit_not_found' || stage.code.endsWith('not_found');
    body = (
      <Result
        status={expired || missing ? 'warning' : 'error'}
        className="ot-counter-result"
        title={t(expired ? text.expired : missing ? text.notFound : text.failed)}
        subTitle={expired ? t(text.expiredBody) : missing ? t(text.notFoundBody) : stage.message}
        extra={
          expired || missing ? undefined : (
            <Button size="large" onClick={() => setGeneration((g) => g + 1)}>
              {t(text.retry)}
            </Button>
          )
        }
        data-testid="counter-error"
      />
    );
  } else if (stage.step === 'thanks') {
    const fresh = stage.level !== null;
    body = (
      <div className="ot-counter-thanks" data-testid="counter-thanks">
        <SmileFilled
          className="ot-counter-thanks-face"
          style={{ color: LEVEL_COLORS[stage.level ?? 5] }}
          aria-hidden="true"
        />
        <div className="ot-counter-thanks-title">{t(fresh ? text.thanks : text.alreadyRated)}</div>
        <div className="ot-counter-thanks-body">
          {fresh
            ? t(stage.level !== null && stage.level <= 2 ? text.thanksBad : text.thanksBody)
            : t(text.alreadyRatedBody)}
        </div>
      </div>
    );
  } else {
    const { visit } = stage;
    body = (
      <>
        <div className="ot-counter-clerk" data-testid="counter-clerk">
          <div className="ot-counter-served">{t(text.servedBy)}</div>
          <div className="ot-counter-name">{visit.clerkName}</div>
          <div className="ot-counter-where">
            {t(visit.department.name)} · {t(text.window, { window: visit.windowCode })}
          </div>
        </div>
        <RatingFields draft={draft} onChange={setDraft} huge />
        {problem && <ProblemAlert problem={problem} />}
        <Button
          type="primary"
          size="large"
          block
          className="ot-counter-submit"
          loading={busy}
          disabled={draft.level === null}
          onClick={() => void submit(visit)}
          data-testid="rating-submit"
        >
          {t(text.submit)}
        </Button>
      </>
    );
  }

  return (
    <main className="ot-counter" data-testid="counter-page" data-step={stage.step}>
      <div className="ot-counter-bar">
        <span className="ot-counter-brand">{t(text.title)}</span>
        <LanguageButton />
      </div>
      <div className="ot-counter-body">{body}</div>
    </main>
  );
}
