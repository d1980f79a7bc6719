/**
 * DOM-free logic of the latent explorer: the plane's range, keyboard moves and the words that
 * describe a decoded point for readers who cannot see the canvas.
 */
import { clampToRange, type LatentRange } from '../../lib/digits.ts';
import { formatCoord } from '../../lib/viz/format.ts';

/** The plane's grid and range are figure constants shared with the baked figures. */
export { GRID_N, explorerRange } from '../../contracts/figures.ts';

/** A latent point for reading: `(0.12, −1.50)`. */
export function formatPointText(x: number, y: number): string {
  return `(${formatCoord(x)}, ${formatCoord(y)})`;
}

/** The centre of a range. */
export function rangeCentre(r: LatentRange): [number, number] {
  return [(r.xMin + r.xMax) / 2, (r.yMin + r.yMax) / 2];
}

/**
 * The point after a key press on the plane, or null if the key is not ours: arrows move by 1/40
 * of the range (1/8 with Shift), Home returns to the centre. Always stays inside the range.
 */
export function nudge(point: readonly [number, number], key: string, range: LatentRange, big = false): [number, number] | null {
  const sx = (range.xMax - range.xMin) / (big ? 8 : 40);
  const sy = (range.yMax - range.yMin) / (big ? 8 : 40);
  const [x, y] = point;
  switch (key) {
    case 'ArrowLeft':
      return clampToRange(x - sx, y, range);
    case 'ArrowRight':
      return clampToRange(x + sx, y, range);
    case 'ArrowUp':
      return clampToRange(x, y + sy, range);
    case 'ArrowDown':
      return clampToRange(x, y - sy, range);
    case 'Home':
      return rangeCentre(range);
    default:
      return null;
  }
}

/**
 * The labels of the `k` test codes nearest to `(x, y)` summarised as the most common digit and
 * its share, e.g. `{ digit: 7, share: 0.8 }`; null without codes.
 */
export function nearestLabels(
  latent: ArrayLike<number>,
  labels: ArrayLike<number>,
  x: number,
  y: number,
  k = 15,
): { digit: number; share: number; distance: number } | null {
  const n = Math.min(labels.length, Math.floor(latent.length / 2));
  if (n === 0) return null;
  k = Math.min(k, n);
  // Keep the k smallest squared distances in a small sorted array (k is tiny).
  const best: { d: number; label: number }[] = [];
  for (let i = 0; i < n; i++) {
    const dx = latent[2 * i]! - x;
    const dy = latent[2 * i + 1]! - y;
    const d = dx * dx + dy * dy;
    if (best.length < k || d < best[best.length - 1]!.d) {
      let j = best.length < k ? best.length : k - 1;
      if (best.length < k) best.push({ d, label: labels[i]! });
      while (j > 0 && best[j - 1]!.d > d) {
        best[j] = best[j - 1]!;
        j--;
      }
      best[j] = { d, label: labels[i]! };
    }
  }
  const counts = new Map<number, number>();
  for (const b of best) counts.set(b.label, (counts.get(b.label) ?? 0) + 1);
  let digit = -1;
  let count = 0;
  for (const [label, c] of counts) if (c > count || (c === count && label < digit)) [digit, count] = [label, c];
  return { digit, share: count / best.length, distance: Math.sqrt(best[best.length - 1]!.d) };
}

/** A sentence for readers of the decoded digit's neighbourhood ("most nearby test digits are 7s (80 %)"). */
export function neighbourhoodText(summary: { digit: number; share: number } | null): string {
  if (!summary) return '';
  const pct = Math.round(summary.share * 100);
  return `Most of the nearest test digits here are ${summary.digit}s (${pct} %).`;
}
