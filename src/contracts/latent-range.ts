/**
 * The latent plane's range: the square of latent coordinates a 2-D figure shows, from the test
 * codes (the central quantiles of each axis) or, without codes, from the VAE's prior N(0, I).
 * Shared by the widgets (`src/lib/digits.ts` re-exports it) and the figures the pipeline bakes
 * (`src/pipeline/figures.ts`), so the static picture and the live one cover the same plane.
 * Pure: no DOM, no Node.
 */

/** A 2-D axis-aligned range of latent coordinates. */
export interface LatentRange {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
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

/** The x and the y coordinates of interleaved 2-D points (x0, y0, x1, y1, …), each sorted ascending. */
export function sortedAxes(points: ArrayLike<number>): { xs: Float64Array; ys: Float64Array } {
  const n = Math.floor(points.length / 2);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = points[2 * i]!;
    ys[i] = points[2 * i + 1]!;
  }
  xs.sort();
  ys.sort();
  return { xs, ys };
}
