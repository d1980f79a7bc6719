// @vitest-environment happy-dom
/**
 * The denoising figure: its pure helpers, and its element with the model files and test digits
 * mocked (the noise is the real training noise): ready with three reconstructions and their test
 * means, σ and "New noise" change the noisy input, a drawing is noised once chosen, and a missing
 * model file ends in the alert.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DrawingPadOptions } from '../../lib/drawing-pad.ts';

const pads: DrawingPadOptions[] = [];
vi.mock('../../lib/drawing-pad.ts', async (orig) => ({
  ...(await orig<typeof import('../../lib/drawing-pad.ts')>()),
  attachDrawingPad: (_c: HTMLCanvasElement, o: DrawingPadOptions) => {
    pads.push(o);
    return { clear: () => o.onChange(null, 0), refresh: () => {}, image: () => null };
  },
}));
const painted = new Map<string, Float32Array>();
vi.mock('../../lib/widget-dom.ts', async (orig) => ({
  ...(await orig<typeof import('../../lib/widget-dom.ts')>()),
  putDigit: (c: HTMLCanvasElement, x: ArrayLike<number>) => void painted.set(c.dataset.role!, Float32Array.from(x)),
}));
const state = vi.hoisted(() => ({ missing: '' }));
vi.mock('../../lib/compact-stack.ts', () => ({
  // A stand-in "model": the code is the image's mean ink; the decoder paints it everywhere.
  loadCompactStack: async (id: string, part: string) => {
    if (`${id}/${part}` === state.missing) throw new Error(`pretrained/${id}/compact/${part}/weights.bin: HTTP 404`);
    return part === 'encoder'
      ? { run: (x: Float32Array) => Float32Array.of(x.reduce((a, b) => a + b, 0) / x.length, 0) }
      : { run: (z: Float32Array) => new Float32Array(784).fill(Math.min(0.99, Math.max(0.01, z[0]!))) };
  },
}));
vi.mock('../../lib/data.ts', () => ({
  loadLabels: async () => Uint8Array.from({ length: 100 }, (_, i) => (i + 7) % 10),
  loadDigits: async () => ({ count: 100 }),
  atlasDigit: (_a: unknown, i: number, out = new Float32Array(784)) => out.map((_, p) => ((p + i) % 5 === 0 ? 1 : 0)),
}));

const { announcement, defineDenoise, meanText, parseModels } = await import('./denoise-element.ts');

const MODELS = [
  { id: 'ae', kind: 'ae' },
  { id: 'dae', kind: 'dae' },
  { id: 'vae', kind: 'vae' },
] as const;
const CURVE = { sigmas: [0, 0.5, 1], models: MODELS.map((m, k) => ({ id: m.id, bce: [100 + k, 150 + k, 200 + k] })) };
const cell = (role: string) => `<canvas data-role="${role}"></canvas><span data-role="${role}-text"></span>`;
const MARKUP = `
  <input type="range" data-role="sigma" min="0" max="1" step="0.05" value="0.5" disabled /><output data-role="sigma-out"></output>
  <button data-role="new-noise" disabled></button><span data-role="seed"></span>
  <input type="radio" name="s" value="test" data-role="source" checked disabled /><input type="radio" name="s" value="drawing" data-role="source" disabled />
  <div data-part="test"><div class="digit-picker"><input type="number" data-role="index" disabled /><button data-role="prev" disabled></button>
    <button data-role="next" disabled></button><button data-role="random" disabled></button></div></div>
  <div data-part="drawing" hidden><canvas data-role="pad"></canvas><p data-role="hint"></p><button data-role="clear" disabled></button></div>
  ${['clean', 'noisy', 'ae', 'dae', 'vae'].map(cell).join('')}
  <svg><line data-role="sigma-marker" /></svg>
  <p data-role="live"></p><p data-role="status"></p><p data-role="backend"></p>`;

type Widget = HTMLElement & { frames: number; bces: Record<string, number>; setSigma(s: number): void; showTest(i: number): Promise<void> };

async function mount(): Promise<Widget> {
  const el = document.createElement('denoise-widget') as Widget;
  el.dataset.models = JSON.stringify(MODELS);
  el.dataset.curve = JSON.stringify(CURVE);
  el.innerHTML = MARKUP;
  document.body.append(el);
  await vi.waitFor(() => expect(el.dataset.state).not.toBe('loading'));
  return el;
}
const text = (el: Element, role: string) => el.querySelector(`[data-role="${role}"]`)!.textContent;
const frame = () => new Promise((r) => requestAnimationFrame(r));

describe('denoise helpers', () => {
  it('parseModels wants exactly an AE, a DAE and a VAE', () => {
    expect(parseModels(JSON.stringify(MODELS))).toHaveLength(3);
    expect(() => parseModels(undefined)).toThrow('The model zoo (pretrained/zoo.json) lacks a 2-D AE, DAE or VAE, so this figure cannot run.');
  });
  it('meanText reads the curve at σ, and is empty without one', () => {
    expect(meanText(CURVE, 'dae', 0.25)).toBe(' · test mean 126.0');
    expect(meanText(undefined, 'dae', 0.25)).toBe('');
    expect(meanText(CURVE, 'other', 0.25)).toBe('');
  });
  it('announcement names each reconstructed model, or says nothing', () => {
    expect(announcement('Test digit #3, a 0', 0.5, 7, MODELS, { ae: 80, vae: 90.04 })).toBe('Test digit #3, a 0, noise σ 0.50, seed 7: AE BCE 80.0 nats, VAE BCE 90.0 nats.');
    expect(announcement('x', 0.5, 7, MODELS, {})).toBe('');
  });
});

describe('<denoise-widget>', () => {
  beforeEach(() => {
    vi.stubGlobal('IntersectionObserver', undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    defineDenoise();
  });
  afterEach(() => {
    document.body.innerHTML = '';
    pads.length = 0;
    painted.clear();
    state.missing = '';
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('reaches ready with test digit 0 reconstructed by all three models, each beside its test mean', async () => {
    const el = await mount();
    expect(el.dataset.state).toBe('ready');
    expect(text(el, 'clean-text')).toBe('Test digit #0, a 7');
    for (const kind of ['ae', 'dae', 'vae']) expect(text(el, `${kind}-text`)).toMatch(/^BCE \d+\.\d nats · test mean 15\d\.0$/);
    expect(Object.keys(el.bces)).toEqual(['ae', 'dae', 'vae']);
    expect(text(el, 'live')).toMatch(/^Test digit #0, a 7, noise σ 0\.50, seed 12345: AE BCE/);
    expect(text(el, 'seed')).toBe('seed 12345');
  });

  it('σ = 0 leaves the input clean; New noise takes the next seed', async () => {
    const el = await mount();
    el.setSigma(0);
    await frame();
    expect(text(el, 'sigma-out')).toBe('0.00');
    expect(painted.get('noisy')).toEqual(painted.get('clean'));
    el.setSigma(1);
    await frame();
    const before = painted.get('noisy')!;
    expect(before).not.toEqual(painted.get('clean'));
    el.querySelector<HTMLButtonElement>('[data-role="new-noise"]')!.click();
    expect(text(el, 'seed')).toBe('seed 12346');
    expect(painted.get('noisy')).not.toEqual(before);
  });

  it('the drawing is noised once chosen as the source; an empty pad blanks the row', async () => {
    const el = await mount();
    const drawing = el.querySelectorAll<HTMLInputElement>('[data-role="source"]')[1]!;
    drawing.checked = true;
    drawing.dispatchEvent(new Event('change'));
    expect(el.querySelector<HTMLElement>('[data-part="drawing"]')!.hidden).toBe(false);
    expect(text(el, 'ae-text')).toBe('BCE —');
    pads[0]!.onChange(new Float32Array(784).fill(0.2), 0);
    pads[0]!.onStrokeEnd!();
    expect(text(el, 'clean-text')).toBe('Your drawing');
    expect(text(el, 'live')).toMatch(/^Your drawing, noise σ 0\.50, seed 12345: AE BCE/);
    el.querySelector<HTMLButtonElement>('[data-role="clear"]')!.click();
    expect(text(el, 'live')).toBe('Drawing cleared.');
    expect(el.bces).toEqual({});
  });

  it('a missing model file ends in the alert', async () => {
    state.missing = 'dae/decoder';
    const el = await mount();
    expect(el.dataset.state).toBe('error');
    expect(el.querySelector('[role="alert"]')!.textContent).toBe('pretrained/dae/compact/decoder/weights.bin: HTTP 404');
  });
});
