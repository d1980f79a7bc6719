/**
 * Whether this build carries the test and benchmark hooks (`window.__latentAtlas`, the widgets'
 * `frames` / `renderTimes` counters, `drawGrid`, `showTest`, `setPair`, …).
 *
 * A production build (`npm run build`, `npm start`) ships none of them. The end-to-end suite and
 * `bench:browser` build with `PUBLIC_LATENT_ATLAS_TEST_HOOKS=1` (see `package.json`), and the dev
 * server always has them. Vite replaces `import.meta.env.*` at build time, so in a production
 * bundle every `if (TEST_HOOKS) …` block is dead code and is removed by the minifier.
 */
export const TEST_HOOKS: boolean =
  import.meta.env?.PUBLIC_LATENT_ATLAS_TEST_HOOKS === '1' || import.meta.env?.DEV === true;

/**
 * Sets `name` on `target` to `value` only in a build with test hooks; widgets call it instead of
 * assigning their counters and test methods directly, so a production build carries none.
 */
export function exposeTestHook<T extends object, V>(target: T, name: string, value: V): void {
  if (TEST_HOOKS) (target as Record<string, unknown>)[name] = value;
}
