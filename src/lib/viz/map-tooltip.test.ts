import { describe, expect, it } from 'vitest';
import { atlasTile, codeQualityLine, pointTooltip, qualityLine } from './map-tooltip.ts';

describe('tooltip', () => {
  it('locates test images in the atlas (column i % 100, row ⌊i / 100⌋)', () => {
    expect(atlasTile(0)).toEqual({ sx: 0, sy: 0, size: 28 });
    expect(atlasTile(99)).toEqual({ sx: 99 * 28, sy: 0, size: 28 });
    expect(atlasTile(100)).toEqual({ sx: 0, sy: 28, size: 28 });
    expect(atlasTile(9999)).toEqual({ sx: 99 * 28, sy: 99 * 28, size: 28 });
  });
  it('names the digit, the test image and its coordinates', () => {
    const t = pointTooltip('vae', 'latent', 1234, 7, -1.2345, 0.5);
    expect(t.title).toBe('Digit 7');
    expect(t.detail).toBe('Test image #1234 · μ = (−1.23, 0.50)');
    expect(t.alt).toContain('handwritten 7');
    expect(pointTooltip('ae', 'latent', 1, 2, 0, 0).detail).toContain('z = ');
    expect(pointTooltip('ae', 'tsne', 1, 2, 12.34, 0).detail).toContain('t-SNE = (12.3, 0.00)');
    // A zoo model names its code's symbol (a β-VAE's map shows μ).
    expect(pointTooltip('beta-2', 'latent', 1, 2, 0, 0, 'μ').detail).toContain('μ = ');
  });
  it('summarises quality, with dashes for missing figures', () => {
    expect(qualityLine({ trustworthiness: 0.9341, knnAccuracy: 0.7123 })).toBe('trustworthiness@10 0.934 · 10-NN accuracy 71.2%');
    expect(qualityLine(undefined)).toBe('trustworthiness@10 — · 10-NN accuracy —');
    expect(codeQualityLine({ trustworthiness: 0.9341, knnAccuracy: 0.7123, trustworthinessLatent: 0.9912 }, 10)).toBe(
      'trustworthiness@10 vs the 10-D code 0.991 · vs the pixels 0.934 · 10-NN accuracy 71.2%',
    );
  });
});
