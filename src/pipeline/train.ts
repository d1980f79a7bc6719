/**
 * `npm run train -- --model ae|vae|dae|cvae|attn | --zoo ID [--latent-dim D] [--beta B]
 *  [--noise S] [--epochs N] [--seed S] [--batch-size B] [--lr L] [--out DIR] [--resume]
 *  [--subset N] [--threads 1|2]` — see `--help`.
 *
 * Trains on the TF.js WASM backend, checkpoints after every epoch (outside `pretrained/`), and
 * only at the end replaces `<out>/<id>/` atomically and refreshes `<out>/zoo.json` and
 * `<out>/manifest.json`. SIGINT/SIGTERM (`signals.ts`): before training, exit 130 at once; during
 * it, stop between two batches (within ~50 ms, or after the test evaluation under way), exit 130;
 * `<out>/` is left as it was either way. `--model attn` is trained by `train-attn.ts`.
 *
 * `--zoo ID` trains a registry entry (it sets `--model`, `--latent-dim`, `--beta`, `--noise`;
 * repeating one of them with the same value is allowed, another value is a usage error). Without
 * `--zoo`: `--beta` only for vae, cvae, attn (B ≥ 0, default 1), `--noise` only for dae (S in
 * [0, 1], default 0.5). The output folder `<out>/<id>/` is the zoo id when the settings are an
 * entry's (`--model vae --latent-dim 10` → `vae-10`), else `<kind>-d<D>` plus `-beta<B>` when
 * B ≠ 1 and `-noise<S>` when S ≠ 0.5 (`vae-d3`, `cvae-d2-beta4`, `dae-d2-noise0.3`). Bad flags
 * exit 2 with a one-line reason before anything is touched. This file only parses, installs the
 * stop handler and checks the output folder (no TF.js yet); `train-mlp.ts` (ae, vae, dae, cvae)
 * and `train-attn.ts` (attn) do the work; dae and cvae train on two threads like ae and vae (the
 * noisy or label-extended input stays on the main thread), bit for bit as on one.
 *
 * Objectives: the AE family (`ae`, `ae-10`, `ae-20`, `dae`) trains on the report's AE loss,
 * `nn.BCELoss()` — the mean over pixels and batch — and the VAE family on BCE summed over pixels
 * + β·KL, as the report's VAE. Under Adam the two differ only through ε; the PyTorch reference
 * (`bench/reference/zoo.py`) uses the same mean. Every reported figure is the summed BCE per
 * image, in nats, whatever the objective (`config.objective` in `metrics.json` names it).
 *
 * `--update-metrics` trains nothing: it adds the final test figures (and `config.kind` / `zooId` /
 * `beta` / `noise`) to `<out>/<id>/metrics.json` from the weights already there, on the test set
 * the metrics were made on (`--subset` must match `config.subset`); it reproduces a training run's
 * `metrics.json` byte for byte and is how `ae` and `vae` (trained before the zoo) got theirs
 * without retraining.
 */
import { type CliOptions, parseCli, USAGE, UsageError } from './cli.ts';
import { checkWritableDir, installStopHandler } from './signals.ts';

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

  // from here on the first SIGINT/SIGTERM exits 130 at once, until training's loop takes over
  const stop = installStopHandler({ name: 'train', untouched: () => `${opts.out}/ was not changed.` });
  try {
    try {
      checkWritableDir(opts.out);
    } catch (err) {
      process.stderr.write(`train: ${(err as Error).message}. Nothing was trained and nothing was changed.\n`);
      return 1;
    }
    if (opts.model === 'attn') {
      // the attention model's trainer (helper file train-attn.ts), loaded only for it
      const attnTrainer: string = './train-attn.ts';
      return await ((await import(attnTrainer)) as { main(o: CliOptions): Promise<number> }).main(opts);
    }
    // the trainer (TF.js, data) loads only now: a bad path or an early signal costs no imports
    const mlp = await import('./train-mlp.ts');
    return await (opts.updateMetrics ? mlp.updateMetrics(opts) : mlp.trainMlp(opts, stop));
  } finally {
    stop.dispose();
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
