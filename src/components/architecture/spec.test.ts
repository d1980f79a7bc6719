import { describe, expect, it } from 'vitest';
import { architecture, barHeight, countModelJsonParams, layerParams, layoutDiagram, totalParams } from './spec.ts';

describe('architectures', () => {
  it('counts the AE parameters (784→128→2→128→784)', () => {
    const ae = architecture('ae');
    expect(ae.map((l) => l.units)).toEqual([784, 128, 2, 128, 784]);
    expect(ae.map(layerParams)).toEqual([0, 100480, 258, 384, 101136]);
    expect(totalParams(ae)).toBe(202258);
  });

  it('counts the VAE parameters: two heads and a parameter-free sampling step', () => {
    const vae = architecture('vae');
    expect(vae.map((l) => l.id)).toEqual(['vae-input', 'vae-enc', 'vae-mu', 'vae-logvar', 'vae-z', 'vae-dec', 'vae-out']);
    expect(layerParams(vae.find((l) => l.id === 'vae-z')!)).toBe(0);
    expect(totalParams(vae)).toBe(202258 + 258);
  });

  it('names activations', () => {
    const ae = architecture('ae');
    expect(ae.map((l) => l.activation)).toEqual(['none', 'ReLU', 'linear', 'ReLU', 'sigmoid']);
  });

  it('reads parameter counts from a TF.js weights manifest', () => {
    const json = {
      weightsManifest: [{ paths: ['a.bin'], weights: [{ name: 'k', shape: [784, 128] }, { name: 'b', shape: [128] }] }],
    };
    expect(countModelJsonParams(json)).toBe(100480);
    expect(countModelJsonParams({})).toBeUndefined();
    expect(countModelJsonParams({ weightsManifest: [{ weights: [{ shape: [-1] }] }] })).toBeUndefined();
  });

  it('lays out bars left to right, taller for wider layers, heads stacked', () => {
    expect(barHeight(784)).toBeGreaterThan(barHeight(128));
    expect(barHeight(128)).toBeGreaterThan(barHeight(2));
    const layout = layoutDiagram(architecture('vae'));
    const x = (id: string) => layout.nodes.find((n) => n.layer.id === id)!.x;
    expect(x('vae-input')).toBeLessThan(x('vae-enc'));
    expect(x('vae-mu')).toBe(x('vae-logvar'));
    expect(x('vae-z')).toBeGreaterThan(x('vae-mu'));
    expect(layout.links.map((l) => `${l.from}>${l.to}`)).toContain('vae-logvar>vae-z');
    for (const n of layout.nodes) {
      expect(n.x + n.width).toBeLessThanOrEqual(layout.width);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height);
    }
  });
});
