/**
 * The model zoo: every model the pipeline trains and the site shows, one entry each. Adding a
 * model is one entry here plus a retrain (`npm run train -- --zoo <id>`); the pipeline writes
 * this list to `pretrained/zoo.json` (see {@link zooJson}) and nothing else hard-codes it.
 *
 * - `ae`, `vae`: the report's models (2-D code); `ae-10`, `ae-20`, `vae-10`, `vae-20`: the same
 *   with 10- and 20-D codes.
 * - `beta-*`: β-VAEs (loss Σ BCE + β·Σ KL), 2-D.
 * - `cvae`: conditional VAE, the one-hot label appended to the encoder's and the decoder's input.
 * - `dae`: denoising AE, trained on clip(x + noise·N(0, 1), 0, 1) against the clean x.
 * - `attn`: a patch-attention encoder with the VAE's decoder (`src/models/attn.ts`).
 */
export type ZooKind = 'ae' | 'vae' | 'dae' | 'cvae' | 'attn';

export interface ZooEntry {
  id: string;
  kind: ZooKind;
  latentDim: number;
  /** KL weight of the VAE family (vae, cvae, attn); null for ae and dae. */
  beta: number | null;
  /** Whether encoder and decoder also take the one-hot label (cvae). */
  conditional: boolean;
  /** Training-noise level σ of the dae; null for the others. */
  noise: number | null;
}

const entry = (id: string, kind: ZooKind, latentDim: number, beta: number | null, conditional = false, noise: number | null = null): ZooEntry =>
  Object.freeze({ id, kind, latentDim, beta, conditional, noise });

export const ZOO: readonly ZooEntry[] = Object.freeze([
  entry('ae', 'ae', 2, null),
  entry('vae', 'vae', 2, 1),
  entry('ae-10', 'ae', 10, null),
  entry('ae-20', 'ae', 20, null),
  entry('vae-10', 'vae', 10, 1),
  entry('vae-20', 'vae', 20, 1),
  entry('beta-0.25', 'vae', 2, 0.25),
  entry('beta-0.5', 'vae', 2, 0.5),
  entry('beta-2', 'vae', 2, 2),
  entry('beta-4', 'vae', 2, 4),
  entry('beta-8', 'vae', 2, 8),
  entry('cvae', 'cvae', 2, 1, true),
  entry('dae', 'dae', 2, null, false, 0.5),
  entry('attn', 'attn', 2, 1),
]);

export const ZOO_KINDS: readonly ZooKind[] = ['ae', 'vae', 'dae', 'cvae', 'attn'];

/** The registry entry `id`; throws an Error naming the known ids when there is none. */
export function zooEntry(id: string): ZooEntry {
  const e = ZOO.find((z) => z.id === id);
  if (!e) throw new Error(`unknown zoo model "${id}"; known: ${ZOO.map((z) => z.id).join(', ')}`);
  return e;
}

/** The entry whose settings are exactly these (kind, latentDim, beta, noise), if any. */
export function findZooEntry(kind: ZooKind, latentDim: number, beta: number | null, noise: number | null): ZooEntry | undefined {
  return ZOO.find((z) => z.kind === kind && z.latentDim === latentDim && z.beta === beta && z.noise === noise);
}

/** The VAE family: an encoder with `mu` and `logvar` heads and a KL term. */
export function isVariational(kind: ZooKind): boolean {
  return kind === 'vae' || kind === 'cvae' || kind === 'attn';
}

/** The text of `pretrained/zoo.json`: `{ "version": 1, "models": [ZooEntry, …] }`, registry order. */
export function zooJson(): string {
  return `${JSON.stringify({ version: 1, models: ZOO }, null, 2)}\n`;
}
