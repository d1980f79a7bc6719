/**
 * DOM-free logic of the attention figure (`AttnAttention.astro`): the attention encoder cuts a
 * digit into 16 patches of 7 × 7 (a 4 × 4 grid, row-major) and each patch (query) spreads its
 * attention over all 16 (keys), in each of 4 heads. These helpers pick a head's (or the heads'
 * mean) weights out of the encoder's `[heads, 16, 16]` probabilities, move the selected patch with
 * the keyboard, word the result for readers, and render the picture as SVG markup — the same
 * function draws the build-time picture (no JavaScript) and the live one.
 */
import { escapeXml } from '../../lib/viz/format.ts';

/** Patches per side (28 / 7). */
export const GRID = 4;
/** Patches (tokens). */
export const TOKENS = GRID * GRID;
/** Pixels per patch side. */
export const PATCH = 7;
/** Attention heads of the encoder. */
export const HEADS = 4;

/** A head, or the mean over the heads. */
export type HeadChoice = number | 'mean';

/** The shading colour (the zoo's orange, legible on black digits and on both themes' backgrounds). */
export const SHADE = '#ee7733';

/** Checks a flat attention array holds `[heads, 16, 16]` for one image; throws a readable error otherwise. */
export function checkAttention(attention: ArrayLike<number>, heads = HEADS): void {
  if (attention.length !== heads * TOKENS * TOKENS) {
    throw new Error(`The attention encoder gave ${attention.length} weights for one digit; expected ${heads} heads × ${TOKENS} × ${TOKENS}.`);
  }
}

/** The 16 × 16 matrix (query row, key column) of one head, or the mean over the heads. */
export function headMatrix(attention: ArrayLike<number>, head: HeadChoice, heads = HEADS): Float32Array {
  checkAttention(attention, heads);
  const out = new Float32Array(TOKENS * TOKENS);
  const n = TOKENS * TOKENS;
  if (head === 'mean') {
    for (let h = 0; h < heads; h++) for (let i = 0; i < n; i++) out[i]! += attention[h * n + i]! / heads;
  } else {
    if (!Number.isInteger(head) || head < 0 || head >= heads) throw new RangeError(`No attention head ${head}; the encoder has ${heads}.`);
    for (let i = 0; i < n; i++) out[i] = attention[head * n + i]!;
  }
  return out;
}

/** Row `query` of a 16 × 16 matrix: where that patch looks. */
export function queryRow(matrix: ArrayLike<number>, query: number): Float32Array {
  return Float32Array.from({ length: TOKENS }, (_, k) => matrix[query * TOKENS + k]!);
}

/** Patch `t`'s row and column in the 4 × 4 grid (0-based). */
export function patchCell(t: number): [number, number] {
  return [Math.floor(t / GRID), t % GRID];
}

/** A patch for readers: "patch (row 2, column 3)" (1-based). */
export function patchName(t: number): string {
  const [r, c] = patchCell(t);
  return `patch (row ${r + 1}, column ${c + 1})`;
}

/** The patch after a key press in the 4 × 4 grid, or null when the key is not a move: arrows (no wrap), Home, End. */
export function movePatch(t: number, key: string): number | null {
  const [r, c] = patchCell(t);
  switch (key) {
    case 'ArrowLeft':
      return r * GRID + Math.max(0, c - 1);
    case 'ArrowRight':
      return r * GRID + Math.min(GRID - 1, c + 1);
    case 'ArrowUp':
      return Math.max(0, r - 1) * GRID + c;
    case 'ArrowDown':
      return Math.min(GRID - 1, r + 1) * GRID + c;
    case 'Home':
      return 0;
    case 'End':
      return TOKENS - 1;
    default:
      return null;
  }
}

/** Total ink (sum of intensities) of each patch of a 784-pixel image. */
export function patchInk(image: ArrayLike<number>): Float32Array {
  const ink = new Float32Array(TOKENS);
  for (let y = 0; y < GRID * PATCH; y++) for (let x = 0; x < GRID * PATCH; x++) ink[Math.floor(y / PATCH) * GRID + Math.floor(x / PATCH)]! += image[y * 28 + x]!;
  return ink;
}

/** The patch a figure starts on: the one with the most ink (the first such). */
export function inkiestPatch(image: ArrayLike<number>): number {
  const ink = patchInk(image);
  let best = 0;
  for (let t = 1; t < TOKENS; t++) if (ink[t]! > ink[best]!) best = t;
  return best;
}

/** The keys `query` attends to most, largest first: `[key, weight]` pairs. */
export function topKeys(row: ArrayLike<number>, k = 3): [number, number][] {
  return Array.from(row, (w, t) => [t, w] as [number, number])
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k);
}

/** A percentage for the figure, e.g. "23 %". */
export const pct = (w: number) => `${Math.round(w * 100)} %`;

/** The name of a head choice: "head 2" or "the mean of the 4 heads". */
export function headName(head: HeadChoice, heads = HEADS): string {
  return head === 'mean' ? `the mean of the ${heads} heads` : `head ${head + 1}`;
}

/** One sentence on where the selected patch looks, e.g. for a live region. */
export function attentionSentence(row: ArrayLike<number>, query: number, head: HeadChoice, heads = HEADS): string {
  const top = topKeys(row, 3);
  const self = row[query]!;
  return `In ${headName(head, heads)}, ${patchName(query)} gives most of its attention to ${top.map(([t, w]) => `${t === query ? 'itself' : patchName(t)} (${pct(w)})`).join(', ')}; to itself ${pct(self)}.`;
}

/** Share of a row's attention that stays on inked patches (ink above `threshold`). */
export function inkShare(row: ArrayLike<number>, ink: ArrayLike<number>, threshold = 1): number {
  let s = 0;
  for (let t = 0; t < TOKENS; t++) if (ink[t]! > threshold) s += row[t]!;
  return s;
}

const r2 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * SVG markup of the 16 × 16 attention matrix (query rows, key columns), each cell shaded by its
 * weight relative to the matrix's largest, the selected query's row outlined. Cells carry
 * `data-q`/`data-k` and a `<title>` with the weight.
 */
export function matrixSvg(matrix: ArrayLike<number>, query: number, label: string, idPrefix = 'za-m'): string {
  const cell = 12;
  const pad = 26;
  const size = pad + TOKENS * cell + 2;
  let max = 0;
  for (let i = 0; i < TOKENS * TOKENS; i++) max = Math.max(max, matrix[i]!);
  const out: string[] = [
    `<svg class="za-matrix" viewBox="0 0 ${size} ${size}" role="img" aria-labelledby="${idPrefix}-t">`,
    `<title id="${idPrefix}-t">${escapeXml(label)}</title>`,
    `<rect class="za-matrix-bg" x="${pad}" y="${pad}" width="${TOKENS * cell}" height="${TOKENS * cell}"/>`,
  ];
  for (let t = 0; t < TOKENS; t += 4) {
    out.push(`<text class="za-matrix-tick" x="${pad + t * cell + cell / 2}" y="${pad - 6}" text-anchor="middle">${t + 1}</text>`);
    out.push(`<text class="za-matrix-tick" x="${pad - 4}" y="${pad + t * cell + cell - 2}" text-anchor="end">${t + 1}</text>`);
  }
  for (let q = 0; q < TOKENS; q++) {
    for (let k = 0; k < TOKENS; k++) {
      const w = matrix[q * TOKENS + k]!;
      out.push(
        `<rect x="${pad + k * cell}" y="${pad + q * cell}" width="${cell}" height="${cell}" fill="${SHADE}" fill-opacity="${max > 0 ? r2(w / max) : 0}" data-q="${q}" data-k="${k}"/>`,
      );
    }
  }
  out.push(`<rect class="za-matrix-sel" x="${pad - 1}" y="${pad + query * cell - 1}" width="${TOKENS * cell + 2}" height="${cell + 2}" fill="none"/>`);
  out.push('</svg>');
  return out.join('');
}

/**
 * SVG markup of a digit (white on black, 28 × 28 units) with its 4 × 4 patch grid, the patches
 * shaded by `row` (the selected query's attention, relative to the row's largest weight) and the
 * query outlined: the build-time picture of the figure.
 */
export function digitSvg(image: ArrayLike<number>, row: ArrayLike<number>, query: number, label: string, idPrefix = 'za-d'): string {
  const out: string[] = [
    `<svg class="za-digit-svg" viewBox="0 0 28 28" shape-rendering="crispEdges" role="img" aria-labelledby="${idPrefix}-t">`,
    `<title id="${idPrefix}-t">${escapeXml(label)}</title>`,
    '<rect width="28" height="28" fill="#000"/>',
  ];
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = image[y * 28 + x]!;
      if (v > 0.02) out.push(`<rect x="${x}" y="${y}" width="1" height="1" fill="#fff" fill-opacity="${r2(v)}"/>`);
    }
  }
  let max = 0;
  for (let t = 0; t < TOKENS; t++) max = Math.max(max, row[t]!);
  for (let t = 0; t < TOKENS; t++) {
    const [r, c] = patchCell(t);
    out.push(`<rect x="${c * PATCH}" y="${r * PATCH}" width="${PATCH}" height="${PATCH}" fill="${SHADE}" fill-opacity="${max > 0 ? r2((0.75 * row[t]!) / max) : 0}" stroke="#888" stroke-width="0.1"/>`);
  }
  const [qr, qc] = patchCell(query);
  out.push(`<rect x="${qc * PATCH + 0.2}" y="${qr * PATCH + 0.2}" width="${PATCH - 0.4}" height="${PATCH - 0.4}" fill="none" stroke="#fff" stroke-width="0.4"/>`);
  out.push('</svg>');
  return out.join('');
}
