/**
 * A plain-JavaScript copy of a decoder that is a stack of Dense layers, for decoding one latent
 * point at a time while the reader drags: a TF.js `predict` call costs more in overhead than the
 * arithmetic (2 → h → 784 is a few hundred thousand multiply-adds). Results match TF.js to float
 * rounding (checked in dense.test.ts). No TF.js import: the weights are copied out once.
 */

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

/** A stack of Dense layers evaluated in JavaScript with preallocated buffers. */
export class DenseStack {
  readonly layers: readonly DenseLayer[];
  readonly inDim: number;
  readonly outDim: number;
  #buffers: Float32Array[];

  constructor(layers: DenseLayer[]) {
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
    this.#buffers = layers.map((l) => new Float32Array(l.outDim));
  }

  /** Evaluates one input vector; returns `out` (or a new array) holding the last layer's output. */
  run(input: ArrayLike<number>, out?: Float32Array): Float32Array {
    let x: ArrayLike<number> = input;
    const last = this.layers.length - 1;
    for (let li = 0; li <= last; li++) {
      const { kernel, bias, inDim, outDim, activation } = this.layers[li]!;
      const y = li === last ? (out ?? new Float32Array(outDim)) : this.#buffers[li]!;
      y.set(bias);
      for (let i = 0; i < inDim; i++) {
        const v = x[i]!;
        if (v === 0) continue; // ReLU outputs are often exactly zero.
        let k = i * outDim;
        for (let j = 0; j < outDim; j++) y[j] += v * kernel[k++]!;
      }
      activate(y, activation);
      x = y;
    }
    return x as Float32Array;
  }

  /** Evaluates one 2-D point (the decoder's case). */
  run1(a: number, b: number, out?: Float32Array): Float32Array {
    return this.run([a, b], out);
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
