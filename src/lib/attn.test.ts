import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createHash } from 'node:crypto';
import { attnConfig, attnEncoder, attnModelJsonText, attnWeightBytes, initAttnParams } from '../models/attn.ts';
import { Rng } from '../models/random.ts';
import { WEIGHTS_FILE } from '../models/weights-file.ts';
import { loadAttnEncoder } from './attn.ts';

await tf.setBackend('cpu');

const c = attnConfig(2);
const params = initAttnParams(c, new Rng(4, 1));
const enc = (s: string) => new TextEncoder().encode(s);
const json = enc(attnModelJsonText(c));
const bin = attnWeightBytes(c, params);

/** Serves `files` under pretrained/ through a stubbed fetch; `served` overrides the bytes sent (null = 404). */
function serve(files: Record<string, Uint8Array>, served: Record<string, Uint8Array | null>) {
  const manifest = {
    version: 1,
    files: Object.fromEntries(Object.entries(files).map(([p, b]) => [p, { sha256: createHash('sha256').update(b).digest('hex'), bytes: b.length }])),
  };
  const all: Record<string, Uint8Array | null> = { ...files, ...served, 'manifest.json': enc(JSON.stringify(manifest)) };
  vi.stubGlobal('fetch', async (url: string) => {
    const body = all[String(url).replace(/^.*\/pretrained\//, '')];
    return body ? new Response(body.slice().buffer) : new Response('not found', { status: 404 });
  });
}

beforeAll(() => {
  const flipped = bin.slice();
  flipped[5]! ^= 0xff;
  const other = JSON.parse(attnModelJsonText(c));
  other.format = 'layers-model';
  serve(
    {
      [`attn/encoder/model.json`]: json,
      [`attn/encoder/${WEIGHTS_FILE}`]: bin,
      [`bad/encoder/model.json`]: json,
      [`bad/encoder/${WEIGHTS_FILE}`]: bin,
      [`gone/encoder/model.json`]: json,
      [`gone/encoder/${WEIGHTS_FILE}`]: bin,
      [`layers/encoder/model.json`]: enc(JSON.stringify(other)),
      [`layers/encoder/${WEIGHTS_FILE}`]: bin,
    },
    { [`bad/encoder/${WEIGHTS_FILE}`]: flipped, [`gone/encoder/${WEIGHTS_FILE}`]: null },
  );
});

afterAll(() => vi.unstubAllGlobals());

describe('loadAttnEncoder', () => {
  it('loads pretrained/attn/encoder through the verified fetcher, once, and encodes like the model itself', async () => {
    const a = await loadAttnEncoder();
    expect(await loadAttnEncoder()).toBe(a);
    const r = new Rng(9);
    const x = Float32Array.from({ length: 3 * 784 }, () => r.uniform());
    const ref = attnEncoder(c, params);
    const got = a.encode(x);
    expect(Array.from(got.mu)).toEqual(Array.from(ref.encode(x).mu));
    expect(Array.from(got.logvar)).toEqual(Array.from(ref.encode(x).logvar));
    const maps = a.attention(x);
    expect(maps.length).toBe(3 * 4 * 16 * 16);
    expect(Array.from(maps)).toEqual(Array.from(ref.attention(x)));
    ref.dispose();
  });

  it('refuses weights that fail their checksum', async () => {
    await expect(loadAttnEncoder('bad/encoder')).rejects.toThrow(/bad\/encoder\/group1-shard1of1\.bin failed its checksum/);
  });

  it('names missing weights and folders', async () => {
    await expect(loadAttnEncoder('gone/encoder')).rejects.toThrow(/gone\/encoder\/group1-shard1of1\.bin \(HTTP 404: not found\)/);
    await expect(loadAttnEncoder('nowhere/encoder')).rejects.toThrow(/Could not download nowhere\/encoder\/model\.json/);
  });

  it('says when the file is not an attention encoder', async () => {
    await expect(loadAttnEncoder('layers/encoder')).rejects.toThrow(/pretrained\/layers\/encoder\/model\.json cannot be used: not an attn encoder/);
  });
});
