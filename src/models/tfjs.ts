/**
 * The models as TF.js layers models: built from trained parameters (for export), serialised to
 * the `model.json` + one `.bin` format, and rebuilt from those bytes (Node and browser alike).
 *
 * Layer names (also the weight names in `model.json`, `<layer>/kernel` and `<layer>/bias`):
 * - encoder input `x` [null, 784] (cvae: [null, 794], pixels then one-hot label) → `enc_hidden`
 *   (128, ReLU) → AE/DAE: `z` (D, linear); VAE/CVAE: two heads `mu` and `logvar` (D each,
 *   linear), outputs `[mu, logvar]` in that order.
 * - decoder input `z` [null, D] (cvae: [null, D + 10], code then one-hot label) → `dec_hidden`
 *   (128, ReLU) → `x_hat` (784, sigmoid).
 * Model names: `<kind>_encoder`, `<kind>_decoder`.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Architecture, DenseSpec, Params } from './architecture.ts';

import { WEIGHTS_FILE } from './weights-file.ts';

export { WEIGHTS_FILE };

export interface LayersPair {
  encoder: tfl.LayersModel;
  decoder: tfl.LayersModel;
}

function denseLayer(spec: DenseSpec): tfl.layers.Layer {
  return tfl.layers.dense({
    units: spec.units,
    activation: spec.activation,
    name: spec.name,
    kernelInitializer: 'zeros',
    biasInitializer: 'zeros',
  });
}

/** Builds the encoder and decoder layers models and, when given, loads `params` into them. */
export function buildLayersModels(arch: Architecture, params?: Params): LayersPair {
  const [hiddenSpec, ...heads] = arch.encoder;
  const x = tfl.input({ shape: [arch.inputDim], name: 'x' });
  const hidden = denseLayer(hiddenSpec!);
  const h = hidden.apply(x) as tfl.SymbolicTensor;
  const headLayers = heads.map(denseLayer);
  const outputs = headLayers.map((l) => l.apply(h) as tfl.SymbolicTensor);
  const encoder = tfl.model({ inputs: x, outputs: outputs.length === 1 ? outputs[0]! : outputs, name: `${arch.kind}_encoder` });

  const z = tfl.input({ shape: [arch.latentDim + arch.labelDim], name: 'z' });
  const decLayers = arch.decoder.map(denseLayer);
  let y: tfl.SymbolicTensor = z;
  for (const l of decLayers) y = l.apply(y) as tfl.SymbolicTensor;
  const decoder = tfl.model({ inputs: z, outputs: y, name: `${arch.kind}_decoder` });

  if (params) {
    for (const [layer, spec] of [[hidden, hiddenSpec!] as const, ...headLayers.map((l, i) => [l, heads[i]!] as const), ...decLayers.map((l, i) => [l, arch.decoder[i]!] as const)]) {
      const kernel = params[`${spec.name}/kernel`];
      const bias = params[`${spec.name}/bias`];
      if (!kernel || !bias) throw new Error(`missing parameters for layer ${spec.name}`);
      tf.tidy(() => layer.setWeights([tf.tensor2d(kernel, [spec.inputs, spec.units]), tf.tensor1d(bias)]));
    }
  }
  return { encoder, decoder };
}

/** A serialised layers model: the text of `model.json` and the bytes of its weight file. */
export interface SerializedModel {
  modelJson: string;
  weights: Uint8Array;
}

function joinBuffers(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  if (!Array.isArray(data)) return new Uint8Array(data);
  const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
  let o = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), o);
    o += b.byteLength;
  }
  return out;
}

/**
 * Serialises a layers model to `model.json` text (weightsManifest pointing at {@link WEIGHTS_FILE})
 * and its weight bytes. Deterministic: no timestamps, fixed layer names, fixed key order.
 */
export async function serializeModel(model: tfl.LayersModel): Promise<SerializedModel> {
  let result: SerializedModel | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
      };
      result = { modelJson: JSON.stringify(json), weights: joinBuffers(artifacts.weightData as ArrayBuffer | ArrayBuffer[]) };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  return result!;
}

/** The weight file paths a `model.json` names, in order (relative to the `model.json`). */
export function weightPaths(modelJson: unknown): string[] {
  const manifest = (modelJson as { weightsManifest?: { paths?: string[] }[] }).weightsManifest;
  if (!Array.isArray(manifest)) throw new Error('model.json has no weightsManifest');
  return manifest.flatMap((g) => g.paths ?? []);
}

/**
 * Rebuilds a layers model from a parsed (or text) `model.json` and the contents of its weight
 * files, in {@link weightPaths} order. Used by the Node loader and usable in the browser.
 */
export async function modelFromArtifacts(modelJson: unknown, weightFiles: readonly (ArrayBuffer | Uint8Array)[]): Promise<tfl.LayersModel> {
  const json = (typeof modelJson === 'string' ? JSON.parse(modelJson) : modelJson) as {
    modelTopology: object;
    weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
  };
  const bytes = joinBuffers(weightFiles.map((b) => (b instanceof Uint8Array ? b.slice().buffer : b)));
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: bytes.buffer,
    }),
  );
}
