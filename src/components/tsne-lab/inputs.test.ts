import { describe, expect, it } from 'vitest';
import { gatherLabels, gatherRows, parseCodeFile, zooLatentDims } from './inputs.ts';

const vae = {
  model: 'vae',
  count: 3,
  labels: [7, 2, 1],
  latent: [0.5, -1, 2, 0.25, -3, 1],
  tsne: [1, 2, 3, 4, 5, 6],
  metrics: { tsne: { trustworthiness: 0.85, trustworthinessLatent: 0.9999, knnAccuracy: 0.61 } },
  params: { tsne: { perplexity: 30, seed: 0, iterations: 1000 } },
};

describe('parseCodeFile', () => {
  it('reads the 2-D VAE through the latent map’s parser, with the baked t-SNE’s scores', () => {
    const s = parseCodeFile(vae, 'vae');
    expect(s.dim).toBe(2);
    expect([...s.labels]).toEqual([7, 2, 1]);
    expect([...s.codes]).toEqual([0.5, -1, 2, 0.25, -3, 1]);
    expect(s.baked).toEqual({ trustworthinessInput: 0.9999, trustworthinessPixels: 0.85, knnAccuracy: 0.61, perplexity: 30, seed: 0, iterations: 1000, count: 3 });
    expect(() => parseCodeFile({ ...vae, model: 'ae' }, 'vae')).toThrow(/describes the AE, not the VAE/);
  });

  it('reads a zoo model’s d-dimensional codes (flat or nested)', () => {
    const flat = { model: 'vae-10', latentDim: 3, labels: [4, 9], latent: [1, 2, 3, 4, 5, 6], metrics: { tsne: { trustworthinessLatent: 0.97, knnAccuracy: 0.9 } } };
    const s = parseCodeFile(flat, 'vae-10');
    expect(s.dim).toBe(3);
    expect([...s.codes]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(s.baked?.trustworthinessInput).toBe(0.97);
    expect(s.baked?.count).toBe(2);
    const nested = parseCodeFile({ ...flat, latent: [[1, 2, 3], [4, 5, 6]] }, 'vae-10');
    expect([...nested.codes]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(parseCodeFile({ ...flat, metrics: undefined }, 'vae-10').baked).toBeUndefined();
  });

  it('names the file and the fault', () => {
    const base = { latentDim: 20, labels: [1, 2], latent: new Array(40).fill(0) };
    expect(() => parseCodeFile([], 'vae-20')).toThrow('vae-20/embeddings.json is not a JSON object.');
    expect(() => parseCodeFile({ ...base, latentDim: undefined }, 'vae-20')).toThrow('vae-20/embeddings.json: "latentDim" must be a positive whole number.');
    expect(() => parseCodeFile({ ...base, latent: [1, 2] }, 'vae-20')).toThrow('vae-20/embeddings.json: "latent" has 2 numbers; expected 40 (20 for each of 2 digits).');
    expect(() => parseCodeFile({ ...base, labels: [1, 12] }, 'vae-20')).toThrow('vae-20/embeddings.json: labels[1] is not a digit 0–9.');
    const bad = [...base.latent];
    bad[5] = 'x';
    expect(() => parseCodeFile({ ...base, latent: bad }, 'vae-20')).toThrow('vae-20/embeddings.json: latent value 5 is not a finite number.');
    expect(() => parseCodeFile({ ...base, latent: undefined }, 'vae-20')).toThrow(/"latent" \(the model's 20-D codes\) is missing/);
  });
});

describe('gathering a selection', () => {
  it('packs the chosen rows and labels in order', () => {
    const codes = Float32Array.from([0, 1, 10, 11, 20, 21, 30, 31]);
    expect([...gatherRows({ codes, dim: 2 }, [3, 1])]).toEqual([30, 31, 10, 11]);
    expect([...gatherLabels([5, 6, 7, 8], [3, 1])]).toEqual([8, 6]);
  });
});

describe('zooLatentDims', () => {
  it('reads the registry’s code sizes and ignores anything else', () => {
    const zoo = { version: 1, models: [{ id: 'vae', latentDim: 2 }, { id: 'vae-20', latentDim: 20 }, { id: 7 }] };
    expect([...zooLatentDims(zoo)]).toEqual([
      ['vae', 2],
      ['vae-20', 20],
    ]);
    expect(zooLatentDims(null).size).toBe(0);
  });
});
