/**
 * Turns a free-hand drawing into an MNIST-like input, the way MNIST itself was made (LeCun et al.):
 * the digit's bounding box is scaled to fit a 20 × 20 box preserving its aspect ratio, with
 * anti-aliasing (area averaging), then placed in a 28 × 28 field so that its centre of mass sits at
 * the centre of the field. Pure functions over Float32Array — no DOM — so they are unit-tested.
 */
import { IMAGE_SIZE, SIDE } from './digits.ts';

/** The side of the box the digit is scaled to fit. */
export const BOX = 20;

/** Pixels at or below this ink level are ignored when finding the digit's bounding box. */
export const INK_THRESHOLD = 0.05;

/** A greyscale image, row-major, values in `[0, 1]` (1 = ink). */
export interface GreyImage {
  data: Float32Array;
  width: number;
  height: number;
}

/** An inclusive-exclusive pixel box `[x0, x1) × [y0, y1)`. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The tight bounding box of pixels with ink above the threshold, or null for an empty image. */
export function inkBoundingBox(img: GreyImage, threshold = INK_THRESHOLD): Box | null {
  let x0 = img.width;
  let y0 = img.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (img.data[y * img.width + x]! > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * Resamples the `box` region of `img` to `outW × outH` by area averaging: each output pixel is the
 * mean of the source area it covers (fractional pixels weighted), which anti-aliases when
 * shrinking and keeps sharp-but-correct values when enlarging.
 */
export function resampleArea(img: GreyImage, box: Box, outW: number, outH: number): GreyImage {
  const out = new Float32Array(outW * outH);
  const sx = (box.x1 - box.x0) / outW;
  const sy = (box.y1 - box.y0) / outH;
  for (let oy = 0; oy < outH; oy++) {
    const fy0 = box.y0 + oy * sy;
    const fy1 = fy0 + sy;
    for (let ox = 0; ox < outW; ox++) {
      const fx0 = box.x0 + ox * sx;
      const fx1 = fx0 + sx;
      let sum = 0;
      for (let y = Math.floor(fy0); y < Math.ceil(fy1); y++) {
        const wy = Math.min(fy1, y + 1) - Math.max(fy0, y);
        if (wy <= 0) continue;
        for (let x = Math.floor(fx0); x < Math.ceil(fx1); x++) {
          const wx = Math.min(fx1, x + 1) - Math.max(fx0, x);
          if (wx <= 0) continue;
          sum += wx * wy * img.data[y * img.width + x]!;
        }
      }
      out[oy * outW + ox] = sum / (sx * sy);
    }
  }
  return { data: out, width: outW, height: outH };
}

/** The ink-weighted centre of mass `(x, y)` in continuous pixel coordinates (pixel centres at i + ½); null if no ink. */
export function centreOfMass(img: GreyImage): [number, number] | null {
  let m = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const v = img.data[y * img.width + x]!;
      m += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return m > 0 ? [mx / m, my / m] : null;
}

/** The size the bounding box is scaled to so its longer side is `BOX`, aspect ratio kept. */
export function fitSize(w: number, h: number, box = BOX): [number, number] {
  const s = box / Math.max(w, h);
  return [Math.max(1, Math.round(w * s)), Math.max(1, Math.round(h * s))];
}

/**
 * The MNIST-style 28 × 28 input for a drawing, values in `[0, 1]`, or null if nothing was drawn
 * (an empty canvas is a hint to draw, not an error).
 */
export function preprocessDrawing(img: GreyImage): Float32Array | null {
  if (img.data.length !== img.width * img.height) throw new Error('preprocessDrawing: data does not match width × height');
  const box = inkBoundingBox(img);
  if (!box) return null;
  const [w, h] = fitSize(box.x1 - box.x0, box.y1 - box.y0);
  const small = resampleArea(img, box, w, h);
  const com = centreOfMass(small);
  if (!com) return null;
  // Shift by whole pixels (as MNIST did) so the centre of mass lands on the field's centre, keeping the box inside.
  const left = Math.min(SIDE - w, Math.max(0, Math.round(SIDE / 2 - com[0])));
  const top = Math.min(SIDE - h, Math.max(0, Math.round(SIDE / 2 - com[1])));
  const out = new Float32Array(IMAGE_SIZE);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      out[(top + y) * SIDE + left + x] = Math.min(1, Math.max(0, small.data[y * w + x]!));
    }
  }
  return out;
}

/** Reads the ink of an RGBA buffer (a canvas' `getImageData`) from its alpha channel, as `[0, 1]`. */
export function inkFromRgba(rgba: ArrayLike<number>, width: number, height: number): GreyImage {
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = rgba[4 * i + 3]! / 255;
  return { data, width, height };
}
