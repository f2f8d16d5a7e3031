import { useEffect, useState } from 'react';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import { apiRequest } from '../platform/api';
import type { Loadable } from '../catalog/use-guide';
import type { Answers, BundleGuide, BundleVersion } from './api';
import { fetchBundle, fetchGuide } from './api';

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

/** Loads a bundle: the published version, or a given one. */
export function useBundle(code: string, version?: number): Loadable<BundleVersion> {
  const { lang } = useI18n();
  const [state, setState] = useState<Loadable<BundleVersion>>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    fetchBundle(code, lang, { version, signal: controller.signal }).then(
      (value) => setState({ status: 'ready', value }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState(errorState(error));
      },
    );
    return () => controller.abort();
    // The content carries both languages; only another bundle or version needs a new request.
  }, [code, version]);
  return state;
}

/**
 * The live guide (`POST /api/bundles/{code}/guide`), asked again on every change of the answers;
 * the last answer stays on screen while the next is computed.
 */
export function useBundleGuide(
  code: string,
  answers: Answers,
  enabled: boolean,
): { guide: BundleGuide | null; pending: boolean; error: string | null } {
  const { lang } = useI18n();
  const key = JSON.stringify(answers);
  const [guide, setGuide] = useState<BundleGuide | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    setPending(true);
    fetchGuide(code, JSON.parse(key) as Answers, lang, controller.signal).then(
      (value) => {
        setGuide(value);
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
  }, [code, key, enabled, lang]);

  return { guide, pending, error };
}

interface Department {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** The departments' names by code, from the public directory (loaded once per page). */
export function useDepartmentNames(): (code: string) => Text {
  const { lang } = useI18n();
  const [departments, setDepartments] = useState<Map<string, Text>>(new Map());
  useEffect(() => {
    const controller = new AbortController();
    apiRequest<{ departments: Department[] }>('/api/departments', {
      lang,
      signal: controller.signal,
    }).then(
      (reply) =>
        setDepartments(
          new Map(reply.departments.map((d) => [d.code, { zh: d.nameZh, en: d.nameEn }])),
        ),
      () => undefined,
    );
    return () => controller.abort();
  }, []);
  return (code) => departments.get(code) ?? { zh: code, en: code };
}
