/**
 * The report's two models, defined once: layer sizes, activations and initialisation.
 *
 * AE:  784 → 128 (ReLU) → D                     decoder D → 128 (ReLU) → 784 (sigmoid)
 * VAE: 784 → 128 (ReLU) → [mu (D), logvar (D)]  decoder D → 128 (ReLU) → 784 (sigmoid)
 *
 * Each Dense layer's kernel is stored `[inputs, units]` row-major (the TF.js layout; PyTorch's
 * `nn.Linear.weight` is its transpose). Layer names are the TF.js layer names in the exported
 * models, so `enc_hidden/kernel` is both the parameter name here and the weight name in
 * `model.json`.
 */
import { Rng } from './random.ts';

export type ModelKind = 'ae' | 'vae';
export type Activation = 'relu' | 'linear' | 'sigmoid';

export const INPUT_DIM = 784;
export const HIDDEN_DIM = 128;

export interface DenseSpec {
  name: string;
  inputs: number;
  units: number;
  activation: Activation;
}

export interface Architecture {
  kind: ModelKind;
  latentDim: number;
  /** AE: `enc_hidden`, `z`. VAE: `enc_hidden`, then the two heads `mu` and `logvar` (both fed by `enc_hidden`). */
  encoder: DenseSpec[];
  /** `dec_hidden`, `x_hat`. */
  decoder: DenseSpec[];
}

/** The report's architecture for `kind` with a `latentDim`-dimensional code (the report uses 2). */
export function architecture(kind: ModelKind, latentDim = 2): Architecture {
  if (!Number.isInteger(latentDim) || latentDim < 1) throw new RangeError(`latentDim must be a positive integer, got ${latentDim}`);
  const hidden: DenseSpec = { name: 'enc_hidden', inputs: INPUT_DIM, units: HIDDEN_DIM, activation: 'relu' };
  const encoder: DenseSpec[] =
    kind === 'ae'
      ? [hidden, { name: 'z', inputs: HIDDEN_DIM, units: latentDim, activation: 'linear' }]
      : [
          hidden,
          { name: 'mu', inputs: HIDDEN_DIM, units: latentDim, activation: 'linear' },
          { name: 'logvar', inputs: HIDDEN_DIM, units: latentDim, activation: 'linear' },
        ];
  const decoder: DenseSpec[] = [
    { name: 'dec_hidden', inputs: latentDim, units: HIDDEN_DIM, activation: 'relu' },
    { name: 'x_hat', inputs: HIDDEN_DIM, units: INPUT_DIM, activation: 'sigmoid' },
  ];
  return { kind, latentDim, encoder, decoder };
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
