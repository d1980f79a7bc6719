/**
 * The drawing pad the widgets share (first written for the reconstruction widget): a canvas the
 * reader draws a digit on with a mouse, finger or pen (pointer events, coalesced moves), read back
 * once per animation frame and prepared the way MNIST was (`preprocess.ts`: 20 × 20 box, centre of
 * mass in 28 × 28). No TF.js: imported eagerly by the widgets' scripts.
 *
 *     const pad = attachDrawingPad(canvas, {
 *       onFirstStroke: () => model.loadEncoder().then(() => pad.refresh()),
 *       onChange: (x, t0) => (x ? show(x) : blank()),   // x: 784 pixels in [0, 1], or null when empty
 *       onStrokeEnd: () => announce(),
 *     });
 *     clearButton.onclick = () => pad.clear();
 */
import { inkFromRgba, preprocessDrawing } from './preprocess.ts';
import { frameCoalescer } from './widget-dom.ts';

/** Stroke width in pad pixels for the 280 × 280 pad (ten times MNIST's side). */
export const PAD_STROKE = 22;

export interface DrawingPadOptions {
  /** Called once per frame after a change: the prepared 28 × 28 image (null for an empty pad) and when the frame's work began (`performance.now()`). */
  onChange(x: Float32Array | null, startedAt: number): void;
  /** Called at the reader's first stroke (e.g. to load an encoder; call `refresh()` once it is there). */
  onFirstStroke?(): void;
  /** Called when a stroke ends (pointer up or cancelled). */
  onStrokeEnd?(): void;
  /** Stroke width in pad pixels (default {@link PAD_STROKE}). */
  stroke?: number;
}

export interface DrawingPad {
  /** Empties the pad (and reports the empty pad on the next frame). */
  clear(): void;
  /** Reads the pad again on the next frame (e.g. once a model it waited for has loaded). */
  refresh(): void;
  /** The last prepared image, or null while the pad is empty. */
  image(): Float32Array | null;
}

/** Wires `pad` (a canvas, usually 280 × 280) for drawing; throws when the browser cannot draw into it. */
export function attachDrawingPad(pad: HTMLCanvasElement, options: DrawingPadOptions): DrawingPad {
  const ctx = pad.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('This browser cannot draw into a canvas, so the drawing pad is unavailable.');
  let last: [number, number] | null = null;
  let started = false;
  let image: Float32Array | null = null;
  const update = frameCoalescer(() => {
    const t0 = performance.now();
    image = preprocessDrawing(inkFromRgba(ctx.getImageData(0, 0, pad.width, pad.height).data, pad.width, pad.height));
    options.onChange(image, t0);
  });
  const at = (e: PointerEvent): [number, number] => {
    const r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * pad.width, ((e.clientY - r.top) / r.height) * pad.height];
  };
  const strokeTo = (p: [number, number]) => {
    ctx.beginPath();
    ctx.moveTo(...(last ?? p));
    ctx.lineTo(...p);
    ctx.stroke();
    last = p;
  };
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.lineWidth = options.stroke ?? PAD_STROKE;
  ctx.strokeStyle = '#ffffff';
  pad.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    if (!started) {
      started = true;
      options.onFirstStroke?.();
    }
    pad.setPointerCapture(e.pointerId);
    last = null;
    strokeTo(at(e));
    update();
  });
  pad.addEventListener('pointermove', (e) => {
    if (!pad.hasPointerCapture(e.pointerId)) return;
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const ev of events.length ? events : [e]) strokeTo(at(ev));
    update();
  });
  const end = () => {
    last = null;
    options.onStrokeEnd?.();
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  return {
    clear() {
      ctx.clearRect(0, 0, pad.width, pad.height);
      update();
    },
    refresh: update,
    image: () => image,
  };
}

/** What {@link strokeAnnouncer} returns. */
export interface StrokeAnnouncer {
  /** The drawing's newest result, in words (say it if a stroke ended waiting for it). */
  shown(text: string): void;
  /** A stroke ended on a non-empty pad: say the drawing's result, or wait for its first one. */
  strokeEnd(): void;
  /** The pad was emptied: forget the result. */
  clear(): void;
}

/**
 * What a drawing widget tells screen readers when the reader lifts the pen: the drawing's result
 * (its reconstruction's BCE, the style it sets…) in `live`, a polite live region. The models a
 * drawing needs load at the first stroke, so a stroke may end before there is any result: it is
 * then announced as soon as there is one, never the words of what was shown before the drawing.
 */
export function strokeAnnouncer(live: HTMLElement): StrokeAnnouncer {
  let text = '';
  let waiting = false;
  return {
    shown(t) {
      text = t;
      if (waiting) {
        waiting = false;
        live.textContent = t;
      }
    },
    strokeEnd() {
      if (text) live.textContent = text;
      else waiting = true;
    },
    clear() {
      text = '';
      waiting = false;
    },
  };
}
