/**
 * DOM-free logic of the reconstruction widget: choosing test digits and wording the results.
 */
import { formatNats } from '../../lib/viz/format.ts';

export { chunkPicks, clampIndex, randomPicks, seededRandom, stepIndex } from '../../lib/picks.ts';

/** How many random test digits the thumbnail strip offers. */
export const THUMBS = 8;

/** How a test digit is named for readers: "Test digit #18, a 3" or "Test digit #18". */
export function digitName(index: number, label?: number): string {
  return label === undefined ? `Test digit #${index}` : `Test digit #${index}, a ${label}`;
}

/** The caption under a reconstruction: "BCE 78.4 nats". */
export function bceCaption(nats: number): string {
  return `BCE ${formatNats(nats)}`;
}

/** A sentence comparing the two reconstructions' losses for screen readers. */
export function compareText(subject: string, aeBce: number, vaeBce: number): string {
  const better = Math.abs(aeBce - vaeBce) < 0.05 ? 'Both reconstruct it about equally well' : aeBce < vaeBce ? 'The AE reconstructs it more closely' : 'The VAE reconstructs it more closely';
  return `${subject}: AE reconstruction BCE ${formatNats(aeBce)}, VAE reconstruction BCE ${formatNats(vaeBce)}. ${better}.`;
}
