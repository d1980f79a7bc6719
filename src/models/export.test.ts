import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { version_layers } from '@tensorflow/tfjs-layers';
import { architecture, initParams } from './architecture.ts';
import { modelJsonText, weightBytes } from './export.ts';
import { Rng } from './random.ts';
import { buildLayersModels, serializeModel } from './tfjs.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe('direct export', () => {
  for (const [kind, latent] of [['ae', 2], ['vae', 2], ['vae', 5]] as const) {
    it(`${kind} (latent ${latent}): byte-identical to tfjs-layers model.save()`, async () => {
      const arch = architecture(kind, latent);
      const params = initParams(arch, new Rng(9, 1));
      const models = buildLayersModels(arch, params);
      for (const part of ['encoder', 'decoder'] as const) {
        const ref = await serializeModel(models[part]);
        expect(modelJsonText(arch, part, version_layers)).toBe(ref.modelJson);
        expect(Buffer.from(weightBytes(arch, part, params)).equals(Buffer.from(ref.weights))).toBe(true);
      }
    });
  }
});
