/**
 * The train CLI's work for the MLP kinds (ae, vae, dae, cvae), after `train.ts` has parsed the
 * flags, installed the stop handler and checked the output folder: load the data, train (with
 * the second thread), checkpoint each epoch, then write `<out>/<id>/`, `<out>/zoo.json` and
 * `<out>/manifest.json` atomically.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { IdxError } from '../data/idx.ts';
import { type Architecture, architecture, type ModelKind, type Params, paramSpecs } from '../models/architecture.ts';
import { WEIGHTS_FILE } from '../models/weights-file.ts';
import { toTensors } from '../models/math.ts';
import { isVariational } from '../models/zoo.ts';
import { takeSubset, type Mnist } from '../data/mnist.ts';
import { loadMnistAsync } from '../data/mnist-node.ts';
import { writeFileAtomic } from './atomic.ts';
import { initBackend } from './backend.ts';
import { checkpointMismatch, loadCheckpoint, removeCheckpoint, saveCheckpoint } from './checkpoint.ts';
import type { CliOptions } from './cli.ts';
import { writeManifest } from './manifest.ts';
import { writeModels } from './model-io.ts';
import { OutputLayerThread } from './output-thread.ts';
import { batchHooks, type EpochProgress, formatDuration } from './progress.ts';
import type { StopHandler } from './signals.ts';
import { CliError, reportTrainFailure, trainVersions, writeTrainedModel, writeZooJson } from './write-trained.ts';
import { ACTIVE_KL, type EpochMetrics, InterruptedError, klPerDim, NOISY_EVAL, noisyBce, type TrainConfig, type TrainState, train } from './trainer.ts';

/** A failure with a message meant for the user and an exit code. */

const fmt = (x: number) => x.toFixed(2);

function epochSummary(m: EpochMetrics, epochs: number, variational: boolean): string {
  const parts = variational ? ` (bce ${fmt(m.train.bce)} kl ${fmt(m.train.kl)})` : '';
  const test = variational ? `test -elbo ${fmt(m.test.loss)} (bce ${fmt(m.test.bce)} kl ${fmt(m.test.kl)})` : `test bce ${fmt(m.test.loss)}`;
  return `epoch ${m.epoch}/${epochs}  train ${fmt(m.train.loss)}${parts}  ${test}  ${m.seconds.toFixed(2)} s`;
}

function defaultCheckpointDir(opts: CliOptions): string {
  const tag = createHash('sha256').update(resolve(opts.out)).digest('hex').slice(0, 8);
  return join('.cache', 'train', `${opts.id}-${tag}${opts.subset ? `-subset${opts.subset}` : ''}`);
}

/** The trainer's settings for a CLI run of an MLP kind (β only for the VAE family, noise only for the dae). */
export function trainConfig(opts: CliOptions): TrainConfig {
  if (opts.model === 'attn') throw new Error('the attn model is trained by train-attn.ts');
  const kind: ModelKind = opts.model;
  return {
    model: kind,
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    lr: opts.lr,
    latentDim: opts.latentDim,
    seed: opts.seed,
    threads: opts.threads,
    ...(isVariational(kind) ? { beta: opts.beta } : {}),
    ...(kind === 'dae' ? { noise: opts.noise } : {}),
  };
}

/**
 * The zoo's additions to `final.test` (DEVELOPERS.md): VAE family `klPerDim` and `activeDims`;
 * ae and dae `noisy` (test BCE on noised inputs against the clean images).
 */
export function finalTestExtras(arch: Architecture, params: Params, test: Mnist['test']): Record<string, unknown> {
  const p = toTensors(arch, params);
  try {
    if (arch.variational) {
      const kl = klPerDim(arch, p, test);
      return { klPerDim: kl, activeDims: kl.filter((v) => v > ACTIVE_KL).length };
    }
    return { noisy: { sigma: NOISY_EVAL.sigma, seed: NOISY_EVAL.seed, bce: noisyBce(arch, p, test) } };
  } finally {
    for (const t of Object.values(p)) t.dispose();
  }
}


async function loadData(subset?: number, dir?: string): Promise<Mnist> {
  try {
    const data = await loadMnistAsync(dir);
    return subset ? { train: takeSubset(data.train, subset), test: takeSubset(data.test, Math.min(subset, data.test.count)) } : data;
  } catch (err) {
    if (err instanceof IdxError) throw new CliError(`MNIST data error: ${err.message}`);
    throw err;
  }
}

/** Trains and writes one MLP model as `opts` says; returns the exit code. */
export async function trainMlp(opts: CliOptions, stop: StopHandler): Promise<number> {
  const started = performance.now();
  const progress: { bar?: EpochProgress } = {};
  const config = trainConfig(opts);
  const variational = isVariational(opts.model);
  // the second training thread starts (its own TF.js backend) while this one loads the data
  const outputThread = opts.threads === 2 ? OutputLayerThread.start(architecture(config.model, opts.latentDim), opts.batchSize, opts.lr, opts.backend) : undefined;
  outputThread?.catch(() => undefined); // a failure is reported where training awaits it
  try {
    process.stderr.write(`train: ${opts.id}: loading MNIST and starting TF.js${opts.threads === 2 ? ' and the second thread' : ''}…\n`);
    // read asynchronously: a signal while loading is handled at once
    const data = await loadData(opts.subset, opts.dataDir);
    const backend = await initBackend(opts.backend);
    const ckptDir = opts.checkpointDir ?? defaultCheckpointDir(opts);

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
        process.stderr.write(`train: resuming ${opts.id} after epoch ${resume.epochsDone} of ${opts.epochs} (checkpoint ${ckptDir}).\n`);
      }
    }

    const extra = `${variational ? `, beta ${opts.beta}` : ''}${opts.model === 'dae' ? `, noise ${opts.noise}` : ''}`;
    process.stderr.write(
      `train: ${opts.id} (${opts.model}) on ${data.train.count} images (test ${data.test.count}), ${opts.epochs} epoch(s), batch ${opts.batchSize}, lr ${opts.lr}, latent ${opts.latentDim}${extra}, seed ${opts.seed}, backend ${backend}, ${opts.threads} thread${opts.threads === 1 ? '' : 's'}\n`,
    );
    const result = await train(
      config,
      data,
      {
        // the loop polls this before every batch and yields every 8 batches: a signal now stops it
        ...batchHooks(stop, opts.epochs, progress),
        onEpoch: async (m, state) => {
          progress.bar?.finish(epochSummary(m, opts.epochs, variational));
          progress.bar = undefined;
          if (m.epoch < opts.epochs) await saveCheckpoint(ckptDir, state());
        },
      },
      resume,
      outputThread,
    );
    if (stop.stopped) throw new InterruptedError(opts.epochs, 0, opts.epochs);
    stop.mode = 'exit';

    const final = result.history[result.history.length - 1]!;
    const finalTest = { ...final.test, ...finalTestExtras(result.arch, result.params, data.test) };
    const metrics = {
      model: opts.id,
      config: {
        ...config,
        trainSize: data.train.count,
        testSize: data.test.count,
        backend,
        init: 'pytorch-default',
        objective: variational ? (opts.beta === 1 ? 'BCE(sum) + KL(sum)' : `BCE(sum) + ${opts.beta}·KL(sum)`) : 'BCELoss(mean over pixels and batch)',
        optimizer: 'adam(0.9, 0.999, 1e-8)',
        ...(opts.subset ? { subset: opts.subset } : {}),
        kind: opts.model,
        zooId: opts.id,
        beta: variational ? opts.beta : null,
        noise: opts.model === 'dae' ? opts.noise : null,
      },
      epochs: result.history,
      final: { test: finalTest, train: final.train },
      units: 'nats per image (BCE summed over 784 pixels, KL over latent dims, averaged over images)',
      totalTrainSeconds: Math.round(result.history.reduce((s, e) => s + e.seconds + e.testSeconds, 0) * 1000) / 1000,
      versions: trainVersions(),
      createdAt: new Date().toISOString(),
    };
    const target = await writeTrainedModel(opts.out, opts.id, (dir) => writeModels(dir, result.arch, result.params), metrics, stop);
    await removeCheckpoint(ckptDir);
    const summary = variational
      ? `test -ELBO ${fmt(final.test.loss)} (BCE ${fmt(final.test.bce)} + KL ${fmt(final.test.kl)})`
      : `test BCE ${fmt(final.test.bce)} (noisy inputs ${fmt((finalTest as unknown as { noisy: { bce: number } }).noisy.bce)})`;
    process.stdout.write(`${opts.id}: ${summary} nats/image; wrote ${target}/ and ${join(opts.out, 'manifest.json')} in ${formatDuration((performance.now() - started) / 1000)}\n`);
    return 0;
  } catch (err) {
    progress.bar?.clear();
    return reportTrainFailure(err, opts.out, err instanceof InterruptedError ? err.epochsDone : 0);
  } finally {
    stop.mode = 'exit';
    // closed by train() when it ran; not when something failed before
    await (await outputThread?.catch(() => undefined))?.close();
  }
}

/**
 * The parameters of `<dir>/encoder` and `<dir>/decoder` as written by `writeModels` (float32
 * shards, weights in manifest order), checked against `arch`'s names and shapes.
 */
export async function readParams(dir: string, arch: Architecture): Promise<Params> {
  const params: Params = {};
  for (const part of ['encoder', 'decoder'] as const) {
    const json = JSON.parse(await readFile(join(dir, part, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[] };
    const group = json.weightsManifest[0];
    if (json.weightsManifest.length !== 1 || !group || group.paths.length !== 1 || group.paths[0] !== WEIGHTS_FILE) throw new Error(`${dir}/${part}/model.json: expected one weight file ${WEIGHTS_FILE}`);
    const bytes = await readFile(join(dir, part, WEIGHTS_FILE));
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    let o = 0;
    for (const w of group.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1);
      if (w.dtype !== 'float32' || o + size > all.length) throw new Error(`${dir}/${part}: weight ${w.name} is not float32 or the weight file is short`);
      params[w.name] = all.slice(o, o + size);
      o += size;
    }
  }
  for (const spec of paramSpecs(arch)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (params[spec.name]?.length !== size) throw new Error(`${dir} is not a ${arch.kind} with a ${arch.latentDim}-D code (${spec.name} missing or of another size)`);
  }
  return params;
}

/**
 * `train --update-metrics`: adds the zoo's final test figures (and `config.kind`/`zooId`/`beta`/
 * `noise`) to `<out>/<id>/metrics.json` from the weights there, then rewrites `zoo.json` and the
 * manifest. The weights are untouched; the figures are those a training run computes at its end.
 */
export async function updateMetrics(opts: CliOptions): Promise<number> {
  if (opts.model === 'attn') throw new Error('--update-metrics does not apply to attn');
  const target = join(opts.out, opts.id);
  const arch = architecture(opts.model, opts.latentDim);
  try {
    const metricsPath = join(target, 'metrics.json');
    const metrics = JSON.parse(await readFile(metricsPath, 'utf8')) as { config?: Record<string, unknown>; final?: { test?: Record<string, unknown> } };
    if (!metrics.final?.test) throw new Error(`${metricsPath} has no final.test`);
    // the figures must come from the test set the model's metrics were made on
    const madeOn = metrics.config?.subset as number | undefined;
    if (madeOn !== opts.subset) throw new Error(`its metrics were made on ${madeOn ? `a --subset ${madeOn}` : 'the whole test set'}; run with ${madeOn ? `--subset ${madeOn}` : 'no --subset'}`);
    const params = await readParams(target, arch);
    const data = await loadData(opts.subset, opts.dataDir);
    await initBackend(opts.backend);
    const variational = isVariational(opts.model);
    metrics.final.test = { ...metrics.final.test, ...finalTestExtras(arch, params, data.test) };
    metrics.config = { ...metrics.config, kind: opts.model, zooId: opts.id, beta: variational ? opts.beta : null, noise: opts.model === 'dae' ? opts.noise : null };
    await writeFileAtomic(metricsPath, `${JSON.stringify(metrics, null, 2)}\n`);
    await writeZooJson(opts.out);
    await writeManifest(opts.out);
    process.stdout.write(`${opts.id}: final test figures (${variational ? 'klPerDim, activeDims' : 'noisy'}) written to ${metricsPath}; weights unchanged\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`train: --update-metrics failed: ${(err as Error).message}. ${target}/ is unchanged.\n`);
    return 1;
  }
}
