/**
 * "One style, ten digits" live (`CvaeStyle.astro`, `<cvae-style>`, issue 12): the conditional
 * VAE's decoder draws 0–9 from one 2-D code, the *style*, which the reader picks on the CVAE's
 * plane (pointer or arrow keys), from a test digit (its baked code) or from a drawing encoded with
 * the label the reader gives it (the encoder loads at the first stroke). Every model call goes
 * through {@link loadStyleModel}, the one place that knows the runtime.
 *
 * Test and benchmark hooks (only in a build with `TEST_HOOKS`): `frames` (rows decoded since
 * load), `renderTimes` (ms of decode + draw per frame, the last 1,000), `setStyle(x, y, source?,
 * announce?)` and `styleCode` (the current style).
 */
import { IslandElement } from '../../lib/island.ts';
import { attachDrawingPad, strokeAnnouncer } from '../../lib/drawing-pad.ts';
import { IMAGE_SIZE, clampToRange, pixelToLatent, type LatentRange } from '../../lib/digits.ts';
import { fitCanvas, frameCoalescer, onThemeChange, putDigit, putMosaic, required, themeColours, type ThemeColours } from '../../lib/widget-dom.ts';
import { latestChoice, wireDigitPicker } from '../../lib/digit-picker.ts';
import { exposeTestHook } from '../../lib/test-hooks.ts';
import { explorerRange, nudge } from '../latent-explorer/explorer.ts';
import { codeDotsLayer, paintPlane } from '../latent-explorer/plane.ts';
import { digitName } from '../reconstruction/recon.ts';
import { frameHooks } from '../frame-times.ts';
import { CLASSES, DEFAULT_STYLE, rowAlt, styleText, type StyleSource } from './cvae-style.ts';

type Runtime = typeof import('../../lib/runtime.ts');

/** The conditional VAE as this figure uses it (see {@link loadStyleModel}). */
export interface StyleModel {
  latentDim: number;
  /** Decodes code `z` with each label 0–9 into `out` (`10 × 784` probabilities, label-major). */
  decodeDigits(z: ArrayLike<number>, out: Float32Array<ArrayBuffer>): Float32Array;
  /** Loads (once) the encoder; `encode` works once it resolves. */
  loadEncoder(): Promise<unknown>;
  /** The code μ of 784 pixels told their label. */
  encode(pixels: Float32Array, label: number): Float32Array;
}

/** The adapter to the model runtime: the conditional VAE `id`'s decoder now, its encoder on demand. */
export async function loadStyleModel(id: string, latentDim: number): Promise<StyleModel> {
  const { loadConditional } = await import('../../lib/cvae.ts');
  const m = await loadConditional(id, latentDim);
  return { latentDim: m.latentDim, decodeDigits: (z, out) => m.decodeDigits(z, out), loadEncoder: () => m.loadEncoder(), encode: (x, label) => m.encode(x, label) };
}

/** Why the loaded files cannot drive this figure, or undefined when they can. */
export function styleModelProblem(id: string, codeDim: number, modelDim: number): string | undefined {
  if (codeDim !== modelDim) return `pretrained/${id}/compact/latent.bin holds ${codeDim}-D codes; the decoder takes ${modelDim}-D codes.`;
  if (modelDim !== 2) return `This figure draws a 2-D plane; the conditional VAE ${id} has a ${modelDim}-D code.`;
  return undefined;
}

/** The live CVAE style figure. */
export class CvaeStyleElement extends IslandElement {
  #rt!: Runtime;
  #model!: StyleModel;
  #latent!: Float32Array;
  #labels!: Uint8Array;
  #range!: LatentRange;
  #z: [number, number] = [DEFAULT_STYLE[0], DEFAULT_STYLE[1]];
  #source: StyleSource = { kind: 'plane' };
  #probs = new Float32Array(CLASSES * IMAGE_SIZE);
  #dots: HTMLCanvasElement | undefined;
  #colours: ThemeColours | undefined;
  #size: { width: number; height: number; dpr: number } | undefined;
  #redraw: () => void = () => {};
  #index = 0;
  #encoderReady = false;
  #frameDone = frameHooks(this, true);

  constructor() {
    super();
    exposeTestHook(this, 'styleCode', [...this.#z]);
    exposeTestHook(this, 'setStyle', (x: number, y: number, source?: StyleSource, announce?: boolean) => this.#setStyle(x, y, source, announce));
  }

  protected async start(): Promise<void> {
    const id = this.dataset.model;
    if (!id) throw new Error('The model zoo (pretrained/zoo.json) lists no conditional VAE, so this figure cannot run.');
    const runtime = import('../../lib/runtime.ts');
    const [rt, model, [latent, labels, backend]] = await Promise.all([
      runtime,
      loadStyleModel(id, Number(this.dataset.dim)),
      runtime.then((rt) => Promise.all([rt.loadMap(id, 'latent'), rt.loadLabels(), rt.ensureBackend()])),
    ]);
    this.#rt = rt;
    const problem = styleModelProblem(id, latent.header.dim, model.latentDim);
    if (problem) throw new Error(problem);
    this.#model = model;
    this.#latent = latent.values;
    this.#labels = labels;
    this.#range = explorerRange(latent.values);
    required<HTMLElement>(this, '[data-role="backend"]').textContent = rt.backendSentence(backend);
    required<HTMLElement>(this, '[data-role="status"]').hidden = true;
    this.#redraw = frameCoalescer(() => this.#render());
    this.#wirePlane();
    this.#wireTest();
    this.#wireDrawing();
    onThemeChange(() => this.#invalidate());
    new ResizeObserver(() => this.#invalidate()).observe(this);
    this.#render();
  }

  /** Sets the style (what every control calls). */
  #setStyle(x: number, y: number, source: StyleSource = { kind: 'plane' }, announce = false): void {
    this.#z = clampToRange(x, y, this.#range);
    exposeTestHook(this, 'styleCode', [...this.#z]);
    this.#source = source;
    this.#redraw();
    if (announce) this.#announce();
  }

  #announce(): void {
    required<HTMLElement>(this, '[data-role="live"]').textContent = rowAlt(this.#z, this.#source);
  }

  #invalidate(): void {
    this.#colours = undefined;
    this.#dots = undefined;
    this.#size = undefined;
    this.#redraw();
  }

  /** Decodes the ten digits and redraws the row, readout and plane. */
  #render(): void {
    const t0 = performance.now();
    this.#model.decodeDigits(this.#z, this.#probs);
    const row = required<HTMLCanvasElement>(this, '[data-role="row"]');
    putMosaic(row, this.#probs, CLASSES, CLASSES);
    row.setAttribute('aria-label', rowAlt(this.#z, this.#source));
    required<HTMLElement>(this, '[data-role="readout"]').textContent = styleText(this.#z, this.#source);
    this.#drawPlane();
    this.#frameDone(t0);
  }

  #wirePlane(): void {
    const plane = required<HTMLCanvasElement>(this, '[data-role="plane"]');
    const fromPointer = (e: PointerEvent) => {
      const r = plane.getBoundingClientRect();
      const [x, y] = pixelToLatent(e.clientX - r.left, e.clientY - r.top, this.#range, r.width, r.height);
      this.#setStyle(x, y);
    };
    plane.addEventListener('pointerdown', (e) => {
      plane.setPointerCapture(e.pointerId);
      plane.focus({ preventScroll: true });
      fromPointer(e);
    });
    plane.addEventListener('pointermove', (e) => {
      if (plane.hasPointerCapture(e.pointerId)) fromPointer(e);
    });
    plane.addEventListener('pointerup', () => this.#announce());
    plane.addEventListener('keydown', (e) => {
      const next = nudge(this.#z, e.key, this.#range, e.shiftKey);
      if (!next) return;
      e.preventDefault();
      this.#setStyle(next[0], next[1], { kind: 'plane' }, true);
    });
  }

  /** The plane: the test codes (cached layer), axes and the current style. */
  #drawPlane(): void {
    const plane = required<HTMLCanvasElement>(this, '[data-role="plane"]');
    this.#size ??= fitCanvas(plane);
    const { width, height, dpr } = this.#size;
    const ctx = plane.getContext('2d');
    if (!ctx) return;
    this.#colours ??= themeColours(this);
    const colours = this.#colours;
    if (!this.#dots || this.#dots.width !== plane.width || this.#dots.height !== plane.height) this.#dots = codeDotsLayer(plane, this.#latent, this.#labels, this.#range, width, height, dpr, colours.background);
    paintPlane(ctx, this.#dots, this.#z, this.#range, this.#size, colours, false);
  }

  /** The test-digit picker: the digit's baked code (its encoding with its true label) is the style. */
  #wireTest(): void {
    const choose = latestChoice(
      (i) => this.#rt.loadDigits([i]),
      (i, atlas) => {
        const label = this.#labels[i]!;
        const canvas = required<HTMLCanvasElement>(this, '[data-role="test-digit"]');
        putDigit(canvas, this.#rt.atlasDigit(atlas, i));
        canvas.setAttribute('aria-label', digitName(i, label));
        this.#setStyle(this.#latent[2 * i]!, this.#latent[2 * i + 1]!, { kind: 'test', index: i, label }, true);
      },
      (err) => this.fail(err),
    );
    wireDigitPicker(this, {
      count: this.#labels.length,
      current: () => this.#index,
      go: (i) => {
        this.#index = i;
        choose(i);
      },
    });
    putDigit(required<HTMLCanvasElement>(this, '[data-role="test-digit"]'), new Float32Array(IMAGE_SIZE));
  }

  /** The drawing pad and its label: the drawing encoded with that label is the style. */
  #wireDrawing(): void {
    const hint = required<HTMLElement>(this, '[data-role="hint"]');
    const select = required<HTMLSelectElement>(this, '[data-role="label"]');
    const clear = required<HTMLButtonElement>(this, '[data-role="clear"]');
    // A stroke that ends before the encoder arrives is announced once it has set the style.
    const say = strokeAnnouncer(required<HTMLElement>(this, '[data-role="live"]'));
    const useDrawing = (x: Float32Array | null) => {
      hint.hidden = x !== null;
      this.dataset.drawn = String(x !== null);
      if (!x) say.clear();
      if (!x || !this.#encoderReady) return;
      const label = Number(select.value);
      const z = this.#model.encode(x, label);
      this.#setStyle(z[0]!, z[1]!, { kind: 'drawing', label });
      say.shown(rowAlt(this.#z, this.#source));
    };
    const pad = attachDrawingPad(required<HTMLCanvasElement>(this, '[data-role="pad"]'), {
      onChange: (x) => useDrawing(x),
      onFirstStroke: () => {
        this.#model.loadEncoder().then(
          () => {
            this.#encoderReady = true;
            pad.refresh();
          },
          (err: unknown) => this.fail(err),
        );
      },
      onStrokeEnd: () => {
        if (pad.image()) say.strokeEnd();
      },
    });
    select.addEventListener('change', () => {
      useDrawing(pad.image());
      if (pad.image()) this.#announce();
    });
    clear.addEventListener('click', () => {
      pad.clear();
      required<HTMLElement>(this, '[data-role="live"]').textContent = 'Drawing cleared.';
    });
    select.disabled = false;
    clear.disabled = false;
  }
}

/** Defines `<cvae-style>` (once). */
export function defineCvaeStyle(): void {
  if (!customElements.get('cvae-style')) customElements.define('cvae-style', CvaeStyleElement);
}
