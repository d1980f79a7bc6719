/**
 * The end of every training run, whatever the model: `<out>/<id>/` (weights from `writeWeights`
 * plus `metrics.json`) replaced atomically, then `<out>/zoo.json` and `<out>/manifest.json`
 * refreshed, with SIGINT/SIGTERM held off meanwhile (`stop.mode = 'critical'`) so an interrupt
 * cannot leave half an output. Used by `train-mlp.ts` and `train-attn.ts`.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { zooJson } from '../models/zoo.ts';
import { replaceDirAtomic, writeFileAtomic } from './atomic.ts';
import { writeManifest } from './manifest.ts';
import { packageVersion } from './model-io.ts';
import type { StopHandler } from './signals.ts';
import { InterruptedError } from './trainer.ts';

/** The software versions a `metrics.json` records. */
export function trainVersions(): Record<string, string> {
  return { node: process.version, '@tensorflow/tfjs-core': tf.version_core, '@tensorflow/tfjs-layers': packageVersion('@tensorflow/tfjs-layers'), '@tensorflow/tfjs-backend-wasm': version_wasm };
}

/** Writes `<out>/zoo.json` from the registry, atomically (same bytes every time for one registry). */
export async function writeZooJson(out: string): Promise<void> {
  await writeFileAtomic(join(out, 'zoo.json'), zooJson());
}

/** A train CLI failure with a one-line reason and its exit code (1 unless said otherwise). */
export class CliError extends Error {
  readonly code: number;
  constructor(message: string, code = 1) {
    super(message);
    this.code = code;
  }
}

/**
 * Replaces `<out>/<id>/` with the weights `writeWeights` puts into a temporary folder and
 * `metrics`, then rewrites `zoo.json` and the manifest. Files in the old folder that the new one
 * lacks (a bake's embeddings, say) are carried over, and a line on stderr says so. Throws a
 * {@link CliError} (the previous folder intact) when anything cannot be written.
 */
export async function writeTrainedModel(out: string, id: string, writeWeights: (dir: string) => Promise<void>, metrics: unknown, stop: StopHandler): Promise<string> {
  const target = join(out, id);
  let carried: string[];
  stop.mode = 'critical';
  try {
    carried = await replaceDirAtomic(
      target,
      async (tmp) => {
        await writeWeights(tmp);
        await writeFileAtomic(join(tmp, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
      },
      { carryOver: () => true },
    );
    await writeZooJson(out);
    await writeManifest(out);
  } catch (err) {
    throw new CliError(`could not write ${target}: ${(err as Error).message}. The previous ${target} is unchanged.`);
  } finally {
    stop.mode = 'exit';
  }
  if (carried.length) {
    process.stderr.write(`train: kept ${carried.map((c) => `${target}/${c}`).join(', ')} from before; it was made from the previous weights — rerun the bake step.\n`);
  }
  return target;
}

/**
 * Reports a training run's failure on stderr and returns its exit code: 130 when interrupted
 * (`resumable` epochs checkpointed are mentioned), a {@link CliError}'s own code, else 1 with the
 * stack. In every case `out` was not changed.
 */
export function reportTrainFailure(err: unknown, out: string, resumable = 0): number {
  if (err instanceof InterruptedError) {
    process.stderr.write(
      `\ntrain: interrupted${err.batch ? ` in epoch ${err.epoch} (batch ${err.batch})` : ''}. ${out}/ was not changed.` +
        (resumable > 0 ? ` ${resumable} completed epoch(s) are checkpointed: rerun with --resume to continue.` : '') +
        '\n',
    );
    return 130;
  }
  if (err instanceof CliError) {
    process.stderr.write(`train: ${err.message}\n`);
    return err.code;
  }
  process.stderr.write(`train: failed: ${(err as Error).stack ?? String(err)}\n${out}/ was not changed.\n`);
  return 1;
}
