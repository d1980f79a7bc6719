/**
 * The denoising experiment live (`Denoise.astro`, `<denoise-widget>`, issue 12): a test digit or
 * the reader's drawing, noised at the slider's σ with a fixed seed ("New noise" takes the next),
 * reconstructed by the zoo's AE, DAE and VAE, each with its BCE against the clean image and the
 * test set's mean at that σ (the baked curve, whose marker follows the slider). Every model call
 * goes through {@link loadDenoiser}, the one place that knows the runtime.
 *
 * Test and benchmark hooks (only in a build with `TEST_HOOKS`): `frames` (reconstructions shown
 * since load), `renderTimes` (ms of noise + three reconstructions + drawing per frame, the last
 * 1,000), `bces` (the last frame's BCE per model id), `showTest(i)` and `setSigma(σ)`.
 */
import { IslandElement } from '../../lib/island.ts';
import { attachDrawingPad } from '../../lib/drawing-pad.ts';
import { IMAGE_SIZE } from '../../lib/digits.ts';
import { frameCoalescer, putDigit, required } from '../../lib/widget-dom.ts';
import { latestChoice, wireDigitPicker } from '../../lib/digit-picker.ts';
import { exposeTestHook } from '../../lib/test-hooks.ts';
import { bceCaption, digitName } from '../reconstruction/recon.ts';
import { frameHooks } from '../frame-times.ts';
import { curveAt, sigmaX, DENOISE_NAMES, DENOISE_SEED, type DenoiseKind } from './denoise.ts';

type Data = typeof import('../../lib/data.ts');
type Live = typeof import('./denoise-live.ts');

/** One model as this figure uses it (see {@link loadDenoiser}). */
export interface Denoiser {
  id: string;
  kind: DenoiseKind;
  /** The model's reconstruction (784 probabilities) of 784 pixels: encoded, then decoded. */
  reconstruct(x: Float32Array): Float32Array;
}

/** The adapter to the model runtime: model `id`'s encoder and decoder (noisy inputs must be encoded). */
export async function loadDenoiser(id: string, kind: DenoiseKind): Promise<Denoiser> {
  const { loadCompactStack } = await import('../../lib/compact-stack.ts');
  const encoder = await loadCompactStack(id, 'encoder', IMAGE_SIZE, 2);
  const decoder = await loadCompactStack(id, 'decoder', 2, IMAGE_SIZE);
  return { id, kind, reconstruct: (x) => decoder.run(encoder.run(x)) };
}

/** The baked curve as the page hands it over (`data-curve`). */
export interface CurveData {
  sigmas: number[];
  models: { id: string; bce: number[] }[];
}

/** The models the page lists (`data-models`): exactly an AE, a DAE and a VAE, or an error. */
export function parseModels(json: string | undefined): { id: string; kind: DenoiseKind }[] {
  const list = JSON.parse(json || '[]') as { id: string; kind: DenoiseKind }[];
  if (list.length !== 3) throw new Error('The model zoo (pretrained/zoo.json) lacks a 2-D AE, DAE or VAE, so this figure cannot run.');
  return list;
}

/** " · test mean 123.4": the test set's mean BCE of model `id` at σ, or '' without a curve for it. */
export function meanText(curve: CurveData | undefined, id: string, sigma: number): string {
  const series = curve?.models.find((s) => s.id === id);
  return series && curve ? ` · test mean ${curveAt(curve, series, sigma).toFixed(1)}` : '';
}

/** What the live region says about a frame ('' when nothing is reconstructed). */
export function announcement(subject: string, sigma: number, seed: number, models: readonly { id: string; kind: DenoiseKind }[], bces: Record<string, number>): string {
  const parts = models.map((m) => (bces[m.id] === undefined ? '' : `${DENOISE_NAMES[m.kind]} ${bceCaption(bces[m.id]!)}`)).filter(Boolean);
  return parts.length ? `${subject}, noise σ ${sigma.toFixed(2)}, seed ${seed}: ${parts.join(', ')}.` : '';
}

/** The live denoising figure. */
export class DenoiseElement extends IslandElement {
  #data!: Data;
  #imageBce!: (x: ArrayLike<number>, probs: ArrayLike<number>) => number;
  #live!: Live;
  #models: Denoiser[] = [];
  #curve: CurveData | undefined;
  #sigma = 0.5;
  #seed = DENOISE_SEED;
  #source: 'test' | 'drawing' = 'test';
  #index = 0;
  #label: number | undefined;
  #test = new Float32Array(IMAGE_SIZE);
  #hasTest = false;
  #drawing: Float32Array | null = null;
  #noisy = new Float32Array(IMAGE_SIZE);
  #redraw: () => void = () => {};
  #frameDone = frameHooks(this, true);
  #bces: Record<string, number> = {};

  constructor() {
    super();
    exposeTestHook(this, 'bces', this.#bces);
    exposeTestHook(this, 'showTest', (i: number) => this.#showTest(i));
    exposeTestHook(this, 'setSigma', (sigma: number) => this.#setSigma(sigma));
  }

  protected async start(): Promise<void> {
    const list = parseModels(this.dataset.models);
    this.#curve = this.dataset.curve ? (JSON.parse(this.dataset.curve) as CurveData) : undefined;
    // No TF.js on this figure: the three models run through loadDenoiser.
    const data = import('../../lib/data.ts');
    const [live, loss, models, [labels]] = await Promise.all([
      import('./denoise-live.ts'),
      import('../../lib/loss.ts'),
      Promise.all(list.map((m) => loadDenoiser(m.id, m.kind))),
      data.then((d) => Promise.all([d.loadLabels(), d.loadDigits([0])])),
    ]);
    this.#data = await data;
    this.#imageBce = loss.imageBce;
    this.#live = live;
    this.#models = models;
    required<HTMLElement>(this, '[data-role="backend"]').textContent = 'Runs in plain JavaScript: these small models need no machine-learning library.';
    required<HTMLElement>(this, '[data-role="status"]').hidden = true;
    this.#redraw = frameCoalescer(() => this.#render());
    this.#wireControls();
    this.#wireTest(labels);
    this.#wireDrawing();
    await this.#showTest(0);
  }

  /** Shows test digit `i` (resolves once drawn). */
  async #showTest(i: number): Promise<void> {
    const atlas = await this.#data.loadDigits([i]);
    this.#data.atlasDigit(atlas, i, this.#test);
    this.#index = i;
    this.#hasTest = true;
    this.#render();
    this.#announce();
  }

  /** Sets σ (the slider calls it). */
  #setSigma(sigma: number): void {
    this.#sigma = Math.min(1, Math.max(0, sigma));
    const slider = required<HTMLInputElement>(this, '[data-role="sigma"]');
    if (document.activeElement !== slider) slider.value = String(this.#sigma);
    required<HTMLOutputElement>(this, '[data-role="sigma-out"]').textContent = this.#sigma.toFixed(2);
    slider.setAttribute('aria-valuetext', `σ = ${this.#sigma.toFixed(2)}`);
    this.querySelector('[data-role="sigma-marker"]')?.setAttribute('x1', String(sigmaX(this.#sigma)));
    this.querySelector('[data-role="sigma-marker"]')?.setAttribute('x2', String(sigmaX(this.#sigma)));
    this.#redraw();
  }

  #clean(): Float32Array | null {
    return this.#source === 'drawing' ? this.#drawing : this.#hasTest ? this.#test : null;
  }

  #subject(): string {
    return this.#source === 'drawing' ? 'Your drawing' : digitName(this.#index, this.#label);
  }

  #setBces(bces: Record<string, number>): void {
    this.#bces = bces;
    exposeTestHook(this, 'bces', bces);
  }

  #render(): void {
    const t0 = performance.now();
    const clean = this.#clean();
    const seed = required<HTMLElement>(this, '[data-role="seed"]');
    seed.textContent = `seed ${this.#seed}`;
    if (!clean) {
      for (const role of ['clean', 'noisy', ...this.#models.map((m) => m.kind)]) {
        putDigit(required(this, `[data-role="${role}"]`), new Float32Array(IMAGE_SIZE));
        const text = required<HTMLElement>(this, `[data-role="${role}-text"]`);
        text.textContent = role === 'clean' || role === 'noisy' ? '' : 'BCE —';
      }
      this.#setBces({});
      return;
    }
    const noisy = this.#live.noisy(clean, this.#sigma, this.#seed, this.#noisy);
    putDigit(required(this, '[data-role="clean"]'), clean);
    putDigit(required(this, '[data-role="noisy"]'), noisy);
    required<HTMLElement>(this, '[data-role="clean-text"]').textContent = this.#subject();
    required<HTMLElement>(this, '[data-role="noisy-text"]').textContent = `σ ${this.#sigma.toFixed(2)}`;
    required(this, '[data-role="noisy"]').setAttribute('aria-label', `${this.#subject()} with noise σ = ${this.#sigma.toFixed(2)}, seed ${this.#seed}`);
    const bces: Record<string, number> = {};
    for (const m of this.#models) {
      const probs = m.reconstruct(noisy);
      const bce = this.#imageBce(clean, probs);
      bces[m.id] = bce;
      putDigit(required(this, `[data-role="${m.kind}"]`), probs);
      required<HTMLElement>(this, `[data-role="${m.kind}-text"]`).textContent = `${bceCaption(bce)}${meanText(this.#curve, m.id, this.#sigma)}`;
      required(this, `[data-role="${m.kind}"]`).setAttribute('aria-label', `${DENOISE_NAMES[m.kind]} reconstruction of the noisy input, ${bceCaption(bce)} against the clean image`);
    }
    this.#setBces(bces);
    this.#frameDone(t0);
  }

  #announce(): void {
    required<HTMLElement>(this, '[data-role="live"]').textContent = announcement(this.#subject(), this.#sigma, this.#seed, this.#models, this.#bces);
  }

  #wireControls(): void {
    const slider = required<HTMLInputElement>(this, '[data-role="sigma"]');
    slider.addEventListener('input', () => this.#setSigma(slider.valueAsNumber));
    slider.addEventListener('change', () => this.#announce());
    const fresh = required<HTMLButtonElement>(this, '[data-role="new-noise"]');
    fresh.addEventListener('click', () => {
      this.#seed = this.#live.nextSeed(this.#seed);
      this.#render();
      this.#announce();
    });
    for (const radio of this.querySelectorAll<HTMLInputElement>('[data-role="source"]')) {
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        this.#source = radio.value === 'drawing' ? 'drawing' : 'test';
        required<HTMLElement>(this, '[data-part="test"]').hidden = this.#source !== 'test';
        required<HTMLElement>(this, '[data-part="drawing"]').hidden = this.#source !== 'drawing';
        this.#render();
        this.#announce();
      });
      radio.disabled = false;
    }
    slider.disabled = false;
    fresh.disabled = false;
    this.#setSigma(slider.valueAsNumber);
  }

  #wireTest(labels: Uint8Array): void {
    const choose = latestChoice(
      (i) => this.#data.loadDigits([i]),
      (i) => void this.#showTest(i),
      (err) => this.fail(err),
    );
    this.#label = labels[0];
    wireDigitPicker(this, {
      count: labels.length,
      current: () => this.#index,
      go: (i) => {
        this.#label = labels[i];
        choose(i);
      },
    });
  }

  #wireDrawing(): void {
    const hint = required<HTMLElement>(this, '[data-role="hint"]');
    const clear = required<HTMLButtonElement>(this, '[data-role="clear"]');
    const pad = attachDrawingPad(required<HTMLCanvasElement>(this, '[data-role="pad"]'), {
      onChange: (x) => {
        this.#drawing = x;
        hint.hidden = x !== null;
        this.dataset.drawn = String(x !== null);
        if (this.#source === 'drawing') this.#render();
      },
      onStrokeEnd: () => {
        if (this.#drawing) this.#announce();
      },
    });
    clear.addEventListener('click', () => {
      pad.clear();
      required<HTMLElement>(this, '[data-role="live"]').textContent = 'Drawing cleared.';
    });
    clear.disabled = false;
  }
}

/** Defines `<denoise-widget>` (once). */
export function defineDenoise(): void {
  if (!customElements.get('denoise-widget')) customElements.define('denoise-widget', DenoiseElement);
}
