import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { DenseStack, denseStackFromLayers, type Activation, type DenseLayer } from './dense.ts';
import { denseKernel } from './dense-kernel.ts';

await tf.setBackend('cpu');

/** A decoder like the site's: 2 → 128 (ReLU) → 784 (sigmoid). */
function decoder(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [2], units: 128, activation: 'relu', name: 'dec_hidden', biasInitializer: 'randomNormal' }),
      tfl.layers.dense({ units: 784, activation: 'sigmoid', name: 'x_hat', biasInitializer: 'randomNormal' }),
    ],
  });
}

describe('DenseStack', () => {
  it('matches TF.js predict on a Dense decoder to float rounding', () => {
    const model = decoder();
    const fast = denseStackFromLayers(model.layers)!;
    expect(fast).not.toBeNull();
    expect([fast.inDim, fast.outDim]).toEqual([2, 784]);
    const points = [[0, 0], [1.5, -2], [-3, 0.25], [10, 10]] as const;
    const expected = tf.tidy(() => (model.predict(tf.tensor2d(points.flat(), [4, 2])) as tf.Tensor).dataSync());
    points.forEach(([x, y], i) => {
      const got = fast.run1(x, y);
      for (let j = 0; j < 784; j++) expect(got[j]).toBeCloseTo(expected[i * 784 + j]!, 5);
    });
    model.dispose();
  });

  it('runBatch matches TF.js predict for a batch of points', () => {
    const model = decoder();
    const fast = denseStackFromLayers(model.layers)!;
    const pts = Float32Array.from({ length: 2 * 37 }, (_, i) => Math.sin(i * 1.7) * 3);
    const expected = tf.tidy(() => (model.predict(tf.tensor2d(pts, [37, 2])) as tf.Tensor).dataSync());
    const got = fast.runBatch(pts, 37);
    expect(got.length).toBe(37 * 784);
    for (let j = 0; j < got.length; j++) expect(got[j]).toBeCloseTo(expected[j]!, 5);
    model.dispose();
  });

  it('handles layer widths that are not multiples of four and all-zero inputs', () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [3], units: 7, activation: 'relu', biasInitializer: 'randomNormal' }), tfl.layers.dense({ units: 5, activation: 'sigmoid' })],
    });
    const fast = denseStackFromLayers(model.layers)!;
    for (const input of [[0, 0, 0], [1, -2, 0.5], [-5, -5, -5]]) {
      const expected = tf.tidy(() => (model.predict(tf.tensor2d(input, [1, 3])) as tf.Tensor).dataSync());
      const got = fast.run(input);
      for (let j = 0; j < 5; j++) expect(got[j]).toBeCloseTo(expected[j]!, 5);
    }
    model.dispose();
  });

  it('writes into a caller buffer without allocating a new one', () => {
    const model = decoder();
    const fast = denseStackFromLayers(model.layers)!;
    const out = new Float32Array(784);
    expect(fast.run1(0.3, 0.1, out)).toBe(out);
    expect(out.some((v) => v > 0)).toBe(true);
    model.dispose();
  });

  it('folds a separate activation layer into the preceding linear Dense', () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [2], units: 8, name: 'a' }), tfl.layers.activation({ activation: 'tanh' }), tfl.layers.dense({ units: 3 })],
    });
    const fast = denseStackFromLayers(model.layers)!;
    expect(fast.layers.map((l) => l.activation)).toEqual(['tanh', 'linear']);
    const expected = tf.tidy(() => (model.predict(tf.tensor2d([0.7, -0.2], [1, 2])) as tf.Tensor).dataSync());
    const got = fast.run1(0.7, -0.2);
    for (let j = 0; j < 3; j++) expect(got[j]).toBeCloseTo(expected[j]!, 5);
    model.dispose();
  });

  it('declines layers it cannot reproduce', () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 4 }), tfl.layers.dropout({ rate: 0.5 })] });
    expect(denseStackFromLayers(model.layers)).toBeNull();
    const odd = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 4, activation: 'softmax' })] });
    expect(denseStackFromLayers(odd.layers)).toBeNull();
    model.dispose();
    odd.dispose();
  });

  it('validates layer sizes', () => {
    expect(() => new DenseStack([])).toThrow();
    const l = (inDim: number, outDim: number) => ({ kernel: new Float32Array(inDim * outDim), bias: new Float32Array(outDim), inDim, outDim, activation: 'relu' as const });
    expect(() => new DenseStack([l(2, 3), l(4, 1)])).toThrow(/expects 4 inputs/);
    expect(() => new DenseStack([{ ...l(2, 3), bias: new Float32Array(2) }])).toThrow(/wrong size/);
  });

  it('runs on the WebAssembly kernel in Node, and on the JavaScript loop when asked', () => {
    const model = decoder();
    const layers = denseStackFromLayers(model.layers)!.layers as DenseLayer[];
    expect(new DenseStack(layers).usesWasm).toBe(true);
    expect(new DenseStack(layers, { wasm: false }).usesWasm).toBe(false);
    model.dispose();
  });
});

/** A random layer with weights of scale `scale`. */
function layer(inDim: number, outDim: number, activation: Activation, seed: number, scale = 0.3): DenseLayer {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 2 * scale;
  return { kernel: Float32Array.from({ length: inDim * outDim }, rand), bias: Float32Array.from({ length: outDim }, rand), inDim, outDim, activation };
}

describe('DenseStack on the WebAssembly kernel', () => {
  it('agrees with the JavaScript loop to float rounding: decoders, encoders, odd widths, every activation', () => {
    const stacks: DenseLayer[][] = [
      [layer(2, 128, 'relu', 1, 1), layer(128, 784, 'sigmoid', 2)], // a decoder
      [layer(784, 128, 'relu', 3, 0.1), layer(128, 2, 'linear', 4)], // an encoder's mu head: 2 wide, on the JavaScript loop
      [layer(5, 12, 'tanh', 5), layer(12, 7, 'elu', 6), layer(7, 8, 'softplus', 7), layer(8, 4, 'linear', 8)],
      [layer(3, 1, 'relu', 9)],
    ];
    for (const layers of stacks) {
      const wasm = new DenseStack(layers);
      const js = new DenseStack(layers, { wasm: false });
      expect(wasm.usesWasm).toBe(layers.some((l) => l.outDim % 4 === 0));
      const n = 23;
      const inputs = Float32Array.from({ length: n * wasm.inDim }, (_, i) => (i % 3 === 0 ? 0 : Math.sin(i * 0.37) * 2)); // a third zeros
      const a = wasm.runBatch(inputs, n);
      const b = js.runBatch(inputs, n);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(b[i]!))); // single-precision sums of up to 784 terms
      // One point at a time gives the batch's values (no state carried between calls).
      const one = wasm.run(inputs.subarray(wasm.inDim * 7, wasm.inDim * 8));
      expect(Array.from(one)).toEqual(Array.from(a.subarray(wasm.outDim * 7, wasm.outDim * 8)));
    }
  });

  it('gives the same numbers as the JavaScript loop where no rounding can differ (integers)', () => {
    const ints = (l: DenseLayer): DenseLayer => ({ ...l, kernel: l.kernel.map((v) => Math.round(v * 8)), bias: l.bias.map((v) => Math.round(v * 8)) });
    const layers = [ints(layer(6, 16, 'relu', 11)), ints(layer(16, 8, 'linear', 12))];
    const x = [1, 0, -2, 3, 0, 1];
    expect(Array.from(new DenseStack(layers).run(x))).toEqual(Array.from(new DenseStack(layers, { wasm: false }).run(x)));
  });

  it("computes the sigmoid to float rounding of Math.exp's, saturating cleanly far out", () => {
    const k = denseKernel(1 << 16)!;
    const xs = Float32Array.from({ length: 4000 }, (_, i) => -100 + (200 * i) / 3999);
    const view = new Float32Array(k.memory.buffer, 0, xs.length);
    view.set(xs);
    k.sigmoid(0, 4 * xs.length);
    let worst = 0;
    xs.forEach((x, i) => {
      const exact = 1 / (1 + Math.exp(-x));
      worst = Math.max(worst, Math.abs(view[i]! - exact) / Math.max(exact, 1e-30));
      expect(view[i]).toBeGreaterThanOrEqual(0);
      expect(view[i]).toBeLessThanOrEqual(1);
    });
    expect(worst).toBeLessThan(1e-6);
    view.set([NaN, 0, 1e30, -1e30]);
    k.sigmoid(0, 16);
    expect(Number.isNaN(view[0])).toBe(true);
    expect(view[1]).toBe(0.5);
    expect(view[2]).toBe(1);
    expect(view[3]).toBeLessThan(1e-37);
  });
});
