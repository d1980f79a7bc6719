/**
 * The denoising experiment's contract (issue 12): which zoo models it compares (picked by kind from
 * `zoo.json`, never by id) and the baked curve `pretrained/denoise-curve.json` (written by
 * `npm run bake:denoise`, `src/pipeline/denoise-curve.ts`; read at build time by `Denoise.astro`,
 * drawn by `src/components/zoo/denoise.ts`). No TF.js, no DOM: Node and browsers.
 *
 * `denoise-curve.json`:
 *
 *     { "version": 1, "noise": "clip(x + σ·N(0, 1), 0, 1)", "seed": 12345, "count": 10000,
 *       "sigmas": [0, 0.1, …, 1],
 *       "models": [{ "id": "ae", "kind": "ae", "bce": [11 means, nats per image] }, …dae, vae],
 *       "sources": { "<path under pretrained/>": "<sha256>" } }
 *
 * `bce[k]` is the mean over the first `count` test digits of the BCE (summed over 784 pixels,
 * nats) of the model's reconstruction of the noised digit against the clean digit, at σ =
 * `sigmas[k]`; the VAE decodes its mean μ. The noise is drawn from `Rng(seed)` (stream 0) in
 * test-set order, one fresh standard normal per pixel, the same draws for every σ and model.
 */
import type { ZooEntry, ZooKind } from '../models/zoo.ts';
import { ZooDataError } from './zoo.ts';

/** The artifact's path under `pretrained/`. */
export const DENOISE_FILE = 'denoise-curve.json';
/** The noise levels of the curve: 0, 0.1, …, 1. */
export const SIGMAS: readonly number[] = Array.from({ length: 11 }, (_, i) => i / 10);
/** The noise seed (the one of `metrics.json`'s `final.test.noisy`, so σ = 0.5 checks against it). */
export const DENOISE_SEED = 12345;
/** The noise law, in words. */
export const NOISE_LAW = 'clip(x + σ·N(0, 1), 0, 1)';
/** The kinds the experiment compares, in display order. */
export const DENOISE_KINDS = ['ae', 'dae', 'vae'] as const;
export type DenoiseKind = (typeof DENOISE_KINDS)[number];

/**
 * The zoo's canonical 2-D model of a kind: the first entry of that kind with a 2-D code (for
 * `vae`, the plain one: β = 1, not conditional). Undefined when the zoo has none.
 */
export function pickByKind(models: readonly ZooEntry[], kind: ZooKind): ZooEntry | undefined {
  return models.find((m) => m.kind === kind && m.latentDim === 2 && (kind !== 'vae' || (m.beta === 1 && !m.conditional)));
}

/** The experiment's models, in `DENOISE_KINDS` order; throws naming the kind the zoo lacks. */
export function denoiseModels(models: readonly ZooEntry[]): ZooEntry[] {
  return DENOISE_KINDS.map((kind) => {
    const m = pickByKind(models, kind);
    if (!m) throw new Error(`the model zoo has no 2-D ${kind} model for the denoising curve`);
    return m;
  });
}

/** One model's series. */
export interface DenoiseSeries {
  id: string;
  kind: DenoiseKind;
  bce: number[];
}

/** `pretrained/denoise-curve.json`. */
export interface DenoiseCurve {
  version: 1;
  noise: string;
  seed: number;
  count: number;
  sigmas: number[];
  models: DenoiseSeries[];
  sources: Record<string, string>;
}

/** Validates a parsed `denoise-curve.json`; throws a ZooDataError naming the file and the field. */
export function parseDenoiseCurve(raw: unknown, file = `pretrained/${DENOISE_FILE}`): DenoiseCurve {
  const bad = (field: string, why: string) => new ZooDataError(`${file}: ${field} ${why}.`);
  if (!raw || typeof raw !== 'object') throw bad('the file', 'is not a JSON object');
  const o = raw as Record<string, unknown>;
  if (o.version !== 1) throw bad('"version"', 'must be 1');
  if (typeof o.noise !== 'string') throw bad('"noise"', 'must be a string');
  if (!Number.isInteger(o.seed)) throw bad('"seed"', 'must be an integer');
  if (!Number.isInteger(o.count) || (o.count as number) < 1) throw bad('"count"', 'must be a positive integer');
  const sigmas = o.sigmas;
  if (!Array.isArray(sigmas) || sigmas.length < 2 || !sigmas.every((s, i) => typeof s === 'number' && s >= 0 && s <= 1 && (i === 0 || s > (sigmas[i - 1] as number)))) {
    throw bad('"sigmas"', 'must be at least two increasing numbers in [0, 1]');
  }
  if (!Array.isArray(o.models) || o.models.length === 0) throw bad('"models"', 'must be a non-empty array');
  const models = o.models.map((m: unknown, i: number) => {
    const s = m as Record<string, unknown>;
    if (!s || typeof s.id !== 'string') throw bad(`models[${i}].id`, 'must be a string');
    if (!DENOISE_KINDS.includes(s.kind as DenoiseKind)) throw bad(`models[${i}].kind`, `must be one of ${DENOISE_KINDS.join(', ')}`);
    if (!Array.isArray(s.bce) || s.bce.length !== sigmas.length || !s.bce.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw bad(`models[${i}].bce`, `must hold ${sigmas.length} non-negative numbers (one per σ)`);
    }
    return { id: s.id, kind: s.kind as DenoiseKind, bce: s.bce as number[] };
  });
  if (!o.sources || typeof o.sources !== 'object') throw bad('"sources"', 'must be an object');
  return { version: 1, noise: o.noise, seed: o.seed as number, count: o.count as number, sigmas: sigmas as number[], models, sources: o.sources as Record<string, string> };
}
