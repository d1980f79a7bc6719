/**
 * Web Worker: decodes the test-digit atlas off the main thread (see `atlas-decode.ts`). Receives
 * the PNG bytes, answers with the `DecodedAtlas` (its pixel buffer transferred).
 */
import { type DecodedAtlas, decodeAtlasPng, offscreenContext } from './atlas-decode.ts';

self.onmessage = async (event: MessageEvent<ArrayBuffer>) => {
  const result: DecodedAtlas = await decodeAtlasPng(event.data, offscreenContext);
  (self as unknown as Worker).postMessage(result, 'pixels' in result ? [result.pixels.buffer] : []);
};
