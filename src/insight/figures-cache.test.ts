import { describe, expect, it } from 'vitest';
import { figuresCache } from './figures-cache';

describe('figuresCache', () => {
  const counter = () => {
    let n = 0;
    return { make: async () => ({ n: ++n }), calls: () => n };
  };

  it('computes a key once within the maximum age and again after it', async () => {
    const cache = figuresCache<{ n: number }>(1);
    const c = counter();
    const first = await cache.get('a', c.make);
    expect(await cache.get('a', c.make)).toEqual(first);
    expect((await cache.get('b', c.make)).n).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const later = await cache.get('a', c.make);
    expect(later.n).toBe(3);
    expect(Date.parse(later.asOf)).toBeGreaterThan(Date.parse(first.asOf));
  });

  it('shares one computation among concurrent reads of a key', async () => {
    const cache = figuresCache<{ n: number }>(60);
    const c = counter();
    const all = await Promise.all(Array.from({ length: 5 }, () => cache.get('a', c.make)));
    expect(c.calls()).toBe(1);
    expect(new Set(all.map((a) => a.asOf)).size).toBe(1);
  });

  it('forgets everything on clear, keeps nothing with a maximum age of 0, keeps no failure', async () => {
    const cache = figuresCache<{ n: number }>(60);
    const c = counter();
    await cache.get('a', c.make);
    cache.clear();
    expect((await cache.get('a', c.make)).n).toBe(2);
    const none = figuresCache<{ n: number }>(0);
    await none.get('a', c.make);
    expect((await none.get('a', c.make)).n).toBe(4);
    await expect(cache.get('x', () => Promise.reject(new Error('database gone')))).rejects.toThrow(
      'database gone',
    );
    expect((await cache.get('x', c.make)).n).toBe(5);
  });
});
