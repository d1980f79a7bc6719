import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { createHash } from 'node:crypto';
import { validateModels, verifiedHandler } from './models.ts';

await tf.setBackend('cpu');

/** An encoder with the contract's layer names: AE → z, VAE → [mu, logvar]. */
function encoder(kind: 'ae' | 'vae', inputDim = 784, latent = 2): tfl.LayersModel {
  const x = tfl.input({ shape: [inputDim] });
  const h = tfl.layers.dense({ units: 16, activation: 'relu', name: 'enc_hidden' }).apply(x) as tfl.SymbolicTensor;
  if (kind === 'ae') return tfl.model({ inputs: x, outputs: tfl.layers.dense({ units: latent, name: 'z' }).apply(h) as tfl.SymbolicTensor });
  const mu = tfl.layers.dense({ units: latent, name: 'mu' }).apply(h) as tfl.SymbolicTensor;
  const logvar = tfl.layers.dense({ units: latent, name: 'logvar' }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: [mu, logvar] });
}

/** A decoder `latent → 16 → out`. */
function decoder(latent = 2, out = 784): tfl.LayersModel {
  return tfl.sequential({
    layers: [tfl.layers.dense({ inputShape: [latent], units: 16, activation: 'relu' }), tfl.layers.dense({ units: out, activation: 'sigmoid' })],
  });
}

/** Serialises a model to `model.json` + `weights.bin` bytes like the pipeline does. */
async function serialise(model: tfl.LayersModel): Promise<{ json: Uint8Array; bin: Uint8Array }> {
  let files: { json: Uint8Array; bin: Uint8Array } | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const json = JSON.stringify({ modelTopology: a.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['./weights.bin'], weights: a.weightSpecs }] });
      files = { json: new TextEncoder().encode(json), bin: new Uint8Array(a.weightData as ArrayBuffer) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files!;
}

/**
 * Serves files under pretrained/ through a stubbed fetch. The manifest lists the true checksums of
 * `files`; `served` overrides what is actually sent (null = 404), to fake corruption or loss.
 * (artifacts.ts fetches the manifest once per page, so one manifest serves the whole file.)
 */
function serve(files: Record<string, Uint8Array>, served: Record<string, Uint8Array | null>) {
  const manifest = {
    version: 1,
    files: Object.fromEntries(Object.entries(files).map(([p, b]) => [p, { sha256: createHash('sha256').update(b).digest('hex'), bytes: b.length }])),
  };
  const all: Record<string, Uint8Array | null> = { ...files, ...served, 'manifest.json': new TextEncoder().encode(JSON.stringify(manifest)) };
  vi.stubGlobal('fetch', async (url: string) => {
    const body = all[String(url).replace(/^.*\/pretrained\//, '')];
    return body ? new Response(body.slice().buffer) : new Response('not found', { status: 404 });
  });
}

beforeAll(async () => {
  const ok = await serialise(decoder());
  const bad = await serialise(decoder());
  const gone = await serialise(encoder('ae'));
  const flipped = bad.bin.slice();
  flipped[0]! ^= 0xff;
  serve(
    {
      'ok/decoder/model.json': ok.json,
      'ok/decoder/weights.bin': ok.bin,
      'bad/decoder/model.json': bad.json,
      'bad/decoder/weights.bin': bad.bin,
      'gone/encoder/model.json': gone.json,
      'gone/encoder/weights.bin': gone.bin,
    },
    { 'bad/decoder/weights.bin': flipped, 'gone/encoder/weights.bin': null },
  );
});

afterAll(() => vi.unstubAllGlobals());

describe('validateModels', () => {
  it('accepts the contract shapes', () => {
    expect(() => validateModels('ae', encoder('ae'), decoder())).not.toThrow();
    expect(() => validateModels('vae', encoder('vae'), decoder())).not.toThrow();
  });
  it('names the wrong encoder input', () => {
    expect(() => validateModels('ae', encoder('ae', 100), decoder())).toThrow(/AE encoder takes \[null, 100\], expected \[null, 784\]/);
  });
  it('names a wrong latent size', () => {
    expect(() => validateModels('ae', encoder('ae', 784, 3), decoder())).toThrow(/expected \[null, 2\]/);
    expect(() => validateModels('ae', encoder('ae'), decoder(3))).toThrow(/decoder takes \[null, 3\]/);
  });
  it('requires mu and logvar heads for the VAE', () => {
    expect(() => validateModels('vae', encoder('ae'), decoder())).toThrow(/expected mu and logvar/);
  });
  it('checks the decoder output', () => {
    expect(() => validateModels('vae', encoder('vae'), decoder(2, 100))).toThrow(/decoder returns \[null, 100\], expected \[null, 784\]/);
  });
});

describe('verifiedHandler', () => {
  it('loads a model whose every file matches the manifest', async () => {
    const model = await tfl.loadLayersModel(verifiedHandler('ok/decoder'));
    expect(model.outputs[0]!.shape).toEqual([null, 784]);
    model.dispose();
  });
  it('refuses weights that fail their checksum', async () => {
    await expect(tfl.loadLayersModel(verifiedHandler('bad/decoder'))).rejects.toThrow(/bad\/decoder\/weights\.bin failed its checksum/);
  });
  it('reports missing weights by name', async () => {
    await expect(tfl.loadLayersModel(verifiedHandler('gone/encoder'))).rejects.toThrow(/gone\/encoder\/weights\.bin \(HTTP 404: not found\)/);
  });
  it('names a missing model.json', async () => {
    await expect(tfl.loadLayersModel(verifiedHandler('nowhere/decoder'))).rejects.toThrow(/Could not download nowhere\/decoder\/model\.json/);
  });
});
