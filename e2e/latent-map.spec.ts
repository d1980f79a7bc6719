/**
 * LatentMap end to end, on the production build and the committed embeddings: both maps ready on
 * a devicePixelRatio-aware canvas, projection switches move the points (animated, or at once under
 * reduced motion), hover shows the digit's image and label, the legend highlights a class, zoom and
 * pan by buttons, wheel and keys, quality figures from the file, visible failures that leave the
 * rest of the page working, accessibility and no foreign requests.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { canvasPixels, committedJson, corrupt, expectFileAlert, missing, trackForeignRequests, trackPageErrors, waitReady } from './widget-helpers.ts';

const PAGE = '/latent-space/';
const root = (page: Page) => page.locator('[data-widget="LatentMap"]');
const panel = (page: Page, model: 'ae' | 'vae') => root(page).locator(`.lm-panel[data-model="${model}"]`);

interface EmbeddingsFile {
  labels: number[];
  metrics: Record<string, { trustworthiness: number; knnAccuracy: number }>;
}

/** A committed embeddings file (from disk: the map reads the compact maps, so embeddings.json is not served). */
async function embeddings(_page: Page, model: 'ae' | 'vae'): Promise<EmbeddingsFile> {
  const data = committedJson<EmbeddingsFile>(`${model}/embeddings.json`);
  expect(data).toBeDefined();
  return data!;
}

/** Opens the page and waits for the map. */
async function open(page: Page): Promise<Locator> {
  await page.goto(PAGE);
  const widget = root(page);
  await waitReady(widget);
  await panel(page, 'ae').locator('canvas.lm-canvas').scrollIntoViewIfNeeded();
  return widget;
}

/** Switches the digit labels off and waits until both maps have been redrawn without them. */
async function labelsOff(page: Page): Promise<void> {
  const canvases = [panel(page, 'ae'), panel(page, 'vae')].map((p) => p.locator('canvas.lm-canvas'));
  const before = await Promise.all(canvases.map(canvasPixels));
  await root(page).getByRole('checkbox', { name: 'Digit labels' }).uncheck();
  for (const [i, c] of canvases.entries()) await expect.poll(() => canvasPixels(c)).not.toBe(before[i]);
}

/**
 * Page coordinates of a drawn dot near the middle of a canvas: the opaque pixel closest to the
 * centre whose 5 × 5 neighbourhood is all painted (so the pointer lands on a dot, not its rim).
 */
async function paintedPoint(canvas: Locator): Promise<{ x: number; y: number }> {
  const local = await canvas.evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d')!;
    const { data, width, height } = ctx.getImageData(0, 0, c.width, c.height);
    const alpha = (x: number, y: number) => data[(y * width + x) * 4 + 3]!;
    let best: [number, number] | undefined;
    let bestD = Infinity;
    for (let y = 3; y < height - 3; y += 1) {
      for (let x = 3; x < width - 3; x += 1) {
        if (alpha(x, y) < 150) continue;
        const d = (x - width / 2) ** 2 + (y - height / 2) ** 2;
        if (d >= bestD) continue;
        let solid = true;
        for (let dy = -2; dy <= 2 && solid; dy++) for (let dx = -2; dx <= 2 && solid; dx++) solid = alpha(x + dx, y + dy) >= 150;
        if (solid) [best, bestD] = [[x, y], d];
      }
    }
    if (!best) throw new Error('no painted dot on the canvas');
    const r = c.getBoundingClientRect();
    return { x: (best[0] / c.width) * r.width, y: (best[1] / c.height) * r.height };
  });
  const box = (await canvas.boundingBox())!;
  return { x: box.x + local.x, y: box.y + local.y };
}

test('both maps are drawn from the committed embeddings with their quality figures', async ({ page, baseURL }) => {
  const foreign = trackForeignRequests(page, baseURL!);
  const errors = trackPageErrors(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  const widget = await open(page);
  const [ae, vae] = [await embeddings(page, 'ae'), await embeddings(page, 'vae')];

  for (const model of ['ae', 'vae'] as const) {
    const canvas = panel(page, model).locator('canvas.lm-canvas');
    await expect(canvas).toBeVisible();
    await expect(canvas).toHaveAccessibleName(new RegExp(`${model.toUpperCase()} map, Raw latent: ${ae.labels.length.toLocaleString('en-US')} test digits`));
    await expect(panel(page, model).locator('.lm-static')).toBeHidden();
  }
  // Quality figures straight from the files (trustworthiness to 3 places, 10-NN as a percentage).
  for (const [model, file] of [['ae', ae], ['vae', vae]] as const) {
    const m = file.metrics.latent!;
    await expect(panel(page, model).locator('.lm-quality')).toHaveText(
      `Raw latent: trustworthiness@10 ${m.trustworthiness.toFixed(3)} · 10-NN accuracy ${(m.knnAccuracy * 100).toFixed(1)}%`,
    );
  }
  const tsneRow = widget.locator('.lm-quality-table tr[data-method="tsne"]');
  await expect(tsneRow).toContainText(ae.metrics.tsne!.trustworthiness.toFixed(3));
  await expect(tsneRow).toContainText(`${(vae.metrics.tsne!.knnAccuracy * 100).toFixed(1)}%`);
  await expect(widget.locator('.lm-centres tbody tr')).toHaveCount(10);
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});

test('the canvas is sharp on high-density screens', async ({ browser }) => {
  const context = await browser.newContext({ deviceScaleFactor: 2, viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  await open(page);
  const size = await panel(page, 'vae')
    .locator('canvas.lm-canvas')
    .evaluate((c: HTMLCanvasElement) => ({ w: c.width, css: c.getBoundingClientRect().width }));
  expect(Math.abs(size.w - 2 * size.css)).toBeLessThanOrEqual(2);
  await context.close();
});

test('switching the view moves the points, with an animated transition', async ({ page }) => {
  const widget = await open(page);
  const canvas = panel(page, 'ae').locator('canvas.lm-canvas');
  const before = await canvasPixels(canvas);
  const centresBefore = await widget.locator('.lm-centres tbody').textContent();

  await widget.getByRole('radio', { name: 't-SNE' }).check();
  await expect(widget).toHaveAttribute('data-method', 'tsne');
  await expect(panel(page, 'ae')).toHaveAttribute('data-moving', 'true');
  await expect(panel(page, 'ae')).not.toHaveAttribute('data-moving', 'true');
  expect(await canvasPixels(canvas)).not.toBe(before);
  expect(centresBefore).toMatch(/\(.+, .+\)/);
  expect(await widget.locator('.lm-centres tbody').textContent()).not.toBe(centresBefore);
  await expect(widget.locator('.lm-centres caption')).toContainText('t-SNE');
  await expect(widget.locator('.lm-quality-table tr[aria-current="true"]')).toHaveAttribute('data-method', 'tsne');
  await expect(panel(page, 'ae').locator('.lm-quality')).toContainText('t-SNE: trustworthiness@10');
  await expect(widget.locator('.lm-status')).toHaveText('Showing the t-SNE view.');

  for (const [name, method] of [['UMAP', 'umap'], ['PCA', 'pca'], ['Raw latent', 'latent']] as const) {
    const pixels = await canvasPixels(canvas);
    await widget.getByRole('radio', { name }).check();
    await expect(widget).toHaveAttribute('data-method', method);
    await expect(panel(page, 'ae')).not.toHaveAttribute('data-moving', 'true');
    expect(await canvasPixels(canvas)).not.toBe(pixels);
  }
  expect(await canvasPixels(canvas)).toBe(before);
});

test('under reduced motion the view switches at once', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const widget = await open(page);
  const canvas = panel(page, 'vae').locator('canvas.lm-canvas');
  const before = await canvasPixels(canvas);
  // Keyboard operation of the radio group.
  await widget.getByRole('radio', { name: 'Raw latent' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(widget).toHaveAttribute('data-method', 'tsne');
  expect(await panel(page, 'vae').getAttribute('data-moving')).toBeNull();
  await expect.poll(() => canvasPixels(canvas)).not.toBe(before);
});

test('digit labels can be switched off and on', async ({ page }) => {
  const widget = await open(page);
  const canvas = panel(page, 'ae').locator('canvas.lm-canvas');
  const toggle = widget.getByRole('checkbox', { name: 'Digit labels' });
  await expect(toggle).toBeChecked();
  const withLabels = await canvasPixels(canvas);
  await toggle.uncheck();
  await expect.poll(() => canvasPixels(canvas)).not.toBe(withLabels);
  await toggle.check();
  await expect.poll(() => canvasPixels(canvas)).toBe(withLabels);
});

test('hovering a point shows its digit image and label', async ({ page }) => {
  await open(page);
  await labelsOff(page);
  const vae = await embeddings(page, 'vae');
  const canvas = panel(page, 'vae').locator('canvas.lm-canvas');
  const tip = panel(page, 'vae').locator('.lm-tip');
  await expect(tip).toBeHidden();
  const p = await paintedPoint(canvas);
  await page.mouse.move(p.x, p.y);
  await expect(tip).toBeVisible();
  const index = Number(await tip.getAttribute('data-index'));
  const label = vae.labels[index]!;
  await expect(tip).toContainText(`Digit ${label}`);
  await expect(tip).toContainText(`Test image #${index}`);
  await expect(tip).toHaveAttribute('data-label', String(label));
  const digit = tip.locator('canvas.lm-digit');
  await expect(digit).toHaveAccessibleName(`Test image number ${index}: a handwritten ${label}`);
  await expect(digit).toHaveAttribute('data-drawn', 'true');
  // The crop from the atlas has ink: some pixels bright, some dark (a digit on its background).
  const inked = await digit.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let bright = 0;
    let dark = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i]! > 200) bright++;
      else if (d[i]! < 50) dark++;
    }
    return { bright, dark };
  });
  expect(inked.bright).toBeGreaterThan(0);
  expect(inked.dark).toBeGreaterThan(0);
  // The other model's tooltip stays hidden; leaving the canvas hides this one.
  await expect(panel(page, 'ae').locator('.lm-tip')).toBeHidden();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height + 150);
  await expect(tip).toBeHidden();
});

test('tapping a point on a touch screen shows its digit', async ({ browser }) => {
  const context = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 412, height: 860 } });
  const page = await context.newPage();
  await open(page);
  await labelsOff(page);
  const canvas = panel(page, 'ae').locator('canvas.lm-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const p = await paintedPoint(canvas);
  await page.touchscreen.tap(p.x, p.y);
  const tip = panel(page, 'ae').locator('.lm-tip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(/Digit \d/);
  await context.close();
});

test('the legend highlights a class, by click and by key', async ({ page }) => {
  const widget = await open(page);
  await labelsOff(page);
  const canvas = panel(page, 'ae').locator('canvas.lm-canvas');
  const before = await canvasPixels(canvas);
  const three = widget.getByRole('button', { name: /^Digit 3/ });
  await expect(three).toHaveAttribute('aria-pressed', 'false');
  await three.click();
  await expect(three).toHaveAttribute('aria-pressed', 'true');
  await expect(widget).toHaveAttribute('data-highlight', '3');
  await expect.poll(() => canvasPixels(canvas)).not.toBe(before);

  // Hover now only finds digits of the highlighted class.
  const vae = await embeddings(page, 'ae');
  const p = await paintedPoint(canvas);
  await page.mouse.move(p.x, p.y);
  const tip = panel(page, 'ae').locator('.lm-tip');
  await expect(tip).toBeVisible();
  expect(vae.labels[Number(await tip.getAttribute('data-index'))]).toBe(3);

  await three.click();
  await expect(three).toHaveAttribute('aria-pressed', 'false');
  await expect(widget).toHaveAttribute('data-highlight', '');
  await expect.poll(() => canvasPixels(canvas)).toBe(before);

  await canvas.focus();
  await page.keyboard.press('7');
  await expect(widget).toHaveAttribute('data-highlight', '7');
  await expect(widget.getByRole('button', { name: /^Digit 7/ })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Escape');
  await expect(widget).toHaveAttribute('data-highlight', '');
});

test('zoom and pan by buttons, keys and wheel; reset returns to the whole map', async ({ page }) => {
  await open(page);
  const ae = panel(page, 'ae');
  const canvas = ae.locator('canvas.lm-canvas');
  const before = await canvasPixels(canvas);
  await expect(ae.locator('output.lm-zoom-level')).toHaveText('×1.0');

  await ae.getByRole('button', { name: 'Zoom in on the AE map' }).click();
  await expect(ae.locator('output.lm-zoom-level')).toHaveText('×1.6');
  expect(Number(await ae.getAttribute('data-zoom'))).toBeGreaterThan(1);
  await expect.poll(() => canvasPixels(canvas)).not.toBe(before);

  await canvas.focus();
  const pan = await ae.getAttribute('data-pan');
  await page.keyboard.press('ArrowRight');
  await expect(ae).not.toHaveAttribute('data-pan', pan!);
  await page.keyboard.press('+');
  expect(Number(await ae.getAttribute('data-zoom'))).toBeGreaterThan(2);
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  await expect(ae).toHaveAttribute('data-zoom', '1.000');

  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -400);
  await expect.poll(async () => Number(await ae.getAttribute('data-zoom'))).toBeGreaterThan(1);

  await ae.getByRole('button', { name: 'Reset' }).click();
  await expect(ae).toHaveAttribute('data-zoom', '1.000');
  await expect(ae.locator('output.lm-zoom-level')).toHaveText('×1.0');
  await expect.poll(() => canvasPixels(canvas)).toBe(before);
  // The other map was not touched.
  await expect(panel(page, 'vae')).toHaveAttribute('data-zoom', '1.000');
});

test('keyboard users can inspect the digit nearest the centre', async ({ page }) => {
  await open(page);
  const canvas = panel(page, 'vae').locator('canvas.lm-canvas');
  const tip = panel(page, 'vae').locator('.lm-tip');
  await canvas.focus();
  await page.keyboard.press('Enter');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(/Digit \d/);
  const first = await tip.getAttribute('data-index');
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowUp');
  await expect(tip).not.toHaveAttribute('data-index', first!);
  await page.keyboard.press('Tab');
  await expect(tip).toBeHidden();
});

for (const [name, fault] of [
  ['missing (404)', 'missing'],
  ['corrupt (bytes changed)', 'corrupt'],
] as const) {
  test(`a ${name} compact latent map gives an alert while the rest of the page works`, async ({ page }) => {
    const errors = trackPageErrors(page);
    if (fault === 'corrupt') await corrupt(page, '**/pretrained/ae/compact/latent.bin', { divisor: 3, mask: 0x01 });
    else await missing(page, '**/pretrained/ae/compact/latent.bin');
    await page.goto(PAGE);
    const widget = root(page);
    await expectFileAlert(widget, 'ae/compact/latent.bin', fault);
    await expect(widget.locator('figcaption')).toBeVisible();
    // Another island on the same page still starts and works.
    const explorer = page.locator('[data-widget="LatentExplorer"]');
    if ((await explorer.count()) > 0) await waitReady(explorer);
    await widget.locator('details.lm-text summary').click();
    await expect(widget.locator('details.lm-text')).toHaveAttribute('open', '');
    expect(errors).toEqual([]);
  });
}

test('loads only the compact files it shows: a projection when picked, the hovered digit\'s chunk', async ({ page }) => {
  const fetched: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/pretrained/')) fetched.push(path.slice('/pretrained/'.length));
  });
  const widget = await open(page);
  expect(fetched).toContain('ae/compact/latent.bin');
  expect(fetched).toContain('vae/compact/latent.bin');
  expect(fetched.filter((f) => f.endsWith('embeddings.json') || f.includes('atlas') || /compact\/(tsne|umap|pca)\.bin$/.test(f))).toEqual([]);
  await widget.getByRole('radio', { name: 'UMAP' }).check();
  await expect(widget).toHaveAttribute('data-method', 'umap');
  expect(fetched).toContain('ae/compact/umap.bin');
  expect(fetched).toContain('vae/compact/umap.bin');
  expect(fetched.filter((f) => /compact\/(tsne|pca)\.bin$/.test(f))).toEqual([]);
  await labelsOff(page);
  await expect(panel(page, 'ae')).not.toHaveAttribute('data-moving', 'true');
  const p = await paintedPoint(panel(page, 'ae').locator('canvas.lm-canvas'));
  await page.mouse.move(p.x, p.y);
  const tip = panel(page, 'ae').locator('.lm-tip');
  await expect(tip.locator('canvas.lm-digit')).toHaveAttribute('data-drawn', 'true');
  const chunk = `digits/${String(Math.floor(Number(await tip.getAttribute('data-index')) / 100)).padStart(3, '0')}.png`;
  expect(fetched).toContain(chunk);
  expect(fetched.filter((f) => f.endsWith('.png')).every((f) => f.startsWith('digits/'))).toBe(true);
  expect(fetched.some((f) => f.includes('atlas') || f.endsWith('embeddings.json'))).toBe(false);
});

for (const [name, fault] of [
  ['missing (404)', 'missing'],
  ['corrupt (bytes changed)', 'corrupt'],
] as const) {
  test(`a ${name} t-SNE map gives an alert when the reader picks it, and the raw latent stays`, async ({ page }) => {
    const errors = trackPageErrors(page);
    if (fault === 'corrupt') await corrupt(page, '**/pretrained/vae/compact/tsne.bin', { divisor: 3, mask: 0x01 });
    else await missing(page, '**/pretrained/vae/compact/tsne.bin');
    const widget = await open(page);
    // click, not check: the radio goes back to the raw latent once the map fails.
    await widget.getByRole('radio', { name: 't-SNE' }).click();
    await expectFileAlert(widget, 'vae/compact/tsne.bin', fault);
    await expect(widget).toHaveAttribute('data-method', 'latent');
    await expect(widget.getByRole('radio', { name: 'Raw latent' })).toBeChecked();
    await expect(panel(page, 'ae').locator('canvas.lm-canvas')).toBeVisible();
    expect(errors).toEqual([]);
  });
}

test('reads without JavaScript: a static picture of both latent spaces and the tables', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  const widget = root(page);
  for (const model of ['ae', 'vae'] as const) {
    const svg = widget.locator(`.lm-panel[data-model="${model}"] svg.lm-static`);
    await expect(svg).toBeVisible();
    await expect(svg.locator('path')).toHaveCount(10);
    await expect(svg).toHaveAccessibleName(/latent space: 10,000 test digits/);
  }
  await expect(widget.locator('.lm-quality-table tbody tr')).toHaveCount(4);
  await expect(widget.locator('.lm-centres tbody tr')).toHaveCount(10);
  await context.close();
});

test('has no serious or critical accessibility violations', async ({ page }) => {
  const widget = await open(page);
  await widget.locator('details.lm-text summary').click();
  await widget.getByRole('button', { name: /^Digit 4/ }).click();
  for (const scheme of ['light', 'dark'] as const) {
    await page.evaluate((s) => document.documentElement.setAttribute('data-theme', s), scheme);
    const results = await new AxeBuilder({ page }).include('[data-widget="LatentMap"]').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${scheme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});
