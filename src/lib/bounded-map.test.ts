import { describe, expect, it } from 'vitest';
import { makeRoom } from './bounded-map.ts';

describe('makeRoom', () => {
  it('leaves a map under its size alone', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    makeRoom(map, 3);
    expect([...map.keys()]).toEqual(['a', 'b']);
  });

  it('drops the oldest tenth of a full map, keeping the newest entries', () => {
    const map = new Map<number, number>();
    for (let key = 0; key < 2_000; key += 1) {
      makeRoom(map, 1_000);
      map.set(key, key);
    }
    expect(map.size).toBeLessThanOrEqual(1_000);
    expect(map.size).toBeGreaterThan(900);
    expect(map.has(1_999)).toBe(true);
    expect(map.has(999)).toBe(false);
    expect(Math.min(...map.keys())).toBe(2_000 - map.size);
  });

  it('stays fast at a hundred thousand entries', () => {
    const map = new Map<string, number>();
    for (let key = 0; key < 100_000; key += 1) map.set(`code${key}`, key);
    const started = performance.now();
    for (let key = 100_000; key < 200_000; key += 1) {
      makeRoom(map, 100_000);
      map.set(`code${key}`, key);
    }
    // One oldest entry deleted per insert took seconds here (20–80 µs each).
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
