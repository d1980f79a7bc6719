/**
 * The hot loops of t-SNE as WebAssembly with 128-bit SIMD: the Barnes–Hut repulsion kernel of
 * `bhtree.ts` (four points of a group per pass over its interaction list, two per f64x2 vector),
 * the attraction of `forces.ts` (two rows' sums in flight, (dx, dy) as one f64x2, no bounds
 * checks) and the dense distance kernel of the exact kNN (`knn.ts`: four query rows against two
 * vectors of two points, over the data transposed). Each lane does the JavaScript loops' operations in the same order (IEEE double add,
 * sub, mul, div; no fused multiply-add), so the forces are the same bit for bit with or without
 * it (tested). Source: `bh-kernel.wat`;
 * regenerate the bytes below with `wat2wasm src/embed/bh-kernel.wat -o - | base64 -w0` (Debian
 * package wabt; not needed to build or run). Browser-safe; where WebAssembly or its SIMD is
 * missing, `bhtree.ts` runs the JavaScript loop instead.
 */
const BYTES = 'AGFzbQEAAAABFwJgCX9/f39/f39/fwBgB39/f39/f38AAwQDAAEABQMBAAEHHwQGbWVtb3J5AgADcmVwAAAEYXR0cgABBWRpc3Q0AAIKohEDpQQCBH8We0QAAAAAAADwP/0UIRogAiADQRhsaiEMIAAhCQJAA0AgCSABTg0BIAlBA3QhCiAEIApq/QAEACENIAQgCmr9AAQQIQ4gBSAKav0ABAAhDyAFIApq/QAEECEQ/QwAAAAAAAAAAAAAAAAAAAAAIRH9DAAAAAAAAAAAAAAAAAAAAAAhEv0MAAAAAAAAAAAAAAAAAAAAACET/QwAAAAAAAAAAAAAAAAAAAAAIRT9DAAAAAAAAPC/AAAAAAAA8L8hFf0MAAAAAAAA8L8AAAAAAADwvyEWIAIhCwJAA0AgCyAMTw0BIAsrAwD9FCEXIAsrAwj9FCEYIAsrAxD9FCEZIA0gF/3xASEbIA8gGP3xASEcIA4gF/3xASEdIBAgGP3xASEeIBogGiAbIBv98gH98AEgHCAc/fIB/fAB/fMBIR8gGiAaIB0gHf3yAf3wASAeIB798gH98AH98wEhICAZIB/98gEhISAZICD98gEhIiAVICH98AEhFSAWICL98AEhFiAhIB/98gEhHyAiICD98gEhICARIB8gG/3yAf3wASERIBMgHyAc/fIB/fABIRMgEiAgIB398gH98AEhEiAUICAgHv3yAf3wASEUIAtBGGohCwwACwsgBiAKaiAR/QsEACAGIApqIBL9CwQQIAcgCmogE/0LBAAgByAKaiAU/QsEECAIIApqIBX9CwQAIAggCmogFv0LBBAgCUEEaiEJDAALCwv/BgMGfwZ7AXwgACEHAkADQCAHQQFqIAFODQEgBSAHQQR0av0ABAAhDf0MAAAAAAAAAAAAAAAAAAAAACEOIAIgB0ECdGooAgAhCCACIAdBAnRqKAIEIQkgBSAHQQFqQQR0av0ABAAhD/0MAAAAAAAAAAAAAAAAAAAAACEQIAIgB0EBakECdGooAgAhCiACIAdBAWpBAnRqKAIEIQsgCSAIayALIAprIAkgCGsgCyAKa0gbIQwCQANAIAxBAEwNASANIAUgAyAIQQJ0aigCAEEEdGr9AAQA/fEBIREgESAR/fIBIRIgBCAIQQN0aisDAEQAAAAAAADwP0QAAAAAAADwPyAS/SEAoCAS/SEBoKOiIRMgDiAT/RQgEf3yAf3wASEOIAhBAWohCCAPIAUgAyAKQQJ0aigCAEEEdGr9AAQA/fEBIREgESAR/fIBIRIgBCAKQQN0aisDAEQAAAAAAADwP0QAAAAAAADwPyAS/SEAoCAS/SEBoKOiIRMgECAT/RQgEf3yAf3wASEQIApBAWohCiAMQQFrIQwMAAsLAkADQCAIIAlODQEgDSAFIAMgCEECdGooAgBBBHRq/QAEAP3xASERIBEgEf3yASESIAQgCEEDdGorAwBEAAAAAAAA8D9EAAAAAAAA8D8gEv0hAKAgEv0hAaCjoiETIA4gE/0UIBH98gH98AEhDiAIQQFqIQgMAAsLAkADQCAKIAtODQEgDyAFIAMgCkECdGooAgBBBHRq/QAEAP3xASERIBEgEf3yASESIAQgCkEDdGorAwBEAAAAAAAA8D9EAAAAAAAA8D8gEv0hAKAgEv0hAaCjoiETIBAgE/0UIBH98gH98AEhECAKQQFqIQoMAAsLIAYgB0EEdGogDv0LBAAgBiAHQQFqQQR0aiAQ/QsEACAHQQJqIQcMAAsLIAcgAUgEQCAFIAdBBHRq/QAEACEN/QwAAAAAAAAAAAAAAAAAAAAAIQ4gAiAHQQJ0aigCACEIIAIgB0ECdGooAgQhCQJAA0AgCCAJTg0BIA0gBSADIAhBAnRqKAIAQQR0av0ABAD98QEhESARIBH98gEhEiAEIAhBA3RqKwMARAAAAAAAAPA/RAAAAAAAAPA/IBL9IQCgIBL9IQGgo6IhEyAOIBP9FCAR/fIB/fABIQ4gCEEBaiEIDAALCyAGIAdBBHRqIA79CwQACwv3BQIEfxN7IARBA3QhDEQAAAAAAAAAQP0UIRL9DAAAAAAAAAAAAAAAAAAAAAAhEyAHIABBA3Rq/QoDACEWIAcgAUEDdGr9CgMAIRkgByACQQN0av0KAwAhHCAHIANBA3Rq/QoDACEfQQAhCQJAA0AgCSAETw0BIBMhFCATIRUgEyEXIBMhGCATIRogEyEbIBMhHSATIR4gBiAJQQN0aiELQQAhCgJAA0AgCiAFTw0BIAv9AAQAIQ0gC/0ABBAhDiALIAlBA3RrIABBA3Rq/QoDACEPIBQgDyAN/fIB/fABIRQgFSAPIA798gH98AEhFSALIAlBA3RrIAFBA3Rq/QoDACEPIBcgDyAN/fIB/fABIRcgGCAPIA798gH98AEhGCALIAlBA3RrIAJBA3Rq/QoDACEPIBogDyAN/fIB/fABIRogGyAPIA798gH98AEhGyALIAlBA3RrIANBA3Rq/QoDACEPIB0gDyAN/fIB/fABIR0gHiAPIA798gH98AEhHiALIAxqIQsgCkEBaiEKDAALCyAHIAlBA3Rq/QAEACEQIAcgCUEDdGr9AAQQIREgCEEAIAxsaiAJQQN0aiAWIBD98AEgEiAU/fIB/fEBIBP99QH9CwQAIAhBACAMbGogCUEDdGogFiAR/fABIBIgFf3yAf3xASAT/fUB/QsEECAIQQEgDGxqIAlBA3RqIBkgEP3wASASIBf98gH98QEgE/31Af0LBAAgCEEBIAxsaiAJQQN0aiAZIBH98AEgEiAY/fIB/fEBIBP99QH9CwQQIAhBAiAMbGogCUEDdGogHCAQ/fABIBIgGv3yAf3xASAT/fUB/QsEACAIQQIgDGxqIAlBA3RqIBwgEf3wASASIBv98gH98QEgE/31Af0LBBAgCEEDIAxsaiAJQQN0aiAfIBD98AEgEiAd/fIB/fEBIBP99QH9CwQAIAhBAyAMbGogCUEDdGogHyAR/fABIBIgHv3yAf3xASAT/fUB/QsEECAJQQRqIQkMAAsLCw==';

/** What the module exports; pointers are byte offsets of f64 arrays in `memory`. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  /** See `bh-kernel.wat`. */
  rep(ps: number, pe: number, list: number, len: number, sx: number, sy: number, rx: number, ry: number, rs: number): void;
  /** See `bh-kernel.wat`. */
  attr(i0: number, i1: number, rowPtr: number, col: number, val: number, y: number, out: number): void;
  /** See `bh-kernel.wat`. */
  dist4(i0: number, i1: number, i2: number, i3: number, N: number, dim: number, T: number, norms: number, out: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel (once per thread), or null where this runtime cannot run it. */
export function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    if (typeof WebAssembly === 'object' && typeof atob === 'function') {
      const bytes = Uint8Array.from(atob(BYTES), (c) => c.charCodeAt(0));
      if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
    }
  } catch {
    compiled = null;
  }
  return compiled;
}

/** A fresh instance (own memory) of the kernel, or null where it cannot run. */
export function kernelInstance(): KernelExports | null {
  const m = kernelModule();
  if (!m) return null;
  try {
    return new WebAssembly.Instance(m, {}).exports as unknown as KernelExports;
  } catch {
    return null;
  }
}

/**
 * The attraction of `forces.ts` (`attractionRows` without KL) on a kernel instance of its own:
 * the sparse P is copied into its memory once per P, the coordinates once per evaluation
 * (`loadY`), and each call's rows are copied out.
 */
export class WasmAttraction {
  readonly #k: KernelExports;
  #col: Int32Array | null = null;
  #val: Float64Array | null = null;
  #n = 0;
  #offCol = 0;
  #offVal = 0;
  #offY = 0;
  #offOut = 0;
  #y = new Float64Array(0);
  #out = new Float64Array(0);

  constructor(k: KernelExports) {
    this.#k = k;
  }

  /** Whether P is already in memory. */
  holds(col: Int32Array, val: Float64Array): boolean {
    return this.#col === col && this.#val === val;
  }

  /** Copies P (compressed rows over n points) into the kernel's memory. */
  load(rowPtr: Int32Array, col: Int32Array, val: Float64Array, n: number): void {
    const nnz = rowPtr[n]!;
    const align = (b: number) => Math.ceil(b / 16) * 16;
    this.#offCol = align(4 * (n + 1));
    this.#offVal = align(this.#offCol + 4 * nnz);
    this.#offY = align(this.#offVal + 8 * nnz);
    this.#offOut = align(this.#offY + 16 * n);
    const bytes = this.#offOut + 16 * n;
    const mem = this.#k.memory;
    if (mem.buffer.byteLength < bytes) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
    const buf = mem.buffer;
    new Int32Array(buf, 0, n + 1).set(rowPtr.subarray(0, n + 1));
    new Int32Array(buf, this.#offCol, nnz).set(col.subarray(0, nnz));
    new Float64Array(buf, this.#offVal, nnz).set(val.subarray(0, nnz));
    this.#y = new Float64Array(buf, this.#offY, 2 * n);
    this.#out = new Float64Array(buf, this.#offOut, 2 * n);
    this.#col = col;
    this.#val = val;
    this.#n = n;
  }

  /** Copies the current coordinates (n × 2) in. */
  loadY(y: Float64Array): void {
    this.#y.set(y.subarray(0, 2 * this.#n));
  }

  /** attr[2i], attr[2i + 1] for rows [i0, i1). */
  rows(i0: number, i1: number, attr: Float64Array): void {
    this.#k.attr(i0, i1, 0, this.#offCol, this.#offVal, this.#offY, this.#offOut);
    attr.set(this.#out.subarray(2 * i0, 2 * i1), 2 * i0);
  }
}
