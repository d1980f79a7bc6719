import { describe, expect, it } from 'vitest';
import { imageBce } from './loss.ts';

describe('imageBce', () => {
  it('is the summed binary cross-entropy in nats', () => {
    // one pixel x = 1, p = 0.5 → ln 2; x = 0, p = 0.25 → −ln 0.75
    expect(imageBce([1, 0], [0.5, 0.25])).toBeCloseTo(Math.LN2 - Math.log(0.75), 9);
  });
  it('is 784·ln 2 for an all-0.5 reconstruction of any binary image', () => {
    const x = Array.from({ length: 784 }, (_, i) => i % 2);
    expect(imageBce(x, new Array(784).fill(0.5))).toBeCloseTo(784 * Math.LN2, 6);
  });
  it('is finite (clamped) when a probability is exactly 0 or 1', () => {
    const v = imageBce([1, 0], [0, 1]);
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeCloseTo(200, 6); // each log clamped at −100, as PyTorch and the trainer do
  });
  it('is near zero for a perfect reconstruction of a binary image', () => {
    expect(imageBce([1, 0, 1], [1 - 1e-9, 1e-9, 1 - 1e-9])).toBeLessThan(1e-6);
  });
  it('rejects mismatched lengths', () => {
    expect(() => imageBce([1], [0.5, 0.5])).toThrow();
  });
});
