import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../../shell/i18n';
import type { Lang } from '../../shell/i18n';
import { ApiError } from '../platform/api';

/** Something being loaded from the API, or loaded, or refused. */
export type Loaded<T> =
  | { status: 'loading'; value?: T }
  | { status: 'ready'; value: T }
  | { status: 'error'; httpStatus: number; code: string; message: string; value?: T };

/**
 * Loads with `fetcher` whenever `key` changes or `reload()` is called; keeps the last value while a
 * reload is under way so the page does not flash empty after every action.
 */
export function useLoad<T>(
  key: string | null,
  fetcher: (lang: Lang, signal: AbortSignal) => Promise<T>,
): { state: Loaded<T>; reload: () => void; set: (value: T) => void } {
  const { lang } = useI18n();
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState((previous) => ({ status: 'loading', value: previous.value }));
    fetcher(lang, controller.signal).then(
      (value) => setState({ status: 'ready', value }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((previous) => ({
          status: 'error',
          httpStatus: error instanceof ApiError ? error.status : 0,
          code: error instanceof ApiError ? error.code : 'client.error',
          message: error instanceof Error ? error.message : String(error),
          value: previous.value,
        }));
      },
    );
    return () => controller.abort();
    // The fetcher is a fresh closure each render; the key names what it loads.
  }, [key, lang, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const set = useCallback((value: T) => setState({ status: 'ready', value }), []);
  return { state, reload, set };
}
