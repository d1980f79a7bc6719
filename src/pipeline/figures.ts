/**
 * `npm run bake:figures` — static pictures of the live figures, for readers without JavaScript
 * (and for the moment before a widget is ready). From the committed models and embeddings:
 *
 * - `figures/latent-<model>-<method>.png`: the 10,000 test digits in each 2-D view (raw latent,
 *   t-SNE, UMAP, PCA) of each model, coloured by digit with the site's palette, on a transparent
 *   background (8-bit indexed colour);
 * - `figures/explorer-grid-<model>.png`: the explorer's 20 × 20 decoded manifold, over the range
 *   the explorer uses (`explorerRange` of the test codes);
 * - `figures/reconstruction.png`: the first test digit of each class 0–9 (columns), and below it
 *   its AE and VAE reconstructions (rows: input, AE, VAE);
 * - `figures/interpolation-<model>.png`: the 10-step straight path from the test set's first 3 to
 *   its first 8, decoded (the interpolation widget's default strip);
 * - `figures/figures.json`: for each picture its file, pixel size and alt text (read at build time
 *   by `src/components/StaticFigure.astro`), and the SHA-256 of the model files and embeddings it
 *   was made from (`figures.test.ts` fails when they no longer match: rerun this command);
 *
 * then `pretrained/manifest.json` again. Greyscale pictures are MNIST-style, white ink on black.
 * Decoding uses the committed TF.js models through the pipeline's loader (`model-io.ts`), with the
 * widgets' own geometry (`src/lib/digits.ts`, `src/contracts/figures.ts`). The folder is replaced
 * atomically, after every picture is rendered in memory. The work runs in a worker thread
 * (`stoppable.ts`): the first SIGINT/SIGTERM stops it at once, exit 130, nothing written. Usage:
 *
 *     npm run bake:figures [-- --dir pretrained] [--backend wasm|cpu]
 *
 * Exit codes: 0 done, 1 error, 2 bad flags, 130 stopped.
 */
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadMnist } from '../data/mnist-node.ts';
import { PIXELS, toFloat } from '../data/mnist.ts';
import { GRID_N, STRIP_STEPS, defaultPair, explorerRange } from '../contracts/figures.ts';
import { gridPoints, pathPoints, type LatentRange } from '../lib/digits.ts';
import { imageBce } from '../lib/loss.ts';
import { DIGIT_COLORS, DIGIT_COLOR_NAMES } from '../lib/viz/palette.ts';
import { formatCoord, formatNats } from '../lib/viz/format.ts';
import { replaceDirAtomic } from './atomic.ts';
import { type BackendName, initBackend } from './backend.ts';
import { encodeLatent, readEmbeddings } from './bake.ts';
import { computeManifest, writeManifest } from './manifest.ts';
import { loadPretrained } from './model-io.ts';
import { concatBytes, encodeGreyPng, pngChunk, tileImages } from './png.ts';
import { checkOutputDir, type CommitGate, runStoppable, STOPPED_EXIT } from './stoppable.ts';
import { parseFlags, runCli, UsageError } from './usage.ts';
import { tidyValues } from '../models/tensor-values.ts';

export { UsageError };

export const FIGURES_DIR = 'figures';
export const FIGURES_INDEX = 'figures.json';
/** Side of the latent-map pictures, pixels. */
export const MAP_SIZE = 480;
export const METHODS = ['latent', 'tsne', 'umap', 'pca'] as const;
export type Method = (typeof METHODS)[number];
const METHOD_NAMES: Record<Method, string> = { latent: 'raw 2-D latent code', tsne: 't-SNE', umap: 'UMAP', pca: 'PCA' };
const MODEL_NAMES = { ae: 'autoencoder (AE)', vae: 'variational autoencoder (VAE)' } as const;
type Kind = keyof typeof MODEL_NAMES;

/** One entry of `figures/figures.json`. */
export interface FigureEntry {
  file: string;
  width: number;
  height: number;
  alt: string;
}

/** `figures/figures.json`. */
export interface FiguresIndex {
  version: 1;
  /** SHA-256 of every input (model files and embeddings, paths relative to pretrained/), to tell stale pictures. */
  sources: Record<string, string>;
  figures: Record<string, FigureEntry>;
}

/** The inputs the pictures are made from: both models' files and embeddings. */
export function isFigureSource(path: string): boolean {
  return /^(ae|vae)\/(encoder\/|decoder\/|embeddings\.json$)/.test(path);
}

export const USAGE = `Usage: npm run bake:figures [-- options]

Renders static PNG pictures of the site's live figures from the committed models and embeddings
into pretrained/${FIGURES_DIR}/ (with ${FIGURES_INDEX}: sizes and alt texts), then rewrites
pretrained/manifest.json.

  --dir DIR           the pretrained folder (default: pretrained)
  --backend wasm|cpu  TF.js backend for decoding (default: wasm)
  -h, --help          this text

The first Ctrl-C (SIGINT) or SIGTERM stops at once and writes nothing.
Exit codes: 0 done, 1 error, 2 bad flags, 130 stopped.`;

export interface FiguresOptions {
  dir: string;
  backend: BackendName;
  help: boolean;
}

export function parseFiguresArgs(argv: readonly string[]): FiguresOptions {
  const unknown = (arg: string) => `unknown argument "${arg}"`;
  const flags = parseFlags(argv, { values: ['dir', 'backend'], repeats: 'last', emptyIsMissing: true, unexpected: unknown, unknown });
  const o: FiguresOptions = { dir: flags.values.get('dir') ?? 'pretrained', backend: 'wasm', help: flags.help };
  const backend = flags.values.get('backend');
  if (backend === 'wasm' || backend === 'cpu') o.backend = backend;
  else if (backend !== undefined) throw new UsageError(`--backend must be "wasm" or "cpu", got "${backend}"`);
  return o;
}

/** Probabilities in [0, 1] → bytes 0–255 (as the widgets paint them: ink = p · 255). */
export function toBytes(probs: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(probs.length);
  for (let i = 0; i < probs.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(probs[i]! * 255)));
  return out;
}

/**
 * An 8-bit indexed-colour PNG: the bytes are palette indices, so the greyscale encoder of
 * `png.ts` (filters + deflate) does the work; this turns its output into colour type 3 with a
 * PLTE chunk (`palette`: `#rrggbb` strings) and a tRNS chunk (`alpha` per palette entry).
 */
export function encodeIndexedPng(indices: Uint8Array, width: number, height: number, palette: readonly string[], alpha: readonly number[]): Uint8Array {
  if (palette.length === 0 || palette.length > 256) throw new RangeError('a PNG palette has 1 to 256 entries');
  for (const v of indices) if (v >= palette.length) throw new RangeError(`palette index ${v} out of range`);
  const grey = encodeGreyPng(indices, width, height);
  // Signature (8) + IHDR chunk (12 + 13) come first; everything after stays as written.
  const ihdrData = grey.slice(16, 29);
  ihdrData[9] = 3; // colour type: indexed
  const plte = new Uint8Array(3 * palette.length);
  palette.forEach((hex, i) => {
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
    if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
    plte.set([parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)], 3 * i);
  });
  return concatBytes([grey.subarray(0, 8), pngChunk('IHDR', ihdrData), pngChunk('PLTE', plte), pngChunk('tRNS', Uint8Array.from(alpha.slice(0, palette.length))), grey.subarray(33)]);
}

/**
 * A scatter of flat 2-D `points` coloured by `labels`, `size × size` pixels, as palette indices
 * (0 = transparent background, 1 + digit = that digit's colour). The view is the square range the
 * explorer uses (central 99 % of the points, padded), y up; points are drawn as 2 × 2 squares in a
 * fixed shuffled order, so no digit is always on top.
 */
export function scatterIndices(points: ArrayLike<number>, labels: ArrayLike<number>, size: number): Uint8Array {
  const range: LatentRange = explorerRange(points);
  const out = new Uint8Array(size * size);
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i);
  let seed = 12345;
  for (let i = n - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (const i of order) {
    const x = Math.floor(((points[2 * i]! - range.xMin) / (range.xMax - range.xMin)) * size);
    const y = Math.floor(((range.yMax - points[2 * i + 1]!) / (range.yMax - range.yMin)) * size);
    for (let dy = 0; dy < 2; dy++) {
      for (let dx = 0; dx < 2; dx++) {
        const px = x + dx;
        const py = y + dy;
        if (px >= 0 && px < size && py >= 0 && py < size) out[py * size + px] = 1 + labels[i]!;
      }
    }
  }
  return out;
}

/** Decodes flat 2-D points with a decoder model; returns n × 784 probabilities. */
function decode(decoder: tfl.LayersModel, points: Float32Array): Float32Array {
  const n = points.length / 2;
  return tidyValues(() => decoder.predict(tf.tensor2d(points, [n, 2])) as tf.Tensor);
}

// Straight to fd 2: this code runs in the stoppable worker, whose process.stderr only reaches the
// terminal when the worker's event loop is free, i.e. after a long t-SNE or UMAP has finished.
const log = (s: string): void => {
  writeSync(2, `${s}\n`);
};

/** Renders every picture into `out` (file name → PNG bytes; nothing is written) and returns the index. */
async function render(dir: string, out: Map<string, Uint8Array>): Promise<FiguresIndex> {
  const figures: Record<string, FigureEntry> = {};
  const put = async (name: string, png: Uint8Array, width: number, height: number, alt: string) => {
    out.set(`${name}.png`, png);
    figures[name] = { file: `${FIGURES_DIR}/${name}.png`, width, height, alt };
    log(`  ${name}.png ${width} × ${height} (${png.length} bytes)`);
  };

  const { test } = loadMnist();
  const pixels = toFloat(test);
  const labels = test.labels;
  const legend = DIGIT_COLOR_NAMES.map((c, d) => `${d} ${c}`).join(', ');
  const palette = ['#000000', ...DIGIT_COLORS];
  const alpha = [0, ...DIGIT_COLORS.map(() => 255)];

  // Sample digits: the first test digit of each class, in class order.
  const samples = Array.from({ length: 10 }, (_, d) => Array.prototype.indexOf.call(labels, d) as number);
  if (samples.some((i) => i < 0)) throw new Error('the test set lacks a digit class');
  const sampleX = new Float32Array(10 * PIXELS);
  samples.forEach((i, k) => sampleX.set(pixels.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS));
  const recon: Record<Kind, { probs: Float32Array; bce: number[] }> = {} as never;

  for (const kind of ['ae', 'vae'] as const) {
    const { encoder, decoder } = await loadPretrained(kind, dir);
    try {
      const emb = await readEmbeddings(dir, kind);
      const title = MODEL_NAMES[kind];
      for (const method of METHODS) {
        const idx = scatterIndices(emb[method], emb.labels, MAP_SIZE);
        await put(
          `latent-${kind}-${method}`,
          encodeIndexedPng(idx, MAP_SIZE, MAP_SIZE, palette, alpha),
          MAP_SIZE,
          MAP_SIZE,
          `The 10,000 MNIST test digits in the ${title}'s ${METHOD_NAMES[method]} view, one dot per digit, coloured by its true label (${legend}).`,
        );
      }

      const range = explorerRange(emb.latent);
      const grid = decode(decoder, gridPoints(GRID_N, range));
      const sheet = tileImages(toBytes(grid), GRID_N * GRID_N, 28, GRID_N);
      const f = formatCoord;
      await put(
        `explorer-grid-${kind}`,
        encodeGreyPng(sheet.pixels, sheet.width, sheet.height),
        sheet.width,
        sheet.height,
        `${GRID_N} × ${GRID_N} grid of digits decoded by the ${title} from evenly spaced points of its latent plane, z₁ from ${f(range.xMin)} to ${f(range.xMax)} (left to right) and z₂ from ${f(range.yMax)} to ${f(range.yMin)} (top to bottom).`,
      );

      // Reconstructions of the ten sample digits (the VAE decodes its mean μ, as the widget does).
      const z = encodeLatent(encoder, sampleX, 10);
      const probs = decode(decoder, Float32Array.from(z));
      recon[kind] = { probs, bce: samples.map((_, k) => imageBce(sampleX.subarray(k * PIXELS, (k + 1) * PIXELS), probs.subarray(k * PIXELS, (k + 1) * PIXELS))) };

      // The interpolation widget's default strip: first 3 → first 8 of the test set.
      const [a, b] = defaultPair(emb.labels);
      const pair = new Float32Array(2 * PIXELS);
      pair.set(pixels.subarray(a * PIXELS, (a + 1) * PIXELS));
      pair.set(pixels.subarray(b * PIXELS, (b + 1) * PIXELS), PIXELS);
      const ends = encodeLatent(encoder, pair, 2);
      const path = pathPoints([ends[0]!, ends[1]!], [ends[2]!, ends[3]!], STRIP_STEPS);
      const strip = tileImages(toBytes(decode(decoder, path)), STRIP_STEPS, 28, STRIP_STEPS);
      await put(
        `interpolation-${kind}`,
        encodeGreyPng(strip.pixels, strip.width, strip.height),
        strip.width,
        strip.height,
        `${STRIP_STEPS} evenly spaced steps on the straight line between the ${title}'s codes of test digit #${a} (a ${emb.labels[a]}) and test digit #${b} (a ${emb.labels[b]}), each decoded, left to right.`,
      );
    } finally {
      encoder.dispose();
      decoder.dispose();
    }
  }

  const rows = new Uint8Array(30 * PIXELS);
  rows.set(toBytes(sampleX), 0);
  rows.set(toBytes(recon.ae.probs), 10 * PIXELS);
  rows.set(toBytes(recon.vae.probs), 20 * PIXELS);
  const sheet = tileImages(rows, 30, 28, 10);
  const bces = samples.map((i, d) => `#${i} (a ${d}): AE ${formatNats(recon.ae.bce[d]!)}, VAE ${formatNats(recon.vae.bce[d]!)}`).join('; ');
  await put(
    'reconstruction',
    encodeGreyPng(sheet.pixels, sheet.width, sheet.height),
    sheet.width,
    sheet.height,
    `The first test digit of each class 0 to 9 (top row), its reconstruction by the autoencoder (middle row) and by the variational autoencoder (bottom row). Binary cross-entropy per digit — ${bces}.`,
  );

  const sources = Object.fromEntries(
    Object.entries((await computeManifest(dir)).files)
      .filter(([path]) => isFigureSource(path))
      .map(([path, entry]) => [path, entry.sha256]),
  );
  return { version: 1, sources, figures };
}

/** Options the worker gets. */
export type FiguresWorkOptions = Omit<FiguresOptions, 'help'>;

/** Renders the pictures, then (commit) replaces the folder and rewrites the manifest; in a worker thread via `main`. */
export async function figuresWork(opts: FiguresWorkOptions, gate: CommitGate): Promise<number> {
  const t0 = performance.now();
  await initBackend(opts.backend);
  const { writeFile } = await import('node:fs/promises');
  log(`rendering static figures for ${join(opts.dir, FIGURES_DIR)} …`);
  const files = new Map<string, Uint8Array>();
  const index = await render(opts.dir, files);
  const done = await gate.commit(async () => {
    await replaceDirAtomic(join(opts.dir, FIGURES_DIR), async (tmp) => {
      for (const [name, bytes] of files) await writeFile(join(tmp, name), bytes);
      await writeFile(join(tmp, FIGURES_INDEX), `${JSON.stringify(index, null, 2)}\n`);
    });
    await writeManifest(opts.dir);
  });
  if (!done) return STOPPED_EXIT;
  log(`wrote ${join(opts.dir, FIGURES_DIR)} and ${join(opts.dir, 'manifest.json')}; figures took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
}

/**
 * The CLI: checks the folder (a clear error within a second when it cannot be written), then runs
 * `figuresWork` in a worker thread; the first SIGINT/SIGTERM stops at once (exit 130, nothing written).
 */
export function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, parseFiguresArgs, USAGE, async (opts) => {
    await checkOutputDir(opts.dir);
    const work: FiguresWorkOptions = { dir: opts.dir, backend: opts.backend };
    return runStoppable('figures', import.meta.url, 'figuresWork', work);
  });
}

if (import.meta.main) {
  // exit explicitly: a file-system call that never answers (e.g. on procfs) must not keep us alive
  process.exit(await main(process.argv.slice(2)));
}
