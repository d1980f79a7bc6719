/**
 * Exact k-nearest neighbours (Euclidean) of every point of a set, by a vantage-point tree
 * (Yianilos 1993), plus a brute-force version for small sets and tests.
 *
 * Points are rows of a flat array: point `i` is `data[i * dim … i * dim + dim - 1]`.
 *
 * Wide input (dim > 16) takes an exact brute-force path over |a|² + |b|² − 2a·b: through non-zero
 * lists for sparse data (pixels), and for dense data (PCA codes) a register-blocked kernel, 4 query
 * rows × 2 points, in WebAssembly SIMD where available (`dist4` of `bh-kernel.ts`). Both do the
 * same sums in the same order, so the neighbours are the same bit for bit.
 */
import { kernelInstance, type KernelExports } from './bh-kernel.ts';
import { createRandom, type RandomFn } from './random.ts';

/** Numbers a point set may come in. */
export type Numeric = Float32Array | Float64Array | ArrayLike<number>;

/** The `k` nearest neighbours of each point, nearest first, the point itself excluded. */
export interface KnnResult {
  k: number;
  /** `indices[i * k + r]`: index of the (r+1)-th nearest neighbour of point `i`. */
  indices: Int32Array;
  /** Euclidean distance matching `indices`. */
  distances: Float64Array;
}

/** Checks `n`, `dim` and `k` against the data and returns `n`. */
export function pointCount(data: Numeric, dim: number): number {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}`);
  if (data.length % dim !== 0) throw new RangeError(`data length ${data.length} is not a multiple of dim ${dim}`);
  return data.length / dim;
}

export function checkK(n: number, k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (k > n - 1) throw new RangeError(`k = ${k} needs at least ${k + 1} points, got ${n}`);
}

/** A fixed-capacity max-heap on distance, used to keep the k best candidates. */
class MaxHeap {
  size = 0;
  readonly dist: Float64Array;
  readonly idx: Int32Array;
  constructor(capacity: number) {
    this.dist = new Float64Array(capacity);
    this.idx = new Int32Array(capacity);
  }
  /** The largest distance held, or Infinity while not full. */
  worst(): number {
    return this.size < this.dist.length ? Infinity : this.dist[0]!;
  }
  push(d: number, i: number): void {
    const dist = this.dist;
    const idx = this.idx;
    if (this.size < dist.length) {
      let c = this.size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (dist[p]! >= d) break;
        dist[c] = dist[p]!;
        idx[c] = idx[p]!;
        c = p;
      }
      dist[c] = d;
      idx[c] = i;
      return;
    }
    if (d >= dist[0]!) return;
    // Replace the root and sift down.
    const n = this.size;
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && dist[r]! > dist[l]! ? r : l;
      if (dist[m]! <= d) break;
      dist[c] = dist[m]!;
      idx[c] = idx[m]!;
      c = m;
    }
    dist[c] = d;
    idx[c] = i;
  }
  /** Writes the held items in ascending distance into `outIdx`/`outDist` at `offset`; empties the heap. */
  drainSorted(outIdx: Int32Array, outDist: Float64Array, offset: number): void {
    const dist = this.dist;
    const idx = this.idx;
    for (let pos = this.size - 1; pos >= 0; pos--) {
      outIdx[offset + pos] = idx[0]!;
      outDist[offset + pos] = dist[0]!;
      const n = --this.size;
      const d = dist[n]!;
      const i = idx[n]!;
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= n) break;
        const r = l + 1;
        const m = r < n && dist[r]! > dist[l]! ? r : l;
        if (dist[m]! <= d) break;
        dist[c] = dist[m]!;
        idx[c] = idx[m]!;
        c = m;
      }
      dist[c] = d;
      idx[c] = i;
    }
  }
}

function distance(data: Numeric, dim: number, a: number, b: number): number {
  const oa = a * dim;
  const ob = b * dim;
  let s = 0;
  for (let t = 0; t < dim; t++) {
    const d = data[oa + t]! - data[ob + t]!;
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Exact kNN of every point by comparing all pairs: O(n² · dim). For tests and small sets. */
export function bruteForceKnn(data: Numeric, dim: number, k: number): KnnResult {
  const n = pointCount(data, dim);
  checkK(n, k);
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  const heap = new MaxHeap(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j !== i) heap.push(distance(data, dim, i, j), j);
    }
    heap.drainSorted(indices, distances, i * k);
  }
  return { k, indices, distances };
}

/** The non-zero entries of each row (compressed rows), for sparse data such as MNIST pixels. */
export interface SparseRows {
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
}

export function sparseRows(data: Numeric, dim: number, n: number): SparseRows {
  let nnz = 0;
  for (let t = 0; t < n * dim; t++) if (data[t] !== 0) nnz++;
  const ptr = new Int32Array(n + 1);
  const idx = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let at = 0;
  for (let j = 0; j < n; j++) {
    for (let t = 0; t < dim; t++) {
      const v = data[j * dim + t]!;
      if (v !== 0) {
        idx[at] = t;
        val[at] = v;
        at++;
      }
    }
    ptr[j + 1] = at;
  }
  return { ptr, idx, val };
}

/**
 * Squared distances from rows i0 … i0+3 to all points, 4 rows at once, via
 * |a|² + |b|² − 2a·b, visiting only the non-zero entries of each other point. For wide data.
 */
export function distanceRows4(
  data: Numeric,
  dim: number,
  n: number,
  sparse: SparseRows,
  norms: Float64Array,
  i0: number,
  rows: number,
  out: Float64Array[],
): void {
  const o0 = i0 * dim;
  const o1 = Math.min(i0 + 1, n - 1) * dim;
  const o2 = Math.min(i0 + 2, n - 1) * dim;
  const o3 = Math.min(i0 + 3, n - 1) * dim;
  const r0 = out[0]!;
  const r1 = out[1]!;
  const r2 = out[2]!;
  const r3 = out[3]!;
  const n0 = norms[i0]!;
  const n1 = norms[Math.min(i0 + 1, n - 1)]!;
  const n2 = norms[Math.min(i0 + 2, n - 1)]!;
  const n3 = norms[Math.min(i0 + 3, n - 1)]!;
  const { ptr, idx, val } = sparse;
  for (let j = 0; j < n; j++) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let e = ptr[j]!, end = ptr[j + 1]!; e < end; e++) {
      const t = idx[e]!;
      const b = val[e]!;
      a0 += data[o0 + t]! * b;
      a1 += data[o1 + t]! * b;
      a2 += data[o2 + t]! * b;
      a3 += data[o3 + t]! * b;
    }
    const nj = norms[j]!;
    r0[j] = Math.max(n0 + nj - 2 * a0, 0);
    if (rows > 1) r1[j] = Math.max(n1 + nj - 2 * a1, 0);
    if (rows > 2) r2[j] = Math.max(n2 + nj - 2 * a2, 0);
    if (rows > 3) r3[j] = Math.max(n3 + nj - 2 * a3, 0);
  }
}

/** Squared norms of the rows. */
export function rowNorms(data: Numeric, dim: number, n: number) {
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < dim; t++) s += data[i * dim + t]! ** 2;
    norms[i] = s;
  }
  return norms;
}

/**
 * Squared distances from rows i0 … i0+3 to all points, for dense data: 4 query rows × 2 points
 * per inner loop (8 accumulators), |a|² + |b|² − 2a·b with the dot products summed in dimension
 * order, so the figures equal `distanceRows4`'s on the same data bit for bit.
 */
export function denseDistanceRows4(data: Float64Array, dim: number, n: number, norms: Float64Array, i0: number, rows: number, out: Float64Array[]): void {
  const o0 = i0 * dim;
  const o1 = Math.min(i0 + 1, n - 1) * dim;
  const o2 = Math.min(i0 + 2, n - 1) * dim;
  const o3 = Math.min(i0 + 3, n - 1) * dim;
  const r0 = out[0]!;
  const r1 = out[1]!;
  const r2 = out[2]!;
  const r3 = out[3]!;
  const n0 = norms[i0]!;
  const n1 = norms[Math.min(i0 + 1, n - 1)]!;
  const n2 = norms[Math.min(i0 + 2, n - 1)]!;
  const n3 = norms[Math.min(i0 + 3, n - 1)]!;
  for (let j = 0; j < n; j += 2) {
    const p = j * dim;
    // An odd last point is paired with itself.
    const q = (j + 1 < n ? j + 1 : j) * dim;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    for (let t = 0; t < dim; t++) {
      const x = data[p + t]!;
      const y = data[q + t]!;
      const u0 = data[o0 + t]!;
      const u1 = data[o1 + t]!;
      const u2 = data[o2 + t]!;
      const u3 = data[o3 + t]!;
      a0 += u0 * x;
      a1 += u1 * x;
      a2 += u2 * x;
      a3 += u3 * x;
      b0 += u0 * y;
      b1 += u1 * y;
      b2 += u2 * y;
      b3 += u3 * y;
    }
    const nj = norms[j]!;
    r0[j] = Math.max(n0 + nj - 2 * a0, 0);
    if (rows > 1) r1[j] = Math.max(n1 + nj - 2 * a1, 0);
    if (rows > 2) r2[j] = Math.max(n2 + nj - 2 * a2, 0);
    if (rows > 3) r3[j] = Math.max(n3 + nj - 2 * a3, 0);
    if (j + 1 < n) {
      const nq = norms[j + 1]!;
      r0[j + 1] = Math.max(n0 + nq - 2 * b0, 0);
      if (rows > 1) r1[j + 1] = Math.max(n1 + nq - 2 * b1, 0);
      if (rows > 2) r2[j + 1] = Math.max(n2 + nq - 2 * b2, 0);
      if (rows > 3) r3[j + 1] = Math.max(n3 + nq - 2 * b3, 0);
    }
  }
}

/** What `wideKnnRows` needs besides the data: row norms, and the non-zeros when the data are sparse. */
export interface WidePrep {
  data: Float64Array;
  dim: number;
  n: number;
  norms: Float64Array;
  /** Compressed rows when under half the entries are non-zero (e.g. pixels); else null (dense kernel). */
  sparse: SparseRows | null;
}

export function widePrep(data: Numeric, dim: number): WidePrep {
  const n = pointCount(data, dim);
  const d = data instanceof Float64Array ? data : Float64Array.from(data);
  let nonZero = 0;
  for (let t = 0; t < d.length; t++) if (d[t] !== 0) nonZero++;
  return { data: d, dim, n, norms: rowNorms(d, dim, n), sparse: nonZero < 0.5 * d.length ? sparseRows(d, dim, n) : null };
}

/** The dense distance kernel in WebAssembly (`dist4`), with one data set transposed into its memory. */
interface WasmDistances {
  kernel: KernelExports;
  prep: WidePrep;
  /** Points rounded up to a multiple of 4 (the padding points are zeros). */
  N: number;
  norms: number;
  out: number;
  rows: Float64Array[];
}
/** This thread's kernel and the data set it holds (the latest `WidePrep`). */
let wasmDistances: WasmDistances | null = null;

/** The WebAssembly distance kernel holding `prep`'s dense data, or null (sparse data, or no WebAssembly SIMD). */
function distanceKernel(prep: WidePrep): WasmDistances | null {
  if (prep.sparse) return null;
  if (wasmDistances?.prep === prep) return wasmDistances;
  const kernel = wasmDistances?.kernel ?? kernelInstance();
  if (!kernel) return null;
  const { n, dim, data } = prep;
  const N = Math.ceil(n / 4) * 4;
  const norms = 8 * N * dim;
  const out = norms + 8 * N;
  const bytes = out + 32 * N;
  const mem = kernel.memory;
  if (mem.buffer.byteLength < bytes) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
  const buf = mem.buffer;
  const T = new Float64Array(buf, 0, N * dim);
  for (let t = 0; t < dim; t++) {
    const row = t * N;
    for (let j = 0; j < n; j++) T[row + j] = data[j * dim + t]!;
    T.fill(0, row + n, row + N);
  }
  const nv = new Float64Array(buf, norms, N);
  nv.set(prep.norms);
  nv.fill(0, n);
  const rows = [0, 1, 2, 3].map((r) => new Float64Array(buf, out + 8 * r * N, N));
  wasmDistances = { kernel, prep, N, norms, out, rows };
  return wasmDistances;
}

/**
 * Rows [i0, i1) of `wideKnn` into `indices`/`distances` (n × k, flat; only those rows written).
 * Rows are independent, so threads may split them and get the same result as one thread. Dense
 * data use the WebAssembly kernel where there is one (`wasm: false` never does): the same bits.
 */
export function wideKnnRows(prep: WidePrep, k: number, i0: number, i1: number, indices: Int32Array, distances: Float64Array, wasm = true): void {
  const { data, dim, n, norms, sparse } = prep;
  const w = wasm ? distanceKernel(prep) : null;
  const rows = w ? w.rows : [0, 1, 2, 3].map(() => new Float64Array(n));
  const heap = new MaxHeap(k);
  for (let a = i0; a < i1; a += 4) {
    const count = Math.min(4, i1 - a);
    if (w) w.kernel.dist4(a, Math.min(a + 1, n - 1), Math.min(a + 2, n - 1), Math.min(a + 3, n - 1), w.N, dim, 0, w.norms, w.out);
    else if (sparse) distanceRows4(data, dim, n, sparse, norms, a, count, rows);
    else denseDistanceRows4(data, dim, n, norms, a, count, rows);
    for (let r = 0; r < count; r++) {
      const i = a + r;
      const row = rows[r]!;
      // The k-th smallest so far, kept in a local: one compare per candidate.
      let worst = Infinity;
      for (let j = 0; j < n; j++) {
        const d = row[j]!;
        if (d < worst && j !== i) {
          heap.push(d, j);
          worst = heap.worst();
        }
      }
      heap.drainSorted(indices, distances, i * k);
      for (let t = i * k; t < (i + 1) * k; t++) distances[t] = Math.sqrt(distances[t]!);
    }
  }
}

/**
 * Exact kNN for wide data (many dimensions, where space-partitioning trees degrade to brute force
 * anyway): all pairwise squared distances as |a|² + |b|² − 2a·b, four query rows at a time, with
 * a k-heap per row. Sparse data (under half non-zero) visit only the non-zero entries of the other
 * points; dense data use a register-blocked kernel (4 rows × 2 points).
 */
export function wideKnn(data: Numeric, dim: number, k: number, wasm = true): KnnResult {
  const n = pointCount(data, dim);
  checkK(n, k);
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  wideKnnRows(widePrep(data, dim), k, 0, n, indices, distances, wasm);
  return { k, indices, distances };
}

/** Above this many dimensions `knn` uses `wideKnn` instead of the VP-tree. */
export const WIDE_DIM = 16;

const LEAF_SIZE = 8;

/**
 * A vantage-point tree over a fixed point set. Nodes live in flat arrays; a node either is a
 * leaf (a bucket of up to LEAF_SIZE points, a slice of `order`) or splits its points by the
 * distance to a vantage point at the median radius.
 */
export class VpTree {
  readonly n: number;
  readonly dim: number;
  private readonly data: Numeric;
  private readonly order: Int32Array;
  // Per node: vantage point (-1 for a leaf), radius, children, and for leaves the bucket slice.
  private vp: Int32Array;
  private radius: Float64Array;
  private inside: Int32Array;
  private outside: Int32Array;
  private start: Int32Array;
  private end: Int32Array;
  private nodes = 0;
  private readonly scratch: Float64Array;

  constructor(data: Numeric, dim: number, random: RandomFn = createRandom(0)) {
    this.data = data;
    this.dim = dim;
    this.n = pointCount(data, dim);
    const cap = Math.max(1, 2 * Math.ceil(this.n / (LEAF_SIZE / 2)) + 1);
    this.vp = new Int32Array(cap);
    this.radius = new Float64Array(cap);
    this.inside = new Int32Array(cap);
    this.outside = new Int32Array(cap);
    this.start = new Int32Array(cap);
    this.end = new Int32Array(cap);
    this.order = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) this.order[i] = i;
    this.scratch = new Float64Array(this.n);
    if (this.n > 0) this.build(0, this.n, random);
  }

  private newNode(): number {
    if (this.nodes === this.vp.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.vp = grow(this.vp);
      this.radius = grow(this.radius);
      this.inside = grow(this.inside);
      this.outside = grow(this.outside);
      this.start = grow(this.start);
      this.end = grow(this.end);
    }
    return this.nodes++;
  }

  private build(lo: number, hi: number, random: RandomFn): number {
    const node = this.newNode();
    const order = this.order;
    if (hi - lo <= LEAF_SIZE) {
      this.vp[node] = -1;
      this.start[node] = lo;
      this.end[node] = hi;
      return node;
    }
    // Random vantage point moved to the front of the range.
    const pick = lo + Math.floor(random() * (hi - lo));
    const v = order[pick]!;
    order[pick] = order[lo]!;
    order[lo] = v;
    const d = this.scratch;
    for (let t = lo + 1; t < hi; t++) d[t] = distance(this.data, this.dim, v, order[t]!);
    // Quickselect the median of the remaining points by distance to v.
    const mid = (lo + 1 + hi) >> 1;
    let a = lo + 1;
    let b = hi - 1;
    while (a < b) {
      const pivot = d[(a + b) >> 1]!;
      let i = a;
      let j = b;
      while (i <= j) {
        while (d[i]! < pivot) i++;
        while (d[j]! > pivot) j--;
        if (i <= j) {
          const td = d[i]!;
          d[i] = d[j]!;
          d[j] = td;
          const ti = order[i]!;
          order[i] = order[j]!;
          order[j] = ti;
          i++;
          j--;
        }
      }
      if (mid <= j) b = j;
      else if (mid >= i) a = i;
      else break;
    }
    // Points [lo+1, mid) have d <= d[mid]; [mid, hi) have d >= d[mid].
    this.vp[node] = v;
    this.radius[node] = d[mid]!;
    const inside = this.build(lo + 1, mid, random);
    const outside = this.build(mid, hi, random);
    this.inside[node] = inside;
    this.outside[node] = outside;
    return node;
  }

  private search(node: number, q: number, heap: MaxHeap): void {
    const v = this.vp[node]!;
    if (v < 0) {
      const order = this.order;
      for (let t = this.start[node]!, e = this.end[node]!; t < e; t++) {
        const p = order[t]!;
        if (p === q) continue;
        const dd = distance(this.data, this.dim, q, p);
        if (dd < heap.worst()) heap.push(dd, p);
      }
      return;
    }
    const dv = distance(this.data, this.dim, q, v);
    if (v !== q && dv < heap.worst()) heap.push(dv, v);
    const r = this.radius[node]!;
    if (dv < r) {
      this.search(this.inside[node]!, q, heap);
      if (dv + heap.worst() >= r) this.search(this.outside[node]!, q, heap);
    } else {
      this.search(this.outside[node]!, q, heap);
      if (dv - heap.worst() <= r) this.search(this.inside[node]!, q, heap);
    }
  }

  /** The k nearest neighbours of every point of the set (itself excluded). */
  allKnn(k: number): KnnResult {
    const n = this.n;
    checkK(n, k);
    const indices = new Int32Array(n * k);
    const distances = new Float64Array(n * k);
    const heap = new MaxHeap(k);
    for (let i = 0; i < n; i++) {
      this.search(0, i, heap);
      heap.drainSorted(indices, distances, i * k);
    }
    return { k, indices, distances };
  }
}

/**
 * Exact kNN of every point: brute force below 64 points, `wideKnn` above WIDE_DIM dimensions,
 * otherwise a VP-tree.
 */
export function knn(data: Numeric, dim: number, k: number, random: RandomFn = createRandom(0)): KnnResult {
  const n = pointCount(data, dim);
  checkK(n, k);
  if (n < 64) return bruteForceKnn(data, dim, k);
  if (dim > WIDE_DIM) return wideKnn(data, dim, k);
  return new VpTree(data, dim, random).allKnn(k);
}
