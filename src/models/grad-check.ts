/**
 * Test helper: asserts that hand-written gradients match TF.js autodiff's, tensor by tensor, to a
 * relative L2 error below `tolerance` (and that each reference gradient is non-zero, so a test
 * cannot pass on dead weights). Used by the models' gradient tests.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

export function expectGradientsMatch(mine: Record<string, tf.Tensor>, ref: readonly tf.Tensor[], names: readonly string[], tolerance = 1e-4): void {
  names.forEach((name, i) => {
    const a = mine[name]!.dataSync();
    const b = ref[i]!.dataSync();
    expect(mine[name]!.shape, name).toEqual(ref[i]!.shape);
    let diff = 0;
    let norm = 0;
    for (let j = 0; j < a.length; j++) {
      diff += (a[j]! - b[j]!) ** 2;
      norm += b[j]! ** 2;
    }
    expect(norm, name).toBeGreaterThan(0);
    expect(Math.sqrt(diff / norm), name).toBeLessThan(tolerance);
  });
}
