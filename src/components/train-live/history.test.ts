import { describe, expect, it } from 'vitest';
import { layoutPanel, renderPanelSvg } from '../loss-curves/chart.ts';
import { LossHistory, livePanels } from './history.ts';

const pt = (step: number, bce: number, kl = 0, beta = 1) => ({ step, bce, kl, total: bce + beta * kl });

describe('LossHistory', () => {
  it('keeps every step until the cap, then merges pairs and doubles the bucket width', () => {
    const h = new LossHistory(4);
    for (let s = 1; s <= 4; s++) h.add(pt(s, s * 10));
    expect(h.points.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    h.add(pt(5, 50)); // 5 points > 4 → pairs (1,2), (3,4) merge; 5 stays
    expect(h.width).toBe(2);
    expect(h.points).toEqual([pt(2, 15), pt(4, 35), pt(5, 50)]);
    h.add(pt(6, 60)); // an open bucket of width 2 needs two steps
    expect(h.points.length).toBe(3);
    h.add(pt(7, 70));
    expect(h.points[3]).toEqual(pt(7, 65));
    expect(h.last).toEqual(pt(7, 70));
  });

  it('averages all three terms; keeps held-out evaluations apart; clears on reset', () => {
    const h = new LossHistory(2);
    h.add(pt(1, 100, 4, 2));
    h.add(pt(2, 80, 2, 2));
    h.add(pt(3, 60, 0, 2)); // merge → (1, 2) averaged
    expect(h.points[0]).toEqual({ step: 2, bce: 90, kl: 3, total: 96 });
    h.addHeldOut(pt(3, 70, 1));
    expect(h.heldOut).toHaveLength(1);
    h.clear();
    expect(h.points).toEqual([]);
    expect(h.heldOut).toEqual([]);
    expect(h.width).toBe(1);
    expect(h.last).toBeUndefined();
  });

  it('bounds the number of points for a long run', () => {
    const h = new LossHistory();
    for (let s = 1; s <= 100_000; s++) h.add(pt(s, 100));
    expect(h.points.length).toBeLessThanOrEqual(h.maxPoints);
    expect(h.points.length).toBeGreaterThan(h.maxPoints / 4);
  });
});

describe('livePanels', () => {
  it('AE: one BCE panel; VAE: objective + BCE, and KL on its own zero-based axis, plotted by step', () => {
    const h = new LossHistory();
    for (let s = 1; s <= 10; s++) h.add(pt(s, 200 - s, 3, 4));
    h.addHeldOut(pt(10, 195, 3, 4));
    const ae = livePanels(h, 'ae', 0);
    expect(ae.map((p) => p.id)).toEqual(['live-bce']);
    const vae = livePanels(h, 'vae', 4);
    expect(vae.map((p) => p.id)).toEqual(['live-total', 'live-kl']);
    expect(vae[0]!.title).toContain('β·KL');
    expect(livePanels(h, 'vae', 1)[0]!.title).toContain('BCE + KL');
    expect(vae[1]!.zeroBased).toBe(true);
    const total = vae[0]!.series.find((s) => s.id === 'total-train')!;
    expect(total.points[9]).toEqual({ x: 10, y: 190 + 12 });
    const svg = renderPanelSvg(vae[0]!, layoutPanel(vae[0]!), 'tl');
    expect(svg).toContain('>step</text>');
    expect(svg).toContain('at step 10');
    expect(svg).not.toContain('<circle'); // dense curves: no per-point markers
  });

  it('renders an empty history without failing', () => {
    const panels = livePanels(new LossHistory(), 'vae', 1);
    for (const p of panels) expect(renderPanelSvg(p, layoutPanel(p), 'tl')).toContain('<svg');
  });
});
