// @vitest-environment happy-dom
/**
 * The bigger-codes widgets' elements with the model files and test digits mocked (at
 * `lib/zoo-coder.ts`, so their adapter `bigger-coders.ts` runs too): the reconstructions fill
 * every model's cell for a picked digit and for a drawing (the models load at the first stroke),
 * a failed model file ends in the alert; the traversal encodes the digit, decodes the row and the
 * slider's position, and follows the dimension menu and the model radios.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DrawingPadOptions } from '../../lib/drawing-pad.ts';

const pads: DrawingPadOptions[] = [];
vi.mock('../../lib/drawing-pad.ts', async (orig) => ({
  ...(await orig<typeof import('../../lib/drawing-pad.ts')>()),
  attachDrawingPad: (_c: HTMLCanvasElement, o: DrawingPadOptions) => {
    pads.push(o);
    const img = new Float32Array(784).fill(0.25);
    return { clear: () => o.onChange(null, 0), refresh: () => o.onChange(img, 0), image: () => img };
  },
}));
const painted = new Map<string, Float32Array>();
vi.mock('../../lib/widget-dom.ts', async (orig) => ({
  ...(await orig<typeof import('../../lib/widget-dom.ts')>()),
  putDigit: (c: HTMLCanvasElement, x: ArrayLike<number>) => void painted.set(c.closest('[data-cell]')?.getAttribute('data-cell') ?? c.dataset.role!, Float32Array.from(x)),
  putMosaic: (c: HTMLCanvasElement, x: ArrayLike<number>) => void painted.set(c.dataset.role!, Float32Array.from(x)),
}));
const state = vi.hoisted(() => ({ fail: '', loads: [] as string[] }));
vi.mock('../../lib/zoo-coder.ts', () => ({
  // Stand-in coders: the encoder's code is (mean ink, 0, …), the decoder paints its first entry (clamped).
  loadCoder: async (id: string, part: string, dim: number) => {
    state.loads.push(`${id}/${part}`);
    await new Promise((r) => setTimeout(r, 2));
    if (`${id}/${part}` === state.fail) throw new Error(`pretrained/${id}/compact/${part}/weights.bin is corrupt`);
    const paint = (z: ArrayLike<number>, k: number, out: Float32Array) => out.fill(Math.min(0.99, Math.max(0.01, z[k * dim]!)));
    return part === 'encoder'
      ? { run: (x: Float32Array) => Float32Array.from({ length: dim }, (_, j) => (j ? 0 : x.reduce((a, b) => a + b, 0) / x.length)) }
      : {
          run: (z: ArrayLike<number>) => paint(z, 0, new Float32Array(784)),
          runBatch: (z: ArrayLike<number>, n: number, out = new Float32Array(n * 784)) => {
            for (let k = 0; k < n; k++) paint(z, k, out.subarray(k * 784, (k + 1) * 784));
            return out;
          },
        };
  },
}));
vi.mock('../../lib/data.ts', () => ({
  loadLabels: async () => Uint8Array.from({ length: 10_000 }, (_, i) => i % 10),
  loadDigits: async () => ({ count: 10_000 }),
  atlasDigit: (_a: unknown, i: number, out = new Float32Array(784)) => out.map((_, p) => (p < 100 + i ? 0.9 : 0)),
}));

const { defineBiggerRecon } = await import('./bigger-recon-element.ts');
const { defineBiggerTraversal } = await import('./bigger-traversal-element.ts');

const PICKER = `<div class="digit-picker"><input type="number" data-role="index" disabled /><button data-role="prev" disabled></button>
  <button data-role="next" disabled></button><button data-role="random" disabled></button></div>`;
const RECON_MODELS = [
  { id: 'ae-10', kind: 'ae', dim: 10, title: 'AE, 10-D', testBce: 70 },
  { id: 'vae-20', kind: 'vae', dim: 20, title: 'VAE, 20-D' },
];
const RECON_MARKUP = `${PICKER}
  <canvas data-role="pad"></canvas><p data-role="hint"></p><button data-role="clear" disabled></button>
  <p data-role="note"></p>
  <div data-role="row" hidden><canvas data-role="input"></canvas><span data-role="input-text"></span>
    ${RECON_MODELS.map((m) => `<div data-cell="${m.id}" data-loaded="false"><canvas data-role="out"></canvas><span data-role="text"></span></div>`).join('')}</div>
  <p data-role="live"></p>`;

const TRAVERSAL_MODELS = [
  { id: 'ae-10', kind: 'ae', dim: 10, title: 'AE, 10-D', mean: Array(10).fill(0.1), sd: Array(10).fill(0.2), dims: Array.from({ length: 10 }, (_, index) => ({ index })) },
  { id: 'vae-20', kind: 'vae', dim: 20, title: 'VAE, 20-D', mean: Array(20).fill(0), sd: Array(20).fill(1), dims: [{ index: 4, kl: 2.5 }, { index: 0, kl: 1.25 }] },
];
const TRAVERSAL_MARKUP = `<div class="zt-controls">
  ${TRAVERSAL_MODELS.map((m, i) => `<input type="radio" name="zt-model" value="${m.id}" ${i ? '' : 'checked'} disabled />`).join('')}
  ${PICKER}<select data-role="dim" disabled></select>
  <input type="range" data-role="offset" min="-3" max="3" step="0.1" value="0" disabled /></div>
  <output data-role="readout"></output>
  <canvas data-role="input"></canvas><canvas data-role="current"></canvas><canvas data-role="strip"></canvas>`;

type Hooks = HTMLElement & { reconstructions: number; frames: number; renderTimes: number[]; showTest(i: number): Promise<void> };

async function mount(tag: string, models: unknown[], markup: string): Promise<Hooks> {
  const el = document.createElement(tag) as Hooks;
  el.dataset.models = JSON.stringify(models);
  el.innerHTML = markup;
  document.body.append(el);
  await vi.waitFor(() => expect(el.dataset.state).not.toBe('loading'));
  return el;
}
const text = (el: Element, sel: string) => el.querySelector(sel)!.textContent;

beforeEach(() => {
  vi.stubGlobal('IntersectionObserver', undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  defineBiggerRecon();
  defineBiggerTraversal();
});
afterEach(() => {
  document.body.innerHTML = '';
  pads.length = 0;
  painted.clear();
  state.fail = '';
  state.loads = [];
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('<zoo-bigger-recon>', () => {
  it('is ready at once and loads no model until a digit is picked; then every cell shows it', async () => {
    const el = await mount('zoo-bigger-recon', RECON_MODELS, RECON_MARKUP);
    expect(el.dataset.state).toBe('ready');
    expect(state.loads).toEqual([]);
    const index = el.querySelector<HTMLInputElement>('[data-role="index"]')!;
    index.value = '12';
    index.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(el.dataset.shown).toBe('12'));
    expect(text(el, '[data-role="input-text"]')).toBe('Test digit #12, a 2');
    expect(text(el, '[data-cell="ae-10"] [data-role="text"]')).toMatch(/^BCE \d+\.\d nats \(test mean 70\.0 nats\)$/);
    expect(text(el, '[data-cell="vae-20"] [data-role="text"]')).toMatch(/^BCE \d+\.\d nats$/);
    expect(el.querySelector<HTMLElement>('[data-cell="vae-20"]')!.dataset.loaded).toBe('true');
    expect(text(el, '[data-role="live"]')).toMatch(/^Test digit #12, a 2: BCE (ae-10|vae-20) \d+\.\d nats, (ae-10|vae-20) \d+\.\d nats\.$/);
    expect(el.querySelector<HTMLElement>('[data-role="note"]')!.hidden).toBe(true);
    expect(el.reconstructions).toBe(2);
    await el.showTest(3); // the coders are kept: no second fetch
    expect(state.loads.sort()).toEqual(['ae-10/decoder', 'ae-10/encoder', 'vae-20/decoder', 'vae-20/encoder']);
  });

  it('the first stroke loads every model; the drawing is reconstructed by each and announced', async () => {
    const el = await mount('zoo-bigger-recon', RECON_MODELS, RECON_MARKUP);
    pads[0]!.onFirstStroke!();
    pads[0]!.onStrokeEnd!();
    await vi.waitFor(() => expect(el.dataset.shown).toBe('drawing'));
    expect(text(el, '[data-role="input-text"]')).toBe('Your drawing');
    expect(text(el, '[data-role="live"]')).toMatch(/^Your drawing: BCE ae-10 \d+\.\d nats, vae-20 \d+\.\d nats\.$/);
    expect(el.renderTimes).toHaveLength(1);
    el.querySelector<HTMLButtonElement>('[data-role="clear"]')!.click();
    expect(text(el, '[data-role="live"]')).toBe('Drawing cleared.');
  });

  it('a corrupt model file ends in the alert when a digit is picked', async () => {
    state.fail = 'vae-20/encoder';
    const el = await mount('zoo-bigger-recon', RECON_MODELS, RECON_MARKUP);
    el.querySelector<HTMLButtonElement>('[data-role="next"]')!.click();
    await vi.waitFor(() => expect(el.dataset.state).toBe('error'));
    expect(text(el, '[role="alert"]')).toBe('pretrained/vae-20/compact/encoder/weights.bin is corrupt');
  });

  it('without models it fails at start', async () => {
    const el = await mount('zoo-bigger-recon', [], RECON_MARKUP);
    expect(text(el, '[role="alert"]')).toBe('The zoo lists no AE or VAE to reconstruct with.');
  });
});

type Traversal = Hooks & { setModel(id: string, i: number): Promise<void>; setDimension(d: number): void; benchDecode(n?: number, rounds?: number): Promise<{ model: number; reference: number }> };

describe('<zoo-bigger-traversal>', () => {
  it('reaches ready with the checked model on test digit 0: the row and the slider position decoded', async () => {
    const el = (await mount('zoo-bigger-traversal', TRAVERSAL_MODELS, TRAVERSAL_MARKUP)) as Traversal;
    expect(el.dataset.state).toBe('ready');
    expect(el.dataset.model).toBe('ae-10');
    expect(el.dataset.index).toBe('0');
    expect(el.dataset.dim).toBe('0');
    expect(el.querySelectorAll('[data-role="dim"] option')).toHaveLength(10);
    // Dimension 0 runs over mean ± 3 sd = 0.1 ± 0.6 across the 9 decodings of the row.
    const strip = painted.get('strip')!;
    expect(strip[0]).toBeCloseTo(0.01, 5);
    expect(strip[8 * 784]).toBeCloseTo(0.7, 5);
    expect(text(el, '[data-role="readout"]')).toBe('ae-10, test digit #0: z₁ = mean + 0.0 sd (0.10)');
    expect(el.querySelector<HTMLInputElement>('[data-role="offset"]')!.disabled).toBe(false);
    expect(el.frames).toBe(1);
  });

  it('the slider decodes its position once a frame; the dimension menu and the model radios switch', async () => {
    const el = (await mount('zoo-bigger-traversal', TRAVERSAL_MODELS, TRAVERSAL_MARKUP)) as Traversal;
    const slider = el.querySelector<HTMLInputElement>('[data-role="offset"]')!;
    slider.value = '1.5';
    slider.dispatchEvent(new Event('input'));
    await vi.waitFor(() => expect(el.dataset.offset).toBe('1.5'));
    expect(painted.get('current')![0]).toBeCloseTo(0.4, 5);
    expect(slider.getAttribute('aria-valuetext')).toBe('z₁ = mean + 1.5 sd (0.40)');
    el.setDimension(3);
    expect(el.dataset.dim).toBe('3');
    expect(text(el, '[data-role="readout"]')).toBe('ae-10, test digit #0: z₄ = mean + 1.5 sd (0.40)');
    const vae = el.querySelector<HTMLInputElement>('input[value="vae-20"]')!;
    vae.checked = true;
    vae.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(el.dataset.model).toBe('vae-20'));
    expect([...el.querySelectorAll('[data-role="dim"] option')].map((o) => o.textContent)).toEqual(['μ₅ (KL 2.50 nats)', 'μ₁ (KL 1.25 nats)']);
    expect(el.dataset.dim).toBe('4');
  });

  it('benchDecode times the model and the reference decoder', async () => {
    const el = (await mount('zoo-bigger-traversal', TRAVERSAL_MODELS, TRAVERSAL_MARKUP)) as Traversal;
    const ms = await el.benchDecode(16, 2);
    expect(ms.model).toBeGreaterThanOrEqual(0);
    expect(ms.reference).toBeGreaterThanOrEqual(0);
    expect(state.loads).toContain('vae/decoder');
  });

  it('a corrupt decoder of the first model ends in the alert', async () => {
    state.fail = 'ae-10/decoder';
    const el = await mount('zoo-bigger-traversal', TRAVERSAL_MODELS, TRAVERSAL_MARKUP);
    expect(el.dataset.state).toBe('error');
    expect(text(el, '[role="alert"]')).toBe('pretrained/ae-10/compact/decoder/weights.bin is corrupt');
    expect(el.dataset.loadingModel).toBeUndefined();
  });
});
