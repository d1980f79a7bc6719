/**
 * t-SNE (van der Maaten & Hinton 2008) with Barnes–Hut repulsion (van der Maaten 2014), in plain
 * TypeScript over typed arrays, for Node and browsers.
 *
 * Pipeline, following the reference implementations' defaults (and scikit-learn's `TSNE`):
 * 1. exact k-nearest neighbours, k = min(n − 1, ⌊3·perplexity + 1⌋), by a vantage-point tree;
 * 2. conditional affinities p(j|i) ∝ exp(−β_i d²_ij) over those neighbours, β_i found by binary
 *    search so that the entropy of p(·|i) equals log(perplexity) (natural log);
 * 3. joint P = (P_cond + P_condᵀ) / Σ, sparse (CSR);
 * 4. gradient descent on KL(P‖Q) with the Student-t kernel: early exaggeration (P × 12 for the
 *    first 250 iterations), momentum 0.5 then 0.8, per-coordinate gains (+0.2 / ×0.8, ≥ 0.01),
 *    learning rate 'auto' = max(n / exaggeration / 4, 50); attraction exact over the sparse P,
 *    repulsion by a Barnes–Hut quadtree with opening angle θ = 0.5;
 * 5. PCA initialisation scaled so the first coordinate has standard deviation 1e-4.
 *
 * Like scikit-learn, the momentum buffer and the gains restart when the exaggeration ends.
 * The output is always 2-D; the input may have any dimension. The symmetric P is built without
 * JS sorting: each row merges its own sorted neighbours with its transposed list (ascending by
 * construction). Browsers run `Tsne` on one thread; Node splits the same tasks over threads
 * (`tsne-node.ts`) with the same output bit for bit. Extension point: `new Tsne(data, dim,
 * options, runtime?)` with a `TsneRuntime` (shared-array allocators and optional `neighbours` /
 * `conditional` / `forces` hooks).
 *
 * Speed (`npm run bench:tsne` against scikit-learn, goal ≤ 0.25×, and Rtsne, goal ≤ 0.5×, on
 * 10,000 points; figures in bench/README.md). Where the time goes (`node --cpu-prof`, one thread,
 * 10,000 points, 20-D, before the WebAssembly kernels of `bh-kernel.ts`): Barnes-Hut repulsion
 * 52 % (per evaluation ~0.4 ms tree build, ~2.8 ms building the interaction lists, ~4.5 ms in the
 * kernel for ~260 interactions a point), attraction and the update step 24 %, tree builds 4 %, kNN
 * 9 % (at 50-D about a quarter of the run), affinities 5 %. With the kernels (CPU time, one
 * thread, 20-D, best of 30+ evaluations at the final layout, load average ~12): repulsion 6.3 →
 * 4.5 ms per evaluation (list building is now most of it), attraction ~2.4 → ~2.0 ms (bound by
 * streaming the ~1.2 M entries of P, ~15 MB, from memory), tree build 0.5 ms, exact wide kNN 1.47
 * → 0.90 s (50-D: 2.89 → 1.59 s), joint P ~0.3 → ~0.2 s. A whole 20-D run on two threads: 16.7 →
 * 12.8 s of CPU time (Rtsne on two threads: 45.1 s), the same embedding bit for bit.
 *
 * - FFT-accelerated repulsion (FIt-SNE) was measured and not adopted. At its defaults (one
 *   interpolation interval per unit, 3 nodes each) the grid follows the embedding's extent, which
 *   reaches ~210 units at 10,000 points: a ~630² grid, i.e. zero-padded 2-D FFTs of ~1280² several
 *   times a step. A plain radix-2 2-D complex FFT in V8 took 2.5 ms at 256², 22 ms at 512², 96 ms
 *   at 1024² (CPU time), against ~8 ms for a whole Barnes-Hut evaluation. FIt-SNE pays off at 10⁵+
 *   points with FFTW; at 10⁴ in JavaScript it loses by an order of magnitude.
 * - Tried and lost (CPU time per repulsion evaluation): two points per pass over the interaction
 *   list (no gain), one division for two kernels (1/a = b/(ab); slower), other group / leaf sizes
 *   (16/8, 16/4, 64/8, 8/4, 32/16, 64/16: none beat 32/8; measured before the WebAssembly kernel,
 *   so larger groups may win now, but they change the output). The kNN's heap test with the k-th
 *   distance kept in a local (no gain; kept).
 * - Not done, worth trying next: each thread builds its own tree (~0.5 ms a step, not shared); P
 *   as `Uint16Array` columns when n ≤ 65,536 (the attraction is memory-bound; same bits).
 * - Changing how a sum is ordered changes the output's last bits: attraction per row instead of
 *   per pair, and KL as Σ p log(p/q) + log Z, gave a different layout from the earlier version's
 *   for the same seed, at the same quality (AE codes: trustworthiness 0.99990 before and after,
 *   10-NN accuracy 0.6531 before, 0.6530 after).
 */
import { knn, pointCount, type KnnResult, type Numeric } from './knn.ts';
import { pca } from './pca.ts';
import { BarnesHutTree } from './bhtree.ts';
import { forcesSerial, type ForceState } from './forces.ts';
import { createRandom, gaussian, type RandomFn } from './random.ts';

export type { ForceState } from './forces.ts';

/**
 * Where a run keeps its per-point arrays and who evaluates its expensive parts. The default (no
 * runtime) is this thread and ordinary typed arrays; `tsne-node.ts` supplies one that shares the
 * work with `worker_threads`. Every runtime must give the same numbers as the default.
 */
export interface TsneRuntime {
  /** A zero-filled array (e.g. over a SharedArrayBuffer). */
  float64(length: number): Float64Array;
  int32(length: number): Int32Array;
  /** The exact kNN (default `knn`). */
  neighbours?(data: Numeric, dim: number, k: number, random: RandomFn): KnnResult;
  /** Conditional affinities (default `conditionalAffinities`). */
  conditional?(neighbours: KnnResult, perplexity: number): ConditionalAffinities;
  /** Fills `rep`, `sq`, `attr` (and `klPart` when `withKl`) for the current coordinates. */
  forces?(state: ForceState, withKl: boolean): void;
}

export interface TsneProgress {
  stage: 'neighbours' | 'affinities' | 'optimise' | 'done';
  /** Gradient steps done so far. */
  iteration: number;
  iterations: number;
  /** KL(P‖Q) at this iteration (with the un-exaggerated P), when computed; else null. */
  kl: number | null;
}

export interface TsneOptions {
  /** Effective number of neighbours; 30. Must be smaller than n − 1. */
  perplexity?: number;
  /** Total gradient steps, exaggeration phase included; 1000. */
  iterations?: number;
  earlyExaggeration?: number;
  exaggerationIterations?: number;
  /** Step size; 'auto' = max(n / earlyExaggeration / 4, 50). */
  learningRate?: number | 'auto';
  initialMomentum?: number;
  finalMomentum?: number;
  minGain?: number;
  /** Barnes–Hut opening angle (0 = exact repulsion); 0.5. */
  theta?: number;
  /** 'pca' (default), 'random' (N(0, 1e-4²)), or n × 2 starting coordinates. */
  init?: 'pca' | 'random' | Float64Array;
  /** Seeds the VP-tree and any random initialisation; 0. */
  seed?: number;
  /** Called at each stage and every `progressEvery` iterations. */
  onProgress?: (progress: TsneProgress) => void;
  progressEvery?: number;
}

export interface TsneResult {
  /** n × 2, flat `[x0, y0, x1, y1, …]`. */
  embedding: Float64Array;
  /** Final KL(P‖Q) (Barnes–Hut estimate of the normaliser). */
  kl: number;
  iterations: number;
}

/** Sparse symmetric joint affinities in compressed-row form; values sum to 1. */
export interface SparseAffinities {
  rowPtr: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

export interface ConditionalAffinities {
  /** `p[i * k + r]` = p(neighbour r | i); each row sums to 1. */
  p: Float64Array;
  /** Precision β_i = 1 / (2σ_i²) found for each point. */
  beta: Float64Array;
  /** Entropy (nats) of each row reached by the search. */
  entropy: Float64Array;
}

const ENTROPY_TOLERANCE = 1e-5;
const SEARCH_STEPS = 200;

/**
 * Per-point binary search for β_i so that H(p(·|i)) = log(perplexity), over the k nearest
 * neighbours given (Euclidean distances; squared here).
 */
export function conditionalAffinities(neighbours: KnnResult, perplexity: number): ConditionalAffinities {
  const k = neighbours.k;
  const n = neighbours.indices.length / k;
  const out = { p: new Float64Array(n * k), beta: new Float64Array(n), entropy: new Float64Array(n) };
  conditionalAffinityRows(neighbours, perplexity, 0, n, out);
  return out;
}

/**
 * Rows [i0, i1) of `conditionalAffinities` into `out` (whose arrays cover all n rows). Rows are
 * independent: threads may split them.
 */
export function conditionalAffinityRows(neighbours: KnnResult, perplexity: number, i0: number, i1: number, out: ConditionalAffinities): void {
  const k = neighbours.k;
  const target = Math.log(perplexity);
  const { p, beta, entropy } = out;
  const d2 = new Float64Array(k);
  for (let i = i0; i < i1; i++) {
    const base = i * k;
    // Shift by the nearest distance so exp() cannot underflow; p is unchanged by the shift.
    const d0 = neighbours.distances[base]! ** 2;
    for (let r = 0; r < k; r++) d2[r] = neighbours.distances[base + r]! ** 2 - d0;
    let b = 1;
    let lo = -Infinity;
    let hi = Infinity;
    let h = 0;
    for (let step = 0; step < SEARCH_STEPS; step++) {
      let sum = 0;
      for (let r = 0; r < k; r++) {
        const e = Math.exp(-b * d2[r]!);
        p[base + r] = e;
        sum += e;
      }
      let dp = 0;
      for (let r = 0; r < k; r++) {
        const v = p[base + r]! / sum;
        p[base + r] = v;
        dp += d2[r]! * v;
      }
      h = Math.log(sum) + b * dp;
      const diff = h - target;
      if (Math.abs(diff) <= ENTROPY_TOLERANCE) break;
      if (diff > 0) {
        lo = b;
        b = hi === Infinity ? b * 2 : (b + hi) / 2;
      } else {
        hi = b;
        b = lo === -Infinity ? b / 2 : (b + lo) / 2;
      }
    }
    beta[i] = b;
    entropy[i] = h;
  }
}

/**
 * P = (P_cond + P_condᵀ) / Σ as a CSR matrix with sorted, merged columns per row. Row i merges
 * two sorted lists: its own k neighbours (sorted per row) and the points j that have i among
 * their neighbours (ascending j by construction); a pair in both gets p(j|i) + p(i|j). O(n·k log k).
 */
export function jointAffinities(neighbours: KnnResult, conditional: Float64Array): SparseAffinities {
  const k = neighbours.k;
  const n = neighbours.indices.length / k;
  const idx = neighbours.indices;
  // Transposed lists: tEnt[tPtr[c] …] = entries e = j·k + r with idx[e] = c, ascending e (so j).
  const tPtr = new Int32Array(n + 1);
  for (let e = 0; e < n * k; e++) tPtr[idx[e]! + 1]!++;
  for (let c = 0; c < n; c++) tPtr[c + 1]! += tPtr[c]!;
  const tEnt = new Int32Array(n * k);
  const fill = tPtr.slice(0, n);
  for (let e = 0; e < n * k; e++) tEnt[fill[idx[e]!]!++] = e;
  const rowPtr = new Int32Array(n + 1);
  const col = new Int32Array(2 * n * k);
  const val = new Float64Array(2 * n * k);
  const keys = new Float64Array(k);
  let nnz = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const base = i * k;
    // Own neighbours by column: key = column · k + rank, exact in a double.
    // Insertion sort (the keys are distinct): for k ≈ 90 several times faster than keys.sort().
    for (let r = 0; r < k; r++) {
      const key = idx[base + r]! * k + r;
      let at = r;
      while (at > 0 && keys[at - 1]! > key) {
        keys[at] = keys[at - 1]!;
        at--;
      }
      keys[at] = key;
    }
    const rowStart = nnz;
    let a = 0;
    let t = tPtr[i]!;
    const tEnd = tPtr[i + 1]!;
    while (a < k || t < tEnd) {
      const ownCol = a < k ? Math.floor(keys[a]! / k) : n;
      const tCol = t < tEnd ? Math.floor(tEnt[t]! / k) : n;
      if (ownCol < tCol) {
        col[nnz] = ownCol;
        val[nnz++] = conditional[base + (keys[a++]! - ownCol * k)]!;
      } else if (tCol < ownCol) {
        col[nnz] = tCol;
        val[nnz++] = conditional[tEnt[t++]!]!;
      } else {
        col[nnz] = ownCol;
        val[nnz++] = conditional[base + (keys[a++]! - ownCol * k)]! + conditional[tEnt[t++]!]!;
      }
    }
    for (let u = rowStart; u < nnz; u++) total += val[u]!;
    rowPtr[i + 1] = nnz;
  }
  // Views, not copies: copying ~15 MB of fresh memory costs more than the spare capacity.
  const outVal = val.subarray(0, nnz);
  for (let u = 0; u < nnz; u++) outVal[u] = outVal[u]! / total;
  return { rowPtr, col: col.subarray(0, nnz), val: outVal };
}

function requireFinite(data: Numeric): void {
  for (let t = 0; t < data.length; t++) {
    if (!Number.isFinite(data[t]!)) throw new RangeError(`input value ${t} is not a finite number`);
  }
}

/** Resolved options (defaults filled in). */
type Settings = Required<Omit<TsneOptions, 'onProgress' | 'init' | 'learningRate'>> & {
  learningRate: number;
  onProgress: ((progress: TsneProgress) => void) | null;
};

/**
 * A t-SNE run that can be advanced step by step (e.g. a few iterations per animation frame in a
 * browser). `tsne()` below runs one to the end.
 */
export class Tsne {
  readonly n: number;
  readonly settings: Readonly<Settings>;
  readonly affinities: SparseAffinities;
  /** Current n × 2 coordinates, updated in place by `step()`. */
  readonly embedding: Float64Array;
  /** Gradient steps done. */
  iteration = 0;
  private readonly grad: Float64Array;
  private readonly update: Float64Array;
  private readonly gains: Float64Array;
  private readonly tree = new BarnesHutTree();
  private readonly state: ForceState;
  private readonly runtime: TsneRuntime | null;
  private lastZ = 1;

  /**
   * `runtime` (optional) supplies shared arrays and threads for the expensive parts; the result
   * is the same with or without it.
   */
  constructor(data: Numeric, dim: number, options: TsneOptions = {}, runtime?: TsneRuntime) {
    const n = pointCount(data, dim);
    this.n = n;
    const perplexity = options.perplexity ?? 30;
    const ee = options.earlyExaggeration ?? 12;
    const lr = options.learningRate ?? 'auto';
    const s: Settings = {
      perplexity,
      iterations: options.iterations ?? 1000,
      earlyExaggeration: ee,
      exaggerationIterations: options.exaggerationIterations ?? 250,
      learningRate: lr === 'auto' ? Math.max(n / ee / 4, 50) : lr,
      initialMomentum: options.initialMomentum ?? 0.5,
      finalMomentum: options.finalMomentum ?? 0.8,
      minGain: options.minGain ?? 0.01,
      theta: options.theta ?? 0.5,
      seed: options.seed ?? 0,
      onProgress: options.onProgress ?? null,
      progressEvery: options.progressEvery ?? 50,
    };
    if (n < 3) throw new RangeError(`t-SNE needs at least 3 points, got ${n}`);
    if (!(perplexity > 0)) throw new RangeError(`perplexity must be positive, got ${perplexity}`);
    if (!(perplexity < n - 1)) {
      throw new RangeError(`perplexity ${perplexity} is too large for ${n} points: it must be smaller than n − 1 = ${n - 1}`);
    }
    if (!Number.isInteger(s.iterations) || s.iterations < 0) throw new RangeError(`iterations must be a non-negative integer, got ${s.iterations}`);
    if (!(s.learningRate > 0)) throw new RangeError(`learningRate must be positive`);
    if (!(s.theta >= 0)) throw new RangeError(`theta must be ≥ 0`);
    requireFinite(data);
    this.settings = s;
    const random = createRandom(s.seed);
    const report = (stage: TsneProgress['stage'], kl: number | null = null): void =>
      s.onProgress?.({ stage, iteration: this.iteration, iterations: s.iterations, kl });

    this.runtime = runtime ?? null;
    report('neighbours');
    const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
    const neighbours = runtime?.neighbours ? runtime.neighbours(data, dim, k, random) : knn(data, dim, k, random);
    report('affinities');
    const cond = runtime?.conditional ? runtime.conditional(neighbours, perplexity) : conditionalAffinities(neighbours, perplexity);
    const joint = jointAffinities(neighbours, cond.p);
    const f64 = (len: number) => (runtime ? runtime.float64(len) : new Float64Array(len));
    const i32 = (len: number) => (runtime ? runtime.int32(len) : new Int32Array(len));
    if (runtime) {
      const shared = { rowPtr: i32(joint.rowPtr.length), col: i32(joint.col.length), val: f64(joint.val.length) };
      shared.rowPtr.set(joint.rowPtr);
      shared.col.set(joint.col);
      shared.val.set(joint.val);
      this.affinities = shared;
    } else this.affinities = joint;

    const init = options.init ?? 'pca';
    const y = f64(2 * n);
    if (init instanceof Float64Array) {
      if (init.length !== 2 * n) throw new RangeError(`init must hold n × 2 = ${2 * n} numbers, got ${init.length}`);
      y.set(init);
    } else if (init === 'pca') {
      const proj = pca(data, dim, 2).projection;
      let mean = 0;
      for (let i = 0; i < n; i++) mean += proj[2 * i]!;
      mean /= n;
      let sd = 0;
      for (let i = 0; i < n; i++) sd += (proj[2 * i]! - mean) ** 2;
      sd = Math.sqrt(sd / n);
      const scale = sd > 0 ? 1e-4 / sd : 1;
      for (let t = 0; t < 2 * n; t++) y[t] = proj[t]! * scale;
      // A degenerate axis (e.g. 1-D input) would stay flat forever: jitter it.
      for (let axis = 0; axis < 2; axis++) {
        let spread = 0;
        for (let i = 0; i < n; i++) spread = Math.max(spread, Math.abs(y[2 * i + axis]!));
        if (spread === 0) for (let i = 0; i < n; i++) y[2 * i + axis] = 1e-4 * gaussian(random);
      }
    } else if (init === 'random') {
      for (let t = 0; t < 2 * n; t++) y[t] = 1e-4 * gaussian(random);
    } else {
      throw new RangeError(`unknown init ${String(init)}`);
    }
    this.embedding = y;
    this.grad = new Float64Array(2 * n);
    this.update = new Float64Array(2 * n);
    this.gains = new Float64Array(2 * n).fill(1);
    this.state = {
      n,
      theta: s.theta,
      embedding: y,
      rowPtr: this.affinities.rowPtr,
      col: this.affinities.col,
      val: this.affinities.val,
      rep: f64(2 * n),
      sq: f64(n),
      attr: f64(2 * n),
      klPart: f64(n),
    };
    report('optimise');
  }

  /** Whether all iterations are done. */
  get done(): boolean {
    return this.iteration >= this.settings.iterations;
  }

  /**
   * The KL gradient at the current embedding into `out` (n × 2), with P multiplied by
   * `exaggeration`. Returns KL(P‖Q) for the un-exaggerated P when `withKl`, else NaN.
   */
  gradient(out: Float64Array, exaggeration = 1, withKl = false): number {
    const st = this.state;
    if (this.runtime?.forces) this.runtime.forces(st, withKl);
    else forcesSerial(st, this.tree, withKl);
    const { rep, attr, sq, klPart } = st;
    const n = this.n;
    let z = 0;
    for (let i = 0; i < n; i++) z += sq[i]!;
    z = Math.max(z, 1e-300);
    this.lastZ = z;
    const c = 4 * exaggeration;
    const r = 4 / z;
    for (let t = 0, len = 2 * n; t < len; t++) out[t] = c * attr[t]! - r * rep[t]!;
    if (!withKl) return NaN;
    // KL = Σ p (log p − log(q / Z)) = Σ_i klPart_i + log Z (Σ p = 1).
    let kl = 0;
    for (let i = 0; i < n; i++) kl += klPart[i]!;
    return kl + Math.log(z);
  }

  /** One gradient step; returns KL when this step was a progress checkpoint, else null. */
  step(): number | null {
    const s = this.settings;
    if (this.done) return null;
    const it = this.iteration;
    const exploring = it < s.exaggerationIterations;
    if (it === s.exaggerationIterations && it > 0) {
      // New optimisation stage, as in scikit-learn: fresh momentum buffer and gains.
      this.update.fill(0);
      this.gains.fill(1);
    }
    const checkpoint = s.onProgress !== null && ((it + 1) % s.progressEvery === 0 || it + 1 === s.iterations);
    const kl = this.gradient(this.grad, exploring ? s.earlyExaggeration : 1, checkpoint);
    const momentum = exploring ? s.initialMomentum : s.finalMomentum;
    const lr = s.learningRate;
    const minGain = s.minGain;
    const { grad, update, gains, embedding } = this;
    for (let t = 0, len = grad.length; t < len; t++) {
      const g = grad[t]!;
      const u = update[t]!;
      let gain = gains[t]!;
      gain = u * g < 0 ? gain + 0.2 : gain * 0.8;
      if (gain < minGain) gain = minGain;
      gains[t] = gain;
      const nu = momentum * u - lr * gain * g;
      update[t] = nu;
      embedding[t]! += nu;
    }
    this.iteration = it + 1;
    if (checkpoint) {
      s.onProgress!({ stage: 'optimise', iteration: this.iteration, iterations: s.iterations, kl });
      return kl;
    }
    return null;
  }

  /** KL(P‖Q) at the current embedding (one extra gradient evaluation). */
  klDivergence(): number {
    return this.gradient(new Float64Array(2 * this.n), 1, true);
  }

  /** Runs the remaining iterations; returns the final embedding and KL. */
  run(): TsneResult {
    while (!this.done) this.step();
    const kl = this.klDivergence();
    this.settings.onProgress?.({ stage: 'done', iteration: this.iteration, iterations: this.settings.iterations, kl });
    return { embedding: this.embedding, kl, iterations: this.iteration };
  }

  /** The normaliser Z = Σ_{i≠j} (1 + |y_i − y_j|²)⁻¹ from the latest gradient evaluation. */
  get normaliser(): number {
    return this.lastZ;
  }
}

/**
 * t-SNE of `data` (n rows of `dim` numbers, flat) into 2-D. Synchronous; for a browser, drive a
 * `Tsne` with `step()` instead to keep the page responsive.
 */
export function tsne(data: Numeric, dim: number, options: TsneOptions = {}): TsneResult {
  return new Tsne(data, dim, options).run();
}
