import { describe, expect, it } from 'vitest';
import { ATLAS_COLUMNS, atlasDigit, type Atlas } from './data.ts';

/** A synthetic atlas whose tile i has every pixel equal to i % 256 (and pixel (r, c) offset by r for orientation). */
function atlas(count: number): Atlas {
  const width = ATLAS_COLUMNS * 28;
  const rows = Math.ceil(count / ATLAS_COLUMNS);
  const pixels = new Uint8Array(width * rows * 28);
  for (let i = 0; i < count; i++) {
    const col = i % ATLAS_COLUMNS;
    const row = Math.floor(i / ATLAS_COLUMNS);
    for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) pixels[(row * 28 + r) * width + col * 28 + c] = (i + r) % 256;
  }
  return { pixels, width, height: rows * 28, count };
}

describe('atlasDigit', () => {
  const a = atlas(250);
  it('reads digit i from column i % 100, row floor(i / 100), scaled to [0, 1]', () => {
    for (const i of [0, 99, 100, 249]) {
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
  it('rejects indices outside the atlas', () => {
    expect(() => atlasDigit(a, 250)).toThrow(RangeError);
    expect(() => atlasDigit(a, -1)).toThrow(RangeError);
    expect(() => atlasDigit(a, 1.5)).toThrow(RangeError);
  });
});
