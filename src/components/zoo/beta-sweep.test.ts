import { describe, expect, it } from 'vitest';
import { mapSource, parseSteps, readout } from './beta-sweep.ts';

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
    const manifest = { version: 1, files: { 'vae/compact/latent.bin': { sha256: 'x', bytes: 1 } } };
    expect(mapSource('vae', manifest)).toBe('vae/compact/latent.bin');
    expect(mapSource('beta-2', manifest)).toBe('beta-2/embeddings.json');
  });
});
