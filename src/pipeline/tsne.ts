/**
 * `npm run tsne -- --in X.json --out Y.json [--perplexity 30] [--seed 0] [--iterations 1000] [--theta 0.5] [--threads T]`
 *
 * Runs this project's t-SNE (`src/embed/tsne.ts`) on X, a JSON array of equal-length numeric rows,
 * and writes Y, a JSON array with one `[x, y]` per row, atomically. Progress goes to stderr.
 * Exit codes: 0 done, 1 error (unreadable or invalid input, perplexity too large, …), 2 bad flags.
 */
import { writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isatty } from 'node:tty';
import { type TsneProgress } from '../embed/tsne.ts';
import { createTsne, defaultThreads, TsnePool } from '../embed/tsne-node.ts';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from './atomic.ts';
import { checkOutputDir, type CommitGate, runStoppable } from './stoppable.ts';
import { parseFlags, runCli, UsageError } from './usage.ts';

export { UsageError };

export const USAGE = `Usage: npm run tsne -- --in X.json --out Y.json [options]

Embeds the rows of X.json (a JSON array of equal-length numeric arrays) in 2-D with Barnes-Hut
t-SNE and writes Y.json: one [x, y] per input row, in input order.

  --in FILE          input rows (required)
  --out FILE         output file (required)
  --perplexity P     effective number of neighbours, > 0 and < rows - 1 (default 30)
  --seed S           seed for the neighbour search tree and random parts (default 0)
  --iterations N     gradient steps, the first 250 with early exaggeration (default 1000)
  --theta T          Barnes-Hut opening angle, 0 = exact (default 0.5)
  --threads T        threads, 1 … 64 (default: the cores, at most 2); the output is the
                     same for any count
  -h, --help         this text

Exit codes: 0 done, 1 error (bad input file, perplexity too large, ...), 2 bad flags.`;

export interface TsneCliOptions {
  in: string;
  out: string;
  perplexity: number;
  seed: number;
  iterations: number;
  theta: number;
  threads: number;
  help: boolean;
}

const VALUE_FLAGS = ['in', 'out', 'perplexity', 'seed', 'iterations', 'theta', 'threads'];

function numberFlag(name: string, raw: string, check: (v: number) => boolean, what: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || !check(v)) throw new UsageError(`--${name} must be ${what}, got "${raw}"`);
  return v;
}

export function parseTsneArgs(argv: readonly string[]): TsneCliOptions {
  const { values, help } = parseFlags(argv, { values: VALUE_FLAGS, unexpected: (arg) => `unexpected argument "${arg}" (flags start with --)` });
  const input = values.get('in');
  const out = values.get('out');
  if (!help && !input) throw new UsageError('--in is required');
  if (!help && !out) throw new UsageError('--out is required');
  const get = (name: string, def: number, check: (v: number) => boolean, what: string) =>
    values.has(name) ? numberFlag(name, values.get(name)!, check, what) : def;
  return {
    in: input ?? '',
    out: out ?? '',
    perplexity: get('perplexity', 30, (v) => v > 0, 'a positive number'),
    seed: get('seed', 0, (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff, 'a whole number 0 … 4294967295'),
    iterations: get('iterations', 1000, (v) => Number.isInteger(v) && v >= 1 && v <= 1_000_000, 'a whole number ≥ 1'),
    theta: get('theta', 0.5, (v) => v >= 0 && v <= 2, 'a number in [0, 2]'),
    threads: get('threads', defaultThreads(), (v) => Number.isInteger(v) && v >= 1 && v <= 64, 'a whole number 1 … 64'),
    help,
  };
}

/** Validates parsed JSON as n equal-length rows of finite numbers; returns them flat. */
export function rowsToMatrix(json: unknown, name = 'input'): { data: Float64Array; n: number; dim: number } {
  if (!Array.isArray(json)) throw new Error(`${name}: expected a JSON array of rows, got ${json === null ? 'null' : typeof json}`);
  if (json.length === 0) throw new Error(`${name}: the array is empty`);
  const first = json[0];
  if (!Array.isArray(first) || first.length === 0) throw new Error(`${name}: row 0 is not a non-empty array of numbers`);
  const dim = first.length;
  const n = json.length;
  const data = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    const row: unknown = json[i];
    if (!Array.isArray(row)) throw new Error(`${name}: row ${i} is not an array`);
    if (row.length !== dim) throw new Error(`${name}: row ${i} has ${row.length} numbers, row 0 has ${dim} (rows must have equal length)`);
    for (let t = 0; t < dim; t++) {
      const v: unknown = row[t];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${name}: row ${i}, column ${t} is not a finite number (${JSON.stringify(v)})`);
      data[i * dim + t] = v;
    }
  }
  return { data, n, dim };
}

export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
}

function formatSeconds(s: number): string {
  return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/**
 * Runs the CLI; returns the exit code. With `gate` (under `runStoppable`, as `npm run tsne` runs
 * it) the output is written only through the gate, so a stop never leaves half an output.
 */
export function main(argv: readonly string[], io: Io = process, gate?: CommitGate): Promise<number> {
  return runCli(argv, parseTsneArgs, USAGE, async (opts) => {
    // a folder that cannot take the output fails now, not after the t-SNE (and never hangs)
    await checkOutputDir(dirname(resolve(opts.out)));
    let text: string;
    try {
      text = await readFile(opts.in, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(code === 'ENOENT' ? `${opts.in}: file not found` : `${opts.in}: cannot be read (${code ?? (err as Error).message})`, { cause: err });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new Error(`${opts.in}: not valid JSON (${(err as Error).message})`, { cause: err });
    }
    const { data, n, dim } = rowsToMatrix(json, opts.in);
    if (n < 3) throw new Error(`${opts.in}: t-SNE needs at least 3 rows, got ${n}`);
    if (!(opts.perplexity < n - 1)) {
      throw new Error(`--perplexity ${opts.perplexity} is too large for ${n} rows: it must be smaller than rows − 1 = ${n - 1}`);
    }
    const t0 = performance.now();
    const tty = io.stderr.isTTY === true;
    let lastDraw = 0;
    const onProgress = (p: TsneProgress): void => {
      const elapsed = (performance.now() - t0) / 1000;
      if (p.stage === 'neighbours') io.stderr.write(`t-SNE of ${n} × ${dim}: nearest neighbours …\n`);
      else if (p.stage === 'affinities') io.stderr.write(`t-SNE: perplexity ${opts.perplexity} affinities …\n`);
      else if (p.stage === 'optimise' && p.iteration > 0) {
        const eta = (elapsed / p.iteration) * (p.iterations - p.iteration);
        const kl = p.kl === null ? '' : ` KL ${p.kl.toFixed(4)}`;
        const bar = `#`.repeat(Math.round((20 * p.iteration) / p.iterations)).padEnd(20, '-');
        const line = `t-SNE [${bar}] ${p.iteration}/${p.iterations}${kl} ${formatSeconds(elapsed)} ETA ${formatSeconds(eta)}`;
        if (tty) {
          if (performance.now() - lastDraw > 100 || p.iteration === p.iterations) {
            io.stderr.write(`\r\x1b[2K${line}`);
            lastDraw = performance.now();
          }
        } else if (p.iteration % 100 === 0 || p.iteration === p.iterations) io.stderr.write(`${line}\n`);
      } else if (p.stage === 'done') {
        if (tty) io.stderr.write('\r\x1b[2K');
        io.stderr.write(`t-SNE done: ${p.iteration} iterations, KL ${p.kl?.toFixed(4)}, ${formatSeconds(elapsed)}\n`);
      }
    };
    const pool = await TsnePool.create(opts.threads);
    let embedding: Float64Array;
    try {
      const run = createTsne(pool, data, dim, {
        perplexity: opts.perplexity,
        seed: opts.seed,
        iterations: opts.iterations,
        theta: opts.theta,
        onProgress,
        progressEvery: tty ? 10 : 50,
      });
      embedding = run.run().embedding;
    } finally {
      pool.close();
    }
    const rows = Array.from({ length: n }, (_, i) => `[${embedding[2 * i]},${embedding[2 * i + 1]}]`);
    const write = () => writeFileAtomic(opts.out, `[${rows.join(',\n')}]\n`);
    if (gate) {
      if (!(await gate.commit(write))) return 130;
    } else await write();
    io.stderr.write(`wrote ${opts.out}\n`);
    return 0;
  }, io);
}

/**
 * `main` in `runStoppable`'s worker: the first SIGINT/SIGTERM stops the t-SNE at once (exit 130).
 * Progress goes straight to the file descriptors: a worker's `process.stderr` is flushed by its
 * event loop, which the t-SNE keeps busy, so its lines would come only at the end.
 */
export function tsneWork(argv: readonly string[], gate: CommitGate): Promise<number> {
  const io: Io = {
    stdout: { write: (s: string) => writeSync(1, s) },
    stderr: { write: (s: string) => writeSync(2, s), isTTY: isatty(2) },
  };
  return main(argv, io, gate);
}

if (import.meta.main) {
  process.exitCode = await runStoppable('tsne', import.meta.url, 'tsneWork', process.argv.slice(2));
}
