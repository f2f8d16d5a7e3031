import { useEffect, useState } from 'react';
import type { Lang } from '../../shell/i18n';
import { apiRequest } from './api';

// What the web app shows of the deployment it runs on (GET /api/platform): the demo's sign-in hints
// and footer only where the server runs the demo (ONETHING_DEMO=on).

/** `GET /api/platform`. */
export interface PlatformInfo {
  /** The platform runs the demo: synthetic data, demo accounts with a published password. */
  demo: boolean;
}

let known: Promise<PlatformInfo> | null = null;

/** Asks the server once per page load; a failed answer is asked again next time. */
export function fetchPlatformInfo(lang: Lang): Promise<PlatformInfo> {
  known ??= apiRequest<PlatformInfo>('/api/platform', { lang }).catch((error: unknown) => {
    known = null;
    throw error;
  });
  return known;
}

/** Whether the platform runs the demo; null until the server has said (then show no demo hints). */
export function useDemoPlatform(lang: Lang): boolean | null {
  const [demo, setDemo] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    fetchPlatformInfo(lang).then(
      (info) => live && setDemo(info.demo),
      () => live && setDemo(null),
    );
    return () => {
      live = false;
    };
  }, [lang]);
  return demo;
}
