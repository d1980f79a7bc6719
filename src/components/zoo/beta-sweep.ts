/**
 * The live part of the β sweep (browser only, loaded lazily by `<zoo-beta>`): the slider rings a
 * model on the build-time rate–distortion plot and swaps the latent map to that model's test
 * digits, using the latent map's own panel (`MapPanel`, view.ts). Each model's codes are fetched
 * (verified against the manifest) the first time it is shown: its compact latent map through
 * `src/lib/data.ts` (the test labels are shared), or its embeddings.json before the compact bake.
 */
import { ArtifactError, fetchJson, loadManifest, type Manifest } from '../../lib/artifacts.ts';
import { mapPath } from '../../lib/compact-format.ts';
import { loadLabels, loadMap } from '../../lib/data.ts';
import { parseEmbeddings, type Embeddings } from '../latent-map/embeddings.ts';
import { MapPanel, type Shared } from '../latent-map/view.ts';

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

/** Callbacks into the island for its `data-state` and alert. */
export interface IslandHooks {
  ready(): void;
  fail(err: unknown): void;
}

/** Mounts the slider and the map inside `<zoo-beta>`; resolves once the first map is drawn. */
export async function mountBetaSweep(root: HTMLElement, hooks: IslandHooks): Promise<void> {
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
  const panel = new MapPanel(section, await loadZooEmbeddings(at(index).id), shared, onHover);
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

  let token = 0;
  /** Shows step `i`: rings it at once, swaps the map when its embeddings have loaded. */
  const select = async (i: number) => {
    index = i;
    const s = at(i);
    const mine = ++token;
    ring(s.id);
    if (slider) slider.setAttribute('aria-valuetext', `β = ${s.beta} (${s.id})`);
    if (out) out.value = readout(s);
    root.dataset.loading = s.id;
    try {
      const emb = await loadZooEmbeddings(s.id);
      if (mine !== token) return;
      panel.setData(emb);
      show(s);
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
