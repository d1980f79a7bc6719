import { describe, expect, it } from 'vitest';
import { MetricsError, parseMetrics } from './metrics.ts';

const epoch = (n: number, loss: number, kl = 0) => ({
  epoch: n,
  seconds: 1.5,
  train: { loss, bce: loss - kl, kl },
  test: { loss: loss - 2, bce: loss - 2 - kl, kl },
});

describe('parseMetrics', () => {
  it('accepts the documented schema and sorts epochs', () => {
    const m = parseMetrics(
      { model: 'vae', config: { epochs: 2 }, epochs: [epoch(2, 160, 6), epoch(1, 190, 5)], final: { test: { loss: 158, bce: 152, kl: 6 } } },
      'vae',
    );
    expect(m.model).toBe('vae');
    expect(m.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(m.epochs[1]!.test).toEqual({ loss: 158, bce: 152, kl: 6 });
    expect(m.final?.test.kl).toBe(6);
    expect(m.config).toEqual({ epochs: 2 });
  });

  it.each([
    ['not an object', [1, 2], /not a JSON object/],
    ['wrong model', { model: 'gan', epochs: [epoch(1, 1)] }, /"model"/],
    ['no epochs', { model: 'ae', epochs: [] }, /non-empty/],
    ['missing test', { model: 'ae', epochs: [{ epoch: 1, train: { loss: 1, bce: 1, kl: 0 } }] }, /epochs\[0\]\.test is missing/],
    ['string loss', { model: 'ae', epochs: [{ ...epoch(1, 1), train: { loss: '1', bce: 1, kl: 0 } }] }, /epochs\[0\]\.train\.loss/],
    ['NaN-like', { model: 'ae', epochs: [{ ...epoch(1, 1), test: { loss: null, bce: 1, kl: 0 } }] }, /test\.loss/],
    ['fractional epoch', { model: 'ae', epochs: [{ ...epoch(1, 1), epoch: 1.5 }] }, /whole number/],
    ['duplicate epoch', { model: 'ae', epochs: [epoch(1, 1), epoch(1, 2)] }, /appears twice/],
  ])('rejects %s', (_name, raw, message) => {
    expect(() => parseMetrics(raw, 'ae')).toThrow(MetricsError);
    expect(() => parseMetrics(raw, 'ae')).toThrow(message);
  });

  it('rejects a file for the other model', () => {
    expect(() => parseMetrics({ model: 'ae', epochs: [epoch(1, 1)] }, 'vae')).toThrow(/describes the AE, not the VAE/);
  });
});
