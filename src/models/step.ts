/**
 * One mini-batch training step, shared by the Node trainer (`src/pipeline/trainer.ts`) and the
 * in-page trainer (`src/components/train-live/`): upload the batch, run the hand-written backward
 * pass of `math.ts`, apply Adam, dispose every intermediate tensor. Pure TF.js core: runs in Node
 * and browsers on whatever backend is active.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Architecture } from './architecture.ts';
import type { Adam } from './adam.ts';
import { gradients, hiddenGradients, type ModelInputs, type OutputLayerDelegate, type TensorParams } from './math.ts';

/** A batch of `n` images as plain arrays, as the trainers gather them. */
export interface Batch {
  n: number;
  /** `[n, 784]` row-major pixels in [0, 1]: the target (and the encoder's input unless `input` is given). */
  x: Float32Array;
  /** The same batch transposed, `[784, n]` (see {@link transposeBatch}). */
  xT: Float32Array;
  /** VAE family only: `[n, latentDim]` standard-normal reparameterisation noise. */
  eps?: Float32Array;
  /**
   * The encoder's input when it is not `x`, `[n, arch.inputDim]`, with its transpose `inputT`:
   * the dae's noisy images (see {@link noisyInto}); the cvae's pixels-then-label rows (built from
   * `x` and `labels` when absent).
   */
  input?: Float32Array;
  inputT?: Float32Array;
  /** CVAE only: `[n, 10]` one-hot labels. */
  labels?: Float32Array;
}

/** The denoising AE's input, clip(x + σ·N(0, 1), 0, 1) (in `plain.ts`: no TF.js). */
export { noisyInto } from './plain.ts';

/** One-hot rows (`[n, classes]`) of `labels`, into `out`. */
export function oneHot(labels: ArrayLike<number>, n: number, classes = 10, out = new Float32Array(n * classes)): Float32Array {
  out.fill(0, 0, n * classes);
  for (let i = 0; i < n; i++) out[i * classes + labels[i]!] = 1;
  return out;
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
function withBatch<T>(arch: Architecture, batch: Batch, f: (x: tf.Tensor2D, xT: tf.Tensor2D, eps: tf.Tensor2D | undefined, inputs: ModelInputs) => T): T {
  const { n } = batch;
  const inputDim = batch.x.length / n;
  const x = tf.tensor2d(batch.x, [n, inputDim]);
  const xT = tf.tensor2d(batch.xT, [inputDim, n]);
  const eps = arch.variational ? tf.tensor2d(batch.eps!, [n, arch.latentDim]) : undefined;
  const inputs: ModelInputs = {};
  if (batch.input) {
    inputs.input = tf.tensor2d(batch.input, [n, arch.inputDim]);
    inputs.inputT = tf.tensor2d(batch.inputT!, [arch.inputDim, n]);
  }
  if (arch.labelDim > 0) {
    if (!batch.labels) throw new Error(`a ${arch.kind} batch needs one-hot labels`);
    inputs.labels = tf.tensor2d(batch.labels, [n, arch.labelDim]);
  }
  try {
    return f(x, xT, eps, inputs);
  } finally {
    x.dispose();
    xT.dispose();
    eps?.dispose();
    tf.dispose([inputs.input, inputs.inputT, inputs.labels].filter((t) => t !== undefined));
  }
}

/**
 * One Adam step on `batch` for the report's objective (VAE: Σ BCE + β·Σ KL). Disposes `params`
 * and every tensor it creates except the returned parameters; reads the two loss sums back.
 */
export function trainStep(arch: Architecture, params: TensorParams, adam: Adam, batch: Batch, beta = 1): StepResult {
  const r = withBatch(arch, batch, (x, xT, eps, inputs) => gradients(arch, params, x, xT, eps, beta, inputs));
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
  const r = withBatch(arch, batch, (x, xT, eps, inputs) => hiddenGradients(arch, params, x, xT, eps, beta, delegate, inputs));
  const kl = r.kl.dataSync()[0]!;
  r.kl.dispose();
  const mine: TensorParams = {};
  const output: TensorParams = {};
  for (const [name, t] of Object.entries(params)) ((OUTPUT_PARAMS as readonly string[]).includes(name) ? output : mine)[name] = t;
  const next = { ...adam.apply(mine, r.grads), ...output };
  return { params: next, bce: delegate.finish(next), kl };
}
