/**
 * The report's losses, in nats. Both the trainer and the browser use these.
 *
 * - BCE per image is summed over the 784 pixels. The AE's `nn.BCELoss()` is the mean over pixels
 *   and images (= per-image sum / 784 / batch); the VAE's `binary_cross_entropy(reduction='sum')`
 *   is the sum over pixels and images. Metrics are always reported per image.
 * - KL(q(z|x) ‖ N(0, I)) = −½ Σ (1 + logvar − mu² − exp(logvar)), summed over latent dimensions.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Σ BCE from logits: softplus(l) − x·l, which equals −[x log σ(l) + (1 − x) log(1 − σ(l))] but
 * stays finite where σ(l) rounds to 0 or 1 (PyTorch clamps the logs at −100 instead).
 */
export function bceWithLogitsSum(logits: tf.Tensor, x: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits))));
}

/** Σ BCE from probabilities, PyTorch style: each log clamped at −100. */
export function bceSum(probs: tf.Tensor, x: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const logP = tf.maximum(tf.log(probs), -100);
    const log1mP = tf.maximum(tf.log(tf.sub(1, probs)), -100);
    return tf.neg(tf.sum(tf.add(tf.mul(x, logP), tf.mul(tf.sub(1, x), log1mP))));
  });
}

/** Σ over rows and latent dimensions of KL(N(mu, exp(logvar)) ‖ N(0, 1)). */
export function klSum(mu: tf.Tensor, logvar: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logvar), tf.square(mu)), tf.exp(logvar)))));
}

/** Plain-JS BCE of one probability (clamped like PyTorch), for reference and tests (in `plain.ts`: no TF.js). */
export { bceScalar } from './plain.ts';

/** Plain-JS KL of one latent dimension, for reference and tests. */
export function klScalar(mu: number, logvar: number): number {
  return -0.5 * (1 + logvar - mu * mu - Math.exp(logvar));
}
