/**
 * DOM-free parts of the conditional VAE's "one style, ten digits" widget (issue 12): the decoder's
 * inputs (the code, then the one-hot label; the encoder's: the pixels, then the label), the words
 * for readers.
 */
import { IMAGE_SIZE } from '../../lib/digits.ts';
import { formatCoord } from '../../lib/viz/format.ts';

/** Digit classes (the one-hot label's length). */
export const CLASSES = 10;

/** The style the widget starts from (and the static picture shows): the prior's mean, z = 0. */
export const DEFAULT_STYLE: readonly [number, number] = [0, 0];

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
export function conditionalRow(pixels: ArrayLike<number>, label: number, out = new Float32Array(IMAGE_SIZE + CLASSES)): Float32Array {
  if (pixels.length !== IMAGE_SIZE) throw new RangeError(`conditionalRow: expected ${IMAGE_SIZE} pixels, got ${pixels.length}`);
  if (!Number.isInteger(label) || label < 0 || label >= CLASSES) throw new RangeError(`conditionalRow: the label must be a digit 0–9, got ${label}`);
  for (let i = 0; i < IMAGE_SIZE; i++) out[i] = pixels[i]!;
  out.fill(0, IMAGE_SIZE, IMAGE_SIZE + CLASSES);
  out[IMAGE_SIZE + label] = 1;
  return out;
}

/** Where the style came from, for the readout and screen readers. */
export type StyleSource = { kind: 'plane' } | { kind: 'test'; index: number; label: number } | { kind: 'drawing'; label: number };

/** "z = (0.12, −1.50), the style of test digit #18 (a 3)". */
export function styleText(z: readonly [number, number], source: StyleSource): string {
  const at = `z = (${formatCoord(z[0])}, ${formatCoord(z[1])})`;
  if (source.kind === 'test') return `${at}, the style of test digit #${source.index} (a ${source.label}, encoded with its label)`;
  if (source.kind === 'drawing') return `${at}, the style of your drawing (encoded as a ${source.label})`;
  return `${at}, a point picked on the plane`;
}

/** The row's text alternative. */
export function rowAlt(z: readonly [number, number], source: StyleSource): string {
  return `The digits 0 to 9 decoded by the conditional VAE in one style: ${styleText(z, source)}.`;
}
