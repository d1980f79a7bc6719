import { describe, expect, it } from 'vitest';
import { latentRange, normalQuantile, priorRange, quantile, sortedAxes } from './latent-range.ts';

describe('ranges', () => {
  it('normalQuantile matches known values', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 8);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
    expect(() => normalQuantile(0)).toThrow();
  });
  it('priorRange is symmetric about 0', () => {
    const r = priorRange(0.05);
    expect(r.xMax).toBeCloseTo(1.644854, 5);
    expect(r.xMin).toBeCloseTo(-1.644854, 5);
  });
  it('quantile interpolates order statistics', () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([1, 2, 3], 1)).toBe(3);
  });
  it('latentRange ignores far outliers and pads', () => {
    const pts: number[] = [];
    for (let i = 0; i <= 1000; i++) pts.push(i / 1000, -i / 1000);
    pts.push(1e6, -1e6); // one outlier
    const r = latentRange(pts, 0.99, 0);
    expect(r.xMax).toBeLessThan(1.01);
    expect(r.yMin).toBeGreaterThan(-1.01);
    const padded = latentRange(pts, 1, 0.1);
    expect(padded.xMax - padded.xMin).toBeGreaterThan(1e6);
  });
  it('latentRange widens a degenerate axis', () => {
    const r = latentRange([1, 1, 1, 1], 1, 0);
    expect(r.xMax - r.xMin).toBeCloseTo(1, 9);
  });
  it('sortedAxes splits interleaved points into sorted x and y', () => {
    const { xs, ys } = sortedAxes([3, -1, 1, 2, 2, 0]);
    expect([...xs]).toEqual([1, 2, 3]);
    expect([...ys]).toEqual([-1, 0, 2]);
  });
});
