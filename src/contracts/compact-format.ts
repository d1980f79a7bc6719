/**
 * The compact artifacts the browser reads (issue 11), defined once for the pipeline that writes
 * them (`src/pipeline/compact.ts`) and the widgets that read them. DOM-free, Node and browsers.
 *
 * Paths, relative to `pretrained/`:
 * - `<id>/compact/encoder/model.json` + `weights.bin`, `<id>/compact/decoder/…`: the model's
 *   TF.js layers model (or attn encoder) with quantized weights in TF.js's own format (the
 *   `quantization` field of each `weightsManifest` entry), loadable by the standard loader.
 * - `<id>/compact/<map>.bin` (map: `latent`, `tsne`, `umap`, `pca`): one map of
 *   `embeddings.json`, quantized to 16 bits per coordinate over the map's extent (format below).
 * - `<id>/compact/compact.json`: what was chosen and measured (precision per tensor, bytes,
 *   test-metric deltas, quantization steps, the sha256 of the sources).
 * - `digits/NNN.png` (NNN = 000 … 099): test digits 100·NNN … 100·NNN + 99 as one 8-bit
 *   greyscale PNG strip of 2800 × 28 pixels, digit `i` at x = 28·(i mod 100).
 * - `digits/labels.bin`: the 10,000 test labels, one byte each, test-set order.
 *
 * Map file (`<map>.bin`), little-endian:
 *
 *     bytes 0–3   "LAM1" (ASCII)
 *     bytes 4–7   uint32 H: length of the header that follows
 *     bytes 8…    H bytes of UTF-8 JSON, padded with spaces so the data start at a multiple of 4:
 *                 { "version": 1, "model": "ae", "map": "latent", "count": 10000, "dim": 2,
 *                   "dtype": "uint16", "min": [..dim], "scale": [..dim] }
 *     then        count × dim uint16 q, row-major (point i, coordinate j at i·dim + j);
 *                 the value is  min[j] + q · scale[j]  (scale[j] = extent / 65535; extent 0 → scale 0).
 */

/** Digits per chunk file. */
export const DIGITS_PER_CHUNK = 100;
/** Test digits in all. */
export const DIGIT_COUNT = 10_000;
/** Chunk files in all. */
export const CHUNK_COUNT = DIGIT_COUNT / DIGITS_PER_CHUNK;
/** Side of a digit in pixels. */
const SIDE = 28;
/** Width and height of one chunk image. */
export const CHUNK_WIDTH = DIGITS_PER_CHUNK * SIDE;
export const CHUNK_HEIGHT = SIDE;
/** The digits' folder under `pretrained/`. */
export const DIGITS_DIR = 'digits';
/** The labels file, relative to `pretrained/`. */
export const LABELS_PATH = `${DIGITS_DIR}/labels.bin`;
/** The maps of `embeddings.json`, in file order. */
export const MAPS = ['latent', 'tsne', 'umap', 'pca'] as const;
export type MapName = (typeof MAPS)[number];
/** The per-model folder of the compact artifacts. */
export const COMPACT_DIR = 'compact';
const MAGIC = 'LAM1';

/** `pretrained/`-relative path of chunk `c`. */
export function chunkPath(c: number): string {
  if (!Number.isInteger(c) || c < 0 || c >= CHUNK_COUNT) throw new RangeError(`No digit chunk #${c}`);
  return `${DIGITS_DIR}/${String(c).padStart(3, '0')}.png`;
}

/** The chunk holding test digit `i`. */
export function chunkOf(i: number): number {
  if (!Number.isInteger(i) || i < 0 || i >= DIGIT_COUNT) throw new RangeError(`No test digit #${i}`);
  return Math.floor(i / DIGITS_PER_CHUNK);
}

/** `pretrained/`-relative path of a model's compact encoder or decoder folder. */
export function compactModelDir(id: string, part: 'encoder' | 'decoder'): string {
  return `${id}/${COMPACT_DIR}/${part}`;
}

/** `pretrained/`-relative path of one map of a model's compact embeddings. */
export function mapPath(id: string, map: MapName): string {
  return `${id}/${COMPACT_DIR}/${map}.bin`;
}

/** The JSON header of a map file. */
export interface MapHeader {
  version: 1;
  model: string;
  map: string;
  count: number;
  dim: number;
  dtype: 'uint16';
  min: number[];
  scale: number[];
}

/** A decoded map: `count × dim` values, row-major, with the quantization step of each coordinate. */
export interface DecodedMap {
  header: MapHeader;
  values: Float32Array;
}

/** A map file that breaks the format above; `message` says how. */
export class MapFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MapFormatError';
  }
}

const LEVELS = 65535;

/**
 * Quantizes `count × dim` values (row-major) to a map file. `min`/`scale` per coordinate are the
 * float32 minimum and (max − min) / 65535, so every value is within scale / 2 of the original.
 */
export function encodeMap(model: string, map: string, values: ArrayLike<number>, dim: number): Uint8Array {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}`);
  if (values.length % dim !== 0) throw new RangeError(`${values.length} values are not a whole number of ${dim}-D points`);
  const count = values.length / dim;
  const min: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < dim; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < count; i++) {
      const v = values[i * dim + j]!;
      if (!Number.isFinite(v)) throw new RangeError(`${model} ${map}: value ${i * dim + j} is ${v}`);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (count === 0) [lo, hi] = [0, 0];
    min.push(lo);
    scale.push((hi - lo) / LEVELS);
  }
  const header: MapHeader = { version: 1, model, map, count, dim, dtype: 'uint16', min, scale };
  let json = JSON.stringify(header);
  while ((8 + new TextEncoder().encode(json).length) % 4 !== 0) json += ' ';
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + 2 * count * dim);
  for (let k = 0; k < 4; k++) out[k] = MAGIC.charCodeAt(k);
  const view = new DataView(out.buffer);
  view.setUint32(4, head.length, true);
  out.set(head, 8);
  const base = 8 + head.length;
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < dim; j++) {
      const k = i * dim + j;
      const q = scale[j]! > 0 ? Math.min(LEVELS, Math.max(0, Math.round((values[k]! - min[j]!) / scale[j]!))) : 0;
      view.setUint16(base + 2 * k, q, true);
    }
  }
  return out;
}

/** Reads a map file; throws a MapFormatError saying what is wrong. */
export function decodeMap(bytes: ArrayBuffer | Uint8Array): DecodedMap {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (u8.length < 8 || String.fromCharCode(u8[0]!, u8[1]!, u8[2]!, u8[3]!) !== MAGIC) throw new MapFormatError(`is not a map file (no "${MAGIC}" signature)`);
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const h = view.getUint32(4, true);
  if (8 + h > u8.length) throw new MapFormatError('is truncated (header longer than the file)');
  let header: MapHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(u8.subarray(8, 8 + h))) as MapHeader;
  } catch {
    throw new MapFormatError('has a header that is not valid JSON');
  }
  const { count, dim, min, scale } = header ?? ({} as MapHeader);
  if (header?.version !== 1 || header.dtype !== 'uint16' || !Number.isInteger(count) || count < 0 || !Number.isInteger(dim) || dim < 1 || !Array.isArray(min) || !Array.isArray(scale) || min.length !== dim || scale.length !== dim) {
    throw new MapFormatError('has a header this site does not understand');
  }
  const base = 8 + h;
  if (u8.length !== base + 2 * count * dim) throw new MapFormatError(`holds ${u8.length - base} data bytes; ${count} points of ${dim} coordinates need ${2 * count * dim}`);
  const values = new Float32Array(count * dim);
  for (let k = 0; k < values.length; k++) {
    const j = k % dim;
    values[k] = min[j]! + view.getUint16(base + 2 * k, true) * scale[j]!;
  }
  return { header, values };
}
