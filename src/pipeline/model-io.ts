/**
 * Node file IO for the exported TF.js models.
 *
 *     import { loadPretrained, loadLayersModelFromDir } from '../pipeline/model-io.ts';
 *     const { encoder, decoder, metrics } = await loadPretrained('vae');        // from pretrained/
 *     const enc = await loadLayersModelFromDir('pretrained/ae/encoder');        // one model
 *
 * A TF.js backend must be set first (e.g. `await initBackend()` from `./backend.ts`).
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Architecture, Params } from '../models/architecture.ts';
import { modelJsonText, weightBytes } from '../models/export.ts';
import { WEIGHTS_FILE } from '../models/weights-file.ts';

/** The installed version of an npm package (read from its package.json, without importing it). */
export function packageVersion(name: string): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(name));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version) return pkg.version;
    } catch {
      /* keep looking upwards */
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the version of ${name}`);
    dir = up;
  }
}

/** Loads `<dir>/model.json` and its weight files into a layers model. */
export async function loadLayersModelFromDir(dir: string): Promise<tfl.LayersModel> {
  const jsonPath = join(dir, 'model.json');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${jsonPath}: ${(err as Error).message}`, { cause: err });
  }
  const { modelFromArtifacts, weightPaths } = await import('../models/tfjs.ts'); // loads tfjs-layers
  const weights = await Promise.all(weightPaths(json).map((p) => readFile(join(dir, p))));
  return modelFromArtifacts(json, weights);
}

/** The encoder, decoder and metrics of `pretrained/<id>/` (or `<root>/<id>/`); `id` is a zoo id (`ae`, `cvae`, `beta-4`, …). */
export async function loadPretrained(id: string, root = 'pretrained'): Promise<{ encoder: tfl.LayersModel; decoder: tfl.LayersModel; metrics: unknown }> {
  const dir = join(root, id);
  const [encoder, decoder, metrics] = await Promise.all([
    loadLayersModelFromDir(join(dir, 'encoder')),
    loadLayersModelFromDir(join(dir, 'decoder')),
    readFile(join(dir, 'metrics.json'), 'utf8').then(JSON.parse, () => undefined),
  ]);
  return { encoder, decoder, metrics };
}

/**
 * Writes `<dir>/encoder/` and `<dir>/decoder/` (model.json + weights) for trained params: the
 * same bytes tfjs-layers' `model.save()` would write (checked by `src/models/export.test.ts`).
 */
export async function writeModels(dir: string, arch: Architecture, params: Params): Promise<void> {
  const version = packageVersion('@tensorflow/tfjs-layers');
  for (const part of ['encoder', 'decoder'] as const) {
    await mkdir(join(dir, part), { recursive: true });
    await writeFile(join(dir, part, 'model.json'), modelJsonText(arch, part, version));
    await writeFile(join(dir, part, WEIGHTS_FILE), weightBytes(arch, part, params));
  }
}
