/**
 * The t-SNE lab's settings: the choices it offers, and the validation of what the reader typed
 * (DOM-free, unit-tested). Every error names the field and says what would be accepted.
 */

/** The inputs the lab can embed. `vae-10`/`vae-20` are offered only when the artifacts list them. */
export const INPUT_IDS = ['vae-20', 'vae-10', 'vae', 'pixels'] as const;
export type InputId = (typeof INPUT_IDS)[number];

/** Numbers per digit of each input before any reduction. */
export const INPUT_DIMS: Record<InputId, number> = { 'vae-20': 20, 'vae-10': 10, vae: 2, pixels: 784 };

/** Labels for the input choice. */
export const INPUT_LABELS: Record<InputId, string> = {
  'vae-20': 'VAE codes, 20-D (model vae-20)',
  'vae-10': 'VAE codes, 10-D (model vae-10)',
  vae: 'VAE codes, 2-D (model vae)',
  pixels: 'Raw pixels (784-D, reduced to 50 by PCA first)',
};

/** Dimensions the raw pixels are reduced to by PCA before t-SNE (the usual practice). */
export const PIXEL_PCA_DIMS = 50;

/** Subset sizes: the first N test digits. */
export const SIZES = [1000, 2500, 5000, 10000] as const;

/** Perplexity slider range. */
export const PERPLEXITY_MIN = 2;
export const PERPLEXITY_MAX = 100;

/** The perplexities of the "small multiples" comparison (Distill's first lesson). */
export const MULTIPLES = [5, 30, 100] as const;

/** Iterations of early exaggeration at the start of every run (as scikit-learn and the bake). */
export const EXAGGERATION_ITERATIONS = 250;

/** What the reader typed or picked, as strings (straight from the form). */
export interface RawSettings {
  input: string;
  size: string;
  /** Digits 0–9 to include (ticked boxes). */
  digits: readonly number[];
  perplexity: string;
  /** 'auto' or 'fixed'. */
  lrMode: string;
  learningRate: string;
  exaggeration: string;
  iterations: string;
  seed: string;
}

/** Validated settings of one run. */
export interface LabSettings {
  input: InputId;
  size: number;
  digits: number[];
  perplexity: number;
  learningRate: number | 'auto';
  exaggeration: number;
  iterations: number;
  seed: number;
}

/** The form's fields that can carry an error message. */
export type Field = 'input' | 'size' | 'digits' | 'perplexity' | 'learningRate' | 'exaggeration' | 'iterations' | 'seed';

export type Validation = { ok: true; settings: LabSettings } | { ok: false; errors: Partial<Record<Field, string>> };

/** The defaults the form starts with. */
export const DEFAULTS: Omit<LabSettings, 'input'> = {
  size: 2500,
  digits: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  perplexity: 30,
  learningRate: 'auto',
  exaggeration: 12,
  iterations: 1000,
  seed: 0,
};

/** Parses a number typed into a text field: null when it is not a plain finite number. */
export function parseNumber(text: string): number | null {
  const t = text.trim().replace(/,/g, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/** A number field: `label` must be a number in [min, max] (and a whole number when `integer`). */
function numberField(text: string, label: string, min: number, max: number, integer: boolean): number | string {
  if (text.trim() === '') return `Enter ${label}.`;
  const v = parseNumber(text);
  if (v === null) return `${capitalise(label)} must be a number (you typed “${text.trim()}”).`;
  if (integer && !Number.isInteger(v)) return `${capitalise(label)} must be a whole number.`;
  if (v < min || v > max) return `${capitalise(label)} must be between ${fmt(min)} and ${fmt(max)}.`;
  return v;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const fmt = (v: number) => v.toLocaleString('en-US');

/**
 * The largest perplexity `n` points allow. t-SNE needs perplexity < n − 1, and this
 * implementation (like the reference ones) looks at each point's ⌊3·perplexity + 1⌋ nearest
 * neighbours, so it also needs that many other points: perplexity ≤ (n − 2) / 3.
 */
export function maxPerplexity(n: number): number {
  return Math.floor((n - 2) / 3);
}

/** The message for a perplexity too large for `n` points, or null when it fits. */
export function perplexityProblem(perplexity: number, n: number): string | null {
  if (perplexity >= n - 1) return `Perplexity ${fmt(perplexity)} is too large for ${fmt(n)} points: it must be smaller than n − 1 = ${fmt(n - 1)}.`;
  if (perplexity > maxPerplexity(n)) {
    return `Perplexity ${fmt(perplexity)} is too large for ${fmt(n)} points: each point looks at its ${fmt(Math.floor(3 * perplexity + 1))} nearest neighbours, so at most ${fmt(Math.max(0, maxPerplexity(n)))} fits.`;
  }
  return null;
}

/**
 * Validates the form. `available` are the inputs the artifacts offer; `countFor(size, digits)`
 * says how many points a selection holds (the first `size` test digits, only the ticked classes).
 */
export function validateSettings(raw: RawSettings, available: readonly InputId[], countFor: (size: number, digits: readonly number[]) => number): Validation {
  const errors: Partial<Record<Field, string>> = {};
  const input = INPUT_IDS.find((id) => id === raw.input && available.includes(id));
  if (!input) errors.input = available.length ? `Choose one of the inputs: ${available.map((id) => INPUT_LABELS[id]).join('; ')}.` : 'No input is available: the artifacts list none of the inputs.';
  const size = SIZES.find((s) => String(s) === raw.size.trim());
  if (size === undefined) errors.size = `Choose how many test digits to use: ${SIZES.map(fmt).join(', ')}.`;
  const digits = [...new Set(raw.digits)].filter((d) => Number.isInteger(d) && d >= 0 && d <= 9).sort((a, b) => a - b);
  if (digits.length === 0) errors.digits = 'The selection is empty: tick at least one digit.';

  let perplexity: number | undefined;
  const p = numberField(raw.perplexity, 'the perplexity', PERPLEXITY_MIN, PERPLEXITY_MAX, false);
  if (typeof p === 'string') errors.perplexity = p;
  else perplexity = p;

  let learningRate: number | 'auto' | undefined = 'auto';
  if (raw.lrMode === 'fixed') {
    const lr = numberField(raw.learningRate, 'the learning rate', 1, 100_000, false);
    if (typeof lr === 'string') errors.learningRate = lr;
    else learningRate = lr;
  } else if (raw.lrMode !== 'auto') errors.learningRate = 'Choose “auto” or a fixed learning rate.';

  const ex = numberField(raw.exaggeration, 'the early exaggeration', 1, 100, false);
  if (typeof ex === 'string') errors.exaggeration = ex;
  const it = numberField(raw.iterations, 'the number of iterations', 10, 10_000, true);
  if (typeof it === 'string') errors.iterations = it;
  const seed = numberField(raw.seed, 'the seed', 0, 2 ** 31 - 1, true);
  if (typeof seed === 'string') errors.seed = seed;

  if (size !== undefined && digits.length > 0 && perplexity !== undefined) {
    const n = countFor(size, digits);
    if (n < 3) errors.digits = `The selection holds ${fmt(n)} point${n === 1 ? '' : 's'}: t-SNE needs at least 3.`;
    else {
      const problem = perplexityProblem(perplexity, n);
      if (problem) errors.perplexity = problem;
    }
  }
  if (Object.keys(errors).length || !input || size === undefined || perplexity === undefined || typeof ex === 'string' || typeof it === 'string' || typeof seed === 'string') {
    return { ok: false, errors };
  }
  return { ok: true, settings: { input, size, digits, perplexity, learningRate, exaggeration: ex, iterations: it, seed } };
}

/** Indices of the first `size` test digits whose label is among `digits`. */
export function subsetIndices(labels: ArrayLike<number>, size: number, digits: readonly number[]): Uint32Array {
  const keep = new Array<boolean>(10).fill(false);
  for (const d of digits) keep[d] = true;
  const end = Math.min(size, labels.length);
  let n = 0;
  for (let i = 0; i < end; i++) if (keep[labels[i]!]) n++;
  const out = new Uint32Array(n);
  let at = 0;
  for (let i = 0; i < end; i++) if (keep[labels[i]!]) out[at++] = i;
  return out;
}

/** The inputs to offer, in menu order: the 2-D VAE and pixels always; vae-10/vae-20 when listed. */
export function availableInputs(listed: (path: string) => boolean): InputId[] {
  return INPUT_IDS.filter((id) => id === 'pixels' || listed(`${id}/embeddings.json`));
}

/** The input the lab starts on: the widest VAE code available (where t-SNE has real work to do). */
export function defaultInput(available: readonly InputId[]): InputId {
  return available.find((id) => id !== 'pixels') ?? 'pixels';
}
