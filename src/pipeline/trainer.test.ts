import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeSubset } from '../data/mnist.ts';
import { loadMnist } from '../data/mnist-node.ts';
import { architecture, initParams, Rng, toTensors } from '../models/index.ts';
import { initBackend } from './backend.ts';
import { checkpointMismatch, loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { evaluateSplit, InterruptedError, type TrainConfig, type TrainState, train } from './trainer.ts';

const full = loadMnist();
const data = { train: takeSubset(full.train, 1536), test: takeSubset(full.test, 500) };
const cfg = (model: 'ae' | 'vae', epochs = 1): TrainConfig => ({ model, epochs, batchSize: 128, lr: 1e-3, latentDim: 2, seed: 3 });
const tmp = mkdtempSync(join(tmpdir(), 'trainer-test-'));

beforeAll(async () => {
  await initBackend('wasm');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bytes = (p: Record<string, Float32Array>) => Buffer.concat(Object.keys(p).sort().map((k) => Buffer.from(p[k]!.buffer, p[k]!.byteOffset, p[k]!.byteLength)));

describe('train', () => {
  for (const model of ['ae', 'vae'] as const) {
    it(`${model}: one epoch on a subset lowers the test loss and records metrics`, async () => {
      const arch = architecture(model);
      const p0 = toTensors(arch, initParams(arch, new Rng(3, 1)));
      const before = evaluateSplit(arch, p0, data.test, new Rng(3, 1001));
      const batches: number[] = [];
      const r = await train(cfg(model), data, { onBatch: (b) => batches.push(b.batch) });
      expect(batches).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      const e = r.history[0]!;
      expect(e.test.loss).toBeLessThan(before.loss - 50);
      expect(e.train.loss).toBeCloseTo(e.train.bce + e.train.kl, 6);
      if (model === 'ae') expect(e.train.kl).toBe(0);
      else expect(e.test.kl).toBeGreaterThan(0);
      expect(e.seconds).toBeGreaterThan(0);
    });
  }

  it('is deterministic: same seed ⇒ identical weights; another seed ⇒ different', async () => {
    const a = await train(cfg('vae'), data);
    const b = await train(cfg('vae'), data);
    const c = await train({ ...cfg('vae'), seed: 4 }, data);
    expect(bytes(a.params).equals(bytes(b.params))).toBe(true);
    expect(a.history[0]!.test).toEqual(b.history[0]!.test);
    expect(bytes(a.params).equals(bytes(c.params))).toBe(false);
  });

  it('resumes from a checkpoint exactly where an uninterrupted run would be', async () => {
    const straight = await train(cfg('vae', 2), data);
    const dir = join(tmp, 'ckpt');
    let stop = false;
    await expect(
      train(cfg('vae', 2), data, {
        onEpoch: async (_m, state) => {
          await saveCheckpoint(dir, state());
          stop = true;
        },
        shouldStop: () => stop,
      }),
    ).rejects.toBeInstanceOf(InterruptedError);
    const state = (await loadCheckpoint(dir)) as TrainState;
    expect(state.epochsDone).toBe(1);
    expect(checkpointMismatch(state, cfg('vae', 2), 1536, 500)).toBeNull();
    expect(checkpointMismatch(state, { ...cfg('vae', 2), lr: 0.01 }, 1536, 500)).toMatch(/lr 0.001 ≠ 0.01/);
    const resumed = await train(cfg('vae', 2), data, {}, state);
    expect(resumed.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(bytes(resumed.params).equals(bytes(straight.params))).toBe(true);
    expect(resumed.history[1]!.test).toEqual(straight.history[1]!.test);
  });

  it('validates its config', async () => {
    await expect(train({ ...cfg('ae'), batchSize: 0 }, data)).rejects.toThrow(/batchSize must be a positive integer/);
  });
});
