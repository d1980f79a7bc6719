/**
 * Serves the committed `pretrained/` folder at `<base>/pretrained/` in `astro dev` and copies it
 * into the build output, so the site reads the very artifacts the pipeline wrote (no second copy
 * in `public/` to drift out of date). The folder is `pretrainedDir()` (`$LATENT_ATLAS_PRETRAINED`
 * or `pretrained/`), the one the build-time figures read.
 *
 * Only what the pages fetch at run time is served and shipped (`shipped`); the rest of the folder
 * (the float32 masters `<id>/encoder|decoder/`, most `embeddings.json` and `metrics.json`, the
 * figures' and compact bake's records, the full test atlas, the denoising curve) is read at build
 * time or by the pipeline only. The manifest ships unchanged: it lists every committed file, so it
 * still lists each one the browser fetches and verifies.
 */
import type { AstroIntegration } from 'astro';
import { copyFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pretrainedDir } from '../build/pretrained.ts';
import { INPUT_IDS } from '../components/tsne-lab/settings.ts';

const MIME: Record<string, string> = {
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
};

/** The models whose `embeddings.json` a page fetches: the t-SNE lab's code inputs. */
const FETCHED_EMBEDDINGS = new Set<string>(INPUT_IDS.filter((id) => id !== 'pixels'));
/** The models whose `metrics.json` a page fetches: the loss curves' (`LossCurves.astro`). */
const FETCHED_METRICS = new Set(['ae', 'vae']);

/**
 * Whether the pages fetch `pretrained/<path>` at run time (a `/`-separated path), and so whether the
 * site serves and ships it:
 * - `manifest.json` (every verified fetch checks against it, `src/lib/artifacts.ts`) and `zoo.json`
 *   (the t-SNE lab's list of code widths);
 * - `digits/` (the test digits' chunks and labels, `src/lib/data.ts`);
 * - `figures/*.png` (the pictures without JavaScript, `StaticFigure.astro`'s `<img>`);
 * - `<id>/compact/`: the models the widgets run and the maps they draw (`src/lib/models.ts`,
 *   `data.ts`, `attn.ts`, …), but not `compact.json` (the bake's record);
 * - `<id>/embeddings.json` of the t-SNE lab's inputs, `<id>/metrics.json` of the loss curves.
 */
export function shipped(path: string): boolean {
  if (path === 'manifest.json' || path === 'zoo.json') return true;
  if (path.startsWith('digits/')) return true;
  if (/^figures\/[^/]+\.png$/.test(path)) return true;
  const slash = path.indexOf('/');
  if (slash < 0) return false;
  const id = path.slice(0, slash);
  const rest = path.slice(slash + 1);
  if (rest.startsWith('compact/')) return rest !== 'compact/compact.json';
  if (rest === 'embeddings.json') return FETCHED_EMBEDDINGS.has(id);
  if (rest === 'metrics.json') return FETCHED_METRICS.has(id);
  return false;
}

/** The shipped files under `root`, `/`-separated and relative to it (dot-files and folders, e.g. atomic writes' temporaries, left out). */
export async function shippedFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((p) => !p.split('/').some((part) => part.startsWith('.')) && shipped(p))
    .sort();
}

/** The Astro integration that exposes `pretrained/` to the site. */
export function pretrainedAssets(dir?: string): AstroIntegration {
  let root = '';
  let base = '/';
  return {
    name: 'latent-atlas:pretrained',
    hooks: {
      'astro:config:done': ({ config }) => {
        const projectRoot = fileURLToPath(config.root);
        root = dir ? resolve(projectRoot, dir) : pretrainedDir(projectRoot);
        base = config.base.endsWith('/') ? config.base : `${config.base}/`;
      },
      'astro:server:setup': ({ server }) => {
        const prefix = `${base}pretrained/`;
        server.middlewares.use(async (req, res, next) => {
          const url = (req.url ?? '').split('?')[0] ?? '';
          if (!url.startsWith(prefix)) return next();
          const path = decodeURIComponent(url.slice(prefix.length));
          const file = normalize(join(root, path));
          if (!file.startsWith(root + sep) || !shipped(relative(root, file).split(sep).join('/'))) return next();
          try {
            if (!(await stat(file)).isFile()) return next();
            res.setHeader('Content-Type', MIME[extname(file)] ?? 'application/octet-stream');
            res.end(await readFile(file));
          } catch {
            next();
          }
        });
      },
      'astro:build:done': async ({ dir: outDir }) => {
        const out = join(fileURLToPath(outDir), 'pretrained');
        for (const path of await shippedFiles(root)) {
          const to = join(out, ...path.split('/'));
          await mkdir(dirname(to), { recursive: true });
          await copyFile(join(root, ...path.split('/')), to);
        }
      },
    },
  };
}
