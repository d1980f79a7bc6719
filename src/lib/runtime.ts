/**
 * The browser ML runtime in one dynamically imported chunk: widgets `await import('…/runtime.ts')`
 * when they scroll into view, so TF.js never weighs on a page's first load.
 *
 * Test and benchmark hooks
 * - `window.__latentAtlas` (installed on first import): `{ tf, backend(), loadModel(kind),
 *   loadBoth(), numTensors() }` — `tf` is the page's TF.js core, so
 *   `window.__latentAtlas.tf.memory().numTensors` counts live tensors; `loadModel(kind)` resolves
 *   to the shared LoadedModel (`decodeOne`, `decode`, `decodeTf`; `encode` once `loadEncoder()`
 *   has resolved — encoders load on demand, e.g. at the reader's first stroke).
 * - `?backend=wasm|webgl|cpu` in the page URL puts that backend first (the widgets then say why).
 * - On the widgets' elements: `frames` / `reconstructions` (counters that grow with every
 *   interaction), `renderTimes` (ms per frame, last 1,000), `<latent-explorer>.drawGrid(kind)`
 *   (decodes and draws a manifold grid, returns ms), `<reconstruction-widget>.showTest(i)`,
 *   `<interpolation-widget>.setPair(a, b)`.
 */
import { tf, ensureBackend, type BackendInfo } from './backend.ts';
import { loadBoth, loadModel, loadModelWithEncoder, type LoadedModel, type ModelKind } from './models.ts';

export { tf, ensureBackend, loadBoth, loadModel, loadModelWithEncoder };
export type { BackendInfo, LoadedModel, ModelKind };
export { backendSentence } from './backend-info.ts';
export { reconstruct, reconstructFrom, type Reconstruction } from './reconstruct.ts';
export { imageBce } from './loss.ts';
export { preprocessDrawing, inkFromRgba } from './preprocess.ts';
export { loadAtlas, loadDigits, loadAllDigits, hasDigit, atlasDigit, loadEmbeddings, loadLabels, loadMap, optional, TEST_COUNT, type Atlas, type Embeddings } from './data.ts';

/** What `window.__latentAtlas` offers tests and benchmarks. */
export interface LatentAtlasHook {
  tf: typeof tf;
  backend(): Promise<BackendInfo>;
  loadModel(kind: ModelKind): Promise<LoadedModel>;
  loadBoth: typeof loadBoth;
  numTensors(): number;
}

declare global {
  interface Window {
    __latentAtlas?: LatentAtlasHook;
  }
}

if (typeof window !== 'undefined') {
  window.__latentAtlas ??= {
    tf,
    backend: ensureBackend,
    loadModel,
    loadBoth,
    numTensors: () => tf.memory().numTensors,
  };
}
