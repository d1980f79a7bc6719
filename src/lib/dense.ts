/**
 * A copy of a decoder that is a stack of Dense layers, outside TF.js, for decoding one latent
 * point at a time while the reader drags: a TF.js `predict` call costs more in overhead than the
 * arithmetic (2 → h → 784 is a few hundred thousand multiply-adds). Results match TF.js to float
 * rounding (checked in dense.test.ts). No TF.js import: the weights are copied out once (into the
 * WebAssembly SIMD kernel of `dense-kernel.ts` where it runs, else the JavaScript loop below).
 */
import { type DenseKernel, denseKernel } from './dense-kernel.ts';

/** Activations the fast path understands (names as in Keras / TF.js layer configs). */
export type Activation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'elu' | 'softplus';

/** One Dense layer: `y = act(x · kernel + bias)`, kernel row-major `[inDim, outDim]`. */
export interface DenseLayer {
  kernel: Float32Array;
  bias: Float32Array;
  inDim: number;
  outDim: number;
  activation: Activation;
}

/** The activations the kernel applies itself (the others run in JavaScript after it). */
const KERNEL_ACTIVATION: Partial<Record<Activation, number>> = { relu: 1, sigmoid: 2 };

const ACTIVATIONS = new Set<string>(['linear', 'relu', 'sigmoid', 'tanh', 'elu', 'softplus']);

/** Applies an activation in place. */
function activate(v: Float32Array, act: Activation): void {
  const n = v.length;
  switch (act) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < n; i++) if (v[i]! < 0) v[i] = 0;
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) v[i] = 1 / (1 + Math.exp(-v[i]!));
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) v[i] = Math.tanh(v[i]!);
      return;
    case 'elu':
      for (let i = 0; i < n; i++) if (v[i]! < 0) v[i] = Math.exp(v[i]!) - 1;
      return;
    case 'softplus':
      for (let i = 0; i < n; i++) v[i] = Math.log1p(Math.exp(v[i]!));
      return;
  }
}

/** Scratch space for `affine`: the non-zero inputs and their kernel row offsets. */
interface Scratch {
  values: Float32Array;
  offsets: Int32Array;
}

/**
 * `y = x · kernel + bias` for one input row. The non-zero inputs (after ReLU about half are zero)
 * are gathered first, then the kernel rows are walked four at a time, so each output element is
 * loaded and stored once per four multiply-adds. Measured ~2× faster than the plain double loop.
 */
function affine(layer: DenseLayer, x: ArrayLike<number>, y: Float32Array, scratch: Scratch): void {
  const { kernel, bias, inDim, outDim } = layer;
  const { values, offsets } = scratch;
  y.set(bias);
  let m = 0;
  for (let i = 0; i < inDim; i++) {
    const v = x[i]!;
    if (v !== 0) {
      values[m] = v;
      offsets[m++] = i * outDim;
    }
  }
  let q = 0;
  for (; q + 3 < m; q += 4) {
    const v0 = values[q]!;
    const v1 = values[q + 1]!;
    const v2 = values[q + 2]!;
    const v3 = values[q + 3]!;
    const k0 = offsets[q]!;
    const k1 = offsets[q + 1]!;
    const k2 = offsets[q + 2]!;
    const k3 = offsets[q + 3]!;
    for (let j = 0; j < outDim; j++) {
      y[j] = y[j]! + v0 * kernel[k0 + j]! + v1 * kernel[k1 + j]! + v2 * kernel[k2 + j]! + v3 * kernel[k3 + j]!;
    }
  }
  for (; q < m; q++) {
    const v = values[q]!;
    const k = offsets[q]!;
    for (let j = 0; j < outDim; j++) y[j] = y[j]! + v * kernel[k + j]!;
  }
}

/** Options of a {@link DenseStack}. */
export interface DenseStackOptions {
  /** Run the layers whose width is a multiple of 4 on the WebAssembly SIMD kernel when the runtime has it (default true). */
  wasm?: boolean;
}

/**
 * A stack of Dense layers with preallocated buffers. Where WebAssembly SIMD runs (every current
 * browser and Node), the weights are copied once into a kernel instance of the stack's own
 * (`dense-kernel.ts`) and each layer whose width is a multiple of 4 runs there, ~4× faster than the
 * JavaScript loop (a 20 × 20 manifold grid is 400 × ~100 × 784 multiply-adds); the other layers,
 * and every layer where the kernel cannot run, take the JavaScript loop on the same buffers.
 */
export class DenseStack {
  readonly layers: readonly DenseLayer[];
  readonly inDim: number;
  readonly outDim: number;
  /** Whether some layer runs on the WebAssembly kernel. */
  readonly usesWasm: boolean;
  /** The input and each layer's output (views on the kernel's memory when it runs). */
  #buffers: Float32Array[];
  #scratch: Scratch[];
  #kernel: DenseKernel | null = null;
  /** Per layer: byte offsets of its kernel and bias in the kernel's memory, or null for the JavaScript loop. */
  #placed: ({ kernel: number; bias: number } | null)[] = [];
  #offsets: number[] = [];
  #vals = 0;
  #offs = 0;

  constructor(layers: DenseLayer[], options: DenseStackOptions = {}) {
    if (layers.length === 0) throw new Error('DenseStack needs at least one layer');
    for (let i = 1; i < layers.length; i++) {
      if (layers[i]!.inDim !== layers[i - 1]!.outDim) throw new Error(`DenseStack: layer ${i} expects ${layers[i]!.inDim} inputs, gets ${layers[i - 1]!.outDim}`);
    }
    for (const l of layers) {
      if (l.kernel.length !== l.inDim * l.outDim || l.bias.length !== l.outDim) throw new Error('DenseStack: kernel or bias has the wrong size');
    }
    this.layers = layers;
    this.inDim = layers[0]!.inDim;
    this.outDim = layers[layers.length - 1]!.outDim;
    this.#scratch = layers.map((l) => ({ values: new Float32Array(l.inDim), offsets: new Int32Array(l.inDim) }));
    const simd = layers.map((l) => l.outDim % 4 === 0);
    if (options.wasm !== false && simd.some(Boolean)) this.#place(simd);
    this.usesWasm = this.#kernel !== null;
    if (!this.#kernel) this.#buffers = [new Float32Array(this.inDim), ...layers.map((l) => new Float32Array(l.outDim))];
    else this.#buffers = this.#views();
  }

  /** Lays out the weights, the buffers and the scratch in a kernel instance (none if it cannot run). */
  #place(simd: boolean[]): void {
    const align = (b: number) => Math.ceil(b / 16) * 16;
    let at = 0;
    const take = (floats: number) => {
      const o = at;
      at = align(at + 4 * floats);
      return o;
    };
    const placed = this.layers.map((l, i) => (simd[i] ? { kernel: take(l.inDim * l.outDim), bias: take(l.outDim) } : null));
    const offsets = [take(this.inDim), ...this.layers.map((l) => take(l.outDim))];
    const widest = Math.max(...this.layers.map((l) => l.inDim));
    const vals = take(widest);
    const offs = take(widest);
    const kernel = denseKernel(at);
    if (!kernel) return;
    const buf = kernel.memory.buffer;
    this.layers.forEach((l, i) => {
      const p = placed[i];
      if (!p) return;
      new Float32Array(buf, p.kernel, l.inDim * l.outDim).set(l.kernel);
      new Float32Array(buf, p.bias, l.outDim).set(l.bias);
    });
    this.#kernel = kernel;
    this.#placed = placed;
    this.#offsets = offsets;
    this.#vals = vals;
    this.#offs = offs;
  }

  /** Views of the input and output buffers on the kernel's memory. */
  #views(): Float32Array[] {
    const buf = this.#kernel!.memory.buffer;
    return this.#offsets.map((o, i) => new Float32Array(buf, o, i === 0 ? this.inDim : this.layers[i - 1]!.outDim));
  }

  /** Evaluates one input vector; returns `out` (or a new array) holding the last layer's output. */
  run(input: ArrayLike<number>, out?: Float32Array): Float32Array {
    const bufs = this.#buffers;
    if (input !== bufs[0]) bufs[0]!.set(input);
    const k = this.#kernel;
    for (let li = 0; li < this.layers.length; li++) {
      const layer = this.layers[li]!;
      const y = bufs[li + 1]!;
      const p = this.#placed[li];
      if (k && p) {
        const act = KERNEL_ACTIVATION[layer.activation] ?? 0;
        k.affine(this.#offsets[li]!, layer.inDim, p.kernel, p.bias, this.#offsets[li + 1]!, layer.outDim, act, this.#vals, this.#offs);
        if (act === 0) activate(y, layer.activation);
      } else {
        affine(layer, bufs[li]!, y, this.#scratch[li]!);
        activate(y, layer.activation);
      }
    }
    const last = bufs[this.layers.length]!;
    const result = out ?? new Float32Array(this.outDim);
    result.set(last);
    return result;
  }

  /** Evaluates `n` inputs stored back to back in `inputs`; returns `n × outDim` outputs. */
  runBatch(inputs: ArrayLike<number>, n: number, out = new Float32Array(n * this.outDim)): Float32Array {
    const x = this.#buffers[0]!;
    for (let i = 0; i < n; i++) {
      const o = i * this.inDim;
      for (let j = 0; j < this.inDim; j++) x[j] = inputs[o + j]!;
      this.run(x, out.subarray(i * this.outDim, (i + 1) * this.outDim));
    }
    return out;
  }

  /** Evaluates one 2-D point (the decoder's case). */
  run1(a: number, b: number, out?: Float32Array): Float32Array {
    const x = this.#buffers[0]!;
    x[0] = a;
    x[1] = b;
    return this.run(x, out);
  }
}

/** The part of a TF.js layer the fast path reads (kept structural so tests need no TF.js model). */
export interface LayerLike {
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  getWeights(): { shape: number[]; dataSync(): ArrayLike<number> }[];
}

/** Builds a DenseStack from a model's layers, or returns null if any layer is not a plain Dense/activation. */
export function denseStackFromLayers(layers: readonly LayerLike[]): DenseStack | null {
  const out: DenseLayer[] = [];
  for (const layer of layers) {
    const cls = layer.getClassName();
    const config = layer.getConfig();
    if (cls === 'InputLayer') continue;
    if (cls === 'Dense') {
      const act = String(config.activation ?? 'linear');
      if (!ACTIVATIONS.has(act)) return null;
      const weights = layer.getWeights();
      const kernel = weights[0];
      if (!kernel || kernel.shape.length !== 2) return null;
      const [inDim, outDim] = kernel.shape as [number, number];
      const bias = config.useBias === false || !weights[1] ? new Float32Array(outDim) : Float32Array.from(weights[1].dataSync());
      out.push({ kernel: Float32Array.from(kernel.dataSync()), bias, inDim, outDim, activation: act as Activation });
      continue;
    }
    const act = cls === 'Activation' ? String(config.activation) : cls === 'ReLU' ? 'relu' : '';
    const prev = out[out.length - 1];
    // A separate activation layer folds into the preceding Dense if that one was linear.
    if (ACTIVATIONS.has(act) && prev && prev.activation === 'linear' && (cls !== 'ReLU' || config.maxValue == null)) {
      prev.activation = act as Activation;
      continue;
    }
    return null;
  }
  return out.length ? new DenseStack(out) : null;
}
