/**
 * Figure constants shared by the live widgets and the static figures the pipeline bakes
 * (`src/pipeline/figures.ts` → `pretrained/figures/`), so a page's picture without JavaScript and
 * its live widget show the same grid, the same plane and the same digits. Pure: no DOM, no Node.
 */
import { latentRange, priorRange, type LatentRange } from './latent-range.ts';

/** Grid side of the decoded manifold. */
export const GRID_N = 20;

/**
 * A square range (equal units on both axes) around the populated part of the latent plane:
 * the central 99 % of the test codes on each axis, padded by 5 %. Without codes, ±3 — where
 * 99.7 % of the VAE's prior N(0, I) lies.
 */
export function explorerRange(latent?: ArrayLike<number>): LatentRange {
  const r = latent && latent.length >= 2 ? latentRange(latent, 0.99, 0.05) : priorRange(0.00135);
  const cx = (r.xMin + r.xMax) / 2;
  const cy = (r.yMin + r.yMax) / 2;
  const half = Math.max(r.xMax - r.xMin, r.yMax - r.yMin) / 2;
  return { xMin: cx - half, xMax: cx + half, yMin: cy - half, yMax: cy + half };
}

/** Steps in the strip under each model (both ends included). */
export const STRIP_STEPS = 10;

/**
 * The first 3 and the first 8 of the MNIST test set — the default pair, since 3 and 8 share
 * strokes and the path between them is interesting. Checked against the real labels in the test.
 */
export const DEFAULT_PAIR: readonly [number, number] = [18, 61];

/** The first test digits labelled `a` and `b`, or DEFAULT_PAIR's indices when labels are missing. */
export function defaultPair(labels?: ArrayLike<number>, a = 3, b = 8): [number, number] {
  if (!labels) return [DEFAULT_PAIR[0], DEFAULT_PAIR[1]];
  let ia = -1;
  let ib = -1;
  for (let i = 0; i < labels.length && (ia < 0 || ib < 0); i++) {
    if (ia < 0 && labels[i] === a) ia = i;
    if (ib < 0 && labels[i] === b) ib = i;
  }
  return [ia < 0 ? DEFAULT_PAIR[0] : ia, ib < 0 ? DEFAULT_PAIR[1] : ib];
}
