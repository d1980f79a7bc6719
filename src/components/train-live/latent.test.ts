import { describe, expect, it } from 'vitest';
import { classCentres, project2d, scatterText } from './latent.ts';

describe('project2d', () => {
  it('keeps 2-D codes as they are', () => {
    const codes = Float32Array.from([1, 2, 3, 4]);
    const p = project2d(codes, 2, 2);
    expect(p.method).toBe('latent');
    expect(p.points).toBe(codes);
  });

  it('projects wider codes on their principal plane: points on a tilted plane in 10-D keep their distances', () => {
    // Points (a, b) embedded in 10-D along two orthonormal directions u, v, plus an offset.
    const dim = 10;
    const u = new Float64Array(dim);
    const v = new Float64Array(dim);
    u[0] = u[3] = Math.SQRT1_2;
    v[1] = 0.6;
    v[7] = 0.8;
    const ab = [[0, 0], [3, 0], [0, 1], [3, 1], [1.5, 0.5], [-2, 0.3]];
    const codes = new Float32Array(ab.length * dim);
    ab.forEach(([a, b], i) => {
      for (let t = 0; t < dim; t++) codes[i * dim + t] = 5 + a! * u[t]! + b! * v[t]!;
    });
    const p = project2d(codes, ab.length, dim);
    expect(p.method).toBe('pca');
    expect(p.explained).toBeCloseTo(1, 5);
    const d = (pts: ArrayLike<number>, i: number, j: number) => Math.hypot(pts[2 * i]! - pts[2 * j]!, pts[2 * i + 1]! - pts[2 * j + 1]!);
    const flat = ab.flat();
    for (let i = 0; i < ab.length; i++) for (let j = i + 1; j < ab.length; j++) expect(d(p.points, i, j)).toBeCloseTo(d(flat, i, j), 4);
  });

  it('rejects a code array of the wrong size', () => {
    expect(() => project2d(new Float32Array(5), 2, 2)).toThrow(RangeError);
  });
});

describe('text alternative', () => {
  it('gives class centres', () => {
    const pts = Float32Array.from([0, 0, 2, 2, -1, 4]);
    expect(classCentres(pts, [3, 3, 7])[3]).toEqual([1, 1]);
    expect(classCentres(pts, [3, 3, 7])[0]).toBeUndefined();
    expect(scatterText({ points: pts, method: 'latent' }, 250, [3, 3, 7])).toBe(
      "Scatter plot of the 3 held-out digits' latent codes after 250 training steps, coloured by digit. Class centres: 3 at (1.00, 1.00), 7 at (−1.00, 4.00).",
    );
    expect(scatterText({ points: pts, method: 'pca' }, 0, undefined)).toBe(
      "Scatter plot of the 3 held-out digits' latent codes projected on their first two principal components after 0 training steps.",
    );
  });
});
