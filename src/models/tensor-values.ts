/**
 * Reading a computed tensor's values out of a `tf.tidy` scope. Returning `t.dataSync()` from inside
 * `tf.tidy` looks harmless but is slow: tidy walks whatever its function returns in search of
 * tensors to keep, and a typed array is walked element by element (each value added to a `Set`). For
 * the denoising curve's 1,000 × 784 batches that walk was 20 of 25 seconds (`node --cpu-prof`); for
 * a 400-digit grid, most of a `predict` call. So: let tidy return the tensor, read it after.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The values of the tensor `f` computes (a copy), every tensor made on the way disposed. */
export function tidyValues(f: () => tf.Tensor): Float32Array {
  const t = tf.tidy(f);
  try {
    return (t.dataSync() as Float32Array).slice();
  } finally {
    t.dispose();
  }
}

/** {@link tidyValues} for several tensors: the values of each tensor of the record `f` computes. */
export function tidyRecord<K extends string>(f: () => Record<K, tf.Tensor>): Record<K, Float32Array> {
  const ts = tf.tidy(f);
  try {
    return Object.fromEntries(Object.entries<tf.Tensor>(ts).map(([k, t]) => [k, (t.dataSync() as Float32Array).slice()])) as Record<K, Float32Array>;
  } finally {
    tf.dispose(Object.values<tf.Tensor>(ts));
  }
}
