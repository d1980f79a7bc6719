import { describe, expect, it } from 'vitest';
import { IMAGE_SIZE, SIDE } from './digits.ts';
import { BOX, centreOfMass, fitSize, inkBoundingBox, inkFromRgba, preprocessDrawing, resampleArea, type GreyImage } from './preprocess.ts';

/** A blank canvas-like image. */
function blank(width: number, height: number): GreyImage {
  return { data: new Float32Array(width * height), width, height };
}

/** Fills a rectangle with ink. */
function rect(img: GreyImage, x0: number, y0: number, x1: number, y1: number, v = 1): GreyImage {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) img.data[y * img.width + x] = v;
  return img;
}

/** The bounding box of non-zero pixels in a 28×28 result. */
function bbox28(d: Float32Array) {
  return inkBoundingBox({ data: d, width: SIDE, height: SIDE }, 0)!;
}

describe('empty input', () => {
  it('an empty drawing gives null (a hint, not an error)', () => {
    expect(preprocessDrawing(blank(280, 280))).toBeNull();
    expect(inkBoundingBox(blank(10, 10))).toBeNull();
    expect(centreOfMass(blank(5, 5))).toBeNull();
  });
  it('faint noise below the ink threshold counts as empty', () => {
    const img = blank(50, 50);
    img.data.fill(0.01);
    expect(preprocessDrawing(img)).toBeNull();
  });
  it('rejects data of the wrong length', () => {
    expect(() => preprocessDrawing({ data: new Float32Array(3), width: 2, height: 2 })).toThrow();
  });
});

describe('bounding box scaling', () => {
  it('finds the tight box of the ink', () => {
    expect(inkBoundingBox(rect(blank(100, 80), 10, 20, 30, 70))).toEqual({ x0: 10, y0: 20, x1: 30, y1: 70 });
  });
  it('fits the longer side to 20 pixels, keeping the aspect ratio', () => {
    expect(fitSize(100, 50)).toEqual([20, 10]);
    expect(fitSize(30, 150)).toEqual([4, 20]);
    expect(fitSize(1, 1)).toEqual([BOX, BOX]);
    expect(fitSize(1, 1000)).toEqual([1, 20]);
  });
  it('a tall stroke becomes 20 pixels tall and proportionally narrow', () => {
    const out = preprocessDrawing(rect(blank(280, 280), 100, 40, 140, 240))!; // 40 × 200
    const b = bbox28(out);
    expect(b.y1 - b.y0).toBe(20);
    expect(b.x1 - b.x0).toBe(4);
  });
  it('area averaging anti-aliases: a half-covered output pixel gets half the ink', () => {
    // 4×1 source [1, 1, 0, 0] down to 1×1 → 0.5; 3 pixels → 2 pixels gives fractional weights.
    const img: GreyImage = { data: Float32Array.from([1, 1, 0, 0]), width: 4, height: 1 };
    expect(resampleArea(img, { x0: 0, y0: 0, x1: 4, y1: 1 }, 1, 1).data[0]).toBeCloseTo(0.5, 6);
    const img3: GreyImage = { data: Float32Array.from([1, 0, 0]), width: 3, height: 1 };
    const r = resampleArea(img3, { x0: 0, y0: 0, x1: 3, y1: 1 }, 2, 1).data;
    expect(r[0]).toBeCloseTo(2 / 3, 6); // covers pixel 0 fully and half of pixel 1
    expect(r[1]).toBeCloseTo(0, 6);
  });
  it('preserves the mean ink when shrinking', () => {
    const img = rect(blank(40, 40), 0, 0, 40, 20); // top half inked
    const r = resampleArea(img, { x0: 0, y0: 0, x1: 40, y1: 40 }, 20, 20);
    const mean = r.data.reduce((a, b) => a + b, 0) / r.data.length;
    expect(mean).toBeCloseTo(0.5, 6);
  });
  it('values stay in [0, 1] and intermediate greys appear (anti-aliased)', () => {
    const img = blank(280, 280);
    // a diagonal thick line
    for (let t = 0; t < 200; t++) for (let w = 0; w < 12; w++) img.data[(40 + t) * 280 + 60 + t + w] = 1;
    const out = preprocessDrawing(img)!;
    expect(out.length).toBe(IMAGE_SIZE);
    expect(Math.max(...out)).toBeLessThanOrEqual(1);
    expect(Math.min(...out)).toBeGreaterThanOrEqual(0);
    expect(out.some((v) => v > 0.05 && v < 0.95)).toBe(true);
  });
});

describe('centre of mass', () => {
  it('is the ink-weighted mean of pixel centres', () => {
    const img = blank(4, 2);
    img.data[0] = 1; // centre (0.5, 0.5)
    img.data[4 + 3] = 3; // centre (3.5, 1.5)
    expect(centreOfMass(img)).toEqual([(0.5 + 3 * 3.5) / 4, (0.5 + 3 * 1.5) / 4]);
  });
  it('centres a drawing by its centre of mass, wherever it was drawn', () => {
    for (const [x0, y0] of [[5, 5], [200, 180], [100, 10]] as const) {
      const img = rect(blank(280, 280), x0, y0, x0 + 60, y0 + 90);
      const out = preprocessDrawing({ ...img, data: img.data })!;
      const com = centreOfMass({ data: out, width: SIDE, height: SIDE })!;
      expect(Math.abs(com[0] - 14)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(com[1] - 14)).toBeLessThanOrEqual(0.5);
    }
  });
  it('uses the centre of mass, not the box centre, for lopsided ink', () => {
    // An "L": a stem and a foot to the right. The box centre and the centre of mass differ.
    const img = rect(rect(blank(200, 200), 20, 20, 40, 180), 20, 160, 120, 180);
    const out = preprocessDrawing(img)!;
    const com = centreOfMass({ data: out, width: SIDE, height: SIDE })!;
    expect(Math.abs(com[0] - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com[1] - 14)).toBeLessThanOrEqual(0.5);
    const b = bbox28(out);
    expect((b.x0 + b.x1) / 2).not.toBeCloseTo(14, 0);
  });
  it('keeps the 20-pixel box inside the 28-pixel field even for extreme ink', () => {
    // A full-width bar with a heavy dot at one end pulls the centre of mass far to the side.
    const img = rect(rect(blank(200, 40), 0, 0, 200, 4), 0, 0, 10, 40);
    const out = preprocessDrawing(img)!;
    const b = bbox28(out);
    expect(b.x0).toBeGreaterThanOrEqual(0);
    expect(b.x1).toBeLessThanOrEqual(SIDE);
    expect(b.x1 - b.x0).toBe(20);
  });
});

describe('inkFromRgba', () => {
  it('reads ink from the alpha channel', () => {
    const rgba = Uint8ClampedArray.from([255, 255, 255, 255, 0, 0, 0, 0, 9, 9, 9, 51]);
    const g = inkFromRgba(rgba, 3, 1);
    expect(g.data[0]).toBe(1);
    expect(g.data[1]).toBe(0);
    expect(g.data[2]).toBeCloseTo(0.2, 6);
  });
});
