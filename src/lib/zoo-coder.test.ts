import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { createHash } from 'node:crypto';

// The test runs on TF.js's CPU backend; the site's backend choice (wasm first) is not under test.
vi.mock('./backend.ts', () => ({ ensureBackend: async () => ({}), tf }));
const { checkStack, loadCoder, stackLayers } = await import('./zoo-coder.ts');

await tf.setBackend('cpu');

/** An encoder like the zoo's: 784 → 16 → d (AE: `z`; VAE: `mu`, `logvar`). */
function encoder(kind: 'ae' | 'vae', d: number): tfl.LayersModel {
  const x = tfl.input({ shape: [784] });
  const h = tfl.layers.dense({ units: 16, activation: 'relu', name: 'enc_hidden' }).apply(x) as tfl.SymbolicTensor;
  if (kind === 'ae') return tfl.model({ inputs: x, outputs: tfl.layers.dense({ units: d, name: 'z' }).apply(h) as tfl.SymbolicTensor });
  const mu = tfl.layers.dense({ units: d, name: 'mu', biasInitializer: 'randomNormal' }).apply(h) as tfl.SymbolicTensor;
  const logvar = tfl.layers.dense({ units: d, name: 'logvar', biasInitializer: 'randomNormal' }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: [mu, logvar] });
}

/** A decoder d → 16 → 784 (sigmoid). */
function decoder(d: number): tfl.LayersModel {
  return tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [d], units: 16, activation: 'relu' }), tfl.layers.dense({ units: 784, activation: 'sigmoid' })] });
}

/** `model.json` + `weights.bin` bytes as the pipeline writes them. */
async function serialise(model: tfl.LayersModel): Promise<Record<string, Uint8Array>> {
  let files: Record<string, Uint8Array> = {};
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const json = JSON.stringify({ modelTopology: a.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['./weights.bin'], weights: a.weightSpecs }] });
      files = { 'model.json': new TextEncoder().encode(json), 'weights.bin': new Uint8Array(a.weightData as ArrayBuffer) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files;
}

const vaeEncoder = encoder('vae', 10);
const vaeDecoder = decoder(10);

beforeAll(async () => {
  const files: Record<string, Uint8Array> = {};
  const put = async (dir: string, model: tfl.LayersModel) => {
    for (const [name, bytes] of Object.entries(await serialise(model))) files[`${dir}/${name}`] = bytes;
  };
  await put('vae-10/compact/encoder', vaeEncoder);
  await put('vae-10/compact/decoder', vaeDecoder);
  await put('ae-20/compact/decoder', decoder(10)); // the wrong width for ae-20
  await put('bad/compact/decoder', decoder(10));
  const manifest = {
    version: 1,
    files: Object.fromEntries(Object.entries(files).map(([p, b]) => [p, { sha256: createHash('sha256').update(b).digest('hex'), bytes: b.length }])),
  };
  const served: Record<string, Uint8Array> = { ...files, 'manifest.json': new TextEncoder().encode(JSON.stringify(manifest)) };
  const flipped = files['bad/compact/decoder/weights.bin']!.slice();
  flipped[5]! ^= 0xff;
  served['bad/compact/decoder/weights.bin'] = flipped;
  vi.stubGlobal('fetch', async (url: string) => {
    const body = served[String(url).replace(/^.*\/pretrained\//, '')];
    return body ? new Response(body.slice().buffer) : new Response('not found', { status: 404 });
  });
});

afterAll(() => vi.unstubAllGlobals());

describe('loadCoder', () => {
  it('gives a VAE encoder’s μ head and its decoder as Dense stacks that match TF.js, holding no tensors', async () => {
    const before = tf.memory().numTensors;
    const enc = await loadCoder('vae-10', 'encoder', 10);
    const dec = await loadCoder('vae-10', 'decoder', 10);
    expect(tf.memory().numTensors).toBe(before);
    expect([enc.inDim, enc.outDim, dec.inDim, dec.outDim]).toEqual([784, 10, 10, 784]);
    const x = Float32Array.from({ length: 784 }, (_, i) => (i % 7) / 7);
    const [mu] = vaeEncoder.predict(tf.tensor2d(x, [1, 784])) as tf.Tensor[];
    const want = mu!.dataSync();
    const got = enc.run(x);
    for (let j = 0; j < 10; j++) expect(got[j]).toBeCloseTo(want[j]!, 4);
    const img = dec.run(got);
    const ref = (vaeDecoder.predict(tf.tensor2d(got, [1, 10])) as tf.Tensor).dataSync();
    for (let j = 0; j < 784; j += 37) expect(img[j]).toBeCloseTo(ref[j]!, 5);
    expect(await loadCoder('vae-10', 'encoder', 10)).toBe(enc); // loaded once per page
  });

  it('names the file of a model of the wrong width, a corrupt one and a missing one', async () => {
    await expect(loadCoder('ae-20', 'decoder', 20)).rejects.toThrow(/ae-20\/compact\/decoder\/model\.json maps 10 → 784 values; expected 20 → 784/);
    await expect(loadCoder('bad', 'decoder', 10)).rejects.toThrow(/bad\/compact\/decoder\/weights\.bin failed its checksum/);
    await expect(loadCoder('gone', 'encoder', 10)).rejects.toThrow(/gone\/compact\/encoder\/model\.json \(HTTP 404: not found\)/);
  });
});

describe('stack checks', () => {
  it('drops only the logvar head of an encoder', () => {
    const layers = [{ name: 'x' }, { name: 'enc_hidden' }, { name: 'mu' }, { name: 'logvar' }];
    expect(stackLayers(layers, 'encoder').map((l) => l.name)).toEqual(['x', 'enc_hidden', 'mu']);
    expect(stackLayers(layers, 'decoder')).toHaveLength(4);
  });
  it('refuses a model that is not a Dense stack', () => {
    expect(() => checkStack(null, 'decoder', 10, 'm/compact/decoder/model.json')).toThrow(/m\/compact\/decoder\/model\.json is not a stack of Dense layers/);
  });
});
