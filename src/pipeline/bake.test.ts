import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inflateSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateEmbeddings } from '../embed/embeddings.ts';
import { loadMnist } from '../data/mnist-node.ts';
import { takeSubset, toFloat } from '../data/mnist.ts';
import { architecture, initParams } from '../models/architecture.ts';
import { Rng } from '../models/random.ts';
import { zooEntry } from '../models/zoo.ts';
import { initBackend } from './backend.ts';
import { writeModels } from './model-io.ts';
import { commitGate } from './stoppable.ts';
import {
  ATLAS_FILE,
  bakeWork,
  encodeZooModel,
  parseBakeArgs,
  presentModels,
  readEmbeddings,
  roundPoints,
  UsageError,
  withOneHot,
  withoutTimings,
} from './bake.ts';

const ROOT = join(import.meta.dirname, '..', '..', 'pretrained');
const tmp = mkdtempSync(join(tmpdir(), 'bake-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bake: flags and rounding', () => {
  it('parses flags', () => {
    expect(parseBakeArgs([])).toEqual({ models: null, dir: 'pretrained', backend: 'wasm', subset: null, help: false });
    expect(parseBakeArgs(['--models', 'vae', '--dir=x', '--backend', 'cpu'])).toEqual({ models: ['vae'], dir: 'x', backend: 'cpu', subset: null, help: false });
    expect(parseBakeArgs(['--models', 'cvae,ae-10,beta-0.25,attn', '--subset', '500']).models).toEqual(['cvae', 'ae-10', 'beta-0.25', 'attn']);
    expect(parseBakeArgs(['--subset', '500']).subset).toBe(500);
    expect(() => parseBakeArgs(['--models', 'gan'])).toThrow(/unknown model "gan" \(known: ae, vae, ae-10/);
    expect(() => parseBakeArgs(['--models', 'ae,'])).toThrow(UsageError);
    expect(() => parseBakeArgs(['--subset', '10'])).toThrow(/--subset/);
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

  it('accepts d-D codes with "latentDim" (the maps stay 2-D) and checks their length', () => {
    const d3 = { ...good(), latentDim: 3, latent: [0, 1, 2, 3, 4, 5] };
    expect(validateEmbeddings(d3, 'ae').latentDim).toBe(3);
    expect(() => validateEmbeddings({ ...d3, latent: [0, 1, 2, 3] })).toThrow(/"latent" must be a flat array of 6 numbers \(3 per digit\)/);
    expect(() => validateEmbeddings({ ...d3, tsne: [0, 1, 2, 3, 4, 5] })).toThrow(/"tsne" must be a flat array of 4 numbers/);
    expect(() => validateEmbeddings({ ...d3, latentDim: 0 })).toThrow(/latentDim/);
    expect(() => validateEmbeddings({ ...d3, latentDim: 2.5 })).toThrow(/latentDim/);
  });
});

describe('encoding', () => {
  it('appends the one-hot label to each image for the conditional encoder', () => {
    const px = Float32Array.from({ length: 2 * 784 }, (_, i) => (i % 784) / 784);
    const x = withOneHot(px, [3, 9], 2);
    expect(x.length).toBe(2 * 794);
    expect(Array.from(x.subarray(0, 784))).toEqual(Array.from(px.subarray(0, 784)));
    expect(Array.from(x.subarray(784, 794))).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(x.subarray(794 + 784, 2 * 794))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('encoding zoo models from their files', () => {
  const test = takeSubset(loadMnist().test, 30);
  const pixels = toFloat(test);

  it('cvae: μ of the encoder fed [pixels, one-hot label]; the label changes the code', async () => {
    await initBackend('cpu');
    const dir = join(tmp, 'enc-cvae');
    const arch = architecture('cvae', 2);
    expect(arch.encoder[0]!.inputs).toBe(794);
    const params = initParams(arch, new Rng(3));
    await writeModels(join(dir, 'cvae'), arch, params);
    const z = await encodeZooModel(zooEntry('cvae'), dir, pixels, test.labels, 30);
    // by hand: h = relu(x W1 + b1), mu = h Wmu + bmu with x = [pixels, one-hot]
    const x = withOneHot(pixels, test.labels, 30);
    const [w1, b1, wm, bm] = ['enc_hidden/kernel', 'enc_hidden/bias', 'mu/kernel', 'mu/bias'].map((k) => params[k]!);
    for (const i of [0, 17, 29]) {
      const h = Array.from({ length: 128 }, (_, u) => {
        let s = b1![u]!;
        for (let t = 0; t < 794; t++) s += x[i * 794 + t]! * w1![t * 128 + u]!;
        return Math.max(0, s);
      });
      for (let j = 0; j < 2; j++) {
        let s = bm![j]!;
        for (let u = 0; u < 128; u++) s += h[u]! * wm![u * 2 + j]!;
        expect(z[2 * i + j]!).toBeCloseTo(s, 4);
      }
    }
    const other = await encodeZooModel(zooEntry('cvae'), dir, pixels, Array.from(test.labels, (l) => (l + 1) % 10), 30);
    expect(Array.from(other)).not.toEqual(Array.from(z));
  });

  it('attn: μ of the attention encoder read from its latent-atlas-attn model.json', async () => {
    await initBackend('cpu');
    const { attnConfig, attnEncoder, attnModelJsonText, attnWeightBytes, initAttnParams } = await import('../models/attn.ts');
    const c = attnConfig(2);
    const params = initAttnParams(c, new Rng(5));
    const enc = join(tmp, 'enc-attn', 'attn', 'encoder');
    mkdirSync(enc, { recursive: true });
    writeFileSync(join(enc, 'model.json'), attnModelJsonText(c));
    writeFileSync(join(enc, 'group1-shard1of1.bin'), attnWeightBytes(c, params));
    const z = await encodeZooModel(zooEntry('attn'), join(tmp, 'enc-attn'), pixels, test.labels, 30);
    const ref = attnEncoder(c, params);
    const mu = ref.encode(pixels).mu;
    ref.dispose();
    expect(z.length).toBe(60);
    for (let t = 0; t < 60; t++) expect(z[t]!).toBeCloseTo(mu[t]!, 6);
  });
});

describe('bake on a subset (in a temporary folder)', () => {
  const N = 200;
  /** A folder with copies of the committed ae and vae, and an untrained 10-D AE as `ae-10`. */
  async function folder(name: string): Promise<string> {
    const dir = join(tmp, name);
    for (const m of ['ae', 'vae']) cpSync(join(ROOT, m), join(dir, m), { recursive: true, filter: (src) => !src.endsWith('embeddings.json') });
    const arch = architecture('ae', 10);
    await writeModels(join(dir, 'ae-10'), arch, initParams(arch, new Rng(7)));
    return dir;
  }
  const bake = (dir: string) => bakeWork({ models: presentModels(dir), dir, backend: 'cpu', subset: N }, commitGate());

  it('writes the d-D schema, is deterministic (same bytes but for timings), and a re-bake keeps the files byte for byte', async () => {
    const [a, b] = [await folder('a'), await folder('b')];
    expect(presentModels(a)).toEqual(['ae', 'vae', 'ae-10']);
    expect(await bake(a)).toBe(0);
    expect(await bake(b)).toBe(0);
    for (const m of ['ae', 'vae', 'ae-10']) {
      const ea = await readEmbeddings(a, m);
      const eb = await readEmbeddings(b, m);
      expect(withoutTimings(ea), m).toBe(withoutTimings(eb));
      expect(ea.count).toBe(N);
      if (m === 'ae-10') {
        expect(ea.latentDim).toBe(10);
        expect(ea.latent.length).toBe(10 * N);
        expect(ea.tsne.length).toBe(2 * N);
        for (const method of ['tsne', 'umap', 'pca'] as const) expect(ea.metrics[method].trustworthinessLatent).toBeGreaterThan(0.5);
        expect(ea.params.metrics).toMatchObject({ trustworthinessLatent: "against the model's 10-D latent code" });
        // the latent codes are the encoder's, as rounded
        await initBackend('cpu');
        const test = takeSubset(loadMnist().test, 20);
        const z = await encodeZooModel(zooEntry('ae-10'), a, toFloat(test), test.labels, 20);
        for (let t = 0; t < 200; t++) expect(ea.latent[t]!).toBeCloseTo(z[t]!, 3);
      } else {
        expect('latentDim' in ea).toBe(false);
        expect(ea.latent.length).toBe(2 * N);
      }
    }
    for (const f of [ATLAS_FILE, 'zoo.json', 'ae/metrics.json']) expect(readFileSync(join(a, f)), f).toEqual(readFileSync(join(b, f)));
    const before = Object.fromEntries(['ae', 'vae', 'ae-10'].map((m) => [m, readFileSync(join(a, m, 'embeddings.json'))]));
    expect(await bake(a)).toBe(0);
    for (const m of ['ae', 'vae', 'ae-10']) expect(readFileSync(join(a, m, 'embeddings.json')).equals(before[m]!), m).toBe(true);
  }, 240_000);

  it('a stop requested before the commit writes nothing and returns 130', async () => {
    const dir = await folder('stop');
    const cell = new Int32Array(1);
    Atomics.store(cell, 0, 2); // the main thread's "stopping" state
    const code = await bakeWork({ models: ['ae'], dir, backend: 'cpu', subset: 100 }, commitGate(cell));
    expect(code).toBe(130);
    expect(existsSync(join(dir, 'ae', 'embeddings.json'))).toBe(false);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);
  }, 120_000);
});

describe('committed bake outputs (pretrained/)', () => {
  const test = loadMnist().test;
  const present = presentModels(ROOT);

  it('every committed model has its embeddings', () => {
    expect(present.length).toBeGreaterThan(0);
    for (const m of present) expect(existsSync(join(ROOT, m, 'embeddings.json')), `${m}/embeddings.json`).toBe(true);
  });

  it.each(present)('%s/embeddings.json follows the contract and matches the test set and the committed encoder', async (m) => {
    const e = await readEmbeddings(ROOT, m);
    expect(e.count).toBe(10_000);
    expect(e.labels).toEqual(Array.from(test.labels));
    const d = zooEntry(m).latentDim;
    expect(e.latentDim ?? 2).toBe(d);
    for (const method of ['latent', 'tsne', 'umap', 'pca'] as const) {
      expect(e.metrics[method].trustworthiness).toBeGreaterThan(0.5);
      // the CVAE's code is meant to carry little label information (a checked prediction)
      expect(e.metrics[method].knnAccuracy).toBeGreaterThan(m === 'cvae' ? 0.1 : 0.3);
    }
    // The latent codes are the committed encoder's (VAE family: μ) for the first 300 digits, as rounded.
    await initBackend('cpu');
    const n = 300;
    const sub = takeSubset(test, n);
    const z = await encodeZooModel(zooEntry(m), ROOT, toFloat(sub), sub.labels, n);
    let big = 0;
    for (const v of e.latent) big = Math.max(big, Math.abs(v));
    const tol = 10 ** -Math.max(0, 4 - Math.floor(Math.log10(big))) * 0.51 + 1e-5 * big;
    for (let t = 0; t < d * n; t++) expect(Math.abs(e.latent[t]! - z[t]!)).toBeLessThanOrEqual(tol);
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
