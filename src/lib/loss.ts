/**
 * The per-image loss the widgets print, computed exactly as the trainer reports it: BCE summed
 * over the 784 pixels, in nats, each log clamped at −100 (PyTorch's `binary_cross_entropy`) —
 * the formula lives once, in src/models/plain.ts (re-exported by losses.ts), without TF.js.
 */
import { bceScalar } from '../models/plain.ts';

/** Binary cross-entropy of one reconstruction `probs` against its input `target`, nats. */
export function imageBce(target: ArrayLike<number>, probs: ArrayLike<number>): number {
  if (target.length !== probs.length) throw new Error(`imageBce: ${target.length} targets vs ${probs.length} probabilities`);
  let sum = 0;
  for (let i = 0; i < target.length; i++) sum += bceScalar(probs[i]!, target[i]!);
  return sum;
}
