/**
 * The training loop (Node or browser-agnostic, but used by the `train` CLI): mini-batch Adam on
 * the report's objective with the hand-written gradients of `src/models/math.ts`.
 *
 * Speed (`npm run bench:train`, goal ≤ 1.0× the report's PyTorch code; figures in
 * bench/README.md). What it takes, measured on the project's 2-core machine (WASM backend):
 *
 * - Never slice a batch out of a big tensor: `tf.slice`/`gather` on the 60000 × 784 training
 *   tensor costs ~280 ms a batch. The data stay in JS byte arrays; each batch is gathered through
 *   the shuffled indices into a reused Float32Array (and its transpose, which the backward pass
 *   needs), then uploaded as a fresh tensor.
 * - Never use `matMul`'s transpose flags: `matMul(a, b, false, true)` runs ~10× slower than
 *   `matMul(a, tf.transpose(b))`.
 * - Never return `dataSync()` from `tf.tidy` (`src/models/tensor-values.ts` says why; use
 *   `tidyValues` / `tidyRecord`).
 * - No autodiff, no `tf.layers` in the loop: the backward pass is written out in
 *   `src/models/math.ts` (checked against `tf.grad` in `models.test.ts`), Adam in `adam.ts`
 *   (small parameters updated in plain JS: each TF.js op costs ~10 µs of dispatch). A naive
 *   `tf.layers` + `optimizer.minimize` loop measured about 15× slower than the report's code.
 * - Fresh weights cost a repack: XNNPACK packs a matMul's right operand whenever it is a new
 *   tensor (~0.17 ms for 784 × 128), so splitting a batch in two (data parallelism) does not halve
 *   a step; it was tried and lost. The second core instead takes each step's output layer
 *   (`output-thread.ts`), bit for bit as on one thread.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gatherImages, gatherImagesWithTranspose, type Mnist, type MnistSplit, PIXELS } from '../data/mnist.ts';
// specific modules rather than models/index.ts: the trainer must not load tfjs-layers (slow import)
import { Adam, type AdamState } from '../models/adam.ts';
import { type Architecture, architecture, initParams, LABEL_DIM, MODEL_KINDS, type ModelKind, type Params, paramSpecs } from '../models/architecture.ts';
import { encode, evaluate, fromTensors, klPerDimSums, type ModelInputs, releaseConstants, type TensorParams, toTensors } from '../models/math.ts';
import { Rng } from '../models/random.ts';
import { tidyValues } from '../models/tensor-values.ts';
import { type Batch, noisyInto, oneHot, trainStep, trainStepWith, transposeBatch } from '../models/step.ts';
import type { OutputLayerThread } from './output-thread.ts';

export interface TrainConfig {
  model: ModelKind;
  epochs: number;
  batchSize: number;
  lr: number;
  latentDim: number;
  seed: number;
  /** KL weight of the VAE family (objective Σ BCE + β·Σ KL; default 1). Ignored by ae and dae. */
  beta?: number;
  /** dae: σ of the training noise, input clip(x + σ·N(0, 1), 0, 1) (default 0.5). Ignored by the others. */
  noise?: number;
  /**
   * 1: every step on this thread. 2: each step's output layer on a worker thread
   * (`output-thread.ts`, Node only) — faster on two cores, and bit for bit the same weights.
   */
  threads?: 1 | 2;
}

export interface LossParts {
  loss: number;
  bce: number;
  kl: number;
}

export interface EpochMetrics {
  epoch: number;
  /** Wall-clock seconds of the epoch's training batches. */
  seconds: number;
  /** Wall-clock seconds of the test-set evaluation after the epoch. */
  testSeconds: number;
  /** Mean per training image over the epoch, nats. */
  train: LossParts;
  /** Whole test set after the epoch, nats per image (VAE: BCE with a sampled z). */
  test: LossParts;
}

/** Everything needed to continue a run after its last completed epoch. */
export interface TrainState {
  config: TrainConfig;
  trainSize: number;
  testSize: number;
  epochsDone: number;
  params: Params;
  adam: AdamState;
  rng: { shuffle: ReturnType<Rng['getState']>; noise: ReturnType<Rng['getState']> };
  history: EpochMetrics[];
}

export interface BatchInfo {
  epoch: number;
  batch: number;
  batches: number;
  /** Mean loss per image so far in this epoch (nats). */
  loss: number;
}

export interface TrainHooks {
  onBatch?(info: BatchInfo): void;
  /** Called after each completed epoch (after the test evaluation) with a resumable state. */
  onEpoch?(metrics: EpochMetrics, state: () => TrainState): Promise<void> | void;
  /** Polled between batches; when it returns true the run stops with an {@link InterruptedError}. */
  shouldStop?(): boolean;
}

/** The run was stopped between two batches on request (SIGINT). */
export class InterruptedError extends Error {
  readonly epoch: number;
  readonly batch: number;
  readonly epochsDone: number;
  constructor(epoch: number, batch: number, epochsDone: number) {
    super(`interrupted in epoch ${epoch} at batch ${batch}`);
    this.name = 'InterruptedError';
    this.epoch = epoch;
    this.batch = batch;
    this.epochsDone = epochsDone;
  }
}

export interface TrainResult {
  arch: Architecture;
  params: Params;
  history: EpochMetrics[];
}

const EVAL_CHUNK = 1000;

/** Labels `[start, start + n)` of `split` as one-hot rows (the cvae's), else undefined. */
function chunkLabels(arch: Architecture, split: MnistSplit, start: number, n: number): tf.Tensor2D | undefined {
  return arch.labelDim > 0 ? tf.tensor2d(oneHot(split.labels.subarray(start, start + n), n, LABEL_DIM), [n, LABEL_DIM]) : undefined;
}

/**
 * Evaluates the whole split; VAE-family noise comes from `rng`. Returns per-image means. With
 * `noise` (`{ sigma, rng }`), the encoder sees clip(x + sigma·N(0, 1), 0, 1) (draws from that rng,
 * in image then pixel order) and the BCE is against the clean x: the denoising figure.
 */
export function evaluateSplit(arch: Architecture, p: TensorParams, split: MnistSplit, rng: Rng, noise?: { sigma: number; rng: Rng }): LossParts {
  let bce = 0;
  let kl = 0;
  const buf = new Float32Array(EVAL_CHUNK * PIXELS);
  for (let start = 0; start < split.count; start += EVAL_CHUNK) {
    const n = Math.min(EVAL_CHUNK, split.count - start);
    const xs = gatherRange(split, start, n, n === EVAL_CHUNK ? buf : new Float32Array(n * PIXELS));
    const noisy = noise ? noisyInto(xs, noise.sigma, noise.rng) : undefined;
    const [b, k] = tf.tidy(() => {
      const x = tf.tensor2d(xs, [n, PIXELS]);
      const eps = arch.variational ? tf.tensor2d(rng.fillNormal(new Float32Array(n * arch.latentDim)), [n, arch.latentDim]) : undefined;
      const inputs: ModelInputs = { labels: chunkLabels(arch, split, start, n) };
      if (noisy) inputs.input = arch.labelDim > 0 ? tf.concat([tf.tensor2d(noisy, [n, PIXELS]), inputs.labels!], 1) : tf.tensor2d(noisy, [n, PIXELS]);
      const r = evaluate(arch, p, x, eps, inputs);
      return [r.bce.dataSync()[0]!, r.kl.dataSync()[0]!];
    });
    bce += b;
    kl += k;
  }
  return { loss: (bce + kl) / split.count, bce: bce / split.count, kl: kl / split.count };
}

/** Mean KL (nats) of each latent dimension over the split (VAE family; deterministic, no sampling). */
export function klPerDim(arch: Architecture, p: TensorParams, split: MnistSplit): number[] {
  if (!arch.variational) throw new Error(`klPerDim: the ${arch.kind} has no KL term`);
  const sums = new Float64Array(arch.latentDim);
  const buf = new Float32Array(EVAL_CHUNK * PIXELS);
  for (let start = 0; start < split.count; start += EVAL_CHUNK) {
    const n = Math.min(EVAL_CHUNK, split.count - start);
    const xs = gatherRange(split, start, n, n === EVAL_CHUNK ? buf : new Float32Array(n * PIXELS));
    const v = tidyValues(() => {
      const x = tf.tensor2d(xs, [n, PIXELS]);
      const labels = chunkLabels(arch, split, start, n);
      const { mu, logvar } = encode(arch, p, labels ? tf.concat([x, labels], 1) : x);
      return klPerDimSums(mu!, logvar!);
    });
    for (let d = 0; d < sums.length; d++) sums[d]! += v[d]!;
  }
  return Array.from(sums, (s) => s / split.count);
}

/** Latent dimensions with a mean KL above this (nats) count as active. */
export const ACTIVE_KL = 0.01;

/** The noise law and seed of the noisy-input test figure (ae and dae). */
export const NOISY_EVAL = { sigma: 0.5, seed: 12345 } as const;

/** Test BCE (nats per image) of reconstructing {@link NOISY_EVAL}-noised inputs against the clean images. */
export function noisyBce(arch: Architecture, p: TensorParams, split: MnistSplit): number {
  return evaluateSplit(arch, p, split, new Rng(NOISY_EVAL.seed, 1), { sigma: NOISY_EVAL.sigma, rng: new Rng(NOISY_EVAL.seed) }).bce;
}

function gatherRange(split: MnistSplit, start: number, n: number, out: Float32Array): Float32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = start + i;
  return gatherImages(split, idx, out);
}

function validateConfig(c: TrainConfig): void {
  if (!MODEL_KINDS.includes(c.model)) throw new RangeError(`model must be one of ${MODEL_KINDS.join(', ')}, got ${String(c.model)}`);
  if (c.beta !== undefined && !(c.beta >= 0 && Number.isFinite(c.beta))) throw new RangeError(`beta must be a number ≥ 0, got ${c.beta}`);
  if (c.noise !== undefined && !(c.noise >= 0 && c.noise <= 1)) throw new RangeError(`noise must be a number in [0, 1], got ${c.noise}`);
  for (const k of ['epochs', 'batchSize', 'latentDim'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new RangeError(`${k} must be a positive integer, got ${c[k]}`);
  }
  if (!(c.lr > 0) || !Number.isFinite(c.lr)) throw new RangeError(`lr must be a positive number, got ${c.lr}`);
  if (!Number.isInteger(c.seed) || c.seed < 0 || c.seed > 0xffffffff) throw new RangeError(`seed must be an integer in [0, 2^32), got ${c.seed}`);
  if (c.threads !== undefined && c.threads !== 1 && c.threads !== 2) throw new RangeError(`threads must be 1 or 2, got ${String(c.threads)}`);
}

/**
 * Trains `config.model` on `data` (optionally continuing `resume`). With `threads: 2`, pass an
 * `outputThread` started beforehand (so that its start-up overlaps the caller's data loading), or
 * one is started here; either way training closes it.
 */
export async function train(config: TrainConfig, data: Mnist, hooks: TrainHooks = {}, resume?: TrainState, outputThread?: Promise<OutputLayerThread>): Promise<TrainResult> {
  validateConfig(config);
  const arch = architecture(config.model, config.latentDim);
  const specs = paramSpecs(arch);
  const shapes = Object.fromEntries(specs.map((s) => [s.name, s.shape as number[]]));
  const shuffleRng = new Rng(config.seed, 2);
  const noiseRng = new Rng(config.seed, 3);
  const adam = new Adam(config.lr);
  let params: TensorParams;
  const history: EpochMetrics[] = [];
  let startEpoch = 1;
  if (resume) {
    params = toTensors(arch, resume.params);
    adam.setState(resume.adam, shapes);
    shuffleRng.setState(resume.rng.shuffle);
    noiseRng.setState(resume.rng.noise);
    history.push(...resume.history);
    startEpoch = resume.epochsDone + 1;
  } else {
    params = toTensors(arch, initParams(arch, new Rng(config.seed, 1)));
  }

  const { train: trainSet, test: testSet } = data;
  const B = config.batchSize;
  const batches = Math.ceil(trainSet.count / B);
  const order = new Uint32Array(trainSet.count);
  const xTBuf = new Float32Array(B * PIXELS);
  const epsBuf = new Float32Array(B * config.latentDim);
  const beta = config.beta ?? 1;
  const sigma = config.noise ?? 0.5;
  // the encoder's input when it is not the batch itself: dae noisy, cvae pixels then label
  const separateInput = arch.kind === 'dae' || arch.labelDim > 0;
  const inBuf = separateInput ? new Float32Array(B * arch.inputDim) : undefined;
  const inTBuf = separateInput ? new Float32Array(B * arch.inputDim) : undefined;
  const labelBuf = arch.labelDim > 0 ? new Float32Array(B * arch.labelDim) : undefined;
  /** Adds the dae's noisy input or the cvae's labels (and conditioned input) to a gathered batch. */
  const extend = (batch: Batch, idx: Uint32Array): Batch => {
    const { n, x, xT } = batch;
    const full = n === B;
    if (arch.kind === 'dae') {
      const input = noisyInto(x, sigma, noiseRng, full ? inBuf : new Float32Array(n * PIXELS));
      return { ...batch, input, inputT: transposeBatch(input, n, PIXELS, full ? inTBuf : undefined) };
    }
    if (arch.labelDim > 0) {
      const L = arch.labelDim;
      const cols = arch.inputDim;
      const labels = oneHot(Array.from(idx, (i) => trainSet.labels[i]!), n, L, full ? labelBuf : undefined);
      const input = full ? inBuf! : new Float32Array(n * cols);
      const inputT = full ? inTBuf! : new Float32Array(n * cols);
      for (let r = 0; r < n; r++) {
        input.set(x.subarray(r * PIXELS, (r + 1) * PIXELS), r * cols);
        input.set(labels.subarray(r * L, (r + 1) * L), r * cols + PIXELS);
      }
      inputT.set(xT.subarray(0, n * PIXELS));
      transposeBatch(labels, n, L, inputT.subarray(n * PIXELS, n * cols));
      return { ...batch, input, inputT, labels };
    }
    return batch;
  };
  const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
  let second: OutputLayerThread | undefined;

  try {
    if (config.threads === 2) {
      // Node only, and loaded only when asked for (node:worker_threads)
      const { OutputLayerThread } = await import('./output-thread.ts');
      second = await (outputThread ?? OutputLayerThread.start(arch, B, config.lr, tf.getBackend()));
      second.load(params, resume?.adam);
    }
    // the output-layer thread reads each batch where it is gathered
    const xBuf = second?.x ?? new Float32Array(B * PIXELS);
    for (let epoch = startEpoch; epoch <= config.epochs; epoch++) {
      for (let i = 0; i < order.length; i++) order[i] = i;
      shuffleRng.shuffle(order);
      const t0 = performance.now();
      let bceSum = 0;
      let klSum = 0;
      // with the second thread, a step's Σ BCE is read after the next step (so it never waits)
      let pending: { bce: () => number; n: number } | undefined;
      let bceSeen = 0;
      const takePending = () => {
        if (!pending) return;
        bceSum += pending.bce();
        bceSeen += pending.n;
        pending = undefined;
      };
      for (let b = 0; b < batches; b++) {
        if (hooks.shouldStop?.()) throw new InterruptedError(epoch, b + 1, epoch - 1);
        const start = b * B;
        const n = Math.min(B, trainSet.count - start);
        const full = n === B;
        const xs = full ? xBuf : xBuf.subarray(0, n * PIXELS);
        const xTs = full ? xTBuf : new Float32Array(n * PIXELS);
        const idx = order.subarray(start, start + n);
        gatherImagesWithTranspose(trainSet, idx, xs, xTs);
        const eps = arch.variational ? noiseRng.fillNormal(full ? epsBuf : new Float32Array(n * config.latentDim)) : undefined;
        const batch = extend({ n, x: xs, xT: xTs, eps }, idx);
        if (second) {
          const r = trainStepWith(second, arch, params, adam, batch, beta);
          params = r.params;
          takePending();
          pending = { bce: r.bce, n };
          klSum += r.kl;
        } else {
          const r = trainStep(arch, params, adam, batch, beta);
          params = r.params;
          bceSum += r.bce;
          bceSeen += n;
          klSum += r.kl;
        }
        const seen = start + n;
        hooks.onBatch?.({ epoch, batch: b + 1, batches, loss: (bceSeen ? bceSum / bceSeen : 0) + klSum / seen });
        // let signal handlers (Ctrl-C) and timers run; every 8 batches (~50 ms) costs nothing
        if ((b & 7) === 7) await yieldToEventLoop();
      }
      takePending();
      const seconds = (performance.now() - t0) / 1000;
      if (!Number.isFinite(bceSum + klSum)) throw new Error(`training diverged in epoch ${epoch}: the loss is ${bceSum + klSum}`);
      const t1 = performance.now();
      const test = evaluateSplit(arch, params, testSet, new Rng(config.seed, 1000 + epoch));
      const metrics: EpochMetrics = {
        epoch,
        seconds: round(seconds, 3),
        testSeconds: round((performance.now() - t1) / 1000, 3),
        train: { loss: (bceSum + klSum) / trainSet.count, bce: bceSum / trainSet.count, kl: klSum / trainSet.count },
        test,
      };
      history.push(metrics);
      const p = params;
      await hooks.onEpoch?.(metrics, () => ({
        config,
        trainSize: trainSet.count,
        testSize: testSet.count,
        epochsDone: epoch,
        params: fromTensors(arch, p),
        adam: second ? mergeAdamStates(adam.getState(), second.adamState()) : adam.getState(),
        rng: { shuffle: shuffleRng.getState(), noise: noiseRng.getState() },
        history: [...history],
      }));
    }
    return { arch, params: fromTensors(arch, params), history };
  } finally {
    for (const t of Object.values(params)) t.dispose();
    adam.dispose();
    releaseConstants();
    await (second ?? (await outputThread?.catch(() => undefined)))?.close();
  }
}

/** Main thread's Adam state plus the output-layer thread's (whose entries are the current ones). */
function mergeAdamStates(mine: AdamState, output: AdamState): AdamState {
  if (mine.step !== output.step) throw new Error(`the two training threads disagree on the Adam step (${mine.step} ≠ ${output.step})`);
  return { step: mine.step, m: { ...mine.m, ...output.m }, v: { ...mine.v, ...output.v } };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
