/**
 * The bigger-codes widgets' one door to the model runtime (`bigger-recon-element.ts`,
 * `bigger-traversal-element.ts`): a zoo model's encoder and decoder, or a decoder alone, with the
 * three calls the widgets make. Today the compact files run as plain-JS Dense stacks
 * (`lib/zoo-coder.ts`); a change of runtime changes this file only.
 */

/** A loaded decoder: one code, or `n` codes at once (flat, code-major). */
export interface Decoder {
  decode(code: ArrayLike<number>): Float32Array;
  decodeBatch(codes: ArrayLike<number>, n: number, out?: Float32Array<ArrayBuffer>): Float32Array;
}

/** A loaded encoder and decoder. */
export interface Coders extends Decoder {
  /** The code (VAE: μ) of 784 pixels. */
  encode(x: ArrayLike<number>): Float32Array;
}

/** Model `id`'s decoder for `dim`-D codes. */
export async function loadDecoder(id: string, dim: number): Promise<Decoder> {
  const { loadCoder } = await import('../../lib/zoo-coder.ts');
  const dec = await loadCoder(id, 'decoder', dim);
  return { decode: (z) => dec.run(z), decodeBatch: (codes, n, out) => dec.runBatch(codes, n, out) };
}

/** Model `id`'s encoder and decoder for `dim`-D codes (both fetched at once). */
export async function loadCoders(id: string, dim: number): Promise<Coders> {
  const { loadCoder } = await import('../../lib/zoo-coder.ts');
  const [enc, dec] = await Promise.all([loadCoder(id, 'encoder', dim), loadCoder(id, 'decoder', dim)]);
  return { encode: (x) => enc.run(x), decode: (z) => dec.run(z), decodeBatch: (codes, n, out) => dec.runBatch(codes, n, out) };
}
