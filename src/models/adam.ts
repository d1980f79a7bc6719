/**
 * Adam exactly as PyTorch's `torch.optim.Adam` defaults (β = 0.9, 0.999, ε = 1e-8, no weight
 * decay): m ← m + (1−β₁)(g − m); v ← β₂v + (1−β₂)g²; p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε).
 *
 * Speed (WASM): each TF.js op costs ~10 µs of dispatch however small its tensor, so parameters
 * of up to {@link SMALL_PARAM} values (biases, the 2-D layers) are updated in plain JS, and the two
 * 784 × 128 kernels with 12 TF.js ops each, using the algebraically equal form
 * p − (lr·√(1−β₂ᵗ)/(1−β₁ᵗ))·m / (√v + ε·√(1−β₂ᵗ)).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TensorParams } from './math.ts';

export interface AdamState {
  step: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

/** Parameters with at most this many values are updated in JS rather than with TF.js ops. */
export const SMALL_PARAM = 4096;

export class Adam {
  readonly lr: number;
  readonly beta1 = 0.9;
  readonly beta2 = 0.999;
  readonly eps = 1e-8;
  step = 0;
  private m: TensorParams = {};
  private v: TensorParams = {};
  private mJs: Record<string, Float32Array> = {};
  private vJs: Record<string, Float32Array> = {};

  constructor(lr: number) {
    this.lr = lr;
  }

  /** Returns the updated parameters; disposes the old ones and the gradients. */
  apply(params: TensorParams, grads: TensorParams): TensorParams {
    this.step += 1;
    const { beta1, beta2, eps } = this;
    const bc1 = 1 - beta1 ** this.step;
    const bc2 = 1 - beta2 ** this.step;
    const stepSize = this.lr / bc1;
    const sqrtBc2 = Math.sqrt(bc2);
    const next: TensorParams = {};
    for (const name of Object.keys(params)) {
      const p = params[name]!;
      const g = grads[name]!;
      if (p.size <= SMALL_PARAM) {
        const pv = (p.dataSync() as Float32Array).slice();
        const gv = g.dataSync() as Float32Array;
        const m = (this.mJs[name] ??= new Float32Array(pv.length));
        const v = (this.vJs[name] ??= new Float32Array(pv.length));
        for (let i = 0; i < pv.length; i++) {
          const gi = gv[i]!;
          const mi = (m[i] = m[i]! + (gi - m[i]!) * (1 - beta1));
          const vi = (v[i] = v[i]! * beta2 + (1 - beta2) * gi * gi);
          pv[i] = pv[i]! - (stepSize * mi) / (Math.sqrt(vi) / sqrtBc2 + eps);
        }
        next[name] = tf.tensor(pv, p.shape);
      } else {
        const m0 = this.m[name];
        const v0 = this.v[name];
        const [m, v, np] = tf.tidy(() => {
          const m = m0 ? tf.add(m0, tf.mul(tf.sub(g, m0), 1 - beta1)) : tf.mul(g, 1 - beta1);
          const g2 = tf.square(g);
          const v = v0 ? tf.add(v0, tf.mul(tf.sub(g2, v0), 1 - beta2)) : tf.mul(g2, 1 - beta2);
          const update = tf.mul(tf.div(m, tf.add(tf.sqrt(v), eps * sqrtBc2)), stepSize * sqrtBc2);
          return [m, v, tf.sub(p, update)];
        });
        m0?.dispose();
        v0?.dispose();
        this.m[name] = m;
        this.v[name] = v;
        next[name] = np;
      }
      p.dispose();
      g.dispose();
    }
    return next;
  }

  getState(): AdamState {
    const read = (t: TensorParams, js: Record<string, Float32Array>) => ({
      ...Object.fromEntries(Object.entries(t).map(([k, x]) => [k, x.dataSync() as Float32Array])),
      ...Object.fromEntries(Object.entries(js).map(([k, x]) => [k, x.slice()])),
    });
    return { step: this.step, m: read(this.m, this.mJs), v: read(this.v, this.vJs) };
  }

  setState(state: AdamState, shapes: Record<string, number[]>): void {
    this.dispose();
    this.step = state.step;
    for (const [src, tensors, js] of [[state.m, this.m, this.mJs], [state.v, this.v, this.vJs]] as const) {
      for (const k of Object.keys(src)) {
        if (src[k]!.length <= SMALL_PARAM) js[k] = src[k]!.slice();
        else tensors[k] = tf.tensor(src[k]!, shapes[k]);
      }
    }
  }

  dispose(): void {
    for (const t of [...Object.values(this.m), ...Object.values(this.v)]) t.dispose();
    this.m = {};
    this.v = {};
    this.mJs = {};
    this.vJs = {};
  }
}
