/**
 * DOM-free logic of the interpolation widget: the default pair, the slider's mapping and the
 * words for readers. The latent path itself is `pathPoints`/`lerp2` in src/lib/digits.ts.
 */
import { formatCoord } from '../../lib/viz/format.ts';

/** The strip's steps and the default pair are figure constants shared with the baked figures. */
export { DEFAULT_PAIR, STRIP_STEPS, defaultPair } from '../../contracts/figures.ts';

/** The slider's integer range: 0 … SLIDER_MAX maps to t = 0 … 1. */
export const SLIDER_MAX = 100;

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
