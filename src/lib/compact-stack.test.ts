import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { dequantize, stackFromCompact } from './compact-stack.ts';

const read = (id: string, part: string) => {
  const dir = join('pretrained', id, 'compact', part);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const bytes = new Uint8Array(Buffer.concat(json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths).map((p: string) => readFileSync(join(dir, p)))));
  return { json, bytes };
};

describe('compact weights without TF.js', () => {
  it('dequantizes exactly as tf.io.decodeWeights (uint8, uint16, float16, float32) for the denoising figure’s models', async () => {
    await tf.setBackend('cpu');
    const seen = new Set<string>();
    for (const id of ['ae', 'dae', 'vae', 'cvae']) {
      for (const part of ['encoder', 'decoder']) {
        const { json, bytes } = read(id, part);
        const specs = json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights);
        for (const s of specs) seen.add(s.quantization?.dtype ?? 'float32');
        const mine = dequantize(specs, bytes, `${id}/compact/${part}/model.json`);
        const ref = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), specs);
        for (const [name, t] of Object.entries(ref)) {
          expect(Array.from(mine.get(name)!), `${id} ${part} ${name}`).toEqual(Array.from(t.dataSync()));
          t.dispose();
        }
      }
    }
    expect(seen.has('uint8') && seen.has('float16')).toBe(true);
  });

  it('builds the Dense stack (a VAE encoder without logvar) and names the file when the weights are short', () => {
    const enc = read('vae', 'encoder');
    const stack = stackFromCompact(enc.json, enc.bytes, 'vae/compact/encoder/model.json');
    expect([stack.inDim, stack.outDim]).toEqual([784, 2]);
    const dec = read('ae', 'decoder');
    expect([stackFromCompact(dec.json, dec.bytes, 'x').inDim, stackFromCompact(dec.json, dec.bytes, 'x').outDim]).toEqual([2, 784]);
    expect(() => stackFromCompact(dec.json, dec.bytes.subarray(0, 100), 'ae/compact/decoder/model.json')).toThrow(/pretrained\/ae\/compact\/decoder\/model\.json: the weights end before/);
    expect(() => stackFromCompact({}, dec.bytes, 'y/model.json')).toThrow(/is not a TF.js layers model/);
  });
});
