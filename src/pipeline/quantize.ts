/**
 * Weight quantization in TF.js's own format: the `quantization` field of a `weightsManifest`
 * entry, which `tf.io.decodeWeights` (and so `tfl.loadLayersModel`) dequantizes.
 *
 * - `uint8` / `uint16`: affine, `value = q · scale + min` with `min` the tensor's minimum and
 *   `scale = (max − min) / (2^bits − 1)`; every value is within `scale / 2` of the original.
 * - `float16`: IEEE half precision, round to nearest even (relative error ≤ 2^−11 in range).
 * - `float32`: unchanged (no `quantization` field).
 */

/** The precisions, cheapest first. */
export const PRECISIONS = ['uint8', 'uint16', 'float16', 'float32'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** One entry of a TF.js weights manifest. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; min?: number; scale?: number };
}

/** Bytes per value of a precision. */
export function bytesPerValue(p: Precision): number {
  return p === 'uint8' ? 1 : p === 'float32' ? 4 : 2;
}

/** Quantizes `values` to precision `p`: the bytes (little-endian) and the manifest entry. */
export function quantizeTensor(name: string, shape: number[], values: Float32Array, p: Precision): { spec: WeightSpec; bytes: Uint8Array } {
  const n = values.length;
  if (shape.reduce((a, b) => a * b, 1) !== n) throw new RangeError(`${name}: shape [${shape}] does not hold ${n} values`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i]!)) throw new RangeError(`${name}: value ${i} is ${values[i]}`);
  if (p === 'float32') {
    return { spec: { name, shape, dtype: 'float32' }, bytes: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + 4 * n)) };
  }
  if (p === 'float16') {
    const half = new Float16Array(n);
    half.set(values);
    return { spec: { name, shape, dtype: 'float32', quantization: { dtype: 'float16' } }, bytes: new Uint8Array(half.buffer) };
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (values[i]! < min) min = values[i]!;
    if (values[i]! > max) max = values[i]!;
  }
  if (n === 0) [min, max] = [0, 0];
  const levels = p === 'uint8' ? 255 : 65535;
  const scale = (max - min) / levels;
  const q = p === 'uint8' ? new Uint8Array(n) : new Uint16Array(n);
  if (scale > 0) for (let i = 0; i < n; i++) q[i] = Math.min(levels, Math.max(0, Math.round((values[i]! - min) / scale)));
  return { spec: { name, shape, dtype: 'float32', quantization: { dtype: p, min, scale } }, bytes: new Uint8Array(q.buffer) };
}

/** The largest difference between an original value and its dequantized copy, bounded a priori. */
export function quantizationStep(spec: WeightSpec, values: Float32Array): number {
  const q = spec.quantization;
  if (!q) return 0;
  if (q.dtype === 'float16') {
    let m = 0;
    for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
    return m * 2 ** -11 + 2 ** -25; // half an ulp of the largest magnitude (plus subnormal spacing)
  }
  return (q.scale ?? 0) / 2;
}
