import { describe, expect, it } from 'vitest';
import { equalAspectDomains, extentOf, lossDomain, padExtent, robustExtent2d } from './scales.ts';

describe('extents', () => {
  it('ignores non-finite values', () => {
    expect(extentOf([3, Number.NaN, -1, Infinity, 2])).toEqual([-1, 3]);
    expect(extentOf([])).toBeUndefined();
  });
  it('pads extents, including degenerate ones', () => {
    expect(padExtent([0, 10], 0.1)).toEqual([-1, 11]);
    expect(padExtent([0, 0])).toEqual([-0.5, 0.5]);
    const [lo, hi] = padExtent([4, 4]);
    expect(lo).toBeLessThan(4);
    expect(hi).toBeGreaterThan(4);
  });
  it('keeps one unit equally long on both axes', () => {
    const d = equalAspectDomains([0, 10], [0, 2], 200, 100);
    expect((d.x[1] - d.x[0]) / 200).toBeCloseTo((d.y[1] - d.y[0]) / 100);
    expect(d.x).toEqual([0, 10]);
    expect((d.y[0] + d.y[1]) / 2).toBeCloseTo(1);
    const tall = equalAspectDomains([0, 1], [0, 10], 100, 100);
    expect(tall.x[1] - tall.x[0]).toBeCloseTo(10);
  });
  it('starts loss axes at zero with headroom', () => {
    expect(lossDomain([150, 190, 170])).toEqual([0, 190 * 1.05]);
    expect(lossDomain([])).toEqual([0, 1]);
  });
  it('trims far outliers from 2-D extents', () => {
    const pts: number[] = [];
    for (let i = 0; i < 1000; i++) pts.push(i / 999, -i / 999);
    pts.push(1e6, -1e6);
    const e = robustExtent2d(pts, 0.001);
    expect(e.x[1]).toBeLessThan(2);
    expect(e.y[0]).toBeGreaterThan(-2);
    expect(robustExtent2d(pts, 0).x[1]).toBe(1e6);
  });
});
