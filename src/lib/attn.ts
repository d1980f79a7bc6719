/**
 * The attention encoder (`attn`) in the browser: `pretrained/attn/encoder/model.json` (format
 * `latent-atlas-attn`, see DEVELOPERS.md) and its weights, every file verified against the
 * manifest by `artifacts.ts`, read with `tf.io.decodeWeights` and run by `src/models/attn.ts`.
 * Loaded once per page per folder. Set up the TF.js backend first (`ensureBackend()`).
 *
 *     const attn = await loadAttnEncoder();
 *     const { mu, logvar } = attn.encode(pixels);   // pixels: n × 784 in [0, 1]; mu, logvar: n × 2
 *     const maps = attn.attention(pixels);          // n × 4 heads × 16 queries × 16 keys
 *
 * The decoder is the VAE's, a plain layers model: load it like any other (`verifiedHandler`).
 */
import { type AttnEncoder, attnEncoder, attnEncoderFromArtifacts, attnWeightPaths } from '../models/attn.ts';
import { ArtifactError, fetchArtifact, fetchJson } from './artifacts.ts';

export type { AttnEncoder } from '../models/attn.ts';

const loaded = new Map<string, Promise<AttnEncoder>>();

async function load(dir: string): Promise<AttnEncoder> {
  const path = `${dir}/model.json`;
  const json = await fetchJson<unknown>(path);
  let paths: string[];
  try {
    paths = attnWeightPaths(json);
  } catch (err) {
    throw new ArtifactError(path, `pretrained/${path} is not an attention encoder: ${(err as Error).message}.`);
  }
  const buffers = await Promise.all(paths.map((p) => fetchArtifact(`${dir}/${p}`)));
  try {
    const { config, params } = attnEncoderFromArtifacts(json, buffers);
    return attnEncoder(config, params);
  } catch (err) {
    throw new ArtifactError(path, `pretrained/${path} cannot be used: ${(err as Error).message}.`);
  }
}

/** The attention encoder in `pretrained/<dir>/` (default `attn/encoder`), loaded and verified once. */
export function loadAttnEncoder(dir = 'attn/encoder'): Promise<AttnEncoder> {
  let pending = loaded.get(dir);
  if (!pending) {
    pending = load(dir);
    loaded.set(dir, pending);
    pending.catch(() => loaded.delete(dir));
  }
  return pending;
}
