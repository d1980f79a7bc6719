import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { clearCache, compareNums, formatNum, lookup, reduceList, resolveNum, resolveText, sourceFile } from './num.ts';

const root = mkdtempSync(join(tmpdir(), 'num-'));
mkdirSync(join(root, 'pretrained', 'ae'), { recursive: true });
writeFileSync(
  join(root, 'pretrained', 'ae', 'metrics.json'),
  JSON.stringify({
    epochs: [
      { epoch: 1, seconds: 4, test: { loss: 170 } },
      { epoch: 2, seconds: 6, test: { loss: 160 } },
    ],
    final: { test: { loss: 150.25 } },
    label: 'x',
  }),
);
writeFileSync(join(root, 'pretrained', 'ae', 'embeddings.json'), '{ "metrics": { "latent": { "knnAccuracy": 0.7 } } }');
writeFileSync(join(root, 'pretrained', 'broken.json'), '{ nope');

afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => clearCache());

describe('lookup', () => {
  const data = { a: { b: [1, 2, 3] }, list: [{ v: 1 }, { v: 5 }] };
  it('follows dotted paths, indices and negative indices', () => {
    expect(lookup(data, 'a.b.0')).toBe(1);
    expect(lookup(data, 'a.b.-1')).toBe(3);
    expect(lookup(data, 'list.1.v')).toBe(5);
  });
  it('maps over arrays with *', () => {
    expect(lookup(data, 'list.*.v')).toEqual([1, 5]);
  });
  it('returns undefined for missing fields, without walking the prototype', () => {
    expect(lookup(data, 'a.c')).toBeUndefined();
    expect(lookup(data, 'a.toString')).toBeUndefined();
    expect(lookup(null, 'a')).toBeUndefined();
  });
});

describe('reduceList', () => {
  it('reduces lists of numbers', () => {
    expect(reduceList([1, 2, 6], 'mean')).toBe(3);
    expect(reduceList([1, 2, 6], 'sum')).toBe(9);
    expect(reduceList([1, 2, 6], 'min')).toBe(1);
    expect(reduceList([1, 2, 6], 'max')).toBe(6);
    expect(reduceList([1, 2, 6], 'last')).toBe(6);
    expect(reduceList([], 'count')).toBe(0);
    expect(reduceList([], 'mean')).toBeUndefined();
  });
});

describe('resolveNum', () => {
  it('reads a model’s metrics.json by shorthand', () => {
    expect(sourceFile({ model: 'vae' })).toBe('vae/metrics.json');
    expect(resolveNum({ model: 'ae', path: 'final.test.loss' }, root)).toMatchObject({ ok: true, value: 150.25 });
  });
  it('reads any file under pretrained/', () => {
    const r = resolveNum({ file: 'ae/embeddings.json', path: 'metrics.latent.knnAccuracy' }, root);
    expect(r).toMatchObject({ ok: true, value: 0.7 });
  });
  it('reduces mapped lists, and refuses a list without a reduction', () => {
    expect(resolveNum({ model: 'ae', path: 'epochs.*.seconds', reduce: 'mean' }, root)).toMatchObject({ value: 5 });
    expect(resolveNum({ model: 'ae', path: 'epochs.*.seconds' }, root).ok).toBe(false);
  });
  it('explains missing files, missing fields, non-numbers and bad JSON instead of throwing', () => {
    const missingFile = resolveNum({ model: 'vae', path: 'final.test.loss' }, root);
    expect(missingFile).toMatchObject({ ok: false });
    expect(!missingFile.ok && missingFile.reason).toMatch(/does not exist yet/);
    const missingField = resolveNum({ model: 'ae', path: 'final.test.kl' }, root);
    expect(!missingField.ok && missingField.reason).toMatch(/no number at final\.test\.kl/);
    expect(resolveNum({ model: 'ae', path: 'label' }, root).ok).toBe(false);
    const broken = resolveNum({ file: 'broken.json', path: 'a' }, root);
    expect(!broken.ok && broken.reason).toMatch(/not valid JSON/);
  });
});

describe('resolveText', () => {
  it('reads string fields and explains missing ones', () => {
    expect(resolveText({ model: 'ae', path: 'label' }, root)).toMatchObject({ ok: true, value: 'x' });
    expect(resolveText({ model: 'ae', path: 'nothing' }, root).ok).toBe(false);
    expect(resolveText({ model: 'vae', path: 'label' }, root).ok).toBe(false);
  });
});

describe('formatNum', () => {
  it('writes fixed decimals with separators, percentages and a real minus sign', () => {
    expect(formatNum(1234.567)).toBe('1,234.6');
    expect(formatNum(0.71234, 'percent')).toBe('71.2%');
    expect(formatNum(0.71234, 'percent', 0)).toBe('71%');
    expect(formatNum(-3.14159, 'number', 2)).toBe('\u22123.14');
    expect(formatNum(9.6, 'integer')).toBe('10');
  });
});

describe('compareNums', () => {
  const a = { model: 'ae' as const, path: 'final.test.loss' };
  it('orders two measured numbers, with a tolerance for ties', () => {
    expect(compareNums(a, { model: 'ae', path: 'epochs.0.test.loss' }, 0, root).outcome).toBe('less');
    expect(compareNums({ model: 'ae', path: 'epochs.0.test.loss' }, a, 0, root).outcome).toBe('greater');
    expect(compareNums(a, { model: 'ae', path: 'epochs.1.test.loss' }, 10, root).outcome).toBe('similar');
  });
  it('is unknown when either side is missing', () => {
    expect(compareNums(a, { model: 'vae', path: 'final.test.loss' }, 0, root).outcome).toBe('unknown');
  });
});
