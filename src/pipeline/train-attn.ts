/**
 * `npm run train -- --model attn` (or `--zoo attn`): trains the attention-encoder VAE of
 * `src/models/attn.ts` and writes `<out>/<id>/` (`attn` for the registry's settings) atomically:
 * `encoder/` (format `latent-atlas-attn`), `decoder/` (the VAE decoder as a TF.js layers model),
 * `metrics.json` (vae's schema plus `final.test.klPerDim` / `activeDims`, `config.kind: "attn"`),
 * then refreshes `<out>/zoo.json` and `<out>/manifest.json`. `train.ts` parses the flags and
 * dispatches here.
 *
 * The recipe is the zoo's: Adam (`src/models/adam.ts`, PyTorch's defaults) at the given lr,
 * mini-batches of 128 in an order shuffled by the seed (the same Rng streams as `trainer.ts`:
 * 1 init, 2 shuffling, 3 reparameterisation noise, 1000 + epoch the test noise), Σ BCE + β·Σ KL.
 * Gradients by TF.js autodiff (`tf.valueAndGrads`) through ops whose own gradients are written out
 * in `attn.ts` (fast on WASM). One thread (`--threads` is ignored). No checkpoints: `--resume`
 * is refused with a message.
 *
 * SIGINT/SIGTERM (`signals.ts`): before training, exit 130 at once; during it, the loop stops
 * before the next batch (each takes ~0.1 s) and exits 130; `<out>/` is left as it was.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node build registers no gradient kernels; tfjs-layers' bundle registers them all
import '@tensorflow/tfjs-layers';
import { IdxError } from '../data/idx.ts';
import { gatherImages, type Mnist, type MnistSplit, PIXELS, takeSubset } from '../data/mnist.ts';
import { loadMnist } from '../data/mnist-node.ts';
import { Adam } from '../models/adam.ts';
import { type Params } from '../models/architecture.ts';
import {
  type AttnConfig,
  attnConfig,
  attnDecodeLogits,
  attnDecoderArch,
  attnEncode,
  attnFromTensors,
  attnGradients,
  attnModelJsonText,
  attnToTensors,
  attnWeightBytes,
  initAttnParams,
} from '../models/attn.ts';
import { modelJsonText, weightBytes } from '../models/export.ts';
import { bceLogits, klPerDimSums, type TensorParams } from '../models/math.ts';
import { klSum } from '../models/losses.ts';
import { Rng } from '../models/random.ts';
import { WEIGHTS_FILE } from '../models/weights-file.ts';
import { initBackend } from './backend.ts';
import type { CliOptions } from './cli.ts';
import { packageVersion } from './model-io.ts';
import { batchHooks, type EpochProgress, formatDuration } from './progress.ts';
import { checkWritableDir, installStopHandler } from './signals.ts';
import { CliError, reportTrainFailure, trainVersions, writeTrainedModel } from './write-trained.ts';
import { ACTIVE_KL, type EpochMetrics, InterruptedError, type LossParts, type TrainHooks } from './trainer.ts';

export interface AttnTrainConfig {
  epochs: number;
  batchSize: number;
  lr: number;
  latentDim: number;
  seed: number;
  /** KL weight (1: the VAE's negative ELBO). */
  beta: number;
}

export interface AttnTrainResult {
  config: AttnConfig;
  params: Params;
  history: EpochMetrics[];
}

const EVAL_CHUNK = 500;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function chunks(split: MnistSplit, f: (x: tf.Tensor2D, start: number, n: number) => void): void {
  const buf = new Float32Array(EVAL_CHUNK * PIXELS);
  for (let start = 0; start < split.count; start += EVAL_CHUNK) {
    const n = Math.min(EVAL_CHUNK, split.count - start);
    const idx = Uint32Array.from({ length: n }, (_, i) => start + i);
    const xs = gatherImages(split, idx, n === EVAL_CHUNK ? buf : new Float32Array(n * PIXELS));
    tf.tidy(() => f(tf.tensor2d(xs, [n, PIXELS]), start, n));
  }
}

/** Σ BCE (z sampled with noise from `rng`) and Σ KL over the split, as per-image means (like vae's). */
export function evaluateAttn(c: AttnConfig, p: TensorParams, split: MnistSplit, rng: Rng): LossParts {
  let bce = 0;
  let kl = 0;
  chunks(split, (x, _start, n) => {
    const eps = tf.tensor2d(rng.fillNormal(new Float32Array(n * c.latentDim)), [n, c.latentDim]);
    const { mu, logvar } = attnEncode(c, p, x);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps)) as tf.Tensor2D;
    bce += bceLogits(attnDecodeLogits(c, p, z), x).dataSync()[0]!;
    kl += klSum(mu, logvar).dataSync()[0]!;
  });
  return { loss: (bce + kl) / split.count, bce: bce / split.count, kl: kl / split.count };
}

/** Mean KL (nats) of each latent dimension over the split (deterministic: from mu and logvar). */
export function attnKlPerDim(c: AttnConfig, p: TensorParams, split: MnistSplit): number[] {
  const sums = new Float64Array(c.latentDim);
  chunks(split, (x) => {
    const { mu, logvar } = attnEncode(c, p, x);
    const v = klPerDimSums(mu, logvar).dataSync();
    for (let d = 0; d < sums.length; d++) sums[d]! += v[d]!;
  });
  return Array.from(sums, (s) => s / split.count);
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Trains the attn VAE on `data` (Node or browser; the backend must be set). */
export async function trainAttn(config: AttnTrainConfig, data: Mnist, hooks: TrainHooks = {}): Promise<AttnTrainResult> {
  const c = attnConfig(config.latentDim);
  for (const k of ['epochs', 'batchSize'] as const) if (!Number.isInteger(config[k]) || config[k] < 1) throw new RangeError(`${k} must be a positive integer, got ${config[k]}`);
  if (!(config.lr > 0)) throw new RangeError(`lr must be a positive number, got ${config.lr}`);
  if (!(config.beta >= 0 && Number.isFinite(config.beta))) throw new RangeError(`beta must be a number ≥ 0, got ${config.beta}`);
  const shuffleRng = new Rng(config.seed, 2);
  const noiseRng = new Rng(config.seed, 3);
  const adam = new Adam(config.lr);
  let params = attnToTensors(c, initAttnParams(c, new Rng(config.seed, 1)));
  const { train: trainSet, test: testSet } = data;
  const B = config.batchSize;
  const batches = Math.ceil(trainSet.count / B);
  const order = new Uint32Array(trainSet.count);
  const xBuf = new Float32Array(B * PIXELS);
  const epsBuf = new Float32Array(B * c.latentDim);
  const history: EpochMetrics[] = [];
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      for (let i = 0; i < order.length; i++) order[i] = i;
      shuffleRng.shuffle(order);
      const t0 = performance.now();
      let bceSum = 0;
      let klSumEpoch = 0;
      for (let b = 0; b < batches; b++) {
        if (hooks.shouldStop?.()) throw new InterruptedError(epoch, b + 1, epoch - 1);
        const start = b * B;
        const n = Math.min(B, trainSet.count - start);
        const full = n === B;
        const xs = gatherImages(trainSet, order.subarray(start, start + n), full ? xBuf : new Float32Array(n * PIXELS));
        const epsv = noiseRng.fillNormal(full ? epsBuf : new Float32Array(n * c.latentDim));
        const x = tf.tensor2d(xs, [n, PIXELS]);
        const eps = tf.tensor2d(epsv, [n, c.latentDim]);
        const g = attnGradients(c, params, x, eps, config.beta);
        bceSum += g.bce.dataSync()[0]!;
        klSumEpoch += g.kl.dataSync()[0]!;
        params = adam.apply(params, g.grads); // disposes the old parameters and the gradients
        for (const t of [g.bce, g.kl, x, eps]) t.dispose();
        hooks.onBatch?.({ epoch, batch: b + 1, batches, loss: (bceSum + klSumEpoch) / (start + n) });
        await yieldToEventLoop(); // signal handlers run between batches
      }
      const seconds = (performance.now() - t0) / 1000;
      if (!Number.isFinite(bceSum + klSumEpoch)) throw new Error(`training diverged in epoch ${epoch}: the loss is ${bceSum + klSumEpoch}`);
      const t1 = performance.now();
      const test = evaluateAttn(c, params, testSet, new Rng(config.seed, 1000 + epoch));
      const metrics: EpochMetrics = {
        epoch,
        seconds: round(seconds, 3),
        testSeconds: round((performance.now() - t1) / 1000, 3),
        train: { loss: (bceSum + klSumEpoch) / trainSet.count, bce: bceSum / trainSet.count, kl: klSumEpoch / trainSet.count },
        test,
      };
      history.push(metrics);
      await hooks.onEpoch?.(metrics, () => {
        throw new Error('the attn trainer keeps no checkpoints');
      });
    }
    return { config: c, params: attnFromTensors(c, params), history };
  } finally {
    for (const t of Object.values(params)) t.dispose();
    adam.dispose();
  }
}

/** Writes `<dir>/encoder/` (attn format) and `<dir>/decoder/` (the VAE decoder's layers model). */
export async function writeAttnModels(dir: string, c: AttnConfig, params: Params): Promise<void> {
  await mkdir(join(dir, 'encoder'), { recursive: true });
  await writeFile(join(dir, 'encoder', 'model.json'), attnModelJsonText(c));
  await writeFile(join(dir, 'encoder', WEIGHTS_FILE), attnWeightBytes(c, params));
  const dec = attnDecoderArch(c.latentDim);
  await mkdir(join(dir, 'decoder'), { recursive: true });
  await writeFile(join(dir, 'decoder', 'model.json'), modelJsonText(dec, 'decoder', packageVersion('@tensorflow/tfjs-layers')));
  await writeFile(join(dir, 'decoder', WEIGHTS_FILE), weightBytes(dec, 'decoder', params));
}


const fmt = (x: number) => x.toFixed(2);

function loadData(subset?: number, dir?: string): Mnist {
  try {
    const data = loadMnist(dir);
    return subset ? { train: takeSubset(data.train, subset), test: takeSubset(data.test, Math.min(subset, data.test.count)) } : data;
  } catch (err) {
    if (err instanceof IdxError) throw new CliError(`MNIST data error: ${err.message}`);
    throw err;
  }
}

/** The attn branch of `npm run train` (flags already parsed and checked by `cli.ts`). */
export async function main(opts: CliOptions): Promise<number> {
  const started = performance.now();
  const id = opts.id ?? 'attn';
  const beta = opts.beta ?? 1;
  const stop = installStopHandler({ name: 'train', untouched: () => `${opts.out}/ was not changed.` });
  const progress: { bar?: EpochProgress } = {};
  try {
    if (opts.resume) throw new CliError('--resume is not supported for --model attn (it keeps no checkpoints; a full run takes minutes). Nothing was changed.', 2);
    try {
      checkWritableDir(opts.out);
    } catch (err) {
      throw new CliError(`${(err as Error).message}. Nothing was trained and nothing was changed.`);
    }
    const data = loadData(opts.subset, opts.dataDir);
    const backend = await initBackend(opts.backend);
    const config: AttnTrainConfig = { epochs: opts.epochs, batchSize: opts.batchSize, lr: opts.lr, latentDim: opts.latentDim, seed: opts.seed, beta };
    process.stderr.write(
      `train: ${id} (attn) on ${data.train.count} images (test ${data.test.count}), ${opts.epochs} epoch(s), batch ${opts.batchSize}, lr ${opts.lr}, latent ${opts.latentDim}, beta ${beta}, seed ${opts.seed}, backend ${backend}, 1 thread\n`,
    );
    const result = await trainAttn(config, data, {
      ...batchHooks(stop, opts.epochs, progress),
      onEpoch: (m) => {
        const ms = (1000 * m.seconds) / Math.ceil(data.train.count / opts.batchSize);
        progress.bar?.finish(
          `epoch ${m.epoch}/${opts.epochs}  train ${fmt(m.train.loss)} (bce ${fmt(m.train.bce)} kl ${fmt(m.train.kl)})  test -elbo ${fmt(m.test.loss)} (bce ${fmt(m.test.bce)} kl ${fmt(m.test.kl)})  ${m.seconds.toFixed(2)} s (${ms.toFixed(0)} ms/batch)`,
        );
        progress.bar = undefined;
      },
    });
    if (stop.stopped) throw new InterruptedError(opts.epochs, 0, opts.epochs);
    stop.mode = 'exit';

    const final = result.history[result.history.length - 1]!;
    const p = attnToTensors(result.config, result.params);
    let klPerDim: number[];
    try {
      klPerDim = attnKlPerDim(result.config, p, data.test);
    } finally {
      for (const t of Object.values(p)) t.dispose();
    }
    const metrics = {
      model: id,
      config: {
        model: 'attn',
        epochs: opts.epochs,
        batchSize: opts.batchSize,
        lr: opts.lr,
        latentDim: opts.latentDim,
        seed: opts.seed,
        threads: 1,
        beta,
        trainSize: data.train.count,
        testSize: data.test.count,
        backend,
        init: 'pytorch-default',
        objective: beta === 1 ? 'BCE(sum) + KL(sum)' : `BCE(sum) + ${beta}·KL(sum)`,
        optimizer: 'adam(0.9, 0.999, 1e-8)',
        gradients: 'TF.js autodiff (tf.valueAndGrads) over ops with hand-written gradients (src/models/attn.ts)',
        ...(opts.subset ? { subset: opts.subset } : {}),
        kind: 'attn',
        zooId: id,
        noise: null,
        architecture: result.config,
      },
      epochs: result.history,
      final: { test: { ...final.test, klPerDim, activeDims: klPerDim.filter((v) => v > ACTIVE_KL).length }, train: final.train },
      units: 'nats per image (BCE summed over 784 pixels, KL over latent dims, averaged over images)',
      totalTrainSeconds: round(result.history.reduce((s, e) => s + e.seconds + e.testSeconds, 0), 3),
      versions: trainVersions(),
      createdAt: new Date().toISOString(),
    };
    const target = await writeTrainedModel(opts.out, id, (dir) => writeAttnModels(dir, result.config, result.params), metrics, stop);
    const perEpoch = result.history.reduce((s, e) => s + e.seconds, 0) / result.history.length;
    process.stdout.write(
      `${id}: test -ELBO ${fmt(final.test.loss)} (BCE ${fmt(final.test.bce)} + KL ${fmt(final.test.kl)}) nats/image, ${metrics.final.test.activeDims} active dims; ${perEpoch.toFixed(1)} s/epoch; wrote ${target}/ and ${join(opts.out, 'manifest.json')} in ${formatDuration((performance.now() - started) / 1000)}\n`,
    );
    return 0;
  } catch (err) {
    progress.bar?.clear();
    return reportTrainFailure(err, opts.out);
  } finally {
    stop.mode = 'exit';
    stop.dispose();
  }
}
