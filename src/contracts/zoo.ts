/**
 * `pretrained/zoo.json` (the model zoo's registry, written from `src/models/zoo.ts`) and the parts of
 * each zoo model's `metrics.json` and `embeddings.json` that the site quotes: their types and
 * validating parsers, shared by the pipeline (`src/pipeline/denoise-curve.ts`, `retrain.ts`), the
 * build-time readers (`src/build/zoo-artifacts.ts`) and the widgets. Pure, no DOM, no Node.
 *
 * A file that is there but does not match its contract is *malformed*: a `ZooDataError` naming the
 * file and the field (the build fails with that message rather than publish a wrong number).
 */

import type { ZooEntry, ZooKind } from '../models/zoo.ts';

export type { ZooKind };

/** One entry of `pretrained/zoo.json`: the registry's own type (`src/models/zoo.ts` writes the file). */
export type ZooModel = ZooEntry;

/** The numbers of `metrics.json` the zoo figures quote (nats per image, test set). */
export interface ZooMetrics {
  bce: number;
  kl: number;
  loss: number;
  /** Mean KL of each latent dimension (VAE family). */
  klPerDim?: number[];
  /** Dimensions with mean KL above the threshold, as the pipeline counted them. */
  activeDims?: number;
  /** Test BCE of reconstructions of noised test inputs against the clean images (ae, dae). */
  noisy?: { sigma: number; seed: number; bce: number };
}

/** The numbers of `embeddings.json` the zoo table quotes. */
export interface ZooEmbeddingScores {
  /** Leave-one-out 10-NN label accuracy in the model's own code. */
  knnAccuracy?: number;
  /** Trustworthiness@10 of the raw code against the test pixels. */
  latentTrust?: number;
  /** Trustworthiness@10 of the t-SNE map against the test pixels. */
  tsneTrust?: number;
  /** Trustworthiness@10 of the t-SNE map against the model's code. */
  tsneTrustCode?: number;
}

/** A file that exists but breaks its contract; the message names the file and the field. */
export class ZooDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZooDataError';
  }
}

/** The mean KL per dimension above which a dimension counts as active (nats), as in the pipeline. */
export const ACTIVE_KL_THRESHOLD = 0.01;

const KINDS: readonly ZooKind[] = ['ae', 'vae', 'dae', 'cvae', 'attn'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Whether a kind has an encoder with `mu`/`logvar` heads and a KL term. */
export function isVariational(kind: ZooKind): boolean {
  return kind === 'vae' || kind === 'cvae' || kind === 'attn';
}

/** Validates parsed `zoo.json`; throws a `ZooDataError` naming the first bad entry. */
export function parseZoo(raw: unknown, file = 'pretrained/zoo.json'): ZooModel[] {
  if (!isObject(raw)) throw new ZooDataError(`${file} is not a JSON object.`);
  if (raw.version !== 1) throw new ZooDataError(`${file}: "version" must be 1 (found ${JSON.stringify(raw.version)}).`);
  if (!Array.isArray(raw.models) || raw.models.length === 0) throw new ZooDataError(`${file}: "models" must be a non-empty list.`);
  const seen = new Set<string>();
  return raw.models.map((m, i) => {
    const where = `${file}: models[${i}]`;
    if (!isObject(m)) throw new ZooDataError(`${where} is not an object.`);
    const { id, kind, latentDim, beta, conditional, noise } = m;
    if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9.-]*$/.test(id)) throw new ZooDataError(`${where}.id must be a lower-case id such as "beta-2".`);
    if (seen.has(id)) throw new ZooDataError(`${where}.id "${id}" appears twice.`);
    seen.add(id);
    if (typeof kind !== 'string' || !KINDS.includes(kind as ZooKind)) throw new ZooDataError(`${where}.kind must be one of ${KINDS.join(', ')}.`);
    if (!Number.isInteger(latentDim) || (latentDim as number) < 1) throw new ZooDataError(`${where}.latentDim must be a positive integer.`);
    if (beta !== null && !(isFiniteNumber(beta) && beta >= 0)) throw new ZooDataError(`${where}.beta must be null or a number ≥ 0.`);
    if (typeof conditional !== 'boolean') throw new ZooDataError(`${where}.conditional must be true or false.`);
    if (noise !== null && !(isFiniteNumber(noise) && noise >= 0 && noise <= 1)) throw new ZooDataError(`${where}.noise must be null or a number in [0, 1].`);
    return { id, kind: kind as ZooKind, latentDim: latentDim as number, beta, conditional, noise };
  });
}

/** Validates the parts of a parsed `metrics.json` the zoo uses; throws naming the file and field. */
export function parseZooMetrics(raw: unknown, model: ZooModel, file = `pretrained/${model.id}/metrics.json`): ZooMetrics {
  if (!isObject(raw)) throw new ZooDataError(`${file} is not a JSON object.`);
  const test = isObject(raw.final) ? raw.final.test : undefined;
  if (!isObject(test)) throw new ZooDataError(`${file}: final.test is missing.`);
  const num = (key: string): number => {
    const v = test[key];
    if (!isFiniteNumber(v)) throw new ZooDataError(`${file}: final.test.${key} is not a finite number.`);
    return v;
  };
  const out: ZooMetrics = { bce: num('bce'), kl: num('kl'), loss: num('loss') };
  if (test.klPerDim !== undefined) {
    const k = test.klPerDim;
    if (!Array.isArray(k) || k.length !== model.latentDim || !k.every((v) => isFiniteNumber(v) && v >= -1e-9)) {
      throw new ZooDataError(`${file}: final.test.klPerDim must list ${model.latentDim} non-negative numbers (one per latent dimension).`);
    }
    out.klPerDim = k as number[];
  }
  if (test.activeDims !== undefined) {
    const a = test.activeDims;
    if (!Number.isInteger(a) || (a as number) < 0 || (a as number) > model.latentDim) {
      throw new ZooDataError(`${file}: final.test.activeDims must be an integer from 0 to ${model.latentDim}.`);
    }
    out.activeDims = a as number;
  }
  if (test.noisy !== undefined) {
    const n = test.noisy;
    if (!isObject(n) || !isFiniteNumber(n.sigma) || !isFiniteNumber(n.bce) || !isFiniteNumber(n.seed)) {
      throw new ZooDataError(`${file}: final.test.noisy must be { sigma, seed, bce } numbers.`);
    }
    out.noisy = { sigma: n.sigma, seed: n.seed, bce: n.bce };
  }
  return out;
}

/** Validates the quality figures of a parsed `embeddings.json`; throws naming the file and field. */
export function parseZooEmbeddingScores(raw: unknown, model: ZooModel, file = `pretrained/${model.id}/embeddings.json`): ZooEmbeddingScores {
  if (!isObject(raw)) throw new ZooDataError(`${file} is not a JSON object.`);
  if (raw.model !== undefined && raw.model !== model.id) throw new ZooDataError(`${file} describes "${String(raw.model)}", not "${model.id}".`);
  const metrics = raw.metrics;
  if (!isObject(metrics)) throw new ZooDataError(`${file}: "metrics" is missing.`);
  const score = (method: string, key: string): number | undefined => {
    const q = metrics[method];
    if (q === undefined) return undefined;
    if (!isObject(q)) throw new ZooDataError(`${file}: metrics.${method} is not an object.`);
    const v = q[key];
    if (v === undefined) return undefined;
    if (!isFiniteNumber(v) || v < 0 || v > 1) throw new ZooDataError(`${file}: metrics.${method}.${key} must be a number in [0, 1].`);
    return v;
  };
  return {
    knnAccuracy: score('latent', 'knnAccuracy'),
    latentTrust: score('latent', 'trustworthiness'),
    tsneTrust: score('tsne', 'trustworthiness'),
    tsneTrustCode: score('tsne', 'trustworthinessLatent'),
  };
}
