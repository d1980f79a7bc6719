/**
 * The loss-curve figure as data and SVG markup: panels built from the two metrics files, laid out
 * with d3 scales, rendered to a string. The same code renders the build-time (no-JavaScript)
 * figure and the island's live one, so both always agree.
 */
import { line, scaleLinear, type ScaleLinear } from 'd3';
import { MODEL_COLORS } from '../../lib/viz/palette.ts';
import { escapeXml, formatNats } from '../../lib/viz/format.ts';
import { extentOf, padExtent } from '../../lib/viz/scales.ts';
import type { EpochRecord, Metrics } from './metrics.ts';

/** One line on a panel. */
export interface Series {
  id: string;
  label: string;
  color: string;
  /** Test curves are dashed, train curves solid. */
  dashed: boolean;
  points: { x: number; y: number }[];
}

/** One small chart. */
export interface Panel {
  id: string;
  title: string;
  /** What to look for, one sentence. */
  note: string;
  series: Series[];
  /** Start the y-axis at zero (used for the small KL term). */
  zeroBased?: boolean;
  /** What the x-axis counts (default `epoch`; the live trainer plots by `step`). */
  xLabel?: string;
  /** Draw a marker at every point (default true; off for the live trainer's dense curves). */
  marks?: boolean;
}

/** Colours of the VAE's loss terms. */
export const TERM_COLORS = { total: MODEL_COLORS.vae, bce: '#AA3377', kl: '#228833' } as const;

/** A series from the epochs of one metrics file. */
function series(id: string, label: string, color: string, epochs: EpochRecord[], pick: (e: EpochRecord) => number, dashed: boolean): Series {
  return { id, label, color, dashed, points: epochs.map((e) => ({ x: e.epoch, y: pick(e) })) };
}

/** The last epoch's record of a metrics file. */
const lastEpoch = (m: Metrics) => m.epochs[m.epochs.length - 1]!;

/** What the AE panel shows, in numbers: final train and test loss and whether they stay close. */
export function aeNote(ae: Metrics): string {
  const e = lastEpoch(ae);
  const gap = e.test.loss - e.train.loss;
  const close = Math.abs(gap) <= 0.02 * e.test.loss;
  const verdict = close
    ? 'train and test stay within 2% — no sign of overfitting.'
    : gap > 0
      ? `test is ${formatNats(gap)} above train.`
      : `test is ${formatNats(-gap)} below train.`;
  return `Epoch ${e.epoch}: train ${formatNats(e.train.loss)}, test ${formatNats(e.test.loss)}; ${verdict}`;
}

/** The VAE panel's note: the final test loss split into its terms. */
export function vaeNote(vae: Metrics): string {
  const t = lastEpoch(vae).test;
  return `Epoch ${lastEpoch(vae).epoch}, test: total ${formatNats(t.loss)} = BCE ${formatNats(t.bce)} + KL ${formatNats(t.kl)}. The gap between the two curves is the KL term.`;
}

/** The KL panel's note: where the KL term started and ended. */
export function klNote(vae: Metrics): string {
  const first = vae.epochs[0]!;
  const last = lastEpoch(vae);
  return `KL(q(z|x) ‖ N(0, I)) on its own axis: test ${formatNats(first.test.kl)} after epoch ${first.epoch}, ${formatNats(last.test.kl)} after epoch ${last.epoch}.`;
}

/** The comparison's note: final test BCE of both models, and the VAE's KL on top. */
export function compareNote(ae: Metrics, vae: Metrics): string {
  const a = lastEpoch(ae).test;
  const v = lastEpoch(vae).test;
  const d = v.bce - a.bce;
  const which = d > 0 ? `the VAE reconstructs worse by ${formatNats(d)}` : d < 0 ? `the VAE reconstructs better by ${formatNats(-d)}` : 'the same';
  return `Final test BCE: AE ${formatNats(a.bce)}, VAE ${formatNats(v.bce)} (${which}); the VAE's total adds ${formatNats(v.kl)} of KL.`;
}

/** The four panels: AE; VAE total and BCE; VAE KL; AE vs VAE on the test set. */
export function buildPanels(ae: Metrics, vae: Metrics): Panel[] {
  return [
    {
      id: 'ae',
      title: 'AE: reconstruction loss (BCE)',
      note: aeNote(ae),
      series: [
        series('ae-train', 'AE train', MODEL_COLORS.ae, ae.epochs, (e) => e.train.loss, false),
        series('ae-test', 'AE test', MODEL_COLORS.ae, ae.epochs, (e) => e.test.loss, true),
      ],
    },
    {
      id: 'vae',
      title: 'VAE: total loss = BCE + KL',
      note: vaeNote(vae),
      series: [
        series('vae-total-train', 'VAE total, train', TERM_COLORS.total, vae.epochs, (e) => e.train.loss, false),
        series('vae-total-test', 'VAE total, test', TERM_COLORS.total, vae.epochs, (e) => e.test.loss, true),
        series('vae-bce-train', 'VAE BCE, train', TERM_COLORS.bce, vae.epochs, (e) => e.train.bce, false),
        series('vae-bce-test', 'VAE BCE, test', TERM_COLORS.bce, vae.epochs, (e) => e.test.bce, true),
      ],
    },
    {
      id: 'vae-kl',
      title: 'VAE: KL divergence term',
      note: klNote(vae),
      zeroBased: true,
      series: [
        series('vae-kl-train', 'VAE KL, train', TERM_COLORS.kl, vae.epochs, (e) => e.train.kl, false),
        series('vae-kl-test', 'VAE KL, test', TERM_COLORS.kl, vae.epochs, (e) => e.test.kl, true),
      ],
    },
    {
      id: 'compare',
      title: 'AE vs VAE on the test set',
      note: compareNote(ae, vae),
      series: [
        series('cmp-ae', 'AE test loss', MODEL_COLORS.ae, ae.epochs, (e) => e.test.loss, true),
        series('cmp-vae-bce', 'VAE test BCE', TERM_COLORS.bce, vae.epochs, (e) => e.test.bce, true),
        series('cmp-vae-total', 'VAE test total', TERM_COLORS.total, vae.epochs, (e) => e.test.loss, true),
      ],
    },
  ];
}

/** Size of a panel in SVG user units, and its inner margins. */
export const PANEL = { width: 420, height: 250, margin: { top: 12, right: 16, bottom: 44, left: 58 } } as const;

/** A tick mark: value, position and label. */
export interface Tick {
  value: number;
  pos: number;
  label: string;
}

/** A panel placed in its box: scales, ticks and line paths. */
export interface PanelLayout {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  xTicks: Tick[];
  yTicks: Tick[];
  paths: { series: Series; d: string }[];
  /** The distinct epochs on the x-axis, sorted. */
  epochs: number[];
}

/** Scales, integer epoch ticks and line paths for a panel. */
export function layoutPanel(panel: Panel): PanelLayout {
  const { width, height, margin } = PANEL;
  const xs = panel.series.flatMap((s) => s.points.map((p) => p.x));
  const ys = panel.series.flatMap((s) => s.points.map((p) => p.y));
  const epochs = [...new Set(xs)].sort((a, b) => a - b);
  const xExt = extentOf(xs) ?? [0, 1];
  const x = scaleLinear()
    .domain(xExt[0] === xExt[1] ? [xExt[0] - 1, xExt[1] + 1] : xExt)
    .range([margin.left, width - margin.right]);
  const yExt = extentOf(ys) ?? [0, 1];
  const yDomain = panel.zeroBased ? [Math.min(0, yExt[0]), yExt[1] > 0 ? yExt[1] * 1.1 : 1] : padExtent(yExt, 0.08);
  const y = scaleLinear().domain(yDomain).range([height - margin.bottom, margin.top]).nice(5);
  const xTickValues = x.ticks(Math.min(8, epochs.length)).filter((t) => Number.isInteger(t));
  const yFormat = y.tickFormat(5);
  const draw = line<{ x: number; y: number }>()
    .x((p) => x(p.x))
    .y((p) => y(p.y));
  return {
    x,
    y,
    epochs,
    xTicks: xTickValues.map((v) => ({ value: v, pos: x(v), label: String(v) })),
    yTicks: y.ticks(5).map((v) => ({ value: v, pos: y(v), label: yFormat(v) })),
    paths: panel.series.map((s) => ({ series: s, d: draw(s.points) ?? '' })),
  };
}

/** Rounds a coordinate for compact markup. */
const r = (v: number) => Math.round(v * 10) / 10;

/** SVG markup of one panel: grid, axes with units, curves and per-epoch markers. */
export function renderPanelSvg(panel: Panel, layout: PanelLayout, idPrefix = 'lc'): string {
  const { width, height, margin } = PANEL;
  const bottom = height - margin.bottom;
  const xLabel = panel.xLabel ?? 'epoch';
  const titleId = `${idPrefix}-${panel.id}-t`;
  const descId = `${idPrefix}-${panel.id}-d`;
  const desc = panel.series
    .map((s) => {
      const first = s.points[0];
      const last = s.points[s.points.length - 1];
      return first && last ? `${s.label} from ${formatNats(first.y)} at ${xLabel} ${first.x} to ${formatNats(last.y)} at ${xLabel} ${last.x}` : s.label;
    })
    .join('; ');
  const parts: string[] = [];
  parts.push(
    `<svg class="lc-svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${titleId} ${descId}">`,
    `<title id="${titleId}">${escapeXml(panel.title)}</title>`,
    `<desc id="${descId}">${escapeXml(desc)}.</desc>`,
  );
  parts.push('<g class="lc-grid" aria-hidden="true">');
  for (const t of layout.yTicks) parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${r(t.pos)}" y2="${r(t.pos)}"/>`);
  parts.push('</g><g class="lc-axis" aria-hidden="true">');
  parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${bottom}" y2="${bottom}"/>`);
  parts.push(`<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${bottom}"/>`);
  for (const t of layout.xTicks) {
    parts.push(`<line x1="${r(t.pos)}" x2="${r(t.pos)}" y1="${bottom}" y2="${bottom + 5}"/>`);
    parts.push(`<text x="${r(t.pos)}" y="${bottom + 18}" text-anchor="middle">${escapeXml(t.label)}</text>`);
  }
  for (const t of layout.yTicks) {
    parts.push(`<line x1="${margin.left - 5}" x2="${margin.left}" y1="${r(t.pos)}" y2="${r(t.pos)}"/>`);
    parts.push(`<text x="${margin.left - 8}" y="${r(t.pos) + 4}" text-anchor="end">${escapeXml(t.label)}</text>`);
  }
  parts.push(`<text class="lc-label" x="${(margin.left + width - margin.right) / 2}" y="${height - 6}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  parts.push(
    `<text class="lc-label" transform="translate(14 ${(margin.top + bottom) / 2}) rotate(-90)" text-anchor="middle">nats per image</text>`,
  );
  parts.push('</g><g class="lc-lines" aria-hidden="true">');
  for (const p of layout.paths) {
    parts.push(
      `<path d="${p.d}" stroke="${p.series.color}"${p.series.dashed ? ' stroke-dasharray="6 4"' : ''} data-series="${escapeXml(p.series.id)}"/>`,
    );
  }
  parts.push('</g><g class="lc-marks" aria-hidden="true">');
  for (const p of panel.marks === false ? [] : layout.paths) {
    for (const pt of p.series.points) {
      parts.push(
        `<circle cx="${r(layout.x(pt.x))}" cy="${r(layout.y(pt.y))}" r="${p.series.dashed ? 2.5 : 2}" fill="${p.series.color}" data-epoch="${pt.x}"/>`,
      );
    }
  }
  parts.push(`</g><line class="lc-cursor" x1="0" x2="0" y1="${margin.top}" y2="${bottom}" visibility="hidden" aria-hidden="true"/>`);
  parts.push('</svg>');
  return parts.join('');
}

/** The HTML legend of a panel: colour swatch, solid/dashed line and name per series. */
export function renderLegend(panel: Panel): string {
  const items = panel.series.map(
    (s) =>
      `<li><svg width="28" height="10" aria-hidden="true"><line x1="1" x2="27" y1="5" y2="5" stroke="${s.color}" stroke-width="2.5"${
        s.dashed ? ' stroke-dasharray="6 4"' : ''
      }/></svg>${escapeXml(s.label)}</li>`,
  );
  return `<ul class="lc-legend">${items.join('')}</ul>`;
}

/** Tooltip content for an epoch: a heading and one "label: value" line per series. */
export function tooltipLines(panel: Panel, epoch: number): { heading: string; lines: { label: string; value: string; color: string; dashed: boolean }[] } {
  const lines = panel.series.flatMap((s) => {
    const p = s.points.find((q) => q.x === epoch);
    return p ? [{ label: s.label, value: formatNats(p.y), color: s.color, dashed: s.dashed }] : [];
  });
  return { heading: `Epoch ${epoch}`, lines };
}

/** The epoch on the x-axis nearest an x position in SVG user units. */
export function nearestEpoch(layout: PanelLayout, svgX: number): number | undefined {
  if (layout.epochs.length === 0) return undefined;
  const target = layout.x.invert(svgX);
  let best = layout.epochs[0]!;
  for (const e of layout.epochs) if (Math.abs(e - target) < Math.abs(best - target)) best = e;
  return best;
}

/** A table of every epoch's losses for both models: the figure's text alternative. */
export function renderTable(ae: Metrics, vae: Metrics): string {
  const epochs = [...new Set([...ae.epochs, ...vae.epochs].map((e) => e.epoch))].sort((a, b) => a - b);
  const cell = (m: Metrics, e: number, pick: (r: EpochRecord) => number) => {
    const rec = m.epochs.find((x) => x.epoch === e);
    return `<td>${rec ? pick(rec).toFixed(2) : '—'}</td>`;
  };
  const head =
    '<tr><th scope="col">Epoch</th><th scope="col">AE train</th><th scope="col">AE test</th><th scope="col">VAE train total</th><th scope="col">VAE test total</th><th scope="col">VAE test BCE</th><th scope="col">VAE test KL</th></tr>';
  const rows = epochs.map(
    (e) =>
      `<tr><th scope="row">${e}</th>${cell(ae, e, (x) => x.train.loss)}${cell(ae, e, (x) => x.test.loss)}${cell(vae, e, (x) => x.train.loss)}${cell(
        vae,
        e,
        (x) => x.test.loss,
      )}${cell(vae, e, (x) => x.test.bce)}${cell(vae, e, (x) => x.test.kl)}</tr>`,
  );
  return `<table class="lc-table"><caption>Mean loss per image in nats, by epoch (train: averaged over the epoch; test: whole test set after it).</caption><thead>${head}</thead><tbody>${rows.join(
    '',
  )}</tbody></table>`;
}

/** The HTML of one panel block (title, plot, legend, note); used at build time and by the island. */
export function renderPanelBlock(panel: Panel, idPrefix = 'lc'): string {
  const layout = layoutPanel(panel);
  return `<div class="lc-panel" data-panel="${escapeXml(panel.id)}"><p class="lc-title">${escapeXml(panel.title)}</p><div class="lc-plot">${renderPanelSvg(
    panel,
    layout,
    idPrefix,
  )}<div class="lc-tip" aria-live="polite" hidden></div></div>${renderLegend(panel)}<p class="lc-note">${escapeXml(panel.note)}</p></div>`;
}
