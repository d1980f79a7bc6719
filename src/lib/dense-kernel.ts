/**
 * The Dense layer of `dense.ts` as WebAssembly with 128-bit SIMD (source: `dense-kernel.wat`):
 * `y = x · kernel + bias`, then ReLU or the sigmoid on request, over f32 arrays in the instance's
 * memory: the non-zero inputs gathered first, four kernel rows per pass, four outputs per vector.
 * Each output is summed in the JavaScript loop's order but in single precision (JavaScript sums in
 * double and rounds once), and the sigmoid's exp is Cephes' single-precision `expf` (~1 ulp), so
 * the two agree to float rounding (tested). Regenerate the bytes below with
 * `wat2wasm src/lib/dense-kernel.wat -o - | base64 -w0` (Debian package wabt; not needed to build
 * or run). Browser-safe; where WebAssembly or its SIMD is missing, `DenseStack` runs the
 * JavaScript loop instead.
 */
import { compileBase64 } from '../embed/wasm-module.ts';

const BYTES = 'AGFzbQEAAAABEgJgCX9/f39/f39/fwBgAn9/AAMDAgABBQMBAAEHHQMGbWVtb3J5AgAGYWZmaW5lAAAHc2lnbW9pZAABCtoIAvkEBgJ/AX0EfwR7BH8BeyAFQQJ0IQwgDCEOQQAhDQJAA0AgDSAOTw0BIAQgDWogAyANav0ABAD9CwQAIA1BEGohDQwACwtBACEJQQAhCgJAA0AgCSABTw0BIAAgCUECdGoqAgAhCyALQwAAAABcBEAgByAKQQJ0aiALOAIAIAggCkECdGogAiAJIAxsajYCACAKQQFqIQoLIAlBAWohCQwACwtBACEPAkADQCAPQQRqIApKDQEgByAPQQJ0aioCAP0TIRAgByAPQQJ0aioCBP0TIREgByAPQQJ0aioCCP0TIRIgByAPQQJ0aioCDP0TIRMgCCAPQQJ0aigCACEUIAggD0ECdGooAgQhFSAIIA9BAnRqKAIIIRYgCCAPQQJ0aigCDCEXQQAhDQJAA0AgDSAOTw0BIAQgDWr9AAQAIRggGCAQIBQgDWr9AAQA/eYB/eQBIRggGCARIBUgDWr9AAQA/eYB/eQBIRggGCASIBYgDWr9AAQA/eYB/eQBIRggGCATIBcgDWr9AAQA/eYB/eQBIRggBCANaiAY/QsEACANQRBqIQ0MAAsLIA9BBGohDwwACwsCQANAIA8gCk4NASAHIA9BAnRqKgIA/RMhECAIIA9BAnRqKAIAIRRBACENAkADQCANIA5PDQEgBCANaiAEIA1q/QAEACAQIBQgDWr9AAQA/eYB/eQB/QsEACANQRBqIQ0MAAsLIA9BAWohDwwACwsgBkECRgRAIAQgDhABCyAGQQFGBEBBACENAkADQCANIA5PDQEgBCANaiAEIA1q/QAEAP0MAAAAAAAAAAAAAAAAAAAAAP3pAf0LBAAgDUEQaiENDAALCwsL3AMCAX8EewJAA0AgAiABTw0BIAAgAmr9AAQA/eEBIQMgA/0MmpmuwpqZrsKama7Cmpmuwv3pAf0MmpmuQpqZrkKama5CmpmuQv3oASEDIAP9DDuquD87qrg/O6q4PzuquD/95gH9aiEEIAMgBP0MAIAxPwCAMT8AgDE/AIAxP/3mAf3lASEFIAUgBP0Mg4BeuYOAXrmDgF65g4Beuf3mAf3lASEF/QxnaVA5Z2lQOWdpUDlnaVA5IQYgBiAF/eYB/QzOQ7c6zkO3Os5DtzrOQ7c6/eQBIQYgBiAF/eYB/QwIiQg8CIkIPAiJCDwIiQg8/eQBIQYgBiAF/eYB/QzBqSo9wakqPcGpKj3BqSo9/eQBIQYgBiAF/eYB/Qyqqio+qqoqPqqqKj6qqio+/eQBIQYgBiAF/eYB/QwAAAA/AAAAPwAAAD8AAAA//eQBIQYgBiAF/eYBIAX95gEgBf3kAf0MAACAPwAAgD8AAIA/AACAP/3kASEGIAYgBP34Af0MfwAAAH8AAAB/AAAAfwAAAP2uAUEX/asB/eYBIQYgACACav0MAACAPwAAgD8AAIA/AACAP/0MAACAPwAAgD8AAIA/AACAPyAG/eQB/ecB/QsEACACQRBqIQIMAAsLCw==';

/** What the module exports; pointers are byte offsets in `memory`. */
export interface DenseKernel {
  memory: WebAssembly.Memory;
  /** See `dense-kernel.wat`; `outDim` must be a multiple of 4; `act`: 0 none, 1 ReLU, 2 sigmoid. */
  affine(x: number, inDim: number, kernel: number, bias: number, y: number, outDim: number, act: number, vals: number, offs: number): void;
  /** The sigmoid in place over `bytes` (a multiple of 16) from `y`. */
  sigmoid(y: number, bytes: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel (once per page or thread), or null where this runtime cannot run it. */
export function denseKernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = compileBase64(BYTES);
  return compiled;
}

/** A fresh instance (its own memory, grown to at least `bytes`), or null where it cannot run. */
export function denseKernel(bytes: number): DenseKernel | null {
  const m = denseKernelModule();
  if (!m) return null;
  try {
    const k = new WebAssembly.Instance(m, {}).exports as unknown as DenseKernel;
    const have = k.memory.buffer.byteLength;
    if (bytes > have) k.memory.grow(Math.ceil((bytes - have) / 65536));
    return k;
  } catch {
    return null;
  }
}
