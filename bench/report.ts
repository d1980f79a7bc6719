/**
 * Shared plumbing for the benchmarks: every benchmark records its figures with `writeResult`,
 * and `npm run bench` gathers the files into one JSON and one markdown table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { cpus } from 'node:os';

/** One measured figure, with its goal when the project has one. */
export interface Figure {
  metric: string;
  value: number;
  unit: string;
  /** Human-readable goal, e.g. "≤ 1.0×" or "≥ 95". */
  goal?: string;
  /** Whether the value meets the goal (absent when there is no goal). */
  ok?: boolean;
  note?: string;
}

/** The result file a benchmark writes into `bench/out/<name>.json`. */
export interface BenchResult {
  name: string;
  machine: string;
  date: string;
  figures: Figure[];
}

export const OUT_DIR = join(import.meta.dirname, 'out');

/** Writes `bench/out/<name>.json` and prints the figures as a table. */
export function writeResult(name: string, figures: Figure[]): BenchResult {
  const result: BenchResult = {
    name,
    machine: `${process.platform}-${process.arch}, ${cpus().length} cores, Node ${process.version}`,
    date: new Date().toISOString(),
    figures,
  };
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n${name}`);
  console.table(figures.map((f) => ({ metric: f.metric, value: round(f.value), unit: f.unit, goal: f.goal ?? '', ok: f.ok ?? '' })));
  return result;
}

/** Rounds a figure to a readable precision. */
export function round(x: number): number {
  if (!Number.isFinite(x)) return x;
  const a = Math.abs(x);
  return a >= 100 ? Math.round(x * 10) / 10 : a >= 1 ? Math.round(x * 1000) / 1000 : Number(x.toPrecision(3));
}

/** Starts `astro preview` on the production build and resolves once it answers. */
export async function startPreview(port: number): Promise<{ url: string; stop: () => void }> {
  const child: ChildProcess = spawn('npx', ['astro', 'preview', '--host', '127.0.0.1', '--port', String(port)], {
    stdio: 'ignore',
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', stop);
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(url)).ok) return { url, stop };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  stop();
  throw new Error(`astro preview did not answer on ${url} within 60 s (run \`npm run build\` first?)`);
}

/** The chapter pages every browser benchmark visits. */
export const PAGES = [
  '/',
  '/introduction/',
  '/architectures/',
  '/training/',
  '/latent-space/',
  '/reconstruction/',
  '/interpolation/',
  '/key-learnings/',
  '/future-work/',
  '/future-work/bigger-codes/',
  '/future-work/beta/',
  '/future-work/conditional/',
  '/future-work/denoising/',
  '/future-work/attention/',
  '/reproduce/',
];

/** Whether two metrics.json texts agree in every field but the recorded wall-clock times. */
export function sameBarTimings(a: string, b: string): boolean {
  const TIMING = new Set(['seconds', 'testSeconds', 'totalTrainSeconds', 'createdAt']);
  const strip = (v: unknown): unknown => (Array.isArray(v) ? v.map(strip) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => !TIMING.has(k)).map(([k, x]) => [k, strip(x)])) : v);
  return JSON.stringify(strip(JSON.parse(a))) === JSON.stringify(strip(JSON.parse(b)));
}
