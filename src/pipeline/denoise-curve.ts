/**
 * `npm run bake:denoise` — the denoising experiment's curve (issue 12): for the zoo's AE, DAE and
 * VAE (picked by kind from `<dir>/zoo.json`: `pickByKind` in `src/contracts/denoise-curve.ts`), the
 * mean BCE of reconstructing noised test digits against the clean ones, at σ = 0, 0.1, …, 1, with
 * the training noise law clip(x + σ·N(0, 1), 0, 1) (`noisyInto`, the trainer's own function) and a
 * fixed seed (12345, that of `metrics.json`'s `final.test.noisy`; the same draws for every σ and
 * every model). From the committed float32 models (`pretrained/<id>/encoder|decoder`, not the
 * compact copies), on all 10,000 test digits; the VAE decodes its mean μ, as the widgets do.
 *
 * Writes `<dir>/denoise-curve.json` (format in `src/contracts/denoise-curve.ts`) atomically, then the manifest. The
 * same models give the same bytes (no timings in the file). The work runs in a worker thread
 * (`stoppable.ts`): the first SIGINT/SIGTERM stops it at once, exit 130, nothing written. Usage:
 *
 *     npm run bake:denoise [-- --dir pretrained] [--backend wasm|cpu] [--count 10000]
 *
 * Exit codes: 0 done, 1 error, 2 bad flags, 130 stopped.
 */
import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadMnist } from '../data/mnist-node.ts';
import { PIXELS, toFloat } from '../data/mnist.ts';
import { bceScalar } from '../models/losses.ts';
import { Rng } from '../models/random.ts';
import { noisyInto } from '../models/step.ts';
import { parseZoo } from '../contracts/zoo.ts';
import { DENOISE_FILE, DENOISE_SEED, NOISE_LAW, SIGMAS, denoiseModels, type DenoiseCurve, type DenoiseKind } from '../contracts/denoise-curve.ts';
import { writeFileAtomic } from './atomic.ts';
import { type BackendName, initBackend } from './backend.ts';
import { writeManifest } from './manifest.ts';
import { loadPretrained } from './model-io.ts';
import { checkOutputDir, type CommitGate, runStoppable, STOPPED_EXIT } from './stoppable.ts';
import { parseFlags, runCli, UsageError } from './usage.ts';
import { tidyValues } from '../models/tensor-values.ts';

export { UsageError };

/** Test digits in all. */
export const TEST_COUNT = 10_000;
/** Digits per TF.js call. */
const CHUNK = 1000;

export const USAGE = `Usage: npm run bake:denoise [-- options]

Bakes pretrained/${DENOISE_FILE}: the mean test BCE (against the clean digits) of the zoo's AE,
DAE and VAE on test digits noised as clip(x + σ·N(0, 1), 0, 1), σ = 0, 0.1, …, 1, seed ${DENOISE_SEED},
from the committed float32 models; then rewrites pretrained/manifest.json.

  --dir DIR           the pretrained folder (default: pretrained)
  --backend wasm|cpu  TF.js backend (default: wasm)
  --count N           the first N test digits only (default: all ${TEST_COUNT.toLocaleString('en-US')})
  -h, --help          this text

The first Ctrl-C (SIGINT) or SIGTERM stops at once and writes nothing.
Exit codes: 0 done, 1 error, 2 bad flags, 130 stopped.`;

export interface DenoiseOptions {
  dir: string;
  backend: BackendName;
  count: number;
  help: boolean;
}

export function parseDenoiseArgs(argv: readonly string[]): DenoiseOptions {
  const flags = parseFlags(argv, { values: ['dir', 'backend', 'count'], repeats: 'last' });
  const o: DenoiseOptions = { dir: 'pretrained', backend: 'wasm', count: TEST_COUNT, help: flags.help };
  for (const [name, value] of flags.values) {
    if (name === 'dir') o.dir = value;
    else if (name === 'backend') {
      if (value !== 'wasm' && value !== 'cpu') throw new UsageError(`--backend must be "wasm" or "cpu", got "${value}"`);
      o.backend = value;
    } else {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1 || n > TEST_COUNT) throw new UsageError(`--count must be an integer from 1 to ${TEST_COUNT}, got "${value}"`);
      o.count = n;
    }
  }
  return o;
}

/** A loaded model of the experiment: noised images in, reconstructions out. */
export interface CurveModel {
  id: string;
  kind: DenoiseKind;
  encoder: tfl.LayersModel;
  decoder: tfl.LayersModel;
}

/** One Dense layer's weights as tensors. */
interface DenseOp {
  kernel: tf.Tensor2D;
  bias: tf.Tensor1D;
  activation: 'linear' | 'relu' | 'sigmoid';
}

/**
 * A model's path from input to code (VAE: to μ; `logvar` is left out) or from code to pixels, as
 * Dense layers in order. tfjs-layers' `predict` was measured ~100× slower than these few ops on
 * the WASM backend (1.1–2.2 s against ~15 ms for 1,000 digits through 784 → 128), so the curve
 * runs the layers' own weights through `matMul` directly (`reconstructBatch` checks the two agree
 * in the unit test).
 */
export function denseChain(model: tfl.LayersModel): DenseOp[] {
  const chain: DenseOp[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer' || layer.name === 'logvar') continue;
    const activation = String(layer.getConfig().activation ?? 'linear');
    if (layer.getClassName() !== 'Dense' || (activation !== 'linear' && activation !== 'relu' && activation !== 'sigmoid')) {
      throw new Error(`${model.name}: layer ${layer.name} (${layer.getClassName()}, ${activation}) is not a Dense layer the denoising curve can run`);
    }
    // Fresh tensors on the active backend (the layer's own variables made each call ~40× slower, measured).
    const [k, b] = layer.getWeights();
    const kernel = tf.tensor2d(k!.dataSync() as Float32Array, k!.shape as [number, number]);
    const bias = tf.tensor1d(b!.dataSync() as Float32Array);
    const prev = chain[chain.length - 1];
    if (prev && prev.kernel.shape[1] !== kernel.shape[0]) throw new Error(`${model.name}: layer ${layer.name} does not follow the layer before it`);
    chain.push({ kernel, bias, activation });
  }
  return chain;
}

/** Runs `x` through a Dense chain (inside the caller's tidy). */
function runChain(chain: readonly DenseOp[], x: tf.Tensor2D): tf.Tensor2D {
  let y = x;
  for (const op of chain) {
    const a = tf.add(tf.matMul(y, op.kernel), op.bias) as tf.Tensor2D;
    y = op.activation === 'relu' ? tf.relu(a) : op.activation === 'sigmoid' ? tf.sigmoid(a) : a;
  }
  return y;
}

/** A model's encoder and decoder as Dense chains. */
export function chains(model: CurveModel): { encoder: DenseOp[]; decoder: DenseOp[] } {
  return { encoder: denseChain(model.encoder), decoder: denseChain(model.decoder) };
}

/** Reconstructs `n` images (flat `n × 784`): encode (VAE: μ), decode; `n × 784` probabilities. */
export function reconstructBatch(c: { encoder: DenseOp[]; decoder: DenseOp[] }, images: Float32Array, n: number): Float32Array {
  return tidyValues(() => runChain(c.decoder, runChain(c.encoder, tf.tensor2d(images, [n, PIXELS]))));
}

/** The same through tfjs-layers' `predict` (the reference `reconstructBatch` is checked against). */
export function reconstructBatchPredict(model: CurveModel, images: Float32Array, n: number): Float32Array {
  return tidyValues(() => {
    const out = model.encoder.predict(tf.tensor2d(images, [n, PIXELS]));
    const z = Array.isArray(out) ? out[model.encoder.outputNames.indexOf('mu')]! : out;
    return model.decoder.predict(z) as tf.Tensor;
  });
}

/** Σ BCE of `probs` against `clean` (both flat, same length), nats: the widgets' `imageBce` per image, summed. */
function sumBce(clean: Float32Array, probs: Float32Array): number {
  let s = 0;
  for (let i = 0; i < clean.length; i++) s += bceScalar(probs[i]!, clean[i]!);
  return s;
}

/**
 * Mean BCE per σ of `model` on the first `count` digits of `clean` (flat `count × 784`): for each
 * σ a fresh `Rng(seed)` noises the digits in order (chunks of 1,000, as the trainer's noisy test
 * figure does), so every σ and every model sees the same standard-normal draws.
 */
export function meanBces(model: CurveModel, clean: Float32Array, count: number, sigmas: readonly number[] = SIGMAS, seed = DENOISE_SEED): number[] {
  const buf = new Float32Array(CHUNK * PIXELS);
  const c = chains(model);
  return sigmas.map((sigma) => {
    const rng = new Rng(seed);
    let sum = 0;
    for (let start = 0; start < count; start += CHUNK) {
      const n = Math.min(CHUNK, count - start);
      const xs = clean.subarray(start * PIXELS, (start + n) * PIXELS);
      const noisy = noisyInto(xs, sigma, rng, buf.subarray(0, n * PIXELS));
      sum += sumBce(xs, reconstructBatch(c, noisy, n));
    }
    return sum / count;
  });
}

/** SHA-256 of every file of the models' float32 folders (paths relative to `dir`), to tell a stale curve. */
export async function curveSources(dir: string, ids: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of ids) {
    for (const part of ['encoder', 'decoder']) {
      for (const name of (await readdir(join(dir, id, part))).sort()) {
        if (name.startsWith('.')) continue;
        out[`${id}/${part}/${name}`] = createHash('sha256')
          .update(await readFile(join(dir, id, part, name)))
          .digest('hex');
      }
    }
  }
  return out;
}

/** Means are written to 4 decimals (far below the differences the page discusses; stable bytes). */
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** Computes the curve from `dir`'s zoo.json and float32 models on the first `count` test digits. */
export async function computeCurve(dir: string, count: number, log: (s: string) => void = () => {}): Promise<DenoiseCurve> {
  const zoo = parseZoo(JSON.parse(await readFile(join(dir, 'zoo.json'), 'utf8')), join(dir, 'zoo.json'));
  const entries = denoiseModels(zoo);
  const test = loadMnist().test;
  const clean = toFloat(test).subarray(0, count * PIXELS);
  const models: DenoiseCurve['models'] = [];
  for (const e of entries) {
    const { encoder, decoder } = await loadPretrained(e.id, dir);
    const t0 = performance.now();
    const bce = meanBces({ id: e.id, kind: e.kind as DenoiseKind, encoder, decoder }, clean, count);
    encoder.dispose();
    decoder.dispose();
    log(`${e.id}: ${bce.map((v) => v.toFixed(1)).join(' ')} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    models.push({ id: e.id, kind: e.kind as DenoiseKind, bce: bce.map(round4) });
  }
  return { version: 1, noise: NOISE_LAW, seed: DENOISE_SEED, count, sigmas: [...SIGMAS], models, sources: await curveSources(dir, entries.map((e) => e.id)) };
}

function log(s: string): void {
  writeSync(2, `bake:denoise: ${s}\n`);
}

/** Options the worker gets. */
export type DenoiseWorkOptions = Omit<DenoiseOptions, 'help'>;

/** Computes the curve, then (commit) writes it and the manifest; in a worker thread via `main`. */
export async function denoiseWork(opts: DenoiseWorkOptions, gate: CommitGate): Promise<number> {
  await initBackend(opts.backend);
  log(`σ = ${SIGMAS.join(', ')} on ${opts.count} test digits …`);
  const curve = await computeCurve(opts.dir, opts.count, log);
  const done = await gate.commit(async () => {
    await writeFileAtomic(join(opts.dir, DENOISE_FILE), `${JSON.stringify(curve, null, 2)}\n`);
    await writeManifest(opts.dir);
  });
  if (!done) return STOPPED_EXIT;
  log(`wrote ${join(opts.dir, DENOISE_FILE)} and ${join(opts.dir, 'manifest.json')}`);
  return 0;
}

/** The CLI: checks the folder, then runs `denoiseWork` in a worker thread (stoppable at once). */
export function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, parseDenoiseArgs, USAGE, async (opts) => {
    await checkOutputDir(opts.dir);
    const work: DenoiseWorkOptions = { dir: opts.dir, backend: opts.backend, count: opts.count };
    return runStoppable('bake:denoise', import.meta.url, 'denoiseWork', work);
  });
}

if (import.meta.main) {
  process.exit(await main(process.argv.slice(2)));
}
