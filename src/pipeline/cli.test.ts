import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { defaultThreads, outputId, parseCli, UsageError } from './cli.ts';
import { EpochProgress, formatDuration, renderBar } from './progress.ts';

describe('parseCli', () => {
  it('applies the report’s defaults', () => {
    expect(parseCli(['--model', 'ae'])).toMatchObject({ model: 'ae', epochs: 10, batchSize: 128, lr: 0.001, latentDim: 2, seed: 1, out: 'pretrained', resume: false, backend: 'wasm' });
  });

  it('reads every flag, with = or a separate value', () => {
    const o = parseCli(['--model=vae', '--epochs', '3', '--seed', '42', '--latent-dim', '4', '--batch-size=64', '--lr', '5e-4', '--out', 'x', '--resume', '--subset', '500', '--threads', '1']);
    expect(o).toMatchObject({ model: 'vae', epochs: 3, seed: 42, latentDim: 4, batchSize: 64, lr: 5e-4, out: 'x', resume: true, subset: 500, threads: 1 });
  });

  it('trains on two threads where there are two cores or more, unless told otherwise', () => {
    expect(defaultThreads()).toBe(availableParallelism() >= 2 ? 2 : 1);
    expect(parseCli(['--model', 'ae']).threads).toBe(defaultThreads());
    expect(parseCli(['--model', 'ae', '--threads=2']).threads).toBe(2);
  });

  it.each([
    [[], /--model \(ae, vae, dae, cvae, attn\) or --zoo ID is required/],
    [['--model', 'gan'], /--model must be one of ae, vae, dae, cvae, attn, got "gan"/],
    [['--model', 'ae', '--epochs', '0'], /--epochs must be between 1 and/],
    [['--model', 'ae', '--epochs', '2.5'], /--epochs must be a whole number, got "2.5"/],
    [['--model', 'ae', '--lr', 'fast'], /--lr must be a number in \(0, 1\), got "fast"/],
    [['--model', 'ae', '--lr', '-1'], /--lr must be a number/],
    [['--model', 'ae', '--batch-size'], /--batch-size needs a value/],
    [['--model', 'ae', '--epoch', '3'], /unknown flag --epoch/],
    [['--model', 'ae', 'extra'], /unexpected argument "extra"/],
    [['--model', 'ae', '--resume=yes'], /--resume takes no value/],
    [['--model', 'ae', '--seed', '1', '--seed', '2'], /--seed given twice/],
    [['--model', 'ae', '--threads', '4'], /--threads must be between 1 and 2, got 4/],
    [['--model', 'ae', '--threads', 'many'], /--threads must be a whole number, got "many"/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(UsageError);
    expect(() => parseCli(argv)).toThrow(message);
  });

  it('zoo flags: --zoo sets the entry’s settings and folder; matching flags name the entry’s folder; others get a built name', () => {
    expect(parseCli(['--zoo', 'beta-4'])).toMatchObject({ model: 'vae', latentDim: 2, beta: 4, zoo: 'beta-4', id: 'beta-4' });
    expect(parseCli(['--zoo', 'dae'])).toMatchObject({ model: 'dae', noise: 0.5, id: 'dae' });
    expect(parseCli(['--zoo', 'cvae', '--model', 'cvae', '--latent-dim', '2', '--beta', '1'])).toMatchObject({ id: 'cvae' });
    expect(parseCli(['--model', 'vae', '--latent-dim', '20'])).toMatchObject({ id: 'vae-20' });
    expect(parseCli(['--model', 'vae', '--beta', '0.5'])).toMatchObject({ id: 'beta-0.5', beta: 0.5 });
    expect(parseCli(['--model', 'ae'])).toMatchObject({ id: 'ae' });
    expect(parseCli(['--model', 'vae', '--latent-dim', '3'])).toMatchObject({ id: 'vae-d3' });
    expect(parseCli(['--model', 'cvae', '--beta', '4'])).toMatchObject({ id: 'cvae-d2-beta4' });
    expect(parseCli(['--model', 'dae', '--noise', '0.3'])).toMatchObject({ id: 'dae-d2-noise0.3' });
    expect(parseCli(['--model', 'ae', '--latent-dim', '5']).id).toBe('ae-d5');
    expect(outputId('vae', 2, 1, 0.5)).toBe('vae');
    expect(parseCli(['--model', 'vae', '--beta', '0'])).toMatchObject({ beta: 0, id: 'vae-d2-beta0' });
  });

  it.each([
    [['--zoo', 'gan'], /--zoo must be one of ae, vae, ae-10/],
    [['--zoo', 'vae-10', '--latent-dim', '2'], /--zoo vae-10 has a 10-D code, but --latent-dim says 2/],
    [['--zoo', 'vae', '--model', 'ae'], /--zoo vae is a vae, but --model says ae/],
    [['--zoo', 'dae', '--noise', '0.1'], /--zoo dae has noise 0.5, but --noise says 0.1/],
    [['--model', 'vae', '--beta', '-0.5'], /--beta must be a number ≥ 0, got "-0.5"/],
    [['--model', 'vae', '--beta', 'big'], /--beta must be a number ≥ 0, got "big"/],
    [['--model', 'dae', '--noise', '1.01'], /--noise must be a number in \[0, 1\], got "1.01"/],
    [['--model', 'dae', '--beta', '2'], /--beta applies to vae, cvae and attn, not dae/],
    [['--model', 'cvae', '--noise', '0.2'], /--noise applies to dae only, not cvae/],
    [['--zoo', 'attn', '--update-metrics'], /--update-metrics is for ae, vae, dae and cvae/],
    [['--zoo', 'ae', '--update-metrics', '--resume'], /--update-metrics trains nothing/],
  ])('rejects zoo flags %j', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(UsageError);
    expect(() => parseCli(argv)).toThrow(message);
  });

  it('--help needs no model', () => {
    expect(parseCli(['--help']).help).toBe(true);
  });
});

describe('progress bar', () => {
  it('renders the bar with loss and ETA', () => {
    expect(renderBar('epoch 1/10', 5, 10, 123.456, 3.21, 10)).toBe('epoch 1/10 [#####-----] 5/10 loss 123.46 ETA 3.2s');
    expect(formatDuration(125)).toBe('2m05s');
    expect(formatDuration(NaN)).toBe('?');
  });

  it('draws on a TTY, stays silent elsewhere until the summary line', () => {
    const tty = { isTTY: true, columns: 200, out: '', write(t: string) { this.out += t; } };
    const bar = new EpochProgress(tty, 'epoch 1/2');
    bar.update(1, 10, 300);
    expect(tty.out).toContain('epoch 1/2 [##');
    expect(tty.out).toContain('1/10 loss 300.00 ETA ?');
    bar.finish('epoch 1/2 done');
    expect(tty.out.endsWith('\r\x1b[2Kepoch 1/2 done\n')).toBe(true);

    const pipe = { isTTY: false, out: '', write(t: string) { this.out += t; } };
    const quiet = new EpochProgress(pipe, 'epoch 1/2');
    quiet.update(5, 10, 200);
    expect(pipe.out).toBe('');
    quiet.finish('epoch 1/2 done');
    expect(pipe.out).toBe('epoch 1/2 done\n');
  });
});
