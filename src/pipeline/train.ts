/**
 * `npm run train -- --model ae|vae|dae|cvae|attn | --zoo ID [--latent-dim D] [--beta B]
 *  [--noise S] [--epochs N] [--seed S] [--batch-size B] [--lr L] [--out DIR] [--resume]
 *  [--subset N] [--threads 1|2]` — see `--help` and DEVELOPERS.md.
 *
 * Trains on the TF.js WASM backend, checkpoints after every epoch (outside `pretrained/`), and
 * only at the end replaces `<out>/<id>/` atomically and refreshes `<out>/zoo.json` and
 * `<out>/manifest.json`. SIGINT/SIGTERM (`signals.ts`): before training, exit 130 at once; during
 * it, stop between two batches (within ~50 ms, or after the test evaluation under way), exit 130;
 * `<out>/` is left as it was either way. `--model attn` is trained by `train-attn.ts`.
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
