/**
 * The attention-encoder VAE (`attn`, issue 10), defined once in TF.js core ops: pure, so it runs
 * in Node (the `train` CLI) and in browsers alike.
 *
 * Encoder (see /work/notes/zoo-spec.md and DEVELOPERS.md's `pretrained/` contract):
 *   x [n, 784] → 16 patches of 7 × 7 (row-major patch order, each patch row-major, 49 values)
 *   → `patch_embed` Dense 49→64 (+bias) + `pos_embed` [16, 64]                       tokens t
 *   → ONE pre-norm transformer block: h = t + MHA(LN₁(t)); h = h + MLP(LN₂(h))
 *       MHA: 4 heads of 16, `attn_q|k|v|o` Dense 64→64 with bias, softmax(QKᵀ/√16)
 *       MLP: `mlp_hidden` 64→128 ReLU → `mlp_out` 128→64
 *   → `ln_final` → mean over the 16 tokens → Dense heads `mu`, `logvar` (64→d)
 * Decoder: the VAE's (`dec_hidden` d→128 ReLU → `x_hat` 128→784 sigmoid), taken from
 * `architecture('vae', d)` and exported by `export.ts` like vae's. Loss: Σ BCE + Σ KL, as the VAE.
 *
 * LayerNorm: eps 1e-5, biased variance, γ = 1, β = 0 at init. Linear layers: PyTorch's default
 * U(±1/√fan_in) for kernel and bias; kernels are stored `[inputs, units]` (TF.js layout).
 * Position embeddings: N(0, 0.02²). Gradients come from TF.js autodiff (`tf.grads`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Architecture, architecture, initParams, type Params, paramSpecs } from './architecture.ts';
import { bceWithLogitsSum, klSum } from './losses.ts';
import type { TensorParams } from './math.ts';
import { Rng } from './random.ts';
import { WEIGHTS_FILE } from './weights-file.ts';
import { tidyRecord, tidyValues } from './tensor-values.ts';
import { packWeights } from './export.ts';

export const ATTN_FORMAT = 'latent-atlas-attn';

/** The encoder's hyper-parameters, written to `model.json`'s `modelTopology.config`. */
export interface AttnConfig {
  imageSize: number;
  patchSize: number;
  tokens: number;
  patchDim: number;
  dModel: number;
  heads: number;
  headDim: number;
  mlpDim: number;
  latentDim: number;
  layerNormEpsilon: number;
  blocks: number;
  norm: 'pre';
  pooling: 'mean';
  patchOrder: 'row-major';
  outputs: ['mu', 'logvar'];
}

/** The spec's encoder with a `latentDim`-dimensional code. */
export function attnConfig(latentDim = 2): AttnConfig {
  if (!Number.isInteger(latentDim) || latentDim < 1) throw new RangeError(`latentDim must be a positive integer, got ${latentDim}`);
  return {
    imageSize: 28,
    patchSize: 7,
    tokens: 16,
    patchDim: 49,
    dModel: 64,
    heads: 4,
    headDim: 16,
    mlpDim: 128,
    latentDim,
    layerNormEpsilon: 1e-5,
    blocks: 1,
    norm: 'pre',
    pooling: 'mean',
    patchOrder: 'row-major',
    outputs: ['mu', 'logvar'],
  };
}

/** A parameter of the encoder: name, shape and how it is initialised. */
export interface AttnParamSpec {
  name: string;
  shape: number[];
  /** `linear`: U(±1/√fanIn); `normal`: N(0, 0.02²); `ones`/`zeros`: LayerNorm γ/β. */
  init: 'linear' | 'normal' | 'ones' | 'zeros';
  fanIn?: number;
}

/** Every encoder parameter in a fixed order (also the weight order of `model.json`). */
export function attnEncoderSpecs(c: AttnConfig): AttnParamSpec[] {
  const dense = (name: string, inputs: number, units: number): AttnParamSpec[] => [
    { name: `${name}/kernel`, shape: [inputs, units], init: 'linear', fanIn: inputs },
    { name: `${name}/bias`, shape: [units], init: 'linear', fanIn: inputs },
  ];
  const ln = (name: string): AttnParamSpec[] => [
    { name: `${name}/gamma`, shape: [c.dModel], init: 'ones' },
    { name: `${name}/beta`, shape: [c.dModel], init: 'zeros' },
  ];
  return [
    ...dense('patch_embed', c.patchDim, c.dModel),
    { name: 'pos_embed', shape: [c.tokens, c.dModel], init: 'normal' },
    ...ln('ln1'),
    ...dense('attn_q', c.dModel, c.dModel),
    ...dense('attn_k', c.dModel, c.dModel),
    ...dense('attn_v', c.dModel, c.dModel),
    ...dense('attn_o', c.dModel, c.dModel),
    ...ln('ln2'),
    ...dense('mlp_hidden', c.dModel, c.mlpDim),
    ...dense('mlp_out', c.mlpDim, c.dModel),
    ...ln('ln_final'),
    ...dense('mu', c.dModel, c.latentDim),
    ...dense('logvar', c.dModel, c.latentDim),
  ];
}

/** The decoder part: the VAE's architecture (its encoder layers are not used). */
export function attnDecoderArch(latentDim: number): Architecture {
  return { ...architecture('vae', latentDim), encoder: [] };
}

/** Encoder then decoder parameter names (decoder: `paramSpecs` of the VAE decoder). */
export function attnParamNames(c: AttnConfig): string[] {
  return [...attnEncoderSpecs(c).map((s) => s.name), ...paramSpecs(attnDecoderArch(c.latentDim)).map((s) => s.name)];
}

/**
 * Initial parameters: the encoder's drawn from `rng` in {@link attnEncoderSpecs} order, then the
 * decoder's with `initParams` (PyTorch's `nn.Linear` default), from the same `rng`.
 */
export function initAttnParams(c: AttnConfig, rng: Rng): Params {
  const params: Params = {};
  for (const s of attnEncoderSpecs(c)) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(size);
    if (s.init === 'ones') v.fill(1);
    else if (s.init === 'normal') for (let i = 0; i < size; i++) v[i] = 0.02 * rng.normal();
    else if (s.init === 'linear') {
      const bound = 1 / Math.sqrt(s.fanIn!);
      for (let i = 0; i < size; i++) v[i] = (2 * rng.uniform() - 1) * bound;
    }
    params[s.name] = v;
  }
  return { ...params, ...initParams(attnDecoderArch(c.latentDim), rng) };
}

/** The shape of every parameter (encoder and decoder) by name. */
export function attnShapes(c: AttnConfig): Record<string, number[]> {
  return Object.fromEntries([
    ...attnEncoderSpecs(c).map((s) => [s.name, s.shape] as const),
    ...paramSpecs(attnDecoderArch(c.latentDim)).map((s) => [s.name, s.shape as number[]] as const),
  ]);
}

/** Parameters as tensors (the caller disposes); only the names present in `params`. */
export function attnToTensors(c: AttnConfig, params: Params): TensorParams {
  const shapes = attnShapes(c);
  const out: TensorParams = {};
  for (const [name, v] of Object.entries(params)) {
    const shape = shapes[name];
    if (!shape) throw new Error(`unknown attn parameter ${name}`);
    out[name] = tf.tensor(v, shape, 'float32');
  }
  return out;
}

/** Tensors back to plain arrays (every name of `c`'s encoder and decoder). */
export function attnFromTensors(c: AttnConfig, p: TensorParams): Params {
  const out: Params = {};
  for (const name of attnParamNames(c)) out[name] = p[name]!.dataSync() as Float32Array;
  return out;
}

/** `[n, 784]` images → `[n·16, 49]` patch rows (patch-major per image, each patch row-major). */
export function patchify(c: AttnConfig, x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const g = c.imageSize / c.patchSize;
    const n = x.shape[0]!;
    const t = tf.transpose(tf.reshape(x, [n, g, c.patchSize, g, c.patchSize]), [0, 1, 3, 2, 4]);
    return tf.reshape(t, [n * c.tokens, c.patchDim]) as tf.Tensor2D;
  });
}

// ---------------------------------------------------------------------------------------------
// Differentiable building blocks. Each has a hand-written gradient (`tf.customGrad`), so that
// autodiff (`tf.grads`) never uses the slow paths of the WASM backend: matMul's transpose flags
// (~10× slower than an explicit `tf.transpose`) and sums over the batch axis (done here as a
// `[1, rows] × [rows, k]` matMul). `attn.test.ts` checks every gradient against finite differences.

type Grad2 = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];

/** Σ over rows (axis 0) of `[rows, k]` as a matMul with a row of ones. */
function sumRows(t: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, t.shape[0]]), t), [t.shape[1]]);
}

const T2 = (t: tf.Tensor) => tf.transpose(t as tf.Tensor2D);

/** `x·W + b` for `[rows, in]` × `[in, out]` + `[out]`. */
const denseLinear = tf.customGrad((x, w, b, save) => {
  (save as tf.GradSaveFunc)([x as tf.Tensor, w as tf.Tensor]);
  const value = tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b as tf.Tensor });
  const gradFunc: Grad2 = (dy, [x, w]) => [tf.matMul(dy as tf.Tensor2D, T2(w!)), tf.matMul(T2(x!), dy as tf.Tensor2D), sumRows(dy as tf.Tensor2D)];
  return { value, gradFunc };
}) as (x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor) => tf.Tensor2D;

/** {@link denseLinear} for a layer fed by data (the patches): no gradient flows to `x` (zeros). */
const denseInput = tf.customGrad((x, w, b, save) => {
  (save as tf.GradSaveFunc)([x as tf.Tensor]);
  const value = tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b as tf.Tensor });
  const gradFunc: Grad2 = (dy, [x]) => [tf.zerosLike(x!), tf.matMul(T2(x!), dy as tf.Tensor2D), sumRows(dy as tf.Tensor2D)];
  return { value, gradFunc };
}) as (x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor) => tf.Tensor2D;

/** ReLU(`x·W + b`). */
const denseRelu = tf.customGrad((x, w, b, save) => {
  const value = tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b as tf.Tensor, activation: 'relu' });
  (save as tf.GradSaveFunc)([x as tf.Tensor, w as tf.Tensor, value]);
  const gradFunc: Grad2 = (dy, [x, w, y]) => {
    const d = tf.mul(dy, tf.step(y!)) as tf.Tensor2D;
    return [tf.matMul(d, T2(w!)), tf.matMul(T2(x!), d), sumRows(d)];
  };
  return { value, gradFunc };
}) as (x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor) => tf.Tensor2D;

/** `x + b` for `[rows, k]` + `[k]` (the position embeddings, flattened). */
const addRow = tf.customGrad((x, b) => ({
  value: tf.add(x as tf.Tensor, b as tf.Tensor),
  // a clone: the engine disposes `dy` after this node, and the same tensor must not be both
  gradFunc: ((dy) => [tf.clone(dy), sumRows(dy as tf.Tensor2D)]) as Grad2,
})) as (x: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/** LayerNorm over the last axis of `[rows, d]` (biased variance, like `nn.LayerNorm`), eps 1e-5. */
function makeLayerNorm(eps: number) {
  return tf.customGrad((x, gamma, beta, save) => {
    const mean = tf.mean(x as tf.Tensor, -1, true);
    const d = tf.sub(x as tf.Tensor, mean);
    const inv = tf.rsqrt(tf.add(tf.mean(tf.square(d), -1, true), eps));
    const xhat = tf.mul(d, inv);
    (save as tf.GradSaveFunc)([xhat, inv, gamma as tf.Tensor]);
    const gradFunc: Grad2 = (dy, [xhat, inv, gamma]) => {
      const g = tf.mul(dy, gamma!);
      const dx = tf.mul(inv!, tf.sub(tf.sub(g, tf.mean(g, -1, true)), tf.mul(xhat!, tf.mean(tf.mul(g, xhat!), -1, true))));
      return [dx, sumRows(tf.mul(dy, xhat!) as tf.Tensor2D), sumRows(dy as tf.Tensor2D)];
    };
    return { value: tf.add(tf.mul(xhat, gamma as tf.Tensor), beta as tf.Tensor), gradFunc };
  }) as (x: tf.Tensor2D, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor2D;
}
const layerNorms = new Map<number, ReturnType<typeof makeLayerNorm>>();
function layerNorm(c: AttnConfig, p: TensorParams, name: string, x: tf.Tensor2D): tf.Tensor2D {
  let ln = layerNorms.get(c.layerNormEpsilon);
  if (!ln) layerNorms.set(c.layerNormEpsilon, (ln = makeLayerNorm(c.layerNormEpsilon)));
  return ln(x, p[`${name}/gamma`]!, p[`${name}/beta`]!);
}

const T3 = (t: tf.Tensor) => tf.transpose(t, [0, 2, 1]);

/** softmax(q·kᵀ/√hd) for `[B, tokens, hd]` queries and keys: `[B, tokens, tokens]`. */
function attentionWeights(q: tf.Tensor3D, k: tf.Tensor3D): tf.Tensor3D {
  return tf.softmax(tf.matMul(tf.mul(q, 1 / Math.sqrt(q.shape[2])), T3(k) as tf.Tensor3D)) as tf.Tensor3D;
}

/** Scaled dot-product attention, `[B, tokens, hd]` each → softmax(q·kᵀ/√hd)·v. */
const attentionCore = tf.customGrad((q, k, v, save) => {
  const w = attentionWeights(q as tf.Tensor3D, k as tf.Tensor3D);
  (save as tf.GradSaveFunc)([q as tf.Tensor, k as tf.Tensor, v as tf.Tensor, w]);
  const gradFunc: Grad2 = (dy, [q, k, v, w]) => {
    const scale = 1 / Math.sqrt(q!.shape[2]!);
    const dw = tf.matMul(dy as tf.Tensor3D, T3(v!) as tf.Tensor3D);
    const ds = tf.mul(tf.mul(w!, tf.sub(dw, tf.sum(tf.mul(dw, w!), -1, true))), scale) as tf.Tensor3D;
    return [tf.matMul(ds, k as tf.Tensor3D), tf.matMul(T3(ds) as tf.Tensor3D, q as tf.Tensor3D), tf.matMul(T3(w!) as tf.Tensor3D, dy as tf.Tensor3D)];
  };
  return { value: tf.matMul(w, v as tf.Tensor3D), gradFunc };
}) as (q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D) => tf.Tensor3D;

function dense(p: TensorParams, name: string, x: tf.Tensor2D, relu = false): tf.Tensor2D {
  return (relu ? denseRelu : denseLinear)(x, p[`${name}/kernel`]!, p[`${name}/bias`]!);
}

/** `[n·16, 64]` → `[n·heads, 16, headDim]`. */
function splitHeads(c: AttnConfig, t: tf.Tensor2D, n: number): tf.Tensor3D {
  return tf.reshape(tf.transpose(tf.reshape(t, [n, c.tokens, c.heads, c.headDim]), [0, 2, 1, 3]), [n * c.heads, c.tokens, c.headDim]) as tf.Tensor3D;
}

export type AttnForward = {
  mu: tf.Tensor2D;
  logvar: tf.Tensor2D;
  /** With `withAttention`: softmax weights `[n, heads, 16 queries, 16 keys]`; rows sum to 1. */
  attention?: tf.Tensor4D;
};

/**
 * The encoder's forward pass on `[n, 784]` pixels in [0, 1]. Differentiable (autodiff).
 * `withAttention` also returns the attention weights (the same values the pass uses).
 */
export function attnEncode(c: AttnConfig, p: TensorParams, x: tf.Tensor, withAttention = false): AttnForward {
  return tf.tidy(() => {
    const n = x.shape[0]!;
    const rows = n * c.tokens;
    // tokens: patch embedding + position embedding (the same [16, 64] for every image)
    const emb = tf.reshape(denseInput(patchify(c, x), p['patch_embed/kernel']!, p['patch_embed/bias']!), [n, c.tokens * c.dModel]) as tf.Tensor2D;
    const t = tf.reshape(addRow(emb, tf.reshape(p['pos_embed']!, [c.tokens * c.dModel])), [rows, c.dModel]) as tf.Tensor2D;
    // multi-head self-attention on LN₁(t)
    const a = layerNorm(c, p, 'ln1', t);
    const q = splitHeads(c, dense(p, 'attn_q', a), n);
    const k = splitHeads(c, dense(p, 'attn_k', a), n);
    const v = splitHeads(c, dense(p, 'attn_v', a), n);
    const heads = attentionCore(q, k, v); // [n·H, 16, hd]
    const merged = tf.reshape(tf.transpose(tf.reshape(heads, [n, c.heads, c.tokens, c.headDim]), [0, 2, 1, 3]), [rows, c.dModel]) as tf.Tensor2D;
    const h = tf.add(t, dense(p, 'attn_o', merged)) as tf.Tensor2D;
    // MLP on LN₂(h)
    const h2 = tf.add(h, dense(p, 'mlp_out', dense(p, 'mlp_hidden', layerNorm(c, p, 'ln2', h), true))) as tf.Tensor2D;
    // final LN, mean over the tokens, heads
    const pooled = tf.mean(tf.reshape(layerNorm(c, p, 'ln_final', h2), [n, c.tokens, c.dModel]), 1) as tf.Tensor2D;
    const out: AttnForward = { mu: dense(p, 'mu', pooled), logvar: dense(p, 'logvar', pooled) };
    if (withAttention) out.attention = tf.reshape(attentionWeights(q, k), [n, c.heads, c.tokens, c.tokens]) as tf.Tensor4D;
    return out;
  });
}

/** The attention weights per head for visualisation: `[n, heads, 16, 16]` (query row, key column). */
export function attentionMaps(c: AttnConfig, p: TensorParams, images: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => attnEncode(c, p, images, true).attention!);
}

/**
 * Decoder logits `[n, 784]` from codes `[n, d]`: the VAE decoder's layers
 * (`architecture('vae', d).decoder`: `dec_hidden` ReLU, then `x_hat`, whose sigmoid gives the
 * pixel probabilities), through the same differentiable Dense op as the encoder.
 */
export function attnDecodeLogits(c: AttnConfig, p: TensorParams, z: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    let h = z;
    for (const l of attnDecoderArch(c.latentDim).decoder) h = dense(p, l.name, h, l.activation === 'relu');
    return h;
  });
}

/** Loss sums of a batch (nats, summed over images): the VAE's Σ BCE and Σ KL, z = mu + σ·eps. */
export interface AttnLoss {
  bce: tf.Scalar;
  kl: tf.Scalar;
  /** Σ BCE + β·Σ KL (β = 1: the negative ELBO). */
  loss: tf.Scalar;
}

/** The objective on a batch with reparameterisation noise `eps` `[n, d]`. Differentiable. */
export function attnLoss(c: AttnConfig, p: TensorParams, x: tf.Tensor2D, eps: tf.Tensor2D, beta = 1): AttnLoss {
  return tf.tidy(() => {
    const { mu, logvar } = attnEncode(c, p, x);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps)) as tf.Tensor2D;
    const bce = bceWithLogitsSum(attnDecodeLogits(c, p, z), x);
    const kl = klSum(mu, logvar);
    return { bce, kl, loss: tf.add(bce, beta === 1 ? kl : tf.mul(kl, beta)) as tf.Scalar };
  });
}

/**
 * Gradients of {@link attnLoss}'s objective with respect to every parameter, by TF.js autodiff
 * (`tf.valueAndGrads`), plus the batch's Σ BCE and Σ KL. Autodiff needs tfjs-core's gradient
 * kernels registered: in a bundler (Vite, Vitest) `import '@tensorflow/tfjs-core/dist/register_all_gradients'`,
 * in plain Node import `@tensorflow/tfjs-layers` (its bundle registers them; see `train-attn.ts`).
 */
export function attnGradients(c: AttnConfig, p: TensorParams, x: tf.Tensor2D, eps: tf.Tensor2D, beta = 1): { grads: TensorParams; bce: tf.Scalar; kl: tf.Scalar } {
  const names = attnParamNames(c);
  let parts: [tf.Scalar, tf.Scalar] | undefined;
  const f = (...ts: tf.Tensor[]) => {
    const q: TensorParams = Object.fromEntries(names.map((k, i) => [k, ts[i]!]));
    const r = attnLoss(c, q, x, eps, beta);
    parts = [tf.keep(r.bce), tf.keep(r.kl)];
    return r.loss;
  };
  const { value, grads } = tf.valueAndGrads(f)(names.map((k) => p[k]!));
  value.dispose();
  return { grads: Object.fromEntries(names.map((k, i) => [k, grads[i]!])), bce: parts![0], kl: parts![1] };
}

// ---------------------------------------------------------------------------------------------
// Export and load: `encoder/model.json` (format "latent-atlas-attn") + one weight shard

interface AttnModelJson {
  format: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: { class_name: string; config: AttnConfig };
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** The text of the encoder's `model.json`. */
export function attnModelJsonText(c: AttnConfig): string {
  const json: AttnModelJson = {
    format: ATTN_FORMAT,
    generatedBy: 'latent-atlas src/models/attn.ts',
    convertedBy: null,
    modelTopology: { class_name: 'AttnVaeEncoder', config: c },
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: attnEncoderSpecs(c).map((s) => ({ name: s.name, shape: s.shape, dtype: 'float32' as const })) }],
  };
  return JSON.stringify(json);
}

/** The encoder's weight shard: float32 little-endian, manifest order. */
export function attnWeightBytes(c: AttnConfig, params: Params): Uint8Array {
  return packWeights(params, attnEncoderSpecs(c).map((s) => s.name));
}

function joinBuffers(files: readonly (ArrayBuffer | Uint8Array)[]): ArrayBuffer {
  const total = files.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of files) {
    out.set(b instanceof Uint8Array ? b : new Uint8Array(b), o);
    o += b.byteLength;
  }
  return out.buffer;
}

/** The weight file paths of an attn `model.json`, in order (relative to it). */
export function attnWeightPaths(modelJson: unknown): string[] {
  const m = (modelJson as { weightsManifest?: { paths?: string[] }[] } | null)?.weightsManifest;
  if (!Array.isArray(m)) throw new Error('the attn encoder model.json has no weightsManifest');
  return m.flatMap((g) => g.paths ?? []).map((p) => p.replace(/^\.\//, ''));
}

/**
 * Reads an attn encoder back from its `model.json` (text or parsed) and the contents of its
 * weight files (in {@link attnWeightPaths} order), through `tf.io.decodeWeights` (so quantized
 * weights load too). Checks the format, the config and every weight's name and shape; throws an
 * Error saying what is wrong otherwise. Returns the config and the encoder parameters (float32).
 */
export function attnEncoderFromArtifacts(modelJson: unknown, weightFiles: readonly (ArrayBuffer | Uint8Array)[]): { config: AttnConfig; params: Params } {
  const json = (typeof modelJson === 'string' ? JSON.parse(modelJson) : modelJson) as Partial<AttnModelJson> | null;
  if (!json || typeof json !== 'object' || json.format !== ATTN_FORMAT) {
    throw new Error(`not an attn encoder: model.json's "format" is ${JSON.stringify(json?.format)}, expected "${ATTN_FORMAT}"`);
  }
  const given = json.modelTopology?.config;
  if (!given || typeof given !== 'object') throw new Error('the attn encoder model.json has no modelTopology.config');
  const config = attnConfig(given.latentDim);
  for (const k of Object.keys(config) as (keyof AttnConfig)[]) {
    if (JSON.stringify(given[k]) !== JSON.stringify(config[k])) {
      throw new Error(`unsupported attn encoder: modelTopology.config.${k} is ${JSON.stringify(given[k])}, this code implements ${JSON.stringify(config[k])}`);
    }
  }
  if (!Array.isArray(json.weightsManifest)) throw new Error('the attn encoder model.json has no weightsManifest');
  const entries = json.weightsManifest.flatMap((g) => g.weights);
  const data = joinBuffers(weightFiles);
  const named = tf.io.decodeWeights(data, entries);
  try {
    const params: Params = {};
    for (const s of attnEncoderSpecs(config)) {
      const t = named[s.name];
      if (!t) throw new Error(`the attn encoder weights have no ${s.name}`);
      if (t.shape.join('x') !== s.shape.join('x')) throw new Error(`the attn encoder weight ${s.name} has shape [${t.shape}], expected [${s.shape}]`);
      params[s.name] = Float32Array.from(t.dataSync() as ArrayLike<number>);
    }
    return { config, params };
  } finally {
    for (const t of Object.values(named)) t.dispose();
  }
}

/** A loaded encoder with tensor-free helpers (images flat `n × 784` in [0, 1]). */
export interface AttnEncoder {
  config: AttnConfig;
  /** `mu` and `logvar`, each flat `n × d`. */
  encode(images: Float32Array): { mu: Float32Array; logvar: Float32Array };
  /** Attention weights, flat `n × heads × 16 × 16` (query row, key column). */
  attention(images: Float32Array): Float32Array;
  /**
   * One forward pass giving `mu`, `logvar` and the softmax attention probabilities it used (flat
   * `n × heads × 16 × 16`, query row, key column; each row sums to 1): what the browser's attention
   * figure shows beside the code.
   */
  encodeWithAttention(images: Float32Array): { mu: Float32Array; logvar: Float32Array; attention: Float32Array };
  dispose(): void;
}

/** Wraps encoder parameters as an {@link AttnEncoder} (holds their tensors until `dispose`). */
export function attnEncoder(config: AttnConfig, params: Params): AttnEncoder {
  const encoderOnly = Object.fromEntries(attnEncoderSpecs(config).map((s) => [s.name, params[s.name]!]));
  const p = attnToTensors(config, encoderOnly);
  const pixels = config.imageSize * config.imageSize;
  const input = (images: Float32Array) => {
    if (images.length % pixels !== 0) throw new RangeError(`images must hold n × ${pixels} values, got ${images.length}`);
    return tf.tensor2d(images, [images.length / pixels, pixels]);
  };
  return {
    config,
    encode(images) {
      return tidyRecord(() => {
        const r = attnEncode(config, p, input(images));
        return { mu: r.mu, logvar: r.logvar };
      });
    },
    attention(images) {
      return tidyValues(() => attentionMaps(config, p, input(images)));
    },
    encodeWithAttention(images) {
      return tidyRecord(() => {
        const r = attnEncode(config, p, input(images), true);
        return { mu: r.mu, logvar: r.logvar, attention: r.attention! };
      });
    },
    dispose() {
      for (const t of Object.values(p)) t.dispose();
    },
  };
}
