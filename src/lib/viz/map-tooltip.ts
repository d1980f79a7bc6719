/** Text and image geometry for the latent map's point tooltip. */
import { METHOD_LABELS, type Method, type Quality } from '../../contracts/embeddings.ts';
import { formatCoord, formatPercent, formatScore } from './format.ts';

/** Side of one MNIST digit in pixels, and tiles per row of the test-set atlas. */
export const TILE = 28;
export const ATLAS_COLUMNS = 100;

/** Where test image `index` sits in the atlas PNG (DEVELOPERS.md: column i % 100, row ⌊i / 100⌋). */
export function atlasTile(index: number): { sx: number; sy: number; size: number } {
  return { sx: (index % ATLAS_COLUMNS) * TILE, sy: Math.floor(index / ATLAS_COLUMNS) * TILE, size: TILE };
}

/** The tooltip's lines for a hovered point. */
export function pointTooltip(
  model: string,
  method: Method,
  index: number,
  label: number,
  x: number,
  y: number,
  /** The code's symbol in the raw latent view (`z`, or `μ` for the VAE family); by default from the model. */
  code?: string,
): { title: string; detail: string; alt: string } {
  const coordName = method === 'latent' ? (code ?? (model === 'vae' ? 'μ' : 'z')) : METHOD_LABELS[method];
  return {
    title: `Digit ${label}`,
    detail: `Test image #${index} · ${coordName} = (${formatCoord(x)}, ${formatCoord(y)})`,
    alt: `Test image number ${index}: a handwritten ${label}`,
  };
}

/** One line summarising a view's quality, e.g. "trustworthiness@10 0.934 · 10-NN accuracy 71.3%". */
export function qualityLine(q: Quality | undefined): string {
  return `trustworthiness@10 ${formatScore(q?.trustworthiness)} · 10-NN accuracy ${formatPercent(q?.knnAccuracy)}`;
}

/**
 * The quality line of a map of a d-D code (the zoo's bigger codes): trustworthiness@10 against
 * the code it was made from first, then against the pixels, then 10-NN accuracy.
 */
export function codeQualityLine(q: Quality | undefined, dim: number): string {
  return `trustworthiness@10 vs the ${dim}-D code ${formatScore(q?.trustworthinessLatent)} · vs the pixels ${formatScore(q?.trustworthiness)} · 10-NN accuracy ${formatPercent(q?.knnAccuracy)}`;
}
