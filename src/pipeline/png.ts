/**
 * A small PNG encoder for 8-bit greyscale images (Node: zlib for deflate and CRC-32).
 * Each scanline gets the PNG filter (None, Sub, Up, Average, Paeth) with the smallest sum of
 * absolute signed bytes, the usual heuristic, before deflate at level 9.
 */
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** One PNG chunk (length, type, data, CRC-32). */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let t = 0; t < 4; t++) out[4 + t] = type.charCodeAt(t);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Encodes `pixels` (width × height bytes, row-major, 0 = black) as a greyscale PNG. */
export function encodeGreyPng(pixels: Uint8Array, width: number, height: number): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError('width and height must be positive integers');
  if (pixels.length !== width * height) throw new RangeError(`expected ${width * height} pixels, got ${pixels.length}`);
  const raw = new Uint8Array(height * (width + 1));
  const cand = [0, 1, 2, 3, 4].map(() => new Uint8Array(width));
  const zero = new Uint8Array(width);
  for (let r = 0; r < height; r++) {
    const cur = pixels.subarray(r * width, (r + 1) * width);
    const up = r > 0 ? pixels.subarray((r - 1) * width, r * width) : zero;
    let best = 0;
    let bestScore = Infinity;
    for (let f = 0; f < 5; f++) {
      const o = cand[f]!;
      let score = 0;
      for (let x = 0; x < width; x++) {
        const a = x > 0 ? cur[x - 1]! : 0;
        const b = up[x]!;
        const c = x > 0 ? up[x - 1]! : 0;
        const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : paeth(a, b, c);
        const v = (cur[x]! - pred) & 255;
        o[x] = v;
        score += v < 128 ? v : 256 - v;
      }
      if (score < bestScore) {
        bestScore = score;
        best = f;
      }
    }
    raw[r * (width + 1)] = best;
    raw.set(cand[best]!, r * (width + 1) + 1);
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  return concatBytes([SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw, { level: 9 })), pngChunk('IEND', new Uint8Array(0))]);
}

/** The byte arrays `parts` one after another in a new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Tiles `count` square images of `size × size` bytes into a sheet `columns` tiles wide:
 * image i at column i % columns, row ⌊i / columns⌋. Returns the pixels and sheet size.
 */
export function tileImages(images: Uint8Array, count: number, size: number, columns: number): { pixels: Uint8Array; width: number; height: number } {
  const rows = Math.ceil(count / columns);
  const width = columns * size;
  const height = rows * size;
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < count; i++) {
    const ox = (i % columns) * size;
    const oy = Math.floor(i / columns) * size;
    for (let y = 0; y < size; y++) {
      pixels.set(images.subarray(i * size * size + y * size, i * size * size + (y + 1) * size), (oy + y) * width + ox);
    }
  }
  return { pixels, width, height };
}
