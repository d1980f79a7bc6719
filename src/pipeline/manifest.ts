/**
 * `pretrained/manifest.json`: every file under `pretrained/` with its SHA-256 and size.
 *
 * Usage (any pipeline step that changes `pretrained/`, after its own atomic write):
 *
 *     import { writeManifest } from './manifest.ts';
 *     await writeManifest('pretrained');   // or an absolute path
 *
 * It lists every regular file under the folder, recursively, except `manifest.json` itself and
 * anything whose name starts with `.` (temporary folders of atomic writes), with `/`-separated
 * paths relative to the folder, sorted. The manifest is itself written atomically (temp file +
 * rename). Returns the manifest it wrote.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, type Manifest } from '../contracts/manifest.ts';
import { writeFileAtomic } from './atomic.ts';

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, path)));
    else if (e.isFile() && path !== MANIFEST_FILE) out.push(path);
  }
  return out;
}

/** The manifest of `dir` as it is now (nothing written). */
export async function computeManifest(dir: string): Promise<Manifest> {
  const files: Manifest['files'] = {};
  for (const path of (await listFiles(dir)).sort()) {
    const bytes = await readFile(join(dir, path));
    files[path] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  }
  return { version: 1, files };
}

/** Recomputes and atomically writes `<dir>/manifest.json`; returns it. */
export async function writeManifest(dir = 'pretrained'): Promise<Manifest> {
  const manifest = await computeManifest(dir);
  await writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
