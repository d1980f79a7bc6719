/**
 * DOM-free helpers shared by the model widgets: image sizes, interpolation,
 * latent-plane geometry and painting 28 × 28 probabilities into RGBA pixels.
 */
import type { LatentRange } from '../contracts/latent-range.ts';

export { latentRange, normalQuantile, priorRange, quantile, type LatentRange } from '../contracts/latent-range.ts';

/** Side of an MNIST image in pixels. */
export const SIDE = 28;
/** Pixels per image. */
export const IMAGE_SIZE = SIDE * SIDE;
/** The models' latent dimension. */
export const LATENT_DIM = 2;

/** Linear interpolation between two latent points: `(1 − t)·a + t·b`. */
export function lerp2(a: readonly [number, number], b: readonly [number, number], t: number): [number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
}

/** `n ≥ 2` evenly spaced interpolation weights from 0 to 1 inclusive. */
export function steps(n: number): number[] {
  if (!Number.isInteger(n) || n < 2) throw new Error(`steps: need an integer n ≥ 2, got ${n}`);
  return Array.from({ length: n }, (_, i) => i / (n - 1));
}

/** The latent points of a path of `n` steps from `a` to `b`, flat `[x0, y0, …]`. */
export function pathPoints(a: readonly [number, number], b: readonly [number, number], n: number): Float32Array {
  const out = new Float32Array(n * 2);
  steps(n).forEach((t, i) => {
    const [x, y] = lerp2(a, b, t);
    out[2 * i] = x;
    out[2 * i + 1] = y;
  });
  return out;
}

/**
 * The centres of an `n × n` grid of cells covering `range`, flat `[x, y, …]` in reading order:
 * row 0 is the top of the picture (largest y), column 0 the left (smallest x).
 */
export function gridPoints(n: number, range: LatentRange): Float32Array {
  const out = new Float32Array(n * n * 2);
  const dx = (range.xMax - range.xMin) / n;
  const dy = (range.yMax - range.yMin) / n;
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const k = 2 * (row * n + col);
      out[k] = range.xMin + (col + 0.5) * dx;
      out[k + 1] = range.yMax - (row + 0.5) * dy;
    }
  }
  return out;
}

/** Maps a latent point to pixel coordinates on a `width × height` plane showing `range` (y up). */
export function latentToPixel(x: number, y: number, range: LatentRange, width: number, height: number): [number, number] {
  return [((x - range.xMin) / (range.xMax - range.xMin)) * width, ((range.yMax - y) / (range.yMax - range.yMin)) * height];
}

/** Maps pixel coordinates on the plane back to a latent point (inverse of latentToPixel). */
export function pixelToLatent(px: number, py: number, range: LatentRange, width: number, height: number): [number, number] {
  return [range.xMin + (px / width) * (range.xMax - range.xMin), range.yMax - (py / height) * (range.yMax - range.yMin)];
}

/** Clamps a latent point into a range. */
export function clampToRange(x: number, y: number, range: LatentRange): [number, number] {
  return [Math.min(range.xMax, Math.max(range.xMin, x)), Math.min(range.yMax, Math.max(range.yMin, y))];
}

/**
 * Paints one image of probabilities (`[0, 1]`, row-major 28 × 28, starting at `offset`) as
 * white-on-black greyscale into an RGBA buffer `width` pixels wide, with its top-left corner at
 * `(left, top)` — MNIST's own look.
 */
export function paintDigit(
  probs: ArrayLike<number>,
  rgba: Uint8ClampedArray,
  width: number,
  left = 0,
  top = 0,
  offset = 0,
): void {
  for (let r = 0; r < SIDE; r++) {
    let p = 4 * ((top + r) * width + left);
    let k = offset + r * SIDE;
    for (let c = 0; c < SIDE; c++, p += 4, k++) {
      const v = probs[k]! * 255;
      rgba[p] = v;
      rgba[p + 1] = v;
      rgba[p + 2] = v;
      rgba[p + 3] = 255;
    }
  }
}

/**
 * Paints `count` decoded images (flat, 784 each) as a strip or grid of `cols` columns into a
 * new RGBA buffer of `cols·28 × rows·28` pixels.
 */
export function paintMosaic(images: ArrayLike<number>, count: number, cols: number): { rgba: Uint8ClampedArray; width: number; height: number } {
  const rows = Math.ceil(count / cols);
  const width = cols * SIDE;
  const height = rows * SIDE;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < count; i++) {
    paintDigit(images, rgba, width, (i % cols) * SIDE, Math.floor(i / cols) * SIDE, i * IMAGE_SIZE);
  }
  return { rgba, width, height };
}
