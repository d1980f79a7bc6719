/** Number formatting shared by the figures' labels, tooltips and tables. */

const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** An integer with thousands separators: 202258 → "202,258". */
export function formatInt(n: number): string {
  return intFormat.format(n);
}

/** A loss in nats per image, to one decimal: 150.27 → "150.3 nats". Small values keep 2 decimals. */
export function formatNats(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const digits = Math.abs(v) < 10 ? 2 : 1;
  return `${v.toFixed(digits)} nats`;
}

/** A fraction in [0, 1] as a percentage: 0.7134 → "71.3%". */
export function formatPercent(v: number | undefined, digits = 1): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(digits)}%`;
}

/** A score in [0, 1] with three decimals: 0.93412 → "0.934". */
export function formatScore(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  return v.toFixed(3);
}

/** A coordinate for text alternatives, short but signed: -1.2345 → "−1.23". */
export function formatCoord(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const s = Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  return s.replace('-', '−');
}

/** Escapes text for HTML/SVG markup built as strings. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
