/**
 * Web Worker: decodes test-digit PNG chunks off the main thread (see `atlas-decode.ts`). Receives
 * `{ id, bytes }`, answers `{ id, result }` with the `DecodedAtlas` (its pixel buffer transferred).
 */
import { type DecodedAtlas, decodeAtlasPng, offscreenContext } from './atlas-decode.ts';

self.onmessage = async (event: MessageEvent<{ id: number; bytes: ArrayBuffer }>) => {
  const { id, bytes } = event.data;
  const result: DecodedAtlas = await decodeAtlasPng(bytes, offscreenContext);
  (self as unknown as Worker).postMessage({ id, result }, 'pixels' in result ? [result.pixels.buffer] : []);
};
