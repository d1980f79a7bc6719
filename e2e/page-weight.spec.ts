/**
 * Page weight (issue 11): what a new reader's browser transfers for each page of the site, once
 * the reader has scrolled through the whole page and every widget on it is `ready`, must stay
 * ≤ 1 MB. Counting bytes is not timing, so the test is stable.
 *
 * How bytes are counted: every response the page receives (HTML, CSS, JS, fonts, wasm, the
 * artifacts), each body gzip-compressed here at level 6 — what a static host that gzips serves —
 * because `astro preview` sends bodies uncompressed (so Chromium's encodedDataLength would count
 * raw bytes). A fresh browser context per page: nothing comes from the cache. The pages are every
 * link of the sidebar, so new chapters are covered without editing this file. The only variation
 * between runs is which 100-digit chunk a picker shuffles to (chunks weigh 15–18 KB).
 */
import { gzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';

const LIMIT = 1024 * 1024;

/** Every page linked from the sidebar, and the home page. */
async function sitePages(page: Page): Promise<string[]> {
  await page.goto('/introduction/'); // the home page is a splash page without the sidebar
  const hrefs = await page.locator('#starlight__sidebar a[href]').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  return [...new Set(['/', ...hrefs])];
}

/** Loads `path` in a fresh context, scrolls to the end until every widget is ready; returns gzip bytes per URL. */
async function weigh(page: Page, path: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  const pending: Promise<void>[] = [];
  page.on('response', (res) => {
    pending.push(
      res.body().then(
        (body) => void sizes.set(res.url(), (sizes.get(res.url()) ?? 0) + gzipSync(body, { level: 6 }).length),
        () => {},
      ),
    );
  });
  await page.goto(path, { waitUntil: 'networkidle' });
  // Scroll through the page a screen at a time so every island starts.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y <= height; y += 600) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(50);
  }
  const widgets = page.locator('[data-state]');
  for (let i = 0; i < (await widgets.count()); i++) {
    await expect(widgets.nth(i), `${path}: widget ${i} ready`).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  }
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);
  return sizes;
}

test('every page transfers ≤ 1 MB (gzip) once all its widgets are ready', async ({ browser }) => {
  test.setTimeout(300_000);
  const ctx0 = await browser.newContext();
  const pages = await sitePages(await ctx0.newPage());
  await ctx0.close();
  expect(pages.length).toBeGreaterThan(5);
  const report: string[] = [];
  for (const path of pages) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const sizes = await weigh(await ctx.newPage(), path);
    await ctx.close();
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    const artifacts = [...sizes].filter(([u]) => u.includes('/pretrained/')).reduce((a, [, b]) => a + b, 0);
    report.push(`${path}: ${(total / 1024).toFixed(0)} KiB (artifacts ${(artifacts / 1024).toFixed(0)} KiB, ${sizes.size} files)`);
    expect.soft(total, `${path} transfers ${(total / 1024).toFixed(0)} KiB; the largest: ${[...sizes].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([u, b]) => `${new URL(u).pathname} ${(b / 1024).toFixed(0)} KiB`).join(', ')}`).toBeLessThanOrEqual(LIMIT);
  }
  console.log(report.join('\n'));
});

test('a shared artifact has the same URL on every page, so the cache serves it on the next page', async ({ browser }) => {
  const urls = async (path: string) => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const sizes = await weigh(await ctx.newPage(), path);
    await ctx.close();
    return [...sizes.keys()].filter((u) => u.includes('/pretrained/'));
  };
  const recon = await urls('/reconstruction/');
  const interp = await urls('/interpolation/');
  const shared = recon.filter((u) => interp.includes(u));
  for (const f of ['ae/compact/decoder/weights.bin', 'vae/compact/decoder/weights.bin', 'ae/compact/latent.bin', 'vae/compact/latent.bin', 'digits/labels.bin', 'manifest.json']) {
    expect(shared.some((u) => new URL(u).pathname.endsWith(`/pretrained/${f}`)), f).toBe(true);
  }
  // and no page fetches the float32 originals or the whole atlas
  for (const u of [...recon, ...interp]) expect(new URL(u).pathname).not.toMatch(/\/(encoder|decoder)\/group1-shard|mnist-test-atlas\.png|embeddings\.json$/);
});
