import { useSearchParams } from 'react-router-dom';

/** Changes to the query string: a value sets its parameter, an empty or missing one removes it. */
export type FilterChanges = Record<string, string | undefined>;

/**
 * The page's query string, where lists keep their filters and page so a link or reload shows the
 * same list, and `update` to change some of them; any change but the page's own goes back to the
 * first page, since the old page number means nothing in the new list.
 */
export function useFilters(): {
  params: URLSearchParams;
  update: (changes: FilterChanges) => void;
} {
  const [params, setParams] = useSearchParams();
  const update = (changes: FilterChanges) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };
  return { params, update };
}
