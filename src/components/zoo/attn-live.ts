/**
 * The live part of the attention figure (browser only, loaded lazily by `<zoo-attn>`): the reader
 * picks a test digit (the reconstruction widget's picker logic, `reconstruction/recon.ts`); the
 * attention encoder (`pretrained/attn/compact/encoder/`, `src/lib/attn.ts`) runs on it once and
 * gives its code μ and the softmax attention of that same pass; the figure shades the digit's
 * 4 × 4 patches by the selected patch's attention (one head or the heads' mean), redraws the
 * 16 × 16 matrix (`matrixSvg`, the build-time picture's own renderer), and decodes the digit's
 * code with the attention model's decoder and the MLP VAE's (from its baked code), with each
 * reconstruction's BCE (`reconstructFrom`).
 */
import { loadAttnEncoder, type AttnEncoder } from '../../lib/attn.ts';
import { DIGITS_PER_CHUNK } from '../../contracts/compact-format.ts';
import { IMAGE_SIZE } from '../../lib/digits.ts';
import type { LoadedModel } from '../../lib/models.ts';
import type { Atlas, Embeddings } from '../../lib/data.ts';
import { attachDrawingPad } from '../../lib/drawing-pad.ts';
import { putDigit, required } from '../../lib/widget-dom.ts';
import { formatNats } from '../../lib/viz/format.ts';
import { THUMBS, bceCaption, chunkPicks, digitName, randomPicks } from '../reconstruction/recon.ts';
import { wireDigitPicker } from '../../lib/digit-picker.ts';
import { HEADS, SHADE, TOKENS, attentionSentence, checkAttention, headMatrix, headName, inkiestPatch, matrixSvg, movePatch, patchName, pct, queryRow, type HeadChoice } from './attn-view.ts';

/** The compact attention encoder the figure runs (the browser's copy of `pretrained/attn/encoder`). */
export const ATTN_ENCODER_DIR = 'attn/compact/encoder';

/** Hooks `<zoo-attn>` exposes to tests and benchmarks. */
export interface AttnHooks {
  /** Redraws (patch shading + matrix) since load. */
  frames?: number;
  /** Milliseconds each of the last redraws took (patch shading and matrix). */
  renderTimes?: number[];
  /** Shows test digit `i` (fetching its chunk); resolves once drawn. */
  showTest?: (i: number) => Promise<void>;
}

/** Callbacks into the island for its `data-state` and alert. */
export interface IslandHooks {
  ready(): void;
  fail(err: unknown): void;
}

/** The `[r, g, b]` of the shading colour. */
const RGB = [1, 3, 5].map((i) => parseInt(SHADE.slice(i, i + 2), 16)).join(', ');

/** Mounts the figure inside `root`; resolves once the first digit is drawn. */
export async function mountAttention(root: HTMLElement & AttnHooks, hooks: IslandHooks): Promise<void> {
  const rt = await import('../../lib/runtime.ts');
  await rt.ensureBackend();
  const first = Number(root.dataset.digit ?? 0);
  // The starting digit's chunk only; its thumbnails come from the same chunk.
  const chunk = Math.floor(first / DIGITS_PER_CHUNK) * DIGITS_PER_CHUNK;
  const others = randomPicks(THUMBS, DIGITS_PER_CHUNK)
    .map((i) => chunk + i)
    .filter((i) => i !== first);
  const picks = [first, ...others].slice(0, THUMBS);
  const [attn, attnDecoder, vaeDecoder, vaeCodes, atlas] = await Promise.all([
    loadAttnEncoder(ATTN_ENCODER_DIR),
    rt.loadModel('vae', 'attn'),
    rt.loadModel('vae'),
    rt.loadEmbeddings('vae'),
    rt.loadDigits(picks),
  ]);
  const view = new AttnView(root, rt, atlas, attn, attnDecoder, vaeDecoder, vaeCodes, hooks);
  view.thumbs(picks);
  await view.show(first);
  hooks.ready();
}

type Runtime = typeof import('../../lib/runtime.ts');

/** The figure's state and drawing. */
class AttnView {
  #index = 0;
  #query = 0;
  #head: HeadChoice = 'mean';
  #image = new Float32Array(IMAGE_SIZE);
  #attention: ArrayLike<number> = new Float32Array(HEADS * TOKENS * TOKENS);
  #thumbs: number[] = [];
  #latest = 0;
  readonly #patches: HTMLButtonElement[];
  readonly #matrix: HTMLElement;
  readonly #sentence: HTMLElement;
  readonly #index$: HTMLInputElement;

  readonly root: HTMLElement & AttnHooks;
  readonly rt: Runtime;
  readonly atlas: Atlas;
  readonly attn: AttnEncoder;
  readonly attnDecoder: LoadedModel;
  readonly vaeDecoder: LoadedModel;
  readonly vaeCodes: Embeddings;
  readonly hooks: IslandHooks;

  constructor(
    root: HTMLElement & AttnHooks,
    rt: Runtime,
    atlas: Atlas,
    attn: AttnEncoder,
    attnDecoder: LoadedModel,
    vaeDecoder: LoadedModel,
    vaeCodes: Embeddings,
    hooks: IslandHooks,
  ) {
    this.root = root;
    this.rt = rt;
    this.atlas = atlas;
    this.attn = attn;
    this.attnDecoder = attnDecoder;
    this.vaeDecoder = vaeDecoder;
    this.vaeCodes = vaeCodes;
    this.hooks = hooks;
    root.frames = 0;
    root.renderTimes = [];
    root.showTest = (i) => this.show(i);
    this.#patches = [...root.querySelectorAll<HTMLButtonElement>('button[data-patch]')];
    if (this.#patches.length !== TOKENS) throw new Error(`The attention figure needs ${TOKENS} patch buttons; it has ${this.#patches.length}.`);
    this.#matrix = required(root, '[data-role="matrix"]');
    this.#sentence = required(root, '[data-role="sentence"]');
    this.#index$ = required(root, '[data-role="index"]');
    this.#wirePatches();
    this.#wireHeads();
    this.#wirePicker();
    this.#wireDrawing();
  }

  /** The shared drawing pad: the first stroke loads the VAE's encoder (the attention encoder is already here). */
  #wireDrawing(): void {
    const clear = required<HTMLButtonElement>(this.root, '[data-role="clear"]');
    const pad = attachDrawingPad(required<HTMLCanvasElement>(this.root, '[data-role="pad"]'), {
      onFirstStroke: () => {
        this.vaeDecoder.loadEncoder().then(
          () => pad.refresh(),
          (err: unknown) => this.hooks.fail(err),
        );
      },
      onChange: (x) => {
        if (!x || !this.vaeDecoder.encoder) return;
        ++this.#latest;
        const z = this.vaeDecoder.encode(x);
        this.root.dataset.digit = 'drawn';
        this.#render(x, 'Your drawing', [z[0]!, z[1]!]);
      },
    });
    clear.addEventListener('click', () => pad.clear());
    clear.disabled = false;
  }

  /** Selecting a patch: hover, click or tap; arrows, Home and End move it (roving focus). */
  #wirePatches(): void {
    for (const b of this.#patches) {
      const t = Number(b.dataset.patch);
      b.addEventListener('click', () => this.select(t));
      b.addEventListener('pointerenter', (e) => {
        if (e.pointerType === 'mouse') this.select(t);
      });
      b.addEventListener('focus', () => this.select(t));
      b.addEventListener('keydown', (e) => {
        const next = movePatch(t, e.key);
        if (next === null) return;
        e.preventDefault();
        this.#patches[next]!.focus();
        this.select(next);
      });
    }
  }

  #wireHeads(): void {
    for (const r of this.root.querySelectorAll<HTMLInputElement>('input[name="za-head"]')) {
      r.disabled = false;
      r.addEventListener('change', () => {
        if (!r.checked) return;
        this.#head = r.value === 'mean' ? 'mean' : Number(r.value);
        this.draw();
      });
    }
  }

  /** The digit picker (`lib/digit-picker.ts`: number box, previous / next, shuffle) and the thumbnails (each a chunk at most). */
  #wirePicker(): void {
    const count = this.atlas.count;
    wireDigitPicker(this.root, {
      count,
      current: () => this.#index,
      go: (i) => void this.go(i),
      shuffle: () => {
        const next = chunkPicks(THUMBS, count, DIGITS_PER_CHUNK);
        this.rt.loadDigits(next).then(
          () => {
            this.thumbs(next);
            void this.go(next[0]!);
          },
          (err: unknown) => this.hooks.fail(err),
        );
      },
    });
    for (const b of this.root.querySelectorAll<HTMLButtonElement>('[data-thumb]')) b.addEventListener('click', () => void this.go(this.#thumbs[Number(b.dataset.thumb)]!));
    for (const el of this.root.querySelectorAll<HTMLInputElement | HTMLButtonElement>('.za-picker :disabled')) el.disabled = false;
  }

  /** Fills the thumbnail strip with loaded test digits. */
  thumbs(picks: number[]): void {
    this.#thumbs = picks;
    const pixels = new Float32Array(IMAGE_SIZE);
    for (const b of this.root.querySelectorAll<HTMLButtonElement>('[data-thumb]')) {
      const i = picks[Number(b.dataset.thumb)];
      if (i === undefined) continue;
      putDigit(b.querySelector('canvas')!, this.rt.atlasDigit(this.atlas, i, pixels));
      b.setAttribute('aria-label', digitName(i, this.vaeCodes.labels[i]));
    }
  }

  /** Shows digit `i` once its chunk is here; a later choice supersedes it. Failures go to the alert. */
  async go(i: number): Promise<void> {
    try {
      await this.show(i);
      if (this.root.dataset.digit === String(i)) this.hooks.ready();
    } catch (err) {
      this.hooks.fail(err);
    }
  }

  /** Runs the encoder on test digit `i`, reconstructs it with both models and redraws. */
  async show(i: number): Promise<void> {
    const ticket = ++this.#latest;
    this.#index = i;
    this.#index$.value = String(i);
    if (!this.rt.hasDigit(this.atlas, i)) await this.rt.loadDigits([i]);
    if (ticket !== this.#latest) return;
    const x = this.rt.atlasDigit(this.atlas, i, this.#image);
    this.root.dataset.digit = String(i);
    this.#render(x, digitName(i, this.vaeCodes.labels[i]), [this.vaeCodes.latent[2 * i]!, this.vaeCodes.latent[2 * i + 1]!]);
  }

  /** Runs the attention encoder on `x` (784 pixels), reconstructs it with both models (the VAE from `vaeZ`) and redraws. */
  #render(x: Float32Array, name: string, vaeZ: [number, number]): void {
    const { mu, attention } = this.attn.encodeWithAttention(x);
    checkAttention(attention, this.attn.config.heads);
    this.#attention = attention;
    putDigit(required(this.root, '[data-role="digit"]'), x);
    required(this.root, '[data-role="digit"]').setAttribute('aria-label', `${name}, cut into 4 × 4 patches of 7 × 7 pixels.`);
    const a = this.rt.reconstructFrom(this.attnDecoder, x, [mu[0]!, mu[1]!]);
    const v = this.rt.reconstructFrom(this.vaeDecoder, x, vaeZ);
    const set = (role: string, probs: Float32Array, caption: string, label: string) => {
      const c = required<HTMLCanvasElement>(this.root, `[data-role="${role}"]`);
      putDigit(c, probs);
      c.setAttribute('aria-label', label);
      required<HTMLElement>(this.root, `[data-role="${role}-text"]`).textContent = caption;
    };
    set('orig', x, name, name);
    set('vae', v.probs, bceCaption(v.bce), `MLP VAE reconstruction, ${bceCaption(v.bce)}`);
    set('attn', a.probs, bceCaption(a.bce), `Attention-encoder reconstruction, ${bceCaption(a.bce)}`);
    const better = Math.abs(a.bce - v.bce) < 0.05 ? 'both about equally well' : a.bce < v.bce ? 'the attention encoder more closely' : 'the MLP VAE more closely';
    required<HTMLElement>(this.root, '[data-role="recon-live"]').textContent = `${name}: MLP VAE BCE ${formatNats(v.bce)}, attention encoder BCE ${formatNats(a.bce)}; ${better}.`;
    this.#query = inkiestPatch(x);
    this.draw();
  }

  /** Selects query patch `t` and redraws. */
  select(t: number): void {
    if (t === this.#query && this.#patches[t]!.getAttribute('aria-pressed') === 'true') return;
    this.#query = t;
    this.draw();
  }

  /** Shades the patches by the query's attention and redraws the matrix and the sentence. */
  draw(): void {
    const t0 = performance.now();
    const heads = this.attn.config.heads;
    const matrix = headMatrix(this.#attention, this.#head, heads);
    const row = queryRow(matrix, this.#query);
    let max = 0;
    for (const w of row) max = Math.max(max, w);
    this.#patches.forEach((b, t) => {
      const w = row[t]!;
      b.style.backgroundColor = `rgba(${RGB}, ${max > 0 ? ((0.75 * w) / max).toFixed(3) : 0})`;
      const selected = t === this.#query;
      b.setAttribute('aria-pressed', String(selected));
      b.tabIndex = selected ? 0 : -1;
      b.setAttribute('aria-label', `${patchName(t)}: ${selected ? 'selected; ' : ''}receives ${pct(w)} of the selected patch's attention`);
    });
    const of = this.root.dataset.digit === 'drawn' ? 'your drawing' : `test digit #${this.#index}`;
    this.#matrix.innerHTML = matrixSvg(matrix, this.#query, `Attention matrix of ${headName(this.#head, heads)} for ${of}: row = the patch that looks (query), column = the patch looked at (key); the selected patch's row is outlined.`);
    this.#sentence.textContent = attentionSentence(row, this.#query, this.#head, heads);
    this.root.dataset.query = String(this.#query);
    this.root.dataset.head = String(this.#head);
    this.root.frames!++;
    if (this.root.renderTimes!.push(performance.now() - t0) > 1000) this.root.renderTimes!.shift();
  }
}
