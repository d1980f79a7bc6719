/**
 * The Node trainer's second thread (`train --threads 2`, the default on two or more cores).
 *
 * A step's output layer — the `x_hat/kernel` gradient (a 128 × 128 × 784 matMul), its Adam
 * update and the batch's Σ BCE — is needed by nothing later in the backward pass, so a worker
 * thread with its own TF.js backend owns that layer: it computes its gradients with
 * `outputLayerGrads` of `src/models/math.ts`, updates it with its own `Adam` (same class, same
 * ops, same step count), and hands back the new kernel, its transpose (for the next step's
 * dL/dh2) and the bias, while this thread does the hidden layers. The weights come out bit for bit
 * as with one thread; checkpoints carry the worker's share of the Adam state.
 *
 * Hand-over is through SharedArrayBuffers and `Atomics`, with no message passing per step. Jobs
 * run one at a time, in order; the main thread posts a step only once the previous step's new
 * parameters are back, so at most that step's Σ BCE is still being computed (it is read a step
 * late, from one of two slots). Each side waits only on a counter. Values are read straight off
 * the WASM heap (`readInto`): ~1 MB of `dataSync()` copies a step on each thread slowed both down.
 * Races to avoid: read the transposed kernel before posting the step that overwrites it; Σ BCE
 * uses two slots because it is read one step late. Bit-for-bit equality with one thread is
 * tested in `output-thread.test.ts`; a 10-epoch retrain on two threads reproduces the committed
 * weights byte for byte.
 */
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { AdamState } from '../models/adam.ts';
import { type Architecture, HIDDEN_DIM, INPUT_DIM, type ModelKind } from '../models/architecture.ts';
import type { TensorParams } from '../models/math.ts';
import type { StepDelegate } from '../models/step.ts';

/** Slots of the shared Int32 control array. */
export const CTRL = { POSTED: 0, KIND: 1, PARAMS_DONE: 2, BCE_DONE: 3, N: 4, ERROR: 5, ERROR_LEN: 6, ADAM_STEP: 7 } as const;
/** Job kinds. */
export const JOB = { STEP: 1, LOAD: 2, SAVE: 3, EXIT: 4 } as const;
const CTRL_SLOTS = 8;
const ERROR_BYTES = 2048;
/** A worker that has not answered for this long is taken for dead. */
const WAIT_MS = 60_000;
/** Busy-wait checks before sleeping on a hand-off (a futex wake-up costs tens of µs). */
const SPIN = 2_000;
/** Values in the output kernel. */
export const KERNEL = HIDDEN_DIM * INPUT_DIM;

/** What the worker gets at start-up (every buffer shared). */
export interface OutputWorkerData {
  kind: ModelKind;
  latentDim: number;
  backend: string;
  lr: number;
  ctrl: SharedArrayBuffer;
  error: SharedArrayBuffer;
  /** `[batchSize, 784]` the batch (the trainer gathers it here). */
  x: SharedArrayBuffer;
  /** `[batchSize, 784]` the step's logits (main → worker). */
  logits: SharedArrayBuffer;
  /** `[batchSize, hidden]` the output layer's input (main → worker). */
  h2: SharedArrayBuffer;
  /** `[hidden, 784]`, `[784, hidden]`, `[784]`: the layer's parameters (worker → main; main → worker on LOAD). */
  kernel: SharedArrayBuffer;
  kernelT: SharedArrayBuffer;
  bias: SharedArrayBuffer;
  /** Adam's m and v for the kernel then the bias (LOAD and SAVE). */
  adamM: SharedArrayBuffer;
  adamV: SharedArrayBuffer;
  /** Float64 Σ BCE of the step (worker → main), in slot job % 2. */
  bce: SharedArrayBuffer;
}

const f32 = (n: number) => new SharedArrayBuffer(n * 4);
/** Shapes of the output layer's parameters. */
export const OUTPUT_SHAPES = { 'x_hat/kernel': [HIDDEN_DIM, INPUT_DIM], 'x_hat/bias': [INPUT_DIM] };

/** The output layer's parameters as tensors, from the shared buffers (both threads). */
export function outputTensors(kernel: Float32Array, bias: Float32Array): TensorParams {
  return { 'x_hat/kernel': tf.tensor(kernel, OUTPUT_SHAPES['x_hat/kernel']), 'x_hat/bias': tf.tensor(bias, OUTPUT_SHAPES['x_hat/bias']) };
}

/** Writes the output layer's share of Adam's m and v into the shared buffers (kernel, then bias). */
export function writeAdamShare(state: Pick<AdamState, 'm' | 'v'>, adamM: Float32Array, adamV: Float32Array): void {
  for (const [from, to] of [[state.m, adamM], [state.v, adamV]] as const) {
    to.set(from['x_hat/kernel']!);
    to.set(from['x_hat/bias']!, KERNEL);
  }
}

/** Reads the output layer's share of Adam's m and v back from the shared buffers (copies). */
export function readAdamShare(adamM: Float32Array, adamV: Float32Array): Pick<AdamState, 'm' | 'v'> {
  const split = (b: Float32Array) => ({ 'x_hat/kernel': b.slice(0, KERNEL), 'x_hat/bias': b.slice(KERNEL) });
  return { m: split(adamM), v: split(adamV) };
}

/** The main thread's side: a {@link StepDelegate} for `trainStep`. */
export class OutputLayerThread implements StepDelegate {
  /** Where the trainer gathers each batch (`[n, 784]` rows from the start; the worker reads it). */
  readonly x: Float32Array;
  private readonly worker: Worker;
  private readonly ctrl: Int32Array;
  private readonly errorText: Uint8Array;
  private readonly logits: Float32Array;
  private readonly h2: Float32Array;
  private readonly kernel: Float32Array;
  private readonly kernelTBuf: Float32Array;
  private readonly bias: Float32Array;
  private readonly adamM: Float32Array;
  private readonly adamV: Float32Array;
  private readonly bceBuf: Float64Array;
  private posted = 0;
  private stepKernelT: tf.Tensor2D | undefined;
  private closed = false;

  private constructor(worker: Worker, data: OutputWorkerData) {
    this.worker = worker;
    this.ctrl = new Int32Array(data.ctrl);
    this.errorText = new Uint8Array(data.error);
    this.x = new Float32Array(data.x);
    this.logits = new Float32Array(data.logits);
    this.h2 = new Float32Array(data.h2);
    this.kernel = new Float32Array(data.kernel);
    this.kernelTBuf = new Float32Array(data.kernelT);
    this.bias = new Float32Array(data.bias);
    this.adamM = new Float32Array(data.adamM);
    this.adamV = new Float32Array(data.adamV);
    this.bceBuf = new Float64Array(data.bce);
  }

  /**
   * Starts the worker and its TF.js backend (`backend`, as the main thread's) for batches of up
   * to `batchSize` images and Adam with learning rate `lr`; resolves once it is ready.
   */
  static async start(arch: Architecture, batchSize: number, lr: number, backend: string): Promise<OutputLayerThread> {
    const data: OutputWorkerData = {
      kind: arch.kind,
      latentDim: arch.latentDim,
      backend,
      lr,
      ctrl: new SharedArrayBuffer(CTRL_SLOTS * 4),
      error: new SharedArrayBuffer(ERROR_BYTES),
      x: f32(batchSize * INPUT_DIM),
      logits: f32(batchSize * INPUT_DIM),
      h2: f32(batchSize * HIDDEN_DIM),
      kernel: f32(KERNEL),
      kernelT: f32(KERNEL),
      bias: f32(INPUT_DIM),
      adamM: f32(KERNEL + INPUT_DIM),
      adamV: f32(KERNEL + INPUT_DIM),
      bce: new SharedArrayBuffer(16),
    };
    const worker = new Worker(new URL('./output-worker.ts', import.meta.url), { workerData: data });
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error) => {
        void worker.terminate();
        reject(new Error(`the second training thread did not start: ${err.message}`));
      };
      worker.once('error', fail);
      worker.once('exit', (code) => fail(new Error(`it exited with code ${code}`)));
      worker.once('message', (m: { ready?: boolean; error?: string }) => {
        worker.removeAllListeners('error');
        worker.removeAllListeners('exit');
        if (m.ready) resolve();
        else fail(new Error(m.error ?? 'no reason given'));
      });
    });
    // an idle worker must not keep the process alive
    worker.unref();
    return new OutputLayerThread(worker, data);
  }

  /**
   * Hands the output layer's starting parameters (and, when resuming, its share of the Adam
   * state) to the worker. Call once, before the first step.
   */
  load(params: TensorParams, adam?: AdamState): void {
    readInto(params['x_hat/kernel']!, this.kernel);
    readInto(params['x_hat/bias']!, this.bias);
    const resumed = adam?.m['x_hat/kernel'] !== undefined;
    if (resumed) writeAdamShare(adam!, this.adamM, this.adamV);
    Atomics.store(this.ctrl, CTRL.ADAM_STEP, resumed ? adam!.step : 0);
    this.run(JOB.LOAD, CTRL.PARAMS_DONE);
  }

  /** The worker's share of the Adam state (for checkpoints), keyed like `Adam.getState()`. */
  adamState(): AdamState {
    this.run(JOB.SAVE, CTRL.PARAMS_DONE);
    return { step: Atomics.load(this.ctrl, CTRL.ADAM_STEP), ...readAdamShare(this.adamM, this.adamV) };
  }

  begin(h2: tf.Tensor2D, logits: tf.Tensor2D): void {
    const n = logits.shape[0];
    if (n * INPUT_DIM > this.logits.length) throw new RangeError(`a batch of ${n} is larger than the ${this.logits.length / INPUT_DIM} the thread was started for`);
    readInto(logits, this.logits);
    readInto(h2, this.h2);
    this.ctrl[CTRL.N] = n;
    // the transposed kernel of this step (written by the job before: LOAD or the last STEP) is
    // read now, before the worker is set going: it overwrites it with the next step's
    this.stepKernelT = tf.tensor2d(this.kernelTBuf, [INPUT_DIM, HIDDEN_DIM]);
    this.post(JOB.STEP);
  }

  kernelT(): tf.Tensor2D {
    const t = this.stepKernelT;
    this.stepKernelT = undefined;
    if (!t) throw new Error('kernelT() is only available once per step, after begin()');
    return t;
  }

  finish(params: TensorParams): () => number {
    const j = this.posted;
    this.waitFor(j, CTRL.PARAMS_DONE);
    params['x_hat/kernel']?.dispose();
    params['x_hat/bias']?.dispose();
    Object.assign(params, outputTensors(this.kernel, this.bias));
    // two slots: the worker writes step j + 1's while step j's may still be unread
    return () => {
      this.waitFor(j, CTRL.BCE_DONE);
      if (this.posted > j + 1) throw new Error(`Σ BCE of step job ${j} was not read in time (job ${this.posted} has started)`);
      return this.bceBuf[j % 2]!;
    };
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.post(JOB.EXIT);
    await this.worker.terminate();
  }

  private run(kind: number, slot: number): void {
    this.post(kind);
    this.waitFor(this.posted, slot);
  }

  private post(kind: number): void {
    if (this.closed && kind !== JOB.EXIT) throw new Error('the second training thread was closed');
    this.posted += 1;
    this.ctrl[CTRL.KIND] = kind;
    Atomics.store(this.ctrl, CTRL.POSTED, this.posted);
    Atomics.notify(this.ctrl, CTRL.POSTED);
  }

  /**
   * Blocks until job `j` has reached `slot` (PARAMS_DONE: done, or a step's parameters ready;
   * BCE_DONE: a step's Σ BCE ready); throws the worker's error, or after {@link WAIT_MS} of silence.
   */
  private waitFor(j: number, slot: number): void {
    const ctrl = this.ctrl;
    for (let i = 0; i < SPIN && Atomics.load(ctrl, slot) < j; i++);
    const deadline = performance.now() + WAIT_MS;
    for (let done = Atomics.load(ctrl, slot); done < j; done = Atomics.load(ctrl, slot)) {
      if (performance.now() > deadline) throw new Error(`the second training thread did not answer within ${WAIT_MS / 1000} s`);
      Atomics.wait(ctrl, slot, done, 1000);
    }
    if (Atomics.load(ctrl, CTRL.ERROR)) {
      const len = Atomics.load(ctrl, CTRL.ERROR_LEN);
      throw new Error(`the second training thread failed: ${new TextDecoder().decode(this.errorText.slice(0, len))}`);
    }
  }
}

/**
 * Copies a float32 tensor's values into `out` (from offset 0). On WASM it reads the backend's
 * heap in place: `dataSync()` would allocate a fresh copy each time, and with two threads
 * allocating ~1 MB a step each, the process-wide allocator and page faults slow both down.
 */
export function readInto(t: tf.Tensor, out: Float32Array): void {
  const backend = tf.backend() as tf.KernelBackend & { typedArrayFromHeap?: (info: tf.TensorInfo) => Float32Array };
  if (tf.getBackend() === 'wasm' && backend.typedArrayFromHeap) out.set(backend.typedArrayFromHeap(t));
  else out.set(t.dataSync() as Float32Array);
}

/** Writes `message` into the shared error buffer and flags it (worker side). */
export function reportError(ctrl: Int32Array, buffer: Uint8Array, message: string): void {
  const bytes = new TextEncoder().encode(message).subarray(0, buffer.length);
  buffer.set(bytes);
  Atomics.store(ctrl, CTRL.ERROR_LEN, bytes.length);
  Atomics.store(ctrl, CTRL.ERROR, 1);
}
