/**
 * `npm run train -- --model ae|vae [--epochs N] [--seed S] [--latent-dim D] [--batch-size B]
 *  [--lr L] [--out DIR] [--resume] [--subset N] [--threads 1|2]` — see `--help` and DEVELOPERS.md.
 *
 * Trains on the TF.js WASM backend, checkpoints after every epoch (outside `pretrained/`), and
 * only at the end replaces `<out>/<model>/` atomically and refreshes `<out>/manifest.json`.
 * Ctrl-C stops between two batches, exits 130 and leaves `<out>/` as it was.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { IdxError } from '../data/idx.ts';
import { architecture } from '../models/architecture.ts';
import { takeSubset, type Mnist } from '../data/mnist.ts';
import { loadMnist } from '../data/mnist-node.ts';
import { replaceDirAtomic, writeFileAtomic } from './atomic.ts';
import { initBackend } from './backend.ts';
import { checkpointMismatch, loadCheckpoint, removeCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { type CliOptions, parseCli, USAGE, UsageError } from './cli.ts';
import { writeManifest } from './manifest.ts';
import { packageVersion, writeModels } from './model-io.ts';
import { OutputLayerThread } from './output-thread.ts';
import { EpochProgress, formatDuration } from './progress.ts';
import { type EpochMetrics, InterruptedError, type TrainState, train } from './trainer.ts';

/** A failure with a message meant for the user and an exit code. */
class CliError extends Error {
  readonly code: number;
  constructor(message: string, code = 1) {
    super(message);
    this.code = code;
  }
}

const fmt = (x: number) => x.toFixed(2);

function epochSummary(m: EpochMetrics, epochs: number, kind: 'ae' | 'vae'): string {
  const parts = kind === 'vae' ? ` (bce ${fmt(m.train.bce)} kl ${fmt(m.train.kl)})` : '';
  const test = kind === 'vae' ? `test -elbo ${fmt(m.test.loss)} (bce ${fmt(m.test.bce)} kl ${fmt(m.test.kl)})` : `test bce ${fmt(m.test.loss)}`;
  return `epoch ${m.epoch}/${epochs}  train ${fmt(m.train.loss)}${parts}  ${test}  ${m.seconds.toFixed(2)} s`;
}

async function ensureWritable(out: string): Promise<void> {
  try {
    await mkdir(out, { recursive: true });
    const probe = await mkdtemp(join(out, '.write-test-'));
    await rm(probe, { recursive: true, force: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new CliError(`cannot write to the output folder ${out} (${e.code ?? e.message}). Nothing was trained and nothing was changed.`);
  }
}

function defaultCheckpointDir(opts: CliOptions): string {
  const tag = createHash('sha256').update(resolve(opts.out)).digest('hex').slice(0, 8);
  return join('.cache', 'train', `${opts.model}-${tag}${opts.subset ? `-subset${opts.subset}` : ''}`);
}

function loadData(subset?: number, dir?: string): Mnist {
  try {
    const data = loadMnist(dir);
    return subset ? { train: takeSubset(data.train, subset), test: takeSubset(data.test, Math.min(subset, data.test.count)) } : data;
  } catch (err) {
    if (err instanceof IdxError) throw new CliError(`MNIST data error: ${err.message}`);
    throw err;
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseCli(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`train: ${err.message}\nRun with --help for usage.\n`);
      return 2;
    }
    throw err;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  let stopRequested = false;
  let writing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (writing) {
      process.stderr.write(`\ntrain: ${signal} received while swapping in the new files; finishing that first (a moment).\n`);
      stopRequested = true;
      return;
    }
    if (stopRequested) {
      process.stderr.write(`\ntrain: ${signal} again, exiting now. ${opts.out}/ was not changed.\n`);
      process.exit(130);
    }
    stopRequested = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = performance.now();
  const progress: { bar?: EpochProgress } = {};
  // the second training thread starts (its own TF.js backend) while this one loads the data
  const outputThread = opts.threads === 2 ? OutputLayerThread.start(architecture(opts.model, opts.latentDim), opts.batchSize, opts.lr, opts.backend) : undefined;
  outputThread?.catch(() => undefined); // a failure is reported where training awaits it
  try {
    await ensureWritable(opts.out);
    const data = loadData(opts.subset, opts.dataDir);
    const backend = await initBackend(opts.backend);
    const ckptDir = opts.checkpointDir ?? defaultCheckpointDir(opts);
    const config = { model: opts.model, epochs: opts.epochs, batchSize: opts.batchSize, lr: opts.lr, latentDim: opts.latentDim, seed: opts.seed, threads: opts.threads };

    let resume: TrainState | undefined;
    if (opts.resume) {
      try {
        resume = await loadCheckpoint(ckptDir);
      } catch (err) {
        throw new CliError(`cannot resume: the checkpoint in ${ckptDir} is damaged (${(err as Error).message}). Run without --resume to start over.`);
      }
      if (!resume) {
        process.stderr.write(`train: no checkpoint in ${ckptDir}; starting from epoch 1.\n`);
      } else {
        const why = checkpointMismatch(resume, config, data.train.count, data.test.count);
        if (why) throw new CliError(`cannot resume from ${ckptDir}: it was made with different settings (${why}).`);
        process.stderr.write(`train: resuming ${opts.model} after epoch ${resume.epochsDone} of ${opts.epochs} (checkpoint ${ckptDir}).\n`);
      }
    }

    process.stderr.write(
      `train: ${opts.model} on ${data.train.count} images (test ${data.test.count}), ${opts.epochs} epoch(s), batch ${opts.batchSize}, lr ${opts.lr}, latent ${opts.latentDim}, seed ${opts.seed}, backend ${backend}, ${opts.threads} thread${opts.threads === 1 ? '' : 's'}\n`,
    );
    const result = await train(
      config,
      data,
      {
        shouldStop: () => stopRequested,
        onBatch: (b) => {
          if (b.batch === 1) progress.bar = new EpochProgress(process.stderr, `epoch ${b.epoch}/${opts.epochs}`);
          progress.bar?.update(b.batch, b.batches, b.loss);
        },
        onEpoch: async (m, state) => {
          progress.bar?.finish(epochSummary(m, opts.epochs, opts.model));
          progress.bar = undefined;
          if (m.epoch < opts.epochs) await saveCheckpoint(ckptDir, state());
        },
      },
      resume,
      outputThread,
    );
    if (stopRequested) throw new InterruptedError(opts.epochs, 0, opts.epochs);

    const final = result.history[result.history.length - 1]!;
    const metrics = {
      model: opts.model,
      config: {
        ...config,
        trainSize: data.train.count,
        testSize: data.test.count,
        backend,
        init: 'pytorch-default',
        objective: opts.model === 'ae' ? 'BCELoss(mean over pixels and batch)' : 'BCE(sum) + KL(sum)',
        optimizer: 'adam(0.9, 0.999, 1e-8)',
        ...(opts.subset ? { subset: opts.subset } : {}),
      },
      epochs: result.history,
      final: { test: final.test, train: final.train },
      units: 'nats per image (BCE summed over 784 pixels, KL over latent dims, averaged over images)',
      totalTrainSeconds: Math.round(result.history.reduce((s, e) => s + e.seconds + e.testSeconds, 0) * 1000) / 1000,
      versions: { node: process.version, '@tensorflow/tfjs-core': tf.version_core, '@tensorflow/tfjs-layers': packageVersion('@tensorflow/tfjs-layers'), '@tensorflow/tfjs-backend-wasm': version_wasm },
      createdAt: new Date().toISOString(),
    };
    const target = join(opts.out, opts.model);
    let carried: string[];
    writing = true;
    try {
      carried = await replaceDirAtomic(
        target,
        async (tmp) => {
          await writeModels(tmp, result.arch, result.params);
          await writeFileAtomic(join(tmp, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
        },
        { carryOver: () => true },
      );
      await writeManifest(opts.out);
    } catch (err) {
      throw new CliError(`could not write ${target}: ${(err as Error).message}. The previous ${target} is unchanged.`);
    } finally {
      writing = false;
    }
    await removeCheckpoint(ckptDir);
    if (carried.length) {
      process.stderr.write(`train: kept ${carried.map((c) => `${target}/${c}`).join(', ')} from before; it was made from the previous weights — rerun the bake step.\n`);
    }
    const summary = opts.model === 'ae' ? `test BCE ${fmt(final.test.bce)}` : `test -ELBO ${fmt(final.test.loss)} (BCE ${fmt(final.test.bce)} + KL ${fmt(final.test.kl)})`;
    process.stdout.write(`${opts.model}: ${summary} nats/image; wrote ${target}/ and ${join(opts.out, 'manifest.json')} in ${formatDuration((performance.now() - started) / 1000)}\n`);
    return 0;
  } catch (err) {
    progress.bar?.clear();
    if (err instanceof InterruptedError) {
      const done = err.epochsDone;
      process.stderr.write(
        `\ntrain: interrupted${err.batch ? ` in epoch ${err.epoch} (batch ${err.batch})` : ''}. ${opts.out}/ was not changed.` +
          (done > 0 ? ` ${done} completed epoch(s) are checkpointed: rerun with --resume to continue.` : '') +
          '\n',
      );
      return 130;
    }
    if (err instanceof CliError) {
      process.stderr.write(`train: ${err.message}\n`);
      return err.code;
    }
    process.stderr.write(`train: failed: ${(err as Error).stack ?? String(err)}\n${opts.out}/ was not changed.\n`);
    return 1;
  } finally {
    // closed by train() when it ran; not when something failed before
    await (await outputThread?.catch(() => undefined))?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
