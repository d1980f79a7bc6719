/**
 * Any zoo model's encoder or decoder, with a code of any width (the bigger codes' `ae-10`,
 * `vae-20`, … as well as the 2-D `ae` and `vae`), as a plain-JavaScript Dense stack (`dense.ts`).
 *
 * Loaded like every model of the site: the compact copy (`pretrained/<id>/compact/<part>/`),
 * every file verified against the manifest (`models.ts` `verifiedHandler`), read by TF.js's own
 * layers loader (which dequantizes), then checked against the contract (encoder `[null, 784]` →
 * d, decoder d → `[null, 784]`), copied into a `DenseStack` and the TF.js model disposed — so the
 * widgets hold no tensors. A VAE encoder's stack is its `mu` head (its code is the mean μ).
 * Each part is loaded once per page and only when a widget asks for it.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { ArtifactError } from './artifacts.ts';
import { ensureBackend } from './backend.ts';
import { compactModelDir } from './compact-format.ts';
import { denseStackFromLayers, type DenseStack } from './dense.ts';
import { IMAGE_SIZE } from './digits.ts';
import { verifiedHandler } from './models.ts';

/** The part of a model a widget needs. */
export type CoderPart = 'encoder' | 'decoder';

const cache = new Map<string, Promise<DenseStack>>();

/** The layers a part's stack is built from: a VAE encoder without its `logvar` head. */
export function stackLayers<L extends { name: string }>(layers: readonly L[], part: CoderPart): L[] {
  return part === 'encoder' ? layers.filter((l) => l.name !== 'logvar') : [...layers];
}

/**
 * Checks a stack's widths against the contract; the message names the file. `labels` > 0: a
 * conditional model (the cvae), whose encoder and decoder take the one-hot label after their input.
 */
export function checkStack(stack: DenseStack | null, part: CoderPart, dim: number, file: string, labels = 0): DenseStack {
  const want = part === 'encoder' ? [IMAGE_SIZE + labels, dim] : [dim + labels, IMAGE_SIZE];
  if (!stack) throw new ArtifactError(file, `pretrained/${file} is not a stack of Dense layers, so this figure cannot run it.`);
  if (stack.inDim !== want[0] || stack.outDim !== want[1]) {
    throw new ArtifactError(file, `The ${part} in pretrained/${file} maps ${stack.inDim} → ${stack.outDim} values; expected ${want[0]} → ${want[1]} for a ${dim}-D code${labels ? ` and a ${labels}-class one-hot label` : ''}.`);
  }
  return stack;
}

/**
 * Zoo model `id`'s encoder (pixels → its `dim`-D code, VAE: μ) or decoder (code → 784
 * probabilities); with `labels` (the cvae: 10) each takes the one-hot label after its input.
 */
export function loadCoder(id: string, part: CoderPart, dim: number, labels = 0): Promise<DenseStack> {
  const key = `${id}/${part}`;
  let pending = cache.get(key);
  if (!pending) {
    const dir = compactModelDir(id, part);
    const file = `${dir}/model.json`;
    pending = (async () => {
      await ensureBackend();
      let model: tfl.LayersModel;
      try {
        model = await tfl.loadLayersModel(verifiedHandler(dir));
      } catch (err) {
        if (err instanceof ArtifactError) throw err;
        throw new ArtifactError(file, `pretrained/${file} could not be loaded as a TF.js model: ${(err as Error)?.message || String(err)}`);
      }
      try {
        let stack: DenseStack | null = null;
        try {
          stack = denseStackFromLayers(stackLayers(model.layers, part));
        } catch {
          stack = null;
        }
        return checkStack(stack, part, dim, file, labels);
      } finally {
        model.dispose();
      }
    })();
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}
