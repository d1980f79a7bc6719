import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, parseTsneArgs, rowsToMatrix, UsageError } from './tsne.ts';

const dir = mkdtempSync(join(tmpdir(), 'tsne-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s), isTTY: false } } };
}

describe('npm run tsne: flags', () => {
  it('reads defaults and every flag', () => {
    expect(parseTsneArgs(['--in', 'a.json', '--out', 'b.json'])).toMatchObject({ in: 'a.json', out: 'b.json', perplexity: 30, seed: 0, iterations: 1000, theta: 0.5 });
    expect(parseTsneArgs(['--in=a', '--out=b', '--perplexity', '12.5', '--seed', '7', '--iterations', '300', '--theta', '0', '--threads', '1'])).toMatchObject({
      perplexity: 12.5,
      seed: 7,
      iterations: 300,
      theta: 0,
      threads: 1,
    });
  });

  it.each([
    [['--out', 'b'], /--in is required/],
    [['--in', 'a'], /--out is required/],
    [['--in', 'a', '--out', 'b', '--perplexity', '-3'], /--perplexity must be a positive number/],
    [['--in', 'a', '--out', 'b', '--seed', '1.5'], /--seed must be a whole number/],
    [['--in', 'a', '--out', 'b', '--iterations', '0'], /--iterations must be a whole number ≥ 1/],
    [['--in', 'a', '--out', 'b', '--speed', '3'], /unknown flag --speed/],
    [['--in', 'a', '--out', 'b', '--threads', '0'], /--threads must be a whole number 1 … 64/],
    [['--in'], /--in needs a value/],
    [['--in', 'a', '--in', 'b'], /--in given twice/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseTsneArgs(argv)).toThrow(UsageError);
    expect(() => parseTsneArgs(argv)).toThrow(message);
  });
});

describe('npm run tsne: input checks', () => {
  it.each([
    [{ a: 1 }, /expected a JSON array of rows, got object/],
    [[], /the array is empty/],
    [[[1, 2], [3]], /row 1 has 1 numbers, row 0 has 2/],
    [[[1, 2], 'x'], /row 1 is not an array/],
    [[[1, 2], [3, '4']], /row 1, column 1 is not a finite number/],
    [[[1, 2], [3, null]], /row 1, column 1 is not a finite number/],
    [[[]], /row 0 is not a non-empty array/],
  ])('rejects %j', (json, message) => {
    expect(() => rowsToMatrix(json)).toThrow(message);
  });

  it('flattens good rows', () => {
    expect(rowsToMatrix([[1, 2], [3, 4]])).toEqual({ data: Float64Array.of(1, 2, 3, 4), n: 2, dim: 2 });
  });
});

describe('npm run tsne: end to end', () => {
  it('writes one [x, y] per row and reports progress on stderr', async () => {
    const rows = Array.from({ length: 80 }, (_, i) => [Math.floor(i / 40) * 50 + (i % 7), (i * 3) % 11, i % 5]);
    const input = join(dir, 'x.json');
    const output = join(dir, 'y.json');
    writeFileSync(input, JSON.stringify(rows));
    const t = io();
    expect(await main(['--in', input, '--out', output, '--perplexity', '10', '--iterations', '300'], t.io)).toBe(0);
    const y = JSON.parse(readFileSync(output, 'utf8')) as number[][];
    expect(y).toHaveLength(80);
    for (const p of y) {
      expect(p).toHaveLength(2);
      expect(p.every(Number.isFinite)).toBe(true);
    }
    const err = t.err.join('');
    expect(err).toMatch(/nearest neighbours/);
    expect(err).toMatch(/300\/300 KL/);
    expect(err).toMatch(/t-SNE done/);
  });

  it.each([
    ['missing file', () => [join(dir, 'nope.json')], 1, /nope\.json: file not found/],
    ['invalid JSON', () => [write('bad.json', '[[1, 2],')], 1, /not valid JSON/],
    ['ragged rows', () => [write('ragged.json', '[[1, 2], [3]]')], 1, /rows must have equal length/],
    ['perplexity too large', () => [write('small.json', JSON.stringify([[0], [1], [2], [3], [4]]))], 1, /--perplexity 30 is too large for 5 rows/],
  ])('exits 1 with a clear message: %s', async (_name, args, code, message) => {
    const t = io();
    expect(await main(['--in', ...args(), '--out', join(dir, 'out.json')], t.io)).toBe(code);
    expect(t.err.join('')).toMatch(message);
  });

  it('exits 2 on bad flags and 0 with --help', async () => {
    const t = io();
    expect(await main(['--in', 'x'], t.io)).toBe(2);
    expect(t.err.join('')).toMatch(/--out is required[\s\S]*Usage: npm run tsne/);
    const h = io();
    expect(await main(['--help'], h.io)).toBe(0);
    expect(h.out.join('')).toMatch(/Usage: npm run tsne/);
  });
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
