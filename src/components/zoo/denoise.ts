/**
 * The denoising experiment's shared, DOM-free parts (issue 12): which zoo models it compares
 * (picked by kind from `zoo.json`, never by id), the baked curve `pretrained/denoise-curve.json`
 * (written by `npm run bake:denoise`, `src/pipeline/denoise-curve.ts`; read at build time by
 * `Denoise.astro`), and the curve as build-time SVG. No TF.js, no DOM: Node and browsers.
 *
 * `denoise-curve.json`:
 *
 *     { "version": 1, "noise": "clip(x + σ·N(0, 1), 0, 1)", "seed": 12345, "count": 10000,
 *       "sigmas": [0, 0.1, …, 1],
 *       "models": [{ "id": "ae", "kind": "ae", "bce": [11 means, nats per image] }, …dae, vae],
 *       "sources": { "<path under pretrained/>": "<sha256>" } }
 *
 * `bce[k]` is the mean over the first `count` test digits of the BCE (summed over 784 pixels,
 * nats) of the model's reconstruction of the noised digit against the clean digit, at σ =
 * `sigmas[k]`; the VAE decodes its mean μ. The noise is drawn from `Rng(seed)` (stream 0) in
 * test-set order, one fresh standard normal per pixel, the same draws for every σ and model.
 */
import { scaleLinear } from 'd3';
import type { ZooEntry, ZooKind } from '../../models/zoo.ts';
import { escapeXml } from '../../lib/viz/format.ts';
import { ZooDataError } from './data.ts';

/** The artifact's path under `pretrained/`. */
export const DENOISE_FILE = 'denoise-curve.json';
/** The noise levels of the curve: 0, 0.1, …, 1. */
export const SIGMAS: readonly number[] = Array.from({ length: 11 }, (_, i) => i / 10);
/** The noise seed (the one of `metrics.json`'s `final.test.noisy`, so σ = 0.5 checks against it). */
export const DENOISE_SEED = 12345;
/** The noise law, in words. */
export const NOISE_LAW = 'clip(x + σ·N(0, 1), 0, 1)';
/** The kinds the experiment compares, in display order. */
export const DENOISE_KINDS = ['ae', 'dae', 'vae'] as const;
export type DenoiseKind = (typeof DENOISE_KINDS)[number];

/** Series colours of the three models (AE and VAE as everywhere on the site; DAE green from the digit palette's family). */
export const DENOISE_COLORS: Record<DenoiseKind, string> = { ae: '#0077BB', dae: '#228833', vae: '#EE7733' };
/** Short reader-facing names. */
export const DENOISE_NAMES: Record<DenoiseKind, string> = { ae: 'AE', dae: 'DAE', vae: 'VAE' };

/**
 * The zoo's canonical 2-D model of a kind: the first entry of that kind with a 2-D code (for
 * `vae`, the plain one: β = 1, not conditional). Undefined when the zoo has none.
 */
export function pickByKind(models: readonly ZooEntry[], kind: ZooKind): ZooEntry | undefined {
  return models.find((m) => m.kind === kind && m.latentDim === 2 && (kind !== 'vae' || (m.beta === 1 && !m.conditional)));
}

/** The experiment's models, in `DENOISE_KINDS` order; throws naming the kind the zoo lacks. */
export function denoiseModels(models: readonly ZooEntry[]): ZooEntry[] {
  return DENOISE_KINDS.map((kind) => {
    const m = pickByKind(models, kind);
    if (!m) throw new Error(`the model zoo has no 2-D ${kind} model for the denoising curve`);
    return m;
  });
}

/** One model's series. */
export interface DenoiseSeries {
  id: string;
  kind: DenoiseKind;
  bce: number[];
}

/** `pretrained/denoise-curve.json`. */
export interface DenoiseCurve {
  version: 1;
  noise: string;
  seed: number;
  count: number;
  sigmas: number[];
  models: DenoiseSeries[];
  sources: Record<string, string>;
}

/** Validates a parsed `denoise-curve.json`; throws a ZooDataError naming the file and the field. */
export function parseDenoiseCurve(raw: unknown, file = `pretrained/${DENOISE_FILE}`): DenoiseCurve {
  const bad = (field: string, why: string) => new ZooDataError(`${file}: ${field} ${why}.`);
  if (!raw || typeof raw !== 'object') throw bad('the file', 'is not a JSON object');
  const o = raw as Record<string, unknown>;
  if (o.version !== 1) throw bad('"version"', 'must be 1');
  if (typeof o.noise !== 'string') throw bad('"noise"', 'must be a string');
  if (!Number.isInteger(o.seed)) throw bad('"seed"', 'must be an integer');
  if (!Number.isInteger(o.count) || (o.count as number) < 1) throw bad('"count"', 'must be a positive integer');
  const sigmas = o.sigmas;
  if (!Array.isArray(sigmas) || sigmas.length < 2 || !sigmas.every((s, i) => typeof s === 'number' && s >= 0 && s <= 1 && (i === 0 || s > (sigmas[i - 1] as number)))) {
    throw bad('"sigmas"', 'must be at least two increasing numbers in [0, 1]');
  }
  if (!Array.isArray(o.models) || o.models.length === 0) throw bad('"models"', 'must be a non-empty array');
  const models = o.models.map((m: unknown, i: number) => {
    const s = m as Record<string, unknown>;
    if (!s || typeof s.id !== 'string') throw bad(`models[${i}].id`, 'must be a string');
    if (!DENOISE_KINDS.includes(s.kind as DenoiseKind)) throw bad(`models[${i}].kind`, `must be one of ${DENOISE_KINDS.join(', ')}`);
    if (!Array.isArray(s.bce) || s.bce.length !== sigmas.length || !s.bce.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw bad(`models[${i}].bce`, `must hold ${sigmas.length} non-negative numbers (one per σ)`);
    }
    return { id: s.id, kind: s.kind as DenoiseKind, bce: s.bce as number[] };
  });
  if (!o.sources || typeof o.sources !== 'object') throw bad('"sources"', 'must be an object');
  return { version: 1, noise: o.noise, seed: o.seed as number, count: o.count as number, sigmas: sigmas as number[], models, sources: o.sources as Record<string, string> };
}

/** A model's mean BCE at σ (linear between the baked σ; clamped to the ends). */
export function curveAt(curve: Pick<DenoiseCurve, 'sigmas'>, series: Pick<DenoiseSeries, 'bce'>, sigma: number): number {
  const s = curve.sigmas;
  if (sigma <= s[0]!) return series.bce[0]!;
  for (let i = 1; i < s.length; i++) {
    if (sigma <= s[i]!) {
      const t = (sigma - s[i - 1]!) / (s[i]! - s[i - 1]!);
      return series.bce[i - 1]! * (1 - t) + series.bce[i]! * t;
    }
  }
  return series.bce[series.bce.length - 1]!;
}

/** The σ at which `a`'s curve first drops below `b`'s (linear between baked points), or null if it never does. */
export function crossing(curve: Pick<DenoiseCurve, 'sigmas'>, a: Pick<DenoiseSeries, 'bce'>, b: Pick<DenoiseSeries, 'bce'>): number | null {
  const s = curve.sigmas;
  const d = s.map((_, i) => a.bce[i]! - b.bce[i]!);
  if (d[0]! < 0) return s[0]!;
  for (let i = 1; i < s.length; i++) {
    if (d[i]! < 0) return s[i - 1]! + ((s[i]! - s[i - 1]!) * d[i - 1]!) / (d[i - 1]! - d[i]!);
  }
  return null;
}

/** Size of the curve in SVG user units. */
export const CURVE = { width: 420, height: 280, margin: { top: 14, right: 16, bottom: 46, left: 58 } } as const;

/** Rounds a coordinate for compact markup. */
const r1 = (v: number) => Math.round(v * 10) / 10;

/** The x position of σ on the curve (for the live marker). */
export function sigmaX(sigma: number): number {
  const { width, margin } = CURVE;
  return r1(margin.left + Math.min(1, Math.max(0, sigma)) * (width - margin.left - margin.right));
}

/**
 * SVG markup of the curve: each model's mean test BCE (against the clean digits) over σ, with a
 * vertical marker at `marker` (the live widget moves it; `data-role="sigma-marker"`).
 */
export function renderDenoiseCurve(curve: DenoiseCurve, marker = 0.5, idPrefix = 'zoo-dn'): string {
  const { width, height, margin } = CURVE;
  const bottom = height - margin.bottom;
  const all = curve.models.flatMap((m) => m.bce);
  const y = scaleLinear()
    .domain([Math.min(...all) * 0.95, Math.max(...all) * 1.03])
    .range([bottom, margin.top])
    .nice(6);
  const x = (s: number) => sigmaX(s);
  const desc = curve.models
    .map((m) => `${DENOISE_NAMES[m.kind]} (${m.id}): ${m.bce.map((v, i) => `σ ${curve.sigmas[i]!.toFixed(1)} → ${v.toFixed(1)}`).join(', ')}`)
    .join('; ');
  const out: string[] = [
    `<svg class="zoo-svg zoo-dn-curve" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${idPrefix}-t ${idPrefix}-d">`,
    `<title id="${idPrefix}-t">Mean test BCE against the clean digits, nats per image, as the noise σ grows from 0 to 1, for the ${curve.models.map((m) => DENOISE_NAMES[m.kind]).join(', ')} (${curve.count.toLocaleString('en-US')} test digits)</title>`,
    `<desc id="${idPrefix}-d">${escapeXml(desc)}.</desc>`,
    '<g class="zoo-grid" aria-hidden="true">',
  ];
  const ticks = y.ticks(6);
  for (const t of ticks) out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${r1(y(t))}" y2="${r1(y(t))}"/>`);
  out.push('</g><g class="zoo-axis" aria-hidden="true">');
  out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${bottom}" y2="${bottom}"/>`);
  out.push(`<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${bottom}"/>`);
  for (let k = 0; k <= 10; k += 2) {
    const s = k / 10;
    out.push(`<line x1="${x(s)}" x2="${x(s)}" y1="${bottom}" y2="${bottom + 5}"/>`, `<text x="${x(s)}" y="${bottom + 18}" text-anchor="middle">${s.toFixed(1)}</text>`);
  }
  for (const t of ticks) {
    out.push(`<line x1="${margin.left - 5}" x2="${margin.left}" y1="${r1(y(t))}" y2="${r1(y(t))}"/>`, `<text x="${margin.left - 8}" y="${r1(y(t)) + 4}" text-anchor="end">${t}</text>`);
  }
  out.push(`<text class="zoo-label" x="${(margin.left + width - margin.right) / 2}" y="${height - 8}" text-anchor="middle">noise σ</text>`);
  out.push(`<text class="zoo-label" transform="translate(14 ${(margin.top + bottom) / 2}) rotate(-90)" text-anchor="middle">mean BCE, nats</text>`);
  out.push('</g>');
  out.push(`<line class="zoo-dn-marker" data-role="sigma-marker" aria-hidden="true" x1="${x(marker)}" x2="${x(marker)}" y1="${margin.top}" y2="${bottom}"/>`);
  out.push('<g class="zoo-dn-series" aria-hidden="true">');
  for (const m of curve.models) {
    const colour = DENOISE_COLORS[m.kind];
    const d = m.bce.map((v, i) => `${i ? 'L' : 'M'}${x(curve.sigmas[i]!)},${r1(y(v))}`).join('');
    out.push(`<g data-model="${escapeXml(m.id)}" data-kind="${m.kind}"><path d="${d}" stroke="${colour}"/>`);
    for (let i = 0; i < m.bce.length; i++) out.push(`<circle cx="${x(curve.sigmas[i]!)}" cy="${r1(y(m.bce[i]!))}" r="2.5" fill="${colour}"/>`);
    out.push('</g>');
  }
  out.push('</g></svg>');
  return out.join('');
}
