import { describe, expect, it } from 'vitest';
import { bruteForceKnn, denseDistanceRows4, distanceRows4, knn, rowNorms, sparseRows, VpTree, wideKnn } from './knn.ts';
import { createRandom, gaussian } from './random.ts';

function randomData(n: number, dim: number, seed: number): Float64Array {
  const r = createRandom(seed);
  return Float64Array.from({ length: n * dim }, () => gaussian(r));
}

describe('kNN', () => {
  it('brute force finds the hand-checked neighbours on a line', () => {
    // Points at 0, 1, 3, 6, 10 (1-D).
    const res = bruteForceKnn([0, 1, 3, 6, 10], 1, 2);
    expect(Array.from(res.indices)).toEqual([1, 2, 0, 2, 1, 0, 2, 4, 3, 2]);
    expect(Array.from(res.distances)).toEqual([1, 3, 1, 2, 2, 3, 3, 4, 4, 7]);
  });

  it.each([
    [2, 7],
    [10, 15],
    [40, 5],
  ])('VP-tree equals brute force (dim %i, k %i)', (dim, k) => {
    const data = randomData(700, dim, dim);
    const a = new VpTree(data, dim, createRandom(1)).allKnn(k);
    const b = bruteForceKnn(data, dim, k);
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    for (let t = 0; t < a.distances.length; t++) expect(a.distances[t]).toBeCloseTo(b.distances[t]!, 12);
  });

  it('the dense wide-data kernel gives the sparse kernel\'s distances bit for bit, and brute force\'s neighbours', () => {
    const n = 203; // odd: the last point is paired with itself
    const dim = 30;
    const data = randomData(n, dim, 5);
    const norms = rowNorms(data, dim, n);
    const sparse = sparseRows(data, dim, n);
    for (const [i0, rows] of [[0, 4], [100, 4], [200, 3], [202, 1]] as const) {
      const a = [0, 1, 2, 3].map(() => new Float64Array(n));
      const b = [0, 1, 2, 3].map(() => new Float64Array(n));
      denseDistanceRows4(data, dim, n, norms, i0, rows, a);
      distanceRows4(data, dim, n, sparse, norms, i0, rows, b);
      for (let r = 0; r < rows; r++) expect(Array.from(a[r]!)).toEqual(Array.from(b[r]!));
      // Against the definition.
      for (let j = 0; j < n; j += 17) {
        let d = 0;
        for (let t = 0; t < dim; t++) d += (data[i0 * dim + t]! - data[j * dim + t]!) ** 2;
        expect(a[0]![j]).toBeCloseTo(d, 9);
      }
    }
    const w = wideKnn(data, dim, 9);
    const bf = bruteForceKnn(data, dim, 9);
    expect(Array.from(w.indices)).toEqual(Array.from(bf.indices));
  });

  it('the wide-data path (sparse Gram distances) equals brute force', () => {
    const r = createRandom(8);
    // 60-D, about 70% zeros, like pixels.
    const data = Float64Array.from({ length: 400 * 60 }, () => (r() < 0.7 ? 0 : r()));
    const a = wideKnn(data, 60, 9);
    const b = bruteForceKnn(data, 60, 9);
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    for (let t = 0; t < a.distances.length; t++) expect(a.distances[t]).toBeCloseTo(b.distances[t]!, 10);
    // knn() picks it for wide data.
    expect(Array.from(knn(data, 60, 9).indices)).toEqual(Array.from(b.indices));
  });

  it('handles duplicate points (distances right, itself never listed)', () => {
    const base = randomData(100, 2, 3);
    const data = new Float64Array(400);
    data.set(base);
    data.set(base, 200); // every point twice
    const k = 4;
    const a = knn(data, 2, k);
    const b = bruteForceKnn(data, 2, k);
    for (let i = 0; i < 200; i++) {
      expect(a.distances[i * k]).toBe(0); // its twin
      for (let r = 0; r < k; r++) {
        expect(a.indices[i * k + r]).not.toBe(i);
        expect(a.distances[i * k + r]).toBeCloseTo(b.distances[i * k + r]!, 12);
      }
    }
  });

  it('rejects bad shapes and k', () => {
    expect(() => knn([1, 2, 3], 2, 1)).toThrow(/multiple of dim/);
    expect(() => knn([1, 2, 3], 1, 3)).toThrow(/needs at least 4 points/);
    expect(() => knn([1, 2, 3], 1, 0)).toThrow(/positive integer/);
  });
});
