/**
 * The live traversal of the bigger codes (`BiggerTraversal.astro`, `<zoo-bigger-traversal>`): a
 * test digit encoded by a zoo model with a code wider than two dimensions, then one dimension moved
 * from −3 to +3 standard deviations around its test mean (a decoded row, and the slider's position
 * decoded once per frame), the others fixed. A model's encoder and decoder load when it is chosen
 * (`bigger-coders.ts`, the one door to the runtime).
 *
 * Test and benchmark hooks (only in a build with `TEST_HOOKS`): `frames`, `renderTimes` (the
 * main-thread ms of each slider frame, the last 1,000), `setModel(id, i)`, `setDigit(i)`,
 * `setDimension(d)` and `benchDecode(n, rounds)`.
 */
import { IslandElement } from '../../lib/island.ts';
import { exposeTestHook } from '../../lib/test-hooks.ts';
import { frameHooks } from '../frame-times.ts';
import { loadCoders, loadDecoder, type Coders } from './bigger-coders.ts';
import { IMAGE_SIZE } from '../../lib/digits.ts';
import { frameCoalescer, putDigit, putMosaic, required } from '../../lib/widget-dom.ts';
import { digitName } from '../reconstruction/recon.ts';
import { wireDigitPicker } from '../../lib/digit-picker.ts';
import { dimName, dimOption, offsetText, traversalCodes, traversalOffsets, type TraversalDim } from './bigger.ts';

/** A model as the page lists it (`data-models`). */
export interface TraversalModel {
  id: string;
  kind: string;
  dim: number;
  title: string;
  mean: number[];
  sd: number[];
  dims: TraversalDim[];
}

const TEST_COUNT = 10_000;

/** The live traversal. */
export class BiggerTraversalElement extends IslandElement {
  #models: TraversalModel[] = [];
  #model!: TraversalModel;
  #coders!: Coders;
  #index = 0;
  #dim = 0;
  #code: Float32Array = new Float32Array(0);
  #pixels = new Float32Array(IMAGE_SIZE);
  #offsets = traversalOffsets();
  #ticket = 0;
  #frameDone = frameHooks(this, true);

  constructor() {
    super();
    exposeTestHook(this, 'setModel', (id: string, i: number) => this.#setModel(id, i));
    exposeTestHook(this, 'setDigit', (i: number) => this.#setDigit(i));
    exposeTestHook(this, 'setDimension', (index: number) => this.#setDimension(index));
    exposeTestHook(this, 'benchDecode', (n?: number, rounds?: number) => this.#benchDecode(n, rounds));
  }

  protected async start(): Promise<void> {
    this.#models = JSON.parse(this.dataset.models ?? '[]') as TraversalModel[];
    if (this.#models.length === 0) throw new Error('The zoo has no model with a code wider than two dimensions.');
    const checked = this.querySelector<HTMLInputElement>('input[name="zt-model"]:checked');
    await this.#setModel(checked?.value ?? this.#models[0]!.id, 0);
    wireDigitPicker(this, {
      count: TEST_COUNT,
      current: () => this.#index,
      go: (i) => void this.#setDigit(i).catch((err: unknown) => this.fail(err)),
    });
    for (const r of this.querySelectorAll<HTMLInputElement>('input[name="zt-model"]')) {
      r.addEventListener('change', () => {
        if (r.checked) this.#setModel(r.value, this.#index).catch((err: unknown) => this.fail(err));
      });
    }
    const select = required<HTMLSelectElement>(this, '[data-role="dim"]');
    select.addEventListener('change', () => this.#setDimension(Number(select.value)));
    const slider = required<HTMLInputElement>(this, '[data-role="offset"]');
    const draw = frameCoalescer(() => this.#drawCurrent());
    slider.addEventListener('input', draw);
    for (const el of this.querySelectorAll<HTMLInputElement | HTMLButtonElement | HTMLSelectElement>('.zt-controls :disabled')) el.disabled = false;
  }

  /**
   * Shows model `id` (loading its encoder and decoder) on test digit `i`. The dimension menu lists
   * the model's traversal dimensions; the first is picked.
   */
  async #setModel(id: string, i: number): Promise<void> {
    const m = this.#models.find((x) => x.id === id);
    if (!m) throw new Error(`No model ${id} in this figure.`);
    const ticket = ++this.#ticket;
    this.dataset.loadingModel = id;
    let coders: Coders;
    try {
      coders = await loadCoders(m.id, m.dim);
    } finally {
      if (ticket === this.#ticket) delete this.dataset.loadingModel;
    }
    if (ticket !== this.#ticket) return;
    this.#model = m;
    this.#coders = coders;
    this.dataset.model = m.id;
    for (const r of this.querySelectorAll<HTMLInputElement>('input[name="zt-model"]')) r.checked = r.value === m.id;
    const select = required<HTMLSelectElement>(this, '[data-role="dim"]');
    select.replaceChildren(
      ...m.dims.map((d) => {
        const o = document.createElement('option');
        o.value = String(d.index);
        o.textContent = dimOption(m.kind, d);
        return o;
      }),
    );
    this.#dim = m.dims[0]?.index ?? 0;
    select.value = String(this.#dim);
    await this.#setDigit(i);
  }

  /** Encodes test digit `i` with the current model and redraws. */
  async #setDigit(i: number): Promise<void> {
    const ticket = this.#ticket;
    const { loadDigits, atlasDigit, loadLabels } = await import('../../lib/data.ts');
    const [atlas, labels] = await Promise.all([loadDigits([i]), loadLabels()]);
    if (ticket !== this.#ticket) return;
    this.#index = i;
    required<HTMLInputElement>(this, '[data-role="index"]').value = String(i);
    const x = atlasDigit(atlas, i, this.#pixels);
    this.#code = this.#coders.encode(x);
    const input = required<HTMLCanvasElement>(this, '[data-role="input"]');
    putDigit(input, x);
    input.setAttribute('aria-label', digitName(i, labels[i]));
    this.dataset.index = String(i);
    this.#drawStrip();
    this.#drawCurrent();
  }

  /** Moves another dimension; the slider keeps its position. */
  #setDimension(index: number): void {
    if (!this.#model.dims.some((d) => d.index === index)) return;
    this.#dim = index;
    required<HTMLSelectElement>(this, '[data-role="dim"]').value = String(index);
    this.#drawStrip();
    this.#drawCurrent();
  }

  /** Decodes and draws the whole traversal row. */
  #drawStrip(): void {
    const m = this.#model;
    const codes = traversalCodes(this.#code, this.#dim, m.mean[this.#dim]!, m.sd[this.#dim]!, this.#offsets);
    const images = this.#coders.decodeBatch(codes, this.#offsets.length);
    const strip = required<HTMLCanvasElement>(this, '[data-role="strip"]');
    putMosaic(strip, images, this.#offsets.length, this.#offsets.length);
    strip.setAttribute(
      'aria-label',
      `${m.id}: test digit #${this.#index} decoded as ${dimName(m.kind, this.#dim)} moves from −3 to +3 standard deviations around its test mean, the other dimensions fixed.`,
    );
    this.dataset.dim = String(this.#dim);
  }

  /** Decodes and draws the code at the slider's position (one decoding per frame). */
  #drawCurrent(): void {
    const t0 = performance.now();
    const m = this.#model;
    const slider = required<HTMLInputElement>(this, '[data-role="offset"]');
    const t = Number(slider.value);
    const value = m.mean[this.#dim]! + t * m.sd[this.#dim]!;
    const code = traversalCodes(this.#code, this.#dim, m.mean[this.#dim]!, m.sd[this.#dim]!, [t]);
    const canvas = required<HTMLCanvasElement>(this, '[data-role="current"]');
    putDigit(canvas, this.#coders.decode(code));
    const text = `${m.id}, test digit #${this.#index}: ${offsetText(m.kind, this.#dim, t, value)}`;
    slider.setAttribute('aria-valuetext', offsetText(m.kind, this.#dim, t, value));
    canvas.setAttribute('aria-label', `Decoded at ${text}`);
    required<HTMLOutputElement>(this, '[data-role="readout"]').value = text;
    this.dataset.offset = t.toFixed(1);
    this.#frameDone(t0);
  }

  /**
   * A benchmark hook: decodes `n` traversal codes of the current model (n = 400: a 20 × 20
   * grid, the manifold budget of 16 ms) and, alternately, `n` points of the site's 2-D VAE
   * (`data-reference`, the latent explorer's decoder) through the same code, `rounds` times
   * each; returns the best ms of each side.
   */
  async #benchDecode(n = 400, rounds = 5): Promise<{ model: number; reference: number }> {
    const m = this.#model;
    const offsets = Array.from({ length: n }, (_, k) => -3 + (6 * k) / (n - 1));
    const codes = traversalCodes(this.#code, this.#dim, m.mean[this.#dim]!, m.sd[this.#dim]!, offsets);
    const ref = await loadDecoder(this.dataset.reference ?? 'vae', 2);
    const points = Float32Array.from({ length: 2 * n }, (_, k) => ((k * 0.37) % 6) - 3);
    const out = new Float32Array(n * IMAGE_SIZE);
    const time = (f: () => void) => {
      const t0 = performance.now();
      f();
      return performance.now() - t0;
    };
    let model = Infinity;
    let reference = Infinity;
    for (let r = 0; r < rounds; r++) {
      model = Math.min(model, time(() => this.#coders.decodeBatch(codes, n, out)));
      reference = Math.min(reference, time(() => ref.decodeBatch(points, n, out)));
    }
    return { model, reference };
  }
}

/** Defines `<zoo-bigger-traversal>` (once). */
export function defineBiggerTraversal(): void {
  if (!customElements.get('zoo-bigger-traversal')) customElements.define('zoo-bigger-traversal', BiggerTraversalElement);
}
