// The platform's times are Beijing time (Asia/Shanghai, +08:00, no DST), whatever the browser's own
// zone, so that a notice says the same date as its number (SL20261123…) and deadlines read alike
// everywhere.

const ZONE = 'Asia/Shanghai';

function format(
  iso: string | null | undefined,
  locale: string,
  options: Intl.DateTimeFormatOptions,
): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, { timeZone: ZONE, ...options });
}

/** A date and time, as people read it: "2026/11/23 10:00"; '—' for none. */
export function formatTime(iso: string | null | undefined, locale: string): string {
  return format(iso, locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** A short date and time: "10-14 17:00". */
export function formatShort(iso: string | null | undefined, locale: string): string {
  return format(iso, locale, {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** A date, written out: "2026年11月23日" / "November 23, 2026". */
export function formatDay(iso: string | null | undefined, locale: string): string {
  return format(iso, locale, { year: 'numeric', month: 'long', day: 'numeric' });
}

/** A date and time, written out: "2026年11月23日 10:00". */
export function formatLongTime(iso: string | null | undefined, locale: string): string {
  return format(iso, locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}
