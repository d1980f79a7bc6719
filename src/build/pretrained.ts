/**
 * Build-time access to the `pretrained/` folder, for every Node reader that runs while the site is
 * built (the `.astro` frontmatter's figures, numbers and tables; static SVG and PNG that work
 * without JavaScript). Node only — never import from a browser script.
 *
 * One folder for all of them: `pretrained/` under the project root, or `$LATENT_ATLAS_PRETRAINED`
 * when set (to preview the pages against another run's artifacts without touching the committed
 * ones; a relative path is taken from the project root). A missing or unreadable file yields
 * `undefined`, so a fresh checkout without artifacts still builds (the figure then says so and the
 * island loads the data at run time).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The folder the build reads artifacts from: `$LATENT_ATLAS_PRETRAINED`, else `<root>/pretrained`. */
export function pretrainedDir(root = process.cwd()): string {
  const override = process.env.LATENT_ATLAS_PRETRAINED;
  return override ? resolve(root, override) : resolve(root, 'pretrained');
}

/** Absolute path of `pretrained/<path>` (in `pretrainedDir()`). */
export function pretrainedPath(path: string, root = process.cwd()): string {
  return resolve(pretrainedDir(root), path);
}

/** Whether `pretrained/<path>` exists. */
export function hasPretrained(path: string, root = process.cwd()): boolean {
  return existsSync(pretrainedPath(path, root));
}

/** Parsed JSON of `pretrained/<path>`, or `undefined` if absent or not JSON. */
export function readPretrainedJson(path: string, root = process.cwd()): unknown {
  const file = pretrainedPath(path, root);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
