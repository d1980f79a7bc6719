/**
 * Forward and hand-written backward passes of the MLP models (ae, vae, dae, cvae) on TF.js tensors.
 *
 * Written for speed on the WASM backend: fused matMul + bias + ReLU for the forward pass,
 * explicit `tf.transpose` before each matMul (a matMul with a transpose flag is ~10× slower on
 * WASM), and no autodiff tape. `math.test.ts` checks these gradients against `tf.grad`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Architecture, Params } from './architecture.ts';
import { paramSpecs } from './architecture.ts';

export type TensorParams = Record<string, tf.Tensor>;

/** Parameters as tensors (caller disposes). */
export function toTensors(arch: Architecture, params: Params): TensorParams {
  const out: TensorParams = {};
  for (const spec of paramSpecs(arch)) out[spec.name] = tf.tensor(params[spec.name]!, spec.shape, 'float32');
  return out;
}

/** Tensors back to plain arrays. */
export function fromTensors(arch: Architecture, params: TensorParams): Params {
  const out: Params = {};
  for (const spec of paramSpecs(arch)) out[spec.name] = params[spec.name]!.dataSync() as Float32Array;
  return out;
}

function dense(p: TensorParams, layer: string, x: tf.Tensor, relu: boolean): tf.Tensor2D {
  return tf.fused.matMul({
    a: x as tf.Tensor2D,
    b: p[`${layer}/kernel`] as tf.Tensor2D,
    bias: p[`${layer}/bias`],
    activation: relu ? 'relu' : 'linear',
  }) as tf.Tensor2D;
}

/**
 * What a model takes beside the target pixels `x` (`[n, 784]`):
 * - `input`: the encoder's input when it is not `x` (the dae's noisy images; the cvae's
 *   `[n, 794]` pixels-then-label rows, built from `x` and `labels` when absent), and `inputT`
 *   its transpose (for the gradients; built when absent);
 * - `labels`: the cvae's one-hot labels, `[n, 10]` (appended to the encoder's and decoder's input).
 */
export interface ModelInputs {
  input?: tf.Tensor2D;
  inputT?: tf.Tensor2D;
  labels?: tf.Tensor2D;
}

function requireLabels(arch: Architecture, labels: tf.Tensor | undefined): void {
  if (arch.labelDim > 0 && (!labels || labels.shape[1] !== arch.labelDim)) throw new Error(`the ${arch.kind} needs one-hot labels [n, ${arch.labelDim}]`);
}

/** The encoder's input: `input` when given, else `x` (cvae: `x` then `labels`, `[n, 794]`). */
export function encoderInput(arch: Architecture, x: tf.Tensor, inputs: ModelInputs = {}): tf.Tensor2D {
  if (inputs.input) return inputs.input;
  requireLabels(arch, inputs.labels);
  return (arch.labelDim > 0 ? tf.concat([x as tf.Tensor2D, inputs.labels!], 1) : x) as tf.Tensor2D;
}

/** The decoder's input: the code `z`, then (cvae) the one-hot `labels`. */
export function decoderInput(arch: Architecture, z: tf.Tensor, labels?: tf.Tensor): tf.Tensor2D {
  if (arch.labelDim === 0) return z as tf.Tensor2D;
  requireLabels(arch, labels);
  return tf.concat([z as tf.Tensor2D, labels as tf.Tensor2D], 1);
}

/**
 * Encoder on its input (see {@link encoderInput}): AE/DAE → `{ z }`; VAE/CVAE → `{ mu, logvar }`
 * (`z` is then `mu`).
 */
export function encode(arch: Architecture, p: TensorParams, x: tf.Tensor): { z: tf.Tensor2D; mu?: tf.Tensor2D; logvar?: tf.Tensor2D } {
  return tf.tidy(() => {
    const h = dense(p, 'enc_hidden', x, true);
    if (!arch.variational) return { z: dense(p, 'z', h, false) };
    const mu = dense(p, 'mu', h, false);
    return { z: mu, mu, logvar: dense(p, 'logvar', h, false) };
  });
}

/** Decoder logits from its input (see {@link decoderInput}; apply `tf.sigmoid` for pixel probabilities). */
export function decodeLogits(p: TensorParams, z: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => dense(p, 'x_hat', dense(p, 'dec_hidden', z, true), false));
}

/** Loss terms of a batch, summed over its images (nats). */
export interface LossSums {
  bce: tf.Scalar;
  kl: tf.Scalar;
}

/**
 * Loss sums without gradients, against the target pixels `x`. VAE family: z = mu + exp(½ logvar)·eps
 * with the given `eps` (`[batch, latentDim]`), so the BCE is the single-sample negative-ELBO term.
 * `inputs`: the encoder's input when it is not `x` (a dae's noisy images) and the cvae's labels.
 */
export function evaluate(arch: Architecture, p: TensorParams, x: tf.Tensor, eps?: tf.Tensor, inputs: ModelInputs = {}): LossSums {
  return tf.tidy(() => {
    const { z, mu, logvar } = encode(arch, p, encoderInput(arch, x, inputs));
    if (!arch.variational) {
      return { bce: bceLogits(decodeLogits(p, decoderInput(arch, z, inputs.labels)), x), kl: tf.scalar(0) };
    }
    const zs = tf.add(mu!, tf.mul(tf.exp(tf.mul(logvar!, 0.5)), eps!));
    return { bce: bceLogits(decodeLogits(p, decoderInput(arch, zs, inputs.labels)), x), kl: klOf(mu!, logvar!) };
  });
}

/**
 * Σ over the batch of each latent dimension's KL(q(z|x) ‖ N(0, 1)), `[latentDim]` (VAE family):
 * their sum is the batch's Σ KL.
 */
export function klPerDimSums(mu: tf.Tensor, logvar: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logvar), tf.square(mu)), tf.exp(logvar)), 0)));
}

/**
 * Σ BCE from logits: softplus(l) − x·l (= −[x log σ(l) + (1 − x) log(1 − σ(l))], exact up to
 * float32 rounding), with Σ softplus(l) = −Σ log σ(−l). `log` is the costly op on WASM (~0.3 ms
 * per 100k values, `tf.softplus` ~1.2 ms), so the σ(−l) are multiplied in groups of four before
 * the log (4× fewer logs; relative error ~1e-7 per group). If a group's product underflows to 0
 * (four logits averaging > ~26) the sum is not finite and the batch is recomputed with one log per
 * value, and if that overflows too (a logit > ~88), with the always-finite `tf.softplus`.
 * Sums are taken per image (≤ 784 float32 terms) and then added in float64, so the result does
 * not drift with the batch size (a single float32 sum over 784k values is off by ~3e-4).
 */
export function bceLogits(logits: tf.Tensor, x: tf.Tensor): tf.Scalar {
  const rows = logits.shape[0]!;
  const perRow = (t: tf.Tensor) => tf.sum(tf.reshape(t, [rows, -1]), 1);
  const total = (v: ArrayLike<number>, from: number, to: number) => {
    let sum = 0;
    for (let i = from; i < to; i++) sum += v[i]!;
    return sum;
  };
  const xlRows = perRow(tf.mul(x, logits));
  const s = tf.sigmoid(tf.neg(logits));
  if (s.size % (4 * rows) === 0) {
    // one read-back for both per-image vectors (a GPU sync on WebGL)
    const v = tf.concat([xlRows, perRow(tf.log(tf.prod(tf.reshape(s, [s.size / 4, 4]), 1)))]).dataSync();
    const xl = total(v, 0, rows);
    const grouped = total(v, rows, 2 * rows);
    if (Number.isFinite(grouped)) return tf.scalar(-(grouped + xl));
  }
  const v = tf.concat([xlRows, perRow(tf.log(s))]).dataSync();
  const plain = total(v, rows, 2 * rows);
  if (Number.isFinite(plain)) return tf.scalar(-(plain + total(v, 0, rows)));
  const sp = perRow(tf.sub(tf.softplus(logits), tf.mul(x, logits))).dataSync();
  return tf.scalar(total(sp, 0, rows));
}

/** Σ over rows (axis 0) as a `[1, n] × [n, k]` matMul: ~15× faster than `tf.sum(t, 0)` on WASM. */
function sumRows(t: tf.Tensor2D, weight = 1): tf.Tensor1D {
  return tf.reshape(tf.matMul(constRow(t.shape[0], weight), t), [t.shape[1]]);
}

const constRows = new Map<string, tf.Tensor2D>();
/** The row length the cached constants are for; a step only ever asks for one (its batch size). */
let constRowsN = -1;

/**
 * A cached `[1, n]` tensor filled with `value` (kept out of every tidy). Only the current batch
 * size's constants are kept: a different `n` (an epoch's short last batch, a new batch size)
 * frees them first, so the number of live tensors never depends on which batch sizes a run has
 * seen — a paused run holds the same tensors whether or not it has crossed an epoch's end.
 */
function constRow(n: number, value: number): tf.Tensor2D {
  if (n !== constRowsN) {
    releaseConstants();
    constRowsN = n;
  }
  const key = `${tf.getBackend()}:${value}`;
  let t = constRows.get(key);
  if (!t || t.isDisposed) {
    t = tf.keep(tf.fill([1, n], value)) as tf.Tensor2D;
    constRows.set(key, t);
  }
  return t;
}

/**
 * Frees the cached constant rows. Call when a training run ends for good (the page's Reset), so
 * a finished run leaves no tensors behind; the next step simply rebuilds the few it needs.
 */
export function releaseConstants(): void {
  for (const t of constRows.values()) t.dispose();
  constRows.clear();
  constRowsN = -1;
}

function klOf(mu: tf.Tensor, logvar: tf.Tensor): tf.Scalar {
  return tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logvar), tf.square(mu)), tf.exp(logvar))));
}

/**
 * The objective the report's code minimises, for a batch of `n` images:
 * AE (and DAE) `nn.BCELoss()` = Σ BCE / (n·784); VAE (and CVAE) Σ BCE + Σ KL.
 */
export function objectiveScale(arch: Architecture, n: number): number {
  return arch.variational ? 1 : 1 / (n * 784);
}

export interface GradResult extends LossSums {
  grads: TensorParams;
}

/** dΣBCE/dlogits = σ(l) − x (unscaled), `[n, 784]`. */
export function outputError(logits: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor2D {
  return tf.sub(tf.sigmoid(logits), x);
}

/** The output layer's gradients, from {@link outputLayerGrads}. */
export interface OutputLayerGrads {
  kernel: tf.Tensor2D;
  bias: tf.Tensor1D;
}

/**
 * The output layer's share of a training step: gradients of `x_hat/kernel` (`h2ᵀ·dl·scale`) and
 * `x_hat/bias` (Σ rows of dl, ·scale) for the objective's `scale` ({@link objectiveScale}), from
 * the layer's input `h2` (`[n, hidden]`) and `dl` = {@link outputError}. Nothing later in the
 * backward pass needs them (nor the batch's Σ BCE, {@link bceLogits}), so the Node trainer runs
 * both on a second thread (`src/pipeline/output-thread.ts`) with exactly these ops.
 */
export function outputLayerGrads(h2: tf.Tensor2D, dl: tf.Tensor2D, scale: number): OutputLayerGrads {
  // the scale goes on the small [n, hidden] factor (a broadcast multiply on [n, 784] is slow on WASM)
  const h2T = scale === 1 ? tf.transpose(h2) : tf.mul(tf.transpose(h2), scale);
  return { kernel: tf.matMul(h2T as tf.Tensor2D, dl), bias: sumRows(dl, scale) };
}

/**
 * Lets the output layer's share of a step ({@link outputLayerGrads}) happen elsewhere while the
 * rest of the backward pass goes on: {@link hiddenGradients} calls `begin` as soon as the forward
 * pass has `h2` and the logits, and takes the output kernel transposed from `kernelT`.
 */
export interface OutputLayerDelegate {
  begin(h2: tf.Tensor2D, logits: tf.Tensor2D): void;
  /** `x_hat/kernel` transposed, `[784, hidden]` (a new tensor; the caller's tidy disposes it). */
  kernelT(): tf.Tensor2D;
}

/**
 * Gradients of the report's objective (see {@link objectiveScale}) for batch `x` (`[n, 784]`),
 * given also as `xT` (`[784, n]`, built by the caller, which is cheaper than transposing here).
 * VAE: `eps` is the `[n, latentDim]` reparameterisation noise, and `beta` weights the KL term:
 * the β-VAE objective Σ BCE + β·Σ KL (β = 1 is the report's VAE, β = 0 drops the KL; the
 * returned `bce` and `kl` stay unweighted). The AE ignores `beta`. `inputs`: the encoder's input
 * and its transpose when it is not `x` (dae: the noisy batch, while `x` stays the clean target),
 * and the cvae's one-hot labels (see {@link ModelInputs}).
 */
export function gradients(arch: Architecture, p: TensorParams, x: tf.Tensor2D, xT: tf.Tensor2D, eps?: tf.Tensor2D, beta = 1, inputs: ModelInputs = {}): GradResult {
  return tf.tidy(() => {
    let out: OutputLayerGrads | undefined;
    let bce: tf.Scalar | undefined;
    const scale = objectiveScale(arch, x.shape[0]);
    const onOutput = (h2: tf.Tensor2D, logits: tf.Tensor2D, dl: tf.Tensor2D) => {
      out = outputLayerGrads(h2, dl, scale);
      bce = bceLogits(logits, x);
    };
    const { grads, kl } = backward(arch, p, x, xT, eps, beta, inputs, onOutput, () => tf.transpose(p['x_hat/kernel'] as tf.Tensor2D));
    return { grads: { ...grads, 'x_hat/kernel': out!.kernel, 'x_hat/bias': out!.bias }, bce: bce!, kl };
  });
}

/**
 * {@link gradients} without the output layer's share: the gradients of every parameter but
 * `x_hat/kernel` and `x_hat/bias`, and Σ KL; the delegate computes the rest (and Σ BCE).
 * Together they give bit for bit what {@link gradients} gives.
 */
export function hiddenGradients(
  arch: Architecture,
  p: TensorParams,
  x: tf.Tensor2D,
  xT: tf.Tensor2D,
  eps: tf.Tensor2D | undefined,
  beta: number,
  delegate: OutputLayerDelegate,
  inputs: ModelInputs = {},
): { grads: TensorParams; kl: tf.Scalar } {
  return tf.tidy(() => backward(arch, p, x, xT, eps, beta, inputs, (h2, logits) => delegate.begin(h2, logits), () => delegate.kernelT()));
}

function backward(
  arch: Architecture,
  p: TensorParams,
  x: tf.Tensor2D,
  xT: tf.Tensor2D,
  eps: tf.Tensor2D | undefined,
  beta: number,
  inputs: ModelInputs,
  onOutput: (h2: tf.Tensor2D, logits: tf.Tensor2D, dl: tf.Tensor2D) => void,
  outputKernelT: () => tf.Tensor2D,
): { grads: TensorParams; kl: tf.Scalar } {
  const n = x.shape[0];
  const T = (t: tf.Tensor) => tf.transpose(t as tf.Tensor2D);
  const mask = (t: tf.Tensor) => tf.step(t);
  const g: TensorParams = {};

  // forward; the encoder's input is x unless `inputs` says otherwise (dae: noisy; cvae: x then label)
  const input = encoderInput(arch, x, inputs);
  const inputT = inputs.inputT ?? (input === x ? xT : T(input));
  const h1 = dense(p, 'enc_hidden', input, true);
  let z: tf.Tensor2D;
  let mu: tf.Tensor2D | undefined;
  let logvar: tf.Tensor2D | undefined;
  let std: tf.Tensor | undefined;
  if (!arch.variational) {
    z = dense(p, 'z', h1, false);
  } else {
    mu = dense(p, 'mu', h1, false);
    logvar = dense(p, 'logvar', h1, false);
    std = tf.exp(tf.mul(logvar, 0.5));
    z = tf.add(mu, tf.mul(std, eps!));
  }
  const zIn = decoderInput(arch, z, inputs.labels);
  const h2 = dense(p, 'dec_hidden', zIn, true);
  const logits = dense(p, 'x_hat', h2, false);
  const dl = outputError(logits, x);
  onOutput(h2, logits, dl);
  const kl = arch.variational ? klOf(mu!, logvar!) : tf.scalar(0);

  // backward: d(objective)/d(logits) = (σ(l) − x) · scale. The scale is applied to the small
  // [n, 128] factors rather than to the [n, 784] ones (a broadcast multiply is slow on WASM).
  const scale = objectiveScale(arch, n);
  const dh2: tf.Tensor2D = tf.mul(tf.matMul(dl, outputKernelT()), scale === 1 ? mask(h2) : tf.mul(mask(h2), scale));
  g['dec_hidden/kernel'] = tf.matMul(T(zIn), dh2);
  g['dec_hidden/bias'] = sumRows(dh2);
  // cvae: only the code's rows of the kernel (the first latentDim) lead back to the encoder
  const decKernel = p['dec_hidden/kernel'] as tf.Tensor2D;
  const codeRows = arch.labelDim > 0 ? tf.slice(decKernel, [0, 0], [arch.latentDim, decKernel.shape[1]]) : decKernel;
  const dz = tf.matMul(dh2, T(codeRows)) as tf.Tensor2D;

  let dh1: tf.Tensor2D;
  if (!arch.variational) {
    g['z/kernel'] = tf.matMul(T(h1), dz);
    g['z/bias'] = sumRows(dz);
    dh1 = tf.matMul(dz, T(p['z/kernel']!));
  } else {
    // z = mu + std·eps, KL = −½ Σ(1 + lv − mu² − e^lv), objective BCE + β·KL:
    // dmu = dz + β·mu; dlv = dz·eps·½std + β·½(e^lv − 1)  (e^lv = std²)
    const kw = scale * beta;
    const dmu = tf.add(dz, kw === 1 ? mu! : tf.mul(mu!, kw)) as tf.Tensor2D;
    const dlv = tf.add(tf.mul(tf.mul(dz, eps!), tf.mul(std!, 0.5)), tf.mul(tf.sub(tf.square(std!), 1), 0.5 * kw)) as tf.Tensor2D;
    const h1T = T(h1);
    g['mu/kernel'] = tf.matMul(h1T, dmu);
    g['mu/bias'] = sumRows(dmu);
    g['logvar/kernel'] = tf.matMul(h1T, dlv);
    g['logvar/bias'] = sumRows(dlv);
    dh1 = tf.add(tf.matMul(dmu, T(p['mu/kernel']!)), tf.matMul(dlv, T(p['logvar/kernel']!)));
  }
  dh1 = tf.mul(dh1, mask(h1));
  g['enc_hidden/kernel'] = tf.matMul(inputT, dh1);
  g['enc_hidden/bias'] = sumRows(dh1);
  return { grads: g, kl };
}
