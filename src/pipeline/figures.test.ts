import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeIndexedPng, type FiguresIndex, isFigureSource, parseFiguresArgs, scatterIndices, toBytes, UsageError } from './figures.ts';
import { computeManifest } from './manifest.ts';

/** The chunks of a PNG, each with its CRC checked. */
function chunks(png: Uint8Array): { type: string; data: Uint8Array }[] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: { type: string; data: Uint8Array }[] = [];
  for (let at = 8; at < png.length; ) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + len);
    expect(view.getUint32(at + 8 + len), `${type} CRC`).toBe(crc32(png.subarray(at + 4, at + 8 + len)));
    out.push({ type, data });
    at += 12 + len;
  }
  return out;
}

describe('encodeIndexedPng', () => {
  it('writes an indexed-colour PNG with palette and transparency, pixel data unchanged', () => {
    const indices = Uint8Array.from([0, 1, 2, 1, 0, 2]);
    const png = encodeIndexedPng(indices, 3, 2, ['#000000', '#ff0080', '#00ff00'], [0, 255, 128]);
    const cs = chunks(png);
    expect(cs.map((c) => c.type)).toEqual(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);
    const ihdr = new DataView(cs[0]!.data.buffer, cs[0]!.data.byteOffset);
    expect([ihdr.getUint32(0), ihdr.getUint32(4), cs[0]!.data[8], cs[0]!.data[9]]).toEqual([3, 2, 8, 3]);
    expect([...cs[1]!.data]).toEqual([0, 0, 0, 255, 0, 128, 0, 255, 0]);
    expect([...cs[2]!.data]).toEqual([0, 255, 128]);
    // Each scanline is a filter byte and the indices; filter 0 (None) keeps them literally.
    const raw = inflateSync(cs[3]!.data);
    expect(raw.length).toBe(2 * 4);
  });

  it('rejects indices beyond the palette and bad colours', () => {
    expect(() => encodeIndexedPng(Uint8Array.from([2]), 1, 1, ['#000000', '#ffffff'], [0, 255])).toThrow(RangeError);
    expect(() => encodeIndexedPng(Uint8Array.from([0]), 1, 1, ['black'], [0])).toThrow(/#rrggbb/);
  });
});

describe('scatterIndices', () => {
  it('puts each point in its label colour (1 + digit), y up, background 0', () => {
    // Two clusters: digit 3 at bottom-left, digit 7 at top-right.
    const pts: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 50; i++) {
      pts.push(-1, -1, 1, 1);
      labels.push(3, 7);
    }
    const size = 40;
    const img = scatterIndices(pts, labels, size);
    const at = (x: number, y: number) => img[y * size + x]!;
    const values = new Set(img);
    expect([...values].sort()).toEqual([0, 4, 8]);
    // Find where each colour landed.
    let d3 = [0, 0];
    let d7 = [0, 0];
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
      if (at(x, y) === 4) d3 = [x, y];
      if (at(x, y) === 8) d7 = [x, y];
    }
    expect(d3[0]!).toBeLessThan(d7[0]!);
    expect(d3[1]!).toBeGreaterThan(d7[1]!);
  });
});

describe('toBytes and parseFiguresArgs', () => {
  it('maps probabilities to bytes, clamped', () => {
    expect([...toBytes([0, 0.5, 1, 1.2, -0.1])]).toEqual([0, 128, 255, 255, 0]);
  });

  it('parses flags', () => {
    expect(parseFiguresArgs([])).toEqual({ dir: 'pretrained', backend: 'wasm', help: false });
    expect(parseFiguresArgs(['--dir', 'x', '--backend=cpu'])).toEqual({ dir: 'x', backend: 'cpu', help: false });
    expect(parseFiguresArgs(['-h']).help).toBe(true);
    expect(() => parseFiguresArgs(['--backend', 'gpu'])).toThrow(UsageError);
    expect(() => parseFiguresArgs(['--dir'])).toThrow(UsageError);
    expect(() => parseFiguresArgs(['extra'])).toThrow(UsageError);
  });
});

describe('the committed pretrained/figures/', () => {
  const dir = join(process.cwd(), 'pretrained');
  const index = JSON.parse(readFileSync(join(dir, 'figures', 'figures.json'), 'utf8')) as FiguresIndex;

  it('was rendered from the committed models and embeddings (else: npm run bake:figures)', async () => {
    const current = Object.entries((await computeManifest(dir)).files).filter(([path]) => isFigureSource(path));
    expect(current.length).toBeGreaterThanOrEqual(10);
    expect(Object.fromEntries(current.map(([path, e]) => [path, e.sha256])), 'pretrained/figures/ is stale: run npm run bake:figures').toEqual(index.sources);
  });

  it('lists every picture with its real size, an alt text, and a manifest entry', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
    expect(Object.keys(index.figures).length).toBeGreaterThanOrEqual(13);
    for (const [name, f] of Object.entries(index.figures)) {
      const png = readFileSync(join(dir, f.file));
      const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
      expect([view.getUint32(16), view.getUint32(20)], name).toEqual([f.width, f.height]);
      expect(f.alt.length, name).toBeGreaterThan(40);
      expect(manifest.files[f.file]?.sha256, `${f.file} in the manifest`).toBe(createHash('sha256').update(png).digest('hex'));
    }
  });
});
