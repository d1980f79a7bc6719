/**
 * The live part of the β sweep (browser only, loaded lazily by `<zoo-beta>`): the slider rings a
 * model on the build-time rate–distortion plot and swaps three views to that model — the latent
 * map of its test digits (the latent map's own panel, `MapPanel`, view.ts), its decoded 20 × 20
 * manifold (the latent explorer's grid: `explorerRange`, `gridPoints`, `putMosaic`) and its
 * reconstructions of the first test digit of each class (the reconstruction widget's
 * `reconstructFrom`, from the baked codes). Each model's codes and decoder are fetched (verified
 * against the manifest) the first time it is shown and kept for the page: its compact latent map
 * through `src/lib/data.ts` (the test labels are shared), or its embeddings.json before the
 * compact bake; its compact decoder through `loadModel('vae', id)`.
 */
import type { Manifest } from '../../contracts/manifest.ts';
import { ArtifactError, fetchJson, loadManifest } from '../../lib/artifacts.ts';
import { mapPath } from '../../contracts/compact-format.ts';
import { atlasDigit, loadDigits, loadLabels, loadMap } from '../../lib/data.ts';
import { IMAGE_SIZE, gridPoints, type LatentRange } from '../../lib/digits.ts';
import type { LoadedModel } from '../../lib/models.ts';
import { reconstructFrom } from '../../lib/reconstruct.ts';
import { formatNats } from '../../lib/viz/format.ts';
import { frameCoalescer, putMosaic } from '../../lib/widget-dom.ts';
import { GRID_N, explorerRange, formatPointText } from '../latent-explorer/explorer.ts';
import { parseEmbeddings, type Embeddings } from '../../contracts/embeddings.ts';
import { MapPanel, type Shared } from '../../lib/viz/map-panel.ts';

/** One step of the slider, as the server rendered it into `data-steps`. */
export interface BetaStep {
  id: string;
  beta: number;
  title: string;
  bce?: number;
  kl?: number;
  /** The quality line of the model's raw latent, as the build measured it. */
  quality?: string;
}

/** Reads and checks the steps the server rendered; throws a readable error otherwise. */
export function parseSteps(json: string | undefined): BetaStep[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json ?? '');
  } catch {
    throw new Error('The β sweep lists no models (data-steps is not JSON).');
  }
  if (!Array.isArray(raw) || raw.length === 0) throw new Error('The β sweep lists no models.');
  return raw.map((s: Partial<BetaStep>, i) => {
    if (typeof s?.id !== 'string' || typeof s.beta !== 'number') throw new Error(`The β sweep's step ${i} has no model id or β.`);
    return s as BetaStep;
  });
}

/** The readout beside the slider for a step. */
export function readout(s: BetaStep): string {
  const n2 = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(2));
  return `β = ${s.beta} (${s.id}): BCE ${n2(s.bce)}, KL ${n2(s.kl)} nats`;
}

const cache = new Map<string, Promise<Embeddings>>();

/**
 * The file a zoo model's map is read from: its compact latent map (`<id>/compact/latent.bin`,
 * 40 kB) when the manifest lists one, else its `embeddings.json`.
 */
export function mapSource(id: string, manifest: Manifest): string {
  const compact = mapPath(id, 'latent');
  return manifest.files[compact] ? compact : `${id}/embeddings.json`;
}

/** A zoo model's 2-D codes and the test labels for the map, fetched once per page and verified. */
export function loadZooEmbeddings(id: string): Promise<Embeddings> {
  let p = cache.get(id);
  if (!p) {
    p = loadManifest().then(async (manifest) => {
      const file = mapSource(id, manifest);
      if (file.endsWith('.json')) return parseEmbeddings(await fetchJson<unknown>(file), id, file);
      const [labels, map] = await Promise.all([loadLabels(), loadMap(id, 'latent')]);
      if (map.header.dim !== 2) throw new ArtifactError(file, `${file} holds ${map.header.dim}-D codes; the map draws 2-D codes only.`);
      return { model: id, count: labels.length, labels, coords: { latent: map.values }, quality: {}, params: {} };
    });
    cache.set(id, p);
    p.catch(() => cache.delete(id));
  }
  return p;
}

/**
 * The test digits the reconstruction strip shows: the first of each class in test-set order (the
 * same digits as the baked reconstruction figure), as many classes as the labels hold.
 */
export function firstOfEachClass(labels: ArrayLike<number>, classes = 10): number[] {
  const first = new Array<number>(classes).fill(-1);
  let found = 0;
  for (let i = 0; i < labels.length && found < classes; i++) {
    const l = labels[i]!;
    if (l >= 0 && l < classes && first[l] === -1) {
      first[l] = i;
      found++;
    }
  }
  return first.filter((i) => i >= 0);
}

/** The latent range a model's manifold covers: the latent explorer's, from that model's codes. */
export function manifoldRange(latent: ArrayLike<number>): LatentRange {
  return explorerRange(latent);
}

/** Words for the manifold's range, e.g. "z₁ from −3.10 to 2.95, z₂ from …". */
export function rangeText(r: LatentRange): string {
  return `μ₁ and μ₂ over ${formatPointText(r.xMin, r.yMin)} to ${formatPointText(r.xMax, r.yMax)}`;
}

/** One model's reconstructions of the strip's digits: mean BCE and one sentence for readers. */
export function reconSummary(id: string, bces: readonly number[], labels: readonly number[]): string {
  if (bces.length === 0) return '';
  const mean = bces.reduce((a, b) => a + b, 0) / bces.length;
  const worst = bces.indexOf(Math.max(...bces));
  return `${id} reconstructs the first test digit of each class with a mean BCE of ${formatNats(mean)} (worst: the ${labels[worst]}, ${formatNats(bces[worst]!)}).`;
}

/** Callbacks into the island for its `data-state` and alert. */
export interface IslandHooks {
  ready(): void;
  fail(err: unknown): void;
}

/** Mounts the slider and the map inside `<zoo-beta>`; resolves once the first map is drawn. */
export async function mountBetaSweep(root: HTMLElement & BetaHooks, hooks: IslandHooks): Promise<void> {
  const steps = parseSteps(root.dataset.steps);
  const slider = root.querySelector<HTMLInputElement>('input[type="range"]');
  const out = root.querySelector<HTMLOutputElement>('.zoo-beta-readout');
  const section = root.querySelector<HTMLElement>('.lm-panel');
  const status = root.querySelector<HTMLElement>('.lm-status');
  if (!section) throw new Error('The β sweep is missing its map panel.');
  const at = (i: number) => steps[Math.max(0, Math.min(steps.length - 1, i))]!;
  let index = slider ? Number(slider.value) : 0;

  const shared: Shared = { method: 'latent', highlight: null, hovered: -1, labels: true };
  const onHover = (p: MapPanel, i: number) => {
    shared.hovered = i;
    p.showTip(i);
    p.requestDraw();
  };
  const views = decodedViews(root);
  const [firstEmb, firstModel] = await Promise.all([loadZooEmbeddings(at(index).id), loadZooDecoder(at(index).id)]);
  const panel = new MapPanel(section, firstEmb, shared, onHover);
  await views.prepare(firstEmb.labels);
  views.paint(firstModel, firstEmb);
  const title = section.querySelector<HTMLElement>('.lm-title strong');
  const quality = section.querySelector<HTMLElement>('.lm-quality');

  /** Labels the panel and the plot for the model shown. */
  const show = (s: BetaStep) => {
    section.dataset.model = s.id;
    section.dataset.name = s.id;
    section.setAttribute('aria-label', `${s.title} (${s.id}) map`);
    if (title) title.textContent = `${s.title} (${s.id})`;
    if (quality) quality.textContent = s.quality ?? '';
    panel.describe('latent');
    root.dataset.model = s.id;
  };
  const ring = (id: string) => {
    for (const g of root.querySelectorAll<SVGGElement>('.zoo-rd [data-model]')) g.classList.toggle('is-current', g.dataset.model === id);
  };

  panel.resize();
  show(at(index));
  if (typeof ResizeObserver !== 'undefined') {
    let pending = 0;
    new ResizeObserver(() => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => panel.resize());
    }).observe(section.querySelector('.lm-stage')!);
  }

  /**
   * The swap to a loaded model, at most once per animation frame while the reader slides: the map,
   * its labels, the manifold and the reconstructions together (a benchmark measures it per frame).
   */
  let next: { s: BetaStep; emb: Embeddings; model: LoadedModel } | undefined;
  const swap = frameCoalescer(() => {
    if (!next) return;
    const { s, emb, model } = next;
    next = undefined;
    const t0 = performance.now();
    panel.setData(emb);
    show(s);
    views.paint(model, emb);
    views.record(performance.now() - t0);
  });

  let token = 0;
  /** Shows step `i`: rings it at once, swaps the map and the pictures when its files have loaded. */
  const select = async (i: number) => {
    index = i;
    const s = at(i);
    const mine = ++token;
    ring(s.id);
    if (slider) slider.setAttribute('aria-valuetext', `β = ${s.beta} (${s.id})`);
    if (out) out.value = readout(s);
    root.dataset.loading = s.id;
    try {
      const [emb, model] = await Promise.all([loadZooEmbeddings(s.id), loadZooDecoder(s.id)]);
      if (mine !== token) return;
      next = { s, emb, model };
      swap();
      delete root.dataset.loading;
      const alert = root.querySelector<HTMLElement>('[role="alert"]');
      if (alert) alert.hidden = true;
      if (status) status.textContent = `Showing the latent map of ${s.id} (β = ${s.beta}).`;
      hooks.ready();
    } catch (err) {
      if (mine !== token) return;
      delete root.dataset.loading;
      hooks.fail(err);
    }
  };

  if (slider) {
    slider.disabled = false;
    slider.addEventListener('input', () => void select(Number(slider.value)));
  }
}

/** Hooks `<zoo-beta>` exposes to tests and benchmarks (see src/lib/runtime.ts). */
export interface BetaHooks {
  /** Model swaps drawn since load (map, manifold and reconstructions). */
  frames?: number;
  /** Milliseconds each of the last swaps took (the map's redraw, the manifold and the reconstructions, one frame each). */
  renderTimes?: number[];
  /** Decodes and draws the shown model's manifold once more; returns milliseconds (benchmark hook). */
  drawGrid?: () => number;
}

/** A zoo model's compact decoder (a `vae`-layout 2-D decoder), loaded once per page. */
export async function loadZooDecoder(id: string): Promise<LoadedModel> {
  const { loadModel } = await import('../../lib/models.ts');
  return loadModel('vae', id);
}

/**
 * The manifold grid and the reconstruction strip of the figure. `prepare` fetches the strip's
 * test digits (one chunk); `show` draws both for a model, at most once per animation frame.
 */
function decodedViews(root: HTMLElement & BetaHooks) {
  const grid = root.querySelector<HTMLCanvasElement>('[data-role="grid"]');
  const gridText = root.querySelector<HTMLElement>('[data-role="grid-range"]');
  const inputs = root.querySelector<HTMLCanvasElement>('[data-role="recon-input"]');
  const recons = root.querySelector<HTMLCanvasElement>('[data-role="recon-output"]');
  const reconText = root.querySelector<HTMLElement>('[data-role="recon-bce"]');
  const bceList = root.querySelector<HTMLElement>('[data-role="recon-list"]');
  if (!grid || !inputs || !recons) throw new Error('The β sweep is missing its manifold or reconstruction canvas.');
  let picks: number[] = [];
  let labels: number[] = [];
  let images = new Float32Array(0);
  let current: { model: LoadedModel; emb: Embeddings } | undefined;
  /** Each model's decoded pictures: the data do not change, so sliding back to a model only repaints. */
  const decoded = new Map<string, { range: LatentRange; grid: Float32Array; recon: Float32Array; bces: number[] }>();
  root.frames = 0;
  root.renderTimes = [];

  const paintGrid = (id: string, range: LatentRange, images: Float32Array) => {
    putMosaic(grid, images, GRID_N * GRID_N, GRID_N);
    grid.dataset.model = id;
    grid.setAttribute('aria-label', `${GRID_N} by ${GRID_N} grid of digits decoded by ${id} from evenly spaced points of its latent plane (${rangeText(range)}).`);
    if (gridText) gridText.textContent = rangeText(range);
  };
  /** Decodes and paints the shown model's manifold afresh (no cache): the budget's measure. */
  const drawGrid = (): number => {
    if (!current) return NaN;
    const t0 = performance.now();
    const range = manifoldRange(current.emb.coords.latent!);
    paintGrid(current.model.id, range, current.model.decode(gridPoints(GRID_N, range)));
    return performance.now() - t0;
  };
  /** The model's grid and reconstructions of the strip's digits, decoded once per model. */
  const decode = (model: LoadedModel, emb: Embeddings) => {
    let d = decoded.get(model.id);
    if (d) return d;
    const latent = emb.coords.latent!;
    const range = manifoldRange(latent);
    const recon = new Float32Array(picks.length * IMAGE_SIZE);
    const bces: number[] = [];
    picks.forEach((i, k) => {
      const r = reconstructFrom(model, images.subarray(k * IMAGE_SIZE, (k + 1) * IMAGE_SIZE), [latent[2 * i]!, latent[2 * i + 1]!]);
      recon.set(r.probs, k * IMAGE_SIZE);
      bces.push(r.bce);
    });
    d = { range, grid: model.decode(gridPoints(GRID_N, range)), recon, bces };
    decoded.set(model.id, d);
    return d;
  };
  const drawRecons = (model: LoadedModel, recon: Float32Array, bces: number[]) => {
    if (picks.length === 0) return;
    putMosaic(recons, recon, picks.length, picks.length);
    recons.dataset.model = model.id;
    const summary = reconSummary(model.id, bces, labels);
    recons.setAttribute('aria-label', `Reconstructions by ${model.id}. ${summary}`);
    if (reconText) reconText.textContent = summary;
    if (bceList) {
      bceList.replaceChildren(
        ...bces.map((b, k) => {
          const li = document.createElement('li');
          li.textContent = `${labels[k]}: ${formatNats(b)}`;
          return li;
        }),
      );
    }
  };
  root.drawGrid = drawGrid;

  return {
    /** Fetches the strip's test digits (the first of each class) and draws the inputs. */
    async prepare(testLabels: ArrayLike<number>): Promise<void> {
      picks = firstOfEachClass(testLabels);
      labels = picks.map((i) => testLabels[i]!);
      const atlas = await loadDigits(picks);
      images = new Float32Array(picks.length * IMAGE_SIZE);
      picks.forEach((i, k) => atlasDigit(atlas, i, images.subarray(k * IMAGE_SIZE, (k + 1) * IMAGE_SIZE)));
      putMosaic(inputs, images, picks.length, picks.length);
      inputs.setAttribute('aria-label', `The first test digit of each class: ${labels.join(', ')} (test digits ${picks.map((i) => `#${i}`).join(', ')}).`);
    },
    /** Paints `model`'s manifold and reconstructions (its codes from `emb`), decoding them the first time. */
    paint(model: LoadedModel, emb: Embeddings): void {
      current = { model, emb };
      const d = decode(model, emb);
      paintGrid(model.id, d.range, d.grid);
      drawRecons(model, d.recon, d.bces);
    },
    /** Records one swap's time (benchmark hook). */
    record(ms: number): void {
      root.frames!++;
      if (root.renderTimes!.push(ms) > 1000) root.renderTimes!.shift();
    },
  };
}
