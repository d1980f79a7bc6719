import { describe, expect, it } from 'vitest';
import { availableInputs, defaultInput, maxPerplexity, parseNumber, perplexityProblem, subsetIndices, validateSettings, type RawSettings } from './settings.ts';

const ALL = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const good: RawSettings = { input: 'vae', size: '1000', digits: ALL, perplexity: '30', lrMode: 'auto', learningRate: '200', exaggeration: '12', iterations: '1000', seed: '0' };
const count = (size: number, digits: readonly number[]) => Math.round((size * digits.length) / 10);

describe('validateSettings', () => {
  it('accepts the defaults and converts every field', () => {
    const v = validateSettings(good, ['vae', 'pixels'], count);
    expect(v).toEqual({ ok: true, settings: { input: 'vae', size: 1000, digits: ALL, perplexity: 30, learningRate: 'auto', exaggeration: 12, iterations: 1000, seed: 0 } });
  });

  it('takes a fixed learning rate only when asked', () => {
    const v = validateSettings({ ...good, lrMode: 'fixed', learningRate: '350.5' }, ['vae'], count);
    expect(v.ok && v.settings.learningRate).toBe(350.5);
    const bad = validateSettings({ ...good, lrMode: 'fixed', learningRate: 'fast' }, ['vae'], count);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.learningRate).toMatch(/must be a number.*fast/);
    // The text box is ignored while "auto" is chosen.
    expect(validateSettings({ ...good, learningRate: 'fast' }, ['vae'], count).ok).toBe(true);
  });

  it('names each non-numeric or out-of-range field', () => {
    const v = validateSettings({ ...good, iterations: 'abc', seed: '1.5', exaggeration: '0', perplexity: '' }, ['vae'], count);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.errors.iterations).toBe('The number of iterations must be a number (you typed “abc”).');
    expect(v.errors.seed).toBe('The seed must be a whole number.');
    expect(v.errors.exaggeration).toBe('The early exaggeration must be between 1 and 100.');
    expect(v.errors.perplexity).toBe('Enter the perplexity.');
  });

  it('rejects an input the artifacts do not list, and an unknown size', () => {
    const v = validateSettings({ ...good, input: 'vae-20', size: '777' }, ['vae', 'pixels'], count);
    expect(!v.ok && v.errors.input).toMatch(/Choose one of the inputs: VAE codes, 2-D/);
    expect(!v.ok && v.errors.size).toMatch(/1,000, 2,500, 5,000, 10,000/);
  });

  it('rejects an empty selection of digits', () => {
    const v = validateSettings({ ...good, digits: [] }, ['vae'], count);
    expect(!v.ok && v.errors.digits).toBe('The selection is empty: tick at least one digit.');
  });

  it('rejects a perplexity too large for the selection', () => {
    // One digit of the first 1,000: 100 points; 3·40 + 1 = 121 neighbours do not exist.
    const v = validateSettings({ ...good, digits: [1], perplexity: '40' }, ['vae'], count);
    expect(!v.ok && v.errors.perplexity).toBe('Perplexity 40 is too large for 100 points: each point looks at its 121 nearest neighbours, so at most 32 fits.');
    const tiny = validateSettings({ ...good, digits: [1], perplexity: '30' }, ['vae'], () => 20);
    expect(!tiny.ok && tiny.errors.perplexity).toBe('Perplexity 30 is too large for 20 points: it must be smaller than n − 1 = 19.');
    expect(validateSettings({ ...good, digits: [1], perplexity: '32' }, ['vae'], count).ok).toBe(true);
  });

  it('needs at least three points', () => {
    const v = validateSettings({ ...good, digits: [3] }, ['vae'], () => 2);
    expect(!v.ok && v.errors.digits).toBe('The selection holds 2 points: t-SNE needs at least 3.');
  });
});

describe('perplexity limits', () => {
  it('follow n − 1 and the 3·perplexity neighbours', () => {
    expect(maxPerplexity(1000)).toBe(332);
    expect(perplexityProblem(332, 1000)).toBeNull();
    expect(perplexityProblem(333, 1000)).toMatch(/too large for 1,000 points/);
    expect(perplexityProblem(5, 6)).toMatch(/smaller than n − 1 = 5/);
  });
});

describe('parseNumber', () => {
  it('reads plain numbers only', () => {
    expect(parseNumber(' 12 ')).toBe(12);
    expect(parseNumber('1,000')).toBe(1000);
    expect(parseNumber('2.5e2')).toBe(250);
    expect(parseNumber('.5')).toBe(0.5);
    for (const bad of ['', 'abc', '12px', '1/2', 'Infinity', 'NaN', '0x10']) expect(parseNumber(bad)).toBeNull();
  });
});

describe('subsetIndices', () => {
  it('keeps the first N test digits of the ticked classes, in order', () => {
    const labels = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9];
    expect([...subsetIndices(labels, 10, ALL)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...subsetIndices(labels, 6, [1, 4])]).toEqual([2, 4, 5]);
    expect([...subsetIndices(labels, 100, [9])]).toEqual([7, 9]);
    expect(subsetIndices(labels, 10, []).length).toBe(0);
  });
});

describe('inputs on offer', () => {
  it('lists the zoo codes only when the artifacts have them; starts on the widest', () => {
    expect(availableInputs(() => false)).toEqual(['pixels']);
    expect(availableInputs((p) => p === 'vae/embeddings.json')).toEqual(['vae', 'pixels']);
    const all = availableInputs(() => true);
    expect(all).toEqual(['vae-20', 'vae-10', 'vae', 'pixels']);
    expect(defaultInput(all)).toBe('vae-20');
    expect(defaultInput(['vae', 'pixels'])).toBe('vae');
    expect(defaultInput(['pixels'])).toBe('pixels');
  });
});
