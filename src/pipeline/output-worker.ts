/**
 * The worker side of `output-thread.ts`: its own TF.js backend and its own `Adam` for the output
 * layer; runs the jobs the main thread posts, one at a time, until told to exit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { Adam } from '../models/adam.ts';
import { HIDDEN_DIM, INPUT_DIM, architecture } from '../models/architecture.ts';
import { bceLogits, objectiveScale, outputError, outputLayerGrads, type TensorParams } from '../models/math.ts';
import { initBackend, type BackendName } from './backend.ts';
import { CTRL, JOB, OUTPUT_SHAPES, type OutputWorkerData, outputTensors, readAdamShare, readInto, reportError, writeAdamShare } from './output-thread.ts';

const data = workerData as OutputWorkerData;
const ctrl = new Int32Array(data.ctrl);
const errorText = new Uint8Array(data.error);
try {
  await initBackend(data.backend as BackendName);
} catch (err) {
  parentPort!.postMessage({ error: (err as Error).message });
  process.exit(1);
}
const arch = architecture(data.kind, data.latentDim);
const x = new Float32Array(data.x);
const logits = new Float32Array(data.logits);
const h2 = new Float32Array(data.h2);
const kernel = new Float32Array(data.kernel);
const kernelT = new Float32Array(data.kernelT);
const bias = new Float32Array(data.bias);
const adamM = new Float32Array(data.adamM);
const adamV = new Float32Array(data.adamV);
const bce = new Float64Array(data.bce);
let params: TensorParams = {};
let adam = new Adam(data.lr);
parentPort!.postMessage({ ready: true });

/** Publishes the layer's parameters (and the kernel transposed) to the shared buffers. */
function publish(): void {
  readInto(params['x_hat/kernel']!, kernel);
  readInto(params['x_hat/bias']!, bias);
  const t = tf.transpose(params['x_hat/kernel']!);
  readInto(t, kernelT);
  t.dispose();
}

/** Takes the parameters (and Adam's state, from a checkpoint) the main thread wrote. */
function load(): void {
  tf.dispose(Object.values(params));
  adam.dispose();
  params = outputTensors(kernel, bias);
  adam = new Adam(data.lr);
  const step = Atomics.load(ctrl, CTRL.ADAM_STEP);
  if (step > 0) {
    adam.setState({ step, ...readAdamShare(adamM, adamV) }, OUTPUT_SHAPES);
  }
  publish();
}

function save(): void {
  const s = adam.getState();
  Atomics.store(ctrl, CTRL.ADAM_STEP, s.step);
  if (s.step === 0) return;
  writeAdamShare(s, adamM, adamV);
}

/**
 * A step's output layer: gradients and Adam first (the main thread waits for them), then Σ BCE
 * (read later, so it overlaps the main thread's next step: it uses only this thread's tensors).
 */
function step(j: number): void {
  const n = Atomics.load(ctrl, CTRL.N);
  const xt = tf.tensor2d(x.subarray(0, n * INPUT_DIM), [n, INPUT_DIM]);
  const lt = tf.tensor2d(logits.subarray(0, n * INPUT_DIM), [n, INPUT_DIM]);
  try {
    const g = tf.tidy(() => {
      const ht = tf.tensor2d(h2.subarray(0, n * HIDDEN_DIM), [n, HIDDEN_DIM]);
      const { kernel: k, bias: b } = outputLayerGrads(ht, outputError(lt, xt), objectiveScale(arch, n));
      return { 'x_hat/kernel': k, 'x_hat/bias': b };
    });
    params = adam.apply(params, g);
    publish();
    signal(CTRL.PARAMS_DONE, j);
    const b = tf.tidy(() => bceLogits(lt, xt));
    bce[j % 2] = b.dataSync()[0]!;
    b.dispose();
  } finally {
    tf.dispose([xt, lt]);
  }
}

function signal(slot: number, j: number): void {
  Atomics.store(ctrl, slot, j);
  Atomics.notify(ctrl, slot);
}

for (let done = 0; ; ) {
  for (let posted = Atomics.load(ctrl, CTRL.POSTED); posted <= done; posted = Atomics.load(ctrl, CTRL.POSTED)) Atomics.wait(ctrl, CTRL.POSTED, posted);
  const j = done + 1;
  const kind = Atomics.load(ctrl, CTRL.KIND);
  if (kind === JOB.EXIT) break;
  try {
    if (kind === JOB.STEP) step(j);
    else if (kind === JOB.LOAD) load();
    else if (kind === JOB.SAVE) save();
    else throw new Error(`unknown job kind ${kind}`);
  } catch (err) {
    reportError(ctrl, errorText, (err as Error).stack ?? String(err));
  }
  done = j;
  signal(CTRL.PARAMS_DONE, j);
  signal(CTRL.BCE_DONE, j);
}
