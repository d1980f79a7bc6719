/**
 * The MLP models of the zoo, defined once: layer sizes, activations and initialisation.
 *
 * AE:   784 → 128 (ReLU) → D                     decoder D → 128 (ReLU) → 784 (sigmoid)
 * VAE:  784 → 128 (ReLU) → [mu (D), logvar (D)]  decoder D → 128 (ReLU) → 784 (sigmoid)
 * DAE:  the AE's layers (it differs only in training: noisy inputs, clean targets)
 * CVAE: the VAE with the one-hot label (10) appended to each part's input: the encoder takes
 *       794 = 784 pixels then the label, the decoder D + 10 = the code then the label
 *
 * Each Dense layer's kernel is stored `[inputs, units]` row-major (the TF.js layout; PyTorch's
 * `nn.Linear.weight` is its transpose). Layer names are the TF.js layer names in the exported
 * models, so `enc_hidden/kernel` is both the parameter name here and the weight name in
 * `model.json`.
 */
import { Rng } from './random.ts';

/** The MLP kinds of the zoo (`attn`, the attention encoder, lives in `attn.ts`). */
export type ModelKind = 'ae' | 'vae' | 'dae' | 'cvae';
export const MODEL_KINDS: readonly ModelKind[] = ['ae', 'vae', 'dae', 'cvae'];
export type Activation = 'relu' | 'linear' | 'sigmoid';

export const INPUT_DIM = 784;
export const HIDDEN_DIM = 128;
/** One-hot label width of the conditional model. */
export const LABEL_DIM = 10;

export interface DenseSpec {
  name: string;
  inputs: number;
  units: number;
  activation: Activation;
}

export interface Architecture {
  kind: ModelKind;
  latentDim: number;
  /** Encoder `mu`/`logvar` heads, a KL term and reparameterisation noise (vae, cvae). */
  variational: boolean;
  /** One-hot label width appended to both parts' inputs: 10 for the cvae, else 0. */
  labelDim: number;
  /** Width of the encoder's input: 784 + labelDim. */
  inputDim: number;
  /** AE/DAE: `enc_hidden`, `z`. VAE/CVAE: `enc_hidden`, then the two heads `mu` and `logvar` (both fed by `enc_hidden`). */
  encoder: DenseSpec[];
  /** `dec_hidden`, `x_hat`. */
  decoder: DenseSpec[];
}

/** The architecture of `kind` with a `latentDim`-dimensional code (the report uses 2). */
export function architecture(kind: ModelKind, latentDim = 2): Architecture {
  if (!MODEL_KINDS.includes(kind)) throw new RangeError(`model kind must be one of ${MODEL_KINDS.join(', ')}, got ${String(kind)}`);
  if (!Number.isInteger(latentDim) || latentDim < 1) throw new RangeError(`latentDim must be a positive integer, got ${latentDim}`);
  const variational = kind === 'vae' || kind === 'cvae';
  const labelDim = kind === 'cvae' ? LABEL_DIM : 0;
  const inputDim = INPUT_DIM + labelDim;
  const hidden: DenseSpec = { name: 'enc_hidden', inputs: inputDim, units: HIDDEN_DIM, activation: 'relu' };
  const encoder: DenseSpec[] =
    !variational
      ? [hidden, { name: 'z', inputs: HIDDEN_DIM, units: latentDim, activation: 'linear' }]
      : [
          hidden,
          { name: 'mu', inputs: HIDDEN_DIM, units: latentDim, activation: 'linear' },
          { name: 'logvar', inputs: HIDDEN_DIM, units: latentDim, activation: 'linear' },
        ];
  const decoder: DenseSpec[] = [
    { name: 'dec_hidden', inputs: latentDim + labelDim, units: HIDDEN_DIM, activation: 'relu' },
    { name: 'x_hat', inputs: HIDDEN_DIM, units: INPUT_DIM, activation: 'sigmoid' },
  ];
  return { kind, latentDim, variational, labelDim, inputDim, encoder, decoder };
}

/**
 * The exported models' input and output widths (the `pretrained/` contract), for loaders that
 * check a model against its zoo entry (e.g. the browser's): encoder `[null, inputDim]` →
 * outputs (`z`, or `mu` and `logvar`) `[null, latentDim]`; decoder `[null, latentDim + labelDim]`
 * → `[null, 784]`.
 */
export function ioShapes(arch: Architecture): { encoderInput: number; encoderOutputs: { name: string; units: number }[]; decoderInput: number; decoderOutput: number } {
  return {
    encoderInput: arch.inputDim,
    encoderOutputs: arch.encoder.slice(1).map((l) => ({ name: l.name, units: l.units })),
    decoderInput: arch.latentDim + arch.labelDim,
    decoderOutput: INPUT_DIM,
  };
}

/** A parameter's name (`<layer>/kernel` or `<layer>/bias`) and shape. */
export interface ParamSpec {
  name: string;
  shape: [number, number] | [number];
}

/** Every parameter in a fixed order: encoder layers then decoder layers, kernel before bias. */
export function paramSpecs(arch: Architecture): ParamSpec[] {
  return [...arch.encoder, ...arch.decoder].flatMap((l) => [
    { name: `${l.name}/kernel`, shape: [l.inputs, l.units] as [number, number] },
    { name: `${l.name}/bias`, shape: [l.units] as [number] },
  ]);
}

/** Parameter values by name, float32, row-major. */
export type Params = Record<string, Float32Array>;

/**
 * PyTorch's `nn.Linear` default initialisation: kernel and bias both U(−1/√fan_in, 1/√fan_in)
 * (kaiming_uniform with a = √5 gives exactly that bound for the kernel). Draws come from `rng`
 * in `paramSpecs` order, so a seed fixes the initial weights.
 */
export function initParams(arch: Architecture, rng: Rng): Params {
  const params: Params = {};
  for (const spec of paramSpecs(arch)) {
    const fanIn = spec.name.endsWith('/kernel') ? spec.shape[0] : layerInputs(arch, spec.name);
    const bound = 1 / Math.sqrt(fanIn);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = (2 * rng.uniform() - 1) * bound;
    params[spec.name] = values;
  }
  return params;
}

function layerInputs(arch: Architecture, paramName: string): number {
  const layer = paramName.slice(0, paramName.indexOf('/'));
  return [...arch.encoder, ...arch.decoder].find((l) => l.name === layer)!.inputs;
}
