/** A user-facing text: zh-CN first, with its English translation. */
export interface Text {
  zh: string;
  en: string;
}

/** The languages OneThing speaks. */
export type Lang = 'zh' | 'en';

/** Picks the language from an Accept-Language header: English only when it is preferred over Chinese. */
export function langFromHeader(header: string | undefined): Lang {
  if (!header) return 'zh';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh';
}
