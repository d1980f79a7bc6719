/**
 * The model zoo's numbers as the Future-work figures use them, shaped from the committed artifacts
 * (`pretrained/zoo.json`, `pretrained/<id>/metrics.json`, `pretrained/<id>/embeddings.json`; their
 * schemas and parsers are `src/contracts/zoo.ts`).
 *
 * Pure functions over parsed JSON, so they run at build time (see `src/build/zoo-artifacts.ts`) and in unit tests on
 * synthetic files alike. Two kinds of trouble are kept apart on purpose:
 * - a model whose files are not there yet is *missing*: its cells read "—" with a note, and the
 *   build goes on (the zoo is trained while the site is written);
 * - a file that is there but does not match its contract is *malformed*: a `ZooDataError` naming
 *   the file and the field, which fails the build with that message.
 */

import { ACTIVE_KL_THRESHOLD, isVariational, parseZooEmbeddingScores, parseZooMetrics, type ZooEmbeddingScores, type ZooMetrics, type ZooModel } from '../../contracts/zoo.ts';

/** What reading one artifact gave: parsed JSON, or nothing because the file is not there yet. */
export type Read = { ok: true; data: unknown } | { ok: false };

/** One row of the zoo table. */
export interface ZooRow {
  model: ZooModel;
  title: string;
  href: string;
  metrics?: ZooMetrics;
  scores?: ZooEmbeddingScores;
  /** Files not committed yet (shown as a note beside the row). */
  missing: string[];
}

/** A short human title for a zoo model, from its registry entry (never from a hard-coded list). */
export function modelTitle(m: ZooModel): string {
  const size = m.latentDim === 2 ? '' : `, ${m.latentDim}-D code`;
  switch (m.kind) {
    case 'ae':
      return `Autoencoder${size}`;
    case 'dae':
      return `Denoising autoencoder (σ = ${m.noise ?? '?'})${size}`;
    case 'cvae':
      return `Conditional VAE${size}`;
    case 'attn':
      return `Attention-encoder VAE${size}`;
    case 'vae':
      return m.beta === 1 || m.beta === null ? `VAE${size}` : `β-VAE, β = ${m.beta}${size}`;
  }
}

/** The ids of the Future-work figures that show each experiment (`id` of each figure's root). */
export const FIGURE_IDS = { bigger: 'zoo-bigger-codes', beta: 'zoo-beta', cvae: 'zoo-cvae', dae: 'zoo-dae', attn: 'zoo-attn' } as const;

/** The Future-work page (`/future-work/<page>/`) of each experiment. */
export const FIGURE_PAGES = { bigger: 'bigger-codes', beta: 'beta', cvae: 'conditional', dae: 'denoising', attn: 'attention' } as const;

/**
 * Where on the site a model is shown: the report's 2-D AE and VAE in the latent-space chapter, the
 * others at the figure of their experiment, on its Future-work page.
 */
export function modelHref(m: ZooModel, base = '/'): string {
  const b = base.endsWith('/') ? base : `${base}/`;
  const at = (key: keyof typeof FIGURE_IDS) => `${b}future-work/${FIGURE_PAGES[key]}/#${FIGURE_IDS[key]}`;
  if (m.latentDim !== 2 && (m.kind === 'ae' || m.kind === 'vae')) return at('bigger');
  if (m.kind === 'vae' && m.beta !== null && m.beta !== 1) return at('beta');
  if (m.kind === 'cvae' || m.kind === 'dae' || m.kind === 'attn') return at(m.kind);
  return `${b}latent-space/`;
}

/** The zoo table's rows, in registry order; `read` returns a `pretrained/`-relative file. */
export function zooRows(models: readonly ZooModel[], read: (path: string) => Read, base = '/'): ZooRow[] {
  return models.map((model) => {
    const row: ZooRow = { model, title: modelTitle(model), href: modelHref(model, base), missing: [] };
    const m = read(`${model.id}/metrics.json`);
    if (m.ok) row.metrics = parseZooMetrics(m.data, model);
    else row.missing.push('metrics.json');
    const e = read(`${model.id}/embeddings.json`);
    if (e.ok) row.scores = parseZooEmbeddingScores(e.data, model);
    else row.missing.push('embeddings.json');
    return row;
  });
}

/** A table cell: the shown text, and the value it sorts by (`undefined` sorts last). */
export interface Cell {
  text: string;
  sort?: number;
  /** Why the cell is empty: not measured yet, or not applicable to this kind of model. */
  empty?: 'missing' | 'n/a';
}

/** The numeric columns of the zoo table, in order. */
export const COLUMNS = [
  { key: 'bce', label: 'Test BCE', unit: 'nats', digits: 2 },
  { key: 'kl', label: 'KL', unit: 'nats', digits: 2 },
  { key: 'elbo', label: '−ELBO', unit: 'nats', digits: 2 },
  { key: 'active', label: 'Active dims', unit: '', digits: 0 },
  { key: 'knn', label: '10-NN acc. (code)', unit: '%', digits: 1 },
  { key: 'trust', label: 't-SNE trust. (pixels)', unit: '', digits: 3 },
  { key: 'trustCode', label: 't-SNE trust. (code)', unit: '', digits: 3 },
] as const;
export type ColumnKey = (typeof COLUMNS)[number]['key'];

const fixed = (v: number, digits: number) => v.toFixed(digits).replace(/^-/, '\u2212');

/** The cells of one row, keyed by column. */
export function rowCells(row: ZooRow): Record<ColumnKey, Cell> {
  const variational = isVariational(row.model.kind);
  const missing: Cell = { text: '—', empty: 'missing' };
  const na: Cell = { text: 'n/a', empty: 'n/a' };
  const m = row.metrics;
  const s = row.scores;
  const n = (v: number | undefined, digits: number, scale = 1, suffix = ''): Cell => (v === undefined ? missing : { text: `${fixed(v * scale, digits)}${suffix}`, sort: v });
  const active = (): Cell => {
    if (!variational) return na;
    if (!m) return missing;
    if (m.activeDims !== undefined) return { text: String(m.activeDims), sort: m.activeDims };
    if (m.klPerDim) {
      const a = activeDims(m.klPerDim);
      return { text: String(a), sort: a };
    }
    return missing;
  };
  return {
    bce: n(m?.bce, 2),
    kl: variational ? n(m?.kl, 2) : na,
    elbo: variational ? n(m?.loss, 2) : na,
    active: active(),
    knn: n(s?.knnAccuracy, 1, 100, '%'),
    trust: n(s?.tsneTrust, 3),
    trustCode: n(s?.tsneTrustCode, 3),
  };
}

/** Number of dimensions whose mean KL exceeds the threshold. */
export function activeDims(klPerDim: readonly number[], threshold = ACTIVE_KL_THRESHOLD): number {
  return klPerDim.filter((k) => k > threshold).length;
}

/** One point of the rate–distortion plot: KL (rate) against BCE (distortion). */
export interface RatePoint {
  id: string;
  title: string;
  /** β of the model; 0 for the plain autoencoder (no KL term). */
  beta: number;
  bce: number;
  kl: number;
  /** The reference AE, drawn apart (it has no KL term, so it sits on the BCE axis). */
  reference: boolean;
}

/**
 * The β sweep as rate–distortion points, sorted by β: every 2-D, unconditional VAE of the zoo with
 * a β (the sweep and β = 1), plus the 2-D AE as the β = 0 reference. Models without metrics yet are
 * listed in `missing`.
 */
export function rateDistortion(rows: readonly ZooRow[]): { points: RatePoint[]; missing: string[] } {
  const points: RatePoint[] = [];
  const missing: string[] = [];
  for (const r of rows) {
    const { model } = r;
    if (model.latentDim !== 2 || model.conditional) continue;
    const isSweep = model.kind === 'vae' && model.beta !== null;
    const isRef = model.kind === 'ae';
    if (!isSweep && !isRef) continue;
    if (!r.metrics) {
      missing.push(model.id);
      continue;
    }
    points.push({ id: model.id, title: r.title, beta: isRef ? 0 : model.beta!, bce: r.metrics.bce, kl: r.metrics.kl, reference: isRef });
  }
  points.sort((a, b) => a.beta - b.beta);
  return { points, missing };
}

/** The models the β slider steps through: the sweep and β = 1, sorted by β (not the AE). */
export function betaSteps(rows: readonly ZooRow[]): ZooModel[] {
  return rows
    .map((r) => r.model)
    .filter((m) => m.kind === 'vae' && m.latentDim === 2 && !m.conditional && m.beta !== null)
    .sort((a, b) => a.beta! - b.beta!);
}

/** One bar of a per-dimension KL chart. */
export interface KlBar {
  /** Dimension, 1-based as the text names it. */
  dim: number;
  kl: number;
  active: boolean;
}

/** Bars of mean KL per latent dimension, largest first, flagged against the threshold. */
export function klBars(klPerDim: readonly number[], threshold = ACTIVE_KL_THRESHOLD): KlBar[] {
  return klPerDim.map((kl, i) => ({ dim: i + 1, kl, active: kl > threshold })).sort((a, b) => b.kl - a.kl || a.dim - b.dim);
}
