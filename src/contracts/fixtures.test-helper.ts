/**
 * Synthetic zoo.json, metrics, embeddings and denoise-curve data for the tests of the contracts'
 * parsers and of the widgets that read them (one set, so the two never drift apart).
 */
import type { ZooModel } from './zoo.ts';
import type { DenoiseCurve } from './denoise-curve.ts';

export const model = (id: string, kind: ZooModel['kind'], latentDim: number, beta: number | null, conditional = false, noise: number | null = null): ZooModel => ({
  id,
  kind,
  latentDim,
  beta,
  conditional,
  noise,
});

/** A synthetic zoo in the spec's order (a subset is enough). */
export const ZOO = [
  model('ae', 'ae', 2, null),
  model('vae', 'vae', 2, 1),
  model('vae-10', 'vae', 10, 1),
  model('beta-0.5', 'vae', 2, 0.5),
  model('beta-4', 'vae', 2, 4),
  model('cvae', 'cvae', 2, 1, true),
  model('dae', 'dae', 2, null, false, 0.5),
];

export const metrics = (bce: number, kl: number, extra: Record<string, unknown> = {}) => ({ final: { test: { loss: bce + kl, bce, kl, ...extra } } });
export const embeddings = (id: string, knn: number, trust: number, trustCode?: number) => ({
  model: id,
  metrics: { latent: { knnAccuracy: knn, trustworthiness: 0.8 }, tsne: { trustworthiness: trust, knnAccuracy: 0.6, ...(trustCode === undefined ? {} : { trustworthinessLatent: trustCode }) } },
});

export const curve = (): DenoiseCurve => ({
  version: 1,
  noise: 'clip(x + σ·N(0, 1), 0, 1)',
  seed: 12345,
  count: 100,
  sigmas: [0, 0.5, 1],
  models: [
    { id: 'ae', kind: 'ae', bce: [150, 230, 246] },
    { id: 'dae', kind: 'dae', bce: [166, 156, 176] },
    { id: 'vae', kind: 'vae', bce: [152, 225, 230] },
  ],
  sources: {},
});
