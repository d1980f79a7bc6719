/** The trainer on the zoo's kinds: dae and cvae training, β, per-dimension KL and the noisy-input figure. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { takeSubset } from '../data/mnist.ts';
import { loadMnist } from '../data/mnist-node.ts';
import { architecture, initParams, type ModelKind, Rng, toTensors } from '../models/index.ts';
import { initBackend } from './backend.ts';
import { checkpointMismatch } from './checkpoint.ts';
import { ACTIVE_KL, evaluateSplit, klPerDim, NOISY_EVAL, noisyBce, type TrainConfig, type TrainState, train } from './trainer.ts';

const full = loadMnist();
const data = { train: takeSubset(full.train, 1536), test: takeSubset(full.test, 500) };
const cfg = (model: ModelKind, extra: Partial<TrainConfig> = {}): TrainConfig => ({ model, epochs: 1, batchSize: 128, lr: 1e-3, latentDim: 2, seed: 3, threads: 1, ...extra });
const bytes = (p: Record<string, Float32Array>) => Buffer.concat(Object.keys(p).sort().map((k) => Buffer.from(p[k]!.buffer, p[k]!.byteOffset, p[k]!.byteLength)));

beforeAll(async () => {
  await initBackend('wasm');
});

describe('train: zoo kinds', () => {
  for (const model of ['dae', 'cvae'] as const) {
    it(`${model}: one epoch lowers the test loss, deterministically`, async () => {
      const arch = architecture(model);
      const p0 = toTensors(arch, initParams(arch, new Rng(3, 1)));
      const before = evaluateSplit(arch, p0, data.test, new Rng(3, 1001));
      tf.dispose(Object.values(p0));
      const numTensors = tf.memory().numTensors;
      const a = await train(cfg(model), data);
      const b = await train(cfg(model), data);
      expect(a.history[0]!.test.loss).toBeLessThan(before.loss - 50);
      expect(bytes(a.params).equals(bytes(b.params))).toBe(true);
      expect(a.history[0]!.test).toEqual(b.history[0]!.test);
      expect(a.params['enc_hidden/kernel']!.length).toBe(arch.inputDim * 128);
      expect(tf.memory().numTensors).toBe(numTensors);
    });
  }

  it('dae: σ = 0 trains the AE exactly; σ > 0 trains something else', async () => {
    const ae = await train(cfg('ae', { epochs: 2 }), data);
    const dae0 = await train(cfg('dae', { epochs: 2, noise: 0 }), data);
    const dae = await train(cfg('dae', { epochs: 2 }), data);
    expect(bytes(dae0.params).equals(bytes(ae.params))).toBe(true);
    expect(bytes(dae.params).equals(bytes(ae.params))).toBe(false);
    expect(dae.history[1]!.train.bce).not.toBe(ae.history[1]!.train.bce);
  });

  it('β weights the KL: a larger β gives a smaller KL; β = 1 is the default', async () => {
    const one = await train(cfg('vae', { epochs: 2 }), data);
    const dflt = await train(cfg('vae', { epochs: 2, beta: undefined }), data);
    const eight = await train(cfg('vae', { epochs: 2, beta: 8 }), data);
    expect(bytes(dflt.params).equals(bytes(one.params))).toBe(true);
    expect(eight.history[1]!.test.kl).toBeLessThan(one.history[1]!.test.kl);
  });

  it('validates β and the noise level', async () => {
    await expect(train(cfg('vae', { beta: -1 }), data)).rejects.toThrow(/beta must be a number ≥ 0/);
    await expect(train(cfg('dae', { noise: 1.5 }), data)).rejects.toThrow(/noise must be a number in \[0, 1\]/);
    await expect(train(cfg('gan' as ModelKind), data)).rejects.toThrow(/model must be one of ae, vae, dae, cvae/);
  });

  it('checkpoints do not resume across β or noise', () => {
    const state = { config: cfg('vae', { beta: 2 }), trainSize: 1536, testSize: 500, epochsDone: 1 } as TrainState;
    expect(checkpointMismatch(state, cfg('vae', { beta: 2 }), 1536, 500)).toBeNull();
    expect(checkpointMismatch(state, cfg('vae'), 1536, 500)).toMatch(/beta 2 ≠ 1/);
    const dae = { ...state, config: cfg('dae') };
    expect(checkpointMismatch(dae, cfg('dae', { noise: 0.5 }), 1536, 500)).toBeNull();
    expect(checkpointMismatch(dae, cfg('dae', { noise: 0.3 }), 1536, 500)).toMatch(/noise 0.5 ≠ 0.3/);
  });
});

describe('final test figures', () => {
  it('klPerDim: per-dimension means that add up to the test KL; active dims above 0.01 nats', async () => {
    const r = await train(cfg('vae', { latentDim: 5 }), data);
    const arch = architecture('vae', 5);
    const p = toTensors(arch, r.params);
    const kl = klPerDim(arch, p, data.test);
    expect(kl).toHaveLength(5);
    for (const v of kl) expect(v).toBeGreaterThanOrEqual(0);
    // the epoch's test KL is the same quantity (it does not depend on the sampled z)
    expect(kl.reduce((s, v) => s + v, 0)).toBeCloseTo(r.history[0]!.test.kl, 3);
    expect(kl.filter((v) => v > ACTIVE_KL).length).toBeGreaterThan(0);
    expect(() => klPerDim(architecture('ae'), p, data.test)).toThrow(/no KL term/);
    tf.dispose(Object.values(p));
  });

  it('cvae: klPerDim uses the labels', async () => {
    const r = await train(cfg('cvae'), data);
    const arch = architecture('cvae');
    const p = toTensors(arch, r.params);
    expect(klPerDim(arch, p, data.test).reduce((s, v) => s + v, 0)).toBeCloseTo(r.history[0]!.test.kl, 3);
    tf.dispose(Object.values(p));
  });

  it('noisyBce: fixed seed, BCE against the clean images; σ = 0 gives the clean BCE', async () => {
    const r = await train(cfg('ae'), data);
    const arch = architecture('ae');
    const p = toTensors(arch, r.params);
    const a = noisyBce(arch, p, data.test);
    expect(noisyBce(arch, p, data.test)).toBe(a);
    expect(a).not.toBeCloseTo(r.history[0]!.test.bce, 0);
    const clean = evaluateSplit(arch, p, data.test, new Rng(1), { sigma: 0, rng: new Rng(NOISY_EVAL.seed) }).bce;
    expect(clean).toBeCloseTo(r.history[0]!.test.bce, 6);
    tf.dispose(Object.values(p));
  });
});
