/**
 * Verified access to the committed `pretrained/` artifacts from the browser.
 *
 * Every file is fetched at most once per page (all widgets share the same promise) and checked
 * against `pretrained/manifest.json` — byte size and SHA-256 — before anyone sees its bytes.
 */

import type { Manifest } from '../contracts/manifest.ts';

/** A failure to obtain a usable artifact; `message` is written for the reader of the page. */
export class ArtifactError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.name = 'ArtifactError';
    this.path = path;
  }
}

const cache = new Map<string, Promise<ArrayBuffer>>();
let manifestPromise: Promise<Manifest> | undefined;

/** The URL of an artifact, relative to the site's base path. */
export function artifactUrl(path: string): string {
  const base = import.meta.env?.BASE_URL ?? '/';
  return `${base.endsWith('/') ? base : `${base}/`}pretrained/${path}`;
}

/** Lower-case hex SHA-256 of some bytes (Web Crypto). */
export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Fetches raw bytes, turning network and HTTP failures into readable errors. */
async function fetchBytes(path: string): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(artifactUrl(path));
  } catch (err) {
    throw new ArtifactError(path, `Could not download ${path}: ${(err as Error).message || 'network error'}.`);
  }
  if (!response.ok) {
    throw new ArtifactError(path, `Could not download ${path} (HTTP ${response.status}${response.status === 404 ? ': not found' : ''}).`);
  }
  return response.arrayBuffer();
}

/** The manifest, fetched once. */
export function loadManifest(): Promise<Manifest> {
  manifestPromise ??= fetchBytes('manifest.json').then((buf) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(buf));
    } catch {
      throw new ArtifactError('manifest.json', 'The artifact manifest (pretrained/manifest.json) is not valid JSON.');
    }
    const m = parsed as Partial<Manifest>;
    if (!m || typeof m !== 'object' || typeof m.files !== 'object' || m.files === null) {
      throw new ArtifactError('manifest.json', 'The artifact manifest (pretrained/manifest.json) has no "files" table.');
    }
    return m as Manifest;
  });
  manifestPromise.catch(() => (manifestPromise = undefined));
  return manifestPromise;
}

/** Checks bytes against their manifest entry; throws an ArtifactError naming the file otherwise. */
export async function verify(path: string, bytes: ArrayBuffer, manifest: Manifest): Promise<void> {
  const entry = manifest.files[path];
  if (!entry) throw new ArtifactError(path, `${path} is not listed in the artifact manifest.`);
  if (bytes.byteLength !== entry.bytes) {
    throw new ArtifactError(path, `${path} is ${bytes.byteLength} bytes, but the manifest says ${entry.bytes}: the file is truncated or was replaced.`);
  }
  if ((await sha256Hex(bytes)) !== entry.sha256) {
    throw new ArtifactError(path, `${path} failed its checksum (SHA-256 differs from the manifest): the file is corrupt.`);
  }
}

/** The verified bytes of `pretrained/<path>`, fetched once per page. */
export function fetchArtifact(path: string): Promise<ArrayBuffer> {
  let pending = cache.get(path);
  if (!pending) {
    pending = Promise.all([loadManifest(), fetchBytes(path)]).then(async ([manifest, bytes]) => {
      await verify(path, bytes, manifest);
      return bytes;
    });
    cache.set(path, pending);
    pending.catch(() => cache.delete(path));
  }
  return pending;
}

/** The verified, parsed JSON of `pretrained/<path>`. */
export async function fetchJson<T>(path: string): Promise<T> {
  const bytes = await fetchArtifact(path);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch {
    throw new ArtifactError(path, `${path} is not valid JSON.`);
  }
}
