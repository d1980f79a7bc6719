import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadMnist } from '../data/mnist-node.ts';
import { CHUNK_COUNT, MAPS, decodeMap } from '../contracts/compact-format.ts';
import { type Metrics, type Part, choosePrecisions, digitFiles, gaussian, parseArgs, quantizedPart, readPart, runCompact } from './compact.ts';
import type { Precision } from './quantize.ts';
import { UsageError } from './usage.ts';

await tf.setBackend('cpu');

/** A minimal PNG reader (8-bit greyscale, any filter) to check the chunks independently. */
function decodePng(png: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  while (at < png.length) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type === 'IHDR') [width, height] = [view.getUint32(at + 8), view.getUint32(at + 12)];
    else if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) {
    const f = raw[r * (width + 1)]!;
    for (let x = 0; x < width; x++) {
      const a = x > 0 ? pixels[r * width + x - 1]! : 0;
      const b = r > 0 ? pixels[(r - 1) * width + x]! : 0;
      const c = x > 0 && r > 0 ? pixels[(r - 1) * width + x - 1]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      pixels[r * width + x] = (raw[r * (width + 1) + 1 + x]! + [0, a, b, (a + b) >> 1, paeth][f]!) & 255;
    }
  }
  return { width, height, pixels };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('CLI flags', () => {
  it('parses and rejects with a reason', () => {
    expect(parseArgs(['--models', 'ae,vae-10', '--force', '--dir=x', '--backend', 'cpu'])).toMatchObject({ models: ['ae', 'vae-10'], force: true, dir: 'x', backend: 'cpu' });
    expect(() => parseArgs(['--backend', 'gpu'])).toThrow(UsageError);
    expect(() => parseArgs(['--models', ','])).toThrow(/at least one/);
    expect(() => parseArgs(['--models', '../etc'])).toThrow(/not a model id/);
    expect(() => parseArgs(['--nope', '1'])).toThrow(/unknown flag/);
    expect(() => parseArgs(['stray'])).toThrow(/unexpected argument/);
  });
});

describe('choosePrecisions', () => {
  /** Two fake parts: a big decoder kernel, a big encoder kernel and small biases. */
  const part = (p: 'encoder' | 'decoder'): Part => ({
    part: p,
    json: {},
    specs: [
      { name: `${p}/kernel`, shape: [100, 50], dtype: 'float32' },
      { name: `${p}/bias`, shape: [50], dtype: 'float32' },
    ],
    values: [new Float32Array(5000).fill(0.1), new Float32Array(50).fill(0.2)],
    sources: {},
  });
  const cost: Record<Precision, number> = { uint8: 0.03, uint16: 0.001, float16: 0.002, float32: 0 };

  it('takes the cheapest precision per tensor that keeps the total change within the budget, largest first', async () => {
    const seen: string[] = [];
    const evaluate = async (e: Precision[], d: Precision[]): Promise<Metrics> => {
      seen.push(`${d.join()}|${e.join()}`);
      const total = [...e, ...d].reduce((s, p) => s + cost[p], 0);
      return { bce: 100 + total, elbo: null };
    };
    const c = await choosePrecisions({ encoder: part('encoder'), decoder: part('decoder') }, evaluate, 0.05);
    // decoder kernel first (uint8: 0.03 fits), encoder kernel uint8 would make 0.06: uint16 (0.031)
    expect(c.precisions).toEqual({ decoder: ['uint8', 'float16'], encoder: ['uint16', 'float16'] });
    expect(seen[0]).toBe('float32,float32|float32,float32');
    expect(seen[1]).toBe('uint8,float32|float32,float32');
    expect(c.quantized.bce - c.float32.bce).toBeCloseTo(0.035, 9);
    expect(c.evaluations).toBe(seen.length);
    expect(c.tensors.find((t) => t.name === 'encoder/kernel')).toMatchObject({ precision: 'uint16', bytes: 10000 });
  });

  it('keeps float32 where nothing fits, and the small tensors too when their group does not fit', async () => {
    const c = await choosePrecisions({ encoder: part('encoder'), decoder: part('decoder') }, async (e, d) => ({ bce: [...e, ...d].some((p) => p !== 'float32') ? 1 : 0, elbo: null }), 0.05);
    expect(c.precisions).toEqual({ decoder: ['float32', 'float32'], encoder: ['float32', 'float32'] });
    expect(c.quantized).toEqual(c.float32);
  });

  it('counts the worse of the two VAE metrics', async () => {
    const c = await choosePrecisions({ encoder: part('encoder'), decoder: part('decoder') }, async (e, d) => ({ bce: 0, elbo: [...e, ...d].filter((p) => p === 'uint8').length * 0.04 }), 0.05);
    expect([...c.precisions.decoder, ...c.precisions.encoder].filter((p) => p === 'uint8')).toHaveLength(1);
  });

  it('gaussian draws are deterministic and standard', () => {
    const g = gaussian(20000, 7);
    expect(gaussian(20000, 7)).toEqual(g);
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    const sd = Math.sqrt(g.reduce((a, b) => a + (b - mean) ** 2, 0) / g.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });
});

describe('digit chunks', () => {
  it('100 PNG strips of 100 digits that decode to the test set, deterministically, and the labels', { timeout: 300_000 }, () => {
    const { images, labels } = loadMnist().test;
    const files = digitFiles(images, labels);
    expect(Object.keys(files)).toHaveLength(CHUNK_COUNT + 1);
    expect(Array.from(files['labels.bin']!)).toEqual(Array.from(labels));
    for (const c of [0, 37, 99]) {
      const { width, height, pixels } = decodePng(files[`${String(c).padStart(3, '0')}.png`]!);
      expect([width, height]).toEqual([2800, 28]);
      for (const k of [0, 1, 55, 99]) {
        const i = c * 100 + k;
        for (let r = 0; r < 28; r++) expect(Array.from(pixels.subarray(r * 2800 + 28 * k, r * 2800 + 28 * k + 28))).toEqual(Array.from(images.subarray(i * 784 + r * 28, i * 784 + r * 28 + 28)));
      }
    }
    const again = digitFiles(images, labels);
    for (const [name, b] of Object.entries(files)) expect(sha(again[name]!)).toBe(sha(b));
  });
});

/** Writes a tiny AE-shaped model (784 → 8 → 2 → 8 → 784) and its embeddings into `dir/<id>/`. */
async function writeTinyModel(dir: string, id: string, labels: Uint8Array): Promise<void> {
  const enc = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [784], units: 8, activation: 'relu', name: 'enc_hidden', kernelInitializer: tfl.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 1 }) }), tfl.layers.dense({ units: 2, name: 'z', kernelInitializer: tfl.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 2 }) })] });
  const dec = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 8, activation: 'relu', name: 'dec_hidden', kernelInitializer: tfl.initializers.randomUniform({ minval: -1, maxval: 1, seed: 3 }) }), tfl.layers.dense({ units: 784, activation: 'sigmoid', name: 'x_hat', kernelInitializer: tfl.initializers.randomUniform({ minval: -1, maxval: 1, seed: 4 }) })] });
  for (const [name, m] of [['encoder', enc], ['decoder', dec]] as const) {
    await mkdir(join(dir, id, name), { recursive: true });
    await m.save(
      tf.io.withSaveHandler(async (a) => {
        const weightsManifest = [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }];
        await writeFile(join(dir, id, name, 'model.json'), JSON.stringify({ format: a.format, generatedBy: a.generatedBy, convertedBy: null, modelTopology: a.modelTopology, weightsManifest }));
        await writeFile(join(dir, id, name, 'group1-shard1of1.bin'), new Uint8Array(a.weightData as ArrayBuffer));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
  }
  const latent = Array.from({ length: labels.length * 2 }, (_, k) => Math.sin(k) * 3);
  await writeFile(join(dir, id, 'embeddings.json'), JSON.stringify({ model: id, count: labels.length, labels: Array.from(labels), latent, tsne: latent.map((v) => v * 10), umap: latent, pca: latent }));
}

async function listAll(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listAll(dir, p)));
    else out.push(p);
  }
  return out.sort();
}

describe('runCompact on a tiny model', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes loadable quantized models, maps and a manifest; twice the same bytes (the chunks: above)', { timeout: 600_000 }, async () => {
    const { labels } = loadMnist().test;
    const runs: Record<string, string>[] = [];
    for (let r = 0; r < 2; r++) {
      const dir = await mkdtemp(join(tmpdir(), 'compact-'));
      dirs.push(dir);
      // the same input files in both folders (a second tfl model would get a new auto-generated name)
      if (r === 0) await writeTinyModel(dir, 'tiny', labels);
      else await cp(join(dirs[0]!, 'tiny'), join(dir, 'tiny'), { recursive: true, filter: (src) => !/\/tiny\/compact(\/|$)/.test(src) });
      const log: string[] = [];
      expect(await runCompact({ dir, models: null, force: false, backend: 'cpu', help: false, digits: false }, (s) => log.push(s))).toBe(0);
      const files = await listAll(dir);
      runs.push(Object.fromEntries(await Promise.all(files.map(async (f) => [f, sha(await readFile(join(dir, f)))] as const))));
      if (r === 0) {
        for (const f of ['tiny/compact/encoder/model.json', 'tiny/compact/encoder/weights.bin', 'tiny/compact/decoder/model.json', 'tiny/compact/decoder/weights.bin', 'tiny/compact/compact.json', ...MAPS.map((m) => `tiny/compact/${m}.bin`)]) {
          expect(files, f).toContain(f);
        }
        const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { files: Record<string, { sha256: string; bytes: number }> };
        expect(Object.keys(manifest.files).sort()).toEqual(files.filter((f) => f !== 'manifest.json'));
        const summary = JSON.parse(await readFile(join(dir, 'tiny/compact/compact.json'), 'utf8'));
        expect(Math.abs(summary.metrics.delta.bce)).toBeLessThanOrEqual(0.05);
        expect(summary.sources['tiny/encoder/model.json']).toBe(sha(await readFile(join(dir, 'tiny/encoder/model.json'))));
        // a second run with the same sources leaves the model alone
        const again: string[] = [];
        await runCompact({ dir, models: ['tiny'], force: false, backend: 'cpu', help: false, digits: false }, (s) => again.push(s));
        expect(again.join('\n')).toMatch(/tiny: compact artifacts up to date/);
        await expect(runCompact({ dir, models: ['nope'], force: false, backend: 'cpu', help: false, digits: false }, () => {})).rejects.toThrow(/no model folder/);
      }
    }
    expect(runs[1]).toEqual(runs[0]);
  });
});

/** The committed compact artifacts: each loads through the standard TF.js loader, close to its float32 original. */
describe('committed compact artifacts', () => {
  const root = 'pretrained';
  const ids = existsSync(root) ? readdirSync(root).filter((id) => existsSync(join(root, id, 'compact', 'compact.json'))) : [];

  it('exist for ae and vae', () => {
    expect(ids).toEqual(expect.arrayContaining(['ae', 'vae']));
  });

  for (const id of ids) {
    it(`${id}: weights within the quantization step of float32, maps within their step, all in the manifest`, async () => {
      const manifest = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8')) as { files: Record<string, { sha256: string; bytes: number }> };
      const summary = JSON.parse(await readFile(join(root, id, 'compact', 'compact.json'), 'utf8'));
      expect(Math.abs(summary.metrics.delta.bce)).toBeLessThanOrEqual(0.05);
      if (summary.metrics.delta.elbo !== null) expect(Math.abs(summary.metrics.delta.elbo)).toBeLessThanOrEqual(0.05);
      for (const part of ['encoder', 'decoder'] as const) {
        const orig = await readPart(root, id, part);
        const json = JSON.parse(await readFile(join(root, id, 'compact', part, 'model.json'), 'utf8'));
        const bin = await readFile(join(root, id, 'compact', part, 'weights.bin'));
        if (json.format !== 'latent-atlas-attn') {
          const model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) }));
          const byName = new Map(model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
          orig.specs.forEach((s, k) => {
            const got = byName.get(s.name)!;
            const t = summary.tensors.find((x: { part: string; name: string }) => x.part === part && x.name === s.name);
            expect(got.length).toBe(orig.values[k]!.length);
            let worst = 0;
            for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - orig.values[k]![i]!));
            expect(worst, `${id} ${part} ${s.name} (${t.precision})`).toBeLessThanOrEqual(t.step * 1.006 + 1e-7); // compact.json rounds the step to 3 significant digits (≤ 0.5 % low)
          });
          model.dispose();
        }
        // the quantized copy is exactly what this code writes from the float32 original
        const again = quantizedPart(orig, (json.weightsManifest[0].weights as { quantization?: { dtype: Precision } }[]).map((w) => w.quantization?.dtype ?? 'float32'));
        expect(sha(again.weights)).toBe(sha(bin));
        for (const f of ['model.json', 'weights.bin']) expect(manifest.files[`${id}/compact/${part}/${f}`]?.sha256).toBe(sha(await readFile(join(root, id, 'compact', part, f))));
      }
      const emb = JSON.parse(await readFile(join(root, id, 'embeddings.json'), 'utf8'));
      for (const m of MAPS) {
        if (!Array.isArray(emb[m])) continue;
        const bytes = await readFile(join(root, id, 'compact', `${m}.bin`));
        expect(manifest.files[`${id}/compact/${m}.bin`]?.sha256).toBe(sha(bytes));
        const { header, values } = decodeMap(bytes);
        expect(values.length).toBe(emb[m].length);
        for (let k = 0; k < values.length; k++) expect(Math.abs(values[k]! - emb[m][k])).toBeLessThanOrEqual(header.scale[k % header.dim]! / 2 + 1e-5);
      }
    });
  }
});
