/** Encode → decode → loss for one image, the unit of the reconstruction and interpolation widgets. */
import { imageBce } from './loss.ts';
import type { LoadedModel } from './models.ts';

/** One model's reconstruction of one image. */
export interface Reconstruction {
  /** The 2-D code (VAE: μ). */
  z: [number, number];
  /** Decoded probabilities, 784. */
  probs: Float32Array;
  /** Binary cross-entropy against the input, nats. */
  bce: number;
}

/** Reconstructs one 784-pixel image with `model` (deterministically: the VAE decodes its mean μ). */
export function reconstruct(model: LoadedModel, image: Float32Array): Reconstruction {
  const code = model.encode(image);
  const z: [number, number] = [code[0]!, code[1]!];
  const probs = model.decodeOne(z[0], z[1]);
  return { z, probs, bce: imageBce(image, probs) };
}

/**
 * The same from a known code (the baked code of a test digit, issue 11): decodes `z` and scores it
 * against `image`, so a test digit needs no encoder.
 */
export function reconstructFrom(model: LoadedModel, image: Float32Array, z: [number, number]): Reconstruction {
  const probs = model.decodeOne(z[0], z[1]);
  return { z, probs, bce: imageBce(image, probs) };
}
