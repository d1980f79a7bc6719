// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { unified } from '@astrojs/markdown-remark';
import { pretrainedAssets } from './src/integrations/pretrained.ts';
import { cspInlineHashes } from './src/integrations/csp-inline-hashes.ts';

// GitHub Pages (or any host) can set these at build time; local builds serve from the root.
const site = process.env.SITE_URL || undefined;
const base = process.env.BASE_PATH || undefined;

export default defineConfig({
  site,
  base,
  security: {
    // Only the site itself, plus WebAssembly compilation for TF.js. Astro hashes its own inline
    // scripts and styles into the policy's <meta> tag.
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
      // KaTeX and Expressive Code position glyphs and colour tokens with style="" attributes. An
      // attribute cannot fetch anything past img-src/font-src, so only attributes are relaxed;
      // <style> elements stay hash-locked.
      styleDirective: { resources: ["'self'", { resource: "'unsafe-inline'", kind: 'attribute' }] },
    },
  },
  vite: {
    build: {
      // Keep every font a file of its own: KaTeX's smallest fonts would otherwise be inlined into
      // the CSS as data: URLs, which the policy's font-src 'self' (rightly) refuses.
      assetsInlineLimit: (file) => (/\.(woff2?|ttf|otf)$/.test(file) ? false : undefined),
    },
  },
  markdown: {
    // Math is rendered at build time (KaTeX HTML + MathML); no math script ships to the reader.
    processor: unified({
      remarkPlugins: [remarkMath],
      rehypePlugins: [[rehypeKatex, { strict: 'error', output: 'htmlAndMathml' }]],
    }),
  },
  integrations: [
    starlight({
      title: 'Latent Atlas',
      description:
        'An interactive guide to how autoencoders and variational autoencoders organise MNIST digits in a two-dimensional latent space.',
      customCss: ['katex/dist/katex.min.css', './src/styles/site.css'],
      favicon: '/favicon.svg',
      head: [
        { tag: 'meta', attrs: { name: 'author', content: 'Latent Atlas, after a report by Dudekula Prathimabi' } },
        // Without JavaScript, hide what only works with it (widget controls, blank canvases); the
        // widgets show pictures baked at build time instead (src/components/StaticFigure.astro).
        { tag: 'noscript', content: '<style>[data-needs-js]{display:none!important}</style>' },
      ],
      lastUpdated: false,
      pagination: true,
      tableOfContents: { minHeadingLevel: 2, maxHeadingLevel: 3 },
      // Slugs rather than literal links, so that every entry follows a configured `base` path.
      sidebar: [
        { slug: 'index', label: 'Home' },
        {
          label: 'Chapters',
          items: [
            'introduction',
            'architectures',
            'training',
            'latent-space',
            'tsne-lab',
            'reconstruction',
            'interpolation',
            'key-learnings',
            {
              label: '8 · Future work',
              items: [
                'future-work',
                'future-work/bigger-codes',
                'future-work/beta',
                'future-work/conditional',
                'future-work/denoising',
                'future-work/attention',
              ],
            },
          ],
        },
        { slug: 'reproduce', label: 'Reproduce it' },
      ],
    }),
    pretrainedAssets(),
    // Astro does not hash `is:inline` scripts (Starlight's search, theme and sidebar scripts):
    // add their hashes to each built page's policy so they are not blocked.
    cspInlineHashes(),
  ],
});
