/**
 * The model zoo's plain-JavaScript pieces, without TF.js, so that a page can use them without
 * loading it (the denoising figure): the per-pixel BCE and the denoising AE's noise law. `losses.ts`
 * and `step.ts` re-export them; the trainers and the widgets use these same functions.
 */

/** Plain-JS BCE of one probability (clamped like PyTorch), for reference and tests. */
export function bceScalar(p: number, x: number): number {
  return -(x * Math.max(Math.log(p), -100) + (1 - x) * Math.max(Math.log(1 - p), -100));
}

/**
 * The denoising AE's input: `out[i] = clip(x[i] + sigma·e[i], 0, 1)` with `e` standard-normal
 * draws from `rng` in index order (one fresh draw per pixel). Returns `out`.
 */
export function noisyInto(x: Float32Array, sigma: number, rng: { fillNormal(a: Float32Array): Float32Array }, out = new Float32Array(x.length)): Float32Array {
  rng.fillNormal(out);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! + sigma * out[i]!;
    out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return out;
}
