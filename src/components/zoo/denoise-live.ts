/**
 * The denoising widget's noise, in the browser: the training noise law clip(x + σ·N(0, 1), 0, 1)
 * with the trainer's own function (`noisyInto`) and generator (`Rng`). A seed fixes the pattern of
 * standard-normal draws (one per pixel, in pixel order), so moving σ scales the same noise, and a
 * seed gives the same noise here as in the pipeline. No TF.js.
 */
import { Rng } from '../../models/random.ts';
import { noisyInto } from '../../models/plain.ts';

/** The seed the widget starts from (the curve's). */
export { DENOISE_SEED as FIRST_SEED } from './denoise.ts';

/** `x` noised at `sigma` with the draws of `Rng(seed)`, into `out`. */
export function noisy(x: Float32Array, sigma: number, seed: number, out = new Float32Array(x.length)): Float32Array {
  if (!(sigma >= 0 && sigma <= 1)) throw new RangeError(`σ must be in [0, 1], got ${sigma}`);
  return noisyInto(x, sigma, new Rng(seed), out);
}

/** The seed after "New noise" (the next one, in 32 bits). */
export function nextSeed(seed: number): number {
  return (seed + 1) >>> 0;
}
