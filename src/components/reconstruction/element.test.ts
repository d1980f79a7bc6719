// @vitest-environment happy-dom
/**
 * The reconstruction figure's element with the runtime mocked: it reaches ready with a test digit
 * and both reconstructions shown, a stroke loads the encoders and reconstructs the drawing (and the
 * live region says so), and a failed load shows the error in the `role="alert"` box.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DrawingPadOptions } from '../../lib/drawing-pad.ts';

const pads: DrawingPadOptions[] = [];
vi.mock('../../lib/drawing-pad.ts', async (orig) => ({
  ...(await orig<typeof import('../../lib/drawing-pad.ts')>()),
  attachDrawingPad: (_c: HTMLCanvasElement, o: DrawingPadOptions) => {
    pads.push(o);
    return { clear: () => o.onChange(null, 0), refresh: () => o.onChange(new Float32Array(784).fill(0.5), 0), image: () => null };
  },
}));
// happy-dom has no 2-D canvas: count what would be painted instead.
const painted: string[] = [];
vi.mock('../../lib/widget-dom.ts', async (orig) => ({
  ...(await orig<typeof import('../../lib/widget-dom.ts')>()),
  putDigit: (c: HTMLCanvasElement) => void painted.push(c.dataset.role ?? 'thumb'),
}));

const rt = vi.hoisted(() => ({
  failBoth: false,
  encoders: 0,
}));
vi.mock('../../lib/runtime.ts', () => {
  const model = (kind: string) => {
    const m = {
      kind,
      encoder: null as object | null,
      loadEncoder: async () => {
        await new Promise((r) => setTimeout(r, 5));
        rt.encoders++;
        m.encoder = {};
        return m.encoder;
      },
    };
    return m;
  };
  const count = 10_000;
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  const emb = { labels, latent: new Float32Array(2 * count) };
  const atlas = { count };
  return {
    TEST_COUNT: count,
    loadBoth: async () => {
      if (rt.failBoth) throw new Error('pretrained/vae/compact/decoder.json: HTTP 404');
      return { ae: model('ae'), vae: model('vae'), backend: { name: 'wasm' } };
    },
    loadEmbeddings: async () => emb,
    loadDigits: async () => atlas,
    hasDigit: () => true,
    atlasDigit: (_a: unknown, i: number, out = new Float32Array(784)) => out.fill(i / count),
    backendSentence: () => 'Running on WebAssembly.',
    reconstructFrom: (m: { kind: string }) => ({ probs: new Float32Array(784), bce: m.kind === 'ae' ? 80 : 90 }),
    reconstruct: (m: { kind: string; encoder: unknown }) => {
      if (!m.encoder) throw new Error('no encoder');
      return { probs: new Float32Array(784), bce: m.kind === 'ae' ? 100 : 110 };
    },
  };
});

const { defineReconstruction } = await import('./element.ts');

const cell = (p: string, role: string) => `<canvas data-role="${p}${role}"></canvas><span data-role="${p}${role}-text"></span>`;
const MARKUP = `
  <div data-part="test">
    <div class="digit-picker"><input type="number" data-role="index" disabled /><button data-role="prev" disabled></button>
      <button data-role="next" disabled></button><button data-role="shuffle" disabled></button></div>
    ${Array.from({ length: 8 }, (_, i) => `<button data-thumb="${i}" disabled><canvas></canvas></button>`).join('')}
    ${['orig', 'ae', 'vae'].map((r) => cell('', r)).join('')}
    <p data-role="test-live"></p>
  </div>
  <canvas data-role="pad"></canvas><p data-role="hint"></p>
  ${['orig', 'ae', 'vae'].map((r) => cell('d-', r)).join('')}
  <button data-role="clear" disabled></button><p data-role="draw-live"></p>
  <p data-role="status">loading</p><p data-role="backend"></p>`;

type Widget = HTMLElement & { reconstructions: number; renderTimes: number[]; showTest(i: number): Promise<void> };

async function mount(): Promise<Widget> {
  const el = document.createElement('reconstruction-widget') as Widget;
  el.innerHTML = MARKUP;
  document.body.append(el);
  await vi.waitFor(() => expect(el.dataset.state).not.toBe('loading'));
  return el;
}

describe('<reconstruction-widget>', () => {
  beforeEach(() => {
    vi.stubGlobal('IntersectionObserver', undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    defineReconstruction();
  });
  afterEach(() => {
    document.body.innerHTML = '';
    pads.length = 0;
    painted.length = 0;
    rt.failBoth = false;
    rt.encoders = 0;
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('reaches ready showing a test digit beside both reconstructions, without loading the encoders', async () => {
    const el = await mount();
    expect(el.dataset.state).toBe('ready');
    expect(el.querySelector('[data-role="backend"]')!.textContent).toBe('Running on WebAssembly.');
    expect(el.querySelector<HTMLElement>('[data-role="status"]')!.hidden).toBe(true);
    await vi.waitFor(() => expect(el.querySelector('[data-role="ae-text"]')!.textContent).toBe('BCE 80.0 nats'));
    expect(el.querySelector('[data-role="vae-text"]')!.textContent).toBe('BCE 90.0 nats');
    expect(el.querySelector('[data-role="test-live"]')!.textContent).toMatch(/^Test digit #\d+/);
    expect(el.querySelector('[data-thumb="0"]')!.getAttribute('aria-label')).toMatch(/^Test digit #\d+, a \d$/);
    expect(el.querySelector<HTMLButtonElement>('[data-role="next"]')!.disabled).toBe(false);
    expect(rt.encoders).toBe(0);
    expect(el.reconstructions).toBe(1);
  });

  it('showTest (a test hook) shows the digit asked for', async () => {
    const el = await mount();
    await el.showTest(42);
    expect(el.querySelector('[data-role="orig-text"]')!.textContent).toBe('Test digit #42, a 2');
  });

  it('a stroke loads both encoders and reconstructs the drawing; the stroke end is announced', async () => {
    const el = await mount();
    const pad = pads[0]!;
    pad.onFirstStroke!();
    pad.onChange(new Float32Array(784).fill(0.5), performance.now()); // before the encoders arrive
    expect(el.querySelector('[data-role="d-ae-text"]')!.textContent).toBe('BCE —');
    pad.onStrokeEnd!();
    await vi.waitFor(() => expect(el.querySelector('[data-role="d-ae-text"]')!.textContent).toBe('BCE 100.0 nats'));
    expect(rt.encoders).toBe(2);
    expect(el.querySelector('[data-role="d-vae-text"]')!.textContent).toBe('BCE 110.0 nats');
    expect(el.querySelector('[data-role="draw-live"]')!.textContent).toMatch(/^Your drawing/);
    expect(el.dataset.drawn).toBe('true');
    expect(el.renderTimes.length).toBeGreaterThan(0);
    el.querySelector<HTMLButtonElement>('[data-role="clear"]')!.click();
    expect(el.querySelector('[data-role="draw-live"]')!.textContent).toBe('Drawing cleared.');
    expect(el.querySelector<HTMLElement>('[data-role="hint"]')!.hidden).toBe(false);
  });

  it('a failed model load shows the error in the alert box', async () => {
    rt.failBoth = true;
    const el = await mount();
    expect(el.dataset.state).toBe('error');
    expect(el.querySelector('[role="alert"]')!.textContent).toBe('pretrained/vae/compact/decoder.json: HTTP 404');
  });
});
