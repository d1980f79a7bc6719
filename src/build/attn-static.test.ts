import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMap } from '../contracts/compact-format.ts';
import { staticAttention, testDigit } from './attn-static.ts';

describe('the attention figure’s build-time data', () => {
  it('reads test digits from the raw MNIST test set', () => {
    const { image, label } = testDigit(0);
    expect(label).toBe(7);
    expect(image.length).toBe(784);
    expect(Math.max(...image)).toBe(1);
    expect(() => testDigit(10_000)).toThrow(/No test digit #10000/);
  });

  it('runs the committed compact encoder: attention rows sum to 1 and μ is the baked code', async () => {
    const s = await staticAttention(0);
    expect(s).toBeDefined();
    expect(s!.attention.length).toBe(4 * 16 * 16);
    for (let r = 0; r < 64; r++) expect(s!.attention.subarray(r * 16, r * 16 + 16).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // The baked codes come from the float32 encoder; the compact one may differ by its quantisation.
    const latent = decodeMap(readFileSync('pretrained/attn/compact/latent.bin'));
    expect(Math.abs(s!.mu[0] - latent.values[0]!)).toBeLessThan(0.05);
    expect(Math.abs(s!.mu[1] - latent.values[1]!)).toBeLessThan(0.05);
  });

  it('says nothing when the encoder is not committed', async () => {
    expect(await staticAttention(0, 'no-such-model/compact/encoder')).toBeUndefined();
  });
});
