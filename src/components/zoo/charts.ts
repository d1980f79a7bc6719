/**
 * The zoo's small charts as SVG markup, laid out with d3 scales and rendered to strings at build
 * time (they read without JavaScript; colours of text and axes come from the theme's CSS
 * variables in zoo.css, so dark mode works): the β sweep's rate–distortion plot and the KL of
 * each latent dimension.
 */
import { scaleBand, scaleLinear, scaleLog } from 'd3';
import { escapeXml } from '../../lib/viz/format.ts';
import { MODEL_COLORS } from '../../lib/viz/palette.ts';
import { ACTIVE_KL_THRESHOLD } from '../../contracts/zoo.ts';
import type { KlBar, RatePoint } from './data.ts';

/** Rounds a coordinate for compact markup. */
const r = (v: number) => Math.round(v * 10) / 10;
/** A number for a label: two decimals, typographic minus. */
const n2 = (v: number) => v.toFixed(2).replace(/^-/, '\u2212');

/** Size of the rate–distortion plot in SVG user units. */
export const RD = { width: 400, height: 360, margin: { top: 16, right: 20, bottom: 50, left: 56 } } as const;

/** Where each point of the rate–distortion plot goes. */
export interface RdLayout {
  points: (RatePoint & { x: number; y: number })[];
  xTicks: { pos: number; label: string }[];
  yTicks: { pos: number; label: string }[];
  /** The β curve through the VAEs (not the AE reference), as an SVG path. */
  curve: string;
}

/** Scales and positions for the rate–distortion plot: KL (rate) across, BCE (distortion) up. */
export function layoutRateDistortion(points: readonly RatePoint[]): RdLayout {
  const { width, height, margin } = RD;
  const kls = points.map((p) => p.kl);
  const bces = points.map((p) => p.bce);
  const x = scaleLinear()
    .domain([0, Math.max(1, ...kls) * 1.08])
    .range([margin.left, width - margin.right])
    .nice(6);
  const lo = Math.min(...bces);
  const hi = Math.max(...bces);
  const pad = Math.max(1, (hi - lo) * 0.1);
  const y = scaleLinear()
    .domain(points.length ? [lo - pad, hi + pad] : [0, 1])
    .range([height - margin.bottom, margin.top])
    .nice(6);
  const placed = points.map((p) => ({ ...p, x: x(p.kl), y: y(p.bce) }));
  const sweep = placed.filter((p) => !p.reference);
  return {
    points: placed,
    xTicks: x.ticks(6).map((v) => ({ pos: x(v), label: String(v) })),
    yTicks: y.ticks(6).map((v) => ({ pos: y(v), label: String(v) })),
    curve: sweep.map((p, i) => `${i ? 'L' : 'M'}${r(p.x)},${r(p.y)}`).join(''),
  };
}

/** A point's label: β for the sweep, "AE" for the reference. */
export function pointLabel(p: RatePoint): string {
  return p.reference ? 'AE (no KL)' : `β = ${p.beta}`;
}

/** SVG markup of the rate–distortion plot; `current` rings one model's point. */
export function renderRateDistortion(points: readonly RatePoint[], current?: string, idPrefix = 'zoo-rd'): string {
  const { width, height, margin } = RD;
  const L = layoutRateDistortion(points);
  const bottom = height - margin.bottom;
  const desc = points.map((p) => `${pointLabel(p)}: KL ${n2(p.kl)}, BCE ${n2(p.bce)} nats`).join('; ');
  const out: string[] = [
    `<svg class="zoo-svg zoo-rd" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${idPrefix}-t ${idPrefix}-d">`,
    `<title id="${idPrefix}-t">Rate–distortion plot of the β sweep: test KL (rate) against test BCE (distortion), nats per image</title>`,
    `<desc id="${idPrefix}-d">${escapeXml(desc)}.</desc>`,
    '<g class="zoo-grid" aria-hidden="true">',
  ];
  for (const t of L.yTicks) out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${r(t.pos)}" y2="${r(t.pos)}"/>`);
  out.push('</g><g class="zoo-axis" aria-hidden="true">');
  out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${bottom}" y2="${bottom}"/>`);
  out.push(`<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${bottom}"/>`);
  for (const t of L.xTicks) {
    out.push(`<line x1="${r(t.pos)}" x2="${r(t.pos)}" y1="${bottom}" y2="${bottom + 5}"/>`);
    out.push(`<text x="${r(t.pos)}" y="${bottom + 18}" text-anchor="middle">${escapeXml(t.label)}</text>`);
  }
  for (const t of L.yTicks) {
    out.push(`<line x1="${margin.left - 5}" x2="${margin.left}" y1="${r(t.pos)}" y2="${r(t.pos)}"/>`);
    out.push(`<text x="${margin.left - 8}" y="${r(t.pos) + 4}" text-anchor="end">${escapeXml(t.label)}</text>`);
  }
  out.push(`<text class="zoo-label" x="${(margin.left + width - margin.right) / 2}" y="${height - 8}" text-anchor="middle">KL, nats (rate)</text>`);
  out.push(`<text class="zoo-label" transform="translate(14 ${(margin.top + bottom) / 2}) rotate(-90)" text-anchor="middle">BCE, nats (distortion)</text>`);
  out.push(`</g><path class="zoo-curve" d="${L.curve}" aria-hidden="true"/><g class="zoo-points" aria-hidden="true">`);
  for (const p of L.points) {
    const right = p.x < (margin.left + width - margin.right) / 2;
    out.push(
      `<g data-model="${escapeXml(p.id)}"${p.id === current ? ' class="is-current"' : ''}>`,
      `<circle class="zoo-point-ring" cx="${r(p.x)}" cy="${r(p.y)}" r="9"/>`,
      `<circle class="zoo-point${p.reference ? ' is-reference' : ''}" cx="${r(p.x)}" cy="${r(p.y)}" r="5" fill="${p.reference ? MODEL_COLORS.ae : MODEL_COLORS.vae}"/>`,
      // The AE's label goes below its dot: the sweep's low-KL end usually crowds the space above it.
      `<text x="${r(p.x + (right ? 10 : -10))}" y="${r(p.reference ? p.y + 20 : p.y - 8)}" text-anchor="${right ? 'start' : 'end'}">${escapeXml(pointLabel(p))}</text>`,
      '</g>',
    );
  }
  out.push('</g></svg>');
  return out.join('');
}

/** Size of one KL bar chart in SVG user units. */
export const BARS = { width: 420, height: 230, margin: { top: 14, right: 12, bottom: 44, left: 72 } } as const;

/** The lowest KL the bar charts show (nats); a switched-off dimension's bar stops here. */
export const KL_FLOOR = 1e-4;

/**
 * The KL axis: logarithmic, from the floor to above the largest bar, so that the threshold and the
 * switched-off dimensions (orders of magnitude below it) stay readable next to the active ones.
 */
export function klScale(bars: readonly KlBar[], threshold = ACTIVE_KL_THRESHOLD) {
  const { height, margin } = BARS;
  const top = Math.max(threshold * 10, ...bars.map((b) => b.kl)) * 1.5;
  return scaleLog().domain([KL_FLOOR, top]).range([height - margin.bottom, margin.top]).clamp(true).nice();
}

/** SVG markup of one model's KL per dimension (bars sorted by KL; the active threshold drawn). */
export function renderKlBars(bars: readonly KlBar[], title: string, idPrefix: string, threshold = ACTIVE_KL_THRESHOLD): string {
  const { width, height, margin } = BARS;
  const bottom = height - margin.bottom;
  const x = scaleBand<number>()
    .domain(bars.map((b) => b.dim))
    .range([margin.left, width - margin.right])
    .padding(0.2);
  const y = klScale(bars, threshold);
  const active = bars.filter((b) => b.active).length;
  const desc = `${active} of ${bars.length} dimensions carry more than ${threshold} nats. ${bars.map((b) => `z${b.dim}: ${b.kl.toFixed(3)}`).join(', ')}`;
  const out: string[] = [
    `<svg class="zoo-svg zoo-bars-svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${idPrefix}-t ${idPrefix}-d">`,
    `<title id="${idPrefix}-t">${escapeXml(title)}</title>`,
    `<desc id="${idPrefix}-d">${escapeXml(desc)}.</desc>`,
    '<g class="zoo-grid" aria-hidden="true">',
  ];
  const ticks = y.ticks().filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9);
  for (const t of ticks) out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${r(y(t))}" y2="${r(y(t))}"/>`);
  out.push('</g><g aria-hidden="true">');
  for (const b of bars) {
    const h = Math.max(0.5, bottom - y(b.kl));
    out.push(
      `<rect class="zoo-bar${b.active ? '' : ' is-inactive'}" data-dim="${b.dim}" data-kl="${b.kl}" x="${r(x(b.dim)!)}" y="${r(bottom - h)}" width="${r(x.bandwidth())}" height="${r(h)}"/>`,
    );
  }
  out.push('</g><g class="zoo-axis" aria-hidden="true">');
  out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${bottom}" y2="${bottom}"/>`);
  out.push(`<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${bottom}"/>`);
  for (const t of ticks) {
    out.push(`<line x1="${margin.left - 5}" x2="${margin.left}" y1="${r(y(t))}" y2="${r(y(t))}"/>`);
    out.push(`<text x="${margin.left - 8}" y="${r(y(t)) + 4}" text-anchor="end">${escapeXml(String(t))}</text>`);
  }
  const small = bars.length > 12;
  for (const b of bars) {
    out.push(`<text${small ? ' class="zoo-tick-small"' : ''} x="${r(x(b.dim)! + x.bandwidth() / 2)}" y="${bottom + 16}" text-anchor="middle">${b.dim}</text>`);
  }
  out.push(`<text class="zoo-label" x="${(margin.left + width - margin.right) / 2}" y="${height - 6}" text-anchor="middle">latent dimension, sorted by KL</text>`);
  out.push(`<text class="zoo-label" transform="translate(14 ${(margin.top + bottom) / 2}) rotate(-90)" text-anchor="middle">mean KL, nats (log scale)</text>`);
  const ty = r(y(threshold));
  out.push(`<line class="zoo-threshold" x1="${margin.left}" x2="${width - margin.right}" y1="${ty}" y2="${ty}"/>`);
  out.push(`<text class="zoo-threshold-label" x="${width - margin.right - 4}" y="${ty - 5}" text-anchor="end">active above ${threshold} nats</text>`);
  out.push('</g></svg>');
  return out.join('');
}
