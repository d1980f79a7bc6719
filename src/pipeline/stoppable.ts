/**
 * Prompt, safe stopping for the pipeline commands that do long synchronous work (`bake.ts`,
 * `figures.ts`): the work runs in a worker thread, the main thread only waits and listens for
 * SIGINT/SIGTERM. A signal handler of Node runs on the event loop, so it could never interrupt a
 * t-SNE, UMAP or trustworthiness loop running on the main thread; a worker, though, can be
 * terminated at any instruction (`worker.terminate()` interrupts JS and WASM loops alike).
 *
 * The work computes everything in memory and writes its outputs only inside a *commit* phase,
 * entered through a gate shared with the main thread (one Int32 in a SharedArrayBuffer):
 *
 * - a signal before the commit claims the gate, so the worker can no longer enter it, terminates
 *   the worker at once and exits 130: no output was touched (nothing had been written);
 * - a signal during the commit (a few atomic renames, well under a second) waits for the commit to
 *   finish, then exits 130; a second signal exits at once (every file write is atomic anyway).
 *
 * Usage (main thread):
 *
 *     const code = await runStoppable('bake', import.meta.url, 'bakeWork', opts);
 *
 * runs `export async function bakeWork(opts, gate: CommitGate): Promise<number>` of that module in
 * a worker. Also here: `checkOutputDir`, the fast "can we write there?" probe every command runs
 * before any work (never a recursive mkdir: on procfs that never settles; bounded by a 1 s timeout).
 *
 * Measured on 2 cores: the process ends 0.4–0.9 s after the signal (2.8 s at a load average of 32).
 * A worker's `process.stderr` is flushed by its own event loop, which such work keeps busy, so
 * progress that must show as it goes is written straight to the descriptor (`fs.writeSync(2, …)`,
 * as `tsne` does). Used by `bake`, `bake:figures` and `tsne`.
 */
import { mkdir, mkdtemp, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** Exit status after SIGINT/SIGTERM (128 + SIGINT, as shells report it). */
export const STOPPED_EXIT = 130;

const FREE = 0;
const COMMITTING = 1;
const STOPPING = 2;

/** The worker's side of the commit gate. */
export interface CommitGate {
  /**
   * Runs `write` (the outputs' atomic writes) unless a stop was requested first; returns false,
   * without calling it, when a stop came first.
   */
  commit(write: () => Promise<void>): Promise<boolean>;
  /** True once the main thread asked to stop (the worker is normally terminated before it can look). */
  stopped(): boolean;
}

/** A gate over a shared Int32Array cell (in the worker) or a local one (direct calls, tests). */
export function commitGate(cell: Int32Array = new Int32Array(1)): CommitGate {
  return {
    async commit(write) {
      if (Atomics.compareExchange(cell, 0, FREE, COMMITTING) !== FREE) return false;
      try {
        await write();
      } finally {
        Atomics.store(cell, 0, FREE);
        Atomics.notify(cell, 0);
      }
      return true;
    },
    stopped: () => Atomics.load(cell, 0) === STOPPING,
  };
}

interface WorkerData {
  module: string;
  fn: string;
  args: unknown;
  gate: SharedArrayBuffer;
}

/**
 * Runs `fn(args, gate)` from `moduleUrl` in a worker thread and returns its exit code; handles
 * SIGINT/SIGTERM as described above (returns 130 after a stop). Errors thrown by the work come back
 * as rejections with the worker's message.
 */
export function runStoppable(name: string, moduleUrl: string, fn: string, args: unknown, stream: { write(s: string): unknown } = process.stderr): Promise<number> {
  const gateBuf = new SharedArrayBuffer(4);
  const cell = new Int32Array(gateBuf);
  const data: WorkerData = { module: moduleUrl, fn, args, gate: gateBuf };
  const worker = new Worker(new URL('./stoppable-worker.ts', import.meta.url), { workerData: data });
  return new Promise<number>((resolve, reject) => {
    let stopping = false;
    let result: number | undefined;
    let failure: Error | undefined;
    const cleanup = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
    let stoppedAt = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        // under `npm run`, a terminal's Ctrl-C arrives twice (from the terminal and forwarded by npm)
        if (performance.now() - stoppedAt < 1000) return;
        stream.write(`\n${name}: ${signal} again, exiting now.\n`);
        process.exit(STOPPED_EXIT);
      }
      stopping = true;
      stoppedAt = performance.now();
      if (Atomics.compareExchange(cell, 0, FREE, STOPPING) === FREE) {
        stream.write(`\n${name}: ${signal} received, stopping. Nothing was written.\n`);
        void worker.terminate();
        // terminate() interrupts any loop at once; should it ever not, do not hang
        setTimeout(() => process.exit(STOPPED_EXIT), 1500).unref();
      } else {
        stream.write(`\n${name}: ${signal} received while writing the outputs; finishing that first (a moment).\n`);
        result = STOPPED_EXIT;
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    worker.on('message', (m: { code?: number; error?: string }) => {
      if (typeof m.code === 'number') result ??= m.code;
      if (typeof m.error === 'string') failure = new Error(m.error);
    });
    worker.on('error', (err) => {
      failure ??= err;
    });
    worker.on('exit', () => {
      cleanup();
      if (stopping) resolve(STOPPED_EXIT);
      else if (failure) reject(failure);
      else if (result !== undefined) resolve(result);
      else reject(new Error(`${name}: the worker thread ended without a result`));
    });
  });
}

/**
 * Checks, within about a second, that `dir` is an existing folder this process can write into
 * (creates and removes a hidden probe folder; never a recursive mkdir). With `create`, a missing
 * `dir` is created first (one level only: its parent must exist). Throws an Error whose message
 * says what is wrong.
 */
export async function checkOutputDir(dir: string, options: { create?: boolean; timeoutMs?: number } = {}): Promise<void> {
  const probe = async () => {
    let st;
    try {
      st = await stat(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' || !options.create) throw new Error(`the folder ${dir} does not exist (${code ?? (err as Error).message})`, { cause: err });
      try {
        await mkdir(dir);
      } catch (e) {
        throw new Error(`cannot create the folder ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
      }
      st = await stat(dir);
    }
    if (!st.isDirectory()) throw new Error(`${dir} is not a folder`);
    let tmp: string;
    try {
      tmp = await mkdtemp(join(dir, '.write-test-'));
    } catch (err) {
      throw new Error(`cannot write into the folder ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
    }
    await rmdir(tmp);
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`cannot write into the folder ${dir} (no answer from the file system within a second)`)), options.timeoutMs ?? 1000);
  });
  try {
    await Promise.race([probe(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
