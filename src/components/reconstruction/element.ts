/**
 * The live reconstruction figure (`Reconstruction.astro`, `<reconstruction-widget>`): pick or
 * shuffle test digits and see them beside their AE and VAE reconstructions (decoded from the
 * digits' baked codes, so a test digit needs only the decoders), or draw one (the encoders load at
 * the first stroke, issue 11). Every model call goes through {@link loadModels}, the one place that
 * knows the runtime.
 *
 * Test and benchmark hooks (only in a build with `TEST_HOOKS`): `reconstructions` (count since
 * load), `renderTimes` (ms of each of the last 1,000 drawing frames: read, preprocess, reconstruct,
 * draw) and `showTest(i)` (shows test digit `i`; resolves once shown).
 */
import { IslandElement } from '../../lib/island.ts';
import { IMAGE_SIZE } from '../../lib/digits.ts';
import { attachDrawingPad, strokeAnnouncer } from '../../lib/drawing-pad.ts';
import { putDigit, required } from '../../lib/widget-dom.ts';
import { latestChoice, wireDigitPicker } from '../../lib/digit-picker.ts';
import { DIGITS_PER_CHUNK } from '../../lib/compact-format.ts';
import { exposeTestHook } from '../../lib/test-hooks.ts';
import { frameHooks } from '../frame-times.ts';
import type { Atlas, BackendInfo, Embeddings, Reconstruction } from '../../lib/runtime.ts';
import { THUMBS, bceCaption, chunkPicks, compareText, digitName } from './recon.ts';

/** The two models as this figure uses them (see {@link loadModels}). */
export interface ReconModels {
  backend: BackendInfo;
  /** Whether both encoders are here (a drawing needs them). */
  encodersReady(): boolean;
  /** Loads both encoders (once). */
  loadEncoders(): Promise<unknown>;
  /** Model `kind`'s reconstruction of `x`, encoded (needs the encoders). */
  reconstruct(kind: 'ae' | 'vae', x: Float32Array): Reconstruction;
  /** Model `kind`'s reconstruction of `x` decoded from its known code. */
  reconstructFrom(kind: 'ae' | 'vae', x: Float32Array, code: [number, number]): Reconstruction;
}

type Runtime = typeof import('../../lib/runtime.ts');

/** The adapter to the model runtime: the AE and VAE decoders now, their encoders on demand. */
export async function loadModels(rt: Runtime): Promise<ReconModels> {
  const { ae, vae, backend } = await rt.loadBoth();
  const models = { ae, vae };
  return {
    backend,
    encodersReady: () => Boolean(ae.encoder && vae.encoder),
    loadEncoders: () => Promise.all([ae.loadEncoder(), vae.loadEncoder()]),
    reconstruct: (kind, x) => rt.reconstruct(models[kind], x),
    reconstructFrom: (kind, x, code) => rt.reconstructFrom(models[kind], x, code),
  };
}

/** Test digit `i`'s 2-D code in `e`. */
export function codeOf(e: Embeddings, i: number): [number, number] {
  return [e.latent[2 * i]!, e.latent[2 * i + 1]!];
}

/** The live reconstruction figure. */
export class ReconstructionElement extends IslandElement {
  #rt!: Runtime;
  #models!: ReconModels;
  #atlas: Atlas | undefined;
  #labels: ArrayLike<number> | undefined;
  /** The baked codes of the test digits (VAE: μ): a test digit needs only the decoders. */
  #codes: { ae: Embeddings; vae: Embeddings } | undefined;
  #index = 0;
  #thumbs: number[] = [];
  #image = new Float32Array(IMAGE_SIZE);
  #drawn = false;
  #reconstructions = 0;
  #frameDone = frameHooks(this, false);
  #lastSummary = '';

  constructor() {
    super();
    exposeTestHook(this, 'reconstructions', 0);
    exposeTestHook(this, 'showTest', (i: number) => this.#showTest(i));
  }

  /**
   * Loads the decoders, the test digits' baked codes and the chunk of test digits the first
   * thumbnails show, then wires both parts. The encoders wait for the first stroke.
   */
  protected async start(): Promise<void> {
    this.#rt = await import('../../lib/runtime.ts');
    const rt = this.#rt;
    const picks = chunkPicks(THUMBS, rt.TEST_COUNT, DIGITS_PER_CHUNK);
    let why = '';
    const test = Promise.all([rt.loadEmbeddings('ae'), rt.loadEmbeddings('vae'), rt.loadDigits(picks)]).catch((err: unknown) => {
      why = err instanceof Error ? err.message : String(err);
      return undefined;
    });
    const [models, data] = await Promise.all([loadModels(rt), test]);
    this.#models = models;
    required<HTMLElement>(this, '[data-role="backend"]').textContent = rt.backendSentence(models.backend);
    const status = required<HTMLElement>(this, '[data-role="status"]');
    status.textContent = data ? '' : `The test digits are not available (${why}), so only drawing works here.`;
    status.hidden = !status.textContent;
    if (data) {
      const [aeCodes, vaeCodes, atlas] = data;
      this.#codes = { ae: aeCodes, vae: vaeCodes };
      this.#labels = aeCodes.labels;
      this.#atlas = atlas;
      this.#wireTest(atlas, picks);
    }
    this.#wireDrawing();
  }

  /** The label of test digit `i`, when the embeddings are available. */
  #label(i: number): number | undefined {
    return this.#labels?.[i];
  }

  /** Names the thumbnails (with labels once known). */
  #nameThumbs(): void {
    this.querySelectorAll<HTMLButtonElement>('[data-thumb]').forEach((b) => {
      const i = this.#thumbs[Number(b.dataset.thumb)]!;
      b.setAttribute('aria-label', digitName(i, this.#label(i)));
    });
  }

  /** Wires the digit picker (`lib/digit-picker.ts`) and the thumbnails. */
  #wireTest(atlas: Atlas, picks: number[]): void {
    // Each choice fetches its digit's chunk if need be; only the latest choice is shown.
    const choose = latestChoice(
      (i) => this.#rt.loadDigits([i]),
      (i) => void this.#showTest(i),
      (err) => this.fail(err),
    );
    const go = (i: number) => {
      this.#index = i;
      picker.show(i);
      choose(i);
    };
    const picker = wireDigitPicker(this, {
      count: atlas.count,
      current: () => this.#index,
      go,
      shuffle: () => {
        const next = chunkPicks(THUMBS, atlas.count, DIGITS_PER_CHUNK);
        this.#rt.loadDigits(next).then(
          () => {
            this.#shuffle(atlas, next);
            go(next[0]!);
          },
          (err: unknown) => this.fail(err),
        );
      },
    });
    this.querySelectorAll<HTMLButtonElement>('[data-thumb]').forEach((b) => b.addEventListener('click', () => go(this.#thumbs[Number(b.dataset.thumb)]!)));
    for (const el of this.querySelectorAll<HTMLInputElement | HTMLButtonElement>('[data-part="test"] :disabled')) el.disabled = false;
    this.#shuffle(atlas, picks);
    this.#index = picks[0]!;
    picker.show(this.#index);
    void this.#showTest(this.#index);
  }

  /** Fills the thumbnail strip with the given (loaded) test digits. */
  #shuffle(atlas: Atlas, picks: number[]): void {
    this.#thumbs = picks;
    const pixels = new Float32Array(IMAGE_SIZE);
    this.querySelectorAll<HTMLButtonElement>('[data-thumb]').forEach((b) => {
      const i = this.#thumbs[Number(b.dataset.thumb)]!;
      putDigit(b.querySelector('canvas')!, this.#rt.atlasDigit(atlas, i, pixels));
    });
    this.#nameThumbs();
  }

  /** Shows test digit `i` with both reconstructions, decoded from its baked codes (fetching its chunk if need be). */
  async #showTest(i: number): Promise<void> {
    if (!this.#atlas || !this.#codes) return;
    if (!this.#rt.hasDigit(this.#atlas, i)) await this.#rt.loadDigits([i]);
    const x = this.#rt.atlasDigit(this.#atlas, i, this.#image);
    const name = digitName(i, this.#label(i));
    const m = this.#models;
    this.#show('', x, name, m.reconstructFrom('ae', x, codeOf(this.#codes.ae, i)), m.reconstructFrom('vae', x, codeOf(this.#codes.vae, i)));
    required<HTMLElement>(this, '[data-role="test-live"]').textContent = this.#lastSummary;
  }

  /** Draws input and reconstructions into the row with canvas roles prefixed by `prefix`. */
  #show(prefix: '' | 'd-', x: Float32Array, subject: string, a: Reconstruction, v: Reconstruction): void {
    exposeTestHook(this, 'reconstructions', ++this.#reconstructions);
    putDigit(required(this, `[data-role="${prefix}orig"]`), x);
    putDigit(required(this, `[data-role="${prefix}ae"]`), a.probs);
    putDigit(required(this, `[data-role="${prefix}vae"]`), v.probs);
    required<HTMLElement>(this, `[data-role="${prefix}orig-text"]`).textContent = prefix ? '' : subject;
    required<HTMLElement>(this, `[data-role="${prefix}ae-text"]`).textContent = bceCaption(a.bce);
    required<HTMLElement>(this, `[data-role="${prefix}vae-text"]`).textContent = bceCaption(v.bce);
    required(this, `[data-role="${prefix}orig"]`).setAttribute('aria-label', prefix ? 'Your drawing as the models see it (28 × 28)' : subject);
    required(this, `[data-role="${prefix}ae"]`).setAttribute('aria-label', `AE reconstruction, ${bceCaption(a.bce)}`);
    required(this, `[data-role="${prefix}vae"]`).setAttribute('aria-label', `VAE reconstruction, ${bceCaption(v.bce)}`);
    this.#lastSummary = compareText(subject, a.bce, v.bce);
  }

  /** Wires the drawing pad (`lib/drawing-pad.ts`: mouse, touch and pen) and its clear button. */
  #wireDrawing(): void {
    const hint = required<HTMLElement>(this, '[data-role="hint"]');
    const live = required<HTMLElement>(this, '[data-role="draw-live"]');
    const clear = required<HTMLButtonElement>(this, '[data-role="clear"]');
    // A stroke that ends before the encoders arrive is announced once they have reconstructed it.
    const say = strokeAnnouncer(live);
    const pad = attachDrawingPad(required<HTMLCanvasElement>(this, '[data-role="pad"]'), {
      onChange: (x, t0) => {
        this.#drawn = x !== null;
        hint.hidden = this.#drawn;
        this.dataset.drawn = String(this.#drawn);
        if (x && this.#models.encodersReady()) {
          this.#show('d-', x, 'Your drawing', this.#models.reconstruct('ae', x), this.#models.reconstruct('vae', x));
          say.shown(this.#lastSummary);
        } else if (x) hint.hidden = true; // the encoders are on their way; the first stroke asked for them
        else {
          say.clear();
          this.#blankDrawn();
        }
        this.#frameDone(t0);
      },
      // The encoders load at the first stroke (issue 11); the drawing shows once they are here.
      onFirstStroke: () => {
        this.#models.loadEncoders().then(
          () => pad.refresh(),
          (err: unknown) => this.fail(err),
        );
      },
      onStrokeEnd: () => {
        if (this.#drawn) say.strokeEnd();
      },
    });
    clear.addEventListener('click', () => {
      pad.clear();
      live.textContent = 'Drawing cleared.';
    });
    clear.disabled = false;
    this.#blankDrawn();
  }

  /** Empties the drawing's output row (an empty pad is a hint, not an error). */
  #blankDrawn(): void {
    const zero = new Float32Array(IMAGE_SIZE);
    for (const role of ['orig', 'ae', 'vae']) {
      putDigit(required(this, `[data-role="d-${role}"]`), zero);
      required<HTMLElement>(this, `[data-role="d-${role}-text"]`).textContent = role === 'orig' ? '' : 'BCE —';
    }
  }
}

/** Defines `<reconstruction-widget>` (once). */
export function defineReconstruction(): void {
  if (!customElements.get('reconstruction-widget')) customElements.define('reconstruction-widget', ReconstructionElement);
}
