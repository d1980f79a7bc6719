import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../models/random.ts';
import { type DataSource, TrainSession } from './session.ts';
import { resolveSettings } from './settings.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

/** 64 tiny synthetic "digits": bars at one of four positions, in 28 × 28. */
const COUNT = 64;
const images = new Float32Array(COUNT * 784);
for (let i = 0; i < COUNT; i++) {
  const row = 4 + 6 * (i % 4);
  for (let c = 4; c < 24; c++) images[i * 784 + row * 28 + c] = 1;
}
const source: DataSource = { image: (i, out) => out.set(images.subarray(i * 784, (i + 1) * 784)) };

const settings = (choice: string, over: Partial<{ betaIndex: number; latentDim: number; batchIndex: number }> = {}) =>
  resolveSettings({ choice, betaIndex: over.betaIndex ?? 5, latentDim: over.latentDim ?? 2, lrIndex: 3, batchIndex: over.batchIndex ?? 0 });

/** The mean per-image objective on all images (fixed noise). */
function heldLoss(s: TrainSession): number {
  const r = s.evaluate(images, COUNT, new Rng(9));
  return (r.bce + s.beta * r.kl) / COUNT;
}

describe('TrainSession', () => {
  for (const choice of ['ae', 'vae', 'beta-vae']) {
    it(`${choice}: training steps lower the loss, and no step leaks a tensor`, () => {
      const s = new TrainSession(settings(choice), source, { start: 0, count: COUNT });
      const before = heldLoss(s);
      s.trainStep(); // Adam's moments are created by the first step
      const tensors = tf.memory().numTensors;
      for (let i = 0; i < 40; i++) {
        const r = s.trainStep();
        expect(r.n).toBe(16);
        expect(r.total).toBeCloseTo(r.bce + (choice === 'ae' ? 0 : s.beta * r.kl), 3);
      }
      expect(tf.memory().numTensors).toBe(tensors);
      expect(s.step).toBe(41);
      expect(s.imagesSeen).toBe(41 * 16);
      expect(heldLoss(s)).toBeLessThan(0.7 * before);
      const rec = s.reconstruct(images.subarray(0, 2 * 784), 2);
      expect(rec.length).toBe(2 * 784);
      expect(tf.memory().numTensors).toBe(tensors);
      s.dispose();
      expect(() => s.trainStep()).toThrow(/reset/);
    });
  }

  it('the same seed gives the same run; codes have the latent size', () => {
    const a = new TrainSession(settings('vae', { latentDim: 10 }), source, { start: 0, count: COUNT });
    const b = new TrainSession(settings('vae', { latentDim: 10 }), source, { start: 0, count: COUNT });
    for (let i = 0; i < 3; i++) expect(a.trainStep()).toEqual(b.trainStep());
    const codes = a.evaluate(images, COUNT, new Rng(1)).codes;
    expect(codes.length).toBe(COUNT * 10);
    a.dispose();
    b.dispose();
  });

  it('uses only its training range, reshuffled every epoch, with a short last batch', () => {
    const seen: number[] = [];
    const spy: DataSource = { image: (i, out) => (seen.push(i), source.image(i, out)) };
    const s = new TrainSession(settings('ae', { batchIndex: 3 }), spy, { start: 10, count: 40 }); // batch 128 > 40
    expect(s.trainStep().n).toBe(40);
    expect(new Set(seen)).toEqual(new Set(Array.from({ length: 40 }, (_, i) => 10 + i)));
    s.batchSize = 16;
    expect([s.trainStep().n, s.trainStep().n, s.trainStep().n]).toEqual([16, 16, 8]);
    const epoch2 = seen.slice(40);
    expect(new Set(epoch2).size).toBe(40);
    expect(epoch2).not.toEqual(seen.slice(0, 40));
    s.dispose();
  });
});
