/**
 * `npm run bench:zoo-seeds [-- --seeds 0,1,2,3,4] [--only ae-20,cvae] [--threads 1|2] [--force]`:
 * our recipe over several seeds, the way `bench/reference/zoo.py` runs PyTorch's (issue 10).
 *
 * One committed model is one draw of its training run: comparing it with the mean of five PyTorch
 * seeds mixes the recipe's quality with the luck of a seed. This trains each zoo model with our
 * pipeline (`npm run train -- --zoo ID --seed S`, into a temporary folder; nothing under
 * `pretrained/` is touched) for every seed asked, and records each run's final test scores in
 * `bench/zoo-seeds-results.json` (`{ "version": 1, "recipe", "models": { id: { "seeds": { S: {
 * "loss", "bce", "kl", "klPerDim"?, "activeDims"?, "noisy"?, "trainSeconds" } } } } }`), the same
 * fields as the PyTorch results. `npm run bench:zoo` then compares the two distributions.
 *
 * The run of the committed model's own seed is not repeated: the pipeline is deterministic (a
 * retrain reproduces the committed weights byte for byte), so its committed `metrics.json` is that
 * run's result. Runs already in the file are skipped unless `--force`, so a long sweep can be
 * stopped (Ctrl-C) and resumed; the file is rewritten atomically after every run. The default
 * models are the MLP zoo models (the attention encoder trains far slower; ask for it with --only).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZOO } from '../src/models/zoo.ts';
import { has, option } from './args.ts';

const opt = (name: string) => option(name);
const repo = join(import.meta.dirname, '..');
const resultsFile = join(repo, 'bench', 'zoo-seeds-results.json');
const seeds = (opt('seeds') ?? '0,1,2,3,4').split(',').map(Number);
if (seeds.some((s) => !Number.isInteger(s) || s < 0)) {
  console.error(`--seeds: non-negative integers separated by commas, got "${opt('seeds')}"`);
  process.exit(2);
}
const known = new Set(ZOO.map((m) => m.id));
const only = opt('only')?.split(',');
for (const id of only ?? []) {
  if (!known.has(id)) {
    console.error(`--only: unknown zoo model "${id}" (known: ${[...known].join(', ')})`);
    process.exit(2);
  }
}
const threads = opt('threads');
const force = has('force');
const ids = only ?? ZOO.filter((m) => m.kind !== 'attn').map((m) => m.id);

interface Run {
  loss: number;
  bce: number;
  kl: number;
  klPerDim?: number[];
  activeDims?: number;
  noisy?: { sigma: number; seed: number; bce: number };
  trainSeconds?: number;
  source: 'committed' | 'trained';
}
interface Results {
  version: 1;
  recipe: string;
  models: Record<string, { seeds: Record<string, Run> }>;
}

const results: Results = existsSync(resultsFile)
  ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Results)
  : { version: 1, recipe: 'npm run train -- --zoo ID --seed S (10 epochs, batch 128, Adam 1e-3; the pipeline defaults)', models: {} };

function save(): void {
  const tmp = `${resultsFile}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(results, null, 1)}\n`);
  renameSync(tmp, resultsFile);
}

/** A metrics.json's final test scores as a Run. */
function runOf(file: string, source: Run['source']): Run {
  const m = JSON.parse(readFileSync(file, 'utf8')) as { final: { test: Run }; totalTrainSeconds?: number };
  const t = m.final.test;
  return {
    loss: t.loss,
    bce: t.bce,
    kl: t.kl,
    ...(t.klPerDim ? { klPerDim: t.klPerDim, activeDims: t.activeDims } : {}),
    ...(t.noisy ? { noisy: t.noisy } : {}),
    ...(m.totalTrainSeconds !== undefined ? { trainSeconds: m.totalTrainSeconds } : {}),
    source,
  };
}

let stopping = false;
process.on('SIGINT', () => {
  stopping = true;
});

const todo: [string, number][] = [];
for (const id of ids) {
  const entry = (results.models[id] ??= { seeds: {} });
  const committed = join(repo, 'pretrained', id, 'metrics.json');
  const committedSeed = existsSync(committed) ? (JSON.parse(readFileSync(committed, 'utf8')) as { config?: { seed?: number } }).config?.seed : undefined;
  for (const seed of seeds) {
    if (entry.seeds[seed] && !force) continue;
    if (seed === committedSeed) {
      entry.seeds[seed] = runOf(committed, 'committed');
      continue;
    }
    todo.push([id, seed]);
  }
}
save();
console.log(`${todo.length} run(s) to train: ${todo.map(([id, s]) => `${id}@${s}`).join(', ') || 'none'}`);

const t0 = performance.now();
for (let i = 0; i < todo.length && !stopping; i++) {
  const [id, seed] = todo[i]!;
  const out = mkdtempSync(join(tmpdir(), 'zoo-seeds-'));
  const started = performance.now();
  const argv = ['src/pipeline/train.ts', '--zoo', id, '--seed', String(seed), '--out', out, '--checkpoint-dir', join(out, 'ck'), ...(threads ? ['--threads', threads] : [])];
  const r = spawnSync(process.execPath, argv, { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(out, { recursive: true, force: true });
    if (r.status === 130 || r.signal) break;
    console.error(`${id} seed ${seed} failed (${r.status ?? r.signal}):\n${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
    process.exit(1);
  }
  const run = runOf(join(out, id, 'metrics.json'), 'trained');
  rmSync(out, { recursive: true, force: true });
  results.models[id]!.seeds[seed] = run;
  save();
  const done = i + 1;
  const elapsed = (performance.now() - t0) / 1000;
  const eta = (elapsed / done) * (todo.length - done);
  console.log(
    `[${done}/${todo.length}] ${id} seed ${seed}: loss ${run.loss.toFixed(2)} (bce ${run.bce.toFixed(2)}, kl ${run.kl.toFixed(2)}${run.noisy ? `, noisy ${run.noisy.bce.toFixed(2)}` : ''}) in ${((performance.now() - started) / 1000).toFixed(0)} s; ETA ${(eta / 60).toFixed(0)} min`,
  );
}
if (stopping) console.log(`stopped; the runs so far are in ${resultsFile}, run again to resume`);
