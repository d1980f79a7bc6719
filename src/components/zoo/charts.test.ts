import { describe, expect, it } from 'vitest';
import { klScale, layoutRateDistortion, pointLabel, renderKlBars, renderRateDistortion, RD } from './charts.ts';
import { klBars, type RatePoint } from './data.ts';

const pts: RatePoint[] = [
  { id: 'ae', title: 'Autoencoder', beta: 0, bce: 150, kl: 0, reference: true },
  { id: 'beta-0.5', title: 'β-VAE', beta: 0.5, bce: 148, kl: 8, reference: false },
  { id: 'vae', title: 'VAE', beta: 1, bce: 153, kl: 5.7, reference: false },
  { id: 'beta-4', title: 'β-VAE', beta: 4, bce: 170, kl: 2.5, reference: false },
];

describe('rate–distortion plot', () => {
  const L = layoutRateDistortion(pts);
  it('puts more KL further right and more BCE higher up, inside the plot', () => {
    const at = (id: string) => L.points.find((p) => p.id === id)!;
    expect(at('beta-0.5').x).toBeGreaterThan(at('vae').x);
    expect(at('vae').x).toBeGreaterThan(at('beta-4').x);
    expect(at('ae').x).toBeCloseTo(RD.margin.left, 5); // KL = 0 sits on the BCE axis
    expect(at('beta-4').y).toBeLessThan(at('vae').y); // SVG y grows downwards
    for (const p of L.points) {
      expect(p.x).toBeGreaterThanOrEqual(RD.margin.left);
      expect(p.x).toBeLessThanOrEqual(RD.width - RD.margin.right);
      expect(p.y).toBeGreaterThanOrEqual(RD.margin.top);
      expect(p.y).toBeLessThanOrEqual(RD.height - RD.margin.bottom);
    }
  });
  it('draws the β curve through the VAEs only, in β order', () => {
    expect(L.curve.match(/[ML]/g)).toHaveLength(3);
  });
  it('renders accessible markup that rings the current model and lists every point', () => {
    const svg = renderRateDistortion(pts, 'vae');
    expect(svg).toContain('role="img"');
    expect(svg).toContain('<g data-model="vae" class="is-current">');
    expect(svg.match(/class="is-current"/g)).toHaveLength(1);
    expect(svg).toContain('β = 4: KL 2.50, BCE 170.00 nats');
    expect(svg).toContain('AE (no KL)');
    expect(pointLabel(pts[1]!)).toBe('β = 0.5');
  });
});

describe('KL bar chart', () => {
  const bars = klBars([2.5, 0.0002, 0.5, 0.03, 0]);
  it('uses a log axis that keeps the threshold inside the plot and the collapsed dims at the floor', () => {
    const y = klScale(bars);
    expect(y(0.01)).toBeLessThan(y(0.0002));
    expect(y(2.5)).toBeLessThan(y(0.01));
    expect(y(0)).toBe(y(1e-4)); // clamped
  });
  it('draws one bar per dimension, the inactive ones flagged, with a description', () => {
    const svg = renderKlBars(bars, 'vae-10', 'kl-t');
    expect(svg.match(/<rect /g)).toHaveLength(5);
    expect(svg.match(/is-inactive/g)).toHaveLength(2);
    expect(svg).toContain('3 of 5 dimensions carry more than 0.01 nats');
    expect(svg).toContain('class="zoo-threshold"');
  });
});
