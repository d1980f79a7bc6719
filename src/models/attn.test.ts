/** The attention-encoder VAE: shapes, init, attention, gradients, loss, export and load. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ATTN_FORMAT,
  attentionMaps,
  attnConfig,
  attnDecodeLogits,
  attnEncode,
  attnEncoder,
  attnEncoderFromArtifacts,
  attnEncoderSpecs,
  attnGradients,
  attnLoss,
  attnModelJsonText,
  attnParamNames,
  attnToTensors,
  attnWeightBytes,
  attnWeightPaths,
  initAttnParams,
  patchify,
} from './attn.ts';
import type { Params } from './architecture.ts';
import { bceScalar, klScalar } from './losses.ts';
import type { TensorParams } from './math.ts';
import { Rng } from './random.ts';
import { WEIGHTS_FILE } from './weights-file.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

const c = attnConfig(2);

const images = (n: number, seed = 7) => {
  const r = new Rng(seed);
  return Float32Array.from({ length: n * 784 }, () => (r.uniform() < 0.6 ? 0 : r.uniform()));
};

const same = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function withParams<T>(params: Params, f: (p: TensorParams) => T): T {
  const p = attnToTensors(c, params);
  try {
    return f(p);
  } finally {
    for (const t of Object.values(p)) t.dispose();
  }
}

describe('attn architecture and init', () => {
  it('has the spec’s parameters: patch embedding, positions, one pre-norm block, final LN, heads; the VAE decoder', () => {
    const shapes = attnEncoderSpecs(c).map((s) => `${s.name}:${s.shape.join('x')}`);
    expect(shapes).toEqual([
      'patch_embed/kernel:49x64', 'patch_embed/bias:64', 'pos_embed:16x64', 'ln1/gamma:64', 'ln1/beta:64',
      'attn_q/kernel:64x64', 'attn_q/bias:64', 'attn_k/kernel:64x64', 'attn_k/bias:64', 'attn_v/kernel:64x64', 'attn_v/bias:64',
      'attn_o/kernel:64x64', 'attn_o/bias:64', 'ln2/gamma:64', 'ln2/beta:64', 'mlp_hidden/kernel:64x128', 'mlp_hidden/bias:128',
      'mlp_out/kernel:128x64', 'mlp_out/bias:64', 'ln_final/gamma:64', 'ln_final/beta:64', 'mu/kernel:64x2', 'mu/bias:2',
      'logvar/kernel:64x2', 'logvar/bias:2',
    ]);
    expect(attnParamNames(c).slice(-4)).toEqual(['dec_hidden/kernel', 'dec_hidden/bias', 'x_hat/kernel', 'x_hat/bias']);
    expect(c.heads * c.headDim).toBe(c.dModel);
    expect(() => attnConfig(0)).toThrow(RangeError);
  });

  it('initialises like PyTorch: U(±1/√fan_in) for Linear, N(0, 0.02²) positions, LN γ = 1 and β = 0; fixed by the seed', () => {
    const a = initAttnParams(c, new Rng(1, 1));
    for (const s of attnEncoderSpecs(c)) {
      const v = a[s.name]!;
      if (s.init === 'ones') expect(v.every((x) => x === 1)).toBe(true);
      else if (s.init === 'zeros') expect(v.every((x) => x === 0)).toBe(true);
      else if (s.init === 'normal') {
        const mean = v.reduce((m, x) => m + x, 0) / v.length;
        const sd = Math.sqrt(v.reduce((m, x) => m + (x - mean) ** 2, 0) / v.length);
        expect(Math.abs(mean)).toBeLessThan(0.003);
        expect(sd).toBeGreaterThan(0.018);
        expect(sd).toBeLessThan(0.022);
      } else {
        const bound = 1 / Math.sqrt(s.fanIn!);
        const max = v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
        expect(max).toBeLessThanOrEqual(bound);
        if (v.length >= 64) expect(max).toBeGreaterThan(0.85 * bound);
      }
    }
    expect(a['dec_hidden/kernel']!.every((x) => Math.abs(x) <= 1 / Math.sqrt(2))).toBe(true);
    expect(a['x_hat/kernel']!.every((x) => Math.abs(x) <= 1 / Math.sqrt(128))).toBe(true);
    const b = initAttnParams(c, new Rng(1, 1));
    for (const k of attnParamNames(c)) expect(same(a[k]!, b[k]!)).toBe(true);
    expect(same(initAttnParams(c, new Rng(2, 1))['attn_q/kernel']!, a['attn_q/kernel']!)).toBe(false);
  });
});

describe('attn forward', () => {
  const params = initAttnParams(c, new Rng(3, 1));

  it('cuts the image into 16 row-major 7 × 7 patches, each row-major', () => {
    const x = Float32Array.from({ length: 2 * 784 }, (_, i) => i);
    const p = tf.tidy(() => patchify(c, tf.tensor2d(x, [2, 784])).arraySync());
    expect(p.length).toBe(32);
    for (const img of [0, 1]) {
      for (let patch = 0; patch < 16; patch++) {
        const [pr, pc] = [Math.floor(patch / 4), patch % 4];
        for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) expect(p[img * 16 + patch]![i * 7 + j]).toBe(img * 784 + (pr * 7 + i) * 28 + pc * 7 + j);
      }
    }
  });

  it('gives mu and logvar [n, d] and attention [n, 4, 16, 16] whose rows sum to 1', () => {
    withParams(params, (p) => {
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const r = attnEncode(c, p, tf.tensor2d(images(3), [3, 784]), true);
        expect(r.mu.shape).toEqual([3, 2]);
        expect(r.logvar.shape).toEqual([3, 2]);
        expect(r.attention!.shape).toEqual([3, 4, 16, 16]);
        const w = r.attention!.dataSync();
        for (let row = 0; row < 3 * 4 * 16; row++) {
          let s = 0;
          for (let k = 0; k < 16; k++) {
            expect(w[row * 16 + k]).toBeGreaterThanOrEqual(0);
            s += w[row * 16 + k]!;
          }
          expect(s).toBeCloseTo(1, 5);
        }
        const maps = attentionMaps(c, p, tf.tensor2d(images(3), [3, 784]));
        expect(same(maps.dataSync() as Float32Array, w as Float32Array)).toBe(true);
        // images differ → codes differ; the same image in two batches → the same code
        const one = attnEncode(c, p, tf.tensor2d(images(3).subarray(784, 1568), [1, 784]));
        const mu = r.mu.dataSync();
        expect(Array.from(one.mu.dataSync())).toEqual([expect.closeTo(mu[2]!, 5), expect.closeTo(mu[3]!, 5)]);
        expect(mu[0]).not.toBe(mu[2]);
        expect(attnDecodeLogits(c, p, r.mu).shape).toEqual([3, 784]);
      });
      expect(tf.memory().numTensors).toBe(before);
    });
  });

  it('depends on where a patch is (position embeddings): shifting the digit changes the code', () => {
    withParams(params, (p) => {
      const x = new Float32Array(784);
      for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) x[i * 28 + j] = 1; // patch 0 lit
      const y = new Float32Array(784);
      for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) y[(21 + i) * 28 + 21 + j] = 1; // patch 15 lit
      const [a, b] = tf.tidy(() => [attnEncode(c, p, tf.tensor2d(x, [1, 784])).mu.dataSync(), attnEncode(c, p, tf.tensor2d(y, [1, 784])).mu.dataSync()]);
      expect(Math.abs(a![0]! - b![0]!) + Math.abs(a![1]! - b![1]!)).toBeGreaterThan(1e-4);
    });
  });
});

describe('attn loss and gradients', () => {
  const params = initAttnParams(c, new Rng(5, 1));
  const n = 2;
  const xs = images(n, 11);
  const epsv = new Rng(12).fillNormal(new Float32Array(n * 2));

  it('is Σ BCE + Σ KL of the VAE, with z = mu + exp(½ logvar)·eps; β weights the KL', () => {
    withParams(params, (p) => {
      tf.tidy(() => {
        const x = tf.tensor2d(xs, [n, 784]);
        const eps = tf.tensor2d(epsv, [n, 2]);
        const { mu, logvar } = attnEncode(c, p, x);
        const m = mu.dataSync();
        const lv = logvar.dataSync();
        const z = Float32Array.from(m, (v, i) => v + Math.exp(0.5 * lv[i]!) * epsv[i]!);
        const probs = tf.sigmoid(attnDecodeLogits(c, p, tf.tensor2d(z, [n, 2]))).dataSync();
        let bce = 0;
        for (let i = 0; i < probs.length; i++) bce += bceScalar(probs[i]!, xs[i]!);
        let kl = 0;
        for (let i = 0; i < m.length; i++) kl += klScalar(m[i]!, lv[i]!);
        const r = attnLoss(c, p, x, eps);
        expect(r.bce.dataSync()[0]).toBeCloseTo(bce, 1);
        expect(r.kl.dataSync()[0]).toBeCloseTo(kl, 4);
        expect(r.loss.dataSync()[0]).toBeCloseTo(bce + kl, 1);
        const r4 = attnLoss(c, p, x, eps, 4);
        expect(r4.loss.dataSync()[0]).toBeCloseTo(r4.bce.dataSync()[0]! + 4 * r4.kl.dataSync()[0]!, 2);
      });
    });
  });

  it('autodiff gradients (through the hand-written op gradients) match central finite differences for every parameter', () => {
    withParams(params, (p) => {
      const x = tf.tensor2d(xs, [n, 784]);
      const eps = tf.tensor2d(epsv, [n, 2]);
      // the loss from the network's float32 outputs, summed in float64 (a float32 sum of ~1600
      // terms is too coarse for finite differences)
      const lossAt = (q: TensorParams) =>
        tf.tidy(() => {
          const { mu, logvar } = attnEncode(c, q, x);
          const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps)) as tf.Tensor2D;
          const l = attnDecodeLogits(c, q, z).dataSync();
          const m = mu.dataSync();
          const lv = logvar.dataSync();
          let sum = 0;
          for (let i = 0; i < l.length; i++) sum += Math.max(l[i]!, 0) + Math.log1p(Math.exp(-Math.abs(l[i]!))) - xs[i]! * l[i]!;
          for (let i = 0; i < m.length; i++) sum += klScalar(m[i]!, lv[i]!);
          return sum;
        });
      const g = attnGradients(c, p, x, eps);
      expect(g.bce.dataSync()[0]! + g.kl.dataSync()[0]!).toBeCloseTo(lossAt(p), 2);
      const dir = new Rng(99);
      const h = 1e-2;
      for (const name of attnParamNames(c)) {
        const base = params[name]!;
        // a random unit direction in this parameter's space
        const u = dir.fillNormal(new Float32Array(base.length));
        const norm = Math.sqrt(u.reduce((s, v) => s + v * v, 0));
        for (let i = 0; i < u.length; i++) u[i]! /= norm;
        const at = (t: number) => {
          const moved = Float32Array.from(base, (v, i) => v + t * u[i]!);
          const q = { ...p, [name]: tf.tensor(moved, p[name]!.shape) };
          try {
            return lossAt(q);
          } finally {
            q[name]!.dispose();
          }
        };
        const fd = (at(h) - at(-h)) / (2 * h);
        const gv = g.grads[name]!.dataSync();
        let analytic = 0;
        for (let i = 0; i < u.length; i++) analytic += gv[i]! * u[i]!;
        expect(Math.abs(fd - analytic), `${name}: finite difference ${fd}, autodiff ${analytic}`).toBeLessThan(0.02 * Math.abs(analytic) + 0.01);
      }
      for (const t of [...Object.values(g.grads), g.bce, g.kl, x, eps]) t.dispose();
    });
  });

  it('leaves no tensors behind', () => {
    withParams(params, (p) => {
      const before = tf.memory().numTensors;
      const x = tf.tensor2d(xs, [n, 784]);
      const eps = tf.tensor2d(epsv, [n, 2]);
      const g = attnGradients(c, p, x, eps);
      for (const t of [...Object.values(g.grads), g.bce, g.kl, x, eps]) t.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});

describe('attn export and load', () => {
  const params = initAttnParams(c, new Rng(8, 1));
  const json = attnModelJsonText(c);
  const bytes = attnWeightBytes(c, params);

  it('writes model.json with the format, the config and a standard weightsManifest', () => {
    const j = JSON.parse(json);
    expect(j.format).toBe(ATTN_FORMAT);
    expect(j.modelTopology.config).toEqual(c);
    expect(j.weightsManifest).toHaveLength(1);
    expect(j.weightsManifest[0].paths).toEqual([WEIGHTS_FILE]);
    expect(attnWeightPaths(j)).toEqual([WEIGHTS_FILE]);
    expect(j.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual(attnEncoderSpecs(c).map((s) => s.name));
    const values = attnEncoderSpecs(c).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
    expect(bytes.byteLength).toBe(4 * values);
    expect(attnModelJsonText(c)).toBe(json); // deterministic
  });

  it('round-trips: loaded parameters are bit for bit the same and give identical outputs', () => {
    const loaded = attnEncoderFromArtifacts(json, [bytes.slice(0, 1000), bytes.slice(1000)]);
    expect(loaded.config).toEqual(c);
    for (const s of attnEncoderSpecs(c)) expect(same(loaded.params[s.name]!, params[s.name]!), s.name).toBe(true);
    const x = images(4, 21);
    const a = attnEncoder(c, params);
    const b = attnEncoder(loaded.config, loaded.params);
    const before = tf.memory().numTensors;
    const ea = a.encode(x);
    const eb = b.encode(x);
    expect(same(ea.mu, eb.mu) && same(ea.logvar, eb.logvar)).toBe(true);
    expect(same(a.attention(x), b.attention(x))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    const direct = withParams(params, (p) => tf.tidy(() => attnEncode(c, p, tf.tensor2d(x, [4, 784])).mu.dataSync() as Float32Array));
    expect(same(ea.mu, direct)).toBe(true);
    expect(a.attention(x).length).toBe(4 * 4 * 16 * 16);
    expect(() => a.encode(new Float32Array(100))).toThrow(/n × 784/);
    a.dispose();
    b.dispose();
  });

  it('loads quantized weights through tf.io.decodeWeights (uint8 affine quantization)', () => {
    const j = JSON.parse(json);
    const parts: Uint8Array[] = [];
    for (const w of j.weightsManifest[0].weights) {
      const v = params[w.name]!;
      const min = Math.min(...v);
      const max = Math.max(...v);
      const scale = max > min ? (max - min) / 255 : 1;
      parts.push(Uint8Array.from(v, (x) => Math.round((x - min) / scale)));
      w.dtype = 'float32';
      w.quantization = { dtype: 'uint8', scale, min };
    }
    const loaded = attnEncoderFromArtifacts(j, parts);
    for (const s of attnEncoderSpecs(c)) {
      const v = params[s.name]!;
      const range = Math.max(...v) - Math.min(...v);
      const err = loaded.params[s.name]!.reduce((m, x, i) => Math.max(m, Math.abs(x - v[i]!)), 0);
      expect(err, s.name).toBeLessThanOrEqual(range / 255 / 2 + 1e-6);
    }
  });

  it('rejects what it cannot run, saying why', () => {
    const j = () => JSON.parse(json);
    expect(() => attnEncoderFromArtifacts({ ...j(), format: 'layers-model' }, [bytes])).toThrow(/format.*latent-atlas-attn/);
    const heads = j();
    heads.modelTopology.config.heads = 8;
    expect(() => attnEncoderFromArtifacts(heads, [bytes])).toThrow(/config\.heads is 8/);
    const missing = j();
    missing.weightsManifest[0].weights = missing.weightsManifest[0].weights.filter((w: { name: string }) => w.name !== 'ln2/gamma');
    expect(() => attnEncoderFromArtifacts(missing, [bytes])).toThrow(/ln2\/gamma/);
    const shape = j();
    shape.weightsManifest[0].weights[0].shape = [64, 49];
    expect(() => attnEncoderFromArtifacts(shape, [bytes])).toThrow(/patch_embed\/kernel has shape \[64,49\]/);
    expect(() => attnEncoderFromArtifacts({ format: ATTN_FORMAT }, [bytes])).toThrow(/modelTopology/);
    expect(() => attnWeightPaths({})).toThrow(/weightsManifest/);
  });
});
