/**
 * A zoo model's compact encoder or decoder (`pretrained/<id>/compact/<part>/`) as a plain-JS Dense
 * stack, without TF.js: the files are fetched and verified like every artifact (`artifacts.ts`),
 * the weights dequantized here from TF.js's own quantization format (the `quantization` field of each
 * `weightsManifest` entry: `uint8` / `uint16` as q · scale + min, `float16`, or plain float32 — the
 * same arithmetic as `tf.io.decodeWeights`, checked against it in `compact-stack.test.ts`). A page
 * whose widgets need only such stacks (the denoising figure) then loads no TF.js at all: ~300 KiB
 * (gzip) of script and WebAssembly less. A VAE encoder's stack is its `mu` head.
 */
import { ArtifactError, fetchArtifact, fetchJson } from './artifacts.ts';
import { compactModelDir } from './compact-format.ts';
import { type Activation, DenseStack, type DenseLayer } from './dense.ts';

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; min?: number; scale?: number };
}

interface ModelJson {
  modelTopology?: { config?: { layers?: { class_name: string; config: { name?: string; activation?: string; use_bias?: boolean } }[] } };
  weightsManifest?: { paths: string[]; weights: WeightSpec[] }[];
}

/** IEEE 754 half-precision bits → number. */
function half(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** The weights of a manifest group, dequantized, by name (`bytes`: the group's files concatenated). */
export function dequantize(specs: readonly WeightSpec[], bytes: Uint8Array, file: string): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  let at = 0;
  for (const w of specs) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const q = w.quantization;
    if (w.dtype !== 'float32') throw new ArtifactError(file, `pretrained/${file}: ${w.name} is ${w.dtype}; expected float32 weights.`);
    const width = !q ? 4 : q.dtype === 'uint8' ? 1 : 2;
    if (at + n * width > bytes.length) throw new ArtifactError(file, `pretrained/${file}: the weights end before ${w.name}.`);
    const view = bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + n * width);
    let values: Float32Array;
    if (!q) values = new Float32Array(view);
    else if (q.dtype === 'float16') values = Float32Array.from(new Uint16Array(view), half);
    else if ((q.dtype === 'uint8' || q.dtype === 'uint16') && typeof q.min === 'number' && typeof q.scale === 'number') {
      const ints = q.dtype === 'uint8' ? new Uint8Array(view) : new Uint16Array(view);
      values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = ints[i]! * q.scale + q.min;
    } else throw new ArtifactError(file, `pretrained/${file}: ${w.name} has an unknown quantization (${JSON.stringify(q)}).`);
    out.set(w.name, values);
    at += n * width;
  }
  return out;
}

/** The Dense stack of a layers model's `model.json` and weight bytes (a VAE encoder: without `logvar`). */
export function stackFromCompact(json: unknown, bytes: Uint8Array, file: string): DenseStack {
  const m = json as ModelJson;
  const layers = m.modelTopology?.config?.layers;
  if (!Array.isArray(layers) || !Array.isArray(m.weightsManifest)) throw new ArtifactError(file, `pretrained/${file} is not a TF.js layers model (no layers or weights manifest).`);
  const weights = dequantize(m.weightsManifest.flatMap((g) => g.weights), bytes, file);
  const dense: DenseLayer[] = [];
  for (const l of layers) {
    if (l.class_name === 'InputLayer' || l.config.name === 'logvar') continue;
    const name = l.config.name ?? '';
    const kernel = weights.get(`${name}/kernel`);
    const bias = weights.get(`${name}/bias`);
    const act = l.config.activation ?? 'linear';
    if (l.class_name !== 'Dense' || !kernel || !bias || !['linear', 'relu', 'sigmoid'].includes(act)) {
      throw new ArtifactError(file, `pretrained/${file}: layer ${name} (${l.class_name}) is not a Dense layer this figure can run.`);
    }
    dense.push({ kernel, bias, inDim: kernel.length / bias.length, outDim: bias.length, activation: act as Activation });
  }
  try {
    return new DenseStack(dense);
  } catch (err) {
    throw new ArtifactError(file, `pretrained/${file}: ${(err as Error).message}.`);
  }
}

const cache = new Map<string, Promise<DenseStack>>();

/** Zoo model `id`'s compact `part`, verified, as a Dense stack mapping `inDim` → `outDim` values (checked; the message names the file). */
export function loadCompactStack(id: string, part: 'encoder' | 'decoder', inDim: number, outDim: number): Promise<DenseStack> {
  const dir = compactModelDir(id, part);
  const file = `${dir}/model.json`;
  let pending = cache.get(dir);
  if (!pending) {
    pending = (async () => {
      const json = await fetchJson<ModelJson>(file);
      const paths = (json.weightsManifest ?? []).flatMap((g) => g.paths).map((p) => `${dir}/${p.replace(/^\.\//, '')}`);
      const parts = await Promise.all(paths.map((p) => fetchArtifact(p)));
      const bytes = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
      let at = 0;
      for (const b of parts) {
        bytes.set(new Uint8Array(b), at);
        at += b.byteLength;
      }
      return stackFromCompact(json, bytes, file);
    })();
    cache.set(dir, pending);
    pending.catch(() => cache.delete(dir));
  }
  return pending.then((stack) => {
    if (stack.inDim !== inDim || stack.outDim !== outDim) throw new ArtifactError(file, `The ${part} in pretrained/${file} maps ${stack.inDim} → ${stack.outDim} values; expected ${inDim} → ${outDim}.`);
    return stack;
  });
}
