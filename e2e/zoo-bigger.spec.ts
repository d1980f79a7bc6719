/**
 * The bigger-codes page (Future work, issue 12 widget 1) end to end, on the production build and
 * the committed zoo: the reconstructions of the same digits by every unconditional AE and VAE
 * (baked, then any digit live, with BCEs), the live t-SNE/UMAP/PCA maps of the 10- and 20-D codes
 * with trustworthiness against the code, the KL bars, and the latent traversals (model, digit,
 * dimension, slider, keyboard). Which models: from pretrained/zoo.json. Failure paths (a model's
 * compact file missing or corrupt: that widget alerts, the rest of the page works), the pictures
 * without JavaScript, axe in light and dark, no off-site requests.
 */
import { expect, test, type Page } from '@playwright/test';
import { committedJson, corrupt, expectFileAlert, missing, seriousAxeViolationsBothThemes, trackForeignRequests, trackPageErrors, waitReady } from './widget-helpers.ts';

const PAGE = '/future-work/bigger-codes/';
const recon = (page: Page) => page.locator('[data-widget="BiggerRecon"]');
const traversal = (page: Page) => page.locator('[data-widget="BiggerTraversal"]');
const maps = (page: Page) => page.locator('[data-widget="LatentMap"]');

interface ZooEntry {
  id: string;
  kind: string;
  latentDim: number;
  beta: number | null;
  conditional: boolean;
  noise: number | null;
}
interface Metrics {
  final: { test: { bce: number; klPerDim?: number[] } };
}
interface EmbeddingsFile {
  metrics: Record<string, { trustworthiness: number; knnAccuracy: number; trustworthinessLatent?: number }>;
}

/** A committed artifact (from disk: not every one is served). */
async function json<T>(_page: Page, path: string): Promise<T> {
  const data = committedJson<T>(path);
  expect(data, path).toBeDefined();
  return data!;
}

/** The models of the experiment, from zoo.json: unconditional AEs and β = 1 VAEs. */
async function models(page: Page): Promise<ZooEntry[]> {
  const zoo = await json<{ models: ZooEntry[] }>(page, 'zoo.json');
  return zoo.models.filter((m) => ((m.kind === 'ae' && m.beta === null) || (m.kind === 'vae' && m.beta === 1)) && !m.conditional && m.noise === null);
}

test('reconstructions: the baked digits by every model, then any digit live with each one’s BCE', async ({ page, baseURL }) => {
  const foreign = trackForeignRequests(page, baseURL!);
  const errors = trackPageErrors(page);
  await page.goto(PAGE);
  const fig = recon(page);
  await waitReady(fig);
  const all = await models(page);
  expect(all.length).toBeGreaterThanOrEqual(6);
  // One baked row per model (and the input), each a picture with its BCEs in the text alternative.
  await expect(fig.locator('.zb-sheet-row')).toHaveCount(all.length + 1);
  for (const m of all) {
    const metrics = await json<Metrics>(page, `${m.id}/metrics.json`);
    await expect(fig.locator(`.zb-sheet-row[data-row="${m.id}"] img`)).toHaveAttribute('alt', /BCE \d/);
    await expect(fig.locator(`tr[data-model="${m.id}"] td[data-col="test"]`)).toHaveText(metrics.final.test.bce.toFixed(1));
  }
  // Nothing model-sized is fetched before the reader picks a digit.
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await fig.getByRole('spinbutton', { name: 'Test digit number' }).fill('18');
  await fig.getByRole('spinbutton', { name: 'Test digit number' }).press('Enter');
  await expect(fig).toHaveAttribute('data-shown', '18', { timeout: 45_000 });
  for (const m of all) {
    const cell = fig.locator(`[data-cell="${m.id}"]`);
    await expect(cell).toHaveAttribute('data-loaded', 'true');
    const metrics = await json<Metrics>(page, `${m.id}/metrics.json`);
    await expect(cell).toContainText(`test mean ${metrics.final.test.bce.toFixed(1)}`);
    expect(Number(await cell.getAttribute('data-bce'))).toBeGreaterThan(0);
  }
  // The wider codes reconstruct digit #18 more closely than the 2-D ones of the same kind.
  const bce = async (id: string) => Number(await fig.locator(`[data-cell="${id}"]`).getAttribute('data-bce'));
  expect(await bce('ae-20')).toBeLessThan(await bce('ae'));
  expect(fetched.filter((p) => p.includes('/compact/encoder/') || p.includes('/compact/decoder/')).length).toBeGreaterThanOrEqual(2 * all.length);
  // Next, previous and a random digit.
  await fig.getByRole('button', { name: 'Next' }).click();
  await expect(fig).toHaveAttribute('data-shown', '19');
  await fig.getByRole('button', { name: 'Previous' }).click();
  await expect(fig).toHaveAttribute('data-shown', '18');
  const before = (await fig.evaluate((el) => (el as unknown as { reconstructions: number }).reconstructions)) as number;
  await fig.getByRole('button', { name: 'Random digit' }).click();
  await expect.poll(() => fig.evaluate((el) => (el as unknown as { reconstructions: number }).reconstructions)).toBeGreaterThanOrEqual(before + all.length);
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});

test('a drawn digit is reconstructed by every model; Clear empties the pad', async ({ page }) => {
  const errors = trackPageErrors(page);
  await page.goto(PAGE);
  const fig = recon(page);
  await waitReady(fig);
  const all = await models(page);
  const pad = fig.locator('canvas[data-role="pad"]');
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  // A "1": one vertical stroke.
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
  await page.mouse.down();
  for (let k = 1; k <= 20; k++) await page.mouse.move(box.x + box.width * 0.52, box.y + box.height * (0.2 + (0.6 * k) / 20));
  await page.mouse.up();
  await expect(fig).toHaveAttribute('data-shown', 'drawing', { timeout: 45_000 });
  await expect(fig.locator('[data-role="input-text"]')).toHaveText('Your drawing');
  for (const m of all) await expect(fig.locator(`[data-cell="${m.id}"]`)).toHaveAttribute('data-loaded', 'true');
  await expect(fig.locator('[data-role="live"]')).toContainText('Your drawing: BCE');
  const times = await fig.evaluate((el) => (el as unknown as { renderTimes: number[] }).renderTimes.length);
  expect(times).toBeGreaterThan(0);
  await fig.getByRole('button', { name: 'Clear drawing' }).click();
  await expect(fig).toHaveAttribute('data-drawn', 'false');
  await expect(fig.locator('[data-role="hint"]')).toBeVisible();
  expect(errors).toEqual([]);
});

test('maps of the 10- and 20-D codes: t-SNE first, UMAP and PCA when picked, trustworthiness against the code', async ({ page, baseURL }) => {
  const foreign = trackForeignRequests(page, baseURL!);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(PAGE);
  const wide = (await models(page)).filter((m) => m.latentDim > 2);
  const dims = [...new Set(wide.map((m) => m.latentDim))];
  await expect(maps(page)).toHaveCount(dims.length);
  for (const [k, d] of dims.entries()) {
    const fig = maps(page).nth(k);
    await waitReady(fig);
    await expect(fig).toHaveAttribute('data-method', 'tsne');
    await expect(fig.getByRole('radio', { name: 'Raw latent' })).toHaveCount(0);
    for (const m of wide.filter((x) => x.latentDim === d)) {
      const emb = await json<EmbeddingsFile>(page, `${m.id}/embeddings.json`);
      const panel = fig.locator(`.lm-panel[data-model="${m.id}"]`);
      await expect(panel.locator('canvas.lm-canvas')).toBeVisible();
      await expect(panel.locator('.lm-quality')).toContainText(`t-SNE: trustworthiness@10 vs the ${d}-D code ${emb.metrics.tsne!.trustworthinessLatent!.toFixed(3)}`);
    }
    for (const [method, label] of [
      ['umap', 'UMAP'],
      ['pca', 'PCA'],
    ] as const) {
      await fig.getByRole('radio', { name: label }).check();
      await expect(fig).toHaveAttribute('data-method', method);
      for (const m of wide.filter((x) => x.latentDim === d)) {
        const emb = await json<EmbeddingsFile>(page, `${m.id}/embeddings.json`);
        await expect(fig.locator(`.lm-panel[data-model="${m.id}"] .lm-quality`)).toContainText(`${label}: trustworthiness@10 vs the ${d}-D code ${emb.metrics[method]!.trustworthinessLatent!.toFixed(3)}`);
      }
    }
  }
  expect(foreign).toEqual([]);
});

test('traversals: model, digit, dimension and slider (keyboard too) change the decodings', async ({ page, baseURL }) => {
  const foreign = trackForeignRequests(page, baseURL!);
  const errors = trackPageErrors(page);
  await page.goto(PAGE);
  const fig = traversal(page);
  await waitReady(fig);
  const wide = (await models(page)).filter((m) => m.latentDim > 2);
  const first = wide.find((m) => m.kind === 'vae') ?? wide[0]!;
  await expect(fig).toHaveAttribute('data-model', first.id);
  // The menu lists the VAE's active dimensions (KL > 0.01), most used first.
  const kl = (await json<Metrics>(page, `${first.id}/metrics.json`)).final.test.klPerDim!;
  const active = kl.map((k, i) => ({ k, i })).filter((x) => x.k > 0.01).sort((a, b) => b.k - a.k || a.i - b.i);
  const menu = fig.getByRole('combobox', { name: 'Dimension to move' });
  await expect(menu.locator('option')).toHaveCount(active.length);
  await expect(menu).toHaveValue(String(active[0]!.i));
  const strip = fig.locator('canvas[data-role="strip"]');
  const current = fig.locator('canvas[data-role="current"]');
  const pixels = (c: typeof strip) => c.evaluate((el: HTMLCanvasElement) => el.toDataURL());
  // The slider, by keyboard: End goes to +3 sd, the decoding changes.
  const slider = fig.getByRole('slider');
  const at0 = await pixels(current);
  await slider.focus();
  await page.keyboard.press('End');
  await expect(fig).toHaveAttribute('data-offset', '3.0');
  await expect.poll(() => pixels(current)).not.toBe(at0);
  await expect(slider).toHaveAttribute('aria-valuetext', /= mean \+ 3\.0 sd/);
  await page.keyboard.press('ArrowLeft');
  await expect(fig).toHaveAttribute('data-offset', '2.9');
  // Another dimension: another traversal.
  const strip1 = await pixels(strip);
  await menu.selectOption(String(active[1]!.i));
  await expect(fig).toHaveAttribute('data-dim', String(active[1]!.i));
  expect(await pixels(strip)).not.toBe(strip1);
  // Another digit.
  const strip2 = await pixels(strip);
  await fig.getByRole('button', { name: 'Next' }).click();
  await expect(fig).toHaveAttribute('data-index', '1');
  await expect.poll(() => pixels(strip)).not.toBe(strip2);
  // Another model: an AE lists all its dimensions.
  const ae = wide.find((m) => m.kind === 'ae')!;
  await fig.getByRole('radio', { name: ae.id, exact: true }).check();
  await expect(fig).toHaveAttribute('data-model', ae.id);
  await expect(menu.locator('option')).toHaveCount(ae.latentDim);
  // Budgets, reported (not timed assertions): a 20 × 20 grid of decodings and the slider's frames.
  const ms = await fig.evaluate((el) => (el as unknown as { benchDecode(n: number, rounds: number): Promise<{ model: number; reference: number }> }).benchDecode(400, 7));
  await slider.focus();
  const framesBefore = await fig.evaluate((el) => (el as unknown as { frames: number }).frames);
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowLeft');
  // The presses are drawn at most once per animation frame, so how many frames they make depends
  // on how fast they come (6 to 13 seen); that the last position is the one drawn does not.
  await expect(fig).toHaveAttribute('data-offset', Number(await slider.inputValue()).toFixed(1));
  expect(await fig.evaluate((el) => (el as unknown as { frames: number }).frames)).toBeGreaterThan(framesBefore);
  const times = await fig.evaluate((el) => (el as unknown as { renderTimes: number[] }).renderTimes.slice());
  const p95 = times.sort((a, b) => a - b)[Math.floor(0.95 * (times.length - 1))]!;
  console.log(
    `[zoo-bigger] 20 × 20 decodings, best of 7: ${ae.id} ${ms.model.toFixed(2)} ms, the 2-D VAE (the explorer's decoder) ${ms.reference.toFixed(2)} ms (${(ms.model / ms.reference).toFixed(2)}×); slider frame p95 ${p95.toFixed(2)} ms over ${times.length} frames`,
  );
  expect(ms.model).toBeGreaterThan(0);
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});

test('on a touch screen the traversal slider and the digit buttons work by tap', async ({ browser }) => {
  const context = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(PAGE);
  const fig = traversal(page);
  await waitReady(fig);
  await fig.getByRole('button', { name: 'Next' }).tap();
  await expect(fig).toHaveAttribute('data-index', '1');
  const box = (await fig.getByRole('slider').boundingBox())!;
  await page.touchscreen.tap(box.x + box.width - 2, box.y + box.height / 2);
  await expect.poll(async () => Number(await fig.getAttribute('data-offset'))).toBeGreaterThan(2);
  await context.close();
});

for (const [fault, apply] of [
  ['missing', missing],
  ['corrupt', corrupt],
] as const) {
  test(`a ${fault} decoder gives the traversal an alert; the other figures still work`, async ({ page }) => {
    const wide = (await models(page)).filter((m) => m.latentDim > 2);
    const first = wide.find((m) => m.kind === 'vae') ?? wide[0]!;
    const file = `${first.id}/compact/decoder/weights.bin`;
    await apply(page, `**/pretrained/${file}`);
    await page.goto(PAGE);
    await expectFileAlert(traversal(page), file, fault);
    await expect(traversal(page).locator('.zt-static img').first()).toBeVisible();
    await waitReady(maps(page).first());
    await waitReady(recon(page));
    await expect(page.locator('#zoo-bigger-codes figure[data-model]').first()).toBeVisible();
  });

  test(`a ${fault} encoder gives the reconstructions an alert when a digit is picked; the traversal still works`, async ({ page }) => {
    const all = await models(page);
    const m = all.find((x) => x.latentDim > 2 && x.kind === 'ae')!;
    const file = `${m.id}/compact/encoder/weights.bin`;
    await apply(page, `**/pretrained/${file}`);
    await page.goto(PAGE);
    const fig = recon(page);
    await waitReady(fig);
    await fig.getByRole('button', { name: 'Next' }).click();
    await expectFileAlert(fig, file, fault);
    await expect(fig.locator('.zb-sheet img').first()).toBeVisible();
    await waitReady(traversal(page));
  });

  test(`a ${fault} 20-D t-SNE map gives that map an alert; the other figures work`, async ({ page }) => {
    const wide = (await models(page)).filter((m) => m.latentDim > 2);
    const widest = wide.filter((m) => m.latentDim === Math.max(...wide.map((x) => x.latentDim)));
    const file = `${widest[0]!.id}/compact/tsne.bin`;
    await apply(page, `**/pretrained/${file}`);
    await page.goto(PAGE);
    const bad = maps(page).last();
    await expectFileAlert(bad, file, fault);
    await expect(bad.locator('svg.lm-static').first()).toBeVisible();
    await waitReady(maps(page).first());
    await waitReady(traversal(page));
  });
}

test('reads without JavaScript: baked reconstructions, traversals and maps, no controls', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  for (const fig of [recon(page), traversal(page)]) {
    await expect(fig).toHaveAttribute('data-state', 'loading');
    const imgs = fig.locator('img');
    expect(await imgs.count()).toBeGreaterThan(1);
    for (let i = 0; i < (await imgs.count()); i++) {
      await imgs.nth(i).scrollIntoViewIfNeeded();
      expect(await imgs.nth(i).evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
      expect(((await imgs.nth(i).getAttribute('alt')) ?? '').length).toBeGreaterThan(20);
    }
    await expect(fig.locator('input, select, canvas').first()).toBeHidden();
  }
  for (let k = 0; k < (await maps(page).count()); k++) await expect(maps(page).nth(k).locator('svg.lm-static').first()).toBeVisible();
  await expect(page.locator('#zoo-bigger-codes rect.zoo-bar').first()).toBeVisible();
  await context.close();
});

test('has no serious or critical accessibility violations, light and dark', async ({ page }) => {
  test.setTimeout(180_000); // axe is slow on the maps' many dots, and the machine is shared
  await page.goto(PAGE);
  await waitReady(recon(page));
  await waitReady(traversal(page));
  for (let k = 0; k < (await maps(page).count()); k++) await waitReady(maps(page).nth(k));
  await recon(page).getByRole('button', { name: 'Next' }).click();
  await expect(recon(page)).toHaveAttribute('data-shown', '1', { timeout: 45_000 });
  // One audit per theme over all the page's figures.
  expect(await seriousAxeViolationsBothThemes(page, '[data-widget="BiggerRecon"], [data-widget="BiggerTraversal"], .zoo-bigger-map, #zoo-bigger-codes')).toEqual([]);
});
