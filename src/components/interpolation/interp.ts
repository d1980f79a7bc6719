/**
 * DOM-free logic of the interpolation widget: the default pair, the slider's mapping and the
 * words for readers. The latent path itself is `pathPoints`/`lerp2` in src/lib/digits.ts.
 */
import { formatCoord } from '../../lib/viz/format.ts';

/** Steps in the strip under each model (both ends included). */
export const STRIP_STEPS = 10;
/** The slider's integer range: 0 … SLIDER_MAX maps to t = 0 … 1. */
export const SLIDER_MAX = 100;

/**
 * The first 3 and the first 8 of the MNIST test set — the default pair, since 3 and 8 share
 * strokes and the path between them is interesting. Checked against the real labels in the test.
 */
export const DEFAULT_PAIR: readonly [number, number] = [18, 61];

/** The first test digits labelled `a` and `b`, or DEFAULT_PAIR's indices when labels are missing. */
export function defaultPair(labels?: ArrayLike<number>, a = 3, b = 8): [number, number] {
  if (!labels) return [DEFAULT_PAIR[0], DEFAULT_PAIR[1]];
  let ia = -1;
  let ib = -1;
  for (let i = 0; i < labels.length && (ia < 0 || ib < 0); i++) {
    if (ia < 0 && labels[i] === a) ia = i;
    if (ib < 0 && labels[i] === b) ib = i;
  }
  return [ia < 0 ? DEFAULT_PAIR[0] : ia, ib < 0 ? DEFAULT_PAIR[1] : ib];
}

/** The interpolation weight for a slider value (clamped to [0, 1]). */
export function sliderToT(value: number, max = SLIDER_MAX): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value / max)) : 0;
}

/** The slider's spoken value: "t = 0.30: 70 % digit #18, 30 % digit #61". */
export function sliderText(t: number, a: number, b: number): string {
  const pb = Math.round(t * 100);
  return `t = ${t.toFixed(2)}: ${100 - pb} % digit #${a}, ${pb} % digit #${b}`;
}

/** A latent point for reading. */
export function pointText(z: readonly [number, number]): string {
  return `(${formatCoord(z[0])}, ${formatCoord(z[1])})`;
}

/** Euclidean length of the straight path between two codes. */
export function pathLength(a: readonly [number, number], b: readonly [number, number]): number {
  return Math.hypot(b[0] - a[0], b[1] - a[1]);
}
