/**
 * Time-slicing for the in-page trainer. Training runs on the main thread in slices of a few
 * milliseconds, and the widget awaits the next animation frame between slices, so the page keeps
 * painting and answering input while a model trains.
 */

/** Milliseconds of training per frame: leaves most of a 60 Hz frame to the browser. */
export const SLICE_MS = 12;

/**
 * Runs `step` repeatedly until `budgetMs` have passed on `clock` (at least once, at most
 * `maxSteps` times, and never again once `stop()` says so). Returns the number of steps run.
 */
export function runSlice(step: () => void, clock: () => number, budgetMs = SLICE_MS, maxSteps = Infinity, stop: () => boolean = () => false): number {
  const t0 = clock();
  let n = 0;
  do {
    step();
    n++;
  } while (n < maxSteps && !stop() && clock() - t0 < budgetMs);
  return n;
}

/** Steps per second over a sliding window of recent steps. */
export class RateMeter {
  readonly windowMs: number;
  #times: number[] = [];

  constructor(windowMs = 2000) {
    this.windowMs = windowMs;
  }

  /** Notes `count` steps finished at time `now` (ms). */
  tick(now: number, count = 1): void {
    for (let i = 0; i < count; i++) this.#times.push(now);
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < this.#times.length - 2 && this.#times[drop]! < cutoff) drop++;
    if (drop) this.#times.splice(0, drop);
  }

  /** Steps per second, or undefined before two distinct times have been seen. */
  rate(): number | undefined {
    const t = this.#times;
    if (t.length < 2) return undefined;
    const span = t[t.length - 1]! - t[0]!;
    return span > 0 ? ((t.length - 1) / span) * 1000 : undefined;
  }

  /** Forgets the window (after a pause, so idle time does not count). */
  reset(): void {
    this.#times = [];
  }
}

/** Whether something refreshed at `last` (ms) is due again at `now` for a refresh interval. */
export function isDue(now: number, last: number, intervalMs: number): boolean {
  return now - last >= intervalMs;
}

/** How often the visuals refresh while training: 4 per second, or once a second with reduced motion. */
export function refreshInterval(reducedMotion: boolean): number {
  return reducedMotion ? 1000 : 250;
}

/** Held-out codes and losses are recomputed at least every this many steps (and whenever training pauses). */
export const EVAL_EVERY = 200;
/** The first held-out evaluation after the untrained one comes this many steps in. */
export const EVAL_FIRST = 25;

/**
 * Steps until the next held-out evaluation: early on, when the model changes fastest, the interval
 * doubles with the run (at steps 25, 50, 100, 200), then stays at {@link EVAL_EVERY}.
 */
export function evalInterval(lastEvalStep: number): number {
  return Math.min(EVAL_EVERY, Math.max(EVAL_FIRST, lastEvalStep));
}

/** Whether the held-out evaluation is due at `step`, last run at `lastEvalStep`. */
export function evalDue(step: number, lastEvalStep: number, every = evalInterval(lastEvalStep)): boolean {
  return step - lastEvalStep >= every;
}
