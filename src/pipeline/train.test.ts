/**
 * The `train` CLI as a user meets it: spawned as a process on a small subset. Covers the
 * failure paths (corrupt/truncated MNIST, unwritable output, Ctrl-C mid-epoch) and --resume.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { encodeIdx } from '../data/idx.ts';
import { MNIST_FILES } from '../data/mnist-node.ts';
import { initBackend } from './backend.ts';
import { loadPretrained } from './model-io.ts';
import { snapshot } from './snapshot.ts';

const repo = join(import.meta.dirname, '..', '..');
const node = existsSync(join(repo, 'node_modules', '.bin', 'node')) ? join(repo, 'node_modules', '.bin', 'node') : process.execPath;
const cli = join(repo, 'src', 'pipeline', 'train.ts');
const tmp = mkdtempSync(join(tmpdir(), 'train-cli-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns the CLI; `onStderr` may act on the child (e.g. send SIGINT) as output arrives. */
function run(args: string[], onStderr?: (text: string, kill: (s: NodeJS.Signals) => void) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [cli, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      onStderr?.(stderr, (s) => child.kill(s));
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function previousOutput(name: string): string {
  const out = join(tmp, name);
  mkdirSync(join(out, 'ae', 'encoder'), { recursive: true });
  writeFileSync(join(out, 'ae', 'encoder', 'model.json'), '{"previous":true}');
  writeFileSync(join(out, 'manifest.json'), '{"version":1,"files":{}}');
  return out;
}

describe('train CLI failure paths', () => {
  it('bad flags: exit 2 with a message', async () => {
    const r = await run(['--model', 'ae', '--epochs', 'ten']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--epochs must be a whole number, got "ten"/);
  });

  it('truncated or corrupt IDX files: exit 1, the file named, output untouched', async () => {
    const data = join(tmp, 'bad-mnist');
    mkdirSync(data);
    const header = encodeIdx([60000, 28, 28], new Uint8Array(0));
    writeFileSync(join(data, MNIST_FILES.trainImages), Buffer.concat([header, new Uint8Array(1000)]));
    const out = previousOutput('out-idx');
    const before = snapshot(out);
    let r = await run(['--model', 'ae', '--data-dir', data, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/train-images-idx3-ubyte: truncated: 1016 bytes, expected 47040016/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace

    const corrupt = Buffer.concat([header, new Uint8Array(60000 * 784)]);
    corrupt[3] = 0x02; // rank 2 instead of 3
    writeFileSync(join(data, MNIST_FILES.trainImages), corrupt);
    r = await run(['--model', 'ae', '--data-dir', data, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/train-images-idx3-ubyte: magic number 0x00000802 says 2 dimension\(s\), expected 3/);
    expect(snapshot(out)).toEqual(before);
  });

  it('unwritable output folder: exit 1 before training', async () => {
    const blocker = join(tmp, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const r = await run(['--model', 'ae', '--subset', '256', '--out', join(blocker, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot write to the output folder .*a-file\/out \(ENOTDIR\)\. Nothing was trained/);
  });
});

describe('train CLI: output paths and signals', () => {
  it('an output path that cannot be created (/proc/x): exit 1 with a clear message, no hang', async () => {
    const t0 = performance.now();
    const r = await run(['--model', 'ae', '--epochs', '1', '--out', '/proc/x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/train: cannot write to the output folder \/proc\/x \(ENOENT: mkdir \/proc\/x failed\)\. Nothing was trained and nothing was changed\./);
    expect(r.stderr).not.toMatch(/loading MNIST/); // it failed before loading anything
    // Node's recursive mkdir used to spin here forever; whole process incl. start-up
    expect(performance.now() - t0).toBeLessThan(15_000);
  });

  it('bad zoo flags: exit 2 with a one-line reason, output folder not created', async () => {
    const out = join(tmp, 'never-made');
    for (const [args, message] of [
      [['--model', 'vae', '--beta', '-1'], /--beta must be a number ≥ 0, got "-1"/],
      [['--model', 'dae', '--noise', '2'], /--noise must be a number in \[0, 1\], got "2"/],
      [['--model', 'ae', '--beta', '2'], /--beta applies to vae, cvae and attn, not ae/],
      [['--zoo', 'beta-4', '--beta', '2'], /--zoo beta-4 has β = 4, but --beta says 2/],
      [['--zoo', 'nope'], /--zoo must be one of ae, vae, /],
      [['--model', 'ae', '--latent-dim', '0'], /--latent-dim must be between 1 and 784/],
    ] as const) {
      const r = await run([...args, '--out', out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });

  /**
   * Spawns a run into `out` (which holds a previous output), sends `signal` when `when` matches
   * the stderr so far (after `delayMs`), and returns the run with the time from signal to exit.
   */
  async function stopAt(out: string, args: string[], when: RegExp, signal: NodeJS.Signals, delayMs = 0): Promise<Run & { afterSignalMs: number }> {
    let sentAt = 0;
    const r = await run([...args, '--out', out], (text, kill) => {
      if (!sentAt && when.test(text)) {
        sentAt = -1;
        setTimeout(() => {
          sentAt = performance.now();
          kill(signal);
        }, delayMs);
      }
    });
    return { ...r, afterSignalMs: performance.now() - sentAt };
  }

  it('SIGTERM while loading data and starting the threads: exit 130 at once, output untouched', async () => {
    const out = previousOutput('out-sigterm-early');
    const before = snapshot(out);
    const r = await stopAt(out, ['--model', 'cvae', '--subset', '2000', '--epochs', '5', '--threads', '2'], /loading MNIST/, 'SIGTERM');
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/train: SIGTERM received; stopped\. .*out-sigterm-early\/ was not changed\./);
    expect(r.stderr).not.toMatch(/epoch 1\//);
    // "at once": no more than start-up noise on a busy machine (a bound, not a speed goal)
    expect(r.afterSignalMs).toBeLessThan(3000);
    expect(snapshot(out)).toEqual(before);
  });

  for (const model of ['dae', 'vae'] as const) {
    it(`SIGTERM mid-epoch (${model}): exit 130 within about a second, output untouched`, async () => {
      const out = previousOutput(`out-sigterm-${model}`);
      const before = snapshot(out);
      const r = await stopAt(out, ['--model', model, '--subset', '4000', '--epochs', '30'], /epoch 1\/30 .*\n/, 'SIGTERM', 300);
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toMatch(/train: interrupted in epoch \d+ \(batch \d+\)\. .* was not changed\./);
      expect(r.afterSignalMs).toBeLessThan(3000);
      expect(snapshot(out)).toEqual(before);
      expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
    });
  }
});

describe('train CLI: zoo models', () => {
  it('--zoo writes <out>/<id>/ with the contract shapes, zoo.json and the metrics additions; same seed, same bytes', async () => {
    const out = join(tmp, 'out-zoo');
    const args = ['--subset', '1000', '--epochs', '1'];
    for (const id of ['cvae', 'dae']) {
      const r = await run(['--zoo', id, ...args, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
    }
    const zoo = JSON.parse(readFileSync(join(out, 'zoo.json'), 'utf8'));
    expect(zoo.version).toBe(1);
    expect(zoo.models.map((m: { id: string }) => m.id)).toContain('beta-8');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining(['zoo.json', 'cvae/encoder/model.json', 'dae/metrics.json']));

    const cvae = JSON.parse(readFileSync(join(out, 'cvae', 'metrics.json'), 'utf8'));
    expect(cvae.config).toMatchObject({ kind: 'cvae', zooId: 'cvae', beta: 1, noise: null, latentDim: 2 });
    expect(cvae.final.test.klPerDim).toHaveLength(2);
    expect(cvae.final.test.activeDims).toBe(cvae.final.test.klPerDim.filter((v: number) => v > 0.01).length);
    const dae = JSON.parse(readFileSync(join(out, 'dae', 'metrics.json'), 'utf8'));
    expect(dae.config).toMatchObject({ kind: 'dae', zooId: 'dae', beta: null, noise: 0.5 });
    expect(dae.final.test.noisy).toMatchObject({ sigma: 0.5, seed: 12345 });
    expect(dae.final.test.noisy.bce).toBeGreaterThan(0);

    // the written models load in TF.js with the contract's input shapes
    await initBackend('wasm');
    const c = await loadPretrained('cvae', out);
    expect(c.encoder.inputs[0]!.shape).toEqual([null, 794]);
    expect(c.decoder.inputs[0]!.shape).toEqual([null, 12]);
    expect(c.encoder.outputNames).toEqual(['mu', 'logvar']);

    // --update-metrics recomputes exactly the figures training wrote, weights untouched
    const copy = join(tmp, 'out-zoo-update');
    mkdirSync(copy);
    for (const id of ['cvae', 'dae']) cpSync(join(out, id), join(copy, id), { recursive: true });
    const wrongSet = await run(['--zoo', 'dae', '--update-metrics', '--out', copy]);
    expect(wrongSet.code).toBe(1);
    expect(wrongSet.stderr).toMatch(/its metrics were made on a --subset 1000; run with --subset 1000/);
    for (const id of ['cvae', 'dae']) {
      const u = await run(['--zoo', id, '--update-metrics', '--subset', '1000', '--out', copy]);
      expect(u.code, u.stderr).toBe(0);
      expect(readFileSync(join(copy, id, 'metrics.json'), 'utf8')).toBe(readFileSync(join(out, id, 'metrics.json'), 'utf8'));
    }
    expect(readFileSync(join(copy, 'cvae', 'encoder', 'group1-shard1of1.bin')).equals(readFileSync(join(out, 'cvae', 'encoder', 'group1-shard1of1.bin')))).toBe(true);
    expect(existsSync(join(copy, 'zoo.json')) && existsSync(join(copy, 'manifest.json'))).toBe(true);

    // a rerun gives the same bytes
    const again = join(tmp, 'out-zoo-again');
    expect((await run(['--model', 'dae', ...args, '--out', again])).code).toBe(0);
    for (const f of ['encoder/group1-shard1of1.bin', 'decoder/group1-shard1of1.bin', 'encoder/model.json']) {
      expect(readFileSync(join(again, 'dae', f)).equals(readFileSync(join(out, 'dae', f))), f).toBe(true);
    }
  }, 300_000);
});

describe('train CLI interruption and --resume', () => {
  it('SIGINT mid-epoch: exit 130, previous output intact; --resume finishes like an uninterrupted run', async () => {
    const common = ['--model', 'vae', '--subset', '2000', '--seed', '5'];
    const out = join(tmp, 'out-sigint');
    const ckpt = join(tmp, 'ckpt');
    // a real previous run in `out`
    const first = await run([...common, '--epochs', '1', '--out', out, '--checkpoint-dir', ckpt]);
    expect(first.code, first.stderr).toBe(0);
    const before = snapshot(out);

    let sent = false;
    const r = await run([...common, '--epochs', '30', '--out', out, '--checkpoint-dir', ckpt], (text, kill) => {
      if (!sent && /epoch 1\/30 .*\n/.test(text)) {
        sent = true;
        setTimeout(() => kill('SIGINT'), 50);
      }
    });
    expect(r.code, r.stderr).toBe(130);
    const m = /interrupted in epoch (\d+) \(batch \d+\)\. .* was not changed\. (\d+) completed epoch\(s\) are checkpointed: rerun with --resume/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const [interruptedIn, done] = [Number(m![1]), Number(m![2])];
    expect(done).toBe(interruptedIn - 1);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);

    const target = interruptedIn;
    const resumed = await run([...common, '--epochs', String(target), '--out', out, '--checkpoint-dir', ckpt, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming vae after epoch ${done} of ${target}`);
    expect(existsSync(ckpt)).toBe(false);

    const straightOut = join(tmp, 'out-straight');
    const straight = await run([...common, '--epochs', String(target), '--out', straightOut, '--checkpoint-dir', join(tmp, 'ckpt2')]);
    expect(straight.code, straight.stderr).toBe(0);
    for (const part of ['encoder', 'decoder']) {
      for (const f of ['model.json', 'group1-shard1of1.bin']) {
        expect(readFileSync(join(out, 'vae', part, f)).equals(readFileSync(join(straightOut, 'vae', part, f))), `${part}/${f}`).toBe(true);
      }
    }
    const metrics = JSON.parse(readFileSync(join(out, 'vae', 'metrics.json'), 'utf8'));
    expect(metrics.epochs.map((e: { epoch: number }) => e.epoch)).toEqual(Array.from({ length: target }, (_, i) => i + 1));
    // the written models load in TF.js (Node loader) with the contract's shapes and names
    await initBackend('wasm');
    const loaded = await loadPretrained('vae', out);
    expect(loaded.encoder.outputNames).toEqual(['mu', 'logvar']);
    const [mu] = loaded.encoder.predict(tf.zeros([3, 784])) as tf.Tensor[];
    expect((loaded.decoder.predict(mu!) as tf.Tensor).shape).toEqual([3, 784]);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.files).sort()).toEqual(
      ['vae/decoder/group1-shard1of1.bin', 'vae/decoder/model.json', 'vae/encoder/group1-shard1of1.bin', 'vae/encoder/model.json', 'vae/metrics.json', 'zoo.json'],
    );
  });
});
