/**
 * Prompt, clean stops and output folders that fail fast, for every pipeline CLI.
 *
 *     const stop = installStopHandler({ name: 'train', untouched: () => `${out}/ was not changed.` });
 *     checkWritableDir(out);               // throws a clear Error at once (never hangs, e.g. /proc/x)
 *     …load data, start threads…           // mode 'exit': SIGINT/SIGTERM exits 130 at once
 *     stop.mode = 'cooperative';           // long loop: poll stop.stopped (or stop.signal) ≥ once a second
 *     stop.mode = 'critical';              // swapping files into place: a signal waits for it
 *     stop.dispose();
 *
 * Modes, for the FIRST SIGINT or SIGTERM:
 * - `exit` (the default): print `<name>: <SIGNAL> received; stopped. <untouched>` and exit 130
 *   at once. Right whenever nothing is half-written (loading, starting a backend or a worker,
 *   evaluating): the atomic writes of `atomic.ts` leave at most a hidden temporary sibling.
 * - `cooperative`: set `stopped` and abort `signal`; the work loop notices within about a second,
 *   cleans up and exits 130 itself (the train CLI then reports the checkpointed epochs). A
 *   watchdog exits 130 anyway after {@link COOPERATIVE_GRACE_MS} if the loop did not.
 * - `critical`: set `stopped`, say the current step finishes first; the caller checks `stopped`.
 * A SECOND signal exits 130 at once (outside `critical`) when it comes more than
 * {@link DUPLICATE_MS} after the first: under `npm run`, one Ctrl-C reaches the process twice
 * (from the terminal and forwarded by npm), and that must not cut a cooperative stop short.
 *
 * `checkWritableDir` walks up to the nearest existing folder with `stat`, creates each missing
 * level with a plain `mkdir` (which fails at once on procfs, where Node's recursive mkdir never
 * settles), then probes with a temporary folder — before TF.js is even imported. The train CLI
 * uses `exit` while loading TF.js, reading MNIST (asynchronously, `loadMnistAsync`), starting the
 * backend and the second thread and in the final evaluation; `cooperative` in the training loop
 * (set by its first `shouldStop` poll; it yields every 8 batches); `critical` while swapping the
 * new folder, `zoo.json` and the manifest into place. Tested with real child processes in
 * `train.test.ts` (`/proc/x`, SIGTERM while loading, SIGTERM mid-epoch).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type StopMode = 'exit' | 'cooperative' | 'critical';

export interface StopHandler {
  /** True once a SIGINT or SIGTERM has arrived. */
  readonly stopped: boolean;
  /** Which signal arrived first (undefined before). */
  readonly received: NodeJS.Signals | undefined;
  /** Aborted on the first signal (for APIs that take an AbortSignal). */
  readonly signal: AbortSignal;
  /** What the next signal does (see the module comment). */
  mode: StopMode;
  /** Removes the handlers (the last user of a shared handler removes them). */
  dispose(): void;
}

export interface StopOptions {
  /** Prefix of the messages, e.g. `train`. */
  name: string;
  /** The sentence that says what was left untouched, e.g. `pretrained/ was not changed.` */
  untouched: () => string;
}

/** A signal this soon after the first is the same Ctrl-C delivered twice (npm forwards it). */
export const DUPLICATE_MS = 1000;

/** How long a cooperative stop may take before the process exits anyway. */
export const COOPERATIVE_GRACE_MS = 1500;

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

let active: { handler: StopHandler; users: number; remove: () => void } | undefined;

/**
 * Installs SIGINT/SIGTERM handlers (see the module comment). While one is installed, a further
 * call returns the same handler (so a sub-command, e.g. `train-attn.ts`, shares the caller's).
 */
export function installStopHandler(options: StopOptions): StopHandler {
  if (active) {
    active.users += 1;
    return active.handler;
  }
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  let firstAt = 0;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const exitNow = (signal: NodeJS.Signals, what: string) => {
    process.stderr.write(`\n${options.name}: ${signal} ${what}; stopped. ${options.untouched()}\n`);
    process.exit(130);
  };
  const handler: StopHandler = {
    get stopped() {
      return received !== undefined;
    },
    get received() {
      return received;
    },
    signal: controller.signal,
    mode: 'exit',
    dispose() {
      if (!active || active.handler !== handler) return;
      active.users -= 1;
      if (active.users > 0) return;
      active.remove();
      active = undefined;
      clearTimeout(watchdog);
    },
  };
  const onSignal = (signal: NodeJS.Signals) => {
    const first = received === undefined;
    if (first) {
      received = signal;
      firstAt = performance.now();
    }
    if (handler.mode === 'critical') {
      process.stderr.write(`\n${options.name}: ${signal} received while swapping in the new files; finishing that first (a moment).\n`);
      controller.abort();
      return;
    }
    if (!first) {
      if (performance.now() - firstAt < DUPLICATE_MS) return; // the same Ctrl-C, forwarded by npm
      exitNow(signal, 'again');
    }
    if (handler.mode === 'exit') exitNow(signal, 'received');
    controller.abort();
    // the work loop stops itself (and says where); if it cannot, exit anyway
    watchdog = setTimeout(() => exitNow(signal, `received ${COOPERATIVE_GRACE_MS / 1000} s ago and the work did not stop`), COOPERATIVE_GRACE_MS);
    watchdog.unref();
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  active = { handler, users: 1, remove: () => SIGNALS.forEach((s) => process.off(s, onSignal)) };
  return handler;
}

/** An output folder that cannot be used; the message names it and the reason. */
export class OutputDirError extends Error {
  readonly code: string;
  constructor(dir: string, code: string, detail: string) {
    super(`cannot write to the output folder ${dir} (${code}${detail ? `: ${detail}` : ''})`);
    this.name = 'OutputDirError';
    this.code = code;
  }
}

/**
 * Makes sure `dir` exists (creating missing parents one level at a time) and that a file can be
 * created in it; throws an {@link OutputDirError} otherwise, at once. Node's recursive `mkdir`
 * loops forever where the kernel answers ENOENT for a parent that exists (procfs: `/proc/x`);
 * this walks up to the nearest existing folder with `stat` and creates each missing level with a
 * plain `mkdir`, which fails immediately there.
 */
export function checkWritableDir(dir: string): void {
  const abs = resolve(dir);
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      const st = statSync(cur);
      if (!st.isDirectory()) throw new OutputDirError(dir, 'ENOTDIR', cur === abs ? 'it is a file' : `${cur} is a file`);
      break;
    } catch (err) {
      if (err instanceof OutputDirError) throw err;
      const e = err as NodeJS.ErrnoException;
      if (e.code !== 'ENOENT') throw new OutputDirError(dir, e.code ?? 'error', e.code ? '' : e.message);
      const up = dirname(cur);
      if (up === cur) throw new OutputDirError(dir, 'ENOENT', 'no existing parent folder');
      missing.unshift(cur);
      cur = up;
    }
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EEXIST' && statSync(d, { throwIfNoEntry: false })?.isDirectory()) continue;
      throw new OutputDirError(dir, e.code ?? 'error', `mkdir ${d} failed`);
    }
  }
  try {
    rmSync(mkdtempSync(join(abs, '.write-test-')), { recursive: true, force: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new OutputDirError(dir, e.code ?? 'error', 'cannot create a file there');
  }
}
