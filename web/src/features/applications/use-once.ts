import { useCallback, useRef, useState } from 'react';
import { ApiError } from '../platform/api';
import { newIdempotencyKey } from './api';

/**
 * Runs a write at most once per click: while it is under way, further clicks get the same promise;
 * the idempotency key stays the same until the server has answered, so a retry after a lost reply
 * (network error, 5xx) cannot create a second application or decision.
 */
export function useOnce<T>(): {
  run: (work: (key: string) => Promise<T>) => Promise<T>;
  busy: boolean;
} {
  const key = useRef<string | null>(null);
  const pending = useRef<Promise<T> | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback((work: (key: string) => Promise<T>) => {
    if (pending.current) return pending.current;
    key.current ??= newIdempotencyKey();
    setBusy(true);
    const promise = work(key.current).then(
      (value) => {
        key.current = null;
        return value;
      },
      (error: unknown) => {
        // The server answered and refused: the next attempt is a new request.
        if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
          key.current = null;
        }
        throw error;
      },
    );
    pending.current = promise;
    promise
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        pending.current = null;
        setBusy(false);
      });
    return promise;
  }, []);
  return { run, busy };
}
