import { describe, expect, it } from 'vitest';
import { compareKeys, isValidKey, keyBetween, keysBetween } from '../../../renderer/src/document/fractional-index';

/** Deterministic PRNG so a failure reproduces. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

describe('fractional index', () => {
  it('starts in the middle and orders around existing keys', () => {
    const a = keyBetween(null, null);
    const b = keyBetween(a, null);
    const c = keyBetween(null, a);
    const d = keyBetween(a, b);
    expect([c, a, d, b]).toEqual([c, a, d, b].slice().sort());
    expect(c < a && a < d && d < b).toBe(true);
  });

  it('rejects inverted or equal bounds and malformed keys', () => {
    const a = keyBetween(null, null);
    expect(() => keyBetween(a, a)).toThrow();
    expect(() => keyBetween(keyBetween(a, null), a)).toThrow();
    expect(() => keyBetween('a10', null)).toThrow(/trailing zero/);
    expect(isValidKey('a0')).toBe(true);
    expect(isValidKey('!')).toBe(false);
  });

  it('1000 appends at the top and 1000 at the bottom stay short and ordered', () => {
    const keys: string[] = [keyBetween(null, null)];
    for (let i = 0; i < 1000; i++) keys.push(keyBetween(keys.at(-1)!, null));
    for (let i = 0; i < 1000; i++) keys.unshift(keyBetween(null, keys[0]!));
    for (let i = 1; i < keys.length; i++) expect(keys[i - 1]! < keys[i]!).toBe(true);
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThan(8);
  });

  it('stays ordered and within the 64-char schema limit under 2000 random insertions', () => {
    const rand = rng(42);
    const keys: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const at = Math.floor(rand() * (keys.length + 1));
      const k = keyBetween(keys[at - 1] ?? null, keys[at] ?? null);
      keys.splice(at, 0, k);
    }
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort(compareKeys)).toEqual(keys);
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThanOrEqual(64);
    for (const k of keys) expect(isValidKey(k)).toBe(true);
  });

  it('repeatedly inserting between the same two neighbours grows slowly', () => {
    const lo = keyBetween(null, null);
    let hi = keyBetween(lo, null);
    for (let i = 0; i < 100; i++) {
      const k = keyBetween(lo, hi);
      expect(lo < k && k < hi).toBe(true);
      hi = k;
    }
    expect(hi.length).toBeLessThan(30);
  });

  it('keysBetween spreads n ordered keys inside the gap', () => {
    for (const [a, b] of [
      [null, null],
      ['a0', null],
      [null, 'a0'],
      ['a0', 'a1'],
    ] as const) {
      const ks = keysBetween(a, b, 7);
      expect(ks).toHaveLength(7);
      const all = [a, ...ks, b].filter((k): k is string => k !== null);
      expect([...all].sort(compareKeys)).toEqual(all);
      expect(new Set(all).size).toBe(all.length);
    }
  });
});
