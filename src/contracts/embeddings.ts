/**
 * Parsing and validation of `pretrained/<model>/embeddings.json` (schema in DEVELOPERS.md), for
 * the build-time figures and the widgets alike.
 * Coordinates may be flat (`[x0, y0, x1, y1, …]`, the contract) or nested (`[[x, y], …]` or
 * `[{x, y}, …]`); all come out as interleaved `Float32Array`s. Only the raw latent is required;
 * a projection that is absent is reported as unavailable rather than failing the figure.
 */

/** The 2-D views of the test set that the map can switch between. */
export const METHODS = ['latent', 'tsne', 'umap', 'pca'] as const;
export type Method = (typeof METHODS)[number];

/** Labels for controls and text. */
export const METHOD_LABELS: Record<Method, string> = { latent: 'Raw latent', tsne: 't-SNE', umap: 'UMAP', pca: 'PCA' };

/** Axis titles per method. */
export const AXIS_TITLES: Record<Method, [string, string]> = {
  latent: ['z₁', 'z₂'],
  tsne: ['t-SNE 1', 't-SNE 2'],
  umap: ['UMAP 1', 'UMAP 2'],
  pca: ['PC 1', 'PC 2'],
};

/** Quality of one 2-D view. */
export interface Quality {
  /** Trustworthiness@10 against the reference space the bake names (the test pixels). */
  trustworthiness?: number;
  /** Leave-one-out 10-NN label accuracy in the 2-D points. */
  knnAccuracy?: number;
  /** For projections of the latent: trustworthiness@10 against the latent itself. */
  trustworthinessLatent?: number;
}

/** A validated embeddings file. */
export interface Embeddings {
  /** The model's id in the zoo (`pretrained/zoo.json`), e.g. `ae`, `vae`, `beta-2`. */
  model: string;
  count: number;
  labels: Uint8Array;
  coords: Partial<Record<Method, Float32Array>>;
  quality: Partial<Record<Method, Quality>>;
  params: Partial<Record<Method, Record<string, unknown>>>;
  /** What the projections were computed from, as the bake describes it (`params.input`). */
  input?: string;
  /**
   * The code's width when it is not 2 (the zoo's `ae-10`, `vae-20`, …: `"latentDim"` in the file):
   * the d-D codes are checked but left out of `coords` (a map draws 2-D points), their quality stays.
   */
  latentDim?: number;
}

/** An embeddings.json that does not match the contract. */
export class EmbeddingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddingsError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Interleaved coordinates from a flat or nested list; throws naming the field. */
export function parsePoints(v: unknown, count: number, where: string): Float32Array {
  if (!Array.isArray(v)) throw new EmbeddingsError(`${where} is not a list of coordinates.`);
  const out = new Float32Array(count * 2);
  const flat = v.length > 0 && typeof v[0] === 'number';
  if (flat) {
    if (v.length !== count * 2) throw new EmbeddingsError(`${where} has ${v.length} numbers; expected ${count * 2} (x, y for ${count} points).`);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new EmbeddingsError(`${where}[${i}] is not a finite number.`);
      out[i] = x;
    }
    return out;
  }
  if (v.length !== count) throw new EmbeddingsError(`${where} has ${v.length} points; expected ${count}.`);
  for (let i = 0; i < count; i++) {
    const p = v[i];
    const x = Array.isArray(p) ? p[0] : isObject(p) ? p.x : undefined;
    const y = Array.isArray(p) ? p[1] : isObject(p) ? p.y : undefined;
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y) || (Array.isArray(p) && p.length !== 2)) {
      throw new EmbeddingsError(`${where}[${i}] is not a finite 2-D point.`);
    }
    out[2 * i] = x;
    out[2 * i + 1] = y;
  }
  return out;
}

/** Validates a parsed embeddings.json; `expected` rejects a file for the other model. */
export function parseEmbeddings(raw: unknown, expected?: string, file = expected ? `${expected}/embeddings.json` : 'embeddings.json'): Embeddings {
  if (!isObject(raw)) throw new EmbeddingsError(`${file} is not a JSON object.`);
  const model = raw.model;
  if (typeof model !== 'string' || model === '') throw new EmbeddingsError(`${file}: "model" must name the model (a zoo id such as "ae" or "vae").`);
  if (expected && model !== expected) throw new EmbeddingsError(`${file} describes the ${model.toUpperCase()}, not the ${expected.toUpperCase()} ("model" is "${model}").`);
  if (!Array.isArray(raw.labels) || raw.labels.length === 0) throw new EmbeddingsError(`${file}: "labels" must be a non-empty list.`);
  const count = raw.labels.length;
  if (raw.count !== undefined && raw.count !== count) throw new EmbeddingsError(`${file}: "count" is ${String(raw.count)} but there are ${count} labels.`);
  const labels = new Uint8Array(count);
  raw.labels.forEach((l, i) => {
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l > 9) throw new EmbeddingsError(`${file}: labels[${i}] is not a digit 0–9.`);
    labels[i] = l;
  });
  const out: Embeddings = { model, count, labels, coords: {}, quality: {}, params: {} };
  if (raw.latent === undefined) throw new EmbeddingsError(`${file}: "latent" (the model's own 2-D code) is missing.`);
  const dim = raw.latentDim ?? 2;
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1) throw new EmbeddingsError(`${file}: "latentDim" must be a positive integer.`);
  if (dim !== 2) {
    out.latentDim = dim;
    const v = raw.latent;
    if (!Array.isArray(v) || v.length !== dim * count || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new EmbeddingsError(`${file}: "latent" must hold ${dim * count} finite numbers (${dim}-D codes of ${count} digits).`);
    }
  }
  const metrics = isObject(raw.metrics) ? raw.metrics : {};
  const params = isObject(raw.params) ? raw.params : {};
  for (const m of METHODS) {
    if (raw[m] === undefined || raw[m] === null) continue;
    if (m !== 'latent' || dim === 2) out.coords[m] = parsePoints(raw[m], count, `${file}: "${m}"`);
    const q = metrics[m];
    if (isObject(q)) {
      const quality: Quality = {};
      for (const k of ['trustworthiness', 'knnAccuracy', 'trustworthinessLatent'] as const) {
        const v = q[k];
        if (v === undefined) continue;
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) throw new EmbeddingsError(`${file}: metrics.${m}.${k} must be a number in [0, 1].`);
        quality[k] = v;
      }
      out.quality[m] = quality;
    }
    if (isObject(params[m])) out.params[m] = params[m];
  }
  if (typeof params.input === 'string') out.input = params.input;
  return out;
}
