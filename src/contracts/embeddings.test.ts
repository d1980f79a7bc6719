import { describe, expect, it } from 'vitest';
import { EmbeddingsError, parseEmbeddings, parsePoints } from './embeddings.ts';

const base = () => ({
  model: 'ae',
  count: 3,
  labels: [7, 2, 1],
  latent: [0, 1, 2, 3, 4, 5],
  tsne: [[1, 1], [2, 2], [3, 3]],
  umap: [{ x: 1, y: -1 }, { x: 2, y: -2 }, { x: 3, y: -3 }],
  metrics: { latent: { trustworthiness: 0.93, knnAccuracy: 0.71 }, tsne: { trustworthiness: 0.99, knnAccuracy: 0.9, trustworthinessLatent: 0.999 } },
  params: { input: 'the 2-D latent codes', tsne: { perplexity: 30 } },
});

describe('parsePoints', () => {
  it('reads flat, nested-array and object points into interleaved floats', () => {
    expect(Array.from(parsePoints([1, 2, 3, 4], 2, 'p'))).toEqual([1, 2, 3, 4]);
    expect(Array.from(parsePoints([[1, 2], [3, 4]], 2, 'p'))).toEqual([1, 2, 3, 4]);
    expect(Array.from(parsePoints([{ x: 1, y: 2 }, { x: 3, y: 4 }], 2, 'p'))).toEqual([1, 2, 3, 4]);
  });
  it('rejects wrong lengths and non-finite values', () => {
    expect(() => parsePoints([1, 2, 3], 2, 'p')).toThrow(/3 numbers; expected 4/);
    expect(() => parsePoints([[1, 2]], 2, 'p')).toThrow(/1 points; expected 2/);
    expect(() => parsePoints([1, Number.NaN, 3, 4], 2, 'p')).toThrow(/p\[1\]/);
    expect(() => parsePoints([[1, 2, 3], [1, 2, 3]], 2, 'p')).toThrow(/p\[0\] is not a finite 2-D point/);
    expect(() => parsePoints([{ x: 1 }, { x: 1, y: 2 }], 2, 'p')).toThrow(EmbeddingsError);
    expect(() => parsePoints('nope', 2, 'p')).toThrow(/not a list/);
  });
});

describe('parseEmbeddings', () => {
  it('accepts the documented schema with mixed point layouts', () => {
    const e = parseEmbeddings(base(), 'ae');
    expect(e.count).toBe(3);
    expect(Array.from(e.labels)).toEqual([7, 2, 1]);
    expect(Array.from(e.coords.tsne!)).toEqual([1, 1, 2, 2, 3, 3]);
    expect(Array.from(e.coords.umap!)).toEqual([1, -1, 2, -2, 3, -3]);
    expect(e.coords.pca).toBeUndefined();
    expect(e.quality.latent).toEqual({ trustworthiness: 0.93, knnAccuracy: 0.71 });
    expect(e.params.tsne).toEqual({ perplexity: 30 });
    expect(e.quality.tsne?.trustworthinessLatent).toBe(0.999);
    expect(e.input).toBe('the 2-D latent codes');
  });

  it.each([
    ['not an object', 'x', /not a JSON object/],
    ['wrong model', { ...base(), model: 'gan' }, /"model"/],
    ['bad label', { ...base(), labels: [7, 12, 1] }, /labels\[1\] is not a digit/],
    ['count mismatch', { ...base(), count: 4 }, /"count" is 4 but there are 3 labels/],
    ['no latent', { ...base(), latent: undefined }, /"latent".*missing/],
    ['short projection', { ...base(), tsne: [1, 2] }, /"tsne" has 2 numbers/],
    ['metric out of range', { ...base(), metrics: { latent: { trustworthiness: 1.5 } } }, /metrics\.latent\.trustworthiness/],
  ])('rejects %s', (_n, raw, message) => {
    expect(() => parseEmbeddings(raw, 'ae')).toThrow(message);
  });

  it('rejects the other model’s file', () => {
    expect(() => parseEmbeddings(base(), 'vae')).toThrow(/describes the AE, not the VAE/);
  });

  it('reads a zoo file with a d-D code: the codes are checked, the 2-D maps and all quality figures kept', () => {
    const raw = { ...base(), model: 'ae-10', latentDim: 3, latent: [0, 1, 2, 3, 4, 5, 6, 7, 8] };
    const e = parseEmbeddings(raw, 'ae-10');
    expect(e.latentDim).toBe(3);
    expect(e.coords.latent).toBeUndefined();
    expect(Array.from(e.coords.tsne!)).toEqual([1, 1, 2, 2, 3, 3]);
    expect(e.quality.latent).toEqual({ trustworthiness: 0.93, knnAccuracy: 0.71 });
    expect(parseEmbeddings(base()).latentDim).toBeUndefined();
    expect(() => parseEmbeddings({ ...raw, latent: [0, 1, 2] })).toThrow(/must hold 9 finite numbers/);
    expect(() => parseEmbeddings({ ...raw, latentDim: 0 })).toThrow(/latentDim/);
  });
});
