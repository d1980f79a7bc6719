/**
 * Serves the committed `pretrained/` folder at `<base>/pretrained/` in `astro dev` and copies it
 * into the build output, so the site reads the very artifacts the pipeline wrote (no second copy
 * in `public/` to drift out of date).
 */
import type { AstroIntegration } from 'astro';
import { cp, readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME: Record<string, string> = {
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
};

/** The Astro integration that exposes `pretrained/` to the site. */
export function pretrainedAssets(dir = 'pretrained'): AstroIntegration {
  let root = '';
  let base = '/';
  return {
    name: 'latent-atlas:pretrained',
    hooks: {
      'astro:config:done': ({ config }) => {
        root = resolve(fileURLToPath(config.root), dir);
        base = config.base.endsWith('/') ? config.base : `${config.base}/`;
      },
      'astro:server:setup': ({ server }) => {
        const prefix = `${base}pretrained/`;
        server.middlewares.use(async (req, res, next) => {
          const url = (req.url ?? '').split('?')[0] ?? '';
          if (!url.startsWith(prefix)) return next();
          const file = normalize(join(root, decodeURIComponent(url.slice(prefix.length))));
          if (!file.startsWith(root + sep)) return next();
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
        await cp(root, join(fileURLToPath(outDir), dir), { recursive: true });
      },
    },
  };
}
