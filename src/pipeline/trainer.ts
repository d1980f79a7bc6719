/**
 * The training loop (Node or browser-agnostic, but used by the `train` CLI): mini-batch Adam on
 * the report's objective with the hand-written gradients of `src/models/math.ts`.
 *
 * Speed notes (WASM backend): the data stay in JS byte arrays; each batch is gathered through
 * the shuffled indices into a reused Float32Array (and its transpose, which the backward pass
 * needs), then uploaded as a fresh tensor — slicing a 60000 × 784 tensor costs ~280 ms a batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gatherImages, gatherImagesWithTranspose, type Mnist, type MnistSplit, PIXELS } from '../data/mnist.ts';
// specific modules rather than models/index.ts: the trainer must not load tfjs-layers (slow import)
import { Adam, type AdamState } from '../models/adam.ts';
import { type Architecture, architecture, initParams, type ModelKind, type Params, paramSpecs } from '../models/architecture.ts';
import { evaluate, fromTensors, releaseConstants, type TensorParams, toTensors } from '../models/math.ts';
import { Rng } from '../models/random.ts';
import { trainStep, trainStepWith } from '../models/step.ts';
import type { OutputLayerThread } from './output-thread.ts';

export interface TrainConfig {
  model: ModelKind;
  epochs: number;
  batchSize: number;
  lr: number;
  latentDim: number;
  seed: number;
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

/** Evaluates the whole split; VAE noise comes from `rng`. Returns per-image means. */
export function evaluateSplit(arch: Architecture, p: TensorParams, split: MnistSplit, rng: Rng): LossParts {
  let bce = 0;
  let kl = 0;
  const buf = new Float32Array(EVAL_CHUNK * PIXELS);
  for (let start = 0; start < split.count; start += EVAL_CHUNK) {
    const n = Math.min(EVAL_CHUNK, split.count - start);
    const xs = gatherRange(split, start, n, n === EVAL_CHUNK ? buf : new Float32Array(n * PIXELS));
    const [b, k] = tf.tidy(() => {
      const x = tf.tensor2d(xs, [n, PIXELS]);
      const eps = arch.kind === 'vae' ? tf.tensor2d(rng.fillNormal(new Float32Array(n * arch.latentDim)), [n, arch.latentDim]) : undefined;
      const r = evaluate(arch, p, x, eps);
      return [r.bce.dataSync()[0]!, r.kl.dataSync()[0]!];
    });
    bce += b;
    kl += k;
  }
  return { loss: (bce + kl) / split.count, bce: bce / split.count, kl: kl / split.count };
}

function gatherRange(split: MnistSplit, start: number, n: number, out: Float32Array): Float32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = start + i;
  return gatherImages(split, idx, out);
}

function validateConfig(c: TrainConfig): void {
  if (c.model !== 'ae' && c.model !== 'vae') throw new RangeError(`model must be "ae" or "vae", got ${String(c.model)}`);
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
        gatherImagesWithTranspose(trainSet, order.subarray(start, start + n), xs, xTs);
        const eps = arch.kind === 'vae' ? noiseRng.fillNormal(full ? epsBuf : new Float32Array(n * config.latentDim)) : undefined;
        const batch = { n, x: xs, xT: xTs, eps };
        if (second) {
          const r = trainStepWith(second, arch, params, adam, batch);
          params = r.params;
          takePending();
          pending = { bce: r.bce, n };
          klSum += r.kl;
        } else {
          const r = trainStep(arch, params, adam, batch);
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
