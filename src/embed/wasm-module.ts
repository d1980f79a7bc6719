/**
 * Compiling the project's hand-written WebAssembly kernels (`src/embed/bh-kernel.ts`,
 * `src/lib/dense-kernel.ts`), whose bytes are kept as base64 in their modules: null where this
 * runtime has no WebAssembly or cannot validate the bytes (no SIMD), so callers fall back to
 * JavaScript. Small modules (a few kB) compile synchronously even on a browser's main thread.
 */
export function compileBase64(base64: string): WebAssembly.Module | null {
  try {
    if (typeof WebAssembly !== 'object' || typeof atob !== 'function') return null;
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    return null;
  }
}
