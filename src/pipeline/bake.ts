/**
 * `npm run bake` — from the committed models to the files the widgets read:
 *
 * - `pretrained/<model>/embeddings.json` for each model (ae, vae): the 10,000 MNIST test digits'
 *   labels, the model's own 2-D code (VAE: μ), and t-SNE, UMAP and PCA maps *of that code*, each
 *   with trustworthiness@10 and leave-one-out 10-NN accuracy (`src/embed/metrics.ts` says which
 *   space trustworthiness is measured against), plus the parameters and seconds of each method;
 * - `pretrained/mnist-test-atlas.png`: the test digits as 100 × 100 tiles of 28 × 28 (8-bit grey),
 *   digit i at column i % 100, row ⌊i / 100⌋;
 * - then `pretrained/manifest.json` again.
 *
 * Every file is written atomically (temporary sibling + rename). Usage:
 *
 *     npm run bake [-- --models ae,vae] [--dir pretrained] [--backend wasm|cpu]
 *
 * Exit codes: 0 done, 1 error, 2 bad flags.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type EmbeddingsFile, type MethodMetrics, validateEmbeddings } from '../embed/embeddings.ts';
import { knnAccuracy, trustworthinessMany } from '../embed/metrics.ts';
import { pca } from '../embed/pca.ts';
import { Tsne } from '../embed/tsne.ts';
import { umap } from '../embed/umap.ts';
import { IMAGE_SIZE, PIXELS, toFloat } from '../data/mnist.ts';
import { loadMnist } from '../data/mnist-node.ts';
import { writeFileAtomic } from './atomic.ts';
import { type BackendName, initBackend } from './backend.ts';
import { writeManifest } from './manifest.ts';
import { loadPretrained } from './model-io.ts';
import { encodeGreyPng, tileImages } from './png.ts';
import { readValueFlag, runCli, UsageError } from './usage.ts';

export { UsageError };

export const ATLAS_FILE = 'mnist-test-atlas.png';
export const ATLAS_COLUMNS = 100;
export const TSNE_PARAMS = { perplexity: 30, seed: 0, iterations: 1000, theta: 0.5 } as const;
export const UMAP_PARAMS = { nNeighbors: 15, minDist: 0.1, seed: 0 } as const;
export const METRIC_K = 10;

export const USAGE = `Usage: npm run bake [-- options]

Encodes the 10,000 MNIST test digits with each committed model, computes t-SNE, UMAP and PCA
maps of the latent codes with quality metrics, and writes pretrained/<model>/embeddings.json,
pretrained/${ATLAS_FILE} and pretrained/manifest.json (atomically).

  --models LIST       comma-separated models to bake (default: ae,vae)
  --dir DIR           the pretrained folder (default: pretrained)
  --backend wasm|cpu  TF.js backend for encoding (default: wasm)
  -h, --help          this text

Exit codes: 0 done, 1 error, 2 bad flags.`;

export interface BakeOptions {
  models: string[];
  dir: string;
  backend: BackendName;
  help: boolean;
}

export function parseBakeArgs(argv: readonly string[]): BakeOptions {
  const o: BakeOptions = { models: ['ae', 'vae'], dir: 'pretrained', backend: 'wasm', help: false };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      o.help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const { name, value, last } = readValueFlag(argv, i, (n) => ['models', 'dir', 'backend'].includes(n));
    i = last;
    if (seen.has(name)) throw new UsageError(`--${name} given twice`);
    seen.add(name);
    if (name === 'models') {
      const list = value.split(',').map((s) => s.trim());
      for (const m of list) if (m !== 'ae' && m !== 'vae') throw new UsageError(`--models: unknown model "${m}" (ae, vae)`);
      if (list.length === 0 || new Set(list).size !== list.length) throw new UsageError('--models must list distinct models');
      o.models = list;
    } else if (name === 'dir') {
      if (value.trim() === '') throw new UsageError('--dir must not be empty');
      o.dir = value;
    } else {
      if (value !== 'wasm' && value !== 'cpu') throw new UsageError(`--backend must be "wasm" or "cpu", got "${value}"`);
      o.backend = value;
    }
  }
  return o;
}

/**
 * Rounds a 2-D point set to 4 significant digits of its extent: decimals = 4 − ⌊log10(max |v|)⌋
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

/** Encodes `pixels` (n × 784 in [0, 1]) with a saved encoder; VAE: the `mu` output. Returns n × 2. */
export function encodeLatent(encoder: { predict(x: tf.Tensor): tf.Tensor | tf.Tensor[]; outputNames: string[] }, pixels: Float32Array, n: number): Float64Array {
  const out = new Float64Array(2 * n);
  const batch = 1000;
  for (let s = 0; s < n; s += batch) {
    const m = Math.min(batch, n - s);
    const z = tf.tidy(() => {
      const x = tf.tensor2d(pixels.subarray(s * PIXELS, (s + m) * PIXELS), [m, PIXELS]);
      const y = encoder.predict(x);
      let t: tf.Tensor;
      if (Array.isArray(y)) {
        const at = encoder.outputNames.findIndex((name) => name === 'mu' || name.startsWith('mu/'));
        if (at < 0) throw new Error(`the encoder has outputs ${encoder.outputNames.join(', ')} but none named "mu"`);
        t = y[at]!;
      } else t = y;
      if (t.shape.length !== 2 || t.shape[1] !== 2) throw new Error(`expected a 2-D latent code, the encoder gives shape [${t.shape.join(', ')}]`);
      return t.dataSync();
    });
    for (let t = 0; t < 2 * m; t++) out[2 * s + t] = z[t]!;
  }
  return out;
}

interface Maps {
  model: string;
  latent: number[];
  tsne: number[];
  umap: number[];
  pca: number[];
  params: EmbeddingsFile['params'];
}

const log = (s: string): void => {
  process.stderr.write(`${s}\n`);
};

/** The latent code and its three maps for one model (rounded as they will be written). */
function mapsOf(model: string, latentRaw: Float64Array, n: number): Maps {
  const latent = roundPoints(latentRaw);
  const input = Float64Array.from(latent);
  let t0 = performance.now();
  let lastLine = 0;
  const run = new Tsne(input, 2, {
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
  const um = umap(input, 2, { ...UMAP_PARAMS });
  const umapSeconds = secondsSince(t0);
  log(`  ${model} UMAP done in ${umapSeconds} s`);
  t0 = performance.now();
  const pc = pca(input, 2, 2);
  const pcaSeconds = secondsSince(t0);
  const total = pc.variance[0]! + pc.variance[1]!;
  return {
    model,
    latent,
    tsne: roundPoints(ts.embedding),
    umap: roundPoints(um.embedding),
    pca: roundPoints(pc.projection),
    params: {
      input: `the ${n} test digits' 2-D latent codes (${model === 'vae' ? 'μ' : 'z'}), as rounded in "latent"`,
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

export function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, parseBakeArgs, USAGE, async (opts) => {
    const started = performance.now();
    const { test } = loadMnist();
    const n = test.count;
    const labels = Array.from(test.labels);
    const pixels = toFloat(test);
    log(`MNIST test set: ${n} digits`);

    const atlas = tileImages(test.images, n, IMAGE_SIZE, ATLAS_COLUMNS);
    await writeFileAtomic(join(opts.dir, ATLAS_FILE), encodeGreyPng(atlas.pixels, atlas.width, atlas.height));
    log(`wrote ${join(opts.dir, ATLAS_FILE)} (${atlas.width} × ${atlas.height})`);

    await initBackend(opts.backend);
    const all: Maps[] = [];
    for (const model of opts.models) {
      log(`${model}: encoding …`);
      const { encoder, decoder } = await loadPretrained(model as 'ae' | 'vae', opts.dir);
      const latent = encodeLatent(encoder, pixels, n);
      encoder.dispose();
      decoder.dispose();
      all.push(mapsOf(model, latent, n));
    }

    log(`metrics: trustworthiness@${METRIC_K} against the 784-D pixels (${all.length * 4} maps) …`);
    const t0 = performance.now();
    const maps = all.flatMap((m) => [m.latent, m.tsne, m.umap, m.pca]);
    const trustPixels = trustworthinessMany(pixels, PIXELS, maps, 2, METRIC_K);
    log(`  done in ${secondsSince(t0)} s`);
    for (const [e, m] of all.entries()) {
      const latentIn = Float64Array.from(m.latent);
      const trustLatent = trustworthinessMany(latentIn, 2, [m.tsne, m.umap, m.pca], 2, METRIC_K);
      const metric = (pts: number[], e4: number, tl?: number): MethodMetrics => ({
        trustworthiness: round4(trustPixels[e4]!),
        knnAccuracy: round4(knnAccuracy(pts, 2, labels, METRIC_K)),
        ...(tl !== undefined ? { trustworthinessLatent: round4(tl) } : {}),
      });
      const file: EmbeddingsFile = {
        model: m.model,
        count: n,
        labels,
        latent: m.latent,
        tsne: m.tsne,
        umap: m.umap,
        pca: m.pca,
        metrics: {
          latent: metric(m.latent, 4 * e),
          tsne: metric(m.tsne, 4 * e + 1, trustLatent[0]),
          umap: metric(m.umap, 4 * e + 2, trustLatent[1]),
          pca: metric(m.pca, 4 * e + 3, trustLatent[2]),
        },
        params: {
          ...m.params,
          metrics: {
            k: METRIC_K,
            trustworthiness: 'against the 784-D test pixels (byte / 255), Euclidean',
            trustworthinessLatent: "against the model's 2-D latent code",
            knnAccuracy: 'leave-one-out 10-NN majority vote in the 2-D points',
          },
          createdAt: new Date().toISOString(),
        },
      };
      validateEmbeddings(file, m.model);
      const path = join(opts.dir, m.model, 'embeddings.json');
      await writeFileAtomic(path, `${JSON.stringify(file)}\n`);
      log(`wrote ${path}: ${JSON.stringify(file.metrics)}`);
    }
    await writeManifest(opts.dir);
    log(`wrote ${join(opts.dir, 'manifest.json')}; bake took ${secondsSince(started)} s`);
    return 0;
  });
}

/** Reads and validates a committed embeddings file (for tests and tools). */
export async function readEmbeddings(dir: string, model: string): Promise<EmbeddingsFile> {
  return validateEmbeddings(JSON.parse(await readFile(join(dir, model, 'embeddings.json'), 'utf8')), model);
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
