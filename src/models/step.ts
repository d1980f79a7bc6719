/**
 * One mini-batch training step, shared by the Node trainer (`src/pipeline/trainer.ts`) and the
 * in-page trainer (`src/components/train-live/`): upload the batch, run the hand-written backward
 * pass of `math.ts`, apply Adam, dispose every intermediate tensor. Pure TF.js core: runs in Node
 * and browsers on whatever backend is active.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Architecture } from './architecture.ts';
import type { Adam } from './adam.ts';
import { gradients, hiddenGradients, type OutputLayerDelegate, type TensorParams } from './math.ts';

/** A batch of `n` images as plain arrays, as the trainers gather them. */
export interface Batch {
  n: number;
  /** `[n, 784]` row-major pixels in [0, 1]. */
  x: Float32Array;
  /** The same batch transposed, `[784, n]` (see {@link transposeBatch}). */
  xT: Float32Array;
  /** VAE only: `[n, latentDim]` standard-normal reparameterisation noise. */
  eps?: Float32Array;
}

/** What a step returns: the new parameters (the old ones are disposed) and the batch's loss sums. */
export interface StepResult {
  params: TensorParams;
  /** Σ BCE over the batch's images, nats. */
  bce: number;
  /** Σ KL over the batch's images, nats (0 for the AE), unweighted by β. */
  kl: number;
}

/** Writes the `[n, cols]` row-major `x` transposed (`[cols, n]`) into `out` and returns it. */
export function transposeBatch(x: Float32Array, n: number, cols: number, out = new Float32Array(n * cols)): Float32Array {
  for (let r = 0; r < n; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) out[j * n + r] = x[o + j]!;
  }
  return out;
}

/** The output layer's parameters, which a {@link StepDelegate} updates itself. */
export const OUTPUT_PARAMS = ['x_hat/kernel', 'x_hat/bias'] as const;

/**
 * An {@link OutputLayerDelegate} that owns the output layer's whole update: the Node trainer's
 * second thread (`src/pipeline/output-thread.ts`), which computes the layer's gradients, takes
 * its Adam step (same `Adam` class, same ops) and Σ BCE while this thread does the rest.
 * `finish` waits for the layer's new parameters (new tensors, which replace `params`' old ones,
 * disposed) and returns a reader of the step's Σ BCE, which may come later.
 */
export interface StepDelegate extends OutputLayerDelegate {
  finish(params: TensorParams): () => number;
}

/** What {@link trainStepWith} returns: as {@link StepResult}, with Σ BCE to be read later. */
export interface DelegatedStepResult {
  params: TensorParams;
  /** Σ BCE over the batch's images; blocks until the delegate has it (read it after the next step's call, and it never does). */
  bce: () => number;
  kl: number;
}

/** Uploads `batch`, runs `f` on its tensors, disposes them. */
function withBatch<T>(arch: Architecture, batch: Batch, f: (x: tf.Tensor2D, xT: tf.Tensor2D, eps: tf.Tensor2D | undefined) => T): T {
  const { n } = batch;
  const inputDim = batch.x.length / n;
  const x = tf.tensor2d(batch.x, [n, inputDim]);
  const xT = tf.tensor2d(batch.xT, [inputDim, n]);
  const eps = arch.kind === 'vae' ? tf.tensor2d(batch.eps!, [n, arch.latentDim]) : undefined;
  try {
    return f(x, xT, eps);
  } finally {
    x.dispose();
    xT.dispose();
    eps?.dispose();
  }
}

/**
 * One Adam step on `batch` for the report's objective (VAE: Σ BCE + β·Σ KL). Disposes `params`
 * and every tensor it creates except the returned parameters; reads the two loss sums back.
 */
export function trainStep(arch: Architecture, params: TensorParams, adam: Adam, batch: Batch, beta = 1): StepResult {
  const r = withBatch(arch, batch, (x, xT, eps) => gradients(arch, params, x, xT, eps, beta));
  const bce = r.bce.dataSync()[0]!;
  const kl = r.kl.dataSync()[0]!;
  r.bce.dispose();
  r.kl.dispose();
  return { params: adam.apply(params, r.grads), bce, kl };
}

/**
 * {@link trainStep} with the output layer's share of the step (its gradients, its Adam update and
 * Σ BCE) done by `delegate`, with the same ops: the parameters come out bit for bit the same.
 */
export function trainStepWith(delegate: StepDelegate, arch: Architecture, params: TensorParams, adam: Adam, batch: Batch, beta = 1): DelegatedStepResult {
  const r = withBatch(arch, batch, (x, xT, eps) => hiddenGradients(arch, params, x, xT, eps, beta, delegate));
  const kl = r.kl.dataSync()[0]!;
  r.kl.dispose();
  const mine: TensorParams = {};
  const output: TensorParams = {};
  for (const [name, t] of Object.entries(params)) ((OUTPUT_PARAMS as readonly string[]).includes(name) ? output : mine)[name] = t;
  const next = { ...adam.apply(mine, r.grads), ...output };
  return { params: next, bce: delegate.finish(next), kl };
}
