/**
 * Barnes–Hut repulsion for 2-D t-SNE over a Morton-ordered quadtree, in flat typed arrays that
 * are reused from one iteration to the next (nothing is allocated per iteration unless a buffer
 * has to grow).
 *
 * Each iteration:
 * 1. points get 32-bit Morton codes (16 bits per axis over the bounding square) and are sorted by
 *    them (LSD radix sort), so every quadtree cell is a contiguous range of the sorted points;
 * 2. the quadtree is built top-down over those ranges; a cell's centre of mass comes from prefix
 *    sums, a leaf is a bucket of up to LEAF_SIZE points;
 * 3. forces are evaluated per *group* of nearby points (a cell of at most GROUP_SIZE points, as in
 *    Barnes 1990): one traversal builds an interaction list for the whole group, accepting a cell
 *    as a single mass when (cell width)² < θ² · d², d being the distance from the cell's centre of
 *    mass to the *nearest point of the group's bounding box*. Every point of the group therefore
 *    meets the per-point criterion of van der Maaten (2014) (w / d_i < θ, d_i ≥ d), so each force
 *    is at least as accurate as in per-point Barnes–Hut at the same θ; cells that are not accepted
 *    are opened, and leaf buckets that are not accepted contribute their points one by one.
 *    Then each point of the group sums over the list in a tight loop: WebAssembly SIMD where the
 *    runtime has it (`bh-kernel.ts`, four points per pass), else JavaScript; the same bits either way.
 */
import { kernelInstance, WasmAttraction, type KernelExports } from './bh-kernel.ts';
import type { ForceState } from './forces.ts';

const LEAF_SIZE = 8;
const GROUP_SIZE = 32;
const BITS = 16;
const MAX_LEVEL = BITS;

export class BarnesHutTree {
  /** Points in Morton order: original index, coordinates. */
  perm = new Int32Array(0);
  sx = new Float64Array(0);
  sy = new Float64Array(0);
  private codes = new Uint32Array(0);
  private codesTmp = new Uint32Array(0);
  private permTmp = new Int32Array(0);
  private prefX = new Float64Array(0);
  private prefY = new Float64Array(0);
  // Nodes.
  nodes = 0;
  start = new Int32Array(0);
  end = new Int32Array(0);
  firstChild = new Int32Array(0);
  childCount = new Int32Array(0);
  comX = new Float64Array(0);
  comY = new Float64Array(0);
  /** (cell width)² / θ² (Infinity when θ = 0: never accepted). */
  open2 = new Float64Array(0);
  private level = new Int32Array(0);
  /** Width of the root cell (a square over the points' bounding box). */
  private width = 1;
  private groups = new Int32Array(0);
  private groupCount = 0;
  private stack = new Int32Array(0);
  /** A group's interaction list: (x, y, count) triples. */
  private list = new Float64Array(0);
  private listCap = 0;
  /** Points the per-point arrays hold (n + 4: the kernel reads and writes whole 4-point passes). */
  private pointCap = 0;
  /** The WebAssembly kernel, whose memory holds sx, sy, list and its results rx, ry, rs; null: JavaScript. */
  private readonly kernel: KernelExports | null;
  private rx = new Float64Array(0);
  private ry = new Float64Array(0);
  private rs = new Float64Array(0);
  /** The attraction kernel (`attraction`), made on first use; gets the coordinates at each `build`. */
  private attr: WasmAttraction | null = null;
  /** Byte offsets of the node arrays copied into the kernel's memory at each `build` (`syncNodes`). */
  private off = { start: 0, end: 0, first: 0, count: 0, comX: 0, comY: 0, open2: 0, groups: 0, stack: 0 };
  private builtFrom: Float64Array | null = null;
  private readonly counts = new Int32Array(256);
  /** Points in the latest `build`. */
  count = 0;

  /** `wasm: false` always runs the JavaScript kernel (tests compare the two). */
  constructor(options: { wasm?: boolean } = {}) {
    this.kernel = options.wasm === false ? null : kernelInstance();
  }

  /** Whether the WebAssembly kernel is in use. */
  get usesWasm(): boolean {
    return this.kernel !== null;
  }

  /**
   * (Re)places sx, sy, rx, ry, rs and the list: in the kernel's memory (sx, sy keep their values
   * when only the list grows), or as plain arrays.
   */
  private layout(pointsChanged: boolean): void {
    const P = this.pointCap;
    const L = 3 * this.listCap;
    const k = this.kernel;
    if (!k) {
      if (pointsChanged) {
        this.sx = new Float64Array(P);
        this.sy = new Float64Array(P);
      }
      this.list = new Float64Array(L);
      return;
    }
    const bytes = (5 * P + L) * 8;
    const mem = k.memory;
    if (mem.buffer.byteLength < bytes) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
    const buf = mem.buffer;
    this.sx = new Float64Array(buf, 0, P);
    this.sy = new Float64Array(buf, 8 * P, P);
    this.rx = new Float64Array(buf, 16 * P, P);
    this.ry = new Float64Array(buf, 24 * P, P);
    this.rs = new Float64Array(buf, 32 * P, P);
    this.list = new Float64Array(buf, 40 * P, L);
  }

  private ensurePoints(n: number): void {
    if (this.perm.length >= n) return;
    this.perm = new Int32Array(n);
    this.permTmp = new Int32Array(n);
    this.pointCap = n + 4;
    this.layout(true);
    this.codes = new Uint32Array(n);
    this.codesTmp = new Uint32Array(n);
    this.prefX = new Float64Array(n + 1);
    this.prefY = new Float64Array(n + 1);
    this.groups = new Int32Array(n);
  }

  private growNodes(min: number): void {
    const cap = Math.max(min, 2 * this.start.length, 256);
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a.subarray(0, this.nodes));
      return b;
    };
    const g64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a.subarray(0, this.nodes));
      return b;
    };
    this.start = g32(this.start);
    this.end = g32(this.end);
    this.firstChild = g32(this.firstChild);
    this.childCount = g32(this.childCount);
    this.level = g32(this.level);
    this.comX = g64(this.comX);
    this.comY = g64(this.comY);
    this.open2 = g64(this.open2);
  }

  private growList(min: number): void {
    this.listCap = Math.max(min, 2 * this.listCap, 1024);
    this.layout(false);
  }

  /** Sorts the points `y = [x0, y0, x1, y1, …]` by Morton code and builds the tree. */
  build(y: Float64Array, n: number, theta: number): void {
    this.ensurePoints(n);
    this.count = n;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const a = y[2 * i]!;
      const b = y[2 * i + 1]!;
      if (a < minX) minX = a;
      if (a > maxX) maxX = a;
      if (b < minY) minY = b;
      if (b > maxY) maxY = b;
    }
    const width = Math.max(maxX - minX, maxY - minY, 1e-12) * (1 + 1e-9);
    this.width = width;
    const scale = (1 << BITS) / width;
    const top = (1 << BITS) - 1;
    const codes = this.codes;
    const perm = this.perm;
    for (let i = 0; i < n; i++) {
      let qx = Math.floor((y[2 * i]! - minX) * scale);
      let qy = Math.floor((y[2 * i + 1]! - minY) * scale);
      qx = qx > top ? top : qx;
      qy = qy > top ? top : qy;
      codes[i] = (spread(qx) | (spread(qy) << 1)) >>> 0;
      perm[i] = i;
    }
    this.radixSort(n);
    const sx = this.sx;
    const sy = this.sy;
    const prefX = this.prefX;
    const prefY = this.prefY;
    for (let t = 0; t < n; t++) {
      const i = perm[t]!;
      sx[t] = y[2 * i]!;
      sy[t] = y[2 * i + 1]!;
      prefX[t + 1] = prefX[t]! + sx[t]!;
      prefY[t + 1] = prefY[t]! + sy[t]!;
    }
    this.buildNodes(n, theta);
    this.builtFrom = y;
    this.attr?.loadY(y);
    // A group's list holds at most one entry per node plus one per point.
    if (this.listCap < this.nodes + n) this.growList(this.nodes + n);
    if (this.kernel) this.syncNodes();
  }

  /** Copies the node arrays after the list into the kernel's memory (growing it if need be). */
  private syncNodes(): void {
    const k = this.kernel!;
    const M = this.nodes + (this.nodes & 1);
    const G = this.groupCount + (this.groupCount & 1);
    const o = this.off;
    o.start = 8 * (5 * this.pointCap + 3 * this.listCap);
    o.end = o.start + 4 * M;
    o.first = o.end + 4 * M;
    o.count = o.first + 4 * M;
    o.comX = o.count + 4 * M;
    o.comY = o.comX + 8 * M;
    o.open2 = o.comY + 8 * M;
    o.groups = o.open2 + 8 * M;
    o.stack = o.groups + 4 * G;
    const bytes = o.stack + 4 * this.stack.length;
    if (k.memory.buffer.byteLength < bytes) {
      k.memory.grow(Math.ceil((bytes - k.memory.buffer.byteLength) / 65536));
      this.layout(false); // views on the grown memory (sx, sy keep their values)
    }
    const buf = k.memory.buffer;
    const m = this.nodes;
    new Int32Array(buf, o.start, m).set(this.start.subarray(0, m));
    new Int32Array(buf, o.end, m).set(this.end.subarray(0, m));
    new Int32Array(buf, o.first, m).set(this.firstChild.subarray(0, m));
    new Int32Array(buf, o.count, m).set(this.childCount.subarray(0, m));
    new Float64Array(buf, o.comX, m).set(this.comX.subarray(0, m));
    new Float64Array(buf, o.comY, m).set(this.comY.subarray(0, m));
    new Float64Array(buf, o.open2, m).set(this.open2.subarray(0, m));
    new Int32Array(buf, o.groups, this.groupCount).set(this.groups.subarray(0, this.groupCount));
  }

  private radixSort(n: number): void {
    const counts = this.counts;
    let src = this.codes;
    let dst = this.codesTmp;
    let psrc = this.perm;
    let pdst = this.permTmp;
    for (let shift = 0; shift < 32; shift += 8) {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[(src[i]! >>> shift) & 255]!++;
      let sum = 0;
      for (let b = 0; b < 256; b++) {
        const c = counts[b]!;
        counts[b] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const c = src[i]!;
        const at = counts[(c >>> shift) & 255]!++;
        dst[at] = c;
        pdst[at] = psrc[i]!;
      }
      [src, dst] = [dst, src];
      [psrc, pdst] = [pdst, psrc];
    }
    // Four passes: the sorted data is back in the original buffers.
    this.codes = src;
    this.codesTmp = dst;
    this.perm = psrc;
    this.permTmp = pdst;
  }

  private buildNodes(n: number, theta: number): void {
    if (this.start.length < 64) this.growNodes(Math.max(256, n));
    const codes = this.codes;
    this.nodes = 1;
    this.setNode(0, 0, n, 0, theta);
    this.groupCount = 0;
    // Breadth-first: children of a node are allocated together, so they are contiguous.
    for (let node = 0; node < this.nodes; node++) {
      const s = this.start[node]!;
      const e = this.end[node]!;
      const lev = this.level[node]!;
      if (e - s <= LEAF_SIZE || lev >= MAX_LEVEL) continue;
      if (this.nodes + 4 > this.start.length) this.growNodes(this.nodes + 4);
      const shift = 2 * (BITS - 1 - lev);
      const first = this.nodes;
      let a = s;
      for (let quad = 0; quad < 4; quad++) {
        // Codes are sorted, so the quadrant digit is non-decreasing within [s, e).
        let lo = a;
        let hi = e;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (((codes[mid]! >>> shift) & 3) <= quad) lo = mid + 1;
          else hi = mid;
        }
        if (lo > a) this.setNode(this.nodes++, a, lo, lev + 1, theta);
        a = lo;
      }
      this.firstChild[node] = first;
      this.childCount[node] = this.nodes - first;
    }
    // Groups: maximal cells with at most GROUP_SIZE points (or unsplittable leaves).
    if (this.stack.length < 4 * (MAX_LEVEL + 2) * 4) this.stack = new Int32Array(4 * (MAX_LEVEL + 2) * 4);
    const stack = this.stack;
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp]!;
      if (this.end[node]! - this.start[node]! <= GROUP_SIZE || this.childCount[node] === 0) {
        this.groups[this.groupCount++] = node;
        continue;
      }
      const f = this.firstChild[node]!;
      for (let c = this.childCount[node]! - 1; c >= 0; c--) stack[sp++] = f + c;
    }
  }

  private setNode(node: number, s: number, e: number, lev: number, theta: number): void {
    this.start[node] = s;
    this.end[node] = e;
    this.level[node] = lev;
    this.firstChild[node] = -1;
    this.childCount[node] = 0;
    const c = e - s;
    this.comX[node] = (this.prefX[e]! - this.prefX[s]!) / c;
    this.comY[node] = (this.prefY[e]! - this.prefY[s]!) / c;
    const w = this.width / (1 << lev);
    this.open2[node] = theta > 0 ? (w * w) / (theta * theta) : Infinity;
  }

  /**
   * The attraction of rows [i0, i1) of `s` (as `attractionRows` without KL, the same bits) through
   * the WebAssembly kernel, when this tree uses it and was last built on `s.embedding`; returns
   * false (nothing done) otherwise. P is copied into the kernel's memory on the first call for it.
   */
  attraction(s: ForceState, i0: number, i1: number): boolean {
    if (!this.kernel || this.builtFrom !== s.embedding) return false;
    if (!this.attr) {
      const k = kernelInstance();
      if (!k) return false;
      this.attr = new WasmAttraction(k);
    }
    if (!this.attr.holds(s.col, s.val)) {
      this.attr.load(s.rowPtr, s.col, s.val, s.n);
      this.attr.loadY(s.embedding);
    }
    this.attr.rows(i0, i1, s.attr);
    return true;
  }

  /** Number of point groups of the latest `build` (units of work for `repulsionGroups`). */
  get groupTotal(): number {
    return this.groupCount;
  }

  /**
   * For every point i: out[2i..2i+1] = Σ_{j≠i} q_ij² (y_i − y_j) with q_ij = 1 / (1 + |y_i − y_j|²).
   * Returns Z = Σ_i Σ_{j≠i} q_ij (summed in point-index order). Call `build` first.
   */
  repulsion(out: Float64Array, sq: Float64Array = new Float64Array(this.count)): number {
    const n = this.count;
    this.repulsionGroups(0, this.groupCount, out, sq);
    let z = 0;
    for (let i = 0; i < n; i++) z += sq[i]!;
    return z;
  }

  /**
   * The repulsion of the points of groups [g0, g1) only: `out[2i..2i+1]` as in `repulsion`, and
   * `sq[i]` = Σ_{j≠i} q_ij for each of those points i. Each point's figures depend only on the
   * tree, not on which groups are computed together, so threads that split the groups between
   * them (each with its own tree built from the same coordinates) get the same numbers bit for bit.
   */
  repulsionGroups(g0: number, g1: number, out: Float64Array, sq: Float64Array): void {
    const { sx, sy, perm, start, end, firstChild, childCount, comX, comY, open2, stack, groups, list, kernel, rx, ry, rs } = this;
    const P = this.pointCap;
    if (kernel) {
      // The lists and their sums in WebAssembly (sx at byte 0, sy 8P, rx 16P, ry 24P, rs 32P,
      // list 40P, nodes after it: see `layout` and `syncNodes`); then the results back in point order.
      const o = this.off;
      kernel.groups(g0, g1, P, 40 * P, o.start, o.end, o.first, o.count, o.comX, o.comY, o.open2, o.groups, o.stack);
      for (let g = g0; g < g1; g++) {
        const grp = groups[g]!;
        for (let t = start[grp]!, e = end[grp]!; t < e; t++) {
          const i = perm[t]!;
          out[2 * i] = rx[t]!;
          out[2 * i + 1] = ry[t]!;
          sq[i] = rs[t]!;
        }
      }
      return;
    }
    for (let g = g0; g < g1; g++) {
      const grp = groups[g]!;
      const gs = start[grp]!;
      const ge = end[grp]!;
      let bx0 = Infinity;
      let bx1 = -Infinity;
      let by0 = Infinity;
      let by1 = -Infinity;
      for (let t = gs; t < ge; t++) {
        const a = sx[t]!;
        const b = sy[t]!;
        if (a < bx0) bx0 = a;
        if (a > bx1) bx1 = a;
        if (b < by0) by0 = b;
        if (b > by1) by1 = b;
      }
      // Interaction list for the group (sized in `build` for the worst case: no bound checks).
      let len = 0;
      let sp = 0;
      stack[sp++] = 0;
      while (sp > 0) {
        const node = stack[--sp]!;
        const ns = start[node]!;
        const ne = end[node]!;
        const cx = comX[node]!;
        const cy = comY[node]!;
        const ddx = cx < bx0 ? bx0 - cx : cx > bx1 ? cx - bx1 : 0;
        const ddy = cy < by0 ? by0 - cy : cy > by1 ? cy - by1 : 0;
        const d2 = ddx * ddx + ddy * ddy;
        if ((ne <= gs || ns >= ge) && d2 > open2[node]!) {
          list[len] = cx;
          list[len + 1] = cy;
          list[len + 2] = ne - ns;
          len += 3;
        } else if (childCount[node] === 0) {
          for (let t = ns; t < ne; t++) {
            list[len] = sx[t]!;
            list[len + 1] = sy[t]!;
            list[len + 2] = 1;
            len += 3;
          }
        } else {
          const f = firstChild[node]!;
          for (let c = childCount[node]! - 1; c >= 0; c--) stack[sp++] = f + c;
        }
      }
      for (let t = gs; t < ge; t++) {
        const xi = sx[t]!;
        const yi = sy[t]!;
        let fx = 0;
        let fy = 0;
        // The list holds the point itself (distance 0, q = 1, no force): remove its q.
        let s = -1;
        for (let l = 0; l < len; l += 3) {
          const dx = xi - list[l]!;
          const dy = yi - list[l + 1]!;
          const q = 1 / (1 + dx * dx + dy * dy);
          const m = list[l + 2]! * q;
          s += m;
          const mq = m * q;
          fx += mq * dx;
          fy += mq * dy;
        }
        const i = perm[t]!;
        out[2 * i] = fx;
        out[2 * i + 1] = fy;
        sq[i] = s;
      }
    }
  }
}

/** Spreads the low 16 bits of v to the even bit positions. */
function spread(v: number): number {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}
