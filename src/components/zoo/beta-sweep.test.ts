import { describe, expect, it } from 'vitest';
import { firstOfEachClass, manifoldRange, mapSource, parseSteps, rangeText, readout, reconSummary } from './beta-sweep.ts';
import { explorerRange } from '../latent-explorer/explorer.ts';

describe('β sweep (browser logic)', () => {
  it('reads the steps the server rendered, with a clear error otherwise', () => {
    const steps = parseSteps(JSON.stringify([{ id: 'beta-2', beta: 2, title: 'β-VAE, β = 2', bce: 152.7, kl: 4.7 }]));
    expect(steps[0]!.id).toBe('beta-2');
    expect(readout(steps[0]!)).toBe('β = 2 (beta-2): BCE 152.70, KL 4.70 nats');
    expect(readout({ id: 'beta-8', beta: 8, title: '' })).toBe('β = 8 (beta-8): BCE —, KL — nats');
    expect(() => parseSteps(undefined)).toThrow(/not JSON/);
    expect(() => parseSteps('[]')).toThrow(/lists no models/);
    expect(() => parseSteps('[{"beta": 1}]')).toThrow(/step 0 has no model id/);
  });
  it('reads the compact latent map when the manifest lists it, else embeddings.json', () => {
    const manifest = { version: 1 as const, files: { 'vae/compact/latent.bin': { sha256: 'x', bytes: 1 } } };
    expect(mapSource('vae', manifest)).toBe('vae/compact/latent.bin');
    expect(mapSource('beta-2', manifest)).toBe('beta-2/embeddings.json');
  });
  it('picks the first test digit of each class, in class order', () => {
    expect(firstOfEachClass([7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5, 9, 7, 3, 4, 8])).toEqual([3, 2, 1, 18, 4, 8, 11, 0, 20, 7]);
    // A class that never occurs is left out rather than invented.
    expect(firstOfEachClass([1, 1, 0])).toEqual([2, 0]);
    expect(firstOfEachClass([])).toEqual([]);
  });
  it('covers each model with the latent explorer’s own range, and words it', () => {
    const latent = Float32Array.from({ length: 400 }, (_, i) => (i % 2 ? 0.5 : -2) + Math.sin(i) * 3);
    expect(manifoldRange(latent)).toEqual(explorerRange(latent));
    expect(rangeText({ xMin: -3.1, xMax: 2.95, yMin: -1, yMax: 5 })).toBe('μ₁ and μ₂ over (−3.10, −1.00) to (2.95, 5.00)');
  });
  it('summarises a model’s reconstructions with their mean and worst BCE', () => {
    expect(reconSummary('beta-8', [100, 200, 150], [0, 1, 2])).toMatch(/^beta-8 reconstructs .* mean BCE of 150\.0 nats \(worst: the 1, 200\.0 nats\)\.$/);
    expect(reconSummary('vae', [], [])).toBe('');
  });
});
