import { describe, expect, it } from 'vitest';
import { explorerRange, nearestLabels, neighbourhoodText, nudge, rangeCentre } from './explorer.ts';

describe('explorerRange', () => {
  it('is square and covers the populated codes', () => {
    const pts: number[] = [];
    for (let i = 0; i <= 100; i++) pts.push(-10 + (i / 100) * 20, 1 + (i / 100) * 2);
    const r = explorerRange(pts);
    expect(r.xMax - r.xMin).toBeCloseTo(r.yMax - r.yMin, 9);
    expect(r.xMin).toBeLessThan(-9.8);
    expect(r.xMax).toBeGreaterThan(9.8);
    expect(rangeCentre(r)[1]).toBeCloseTo(2, 6);
  });
  it('falls back to ±3 without codes', () => {
    const r = explorerRange();
    expect(r.xMin).toBeCloseTo(-3, 2);
    expect(r.yMax).toBeCloseTo(3, 2);
  });
});

describe('nudge', () => {
  const range = { xMin: -4, xMax: 4, yMin: -4, yMax: 4 };
  it('moves by a fortieth of the range, a eighth with Shift, y up', () => {
    expect(nudge([0, 0], 'ArrowRight', range)).toEqual([0.2, 0]);
    expect(nudge([0, 0], 'ArrowUp', range)).toEqual([0, 0.2]);
    expect(nudge([0, 0], 'ArrowDown', range, true)).toEqual([0, -1]);
    expect(nudge([0, 0], 'ArrowLeft', range, true)).toEqual([-1, 0]);
  });
  it('stays inside the range and Home re-centres', () => {
    expect(nudge([3.9, 0], 'ArrowRight', range, true)).toEqual([4, 0]);
    expect(nudge([1, 2], 'Home', range)).toEqual([0, 0]);
  });
  it('ignores other keys', () => {
    expect(nudge([0, 0], 'a', range)).toBeNull();
    expect(nudge([0, 0], 'Tab', range)).toBeNull();
  });
});

describe('nearestLabels', () => {
  const latent = [0, 0, 0.1, 0, 0, 0.1, 5, 5, 5.1, 5, 5, 5.1, 5.2, 5.2];
  const labels = [1, 1, 7, 3, 3, 3, 8];
  it('summarises the k nearest codes by their most common label', () => {
    expect(nearestLabels(latent, labels, 0, 0, 3)).toEqual({ digit: 1, share: 2 / 3, distance: 0.1 });
    const far = nearestLabels(latent, labels, 5, 5, 4)!;
    expect(far.digit).toBe(3);
    expect(far.share).toBe(0.75);
  });
  it('copes with k larger than the data and with no data', () => {
    expect(nearestLabels(latent, labels, 0, 0, 100)!.digit).toBe(3);
    expect(nearestLabels([], [], 0, 0)).toBeNull();
  });
  it('words the summary', () => {
    expect(neighbourhoodText({ digit: 7, share: 0.8 })).toBe('Most of the nearest test digits here are 7s (80 %).');
    expect(neighbourhoodText(null)).toBe('');
  });
});
