/**
 * The t-SNE forces of one gradient evaluation as independent tasks over typed arrays, so one
 * thread can run them all (browsers, `Tsne` by default) or several threads can share them
 * (`tsne-node.ts`, Node `worker_threads` over SharedArrayBuffers) with the same result bit for
 * bit: every task writes only its own points' figures, each computed the same way whichever
 * thread runs it, and the sums over points (Z, KL) are taken afterwards in point order.
 *
 * Tasks 0 … A−1 are attraction row blocks (ATTRACTION_ROWS rows of the symmetric P each), tasks
 * A … A+R−1 repulsion blocks (REPULSION_GROUPS Barnes–Hut point groups each). A thread builds its
 * own `BarnesHutTree` from the shared coordinates before running repulsion tasks; the build is
 * deterministic, so all threads hold the same tree.
 *
 * Attraction without KL and the repulsion kernel run as WebAssembly SIMD where the runtime has it
 * (`bh-kernel.ts`, through the tree), with the same bits as the JavaScript loops here.
 *
 * Browser-safe: no Node modules.
 */
import type { BarnesHutTree } from './bhtree.ts';

export const ATTRACTION_ROWS = 512;
export const REPULSION_GROUPS = 4;

/** The arrays one gradient evaluation reads and writes (shared between threads when parallel). */
export interface ForceState {
  n: number;
  theta: number;
  /** n × 2 coordinates (read). */
  embedding: Float64Array;
  /** The symmetric joint P, compressed rows, both triangles (read). */
  rowPtr: Int32Array;
  col: Int32Array;
  val: Float64Array;
  /** n × 2: Σ_j q_ij² (y_i − y_j) (written by repulsion tasks). */
  rep: Float64Array;
  /** n: Σ_{j≠i} q_ij, the point's share of the normaliser Z (written by repulsion tasks). */
  sq: Float64Array;
  /** n × 2: Σ_j p_ij q_ij (y_i − y_j) (written by attraction tasks). */
  attr: Float64Array;
  /** n: Σ_j p_ij (log p_ij − log q_ij), when KL is asked for (written by attraction tasks). */
  klPart: Float64Array;
}

/** Attraction of rows [i0, i1): `attr` and, with `withKl`, `klPart`. */
export function attractionRows(s: ForceState, i0: number, i1: number, withKl: boolean): void {
  const { rowPtr, col, val, embedding: y, attr, klPart } = s;
  for (let i = i0; i < i1; i++) {
    const xi = y[2 * i]!;
    const yi = y[2 * i + 1]!;
    let ax = 0;
    let ay = 0;
    const e = rowPtr[i + 1]!;
    if (withKl) {
      let kl = 0;
      for (let t = rowPtr[i]!; t < e; t++) {
        const j = col[t]!;
        const dx = xi - y[2 * j]!;
        const dy = yi - y[2 * j + 1]!;
        const q = 1 / (1 + dx * dx + dy * dy);
        const p = val[t]!;
        const pq = p * q;
        ax += pq * dx;
        ay += pq * dy;
        kl += p * (Math.log(Math.max(p, 1e-12)) - Math.log(q));
      }
      klPart[i] = kl;
    } else {
      for (let t = rowPtr[i]!; t < e; t++) {
        const j = col[t]!;
        const dx = xi - y[2 * j]!;
        const dy = yi - y[2 * j + 1]!;
        // The same rounding as the KL branch: p · (1 / (1 + d²)).
        const pq = val[t]! * (1 / (1 + dx * dx + dy * dy));
        ax += pq * dx;
        ay += pq * dy;
      }
    }
    attr[2 * i] = ax;
    attr[2 * i + 1] = ay;
  }
}

/** Number of attraction tasks for n points. */
export function attractionTasks(n: number): number {
  return Math.ceil(n / ATTRACTION_ROWS);
}

/** Number of tasks in all for a tree built on the current coordinates. */
export function forceTasks(s: ForceState, tree: BarnesHutTree): number {
  return attractionTasks(s.n) + Math.ceil(tree.groupTotal / REPULSION_GROUPS);
}

/** Runs task `task` (see the header); `tree` must be built on `s.embedding`. */
export function runForceTask(s: ForceState, tree: BarnesHutTree, task: number, withKl: boolean): void {
  const a = attractionTasks(s.n);
  if (task < a) {
    const i0 = task * ATTRACTION_ROWS;
    const i1 = Math.min(s.n, i0 + ATTRACTION_ROWS);
    if (withKl || !tree.attraction(s, i0, i1)) attractionRows(s, i0, i1, withKl);
  } else {
    const g0 = (task - a) * REPULSION_GROUPS;
    tree.repulsionGroups(g0, Math.min(tree.groupTotal, g0 + REPULSION_GROUPS), s.rep, s.sq);
  }
}

/** All the forces in this thread. */
export function forcesSerial(s: ForceState, tree: BarnesHutTree, withKl: boolean): void {
  tree.build(s.embedding, s.n, s.theta);
  if (withKl || !tree.attraction(s, 0, s.n)) attractionRows(s, 0, s.n, withKl);
  tree.repulsionGroups(0, tree.groupTotal, s.rep, s.sq);
}
