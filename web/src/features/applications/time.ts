// Times of applications are the platform's: Beijing time (Asia/Shanghai, +08:00, no DST), whatever
// the browser's own zone, so that a notice says the same date as its number (SL20261123…).

const ZONE = 'Asia/Shanghai';

/** A date and time in Beijing time, as people read it; '—' for none. */
export function formatTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** A date in Beijing time, written out: "2026年11月23日" / "November 23, 2026". */
export function formatDay(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(locale, {
    timeZone: ZONE,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  });
}

/** A date and time in Beijing time, written out: "2026年11月23日 10:00". */
export function formatLongTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, {
    timeZone: ZONE,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}
