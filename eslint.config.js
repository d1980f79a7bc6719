// @ts-check
/**
 * Lint rules, including the project's layers (issue 18). Each folder may import only the folders
 * below it, and sees only the globals of where its code runs:
 *
 *   src/contracts/   neutral: the pretrained/ schemas and parsers, the manifest type, zoo.json, the
 *                    compact format, figure constants. Imports only contracts (and type-only
 *                    imports of src/models/, whose registry writes zoo.json). Only the globals
 *                    that Node and browsers share (TextEncoder, WebAssembly, URL, console …).
 *   src/models/, src/embed/
 *                    neutral: forward passes, training maths, embeddings. Never import components,
 *                    pipeline, lib or build. Only the shared globals (embed's Node-only
 *                    modules, `tsne-node*.ts`, get Node's).
 *   src/lib/         the browser runtime (browser globals). Never imports components, pipeline or build.
 *   src/components/  the islands' modules (browser globals). Never import pipeline or build (the
 *                    .astro frontmatter does, at build time).
 *   src/build/       Node code that .astro frontmatter runs while the site is built (Node globals).
 *   src/pipeline/, src/data/, src/integrations/, bench/, scripts/, e2e/, config files: Node.
 *                    The pipeline never imports components or build.
 *
 * `no-undef` is on for TypeScript too, so a browser global in Node code (or the reverse) fails.
 * Tests run in Node (vitest), so `*.test.ts` files get Node's globals wherever they are.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import astro from 'eslint-plugin-astro';
import globals from 'globals';

/**
 * `no-restricted-imports` patterns forbidding the given project folders (relative imports at any depth).
 * @param {string[]} folders
 * @param {string} why
 */
function forbid(folders, why) {
  return folders.map((folder) => ({
    group: [`**/${folder}/**`, `**/${folder}`],
    message: `${why} (layers: see eslint.config.js).`,
  }));
}

/**
 * The rule for a folder: the forbidden folders plus, optionally, type-only allowances.
 * @param {string[]} files
 * @param {{ group: string[]; message: string; allowTypeImports?: boolean }[]} patterns
 * @returns {import('eslint').Linter.Config}
 */
function layer(files, patterns) {
  return {
    files,
    ignores: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
}

/** What both Node and browsers define (TextEncoder, WebAssembly, URL, console, timers …): neutral code's globals. */
const SHARED = { ...globals['shared-node-browser'] };
/** Node's globals, and the `NodeJS` type namespace of @types/node (no-undef sees type names too). */
const NODE = { ...globals.node, NodeJS: /** @type {const} */ ('readonly') };
/** The browser's globals, and the DOM type names that are not values. */
const BROWSER = { ...globals.browser, ParentNode: /** @type {const} */ ('readonly'), Transferable: /** @type {const} */ ('readonly') };

export default tseslint.config(
  { ignores: ['dist/', '.astro/', 'node_modules/', 'test-results/', 'playwright-report/', 'bench/out/', 'pretrained/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...astro.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },

  // Globals: those Node and browsers share by default (neutral code); then per folder.
  { files: ['**/*.ts'], languageOptions: { globals: SHARED }, rules: { 'no-undef': 'error' } },
  { files: ['src/lib/**/*.ts', 'src/components/**/*.ts'], languageOptions: { globals: BROWSER } },
  { files: ['src/lib/**/*worker*.ts', 'src/components/**/*worker*.ts'], languageOptions: { globals: { ...globals.worker, Transferable: /** @type {const} */ ('readonly') } } },
  {
    files: ['src/pipeline/**', 'src/build/**', 'src/data/**', 'src/integrations/**', 'src/embed/tsne-node*.ts', 'bench/**', 'scripts/**', 'e2e/**', '*.config.*', 'src/content.config.ts'],
    languageOptions: { globals: NODE },
  },
  // The browser-driving scripts pass functions that run in the page (page.evaluate).
  { files: ['e2e/**', 'bench/**'], languageOptions: { globals: { ...NODE, ...BROWSER } } },
  // .astro files: the frontmatter runs in Node at build time, the <script> blocks in the browser.
  { files: ['**/*.astro', '**/*.astro/*'], languageOptions: { globals: { ...NODE, ...BROWSER } } },
  { files: ['**/*.test.ts'], languageOptions: { globals: { ...NODE, ...BROWSER } } },

  // Imports between layers.
  layer(['src/contracts/**'], [
    ...forbid(['components', 'pipeline', 'lib', 'build', 'data', 'embed', 'integrations'], 'src/contracts/ imports only contracts'),
    { group: ['**/models/**'], allowTypeImports: true, message: 'src/contracts/ may import only types from src/models/ (layers: see eslint.config.js).' },
    { group: ['node:*'], message: 'src/contracts/ is neutral: no Node modules (layers: see eslint.config.js).' },
  ]),
  layer(['src/models/**', 'src/embed/**'], forbid(['components', 'pipeline', 'lib', 'build'], 'src/models/ and src/embed/ are neutral: they never import components, pipeline, lib or build')),
  layer(['src/lib/**'], forbid(['components', 'pipeline', 'build'], 'src/lib/ (the browser runtime) never imports components, pipeline or build')),
  layer(['src/components/**/*.ts'], forbid(['pipeline', 'build'], 'src/components/ (browser code) never imports pipeline or build')),
  layer(['src/pipeline/**'], forbid(['components', 'build'], 'src/pipeline/ never imports components or build')),
);
