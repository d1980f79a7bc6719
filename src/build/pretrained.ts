/**
 * Build-time access to the committed `pretrained/` folder, for figures rendered in `.astro`
 * frontmatter (static SVG that works without JavaScript). Node only — never import from a
 * browser script. A missing or unreadable file yields `undefined`, so a fresh checkout without
 * artifacts still builds (the figure then says so and the island loads the data at run time).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Absolute path of `pretrained/<path>` in the project being built. */
export function pretrainedPath(path: string): string {
  return resolve(process.cwd(), 'pretrained', path);
}

/** Parsed JSON of `pretrained/<path>`, or `undefined` if absent or not JSON. */
export function readPretrainedJson(path: string): unknown {
  const file = pretrainedPath(path);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
