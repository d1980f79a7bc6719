/**
 * The TF.js layers-model files (`model.json` + one weight shard) written directly from the
 * architecture and parameters, without loading `@tensorflow/tfjs-layers` (it takes ~0.2–0.4 s to
 * import, a tenth of a one-epoch training run). `export.test.ts` checks that the output is
 * byte-for-byte what tfjs-layers' own `model.save()` produces (see `tfjs.ts`).
 */
import type { Architecture, DenseSpec, Params } from './architecture.ts';
import { WEIGHTS_FILE } from './weights-file.ts';

export type ModelPart = 'encoder' | 'decoder';

function denseConfig(spec: DenseSpec) {
  return {
    units: spec.units,
    activation: spec.activation,
    use_bias: true,
    kernel_initializer: { class_name: 'Zeros', config: {} },
    bias_initializer: { class_name: 'Zeros', config: {} },
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    name: spec.name,
    trainable: true,
  };
}

/** The layers of one part, in `model.json` (and weight) order, with the layer feeding each. */
function partLayers(arch: Architecture, part: ModelPart): { input: string; inputDim: number; layers: [DenseSpec, string][]; outputs: string[] } {
  if (part === 'encoder') {
    const [hidden, ...heads] = arch.encoder;
    return {
      input: 'x',
      inputDim: arch.inputDim,
      layers: [[hidden!, 'x'], ...heads.map((h) => [h, hidden!.name] as [DenseSpec, string])],
      outputs: heads.map((h) => h.name),
    };
  }
  const [hidden, out] = arch.decoder;
  return { input: 'z', inputDim: arch.latentDim + arch.labelDim, layers: [[hidden!, 'z'], [out!, hidden!.name]], outputs: [out!.name] };
}

/** The text of `model.json` for `part`; `layersVersion` is the tfjs-layers version (e.g. "4.22.0"). */
export function modelJsonText(arch: Architecture, part: ModelPart, layersVersion: string): string {
  const { input, inputDim, layers, outputs } = partLayers(arch, part);
  const json = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${layersVersion}`,
    convertedBy: null,
    modelTopology: {
      class_name: 'Model',
      config: {
        name: `${arch.kind}_${part}`,
        layers: [
          { name: input, class_name: 'InputLayer', config: { batch_input_shape: [null, inputDim], dtype: 'float32', sparse: false, name: input }, inbound_nodes: [] },
          ...layers.map(([spec, from]) => ({ name: spec.name, class_name: 'Dense', config: denseConfig(spec), inbound_nodes: [[[from, 0, 0, {}]]] })),
        ],
        input_layers: [[input, 0, 0]],
        output_layers: outputs.map((o) => [o, 0, 0]),
      },
      keras_version: `tfjs-layers ${layersVersion}`,
      backend: 'tensor_flow.js',
    },
    weightsManifest: [
      {
        paths: [WEIGHTS_FILE],
        weights: layers.flatMap(([spec]) => [
          { name: `${spec.name}/kernel`, shape: [spec.inputs, spec.units], dtype: 'float32' },
          { name: `${spec.name}/bias`, shape: [spec.units], dtype: 'float32' },
        ]),
      },
    ],
  };
  return JSON.stringify(json);
}

/** The weight shard of `part`: float32 little-endian, kernels `[inputs, units]`, manifest order. */
export function weightBytes(arch: Architecture, part: ModelPart, params: Params): Uint8Array {
  return packWeights(params, partLayers(arch, part).layers.flatMap(([spec]) => [`${spec.name}/kernel`, `${spec.name}/bias`]));
}

/** The parameters `names` of `params`, in that order, as one float32 little-endian shard (TF.js's weight format). */
export function packWeights(params: Params, names: readonly string[]): Uint8Array {
  const missing = names.find((k) => !params[k]);
  if (missing) throw new Error(`missing parameter ${missing}`);
  const out = new Float32Array(names.reduce((n, k) => n + params[k]!.length, 0));
  let o = 0;
  for (const k of names) {
    out.set(params[k]!, o);
    o += params[k]!.length;
  }
  const bytes = new Uint8Array(out.buffer);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    for (let i = 0; i < bytes.length; i += 4) bytes.subarray(i, i + 4).reverse(); // big-endian host
  }
  return bytes;
}
