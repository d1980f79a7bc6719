/**
 * The conditional VAE's inputs (issue 12), as the trainer, the build-time figure and the browser
 * feed them: the decoder takes the code *then* the one-hot label (`d + 10` values), the encoder
 * the 784 pixels then the label (794). Pure: no TF.js, no DOM, no Node.
 */
import { INPUT_DIM, LABEL_DIM } from './architecture.ts';

/** Digit classes (the one-hot label's length). */
export const CLASSES = LABEL_DIM;

/** The decoder's ten inputs for code `z` (d values): row l = [z, one-hot(l)], into `out` (`10 × (d + 10)`). */
export function digitRowInputs(z: ArrayLike<number>, d: number, out = new Float32Array(CLASSES * (d + CLASSES))): Float32Array {
  if (z.length < d) throw new RangeError(`digitRowInputs: a ${d}-D code needs ${d} values, got ${z.length}`);
  const w = d + CLASSES;
  out.fill(0, 0, CLASSES * w);
  for (let l = 0; l < CLASSES; l++) {
    for (let j = 0; j < d; j++) out[l * w + j] = z[j]!;
    out[l * w + d + l] = 1;
  }
  return out;
}

/** The encoder's input for one image told its label: the 784 pixels, then the one-hot label (794 values). */
export function conditionalRow(pixels: ArrayLike<number>, label: number, out = new Float32Array(INPUT_DIM + CLASSES)): Float32Array {
  if (pixels.length !== INPUT_DIM) throw new RangeError(`conditionalRow: expected ${INPUT_DIM} pixels, got ${pixels.length}`);
  if (!Number.isInteger(label) || label < 0 || label >= CLASSES) throw new RangeError(`conditionalRow: the label must be a digit 0–9, got ${label}`);
  for (let i = 0; i < INPUT_DIM; i++) out[i] = pixels[i]!;
  out.fill(0, INPUT_DIM, INPUT_DIM + CLASSES);
  out[INPUT_DIM + label] = 1;
  return out;
}
