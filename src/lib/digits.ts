/**
 * DOM-free helpers shared by the model widgets: image sizes, interpolation,
 * latent-plane geometry and painting 28 × 28 probabilities into RGBA pixels.
 */
import { sortedAxes } from './viz/scales.ts';

/** Side of an MNIST image in pixels. */
export const SIDE = 28;
/** Pixels per image. */
export const IMAGE_SIZE = SIDE * SIDE;
/** The models' latent dimension. */
export const LATENT_DIM = 2;

/** A 2-D axis-aligned range of latent coordinates. */
export interface LatentRange {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

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

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** The `q`-quantile of some numbers (linear interpolation between order statistics). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('quantile of no values');
  const pos = Math.min(n - 1, Math.max(0, q * (n - 1)));
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < n ? sorted[i]! * (1 - f) + sorted[i + 1]! * f : sorted[i]!;
}

/**
 * The range covering the central `coverage` of flat 2-D points `[x0, y0, …]` on each axis,
 * widened by `pad` (a fraction of its size) on every side.
 */
export function latentRange(points: ArrayLike<number>, coverage = 0.99, pad = 0.05): LatentRange {
  if (points.length < 2) throw new Error('latentRange of no points');
  const { xs, ys } = sortedAxes(points);
  const tail = (1 - coverage) / 2;
  let [xMin, xMax] = [quantile(xs, tail), quantile(xs, 1 - tail)];
  let [yMin, yMax] = [quantile(ys, tail), quantile(ys, 1 - tail)];
  if (xMax - xMin < 1e-6) [xMin, xMax] = [xMin - 0.5, xMax + 0.5];
  if (yMax - yMin < 1e-6) [yMin, yMax] = [yMin - 0.5, yMax + 0.5];
  const px = (xMax - xMin) * pad;
  const py = (yMax - yMin) * pad;
  return { xMin: xMin - px, xMax: xMax + px, yMin: yMin - py, yMax: yMax + py };
}

/** The VAE's prior view: a square range at ±z of the standard normal's `p` and `1 − p` quantiles. */
export function priorRange(p = 0.01): LatentRange {
  const z = -normalQuantile(p);
  return { xMin: -z, xMax: z, yMin: -z, yMax: z };
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
