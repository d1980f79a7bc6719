/**
 * Chooses and initialises the TF.js backend for the page, once.
 *
 * Preference: WebAssembly (SIMD when the browser has it; threads only when the page is
 * cross-origin isolated, since they need SharedArrayBuffer), then WebGL, then plain JavaScript
 * (CPU). The wasm binaries are bundled by Vite and served by the site itself — never a CDN.
 * The result says which backend runs and, when it is not the first choice, why.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { backendLabel, backendTitle, parseBackendRequest, type BackendInfo, type BackendName } from './backend-info.ts';

export type { BackendInfo, BackendName } from './backend-info.ts';

/** How long one backend may take to initialise before the next one is tried. */
const INIT_TIMEOUT_MS = 15_000;

let pending: Promise<BackendInfo> | undefined;

/** Resolves `false` if `promise` does not settle in `ms`; rejections propagate. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | false> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** The fallbacks are separate chunks, fetched only when WebAssembly cannot be used. */
const FALLBACKS: Partial<Record<BackendName, () => Promise<unknown>>> = {
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
};

/** Tries one backend; returns null on success or the reason it could not be used. */
async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    await FALLBACKS[name]?.();
    const ok = await withTimeout(tf.setBackend(name), INIT_TIMEOUT_MS);
    if (ok === false) return `${backendTitle(name)} could not be initialised`;
    await tf.ready();
    // A tiny op proves kernels actually run (a blocked or broken backend fails here).
    tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync());
    return null;
  } catch (err) {
    const msg = (err as Error)?.message || String(err);
    return `${backendTitle(name)} failed (${msg.slice(0, 160)})`;
  }
}

/** Whether the WebAssembly API is present at all (a CSP or a browser setting can remove it). */
function wasmAvailable(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function';
}

/** Picks and initialises the backend (once per page) and reports what was chosen and why. */
async function initBackend(): Promise<BackendInfo> {
  const isolated = typeof crossOriginIsolated === 'boolean' && crossOriginIsolated;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': simdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdUrl,
  });
  // Threads need SharedArrayBuffer, which browsers only grant to cross-origin isolated pages.
  if (!isolated) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

  const requested = parseBackendRequest(typeof location === 'undefined' ? '' : location.search);
  const order: BackendName[] = requested ? [requested, 'wasm', 'webgl', 'cpu'] : ['wasm', 'webgl', 'cpu'];
  const reasons: string[] = [];
  if (requested && requested !== 'wasm') reasons.push(`the page asked for ${requested} (?backend=${requested})`);
  for (const name of [...new Set(order)]) {
    if (name === 'wasm' && !wasmAvailable()) {
      reasons.push('WebAssembly is not available in this browser (blocked or unsupported)');
      continue;
    }
    const failure = await tryBackend(name);
    if (failure) {
      reasons.push(failure);
      continue;
    }
    const simd = name === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : false;
    const threads = name === 'wasm' ? safeThreads() : 1;
    const info: BackendInfo = {
      name,
      simd,
      threads,
      crossOriginIsolated: isolated,
      fallbackReason: reasons.length ? reasons.join('; ') : undefined,
      label: '',
    };
    info.label = backendLabel(info);
    return info;
  }
  throw new Error(`No TF.js backend could run in this browser: ${reasons.join('; ')}.`);
}

/** The wasm thread count, or 1 where the backend does not say. */
function safeThreads(): number {
  try {
    return Math.max(1, getThreadsCount());
  } catch {
    return 1;
  }
}

/** The page's TF.js backend, initialised on first call and shared by every widget. */
export function ensureBackend(): Promise<BackendInfo> {
  pending ??= initBackend();
  pending.catch(() => (pending = undefined));
  return pending;
}

export { tf };
