import { describe, expect, it } from 'vitest';
import { classMedians, classSummaries, easeCubicInOut, fitView, indicesByClass, lerpPositions, previewPaths } from './map-layout.ts';
import { seededRandom } from '../picks.ts';

describe('fitView', () => {
  it('fits points inside the box with equal scale on both axes and y pointing up', () => {
    const pts = [0, 0, 10, 0, 0, 5, 10, 5];
    const v = fitView(pts, 200, 100, 0);
    for (let i = 0; i < 8; i += 2) {
      expect(v.positions[i]).toBeGreaterThanOrEqual(-1e-3);
      expect(v.positions[i]).toBeLessThanOrEqual(200 + 1e-3);
      expect(v.positions[i + 1]).toBeGreaterThanOrEqual(-1e-3);
      expect(v.positions[i + 1]).toBeLessThanOrEqual(100 + 1e-3);
    }
    const sx = (v.positions[2]! - v.positions[0]!) / 10;
    const sy = (v.positions[1]! - v.positions[5]!) / 5;
    expect(sx).toBeCloseTo(sy, 4);
    expect(v.positions[5]).toBeLessThan(v.positions[1]!);
    expect(v.xDomain[1] - v.xDomain[0]).toBeCloseTo(((v.yDomain[1] - v.yDomain[0]) * 200) / 100, 4);
  });
  it('keeps a single far outlier from shrinking the bulk', () => {
    const pts: number[] = [];
    for (let i = 0; i < 5000; i++) pts.push(Math.sin(i), Math.cos(i * 1.3));
    pts.push(1000, 1000);
    const v = fitView(pts, 100, 100, 0);
    let minX = Infinity;
    let maxX = -Infinity;
    for (let i = 0; i < 5000; i++) {
      minX = Math.min(minX, v.positions[2 * i]!);
      maxX = Math.max(maxX, v.positions[2 * i]!);
    }
    expect(maxX - minX).toBeGreaterThan(80);
  });
});

describe('interpolation', () => {
  it('lerps positions and eases', () => {
    const out = new Float32Array(2);
    expect(Array.from(lerpPositions(new Float32Array([0, 10]), new Float32Array([10, 20]), 0.25, out))).toEqual([2.5, 12.5]);
    expect(easeCubicInOut(0)).toBe(0);
    expect(easeCubicInOut(1)).toBe(1);
    expect(easeCubicInOut(0.5)).toBeCloseTo(0.5);
    expect(easeCubicInOut(2)).toBe(1);
  });
});

describe('class summaries', () => {
  const labels = new Uint8Array([0, 1, 0, 1, 3]);
  const pts = [0, 0, 10, 10, 2, 0, 10, 14, 5, 5];
  it('groups indices by class', () => {
    const by = indicesByClass(labels);
    expect(Array.from(by[0]!)).toEqual([0, 2]);
    expect(Array.from(by[1]!)).toEqual([1, 3]);
    expect(by[2]!.length).toBe(0);
  });
  it('computes centres and spreads; empty classes are NaN', () => {
    const s = classSummaries(pts, labels);
    expect(s[0]).toMatchObject({ digit: 0, count: 2, cx: 1, cy: 0, spread: 1 });
    expect(s[1]).toMatchObject({ cx: 10, cy: 12, spread: 2 });
    expect(s[3]!.spread).toBe(0);
    expect(s[2]!.count).toBe(0);
    expect(Number.isNaN(s[2]!.cx)).toBe(true);
  });
  it('builds one compact dot path per class', () => {
    const paths = previewPaths(pts, labels, 100);
    expect(paths).toHaveLength(10);
    expect(paths[0]!.match(/[Mm]-?\d+ -?\d+h0/g)).toHaveLength(2);
    expect(paths[2]).toBe('');
  });
  it('draws exactly the rounded dots of each class, once each, in relative moves', () => {
    const n = 3000;
    const rnd = seededRandom(7);
    const many = Array.from({ length: 2 * n }, () => rnd() * 40 - 20);
    const cls = Uint8Array.from({ length: n }, () => Math.floor(rnd() * 10));
    const size = 60;
    const view = fitView(many, size, size, 6);
    const paths = previewPaths(many, cls, size);
    for (let c = 0; c < 10; c++) {
      const want = new Set<string>();
      for (let i = 0; i < n; i++) {
        if (cls[i] !== c) continue;
        const x = Math.round(view.positions[2 * i]!);
        const y = Math.round(view.positions[2 * i + 1]!);
        if (x >= 0 && x <= size && y >= 0 && y <= size) want.add(`${x},${y}`);
      }
      // replay the path: the first move is absolute, the others relative to the previous dot
      const got: string[] = [];
      let x = 0;
      let y = 0;
      for (const m of paths[c]!.matchAll(/([Mm])(-?\d+) (-?\d+)h0/g)) {
        x = m[1] === 'M' ? Number(m[2]) : x + Number(m[2]);
        y = m[1] === 'M' ? Number(m[3]) : y + Number(m[3]);
        got.push(`${x},${y}`);
      }
      expect(paths[c]!.replace(/([Mm])(-?\d+) (-?\d+)h0/g, '')).toBe('');
      expect(got.length).toBe(want.size); // each dot once
      expect(new Set(got)).toEqual(want);
    }
  });
});

describe('class medians', () => {
  it('anchors each class at its coordinate-wise median, ignoring a far tail', () => {
    const labels = new Uint8Array([0, 0, 0, 1, 1]);
    const pts = [0, 0, 1, 1, 100, 50, 5, 5, 7, 9];
    const m = classMedians(pts, indicesByClass(labels));
    expect(m[0]).toEqual({ x: 1, y: 1 });
    expect(m[1]).toEqual({ x: 6, y: 7 });
    expect(Number.isNaN(m[2]!.x)).toBe(true);
  });
});
