import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../../shell/i18n';
import type { BundleContent } from '../bundles/api';
import { fetchBundle } from '../bundles/api';
import { ApiError } from '../platform/api';
import type { Application } from './api';
import { fetchApplication } from './api';

/** An application being loaded, or loaded and kept up to date by what the page does to it. */
export type ApplicationState =
  | { status: 'loading' }
  | { status: 'ready'; value: Application }
  | { status: 'error'; httpStatus: number; message: string };

/** Loads an application; `set` replaces it with a newer reply; `reload` asks the server again. */
export function useApplication(id: string): {
  state: ApplicationState;
  set: (next: Application) => void;
  reload: () => void;
} {
  const { lang } = useI18n();
  const [state, setState] = useState<ApplicationState>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    fetchApplication(id, lang, controller.signal).then(
      (value) => setState({ status: 'ready', value }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({
          status: 'error',
          httpStatus: error instanceof ApiError ? error.status : 0,
          message: error instanceof Error ? error.message : String(error),
        });
      },
    );
    return () => controller.abort();
  }, [id, generation]);
  const set = useCallback((next: Application) => setState({ status: 'ready', value: next }), []);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { state, set, reload };
}

/**
 * The content of the bundle version an application was made on (its questions and whole form);
 * the published version when that one is no longer readable to the caller.
 */
export function useBundleContent(
  code: string | null,
  version: number | null,
): BundleContent | null {
  const { lang } = useI18n();
  const [content, setContent] = useState<BundleContent | null>(null);
  useEffect(() => {
    if (!code) return;
    const controller = new AbortController();
    fetchBundle(code, lang, { version: version ?? undefined, signal: controller.signal })
      .catch((error: unknown) => {
        if (controller.signal.aborted || !version) throw error;
        return fetchBundle(code, lang, { signal: controller.signal });
      })
      .then(
        (reply) => setContent(reply.content),
        () => undefined,
      );
    return () => controller.abort();
  }, [code, version]);
  return content;
}
