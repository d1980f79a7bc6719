/**
 * Build-time picture of the conditional VAE's widget (Node only — never import from a browser
 * script): the digits 0–9 decoded in the default style by the committed float32 decoder, with the
 * bigger-codes figures' build helpers (`readStack`, `sheetDataUrl`: the browser's Dense-stack code,
 * a greyscale PNG data URL) — the picture readers without JavaScript see. Undefined when the model
 * is not committed (the widget then says so and the build warns).
 */
import { IMAGE_SIZE } from '../lib/digits.ts';
import { warnOnce } from './warn.ts';
import { readStack, sheetDataUrl } from './bigger-build.ts';
import { CLASSES, digitRowInputs } from '../models/cvae-inputs.ts';
import { DEFAULT_STYLE } from '../components/zoo/cvae-style.ts';

/** The ten digits decoded at `z` by the float32 decoder of `id` (`10 × 784` probabilities), or undefined when absent. */
export function decodeDigitRowFromFiles(id: string, z: readonly number[] = DEFAULT_STYLE): Float32Array | undefined {
  const stack = readStack(id, 'decoder');
  if (!stack) {
    warnOnce(`[zoo] ${id}: decoder not committed yet; the conditional VAE's static picture is left out.`);
    return undefined;
  }
  const d = stack.inDim - CLASSES;
  if (d < 1 || stack.outDim !== IMAGE_SIZE) throw new Error(`pretrained/${id}/decoder/model.json maps ${stack.inDim} → ${stack.outDim} values; expected d + 10 (the code, then the one-hot label) → 784.`);
  return stack.runBatch(digitRowInputs(z, d), CLASSES);
}

/** The ten digits as one 280 × 28 greyscale PNG data URL. */
export function digitRowDataUri(probs: Float32Array): string {
  return sheetDataUrl(Array.from({ length: CLASSES }, (_, l) => probs.subarray(l * IMAGE_SIZE, (l + 1) * IMAGE_SIZE)), CLASSES).src;
}
