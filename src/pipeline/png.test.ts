import { inflateSync, crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeGreyPng, tileImages } from './png.ts';

/** A minimal PNG reader for 8-bit greyscale, to check the encoder independently. */
function decode(png: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  const types: string[] = [];
  while (at < png.length) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + len);
    expect(view.getUint32(at + 8 + len)).toBe(crc32(png.subarray(at + 4, at + 8 + len)));
    types.push(type);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      expect(Array.from(data.subarray(8))).toEqual([8, 0, 0, 0, 0]);
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  expect(types[0]).toBe('IHDR');
  expect(types.at(-1)).toBe('IEND');
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) {
    const f = raw[r * (width + 1)]!;
    for (let x = 0; x < width; x++) {
      const a = x > 0 ? pixels[r * width + x - 1]! : 0;
      const b = r > 0 ? pixels[(r - 1) * width + x]! : 0;
      const c = x > 0 && r > 0 ? pixels[(r - 1) * width + x - 1]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][f]!;
      pixels[r * width + x] = (raw[r * (width + 1) + 1 + x]! + pred) & 255;
    }
  }
  return { width, height, pixels };
}

describe('PNG encoder', () => {
  it('round-trips greyscale images of varied content', () => {
    const w = 37;
    const h = 23;
    const px = Uint8Array.from({ length: w * h }, (_, i) => ((i % w) * 7 + Math.floor(i / w) * 13 + (i % 5 === 0 ? 200 : 0)) & 255);
    const out = decode(encodeGreyPng(px, w, h));
    expect(out.width).toBe(w);
    expect(out.height).toBe(h);
    expect(Array.from(out.pixels)).toEqual(Array.from(px));
  });

  it('rejects a wrong pixel count', () => {
    expect(() => encodeGreyPng(new Uint8Array(5), 2, 2)).toThrow(/expected 4 pixels/);
  });
});

describe('tileImages', () => {
  it('puts image i at column i % columns, row ⌊i / columns⌋', () => {
    // Five 2 × 2 images, image i filled with i + 1, three per row.
    const images = Uint8Array.from({ length: 5 * 4 }, (_, t) => Math.floor(t / 4) + 1);
    const { pixels, width, height } = tileImages(images, 5, 2, 3);
    expect([width, height]).toEqual([6, 4]);
    const rows = Array.from({ length: 4 }, (_, r) => Array.from(pixels.subarray(r * 6, r * 6 + 6)));
    expect(rows).toEqual([
      [1, 1, 2, 2, 3, 3],
      [1, 1, 2, 2, 3, 3],
      [4, 4, 5, 5, 0, 0],
      [4, 4, 5, 5, 0, 0],
    ]);
  });
});
