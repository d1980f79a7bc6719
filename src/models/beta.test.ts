/** β-VAE gradients (KL weighted by β) and the shared training step. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { architecture, initParams, paramSpecs } from './architecture.ts';
import { Adam } from './adam.ts';
import { decodeLogits, encode, evaluate, gradients, releaseConstants, type TensorParams, toTensors } from './math.ts';
import { bceWithLogitsSum, klSum } from './losses.ts';
import { Rng } from './random.ts';
import { trainStep, transposeBatch } from './step.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

/** A reproducible batch of sparse "ink" in [0, 1], like MNIST's mostly-black images. */
function batch(n: number, seed: number): Float32Array {
  const r = new Rng(seed);
  return Float32Array.from({ length: n * 784 }, () => (r.uniform() < 0.6 ? 0 : r.uniform()));
}

const read = (t: tf.Tensor) => Array.from(t.dataSync());

/** Relative L2 distance between two arrays. */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i]! - b[i]!) ** 2;
    s += b[i]! ** 2;
  }
  return Math.sqrt(d / Math.max(s, 1e-30));
}

describe('β-VAE gradients', () => {
  const arch = architecture('vae', 3);
  const names = paramSpecs(arch).map((s) => s.name);
  const n = 8;
  let p: TensorParams;
  let x: tf.Tensor2D;
  let xT: tf.Tensor2D;
  let eps: tf.Tensor2D;

  beforeAll(() => {
    p = toTensors(arch, initParams(arch, new Rng(21, 1)));
    x = tf.tensor2d(batch(n, 3), [n, 784]);
    xT = tf.transpose(x);
    eps = tf.tensor2d(new Rng(5).fillNormal(new Float32Array(n * 3)), [n, 3]);
  });

  const grads = (beta?: number) => {
    const r = gradients(arch, p, x, xT, eps, beta);
    const out = Object.fromEntries(names.map((k) => [k, read(r.grads[k]!)]));
    const sums = { bce: r.bce.dataSync()[0]!, kl: r.kl.dataSync()[0]! };
    tf.dispose([r.bce, r.kl, ...Object.values(r.grads)]);
    return { g: out, ...sums };
  };

  it('β = 1 is exactly the VAE (the default), and the loss sums do not depend on β', () => {
    const plain = grads();
    const one = grads(1);
    const four = grads(4);
    for (const k of names) expect(one.g[k], k).toEqual(plain.g[k]);
    expect(four.bce).toBe(plain.bce);
    expect(four.kl).toBe(plain.kl);
  });

  it('the KL part scales with β: hand-computed bias gradients of the two heads', () => {
    // The KL's own gradients are dKL/dmu = mu and dKL/dlogvar = ½(e^logvar − 1); both heads'
    // biases collect them summed over the batch. So g_β − g_1 = (β − 1) · those sums.
    const { mu, logvar } = encode(arch, p, x);
    const muV = read(mu!);
    const lvV = read(logvar!);
    tf.dispose([mu!, logvar!]);
    const d = arch.latentDim;
    const muSum = new Array<number>(d).fill(0);
    const lvSum = new Array<number>(d).fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        muSum[j]! += muV[i * d + j]!;
        lvSum[j]! += 0.5 * (Math.exp(lvV[i * d + j]!) - 1);
      }
    }
    const g1 = grads(1).g;
    for (const beta of [0, 2.5, 8]) {
      const gb = grads(beta).g;
      for (let j = 0; j < d; j++) {
        expect(gb['mu/bias']![j]! - g1['mu/bias']![j]!).toBeCloseTo((beta - 1) * muSum[j]!, 4);
        expect(gb['logvar/bias']![j]! - g1['logvar/bias']![j]!).toBeCloseTo((beta - 1) * lvSum[j]!, 4);
      }
      // The decoder never sees the KL: its gradients do not depend on β.
      for (const k of ['dec_hidden/kernel', 'dec_hidden/bias', 'x_hat/kernel', 'x_hat/bias']) {
        expect(relDiff(gb[k]!, g1[k]!), k).toBeLessThan(1e-6);
      }
    }
  });

  for (const beta of [0, 0.5, 4]) {
    it(`β = ${beta}: every gradient matches tf.grads of Σ BCE + β·Σ KL${beta === 0 ? ' (β = 0 drops the KL)' : ''}`, () => {
      const mine = grads(beta).g;
      const f = (...vals: tf.Tensor[]) => {
        const q: TensorParams = Object.fromEntries(names.map((k, i) => [k, vals[i]!]));
        const { mu, logvar } = encode(arch, q, x);
        const z = tf.add(mu!, tf.mul(tf.exp(tf.mul(logvar!, 0.5)), eps));
        const bce = bceWithLogitsSum(decodeLogits(q, z), x);
        return beta === 0 ? bce : tf.add(bce, tf.mul(klSum(mu!, logvar!), beta));
      };
      const ref = tf.grads(f)(names.map((k) => p[k]!));
      names.forEach((k, i) => {
        const r = read(ref[i]!);
        expect(relDiff(mine[k]!, r), k).toBeLessThan(1e-4);
      });
      tf.dispose(ref);
    });
  }
});

describe('trainStep (shared by the Node trainer and the page)', () => {
  it('transposeBatch transposes row-major [n, cols]', () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]); // 2 × 3
    expect(Array.from(transposeBatch(x, 2, 3))).toEqual([1, 4, 2, 5, 3, 6]);
  });

  for (const [kind, beta] of [['ae', 1], ['vae', 1], ['vae', 4]] as const) {
    it(`${kind}${beta !== 1 ? ` β = ${beta}` : ''}: a few steps on a tiny batch lower the loss and leak no tensors`, () => {
      const arch = architecture(kind, 2);
      let params = toTensors(arch, initParams(arch, new Rng(0, 1)));
      const adam = new Adam(3e-3);
      const n = 16;
      const xs = batch(n, 11);
      const xT = transposeBatch(xs, n, 784);
      const noise = new Rng(0, 3);
      const lossOf = () =>
        tf.tidy(() => {
          const e = kind === 'vae' ? tf.zeros([n, 2]) : undefined; // the mean code: a deterministic check
          const r = evaluate(arch, params, tf.tensor2d(xs, [n, 784]), e);
          return r.bce.dataSync()[0]! + beta * r.kl.dataSync()[0]!;
        });
      const before = lossOf();
      const seen: number[] = [];
      for (let i = 0; i < 30; i++) {
        const eps = kind === 'vae' ? noise.fillNormal(new Float32Array(n * 2)) : undefined;
        const r = trainStep(arch, params, adam, { n, x: xs, xT, eps }, beta);
        params = r.params;
        expect(Number.isFinite(r.bce) && Number.isFinite(r.kl)).toBe(true);
        if (kind === 'ae') expect(r.kl).toBe(0);
        seen.push(r.bce + beta * r.kl);
      }
      const after = lossOf();
      expect(after).toBeLessThan(0.8 * before);
      expect(seen[seen.length - 1]!).toBeLessThan(seen[0]!);
      // Once Adam's moments exist, a step allocates nothing that outlives it.
      const afterSteps = tf.memory().numTensors;
      const extra = trainStep(arch, params, adam, { n, x: xs, xT, eps: kind === 'vae' ? noise.fillNormal(new Float32Array(n * 2)) : undefined }, beta);
      params = extra.params;
      expect(tf.memory().numTensors).toBe(afterSteps);
      tf.dispose(Object.values(params));
      adam.dispose();
    });
  }

  for (const kind of ['ae', 'vae'] as const) {
    it(`${kind}: an epoch's short last batch leaves the live tensor count as it was (constants follow the batch size)`, () => {
      releaseConstants();
      const arch = architecture(kind, 2);
      let params = toTensors(arch, initParams(arch, new Rng(0, 1)));
      const adam = new Adam(1e-3);
      const noise = new Rng(0, 5);
      const step = (n: number) => {
        const xs = batch(n, n);
        const eps = kind === 'vae' ? noise.fillNormal(new Float32Array(n * 2)) : undefined;
        params = trainStep(arch, params, adam, { n, x: xs, xT: transposeBatch(xs, n, 784), eps }, 1).params;
      };
      step(16);
      const steady = tf.memory().numTensors;
      step(5); // the short batch at an epoch's end
      expect(tf.memory().numTensors).toBe(steady);
      step(16);
      expect(tf.memory().numTensors).toBe(steady);
      tf.dispose(Object.values(params));
      adam.dispose();
      releaseConstants();
    });
  }

  it('a finished run (params, Adam, cached constants released) leaves no tensors behind', () => {
    releaseConstants();
    const baseline = tf.memory().numTensors;
    const arch = architecture('vae', 2);
    let params = toTensors(arch, initParams(arch, new Rng(0, 1)));
    const adam = new Adam(1e-3);
    const noise = new Rng(0, 5);
    for (const n of [8, 12]) {
      const xs = batch(n, n);
      const r = trainStep(arch, params, adam, { n, x: xs, xT: transposeBatch(xs, n, 784), eps: noise.fillNormal(new Float32Array(n * 2)) }, 1);
      params = r.params;
    }
    expect(tf.memory().numTensors).toBeGreaterThan(baseline);
    tf.dispose(Object.values(params));
    adam.dispose();
    releaseConstants();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
