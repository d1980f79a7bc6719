import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { DenseStack, denseStackFromLayers } from './dense.ts';

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
});
