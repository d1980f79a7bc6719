/**
 * `npm run bake` — from the committed models to the files the widgets read:
 *
 * - `pretrained/<model>/embeddings.json` for each model of the zoo (`src/models/zoo.ts`) whose
 *   weights are in `pretrained/`: the 10,000 MNIST test digits' labels, the model's own code
 *   (AE, DAE: z; VAE family: μ; CVAE: μ of the encoder fed the pixels and the one-hot label;
 *   attn: μ of the attention encoder), and t-SNE, UMAP and PCA maps *of that code* (2-D maps of
 *   the d-D codes when d > 2, then the file also has `"latentDim": d`), each with
 *   trustworthiness@10 and leave-one-out 10-NN accuracy (`src/embed/metrics.ts` says which space
 *   trustworthiness is measured against), plus the parameters and seconds of each method;
 * - `pretrained/mnist-test-atlas.png`: the test digits as 100 × 100 tiles of 28 × 28 (8-bit grey),
 *   digit i at column i % 100, row ⌊i / 100⌋;
 * - the literature's predictions about the zoo, checked (`predictions.ts`), into the relevant
 *   models' `metrics.json`; `pretrained/zoo.json` from the registry;
 * - then `pretrained/manifest.json` again.
 *
 * Deterministic: the same models give the same bytes. The only fields that vary between runs are
 * the timings (`params.<method>.seconds`) and `params.createdAt`; when a new bake equals the file
 * already there except for those, the file is left as it is, byte for byte.
 *
 * Stopping: the work runs in a worker thread (`stoppable.ts`); the first SIGINT/SIGTERM stops it
 * at once and exits 130 with nothing written. Everything is computed first and then written in one
 * short commit, each file atomically (temporary sibling + rename). Usage:
 *
 *     npm run bake [-- --models ae,vae] [--dir pretrained] [--backend wasm|cpu] [--subset N]
 *
 * Exit codes: 0 done, 1 error, 2 bad flags, 130 stopped by a signal.
 */
import { existsSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type EmbeddingsFile, type MethodMetrics, validateEmbeddings } from '../embed/embeddings.ts';
import { knnAccuracy, trustworthinessMany } from '../embed/metrics.ts';
import { pca } from '../embed/pca.ts';
import { createTsne, TsnePool } from '../embed/tsne-node.ts';
import { umap } from '../embed/umap.ts';
import { IMAGE_SIDE, PIXELS, takeSubset, toFloat } from '../data/mnist.ts';
import { loadMnist } from '../data/mnist-node.ts';
import { ZOO, zooEntry, zooJson, type ZooEntry } from '../models/zoo.ts';
import { tidyValues } from '../models/tensor-values.ts';
import { writeFileAtomic } from './atomic.ts';
import { type BackendName, initBackend } from './backend.ts';
import { writeManifest } from './manifest.ts';
import { loadLayersModelFromDir } from './model-io.ts';
import { encodeGreyPng, tileImages } from './png.ts';
import { type Prediction, withPredictions, zooPredictions } from './predictions.ts';
import { checkOutputDir, type CommitGate, runStoppable, STOPPED_EXIT } from './stoppable.ts';
import { parseFlags, runCli, UsageError } from './usage.ts';

export { UsageError };

export const ATLAS_FILE = 'mnist-test-atlas.png';
export const ZOO_FILE = 'zoo.json';
export const ATLAS_COLUMNS = 100;
export const TSNE_PARAMS = { perplexity: 30, seed: 0, iterations: 1000, theta: 0.5 } as const;
export const UMAP_PARAMS = { nNeighbors: 15, minDist: 0.1, seed: 0 } as const;
export const METRIC_K = 10;

export const USAGE = `Usage: npm run bake [-- options]

Encodes the 10,000 MNIST test digits with each trained zoo model, computes t-SNE, UMAP and PCA
maps of the latent codes with quality metrics, checks the literature's predictions about the zoo,
and writes pretrained/<model>/embeddings.json, the predictions into pretrained/<model>/metrics.json,
pretrained/${ATLAS_FILE}, pretrained/${ZOO_FILE} and pretrained/manifest.json (atomically).

  --models LIST       comma-separated zoo models to bake (default: every model with weights in DIR)
                      known: ${ZOO.map((z) => z.id).join(', ')}
  --dir DIR           the pretrained folder (default: pretrained)
  --backend wasm|cpu  TF.js backend for encoding (default: wasm)
  --subset N          only the first N test digits (for quick checks; N ≥ 40)
  -h, --help          this text

The first Ctrl-C (SIGINT) or SIGTERM stops at once and writes nothing.
Exit codes: 0 done, 1 error, 2 bad flags, 130 stopped.`;

export interface BakeOptions {
  /** null: every zoo model whose encoder is in `dir`. */
  models: string[] | null;
  dir: string;
  backend: BackendName;
  /** Only the first N test digits (null: all). */
  subset: number | null;
  help: boolean;
}

export function parseBakeArgs(argv: readonly string[]): BakeOptions {
  const flags = parseFlags(argv, { values: ['models', 'dir', 'backend', 'subset'] });
  const o: BakeOptions = { models: null, dir: 'pretrained', backend: 'wasm', subset: null, help: flags.help };
  for (const [name, value] of flags.values) {
    if (name === 'models') {
      const list = value.split(',').map((s) => s.trim());
      for (const m of list) if (!ZOO.some((z) => z.id === m)) throw new UsageError(`--models: unknown model "${m}" (known: ${ZOO.map((z) => z.id).join(', ')})`);
      if (list.length === 0 || new Set(list).size !== list.length) throw new UsageError('--models must list distinct models');
      o.models = list;
    } else if (name === 'dir') {
      if (value.trim() === '') throw new UsageError('--dir must not be empty');
      o.dir = value;
    } else if (name === 'subset') {
      const v = Number(value);
      if (!Number.isInteger(v) || v < 40) throw new UsageError(`--subset must be an integer ≥ 40, got "${value}"`);
      o.subset = v;
    } else {
      if (value !== 'wasm' && value !== 'cpu') throw new UsageError(`--backend must be "wasm" or "cpu", got "${value}"`);
      o.backend = value;
    }
  }
  return o;
}

/** The zoo models whose encoder is in `dir` (registry order). */
export function presentModels(dir: string): string[] {
  return ZOO.filter((z) => existsSync(join(dir, z.id, 'encoder', 'model.json'))).map((z) => z.id);
}

/**
 * Rounds a point set to 4 significant digits of its extent: decimals = 4 − ⌊log10(max |v|)⌋
 * (at least 0), e.g. 3 decimals for values up to ±99.9. Returns plain numbers for JSON.
 */
export function roundPoints(a: ArrayLike<number>): number[] {
  let big = 0;
  for (let t = 0; t < a.length; t++) big = Math.max(big, Math.abs(a[t]!));
  const decimals = big > 0 ? Math.max(0, Math.min(10, 4 - Math.floor(Math.log10(big)))) : 0;
  const f = 10 ** decimals;
  const out = new Array<number>(a.length);
  for (let t = 0; t < a.length; t++) out[t] = Math.round(a[t]! * f) / f + 0; // + 0 turns -0 into 0
  return out;
}

const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;
const secondsSince = (t0: number): number => Math.round((performance.now() - t0) / 10) / 100;

/** n × 794: each image's 784 pixels, then its one-hot label (the CVAE encoder's input). */
export function withOneHot(pixels: Float32Array, labels: ArrayLike<number>, n: number): Float32Array {
  const out = new Float32Array(n * (PIXELS + 10));
  for (let i = 0; i < n; i++) {
    out.set(pixels.subarray(i * PIXELS, (i + 1) * PIXELS), i * (PIXELS + 10));
    out[i * (PIXELS + 10) + PIXELS + labels[i]!] = 1;
  }
  return out;
}

export interface EncodeOptions {
  /** The code's dimension (default 2); the encoder's output must have it. */
  dim?: number;
  /** For a conditional encoder (CVAE): each image's label, appended one-hot to its pixels. */
  labels?: ArrayLike<number>;
}

/**
 * Encodes `pixels` (n × 784 in [0, 1]) with a saved layers encoder; VAE family: the `mu` output;
 * with `labels`, the encoder is fed [pixels, one-hot label]. Returns n × dim.
 */
export function encodeLatent(
  encoder: { predict(x: tf.Tensor): tf.Tensor | tf.Tensor[]; outputNames: string[] },
  pixels: Float32Array,
  n: number,
  options: EncodeOptions = {},
): Float64Array {
  const dim = options.dim ?? 2;
  const width = options.labels ? PIXELS + 10 : PIXELS;
  const input = options.labels ? withOneHot(pixels, options.labels, n) : pixels;
  const out = new Float64Array(dim * n);
  const batch = 1000;
  for (let s = 0; s < n; s += batch) {
    const m = Math.min(batch, n - s);
    const z = tidyValues(() => {
      const x = tf.tensor2d(input.subarray(s * width, (s + m) * width), [m, width]);
      const y = encoder.predict(x);
      let t: tf.Tensor;
      if (Array.isArray(y)) {
        const at = encoder.outputNames.findIndex((name) => name === 'mu' || name.startsWith('mu/'));
        if (at < 0) throw new Error(`the encoder has outputs ${encoder.outputNames.join(', ')} but none named "mu"`);
        t = y[at]!;
      } else t = y;
      if (t.shape.length !== 2 || t.shape[1] !== dim) throw new Error(`expected a ${dim}-D latent code, the encoder gives shape [${t.shape.join(', ')}]`);
      return t;
    });
    for (let t = 0; t < dim * m; t++) out[dim * s + t] = z[t]!;
  }
  return out;
}

/** The code (μ) of the attention encoder `<dir>/<id>/encoder/` for n × 784 pixels; n × d. */
async function encodeAttn(encoderDir: string, pixels: Float32Array, n: number, dim: number): Promise<Float64Array> {
  const { attnEncoder, attnEncoderFromArtifacts, attnWeightPaths } = await import('../models/attn.ts');
  const json: unknown = JSON.parse(await readFile(join(encoderDir, 'model.json'), 'utf8'));
  const weights = await Promise.all(attnWeightPaths(json).map((p) => readFile(join(encoderDir, p))));
  const { config, params } = attnEncoderFromArtifacts(json, weights);
  if (config.latentDim !== dim) throw new Error(`${encoderDir}: a ${config.latentDim}-D attn encoder, the zoo expects ${dim}-D`);
  const enc = attnEncoder(config, params);
  try {
    const out = new Float64Array(dim * n);
    for (let s = 0; s < n; s += 500) {
      const m = Math.min(500, n - s);
      out.set(enc.encode(pixels.subarray(s * PIXELS, (s + m) * PIXELS)).mu, dim * s);
    }
    return out;
  } finally {
    enc.dispose();
  }
}

/** The test digits' codes under zoo model `entry` from `<dir>/<id>/` (n × latentDim). */
export async function encodeZooModel(entry: ZooEntry, dir: string, pixels: Float32Array, labels: ArrayLike<number>, n: number): Promise<Float64Array> {
  const encoderDir = join(dir, entry.id, 'encoder');
  if (entry.kind === 'attn') return encodeAttn(encoderDir, pixels, n, entry.latentDim);
  const encoder = await loadLayersModelFromDir(encoderDir);
  try {
    return encodeLatent(encoder, pixels, n, { dim: entry.latentDim, ...(entry.conditional ? { labels } : {}) });
  } finally {
    encoder.dispose();
  }
}

interface Maps {
  entry: ZooEntry;
  /** Rounded as written; n × latentDim. */
  latent: number[];
  tsne: number[];
  umap: number[];
  pca: number[];
  params: EmbeddingsFile['params'];
}

// Straight to fd 2: this code runs in the stoppable worker, whose process.stderr only reaches the
// terminal when the worker's event loop is free, i.e. after a long t-SNE or UMAP has finished.
const log = (s: string): void => {
  writeSync(2, `${s}\n`);
};

/** What the `params.input` line calls the code. */
function codeName(entry: ZooEntry): string {
  if (entry.kind === 'cvae') return 'μ, from the pixels and the one-hot label';
  return entry.kind === 'ae' || entry.kind === 'dae' ? 'z' : 'μ';
}

/**
 * The latent code and its three 2-D maps for one model (rounded as they will be written). The
 * t-SNE runs on `pool`'s threads (the same map bit for bit as on one thread).
 */
function mapsOf(entry: ZooEntry, latentRaw: Float64Array, n: number, pool: TsnePool): Maps {
  const model = entry.id;
  const d = entry.latentDim;
  const latent = roundPoints(latentRaw);
  const input = Float64Array.from(latent);
  log(`  ${model} t-SNE of ${n} ${d}-D codes …`);
  let t0 = performance.now();
  let lastLine = 0;
  const run = createTsne(pool, input, d, {
    ...TSNE_PARAMS,
    onProgress: (p) => {
      if (p.stage === 'optimise' && p.kl !== null && performance.now() - lastLine > 5000) {
        lastLine = performance.now();
        log(`  ${model} t-SNE ${p.iteration}/${p.iterations} KL ${p.kl.toFixed(4)}`);
      }
    },
  });
  const ts = run.run();
  const tsneSeconds = secondsSince(t0);
  log(`  ${model} t-SNE done in ${tsneSeconds} s (KL ${ts.kl.toFixed(4)})`);
  t0 = performance.now();
  const um = umap(input, d, { ...UMAP_PARAMS });
  const umapSeconds = secondsSince(t0);
  log(`  ${model} UMAP done in ${umapSeconds} s`);
  t0 = performance.now();
  const pc = pca(input, d, 2);
  const pcaSeconds = secondsSince(t0);
  let total = pc.variance[0]! + pc.variance[1]!;
  if (d > 2) {
    // the share of the code's whole variance (trace of its covariance, divisor n − 1)
    total = 0;
    for (let t = 0; t < d; t++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += input[i * d + t]!;
      mean /= n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (input[i * d + t]! - mean) ** 2;
      total += ss / (n - 1);
    }
  }
  return {
    entry,
    latent,
    tsne: roundPoints(ts.embedding),
    umap: roundPoints(um.embedding),
    pca: roundPoints(pc.projection),
    params: {
      input: `the ${n} test digits' ${d}-D latent codes (${codeName(entry)}), as rounded in "latent"`,
      tsne: {
        ...TSNE_PARAMS,
        implementation: 'src/embed/tsne.ts (Barnes-Hut)',
        earlyExaggeration: run.settings.earlyExaggeration,
        exaggerationIterations: run.settings.exaggerationIterations,
        learningRate: round4(run.settings.learningRate),
        init: 'pca',
        kl: round4(ts.kl),
        seconds: tsneSeconds,
      },
      umap: { ...UMAP_PARAMS, implementation: 'umap-js', nEpochs: um.nEpochs, seconds: umapSeconds },
      pca: {
        implementation: 'src/embed/pca.ts (exact)',
        explainedVarianceRatio: [round4(pc.variance[0]! / total), round4(pc.variance[1]! / total)],
        seconds: pcaSeconds,
      },
    },
  };
}

/** Trustworthiness@k of each of `maps` (n × dims[i]) against `high`, one pass per distinct dimension. */
function trustGrouped(high: Float32Array | Float64Array, highDim: number, maps: { points: number[]; dim: number }[]): number[] {
  const out = new Array<number>(maps.length);
  for (const dim of [...new Set(maps.map((m) => m.dim))]) {
    const at = maps.flatMap((m, i) => (m.dim === dim ? [i] : []));
    const t = trustworthinessMany(high, highDim, at.map((i) => maps[i]!.points), dim, METRIC_K);
    at.forEach((i, j) => (out[i] = t[j]!));
  }
  return out;
}

/** The embeddings.json objects of the baked models (validated). */
function embeddingsFiles(all: Maps[], pixels: Float32Array, labels: number[], n: number): EmbeddingsFile[] {
  log(`metrics: trustworthiness@${METRIC_K} against the 784-D pixels (${all.length * 4} maps) …`);
  const t0 = performance.now();
  const trustPixels = trustGrouped(
    pixels,
    PIXELS,
    all.flatMap((m) => [{ points: m.latent, dim: m.entry.latentDim }, ...[m.tsne, m.umap, m.pca].map((points) => ({ points, dim: 2 }))]),
  );
  log(`  done in ${secondsSince(t0)} s`);
  return all.map((m, e) => {
    const d = m.entry.latentDim;
    const latentIn = Float64Array.from(m.latent);
    const trustLatent = trustworthinessMany(latentIn, d, [m.tsne, m.umap, m.pca], 2, METRIC_K);
    const metric = (pts: number[], dim: number, e4: number, tl?: number): MethodMetrics => ({
      trustworthiness: round4(trustPixels[e4]!),
      knnAccuracy: round4(knnAccuracy(pts, dim, labels, METRIC_K)),
      ...(tl !== undefined ? { trustworthinessLatent: round4(tl) } : {}),
    });
    const file: EmbeddingsFile = {
      model: m.entry.id,
      count: n,
      ...(d !== 2 ? { latentDim: d } : {}),
      labels,
      latent: m.latent,
      tsne: m.tsne,
      umap: m.umap,
      pca: m.pca,
      metrics: {
        latent: metric(m.latent, d, 4 * e),
        tsne: metric(m.tsne, 2, 4 * e + 1, trustLatent[0]),
        umap: metric(m.umap, 2, 4 * e + 2, trustLatent[1]),
        pca: metric(m.pca, 2, 4 * e + 3, trustLatent[2]),
      },
      params: {
        ...m.params,
        metrics: {
          k: METRIC_K,
          trustworthiness: 'against the 784-D test pixels (byte / 255), Euclidean',
          trustworthinessLatent: `against the model's ${d}-D latent code`,
          knnAccuracy: d === 2 ? 'leave-one-out 10-NN majority vote in the 2-D points' : `leave-one-out 10-NN majority vote in the 2-D points; for "latent", in the ${d}-D code`,
        },
        createdAt: new Date().toISOString(),
      },
    };
    return validateEmbeddings(file, m.entry.id);
  });
}

/** The embeddings.json text without the fields that change on every run (timings, date). */
export function withoutTimings(json: unknown): string {
  const copy = JSON.parse(JSON.stringify(json)) as { params?: Record<string, unknown> };
  if (copy.params && typeof copy.params === 'object') {
    delete copy.params.createdAt;
    for (const m of ['tsne', 'umap', 'pca']) {
      const p = copy.params[m];
      if (p && typeof p === 'object') delete (p as Record<string, unknown>).seconds;
    }
  }
  return JSON.stringify(copy);
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The measurements the predictions need: every zoo model's metrics.json and latent 10-NN accuracy. */
async function measurements(dir: string, fresh: EmbeddingsFile[]): Promise<{ metrics: Record<string, unknown>; latentKnn: Record<string, number>; texts: Record<string, string> }> {
  const metrics: Record<string, unknown> = {};
  const latentKnn: Record<string, number> = {};
  const texts: Record<string, string> = {};
  for (const z of ZOO) {
    const text = await readText(join(dir, z.id, 'metrics.json'));
    if (text !== undefined) {
      texts[z.id] = text;
      try {
        metrics[z.id] = JSON.parse(text);
      } catch {
        /* a damaged metrics.json gives no measurements */
      }
    }
    const baked = fresh.find((f) => f.model === z.id);
    if (baked) latentKnn[z.id] = baked.metrics.latent.knnAccuracy;
    else {
      const e = await readText(join(dir, z.id, 'embeddings.json'));
      const knn = e === undefined ? undefined : (JSON.parse(e) as { count?: number; metrics?: { latent?: { knnAccuracy?: unknown } } });
      // only full-test-set bakes count (a --subset bake is not comparable)
      if (typeof knn?.metrics?.latent?.knnAccuracy === 'number' && knn.count === fresh[0]?.count) latentKnn[z.id] = knn.metrics.latent.knnAccuracy;
    }
  }
  return { metrics, latentKnn, texts };
}

/** Options the worker gets: the parsed flags with the models resolved. */
export type BakeWorkOptions = Omit<BakeOptions, 'models' | 'help'> & { models: string[] };

/** The bake itself (run in a worker thread by `main`; callable directly, e.g. in tests). */
export async function bakeWork(opts: BakeWorkOptions, gate: CommitGate): Promise<number> {
  const started = performance.now();
  const full = loadMnist().test;
  const test = opts.subset ? takeSubset(full, opts.subset) : full;
  const n = test.count;
  const labels = Array.from(test.labels);
  const pixels = toFloat(test);
  log(`MNIST test set: ${n} digits; models ${opts.models.join(', ')}`);

  const atlas = tileImages(test.images, n, IMAGE_SIDE, ATLAS_COLUMNS);
  const atlasPng = encodeGreyPng(atlas.pixels, atlas.width, atlas.height);

  await initBackend(opts.backend);
  const all: Maps[] = [];
  const pool = await TsnePool.create();
  try {
    for (const model of opts.models) {
      const entry = zooEntry(model);
      log(`${model}: encoding …`);
      const latent = await encodeZooModel(entry, opts.dir, pixels, labels, n);
      all.push(mapsOf(entry, latent, n, pool));
    }
  } finally {
    pool.close();
  }
  const files = embeddingsFiles(all, pixels, labels, n);

  const done = await gate.commit(async () => {
    const atlasPath = join(opts.dir, ATLAS_FILE);
    const oldAtlas = await readFile(atlasPath).catch(() => undefined);
    if (!oldAtlas || !Buffer.from(atlasPng).equals(oldAtlas)) {
      await writeFileAtomic(atlasPath, atlasPng);
      log(`wrote ${atlasPath} (${atlas.width} × ${atlas.height})`);
    }
    const zooPath = join(opts.dir, ZOO_FILE);
    if ((await readText(zooPath)) !== zooJson()) await writeFileAtomic(zooPath, zooJson());
    for (const file of files) {
      const path = join(opts.dir, file.model, 'embeddings.json');
      const old = await readText(path);
      let same = false;
      try {
        same = old !== undefined && withoutTimings(JSON.parse(old)) === withoutTimings(file);
      } catch {
        /* unreadable: rewrite */
      }
      if (same) log(`${path}: unchanged (only timings would differ), kept as it is`);
      else {
        await writeFileAtomic(path, `${JSON.stringify(file)}\n`);
        log(`wrote ${path}: ${JSON.stringify(file.metrics)}`);
      }
    }
    // read just now (not before the long computation), so a model retrained meanwhile keeps its new metrics
    const m = await measurements(opts.dir, files);
    for (const [id, list] of Object.entries(zooPredictions(m))) {
      if (m.texts[id] === undefined) continue;
      for (const p of list) log(`prediction ${p.holds ? 'holds' : 'DOES NOT HOLD'} (${id}): ${p.claim} ${JSON.stringify(p.measured)}`);
      const text = withPredictions(m.texts[id], list);
      if (text === m.texts[id]) continue;
      await writeFileAtomic(join(opts.dir, id, 'metrics.json'), text);
      log(`wrote the predictions into ${join(opts.dir, id, 'metrics.json')}`);
    }
    await writeManifest(opts.dir);
  });
  if (!done) return STOPPED_EXIT;
  log(`wrote ${join(opts.dir, 'manifest.json')}; bake took ${secondsSince(started)} s`);
  return 0;
}

export function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, parseBakeArgs, USAGE, async (opts) => {
    await checkOutputDir(opts.dir);
    const present = presentModels(opts.dir);
    const models = opts.models ?? present;
    if (models.length === 0) throw new Error(`no trained zoo model in ${opts.dir} (train one first: npm run train -- --zoo ID)`);
    const missing = models.filter((m) => !present.includes(m));
    if (missing.length) throw new Error(`no trained ${missing.join(', ')} in ${opts.dir} (no encoder/model.json; train first: npm run train -- --zoo ${missing[0]})`);
    const work: BakeWorkOptions = { models, dir: opts.dir, backend: opts.backend, subset: opts.subset };
    return runStoppable('bake', import.meta.url, 'bakeWork', work);
  });
}

/** Reads and validates a committed embeddings file (for tests and tools). */
export async function readEmbeddings(dir: string, model: string): Promise<EmbeddingsFile> {
  return validateEmbeddings(JSON.parse(await readFile(join(dir, model, 'embeddings.json'), 'utf8')), model);
}

/** Predictions of one model's metrics.json (empty when none), for tests and tools. */
export async function readPredictions(dir: string, model: string): Promise<Prediction[]> {
  const json = JSON.parse(await readFile(join(dir, model, 'metrics.json'), 'utf8')) as { predictions?: Prediction[] };
  return json.predictions ?? [];
}

if (import.meta.main) {
  // exit explicitly: a file-system call that never answers (e.g. on procfs) must not keep us alive
  process.exit(await main(process.argv.slice(2)));
}
