import { describe, expect, it } from 'vitest';
import { knnAccuracy, trustworthiness, trustworthinessMany } from './metrics.ts';
import { createRandom, gaussian } from './random.ts';

describe('trustworthiness', () => {
  it('is 1 for a map that keeps every neighbourhood', () => {
    const r = createRandom(2);
    const high = Float64Array.from({ length: 60 * 3 }, () => gaussian(r));
    // Scaling and translating keeps all ranks.
    const low = high.map((v, t) => 2 * v + (t % 3));
    expect(trustworthiness(high, 3, low, 3, 5)).toBe(1);
  });

  it('matches a hand-computed case', () => {
    // Reference 1-D positions 0, 1, 3, 6, 10, 15; the map swaps the first and last point.
    // k = 1. Map neighbours and their reference ranks:
    //   p0 (at 15) → p4: rank 4 from 0 → penalty 3;   p1 (at 1) → p5 (at 0): rank 5 → penalty 4;
    //   p2 → p1, p3 → p2, p4 → p3: true nearest → 0;   p5 (at 0) → p1: rank 4 from 15 → penalty 3.
    // T = 1 − 2 / (n k (2n − 3k − 1)) · 10 = 1 − 2 / 48 · 10 = 7 / 12 (also sklearn's value).
    const high = [0, 1, 3, 6, 10, 15];
    const low = [15, 1, 3, 6, 10, 0];
    expect(trustworthiness(high, 1, low, 1, 1)).toBeCloseTo(7 / 12, 14);
  });

  it('wide reference data (Gram-matrix path) matches the definition computed by brute force', () => {
    const r = createRandom(4);
    const n = 150;
    const dim = 30;
    const high = Float64Array.from({ length: n * dim }, () => (r() < 0.6 ? 0 : r()));
    const low = Float64Array.from({ length: n * 2 }, (_, t) => high[Math.floor(t / 2) * dim + (t % 2)]! + 0.3 * gaussian(r));
    // Reference: a brute-force implementation of the definition (full sorts, ties by index).
    const k = 7;
    const d = (a: number, b: number, arr: Float64Array, m: number) => {
      let s = 0;
      for (let t = 0; t < m; t++) s += (arr[a * m + t]! - arr[b * m + t]!) ** 2;
      return s;
    };
    let total = 0;
    for (let i = 0; i < n; i++) {
      const others = [...Array(n).keys()].filter((j) => j !== i);
      const byHigh = [...others].sort((a, b) => d(i, a, high, dim) - d(i, b, high, dim) || a - b);
      const byLow = [...others].sort((a, b) => d(i, a, low, 2) - d(i, b, low, 2) || a - b).slice(0, k);
      for (const j of byLow) total += Math.max(0, byHigh.indexOf(j) + 1 - k);
    }
    const expected = 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * total;
    expect(trustworthiness(high, dim, low, 2, k)).toBeCloseTo(expected, 12);
    expect(trustworthinessMany(high, dim, [low, low], 2, k)).toEqual([expect.closeTo(expected, 12), expect.closeTo(expected, 12)]);
  });

  it('rejects k ≥ n / 2', () => {
    expect(() => trustworthiness([0, 1, 2, 3], 1, [0, 1, 2, 3], 1, 2)).toThrow(/k < n \/ 2/);
  });
});

describe('knnAccuracy', () => {
  it('matches a hand-computed case, ties going to the nearer label', () => {
    // Positions 0, 1, 2.5 | 10, 11, 12.5 with labels 0, 0, 1 | 1, 1, 0 and k = 2:
    // p0: p1 (0), p2 (1) tie → nearer p1 → 0 ✓; p1: p0 (0), p2 (1) → 0 ✓; p2: p1, p0 → 0 ✗;
    // p3: p4 (1), p5 (0) → 1 ✓; p4: p3 (1), p5 (0) → 1 ✓; p5: p4, p3 → 1 ✗. Accuracy 4/6.
    expect(knnAccuracy([0, 1, 2.5, 10, 11, 12.5], 1, [0, 0, 1, 1, 1, 0], 2)).toBeCloseTo(4 / 6, 14);
  });

  it('checks labels', () => {
    expect(() => knnAccuracy([0, 1, 2], 1, [0, 1], 1)).toThrow(/2 labels for 3 points/);
    expect(() => knnAccuracy([0, 1, 2], 1, [0, 1, 0.5], 1)).toThrow(/non-negative integers/);
  });
});
