/**
 * The hot loops of t-SNE as WebAssembly with 128-bit SIMD: the Barnes–Hut repulsion of
 * `bhtree.ts` (each group's interaction list built by the same traversal, then summed four points
 * of the group per pass, two per f64x2 vector),
 * the attraction of `forces.ts` (two rows' sums in flight, (dx, dy) as one f64x2, no bounds
 * checks) and the dense distance kernel of the exact kNN (`knn.ts`: four query rows against two
 * vectors of two points, over the data transposed). Each lane does the JavaScript loops' operations in the same order (IEEE double add,
 * sub, mul, div; no fused multiply-add), so the forces are the same bit for bit with or without
 * it (tested). Source: `bh-kernel.wat`;
 * regenerate the bytes below with `wat2wasm src/embed/bh-kernel.wat -o - | base64 -w0` (Debian
 * package wabt; not needed to build or run). Browser-safe; where WebAssembly or its SIMD is
 * missing, `bhtree.ts` runs the JavaScript loop instead (`new BarnesHutTree({ wasm: false })`,
 * `wideKnn(…, false)` force it). Building the interaction lists in WebAssembly too took ~5 % more
 * off. Checked: the committed `ae` and `vae-20` t-SNE maps recomputed with the kernels on two
 * threads, 0 of 20,000 coordinates differ each.
 *
 * Each thread has its own instances: the tree's memory holds the sorted points, the interaction
 * list and the kernel's results (scattered back through `perm`); the attraction's holds a copy of
 * P (made on first use, ~15 MB at 10,000 points) and the coordinates (copied at each `build`, so
 * `tree.attraction(s, …)` declines unless the tree was last built on `s.embedding`); the kNN's
 * holds the latest dense data set transposed. Browsers compile the module synchronously (it is
 * ~2 KB; the CSP allows `'wasm-unsafe-eval'`).
 */
import { compileBase64 } from './wasm-module.ts';

const BYTES = 'AGFzbQEAAAABJwNgCX9/f39/f39/fwBgB39/f39/f38AYA1/f39/f39/f39/f39/AAMFBAABAAIFAwEAAQcoBQZtZW1vcnkCAANyZXAAAARhdHRyAAEFZGlzdDQAAgZncm91cHMAAwq7FgSlBAIEfxZ7RAAAAAAAAPA//RQhGiACIANBGGxqIQwgACEJAkADQCAJIAFODQEgCUEDdCEKIAQgCmr9AAQAIQ0gBCAKav0ABBAhDiAFIApq/QAEACEPIAUgCmr9AAQQIRD9DAAAAAAAAAAAAAAAAAAAAAAhEf0MAAAAAAAAAAAAAAAAAAAAACES/QwAAAAAAAAAAAAAAAAAAAAAIRP9DAAAAAAAAAAAAAAAAAAAAAAhFP0MAAAAAAAA8L8AAAAAAADwvyEV/QwAAAAAAADwvwAAAAAAAPC/IRYgAiELAkADQCALIAxPDQEgCysDAP0UIRcgCysDCP0UIRggCysDEP0UIRkgDSAX/fEBIRsgDyAY/fEBIRwgDiAX/fEBIR0gECAY/fEBIR4gGiAaIBsgG/3yAf3wASAcIBz98gH98AH98wEhHyAaIBogHSAd/fIB/fABIB4gHv3yAf3wAf3zASEgIBkgH/3yASEhIBkgIP3yASEiIBUgIf3wASEVIBYgIv3wASEWICEgH/3yASEfICIgIP3yASEgIBEgHyAb/fIB/fABIREgEyAfIBz98gH98AEhEyASICAgHf3yAf3wASESIBQgICAe/fIB/fABIRQgC0EYaiELDAALCyAGIApqIBH9CwQAIAYgCmogEv0LBBAgByAKaiAT/QsEACAHIApqIBT9CwQQIAggCmogFf0LBAAgCCAKaiAW/QsEECAJQQRqIQkMAAsLC/8GAwZ/BnsBfCAAIQcCQANAIAdBAWogAU4NASAFIAdBBHRq/QAEACEN/QwAAAAAAAAAAAAAAAAAAAAAIQ4gAiAHQQJ0aigCACEIIAIgB0ECdGooAgQhCSAFIAdBAWpBBHRq/QAEACEP/QwAAAAAAAAAAAAAAAAAAAAAIRAgAiAHQQFqQQJ0aigCACEKIAIgB0EBakECdGooAgQhCyAJIAhrIAsgCmsgCSAIayALIAprSBshDAJAA0AgDEEATA0BIA0gBSADIAhBAnRqKAIAQQR0av0ABAD98QEhESARIBH98gEhEiAEIAhBA3RqKwMARAAAAAAAAPA/RAAAAAAAAPA/IBL9IQCgIBL9IQGgo6IhEyAOIBP9FCAR/fIB/fABIQ4gCEEBaiEIIA8gBSADIApBAnRqKAIAQQR0av0ABAD98QEhESARIBH98gEhEiAEIApBA3RqKwMARAAAAAAAAPA/RAAAAAAAAPA/IBL9IQCgIBL9IQGgo6IhEyAQIBP9FCAR/fIB/fABIRAgCkEBaiEKIAxBAWshDAwACwsCQANAIAggCU4NASANIAUgAyAIQQJ0aigCAEEEdGr9AAQA/fEBIREgESAR/fIBIRIgBCAIQQN0aisDAEQAAAAAAADwP0QAAAAAAADwPyAS/SEAoCAS/SEBoKOiIRMgDiAT/RQgEf3yAf3wASEOIAhBAWohCAwACwsCQANAIAogC04NASAPIAUgAyAKQQJ0aigCAEEEdGr9AAQA/fEBIREgESAR/fIBIRIgBCAKQQN0aisDAEQAAAAAAADwP0QAAAAAAADwPyAS/SEAoCAS/SEBoKOiIRMgECAT/RQgEf3yAf3wASEQIApBAWohCgwACwsgBiAHQQR0aiAO/QsEACAGIAdBAWpBBHRqIBD9CwQAIAdBAmohBwwACwsgByABSARAIAUgB0EEdGr9AAQAIQ39DAAAAAAAAAAAAAAAAAAAAAAhDiACIAdBAnRqKAIAIQggAiAHQQJ0aigCBCEJAkADQCAIIAlODQEgDSAFIAMgCEECdGooAgBBBHRq/QAEAP3xASERIBEgEf3yASESIAQgCEEDdGorAwBEAAAAAAAA8D9EAAAAAAAA8D8gEv0hAKAgEv0hAaCjoiETIA4gE/0UIBH98gH98AEhDiAIQQFqIQgMAAsLIAYgB0EEdGogDv0LBAALC/cFAgR/E3sgBEEDdCEMRAAAAAAAAABA/RQhEv0MAAAAAAAAAAAAAAAAAAAAACETIAcgAEEDdGr9CgMAIRYgByABQQN0av0KAwAhGSAHIAJBA3Rq/QoDACEcIAcgA0EDdGr9CgMAIR9BACEJAkADQCAJIARPDQEgEyEUIBMhFSATIRcgEyEYIBMhGiATIRsgEyEdIBMhHiAGIAlBA3RqIQtBACEKAkADQCAKIAVPDQEgC/0ABAAhDSAL/QAEECEOIAsgCUEDdGsgAEEDdGr9CgMAIQ8gFCAPIA398gH98AEhFCAVIA8gDv3yAf3wASEVIAsgCUEDdGsgAUEDdGr9CgMAIQ8gFyAPIA398gH98AEhFyAYIA8gDv3yAf3wASEYIAsgCUEDdGsgAkEDdGr9CgMAIQ8gGiAPIA398gH98AEhGiAbIA8gDv3yAf3wASEbIAsgCUEDdGsgA0EDdGr9CgMAIQ8gHSAPIA398gH98AEhHSAeIA8gDv3yAf3wASEeIAsgDGohCyAKQQFqIQoMAAsLIAcgCUEDdGr9AAQAIRAgByAJQQN0av0ABBAhESAIQQAgDGxqIAlBA3RqIBYgEP3wASASIBT98gH98QEgE/31Af0LBAAgCEEAIAxsaiAJQQN0aiAWIBH98AEgEiAV/fIB/fEBIBP99QH9CwQQIAhBASAMbGogCUEDdGogGSAQ/fABIBIgF/3yAf3xASAT/fUB/QsEACAIQQEgDGxqIAlBA3RqIBkgEf3wASASIBj98gH98QEgE/31Af0LBBAgCEECIAxsaiAJQQN0aiAcIBD98AEgEiAa/fIB/fEBIBP99QH9CwQAIAhBAiAMbGogCUEDdGogHCAR/fABIBIgG/3yAf3xASAT/fUB/QsEECAIQQMgDGxqIAlBA3RqIB8gEP3wASASIB398gH98QEgE/31Af0LBAAgCEEDIAxsaiAJQQN0aiAfIBH98AEgEiAe/fIB/fEBIBP99QH9CwQQIAlBBGohCQwACwsLlwUFBX8GfAV/BHwEfyACQQN0ISQgACENAkADQCANIAFODQEgCyANQQJ0aigCACEOIAQgDkECdGooAgAhDyAFIA5BAnRqKAIAIRBEAAAAAAAA8H8hFEQAAAAAAADw/yEVRAAAAAAAAPB/IRZEAAAAAAAA8P8hFyAPIRECQANAIBEgEE4NASARQQN0KwMAIRIgJCARQQN0aisDACETIBIgFGMEQCASIRQLIBIgFWQEQCASIRULIBMgFmMEQCATIRYLIBMgF2QEQCATIRcLIBFBAWohEQwACwsgAyEhIAxBADYCAEEBIRkCQANAIBlFDQEgGUEBayEZIAwgGUECdGooAgAhGiAEIBpBAnRqKAIAIRsgBSAaQQJ0aigCACEcIAggGkEDdGorAwAhHSAJIBpBA3RqKwMAIR4gHSAUYwR8IBQgHaEFIB0gFWQEfCAdIBWhBUQAAAAAAAAAAAsLIR8gHiAWYwR8IBYgHqEFIB4gF2QEfCAeIBehBUQAAAAAAAAAAAsLISAgHCAPTCAbIBBOciAfIB+iICAgIKKgIAogGkEDdGorAwBkcQRAICEgHTkDACAhIB45AwggISAcIBtrtzkDECAhQRhqISEFIAcgGkECdGooAgAhIiAiRQRAIBshEQJAA0AgESAcTg0BICEgEUEDdCsDADkDACAhICQgEUEDdGorAwA5AwggIUQAAAAAAADwPzkDECAhQRhqISEgEUEBaiERDAALCwUgBiAaQQJ0aigCACEjAkADQCAiQQFrISIgIkEASA0BIAwgGUECdGogIyAiajYCACAZQQFqIRkMAAsLCwsMAAsLIA8gECADICEgA2tBGG5BACAkIAJBBHQgAkEYbCACQQV0EAAgDUEBaiENDAALCws=';

/** What the module exports; pointers are byte offsets of f64 arrays in `memory`. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  /** See `bh-kernel.wat`. */
  rep(ps: number, pe: number, list: number, len: number, sx: number, sy: number, rx: number, ry: number, rs: number): void;
  /** See `bh-kernel.wat`. */
  attr(i0: number, i1: number, rowPtr: number, col: number, val: number, y: number, out: number): void;
  /** See `bh-kernel.wat`. */
  groups(g0: number, g1: number, P: number, list: number, start: number, end: number, first: number, count: number, comX: number, comY: number, open2: number, groups: number, stack: number): void;
  /** See `bh-kernel.wat`. */
  dist4(i0: number, i1: number, i2: number, i3: number, N: number, dim: number, T: number, norms: number, out: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel (once per thread), or null where this runtime cannot run it. */
export function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = compileBase64(BYTES);
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
