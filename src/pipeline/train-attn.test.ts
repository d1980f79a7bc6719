/**
 * `npm run train -- --model attn` as a user meets it (spawned on small subsets): the files and
 * metrics it writes, the same bytes for the same seed, a prompt stop on SIGTERM with the output
 * untouched, and its refusals. Plus the trainer itself on a few images.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { type MnistSplit } from '../data/mnist.ts';
import { attnEncode, attnEncoderFromArtifacts, attnToTensors } from '../models/attn.ts';
import { Rng } from '../models/random.ts';
import { initBackend } from './backend.ts';
import { loadLayersModelFromDir } from './model-io.ts';
import { trainAttn } from './train-attn.ts';
import { snapshot } from './snapshot.ts';

const repo = join(import.meta.dirname, '..', '..');
const node = existsSync(join(repo, 'node_modules', '.bin', 'node')) ? join(repo, 'node_modules', '.bin', 'node') : process.execPath;
const cli = join(repo, 'src', 'pipeline', 'train.ts');
const tmp = mkdtempSync(join(tmpdir(), 'train-attn-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend('wasm');
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the first kill to the exit (when `onStderr` killed it). */
  afterKill?: number;
}

function run(args: string[], onStderr?: (text: string, kill: (s: NodeJS.Signals) => void) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [cli, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killedAt: number | undefined;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      onStderr?.(stderr, (s) => {
        killedAt ??= performance.now();
        child.kill(s);
      });
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, afterKill: killedAt === undefined ? undefined : performance.now() - killedAt }));
  });
}

const MODEL_FILES = ['encoder/model.json', 'encoder/group1-shard1of1.bin', 'decoder/model.json', 'decoder/group1-shard1of1.bin'];

describe('train --model attn', () => {
  it('writes encoder, decoder, metrics, zoo.json and the manifest; the same seed gives the same bytes', { timeout: 300_000 }, async () => {
    const args = ['--model', 'attn', '--subset', '384', '--epochs', '2', '--seed', '3'];
    const [a, b] = [join(tmp, 'a'), join(tmp, 'b')];
    const ra = await run([...args, '--out', a]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(ra.stderr).toMatch(/epoch 1\/2 .*test -elbo [\d.]+ .*ms\/batch/);
    expect(ra.stdout).toMatch(/attn: test -ELBO [\d.]+ \(BCE [\d.]+ \+ KL [\d.]+\) nats\/image, \d active dims/);
    const rb = await run([...args, '--out', b]);
    expect(rb.code, rb.stderr).toBe(0);
    const [sa, sb] = [snapshot(a), snapshot(b)];
    for (const f of MODEL_FILES) expect(sa[`attn/${f}`], f).toBe(sb[`attn/${f}`]);
    expect(sa['zoo.json']).toBe(sb['zoo.json']);
    const manifest = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.files).sort()).toEqual([...MODEL_FILES.map((f) => `attn/${f}`), 'attn/metrics.json', 'zoo.json'].sort());

    const metrics = JSON.parse(readFileSync(join(a, 'attn', 'metrics.json'), 'utf8'));
    expect(metrics.model).toBe('attn');
    expect(metrics.config).toMatchObject({ kind: 'attn', model: 'attn', epochs: 2, batchSize: 128, lr: 0.001, latentDim: 2, seed: 3, beta: 1, subset: 384, trainSize: 384, testSize: 384 });
    expect(metrics.config.architecture).toMatchObject({ tokens: 16, dModel: 64, heads: 4 });
    expect(metrics.epochs).toHaveLength(2);
    const test = metrics.final.test;
    expect(test.loss).toBeCloseTo(test.bce + test.kl, 6);
    expect(test.klPerDim).toHaveLength(2);
    expect(test.activeDims).toBe(test.klPerDim.filter((v: number) => v > 0.01).length);
    expect(metrics.totalTrainSeconds).toBeGreaterThan(0);

    // the files load: the encoder through tf.io.decodeWeights, the decoder as a layers model
    const enc = attnEncoderFromArtifacts(readFileSync(join(a, 'attn', 'encoder', 'model.json'), 'utf8'), [readFileSync(join(a, 'attn', 'encoder', 'group1-shard1of1.bin'))]);
    const decoder = await loadLayersModelFromDir(join(a, 'attn', 'decoder'));
    const p = attnToTensors(enc.config, enc.params);
    tf.tidy(() => {
      const { mu } = attnEncode(enc.config, p, tf.zeros([3, 784]));
      expect((decoder.predict(mu) as tf.Tensor).shape).toEqual([3, 784]);
    });
    for (const t of Object.values(p)) t.dispose();
    decoder.dispose();
  });

  it('stops promptly on SIGTERM during training: exit 130, previous output untouched', { timeout: 300_000 }, async () => {
    const out = join(tmp, 'stopped');
    mkdirSync(join(out, 'attn'), { recursive: true });
    writeFileSync(join(out, 'attn', 'metrics.json'), '{"previous":true}');
    writeFileSync(join(out, 'manifest.json'), '{"version":1,"files":{}}');
    const before = snapshot(out);
    // the signal comes mid-training (after epoch 1, whose line gives the time per batch); the loop
    // stops before its next batch, so the exit follows within about one batch (~0.1 s when idle)
    let sent = false;
    let msPerBatch = 0;
    const r = await run(['--model', 'attn', '--subset', '2000', '--epochs', '5', '--out', out], (text, kill) => {
      const m = /epoch 1\/5 .*\((\d+) ms\/batch\)\n/.exec(text);
      if (!sent && m) {
        sent = true;
        msPerBatch = Number(m[1]);
        setTimeout(() => kill('SIGTERM'), 30);
      }
    });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/interrupted in epoch 2 \(batch \d+\)\. .* was not changed/);
    expect(r.afterKill!, r.stderr).toBeLessThan(1000 + 2 * msPerBatch);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('refuses --resume (no checkpoints) and an unusable output folder, changing nothing', async () => {
    const r = await run(['--model', 'attn', '--subset', '256', '--resume', '--out', join(tmp, 'resume')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--resume is not supported for --model attn/);
    expect(existsSync(join(tmp, 'resume', 'attn'))).toBe(false);
    const blocker = join(tmp, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const t0 = performance.now();
    const bad = await run(['--model', 'attn', '--subset', '256', '--out', join(blocker, 'out')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot write to the output folder .*a-file\/out \(ENOTDIR/);
    expect(performance.now() - t0).toBeLessThan(15_000);
  });
});

describe('trainAttn', () => {
  const split = (count: number, seed: number): MnistSplit => {
    const r = new Rng(seed);
    return { count, images: Uint8Array.from({ length: count * 784 }, () => (r.uniform() < 0.7 ? 0 : r.int(256))), labels: Uint8Array.from({ length: count }, () => r.int(10)) };
  };
  const data = { train: split(96, 1), test: split(40, 2) };
  const config = { epochs: 3, batchSize: 32, lr: 1e-3, latentDim: 2, seed: 4, beta: 1 };

  it('is deterministic for a seed, lowers the loss, and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const a = await trainAttn(config, data);
    const b = await trainAttn(config, data);
    const c = await trainAttn({ ...config, seed: 5 }, data);
    expect(tf.memory().numTensors).toBe(before);
    for (const k of Object.keys(a.params)) expect(Buffer.from(a.params[k]!.buffer).equals(Buffer.from(b.params[k]!.buffer)), k).toBe(true);
    expect(Buffer.from(a.params['attn_q/kernel']!.buffer).equals(Buffer.from(c.params['attn_q/kernel']!.buffer))).toBe(false);
    expect(a.history.map((e) => e.train.loss)).toEqual(b.history.map((e) => e.train.loss));
    expect(a.history[2]!.train.loss).toBeLessThan(a.history[0]!.train.loss);
  });

  it('stops before the next batch when asked', async () => {
    let batches = 0;
    await expect(trainAttn(config, data, { onBatch: () => batches++, shouldStop: () => batches >= 2 })).rejects.toThrow(/interrupted in epoch 1 at batch 3/);
  });
});
