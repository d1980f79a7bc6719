/**
 * What the lab says about a finished run (DOM-free, unit-tested): the rows of the comparison
 * between the reader's map(s) and the baked t-SNE map, with a note on whether they compare.
 */
import { formatInt, formatPercent, formatScore } from '../../lib/viz/format.ts';
import type { BakedTsne } from './inputs.ts';
import { INPUT_LABELS, PIXEL_PCA_DIMS, type InputId } from './settings.ts';

/** One row of the comparison table. */
export interface ResultRow {
  label: string;
  trustworthiness: string;
  knnAccuracy: string;
  /** The reader's own run (as opposed to the baked map). */
  own: boolean;
}

/** One finished run of the reader's. */
export interface FinishedRun {
  perplexity: number;
  trustworthiness: number | null;
  knnAccuracy: number | null;
  kl: number;
}

/** What the reader's input was scored against, in words. */
export function referenceText(input: InputId, dim: number): string {
  if (input === 'pixels') return `its input, the pixels reduced to ${dim} principal components`;
  return `its input, the ${dim}-D codes`;
}

/**
 * The comparison: one row per run of the reader's, then the baked map (`baked`, from the chosen
 * model's embeddings.json; for raw pixels the 2-D VAE's, which is another input). `count` is the
 * number of points the reader's run had, `selection` whether some digits were left out.
 */
export function comparison(
  input: InputId,
  count: number,
  selection: boolean,
  runs: readonly FinishedRun[],
  baked: BakedTsne | undefined,
): { rows: ResultRow[]; note: string } {
  const rows: ResultRow[] = runs.map((r) => ({
    label: `Your map: ${formatInt(count)} digits, perplexity ${formatInt(r.perplexity)}`,
    trustworthiness: formatScore(r.trustworthiness ?? undefined),
    knnAccuracy: formatPercent(r.knnAccuracy ?? undefined),
    own: true,
  }));
  const notes: string[] = [];
  if (runs.some((r) => r.trustworthiness === null)) notes.push('A selection of 20 points or fewer is too small to score with 10 neighbours.');
  if (!baked) {
    notes.push('There is no baked t-SNE map to compare with (its embeddings.json has no t-SNE scores).');
    return { rows, note: notes.join(' ') };
  }
  const params = `${formatInt(baked.count)} digits${baked.perplexity !== undefined ? `, perplexity ${formatInt(baked.perplexity)}` : ''}${baked.seed !== undefined ? `, seed ${baked.seed}` : ''}`;
  if (input === 'pixels') {
    rows.push({ label: `Baked t-SNE map of the 2-D VAE codes (${params})`, trustworthiness: 'n/a', knnAccuracy: formatPercent(baked.knnAccuracy), own: false });
    notes.push(
      `The site bakes no t-SNE map of the raw pixels, so the baked row is the map of another input, the 2-D VAE codes; only its 10-NN accuracy compares (trustworthiness is scored against each map's own input). Your map's input is the ${formatInt(count)} digits' pixels reduced to ${PIXEL_PCA_DIMS} dimensions by PCA.`,
    );
  } else {
    rows.push({ label: `Baked t-SNE map of the same codes (${params})`, trustworthiness: formatScore(baked.trustworthinessInput), knnAccuracy: formatPercent(baked.knnAccuracy), own: false });
    if (count === baked.count && !selection) notes.push(`Same model (${INPUT_LABELS[input]}) and the same ${formatInt(count)} digits: the scores compare directly.`);
    else
      notes.push(
        `Same model, but a different N: the baked map has all ${formatInt(baked.count)} test digits, yours ${formatInt(count)}${selection ? ' (only the ticked digits)' : ''}. Both scores depend on N, so compare with care.`,
      );
  }
  return { rows, note: notes.join(' ') };
}

/** The progress line: stage, iteration and KL. */
export function progressLine(iteration: number, iterations: number, kl: number | null, seconds: number): string {
  return `Iteration ${formatInt(iteration)} / ${formatInt(iterations)} · KL ${kl === null ? '—' : kl.toFixed(3)} · ${seconds.toFixed(1)} s`;
}
