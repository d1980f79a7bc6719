/**
 * Painting a latent plane (browser only): the faint dots of the test digits' codes, rendered once
 * into a layer, then per frame the axes through the origin and the marker of the current point.
 * Shared by the latent explorer and the CVAE's style plane (`zoo/CvaeStyle.astro`).
 */
import { latentToPixel, type LatentRange } from '../../lib/digits.ts';
import { DIGIT_COLORS } from '../../lib/viz/palette.ts';
import type { ThemeColours } from '../../lib/widget-dom.ts';

/** The test codes as faint class-coloured dots on `background`, at the size of `plane`'s bitmap. */
export function codeDotsLayer(plane: HTMLCanvasElement, latent: ArrayLike<number> | undefined, labels: ArrayLike<number> | undefined, range: LatentRange, width: number, height: number, dpr: number, background: string): HTMLCanvasElement {
  const layer = document.createElement('canvas');
  layer.width = plane.width;
  layer.height = plane.height;
  const ctx = layer.getContext('2d')!;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, layer.width, layer.height);
  if (latent && labels) {
    ctx.globalAlpha = 0.45;
    const s = 1.6 * dpr;
    for (let i = 0; i < labels.length; i++) {
      const [x, y] = latentToPixel(latent[2 * i]!, latent[2 * i + 1]!, range, width, height);
      ctx.fillStyle = DIGIT_COLORS[labels[i]!] ?? '#777777';
      ctx.fillRect(x * dpr - s / 2, y * dpr - s / 2, s, s);
    }
  }
  return layer;
}

/** Draws `dots` (from {@link codeDotsLayer}), the axes through the origin and a ring (with a cross, unless `cross` is false) at `point`. */
export function paintPlane(ctx: CanvasRenderingContext2D, dots: HTMLCanvasElement, point: readonly [number, number], range: LatentRange, size: { width: number; height: number; dpr: number }, colours: ThemeColours, cross = true): void {
  const { width, height, dpr } = size;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(dots, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const [ox, oy] = latentToPixel(0, 0, range, width, height);
  ctx.strokeStyle = colours.hairline;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(0, oy);
  ctx.lineTo(width, oy);
  ctx.moveTo(ox, 0);
  ctx.lineTo(ox, height);
  ctx.stroke();
  const [px, py] = latentToPixel(point[0], point[1], range, width, height);
  ctx.lineWidth = cross ? 2 : 2.5;
  ctx.strokeStyle = colours.text;
  ctx.beginPath();
  ctx.arc(px, py, 7, 0, 2 * Math.PI);
  if (cross) {
    ctx.moveTo(px - 11, py);
    ctx.lineTo(px + 11, py);
    ctx.moveTo(px, py - 11);
    ctx.lineTo(px, py + 11);
  }
  ctx.stroke();
}
