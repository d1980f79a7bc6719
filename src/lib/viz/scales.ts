/** Extents and domains shared by the charts (pure; d3-scale does the mapping). */
import { sortedAxes } from '../../contracts/latent-range.ts';

/** [min, max] of the finite values; `undefined` when there are none. */
export function extentOf(values: Iterable<number>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** Widens [lo, hi] by `fraction` of its span on both sides; a zero span gets ±0.5 (or ±|lo|·fraction). */
export function padExtent([lo, hi]: [number, number], fraction = 0.05): [number, number] {
  const span = hi - lo;
  if (span > 0) return [lo - span * fraction, hi + span * fraction];
  const pad = lo === 0 ? 0.5 : Math.abs(lo) * Math.max(fraction, 0.05);
  return [lo - pad, hi + pad];
}

/**
 * Domains for a 2-D scatter that keep one unit the same length on both axes, fitted to a
 * `width` × `height` box: the narrower dimension's domain is widened around its centre.
 */
export function equalAspectDomains(
  x: [number, number],
  y: [number, number],
  width: number,
  height: number,
): { x: [number, number]; y: [number, number] } {
  const xSpan = Math.max(x[1] - x[0], 1e-9);
  const ySpan = Math.max(y[1] - y[0], 1e-9);
  const unitsPerPx = Math.max(xSpan / width, ySpan / height);
  const xc = (x[0] + x[1]) / 2;
  const yc = (y[0] + y[1]) / 2;
  const hw = (unitsPerPx * width) / 2;
  const hh = (unitsPerPx * height) / 2;
  return { x: [xc - hw, xc + hw], y: [yc - hh, yc + hh] };
}

/**
 * A y-domain for loss curves: from 0 (losses are non-negative and a zero baseline reads
 * honestly) to a little above the largest value. Falls back to [0, 1] with no data.
 */
export function lossDomain(values: Iterable<number>, headroom = 0.05): [number, number] {
  const e = extentOf(values);
  if (!e) return [0, 1];
  const top = e[1] <= 0 ? 1 : e[1] * (1 + headroom);
  return [Math.min(0, e[0]), top];
}


/**
 * Robust extent of interleaved 2-D points (x0, y0, x1, y1, …): the `q` and `1 − q` quantiles per
 * axis, so a handful of far outliers do not shrink the whole map. q = 0 gives the plain extent.
 */
export function robustExtent2d(
  points: ArrayLike<number>,
  q = 0.001,
): { x: [number, number]; y: [number, number] } {
  const { xs, ys } = sortedAxes(points);
  const n = xs.length;
  const pick = (arr: Float64Array, p: number) => arr[Math.min(n - 1, Math.max(0, Math.round(p * (n - 1))))]!;
  if (n === 0) return { x: [0, 1], y: [0, 1] };
  return { x: [pick(xs, q), pick(xs, 1 - q)], y: [pick(ys, q), pick(ys, 1 - q)] };
}
