/**
 * The held-out digits' codes as a 2-D picture: 2-D codes as they are, wider codes projected on
 * their first two principal components (exact PCA from `src/embed`), plus the words that stand in
 * for the scatter plot for screen readers.
 */
import { pca } from '../../embed/pca.ts';
import { formatCoord } from '../../lib/viz/format.ts';

/** A 2-D view of `n` codes of `dim` dimensions. */
export interface Projection {
  /** Flat `[x0, y0, x1, y1, …]`. */
  points: Float32Array;
  /** How the points were obtained, for axis titles and captions. */
  method: 'latent' | 'pca';
  /** PCA: the share of the codes' variance the two axes keep. */
  explained?: number;
}

/** 2-D codes unchanged; wider ones projected onto their two leading principal components. */
export function project2d(codes: Float32Array, n: number, dim: number): Projection {
  if (codes.length !== n * dim) throw new RangeError(`expected ${n} × ${dim} codes, got ${codes.length} values`);
  if (dim === 2) return { points: codes, method: 'latent' };
  const r = pca(codes, dim, 2);
  let total = 0;
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let t = 0; t < dim; t++) mean[t]! += codes[i * dim + t]! / n;
  for (let i = 0; i < n; i++) for (let t = 0; t < dim; t++) total += (codes[i * dim + t]! - mean[t]!) ** 2;
  total /= Math.max(1, n - 1);
  const kept = r.variance[0]! + r.variance[1]!;
  return { points: Float32Array.from(r.projection), method: 'pca', explained: total > 0 ? kept / total : undefined };
}

/** The mean point of each digit class (undefined for a class with no points). */
export function classCentres(points: ArrayLike<number>, labels: ArrayLike<number>): ([number, number] | undefined)[] {
  const sum = Array.from({ length: 10 }, () => [0, 0, 0]);
  for (let i = 0; i < labels.length; i++) {
    const c = sum[labels[i]!];
    if (!c) continue;
    c[0]! += points[2 * i]!;
    c[1]! += points[2 * i + 1]!;
    c[2]! += 1;
  }
  return sum.map(([x, y, k]) => (k ? [x! / k, y! / k] : undefined));
}

/** The scatter's text alternative: what is shown, after how many steps, and where each class sits. */
export function scatterText(p: Projection, step: number, labels: ArrayLike<number> | undefined): string {
  const how = p.method === 'latent' ? 'latent codes' : 'latent codes projected on their first two principal components';
  const head = `Scatter plot of the ${p.points.length / 2} held-out digits' ${how} after ${step} training steps`;
  if (!labels) return `${head}.`;
  const centres = classCentres(p.points, labels)
    .map((c, d) => (c ? `${d} at (${formatCoord(c[0])}, ${formatCoord(c[1])})` : undefined))
    .filter(Boolean)
    .join(', ');
  return `${head}, coloured by digit. Class centres: ${centres}.`;
}
