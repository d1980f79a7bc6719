import { describe, expect, it } from 'vitest';
import { backendLabel, backendSentence, parseBackendRequest } from './backend-info.ts';

describe('backend descriptions', () => {
  it('labels wasm with SIMD and threads', () => {
    expect(backendLabel({ name: 'wasm', simd: true, threads: 1 })).toBe('WebAssembly (SIMD, 1 thread)');
    expect(backendLabel({ name: 'wasm', simd: false, threads: 4 })).toBe('WebAssembly (no SIMD, 4 threads)');
    expect(backendLabel({ name: 'webgl', simd: false, threads: 1 })).toBe('WebGL');
    expect(backendLabel({ name: 'cpu', simd: false, threads: 1 })).toBe('CPU (plain JavaScript)');
  });
  it('says why a fallback happened', () => {
    const s = backendSentence({ name: 'cpu', simd: false, threads: 1, crossOriginIsolated: false, label: 'CPU (plain JavaScript)', fallbackReason: 'WebAssembly is not available' });
    expect(s).toBe('Running on CPU (plain JavaScript). Fallback because WebAssembly is not available.');
    expect(backendSentence({ name: 'wasm', simd: true, threads: 1, crossOriginIsolated: false, label: 'X' })).toBe('Running on X.');
  });
  it('parses only known ?backend= values', () => {
    expect(parseBackendRequest('?backend=cpu')).toBe('cpu');
    expect(parseBackendRequest('?x=1&backend=webgl')).toBe('webgl');
    expect(parseBackendRequest('?backend=cuda')).toBeUndefined();
    expect(parseBackendRequest('')).toBeUndefined();
  });
});
