import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { PRECISIONS, bytesPerValue, quantizationStep, quantizeTensor } from './quantize.ts';

await tf.setBackend('cpu');

function weights(n: number, seed = 3): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, (_, i) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    const u = s / 2147483648;
    return (u - 0.5) * (i % 97 === 0 ? 6 : 0.4); // mostly small, a few large: like trained kernels
  });
}

describe('quantizeTensor (TF.js weightsManifest quantization)', () => {
  for (const p of PRECISIONS) {
    it(`${p}: tf.io.decodeWeights gives the originals back within the quantization step`, () => {
      const v = weights(3000);
      const { spec, bytes } = quantizeTensor('dense/kernel', [30, 100], v, p);
      expect(bytes.length).toBe(3000 * bytesPerValue(p));
      expect(spec.quantization?.dtype).toBe(p === 'float32' ? undefined : p);
      const decoded = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, [spec as tf.io.WeightsManifestEntry]);
      const back = decoded['dense/kernel']!.dataSync();
      const step = quantizationStep(spec, v);
      if (p === 'float32') expect(step).toBe(0);
      if (p === 'uint8') expect(step).toBeCloseTo((Math.max(...v) - Math.min(...v)) / 255 / 2, 9);
      for (let i = 0; i < v.length; i++) expect(Math.abs(back[i]! - v[i]!)).toBeLessThanOrEqual(step * (1 + 1e-6) + 1e-7);
      tf.dispose(decoded);
    });
  }

  it('is deterministic', () => {
    const v = weights(500);
    for (const p of PRECISIONS) expect(quantizeTensor('w', [500], v, p).bytes).toEqual(quantizeTensor('w', [500], v, p).bytes);
  });

  it('handles a constant tensor and rejects bad input', () => {
    const { spec, bytes } = quantizeTensor('b', [4], Float32Array.of(0.5, 0.5, 0.5, 0.5), 'uint8');
    expect(spec.quantization).toEqual({ dtype: 'uint8', min: 0.5, scale: 0 });
    expect(Array.from(tf.io.decodeWeights(bytes.slice().buffer, [spec as tf.io.WeightsManifestEntry])['b']!.dataSync())).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(() => quantizeTensor('w', [3], Float32Array.of(1, 2), 'uint8')).toThrow(/shape/);
    expect(() => quantizeTensor('w', [2], Float32Array.of(1, NaN), 'uint16')).toThrow(/NaN/);
  });
});
