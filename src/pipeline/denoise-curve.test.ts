import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { loadMnist } from '../data/mnist-node.ts';
import { PIXELS, toFloat } from '../data/mnist.ts';
import { bceScalar } from '../models/losses.ts';
import { Rng } from '../models/random.ts';
import { noisyInto } from '../models/step.ts';
import { DENOISE_FILE, DENOISE_SEED, parseDenoiseCurve, SIGMAS } from '../contracts/denoise-curve.ts';
import { initBackend } from './backend.ts';
import { chains, curveSources, meanBces, parseDenoiseArgs, reconstructBatch, reconstructBatchPredict, UsageError, type CurveModel } from './denoise-curve.ts';
import { loadPretrained } from './model-io.ts';

describe('bake:denoise flags', () => {
  it('defaults to all test digits in pretrained/ on wasm', () => {
    expect(parseDenoiseArgs([])).toEqual({ dir: 'pretrained', backend: 'wasm', count: 10000, help: false });
    expect(parseDenoiseArgs(['--dir=x', '--count', '50', '--backend', 'cpu'])).toEqual({ dir: 'x', backend: 'cpu', count: 50, help: false });
  });
  it('rejects bad ones with a clear message', () => {
    expect(() => parseDenoiseArgs(['--count', '0'])).toThrow(UsageError);
    expect(() => parseDenoiseArgs(['--count', '1.5'])).toThrow(/--count must be an integer from 1 to 10000/);
    expect(() => parseDenoiseArgs(['--backend', 'gpu'])).toThrow(/--backend must be "wasm" or "cpu"/);
    expect(() => parseDenoiseArgs(['--sigma', '1'])).toThrow(/unknown flag --sigma/);
    expect(() => parseDenoiseArgs(['--dir'])).toThrow(/--dir needs a value/);
  });
});

describe('the curve against a direct recomputation', () => {
  it('matches noising, encoding (layers predict), decoding and scoring each digit on its own', async () => {
    await initBackend('cpu');
    const n = 12;
    const clean = toFloat(loadMnist().test).subarray(0, n * PIXELS);
    const sigmas = [0, 0.5, 1];
    for (const [id, kind] of [['ae', 'ae'], ['dae', 'dae'], ['vae', 'vae']] as const) {
      const { encoder, decoder } = await loadPretrained(id);
      const model: CurveModel = { id, kind, encoder, decoder };
      // The fast Dense chain is tfjs-layers' predict.
      const a = reconstructBatch(chains(model), clean, n);
      const b = reconstructBatchPredict(model, clean, n);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      expect(worst, `${id}: chain vs predict`).toBeLessThan(1e-5);
      const curve = meanBces(model, clean, n, sigmas);
      sigmas.forEach((sigma, k) => {
        const rng = new Rng(DENOISE_SEED); // one stream through the digits in order
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const x = clean.subarray(i * PIXELS, (i + 1) * PIXELS);
          const noisy = noisyInto(x, sigma, rng);
          const probs = reconstructBatchPredict(model, noisy, 1);
          for (let p = 0; p < PIXELS; p++) sum += bceScalar(probs[p]!, x[p]!);
        }
        expect(curve[k], `${id} at σ ${sigma}`).toBeCloseTo(sum / n, 2);
      });
      encoder.dispose();
      decoder.dispose();
    }
    expect(tf.memory().numTensors).toBeLessThan(100);
  }, 60_000);
});

const committed = existsSync(`pretrained/${DENOISE_FILE}`);
describe.runIf(committed)('the committed pretrained/denoise-curve.json', () => {
  const curve = () => parseDenoiseCurve(JSON.parse(readFileSync(`pretrained/${DENOISE_FILE}`, 'utf8')));
  it('was baked from the committed models (else rerun npm run bake:denoise)', async () => {
    const c = curve();
    expect(await curveSources('pretrained', c.models.map((m) => m.id))).toEqual(c.sources);
    expect(c.sigmas).toEqual([...SIGMAS]);
    expect(c.count).toBe(10000);
  });
  it('agrees with the trainer’s own test figures: clean BCE at σ 0, noisy BCE at σ 0.5 (same seed)', () => {
    const c = curve();
    const metrics = (id: string) => JSON.parse(readFileSync(`pretrained/${id}/metrics.json`, 'utf8')) as { final: { test: { bce: number; noisy?: { sigma: number; seed: number; bce: number } } } };
    for (const id of ['ae', 'dae']) {
      const s = c.models.find((m) => m.id === id)!;
      const m = metrics(id).final.test;
      expect(m.noisy!.seed).toBe(c.seed);
      expect(s.bce[SIGMAS.indexOf(m.noisy!.sigma)]).toBeCloseTo(m.noisy!.bce, 1);
      expect(s.bce[0]).toBeCloseTo(m.bce, 1);
    }
  });
});
