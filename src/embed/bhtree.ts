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
 *    Then each point of the group sums over the list in a tight loop.
 */

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
  private lx = new Float64Array(0);
  private ly = new Float64Array(0);
  private lc = new Float64Array(0);
  private readonly counts = new Int32Array(256);
  /** Points in the latest `build`. */
  count = 0;

  private ensurePoints(n: number): void {
    if (this.perm.length >= n) return;
    this.perm = new Int32Array(n);
    this.permTmp = new Int32Array(n);
    this.sx = new Float64Array(n);
    this.sy = new Float64Array(n);
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
    const cap = Math.max(min, 2 * this.lx.length, 1024);
    const g = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.lx = g(this.lx);
    this.ly = g(this.ly);
    this.lc = g(this.lc);
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
    // A group's list holds at most one entry per node plus one per point.
    if (this.lx.length < this.nodes + n) this.growList(this.nodes + n);
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
    const { sx, sy, perm, start, end, firstChild, childCount, comX, comY, open2, stack, groups, lx, ly, lc } = this;
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
          lx[len] = cx;
          ly[len] = cy;
          lc[len] = ne - ns;
          len++;
        } else if (childCount[node] === 0) {
          for (let t = ns; t < ne; t++) {
            lx[len] = sx[t]!;
            ly[len] = sy[t]!;
            lc[len] = 1;
            len++;
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
        for (let l = 0; l < len; l++) {
          const dx = xi - lx[l]!;
          const dy = yi - ly[l]!;
          const q = 1 / (1 + dx * dx + dy * dy);
          const m = lc[l]! * q;
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
