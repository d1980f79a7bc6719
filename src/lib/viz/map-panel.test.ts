// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Embeddings } from '../../contracts/embeddings.ts';
import { MapPanel, linkedHover, type Shared } from './map-panel.ts';

// The tooltip's digit image comes from the test-set chunks; here, a flat grey digit.
vi.mock('../data.ts', () => ({
  loadDigits: vi.fn(async () => ({})),
  atlasDigit: vi.fn(() => new Float32Array(784).fill(0.5)),
}));

/** A 2-D context that records what is drawn (happy-dom has no canvas). */
function fakeContext() {
  const calls: Record<string, number> = {};
  const ctx = new Proxy({} as Record<string | symbol, unknown>, {
    get(target, key) {
      if (key in target) return target[key];
      if (key === 'createImageData') return (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) });
      return (..._args: unknown[]) => {
        calls[String(key)] = (calls[String(key)] ?? 0) + 1;
      };
    },
    set(target, key, value) {
      target[key] = value;
      return true;
    },
  });
  return { ctx, calls };
}

/** The markup of `Panel.astro`, as the server renders it. */
function panelMarkup(model: string): HTMLElement {
  const section = document.createElement('section');
  section.className = 'lm-panel';
  section.dataset.model = model;
  section.dataset.name = model.toUpperCase();
  section.innerHTML = `
    <div class="lm-stage"><svg class="lm-static"></svg></div>
    <div class="lm-zoom">
      <button type="button" class="lm-zoom-in" disabled>+</button>
      <button type="button" class="lm-zoom-out" disabled>−</button>
      <button type="button" class="lm-zoom-reset" disabled>Reset</button>
      <output class="lm-zoom-level">×1.0</output>
    </div>`;
  document.body.append(section);
  const stage = section.querySelector<HTMLElement>('.lm-stage')!;
  Object.defineProperty(stage, 'clientWidth', { value: 200 });
  Object.defineProperty(stage, 'clientHeight', { value: 200 });
  return section;
}

/** `n` points on a diagonal, labels 0–9 in turn, with a raw latent and a t-SNE view. */
function embeddings(model: string, n = 40): Embeddings {
  const latent = new Float32Array(2 * n);
  const tsne = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    latent.set([i, i], 2 * i);
    tsne.set([i, -i], 2 * i);
  }
  return { model, count: n, labels: Uint8Array.from({ length: n }, (_, i) => i % 10), coords: { latent, tsne }, quality: {}, params: {} };
}

let calls: Record<string, number>;
beforeEach(() => {
  const fake = fakeContext();
  calls = fake.calls;
  // One fake for every canvas (the map and the tooltip's digit).
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation((() => fake.ctx) as unknown as HTMLCanvasElement['getContext']);
  // Reduced motion: a switch of projection lands at once.
  vi.stubGlobal('matchMedia', () => ({ matches: true }));
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

const shared = (): Shared => ({ method: 'latent', highlight: null, hovered: -1, labels: false });

describe('MapPanel', () => {
  it('replaces the static preview with a keyboard-reachable canvas and enables the zoom buttons', () => {
    const section = panelMarkup('ae');
    const panel = new MapPanel(section, embeddings('ae'), shared(), () => {});
    const canvas = section.querySelector('canvas.lm-canvas')!;
    expect(canvas.getAttribute('role')).toBe('application');
    expect(canvas.getAttribute('tabindex')).toBe('0');
    expect(section.querySelector('.lm-static')!.hasAttribute('hidden')).toBe(true);
    expect(section.dataset.live).toBe('true');
    expect([...section.querySelectorAll('button')].every((b) => !b.disabled)).toBe(true);
    expect(panel.model).toBe('ae');
    panel.describe('latent');
    expect(canvas.getAttribute('aria-label')).toMatch(/^AE map, Raw latent: 40 test digits as dots coloured by digit\./);
  });

  it('says so when the browser cannot draw on a canvas', () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(() => null);
    expect(() => new MapPanel(panelMarkup('ae'), embeddings('ae'), shared(), () => {})).toThrow(/cannot draw on a <canvas>/);
  });

  it('fits the stage and draws every point on resize, with the axes titled per projection', () => {
    const section = panelMarkup('ae');
    const s = shared();
    const panel = new MapPanel(section, embeddings('ae'), s, () => {});
    panel.resize();
    const canvas = section.querySelector<HTMLCanvasElement>('canvas.lm-canvas')!;
    expect(canvas.width).toBe(200 * (window.devicePixelRatio || 1));
    expect(calls.rect).toBe(40); // small dots are squares, one per point
    expect(section.querySelector('.lm-xt')!.textContent).toBe('z₁');
    s.method = 'tsne';
    panel.setMethod('tsne');
    expect(section.querySelector('.lm-xt')!.textContent).toBe('t-SNE 1');
  });

  it('zooms with the buttons and resets', () => {
    const section = panelMarkup('ae');
    const panel = new MapPanel(section, embeddings('ae'), shared(), () => {});
    panel.resize();
    section.querySelector<HTMLButtonElement>('.lm-zoom-in')!.click();
    expect(section.querySelector('output')!.value).toBe('×1.6');
    expect(Number(section.dataset.zoom)).toBeCloseTo(1.6, 3);
    panel.resetZoom();
    expect(section.querySelector('output')!.value).toBe('×1.0');
  });

  it('highlights a class from the number keys and clears with Escape', () => {
    const section = panelMarkup('ae');
    const hover = vi.fn();
    new MapPanel(section, embeddings('ae'), shared(), hover).resize();
    const seen: unknown[] = [];
    section.addEventListener('lm-highlight', (e) => seen.push((e as CustomEvent).detail));
    const canvas = section.querySelector('canvas')!;
    canvas.dispatchEvent(new KeyboardEvent('keydown', { key: '3', bubbles: true }));
    canvas.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(seen).toEqual([3, null]);
    expect(hover).toHaveBeenCalledWith(expect.any(MapPanel), -1);
  });

  it('shows a tooltip with the test digit, its label and image', async () => {
    const section = panelMarkup('vae');
    const panel = new MapPanel(section, embeddings('vae'), shared(), () => {});
    panel.testIndex = Array.from({ length: 40 }, (_, i) => 100 + i);
    panel.resize();
    panel.showTip(13);
    const tip = section.querySelector<HTMLElement>('.lm-tip')!;
    expect(tip.hidden).toBe(false);
    expect(tip.dataset.index).toBe('113');
    expect(tip.dataset.label).toBe('3');
    await vi.waitFor(() => expect(tip.querySelector<HTMLCanvasElement>('canvas.lm-digit')!.dataset.drawn).toBe('true'));
    panel.showTip(-1);
    expect(tip.hidden).toBe(true);
  });

  it('swaps to another data set', () => {
    const section = panelMarkup('beta-2');
    const panel = new MapPanel(section, embeddings('beta-2'), shared(), () => {});
    panel.resize();
    panel.setData(embeddings('beta-4', 20));
    expect(panel.model).toBe('beta-4');
    expect(calls.rect).toBe(40 + 20);
  });
});

describe('linkedHover', () => {
  it('rings the same digit in every panel and shows the tooltip only where the pointer is', () => {
    const s = shared();
    const panels: MapPanel[] = [];
    const onHover = linkedHover(s, () => panels);
    for (const id of ['ae', 'vae']) {
      const p = new MapPanel(panelMarkup(id), embeddings(id), s, onHover);
      p.resize();
      panels.push(p);
    }
    const tips = [...document.querySelectorAll<HTMLElement>('.lm-tip')];
    onHover(panels[1]!, 7);
    expect(s.hovered).toBe(7);
    expect(tips.map((t) => t.hidden)).toEqual([true, false]);
    onHover(panels[1]!, -1);
    expect(s.hovered).toBe(-1);
    expect(tips.map((t) => t.hidden)).toEqual([true, true]);
  });
});
