/**
 * Quality measures of a 2-D map of points.
 *
 * **trustworthiness@k** (Venna & Kaski 2001; the definition of scikit-learn's
 * `sklearn.manifold.trustworthiness`): penalises points that are among the k nearest neighbours
 * of i in the map but not in the reference space,
 *
 *   T(k) = 1 − 2 / (n k (2n − 3k − 1)) · Σ_i Σ_{j ∈ U_k(i)} (r(i, j) − k),
 *
 * where U_k(i) are the map's k nearest neighbours of i that are not among its k nearest in the
 * reference space, and r(i, j) is the rank (1 = nearest) of j by distance from i in the reference
 * space. Ties in the reference distances are broken by point index (scikit-learn breaks them
 * arbitrarily). 1 = every map neighbourhood is a true neighbourhood.
 *
 * **Reference space used by the bake** (`src/pipeline/bake.ts`, `pretrained/<model>/embeddings.json`):
 * `metrics.<method>.trustworthiness` is measured against the **784-dimensional pixel space** of the
 * MNIST test digits (Euclidean distance on intensities byte / 255), for every method *and for the
 * model's own 2-D latent code*, so the four numbers of a model — and the two models — are directly
 * comparable: they say how well each 2-D picture keeps the digits' pixel-space neighbourhoods.
 * For t-SNE, UMAP and PCA the bake also records `trustworthinessLatent`, measured against the
 * model's 2-D latent code (their actual input): how faithfully each method redraws the latent.
 *
 * **knnAccuracy** (leave-one-out k-NN label accuracy): the share of points whose label equals the
 * majority label among their k nearest neighbours in the map (the point itself excluded); a tie in
 * the vote goes to the tied label whose nearest representative is closest. Measured in the 2-D
 * points themselves.
 */
import { distanceRows4, knn, pointCount, rowNorms, sparseRows, WIDE_DIM, type KnnResult, type Numeric, type SparseRows } from './knn.ts';
import { createRandom } from './random.ts';

function checkTrustK(n: number, k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (k >= n / 2) throw new RangeError(`trustworthiness needs k < n / 2 (k = ${k}, n = ${n})`);
}

/** Squared Euclidean distances from point i to every point of `data` into `out`. */
function distanceRow(data: Numeric, dim: number, n: number, i: number, out: Float64Array): void {
  const oi = i * dim;
  for (let j = 0; j < n; j++) {
    const oj = j * dim;
    let s = 0;
    for (let t = 0; t < dim; t++) {
      const d = data[oi + t]! - data[oj + t]!;
      s += d * d;
    }
    out[j] = s;
  }
}

/**
 * Σ_{j ∈ neighbours} max(0, r(i, j) − k) for one point, given its squared reference distances
 * `row` to all points. `scratch` must hold n numbers.
 */
function penalty(row: Float64Array, n: number, i: number, nb: Int32Array, off: number, k: number, scratch: Float64Array): number {
  // Only reference distances up to the farthest map neighbour matter.
  let far = -Infinity;
  for (let r = 0; r < k; r++) far = Math.max(far, row[nb[off + r]!]!);
  let m = 0;
  for (let j = 0; j < n; j++) {
    if (j !== i && row[j]! <= far) scratch[m++] = j;
  }
  if (m <= k) return 0;
  let total = 0;
  for (let r = 0; r < k; r++) {
    const j = nb[off + r]!;
    const dj = row[j]!;
    let rank = 1;
    for (let t = 0; t < m; t++) {
      const o = scratch[t]!;
      const d = row[o]!;
      if (d < dj || (d === dj && o < j)) rank++;
    }
    if (rank > k) total += rank - k;
  }
  return total;
}

function trustFromPenalty(total: number, n: number, k: number): number {
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * total;
}

/**
 * trustworthiness@k of several maps of the same points against one reference space, sharing the
 * reference distances (computed once per point). `lows` are n × lowDim flat arrays.
 */
export function trustworthinessMany(
  high: Numeric,
  highDim: number,
  lows: readonly Numeric[],
  lowDim: number,
  k = 10,
): number[] {
  const n = pointCount(high, highDim);
  checkTrustK(n, k);
  const neighbours: KnnResult[] = lows.map((low) => {
    if (pointCount(low, lowDim) !== n) throw new RangeError('every map must have as many points as the reference');
    return knn(low, lowDim, k, createRandom(0));
  });
  const totals = lows.map(() => 0);
  const scratch = new Float64Array(n);
  const wide = highDim > WIDE_DIM;
  const rows = [0, 1, 2, 3].map(() => new Float64Array(n));
  let norms = new Float64Array(0);
  let sparse: SparseRows = { ptr: new Int32Array(0), idx: new Int32Array(0), val: new Float64Array(0) };
  if (wide) {
    sparse = sparseRows(high, highDim, n);
    norms = rowNorms(high, highDim, n);
  }
  for (let i0 = 0; i0 < n; i0 += wide ? 4 : 1) {
    const count = wide ? Math.min(4, n - i0) : 1;
    if (wide) distanceRows4(high, highDim, n, sparse, norms, i0, count, rows);
    else distanceRow(high, highDim, n, i0, rows[0]!);
    for (let r = 0; r < count; r++) {
      const i = i0 + r;
      const row = rows[r]!;
      row[i] = 0;
      neighbours.forEach((nb, e) => {
        totals[e]! += penalty(row, n, i, nb.indices, i * k, k, scratch);
      });
    }
  }
  return totals.map((t) => trustFromPenalty(t, n, k));
}

/** trustworthiness@k of the map `low` (n × lowDim) against the reference `high` (n × highDim). */
export function trustworthiness(high: Numeric, highDim: number, low: Numeric, lowDim: number, k = 10): number {
  return trustworthinessMany(high, highDim, [low], lowDim, k)[0]!;
}

/** Leave-one-out k-NN label accuracy of the points (n × dim) with `labels` (non-negative integers). */
export function knnAccuracy(points: Numeric, dim: number, labels: ArrayLike<number>, k = 10): number {
  const n = pointCount(points, dim);
  if (labels.length !== n) throw new RangeError(`${labels.length} labels for ${n} points`);
  let maxLabel = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (!Number.isInteger(l) || l < 0) throw new RangeError(`labels must be non-negative integers, got ${l}`);
    maxLabel = Math.max(maxLabel, l);
  }
  const nb = knn(points, dim, k, createRandom(0));
  const votes = new Int32Array(maxLabel + 1);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    votes.fill(0);
    let best = -1;
    let bestVotes = 0;
    for (let r = 0; r < k; r++) votes[labels[nb.indices[i * k + r]!]!]!++;
    // Nearest-first scan: among labels with the top vote, the first met is the nearest.
    for (let r = 0; r < k; r++) {
      const l = labels[nb.indices[i * k + r]!]!;
      if (votes[l]! > bestVotes) {
        bestVotes = votes[l]!;
        best = l;
      }
    }
    if (best === labels[i]) correct++;
  }
  return correct / n;
}
