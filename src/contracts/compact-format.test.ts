import { describe, expect, it } from 'vitest';
import { CHUNK_COUNT, DIGITS_PER_CHUNK, MapFormatError, chunkOf, chunkPath, compactModelDir, decodeMap, encodeMap, mapPath } from './compact-format.ts';

/** Deterministic pseudo-random values in [lo, hi). */
function values(n: number, lo: number, hi: number, seed = 1): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return lo + ((hi - lo) * s) / 2147483648;
  });
}

describe('map files', () => {
  for (const dim of [2, 10, 20]) {
    it(`round-trip ${dim}-D codes within half a quantization step per coordinate`, () => {
      const v = values(500 * dim, -4.5, 3.25, dim);
      const bin = encodeMap('vae-20', 'latent', v, dim);
      expect((8 + new DataView(bin.buffer).getUint32(4, true)) % 4).toBe(0);
      const { header, values: back } = decodeMap(bin);
      expect(header).toMatchObject({ version: 1, model: 'vae-20', map: 'latent', count: 500, dim, dtype: 'uint16' });
      for (let k = 0; k < v.length; k++) {
        const step = header.scale[k % dim]!;
        expect(step).toBeGreaterThan(0);
        expect(step).toBeLessThan(7.75 / 65535 + 1e-12);
        expect(Math.abs(back[k]! - v[k]!)).toBeLessThanOrEqual(step / 2 + 1e-6);
      }
      // each coordinate's extent is kept: min and max come back (to float32)
      for (let j = 0; j < dim; j++) {
        const col = v.filter((_, k) => k % dim === j);
        const got = Array.from(back).filter((_, k) => k % dim === j);
        expect(Math.min(...got)).toBeCloseTo(Math.min(...col), 5);
        expect(Math.max(...got)).toBeCloseTo(Math.max(...col), 5);
      }
    });
  }

  it('is deterministic and keeps a constant coordinate exactly', () => {
    const v = [1, 5, 1, 6, 1, 7];
    expect(encodeMap('ae', 'pca', v, 2)).toEqual(encodeMap('ae', 'pca', v, 2));
    const back = decodeMap(encodeMap('ae', 'pca', v, 2)).values;
    expect([back[0], back[2], back[4]]).toEqual([1, 1, 1]);
    expect([back[1], back[5]]).toEqual([5, 7]);
    expect(Math.abs(back[3]! - 6)).toBeLessThanOrEqual(1 / 65535);
  });

  it('rejects bad input and bad files with a reason', () => {
    expect(() => encodeMap('ae', 'latent', [1, 2, 3], 2)).toThrow(/whole number/);
    expect(() => encodeMap('ae', 'latent', [1, NaN], 2)).toThrow(/NaN/);
    const bin = encodeMap('ae', 'latent', values(20, 0, 1), 2);
    expect(() => decodeMap(bin.slice(0, bin.length - 2))).toThrow(MapFormatError);
    expect(() => decodeMap(bin.slice(0, bin.length - 2))).toThrow(/data bytes/);
    expect(() => decodeMap(bin.slice(0, 20))).toThrow(/truncated/);
    const bad = bin.slice();
    bad[0] = 0x58;
    expect(() => decodeMap(bad)).toThrow(/signature/);
  });
});

describe('paths', () => {
  it('chunks cover the 10,000 test digits, 100 each', () => {
    expect(CHUNK_COUNT * DIGITS_PER_CHUNK).toBe(10_000);
    expect(chunkPath(0)).toBe('digits/000.png');
    expect(chunkPath(99)).toBe('digits/099.png');
    expect(chunkOf(0)).toBe(0);
    expect(chunkOf(199)).toBe(1);
    expect(chunkOf(9999)).toBe(99);
    expect(() => chunkOf(10_000)).toThrow(RangeError);
    expect(() => chunkPath(100)).toThrow(RangeError);
  });
  it('one URL per file, the same for every widget', () => {
    expect(compactModelDir('ae', 'decoder')).toBe('ae/compact/decoder');
    expect(mapPath('beta-0.5', 'tsne')).toBe('beta-0.5/compact/tsne.bin');
  });
});
