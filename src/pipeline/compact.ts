/**
 * `npm run bake:compact` — the browser's compact artifacts, derived from the float32 models and
 * embeddings in `pretrained/` (issue 11; formats in `src/contracts/compact-format.ts`):
 *
 * - for every model folder (`pretrained/zoo.json`'s models whose folder exists, else every folder
 *   with `encoder/model.json`): `<id>/compact/encoder|decoder/model.json` + `weights.bin` with
 *   quantized weights in TF.js's own format. Per tensor, the cheapest precision (uint8, then
 *   uint16, float16, float32: that is also their order in gzip bytes) that keeps the model's test
 *   metrics within `BUDGET_NATS` of the float32 model's, measured on the 10,000 test digits with
 *   the quantized files loaded through the standard TF.js loader. Tensors of `SMALL_TENSOR` values
 *   or more are decided one by one, largest first (decoder before encoder on a tie: every page
 *   loads decoders, only drawing loads encoders), each against the precisions already chosen;
 *   the small ones (biases, 2-D heads) then together, float16 if it fits, else float32. Metrics: the test BCE of the reconstruction from the code (VAE family: μ, as
 *   the site shows it) and, for the VAE family, the negative ELBO with one fixed-seed sample of ε
 *   per digit (the same ε for both models); the worse |Δ| of the two counts.
 * - `<id>/compact/<map>.bin` for each map of `embeddings.json` (16-bit, over the map's extent);
 * - `<id>/compact/compact.json`: the choices, bytes (raw and gzip), the measured deltas, the
 *   quantization steps and the sha256 of the sources;
 * - `digits/NNN.png` (100 chunks of 100 test digits, 8-bit grey) and `digits/labels.bin`;
 * - then `pretrained/manifest.json`.
 *
 * Each model's `compact/` folder and `digits/` are replaced atomically. Deterministic: the same
 * inputs give the same bytes (no timestamps). A model whose `compact.json` records the sources'
 * current sha256 (and this format's version) is left as it is unless `--force`.
 *
 *     npm run bake:compact [-- --models ae,vae] [--dir pretrained] [--force] [--backend wasm|cpu]
 *
 * Exit codes: 0 done, 1 error, 2 bad flags. SIGINT/SIGTERM end the process at once (Node's
 * default); the atomic writes leave the previous state intact, and the manifest is rewritten after
 * each model, so the models finished before a stop are complete and listed.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { loadMnist } from '../data/mnist-node.ts';
import { CHUNK_COUNT, CHUNK_HEIGHT, CHUNK_WIDTH, COMPACT_DIR, DIGIT_COUNT, DIGITS_DIR, DIGITS_PER_CHUNK, MAPS, chunkPath, encodeMap, decodeMap } from '../contracts/compact-format.ts';
import { replaceDirAtomic } from './atomic.ts';
import { type BackendName, initBackend } from './backend.ts';
import { writeManifest } from './manifest.ts';
import { encodeGreyPng } from './png.ts';
import { PRECISIONS, type Precision, type WeightSpec, quantizationStep, quantizeTensor } from './quantize.ts';
import { parseFlags, runCli, UsageError } from './usage.ts';

/** The largest change of a test metric (nats per image) the quantization may cause. */
export const BUDGET_NATS = 0.05;
/** Version of the compact format; a change forces a rebuild. */
export const COMPACT_VERSION = 1;
/** Seed of the fixed ε of the VAE family's sampled metric. */
export const EPS_SEED = 12345;
export const WEIGHTS_NAME = 'weights.bin';
/** Tensors with fewer values are decided together (they weigh a few hundred bytes in all). */
export const SMALL_TENSOR = 4096;

export const USAGE = `Usage: npm run bake:compact [-- options]

Derives the browser's compact artifacts (quantized weights, 16-bit embeddings, test-digit
chunks) from the float32 models and embeddings in pretrained/, then rewrites the manifest.

Options:
  --dir DIR          the pretrained folder (default: pretrained)
  --models A,B       only these model folders (default: every model present)
  --force            rebuild even when a model's sources have not changed
  --backend NAME     wasm (default) or cpu
  --help             this text`;

export interface CompactOptions {
  dir: string;
  models: string[] | null;
  force: boolean;
  backend: BackendName;
  help: boolean;
  /** Write `digits/` (default true; tests of the model steps leave it out: 100 PNGs take a while). */
  digits?: boolean;
}

export function parseArgs(argv: readonly string[]): CompactOptions {
  const flags = parseFlags(argv, { values: ['dir', 'models', 'backend'], switches: ['force'], repeats: 'last' });
  const opts: CompactOptions = { dir: 'pretrained', models: null, force: flags.switches.has('force'), backend: 'wasm', help: flags.help };
  for (const [name, value] of flags.values) {
    if (name === 'dir') opts.dir = value;
    else if (name === 'backend') {
      if (value !== 'wasm' && value !== 'cpu') throw new UsageError(`--backend must be wasm or cpu, got "${value}"`);
      opts.backend = value;
    } else {
      const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
      if (!ids.length) throw new UsageError('--models needs at least one model id');
      for (const id of ids) if (!/^[a-z0-9][a-z0-9.-]*$/.test(id)) throw new UsageError(`--models: "${id}" is not a model id`);
      opts.models = ids;
    }
  }
  return opts;
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

// ---------------------------------------------------------------------------------------------
// Model files

interface ModelJson {
  format?: string;
  modelTopology?: unknown;
  weightsManifest?: { paths: string[]; weights: WeightSpec[] }[];
  [k: string]: unknown;
}

/** One model part as read from disk: its model.json, specs and float32 values per tensor. */
export interface Part {
  part: 'encoder' | 'decoder';
  json: ModelJson;
  specs: WeightSpec[];
  values: Float32Array[];
  /** The files read, path relative to the pretrained folder → bytes. */
  sources: Record<string, Uint8Array>;
}

/** Reads `<dir>/<id>/<part>/model.json` and its weights (float32, not quantized). */
export async function readPart(root: string, id: string, part: 'encoder' | 'decoder'): Promise<Part> {
  const rel = `${id}/${part}`;
  const jsonBytes = await readFile(join(root, rel, 'model.json')).catch((err: Error) => {
    throw new Error(`cannot read ${join(root, rel, 'model.json')}: ${err.message}`);
  });
  let json: ModelJson;
  try {
    json = JSON.parse(new TextDecoder().decode(jsonBytes)) as ModelJson;
  } catch {
    throw new Error(`${join(root, rel, 'model.json')} is not valid JSON`);
  }
  if (!Array.isArray(json.weightsManifest)) throw new Error(`${join(root, rel, 'model.json')} has no weightsManifest`);
  const sources: Record<string, Uint8Array> = { [`${rel}/model.json`]: jsonBytes };
  const specs: WeightSpec[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) {
      const path = `${rel}/${p.replace(/^\.\//, '')}`;
      const b = await readFile(join(root, path));
      sources[path] = b;
      buffers.push(b);
    }
    specs.push(...group.weights);
  }
  for (const s of specs) {
    if (s.dtype !== 'float32' || s.quantization) throw new Error(`${rel}: weight ${s.name} is ${s.quantization ? `quantized (${s.quantization.dtype})` : s.dtype}; expected the float32 originals`);
  }
  const all = Buffer.concat(buffers);
  const values: Float32Array[] = [];
  let offset = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (offset + 4 * n > all.length) throw new Error(`${rel}: the weight files hold ${all.length} bytes, too few for ${s.name}`);
    values.push(new Float32Array(all.buffer.slice(all.byteOffset + offset, all.byteOffset + offset + 4 * n)));
    offset += 4 * n;
  }
  if (offset !== all.length) throw new Error(`${rel}: the weight files hold ${all.length} bytes; the manifest describes ${offset}`);
  return { part, json, specs, values, sources };
}

/** The model.json and weight bytes of `part` with the given precision per tensor. */
export function quantizedPart(part: Part, precisions: readonly Precision[]): { json: ModelJson; weights: Uint8Array; specs: WeightSpec[] } {
  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  part.specs.forEach((s, k) => {
    const q = quantizeTensor(s.name, s.shape, part.values[k]!, precisions[k]!);
    specs.push(q.spec);
    chunks.push(q.bytes);
  });
  const json: ModelJson = { ...part.json, weightsManifest: [{ paths: [WEIGHTS_NAME], weights: specs }] };
  return { json, weights: Buffer.concat(chunks), specs };
}

// ---------------------------------------------------------------------------------------------
// Evaluation through the standard TF.js loader

/** A model part that maps `[n, in]` to one or more `[n, k]` outputs. */
interface Runnable {
  run(x: tf.Tensor2D): tf.Tensor2D[];
  dispose(): void;
}

/** Loads a part from in-memory artifacts with TF.js's own loader (dequantizing as the browser does). */
export async function loadRunnable(json: ModelJson, weights: Uint8Array): Promise<Runnable> {
  const specs = json.weightsManifest!.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
  const data = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  if (json.format === 'latent-atlas-attn') {
    const attn = await import('../models/attn.ts');
    const { config, params } = attn.attnEncoderFromArtifacts(json, [data]);
    const enc = attn.attnEncoder(config, params);
    return {
      run: (x) => {
        const n = x.shape[0];
        const { mu, logvar } = enc.encode(x.dataSync() as Float32Array);
        return [tf.tensor2d(mu, [n, mu.length / n]), tf.tensor2d(logvar, [n, logvar.length / n])];
      },
      dispose: () => enc.dispose(),
    };
  }
  const tfl = await import('@tensorflow/tfjs-layers');
  const model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs: specs, weightData: data }));
  const muIndex = model.outputNames.indexOf('mu');
  const order = model.outputs.length === 2 && muIndex >= 0 ? [muIndex, model.outputNames.indexOf('logvar')] : model.outputs.map((_, i) => i);
  return {
    run: (x) => {
      const out = model.predict(x);
      const list = (Array.isArray(out) ? out : [out]) as tf.Tensor2D[];
      return order.map((i) => list[i]!);
    },
    dispose: () => model.dispose(),
  };
}

/** The test data an evaluation needs. */
export interface TestSet {
  x: tf.Tensor2D; // [n, 784] in [0, 1]
  onehot: tf.Tensor2D; // [n, 10]
  n: number;
}

/** Test metrics, nats per image. `elbo` only for the VAE family. */
export interface Metrics {
  bce: number;
  elbo: number | null;
}

/**
 * Σ over images of the BCE summed over pixels (logs clamped at −100, as PyTorch). Each image's
 * sum is a float32 sum of 784 terms; the images are added in float64 here: one float32 sum of
 * 7.8 million terms drifts by most of a nat, more than the differences measured.
 */
function bceSum(x: tf.Tensor2D, p: tf.Tensor2D): number {
  const perImage = tf.tidy(() => {
    const lp = tf.maximum(tf.log(p), -100);
    const lq = tf.maximum(tf.log(tf.sub(1, p)), -100);
    return tf.neg(tf.sum(tf.add(tf.mul(x, lp), tf.mul(tf.sub(1, x), lq)), 1));
  });
  return sum64(perImage);
}

/** Float64 sum of a tensor's values (disposes it). */
function sum64(t: tf.Tensor): number {
  const v = t.dataSync();
  t.dispose();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s;
}

/** The codes of the test set: `[mu, logvar]` (VAE family) or `[z]`. Caller disposes. */
export function encodeTest(enc: Runnable, data: TestSet, conditional: boolean): tf.Tensor2D[] {
  const input = conditional ? tf.concat([data.x, data.onehot], 1) : data.x;
  const out = enc.run(input as tf.Tensor2D);
  if (conditional) input.dispose();
  return out;
}

/** Test metrics of a decoder on given codes. */
export function evaluate(dec: Runnable, codes: tf.Tensor2D[], data: TestSet, eps: tf.Tensor2D | null, conditional: boolean): Metrics {
  let out: Metrics = { bce: NaN, elbo: null };
  tf.tidy(() => {
    const cond = (z: tf.Tensor2D) => (conditional ? (tf.concat([z, data.onehot], 1) as tf.Tensor2D) : z);
    const code = codes[0]!;
    const bce = bceSum(data.x, dec.run(cond(code))[0]!) / data.n;
    out = { bce, elbo: null };
    if (codes.length < 2 || !eps) return;
    const logvar = codes[1]!;
    const z = tf.add(code, tf.mul(tf.exp(tf.mul(0.5, logvar)), eps)) as tf.Tensor2D;
    const bceS = bceSum(data.x, dec.run(cond(z))[0]!);
    const kl = sum64(tf.mul(-0.5, tf.sub(tf.add(1, logvar), tf.add(tf.square(code), tf.exp(logvar)))));
    out = { bce, elbo: (bceS + kl) / data.n };
  });
  return out;
}

/** Fixed standard-normal draws (mulberry32 + Box–Muller), deterministic for a seed. */
export function gaussian(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const u = 1 - uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** The worse absolute change of the two metrics. */
export function metricDelta(a: Metrics, b: Metrics): number {
  const d = Math.abs(a.bce - b.bce);
  return a.elbo === null || b.elbo === null ? d : Math.max(d, Math.abs(a.elbo - b.elbo));
}

// ---------------------------------------------------------------------------------------------
// Choosing precisions

export interface TensorChoice {
  part: 'encoder' | 'decoder';
  name: string;
  shape: number[];
  precision: Precision;
  bytes: number;
  /** Largest |dequantized − original| (bounded a priori from the format). */
  step: number;
  /** Worse |Δ metric| measured when this tensor's precision was decided (the earlier choices in place), nats. */
  deltaAtChoice: number;
}

export interface ModelChoice {
  precisions: { encoder: Precision[]; decoder: Precision[] };
  tensors: TensorChoice[];
  float32: Metrics;
  quantized: Metrics;
  evaluations: number;
}

/**
 * Chooses a precision per tensor (see the header). `evaluateWith(enc, dec)` measures the test
 * metrics of the parts at those precisions.
 */
export async function choosePrecisions(
  parts: { encoder: Part; decoder: Part },
  evaluateWith: (enc: Precision[], dec: Precision[]) => Promise<Metrics>,
  budget = BUDGET_NATS,
): Promise<ModelChoice> {
  const current = { encoder: parts.encoder.specs.map((): Precision => 'float32'), decoder: parts.decoder.specs.map((): Precision => 'float32') };
  let evaluations = 1;
  const base = await evaluateWith(current.encoder, current.decoder);
  const order: { part: 'encoder' | 'decoder'; k: number; n: number }[] = [];
  for (const part of ['decoder', 'encoder'] as const) parts[part].specs.forEach((s, k) => order.push({ part, k, n: s.shape.reduce((a, b) => a * b, 1) }));
  order.sort((a, b) => b.n - a.n); // stable: decoder first on ties, then file order
  const deltas = new Map<string, number>();
  let last = base;
  const key = (t: { part: string; k: number }) => `${t.part}/${parts[t.part as 'encoder'].specs[t.k]!.name}`;
  // Large tensors one by one, cheapest precision first.
  for (const t of order.filter((o) => o.n >= SMALL_TENSOR)) {
    for (const p of PRECISIONS) {
      if (p === 'float32') {
        deltas.set(key(t), metricDelta(base, last));
        break;
      }
      if (p === 'float16' && maxAbs(parts[t.part].values[t.k]!) > 65504) continue;
      current[t.part][t.k] = p;
      evaluations++;
      const m = await evaluateWith(current.encoder, current.decoder);
      if (metricDelta(base, m) <= budget) {
        deltas.set(key(t), metricDelta(base, m));
        last = m;
        break;
      }
      current[t.part][t.k] = 'float32';
    }
  }
  // Small tensors (biases, 2-D heads: a few hundred bytes in all) together: float16 if it fits, else float32.
  const small = order.filter((o) => o.n < SMALL_TENSOR && maxAbs(parts[o.part].values[o.k]!) <= 65504);
  if (small.length) {
    for (const t of small) current[t.part][t.k] = 'float16';
    evaluations++;
    const m = await evaluateWith(current.encoder, current.decoder);
    if (metricDelta(base, m) <= budget) last = m;
    else for (const t of small) current[t.part][t.k] = 'float32';
    for (const t of small) deltas.set(key(t), metricDelta(base, last));
  }
  const tensors: TensorChoice[] = [];
  for (const part of ['encoder', 'decoder'] as const) {
    parts[part].specs.forEach((s, k) => {
      const p = current[part][k]!;
      const q = quantizeTensor(s.name, s.shape, parts[part].values[k]!, p);
      tensors.push({
        part,
        name: s.name,
        shape: s.shape,
        precision: p,
        bytes: q.bytes.length,
        step: quantizationStep(q.spec, parts[part].values[k]!),
        deltaAtChoice: deltas.get(`${part}/${s.name}`) ?? 0,
      });
    });
  }
  return { precisions: current, tensors, float32: base, quantized: last, evaluations };
}

function maxAbs(v: Float32Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}

// ---------------------------------------------------------------------------------------------
// One model

interface Embeddings {
  count?: number;
  labels?: number[];
  latentDim?: number;
  [map: string]: unknown;
}

const round = (x: number, digits = 6) => Number(x.toFixed(digits));

/** Builds one model's `compact/` folder; returns its compact.json object. */
export async function compactModel(root: string, id: string, data: TestSet, labels: Uint8Array, log: (s: string) => void): Promise<object> {
  const parts = { encoder: await readPart(root, id, 'encoder'), decoder: await readPart(root, id, 'decoder') };
  const embBytes = await readFile(join(root, id, 'embeddings.json'));
  let emb: Embeddings;
  try {
    emb = JSON.parse(new TextDecoder().decode(embBytes)) as Embeddings;
  } catch {
    throw new Error(`${join(root, id, 'embeddings.json')} is not valid JSON`);
  }
  const latentDim = emb.latentDim ?? 2;
  if (!Array.isArray(emb.labels) || emb.labels.length !== labels.length || emb.labels.some((l, i) => l !== labels[i])) {
    throw new Error(`${id}/embeddings.json: its labels are not the MNIST test labels in test-set order`);
  }
  const sources: Record<string, string> = {};
  for (const p of [parts.encoder, parts.decoder]) for (const [path, b] of Object.entries(p.sources)) sources[path] = sha256(b);
  sources[`${id}/embeddings.json`] = sha256(embBytes);

  const encIn = inputWidth(parts.encoder.json);
  const conditional = encIn === 784 + 10;
  const eps = tf.tensor2d(gaussian(data.n * latentDim, EPS_SEED), [data.n, latentDim]);
  const encoders = new Map<string, tf.Tensor2D[]>();
  const codesFor = async (ps: Precision[]) => {
    const key = ps.join();
    let codes = encoders.get(key);
    if (!codes) {
      for (const old of encoders.values()) tf.dispose(old);
      encoders.clear();
      const q = quantizedPart(parts.encoder, ps);
      const enc = await loadRunnable(q.json, q.weights);
      codes = encodeTest(enc, data, conditional);
      enc.dispose();
      encoders.set(key, codes);
    }
    return codes;
  };
  const evaluateWith = async (e: Precision[], d: Precision[]) => {
    const codes = await codesFor(e);
    const q = quantizedPart(parts.decoder, d);
    const dec = await loadRunnable(q.json, q.weights);
    try {
      return evaluate(dec, codes, data, codes.length > 1 ? eps : null, conditional);
    } finally {
      dec.dispose();
    }
  };
  const t0 = Date.now();
  const choice = await choosePrecisions(parts, evaluateWith);
  for (const c of encoders.values()) tf.dispose(c);
  eps.dispose();
  log(`  ${id}: ${choice.evaluations} evaluations in ${((Date.now() - t0) / 1000).toFixed(1)} s; Δ = ${metricDelta(choice.float32, choice.quantized).toFixed(4)} nats`);

  const files: Record<string, Uint8Array> = {};
  const bytes: Record<string, { float32: number; compact: number; float32Gzip: number; compactGzip: number }> = {};
  for (const part of ['encoder', 'decoder'] as const) {
    const q = quantizedPart(parts[part], choice.precisions[part]);
    const jsonText = `${JSON.stringify(q.json)}\n`;
    files[`${part}/model.json`] = new TextEncoder().encode(jsonText);
    files[`${part}/${WEIGHTS_NAME}`] = q.weights;
    const orig = Object.values(parts[part].sources);
    bytes[part] = {
      float32: orig.reduce((a, b) => a + b.length, 0),
      compact: jsonText.length + q.weights.length,
      float32Gzip: orig.reduce((a, b) => a + gzipSync(b).length, 0),
      compactGzip: gzipSync(jsonText).length + gzipSync(q.weights).length,
    };
  }
  const maps: Record<string, object> = {};
  for (const map of MAPS) {
    const values = emb[map];
    if (!Array.isArray(values)) continue;
    const dim = map === 'latent' ? latentDim : 2;
    if (values.length !== labels.length * dim) throw new Error(`${id}/embeddings.json: "${map}" holds ${values.length} numbers, expected ${labels.length} × ${dim}`);
    const bin = encodeMap(id, map, values as number[], dim);
    const back = decodeMap(bin);
    let maxErr = 0;
    for (let i = 0; i < values.length; i++) maxErr = Math.max(maxErr, Math.abs(back.values[i]! - (values[i] as number)));
    files[`${map}.bin`] = bin;
    maps[map] = {
      file: `${map}.bin`,
      dim,
      step: back.header.scale.map((s) => Number(s.toPrecision(6))),
      maxError: Number(maxErr.toPrecision(3)),
      bytes: bin.length,
      gzip: gzipSync(bin).length,
    };
  }
  const summary = {
    version: COMPACT_VERSION,
    model: id,
    latentDim,
    budgetNats: BUDGET_NATS,
    metrics: {
      note: 'test set, nats per image: bce = reconstruction from the code (VAE family: mu); elbo = negative ELBO with one fixed-seed sample per digit (VAE family only)',
      float32: { bce: round(choice.float32.bce), elbo: choice.float32.elbo === null ? null : round(choice.float32.elbo) },
      compact: { bce: round(choice.quantized.bce), elbo: choice.quantized.elbo === null ? null : round(choice.quantized.elbo) },
      delta: {
        bce: round(choice.quantized.bce - choice.float32.bce),
        elbo: choice.quantized.elbo === null || choice.float32.elbo === null ? null : round(choice.quantized.elbo - choice.float32.elbo),
      },
      evaluations: choice.evaluations,
    },
    bytes,
    tensors: choice.tensors.map((t) => ({ ...t, step: Number(t.step.toPrecision(3)), deltaAtChoice: round(t.deltaAtChoice) })),
    embeddings: maps,
    sources,
  };
  files['compact.json'] = new TextEncoder().encode(`${JSON.stringify(summary, null, 2)}\n`);
  await replaceDirAtomic(join(root, id, COMPACT_DIR), async (tmp) => {
    for (const [path, b] of Object.entries(files)) {
      await mkdir(join(tmp, path, '..'), { recursive: true });
      await writeFile(join(tmp, path), b);
    }
  });
  return summary;
}

function inputWidth(json: ModelJson): number {
  if (json.format === 'latent-atlas-attn') return 784;
  const layers = (json.modelTopology as { config?: { layers?: { class_name: string; config: { batch_input_shape?: (number | null)[] } }[] } } | undefined)?.config?.layers ?? [];
  // functional models: the InputLayer; Sequential ones: the first layer's batch_input_shape
  const input = layers.find((l) => l.class_name === 'InputLayer') ?? layers.find((l) => l.config.batch_input_shape);
  const w = input?.config.batch_input_shape?.[1];
  if (typeof w !== 'number') throw new Error('cannot find the encoder input width in model.json');
  return w;
}

/** True when `<id>/compact/compact.json` was built from exactly the current sources. */
async function upToDate(root: string, id: string): Promise<boolean> {
  try {
    const s = JSON.parse(await readFile(join(root, id, COMPACT_DIR, 'compact.json'), 'utf8')) as { version?: number; sources?: Record<string, string> };
    if (s.version !== COMPACT_VERSION || !s.sources || !Object.keys(s.sources).length) return false;
    for (const [path, hash] of Object.entries(s.sources)) if (sha256(await readFile(join(root, path))) !== hash) return false;
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Digits

/** The 100 chunk PNGs and the labels file from the test set (pixels: bytes, labels: bytes). */
export function digitFiles(pixels: Uint8Array, labels: Uint8Array): Record<string, Uint8Array> {
  if (pixels.length !== DIGIT_COUNT * 784 || labels.length !== DIGIT_COUNT) throw new RangeError(`expected ${DIGIT_COUNT} test digits and labels`);
  const files: Record<string, Uint8Array> = {};
  const strip = new Uint8Array(CHUNK_WIDTH * CHUNK_HEIGHT);
  for (let c = 0; c < CHUNK_COUNT; c++) {
    for (let k = 0; k < DIGITS_PER_CHUNK; k++) {
      const src = (c * DIGITS_PER_CHUNK + k) * 784;
      for (let r = 0; r < 28; r++) strip.set(pixels.subarray(src + r * 28, src + r * 28 + 28), r * CHUNK_WIDTH + k * 28);
    }
    files[chunkPath(c).slice(DIGITS_DIR.length + 1)] = encodeGreyPng(strip, CHUNK_WIDTH, CHUNK_HEIGHT);
  }
  files['labels.bin'] = labels.slice();
  return files;
}

// ---------------------------------------------------------------------------------------------
// CLI

/** The model folders to process: zoo.json's models whose folder exists, else every model folder. */
export async function modelIds(root: string): Promise<string[]> {
  const hasModel = (id: string) => existsSync(join(root, id, 'encoder', 'model.json')) && existsSync(join(root, id, 'decoder', 'model.json'));
  try {
    const zoo = JSON.parse(await readFile(join(root, 'zoo.json'), 'utf8')) as { models?: { id?: string }[] };
    if (Array.isArray(zoo.models)) {
      const ids = zoo.models.map((m) => m.id).filter((id): id is string => typeof id === 'string');
      const listed = ids.filter(hasModel);
      const others = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory() && !ids.includes(e.name) && hasModel(e.name)).map((e) => e.name).sort();
      return [...listed, ...others];
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${join(root, 'zoo.json')}: ${(err as Error).message}`, { cause: err });
  }
  return (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory() && hasModel(e.name)).map((e) => e.name).sort();
}

export async function runCompact(opts: CompactOptions, log: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): Promise<number> {
  const root = opts.dir;
  if (!existsSync(root)) throw new Error(`${root} does not exist`);
  const present = await modelIds(root);
  const ids = opts.models ?? present;
  for (const id of ids) if (!present.includes(id)) throw new Error(`no model folder ${join(root, id)} with encoder/ and decoder/`);
  const mnist = loadMnist();
  const { images, labels } = mnist.test;

  const digitsDir = join(root, DIGITS_DIR);
  // The chunks are rebuilt (and compared) only when some are missing or with --force: 100 PNGs at
  // deflate level 9 take a while, and the same test set always gives the same bytes.
  const complete = existsSync(digitsDir) && (await readdir(digitsDir)).filter((n) => !n.startsWith('.')).length === CHUNK_COUNT + 1;
  const skipDigits = opts.digits === false || (complete && !opts.force);
  const digits = skipDigits ? {} : digitFiles(images, labels);
  let same = skipDigits || existsSync(digitsDir);
  for (const [name, b] of Object.entries(digits)) {
    if (!same) break;
    same = await readFile(join(digitsDir, name)).then((old) => Buffer.compare(old, b) === 0, () => false);
  }
  if (same && !skipDigits) same = (await readdir(digitsDir)).filter((n) => !n.startsWith('.')).length === Object.keys(digits).length;
  if (!same) {
    await replaceDirAtomic(digitsDir, async (tmp) => {
      for (const [name, b] of Object.entries(digits)) await writeFile(join(tmp, name), b);
    });
    log(`${DIGITS_DIR}/: ${CHUNK_COUNT} chunks of ${DIGITS_PER_CHUNK} digits written`);
  } else if (opts.digits !== false) log(`${DIGITS_DIR}/: unchanged${skipDigits ? ' (all chunks present; --force rebuilds them)' : ''}`);

  const todo: string[] = [];
  for (const id of ids) {
    if (!existsSync(join(root, id, 'embeddings.json'))) log(`${id}: no embeddings.json yet (run npm run bake first); skipped`);
    else if (!opts.force && (await upToDate(root, id))) log(`${id}: compact artifacts up to date`);
    else todo.push(id);
  }
  if (todo.length) {
    await initBackend(opts.backend);
    const x = new Float32Array(images.length);
    for (let i = 0; i < x.length; i++) x[i] = images[i]! / 255;
    const onehot = new Float32Array(labels.length * 10);
    labels.forEach((l, i) => (onehot[i * 10 + l] = 1));
    const data: TestSet = { x: tf.tensor2d(x, [labels.length, 784]), onehot: tf.tensor2d(onehot, [labels.length, 10]), n: labels.length };
    for (const id of todo) {
      const s = (await compactModel(root, id, data, labels, log)) as { bytes: Record<string, { float32Gzip: number; compactGzip: number }>; tensors: TensorChoice[] };
      const kb = (part: string, k: 'float32Gzip' | 'compactGzip') => (s.bytes[part]![k] / 1024).toFixed(0);
      log(`${id}: encoder ${kb('encoder', 'float32Gzip')} → ${kb('encoder', 'compactGzip')} KiB, decoder ${kb('decoder', 'float32Gzip')} → ${kb('decoder', 'compactGzip')} KiB (gzip); ${s.tensors.map((t) => `${t.part[0]}:${t.name}=${t.precision}`).join(' ')}`);
      await writeManifest(root); // after each model, so a run stopped later leaves a true manifest
    }
    tf.dispose([data.x, data.onehot]);
  }
  await writeManifest(root);
  log('manifest.json updated');
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await runCli(process.argv.slice(2), parseArgs, USAGE, runCompact);
}
