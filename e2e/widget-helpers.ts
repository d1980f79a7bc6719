/**
 * Shared helpers for the widgets' end-to-end tests (first written for the explorer, reconstruction and
 * interpolation specs; other specs import them too, so keep the exports stable).
 * The page's runtime exposes `window.__latentAtlas` (see src/lib/runtime.ts) with TF.js' `tf`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { pretrainedPath } from '../src/build/pretrained.ts';

/**
 * The committed `pretrained/<path>`, parsed, as the build read it (from disk: the site ships only
 * what its pages fetch, `src/integrations/pretrained.ts`, so the float32 masters, most
 * `embeddings.json` and `metrics.json` files are not served); undefined when it is not committed.
 */
export function committedJson<T>(path: string): T | undefined {
  const file = pretrainedPath(path);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

/** Records every request that does not go to the site itself; check it with `expect(list).toEqual([])`. */
export function trackForeignRequests(page: Page, baseURL: string): string[] {
  const origin = new URL(baseURL).origin;
  const foreign: string[] = [];
  page.on('request', (req) => {
    const url = req.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) foreign.push(url);
  });
  return foreign;
}

/** Collects uncaught page errors. */
export function trackPageErrors(page: Page): Error[] {
  const errors: Error[] = [];
  page.on('pageerror', (e) => errors.push(e));
  return errors;
}

/** Scrolls the widget into view and waits for `data-state="ready"`. */
export async function waitReady(root: Locator): Promise<void> {
  await root.scrollIntoViewIfNeeded();
  await expect(root).toHaveAttribute('data-state', 'ready', { timeout: 45_000 });
}

/** Scrolls the widget into view and waits for `data-state="error"` (as long as `waitReady` waits). */
export async function waitError(root: Locator): Promise<void> {
  await root.scrollIntoViewIfNeeded();
  await expect(root).toHaveAttribute('data-state', 'error', { timeout: 45_000 });
}

/** The pixels of a canvas as a data URL (to compare before/after an interaction). */
export function canvasPixels(canvas: Locator): Promise<string> {
  return canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
}

/** Live tensors on the page's TF.js engine. */
export function numTensors(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as TestWindow).__latentAtlas.tf.memory().numTensors);
}

/**
 * Serious or critical axe violations inside `selector` (the widget; the list should be empty).
 * Scoped to the widget so these tests answer for the widget itself; the site's chrome is audited
 * page-wide by the Lighthouse benchmark.
 */
export async function seriousAxeViolations(page: Page, selector: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include(selector).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** The same audit in Starlight's light and dark themes (violations prefixed with the theme). */
export async function seriousAxeViolationsBothThemes(page: Page, selector: string): Promise<string[]> {
  const found: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => {
      document.documentElement.dataset.theme = t;
    }, theme);
    found.push(...(await seriousAxeViolations(page, selector)).map((v) => `${theme}: ${v}`));
  }
  return found;
}

/** The test hook's shape as the tests use it (see src/lib/runtime.ts). */
export interface TestWindow {
  __latentAtlas: { tf: { memory(): { numTensors: number } }; numTensors(): number };
}

/**
 * Serves a pretrained/ file with one byte flipped (so its checksum fails): byte
 * ⌊length / `divisor`⌋, XORed with `mask` (by default the middle byte, all bits).
 */
export async function corrupt(page: Page, glob: string, { divisor = 2, mask = 0xff }: { divisor?: number; mask?: number } = {}): Promise<void> {
  await page.route(glob, async (route) => {
    const response = await route.fetch();
    const body = Buffer.from(await response.body());
    body[Math.floor(body.length / divisor)]! ^= mask;
    await route.fulfill({ response, body });
  });
}

/** Answers requests for a pretrained/ file with 404. */
export async function missing(page: Page, glob: string): Promise<void> {
  await page.route(glob, (route) => route.fulfill({ status: 404, body: 'not found' }));
}

/**
 * Waits for the widget's error state, then checks that its alert is visible and names `file` and
 * the fault: a failed checksum for a corrupt file, "not found" / 404 for a missing one.
 */
export async function expectFileAlert(widget: Locator, file: string, fault: 'missing' | 'corrupt'): Promise<void> {
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'error');
  const alert = widget.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(file);
  await expect(alert).toContainText(fault === 'corrupt' ? /checksum|corrupt/ : /not found|404/);
}

/**
 * Serves `fromDir`'s model (model.json and weights) in place of `toDir`'s, with the manifest
 * patched to match — a well-formed, verified model of the wrong shape.
 */
export async function swapModel(page: Page, fromDir: string, toDir: string): Promise<void> {
  let manifest: { files: Record<string, unknown> } | undefined;
  await page.route('**/pretrained/manifest.json', async (route) => {
    const response = await route.fetch();
    manifest = JSON.parse(await response.text()) as { files: Record<string, unknown> };
    for (const [path, entry] of Object.entries(manifest.files)) {
      if (path.startsWith(`${fromDir}/`)) manifest.files[`${toDir}/${path.slice(fromDir.length + 1)}`] = entry;
    }
    await route.fulfill({ response, body: JSON.stringify(manifest) });
  });
  await page.route(`**/pretrained/${toDir}/*`, async (route) => {
    const url = route.request().url().replace(`/pretrained/${toDir}/`, `/pretrained/${fromDir}/`);
    const response = await route.fetch({ url });
    await route.fulfill({ response });
  });
}

/** Draws a stroke through `points` (fractions of the pad) with mouse events. */
export async function drawStroke(page: Page, pad: Locator, points: [number, number][]): Promise<void> {
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  const [first, ...rest] = points;
  await page.mouse.move(box.x + box.width * first![0], box.y + box.height * first![1]);
  await page.mouse.down();
  for (const [fx, fy] of rest) await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy, { steps: 4 });
  await page.mouse.up();
}
