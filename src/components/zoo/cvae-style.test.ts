import { describe, expect, it } from 'vitest';
import { rowAlt, styleText } from './cvae-style.ts';

describe('the style', () => {
  it('words the style for readers', () => {
    expect(styleText([0.123, -1.5], { kind: 'test', index: 18, label: 3 })).toBe('z = (0.12, −1.50), the style of test digit #18 (a 3, encoded with its label)');
    expect(styleText([0, 0], { kind: 'drawing', label: 7 })).toContain('your drawing (encoded as a 7)');
    expect(rowAlt([0, 0], { kind: 'plane' })).toMatch(/^The digits 0 to 9 decoded by the conditional VAE in one style: z = \(0\.00, 0\.00\)/);
  });
});

describe('the shared coder loader, told the label', () => {
  it('checks a conditional encoder (794 → d) and decoder (d + 10 → 784), naming the label in the message', async () => {
    const { checkStack } = await import('../../lib/zoo-coder.ts');
    const { DenseStack } = await import('../../lib/dense.ts');
    const dense = (inDim: number, outDim: number) => new DenseStack([{ kernel: new Float32Array(inDim * outDim), bias: new Float32Array(outDim), inDim, outDim, activation: 'linear' }]);
    expect(checkStack(dense(12, 784), 'decoder', 2, 'cvae/compact/decoder/model.json', 10).inDim).toBe(12);
    expect(checkStack(dense(794, 2), 'encoder', 2, 'cvae/compact/encoder/model.json', 10).inDim).toBe(794);
    expect(() => checkStack(dense(2, 784), 'decoder', 2, 'cvae/compact/decoder/model.json', 10)).toThrow(/expected 12 → 784 for a 2-D code and a 10-class one-hot label/);
    expect(() => checkStack(dense(794, 2), 'encoder', 2, 'vae/compact/encoder/model.json')).toThrow(/expected 784 → 2 for a 2-D code\.$/);
  });
});
