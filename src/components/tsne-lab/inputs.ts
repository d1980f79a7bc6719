/**
 * The lab's inputs: the VAE codes from `pretrained/<model>/embeddings.json` (2-D `vae`, and the
 * zoo's `vae-10` / `vae-20`, whose `latent` holds `latentDim` numbers per digit) and the raw test
 * pixels. Parsing and gathering are DOM-free and unit-tested; the files are read through the
 * site's shared, verified loaders (`src/lib`), never fetched here directly.
 */
import { EmbeddingsError, parseEmbeddings, type Quality } from '../../contracts/embeddings.ts';
import type { InputId } from './settings.ts';

/** One input's data: `dim` numbers per test digit, the labels, and the baked t-SNE map's scores. */
export interface CodeSource {
  id: Exclude<InputId, 'pixels'>;
  count: number;
  dim: number;
  labels: Uint8Array;
  /** n × dim, row-major. */
  codes: Float32Array;
  /** The baked t-SNE map of these codes (all `count` digits): its scores and parameters. */
  baked?: BakedTsne;
}

/** What embeddings.json says about its baked t-SNE map. */
export interface BakedTsne {
  /** trustworthiness@10 against the codes themselves (the t-SNE's input). */
  trustworthinessInput?: number;
  /** trustworthiness@10 against the 784 test pixels. */
  trustworthinessPixels?: number;
  knnAccuracy?: number;
  perplexity?: number;
  seed?: number;
  iterations?: number;
  count: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The baked t-SNE's scores from a parsed quality block and params. */
function bakedFrom(q: Quality | undefined, params: Record<string, unknown> | undefined, count: number): BakedTsne | undefined {
  if (!q) return undefined;
  return {
    trustworthinessInput: q.trustworthinessLatent,
    trustworthinessPixels: q.trustworthiness,
    knnAccuracy: q.knnAccuracy,
    perplexity: num(params?.perplexity),
    seed: num(params?.seed),
    iterations: num(params?.iterations),
    count,
  };
}

/**
 * Validates a parsed `<id>/embeddings.json`. The 2-D VAE's file goes through the latent map's
 * parser (the same checks as the map); a zoo file must say `"latentDim": d` and hold n × d codes.
 */
export function parseCodeFile(raw: unknown, id: Exclude<InputId, 'pixels'>): CodeSource {
  const file = `${id}/embeddings.json`;
  if (id === 'vae') {
    const e = parseEmbeddings(raw, 'vae', file);
    return { id, count: e.count, dim: 2, labels: e.labels, codes: e.coords.latent!, baked: bakedFrom(e.quality.tsne, e.params.tsne, e.count) };
  }
  if (!isObject(raw)) throw new EmbeddingsError(`${file} is not a JSON object.`);
  const dim = raw.latentDim;
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1) throw new EmbeddingsError(`${file}: "latentDim" must be a positive whole number.`);
  if (!Array.isArray(raw.labels) || raw.labels.length === 0) throw new EmbeddingsError(`${file}: "labels" must be a non-empty list.`);
  const count = raw.labels.length;
  const labels = new Uint8Array(count);
  raw.labels.forEach((l, i) => {
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l > 9) throw new EmbeddingsError(`${file}: labels[${i}] is not a digit 0–9.`);
    labels[i] = l;
  });
  const latent = raw.latent;
  if (!Array.isArray(latent)) throw new EmbeddingsError(`${file}: "latent" (the model's ${dim}-D codes) is missing.`);
  const flat = latent.length > 0 && Array.isArray(latent[0]) ? (latent as unknown[]).flat() : latent;
  if (flat.length !== count * dim) throw new EmbeddingsError(`${file}: "latent" has ${flat.length} numbers; expected ${count * dim} (${dim} for each of ${count} digits).`);
  const codes = new Float32Array(count * dim);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new EmbeddingsError(`${file}: latent value ${i} is not a finite number.`);
    codes[i] = v;
  }
  const metrics = isObject(raw.metrics) ? raw.metrics : {};
  const params = isObject(raw.params) ? raw.params : {};
  const q = isObject(metrics.tsne) ? metrics.tsne : undefined;
  const quality: Quality | undefined = q && {
    trustworthiness: num(q.trustworthiness),
    trustworthinessLatent: num(q.trustworthinessLatent),
    knnAccuracy: num(q.knnAccuracy),
  };
  return { id, count, dim, labels, codes, baked: bakedFrom(quality, isObject(params.tsne) ? params.tsne : undefined, count) };
}

/** The rows of `source` at `indices`, packed n × dim. */
export function gatherRows(source: { codes: ArrayLike<number>; dim: number }, indices: ArrayLike<number>): Float32Array<ArrayBuffer> {
  const { dim } = source;
  const out = new Float32Array(indices.length * dim);
  for (let r = 0; r < indices.length; r++) {
    const base = indices[r]! * dim;
    for (let t = 0; t < dim; t++) out[r * dim + t] = source.codes[base + t]!;
  }
  return out;
}

/** The labels at `indices`. */
export function gatherLabels(labels: ArrayLike<number>, indices: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(indices.length);
  for (let r = 0; r < indices.length; r++) out[r] = labels[indices[r]!]!;
  return out;
}

/** The zoo's VAE entries from a parsed `zoo.json` (`{ version, models: [{ id, kind, latentDim, … }] }`), by id. */
export function zooLatentDims(raw: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (!isObject(raw) || !Array.isArray(raw.models)) return out;
  for (const m of raw.models) {
    if (isObject(m) && typeof m.id === 'string' && typeof m.latentDim === 'number') out.set(m.id, m.latentDim);
  }
  return out;
}
