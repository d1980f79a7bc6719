/** DOM-free descriptions of the TF.js backend in use, for the reader and for tests. */

/** The backends the runtime can use, in order of preference. */
export type BackendName = 'wasm' | 'webgl' | 'cpu';

/** What the runtime chose, and why it fell back if it did. */
export interface BackendInfo {
  name: BackendName;
  /** WebAssembly SIMD in use (wasm only). */
  simd: boolean;
  /** Worker threads used by the wasm backend (1 unless the page is cross-origin isolated). */
  threads: number;
  crossOriginIsolated: boolean;
  /** Why the preferred backend (WebAssembly) is not the one running; absent when it is. */
  fallbackReason?: string;
  /** A short human-readable summary, e.g. "WebAssembly (SIMD, 1 thread)". */
  label: string;
}

/** The reader-facing name of a backend. */
export function backendTitle(name: BackendName): string {
  return name === 'wasm' ? 'WebAssembly' : name === 'webgl' ? 'WebGL' : 'the CPU backend';
}

/** A one-line summary such as "WebAssembly (SIMD, 1 thread)" or "WebGL". */
export function backendLabel(info: Pick<BackendInfo, 'name' | 'simd' | 'threads'>): string {
  if (info.name === 'wasm') {
    const parts = [info.simd ? 'SIMD' : 'no SIMD', `${info.threads} thread${info.threads === 1 ? '' : 's'}`];
    return `WebAssembly (${parts.join(', ')})`;
  }
  return info.name === 'webgl' ? 'WebGL' : 'CPU (plain JavaScript)';
}

/** The sentence widgets show: the backend and, if any, the reason for a fallback. */
export function backendSentence(info: BackendInfo): string {
  const base = `Running on ${info.label}.`;
  return info.fallbackReason ? `${base} Fallback because ${info.fallbackReason}.` : base;
}

/** Reads a `?backend=wasm|webgl|cpu` request from a query string (a debugging and test hook). */
export function parseBackendRequest(search: string): BackendName | undefined {
  const value = new URLSearchParams(search).get('backend');
  return value === 'wasm' || value === 'webgl' || value === 'cpu' ? value : undefined;
}
