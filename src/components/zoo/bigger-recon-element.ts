/**
 * The live part of the bigger-codes reconstructions (`BiggerRecon.astro`, `<zoo-bigger-recon>`):
 * any test digit, or the reader's drawing, reconstructed by every unconditional AE and VAE of the
 * zoo with each one's BCE. A model's encoder and decoder load at the first pick or stroke
 * (`bigger-coders.ts`, the one door to the runtime); each model's cell fills as its files arrive.
 *
 * Test and benchmark hooks (only in a build with `TEST_HOOKS`): `reconstructions` (count since
 * load), `renderTimes` (main-thread ms of each drawing frame: prepare, every encoding and decoding,
 * paint; the last 1,000) and `showTest(i)`.
 */
import { IslandElement } from '../../lib/island.ts';
import { attachDrawingPad, strokeAnnouncer } from '../../lib/drawing-pad.ts';
import { IMAGE_SIZE } from '../../lib/digits.ts';
import { putDigit, required } from '../../lib/widget-dom.ts';
import { imageBce } from '../../lib/loss.ts';
import { formatNats } from '../../lib/viz/format.ts';
import { wireDigitPicker } from '../../lib/digit-picker.ts';
import { exposeTestHook } from '../../lib/test-hooks.ts';
import { digitName } from '../reconstruction/recon.ts';
import { frameHooks } from '../frame-times.ts';
import { reconCaption } from './bigger.ts';
import { loadCoders, type Coders } from './bigger-coders.ts';

/** A model as the page lists it (`data-models`). */
export interface LiveModel {
  id: string;
  kind: string;
  dim: number;
  title: string;
  testBce?: number;
}

const TEST_COUNT = 10_000;

/** The live part of the bigger-codes reconstructions. */
export class BiggerReconElement extends IslandElement {
  #models: LiveModel[] = [];
  #index = 0;
  #ticket = 0;
  /** Each model's encoder and decoder, loaded at the first pick or stroke. */
  #coders = new Map<string, Promise<Coders>>();
  #ready = new Map<string, Coders>();
  #reconstructions = 0;
  #frameDone = frameHooks(this, false);

  constructor() {
    super();
    exposeTestHook(this, 'reconstructions', 0);
    exposeTestHook(this, 'showTest', (i: number) => this.#showTest(i));
  }

  /** Model `m`'s encoder and decoder (fetched once, on demand; a failed fetch is tried again next time). */
  #load(m: LiveModel): Promise<Coders> {
    let p = this.#coders.get(m.id);
    if (!p) {
      p = loadCoders(m.id, m.dim).then((coders) => {
        this.#ready.set(m.id, coders);
        return coders;
      });
      this.#coders.set(m.id, p);
      p.catch(() => this.#coders.delete(m.id));
    }
    return p;
  }

  /** Shows model `m`'s reconstruction of `x` with its BCE; returns the BCE. */
  #cell(m: LiveModel, coders: Coders, x: Float32Array, name: string): number {
    const probs = coders.decode(coders.encode(x));
    const bce = imageBce(x, probs);
    const cell = required<HTMLElement>(this, `[data-cell="${m.id}"]`);
    putDigit(required(cell, 'canvas'), probs);
    required(cell, 'canvas').setAttribute('aria-label', `${m.title} (${m.id}): reconstruction of ${name}, BCE ${formatNats(bce)}`);
    required<HTMLElement>(cell, '[data-role="text"]').textContent = reconCaption(bce, m.testBce);
    cell.dataset.loaded = 'true';
    cell.dataset.bce = bce.toFixed(3);
    exposeTestHook(this, 'reconstructions', ++this.#reconstructions);
    return bce;
  }

  /** Shows the input cell. */
  #input(x: Float32Array, name: string): void {
    required<HTMLElement>(this, '[data-role="row"]').hidden = false;
    putDigit(required(this, '[data-role="input"]'), x);
    required(this, '[data-role="input"]').setAttribute('aria-label', name);
    required<HTMLElement>(this, '[data-role="input-text"]').textContent = name;
  }

  protected async start(): Promise<void> {
    this.#models = JSON.parse(this.dataset.models ?? '[]') as LiveModel[];
    if (this.#models.length === 0) throw new Error('The zoo lists no AE or VAE to reconstruct with.');
    wireDigitPicker(this, {
      count: TEST_COUNT,
      current: () => this.#index,
      go: (i) => void this.#showTest(i).catch((err: unknown) => this.fail(err)),
    });
    this.#wireDrawing();
  }

  /** The drawing pad (`lib/drawing-pad.ts`): the first stroke loads the models; each frame reconstructs the drawing with all of them. */
  #wireDrawing(): void {
    const hint = required<HTMLElement>(this, '[data-role="hint"]');
    const live = required<HTMLElement>(this, '[data-role="live"]');
    // A stroke that ended before the models arrived is reconstructed (and announced) once they have.
    const say = strokeAnnouncer(live);
    const pad = attachDrawingPad(required<HTMLCanvasElement>(this, '[data-role="pad"]'), {
      onFirstStroke: () => {
        Promise.all(this.#models.map((m) => this.#load(m))).then(
          () => pad.refresh(),
          (err: unknown) => this.fail(err),
        );
      },
      onChange: (x, t0) => {
        hint.hidden = x !== null;
        this.dataset.drawn = String(x !== null);
        if (!x || this.#ready.size < this.#models.length) return;
        this.#ticket++; // a test digit still loading must not overwrite the drawing
        this.#input(x, 'Your drawing');
        const said = this.#models.map((m) => `${m.id} ${formatNats(this.#cell(m, this.#ready.get(m.id)!, x, 'your drawing'))}`).join(', ');
        say.shown(`Your drawing: BCE ${said}.`);
        this.dataset.shown = 'drawing';
        required<HTMLElement>(this, '[data-role="note"]').hidden = true;
        this.#frameDone(t0);
      },
      onStrokeEnd: () => {
        if (pad.image()) say.strokeEnd();
      },
    });
    const clear = required<HTMLButtonElement>(this, '[data-role="clear"]');
    clear.addEventListener('click', () => {
      pad.clear();
      say.clear();
      live.textContent = 'Drawing cleared.';
    });
    clear.disabled = false;
  }

  /**
   * Shows test digit `i` reconstructed by every model. Fetches the digit's chunk and, the first
   * time, each model's encoder and decoder; each model's cell fills as its files arrive. Resolves
   * once every cell shows digit `i`; rejects on the first failed file.
   */
  async #showTest(i: number): Promise<void> {
    const ticket = ++this.#ticket;
    this.#index = i;
    const { loadDigits, atlasDigit, loadLabels } = await import('../../lib/data.ts');
    const [atlas, labels] = await Promise.all([loadDigits([i]), loadLabels()]);
    if (ticket !== this.#ticket) return;
    const x = atlasDigit(atlas, i, new Float32Array(IMAGE_SIZE));
    const name = digitName(i, labels[i]);
    this.#input(x, name);
    this.dataset.index = String(i);
    const said: string[] = [];
    await Promise.all(
      this.#models.map(async (m) => {
        const coders = await this.#load(m);
        if (ticket === this.#ticket) said.push(`${m.id} ${formatNats(this.#cell(m, coders, x, name))}`);
      }),
    );
    if (ticket !== this.#ticket) return;
    required<HTMLElement>(this, '[data-role="note"]').hidden = true;
    required<HTMLElement>(this, '[data-role="live"]').textContent = `${name}: BCE ${said.join(', ')}.`;
    this.dataset.shown = String(i);
  }
}

/** Defines `<zoo-bigger-recon>` (once). */
export function defineBiggerRecon(): void {
  if (!customElements.get('zoo-bigger-recon')) customElements.define('zoo-bigger-recon', BiggerReconElement);
}
