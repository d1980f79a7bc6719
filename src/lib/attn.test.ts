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

/**
 * The attention probabilities of the spec's math, written out in float64 from the parameters:
 * patches (row-major, 7 × 7 each) → patch_embed + pos_embed → LayerNorm ln1 → Q, K per head →
 * softmax(q·kᵀ/√16). An independent check of what the browser's forward pass exposes.
 */
function referenceAttention(p: Record<string, Float32Array>, x: Float32Array): number[] {
  const T = 16;
  const D = 64;
  const H = 4;
  const HD = 16;
  const tokens: number[][] = [];
  for (let t = 0; t < T; t++) {
    const pr = Math.floor(t / 4);
    const pc = t % 4;
    const patch: number[] = [];
    for (let r = 0; r < 7; r++) for (let c = 0; c < 7; c++) patch.push(x[(pr * 7 + r) * 28 + pc * 7 + c]!);
    const tok: number[] = [];
    for (let j = 0; j < D; j++) {
      let s = p['patch_embed/bias']![j]! + p['pos_embed']![t * D + j]!;
      for (let i = 0; i < 49; i++) s += patch[i]! * p['patch_embed/kernel']![i * D + j]!;
      tok.push(s);
    }
    const mean = tok.reduce((a, b) => a + b, 0) / D;
    const v = tok.reduce((a, b) => a + (b - mean) ** 2, 0) / D;
    tokens.push(tok.map((b, j) => ((b - mean) / Math.sqrt(v + 1e-5)) * p['ln1/gamma']![j]! + p['ln1/beta']![j]!));
  }
  const proj = (name: string) => tokens.map((a) => Array.from({ length: D }, (_, j) => a.reduce((s, ai, i) => s + ai * p[`${name}/kernel`]![i * D + j]!, p[`${name}/bias`]![j]!)));
  const q = proj('attn_q');
  const k = proj('attn_k');
  const out: number[] = [];
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < T; i++) {
      const logits = Array.from({ length: T }, (_, j) => {
        let s = 0;
        for (let d = 0; d < HD; d++) s += q[i]![h * HD + d]! * k[j]![h * HD + d]!;
        return s / Math.sqrt(HD);
      });
      const m = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - m));
      const z = e.reduce((a, b) => a + b, 0);
      out.push(...e.map((v) => v / z));
    }
  }
  return out;
}

describe('the attention probabilities of the browser forward pass', () => {
  it('are the softmax of the spec’s math on a fixed input, with the code of the same pass', async () => {
    const a = await loadAttnEncoder();
    // A fixed input: a bar and a blob, so patches differ.
    const x = new Float32Array(784);
    for (let r = 4; r < 24; r++) x[r * 28 + 14] = 1;
    for (let r = 18; r < 24; r++) for (let c = 6; c < 12; c++) x[r * 28 + c] = 0.5 + 0.02 * (r + c);
    const { mu, logvar, attention } = a.encodeWithAttention(x);
    expect(attention.length).toBe(4 * 16 * 16);
    const ref = referenceAttention(params, x);
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(attention[i]! - ref[i]!));
    expect(worst).toBeLessThan(1e-5);
    for (let row = 0; row < 4 * 16; row++) {
      const sum = attention.subarray(row * 16, row * 16 + 16).reduce((s, v) => s + v, 0);
      expect(sum).toBeCloseTo(1, 5);
    }
    // The same pass: the code equals encode()'s, the weights equal attention()'s.
    expect(Array.from(mu)).toEqual(Array.from(a.encode(x).mu));
    expect(Array.from(logvar)).toEqual(Array.from(a.encode(x).logvar));
    expect(Array.from(attention)).toEqual(Array.from(a.attention(x)));
  });
});
