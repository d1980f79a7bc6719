/**
 * `npm run bench:train [-- --rounds N --epochs E --no-reference]`: training speed of the TF.js
 * pipeline against the report's PyTorch code on this machine.
 *
 * For each model, each round runs, one after the other and alternating which goes first:
 * - ours: the whole `npm run train -- --model M --epochs E` process (into a temporary --out),
 *   wall-clock, plus the per-epoch training seconds it records in metrics.json;
 * - PyTorch: `/usr/bin/python3 bench/reference/M.py --epochs E` (the report's code, reading the
 *   same IDX files through a torchvision-style per-item dataset), wall-clock, plus its own
 *   per-epoch seconds;
 * - PyTorch, stricter: the same code with the data pre-converted to one tensor and batches cut by
 *   index (`--loader tensor`), i.e. without the report's per-image PIL/ToTensor work.
 * Reports the best of the rounds for each side and the ratios, for wall-clock time and (with GNU
 * time) CPU time, which a busy shared machine distorts far less. PyTorch is never a project
 * dependency: without `import torch` working in /usr/bin/python3 the reference is skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Figure, writeResult } from './report.ts';

const args = process.argv.slice(2);
const flag = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const rounds = flag('rounds', 3);
const epochs = flag('epochs', 1);
const useReference = !args.includes('--no-reference');
const PYTHON = '/usr/bin/python3';
const repo = join(import.meta.dirname, '..');
const BATCHES = Math.ceil(60000 / 128);

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
function timed(cmd: string, argv: string[]): { wall: number; cpu: number; stdout: string; stderr: string } {
  const timeFile = join(tmpdir(), `bench-train-time-${process.pid}.txt`);
  const [c, a] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S', '-o', timeFile, cmd, ...argv]] : [cmd, argv];
  const t0 = performance.now();
  const r = spawnSync(c, a, { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  let cpu = NaN;
  if (GNU_TIME) {
    const [u, sys] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number);
    cpu = u! + sys!;
    rmSync(timeFile, { force: true });
  }
  return { wall, cpu, stdout: r.stdout, stderr: r.stderr };
}

function runOurs(model: string): Sample {
  const out = mkdtempSync(join(tmpdir(), 'bench-train-'));
  try {
    const r = timed('npm', ['run', '--silent', 'train', '--', '--model', model, '--epochs', String(epochs), '--out', out, '--checkpoint-dir', join(out, '.ckpt')]);
    const metrics = JSON.parse(readFileSync(join(out, model, 'metrics.json'), 'utf8')) as { epochs: { seconds: number }[] };
    return { wall: r.wall, cpu: r.cpu, epoch: Math.min(...metrics.epochs.map((e) => e.seconds)) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function runTorch(model: string, loader: 'items' | 'tensor'): Sample {
  const r = timed(PYTHON, [join('bench', 'reference', `${model}.py`), '--epochs', String(epochs), '--loader', loader]);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { seconds?: number });
  return { wall: r.wall, cpu: r.cpu, epoch: Math.min(...lines.filter((l) => l.seconds !== undefined).map((l) => l.seconds!)) };
}

function torchAvailable(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy, PIL; print(torch.__version__, torch.get_num_threads())'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const torch = useReference ? torchAvailable() : null;
if (useReference && !torch) console.log(`PyTorch reference skipped: ${PYTHON} cannot import torch (Debian package python3-torch); only our figures are reported.`);
else if (torch) console.log(`PyTorch reference: torch ${torch.split(' ')[0]}, ${torch.split(' ')[1]} thread(s)`);
console.log(`${rounds} round(s) of ${epochs} epoch(s) per model, alternating sides; best of each reported.\n`);

const figures: Figure[] = [];
for (const model of ['ae', 'vae']) {
  const ours: Sample[] = [];
  const ref: Sample[] = [];
  const refTensor: Sample[] = [];
  const sides = torch ? ['ours', 'torch', 'torch-tensor'] : ['ours'];
  for (let i = 0; i < rounds; i++) {
    // rotate who goes first, so neither side always runs on a warmer (or busier) machine
    const order = sides.map((_, k) => sides[(k + i) % sides.length]!);
    for (const side of order) {
      if (side === 'ours') ours.push(runOurs(model));
      else if (side === 'torch') ref.push(runTorch(model, 'items'));
      else refTensor.push(runTorch(model, 'tensor'));
    }
    const last = (s: Sample[]) => {
      const x = s[s.length - 1];
      return x ? `${x.wall.toFixed(2)} s (cpu ${x.cpu.toFixed(2)} s, epoch ${x.epoch.toFixed(2)} s)` : '—';
    };
    console.log(`${model} round ${i + 1}: ours ${last(ours)}   pytorch ${last(ref)}   pytorch, tensor loader ${last(refTensor)}`);
  }
  const best = (s: Sample[], k: keyof Sample) => Math.min(...s.map((x) => x[k]));
  const o = { wall: best(ours, 'wall'), cpu: best(ours, 'cpu'), epoch: best(ours, 'epoch') };
  figures.push(
    { metric: `${model} ms/batch`, value: (o.epoch * 1000) / (BATCHES * epochs), unit: 'ms', note: 'training batches only, batch 128' },
    { metric: `${model} s/epoch`, value: o.epoch / epochs, unit: 's', note: 'training batches only' },
    { metric: `${model} whole train process`, value: o.wall, unit: 's', note: `npm run train -- --model ${model} --epochs ${epochs}` },
  );
  if (GNU_TIME) figures.push({ metric: `${model} whole train process CPU`, value: o.cpu, unit: 's', note: 'user + system, npm included' });
  if (ref.length) {
    const r = { wall: best(ref, 'wall'), cpu: best(ref, 'cpu'), epoch: best(ref, 'epoch') };
    if (GNU_TIME) {
      figures.push(
        { metric: `${model} PyTorch whole process CPU`, value: r.cpu, unit: 's', note: 'user + system' },
        { metric: `${model} whole-process CPU ratio`, value: o.cpu / r.cpu, unit: '×', note: 'ours / PyTorch; robust to a busy machine' },
      );
    }
    figures.push(
      { metric: `${model} PyTorch s/epoch`, value: r.epoch / epochs, unit: 's', note: 'report code, training loop only' },
      { metric: `${model} PyTorch whole process`, value: r.wall, unit: 's' },
      { metric: `${model} epoch time ratio`, value: o.epoch / r.epoch, unit: '×', note: 'ours / PyTorch' },
      {
        metric: `${model} whole-process ratio`,
        value: o.wall / r.wall,
        unit: '×',
        note: 'ours / PyTorch',
        ...(model === 'ae' ? { goal: '≤ 1.0×', ok: o.wall / r.wall <= 1.0 } : {}),
      },
    );
  }
  if (refTensor.length) {
    const r = { wall: best(refTensor, 'wall'), epoch: best(refTensor, 'epoch') };
    figures.push(
      { metric: `${model} PyTorch (tensor loader) s/epoch`, value: r.epoch / epochs, unit: 's', note: 'stricter than the report: no per-image PIL work' },
      { metric: `${model} whole-process ratio vs tensor loader`, value: o.wall / r.wall, unit: '×', note: 'ours / PyTorch (tensor loader)' },
    );
  }
}
writeResult('train', figures);
