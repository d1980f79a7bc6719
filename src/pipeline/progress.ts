/**
 * A one-line progress bar on a TTY (redrawn at most ~10×/s), or nothing until the epoch's
 * summary line when the stream is not a terminal (logs, CI, pipes).
 */
import type { StopHandler } from './signals.ts';

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.round(seconds - 60 * m)).padStart(2, '0')}s`;
}

/** The bar text for `done` of `total` batches (pure, for tests). */
export function renderBar(label: string, done: number, total: number, loss: number, etaSeconds: number, width = 24): string {
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(frac * width);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} loss ${loss.toFixed(2)} ETA ${formatDuration(etaSeconds)}`;
}

export class EpochProgress {
  private readonly stream: ProgressStream;
  private readonly label: string;
  private start = 0;
  private startDone = -1;
  private lastDraw = 0;
  private drawn = false;

  constructor(stream: ProgressStream, label: string) {
    this.stream = stream;
    this.label = label;
  }

  update(done: number, total: number, loss: number): void {
    if (!this.stream.isTTY) return;
    const now = performance.now();
    if (this.startDone < 0) {
      // the rate is measured from the first update on (the bar is created after batch 1)
      this.start = now;
      this.startDone = done;
    }
    if (done < total && done !== this.startDone && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const elapsed = (now - this.start) / 1000;
    const eta = done > this.startDone ? (elapsed / (done - this.startDone)) * (total - done) : NaN;
    let line = renderBar(this.label, done, total, loss, eta);
    if (this.stream.columns && line.length >= this.stream.columns) line = line.slice(0, this.stream.columns - 1);
    this.stream.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  /** Clears the bar (TTY) and prints `summary` on its own line. */
  finish(summary: string): void {
    this.clear();
    this.stream.write(`${summary}\n`);
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}

/**
 * The per-batch hooks both trainers give their loop (`train-mlp.ts`, `train-attn.ts`): `shouldStop`
 * reports a SIGINT/SIGTERM (and turns the next one from "exit now" into "stop between batches"),
 * `onBatch` draws the epoch's progress bar. `progress.bar` is the current bar (the trainer's
 * `onEpoch` finishes it).
 */
export function batchHooks(stop: Pick<StopHandler, 'stopped' | 'mode'>, epochs: number, progress: { bar?: EpochProgress }) {
  return {
    shouldStop: (): boolean => {
      if (stop.mode === 'exit') stop.mode = 'cooperative';
      return stop.stopped;
    },
    onBatch: (b: { epoch: number; batch: number; batches: number; loss: number }): void => {
      if (b.batch === 1) progress.bar = new EpochProgress(process.stderr, `epoch ${b.epoch}/${epochs}`);
      progress.bar?.update(b.batch, b.batches, b.loss);
    },
  };
}
