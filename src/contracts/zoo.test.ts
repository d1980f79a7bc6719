import { describe, expect, it } from 'vitest';
import { isVariational, parseZoo, parseZooEmbeddingScores, parseZooMetrics, ZooDataError, type ZooModel } from './zoo.ts';
import { embeddings, metrics, ZOO } from './fixtures.test-helper.ts';

describe('parseZoo', () => {
  const good = { version: 1, models: ZOO };
  it('reads the registry order', () => {
    expect(parseZoo(good).map((m) => m.id)).toEqual(ZOO.map((m) => m.id));
  });
  it('rejects malformed manifests with the file and the field', () => {
    expect(() => parseZoo([])).toThrow(/zoo\.json is not a JSON object/);
    expect(() => parseZoo({ version: 2, models: ZOO })).toThrow(/"version" must be 1/);
    expect(() => parseZoo({ version: 1, models: [] })).toThrow(/non-empty list/);
    expect(() => parseZoo({ version: 1, models: [{ ...ZOO[0], kind: 'gan' }] })).toThrow(/models\[0\]\.kind must be one of/);
    expect(() => parseZoo({ version: 1, models: [{ ...ZOO[0], latentDim: 0 }] })).toThrow(/latentDim must be a positive integer/);
    expect(() => parseZoo({ version: 1, models: [{ ...ZOO[1], beta: -1 }] })).toThrow(/beta must be null or a number ≥ 0/);
    expect(() => parseZoo({ version: 1, models: [ZOO[0], ZOO[0]] })).toThrow(/"ae" appears twice/);
    expect(() => parseZoo({ version: 1, models: [{ ...ZOO[6], noise: 2 }] })).toThrow(ZooDataError);
  });
});

describe('parseZooMetrics / parseZooEmbeddingScores', () => {
  it('reads final test figures, per-dimension KL, active dims and the noisy BCE', () => {
    expect(parseZooMetrics(metrics(100, 25, { klPerDim: [5, 0.001, 4, 0.2, 0, 6, 0.009, 3, 3, 3.79], activeDims: 7 }), ZOO[2]!)).toMatchObject({ bce: 100, kl: 25, loss: 125, activeDims: 7 });
    expect(parseZooMetrics(metrics(150, 0, { noisy: { sigma: 0.5, seed: 12345, bce: 220 } }), ZOO[0]!).noisy).toEqual({ sigma: 0.5, seed: 12345, bce: 220 });
  });
  it('names the file and the field when a metrics file is malformed', () => {
    expect(() => parseZooMetrics({}, ZOO[1]!)).toThrow('pretrained/vae/metrics.json: final.test is missing.');
    expect(() => parseZooMetrics(metrics(Number.NaN, 1), ZOO[1]!)).toThrow(/final\.test\.bce is not a finite number/);
    expect(() => parseZooMetrics(metrics(1, 1, { klPerDim: [1, 2, 3] }), ZOO[1]!)).toThrow(/klPerDim must list 2 non-negative numbers/);
    expect(() => parseZooMetrics(metrics(1, 1, { activeDims: 3 }), ZOO[1]!)).toThrow(/activeDims must be an integer from 0 to 2/);
    expect(() => parseZooMetrics(metrics(1, 1, { noisy: { sigma: 0.5 } }), ZOO[0]!)).toThrow(/noisy must be/);
  });
  it('reads the code’s 10-NN accuracy and the t-SNE trustworthiness; rejects the wrong model or out-of-range scores', () => {
    expect(parseZooEmbeddingScores(embeddings('vae-10', 0.9, 0.95, 0.97), ZOO[2]!)).toEqual({ knnAccuracy: 0.9, latentTrust: 0.8, tsneTrust: 0.95, tsneTrustCode: 0.97 });
    expect(() => parseZooEmbeddingScores(embeddings('vae', 0.5, 0.5), ZOO[2]!)).toThrow(/describes "vae", not "vae-10"/);
    expect(() => parseZooEmbeddingScores(embeddings('vae-10', 1.5, 0.5), ZOO[2]!)).toThrow(/metrics\.latent\.knnAccuracy must be a number in \[0, 1\]/);
    expect(() => parseZooEmbeddingScores({ model: 'vae-10' }, ZOO[2]!)).toThrow(/"metrics" is missing/);
  });
});

describe('isVariational', () => {
  it('is true for the kinds with mu/logvar heads and a KL term', () => {
    expect(['ae', 'vae', 'dae', 'cvae', 'attn'].filter((k) => isVariational(k as ZooModel['kind']))).toEqual(['vae', 'cvae', 'attn']);
  });
});
