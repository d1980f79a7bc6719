import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { architecture, initParams, paramSpecs } from './architecture.ts';
import { bceScalar, bceSum, bceWithLogitsSum, klScalar, klSum } from './losses.ts';
import { bceLogits, decodeLogits, encode, evaluate, gradients, objectiveScale, type TensorParams, toTensors } from './math.ts';
import { Adam } from './adam.ts';
import { Rng } from './random.ts';
import { buildLayersModels, modelFromArtifacts, serializeModel, WEIGHTS_FILE, weightPaths } from './tfjs.ts';
import { expectGradientsMatch } from './grad-check.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

const randomBatch = (n: number, seed = 7) => {
  const r = new Rng(seed);
  return tf.tensor2d(Float32Array.from({ length: n * 784 }, () => (r.uniform() < 0.5 ? 0 : r.uniform())), [n, 784]);
};

describe('architecture', () => {
  it('matches the report: AE 784→128→2→128→784, VAE heads mu and logvar', () => {
    const shapes = (k: 'ae' | 'vae') => paramSpecs(architecture(k)).map((s) => `${s.name}:${s.shape.join('x')}`);
    expect(shapes('ae')).toEqual([
      'enc_hidden/kernel:784x128', 'enc_hidden/bias:128', 'z/kernel:128x2', 'z/bias:2',
      'dec_hidden/kernel:2x128', 'dec_hidden/bias:128', 'x_hat/kernel:128x784', 'x_hat/bias:784',
    ]);
    expect(shapes('vae')).toEqual([
      'enc_hidden/kernel:784x128', 'enc_hidden/bias:128', 'mu/kernel:128x2', 'mu/bias:2', 'logvar/kernel:128x2', 'logvar/bias:2',
      'dec_hidden/kernel:2x128', 'dec_hidden/bias:128', 'x_hat/kernel:128x784', 'x_hat/bias:784',
    ]);
    expect(architecture('vae', 5).decoder[0]!.inputs).toBe(5);
    expect(() => architecture('ae', 0)).toThrow(RangeError);
  });

  it('initialises like nn.Linear: U(±1/√fan_in) for kernels and biases, fixed by the seed', () => {
    const arch = architecture('vae');
    const a = initParams(arch, new Rng(0, 1));
    for (const spec of paramSpecs(arch)) {
      const fanIn = spec.name.startsWith('enc_hidden') ? 784 : spec.name.startsWith('dec_hidden') ? 2 : 128;
      const v = a[spec.name]!;
      const bound = 1 / Math.sqrt(fanIn);
      const max = v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      expect(max).toBeLessThanOrEqual(bound);
      if (v.length >= 128) {
        expect(max).toBeGreaterThan(0.9 * bound);
        const mean = v.reduce((s, x) => s + x, 0) / v.length;
        expect(Math.abs(mean)).toBeLessThan(0.2 * bound);
      }
    }
    const b = initParams(arch, new Rng(0, 1));
    const c = initParams(arch, new Rng(1, 1));
    expect(Buffer.from(b['x_hat/kernel']!.buffer).equals(Buffer.from(a['x_hat/kernel']!.buffer))).toBe(true);
    expect(c['x_hat/kernel']![0]).not.toBe(a['x_hat/kernel']![0]);
  });

  it('forward shapes', () => {
    for (const kind of ['ae', 'vae'] as const) {
      const arch = architecture(kind, 3);
      const p = toTensors(arch, initParams(arch, new Rng(1)));
      const x = randomBatch(5);
      const e = encode(arch, p, x);
      expect(e.z.shape).toEqual([5, 3]);
      if (kind === 'vae') expect([e.mu!.shape, e.logvar!.shape]).toEqual([[5, 3], [5, 3]]);
      expect(decodeLogits(p, e.z).shape).toEqual([5, 784]);
      tf.dispose([x, e.z, e.mu, e.logvar, ...Object.values(p)].filter((t): t is tf.Tensor => !!t));
    }
  });
});

describe('losses', () => {
  it('BCE and KL against hand-computed values', () => {
    expect(bceScalar(0.8, 1)).toBeCloseTo(0.2231435513, 9); // −ln 0.8
    expect(bceScalar(0.8, 0)).toBeCloseTo(1.6094379124, 9); // −ln 0.2
    expect(bceScalar(0.5, 0.5)).toBeCloseTo(0.6931471806, 9); // ln 2
    expect(bceScalar(1, 0)).toBe(100); // PyTorch's clamp of log at −100
    expect(klScalar(1, 0)).toBeCloseTo(0.5, 12);
    expect(klScalar(0, Math.log(2))).toBeCloseTo(0.5 * (1 - Math.log(2)), 12);
    expect(klScalar(0, 0)).toBeCloseTo(0, 12);

    const p = tf.tensor([0.8, 0.8, 0.5]);
    const x = tf.tensor([1, 0, 0.5]);
    const want = 0.2231435513 + 1.6094379124 + 0.6931471806;
    expect(bceSum(p, x).dataSync()[0]).toBeCloseTo(want, 5);
    const logits = tf.tensor([Math.log(4), Math.log(4), 0]);
    expect(bceWithLogitsSum(logits, x).dataSync()[0]).toBeCloseTo(want, 5);
    expect(klSum(tf.tensor([[1, 0]]), tf.tensor([[0, Math.log(2)]])).dataSync()[0]).toBeCloseTo(0.5 + 0.5 * (1 - Math.log(2)), 5);
  });

  it('the trainer’s fast BCE (grouped logs, with fallbacks) equals the softplus form', () => {
    const r = new Rng(8);
    const x = tf.tensor2d(Float32Array.from({ length: 4 * 784 }, () => (r.uniform() < 0.5 ? 0 : r.uniform())), [4, 784]);
    for (const scale of [1, 8, 40, 120]) {
      // scale 40: groups of four σ(−l) underflow, so the one-log-per-value path runs;
      // scale 120: σ(−l) itself underflows, so the softplus path runs
      const logits = tf.tensor2d(Float32Array.from({ length: 4 * 784 }, () => scale * (r.uniform() * 2 - 0.5)), [4, 784]);
      const fast = bceLogits(logits, x).dataSync()[0]!;
      const ref = bceWithLogitsSum(logits, x).dataSync()[0]!;
      expect(Number.isFinite(fast)).toBe(true);
      expect(Math.abs(fast - ref) / ref, `scale ${scale}`).toBeLessThan(1e-5);
    }
  });

  it('evaluate() matches a float64 forward pass and BCE to ~1e-7 relative', () => {
    const arch = architecture('ae');
    const params = initParams(arch, new Rng(21, 1));
    const n = 200;
    const x = randomBatch(n, 13);
    const got = evaluate(arch, toTensors(arch, params), x).bce.dataSync()[0]!;
    const xs = x.dataSync();
    const dense = (inp: Float64Array, name: string, nin: number, nout: number, relu: boolean) => {
      const W = params[`${name}/kernel`]!;
      const out = Float64Array.from(params[`${name}/bias`]!);
      for (let i = 0; i < nin; i++) for (let j = 0; j < nout; j++) out[j]! += inp[i]! * W[i * nout + j]!;
      return relu ? out.map((v) => Math.max(0, v)) : out;
    };
    let want = 0;
    for (let r = 0; r < n; r++) {
      const xr = Float64Array.from(xs.subarray(r * 784, (r + 1) * 784));
      const l = dense(dense(dense(dense(xr, 'enc_hidden', 784, 128, true), 'z', 128, 2, false), 'dec_hidden', 2, 128, true), 'x_hat', 128, 784, false);
      for (let j = 0; j < 784; j++) want += Math.max(l[j]!, 0) + Math.log1p(Math.exp(-Math.abs(l[j]!))) - xr[j]! * l[j]!;
    }
    expect(Math.abs(got - want) / want).toBeLessThan(1e-6);
  });

  it('the trainer’s evaluate() equals the public loss functions', () => {
    for (const kind of ['ae', 'vae'] as const) {
      const arch = architecture(kind);
      const p = toTensors(arch, initParams(arch, new Rng(3)));
      const x = randomBatch(8);
      const eps = tf.randomNormal([8, 2], 0, 1, 'float32', 1);
      const r = evaluate(arch, p, x, eps);
      const e = encode(arch, p, x);
      const z = kind === 'ae' ? e.z : tf.add(e.mu!, tf.mul(tf.exp(tf.mul(e.logvar!, 0.5)), eps));
      const probs = tf.sigmoid(decodeLogits(p, z));
      expect(r.bce.dataSync()[0]).toBeCloseTo(bceSum(probs, x).dataSync()[0]!, 1);
      expect(r.kl.dataSync()[0]).toBeCloseTo(kind === 'ae' ? 0 : klSum(e.mu!, e.logvar!).dataSync()[0]!, 4);
    }
  });
});

/** The report's objective written with plain TF.js ops, differentiated by tf.grads. */
function autodiffGrads(kind: 'ae' | 'vae', p: TensorParams, names: string[], x: tf.Tensor2D, eps?: tf.Tensor2D): tf.Tensor[] {
  const arch = architecture(kind);
  const f = (...vals: tf.Tensor[]) => {
    const q = Object.fromEntries(names.map((n, i) => [n, vals[i]!]));
    const lin = (l: string, t: tf.Tensor) => tf.add(tf.matMul(t as tf.Tensor2D, q[`${l}/kernel`] as tf.Tensor2D), q[`${l}/bias`]!);
    const h = tf.relu(lin('enc_hidden', x));
    let z: tf.Tensor;
    let kl: tf.Tensor = tf.scalar(0);
    if (kind === 'ae') z = lin('z', h);
    else {
      const mu = lin('mu', h);
      const lv = lin('logvar', h);
      z = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), eps!));
      kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, lv), tf.square(mu)), tf.exp(lv))));
    }
    const logits = lin('x_hat', tf.relu(lin('dec_hidden', z)));
    const bce = tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits)));
    return tf.mul(tf.add(bce, kl), objectiveScale(arch, x.shape[0])) as tf.Scalar;
  };
  return tf.grads(f)(names.map((n) => p[n]!));
}

describe('hand-written backward pass', () => {
  for (const kind of ['ae', 'vae'] as const) {
    it(`${kind}: gradients match tf.grads of the same objective`, () => {
      const arch = architecture(kind);
      const p = toTensors(arch, initParams(arch, new Rng(11, 1)));
      const names = paramSpecs(arch).map((s) => s.name);
      const n = 16;
      const x = randomBatch(n, 5);
      const xT = tf.transpose(x);
      const eps = kind === 'vae' ? tf.tensor2d(new Rng(4).fillNormal(new Float32Array(n * 2)), [n, 2]) : undefined;
      const mine = gradients(arch, p, x, xT, eps);
      const ref = autodiffGrads(kind, p, names, x, eps);
      expectGradientsMatch(mine.grads, ref, names);
    });
  }

  it('finite differences agree on a few AE weights', () => {
    const arch = architecture('ae');
    const base = initParams(arch, new Rng(2, 1));
    const x = randomBatch(4, 9);
    const p = toTensors(arch, base);
    const g = gradients(arch, p, x, tf.transpose(x));
    const loss = (params: typeof base) => {
      const q = toTensors(arch, params);
      const v = evaluate(arch, q, x).bce.dataSync()[0]! * objectiveScale(arch, 4);
      tf.dispose(Object.values(q));
      return v;
    };
    for (const [name, idx] of [['z/kernel', 3], ['dec_hidden/bias', 5], ['x_hat/bias', 400]] as const) {
      const h = 1e-2;
      const plus = { ...base, [name]: base[name]!.slice() };
      const minus = { ...base, [name]: base[name]!.slice() };
      plus[name]![idx]! += h;
      minus[name]![idx]! -= h;
      const fd = (loss(plus) - loss(minus)) / (2 * h);
      const an = g.grads[name]!.dataSync()[idx]!;
      expect(Math.abs(fd - an), name).toBeLessThan(2e-2 * Math.abs(an) + 1e-5);
    }
  });

  it('Adam matches the PyTorch update on a hand-computed step', () => {
    const adam = new Adam(0.1);
    let p: TensorParams = { w: tf.tensor([1, -2]) };
    p = adam.apply(p, { w: tf.tensor([0.5, -4]) });
    // step 1: m̂ = g, v̂ = g², update = lr · g / (|g| + ε) ≈ lr · sign(g)
    const v = p.w!.dataSync();
    expect(v[0]).toBeCloseTo(0.9, 6);
    expect(v[1]).toBeCloseTo(-1.9, 6);
    p = adam.apply(p, { w: tf.tensor([0.5, 0]) });
    // step 2, second entry: m = 0.09·(−4)·… → m̂ = (0.9·0.1·(−4)) / (1 − 0.81), v̂ = 0.999·0.001·16 / (1 − 0.998001)
    const m2 = (0.9 * 0.1 * -4) / (1 - 0.81);
    const v2 = (0.999 * 0.001 * 16) / (1 - 0.999 ** 2);
    expect(p.w!.dataSync()[1]).toBeCloseTo(-1.9 - (0.1 * m2) / (Math.sqrt(v2) + 1e-8), 5);
  });
});

describe('TF.js layers export', () => {
  for (const kind of ['ae', 'vae'] as const) {
    it(`${kind}: save → load gives identical outputs, deterministic bytes, contract names`, async () => {
      const arch = architecture(kind);
      const params = initParams(arch, new Rng(5, 1));
      const built = buildLayersModels(arch, params);
      const enc = await serializeModel(built.encoder);
      const dec = await serializeModel(built.decoder);
      const again = await serializeModel(buildLayersModels(arch, params).encoder);
      expect(again.modelJson).toBe(enc.modelJson);
      expect(Buffer.from(again.weights).equals(Buffer.from(enc.weights))).toBe(true);
      expect(weightPaths(JSON.parse(enc.modelJson))).toEqual([WEIGHTS_FILE]);

      const encoder = await modelFromArtifacts(enc.modelJson, [enc.weights]);
      const decoder = await modelFromArtifacts(JSON.parse(dec.modelJson), [dec.weights.slice().buffer]);
      expect(encoder.inputs[0]!.shape).toEqual([null, 784]);
      expect(decoder.inputs[0]!.shape).toEqual([null, 2]);
      expect(decoder.outputs[0]!.shape).toEqual([null, 784]);
      if (kind === 'vae') expect(encoder.outputNames).toEqual(['mu', 'logvar']);
      else expect(encoder.outputs[0]!.shape).toEqual([null, 2]);

      const x = randomBatch(6, 3);
      const outsA = [built.encoder.predict(x)].flat() as tf.Tensor[];
      const outsB = [encoder.predict(x)].flat() as tf.Tensor[];
      outsA.forEach((a, i) => expect(Array.from(outsB[i]!.dataSync())).toEqual(Array.from(a.dataSync())));
      const z = outsB[0]!;
      expect(Array.from((decoder.predict(z) as tf.Tensor).dataSync())).toEqual(Array.from((built.decoder.predict(z) as tf.Tensor).dataSync()));

      // the exported model computes what the trainer's math computes
      const p = toTensors(arch, params);
      const e = encode(arch, p, x);
      const close = (a: tf.Tensor, b: tf.Tensor) => Array.from(a.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(b.dataSync()[i]!, 5));
      close(outsB[0]!, e.z);
      if (kind === 'vae') close(outsB[1]!, e.logvar!);
      close(decoder.predict(e.z) as tf.Tensor, tf.sigmoid(decodeLogits(p, e.z)));
    });
  }
});
