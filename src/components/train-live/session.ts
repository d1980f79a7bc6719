/**
 * One in-page training run: the model of `src/models` (same architecture, initialisation, backward
 * pass and Adam as the Node trainer, through the shared `trainStep`), shuffled mini-batches from a
 * data source, and evaluation on held-out digits. DOM-free; runs on whatever TF.js backend is
 * active (the page's runtime picks WebAssembly), so the Node unit tests exercise the same code.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Architecture, architecture, INPUT_DIM, initParams } from '../../models/architecture.ts';
import { Adam } from '../../models/adam.ts';
import { decodeLogits, encode, evaluate, releaseConstants, type TensorParams, toTensors } from '../../models/math.ts';
import { Rng } from '../../models/random.ts';
import { trainStep, transposeBatch } from '../../models/step.ts';
import type { TrainSettings } from './settings.ts';
import { tidyRecord, tidyValues } from '../../models/tensor-values.ts';

/** Where the training images come from. */
export interface DataSource {
  /** Writes image `index` (784 intensities in [0, 1]) into `out`. */
  image(index: number, out: Float32Array<ArrayBuffer>): void;
}

/** One step's losses per image (nats); `total` is the objective BCE + β·KL. */
export interface StepLosses {
  n: number;
  total: number;
  bce: number;
  kl: number;
}

/** Codes and loss sums of an evaluated chunk. */
export interface EvalResult {
  /** `[n, latentDim]` codes (VAE: μ). */
  codes: Float32Array;
  /** Σ BCE over the chunk (VAE: on a sampled z, the single-sample negative-ELBO term). */
  bce: number;
  /** Σ KL over the chunk (0 for the AE). */
  kl: number;
}

/** A training run on the images `[trainStart, trainStart + trainCount)` of a data source. */
export class TrainSession {
  readonly settings: TrainSettings;
  readonly arch: Architecture;
  /** KL weight; may change between steps (the β slider). */
  beta: number;
  /** Images per batch; may change between steps. */
  batchSize: number;
  /** Optimiser steps taken. */
  step = 0;
  /** Training images seen (steps × batch sizes). */
  imagesSeen = 0;
  #params: TensorParams;
  #adam: Adam;
  #shuffle: Rng;
  #noise: Rng;
  #order: Uint32Array;
  #cursor: number;
  #source: DataSource;
  #disposed = false;

  /** Builds the model with the seeded initialisation (the same seed gives the same start). */
  constructor(settings: TrainSettings, source: DataSource, train: { start: number; count: number }, seed = 0) {
    this.settings = settings;
    this.arch = architecture(settings.kind, settings.latentDim);
    this.beta = settings.beta;
    this.batchSize = settings.batchSize;
    this.#source = source;
    this.#params = toTensors(this.arch, initParams(this.arch, new Rng(seed, 1)));
    this.#adam = new Adam(settings.lr);
    this.#shuffle = new Rng(seed, 2);
    this.#noise = new Rng(seed, 3);
    this.#order = Uint32Array.from({ length: train.count }, (_, i) => train.start + i);
    this.#cursor = this.#order.length; // shuffles before the first batch
  }

  /** The next batch's image indices, reshuffling at each epoch's end (the last batch may be short). */
  #nextIndices(): Uint32Array {
    if (this.#cursor >= this.#order.length) {
      this.#shuffle.shuffle(this.#order);
      this.#cursor = 0;
    }
    const n = Math.min(this.batchSize, this.#order.length - this.#cursor);
    const idx = this.#order.subarray(this.#cursor, this.#cursor + n);
    this.#cursor += n;
    return idx;
  }

  /** One Adam step on the next mini-batch. */
  trainStep(): StepLosses {
    if (this.#disposed) throw new Error('This training run was reset.');
    const idx = this.#nextIndices();
    const n = idx.length;
    const x = new Float32Array(n * INPUT_DIM);
    for (let r = 0; r < n; r++) this.#source.image(idx[r]!, x.subarray(r * INPUT_DIM, (r + 1) * INPUT_DIM));
    const xT = transposeBatch(x, n, INPUT_DIM);
    const eps = this.arch.kind === 'vae' ? this.#noise.fillNormal(new Float32Array(n * this.arch.latentDim)) : undefined;
    const beta = this.arch.kind === 'vae' ? this.beta : 1;
    const r = trainStep(this.arch, this.#params, this.#adam, { n, x, xT, eps }, beta);
    this.#params = r.params;
    this.step += 1;
    this.imagesSeen += n;
    const bce = r.bce / n;
    const kl = r.kl / n;
    return { n, bce, kl, total: this.arch.kind === 'vae' ? bce + beta * kl : bce };
  }

  /**
   * Codes and loss sums of `n` images (`[n, 784]`, row-major). VAE noise for the sampled z comes
   * from `rng` (pass a freshly seeded one to make evaluations comparable across steps).
   */
  evaluate(x: Float32Array, n: number, rng: Rng): EvalResult {
    const { codes, bce, kl } = tidyRecord(() => {
      const xt = tf.tensor2d(x, [n, INPUT_DIM]);
      const eps = this.arch.kind === 'vae' ? tf.tensor2d(rng.fillNormal(new Float32Array(n * this.arch.latentDim)), [n, this.arch.latentDim]) : undefined;
      const losses = evaluate(this.arch, this.#params, xt, eps);
      return { codes: encode(this.arch, this.#params, xt).z, bce: losses.bce, kl: losses.kl };
    });
    return { codes, bce: bce[0]!, kl: kl[0]! };
  }

  /** Reconstructions (pixel probabilities, `[n, 784]`) of `n` images, decoded from their codes (VAE: μ). */
  reconstruct(x: Float32Array, n: number): Float32Array {
    return tidyValues(() => {
      const { z } = encode(this.arch, this.#params, tf.tensor2d(x, [n, INPUT_DIM]));
      return tf.sigmoid(decodeLogits(this.#params, z));
    });
  }

  /** Frees the model's and the optimiser's tensors, and the step's cached constants. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    tf.dispose(Object.values(this.#params));
    this.#adam.dispose();
    releaseConstants();
  }
}
