/**
 * Pure geometry of the latent maps: fitting a 2-D view into a panel, interpolating between views,
 * per-class summaries for the text alternative, and the build-time SVG preview.
 */
import { equalAspectDomains, padExtent, robustExtent2d } from './scales.ts';

/** A view fitted into a `width` × `height` box (y up): data domains and pixel positions. */
export interface FittedView {
  xDomain: [number, number];
  yDomain: [number, number];
  /** Interleaved pixel positions, same order as the data. */
  positions: Float32Array;
}

/**
 * Fits interleaved points into the box with equal units on both axes, ignoring the most extreme
 * 0.1 % per axis when sizing (outliers may fall outside; zooming out is not needed to see the
 * bulk). `inset` keeps points off the edges.
 */
export function fitView(points: ArrayLike<number>, width: number, height: number, inset = 8): FittedView {
  const e = robustExtent2d(points, 0.001);
  const inner = [Math.max(1, width - 2 * inset), Math.max(1, height - 2 * inset)] as const;
  const d = equalAspectDomains(padExtent(e.x, 0.02), padExtent(e.y, 0.02), inner[0], inner[1]);
  const sx = inner[0] / (d.x[1] - d.x[0]);
  const sy = inner[1] / (d.y[1] - d.y[0]);
  const xDomain: [number, number] = [d.x[0] - inset / sx, d.x[1] + inset / sx];
  const yDomain: [number, number] = [d.y[0] - inset / sy, d.y[1] + inset / sy];
  const n = Math.floor(points.length / 2);
  const positions = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    positions[2 * i] = (points[2 * i]! - xDomain[0]) * sx;
    positions[2 * i + 1] = height - (points[2 * i + 1]! - yDomain[0]) * sy;
  }
  return { xDomain, yDomain, positions };
}

/** Writes `from + (to − from)·t` into `out` (all interleaved, equal length). */
export function lerpPositions(from: Float32Array, to: Float32Array, t: number, out: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = from[i]! + (to[i]! - from[i]!) * t;
  return out;
}

/** Cubic ease-in-out on [0, 1]. */
export function easeCubicInOut(t: number): number {
  const u = Math.min(1, Math.max(0, t));
  return u < 0.5 ? 4 * u * u * u : 1 - (-2 * u + 2) ** 3 / 2;
}

/** Indices of each class 0–9. */
export function indicesByClass(labels: Uint8Array): Uint32Array[] {
  const counts = new Array<number>(10).fill(0);
  for (const l of labels) counts[l]!++;
  const out = counts.map((c) => new Uint32Array(c));
  const fill = new Array<number>(10).fill(0);
  labels.forEach((l, i) => {
    out[l]![fill[l]!++] = i;
  });
  return out;
}

/** Centre (mean) and spread (RMS distance to the centre) of one class. */
export interface ClassSummary {
  digit: number;
  count: number;
  cx: number;
  cy: number;
  spread: number;
}

/** Per-class centres and spreads of interleaved data points. */
export function classSummaries(points: ArrayLike<number>, labels: Uint8Array): ClassSummary[] {
  const sum = Array.from({ length: 10 }, () => ({ n: 0, x: 0, y: 0 }));
  labels.forEach((l, i) => {
    const s = sum[l]!;
    s.n++;
    s.x += points[2 * i]!;
    s.y += points[2 * i + 1]!;
  });
  const centres = sum.map((s) => (s.n ? [s.x / s.n, s.y / s.n] : [Number.NaN, Number.NaN]));
  const sq = new Array<number>(10).fill(0);
  labels.forEach((l, i) => {
    const [cx, cy] = centres[l]!;
    sq[l]! += (points[2 * i]! - cx!) ** 2 + (points[2 * i + 1]! - cy!) ** 2;
  });
  return sum.map((s, d) => ({
    digit: d,
    count: s.n,
    cx: centres[d]![0]!,
    cy: centres[d]![1]!,
    spread: s.n ? Math.sqrt(sq[d]! / s.n) : Number.NaN,
  }));
}

/**
 * Compact SVG path data for the build-time preview: one path per class made of zero-length
 * segments, drawn as dots by a round line cap. Coordinates are rounded to whole units of a
 * `size` × `size` box; a class's dots that round to the same unit are drawn once (same colour,
 * same pixels), and the rest are sorted by row and written as relative moves ("M x y h0" for the
 * first, then "m dx dy h0"), whose small, repetitive numbers gzip to less than half the bytes of
 * absolute ones. The pictures are those of the absolute form.
 */
export function previewPaths(points: ArrayLike<number>, labels: Uint8Array, size = 500): string[] {
  const view = fitView(points, size, size, 6);
  const keys: number[][] = Array.from({ length: 10 }, () => []);
  const stride = size + 1;
  labels.forEach((l, i) => {
    const x = Math.round(view.positions[2 * i]!);
    const y = Math.round(view.positions[2 * i + 1]!);
    if (x >= 0 && x <= size && y >= 0 && y <= size) keys[l]!.push(y * stride + x);
  });
  return keys.map((k) => {
    const unique = Array.from(new Set(k)).sort((a, b) => a - b);
    let out = '';
    let cx = 0;
    let cy = 0;
    unique.forEach((key, i) => {
      const x = key % stride;
      const y = (key - x) / stride;
      out += i === 0 ? `M${x} ${y}h0` : `m${x - cx} ${y - cy}h0`;
      cx = x;
      cy = y;
    });
    return out;
  });
}

/**
 * Per-class label anchors: the coordinate-wise median of each class's points (robust to the long
 * tails a 2-D latent often has, unlike the mean). NaN for a class with no points.
 */
export function classMedians(points: ArrayLike<number>, byClass: readonly Uint32Array[]): { x: number; y: number }[] {
  return byClass.map((idx) => {
    if (idx.length === 0) return { x: Number.NaN, y: Number.NaN };
    const xs = new Float64Array(idx.length);
    const ys = new Float64Array(idx.length);
    idx.forEach((i, k) => {
      xs[k] = points[2 * i]!;
      ys[k] = points[2 * i + 1]!;
    });
    xs.sort();
    ys.sort();
    const mid = (a: Float64Array) => (a.length % 2 ? a[(a.length - 1) / 2]! : (a[a.length / 2 - 1]! + a[a.length / 2]!) / 2);
    return { x: mid(xs), y: mid(ys) };
  });
}
