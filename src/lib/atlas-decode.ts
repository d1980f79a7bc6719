/**
 * Decodes the test-digit atlas PNG into one byte per pixel (the red channel: the PNG is
 * greyscale). Used inside `atlas-worker.ts` (off the main thread: drawing and reading back
 * 2800 × 2800 pixels takes ~50 ms, a long task that would block the page) and, where a worker
 * cannot do it, on the main thread by `data.ts`. DOM-free apart from the canvas it is given.
 */

/** What decoding gives: the pixels, or why not (`decode`: not a PNG the browser can read). */
export type DecodedAtlas = { pixels: Uint8Array; width: number; height: number } | { error: 'decode' } | { error: 'canvas' };

type Canvas2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** Decodes `bytes`; `makeContext` gives a 2D context of the image's size (null: none). */
export async function decodeAtlasPng(bytes: ArrayBuffer, makeContext: (width: number, height: number) => Canvas2D | null): Promise<DecodedAtlas> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    return { error: 'decode' };
  }
  try {
    const { width, height } = bitmap;
    const ctx = makeContext(width, height);
    if (!ctx) return { error: 'canvas' };
    ctx.drawImage(bitmap, 0, 0);
    const rgba = ctx.getImageData(0, 0, width, height).data;
    const pixels = new Uint8Array(width * height);
    for (let i = 0; i < pixels.length; i++) pixels[i] = rgba[4 * i]!;
    return { pixels, width, height };
  } finally {
    bitmap.close();
  }
}

/** A 2D context on an `OffscreenCanvas` (null where there is none). */
export function offscreenContext(width: number, height: number): OffscreenCanvasRenderingContext2D | null {
  if (typeof OffscreenCanvas !== 'function') return null;
  return new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
}
