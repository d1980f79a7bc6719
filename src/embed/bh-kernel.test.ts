import { describe, expect, it } from 'vitest';
import { kernelModule } from './bh-kernel.ts';
import { BarnesHutTree } from './bhtree.ts';
import { attractionRows, forcesSerial, type ForceState } from './forces.ts';
import { createRandom, gaussian } from './random.ts';
import { knn, wideKnn } from './knn.ts';
import { conditionalAffinities, jointAffinities } from './tsne.ts';

/** Clustered 2-D points (a t-SNE-like layout) with a few exact duplicates. */
function layout(n: number, seed: number): Float64Array {
  const r = createRandom(seed);
  const y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const c = i % 7;
    y[2 * i] = 20 * Math.cos(c) + 3 * gaussian(r);
    y[2 * i + 1] = 20 * Math.sin(c) + 3 * gaussian(r);
  }
  y.copyWithin(2 * (n - 3), 0, 6); // duplicates
  return y;
}

function state(y: Float64Array, n: number, theta: number): ForceState {
  const nb = knn(y, 2, 15);
  const joint = jointAffinities(nb, conditionalAffinities(nb, 5).p);
  return { n, theta, embedding: y, ...joint, rep: new Float64Array(2 * n), sq: new Float64Array(n), attr: new Float64Array(2 * n), klPart: new Float64Array(n) };
}

describe('WebAssembly kernels', () => {
  it('compile in Node', () => {
    expect(kernelModule()).not.toBeNull();
    expect(new BarnesHutTree().usesWasm).toBe(true);
    expect(new BarnesHutTree({ wasm: false }).usesWasm).toBe(false);
  });

  it('give the JavaScript repulsion bit for bit (any group size, θ = 0 and 0.5, trees reused as n changes)', () => {
    const wasm = new BarnesHutTree();
    const js = new BarnesHutTree({ wasm: false });
    for (const [n, theta] of [[5, 0.5], [301, 0.5], [1237, 0.5], [700, 0], [2000, 0.8]] as const) {
      const y = layout(n, n);
      const a = { out: new Float64Array(2 * n), sq: new Float64Array(n) };
      const b = { out: new Float64Array(2 * n).fill(NaN), sq: new Float64Array(n).fill(NaN) };
      js.build(y, n, theta);
      js.repulsionGroups(0, js.groupTotal, a.out, a.sq);
      wasm.build(y, n, theta);
      wasm.repulsionGroups(0, wasm.groupTotal, b.out, b.sq);
      expect(Array.from(b.out)).toEqual(Array.from(a.out));
      expect(Array.from(b.sq)).toEqual(Array.from(a.sq));
    }
  });

  it('give the JavaScript attraction bit for bit, and follow new coordinates and a new P', () => {
    const tree = new BarnesHutTree();
    for (const n of [400, 999]) {
      const s = state(layout(n, 3), n, 0.5);
      for (let round = 0; round < 2; round++) {
        const want = new Float64Array(2 * n);
        attractionRows({ ...s, attr: want }, 0, n, false);
        // Not built on these coordinates yet: declines.
        if (round === 0) expect(tree.attraction(s, 0, n)).toBe(false);
        tree.build(s.embedding, n, s.theta);
        s.attr.fill(NaN);
        expect(tree.attraction(s, 0, 17)).toBe(true);
        expect(tree.attraction(s, 17, n)).toBe(true);
        expect(Array.from(s.attr)).toEqual(Array.from(want));
        for (let t = 0; t < 2 * n; t++) s.embedding[t]! *= 1.5; // the next evaluation's coordinates
      }
    }
  });

  it('leave a whole gradient evaluation unchanged', () => {
    const n = 1500;
    const y = layout(n, 9);
    const a = state(y, n, 0.5);
    const b = { ...a, rep: new Float64Array(2 * n), sq: new Float64Array(n), attr: new Float64Array(2 * n), klPart: new Float64Array(n) };
    forcesSerial(a, new BarnesHutTree({ wasm: false }), false);
    forcesSerial(b, new BarnesHutTree(), false);
    for (const key of ['rep', 'sq', 'attr'] as const) expect(Array.from(b[key])).toEqual(Array.from(a[key]));
  });

  it('give the JavaScript wide kNN bit for bit (dense data, n not a multiple of 4, data sets in turn)', () => {
    const r = createRandom(5);
    const sets = [
      [203, 24],
      [130, 50],
      [203, 24],
    ].map(([n, dim]) => ({ dim: dim!, data: Float64Array.from({ length: n! * dim! }, () => gaussian(r) + (r() < 0.1 ? 5 : 0)) }));
    sets[2]!.data.set(sets[0]!.data.subarray(0, 24), 24); // a duplicate point: tied distances
    for (const { data, dim } of sets) {
      const js = wideKnn(data, dim, 12, false);
      const wasm = wideKnn(data, dim, 12);
      expect(Array.from(wasm.indices)).toEqual(Array.from(js.indices));
      expect(Array.from(wasm.distances)).toEqual(Array.from(js.distances));
    }
  });
});
