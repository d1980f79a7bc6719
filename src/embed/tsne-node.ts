/**
 * t-SNE on several threads in Node (`worker_threads`), for the bake and the benchmark. Browsers
 * use `Tsne` from `tsne.ts` on one thread; both run the same code (`forces.ts`, `knn.ts`,
 * `conditionalAffinityRows`), and the result is the same bit for bit whatever the thread count:
 * every task writes only its own points' figures, and the sums over points are taken afterwards
 * in point order by the main thread.
 *
 * What runs in parallel: the exact kNN of wide input (row blocks of `wideKnnRows`), the
 * perplexity search (row blocks), and in each gradient step the attraction (row blocks) and the
 * Barnes–Hut repulsion (blocks of point groups; each thread builds its own copy of the quadtree
 * from the shared coordinates). Threads take blocks from a shared counter (`Atomics.add`), so a
 * busy core does less of the work rather than holding the step up. The rest — the symmetric P,
 * PCA initialisation, the update step — stays on the main thread.
 *
 * Hand-over is through SharedArrayBuffers and `Atomics.wait`/`notify` (the main thread blocks while
 * it waits, which Node allows), so `step()` stays synchronous as in `Tsne`.
 *
 *   const pool = await TsnePool.create(2);          // 1 = no workers, same result
 *   try { const result = tsneWithPool(pool, data, dim, options); } finally { pool.close(); }
 *
 * or `await tsneNode(data, dim, { ...options, threads: 2 })`. The bake (`src/pipeline/bake.ts`:
 * one `TsnePool` for all models, `createTsne`), the `npm run tsne` CLI (`--threads`) and the
 * benchmark use it.
 *
 * Under load, every job (1,000+ per run) waits for every worker to report, even one that was
 * descheduled and took no task. A ticket that let the main thread go on alone (job number and next
 * task in one `BigInt64Array` slot, claimed by compare-and-swap) was tried and not kept: at load
 * 8–13, 20-D runs took 42.7, 68.4, 31.9, 40.7 s with it, against 47.3 and 46.3 s without it, and
 * 30.0 and 32.8 s for the code from before the WebAssembly kernels (same output; CPU time
 * 11.6–14.0 s with it, 13.2–16.4 s for the others). A worker that wakes late then finds no task,
 * so the process runs on one share of the busy machine instead of two.
 */
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { Tsne, conditionalAffinityRows, type ConditionalAffinities, type TsneOptions, type TsneResult, type TsneRuntime } from './tsne.ts';
import { BarnesHutTree } from './bhtree.ts';
import { forceTasks, forcesSerial, runForceTask, type ForceState } from './forces.ts';
import { checkK, knn, pointCount, wideKnnRows, widePrep, WIDE_DIM, type KnnResult, type Numeric, type WidePrep } from './knn.ts';
import type { RandomFn } from './random.ts';

/** Slots of the control array shared with the workers. */
export const CTRL = {
  /** Bumped by the main thread to start a job. */
  GEN: 0,
  /** Job kind (JOB). */
  JOB: 1,
  /** Next task to take (Atomics.add). */
  NEXT: 2,
  /** Workers done with the current job. */
  DONE: 3,
  /** 1 when KL is asked for. */
  KL: 4,
  /** Non-zero when a worker failed; its message is in the error buffer. */
  ERROR: 5,
  /** Job parameters. */
  ARG0: 6,
  ARG1: 7,
} as const;
const CTRL_SLOTS = 8;

export const JOB = { FORCES: 1, KNN: 2, AFFINITIES: 3, EXIT: 9 } as const;

/** Rows per task of the kNN and perplexity jobs. */
export const KNN_ROWS = 64;
export const AFFINITY_ROWS = 256;

/** Everything a worker needs for the jobs of one run, sent once per buffer change. */
export interface SessionMessage {
  kind: 'session';
  /** kNN input (wide path): data, norms, CSR of non-zeros when sparse. */
  knn?: { data: Float64Array; dim: number; n: number; norms: Float64Array; sparse: { ptr: Int32Array; idx: Int32Array; val: Float64Array } | null; k: number; indices: Int32Array; distances: Float64Array };
  affinities?: { k: number; indices: Int32Array; distances: Float64Array; perplexity: number; p: Float64Array; beta: Float64Array; entropy: Float64Array };
  forces?: ForceState;
}

const ERROR_BYTES = 4096;

function sharedF64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, length) * 8), 0, length);
}
function sharedI32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length);
}

/**
 * The number of threads Node-side work uses by default (the t-SNE pool here, the trainer's
 * `--threads` in `src/pipeline/cli.ts`): two where there are two cores or more, else one — what
 * was measured to pay; the results are the same either way.
 */
export function defaultThreads(): 1 | 2 {
  return availableParallelism() >= 2 ? 2 : 1;
}

/** Runs the kind of task of the current job; shared by the main thread and the workers. */
export function runTasks(ctrl: Int32Array, total: number, run: (task: number) => void): void {
  for (let task = Atomics.add(ctrl, CTRL.NEXT, 1); task < total; task = Atomics.add(ctrl, CTRL.NEXT, 1)) run(task);
}

/**
 * A main thread plus `threads − 1` workers that share t-SNE jobs. One pool serves one run at a
 * time; `close()` ends the workers.
 */
export class TsnePool {
  readonly threads: number;
  private readonly workers: Worker[];
  /** Our ends of each worker's session channel (the worker reads it synchronously). */
  private readonly ports: MessagePort[];
  private readonly ctrl: Int32Array;
  private readonly errorText: Uint8Array;
  private readonly tree = new BarnesHutTree();
  private forceState: ForceState | null = null;
  private closed = false;

  private constructor(threads: number, workers: Worker[], ports: MessagePort[], ctrl: Int32Array, errorText: Uint8Array) {
    this.threads = threads;
    this.workers = workers;
    this.ports = ports;
    this.ctrl = ctrl;
    this.errorText = errorText;
  }

  /** Starts `threads − 1` workers (default `defaultThreads()`), resolved once they are ready. */
  static async create(threads: number = defaultThreads()): Promise<TsnePool> {
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new RangeError(`threads must be a whole number from 1 to 64, got ${threads}`);
    const ctrl = sharedI32(CTRL_SLOTS);
    const errorText = new Uint8Array(new SharedArrayBuffer(ERROR_BYTES));
    const workers: Worker[] = [];
    const ports: MessagePort[] = [];
    try {
      for (let w = 1; w < threads; w++) {
        const { port1, port2 } = new MessageChannel();
        const worker = new Worker(new URL('./tsne-worker.ts', import.meta.url), {
          workerData: { ctrl: ctrl.buffer, error: errorText.buffer, port: port2 },
          transferList: [port2],
        });
        workers.push(worker);
        ports.push(port1);
        await new Promise<void>((resolve, reject) => {
          worker.once('message', (m: { ready?: boolean; error?: string }) => (m.ready ? resolve() : reject(new Error(`t-SNE worker failed to start: ${m.error}`))));
          worker.once('error', reject);
        });
        worker.unref();
      }
    } catch (err) {
      for (const w of workers) void w.terminate();
      throw err;
    }
    return new TsnePool(threads, workers, ports, ctrl, errorText);
  }

  /** Stops the workers. The pool cannot be used afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.workers.length > 0) this.post(JOB.EXIT, false);
    for (const p of this.ports) p.close();
    for (const w of this.workers) void w.terminate();
  }

  /** New buffers for the workers; they read it when the next job starts. */
  private session(message: SessionMessage): void {
    for (const p of this.ports) p.postMessage(message);
  }

  /** Starts a job on the workers (they take tasks from NEXT), without waiting. */
  private post(job: number, withKl: boolean, arg0 = 0, arg1 = 0): void {
    const c = this.ctrl;
    Atomics.store(c, CTRL.JOB, job);
    Atomics.store(c, CTRL.KL, withKl ? 1 : 0);
    Atomics.store(c, CTRL.ARG0, arg0);
    Atomics.store(c, CTRL.ARG1, arg1);
    Atomics.store(c, CTRL.NEXT, 0);
    Atomics.store(c, CTRL.DONE, 0);
    Atomics.add(c, CTRL.GEN, 1);
    Atomics.notify(c, CTRL.GEN);
  }

  /** Waits until every worker has finished the current job; throws a worker's error. */
  private wait(): void {
    const c = this.ctrl;
    const want = this.workers.length;
    for (let spin = 0; spin < 2000 && Atomics.load(c, CTRL.DONE) < want; spin++);
    for (let done = Atomics.load(c, CTRL.DONE); done < want; done = Atomics.load(c, CTRL.DONE)) Atomics.wait(c, CTRL.DONE, done, 1000);
    if (Atomics.load(c, CTRL.ERROR) !== 0) {
      const end = this.errorText.indexOf(0);
      throw new Error(`t-SNE worker: ${new TextDecoder().decode(this.errorText.slice(0, end < 0 ? ERROR_BYTES : end))}`);
    }
  }

  private check(): void {
    if (this.closed) throw new Error('this TsnePool is closed');
  }

  /** The same as `knn()` (bit for bit), with wide input split between the threads. */
  neighbours(data: Numeric, dim: number, k: number, random: RandomFn): KnnResult {
    this.check();
    const n = pointCount(data, dim);
    checkK(n, k);
    if (this.workers.length === 0 || n < 64 || dim <= WIDE_DIM) return knn(data, dim, k, random);
    const local = widePrep(data, dim);
    const prep: WidePrep = { ...local, data: copyShared(local.data), norms: copyShared(local.norms), sparse: local.sparse && { ptr: copySharedI(local.sparse.ptr), idx: copySharedI(local.sparse.idx), val: copyShared(local.sparse.val) } };
    const indices = sharedI32(n * k);
    const distances = sharedF64(n * k);
    this.session({ kind: 'session', knn: { ...prep, k, indices, distances } });
    const tasks = Math.ceil(n / KNN_ROWS);
    this.post(JOB.KNN, false, tasks);
    runTasks(this.ctrl, tasks, (task) => wideKnnRows(prep, k, task * KNN_ROWS, Math.min(n, (task + 1) * KNN_ROWS), indices, distances));
    this.wait();
    return { k, indices: Int32Array.from(indices), distances: Float64Array.from(distances) };
  }

  /** The same as `conditionalAffinities()`, rows split between the threads. */
  conditional(neighbours: KnnResult, perplexity: number): ConditionalAffinities {
    this.check();
    const k = neighbours.k;
    const n = neighbours.indices.length / k;
    if (this.workers.length === 0) {
      const out = { p: new Float64Array(n * k), beta: new Float64Array(n), entropy: new Float64Array(n) };
      conditionalAffinityRows(neighbours, perplexity, 0, n, out);
      return out;
    }
    const nb: KnnResult = { k, indices: copySharedI(neighbours.indices), distances: copyShared(neighbours.distances) };
    const out = { p: sharedF64(n * k), beta: sharedF64(n), entropy: sharedF64(n) };
    this.session({ kind: 'session', affinities: { k, indices: nb.indices, distances: nb.distances, perplexity, ...out } });
    const tasks = Math.ceil(n / AFFINITY_ROWS);
    this.post(JOB.AFFINITIES, false, tasks);
    runTasks(this.ctrl, tasks, (task) => conditionalAffinityRows(nb, perplexity, task * AFFINITY_ROWS, Math.min(n, (task + 1) * AFFINITY_ROWS), out));
    this.wait();
    return out;
  }

  /** One gradient evaluation's forces, tasks shared (see `forces.ts`). */
  forces(state: ForceState, withKl: boolean): void {
    this.check();
    const tree = this.tree;
    if (this.workers.length === 0) return forcesSerial(state, tree, withKl);
    if (this.forceState !== state) {
      this.forceState = state;
      this.session({ kind: 'session', forces: state });
    }
    this.post(JOB.FORCES, withKl);
    tree.build(state.embedding, state.n, state.theta);
    const total = forceTasks(state, tree);
    runTasks(this.ctrl, total, (task) => runForceTask(state, tree, task, withKl));
    this.wait();
  }

  /** A `TsneRuntime` on this pool: shared arrays, and the jobs above. */
  runtime(): TsneRuntime {
    const shared = this.workers.length > 0;
    return {
      float64: (len) => (shared ? sharedF64(len) : new Float64Array(len)),
      int32: (len) => (shared ? sharedI32(len) : new Int32Array(len)),
      neighbours: (data, dim, k, random) => this.neighbours(data, dim, k, random),
      conditional: (nb, perplexity) => this.conditional(nb, perplexity),
      forces: (state, withKl) => this.forces(state, withKl),
    };
  }
}

function copyShared(a: Float64Array): Float64Array {
  const b = sharedF64(a.length);
  b.set(a);
  return b;
}
function copySharedI(a: Int32Array): Int32Array {
  const b = sharedI32(a.length);
  b.set(a);
  return b;
}

/** A `Tsne` run whose heavy parts use `pool`; advance it with `step()`/`run()` as usual. */
export function createTsne(pool: TsnePool, data: Numeric, dim: number, options: TsneOptions = {}): Tsne {
  return new Tsne(data, dim, options, pool.runtime());
}

/** `tsne()` on `pool`. */
export function tsneWithPool(pool: TsnePool, data: Numeric, dim: number, options: TsneOptions = {}): TsneResult {
  return createTsne(pool, data, dim, options).run();
}

/**
 * `tsne()` on `threads` threads (default `defaultThreads()`): the same result as `tsne()` bit
 * for bit, sooner. Starts and ends its own workers.
 */
export async function tsneNode(data: Numeric, dim: number, options: TsneOptions & { threads?: number } = {}): Promise<TsneResult> {
  const { threads, ...rest } = options;
  const pool = await TsnePool.create(threads);
  try {
    return tsneWithPool(pool, data, dim, rest);
  } finally {
    pool.close();
  }
}
