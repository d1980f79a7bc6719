/**
 * What the literature predicts about the model zoo (issue 10), checked against our measurements.
 * The bake (`bake.ts`) computes these from the committed `metrics.json` files and the embeddings'
 * 10-NN accuracies, and writes each model's list into its `metrics.json` as
 *
 *     "predictions": [{ "claim": "…", "measured": { … }, "holds": true | false }]
 *
 * Where a measurement disagrees, `holds` is false and `measured` carries the numbers that say so.
 * The thresholds below turn the literature's words ("a wide margin", "far below") into numbers;
 * they are stated in each claim's text.
 *
 * | model(s) | claim | measured from |
 * | --- | --- | --- |
 * | `dae` | the DAE beats the AE on noisy inputs by a wide margin (≥ 10 % lower BCE) | `final.test.noisy.bce` of dae and ae |
 * | `beta-*` | larger β trades BCE for KL: BCE rises, KL falls, monotonically over β = 0.25 … 8 (vae is β = 1) | `final.test.bce`, `final.test.kl` |
 * | `cvae` | the CVAE's 2-D code carries little label information (10-NN accuracy < ½ of the VAE's) | embeddings `metrics.latent.knnAccuracy` |
 * | `vae-20` | a 20-D VAE switches off dimensions it does not need (activeDims < 20) | `final.test.activeDims`, `klPerDim` |
 */

export interface Prediction {
  claim: string;
  measured: Record<string, number | number[] | string[]>;
  holds: boolean;
}

/** The inputs: each model's parsed metrics.json, and its latent 10-NN accuracy where baked. */
export interface ZooMeasurements {
  metrics: Record<string, unknown>;
  latentKnn: Record<string, number>;
}

/** DAE vs AE: the DAE's noisy-input BCE must be at most this share of the AE's. */
export const DAE_MARGIN = 0.9;
/** CVAE vs VAE: the CVAE's latent 10-NN accuracy must be below this share of the VAE's. */
export const CVAE_SHARE = 0.5;
/** The β ladder, with the zoo id of each β (β = 1 is the report's `vae`). */
export const BETA_LADDER: ReadonlyArray<readonly [string, number]> = [
  ['beta-0.25', 0.25],
  ['beta-0.5', 0.5],
  ['vae', 1],
  ['beta-2', 2],
  ['beta-4', 4],
  ['beta-8', 8],
];

const r4 = (v: number): number => Math.round(v * 1e4) / 1e4;

/** `obj.a.b.c` when every step is an object and the end a finite number; else undefined. */
function num(obj: unknown, path: string): number | undefined {
  let v: unknown = obj;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function numArray(obj: unknown, path: string): number[] | undefined {
  let v: unknown = obj;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (v as number[]) : undefined;
}

const increasing = (a: number[]): boolean => a.every((v, i) => i === 0 || v > a[i - 1]!);
const decreasing = (a: number[]): boolean => a.every((v, i) => i === 0 || v < a[i - 1]!);

/**
 * The predictions for each model that has the measurements they need, keyed by the model whose
 * `metrics.json` carries them. Models whose inputs are missing get none.
 */
export function zooPredictions(m: ZooMeasurements): Record<string, Prediction[]> {
  const out: Record<string, Prediction[]> = {};
  const add = (id: string, p: Prediction) => {
    (out[id] ??= []).push(p);
  };

  const daeNoisy = num(m.metrics.dae, 'final.test.noisy.bce');
  const aeNoisy = num(m.metrics.ae, 'final.test.noisy.bce');
  if (daeNoisy !== undefined && aeNoisy !== undefined) {
    const ratio = daeNoisy / aeNoisy;
    add('dae', {
      claim: `The denoising AE beats the plain AE on noisy inputs by a wide margin: its test BCE on noised digits (σ = 0.5, clean targets) is at most ${DAE_MARGIN} × the AE's.`,
      measured: { daeNoisyBce: r4(daeNoisy), aeNoisyBce: r4(aeNoisy), ratio: r4(ratio) },
      holds: ratio <= DAE_MARGIN,
    });
  }

  const ladder = BETA_LADDER.filter(([id]) => num(m.metrics[id], 'final.test.bce') !== undefined && num(m.metrics[id], 'final.test.kl') !== undefined);
  if (ladder.length >= 2 && ladder.some(([id]) => id.startsWith('beta-'))) {
    const bce = ladder.map(([id]) => num(m.metrics[id], 'final.test.bce')!);
    const kl = ladder.map(([id]) => num(m.metrics[id], 'final.test.kl')!);
    const p: Prediction = {
      claim: 'A larger β trades reconstruction for KL: over the β-VAEs (β = 1 is the vae) the test BCE rises and the test KL falls, monotonically, as β grows.',
      measured: { models: ladder.map(([id]) => id), beta: ladder.map(([, b]) => b), bce: bce.map(r4), kl: kl.map(r4) },
      holds: increasing(bce) && decreasing(kl),
    };
    for (const [id] of ladder) if (id.startsWith('beta-')) add(id, p);
  }

  const cvaeKnn = m.latentKnn.cvae;
  const vaeKnn = m.latentKnn.vae;
  if (cvaeKnn !== undefined && vaeKnn !== undefined) {
    const ratio = cvaeKnn / vaeKnn;
    add('cvae', {
      claim: `The CVAE's 2-D code carries little label information (the decoder gets the label anyway): the 10-NN label accuracy in its code is far below the VAE's, less than ${CVAE_SHARE} × it.`,
      measured: { cvaeKnnAccuracy: r4(cvaeKnn), vaeKnnAccuracy: r4(vaeKnn), ratio: r4(ratio) },
      holds: ratio < CVAE_SHARE,
    });
  }

  const active = num(m.metrics['vae-20'], 'final.test.activeDims');
  if (active !== undefined) {
    const perDim = numArray(m.metrics['vae-20'], 'final.test.klPerDim');
    const d = num(m.metrics['vae-20'], 'config.latentDim') ?? perDim?.length ?? 20;
    add('vae-20', {
      claim: `A 20-D VAE switches off the dimensions it does not need (posterior collapse): fewer than ${d} of its dimensions are active (mean KL > 0.01 nats).`,
      measured: { activeDims: active, latentDim: d, ...(perDim ? { klPerDim: perDim.map(r4) } : {}) },
      holds: active < d,
    });
  }
  return out;
}

/**
 * `metricsText` (a metrics.json) with its `predictions` set to `list` (replacing any earlier
 * ones; other keys and their order kept), in the trainer's formatting: 2-space JSON + newline.
 * Idempotent: applying the same list twice gives the same text.
 */
export function withPredictions(metricsText: string, list: Prediction[]): string {
  const json = JSON.parse(metricsText) as Record<string, unknown>;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('metrics.json is not a JSON object');
  json.predictions = list;
  return `${JSON.stringify(json, null, 2)}\n`;
}
