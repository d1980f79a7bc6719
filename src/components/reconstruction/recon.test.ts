import { describe, expect, it } from 'vitest';
import { bceCaption, compareText, digitName } from './recon.ts';

describe('wording', () => {
  it('names digits with and without labels', () => {
    expect(digitName(18, 3)).toBe('Test digit #18, a 3');
    expect(digitName(18)).toBe('Test digit #18');
  });
  it('captions and compares losses in nats', () => {
    expect(bceCaption(78.44)).toBe('BCE 78.4 nats');
    expect(compareText('Your drawing', 80, 95.5)).toBe('Your drawing: AE reconstruction BCE 80.0 nats, VAE reconstruction BCE 95.5 nats. The AE reconstructs it more closely.');
    expect(compareText('X', 99, 90)).toMatch(/The VAE reconstructs it more closely/);
    expect(compareText('X', 90, 90.01)).toMatch(/about equally well/);
  });
});
