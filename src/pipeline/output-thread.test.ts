/** The second training thread: same bits as one thread, checkpoints across thread counts, failures. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeSubset } from '../data/mnist.ts';
import { loadMnist } from '../data/mnist-node.ts';
import { architecture, initParams, type ModelKind, Rng, toTensors } from '../models/index.ts';
import { initBackend } from './backend.ts';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { OutputLayerThread } from './output-thread.ts';
import { InterruptedError, type TrainConfig, type TrainState, train } from './trainer.ts';

// 1,500 images: 11 batches of 128 and a short one of 92, so the last-batch path is covered
const full = loadMnist();
const data = { train: takeSubset(full.train, 1500), test: takeSubset(full.test, 400) };
const cfg = (model: ModelKind, threads: 1 | 2, epochs = 2): TrainConfig => ({ model, epochs, batchSize: 128, lr: 1e-3, latentDim: 2, seed: 5, threads });
const tmp = mkdtempSync(join(tmpdir(), 'output-thread-test-'));

beforeAll(async () => {
  await initBackend('wasm');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bytes = (p: Record<string, Float32Array>) => Buffer.concat(Object.keys(p).sort().map((k) => Buffer.from(p[k]!.buffer, p[k]!.byteOffset, p[k]!.byteLength)));

/** Trains `epochs` with a checkpoint after the first epoch, then stops; returns the checkpoint. */
async function checkpointAfterEpoch1(config: TrainConfig, dir: string): Promise<TrainState> {
  let stop = false;
  await expect(
    train(config, data, {
      onEpoch: async (_m, state) => {
        await saveCheckpoint(dir, state());
        stop = true;
      },
      shouldStop: () => stop,
    }),
  ).rejects.toBeInstanceOf(InterruptedError);
  return (await loadCheckpoint(dir)) as TrainState;
}

describe('two training threads', () => {
  // dae and cvae too: their output layer is the AE's/VAE's (the target is the clean 784 pixels;
  // the noisy or label-extended encoder input stays on the main thread)
  for (const model of ['ae', 'vae', 'dae', 'cvae'] as const) {
    it(`${model}: give bit for bit the weights, train losses and test metrics of one thread`, async () => {
      const before = tf.memory().numTensors;
      const one = await train(cfg(model, 1), data);
      const two = await train(cfg(model, 2), data);
      expect(bytes(two.params).equals(bytes(one.params))).toBe(true);
      expect(two.history.map((h) => [h.train, h.test])).toEqual(one.history.map((h) => [h.train, h.test]));
      expect(two.history[1]!.train.loss).toBeLessThan(two.history[0]!.train.loss);
      // nothing left behind on this thread's backend
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('checkpoints carry the second thread’s Adam state: a run resumes exactly, with either thread count', async () => {
    const straight = await train(cfg('ae', 1), data);
    const fromTwo = await checkpointAfterEpoch1(cfg('ae', 2), join(tmp, 'two'));
    expect(Object.keys(fromTwo.adam.m)).toContain('x_hat/kernel');
    expect(fromTwo.adam.m['x_hat/kernel']!.some((v) => v !== 0)).toBe(true);
    const fromOne = await checkpointAfterEpoch1(cfg('ae', 1), join(tmp, 'one'));
    expect(bytes(fromTwo.adam.m).equals(bytes(fromOne.adam.m))).toBe(true);
    expect(bytes(fromTwo.adam.v).equals(bytes(fromOne.adam.v))).toBe(true);
    for (const [state, threads] of [[fromTwo, 1], [fromTwo, 2], [fromOne, 2]] as const) {
      const resumed = await train(cfg('ae', threads), data, {}, state);
      expect(bytes(resumed.params).equals(bytes(straight.params)), `checkpoint resumed with ${threads} thread(s)`).toBe(true);
    }
  });

  it('reports a thread that cannot start, and a batch larger than it was started for', async () => {
    const arch = architecture('ae');
    await expect(OutputLayerThread.start(arch, 8, 1e-3, 'no-such-backend')).rejects.toThrow(/second training thread did not start: .*no-such-backend/);
    const thread = await OutputLayerThread.start(arch, 8, 1e-3, 'wasm');
    try {
      const p = toTensors(arch, initParams(arch, new Rng(1, 1)));
      thread.load(p);
      const h2 = tf.zeros([16, 128]) as tf.Tensor2D;
      const logits = tf.zeros([16, 784]) as tf.Tensor2D;
      expect(() => thread.begin(h2, logits)).toThrow(/batch of 16 is larger than the 8 the thread was started for/);
      tf.dispose([h2, logits, ...Object.values(p)]);
    } finally {
      await thread.close();
    }
    expect(() => thread.load({})).toThrow();
  });

  it('rejects a thread count other than 1 or 2', async () => {
    await expect(train({ ...cfg('ae', 1), threads: 3 as 1 }, data)).rejects.toThrow(/threads must be 1 or 2, got 3/);
  });
});
