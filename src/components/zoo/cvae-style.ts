/**
 * DOM-free parts of the conditional VAE's "one style, ten digits" widget (issue 12): the default
 * style and the words for readers. The model's inputs (the code, then the one-hot label; the
 * encoder's: the pixels, then the label) are `src/models/cvae-inputs.ts`.
 */
import { formatCoord } from '../../lib/viz/format.ts';

export { CLASSES } from '../../models/cvae-inputs.ts';

/** The style the widget starts from (and the static picture shows): the prior's mean, z = 0. */
export const DEFAULT_STYLE: readonly [number, number] = [0, 0];

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
