/**
 * Node file IO for the exported TF.js models.
 *
 *     import { loadPretrained, loadLayersModelFromDir } from '../pipeline/model-io.ts';
 *     const { encoder, decoder, metrics } = await loadPretrained('vae');        // from pretrained/
 *     const enc = await loadLayersModelFromDir('pretrained/ae/encoder');        // one model
 *
 * A TF.js backend must be set first (e.g. `await initBackend()` from `./backend.ts`).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type Architecture, buildLayersModels, type ModelKind, modelFromArtifacts, type Params, serializeModel, WEIGHTS_FILE, weightPaths } from '../models/index.ts';

/** Loads `<dir>/model.json` and its weight files into a layers model. */
export async function loadLayersModelFromDir(dir: string): Promise<tfl.LayersModel> {
  const jsonPath = join(dir, 'model.json');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${jsonPath}: ${(err as Error).message}`, { cause: err });
  }
  const weights = await Promise.all(weightPaths(json).map((p) => readFile(join(dir, p))));
  return modelFromArtifacts(json, weights);
}

/** The encoder, decoder and metrics of `pretrained/<kind>/` (or `<root>/<kind>/`). */
export async function loadPretrained(kind: ModelKind, root = 'pretrained'): Promise<{ encoder: tfl.LayersModel; decoder: tfl.LayersModel; metrics: unknown }> {
  const dir = join(root, kind);
  const [encoder, decoder, metrics] = await Promise.all([
    loadLayersModelFromDir(join(dir, 'encoder')),
    loadLayersModelFromDir(join(dir, 'decoder')),
    readFile(join(dir, 'metrics.json'), 'utf8').then(JSON.parse, () => undefined),
  ]);
  return { encoder, decoder, metrics };
}

/** Writes `<dir>/encoder/` and `<dir>/decoder/` (model.json + weights) for trained params. */
export async function writeModels(dir: string, arch: Architecture, params: Params): Promise<void> {
  const { encoder, decoder } = buildLayersModels(arch, params);
  try {
    for (const [name, model] of [['encoder', encoder], ['decoder', decoder]] as const) {
      const s = await serializeModel(model);
      await mkdir(join(dir, name), { recursive: true });
      await writeFile(join(dir, name, 'model.json'), s.modelJson);
      await writeFile(join(dir, name, WEIGHTS_FILE), s.weights);
    }
  } finally {
    encoder.dispose();
    decoder.dispose();
  }
}
