import type { ReactNode } from 'react';

/**
 * The parts of `name` that match the query: each whitespace-separated term, and within a term
 * every run of two or more characters that the name also contains (Chinese has no spaces, so
 * "开办公司" still marks "公司" in "公司设立登记"). Case-insensitive for Latin letters.
 */
export function matchRanges(name: string, query: string): [number, number][] {
  const haystack = name.toLowerCase();
  const terms = query
    .toLowerCase()
    .split(/\s+/)
    .map((term) => term.slice(0, 40))
    .filter(Boolean);
  const marked = new Array<boolean>(name.length).fill(false);
  for (const term of terms) {
    const shortest = Math.min(2, term.length);
    for (let length = term.length; length >= shortest; length -= 1) {
      for (let start = 0; start + length <= term.length; start += 1) {
        const piece = term.slice(start, start + length);
        let at = haystack.indexOf(piece);
        while (at >= 0) {
          for (let i = at; i < at + length; i += 1) marked[i] = true;
          at = haystack.indexOf(piece, at + 1);
        }
      }
    }
  }
  const ranges: [number, number][] = [];
  marked.forEach((on, index) => {
    if (!on) return;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === index) last[1] = index + 1;
    else ranges.push([index, index + 1]);
  });
  return ranges;
}

/** `name` with the parts matching `query` in `<mark>`. */
export function Highlight({ text, query }: { text: string; query: string }) {
  const ranges = query.trim() ? matchRanges(text, query) : [];
  if (ranges.length === 0) return <>{text}</>;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(
      <mark key={start} className="ot-highlight">
        {text.slice(start, end)}
      </mark>,
    );
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
