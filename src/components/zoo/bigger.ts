/**
 * DOM-free logic of the bigger-codes figures (Future work, "Bigger codes"): which zoo models they
 * show (from `pretrained/zoo.json`, never a hard-coded list), the statistics of each code
 * dimension, which dimensions a traversal may move, and the codes of a traversal. Runs at build
 * time (the baked pictures) and in the browser (the live widgets) alike.
 */
import { ACTIVE_KL_THRESHOLD, type ZooModel } from '../../contracts/zoo.ts';
import { formatNats } from '../../lib/viz/format.ts';

/** The models of the bigger-codes experiment: unconditional AEs and VAEs (β = 1) of every code width, AEs first, each by width. */
export function biggerModels(zoo: readonly ZooModel[]): ZooModel[] {
  const plain = zoo.filter((m) => (m.kind === 'ae' && m.beta === null) || (m.kind === 'vae' && m.beta === 1));
  return plain.filter((m) => !m.conditional && m.noise === null).sort((a, b) => (a.kind === b.kind ? a.latentDim - b.latentDim : a.kind === 'ae' ? -1 : 1));
}

/** The models whose code is wider than 2-D (the traversals' and the maps' models). */
export function wideModels(zoo: readonly ZooModel[]): ZooModel[] {
  return biggerModels(zoo).filter((m) => m.latentDim > 2);
}

/** One code width with its AE and VAE (both present in the zoo), for a pair of maps. */
export interface WidthPair {
  dim: number;
  ae: ZooModel;
  vae: ZooModel;
}

/** The code widths above 2 at which the zoo has both an AE and a VAE, narrowest first. */
export function widthPairs(zoo: readonly ZooModel[]): WidthPair[] {
  const wide = wideModels(zoo);
  const dims = [...new Set(wide.map((m) => m.latentDim))].sort((a, b) => a - b);
  return dims.flatMap((dim) => {
    const ae = wide.find((m) => m.kind === 'ae' && m.latentDim === dim);
    const vae = wide.find((m) => m.kind === 'vae' && m.latentDim === dim);
    return ae && vae ? [{ dim, ae, vae }] : [];
  });
}

/** Mean and standard deviation of each dimension of `count` codes of width `dim` (row-major). */
export function dimStats(codes: ArrayLike<number>, dim: number): { mean: number[]; sd: number[] } {
  const count = Math.floor(codes.length / dim);
  if (count === 0) throw new Error(`dimStats: no ${dim}-D codes`);
  const mean = new Array<number>(dim).fill(0);
  const sq = new Array<number>(dim).fill(0);
  for (let i = 0; i < count; i++) for (let j = 0; j < dim; j++) mean[j]! += codes[i * dim + j]!;
  for (let j = 0; j < dim; j++) mean[j]! /= count;
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < dim; j++) {
      const d = codes[i * dim + j]! - mean[j]!;
      sq[j]! += d * d;
    }
  }
  return { mean, sd: sq.map((s) => Math.sqrt(s / count)) };
}

/** A dimension a traversal may move: its index and, for a VAE, its mean KL (nats). */
export interface TraversalDim {
  index: number;
  kl?: number;
}

/**
 * The dimensions worth moving: for a VAE those whose mean KL on the test set is above the
 * active threshold (0.01 nats), most used first; for an AE every dimension, in order.
 */
export function traversalDims(kind: string, dim: number, klPerDim?: readonly number[]): TraversalDim[] {
  if (kind !== 'vae' || !klPerDim) return Array.from({ length: dim }, (_, index) => ({ index }));
  return klPerDim
    .map((kl, index) => ({ index, kl }))
    .filter((d) => d.kl > ACTIVE_KL_THRESHOLD)
    .sort((a, b) => b.kl - a.kl || a.index - b.index);
}

/** How far a traversal goes, in standard deviations of the dimension over the test codes. */
export const TRAVERSAL_SPAN = 3;
/** Decodings in a traversal row. */
export const TRAVERSAL_STEPS = 9;

/** The positions of a traversal row, in standard deviations: −span … +span in `steps` even steps. */
export function traversalOffsets(steps = TRAVERSAL_STEPS, span = TRAVERSAL_SPAN): number[] {
  if (!Number.isInteger(steps) || steps < 2) throw new RangeError('a traversal needs at least 2 steps');
  return Array.from({ length: steps }, (_, i) => -span + (2 * span * i) / (steps - 1));
}

/**
 * The codes of a traversal: `code` repeated once per offset, with dimension `index` set to
 * mean + offset · sd (the other dimensions stay). Written into `out` (offsets × d) if given.
 */
export function traversalCodes(code: ArrayLike<number>, index: number, mean: number, sd: number, offsets: readonly number[], out?: Float32Array): Float32Array {
  const d = code.length;
  if (!Number.isInteger(index) || index < 0 || index >= d) throw new RangeError(`No dimension ${index} in a ${d}-D code`);
  const codes = out ?? new Float32Array(offsets.length * d);
  offsets.forEach((t, k) => {
    for (let j = 0; j < d; j++) codes[k * d + j] = code[j]!;
    codes[k * d + index] = mean + t * sd;
  });
  return codes;
}

/** The symbol of a code dimension for readers: `z₃` (AE) or `μ₃` (VAE), counted from 1. */
export function dimName(kind: string, index: number): string {
  const sub = String(index + 1).replace(/[0-9]/g, (c) => '₀₁₂₃₄₅₆₇₈₉'[Number(c)]!);
  return `${kind === 'vae' ? 'μ' : 'z'}${sub}`;
}

/** The option text of a traversal dimension: "μ₃ (KL 2.31 nats)" or "z₃". */
export function dimOption(kind: string, d: TraversalDim): string {
  return d.kl === undefined ? dimName(kind, d.index) : `${dimName(kind, d.index)} (KL ${d.kl.toFixed(2)} nats)`;
}

/** The slider's value text: "μ₃ = mean + 1.5 sd (0.84)". */
export function offsetText(kind: string, index: number, offset: number, value: number): string {
  const sign = offset < 0 ? '−' : '+';
  return `${dimName(kind, index)} = mean ${sign} ${Math.abs(offset).toFixed(1)} sd (${value.toFixed(2).replace('-', '−')})`;
}

/** One reconstruction's caption: "BCE 78.4 nats (test mean 80.1)". */
export function reconCaption(bce: number, testMean?: number): string {
  return testMean === undefined ? `BCE ${formatNats(bce)}` : `BCE ${formatNats(bce)} (test mean ${formatNats(testMean)})`;
}

/** The AE's and the VAE's test BCE at one code width, and the VAE's excess over the AE (nats). */
export interface WidthGap {
  dim: number;
  ae: string;
  vae: string;
  gap: number;
}

/**
 * How much worse the VAE reconstructs than the AE at each code width where the zoo has both
 * (test BCE, nats), narrowest first; widths whose metrics are not committed are left out.
 */
export function bceGaps(models: readonly ZooModel[], bce: (id: string) => number | undefined): WidthGap[] {
  const plain = biggerModels(models);
  const dims = [...new Set(plain.map((m) => m.latentDim))].sort((a, b) => a - b);
  return dims.flatMap((dim) => {
    const ae = plain.find((m) => m.kind === 'ae' && m.latentDim === dim);
    const vae = plain.find((m) => m.kind === 'vae' && m.latentDim === dim);
    const a = ae && bce(ae.id);
    const v = vae && bce(vae.id);
    return ae && vae && a !== undefined && v !== undefined ? [{ dim, ae: ae.id, vae: vae.id, gap: v - a }] : [];
  });
}

/** Whether the gaps, narrowest code first, only grow, only shrink, or neither. */
export function gapTrend(gaps: readonly WidthGap[]): 'widens' | 'narrows' | 'mixed' | 'unknown' {
  if (gaps.length < 2) return 'unknown';
  const steps = gaps.slice(1).map((g, i) => g.gap - gaps[i]!.gap);
  if (steps.every((d) => d > 0)) return 'widens';
  if (steps.every((d) => d < 0)) return 'narrows';
  return 'mixed';
}
