import { describe, expect, it } from 'vitest';
import { bruteForceKnn } from './knn.ts';
import { knnAccuracy, trustworthiness } from './metrics.ts';
import { createRandom, gaussian } from './random.ts';
import { conditionalAffinities, jointAffinities, Tsne, tsne } from './tsne.ts';

/** `clusters` well-separated Gaussian blobs of `per` points in `dim` dimensions. */
function blobs(clusters: number, per: number, dim: number, seed: number, spread = 1, gap = 30) {
  const r = createRandom(seed);
  const n = clusters * per;
  const data = new Float64Array(n * dim);
  const labels: number[] = [];
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dim }, () => gap * (r() - 0.5)));
  for (let c = 0; c < clusters; c++) {
    // Keep centres far apart: add a distinct offset along one axis per cluster.
    centres[c]![c % dim]! += gap * (1 + c);
    for (let p = 0; p < per; p++) {
      const i = c * per + p;
      labels.push(c);
      for (let t = 0; t < dim; t++) data[i * dim + t] = centres[c]![t]! + spread * gaussian(r);
    }
  }
  return { data, labels, n };
}

/** Exact t-SNE gradient (O(n²)) from the definition, for checking. */
function exactGradient(y: Float64Array, n: number, P: (i: number, j: number) => number, exaggeration: number): Float64Array {
  let z = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (i !== j) z += 1 / (1 + (y[2 * i]! - y[2 * j]!) ** 2 + (y[2 * i + 1]! - y[2 * j + 1]!) ** 2);
  }
  const g = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const dx = y[2 * i]! - y[2 * j]!;
      const dy = y[2 * i + 1]! - y[2 * j + 1]!;
      const q = 1 / (1 + dx * dx + dy * dy);
      const m = 4 * (exaggeration * P(i, j) - q / z) * q;
      g[2 * i]! += m * dx;
      g[2 * i + 1]! += m * dy;
    }
  }
  return g;
}

describe('perplexity calibration', () => {
  it.each([5, 30])('reaches entropy log(perplexity) for every point (perplexity %i)', (perplexity) => {
    const { data } = blobs(3, 100, 5, 7, 2, 5);
    const k = Math.floor(3 * perplexity + 1);
    const nb = bruteForceKnn(data, 5, k);
    const { p, entropy } = conditionalAffinities(nb, perplexity);
    for (let i = 0; i < 300; i++) {
      // Entropy recomputed independently from the probabilities: −Σ p log p.
      let h = 0;
      let sum = 0;
      for (let r = 0; r < k; r++) {
        const v = p[i * k + r]!;
        sum += v;
        if (v > 0) h -= v * Math.log(v);
      }
      expect(sum).toBeCloseTo(1, 12);
      expect(Math.abs(h - Math.log(perplexity))).toBeLessThan(1e-4);
      expect(Math.abs(entropy[i]! - Math.log(perplexity))).toBeLessThan(1e-4);
      // Closer neighbours get at least as much probability.
      for (let r = 1; r < k; r++) expect(p[i * k + r]!).toBeLessThanOrEqual(p[i * k + r - 1]! + 1e-15);
    }
  });

  it('joint affinities equal (P_cond + P_condᵀ) / Σ built densely', () => {
    const { data } = blobs(3, 25, 4, 21);
    const n = 75;
    const k = 12;
    const nb = bruteForceKnn(data, 4, k);
    const cond = conditionalAffinities(nb, 4).p;
    const dense = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < k; r++) {
        const j = nb.indices[i * k + r]!;
        dense[i * n + j]! += cond[i * k + r]!;
        dense[j * n + i]! += cond[i * k + r]!;
      }
    }
    const sum = dense.reduce((a, b) => a + b, 0);
    const P = jointAffinities(nb, cond);
    let nnz = 0;
    for (let i = 0; i < n; i++) {
      for (let t = P.rowPtr[i]!; t < P.rowPtr[i + 1]!; t++) {
        if (t > P.rowPtr[i]!) expect(P.col[t]!).toBeGreaterThan(P.col[t - 1]!);
        expect(P.val[t]!).toBeCloseTo(dense[i * n + P.col[t]!]! / sum, 14);
      }
      for (let j = 0; j < n; j++) if (dense[i * n + j]! > 0) nnz++;
    }
    expect(P.col.length).toBe(nnz);
  });

  it('joint affinities are symmetric and sum to 1', () => {
    const { data } = blobs(2, 60, 3, 3);
    const nb = bruteForceKnn(data, 3, 16);
    const P = jointAffinities(nb, conditionalAffinities(nb, 5).p);
    const get = (i: number, j: number) => {
      for (let t = P.rowPtr[i]!; t < P.rowPtr[i + 1]!; t++) if (P.col[t] === j) return P.val[t]!;
      return 0;
    };
    let total = 0;
    for (let i = 0; i < 120; i++) {
      for (let t = P.rowPtr[i]!; t < P.rowPtr[i + 1]!; t++) {
        total += P.val[t]!;
        expect(P.col[t]).not.toBe(i);
        expect(get(P.col[t]!, i)).toBeCloseTo(P.val[t]!, 15);
        if (t > P.rowPtr[i]!) expect(P.col[t]!).toBeGreaterThan(P.col[t - 1]!);
      }
    }
    expect(total).toBeCloseTo(1, 12);
  });
});

describe('gradient', () => {
  function setup(theta: number, duplicates: boolean) {
    const { data, n } = blobs(4, 50, 3, 11, 3, 10);
    if (duplicates) data.copyWithin(0, 3, 9); // points 0, 1, 2 end up at the same place
    const run = new Tsne(data, 3, { perplexity: 10, theta, init: 'random', seed: 2, iterations: 0 });
    // A spread-out configuration (random N(0, 3²)), with coincident points when asked.
    const r = createRandom(9);
    for (let t = 0; t < 2 * n; t++) run.embedding[t] = 3 * gaussian(r);
    if (duplicates) {
      run.embedding.copyWithin(2, 0, 2);
      run.embedding.copyWithin(4, 0, 2);
    }
    const P = run.affinities;
    const get = (i: number, j: number) => {
      for (let t = P.rowPtr[i]!; t < P.rowPtr[i + 1]!; t++) if (P.col[t] === j) return P.val[t]!;
      return 0;
    };
    const exact = exactGradient(run.embedding, n, get, 12);
    const ours = new Float64Array(2 * n);
    run.gradient(ours, 12);
    let err = 0;
    let norm = 0;
    for (let t = 0; t < 2 * n; t++) {
      err += (ours[t]! - exact[t]!) ** 2;
      norm += exact[t]! ** 2;
    }
    return Math.sqrt(err / norm);
  }

  it('is exact with θ = 0, coincident points included', () => {
    expect(setup(0, false)).toBeLessThan(1e-10);
    expect(setup(0, true)).toBeLessThan(1e-10);
  });

  it('Barnes–Hut with θ = 0.5 is within 1% of the exact gradient', () => {
    expect(setup(0.5, false)).toBeLessThan(0.01);
    expect(setup(0.5, true)).toBeLessThan(0.01);
  });
});

describe('t-SNE', () => {
  it('separates well-separated clusters and keeps neighbourhoods', () => {
    const { data, labels } = blobs(5, 80, 10, 1);
    const progress: number[] = [];
    const { embedding, kl } = tsne(data, 10, { perplexity: 20, seed: 0, onProgress: (p) => progress.push(p.iteration) });
    expect(Number.isFinite(kl)).toBe(true);
    expect(progress.at(-1)).toBe(1000);
    expect(knnAccuracy(embedding, 2, labels, 10)).toBe(1);
    expect(trustworthiness(data, 10, embedding, 2, 10)).toBeGreaterThan(0.95);
    // Cluster separation: every point is closer to its own centroid than to any other.
    const cent = Array.from({ length: 5 }, (_, c) => {
      let x = 0;
      let y = 0;
      for (let p = 0; p < 80; p++) {
        x += embedding[2 * (c * 80 + p)]! / 80;
        y += embedding[2 * (c * 80 + p) + 1]! / 80;
      }
      return [x, y] as const;
    });
    for (let i = 0; i < 400; i++) {
      const d = cent.map(([x, y]) => Math.hypot(embedding[2 * i]! - x, embedding[2 * i + 1]! - y));
      expect(d.indexOf(Math.min(...d))).toBe(labels[i]);
    }
  });

  it('same seed, same output; another seed (random init), another output', () => {
    const { data } = blobs(3, 50, 4, 5);
    const a = tsne(data, 4, { perplexity: 10, iterations: 300, seed: 3, init: 'random' }).embedding;
    const b = tsne(data, 4, { perplexity: 10, iterations: 300, seed: 3, init: 'random' }).embedding;
    const c = tsne(data, 4, { perplexity: 10, iterations: 300, seed: 4, init: 'random' }).embedding;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    const d = tsne(data, 4, { perplexity: 10, iterations: 300, seed: 3 }).embedding;
    const e = tsne(data, 4, { perplexity: 10, iterations: 300, seed: 3 }).embedding;
    expect(Array.from(d)).toEqual(Array.from(e));
  });

  it('reporting progress (KL at checkpoints) does not change the embedding', () => {
    const { data } = blobs(3, 40, 4, 12);
    const quiet = tsne(data, 4, { perplexity: 10, iterations: 120 }).embedding;
    const kls: number[] = [];
    const loud = tsne(data, 4, { perplexity: 10, iterations: 120, progressEvery: 7, onProgress: (p) => p.kl !== null && kls.push(p.kl) }).embedding;
    expect(Array.from(loud)).toEqual(Array.from(quiet));
    expect(kls.length).toBeGreaterThan(10);
    expect(kls.every((k) => Number.isFinite(k) && k > 0)).toBe(true);
  });

  it('KL matches its definition with the exact normaliser (θ = 0)', () => {
    const { data, n } = blobs(2, 30, 3, 13);
    const run = new Tsne(data, 3, { perplexity: 8, theta: 0, iterations: 50 });
    run.run();
    const y = run.embedding;
    let z = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) z += 1 / (1 + (y[2 * i]! - y[2 * j]!) ** 2 + (y[2 * i + 1]! - y[2 * j + 1]!) ** 2);
    const P = run.affinities;
    let kl = 0;
    for (let i = 0; i < n; i++) {
      for (let t = P.rowPtr[i]!; t < P.rowPtr[i + 1]!; t++) {
        const j = P.col[t]!;
        const q = 1 / (1 + (y[2 * i]! - y[2 * j]!) ** 2 + (y[2 * i + 1]! - y[2 * j + 1]!) ** 2) / z;
        kl += P.val[t]! * Math.log(P.val[t]! / q);
      }
    }
    expect(run.klDivergence()).toBeCloseTo(kl, 10);
  });

  it('starts from PCA scaled to standard deviation 1e-4 along the first axis', () => {
    const { data, n } = blobs(2, 40, 3, 8);
    const run = new Tsne(data, 3, { perplexity: 5, iterations: 0 });
    let m = 0;
    for (let i = 0; i < n; i++) m += run.embedding[2 * i]! / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (run.embedding[2 * i]! - m) ** 2 / n;
    expect(Math.sqrt(v)).toBeCloseTo(1e-4, 12);
  });

  it('works on 1-D input and rejects bad input', () => {
    const line = Float64Array.from({ length: 60 }, (_, i) => i);
    const y = tsne(line, 1, { perplexity: 5, iterations: 300 }).embedding;
    expect(y.every(Number.isFinite)).toBe(true);
    expect(() => tsne(line, 1, { perplexity: 59 })).toThrow(/too large for 60 points/);
    expect(() => tsne([0, 1, NaN, 3, 4, 5], 1, { perplexity: 1 })).toThrow(/not a finite number/);
    expect(() => tsne([0, 1], 1, { perplexity: 1 })).toThrow(/at least 3 points/);
    expect(() => tsne(line, 1, { perplexity: 0 })).toThrow(/positive/);
  });
});
