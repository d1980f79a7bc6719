/**
 * The test-set data the widgets show: the 10,000 test digits (from `pretrained/mnist-test-atlas.png`)
 * and each model's embeddings (`pretrained/<model>/embeddings.json`). Both are optional for the
 * widgets — they degrade gracefully while the bake has not produced them — and fetched once.
 */
import { type DecodedAtlas, decodeAtlasPng, offscreenContext } from './atlas-decode.ts';
import { ArtifactError, fetchArtifact, fetchJson } from './artifacts.ts';
import { IMAGE_SIZE, SIDE } from './digits.ts';
import type { ModelKind } from './models.ts';

/** Test digits in the atlas. */
export const TEST_COUNT = 10_000;
/** Tiles per atlas row. */
export const ATLAS_COLUMNS = 100;

/** The decoded atlas: one byte per pixel, `2800 × 2800`. */
export interface Atlas {
  pixels: Uint8Array;
  width: number;
  height: number;
  count: number;
}

/** The part of `embeddings.json` the model widgets read. */
export interface Embeddings {
  model: ModelKind;
  count: number;
  labels: number[];
  latent: number[];
}

let atlasPromise: Promise<Atlas> | undefined;

/**
 * Decodes the atlas PNG in a Web Worker, so the page's main thread stays free; `null` where that
 * cannot be done (no module workers or no `OffscreenCanvas` in workers: the caller decodes here).
 */
function decodeInWorker(bytes: ArrayBuffer): Promise<DecodedAtlas | null> {
  if (typeof Worker !== 'function' || typeof OffscreenCanvas !== 'function') return Promise.resolve(null);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./atlas-worker.ts', import.meta.url), { type: 'module' });
    } catch {
      resolve(null);
      return;
    }
    const done = (r: DecodedAtlas | null) => {
      worker.terminate();
      resolve(r);
    };
    worker.onmessage = (e: MessageEvent<DecodedAtlas>) => done('error' in e.data && e.data.error === 'canvas' ? null : e.data);
    worker.onerror = () => done(null);
    worker.postMessage(bytes); // a copy: the verified bytes stay cached for the page
  });
}

/** Decodes the atlas PNG into greyscale bytes, off the main thread where it can. */
async function decodeAtlas(): Promise<Atlas> {
  const path = 'mnist-test-atlas.png';
  const bytes = await fetchArtifact(path);
  const decoded =
    (await decodeInWorker(bytes)) ??
    (await decodeAtlasPng(bytes, (width, height) => offscreenContext(width, height) ?? Object.assign(document.createElement('canvas'), { width, height }).getContext('2d', { willReadFrequently: true })));
  if ('error' in decoded) {
    throw new ArtifactError(path, decoded.error === 'decode' ? `${path} could not be decoded as a PNG image.` : 'This browser cannot draw into a canvas, so the test digits cannot be shown.');
  }
  const { pixels, width, height } = decoded;
  if (width !== ATLAS_COLUMNS * SIDE || height % SIDE !== 0) {
    throw new ArtifactError(path, `${path} is ${width} × ${height} pixels; expected ${ATLAS_COLUMNS * SIDE} pixels wide in 28-pixel tiles.`);
  }
  return { pixels, width, height, count: Math.min(TEST_COUNT, (width / SIDE) * (height / SIDE)) };
}

/** The test-digit atlas, decoded once per page. */
export function loadAtlas(): Promise<Atlas> {
  atlasPromise ??= decodeAtlas();
  atlasPromise.catch(() => (atlasPromise = undefined));
  return atlasPromise;
}

/** Test digit `index` as 784 intensities in `[0, 1]` (written into `out` if given). */
export function atlasDigit(atlas: Atlas, index: number, out = new Float32Array(IMAGE_SIZE)): Float32Array {
  if (!Number.isInteger(index) || index < 0 || index >= atlas.count) throw new RangeError(`No test digit #${index}`);
  const col = index % ATLAS_COLUMNS;
  const row = Math.floor(index / ATLAS_COLUMNS);
  for (let r = 0; r < SIDE; r++) {
    const base = (row * SIDE + r) * atlas.width + col * SIDE;
    for (let c = 0; c < SIDE; c++) out[r * SIDE + c] = atlas.pixels[base + c]! / 255;
  }
  return out;
}

const embeddingPromises = new Map<ModelKind, Promise<Embeddings>>();

/** `pretrained/<model>/embeddings.json` (labels and latent codes), fetched once and checked. */
export function loadEmbeddings(kind: ModelKind): Promise<Embeddings> {
  let pending = embeddingPromises.get(kind);
  if (!pending) {
    const path = `${kind}/embeddings.json`;
    pending = fetchJson<Embeddings>(path).then((e) => {
      if (!Array.isArray(e.labels) || !Array.isArray(e.latent) || e.latent.length !== 2 * e.labels.length) {
        throw new ArtifactError(path, `${path} has no labels or latent codes of matching length.`);
      }
      return e;
    });
    embeddingPromises.set(kind, pending);
    pending.catch(() => embeddingPromises.delete(kind));
  }
  return pending;
}

/** Resolves to the value, or to undefined if loading failed (for optional context layers). */
export async function optional<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch {
    return undefined;
  }
}
