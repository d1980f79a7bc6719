import { describe, expect, it } from 'vitest';
import { Rng } from '../../models/random.ts';
import { nextSeed, noisy } from './denoise-live.ts';

const digit = () => Float32Array.from({ length: 784 }, (_, i) => ((i * 37) % 255) / 255);

describe('the widget noise', () => {
  it('is clip(x + σ·N(0, 1), 0, 1) with the draws of Rng(seed), pixel by pixel', () => {
    const x = digit();
    const out = noisy(x, 0.4, 7);
    const rng = new Rng(7);
    for (let i = 0; i < 784; i++) {
      const v = x[i]! + 0.4 * rng.normal();
      expect(out[i]).toBeCloseTo(Math.min(1, Math.max(0, v)), 6);
    }
  });
  it('keeps its pattern for a seed (σ scales the same draws), changes it with the seed', () => {
    const x = new Float32Array(784).fill(0.5);
    const a = noisy(x, 0.1, 3);
    const b = noisy(x, 0.2, 3);
    // far from the clip, doubling σ doubles each deviation
    for (let i = 0; i < 784; i++) if (Math.abs(b[i]! - 0.5) < 0.45) expect(b[i]! - 0.5).toBeCloseTo(2 * (a[i]! - 0.5), 5);
    expect(Array.from(noisy(x, 0.1, nextSeed(3)))).not.toEqual(Array.from(a));
    expect(Array.from(noisy(digit(), 0, 3))).toEqual(Array.from(digit()));
  });
  it('refuses σ outside [0, 1]', () => {
    expect(() => noisy(digit(), 1.5, 1)).toThrow(/σ must be in \[0, 1\]/);
    expect(nextSeed(0xffffffff)).toBe(0);
  });
});
