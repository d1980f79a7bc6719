import { describe, expect, it } from 'vitest';
import {
  IMAGE_SIZE,
  clampToRange,
  gridPoints,
  latentToPixel,
  lerp2,
  paintDigit,
  paintMosaic,
  pathPoints,
  pixelToLatent,
  steps,
} from './digits.ts';

describe('interpolation', () => {
  it('lerp2 hits both ends and the midpoint', () => {
    expect(lerp2([1, -2], [3, 4], 0)).toEqual([1, -2]);
    expect(lerp2([1, -2], [3, 4], 1)).toEqual([3, 4]);
    expect(lerp2([1, -2], [3, 4], 0.5)).toEqual([2, 1]);
  });
  it('steps spans 0..1 evenly and rejects n < 2', () => {
    expect(steps(5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(() => steps(1)).toThrow();
    expect(() => steps(2.5)).toThrow();
  });
  it('pathPoints lies on the segment with equal spacing', () => {
    const p = pathPoints([0, 0], [9, -9], 10);
    expect(p.length).toBe(20);
    for (let i = 0; i < 10; i++) {
      expect(p[2 * i]).toBeCloseTo(i, 5);
      expect(p[2 * i + 1]).toBeCloseTo(-i, 5);
    }
  });
});

describe('grid coordinates', () => {
  const range = { xMin: -2, xMax: 2, yMin: -1, yMax: 3 };
  it('gives cell centres in reading order, y decreasing down the rows', () => {
    const g = gridPoints(4, range);
    expect(g.length).toBe(32);
    // top-left cell centre
    expect([g[0], g[1]]).toEqual([-1.5, 2.5]);
    // top-right
    expect([g[6], g[7]]).toEqual([1.5, 2.5]);
    // bottom-left
    expect([g[24], g[25]]).toEqual([-1.5, -0.5]);
  });
  it('a 20×20 grid stays strictly inside the range and is symmetric for a symmetric range', () => {
    const g = gridPoints(20, { xMin: -3, xMax: 3, yMin: -3, yMax: 3 });
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < g.length; i += 2) {
      expect(Math.abs(g[i]!)).toBeLessThan(3);
      expect(Math.abs(g[i + 1]!)).toBeLessThan(3);
      sx += g[i]!;
      sy += g[i + 1]!;
    }
    expect(sx).toBeCloseTo(0, 4);
    expect(sy).toBeCloseTo(0, 4);
  });
  it('pixel ↔ latent mapping round-trips and puts y up', () => {
    const [px, py] = latentToPixel(0.5, 2, range, 200, 100);
    const [x, y] = pixelToLatent(px, py, range, 200, 100);
    expect(x).toBeCloseTo(0.5, 9);
    expect(y).toBeCloseTo(2, 9);
    expect(latentToPixel(-2, 3, range, 200, 100)).toEqual([0, 0]);
    expect(latentToPixel(2, -1, range, 200, 100)).toEqual([200, 100]);
  });
  it('clampToRange keeps points inside', () => {
    expect(clampToRange(5, -5, range)).toEqual([2, -1]);
    expect(clampToRange(0, 0, range)).toEqual([0, 0]);
  });
});

describe('painting', () => {
  it('paints probabilities as opaque grey pixels at an offset', () => {
    const probs = new Float32Array(IMAGE_SIZE).fill(0);
    probs[0] = 1;
    probs[IMAGE_SIZE - 1] = 0.5;
    const width = 30;
    const rgba = new Uint8ClampedArray(width * 30 * 4);
    paintDigit(probs, rgba, width, 1, 2);
    const at = (x: number, y: number) => Array.from(rgba.slice(4 * (y * width + x), 4 * (y * width + x) + 4));
    expect(at(1, 2)).toEqual([255, 255, 255, 255]);
    expect(at(28, 29)).toEqual([128, 128, 128, 255]);
    expect(at(0, 0)).toEqual([0, 0, 0, 0]); // outside the tile: untouched
  });
  it('paintMosaic lays images out in columns', () => {
    const imgs = new Float32Array(3 * IMAGE_SIZE);
    imgs.fill(1, 2 * IMAGE_SIZE); // third image white
    const m = paintMosaic(imgs, 3, 2);
    expect([m.width, m.height]).toEqual([56, 56]);
    expect(m.rgba[4 * (28 * 56 + 0)]).toBe(255); // third image: row 1, col 0
    expect(m.rgba[4 * (28 * 56 + 28)]).toBe(0); // empty slot stays transparent
    expect(m.rgba[4 * (28 * 56 + 28) + 3]).toBe(0);
    expect(m.rgba[0]).toBe(0);
    expect(m.rgba[3]).toBe(255);
  });
});
