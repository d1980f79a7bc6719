/**
 * The pretrained AE and VAE in the browser: loaded once per page from the compact (quantized)
 * copies in `pretrained/<kind>/compact/` (issue 11), every file verified against the manifest,
 * shapes checked against the contract in DEVELOPERS.md.
 *
 * `loadModel(kind)` loads the decoder only: the test digits' codes are baked
 * (`data.ts` `loadEmbeddings`), so showing, reconstructing or interpolating a test digit needs no
 * encoder. The encoder loads when a widget first needs it (`model.loadEncoder()`, e.g. at the
 * reader's first stroke). Encoders take `[n, 784]` pixels in `[0, 1]`; decoders take `[n, 2]`
 * latent points and return `[n, 784]` probabilities. The VAE's code is its mean μ (the `mu` head).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { tf, ensureBackend, type BackendInfo } from './backend.ts';
import { ArtifactError, fetchArtifact, fetchJson } from './artifacts.ts';
import { DenseStack, denseStackFromLayers } from './dense.ts';
import { IMAGE_SIZE, LATENT_DIM } from './digits.ts';
import { compactModelDir } from './compact-format.ts';
import { tidyValues } from '../models/tensor-values.ts';

/** The two models of the site. */
export type ModelKind = 'ae' | 'vae';

export const MODEL_KINDS: readonly ModelKind[] = ['ae', 'vae'];

/** A reader-facing name. */
export function modelTitle(kind: ModelKind): string {
  return kind === 'ae' ? 'Autoencoder' : 'Variational autoencoder';
}

/** One loaded model with fast, leak-free helpers. */
export interface LoadedModel {
  kind: ModelKind;
  /** The zoo id whose files were loaded (`pretrained/<id>/compact/`): the kind itself, or a 2-D zoo model of that kind (`beta-2`, `attn`'s decoder). */
  id: string;
  /** The encoder once `loadEncoder()` has resolved (null before). */
  encoder: tfl.LayersModel | null;
  decoder: tfl.LayersModel;
  /** Loads (once) and validates the encoder; `encode` works after it resolves. */
  loadEncoder(): Promise<tfl.LayersModel>;
  /** Pure-JS copy of the decoder (when it is a plain Dense stack) for single-point decoding. */
  fastDecoder: DenseStack | null;
  /** Decodes `n` latent points (flat `[x0, y0, x1, y1, …]`) into `n × 784` probabilities (JS path when available, else TF.js). */
  decode(points: Float32Array): Float32Array;
  /** The same through TF.js `predict` (for comparison and as the general path). */
  decodeTf(points: Float32Array): Float32Array;
  /** Decodes one latent point into 784 probabilities (JS fast path when available). */
  decodeOne(x: number, y: number, out?: Float32Array): Float32Array;
  /** Encodes `n` images (flat `n × 784`) into their 2-D codes (VAE: μ); needs `loadEncoder()` first. */
  encode(images: Float32Array): Float32Array;
}

/** The weights manifest inside a TF.js `model.json`. */
interface ModelJson {
  modelTopology?: object;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** Joins ArrayBuffers into one. */
function concat(buffers: ArrayBuffer[]): ArrayBuffer {
  if (buffers.length === 1) return buffers[0]!;
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

/** An IOHandler that reads `pretrained/<dir>/model.json` and its weights through the verified fetcher. */
export function verifiedHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = await fetchJson<ModelJson>(`${dir}/model.json`);
      if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
        throw new ArtifactError(`${dir}/model.json`, `${dir}/model.json is not a TF.js layers model (no topology or weights manifest).`);
      }
      const weightSpecs: tf.io.WeightsManifestEntry[] = [];
      const paths: string[] = [];
      for (const group of json.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const p of group.paths) paths.push(`${dir}/${p.replace(/^\.\//, '')}`);
      }
      const buffers = await Promise.all(paths.map((p) => fetchArtifact(p)));
      return {
        modelTopology: json.modelTopology,
        weightSpecs,
        weightData: concat(buffers),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
      };
    },
  };
}

/** Formats a shape like `[null, 784]`. */
function fmt(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : d)).join(', ')}]`;
}

/** True if `shape` is `[null, n]` (or `[-1, n]`). */
function isBatchOf(shape: readonly (number | null)[] | undefined, n: number): boolean {
  return !!shape && shape.length === 2 && (shape[0] === null || shape[0] === -1) && shape[1] === n;
}

/** Checks a loaded encoder against the contract; throws an ArtifactError if not. */
export function validateEncoder(kind: ModelKind, encoder: tfl.LayersModel, encPath = `${compactModelDir(kind, 'encoder')}/model.json`): void {
  const bad = (what: string) => new ArtifactError(encPath, `The ${kind.toUpperCase()} ${what} (pretrained/${encPath}) has the wrong shape for this site.`);
  if (encoder.inputs.length !== 1 || !isBatchOf(encoder.inputs[0]!.shape, IMAGE_SIZE)) {
    throw bad(`encoder takes ${encoder.inputs.map((t) => fmt(t.shape)).join(', ')}, expected [null, 784]: it`);
  }
  if (kind === 'ae') {
    if (encoder.outputs.length !== 1 || !isBatchOf(encoder.outputs[0]!.shape, LATENT_DIM)) {
      throw bad(`encoder returns ${encoder.outputs.map((t) => fmt(t.shape)).join(', ')}, expected [null, 2]: it`);
    }
  } else {
    const names = encoder.outputNames;
    const ok =
      encoder.outputs.length === 2 &&
      names.includes('mu') &&
      names.includes('logvar') &&
      encoder.outputs.every((t) => isBatchOf(t.shape, LATENT_DIM));
    if (!ok) {
      throw bad(`encoder returns ${encoder.outputs.map((t, i) => `${names[i]} ${fmt(t.shape)}`).join(', ')}, expected mu and logvar, each [null, 2]: it`);
    }
  }
}

/** Checks a loaded decoder against the contract; throws an ArtifactError if not. */
export function validateDecoder(kind: ModelKind, decoder: tfl.LayersModel, decPath = `${compactModelDir(kind, 'decoder')}/model.json`): void {
  const bad = (what: string) => new ArtifactError(decPath, `The ${kind.toUpperCase()} ${what} (pretrained/${decPath}) has the wrong shape for this site.`);
  if (decoder.inputs.length !== 1 || !isBatchOf(decoder.inputs[0]!.shape, LATENT_DIM)) {
    throw bad(`decoder takes ${decoder.inputs.map((t) => fmt(t.shape)).join(', ')}, expected [null, 2]: it`);
  }
  if (decoder.outputs.length !== 1 || !isBatchOf(decoder.outputs[0]!.shape, IMAGE_SIZE)) {
    throw bad(`decoder returns ${decoder.outputs.map((t) => fmt(t.shape)).join(', ')}, expected [null, 784]: it`);
  }
}

/** Checks a loaded encoder/decoder pair against the contract; throws an ArtifactError if not. */
export function validateModels(kind: ModelKind, encoder: tfl.LayersModel, decoder: tfl.LayersModel): void {
  validateEncoder(kind, encoder);
  validateDecoder(kind, decoder);
}

/** Loads a layers model through the verified handler, naming the file in any error. */
async function loadOne(dir: string): Promise<tfl.LayersModel> {
  try {
    return await tfl.loadLayersModel(verifiedHandler(dir));
  } catch (err) {
    if (err instanceof ArtifactError) throw err;
    const msg = (err as Error)?.message || String(err);
    throw new ArtifactError(`${dir}/model.json`, `pretrained/${dir}/model.json could not be loaded as a TF.js model: ${msg}`);
  }
}

/** Wraps the decoder (and, once loaded, the encoder) with tidy, leak-free helpers. */
function wrap(kind: ModelKind, decoder: tfl.LayersModel, id: string = kind): LoadedModel {
  const fastDecoder = denseStackFromLayers(decoder.layers);
  const point = new Float32Array(2);
  let muIndex = 0;
  let encoderPromise: Promise<tfl.LayersModel> | undefined;
  const model: LoadedModel = {
    kind,
    id,
    encoder: null,
    decoder,
    fastDecoder,
    loadEncoder() {
      encoderPromise ??= loadOne(compactModelDir(id, 'encoder')).then((encoder) => {
        try {
          validateEncoder(kind, encoder, `${compactModelDir(id, 'encoder')}/model.json`);
        } catch (err) {
          encoder.dispose();
          throw err;
        }
        muIndex = kind === 'vae' ? encoder.outputNames.indexOf('mu') : 0;
        model.encoder = encoder;
        return encoder;
      });
      encoderPromise.catch(() => (encoderPromise = undefined));
      return encoderPromise;
    },
    decode(points) {
      const n = points.length / LATENT_DIM;
      // Measured in Chromium: the JS stack beats a TF.js predict call even for a 400-point grid.
      if (fastDecoder) return fastDecoder.runBatch(points, n);
      return this.decodeTf(points);
    },
    decodeTf(points) {
      const n = points.length / LATENT_DIM;
      return tidyValues(() => decoder.predict(tf.tensor2d(points, [n, LATENT_DIM])) as tf.Tensor);
    },
    decodeOne(x, y, out) {
      if (fastDecoder) return fastDecoder.run1(x, y, out);
      point[0] = x;
      point[1] = y;
      const res = this.decode(point);
      if (out) {
        out.set(res);
        return out;
      }
      return res;
    },
    encode(images) {
      const encoder = model.encoder;
      if (!encoder) throw new Error(`The ${kind.toUpperCase()} encoder has not been loaded (call loadEncoder() first).`);
      const n = images.length / IMAGE_SIZE;
      return tidyValues(() => {
        const result = encoder.predict(tf.tensor2d(images, [n, IMAGE_SIZE]));
        return Array.isArray(result) ? result[muIndex]! : result;
      });
    },
  };
  return model;
}

const loaded = new Map<string, Promise<LoadedModel>>();

/**
 * The model `kind` (its decoder; the encoder on demand), loaded, verified and validated once per
 * page. `id` loads another 2-D zoo model of the same layout from `pretrained/<id>/compact/` (the
 * β sweep's `beta-*` and `attn`'s decoder are `vae`s; default: the kind's own folder).
 */
export function loadModel(kind: ModelKind, id: string = kind): Promise<LoadedModel> {
  let pending = loaded.get(id);
  if (!pending) {
    pending = (async () => {
      await ensureBackend();
      const dir = compactModelDir(id, 'decoder');
      const decoder = await loadOne(dir);
      try {
        validateDecoder(kind, decoder, `${dir}/model.json`);
      } catch (err) {
        decoder.dispose();
        throw err;
      }
      return wrap(kind, decoder, id);
    })();
    loaded.set(id, pending);
    pending.catch(() => loaded.delete(id));
  }
  return pending;
}

/** The model `kind` with its encoder loaded too. */
export async function loadModelWithEncoder(kind: ModelKind): Promise<LoadedModel> {
  const model = await loadModel(kind);
  await model.loadEncoder();
  return model;
}

/** Both models and the backend, for widgets that show AE and VAE side by side. */
export async function loadBoth(): Promise<{ ae: LoadedModel; vae: LoadedModel; backend: BackendInfo }> {
  const backend = await ensureBackend();
  const [ae, vae] = await Promise.all([loadModel('ae'), loadModel('vae')]);
  return { ae, vae, backend };
}
