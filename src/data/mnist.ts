/**
 * MNIST on top of the IDX reader: images as bytes (28 × 28, row-major) with their labels.
 * Pure (no Node APIs); the Node file loader is in `mnist-node.ts`.
 */
import { IdxError, parseIdx } from './idx.ts';

/** Side of an MNIST image in pixels. */
export const IMAGE_SIDE = 28;
/** Pixels per image (28 × 28). */
export const PIXELS = IMAGE_SIDE * IMAGE_SIDE;
export const TRAIN_COUNT = 60_000;
export const TEST_COUNT = 10_000;

/** One split: `images` holds `count × 784` bytes, `labels` `count` digits 0–9. */
export interface MnistSplit {
  count: number;
  images: Uint8Array;
  labels: Uint8Array;
}

export interface Mnist {
  train: MnistSplit;
  test: MnistSplit;
}

/** Parses and validates one split from the bytes of its image and label IDX files. */
export function parseMnistSplit(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array,
  names: { images: string; labels: string },
  expectedCount?: number,
): MnistSplit {
  const images = parseIdx(imageBytes, names.images, { rank: 3, dims: [expectedCount, IMAGE_SIDE, IMAGE_SIDE] });
  const labels = parseIdx(labelBytes, names.labels, { rank: 1, dims: [expectedCount] });
  const count = images.dims[0]!;
  if (labels.dims[0] !== count) {
    throw new IdxError(names.labels, `${labels.dims[0]} labels, expected ${count} to match ${names.images}.`);
  }
  for (let i = 0; i < count; i++) {
    if (labels.data[i]! > 9) {
      throw new IdxError(names.labels, `label ${i} is ${labels.data[i]}, expected a digit 0–9: the file is corrupt.`);
    }
  }
  return { count, images: images.data, labels: labels.data };
}

/** The first `n` examples of a split (views, no copy). */
export function takeSubset(split: MnistSplit, n: number): MnistSplit {
  const count = Math.min(n, split.count);
  return { count, images: split.images.subarray(0, count * PIXELS), labels: split.labels.subarray(0, count) };
}

/** byte → float32 in [0, 1], exactly `byte / 255` like torchvision's ToTensor. */
export const BYTE_TO_UNIT = /* @__PURE__ */ (() => {
  const t = new Float32Array(256);
  for (let i = 0; i < 256; i++) t[i] = i / 255;
  return t;
})();

/** Images `indices` of a split as a `[indices.length, 784]` row-major float32 batch in [0, 1]. */
export function gatherImages(split: MnistSplit, indices: ArrayLike<number>, out?: Float32Array): Float32Array {
  const n = indices.length;
  const dst = out ?? new Float32Array(n * PIXELS);
  const src = split.images;
  for (let r = 0; r < n; r++) {
    const s = indices[r]! * PIXELS;
    const d = r * PIXELS;
    for (let j = 0; j < PIXELS; j++) dst[d + j] = BYTE_TO_UNIT[src[s + j]!]!;
  }
  return dst;
}

/**
 * Like {@link gatherImages}, and also writes the batch transposed (`[784, n]`) into `outT` in the
 * same pass (the backward pass needs both layouts).
 */
export function gatherImagesWithTranspose(split: MnistSplit, indices: ArrayLike<number>, out: Float32Array, outT: Float32Array): void {
  const n = indices.length;
  const src = split.images;
  for (let r = 0; r < n; r++) {
    const s = indices[r]! * PIXELS;
    const d = r * PIXELS;
    for (let j = 0; j < PIXELS; j++) {
      const v = BYTE_TO_UNIT[src[s + j]!]!;
      out[d + j] = v;
      outT[j * n + r] = v;
    }
  }
}

/** All images of a split as float32 in [0, 1], row-major `[count, 784]`. */
export function toFloat(split: MnistSplit): Float32Array {
  const out = new Float32Array(split.count * PIXELS);
  for (let i = 0; i < out.length; i++) out[i] = BYTE_TO_UNIT[split.images[i]!]!;
  return out;
}
