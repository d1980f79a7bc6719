/**
 * The test-set data the widgets show, in the compact forms of issue 11 (`compact-format.ts`):
 *
 * - the 10,000 test digits in 100 chunks of 100 (`pretrained/digits/NNN.png`), fetched on demand —
 *   a widget asks for the digits it shows (`loadDigits`) and only their chunks travel; each chunk
 *   is decoded in a Web Worker (`atlas-worker.ts`), on the page where a worker cannot draw;
 * - the test labels (`pretrained/digits/labels.bin`) and each model's code of every test digit
 *   (`pretrained/<model>/compact/latent.bin`, 16-bit), so reconstructing or interpolating a test
 *   digit needs only the decoder.
 *
 * Everything is fetched once per page (`artifacts.ts`) and verified against the manifest.
 */
import { type DecodedAtlas, decodeAtlasPng, offscreenContext } from './atlas-decode.ts';
import { ArtifactError, fetchArtifact } from './artifacts.ts';
import { CHUNK_COUNT, CHUNK_HEIGHT, CHUNK_WIDTH, DIGITS_PER_CHUNK, LABELS_PATH, type DecodedMap, type MapName, MapFormatError, chunkOf, chunkPath, decodeMap, mapPath } from '../contracts/compact-format.ts';
import { IMAGE_SIZE, SIDE } from './digits.ts';
import type { ModelKind } from './models.ts';

/** Test digits in all. */
export const TEST_COUNT = 10_000;

/** The test digits fetched so far: one byte per pixel per chunk (`2800 × 28`). */
export interface Atlas {
  count: number;
  chunks: Map<number, Uint8Array>;
}

/** The codes of the test digits and their labels. */
export interface Embeddings {
  model: ModelKind;
  count: number;
  labels: Uint8Array;
  /** `count × latentDim` codes, row-major (the VAE: μ). */
  latent: Float32Array;
  latentDim: number;
}

const atlas: Atlas = { count: TEST_COUNT, chunks: new Map() };
const chunkPromises = new Map<number, Promise<void>>();

let worker: { post(bytes: ArrayBuffer): Promise<DecodedAtlas | null> } | null | undefined;

/**
 * One module worker for the page's chunk decodes (null where there is none or it cannot draw:
 * the caller then decodes on the page). Answers carry the request's id.
 */
function decoder(): typeof worker {
  if (worker !== undefined) return worker;
  if (typeof Worker !== 'function' || typeof OffscreenCanvas !== 'function') return (worker = null);
  let w: Worker;
  try {
    w = new Worker(new URL('./atlas-worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return (worker = null);
  }
  const waiting = new Map<number, (r: DecodedAtlas | null) => void>();
  let next = 0;
  w.onmessage = (e: MessageEvent<{ id: number; result: DecodedAtlas }>) => {
    const { id, result } = e.data;
    waiting.get(id)?.('error' in result && result.error === 'canvas' ? null : result);
    waiting.delete(id);
  };
  w.onerror = () => {
    for (const done of waiting.values()) done(null);
    waiting.clear();
    worker = null;
    w.terminate();
  };
  worker = {
    post: (bytes) =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        w.postMessage({ id, bytes }); // a copy: the verified bytes stay cached for the page
      }),
  };
  return worker;
}

/** Fetches, verifies and decodes chunk `c` into the shared atlas. */
function loadChunk(c: number): Promise<void> {
  let pending = chunkPromises.get(c);
  if (!pending) {
    const path = chunkPath(c);
    pending = (async () => {
      const bytes = await fetchArtifact(path);
      const decoded =
        (await decoder()?.post(bytes)) ??
        (await decodeAtlasPng(bytes, (width, height) => offscreenContext(width, height) ?? Object.assign(document.createElement('canvas'), { width, height }).getContext('2d', { willReadFrequently: true })));
      if ('error' in decoded) {
        throw new ArtifactError(path, decoded.error === 'decode' ? `${path} could not be decoded as a PNG image.` : 'This browser cannot draw into a canvas, so the test digits cannot be shown.');
      }
      if (decoded.width !== CHUNK_WIDTH || decoded.height !== CHUNK_HEIGHT) {
        throw new ArtifactError(path, `${path} is ${decoded.width} × ${decoded.height} pixels; expected ${CHUNK_WIDTH} × ${CHUNK_HEIGHT} (${DIGITS_PER_CHUNK} digits of 28 × 28 side by side).`);
      }
      atlas.chunks.set(c, decoded.pixels);
    })();
    chunkPromises.set(c, pending);
    pending.catch(() => chunkPromises.delete(c));
  }
  return pending;
}

/** Makes the given test digits available to `atlasDigit` (fetching only their chunks); resolves to the shared atlas. */
export async function loadDigits(indices: Iterable<number>): Promise<Atlas> {
  const chunks = new Set<number>();
  for (const i of indices) chunks.add(chunkOf(i));
  await Promise.all([...chunks].sort((a, b) => a - b).map(loadChunk));
  return atlas;
}

/** Every test digit (all 100 chunks), for the in-page trainer. */
export function loadAllDigits(): Promise<Atlas> {
  return loadDigits(Array.from({ length: CHUNK_COUNT }, (_, c) => c * DIGITS_PER_CHUNK));
}

/** Every test digit, as before issue 11 (all 100 chunks: 1.7 MB); prefer `loadDigits` for the digits shown. */
export function loadAtlas(): Promise<Atlas> {
  return loadAllDigits();
}

/** True when test digit `index`'s chunk has been fetched. */
export function hasDigit(a: Atlas, index: number): boolean {
  return Number.isInteger(index) && index >= 0 && index < a.count && a.chunks.has(Math.floor(index / DIGITS_PER_CHUNK));
}

/** Test digit `index` as 784 intensities in `[0, 1]` (written into `out` if given); its chunk must be loaded. */
export function atlasDigit(a: Atlas, index: number, out = new Float32Array(IMAGE_SIZE)): Float32Array {
  if (!Number.isInteger(index) || index < 0 || index >= a.count) throw new RangeError(`No test digit #${index}`);
  const pixels = a.chunks.get(Math.floor(index / DIGITS_PER_CHUNK));
  if (!pixels) throw new RangeError(`Test digit #${index} has not been loaded (call loadDigits first)`);
  const col = index % DIGITS_PER_CHUNK;
  for (let r = 0; r < SIDE; r++) {
    const base = r * CHUNK_WIDTH + col * SIDE;
    for (let c = 0; c < SIDE; c++) out[r * SIDE + c] = pixels[base + c]! / 255;
  }
  return out;
}

let labelsPromise: Promise<Uint8Array> | undefined;

/** The 10,000 test labels (`pretrained/digits/labels.bin`), fetched once and checked. */
export function loadLabels(): Promise<Uint8Array> {
  labelsPromise ??= fetchArtifact(LABELS_PATH).then((buf) => {
    const labels = new Uint8Array(buf);
    if (labels.length !== TEST_COUNT || labels.some((l) => l > 9)) throw new ArtifactError(LABELS_PATH, `${LABELS_PATH} does not hold ${TEST_COUNT} digit labels.`);
    return labels;
  });
  labelsPromise.catch(() => (labelsPromise = undefined));
  return labelsPromise;
}

const mapPromises = new Map<string, Promise<DecodedMap>>();

/** One map of a model's compact embeddings (`pretrained/<model>/compact/<map>.bin`), fetched once and checked. */
export function loadMap(kind: string, map: MapName): Promise<DecodedMap> {
  const path = mapPath(kind, map);
  let pending = mapPromises.get(path);
  if (!pending) {
    pending = fetchArtifact(path).then((buf) => {
      let m: DecodedMap;
      try {
        m = decodeMap(buf);
      } catch (err) {
        if (err instanceof MapFormatError) throw new ArtifactError(path, `${path} ${err.message}.`);
        throw err;
      }
      if (m.header.count !== TEST_COUNT || m.header.model !== kind || m.header.map !== map) {
        throw new ArtifactError(path, `${path} holds the ${m.header.map} map of ${m.header.model} for ${m.header.count} digits; expected ${map} of ${kind} for ${TEST_COUNT}.`);
      }
      return m;
    });
    mapPromises.set(path, pending);
    pending.catch(() => mapPromises.delete(path));
  }
  return pending;
}

/** A model's codes of the test digits and their labels. */
export async function loadEmbeddings(kind: ModelKind): Promise<Embeddings> {
  const [labels, latent] = await Promise.all([loadLabels(), loadMap(kind, 'latent')]);
  return { model: kind, count: TEST_COUNT, labels, latent: latent.values, latentDim: latent.header.dim };
}

/** Resolves to the value, or to undefined if loading failed (for optional context layers). */
export async function optional<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch {
    return undefined;
  }
}
