import { describe, expect, it } from 'vitest';
import { comparison, progressLine, referenceText } from './results.ts';

const baked = { trustworthinessInput: 0.99912, trustworthinessPixels: 0.849, knnAccuracy: 0.6125, perplexity: 30, seed: 0, count: 10000 };
const run = { perplexity: 30, trustworthiness: 0.9987, knnAccuracy: 0.6031, kl: 0.8 };

describe('comparison', () => {
  it('compares directly for the same model and all 10,000 digits', () => {
    const c = comparison('vae', 10000, false, [run], baked);
    expect(c.rows).toEqual([
      { label: 'Your map: 10,000 digits, perplexity 30', trustworthiness: '0.999', knnAccuracy: '60.3%', own: true },
      { label: 'Baked t-SNE map of the same codes (10,000 digits, perplexity 30, seed 0)', trustworthiness: '0.999', knnAccuracy: '61.3%', own: false },
    ]);
    expect(c.note).toMatch(/^Same model .* and the same 10,000 digits: the scores compare directly\.$/);
  });

  it('says so when N differs or digits were left out', () => {
    expect(comparison('vae-20', 1000, false, [run], baked).note).toMatch(/a different N: the baked map has all 10,000 test digits, yours 1,000\./);
    expect(comparison('vae', 10000, true, [run], baked).note).toMatch(/yours 10,000 \(only the ticked digits\)/);
  });

  it('for raw pixels, only the 10-NN accuracy of the baked map (another input) compares', () => {
    const c = comparison('pixels', 1000, false, [run], baked);
    expect(c.rows[1]).toEqual({ label: 'Baked t-SNE map of the 2-D VAE codes (10,000 digits, perplexity 30, seed 0)', trustworthiness: 'n/a', knnAccuracy: '61.3%', own: false });
    expect(c.note).toMatch(/bakes no t-SNE map of the raw pixels/);
    expect(c.note).toMatch(/reduced to 50 dimensions by PCA/);
  });

  it('one row per small multiple; unscored and unbaked cases explained', () => {
    const c = comparison('vae', 1000, false, [5, 30, 100].map((p) => ({ ...run, perplexity: p })), baked);
    expect(c.rows.map((r) => r.label.replace(/.*perplexity /, ''))).toEqual(['5', '30', '100', '30, seed 0)']);
    const small = comparison('vae', 12, true, [{ ...run, trustworthiness: null, knnAccuracy: 0.5 }], undefined);
    expect(small.rows[0]!.trustworthiness).toBe('—');
    expect(small.note).toMatch(/too small to score/);
    expect(small.note).toMatch(/no baked t-SNE map to compare with/);
  });
});

describe('texts', () => {
  it('progress and reference', () => {
    expect(progressLine(250, 1000, 1.23456, 2.04)).toBe('Iteration 250 / 1,000 · KL 1.235 · 2.0 s');
    expect(progressLine(0, 1000, null, 0)).toBe('Iteration 0 / 1,000 · KL — · 0.0 s');
    expect(referenceText('pixels', 50)).toBe('its input, the pixels reduced to 50 principal components');
    expect(referenceText('vae-20', 20)).toBe('its input, the 20-D codes');
  });
});
