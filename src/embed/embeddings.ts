/**
 * The `pretrained/<model>/embeddings.json` contract (DEVELOPERS.md): its TypeScript type and a
 * validator with readable messages, for the bake's tests and for widgets that load the file.
 */

export const METHODS = ['latent', 'tsne', 'umap', 'pca'] as const;
export type EmbeddingMethod = (typeof METHODS)[number];

export interface MethodMetrics {
  /** trustworthiness@10 against the 784-D pixel space (see `metrics.ts`). */
  trustworthiness: number;
  /** Leave-one-out 10-NN label accuracy in the 2-D points. */
  knnAccuracy: number;
  /** For tsne/umap/pca: trustworthiness@10 against the model's 2-D latent code (their input). */
  trustworthinessLatent?: number;
}

export interface EmbeddingsFile {
  model: string;
  count: number;
  /**
   * The code's dimension d when it is not 2 (zoo models `ae-10`, `vae-20`, …): `latent` then holds
   * the d-D codes row-major and `metrics.latent` is measured in d dimensions; the three maps stay 2-D.
   */
  latentDim?: number;
  labels: number[];
  /** Flat [x0, y0, x1, y1, …] (d > 2: d numbers per digit), test-set order. */
  latent: number[];
  tsne: number[];
  umap: number[];
  pca: number[];
  metrics: Record<EmbeddingMethod, MethodMetrics>;
  params: { tsne: Record<string, unknown>; umap: Record<string, unknown>; pca: Record<string, unknown> } & Record<string, unknown>;
}

function fail(msg: string): never {
  throw new Error(`embeddings.json: ${msg}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks `json` against the contract; returns it typed, or throws naming the first problem. */
export function validateEmbeddings(json: unknown, expectedModel?: string): EmbeddingsFile {
  if (!isObject(json)) fail('not a JSON object');
  const { model, count, labels, metrics, params, latentDim } = json;
  if (typeof model !== 'string' || model === '') fail('"model" must be a non-empty string');
  if (expectedModel !== undefined && model !== expectedModel) fail(`"model" is "${model}", expected "${expectedModel}"`);
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) fail('"count" must be a positive integer');
  if (!Array.isArray(labels) || labels.length !== count) fail(`"labels" must be an array of ${count} labels`);
  labels.forEach((l, i) => {
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l > 9) fail(`labels[${i}] is not a digit 0–9`);
  });
  if (latentDim !== undefined && (typeof latentDim !== 'number' || !Number.isInteger(latentDim) || latentDim < 1)) fail('"latentDim" must be a positive integer when present');
  const d = latentDim ?? 2;
  for (const m of METHODS) {
    const a = json[m];
    if (m === 'latent' && d !== 2) {
      if (!Array.isArray(a) || a.length !== d * count) fail(`"latent" must be a flat array of ${d * count} numbers (${d} per digit)`);
    } else if (!Array.isArray(a) || a.length !== 2 * count) fail(`"${m}" must be a flat array of ${2 * count} numbers (x, y per digit)`);
    for (let t = 0; t < a.length; t++) {
      if (typeof a[t] !== 'number' || !Number.isFinite(a[t])) fail(`${m}[${t}] is not a finite number`);
    }
  }
  if (!isObject(metrics)) fail('"metrics" must be an object');
  for (const m of METHODS) {
    const e = metrics[m];
    if (!isObject(e)) fail(`metrics.${m} is missing`);
    for (const key of ['trustworthiness', 'knnAccuracy', 'trustworthinessLatent'] as const) {
      const v = e[key];
      if (key === 'trustworthinessLatent' && v === undefined) continue;
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(`metrics.${m}.${key} must be a number in [0, 1]`);
    }
  }
  if (!isObject(params)) fail('"params" must be an object');
  for (const m of ['tsne', 'umap', 'pca'] as const) {
    const p = params[m];
    if (!isObject(p)) fail(`params.${m} is missing`);
    if (typeof p.seconds !== 'number' || !(p.seconds >= 0)) fail(`params.${m}.seconds must be a non-negative number`);
  }
  return json as unknown as EmbeddingsFile;
}
