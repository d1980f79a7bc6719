import { describe, expect, it } from 'vitest';
import { pca, symmetricEigen } from './pca.ts';
import { createRandom, gaussian } from './random.ts';

describe('PCA', () => {
  it('matches a hand-worked case', () => {
    // Points on the diagonal: one axis (1, 1)/√2 with variance (2 + 2 + 8 + 8) / 3; none across.
    const data = [1, 1, -1, -1, 2, 2, -2, -2];
    const r = pca(data, 2, 2);
    expect(r.components[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(r.components[1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(r.variance[0]).toBeCloseTo(20 / 3, 12);
    expect(r.variance[1]).toBeCloseTo(0, 12);
    expect(Array.from(r.projection.filter((_, t) => t % 2 === 0))).toEqual(
      [Math.SQRT2, -Math.SQRT2, 2 * Math.SQRT2, -2 * Math.SQRT2].map((v) => expect.closeTo(v, 12)),
    );
    expect(Array.from(r.mean)).toEqual([0, 0]);
  });

  it('eigen-decomposes a known symmetric matrix', () => {
    // [[2, 1, 0], [1, 2, 0], [0, 0, 5]]: eigenvalues 5, 3, 1.
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 0, 1, 2, 0, 0, 0, 5), 3);
    expect(Array.from(values).map((v) => +v.toFixed(10))).toEqual([5, 3, 1]);
    expect(Math.abs(vectors[2]!)).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[3]!)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(Math.abs(vectors[4]!)).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('sparse wide data (zero-skipping covariance) gives the same PCA as the dense formula', () => {
    const rnd = createRandom(6);
    const n = 200;
    const dim = 20;
    const data = Float64Array.from({ length: n * dim }, (_, t) => (rnd() < 0.7 ? 0 : 1 + (t % 7) * rnd()));
    const dense = Float64Array.from(data, (v) => v + 1e-300); // no exact zeros: dense path
    const a = pca(data, dim, 2);
    const b = pca(dense, dim, 2);
    for (let t = 0; t < a.projection.length; t++) expect(a.projection[t]).toBeCloseTo(b.projection[t]!, 9);
    for (let r = 0; r < 2; r++) expect(a.variance[r]).toBeCloseTo(b.variance[r]!, 9);
  });

  it('the wide-data path (subspace iteration) agrees with exact Jacobi', () => {
    const rnd = createRandom(5);
    const n = 300;
    const dim = 80;
    // Anisotropic data: variance 1/(1+t) along axis t, rotated by a fixed mix.
    const data = new Float64Array(n * dim);
    for (let i = 0; i < n; i++) for (let t = 0; t < dim; t++) data[i * dim + t] = gaussian(rnd) * (3 / (1 + t)) + 0.1 * gaussian(rnd);
    const wide = pca(data, dim, 3);
    // Exact reference: Jacobi on the covariance, via the same code on a 64-column-or-less problem
    // is not possible, so form the covariance and decompose it directly.
    const mean = new Float64Array(dim);
    for (let i = 0; i < n; i++) for (let t = 0; t < dim; t++) mean[t]! += data[i * dim + t]! / n;
    const cov = new Float64Array(dim * dim);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < dim; p++) {
        for (let q = 0; q < dim; q++) cov[p * dim + q]! += ((data[i * dim + p]! - mean[p]!) * (data[i * dim + q]! - mean[q]!)) / (n - 1);
      }
    }
    const exact = symmetricEigen(cov, dim);
    for (let r = 0; r < 3; r++) {
      expect(wide.variance[r]).toBeCloseTo(exact.values[r]!, 8);
      let dot = 0;
      for (let t = 0; t < dim; t++) dot += wide.components[r * dim + t]! * exact.vectors[r * dim + t]!;
      expect(Math.abs(dot)).toBeCloseTo(1, 8);
    }
  });

  it('with a cap on the iterations, still captures the leading variance (wide data)', () => {
    const random = createRandom(5);
    const n = 300;
    const dim = 100;
    // A decaying spectrum: column t has standard deviation 1 / (1 + t / 10).
    const data = new Float64Array(n * dim).map((_, i) => gaussian(random) / (1 + (i % dim) / 10));
    const full = pca(data, dim, 20);
    const capped = pca(data, dim, 20, { maxIterations: 15 });
    const sum = (v: Float64Array) => v.reduce((a, b) => a + b, 0);
    expect(sum(capped.variance)).toBeGreaterThan(0.995 * sum(full.variance));
    expect(sum(capped.variance)).toBeLessThanOrEqual(sum(full.variance) * (1 + 1e-9));
    expect(capped.projection.length).toBe(n * 20);
  });
});
