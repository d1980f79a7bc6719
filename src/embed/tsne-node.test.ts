import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bruteForceKnn, knn } from './knn.ts';
import { knnAccuracy, trustworthiness } from './metrics.ts';
import { createRandom, gaussian } from './random.ts';
import { conditionalAffinities, Tsne, tsne } from './tsne.ts';
import { createTsne, TsnePool, tsneNode, tsneWithPool } from './tsne-node.ts';

/** `clusters` Gaussian blobs of `per` points in `dim` dimensions, centres spread apart. */
function blobs(clusters: number, per: number, dim: number, seed: number) {
  const r = createRandom(seed);
  const data = new Float64Array(clusters * per * dim);
  const labels: number[] = [];
  for (let c = 0; c < clusters; c++) {
    const centre = Array.from({ length: dim }, () => 8 * gaussian(r));
    for (let p = 0; p < per; p++) {
      labels.push(c);
      for (let t = 0; t < dim; t++) data[(c * per + p) * dim + t] = centre[t]! + gaussian(r);
    }
  }
  return { data, labels };
}

let pool: TsnePool;
beforeAll(async () => {
  pool = await TsnePool.create(2);
});
afterAll(() => pool.close());

describe('t-SNE on two threads', () => {
  it('gives the same neighbours as knn(), bit for bit, on dense and sparse wide input', () => {
    const { data } = blobs(4, 60, 24, 3);
    const sparse = data.map((v) => (v > 4 ? v : 0));
    for (const d of [data, sparse]) {
      const want = knn(d, 24, 12);
      const got = pool.neighbours(d, 24, 12, createRandom(0));
      expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
      expect(Array.from(got.distances)).toEqual(Array.from(want.distances));
      // And knn() is exact.
      const brute = bruteForceKnn(d, 24, 12);
      for (let t = 0; t < brute.distances.length; t++) expect(got.distances[t]!).toBeCloseTo(brute.distances[t]!, 9);
    }
  });

  it('gives the same conditional affinities as one thread', () => {
    const { data } = blobs(3, 100, 5, 4);
    const nb = knn(data, 5, 31);
    const want = conditionalAffinities(nb, 10);
    const got = pool.conditional(nb, 10);
    expect(Array.from(got.p)).toEqual(Array.from(want.p));
    expect(Array.from(got.beta)).toEqual(Array.from(want.beta));
  });

  it('gives the same embedding and KL as tsne() bit for bit (wide input, exaggeration and after)', () => {
    const { data, labels } = blobs(5, 120, 20, 1);
    const one = tsne(data, 20, { perplexity: 20, iterations: 400, exaggerationIterations: 150 });
    const two = tsneWithPool(pool, data, 20, { perplexity: 20, iterations: 400, exaggerationIterations: 150 });
    expect(Array.from(two.embedding)).toEqual(Array.from(one.embedding));
    expect(two.kl).toBe(one.kl);
    expect(knnAccuracy(two.embedding, 2, labels, 10)).toBe(1);
    expect(trustworthiness(data, 20, two.embedding, 2, 10)).toBeGreaterThan(0.9);
  });

  it('steps like Tsne, reports progress, and reuses the pool for another run', () => {
    const { data } = blobs(3, 80, 2, 6);
    const seen: string[] = [];
    const run = createTsne(pool, data, 2, { perplexity: 10, iterations: 60, progressEvery: 20, onProgress: (p) => seen.push(`${p.stage}:${p.iteration}`) });
    const serial = new Tsne(data, 2, { perplexity: 10, iterations: 60 });
    for (let i = 0; i < 60; i++) {
      run.step();
      serial.step();
    }
    expect(Array.from(run.embedding)).toEqual(Array.from(serial.embedding));
    expect(run.klDivergence()).toBe(serial.klDivergence());
    expect(seen).toEqual(['neighbours:0', 'affinities:0', 'optimise:0', 'optimise:20', 'optimise:40', 'optimise:60']);
  });

  it('tsneNode starts and ends its own workers; one thread gives the same result', async () => {
    const { data } = blobs(2, 50, 3, 9);
    const a = await tsneNode(data, 3, { perplexity: 8, iterations: 100, threads: 1 });
    const b = await tsneNode(data, 3, { perplexity: 8, iterations: 100, threads: 2 });
    expect(Array.from(b.embedding)).toEqual(Array.from(a.embedding));
  });

  it('rejects bad thread counts and a closed pool', async () => {
    await expect(TsnePool.create(0)).rejects.toThrow(/threads must be a whole number/);
    await expect(TsnePool.create(1.5)).rejects.toThrow(/threads must be a whole number/);
    const p = await TsnePool.create(1);
    p.close();
    expect(() => createTsne(p, new Float64Array(30), 3, { perplexity: 2 })).toThrow(/closed/);
  });
});
