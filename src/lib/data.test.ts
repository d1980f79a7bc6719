import { describe, expect, it } from 'vitest';
import { atlasDigit, hasDigit, type Atlas } from './data.ts';

/** A synthetic chunked atlas whose digit i has every pixel equal to i % 256 (pixel row r offset by r for orientation). */
function atlas(chunks: number[]): Atlas {
  const a: Atlas = { count: 10_000, chunks: new Map() };
  for (const c of chunks) {
    const pixels = new Uint8Array(2800 * 28);
    for (let k = 0; k < 100; k++) {
      const i = c * 100 + k;
      for (let r = 0; r < 28; r++) for (let x = 0; x < 28; x++) pixels[r * 2800 + k * 28 + x] = (i + r) % 256;
    }
    a.chunks.set(c, pixels);
  }
  return a;
}

describe('atlasDigit (test digits in chunks of 100)', () => {
  const a = atlas([0, 1, 42, 99]);
  it('reads digit i from chunk ⌊i / 100⌋ at x = 28·(i mod 100), scaled to [0, 1]', () => {
    for (const i of [0, 99, 100, 199, 4242, 9999]) {
      const d = atlasDigit(a, i);
      expect(d.length).toBe(784);
      expect(d[0]).toBeCloseTo((i % 256) / 255, 6);
      expect(d[27 * 28 + 5]).toBeCloseTo(((i + 27) % 256) / 255, 6); // row 27 of the tile
    }
  });
  it('writes into a caller buffer', () => {
    const out = new Float32Array(784);
    expect(atlasDigit(a, 5, out)).toBe(out);
  });
  it('knows which digits are loaded, and says so for one that is not', () => {
    expect(hasDigit(a, 4250)).toBe(true);
    expect(hasDigit(a, 250)).toBe(false);
    expect(() => atlasDigit(a, 250)).toThrow(/not been loaded/);
  });
  it('rejects indices outside the test set', () => {
    expect(() => atlasDigit(a, 10_000)).toThrow(RangeError);
    expect(() => atlasDigit(a, -1)).toThrow(RangeError);
    expect(() => atlasDigit(a, 1.5)).toThrow(RangeError);
    expect(hasDigit(a, 10_000)).toBe(false);
  });
});
