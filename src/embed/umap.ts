/**
 * UMAP (McInnes, Healy & Melville 2018) through the `umap-js` package, seeded with this folder's
 * PRNG so that the same seed gives the same map, and taking/returning flat typed arrays like the
 * other methods here.
 */
import { UMAP } from 'umap-js';
import { pointCount, type Numeric } from './knn.ts';
import { createRandom } from './random.ts';

export interface UmapOptions {
  /** Size of the local neighbourhood; 15 (umap-js / umap-learn default). */
  nNeighbors?: number;
  /** Minimum distance between embedded points; 0.1. */
  minDist?: number;
  /** Optimisation epochs; umap-js chooses (500 for small sets, 200 above 10,000 points). */
  nEpochs?: number;
  seed?: number;
  /** Called after each epoch with (epochs done, total epochs). */
  onProgress?: (epoch: number, epochs: number) => void;
}

export interface UmapResult {
  /** n × 2, flat. */
  embedding: Float64Array;
  nEpochs: number;
  nNeighbors: number;
  minDist: number;
}

export function umap(data: Numeric, dim: number, options: UmapOptions = {}): UmapResult {
  const n = pointCount(data, dim);
  const nNeighbors = options.nNeighbors ?? 15;
  const minDist = options.minDist ?? 0.1;
  if (!Number.isInteger(nNeighbors) || nNeighbors < 2) throw new RangeError(`nNeighbors must be an integer ≥ 2, got ${nNeighbors}`);
  if (nNeighbors >= n) throw new RangeError(`nNeighbors = ${nNeighbors} needs more than ${nNeighbors} points, got ${n}`);
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(dim);
    for (let t = 0; t < dim; t++) {
      const v = data[i * dim + t]!;
      if (!Number.isFinite(v)) throw new RangeError(`input value ${i * dim + t} is not a finite number`);
      row[t] = v;
    }
    rows[i] = row;
  }
  const model = new UMAP({
    nComponents: 2,
    nNeighbors,
    minDist,
    random: createRandom(options.seed ?? 0),
    ...(options.nEpochs !== undefined ? { nEpochs: options.nEpochs } : {}),
  });
  const epochs = model.initializeFit(rows);
  for (let e = 0; e < epochs; e++) {
    model.step();
    options.onProgress?.(e + 1, epochs);
  }
  const out = model.getEmbedding();
  const embedding = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    embedding[2 * i] = out[i]![0]!;
    embedding[2 * i + 1] = out[i]![1]!;
  }
  return { embedding, nEpochs: epochs, nNeighbors, minDist };
}
