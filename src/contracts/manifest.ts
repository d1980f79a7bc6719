/**
 * `pretrained/manifest.json`: every file under `pretrained/` with its SHA-256 and byte size. Written
 * by the pipeline (`src/pipeline/manifest.ts`), checked by `scripts/check-manifest.ts`, and read by
 * the browser, which verifies every artifact it fetches against it (`src/lib/artifacts.ts`).
 *
 * Paths are `/`-separated, relative to `pretrained/`, sorted; `manifest.json` itself is not listed.
 */

/** The manifest's file name under `pretrained/`. */
export const MANIFEST_FILE = 'manifest.json';

/** One entry of the manifest. */
export interface ManifestEntry {
  sha256: string;
  bytes: number;
}

/** The parsed `pretrained/manifest.json`. */
export interface Manifest {
  version: 1;
  files: Record<string, ManifestEntry>;
}
