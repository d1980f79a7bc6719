/**
 * The zoo's MLP models beyond the report's two: the denoising AE (noisy input, clean target), the
 * conditional VAE (one-hot label appended to both parts' inputs) and VAEs with larger codes and
 * other β. Forward pass, gradients against tf.grads, losses, export and round trip.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { version_layers } from '@tensorflow/tfjs-layers';
import { type Architecture, architecture, initParams, ioShapes, type ModelKind, paramSpecs } from './architecture.ts';
import { modelJsonText, weightBytes } from './export.ts';
import { bceSum, klSum } from './losses.ts';
import { decodeLogits, decoderInput, encode, encoderInput, evaluate, gradients, klPerDimSums, type ModelInputs, objectiveScale, type TensorParams, toTensors } from './math.ts';
import { Rng } from './random.ts';
import { noisyInto, oneHot, transposeBatch } from './step.ts';
import { buildLayersModels, modelFromArtifacts, serializeModel } from './tfjs.ts';
import { expectGradientsMatch } from './grad-check.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

const N = 12;
const pixels = (n: number, seed = 7) => {
  const r = new Rng(seed);
  return Float32Array.from({ length: n * 784 }, () => (r.uniform() < 0.5 ? 0 : r.uniform()));
};
const labelsOf = (n: number) => Array.from({ length: n }, (_, i) => (i * 7) % 10);

/** A batch's tensors for `arch`: target x, its transpose, eps (VAE family) and the model's inputs. */
function batchFor(arch: Architecture, n = N) {
  const xs = pixels(n);
  const x = tf.tensor2d(xs, [n, 784]);
  const xT = tf.transpose(x);
  const eps = arch.variational ? tf.tensor2d(new Rng(4).fillNormal(new Float32Array(n * arch.latentDim)), [n, arch.latentDim]) : undefined;
  const inputs: ModelInputs = {};
  if (arch.kind === 'dae') {
    const noisy = noisyInto(xs, 0.5, new Rng(3));
    inputs.input = tf.tensor2d(noisy, [n, 784]);
    inputs.inputT = tf.tensor2d(transposeBatch(noisy, n, 784), [784, n]);
  }
  if (arch.labelDim) inputs.labels = tf.tensor2d(oneHot(labelsOf(n), n), [n, 10]);
  return { x, xT, eps, inputs };
}

/** The objective written with plain TF.js ops (concat for the cvae), differentiated by tf.grads. */
function autodiffGrads(arch: Architecture, p: TensorParams, x: tf.Tensor2D, eps: tf.Tensor2D | undefined, inputs: ModelInputs, beta: number): tf.Tensor[] {
  const names = paramSpecs(arch).map((s) => s.name);
  const input = inputs.input ?? (inputs.labels ? tf.concat([x, inputs.labels], 1) : x);
  const f = (...vals: tf.Tensor[]) => {
    const q = Object.fromEntries(names.map((n, i) => [n, vals[i]!]));
    const lin = (l: string, t: tf.Tensor) => tf.add(tf.matMul(t as tf.Tensor2D, q[`${l}/kernel`] as tf.Tensor2D), q[`${l}/bias`]!);
    const h = tf.relu(lin('enc_hidden', input));
    let z: tf.Tensor;
    let kl: tf.Tensor = tf.scalar(0);
    if (!arch.variational) z = lin('z', h);
    else {
      const mu = lin('mu', h);
      const lv = lin('logvar', h);
      z = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), eps!));
      kl = tf.mul(-0.5 * beta, tf.sum(tf.sub(tf.sub(tf.add(1, lv), tf.square(mu)), tf.exp(lv))));
    }
    const zIn = inputs.labels ? tf.concat([z as tf.Tensor2D, inputs.labels], 1) : z;
    const logits = lin('x_hat', tf.relu(lin('dec_hidden', zIn)));
    const bce = tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits)));
    return tf.mul(tf.add(bce, kl), objectiveScale(arch, x.shape[0])) as tf.Scalar;
  };
  return tf.grads(f)(names.map((n) => p[n]!));
}

const cases: [ModelKind, number, number][] = [
  ['dae', 2, 1],
  ['cvae', 2, 1],
  ['cvae', 3, 4],
  ['vae', 10, 1],
  ['vae', 20, 1],
  ['vae', 2, 0.25],
  ['vae', 2, 8],
  ['ae', 10, 1],
];

describe('zoo models: forward pass', () => {
  it('dae: the AE’s layers; cvae: 794-row first encoder kernel, d + 10-row first decoder kernel', () => {
    const shapes = (k: ModelKind, d = 2) => paramSpecs(architecture(k, d)).map((s) => `${s.name}:${s.shape.join('x')}`);
    expect(shapes('dae')).toEqual(shapes('ae'));
    expect(shapes('cvae', 3)).toEqual([
      'enc_hidden/kernel:794x128', 'enc_hidden/bias:128', 'mu/kernel:128x3', 'mu/bias:3', 'logvar/kernel:128x3', 'logvar/bias:3',
      'dec_hidden/kernel:13x128', 'dec_hidden/bias:128', 'x_hat/kernel:128x784', 'x_hat/bias:784',
    ]);
    expect(architecture('cvae')).toMatchObject({ variational: true, labelDim: 10, inputDim: 794 });
    expect(architecture('dae')).toMatchObject({ variational: false, labelDim: 0, inputDim: 784 });
  });

  for (const [kind, d] of [['dae', 2], ['cvae', 2], ['vae', 20]] as const) {
    it(`${kind} (d = ${d}): shapes, and the same numbers as a float64 forward pass`, () => {
      const arch = architecture(kind, d);
      const params = initParams(arch, new Rng(2, 1));
      const p = toTensors(arch, params);
      const { x, inputs } = batchFor(arch, 3);
      const input = encoderInput(arch, x, inputs);
      expect(input.shape).toEqual([3, arch.inputDim]);
      const e = encode(arch, p, input);
      expect(e.z.shape).toEqual([3, d]);
      const zIn = decoderInput(arch, e.z, inputs.labels);
      expect(zIn.shape).toEqual([3, d + arch.labelDim]);
      const logits = decodeLogits(p, zIn).dataSync();
      // float64 reference, row by row
      const dense = (inp: Float64Array, name: string, relu: boolean) => {
        const spec = [...arch.encoder, ...arch.decoder].find((l) => l.name === name)!;
        const W = params[`${name}/kernel`]!;
        const out = Float64Array.from(params[`${name}/bias`]!);
        for (let i = 0; i < spec.inputs; i++) for (let j = 0; j < spec.units; j++) out[j]! += inp[i]! * W[i * spec.units + j]!;
        return relu ? out.map((v) => Math.max(0, v)) : out;
      };
      const inp = input.dataSync();
      const lab = inputs.labels?.dataSync();
      for (let r = 0; r < 3; r++) {
        const row = Float64Array.from(inp.subarray(r * arch.inputDim, (r + 1) * arch.inputDim));
        if (kind === 'cvae') expect(Array.from(row.subarray(784))).toEqual(Array.from(lab!.subarray(r * 10, r * 10 + 10)));
        const h = dense(row, 'enc_hidden', true);
        const z = dense(h, arch.variational ? 'mu' : 'z', false);
        const zc = new Float64Array(d + arch.labelDim);
        zc.set(z);
        if (lab) zc.set(lab.subarray(r * 10, r * 10 + 10), d);
        const l = dense(dense(zc, 'dec_hidden', true), 'x_hat', false);
        for (const j of [0, 100, 400, 783]) expect(logits[r * 784 + j]).toBeCloseTo(l[j]!, 4);
      }
      tf.dispose([...Object.values(p), x]);
    });
  }

  it('the cvae’s decoder output depends on the label', () => {
    const arch = architecture('cvae');
    const p = toTensors(arch, initParams(arch, new Rng(6, 1)));
    const z = tf.zeros([2, 2]);
    const out = decodeLogits(p, decoderInput(arch, z, tf.tensor2d(oneHot([3, 8], 2), [2, 10]))).dataSync();
    expect(out[5]).not.toBe(out[784 + 5]);
    expect(() => decoderInput(arch, z)).toThrow(/needs one-hot labels/);
  });

  it('noisyInto is clip(x + σ·N(0, 1), 0, 1), seeded; oneHot puts a 1 at each label', () => {
    const x = Float32Array.from([0, 0.5, 1, 0.25]);
    const a = noisyInto(x, 0.5, new Rng(9));
    const e = new Rng(9).fillNormal(new Float32Array(4));
    a.forEach((v, i) => expect(v).toBeCloseTo(Math.min(1, Math.max(0, x[i]! + 0.5 * e[i]!)), 6));
    expect(Array.from(noisyInto(x, 0.5, new Rng(9)))).toEqual(Array.from(a));
    expect(Array.from(noisyInto(x, 0, new Rng(9)))).toEqual(Array.from(x));
    expect(Array.from(oneHot([2, 0], 2, 3))).toEqual([0, 0, 1, 1, 0, 0]);
  });
});

describe('zoo models: losses', () => {
  for (const [kind, d] of cases.slice(0, 4)) {
    it(`${kind} (d = ${d}): evaluate() equals the public loss functions on the right input and target`, () => {
      const arch = architecture(kind, d);
      const p = toTensors(arch, initParams(arch, new Rng(3, 1)));
      const { x, eps, inputs } = batchFor(arch);
      const r = evaluate(arch, p, x, eps, inputs);
      const e = encode(arch, p, encoderInput(arch, x, inputs));
      const z = arch.variational ? tf.add(e.mu!, tf.mul(tf.exp(tf.mul(e.logvar!, 0.5)), eps!)) : e.z;
      const probs = tf.sigmoid(decodeLogits(p, decoderInput(arch, z, inputs.labels)));
      expect(r.bce.dataSync()[0]).toBeCloseTo(bceSum(probs, x).dataSync()[0]!, 1);
      expect(r.kl.dataSync()[0]).toBeCloseTo(arch.variational ? klSum(e.mu!, e.logvar!).dataSync()[0]! : 0, 3);
      if (arch.variational) {
        // per-dimension KL sums add up to the batch's KL
        const per = Array.from(klPerDimSums(e.mu!, e.logvar!).dataSync());
        expect(per.length).toBe(d);
        expect(per.reduce((s, v) => s + v, 0)).toBeCloseTo(r.kl.dataSync()[0]!, 3);
      }
    });
  }

  it('dae: the BCE is against the clean target, not the noisy input', () => {
    const arch = architecture('dae');
    const p = toTensors(arch, initParams(arch, new Rng(3, 1)));
    const { x, inputs } = batchFor(arch);
    const vsClean = evaluate(arch, p, x, undefined, inputs).bce.dataSync()[0]!;
    const vsNoisy = evaluate(arch, p, inputs.input!, undefined, inputs).bce.dataSync()[0]!;
    const cleanInput = evaluate(arch, p, x).bce.dataSync()[0]!;
    expect(vsClean).not.toBeCloseTo(vsNoisy, 1);
    expect(vsClean).not.toBeCloseTo(cleanInput, 1);
  });
});

describe('zoo models: hand-written backward pass', () => {
  for (const [kind, d, beta] of cases) {
    it(`${kind} (d = ${d}, β = ${beta}): gradients match tf.grads of the same objective`, () => {
      const arch = architecture(kind, d);
      const p = toTensors(arch, initParams(arch, new Rng(11, 1)));
      const { x, xT, eps, inputs } = batchFor(arch);
      const mine = gradients(arch, p, x, xT, eps, beta, inputs);
      const ref = autodiffGrads(arch, p, x, eps, inputs, beta);
      expectGradientsMatch(mine.grads, ref, paramSpecs(arch).map((s) => s.name));
    });
  }

  it('cvae: the labels built inside (no inputT given) give the same gradients as prebuilt inputs', () => {
    const arch = architecture('cvae');
    const p = toTensors(arch, initParams(arch, new Rng(11, 1)));
    const { x, xT, eps, inputs } = batchFor(arch);
    const input = tf.concat([x, inputs.labels!], 1);
    const a = gradients(arch, p, x, xT, eps, 1, { labels: inputs.labels });
    const b = gradients(arch, p, x, xT, eps, 1, { labels: inputs.labels, input, inputT: tf.transpose(input) });
    for (const k of Object.keys(a.grads)) expect(Array.from(a.grads[k]!.dataSync()), k).toEqual(Array.from(b.grads[k]!.dataSync()));
  });
});

describe('zoo models: TF.js export and round trip', () => {
  for (const [kind, d] of [['dae', 2], ['cvae', 2], ['cvae', 4], ['vae', 20], ['ae', 10]] as const) {
    it(`${kind} (d = ${d}): direct export = tfjs-layers model.save(); load → same outputs as the trainer's math`, async () => {
      const arch = architecture(kind, d);
      const params = initParams(arch, new Rng(5, 1));
      const built = buildLayersModels(arch, params);
      for (const part of ['encoder', 'decoder'] as const) {
        const ref = await serializeModel(built[part]);
        expect(modelJsonText(arch, part, version_layers)).toBe(ref.modelJson);
        expect(Buffer.from(weightBytes(arch, part, params)).equals(Buffer.from(ref.weights))).toBe(true);
      }
      const encoder = await modelFromArtifacts(modelJsonText(arch, 'encoder', version_layers), [weightBytes(arch, 'encoder', params)]);
      const decoder = await modelFromArtifacts(modelJsonText(arch, 'decoder', version_layers), [weightBytes(arch, 'decoder', params)]);
      expect(encoder.inputs[0]!.shape).toEqual([null, arch.inputDim]);
      expect(decoder.inputs[0]!.shape).toEqual([null, d + arch.labelDim]);
      expect(encoder.outputNames).toEqual(arch.variational ? ['mu', 'logvar'] : ['z']);
      // what a loader checks against (ioShapes) is what the exported files say
      const io = ioShapes(arch);
      expect([io.encoderInput, io.decoderInput, io.decoderOutput]).toEqual([encoder.inputs[0]!.shape[1], decoder.inputs[0]!.shape[1], decoder.outputs[0]!.shape[1]]);
      expect(io.encoderOutputs).toEqual(encoder.outputs.map((t, i) => ({ name: encoder.outputNames[i], units: t.shape[1] })));
      expect(encoder.name).toBe(`${kind}_encoder`);

      const { x, inputs } = batchFor(arch, 5);
      const input = encoderInput(arch, x, inputs);
      const outs = [encoder.predict(input)].flat() as tf.Tensor[];
      const p = toTensors(arch, params);
      const e = encode(arch, p, input);
      const close = (a: tf.Tensor, b: tf.Tensor) => Array.from(a.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(b.dataSync()[i]!, 5));
      close(outs[0]!, e.z);
      if (arch.variational) close(outs[1]!, e.logvar!);
      const zIn = decoderInput(arch, outs[0]!, inputs.labels);
      close(decoder.predict(zIn) as tf.Tensor, tf.sigmoid(decodeLogits(p, zIn)));
    });
  }
});
