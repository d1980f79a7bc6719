/**
 * Adam exactly as PyTorch's `torch.optim.Adam` defaults (β = 0.9, 0.999, ε = 1e-8, no weight
 * decay): m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TensorParams } from './math.ts';

export interface AdamState {
  step: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

export class Adam {
  readonly lr: number;
  readonly beta1 = 0.9;
  readonly beta2 = 0.999;
  readonly eps = 1e-8;
  step = 0;
  private m: TensorParams = {};
  private v: TensorParams = {};

  constructor(lr: number) {
    this.lr = lr;
  }

  /** Returns the updated parameters; disposes the old ones (and the gradients). */
  apply(params: TensorParams, grads: TensorParams): TensorParams {
    this.step += 1;
    const bc1 = 1 - this.beta1 ** this.step;
    const bc2 = 1 - this.beta2 ** this.step;
    const stepSize = this.lr / bc1;
    const sqrtBc2 = Math.sqrt(bc2);
    const next: TensorParams = {};
    for (const name of Object.keys(params)) {
      const p = params[name]!;
      const g = grads[name]!;
      const m0 = this.m[name];
      const v0 = this.v[name];
      const [m, v, np] = tf.tidy(() => {
        const m = m0 ? tf.add(tf.mul(m0, this.beta1), tf.mul(g, 1 - this.beta1)) : tf.mul(g, 1 - this.beta1);
        const v = v0 ? tf.add(tf.mul(v0, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)) : tf.mul(tf.square(g), 1 - this.beta2);
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtBc2), this.eps);
        return [m, v, tf.sub(p, tf.mul(tf.div(m, denom), stepSize))];
      });
      m0?.dispose();
      v0?.dispose();
      p.dispose();
      g.dispose();
      this.m[name] = m;
      this.v[name] = v;
      next[name] = np;
    }
    return next;
  }

  getState(): AdamState {
    const read = (t: TensorParams) => Object.fromEntries(Object.entries(t).map(([k, x]) => [k, x.dataSync() as Float32Array]));
    return { step: this.step, m: read(this.m), v: read(this.v) };
  }

  setState(state: AdamState, shapes: Record<string, number[]>): void {
    this.dispose();
    this.step = state.step;
    for (const k of Object.keys(state.m)) this.m[k] = tf.tensor(state.m[k]!, shapes[k]);
    for (const k of Object.keys(state.v)) this.v[k] = tf.tensor(state.v[k]!, shapes[k]);
  }

  dispose(): void {
    for (const t of [...Object.values(this.m), ...Object.values(this.v)]) t.dispose();
    this.m = {};
    this.v = {};
  }
}
