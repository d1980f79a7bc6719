/** Picks the TF.js backend for the Node pipeline: `wasm` (default, SIMD) or `cpu`. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'wasm' | 'cpu';

export async function initBackend(name: BackendName = 'wasm'): Promise<string> {
  if (tf.getBackend() === name) return name;
  if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu'); // only when asked: ~40 ms to load
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`the TF.js ${name} backend failed to initialise`);
  await tf.ready();
  return tf.getBackend();
}
