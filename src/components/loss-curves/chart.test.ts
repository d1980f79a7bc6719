import { describe, expect, it } from 'vitest';
import { aeNote, buildPanels, compareNote, klNote, layoutPanel, vaeNote, nearestEpoch, PANEL, renderLegend, renderPanelSvg, renderTable, tooltipLines } from './chart.ts';
import { parseMetrics, type Metrics } from './metrics.ts';

/** Synthetic metrics: losses decay from `start` with a KL term for the VAE. */
function metrics(model: 'ae' | 'vae', start: number, kl: number, n = 10): Metrics {
  const epochs = Array.from({ length: n }, (_, i) => {
    const bce = start * (0.8 + 0.2 / (i + 1));
    return { epoch: i + 1, train: { loss: bce + kl, bce, kl }, test: { loss: bce + kl - 1, bce: bce - 1, kl } };
  });
  return parseMetrics({ model, epochs }, model);
}

const ae = metrics('ae', 180, 0);
const vae = metrics('vae', 190, 6);

describe('loss-curve panels', () => {
  const panels = buildPanels(ae, vae);

  it('has the AE, VAE terms, KL and comparison panels with train solid and test dashed', () => {
    expect(panels.map((p) => p.id)).toEqual(['ae', 'vae', 'vae-kl', 'compare']);
    const aePanel = panels[0]!;
    expect(aePanel.series.map((s) => [s.id, s.dashed])).toEqual([
      ['ae-train', false],
      ['ae-test', true],
    ]);
    expect(panels[1]!.series.map((s) => s.id)).toContain('vae-bce-test');
    expect(panels[2]!.series[0]!.points[0]!.y).toBe(6);
  });

  it('maps every point inside the plotting area, epochs left to right and larger losses higher', () => {
    for (const panel of panels) {
      const l = layoutPanel(panel);
      const { width, height, margin } = PANEL;
      for (const s of panel.series) {
        for (const p of s.points) {
          expect(l.x(p.x)).toBeGreaterThanOrEqual(margin.left - 1e-9);
          expect(l.x(p.x)).toBeLessThanOrEqual(width - margin.right + 1e-9);
          expect(l.y(p.y)).toBeGreaterThanOrEqual(margin.top - 1e-9);
          expect(l.y(p.y)).toBeLessThanOrEqual(height - margin.bottom + 1e-9);
        }
      }
      expect(l.x(2)).toBeGreaterThan(l.x(1));
      expect(l.y(200)).toBeLessThan(l.y(100));
      expect(l.xTicks.every((t) => Number.isInteger(t.value))).toBe(true);
      expect(l.yTicks.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('starts the KL axis at zero', () => {
    const kl = layoutPanel(panels[2]!);
    expect(kl.y.domain()[0]).toBe(0);
  });

  it('renders accessible SVG with axis units, one path per series and escaped text', () => {
    const panel = { ...panels[0]!, title: 'A <b> & "c"' };
    const svg = renderPanelSvg(panel, layoutPanel(panel));
    expect(svg).toContain('role="img"');
    expect(svg).toContain('nats per image');
    expect(svg).toContain('>epoch<');
    expect(svg).toContain('A &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toMatch(/<desc [^>]*>AE train from .* nats at epoch 1 to .* nats at epoch 10;/);
  });

  it('renders a legend naming every series', () => {
    const html = renderLegend(panels[1]!);
    expect(html.match(/<li>/g)).toHaveLength(4);
    expect(html).toContain('VAE BCE, test');
  });

  it('formats tooltips per epoch in nats', () => {
    const t = tooltipLines(panels[1]!, 1);
    expect(t.heading).toBe('Epoch 1');
    expect(t.lines.map((l) => l.label)).toEqual(['VAE total, train', 'VAE total, test', 'VAE BCE, train', 'VAE BCE, test']);
    expect(t.lines[0]!.value).toBe(`${(190 + 6).toFixed(1)} nats`);
    expect(tooltipLines(panels[1]!, 99).lines).toEqual([]);
  });

  it('snaps positions to the nearest epoch', () => {
    const l = layoutPanel(panels[0]!);
    expect(nearestEpoch(l, l.x(3.4))).toBe(3);
    expect(nearestEpoch(l, l.x(3.6))).toBe(4);
    expect(nearestEpoch(l, -1000)).toBe(1);
    expect(nearestEpoch(l, 1e6)).toBe(10);
  });

  it('tabulates every epoch of both models', () => {
    const html = renderTable(ae, metrics('vae', 190, 6, 12));
    expect(html.match(/<tr><th scope="row">/g)).toHaveLength(12);
    expect(html).toContain('<td>—</td>');
  });
});

describe('panel block', () => {
  it('wraps title, plot, tooltip slot, legend and note', async () => {
    const { renderPanelBlock } = await import('./chart.ts');
    const html = renderPanelBlock(buildPanels(ae, vae)[3]!);
    expect(html).toContain('data-panel="compare"');
    expect(html).toContain('class="lc-tip"');
    expect(html).toContain('class="lc-legend"');
  });
});

describe('panel notes quote the numbers', () => {
  it('says whether AE train and test stay close', () => {
    const n = ae.epochs.length;
    const last = ae.epochs[n - 1]!;
    expect(aeNote(ae)).toBe(`Epoch ${n}: train ${last.train.loss.toFixed(1)} nats, test ${last.test.loss.toFixed(1)} nats; train and test stay within 2% — no sign of overfitting.`);
    const over = parseMetrics({ model: 'ae', epochs: [{ epoch: 1, train: { loss: 100, bce: 100, kl: 0 }, test: { loss: 120, bce: 120, kl: 0 } }] }, 'ae');
    expect(aeNote(over)).toContain('test is 20.0 nats above train');
  });
  it('splits the VAE test loss and follows the KL', () => {
    expect(vaeNote(vae)).toMatch(/^Epoch 10, test: total .* = BCE .* \+ KL 6\.00 nats\./);
    expect(klNote(vae)).toContain('test 6.00 nats after epoch 1, 6.00 nats after epoch 10');
  });
  it('compares final test BCE in the right direction', () => {
    expect(compareNote(ae, vae)).toContain('the VAE reconstructs worse by');
    expect(compareNote(vae, ae)).toContain('the VAE reconstructs better by');
  });
});
