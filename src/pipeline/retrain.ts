/**
 * `npm run retrain [-- --only cvae,dae] [--dir pretrained]` — rebuilds the model zoo and its bakes:
 *
 * 1. trains each selected zoo model, one after another (`node src/pipeline/train.ts --zoo ID
 *    --out DIR`; each replaces `DIR/<id>/` atomically when it finishes);
 * 2. bakes them (`bake.ts --models <the selected ids> --dir DIR`: embeddings, predictions, manifest);
 * 3. renders the static figures (`figures.ts --dir DIR`);
 * 3b. when the selection includes a model of the denoising curve (the zoo's 2-D ae, dae, vae),
 *    bakes it again (`denoise-curve.ts --dir DIR`, `npm run bake:denoise`);
 * 4. runs `npm run bake:compact` when package.json has that script (the browser's compact files;
 *    it reads the finished `pretrained/`, so it runs last).
 *
 * Progress for the whole run goes to stderr: the models done k/N, the elapsed time, and an ETA from
 * per-model estimates (each model's last `totalTrainSeconds` in its metrics.json plus a start-up
 * allowance, else a per-kind default; the bake's and the figures' estimates likewise), scaled by how
 * the steps done so far compared with their estimates. Each step's own output passes through.
 *
 * The first SIGINT/SIGTERM stops at once: the running step gets the same signal (a SIGKILL if it has
 * not ended within 2 s), and retrain exits 130. Models already finished stay; nothing else changes
 * (each step writes atomically). Bad ids exit 2 with a message.
 *
 * Tests inject the steps' command: `RETRAIN_RUNNER="node fake.mjs"` runs `node fake.mjs <step>
 * <args…>` instead of each step (see retrain.test.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZOO, type ZooEntry } from '../models/zoo.ts';
import { denoiseModels } from '../contracts/denoise-curve.ts';
import { formatDuration } from './progress.ts';
import { checkWritableDir } from './signals.ts';
import { STOPPED_EXIT } from './stoppable.ts';
import { parseFlags, runCli, UsageError } from './usage.ts';

export { UsageError };

export const USAGE = `Usage: npm run retrain [-- options]

Trains every model of the zoo (or the --only ones) with npm run train -- --zoo ID, then bakes
them (npm run bake), renders the static figures (npm run bake:figures), re-bakes the denoising
curve (npm run bake:denoise) when ae, dae or vae is among them, and runs npm run
bake:compact when it exists. Progress for the whole run (models done, elapsed, ETA) on stderr.

  --only LIST   comma-separated zoo ids to rebuild (default: all)
                known: ${ZOO.map((z) => z.id).join(', ')}
  --dir DIR     the pretrained folder (default: pretrained)
  -h, --help    this text

The first Ctrl-C (SIGINT) or SIGTERM stops at once; models already finished stay, nothing else
changes. Exit codes: 0 done, 1 a step failed, 2 bad flags, 130 stopped.`;

export interface RetrainOptions {
  only: string[] | null;
  dir: string;
  help: boolean;
}

export function parseRetrainArgs(argv: readonly string[]): RetrainOptions {
  const flags = parseFlags(argv, { values: ['only', 'dir'] });
  const o: RetrainOptions = { only: null, dir: 'pretrained', help: flags.help };
  for (const [name, value] of flags.values) {
    if (name === 'dir') {
      if (value.trim() === '') throw new UsageError('--dir must not be empty');
      o.dir = value;
      continue;
    }
    const list = value.split(',').map((s) => s.trim());
    const unknown = list.filter((id) => !ZOO.some((z) => z.id === id));
    if (unknown.length) throw new UsageError(`--only: unknown model${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${ZOO.map((z) => z.id).join(', ')})`);
    if (new Set(list).size !== list.length) throw new UsageError('--only must list distinct models');
    o.only = list;
  }
  return o;
}

/** One step of the run. */
export interface Step {
  name: string;
  /** The zoo model it trains (train steps only). */
  model?: string;
  /** Arguments after the script (e.g. `--zoo cvae --out pretrained`). */
  script: string;
  args: string[];
  /** Estimated seconds. */
  estimate: number;
}

/** Seconds of process start-up, data loading and writing around a model's training. */
export const TRAIN_OVERHEAD_S = 6;
/**
 * Estimated training seconds when a model has no metrics.json yet (10 epochs on this machine kind,
 * quiet: ae/vae measured ~30 s; attn, autodiff on one thread, a rough guess from its busy-machine epochs).
 */
export const DEFAULT_TRAIN_S: Record<ZooEntry['kind'], number> = { ae: 30, dae: 32, vae: 31, cvae: 32, attn: 900 };
/** Bake estimate: fixed part (data, atlas, manifest) plus per model (encode, t-SNE, UMAP, PCA, metrics). */
export const BAKE_FIXED_S = 10;
export const BAKE_PER_MODEL_S = 75;
export const FIGURES_S = 25;
export const COMPACT_S = 15;
export const DENOISE_S = 120;

/** A model's training estimate: its last recorded `totalTrainSeconds` (+ overhead), else the default. */
export function trainEstimate(entry: ZooEntry, dir: string): number {
  try {
    const m = JSON.parse(readFileSync(join(dir, entry.id, 'metrics.json'), 'utf8')) as { totalTrainSeconds?: unknown };
    if (typeof m.totalTrainSeconds === 'number' && m.totalTrainSeconds > 0) return m.totalTrainSeconds + TRAIN_OVERHEAD_S;
  } catch {
    /* no metrics yet */
  }
  return DEFAULT_TRAIN_S[entry.kind] + TRAIN_OVERHEAD_S;
}

/** The steps of a run over `models` (registry order), with estimates. */
export function plan(models: readonly ZooEntry[], dir: string, withCompact: boolean): Step[] {
  const steps: Step[] = models.map((m) => ({ name: `train ${m.id}`, model: m.id, script: 'src/pipeline/train.ts', args: ['--zoo', m.id, '--out', dir], estimate: trainEstimate(m, dir) }));
  steps.push({ name: 'bake', script: 'src/pipeline/bake.ts', args: ['--models', models.map((m) => m.id).join(','), '--dir', dir], estimate: BAKE_FIXED_S + BAKE_PER_MODEL_S * models.length });
  steps.push({ name: 'bake:figures', script: 'src/pipeline/figures.ts', args: ['--dir', dir], estimate: FIGURES_S });
  const curveIds = denoiseModels(ZOO).map((m) => m.id);
  if (models.some((m) => curveIds.includes(m.id))) steps.push({ name: 'bake:denoise', script: 'src/pipeline/denoise-curve.ts', args: ['--dir', dir], estimate: DENOISE_S });
  if (withCompact) steps.push({ name: 'bake:compact', script: 'npm:bake:compact', args: ['--dir', dir], estimate: COMPACT_S });
  return steps;
}

/**
 * The ETA in seconds after `done` steps took `elapsed` seconds: the remaining steps' estimates,
 * scaled by actual / estimated time of the steps done so far (1 before any is done), minus the
 * time already spent in the current step (never below zero).
 */
export function eta(steps: readonly Step[], done: number, elapsedDone: number, inCurrent: number): number {
  const estDone = steps.slice(0, done).reduce((s, x) => s + x.estimate, 0);
  const scale = done > 0 && estDone > 0 ? elapsedDone / estDone : 1;
  const rest = steps.slice(done).reduce((s, x) => s + x.estimate, 0) * scale;
  return Math.max(0, rest - inCurrent);
}

/** The whole-run progress line. */
export function progressLine(steps: readonly Step[], done: number, elapsed: number, etaSeconds: number): string {
  const models = steps.filter((s) => s.model).length;
  const modelsDone = steps.slice(0, done).filter((s) => s.model).length;
  const current = steps[done]?.name ?? 'done';
  return `retrain: models ${modelsDone}/${models} trained, step ${Math.min(done + 1, steps.length)}/${steps.length} (${current}), elapsed ${formatDuration(elapsed)}, ETA ${formatDuration(etaSeconds)}`;
}

export interface RetrainDeps {
  /** Starts a step's process (default: Node on the step's script, or npm for npm: scripts). */
  start?: (step: Step) => ChildProcess;
  stderr?: { write(s: string): unknown };
  /** Whether package.json has a `bake:compact` script (default: read it). */
  hasCompact?: boolean;
  /** Seconds between progress lines while a step runs (default 30). */
  tickSeconds?: number;
}

function defaultStart(step: Step): ChildProcess {
  const runner = process.env.RETRAIN_RUNNER?.trim();
  if (runner) {
    const [cmd, ...pre] = runner.split(/\s+/);
    return spawn(cmd!, [...pre, step.name, ...step.args], { stdio: 'inherit', detached: true });
  }
  // detached: its own process group, so a terminal's Ctrl-C reaches it once, through us
  if (step.script.startsWith('npm:')) return spawn('npm', ['run', '--silent', step.script.slice(4), ...(step.args.length ? ['--', ...step.args] : [])], { stdio: 'inherit', detached: true });
  return spawn(process.execPath, [step.script, ...step.args], { stdio: 'inherit', detached: true });
}

function hasCompactScript(): boolean {
  try {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts?: Record<string, string> };
    return typeof pkg.scripts?.['bake:compact'] === 'string';
  } catch {
    return false;
  }
}

/** Runs the steps one after another; resolves to the exit code. */
export async function retrain(opts: RetrainOptions, deps: RetrainDeps = {}): Promise<number> {
  const err = deps.stderr ?? process.stderr;
  const start = deps.start ?? defaultStart;
  const models = opts.only ? ZOO.filter((z) => opts.only!.includes(z.id)) : [...ZOO];
  const steps = plan(models, opts.dir, deps.hasCompact ?? hasCompactScript());
  const t0 = performance.now();
  const now = () => (performance.now() - t0) / 1000;
  let child: ChildProcess | undefined;
  let stopped: NodeJS.Signals | undefined;
  let finished: string[] = [];

  let stoppedAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopped) {
      // under `npm run`, a terminal's Ctrl-C arrives twice (from the terminal and forwarded by npm)
      if (performance.now() - stoppedAt < 1000) return;
      err.write(`\nretrain: ${signal} again, exiting now.\n`);
      child?.kill('SIGKILL');
      process.exit(STOPPED_EXIT);
    }
    stopped = signal;
    stoppedAt = performance.now();
    err.write(`\nretrain: ${signal} received, stopping${child ? ` the running step (${steps[finished.length]?.name ?? ''})` : ''}.\n`);
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const c = child;
      setTimeout(() => {
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      }, 2000).unref();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    err.write(`retrain: ${models.length} model(s) (${models.map((m) => m.id).join(', ')}), then ${steps.slice(models.length).map((s) => s.name).join(', ')}; estimated ${formatDuration(eta(steps, 0, 0, 0))}\n`);
    let elapsedDone = 0;
    for (let k = 0; k < steps.length; k++) {
      if (stopped) break;
      const step = steps[k]!;
      err.write(`${progressLine(steps, k, now(), eta(steps, k, elapsedDone, 0))}\n`);
      const stepStart = now();
      const tick = setInterval(() => err.write(`${progressLine(steps, k, now(), eta(steps, k, elapsedDone, now() - stepStart))}\n`), (deps.tickSeconds ?? 30) * 1000);
      let result: { code: number | null; signal: NodeJS.Signals | null };
      try {
        child = start(step);
        const c = child;
        result = await new Promise((resolve, reject) => {
          c.once('error', reject);
          c.once('exit', (code, signal) => resolve({ code, signal }));
        });
      } finally {
        clearInterval(tick);
        child = undefined;
      }
      if (stopped) break;
      if (result.code !== 0) {
        err.write(`retrain: ${step.name} failed (${result.signal ? `signal ${result.signal}` : `exit ${result.code}`}); stopping. Finished: ${finished.join(', ') || 'nothing'}.\n`);
        return 1;
      }
      elapsedDone = now();
      finished = [...finished, step.name];
    }
    if (stopped) {
      const trained = finished.filter((s) => s.startsWith('train ')).map((s) => s.slice(6));
      err.write(`retrain: stopped after ${formatDuration(now())}. ${trained.length ? `Finished and kept: ${trained.join(', ')}` : 'No model was finished'}; ${opts.dir}/ is otherwise unchanged.${trained.length ? ' Their embeddings and figures were not rebuilt: run npm run bake && npm run bake:figures.' : ''}\n`);
      return STOPPED_EXIT;
    }
    err.write(`${progressLine(steps, steps.length, now(), 0)}\nretrain: done in ${formatDuration(now())}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function main(argv: readonly string[], deps: RetrainDeps = {}): Promise<number> {
  return runCli(argv, parseRetrainArgs, USAGE, async (opts) => {
    checkWritableDir(opts.dir); // creates it if missing; a clear error at once where it cannot (e.g. /proc/x)
    return retrain(opts, deps);
  }, { stdout: process.stdout, stderr: deps.stderr ?? process.stderr });
}

if (import.meta.main) {
  process.exit(await main(process.argv.slice(2)));
}
