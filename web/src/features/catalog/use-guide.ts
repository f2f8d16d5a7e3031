import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../../shell/i18n';
import type { Answers, Applicable, ItemVersion } from './api';
import { fetchApplicable, fetchItem } from './api';

/** A value being loaded from the API. */
export type Loadable<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'error'; httpStatus: number; message: string };

function errorState(error: unknown): Loadable<never> {
  const httpStatus =
    typeof error === 'object' && error !== null && 'status' in error
      ? Number((error as { status: unknown }).status)
      : 0;
  return {
    status: 'error',
    httpStatus,
    message: error instanceof Error ? error.message : String(error),
  };
}

/** Loads the published version of an item. */
export function usePublishedItem(code: string): Loadable<ItemVersion> {
  const { lang } = useI18n();
  const [state, setState] = useState<Loadable<ItemVersion>>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    fetchItem(code, lang, { signal: controller.signal }).then(
      (value) => setState({ status: 'ready', value }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState(errorState(error));
      },
    );
    return () => controller.abort();
    // The content carries both languages; only a new code needs a new request.
  }, [code]);
  return state;
}

/**
 * What applies to the answers given (`POST …/applicable`), recomputed whenever they change;
 * null while nothing has been answered (the guide then lists every material).
 */
export function useApplicable(
  code: string,
  answers: Answers,
  enabled: boolean,
): { applicable: Applicable | null; pending: boolean; error: string | null } {
  const { lang } = useI18n();
  const key = JSON.stringify(answers);
  const [applicable, setApplicable] = useState<Applicable | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const answered = useMemo(() => Object.keys(answers).length > 0, [key]);

  useEffect(() => {
    if (!enabled || !answered) {
      setApplicable(null);
      setPending(false);
      setError(null);
      return;
    }
    const controller = new AbortController();
    setPending(true);
    fetchApplicable(code, JSON.parse(key) as Answers, lang, controller.signal).then(
      (value) => {
        setApplicable(value);
        setError(null);
        setPending(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(failure instanceof Error ? failure.message : String(failure));
        setPending(false);
      },
    );
    return () => controller.abort();
  }, [code, key, enabled, answered]);

  return { applicable, pending, error };
}

const PREFIX = 's.';

/** Answers kept in the address (`?s.<situation>=<answer>,<answer>`), so a guide can be shared or printed as answered. */
export function readAnswers(params: URLSearchParams): Answers {
  const answers: Answers = {};
  for (const [name, value] of params) {
    if (!name.startsWith(PREFIX) || !value) continue;
    answers[name.slice(PREFIX.length)] = value.split(',').filter(Boolean);
  }
  return answers;
}

/** The address parameters of some answers. */
export function answersToParams(answers: Answers, base?: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams();
  if (base) for (const [name, value] of base) if (!name.startsWith(PREFIX)) params.set(name, value);
  for (const [key, chosen] of Object.entries(answers)) {
    if (chosen.length > 0) params.set(`${PREFIX}${key}`, chosen.join(','));
  }
  return params;
}

/**
 * The address after a question was answered on a page showing `shown`, giving `next`: only what
 * changed is applied, to the address as it is now (`window.location.search`). The router renders an
 * address change later, in a transition, so on a slow machine a second quick click is made on a page
 * still showing the answers before the first; applying its whole `next` lost the first answer.
 */
export function answersChanged(shown: Answers, next: Answers): URLSearchParams {
  const latest = new URLSearchParams(window.location.search);
  const merged = readAnswers(latest);
  for (const key of new Set([...Object.keys(shown), ...Object.keys(next)])) {
    const after = next[key] ?? [];
    if ((shown[key] ?? []).join(',') === after.join(',')) continue;
    if (after.length > 0) merged[key] = after;
    else delete merged[key];
  }
  return answersToParams(merged, latest);
}
