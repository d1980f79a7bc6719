/**
 * Stopping the pipeline's long commands (bake, bake:figures) promptly and safely, as real
 * processes on small inputs: SIGTERM/SIGINT before and during the work, and output folders that
 * cannot be written.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutputDir, commitGate } from './stoppable.ts';
import { snapshot } from './snapshot.ts';

const repo = join(import.meta.dirname, '..', '..');
const node = existsSync(join(repo, 'node_modules', '.bin', 'node')) ? join(repo, 'node_modules', '.bin', 'node') : process.execPath;
const tmp = mkdtempSync(join(tmpdir(), 'stoppable-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Milliseconds from the signal to the process's end (NaN without a signal). */
  stopMs: number;
}

/** Spawns a pipeline CLI; `when(stderr)` says when to send `signal` (checked as output arrives and every 20 ms). */
function run(script: string, args: string[], signal?: NodeJS.Signals, when: (stderr: string) => boolean = () => true): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [join(repo, 'src', 'pipeline', script), ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sentAt = 0;
    const check = () => {
      if (signal && !sentAt && when(stderr)) {
        sentAt = performance.now();
        child.kill(signal);
      }
    };
    child.stderr.on('data', (d) => {
      stderr += d;
      check();
    });
    const poll = setInterval(check, 20);
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearInterval(poll);
      resolve({ code, signal: sig, stderr, stopMs: sentAt ? performance.now() - sentAt : NaN });
    });
  });
}

/** A pretrained-like folder with copies of the committed ae and vae (and their embeddings). */
function folder(name: string): string {
  const dir = join(tmp, name);
  for (const m of ['ae', 'vae']) cpSync(join(repo, 'pretrained', m), join(dir, m), { recursive: true });
  return dir;
}

describe('commitGate', () => {
  it('runs the commit unless a stop came first; a stop during the commit waits for it', async () => {
    const cell = new Int32Array(1);
    const gate = commitGate(cell);
    let wrote = 0;
    expect(await gate.commit(async () => void wrote++)).toBe(true);
    expect(Atomics.load(cell, 0)).toBe(0); // free again
    // the main thread's claim (FREE → STOPPING) fails while a commit runs
    let claim = -1;
    await gate.commit(async () => {
      claim = Atomics.compareExchange(cell, 0, 0, 2);
    });
    expect(claim).toBe(1);
    Atomics.store(cell, 0, 2);
    expect(gate.stopped()).toBe(true);
    expect(await gate.commit(async () => void wrote++)).toBe(false);
    expect(wrote).toBe(1);
  });
});

describe('checkOutputDir', () => {
  it('names what is wrong, quickly, without a recursive mkdir', async () => {
    await expect(checkOutputDir('/proc/x')).rejects.toThrow('the folder /proc/x does not exist (ENOENT)');
    await expect(checkOutputDir('/proc/x/y', { create: true })).rejects.toThrow('cannot create the folder /proc/x/y (ENOENT)');
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    await expect(checkOutputDir(file)).rejects.toThrow(`${file} is not a folder`);
    await expect(checkOutputDir('/proc')).rejects.toThrow(/cannot write into the folder \/proc \(/);
    await checkOutputDir(join(tmp, 'new'), { create: true });
    expect(statSync(join(tmp, 'new')).isDirectory()).toBe(true);
    expect(readdirSync(join(tmp, 'new'))).toEqual([]); // the probe is gone
  });
});

describe('bake as a process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s during t-SNE stops within about a second, exit 130, nothing written', async (sig) => {
    const dir = folder(`bake-${sig}`);
    rmSync(join(dir, 'vae'), { recursive: true });
    const before = snapshot(dir);
    // 5,000 digits leave ~15 s of t-SNE + UMAP after the line on a quiet machine: the signal must land
    // before the writing phase even when the worker's stderr reaches us late (1,500 digits finished first)
    const r = await run('bake.ts', ['--dir', dir, '--models', 'ae', '--subset', '5000', '--backend', 'cpu'], sig, (s) => s.includes('ae t-SNE of'));
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(new RegExp(`bake: ${sig} received, stopping. Nothing was written.`));
    expect(r.stopMs).toBeLessThan(5000); // typically well under 1 s (see the report); generous for a busy shared machine
    expect(snapshot(dir)).toEqual(before);
  }, 300_000);

  it('SIGTERM right after the start ends it at once and writes nothing', async () => {
    const dir = folder('bake-early');
    const before = snapshot(dir);
    const r = await run('bake.ts', ['--dir', dir, '--subset', '4000'], 'SIGTERM', () => true);
    expect(r.code === 130 || r.signal === 'SIGTERM', `${r.code} ${r.signal}`).toBe(true);
    expect(r.stopMs).toBeLessThan(5000);
    expect(snapshot(dir)).toEqual(before);
  }, 60_000);

  it('an output folder that does not exist or cannot be written fails with a clear message', async () => {
    let r = await run('bake.ts', ['--dir', '/proc/x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: the folder /proc/x does not exist (ENOENT)\n');
    r = await run('bake.ts', ['--dir', '/proc']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: cannot write into the folder \/proc \(/);
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    r = await run('bake.ts', ['--dir', empty]);
    expect(r.stderr).toMatch(/no trained zoo model in .*empty/);
    r = await run('bake.ts', ['--dir', empty, '--models', 'cvae']);
    expect(r.stderr).toMatch(/no trained cvae in .*empty/);
  }, 60_000);
});

describe('bake:figures as a process', () => {
  it('SIGTERM while rendering stops within about a second, exit 130, nothing written', async () => {
    const dir = folder('figures');
    mkdirSync(join(dir, 'figures'));
    writeFileSync(join(dir, 'figures', 'figures.json'), '{}\n');
    const before = snapshot(dir);
    const r = await run('figures.ts', ['--dir', dir, '--backend', 'cpu'], 'SIGTERM', (s) => s.includes('latent-ae-tsne.png'));
    expect(r.code, r.stderr).toBe(130);
    expect(r.stopMs).toBeLessThan(5000);
    expect(snapshot(dir)).toEqual(before);
  }, 300_000);

  it('an output folder that cannot be written fails with a clear message', async () => {
    const r = await run('figures.ts', ['--dir', '/proc/x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: the folder /proc/x does not exist (ENOENT)\n');
  }, 30_000);
});
