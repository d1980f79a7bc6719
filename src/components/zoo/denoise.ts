/**
 * The denoising experiment's figure (issue 12): the baked curve (`src/contracts/denoise-curve.ts`)
 * read at σ and drawn as build-time SVG, its colours and names. No TF.js, no DOM: Node and browsers.
 */
import { scaleLinear } from 'd3';
import { escapeXml } from '../../lib/viz/format.ts';
import type { DenoiseCurve, DenoiseKind, DenoiseSeries } from '../../contracts/denoise-curve.ts';

/** The widget's seeds start at the curve's (re-exported for `Denoise.astro`'s script). */
export { DENOISE_SEED, type DenoiseKind } from '../../contracts/denoise-curve.ts';

/** Series colours of the three models (AE and VAE as everywhere on the site; DAE green from the digit palette's family). */
export const DENOISE_COLORS: Record<DenoiseKind, string> = { ae: '#0077BB', dae: '#228833', vae: '#EE7733' };
/** Short reader-facing names. */
export const DENOISE_NAMES: Record<DenoiseKind, string> = { ae: 'AE', dae: 'DAE', vae: 'VAE' };

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
