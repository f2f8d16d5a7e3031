// The cockpit's figures of a period and region, kept for a few seconds per server. The rollups
// they are read from already lag the records by up to one run of the event dispatcher
// (ONETHING_OUTBOX_SECONDS), and a cockpit is read by many screens at once: keeping the answer
// for about as long saves recomputing it for every screen. Each answer says when it was computed.
import { LRUCache } from 'lru-cache';

/** An answer with the instant its figures were computed. */
export type AsOf<T> = T & { asOf: string };

/** Distinct periods and regions kept at once; the least recently read go first. */
const MAX_ENTRIES = 500;

/**
 * Keeps computed figures for `maxAgeSeconds` (0: computed on every read). Concurrent reads of one
 * key while it is computed share the one computation.
 */
export function figuresCache<T extends object>(maxAgeSeconds: number) {
  const compute = async (make: () => Promise<T>): Promise<AsOf<T>> => {
    const asOf = new Date().toISOString();
    return { ...(await make()), asOf };
  };
  const cache =
    maxAgeSeconds > 0
      ? new LRUCache<string, AsOf<T>, () => Promise<T>>({
          max: MAX_ENTRIES,
          ttl: maxAgeSeconds * 1000,
          fetchMethod: (_key, _stale, { context }) => compute(context),
        })
      : null;
  return {
    /** The figures of `key`, computed by `make` when none younger than the maximum age are kept. */
    async get(key: string, make: () => Promise<T>): Promise<AsOf<T>> {
      if (!cache) return compute(make);
      return (await cache.fetch(key, { context: make }))!;
    },
    /** Forgets every answer (after the rollups are rebuilt). */
    clear() {
      cache?.clear();
    },
  };
}
