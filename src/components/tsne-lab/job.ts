/**
 * The lab's work, DOM-free so that it runs in the Web Worker (`worker.ts`) and in unit tests:
 * prepare the input (PCA to 50 dimensions for raw pixels), build one `Tsne` per requested
 * perplexity (the site's one implementation, `src/embed`), advance them in time slices, hand out
 * frames, and score the final maps (trustworthiness@10 against the t-SNE's input, leave-one-out
 * 10-NN accuracy).
 *
 * `JobRunner` owns the scheduling: slices of `SLICE_MS`, a yield to the event loop between slices
 * (so pause, resume and stop messages get through), at most one frame in flight (the page
 * acknowledges each one after drawing it, so a slow page never queues frames), progress-only
 * messages when the reader asked for reduced motion.
 */
import { Tsne, pca, trustworthinessMany, knnAccuracy } from '../../embed/index.ts';
import { runSlice } from '../train-live/schedule.ts';

/** Options of one t-SNE run of a job. */
export interface RunOptions {
  perplexity: number;
  learningRate: number | 'auto';
  exaggeration: number;
  iterations: number;
  seed: number;
}

/** A job: one input, one or more runs on it (the small multiples are three runs). */
export interface JobSpec {
  /** n × dim, row-major. */
  rows: Float32Array;
  dim: number;
  labels: Uint8Array;
  /** Reduce the rows to this many principal components first (raw pixels: 50). */
  pcaDims?: number;
  runs: RunOptions[];
  /** Send the map with every frame (false: progress only, for reduced motion). */
  frames: boolean;
  /** Iterations of early exaggeration (250). */
  exaggerationIterations: number;
}

/** Messages from the page to the worker. */
export type ToWorker = { type: 'start'; spec: JobSpec } | { type: 'pause' } | { type: 'resume' } | { type: 'ack' };

/** The scores of one final map (null where the selection is too small to score). */
export interface RunScores {
  trustworthiness: number | null;
  knnAccuracy: number | null;
  kl: number;
}

/** Messages from the worker to the page. */
export type FromWorker =
  | { type: 'stage'; stage: 'pca' | 'neighbours' | 'optimise' | 'metrics'; run: number; runs: number }
  | { type: 'frame'; iteration: number; iterations: number; kl: (number | null)[]; coords: Float32Array[] | null; seconds: number }
  | { type: 'paused'; iteration: number }
  | { type: 'done'; coords: Float32Array[]; scores: RunScores[]; iterations: number; seconds: number; prepSeconds: number; optimiseSeconds: number; inputDim: number }
  | { type: 'error'; message: string };

/** Milliseconds of t-SNE work between two looks at the message queue. */
export const SLICE_MS = 20;
/** Least time between two frames sent to the page (≈ 30 per second). */
export const FRAME_MS = 33;
/** Least time between two progress-only messages (reduced motion). */
export const PROGRESS_MS = 250;
/** KL is evaluated every this many iterations (it costs a little extra in that step). */
export const KL_EVERY = 50;
/** Neighbours for both scores. */
export const SCORE_K = 10;

/**
 * Orthogonal iterations of the PCA pre-reduction. On the first 1,000 test digits 10 iterations
 * already capture the leading 50 components' variance to within 0.002 % of the converged PCA
 * (which takes about 40), at a quarter of its time.
 */
export const PCA_ITERATIONS = 15;

/** The rows without their constant columns (e.g. pixels blank in every digit), which carry no variance. */
export function dropConstantColumns(rows: Float32Array, dim: number): { rows: Float32Array; dim: number } {
  const n = rows.length / dim;
  const keep: number[] = [];
  for (let t = 0; t < dim; t++) {
    const first = rows[t]!;
    for (let i = 1; i < n; i++) {
      if (rows[i * dim + t] !== first) {
        keep.push(t);
        break;
      }
    }
  }
  if (keep.length === dim) return { rows, dim };
  const out = new Float32Array(n * keep.length);
  for (let i = 0; i < n; i++) for (let c = 0; c < keep.length; c++) out[i * keep.length + c] = rows[i * dim + keep[c]!]!;
  return { rows: out, dim: keep.length };
}

/**
 * The input t-SNE sees: the rows, or their first `pcaDims` principal components (constant columns
 * dropped first; they change no distance).
 */
export function prepareInput(spec: Pick<JobSpec, 'rows' | 'dim' | 'pcaDims'>): { data: Float32Array | Float64Array; dim: number } {
  const n = spec.rows.length / spec.dim;
  if (!Number.isInteger(n)) throw new RangeError(`the input holds ${spec.rows.length} numbers, not a whole number of ${spec.dim}-D rows`);
  if (!spec.pcaDims || spec.pcaDims >= spec.dim) return { data: spec.rows, dim: spec.dim };
  const varying = dropConstantColumns(spec.rows, spec.dim);
  const k = Math.min(spec.pcaDims, n - 1, varying.dim);
  return { data: pca(varying.rows, varying.dim, k, { maxIterations: PCA_ITERATIONS }).projection, dim: k };
}

/** Both scores for several final maps of the same points (reference distances shared). */
export function scoreMaps(data: ArrayLike<number>, dim: number, maps: readonly Float64Array[], labels: Uint8Array): { trustworthiness: number | null; knnAccuracy: number | null }[] {
  const n = labels.length;
  // trustworthiness@k needs k < n / 2, the k-NN vote k < n.
  const trust = n > 2 * SCORE_K ? trustworthinessMany(data, dim, maps, 2, SCORE_K) : maps.map(() => null);
  return maps.map((m, i) => ({ trustworthiness: trust[i]!, knnAccuracy: n > SCORE_K ? knnAccuracy(m, 2, labels, SCORE_K) : null }));
}

/** The page-facing side of a job, with the clock, the message sink and the yield injected. */
export class JobRunner {
  readonly #post: (msg: FromWorker, transfer?: Transferable[]) => void;
  readonly #clock: () => number;
  readonly #defer: (fn: () => void) => void;
  #spec: JobSpec | undefined;
  #input: { data: Float32Array | Float64Array; dim: number } | undefined;
  #runs: Tsne[] = [];
  #kl: (number | null)[] = [];
  #paused = false;
  #looping = false;
  #awaitingAck = false;
  #lastFrame = -Infinity;
  #t0 = 0;
  #prepSeconds = 0;
  #finished = false;

  constructor(post: (msg: FromWorker, transfer?: Transferable[]) => void, clock: () => number, defer: (fn: () => void) => void) {
    this.#post = post;
    this.#clock = clock;
    this.#defer = defer;
  }

  /** Handles one message from the page. */
  receive(msg: ToWorker): void {
    try {
      if (msg.type === 'start') this.#start(msg.spec);
      else if (msg.type === 'pause') {
        if (!this.#paused && !this.#finished) {
          this.#paused = true;
          this.#post({ type: 'paused', iteration: this.iteration });
        }
      } else if (msg.type === 'resume') {
        this.#paused = false;
        this.#schedule();
      } else if (msg.type === 'ack') {
        this.#awaitingAck = false;
      }
    } catch (err) {
      this.#fail(err);
    }
  }

  /** Iterations done (the slowest run's). */
  get iteration(): number {
    return this.#runs.length ? Math.min(...this.#runs.map((r) => r.iteration)) : 0;
  }

  #start(spec: JobSpec): void {
    if (this.#spec) throw new Error('this worker already has a job');
    if (spec.runs.length === 0) throw new RangeError('a job needs at least one run');
    this.#spec = spec;
    this.#t0 = this.#clock();
    const runs = spec.runs.length;
    if (spec.pcaDims && spec.pcaDims < spec.dim) this.#post({ type: 'stage', stage: 'pca', run: 0, runs });
    this.#input = prepareInput(spec);
    const { data, dim } = this.#input;
    spec.runs.forEach((o, i) => {
      this.#post({ type: 'stage', stage: 'neighbours', run: i, runs });
      this.#runs.push(
        new Tsne(data, dim, {
          perplexity: o.perplexity,
          learningRate: o.learningRate,
          earlyExaggeration: o.exaggeration,
          exaggerationIterations: spec.exaggerationIterations,
          iterations: o.iterations,
          seed: o.seed,
          onProgress: () => {},
          progressEvery: KL_EVERY,
        }),
      );
    });
    this.#kl = spec.runs.map(() => null);
    this.#prepSeconds = (this.#clock() - this.#t0) / 1000;
    this.#post({ type: 'stage', stage: 'optimise', run: 0, runs });
    this.#schedule();
  }

  #schedule(): void {
    if (this.#looping || this.#paused || this.#finished || !this.#spec) return;
    this.#looping = true;
    this.#defer(() => this.#slice());
  }

  /** One slice of work, then a frame if one is due, then the next slice (unless paused). */
  #slice(): void {
    this.#looping = false;
    if (this.#paused || this.#finished) return;
    try {
      const runs = this.#runs;
      const allDone = () => runs.every((r) => r.done);
      if (!allDone()) {
        runSlice(
          () => {
            runs.forEach((r, i) => {
              if (r.done) return;
              const kl = r.step();
              if (kl !== null) this.#kl[i] = kl;
            });
          },
          this.#clock,
          SLICE_MS,
          Infinity,
          allDone,
        );
      }
      if (allDone()) return this.#finish();
      this.#maybeFrame();
      this.#schedule();
    } catch (err) {
      this.#fail(err);
    }
  }

  #maybeFrame(): void {
    const spec = this.#spec!;
    const now = this.#clock();
    const due = now - this.#lastFrame >= (spec.frames ? FRAME_MS : PROGRESS_MS);
    if (!due || this.#awaitingAck) return;
    this.#lastFrame = now;
    const coords = spec.frames ? this.#runs.map((r) => Float32Array.from(r.embedding)) : null;
    if (coords) this.#awaitingAck = true;
    this.#post(
      { type: 'frame', iteration: this.iteration, iterations: Math.max(...this.#runs.map((r) => r.settings.iterations)), kl: [...this.#kl], coords, seconds: (now - this.#t0) / 1000 },
      coords ? coords.map((c) => c.buffer) : [],
    );
  }

  #finish(): void {
    this.#finished = true;
    const spec = this.#spec!;
    const optimiseSeconds = (this.#clock() - this.#t0) / 1000 - this.#prepSeconds;
    const kl = this.#runs.map((r) => r.klDivergence());
    this.#post({ type: 'stage', stage: 'metrics', run: 0, runs: this.#runs.length });
    const maps = this.#runs.map((r) => r.embedding);
    const scores = scoreMaps(this.#input!.data, this.#input!.dim, maps, spec.labels).map((s, i) => ({ ...s, kl: kl[i]! }));
    const coords = maps.map((m) => Float32Array.from(m));
    this.#post(
      {
        type: 'done',
        coords,
        scores,
        iterations: this.iteration,
        seconds: (this.#clock() - this.#t0) / 1000,
        prepSeconds: this.#prepSeconds,
        optimiseSeconds,
        inputDim: this.#input!.dim,
      },
      coords.map((c) => c.buffer),
    );
    this.#runs = [];
    this.#input = undefined;
  }

  #fail(err: unknown): void {
    this.#finished = true;
    this.#post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}
