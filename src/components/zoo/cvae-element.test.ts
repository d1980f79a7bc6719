// @vitest-environment happy-dom
/**
 * The CVAE style figure's element with the runtime mocked: it reaches ready decoding the prior's
 * mean, the arrow keys and a test digit set the style (and say so), a stroke loads the encoder and
 * encodes the drawing with the chosen label, and mismatched files end in the alert.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DrawingPadOptions } from '../../lib/drawing-pad.ts';

const pads: DrawingPadOptions[] = [];
vi.mock('../../lib/drawing-pad.ts', async (orig) => ({
  ...(await orig<typeof import('../../lib/drawing-pad.ts')>()),
  attachDrawingPad: (_c: HTMLCanvasElement, o: DrawingPadOptions) => {
    pads.push(o);
    const img = new Float32Array(784).fill(0.3);
    return { clear: () => o.onChange(null, 0), refresh: () => o.onChange(img, 0), image: () => img };
  },
}));
vi.mock('../../lib/widget-dom.ts', async (orig) => ({
  ...(await orig<typeof import('../../lib/widget-dom.ts')>()),
  putDigit: () => {},
  putMosaic: () => {},
}));

const state = vi.hoisted(() => ({ codeDim: 2, decoded: [] as number[][], encoded: [] as number[], encoderLoads: 0 }));
vi.mock('../../lib/cvae.ts', () => ({
  loadConditional: async (id: string, latentDim: number) => ({
    id,
    latentDim,
    decodeDigits: (z: ArrayLike<number>, out: Float32Array) => {
      state.decoded.push([z[0]!, z[1]!]);
      return out;
    },
    loadEncoder: async () => {
      await new Promise((r) => setTimeout(r, 5));
      state.encoderLoads++;
    },
    encode: (_x: Float32Array, label: number) => {
      state.encoded.push(label);
      return Float32Array.of(0.5, -0.25);
    },
  }),
}));
vi.mock('../../lib/runtime.ts', () => {
  const count = 100;
  const latent = Float32Array.from({ length: 2 * count }, (_, k) => (k % 2 ? -1 : 1) * (k / (2 * count)));
  return {
    loadMap: async () => ({ header: { dim: state.codeDim }, values: latent }),
    loadLabels: async () => Uint8Array.from({ length: count }, (_, i) => i % 10),
    ensureBackend: async () => ({ name: 'wasm' }),
    backendSentence: () => 'Running on WebAssembly.',
    loadDigits: async () => ({ count }),
    atlasDigit: () => new Float32Array(784),
  };
});

const { defineCvaeStyle, styleModelProblem } = await import('./cvae-element.ts');

const MARKUP = `
  <canvas data-role="row"></canvas><p data-role="readout"></p>
  <canvas data-role="plane" tabindex="0"></canvas>
  <div class="digit-picker"><input type="number" data-role="index" disabled /><button data-role="prev" disabled></button>
    <button data-role="next" disabled></button><button data-role="random" disabled></button></div>
  <canvas data-role="test-digit"></canvas>
  <canvas data-role="pad"></canvas><p data-role="hint"></p>
  <select data-role="label" disabled>${Array.from({ length: 10 }, (_, d) => `<option value="${d}">${d}</option>`).join('')}</select>
  <button data-role="clear" disabled></button>
  <p data-role="live"></p><p data-role="status"></p><p data-role="backend"></p>`;

type Widget = HTMLElement & { frames: number; styleCode: [number, number]; renderTimes: number[] };

async function mount(model = 'cvae'): Promise<Widget> {
  const el = document.createElement('cvae-style') as Widget;
  el.dataset.model = model;
  el.dataset.dim = '2';
  el.innerHTML = MARKUP;
  document.body.append(el);
  await vi.waitFor(() => expect(el.dataset.state).not.toBe('loading'));
  return el;
}
const text = (el: Element, role: string) => el.querySelector(`[data-role="${role}"]`)!.textContent;

describe('styleModelProblem', () => {
  it('accepts a 2-D model with 2-D codes and names what disagrees otherwise', () => {
    expect(styleModelProblem('cvae', 2, 2)).toBeUndefined();
    expect(styleModelProblem('cvae', 3, 2)).toBe('pretrained/cvae/compact/latent.bin holds 3-D codes; the decoder takes 2-D codes.');
    expect(styleModelProblem('cvae', 4, 4)).toBe('This figure draws a 2-D plane; the conditional VAE cvae has a 4-D code.');
  });
});

describe('<cvae-style>', () => {
  beforeEach(() => {
    vi.stubGlobal('IntersectionObserver', undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    defineCvaeStyle();
  });
  afterEach(() => {
    document.body.innerHTML = '';
    pads.length = 0;
    Object.assign(state, { codeDim: 2, decoded: [], encoded: [], encoderLoads: 0 });
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('reaches ready with the ten digits of the prior mean decoded', async () => {
    const el = await mount();
    expect(el.dataset.state).toBe('ready');
    expect(state.decoded[0]).toEqual([0, 0]);
    expect(text(el, 'readout')).toBe('z = (0.00, 0.00), a point picked on the plane');
    expect(text(el, 'backend')).toBe('Running on WebAssembly.');
    expect(el.frames).toBe(1);
    expect(state.encoderLoads).toBe(0);
  });

  it('an arrow key on the plane moves the style and announces the new row', async () => {
    const el = await mount();
    el.querySelector('[data-role="plane"]')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(el.styleCode[0]).toBeGreaterThan(0);
    expect(text(el, 'live')).toMatch(/^The digits 0 to 9 decoded by the conditional VAE in one style: z = \(0\.\d\d, 0\.00\)/);
    await vi.waitFor(() => expect(el.frames).toBe(2));
  });

  it('a test digit picked by number sets its baked code as the style', async () => {
    const el = await mount();
    const index = el.querySelector<HTMLInputElement>('[data-role="index"]')!;
    index.value = '13';
    index.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(text(el, 'live')).toContain('the style of test digit #13 (a 3, encoded with its label)'));
    expect(el.querySelector('[data-role="test-digit"]')!.getAttribute('aria-label')).toBe('Test digit #13, a 3');
  });

  it('a stroke loads the encoder and encodes the drawing with the chosen label', async () => {
    const el = await mount();
    el.querySelector<HTMLSelectElement>('[data-role="label"]')!.value = '7';
    pads[0]!.onFirstStroke!();
    pads[0]!.onStrokeEnd!();
    await vi.waitFor(() => expect(state.encoded).toEqual([7]));
    expect(el.styleCode).toEqual([0.5, -0.25]);
    expect(text(el, 'live')).toContain('the style of your drawing (encoded as a 7)');
    expect(el.dataset.drawn).toBe('true');
  });

  it('codes of another size than the decoder takes end in the alert', async () => {
    state.codeDim = 3;
    const el = await mount();
    expect(el.dataset.state).toBe('error');
    expect(el.querySelector('[role="alert"]')!.textContent).toBe('pretrained/cvae/compact/latent.bin holds 3-D codes; the decoder takes 2-D codes.');
  });
});
