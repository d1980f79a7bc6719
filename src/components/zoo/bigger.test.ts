import { describe, expect, it } from 'vitest';
import type { ZooModel } from '../../contracts/zoo.ts';
import { bceGaps, biggerModels, dimName, dimOption, dimStats, gapTrend, offsetText, reconCaption, traversalCodes, traversalDims, traversalOffsets, wideModels, widthPairs } from './bigger.ts';

const m = (id: string, kind: ZooModel['kind'], latentDim: number, beta: number | null, extra: Partial<ZooModel> = {}): ZooModel => ({
  id,
  kind,
  latentDim,
  beta,
  conditional: false,
  noise: null,
  ...extra,
});
/** The registry's order, as pretrained/zoo.json lists it. */
const ZOO: ZooModel[] = [
  m('ae', 'ae', 2, null),
  m('vae', 'vae', 2, 1),
  m('ae-10', 'ae', 10, null),
  m('ae-20', 'ae', 20, null),
  m('vae-10', 'vae', 10, 1),
  m('vae-20', 'vae', 20, 1),
  m('beta-2', 'vae', 2, 2),
  m('cvae', 'cvae', 2, 1, { conditional: true }),
  m('dae', 'dae', 2, null, { noise: 0.5 }),
  m('attn', 'attn', 2, 1),
];

describe('which models the figures show (from zoo.json)', () => {
  it('takes the unconditional AEs and β = 1 VAEs, AEs first, each by width', () => {
    expect(biggerModels(ZOO).map((x) => x.id)).toEqual(['ae', 'ae-10', 'ae-20', 'vae', 'vae-10', 'vae-20']);
    expect(wideModels(ZOO).map((x) => x.id)).toEqual(['ae-10', 'ae-20', 'vae-10', 'vae-20']);
  });
  it('follows the registry: a new width appears, a width without both kinds makes no pair', () => {
    const zoo = [...ZOO, m('ae-5', 'ae', 5, null), m('vae-32', 'vae', 32, 1)];
    expect(biggerModels(zoo).map((x) => x.id)).toEqual(['ae', 'ae-5', 'ae-10', 'ae-20', 'vae', 'vae-10', 'vae-20', 'vae-32']);
    expect(widthPairs(zoo).map((p) => [p.dim, p.ae.id, p.vae.id])).toEqual([
      [10, 'ae-10', 'vae-10'],
      [20, 'ae-20', 'vae-20'],
    ]);
    expect(widthPairs([])).toEqual([]);
  });
});

describe('dimension statistics and traversals', () => {
  it('measures the mean and sd of each dimension', () => {
    const s = dimStats([1, 10, 3, 10, 5, 10], 2);
    expect(s.mean).toEqual([3, 10]);
    expect(s.sd[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(s.sd[1]).toBe(0);
    expect(() => dimStats([], 2)).toThrow(/no 2-D codes/);
  });

  it('moves a VAE along its active dimensions, most used first; an AE along all', () => {
    expect(traversalDims('vae', 4, [0.5, 0.001, 2, 0.5])).toEqual([
      { index: 2, kl: 2 },
      { index: 0, kl: 0.5 },
      { index: 3, kl: 0.5 },
    ]);
    expect(traversalDims('ae', 3).map((d) => d.index)).toEqual([0, 1, 2]);
    expect(traversalDims('vae', 2, [0, 0])).toEqual([]);
  });

  it('sets one dimension to mean + offset · sd and keeps the others', () => {
    expect(traversalOffsets(5, 3)).toEqual([-3, -1.5, 0, 1.5, 3]);
    expect(() => traversalOffsets(1)).toThrow(RangeError);
    const codes = traversalCodes([1, 2, 3], 1, 0.5, 2, [-1, 0, 1]);
    expect(Array.from(codes)).toEqual([1, -1.5, 3, 1, 0.5, 3, 1, 2.5, 3]);
    expect(() => traversalCodes([1, 2], 2, 0, 1, [0])).toThrow(/No dimension 2/);
  });

  it('names dimensions and positions for readers', () => {
    expect(dimName('vae', 2)).toBe('μ₃');
    expect(dimName('ae', 11)).toBe('z₁₂');
    expect(dimOption('vae', { index: 0, kl: 2.3141 })).toBe('μ₁ (KL 2.31 nats)');
    expect(dimOption('ae', { index: 4 })).toBe('z₅');
    expect(offsetText('vae', 0, -1.5, -0.84)).toBe('μ₁ = mean − 1.5 sd (−0.84)');
    expect(offsetText('ae', 1, 0, 2)).toBe('z₂ = mean + 0.0 sd (2.00)');
    expect(reconCaption(78.44, 80.1)).toBe('BCE 78.4 nats (test mean 80.1 nats)');
    expect(reconCaption(8.444)).toBe('BCE 8.44 nats');
  });
});

describe('the AE–VAE gap per code width', () => {
  const bce: Record<string, number> = { ae: 151.2, vae: 153.1, 'ae-10': 92.2, 'vae-10': 98.7, 'ae-20': 75.1, 'vae-20': 86.7 };
  it('is the VAE’s test BCE minus the AE’s at each width, narrowest first', () => {
    const gaps = bceGaps(ZOO, (id) => bce[id]);
    expect(gaps.map((g) => [g.dim, g.ae, g.vae, Number(g.gap.toFixed(1))])).toEqual([
      [2, 'ae', 'vae', 1.9],
      [10, 'ae-10', 'vae-10', 6.5],
      [20, 'ae-20', 'vae-20', 11.6],
    ]);
    expect(gapTrend(gaps)).toBe('widens');
  });
  it('says which way it goes, whatever the retrain gives', () => {
    const g = (gap: number, dim: number) => ({ dim, ae: 'a', vae: 'v', gap });
    expect(gapTrend([g(5, 2), g(3, 10), g(1, 20)])).toBe('narrows');
    expect(gapTrend([g(5, 2), g(6, 10), g(1, 20)])).toBe('mixed');
    expect(gapTrend([g(5, 2)])).toBe('unknown');
    expect(bceGaps(ZOO, (id) => (id === 'vae-20' ? undefined : bce[id])).map((x) => x.dim)).toEqual([2, 10]);
  });
});
