import { existsSync, readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateEmbeddings } from '../embed/embeddings.ts';
import { loadMnist } from '../data/mnist-node.ts';
import { takeSubset, toFloat } from '../data/mnist.ts';
import { initBackend } from './backend.ts';
import { loadPretrained } from './model-io.ts';
import { ATLAS_FILE, encodeLatent, parseBakeArgs, readEmbeddings, roundPoints, UsageError } from './bake.ts';

const ROOT = join(import.meta.dirname, '..', '..', 'pretrained');
const MODELS = ['ae', 'vae'] as const;

describe('bake: flags and rounding', () => {
  it('parses flags', () => {
    expect(parseBakeArgs([])).toEqual({ models: ['ae', 'vae'], dir: 'pretrained', backend: 'wasm', help: false });
    expect(parseBakeArgs(['--models', 'vae', '--dir=x', '--backend', 'cpu'])).toEqual({ models: ['vae'], dir: 'x', backend: 'cpu', help: false });
    expect(() => parseBakeArgs(['--models', 'gan'])).toThrow(UsageError);
    expect(() => parseBakeArgs(['--models', 'ae,ae'])).toThrow(/distinct/);
    expect(() => parseBakeArgs(['--fast'])).toThrow(/unknown flag --fast/);
  });

  it('rounds to 4 significant digits of the largest magnitude', () => {
    expect(roundPoints([12.34567, -0.000449, 99.99])).toEqual([12.346, 0, 99.99]);
    expect(roundPoints([1.234567, -0.5])).toEqual([1.2346, -0.5]);
    expect(roundPoints([0.0123456])).toEqual([0.012346]);
    expect(Object.is(roundPoints([-0.00001, 1])[0], 0)).toBe(true);
  });
});

describe('embeddings.json validator', () => {
  const good = () => ({
    model: 'ae',
    count: 2,
    labels: [1, 7],
    latent: [0, 1, 2, 3],
    tsne: [0, 1, 2, 3],
    umap: [0, 1, 2, 3],
    pca: [0, 1, 2, 3],
    metrics: Object.fromEntries(['latent', 'tsne', 'umap', 'pca'].map((m) => [m, { trustworthiness: 0.9, knnAccuracy: 0.5 }])),
    params: { tsne: { seconds: 1 }, umap: { seconds: 1 }, pca: { seconds: 0 } },
  });
  it('accepts a well-formed file and names the first problem otherwise', () => {
    expect(() => validateEmbeddings(good(), 'ae')).not.toThrow();
    expect(() => validateEmbeddings({ ...good(), tsne: [0, 1, 2] })).toThrow(/"tsne" must be a flat array of 4 numbers/);
    expect(() => validateEmbeddings({ ...good(), labels: [1, 10] })).toThrow(/labels\[1\] is not a digit/);
    expect(() => validateEmbeddings({ ...good(), metrics: { ...good().metrics, pca: { trustworthiness: 2, knnAccuracy: 0.5 } } })).toThrow(/metrics.pca.trustworthiness/);
    expect(() => validateEmbeddings(good(), 'vae')).toThrow(/expected "vae"/);
    expect(() => validateEmbeddings({ ...good(), params: { tsne: {}, umap: { seconds: 1 }, pca: { seconds: 1 } } })).toThrow(/params.tsne.seconds/);
  });
});

describe('committed bake outputs (pretrained/)', () => {
  const test = loadMnist().test;
  const present = MODELS.filter((m) => existsSync(join(ROOT, m, 'encoder', 'model.json')));

  it('every committed model has its embeddings', () => {
    expect(present.length).toBeGreaterThan(0);
    for (const m of present) expect(existsSync(join(ROOT, m, 'embeddings.json')), `${m}/embeddings.json`).toBe(true);
  });

  it.each(present)('%s/embeddings.json follows the contract and matches the test set and the committed encoder', async (m) => {
    const e = await readEmbeddings(ROOT, m);
    expect(e.count).toBe(10_000);
    expect(e.labels).toEqual(Array.from(test.labels));
    for (const method of ['latent', 'tsne', 'umap', 'pca'] as const) {
      expect(e.metrics[method].trustworthiness).toBeGreaterThan(0.5);
      expect(e.metrics[method].knnAccuracy).toBeGreaterThan(0.3);
    }
    // The latent codes are the committed encoder's (VAE: μ) for the first 300 digits, as rounded.
    await initBackend('cpu');
    const { encoder, decoder } = await loadPretrained(m, ROOT);
    const n = 300;
    const z = encodeLatent(encoder, toFloat(takeSubset(test, n)), n);
    encoder.dispose();
    decoder.dispose();
    let big = 0;
    for (const v of e.latent) big = Math.max(big, Math.abs(v));
    const tol = 10 ** -Math.max(0, 4 - Math.floor(Math.log10(big))) * 0.51 + 1e-5 * big;
    for (let t = 0; t < 2 * n; t++) expect(Math.abs(e.latent[t]! - z[t]!)).toBeLessThanOrEqual(tol);
  });

  it('the atlas is 2800 × 2800 8-bit grey with digit i at column i % 100, row ⌊i / 100⌋', () => {
    const png = readFileSync(join(ROOT, ATLAS_FILE));
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect(view.getUint32(16)).toBe(2800);
    expect(view.getUint32(20)).toBe(2800);
    expect([png[24], png[25]]).toEqual([8, 0]);
    // Decode (all filters) and compare a few tiles with the IDX bytes.
    const chunks: Uint8Array[] = [];
    for (let at = 8; at < png.length; ) {
      const len = view.getUint32(at);
      if (String.fromCharCode(...png.subarray(at + 4, at + 8)) === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + len));
      at += 12 + len;
    }
    const raw = inflateSync(Buffer.concat(chunks));
    const w = 2800;
    const px = new Uint8Array(w * w);
    for (let r = 0; r < w; r++) {
      const f = raw[r * (w + 1)]!;
      for (let x = 0; x < w; x++) {
        const a = x > 0 ? px[r * w + x - 1]! : 0;
        const b = r > 0 ? px[(r - 1) * w + x]! : 0;
        const c = x > 0 && r > 0 ? px[(r - 1) * w + x - 1]! : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f]!;
        px[r * w + x] = (raw[r * (w + 1) + 1 + x]! + pred) & 255;
      }
    }
    for (const i of [0, 1, 99, 100, 4321, 9999]) {
      const ox = (i % 100) * 28;
      const oy = Math.floor(i / 100) * 28;
      for (let y = 0; y < 28; y++) {
        expect(Array.from(px.subarray((oy + y) * w + ox, (oy + y) * w + ox + 28))).toEqual(Array.from(test.images.subarray(i * 784 + y * 28, i * 784 + y * 28 + 28)));
      }
    }
  });

  it('embeddings are valid JSON objects per the shared validator (raw read)', () => {
    for (const m of present) expect(() => validateEmbeddings(JSON.parse(readFileSync(join(ROOT, m, 'embeddings.json'), 'utf8')), m)).not.toThrow();
  });
});
