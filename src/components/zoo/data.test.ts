import { describe, expect, it } from 'vitest';
import {
  activeDims,
  betaSteps,
  klBars,
  modelHref,
  modelTitle,
  rateDistortion,
  rowCells,
  zooRows,
  type Read,
} from './data.ts';
import { embeddings, metrics, model, ZOO } from '../../contracts/fixtures.test-helper.ts';

const FILES: Record<string, unknown> = {
  'ae/metrics.json': metrics(150, 0, { noisy: { sigma: 0.5, seed: 12345, bce: 220 } }),
  'ae/embeddings.json': embeddings('ae', 0.66, 0.86, 1),
  'vae/metrics.json': metrics(153, 5.7, { klPerDim: [3, 2.7], activeDims: 2 }),
  'vae/embeddings.json': embeddings('vae', 0.61, 0.85, 0.9999),
  'vae-10/metrics.json': metrics(100, 25, { klPerDim: [5, 0.001, 4, 0.2, 0, 6, 0.009, 3, 3, 3.79], activeDims: 7 }),
  'vae-10/embeddings.json': embeddings('vae-10', 0.9, 0.95, 0.97),
  'beta-0.5/metrics.json': metrics(148, 8),
  'beta-0.5/embeddings.json': embeddings('beta-0.5', 0.7, 0.87),
  'beta-4/metrics.json': metrics(170, 2.5),
  'cvae/metrics.json': metrics(130, 6, { klPerDim: [3, 3] }),
  'cvae/embeddings.json': embeddings('cvae', 0.2, 0.7),
};
const read = (files: Record<string, unknown>) => (path: string): Read => (path in files ? { ok: true, data: files[path] } : { ok: false });

describe('zooRows and rowCells', () => {
  const rows = zooRows(ZOO, read(FILES), '/base');
  it('gives one row per model in registry order, with missing files noted', () => {
    expect(rows.map((r) => r.model.id)).toEqual(ZOO.map((m) => m.id));
    expect(rows.find((r) => r.model.id === 'beta-4')!.missing).toEqual(['embeddings.json']);
    expect(rows.find((r) => r.model.id === 'dae')!.missing).toEqual(['metrics.json', 'embeddings.json']);
  });
  it('fails on a malformed file, naming it', () => {
    expect(() => zooRows(ZOO, read({ ...FILES, 'beta-0.5/metrics.json': { final: { test: { bce: 'x' } } } }))).toThrow(/beta-0\.5\/metrics\.json: final\.test\.bce/);
  });
  it('shows measured numbers, "—" for what is not there yet and n/a for what does not apply', () => {
    const cells = (id: string) => rowCells(rows.find((r) => r.model.id === id)!);
    expect(cells('vae-10')).toMatchObject({
      bce: { text: '100.00', sort: 100 },
      kl: { text: '25.00' },
      elbo: { text: '125.00' },
      active: { text: '7', sort: 7 },
      knn: { text: '90.0%', sort: 0.9 },
      trust: { text: '0.950' },
      trustCode: { text: '0.970' },
    });
    expect(cells('ae')).toMatchObject({ kl: { text: 'n/a', empty: 'n/a' }, elbo: { empty: 'n/a' }, active: { empty: 'n/a' }, bce: { text: '150.00' } });
    expect(cells('beta-4')).toMatchObject({ bce: { text: '170.00' }, knn: { text: '—', empty: 'missing' }, active: { empty: 'missing' } });
    expect(cells('dae')).toMatchObject({ bce: { empty: 'missing' }, kl: { empty: 'n/a' } });
    // Active dims are counted from klPerDim when the count itself is absent.
    expect(cells('cvae').active).toEqual({ text: '2', sort: 2 });
  });
  it('titles and links every model from its entry', () => {
    expect(rows.map((r) => r.title)).toEqual([
      'Autoencoder',
      'VAE',
      'VAE, 10-D code',
      'β-VAE, β = 0.5',
      'β-VAE, β = 4',
      'Conditional VAE',
      'Denoising autoencoder (σ = 0.5)',
    ]);
    expect(modelHref(ZOO[0]!, '/base')).toBe('/base/latent-space/');
    expect(modelHref(ZOO[2]!)).toBe('/future-work/bigger-codes/#zoo-bigger-codes');
    expect(modelHref(ZOO[4]!)).toBe('/future-work/beta/#zoo-beta');
    expect(modelHref(ZOO[5]!)).toBe('/future-work/conditional/#zoo-cvae');
    expect(modelTitle(model('attn', 'attn', 2, 1))).toBe('Attention-encoder VAE');
  });
});

describe('rate–distortion points and β steps', () => {
  const rows = zooRows(ZOO, read(FILES));
  it('keeps the 2-D unconditional β models and the AE reference, sorted by β', () => {
    const { points, missing } = rateDistortion(rows);
    expect(points.map((p) => [p.id, p.beta, p.bce, p.kl, p.reference])).toEqual([
      ['ae', 0, 150, 0, true],
      ['beta-0.5', 0.5, 148, 8, false],
      ['vae', 1, 153, 5.7, false],
      ['beta-4', 4, 170, 2.5, false],
    ]);
    expect(missing).toEqual([]);
  });
  it('lists sweep models whose metrics are missing', () => {
    const files = Object.fromEntries(Object.entries(FILES).filter(([k]) => k !== 'beta-4/metrics.json'));
    const { points, missing } = rateDistortion(zooRows(ZOO, read(files)));
    expect(missing).toEqual(['beta-4']);
    expect(points.map((p) => p.id)).toEqual(['ae', 'beta-0.5', 'vae']);
  });
  it('steps the slider through the VAEs with a β (not the AE, CVAE or bigger codes)', () => {
    expect(betaSteps(rows).map((m) => m.id)).toEqual(['beta-0.5', 'vae', 'beta-4']);
  });
});

describe('KL bars', () => {
  it('sorts dimensions by KL and flags those above 0.01 nats', () => {
    const bars = klBars([0.5, 0.001, 2, 0.01, 0.0101]);
    expect(bars.map((b) => b.dim)).toEqual([3, 1, 5, 4, 2]);
    expect(bars.map((b) => b.active)).toEqual([true, true, true, false, false]);
    expect(activeDims([0.5, 0.001, 2, 0.01, 0.0101])).toBe(3);
  });
});
