import { describe, expect, it } from 'vitest';
import { buildPointIndex } from './nearest.ts';

describe('nearest point', () => {
  const pts = new Float32Array([0, 0, 10, 0, 0, 10, 10, 10, 5, 5]);

  it('finds the nearest point', () => {
    const idx = buildPointIndex(pts);
    expect(idx.find(9, 1)).toBe(1);
    expect(idx.find(4.6, 5.2)).toBe(4);
    expect(idx.find(-3, 11)).toBe(2);
  });

  it('respects the search radius', () => {
    const idx = buildPointIndex(pts);
    expect(idx.find(2.5, 2.5, 1)).toBe(-1);
    expect(idx.find(2.5, 2.5, 4)).toBe(0);
  });

  it('can leave points out', () => {
    const idx = buildPointIndex(pts, (i) => i !== 4);
    expect(idx.find(5, 5)).not.toBe(4);
  });

  it('agrees with brute force on random points', () => {
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const many = new Float64Array(2000);
    for (let i = 0; i < many.length; i++) many[i] = rand() * 100;
    const idx = buildPointIndex(many);
    for (let q = 0; q < 50; q++) {
      const x = rand() * 100;
      const y = rand() * 100;
      let best = -1;
      let bd = Infinity;
      for (let i = 0; i < 1000; i++) {
        const d = (many[2 * i]! - x) ** 2 + (many[2 * i + 1]! - y) ** 2;
        if (d < bd) [bd, best] = [d, i];
      }
      const got = idx.find(x, y);
      expect((many[2 * got]! - x) ** 2 + (many[2 * got + 1]! - y) ** 2).toBeCloseTo(bd, 9);
      expect(got).toBe(best);
    }
  });
});
