/**
 * The conditional VAE in the browser (issue 12): its compact encoder and decoder as plain-JS Dense
 * stacks (`zoo-coder.ts` `loadCoder` with the 10-class label: verified files, shapes checked, no
 * tensors kept). The decoder takes the code *then the one-hot label* (`d + 10`), the encoder the 784
 * pixels then the label (794 → μ). Loaded with a dynamic import, like `runtime.ts`; the encoder only
 * when asked (`loadEncoder()`: a drawing needs it, a test digit's code is baked in `compact/latent.bin`).
 */
import type { DenseStack } from './dense.ts';
import { IMAGE_SIZE } from './digits.ts';
import { loadCoder } from './zoo-coder.ts';
import { CLASSES, conditionalRow, digitRowInputs } from '../models/cvae-inputs.ts';

/** The loaded conditional VAE. */
export interface ConditionalModel {
  id: string;
  latentDim: number;
  decoder: DenseStack;
  /** Decodes code `z` with each label 0–9: `10 × 784` probabilities, label-major (into `out` if given). */
  decodeDigits(z: ArrayLike<number>, out?: Float32Array<ArrayBuffer>): Float32Array;
  /** Loads (once) and checks the encoder; `encode` works once it resolves. */
  loadEncoder(): Promise<DenseStack>;
  /** The code μ of one image (784 pixels) told its label; needs `loadEncoder()` first. */
  encode(pixels: Float32Array, label: number): Float32Array;
}

/** The conditional VAE `id` (a zoo id of kind cvae) with a `latentDim`-D code: its decoder now, its encoder on demand. */
export async function loadConditional(id: string, latentDim: number): Promise<ConditionalModel> {
  const decoder = await loadCoder(id, 'decoder', latentDim, CLASSES);
  const inputs = new Float32Array(CLASSES * (latentDim + CLASSES));
  const row = new Float32Array(IMAGE_SIZE + CLASSES);
  let encoder: DenseStack | null = null;
  return {
    id,
    latentDim,
    decoder,
    decodeDigits(z, out = new Float32Array(CLASSES * IMAGE_SIZE)) {
      return decoder.runBatch(digitRowInputs(z, latentDim, inputs), CLASSES, out);
    },
    loadEncoder: () =>
      loadCoder(id, 'encoder', latentDim, CLASSES).then((enc) => {
        encoder = enc;
        return enc;
      }),
    encode(pixels, label) {
      if (!encoder) throw new Error('The conditional VAE encoder has not been loaded (call loadEncoder() first).');
      return encoder.run(conditionalRow(pixels, label, row));
    },
  };
}
