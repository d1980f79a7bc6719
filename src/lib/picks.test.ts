import { describe, expect, it } from 'vitest';
import { chunkPicks, clampIndex, randomPicks, seededRandom, stepIndex } from './picks.ts';

describe('choosing test digits', () => {
  it('clamps typed indices into the test set', () => {
    expect(clampIndex('42', 10_000)).toBe(42);
    expect(clampIndex('-5', 10_000)).toBe(0);
    expect(clampIndex('123456', 10_000)).toBe(9999);
    expect(clampIndex('7.9', 10_000)).toBe(7);
    expect(clampIndex('', 10_000, 3)).toBe(3);
    expect(clampIndex('abc', 10_000, 5)).toBe(5);
    expect(clampIndex(12, 10)).toBe(9);
  });
  it('steps with wrap-around', () => {
    expect(stepIndex(0, -1, 10_000)).toBe(9999);
    expect(stepIndex(9999, 1, 10_000)).toBe(0);
    expect(stepIndex(5, 3, 10_000)).toBe(8);
  });
  it('picks distinct indices reproducibly with a seed', () => {
    const a = randomPicks(8, 10_000, seededRandom(1));
    const b = randomPicks(8, 10_000, seededRandom(1));
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(8);
    expect(a.every((i) => Number.isInteger(i) && i >= 0 && i < 10_000)).toBe(true);
    expect(randomPicks(8, 10_000, seededRandom(2))).not.toEqual(a);
    expect(randomPicks(5, 5, seededRandom(3)).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(() => randomPicks(6, 5)).toThrow();
  });
  it('chunkPicks takes distinct digits from one chunk only', () => {
    for (let seed = 0; seed < 50; seed++) {
      const picks = chunkPicks(8, 10_000, 100, seededRandom(seed));
      expect(new Set(picks).size).toBe(8);
      expect(new Set(picks.map((i) => Math.floor(i / 100))).size).toBe(1);
      expect(picks.every((i) => Number.isInteger(i) && i >= 0 && i < 10_000)).toBe(true);
    }
    expect(chunkPicks(8, 10_000, 100, seededRandom(4))).toEqual(chunkPicks(8, 10_000, 100, seededRandom(4)));
    expect(() => chunkPicks(101, 10_000, 100)).toThrow();
  });
  it('seededRandom stays in [0, 1)', () => {
    const r = seededRandom(99);
    for (let i = 0; i < 1000; i++) {
      const v = r();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });
});
