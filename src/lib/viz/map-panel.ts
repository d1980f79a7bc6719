/**
 * One model's live map of the test set (browser only), shared by the three widgets that show maps:
 * the latent maps (`src/components/latent-map/view.ts`), the t-SNE lab (`tsne-lab/lab.ts`) and the
 * β sweep (`zoo/beta-sweep.ts`). 10,000 test digits drawn on a devicePixelRatio-aware canvas,
 * d3-zoom for zoom and pan (plus keys and buttons), a quadtree-like index for hover hit-testing,
 * animated switches between projections, class highlighting, and a tooltip with the digit's image
 * (only the 100-digit chunk that holds it is fetched, `loadDigits`). The panel's markup (a
 * section with `.lm-stage`, zoom buttons) is `src/components/latent-map/Panel.astro`'s.
 */
import { axisBottom, axisLeft, scaleLinear, select, zoom, zoomIdentity, type Selection, type ZoomBehavior, type ZoomTransform } from 'd3';
import { AXIS_TITLES, METHOD_LABELS, type Embeddings, type Method } from '../../contracts/embeddings.ts';
import { atlasDigit, loadDigits } from '../data.ts';
import { SIDE } from '../digits.ts';
import { formatCoord } from './format.ts';
import { classMedians, easeCubicInOut, fitView, indicesByClass, lerpPositions, type FittedView } from './map-layout.ts';
import { pointTooltip } from './map-tooltip.ts';
import { buildPointIndex, type PointIndex } from './nearest.ts';
import { DIGIT_COLORS } from './palette.ts';

const MAX_ZOOM = 60;
const ZOOM_STEP = 1.6;
const PAN_STEP = 48;
const TRANSITION_MS = 900;

/** True when the reader asked for less motion. */
const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Draws test digit `test` (its chunk fetched and verified on first use) into `img`, pixel-doubled. */
async function drawDigit(img: HTMLCanvasElement, test: number): Promise<boolean> {
  const pixels = atlasDigit(await loadDigits([test]), test);
  const c = img.getContext('2d');
  if (!c) return false;
  const scale = img.width / SIDE;
  const out = c.createImageData(img.width, img.height);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const v = Math.round(pixels[Math.floor(y / scale) * SIDE + Math.floor(x / scale)]! * 255);
      const o = (y * img.width + x) * 4;
      out.data[o] = out.data[o + 1] = out.data[o + 2] = v;
      out.data[o + 3] = 255;
    }
  }
  c.putImageData(out, 0, 0);
  return true;
}

/** Shared state of the figure: projection, highlighted class, hovered point. */
export interface Shared {
  method: Method;
  highlight: number | null;
  hovered: number;
  /** Draw each class's digit at its median position. */
  labels: boolean;
}

/** A data set fitted to the panel (see `MapPanel.setData`). */
interface Fitted {
  byClass: Uint32Array[];
  views: Map<Method, FittedView>;
  anchors: Map<Method, { x: number; y: number }[]>;
  width: number;
  height: number;
  dpr: number;
  index: PointIndex | undefined;
  indexKey: string;
}

/**
 * One model's map: canvas, axes, zoom, hit-testing and tooltip. Exported for the t-SNE lab
 * (`src/components/tsne-lab/lab.ts`), which feeds it live coordinates with `setData`/`setPoints`.
 */
export class MapPanel {
  emb: Embeddings;
  /** The test-set index of each point when the points are a selection (default: point i is test digit i). */
  testIndex: ArrayLike<number> | undefined;
  readonly #shared: Shared;
  readonly #onHover: (panel: MapPanel, index: number) => void;
  readonly #stage: HTMLElement;
  readonly #canvas: HTMLCanvasElement;
  readonly #ctx: CanvasRenderingContext2D;
  readonly #axes: SVGSVGElement;
  readonly #tip: HTMLElement;
  readonly #zoomOut: HTMLOutputElement | null;
  readonly #section: HTMLElement;
  #byClass: Uint32Array[];
  readonly #zoom: ZoomBehavior<HTMLCanvasElement, unknown>;
  readonly #sel: Selection<HTMLCanvasElement, unknown, null, undefined>;
  #width = 0;
  #height = 0;
  #dpr = 1;
  #views = new Map<Method, FittedView>();
  #anchors = new Map<Method, { x: number; y: number }[]>();
  #pos = new Float32Array(0);
  #transform: ZoomTransform = zoomIdentity;
  #index: PointIndex | undefined;
  /** The hover index is rebuilt on the next lookup (after live point updates). */
  #indexStale = false;
  #animating = false;
  #cancelAnim: (() => void) | undefined;
  #frame = 0;
  #keyboardInspect = false;
  #tipIndex = -1;
  /**
   * What fitting a data set to the panel cost, kept per data set: swapping back to one shown before
   * (the β slider moves between a few models) then only redraws.
   */
  readonly #fitted = new WeakMap<Embeddings, Fitted>();

  constructor(section: HTMLElement, emb: Embeddings, shared: Shared, onHover: (panel: MapPanel, index: number) => void) {
    this.emb = emb;
    this.#shared = shared;
    this.#onHover = onHover;
    this.#section = section;
    this.#stage = section.querySelector<HTMLElement>('.lm-stage')!;
    this.#zoomOut = section.querySelector<HTMLOutputElement>('output.lm-zoom-level');
    this.#byClass = indicesByClass(emb.labels);

    this.#canvas = document.createElement('canvas');
    this.#canvas.className = 'lm-canvas';
    this.#canvas.tabIndex = 0;
    // Keys drive the map (pan, zoom, inspect), so screen readers should pass them through.
    this.#canvas.setAttribute('role', 'application');
    this.#canvas.setAttribute('aria-roledescription', 'zoomable map');
    this.#canvas.setAttribute('aria-keyshortcuts', 'ArrowLeft ArrowRight ArrowUp ArrowDown + - R Enter Escape 0 1 2 3 4 5 6 7 8 9');
    const ctx = this.#canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot draw on a <canvas>, so the latent map cannot be shown.');
    this.#ctx = ctx;
    this.#axes = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.#axes.classList.add('lm-axes');
    this.#axes.setAttribute('aria-hidden', 'true');
    this.#axes.innerHTML = '<g class="lm-x"></g><g class="lm-y"></g><text class="lm-axis-title lm-xt"></text><text class="lm-axis-title lm-yt"></text>';
    this.#tip = document.createElement('div');
    this.#tip.className = 'lm-tip';
    this.#tip.hidden = true;
    this.#tip.setAttribute('aria-live', 'polite');
    this.#stage.querySelector('.lm-static')?.setAttribute('hidden', '');
    this.#stage.append(this.#canvas, this.#axes, this.#tip);
    section.dataset.live = 'true';

    this.#sel = select(this.#canvas);
    this.#zoom = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([1, MAX_ZOOM])
      .on('zoom', (e: { transform: ZoomTransform }) => {
        this.#transform = e.transform;
        if (this.#zoomOut) this.#zoomOut.value = `×${e.transform.k.toFixed(1)}`;
        section.dataset.zoom = e.transform.k.toFixed(3);
        section.dataset.pan = `${e.transform.x.toFixed(1)},${e.transform.y.toFixed(1)}`;
        if (this.#animating) return; // the transition draws its own frames
        if (this.#keyboardInspect) this.#inspectCentre();
        this.#updateAxes();
        this.requestDraw();
      });
    this.#sel.call(this.#zoom);

    this.#canvas.addEventListener('pointermove', (e) => this.#pointer(e));
    // A tap (touch, pen) or click inspects too; d3-zoom swallows the click that ends a drag.
    this.#canvas.addEventListener('click', (e) => this.#pointer(e, true));
    this.#canvas.addEventListener('pointerleave', () => {
      if (!this.#keyboardInspect) this.#onHover(this, -1);
    });
    this.#canvas.addEventListener('keydown', (e) => this.#key(e));
    this.#canvas.addEventListener('blur', () => {
      this.#keyboardInspect = false;
      this.#onHover(this, -1);
    });
    section.querySelector('.lm-zoom-in')?.addEventListener('click', () => this.zoomBy(ZOOM_STEP));
    section.querySelector('.lm-zoom-out')?.addEventListener('click', () => this.zoomBy(1 / ZOOM_STEP));
    section.querySelector('.lm-zoom-reset')?.addEventListener('click', () => this.resetZoom());
    for (const b of section.querySelectorAll<HTMLButtonElement>('.lm-zoom button')) b.disabled = false;
  }

  /** The model whose points these are. */
  get model(): string {
    return this.emb.model;
  }

  /**
   * Replaces every point (new labels and coordinates, e.g. a new run of the lab, another model of
   * the β sweep); zoom resets. A data set shown before at this size comes back without refitting.
   */
  setData(emb: Embeddings): void {
    this.#cancelAnim?.();
    this.#animating = false;
    if (this.#width > 0) {
      this.#fitted.set(this.emb, { byClass: this.#byClass, views: this.#views, anchors: this.#anchors, width: this.#width, height: this.#height, dpr: this.#dpr, index: this.#indexStale ? undefined : this.#index, indexKey: this.#indexKey() });
    }
    this.emb = emb;
    this.#hideTip();
    const f = this.#fitted.get(emb);
    if (f && f.width === this.#width && f.height === this.#height && f.dpr === this.#dpr) {
      this.#byClass = f.byClass;
      this.#views = f.views;
      this.#anchors = f.anchors;
      this.#pos = this.#view(this.#shared.method).positions.slice();
      if (f.index && f.indexKey === this.#indexKey()) {
        this.#index = f.index;
        this.#indexStale = false;
      } else this.#rebuildIndex();
      const t = this.#transform;
      if (t.k !== 1 || t.x !== 0 || t.y !== 0) this.#sel.call(this.#zoom.transform, zoomIdentity); // its handler redraws the axes
      else this.#updateAxes();
      this.#draw();
      return;
    }
    this.#byClass = indicesByClass(emb.labels);
    this.#views = new Map();
    this.#anchors = new Map();
    this.#width = 0; // force resize() to refit
    this.resize();
  }

  /** What the hover index was built for: the projection and the highlighted class. */
  #indexKey(): string {
    return `${this.#shared.method}|${this.#shared.highlight}`;
  }

  /**
   * New coordinates for the current view's points (same count and order), drawn on the next
   * frame, refitted to the panel; zoom and the hovered point are kept. For live layouts: with
   * `moving`, more frames follow soon, so the axes (d3 ticks, the costliest part of a frame) are
   * hidden and left as they are until a call without it.
   */
  setPoints(coords: Float32Array, moving = false): void {
    const method = this.#shared.method;
    this.emb.coords[method] = coords;
    this.#views.delete(method);
    this.#anchors.delete(method);
    if (this.#width === 0 || this.#animating) return;
    this.#pos = this.#view(method).positions.slice();
    this.#indexStale = true;
    this.#axes.classList.toggle('is-moving', moving);
    if (!moving) this.#updateAxes();
    if (this.#tipIndex >= 0) this.showTip(this.#tipIndex);
    this.requestDraw();
  }

  /** Sets the canvas' text alternative. */
  describeAs(label: string): void {
    this.#canvas.setAttribute('aria-label', label);
  }

  /** Measures the stage and (re)fits every view; resets zoom. */
  resize(): void {
    const w = Math.round(this.#stage.clientWidth);
    const h = Math.round(this.#stage.clientHeight) || w;
    if (w <= 0 || (w === this.#width && h === this.#height && this.#dpr === (window.devicePixelRatio || 1))) return;
    this.#width = w;
    this.#height = h;
    this.#dpr = window.devicePixelRatio || 1;
    this.#canvas.width = Math.round(w * this.#dpr);
    this.#canvas.height = Math.round(h * this.#dpr);
    this.#axes.setAttribute('viewBox', `0 0 ${w} ${h}`);
    this.#views.clear();
    this.#anchors.clear();
    this.#cancelAnim?.();
    this.#animating = false;
    this.#pos = this.#view(this.#shared.method).positions.slice();
    this.#zoom.extent([
      [0, 0],
      [w, h],
    ]);
    this.#zoom.translateExtent([
      [-w * 0.25, -h * 0.25],
      [w * 1.25, h * 1.25],
    ]);
    this.#rebuildIndex();
    this.#sel.call(this.#zoom.transform, zoomIdentity);
    this.#updateAxes();
    this.#draw(); // synchronously, so the map is on screen when the island reports "ready"
  }

  /** The view of `method` fitted to the current size (cached). */
  #view(method: Method): FittedView {
    let v = this.#views.get(method);
    if (!v) {
      v = fitView(this.emb.coords[method]!, this.#width, this.#height);
      this.#views.set(method, v);
    }
    return v;
  }

  /** Re-indexes the target positions for hover; only highlighted points when a class is highlighted. */
  #rebuildIndex(): void {
    const hl = this.#shared.highlight;
    const labels = this.emb.labels;
    this.#index = buildPointIndex(this.#view(this.#shared.method).positions, hl === null ? undefined : (i) => labels[i] === hl);
    this.#indexStale = false;
  }

  /** The hover index, rebuilt first if the points moved since. */
  #hits(): PointIndex | undefined {
    if (this.#indexStale) this.#rebuildIndex();
    return this.#index;
  }

  /** Called when the highlighted class changes. */
  highlightChanged(): void {
    this.#rebuildIndex();
    if (this.#keyboardInspect) this.#inspectCentre();
    this.requestDraw();
  }

  /** Moves every point to `method`'s layout, animated unless reduced motion; zoom resets with it. */
  setMethod(method: Method): void {
    this.#cancelAnim?.();
    const from = this.#pos.slice();
    const to = this.#view(method).positions;
    const t0 = this.#transform;
    this.#hideTip();
    const finish = () => {
      this.#pos.set(to);
      this.#animating = false;
      delete this.#section.dataset.moving;
      this.#sel.call(this.#zoom.transform, zoomIdentity);
      this.#rebuildIndex();
      this.#updateAxes();
      if (this.#keyboardInspect) this.#inspectCentre();
      this.requestDraw();
    };
    if (reducedMotion() || this.#width === 0) return finish();
    this.#animating = true;
    this.#section.dataset.moving = 'true';
    this.#axes.classList.add('is-moving');
    const start = performance.now();
    let raf = 0;
    const step = (now: number) => {
      const t = Math.min(1, (now - start) / TRANSITION_MS);
      const e = easeCubicInOut(t);
      lerpPositions(from, to, e, this.#pos);
      this.#sel.call(this.#zoom.transform, zoomIdentity.translate(t0.x * (1 - e), t0.y * (1 - e)).scale(t0.k + (1 - t0.k) * e));
      this.#draw();
      if (t < 1) raf = requestAnimationFrame(step);
      else {
        this.#axes.classList.remove('is-moving');
        finish();
      }
    };
    raf = requestAnimationFrame(step);
    this.#cancelAnim = () => {
      cancelAnimationFrame(raf);
      delete this.#section.dataset.moving;
      this.#axes.classList.remove('is-moving');
      this.#cancelAnim = undefined;
    };
  }

  /** Zooms about the centre by `factor`. */
  zoomBy(factor: number): void {
    this.#sel.call(this.#zoom.scaleBy, factor);
  }

  /** Back to the whole map. */
  resetZoom(): void {
    this.#sel.call(this.#zoom.transform, zoomIdentity);
  }

  /** Schedules one redraw on the next animation frame. */
  requestDraw(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#draw();
    });
  }

  /** Draws every point, batched by class; the highlighted class (if any) on top at full opacity. */
  #draw(): void {
    if (this.#frame) {
      // Drawn now, so a redraw requested for the next frame has nothing left to do.
      cancelAnimationFrame(this.#frame);
      this.#frame = 0;
    }
    const ctx = this.#ctx;
    const { x: tx, y: ty, k } = this.#transform;
    const w = this.#width;
    const h = this.#height;
    ctx.setTransform(this.#dpr, 0, 0, this.#dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const r = Math.min(5, 1.5 * Math.sqrt(k));
    const hl = this.#shared.highlight;
    const order = hl === null ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((c) => c !== hl).concat(hl);
    const pos = this.#pos;
    for (const c of order) {
      ctx.globalAlpha = hl === null ? 0.75 : c === hl ? 1 : 0.1;
      ctx.fillStyle = DIGIT_COLORS[c]!;
      ctx.beginPath();
      const square = r < 2.2; // at this size a square reads as a dot and is much cheaper to fill
      const side = 2 * r;
      for (const i of this.#byClass[c]!) {
        const sx = tx + k * pos[2 * i]!;
        const sy = ty + k * pos[2 * i + 1]!;
        if (sx < -r || sy < -r || sx > w + r || sy > h + r) continue;
        if (square) ctx.rect(sx - r, sy - r, side, side);
        else {
          ctx.moveTo(sx + r, sy);
          ctx.arc(sx, sy, r, 0, 2 * Math.PI);
        }
      }
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    const hov = this.#shared.hovered;
    const labels = this.#shared.labels && !this.#animating;
    if ((hov < 0 || this.#animating) && !this.#keyboardInspect && !labels) return;
    const style = getComputedStyle(this.#stage);
    const ink = style.color || '#000';
    if (labels) this.#drawLabels(ink, style.getPropertyValue('--sl-color-bg').trim() || '#fff');
    if (hov >= 0 && !this.#animating) {
      const sx = tx + k * pos[2 * hov]!;
      const sy = ty + k * pos[2 * hov + 1]!;
      ctx.lineWidth = 2;
      ctx.strokeStyle = ink;
      ctx.beginPath();
      ctx.arc(sx, sy, r + 4, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (this.#keyboardInspect) {
      ctx.strokeStyle = ink;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(w / 2 - 8, h / 2);
      ctx.lineTo(w / 2 + 8, h / 2);
      ctx.moveTo(w / 2, h / 2 - 8);
      ctx.lineTo(w / 2, h / 2 + 8);
      ctx.stroke();
    }
  }

  /** Each class's digit at its median position, with a halo so it reads over the dots. */
  #drawLabels(ink: string, halo: string): void {
    const method = this.#shared.method;
    let anchors = this.#anchors.get(method);
    if (!anchors) {
      anchors = classMedians(this.#view(method).positions, this.#byClass);
      this.#anchors.set(method, anchors);
    }
    const ctx = this.#ctx;
    const { x: tx, y: ty, k } = this.#transform;
    const hl = this.#shared.highlight;
    ctx.font = '700 15px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.lineJoin = 'round';
    ctx.lineWidth = 4;
    ctx.strokeStyle = halo;
    anchors.forEach((a, d) => {
      if (!Number.isFinite(a.x) || (hl !== null && hl !== d)) return;
      const x = tx + k * a.x;
      const y = ty + k * a.y;
      if (x < 0 || y < 0 || x > this.#width || y > this.#height) return;
      ctx.strokeText(String(d), x, y);
      ctx.fillStyle = ink;
      ctx.fillText(String(d), x, y);
    });
  }

  /** d3 axes for the current view and zoom, titled per projection. */
  #updateAxes(): void {
    if (this.#width === 0) return;
    const v = this.#view(this.#shared.method);
    const x = this.#transform.rescaleX(scaleLinear().domain(v.xDomain).range([0, this.#width]));
    const y = this.#transform.rescaleY(scaleLinear().domain(v.yDomain).range([this.#height, 0]));
    const ax = select(this.#axes);
    const fmt = (d: unknown) => formatCoord(Number(d));
    ax.select<SVGGElement>('.lm-x')
      .attr('transform', `translate(0,${this.#height})`)
      .call(axisBottom(x).ticks(Math.max(2, Math.floor(this.#width / 80))).tickSize(-5).tickPadding(-16).tickFormat(fmt));
    ax.select<SVGGElement>('.lm-y').call(axisLeft(y).ticks(Math.max(2, Math.floor(this.#height / 80))).tickSize(-5).tickPadding(-8).tickFormat(fmt));
    ax.selectAll('.lm-y text').attr('text-anchor', 'start');
    // Keep the corners clear for the axis titles and each other's labels.
    ax.selectAll<SVGGElement, number>('.lm-x .tick').attr('visibility', (d) => (x(d) < 34 || x(d) > this.#width - 40 ? 'hidden' : null));
    ax.selectAll<SVGGElement, number>('.lm-y .tick').attr('visibility', (d) => (y(d) < 24 || y(d) > this.#height - 30 ? 'hidden' : null));
    const [xt, yt] = AXIS_TITLES[this.#shared.method];
    ax.select('.lm-xt').attr('x', this.#width - 4).attr('y', this.#height - 20).attr('text-anchor', 'end').text(xt);
    ax.select('.lm-yt').attr('x', 8).attr('y', 14).text(yt);
  }

  /** Hover or tap: the nearest point within 10 px (16 px for a tap), of the highlighted class if any. */
  #pointer(e: MouseEvent, tap = false): void {
    const index = this.#hits();
    if (this.#animating || (!tap && e.buttons !== 0) || !index) return;
    this.#keyboardInspect = false;
    const rect = this.#canvas.getBoundingClientRect();
    const { x: tx, y: ty, k } = this.#transform;
    const mx = e.clientX - rect.left;
    const my = e.clientY - rect.top;
    const i = index.find((mx - tx) / k, (my - ty) / k, (tap ? 16 : 10) / k);
    this.#onHover(this, i);
  }

  /** Keyboard: arrows pan, +/− zoom, R resets, digits highlight, Enter inspects, Escape clears. */
  #key(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const k = this.#transform.k;
    const pans: Record<string, [number, number]> = {
      ArrowLeft: [PAN_STEP, 0],
      ArrowRight: [-PAN_STEP, 0],
      ArrowUp: [0, PAN_STEP],
      ArrowDown: [0, -PAN_STEP],
    };
    let handled = true;
    if (e.key in pans) {
      const [dx, dy] = pans[e.key]!;
      this.#sel.call(this.#zoom.translateBy, dx / k, dy / k);
    } else if (e.key === '+' || e.key === '=') this.zoomBy(ZOOM_STEP);
    else if (e.key === '-' || e.key === '_') this.zoomBy(1 / ZOOM_STEP);
    else if (e.key === 'r' || e.key === 'R' || e.key === 'Home') this.resetZoom();
    else if (/^[0-9]$/.test(e.key)) this.#canvas.dispatchEvent(new CustomEvent('lm-highlight', { bubbles: true, detail: Number(e.key) }));
    else if (e.key === 'Enter' || e.key === ' ') {
      this.#keyboardInspect = true;
      this.#inspectCentre();
    } else if (e.key === 'Escape') {
      this.#keyboardInspect = false;
      this.#onHover(this, -1);
      this.#canvas.dispatchEvent(new CustomEvent('lm-highlight', { bubbles: true, detail: null }));
    } else handled = false;
    if (handled) e.preventDefault();
  }

  /** Keyboard inspection: the point nearest the centre of the view. */
  #inspectCentre(): void {
    const index = this.#hits();
    if (!index || this.#animating) return;
    const { x: tx, y: ty, k } = this.#transform;
    this.#onHover(this, index.find((this.#width / 2 - tx) / k, (this.#height / 2 - ty) / k));
    this.requestDraw();
  }

  /** Shows the tooltip for point `i` of this panel (with its digit image), or hides it for −1. */
  showTip(i: number): void {
    if (i < 0 || this.#animating) return this.#hideTip();
    const method = this.#shared.method;
    const data = this.emb.coords[method]!;
    const test = this.testIndex?.[i] ?? i;
    const t = pointTooltip(this.model, method, test, this.emb.labels[i]!, data[2 * i]!, data[2 * i + 1]!, this.#section.dataset.code);
    if (this.#tipIndex !== i) {
      this.#tipIndex = i;
      const img = document.createElement('canvas');
      img.width = 56;
      img.height = 56;
      img.className = 'lm-digit';
      img.setAttribute('role', 'img');
      img.setAttribute('aria-label', t.alt);
      img.dataset.index = String(test);
      const title = document.createElement('strong');
      title.textContent = t.title;
      const detail = document.createElement('span');
      detail.textContent = t.detail;
      const text = document.createElement('div');
      text.append(title, detail);
      this.#tip.replaceChildren(img, text);
      this.#tip.dataset.index = String(test);
      this.#tip.dataset.label = String(this.emb.labels[i]);
      drawDigit(img, test).then(
        (drawn) => {
          if (drawn) img.dataset.drawn = 'true';
        },
        (err: unknown) => {
          if (this.#tipIndex !== i) return;
          const note = document.createElement('span');
          note.className = 'lm-tip-error';
          note.textContent = `Digit image unavailable: ${err instanceof Error ? err.message : String(err)}`;
          text.append(note);
        },
      );
    }
    this.#tip.hidden = false;
    const { x: tx, y: ty, k } = this.#transform;
    const px = tx + k * this.#pos[2 * i]!;
    const py = ty + k * this.#pos[2 * i + 1]!;
    const tw = this.#tip.offsetWidth;
    const th = this.#tip.offsetHeight;
    const left = px + 14 + tw > this.#width ? px - 14 - tw : px + 14;
    const top = py + 14 + th > this.#height ? py - 14 - th : py + 14;
    this.#tip.style.left = `${Math.max(0, left)}px`;
    this.#tip.style.top = `${Math.max(0, top)}px`;
  }

  /** Hides the tooltip. */
  #hideTip(): void {
    this.#tip.hidden = true;
    this.#tipIndex = -1;
  }

  /** Text alternative for the canvas. */
  describe(method: Method): void {
    this.describeAs(
      `${this.#section.dataset.name ?? this.model.toUpperCase()} map, ${METHOD_LABELS[method]}: ${this.emb.count.toLocaleString('en-US')} test digits as dots coloured by digit. ` +
        'Arrow keys pan, plus and minus zoom, R resets, Enter inspects the digit nearest the centre, number keys highlight a digit. ' +
        'The table of class centres below describes the same layout in words.',
    );
  }
}

/**
 * The hover handler of panels side by side: the point under the pointer in one panel is ringed in
 * every panel (the same test digit), its tooltip shown only where the pointer is.
 */
export function linkedHover(shared: Shared, panels: () => readonly (MapPanel | undefined)[]): (source: MapPanel, index: number) => void {
  let hoverSource: MapPanel | undefined;
  return (source, index) => {
    if (index === shared.hovered && source === hoverSource) return;
    shared.hovered = index;
    hoverSource = index >= 0 ? source : undefined;
    for (const p of panels()) {
      if (!p) continue;
      p.showTip(p === source ? index : -1);
      p.requestDraw();
    }
  };
}
