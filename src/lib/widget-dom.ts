/**
 * Small DOM helpers the model widgets share: painting digits into canvases with ImageData,
 * coalescing redraws into one per animation frame, theme colours and motion preferences.
 * Imported eagerly by the widgets' scripts, so it must stay tiny and free of TF.js.
 */
import { IMAGE_SIZE, SIDE, paintDigit } from './digits.ts';

const imageCache = new WeakMap<HTMLCanvasElement, { ctx: CanvasRenderingContext2D; image: ImageData }>();

/** The canvas' 2-D context and a reusable ImageData of its full size. */
function imageFor(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; image: ImageData } {
  let entry = imageCache.get(canvas);
  if (!entry || entry.image.width !== canvas.width || entry.image.height !== canvas.height) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot draw into a canvas.');
    entry = { ctx, image: ctx.createImageData(canvas.width, canvas.height) };
    imageCache.set(canvas, entry);
  }
  return entry;
}

/** Paints one 28 × 28 image of probabilities (starting at `offset`) into a 28 × 28 canvas. */
export function putDigit(canvas: HTMLCanvasElement, probs: ArrayLike<number>, offset = 0): void {
  if (canvas.width !== SIDE || canvas.height !== SIDE) {
    canvas.width = SIDE;
    canvas.height = SIDE;
  }
  const { ctx, image } = imageFor(canvas);
  paintDigit(probs, image.data, SIDE, 0, 0, offset);
  ctx.putImageData(image, 0, 0);
}

/** Paints `count` images as a mosaic of `cols` columns into a canvas sized to fit them. */
export function putMosaic(canvas: HTMLCanvasElement, images: ArrayLike<number>, count: number, cols: number): void {
  const width = cols * SIDE;
  const height = Math.ceil(count / cols) * SIDE;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const { ctx, image } = imageFor(canvas);
  image.data.fill(0);
  for (let i = 0; i < count; i++) {
    paintDigit(images, image.data, width, (i % cols) * SIDE, Math.floor(i / cols) * SIDE, i * IMAGE_SIZE);
  }
  ctx.putImageData(image, 0, 0);
}

/** Returns a function that schedules `draw` for the next animation frame, at most once per frame. */
export function frameCoalescer(draw: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      draw();
    });
  };
}

/** True when the reader asked the system to reduce motion. */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Colours for canvas drawing, read from Starlight's CSS variables so dark mode follows the theme. */
export interface ThemeColours {
  background: string;
  text: string;
  muted: string;
  hairline: string;
  accent: string;
}

/** Reads the theme colours in effect for `el`. */
export function themeColours(el: Element): ThemeColours {
  const css = getComputedStyle(el);
  const get = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    background: get('--sl-color-bg', '#ffffff'),
    text: get('--sl-color-white', '#000000'),
    muted: get('--sl-color-gray-3', '#888888'),
    hairline: get('--sl-color-hairline', '#cccccc'),
    accent: get('--sl-color-accent-high', '#0077bb'),
  };
}

/** Calls `cb` whenever Starlight switches between light and dark (`data-theme` on <html>). */
export function onThemeChange(cb: () => void): () => void {
  const observer = new MutationObserver(cb);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class'] });
  const media = matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', cb);
  return () => {
    observer.disconnect();
    media.removeEventListener('change', cb);
  };
}

/** Sizes a canvas' backing store to its CSS box times the device pixel ratio; returns the CSS size. */
export function fitCanvas(canvas: HTMLCanvasElement): { width: number; height: number; dpr: number } {
  const rect = canvas.getBoundingClientRect();
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  const width = Math.max(1, Math.round(rect.width));
  const height = Math.max(1, Math.round(rect.height));
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
  }
  return { width, height, dpr };
}

/** Looks up a required element inside a widget; a missing one is a programming error. */
export function required<T extends Element>(root: ParentNode, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`Widget markup is missing ${selector}`);
  return el;
}
