/**
 * `npm run bench:tsne [-- --runs 3] [--model ae|vae | --synthetic | --pixels N] [--no-reference]`
 *
 * Time and quality of this project's t-SNE against scikit-learn's Barnes-Hut `TSNE` (defaults:
 * perplexity 30, 1000 iterations, init='pca', angle 0.5, learning_rate='auto') on the same input
 * and machine: by default the bake's real input, the 10,000 test digits' 2-D latent codes from
 * `pretrained/<model>/embeddings.json` (AE unless --model vae); --synthetic uses 10,000 points of
 * 10 seeded Gaussian streaks instead; --pixels N the first N test digits' 784 pixels (byte / 255),
 * to compare on wide input where trustworthiness is far from 1.
 *
 * Each round runs both, alternating which goes first, each in a fresh process; the best time of
 * the rounds is reported for each side, with the ratio. Quality — trustworthiness@10 against the
 * input and leave-one-out 10-NN label accuracy — is computed for both outputs with the same
 * functions (`src/embed/metrics.ts`; its trustworthiness equals `sklearn.manifold.trustworthiness`
 * on its test case). scikit-learn (Debian's python3-sklearn) is never a project dependency: when
 * `/usr/bin/python3 -c "import sklearn"` fails, the reference is skipped and said so.
 * Goals (issue 5): time ≤ 0.5× sklearn, |Δ trustworthiness| ≤ 0.005, |Δ accuracy| ≤ 0.01.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { knnAccuracy, trustworthiness } from '../src/embed/metrics.ts';
import { createRandom, gaussian } from '../src/embed/random.ts';
import { loadMnist } from '../src/data/mnist-node.ts';
import { takeSubset } from '../src/data/mnist.ts';
import { type Figure, OUT_DIR, writeResult } from './report.ts';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : def;
};
const runs = Number(flag('runs', '3'));
const model = flag('model', 'ae');
const synthetic = args.includes('--synthetic');
const pixels = Number(flag('pixels', '0'));
const PYTHON = '/usr/bin/python3';
const repo = join(import.meta.dirname, '..');
const NODE = process.execPath;

function syntheticInput(n = 10_000): { rows: number[][]; labels: number[]; name: string } {
  const r = createRandom(1);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * 10);
    const a = (2 * Math.PI * c) / 10;
    const t = 0.3 + 0.5 * -Math.log(r() * r() + 1e-12); // elongated streaks from the centre
    rows.push([3 * Math.cos(a) * t + 0.35 * gaussian(r), 3 * Math.sin(a) * t + 0.35 * gaussian(r)]);
    labels.push(c);
  }
  return { rows, labels, name: `synthetic: ${n} points, 10 Gaussian streaks` };
}

function loadInput(): { rows: number[][]; labels: number[]; name: string } {
  if (pixels > 0) {
    const test = takeSubset(loadMnist().test, pixels);
    const rows = Array.from({ length: test.count }, (_, i) => Array.from(test.images.subarray(i * 784, (i + 1) * 784), (b) => b / 255));
    return { rows, labels: Array.from(test.labels), name: `pixels (784-D) of the first ${test.count} MNIST test digits` };
  }
  const file = join(repo, 'pretrained', model, 'embeddings.json');
  if (synthetic || !existsSync(file)) {
    if (!synthetic) console.log(`${file} not found: using synthetic data`);
    return syntheticInput();
  }
  const e = JSON.parse(readFileSync(file, 'utf8')) as { latent: number[]; labels: number[] };
  const rows = e.labels.map((_, i) => [e.latent[2 * i]!, e.latent[2 * i + 1]!]);
  return { rows, labels: e.labels, name: `${model} latent codes of the ${rows.length} MNIST test digits` };
}

function run(cmd: string, argv: string[], out: string): { seconds: number; kl: number; embedding: number[][] } {
  const r = spawnSync(cmd, argv, { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env } });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8'));
}

const hasSklearn = !args.includes('--no-reference') && spawnSync(PYTHON, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0;
const sklearnVersion = hasSklearn ? spawnSync(PYTHON, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' }).stdout.trim() : '';
const input = loadInput();
mkdirSync(OUT_DIR, { recursive: true });
const inFile = join(OUT_DIR, 'tsne-input.json');
writeFileSync(inFile, JSON.stringify(input.rows));
const dim = input.rows[0]!.length;
const flat = Float64Array.from(input.rows.flat());
console.log(`t-SNE benchmark on ${input.name}; ${runs} rounds${hasSklearn ? `, vs scikit-learn ${sklearnVersion}` : ''}`);
if (!hasSklearn) console.log('scikit-learn is not available to /usr/bin/python3: skipped the reference (install Debian python3-sklearn to compare)');

const times = { ours: [] as number[], sklearn: [] as number[] };
let ours: number[][] = [];
let ref: number[][] = [];
const kl = { ours: NaN, sklearn: NaN };
for (let round = 0; round < runs; round++) {
  const order = round % 2 === 0 ? ['ours', 'sklearn'] : ['sklearn', 'ours'];
  for (const side of order) {
    if (side === 'ours') {
      const out = join(OUT_DIR, 'tsne-ours.json');
      const r = run(NODE, [join(repo, 'bench', 'tsne-run.ts'), inFile, out], out);
      times.ours.push(r.seconds);
      ours = r.embedding;
      kl.ours = r.kl;
      console.log(`round ${round + 1}: ours ${r.seconds.toFixed(2)} s`);
    } else if (hasSklearn) {
      const out = join(OUT_DIR, 'tsne-sklearn.json');
      const r = run(PYTHON, [join(repo, 'bench', 'reference', 'tsne_sklearn.py'), inFile, out], out);
      times.sklearn.push(r.seconds);
      ref = r.embedding;
      kl.sklearn = r.kl;
      console.log(`round ${round + 1}: sklearn ${r.seconds.toFixed(2)} s`);
    }
  }
}

const quality = (emb: number[][]) => {
  const f = Float64Array.from(emb.flat());
  return { trust: trustworthiness(flat, dim, f, 2, 10), acc: knnAccuracy(f, 2, input.labels, 10) };
};
const q = quality(ours);
console.log(`ours: trustworthiness@10 ${q.trust.toFixed(5)}, 10-NN accuracy ${q.acc.toFixed(4)}, KL ${kl.ours.toFixed(4)}`);
const best = { ours: Math.min(...times.ours), sklearn: hasSklearn ? Math.min(...times.sklearn) : NaN };
const figures: Figure[] = [
  { metric: 't-SNE time, ours (best)', value: best.ours, unit: 's', note: input.name },
  { metric: 'trustworthiness@10, ours', value: q.trust, unit: '' },
  { metric: '10-NN accuracy, ours', value: q.acc, unit: '' },
];
if (hasSklearn) {
  const qr = quality(ref);
  console.log(`sklearn: trustworthiness@10 ${qr.trust.toFixed(5)}, 10-NN accuracy ${qr.acc.toFixed(4)}, KL ${kl.sklearn.toFixed(4)}`);
  const ratio = best.ours / best.sklearn;
  figures.push(
    { metric: `t-SNE time, sklearn ${sklearnVersion} (best)`, value: best.sklearn, unit: 's' },
    { metric: 'time ratio ours / sklearn', value: ratio, unit: '×', goal: '≤ 0.5×', ok: ratio <= 0.5 },
    { metric: 'trustworthiness@10, sklearn', value: qr.trust, unit: '' },
    { metric: '|Δ trustworthiness@10|', value: Math.abs(q.trust - qr.trust), unit: '', goal: '≤ 0.005', ok: Math.abs(q.trust - qr.trust) <= 0.005 },
    { metric: '10-NN accuracy, sklearn', value: qr.acc, unit: '' },
    { metric: '|Δ 10-NN accuracy|', value: Math.abs(q.acc - qr.acc), unit: '', goal: '≤ 0.01', ok: Math.abs(q.acc - qr.acc) <= 0.01 },
  );
}
console.log(`all times (s): ours ${times.ours.map((t) => t.toFixed(2)).join(', ')}${hasSklearn ? `; sklearn ${times.sklearn.map((t) => t.toFixed(2)).join(', ')}` : ''}`);
// The default run (the bake's input) is the suite's result; other inputs get their own file.
writeResult(pixels > 0 ? 'tsne-pixels' : synthetic ? 'tsne-synthetic' : model === 'ae' ? 'tsne' : `tsne-${model}`, figures);
