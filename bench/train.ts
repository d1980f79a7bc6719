/**
 * `npm run bench:train [-- --rounds N --epochs E --no-reference]`: training speed of the TF.js
 * pipeline against the report's PyTorch code on this machine.
 *
 * For each model, each round runs, one after the other and rotating which goes first:
 * - ours: the whole `npm run train -- --model M --epochs E` process (into a temporary --out),
 *   wall-clock, plus the per-epoch training seconds it records in metrics.json; with its default
 *   thread count (2 on two or more cores: each step's output layer on a second thread, see
 *   src/pipeline/output-thread.ts) and, for comparison, with `--threads 1`;
 * - PyTorch: `/usr/bin/python3 bench/reference/M.py --epochs E`, the report's code as written: its
 *   `torchvision.datasets.MNIST(root=…, download=True, transform=ToTensor())` over a temporary
 *   root whose MNIST/raw/ links to the same IDX files (so nothing is downloaded) when torchvision
 *   is installed; otherwise, and also for comparison when it is, the same code over the stand-in
 *   dataset of bench/reference/mnist_idx.py (same per-image PIL + ToTensor work);
 * - PyTorch, stricter: the data pre-converted to one tensor and batches cut by index
 *   (`--loader tensor`), i.e. without the report's per-image PIL/ToTensor work;
 * - PyTorch at its best on this machine (issue 10): the same tensor batches (no DataLoader), over
 *   Debian's OpenBLAS (libopenblas0-pthread; the BLAS the process mapped is checked), with N threads
 *   for both torch and OpenBLAS (`--threads N`, OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=N) for N = 1
 *   and 2; the faster thread count is the reference (goal ≤ 1.0× for ae and vae, judged on the training loop's time per epoch: a one-epoch process is mostly start-up).
 * Reports the best of the rounds for each side and the ratios, for wall-clock time and (with GNU
 * time) CPU time, and the threads each side used (ours: --threads; PyTorch: torch.get_num_threads()).
 * PyTorch is never a project dependency: without `import torch` in /usr/bin/python3 the reference
 * is skipped. `--sides ours,torch-best` times only those sides (keys: ours, ours-1, torch,
 * torch-idx, torch-tensor, torch-best); `--best-timeout S` (default 300) is where a PyTorch-at-its-best
 * run counts as lost.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultThreads } from '../src/embed/tsne-node.ts';
import { has, option } from './args.ts';
import { type Figure, writeResult } from './report.ts';

const flag = (name: string, def: number) => Number(option(name) ?? def);
const rounds = flag('rounds', 3);
const epochs = flag('epochs', 1);
const useReference = !has('no-reference');
const sideFilter = option('sides')?.split(',') ?? null;
/** A PyTorch-at-its-best run slower than this counts as lost (2 threads on a busy 2-core machine can spin for minutes). */
const BEST_TIMEOUT_S = flag('best-timeout', 300);
const PYTHON = '/usr/bin/python3';
const repo = join(import.meta.dirname, '..');
const BATCHES = Math.ceil(60000 / 128);
/** The trainer's default thread count here (TF.js's own threaded wasm build does not start in Node). */
const OUR_THREADS = defaultThreads();

interface Sample {
  wall: number;
  /** user + system CPU seconds of the process and its children (GNU time), NaN without it. */
  cpu: number;
  epoch: number;
}

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * Runs a command; wall-clock seconds, and CPU seconds (user + system, children included) via GNU
 * time when present: CPU time is far less sensitive than wall time to other work on a shared
 * machine, so both are reported.
 */
function timed(cmd: string, argv: string[], env?: NodeJS.ProcessEnv, timeoutS?: number): { wall: number; cpu: number; stdout: string; stderr: string } {
  const timeFile = join(tmpdir(), `bench-train-time-${process.pid}.txt`);
  // a time limit goes to coreutils' timeout, innermost, so the command itself is the one killed
  const [cmd0, argv0] = timeoutS ? ['timeout', ['-s', 'KILL', String(timeoutS), cmd, ...argv]] : [cmd, argv];
  const [c, a] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S', '-o', timeFile, cmd0, ...argv0]] : [cmd0, argv0];
  const t0 = performance.now();
  const r = spawnSync(c, a, { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20, ...(env ? { env: { ...process.env, ...env } } : {}) });
  const wall = (performance.now() - t0) / 1000;
  if (timeoutS && r.status === 137) {
    rmSync(timeFile, { force: true });
    return { wall: Infinity, cpu: Infinity, stdout: '', stderr: `timed out after ${timeoutS} s` };
  }
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  let cpu = NaN;
  if (GNU_TIME) {
    const [u, sys] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number);
    cpu = u! + sys!;
    rmSync(timeFile, { force: true });
  }
  return { wall, cpu, stdout: r.stdout, stderr: r.stderr };
}

/** The train CLI as a user runs it; `threads` adds `--threads N` (otherwise its default). */
function runOurs(model: string, threads?: number): Sample {
  const out = mkdtempSync(join(tmpdir(), 'bench-train-'));
  try {
    const extra = threads ? ['--threads', String(threads)] : [];
    const r = timed('npm', ['run', '--silent', 'train', '--', '--model', model, '--epochs', String(epochs), ...extra, '--out', out, '--checkpoint-dir', join(out, '.ckpt')]);
    const metrics = JSON.parse(readFileSync(join(out, model, 'metrics.json'), 'utf8')) as { epochs: { seconds: number }[]; config: { threads?: number } };
    const used = metrics.config.threads ?? 1;
    if (used !== (threads ?? OUR_THREADS)) throw new Error(`train ran on ${used} thread(s), expected ${threads ?? OUR_THREADS}`);
    return { wall: r.wall, cpu: r.cpu, epoch: Math.min(...metrics.epochs.map((e) => e.seconds)) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function runTorch(model: string, loader: 'items' | 'tensor', data: 'torchvision' | 'idx'): Sample {
  const r = timed(PYTHON, [join('bench', 'reference', `${model}.py`), '--epochs', String(epochs), '--loader', loader, '--data', data]);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { seconds?: number; data?: string; threads?: number });
  const head = lines.find((l) => l.data !== undefined);
  if (head?.data !== data) throw new Error(`${model}.py used data "${head?.data}", expected "${data}"`);
  return { wall: r.wall, cpu: r.cpu, epoch: Math.min(...lines.filter((l) => l.seconds !== undefined).map((l) => l.seconds!)) };
}

/** The tensor-batch reference with N threads for torch and for OpenBLAS (set before Python starts). */
function runTorchBest(model: string, threads: number): Sample {
  const n = String(threads);
  const r = timed(PYTHON, [join('bench', 'reference', `${model}.py`), '--epochs', String(epochs), '--loader', 'tensor', '--data', 'idx', '--threads', n], { OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n }, BEST_TIMEOUT_S);
  if (!Number.isFinite(r.wall)) {
    console.log(`  ${model}.py with ${threads} thread(s) took over ${BEST_TIMEOUT_S} s: counted as lost`);
    return { wall: Infinity, cpu: Infinity, epoch: Infinity };
  }
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { seconds?: number; threads?: number; blas?: string[] });
  const head = lines.find((l) => l.blas !== undefined);
  if (head?.threads !== threads) throw new Error(`${model}.py ran on ${head?.threads} torch thread(s), expected ${threads}`);
  bestBlas ??= (head.blas ?? []).map((f) => f.split('/').pop()).join(', ') || 'unknown';
  return { wall: r.wall, cpu: r.cpu, epoch: Math.min(...lines.filter((l) => l.seconds !== undefined).map((l) => l.seconds!)) };
}
let bestBlas: string | undefined;

function python(code: string): string | null {
  const r = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const torch = useReference ? python('import torch, numpy, PIL; print(torch.__version__, torch.get_num_threads())') : null;
const torchvision = torch ? python('import torchvision; print(torchvision.__version__)') : null;
const torchThreads = torch ? Number(torch.split(' ')[1]) : NaN;
if (useReference && !torch) console.log(`PyTorch reference skipped: ${PYTHON} cannot import torch (Debian package python3-torch); only our figures are reported.`);
else if (torch) {
  console.log(`PyTorch reference: torch ${torch.split(' ')[0]}, torch.get_num_threads() = ${torchThreads}`);
  console.log(
    torchvision
      ? `  data: the report's torchvision ${torchvision} datasets.MNIST(download=True, ToTensor()) over local IDX files (symlinked into a temporary root); also timed: the stand-in bench/reference/mnist_idx.py`
      : `  data: the stand-in bench/reference/mnist_idx.py (${PYTHON} cannot import torchvision)`,
  );
}
if (torch) console.log(`  also: PyTorch at its best: tensor batches (no DataLoader), Debian's OpenBLAS, torch + OpenBLAS on 1 and on 2 threads (the faster is kept)`);
console.log(`ours: TF.js wasm backend, ${OUR_THREADS} thread(s) (the default here)${OUR_THREADS > 1 ? '; also timed with --threads 1' : ''}`);
console.log(`${rounds} round(s) of ${epochs} epoch(s) per model, alternating sides; best of each reported.\n`);

type Side = { key: string; label: string; run: (model: string) => Sample };
const sides: Side[] = [{ key: 'ours', label: 'ours', run: (m) => runOurs(m) }];
if (OUR_THREADS > 1) sides.push({ key: 'ours-1', label: 'ours (1 thread)', run: (m) => runOurs(m, 1) });
if (torch) {
  const primary = torchvision ? 'torchvision' : 'idx';
  sides.push({ key: 'torch', label: `pytorch (${primary})`, run: (m) => runTorch(m, 'items', primary) });
  if (torchvision) sides.push({ key: 'torch-idx', label: 'pytorch (stand-in)', run: (m) => runTorch(m, 'items', 'idx') });
  sides.push({ key: 'torch-tensor', label: 'pytorch (tensor loader)', run: (m) => runTorch(m, 'tensor', 'idx') });
  for (const n of [1, 2]) sides.push({ key: `torch-best-${n}`, label: `pytorch best (${n} thread${n > 1 ? 's' : ''})`, run: (m) => runTorchBest(m, n) });
}
if (sideFilter) sides.splice(0, sides.length, ...sides.filter((s) => sideFilter.includes(s.key) || (s.key.startsWith('torch-best-') && sideFilter.includes('torch-best'))));
if (!sides.some((s) => s.key === 'ours')) throw new Error('--sides must include ours');
const figures: Figure[] = [];
for (const model of ['ae', 'vae']) {
  const samples = new Map<string, Sample[]>(sides.map((s) => [s.key, []]));
  for (let i = 0; i < rounds; i++) {
    // rotate who goes first, so neither side always runs on a warmer (or busier) machine
    const order = sides.map((_, k) => sides[(k + i) % sides.length]!);
    for (const side of order) samples.get(side.key)!.push(side.run(model));
    const last = (key: string) => {
      const x = samples.get(key)!.at(-1)!;
      return `${x.wall.toFixed(2)} s (cpu ${x.cpu.toFixed(2)}, epoch ${x.epoch.toFixed(2)})`;
    };
    console.log(`${model} round ${i + 1}: ${sides.map((s) => `${s.label} ${last(s.key)}`).join('   ')}`);
  }
  const best = (key: string) => {
    const s = samples.get(key) ?? [];
    return s.length ? { wall: Math.min(...s.map((x) => x.wall)), cpu: Math.min(...s.map((x) => x.cpu)), epoch: Math.min(...s.map((x) => x.epoch)) } : undefined;
  };
  const o = best('ours')!;
  const tb = [1, 2].map((n) => ({ n, s: best(`torch-best-${n}`) })).filter((x): x is { n: number; s: Sample } => x.s !== undefined);
  figures.push(
    { metric: `${model} ms/batch`, value: (o.epoch * 1000) / (BATCHES * epochs), unit: 'ms', note: 'training batches only, batch 128' },
    { metric: `${model} s/epoch`, value: o.epoch / epochs, unit: 's', note: 'training batches only' },
    { metric: `${model} whole train process`, value: o.wall, unit: 's', note: `npm run train -- --model ${model} --epochs ${epochs}` },
  );
  if (GNU_TIME) {
    figures.push(
      { metric: `${model} whole train process CPU`, value: o.cpu, unit: 's', note: 'user + system, npm included' },
      { metric: `${model} cores busy`, value: o.cpu / o.wall, unit: '', note: 'ours, CPU / wall of the best runs' },
    );
  }
  figures.push({ metric: `${model} threads`, value: OUR_THREADS, unit: '', note: 'ours (--threads default)' });
  const o1 = best('ours-1');
  if (o1) {
    figures.push(
      { metric: `${model} s/epoch, 1 thread`, value: o1.epoch / epochs, unit: 's', note: '--threads 1, training batches only' },
      { metric: `${model} whole train process, 1 thread`, value: o1.wall, unit: 's', note: `npm run train -- --model ${model} --epochs ${epochs} --threads 1` },
      { metric: `${model} speed-up of the second thread`, value: o1.wall / o.wall, unit: '×', note: 'whole process, 1 thread / default' },
    );
  }
  const r = best('torch');
  if (r) {
    const what = torchvision ? 'report code with torchvision' : 'report code, stand-in dataset';
    figures.push({ metric: `${model} PyTorch threads`, value: torchThreads, unit: '', note: 'torch.get_num_threads()' });
    if (GNU_TIME) {
      figures.push(
        { metric: `${model} PyTorch whole process CPU`, value: r.cpu, unit: 's', note: 'user + system' },
        // torch.get_num_threads() is 1, but the BLAS library may run threads of its own (Debian's
        // torch over OpenBLAS: ~1.7 cores busy unless OPENBLAS_NUM_THREADS=1)
        { metric: `${model} PyTorch cores busy`, value: r.cpu / r.wall, unit: '', note: 'CPU / wall of the best runs' },
        { metric: `${model} whole-process CPU ratio`, value: o.cpu / r.cpu, unit: '×', note: 'ours / PyTorch; robust to a busy machine' },
      );
    }
    figures.push(
      { metric: `${model} PyTorch s/epoch`, value: r.epoch / epochs, unit: 's', note: `${what}, training loop only` },
      { metric: `${model} PyTorch whole process`, value: r.wall, unit: 's', note: what },
      { metric: `${model} epoch time ratio`, value: o.epoch / r.epoch, unit: '×', note: 'ours / PyTorch' },
      {
        metric: `${model} whole-process ratio`,
        value: o.wall / r.wall,
        unit: '×',
        note: `ours / PyTorch (${what})`,
        ...(model === 'ae' ? { goal: '≤ 1.0×', ok: o.wall / r.wall <= 1.0 } : {}),
      },
    );
    if (o1) figures.push({ metric: `${model} whole-process ratio, 1 thread`, value: o1.wall / r.wall, unit: '×', note: `ours --threads 1 / PyTorch (${what})` });
  }
  const ri = best('torch-idx');
  if (ri) {
    figures.push(
      { metric: `${model} PyTorch (stand-in dataset) whole process`, value: ri.wall, unit: 's', note: 'bench/reference/mnist_idx.py instead of torchvision' },
      { metric: `${model} whole-process ratio vs stand-in dataset`, value: o.wall / ri.wall, unit: '×', note: 'ours / PyTorch (stand-in)' },
    );
  }
  const winner = tb.length ? tb.reduce((a, b) => (b.s.wall < a.s.wall ? b : a)) : undefined;
  for (const { n, s } of tb) {
    const note = Number.isFinite(s.wall) ? `tensor batches, OpenBLAS (${bestBlas ?? '?'}), torch + OpenBLAS threads ${n}; epoch ${s.epoch.toFixed(2)} s, CPU ${s.cpu.toFixed(2)} s` : `every run took over ${BEST_TIMEOUT_S} s (--best-timeout)`;
    figures.push({ metric: `${model} PyTorch at its best, ${n} thread(s), whole process`, value: s.wall, unit: 's', note });
  }
  if (winner && !Number.isFinite(winner.s.wall)) {
    figures.push({ metric: `${model} whole-process ratio vs PyTorch at its best`, value: NaN, unit: '×', goal: '≤ 1.0×', ok: false, note: `not measured: PyTorch took over ${BEST_TIMEOUT_S} s on every thread count (busy machine?)` });
  } else if (winner) {
    figures.push(
      { metric: `${model} PyTorch at its best: threads`, value: winner.n, unit: '', note: 'the faster of 1 and 2 threads' },
      { metric: `${model} PyTorch at its best s/epoch`, value: winner.s.epoch / epochs, unit: 's', note: 'training loop only' },
      // The goal is judged on the training loop: a short run's whole process is dominated by start-up
      // (PyTorch's `import torch` alone takes seconds), which says nothing of the 10-epoch recipe.
      { metric: `${model} epoch time ratio vs PyTorch at its best`, value: o.epoch / winner.s.epoch, unit: '×', note: 'ours / PyTorch, training loop only', goal: '≤ 1.0×', ok: o.epoch / winner.s.epoch <= 1.0 },
      { metric: `${model} whole-process ratio vs PyTorch at its best`, value: o.wall / winner.s.wall, unit: '×', note: `ours / PyTorch (tensor batches, OpenBLAS, ${winner.n} thread(s)); includes start-up, so ${epochs} epoch(s) flatter the side that starts faster` },
    );
    if (GNU_TIME) figures.push({ metric: `${model} whole-process CPU ratio vs PyTorch at its best`, value: o.cpu / winner.s.cpu, unit: '×', note: 'ours / PyTorch, user + system; robust to a busy machine' });
  }
  const rt = best('torch-tensor');
  if (rt) {
    figures.push(
      { metric: `${model} PyTorch (tensor loader) s/epoch`, value: rt.epoch / epochs, unit: 's', note: 'stricter than the report: no per-image PIL work' },
      { metric: `${model} whole-process ratio vs tensor loader`, value: o.wall / rt.wall, unit: '×', note: 'ours / PyTorch (tensor loader)' },
    );
  }
}
writeResult('train', figures);
