/**
 * ArchitectureDiagram end to end, on the production build: the build-time SVG diagrams (also
 * without JavaScript), hover/focus explanations, parameter counts checked against the committed
 * TF.js weights, accessibility and no foreign requests.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { committedJson, trackForeignRequests, trackPageErrors, waitReady } from './widget-helpers.ts';

const PAGE = '/architectures/';
const root = (page: Page) => page.locator('[data-widget="ArchitectureDiagram"]');

/** Trainable parameters in a committed TF.js model.json weights manifest (the float32 master, read from disk). */
async function committedParams(_page: Page, path: string): Promise<number> {
  const json = committedJson<{ weightsManifest: { weights: { shape: number[] }[] }[] }>(path);
  expect(json, `${path} is committed`).toBeDefined();
  return json!.weightsManifest.flatMap((g) => g.weights).reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
}

test('draws both architectures with sizes, activations and parameter counts that match the committed weights', async ({ page, baseURL }) => {
  const foreign = trackForeignRequests(page, baseURL!);
  const errors = trackPageErrors(page);
  await page.goto(PAGE);
  const widget = root(page);
  await waitReady(widget);

  const ae = widget.locator('svg[data-model="ae"]');
  const vae = widget.locator('svg[data-model="vae"]');
  await expect(ae).toBeVisible();
  await expect(vae).toBeVisible();
  await expect(ae.locator('g.arch-node')).toHaveCount(5);
  await expect(vae.locator('g.arch-node')).toHaveCount(7);
  await expect(ae).toHaveAccessibleName(/Autoencoder \(AE\) architecture/);
  await expect(vae.locator('desc')).toContainText('log σ²');
  await expect(vae).toContainText('μ + σ·ε');
  for (const act of ['ReLU', 'sigmoid']) await expect(ae).toContainText(act);

  for (const model of ['ae', 'vae'] as const) {
    const expected = (await committedParams(page, `${model}/encoder/model.json`)) + (await committedParams(page, `${model}/decoder/model.json`));
    const section = widget.locator('section.arch-model', { has: page.locator(`svg[data-model="${model}"]`) });
    await expect(section.locator('tfoot')).toContainText(expected.toLocaleString('en-US'));
    await expect(section.locator('tfoot')).toContainText('matches the committed weights');
  }
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});

test('hovering a layer or focusing its button explains it', async ({ page }) => {
  await page.goto(PAGE);
  const widget = root(page);
  await waitReady(widget);

  const tip = widget.locator('.arch-tip').first();
  await expect(tip).toBeHidden();
  await widget.locator('svg[data-model="ae"] g[data-layer="ae-z"]').hover();
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('The code z');
  await expect(widget.locator('tr[data-layer="ae-z"]')).toHaveClass(/is-active/);

  const sample = widget.locator('button[data-layer="vae-z"]');
  await sample.focus();
  await expect(sample).toBeFocused();
  const vaeTip = widget.locator('.arch-tip').nth(1);
  await expect(vaeTip).toBeVisible();
  await expect(vaeTip).toContainText('reparameterisation');
  await expect(widget.locator('g[data-layer="vae-z"]')).toHaveClass(/is-active/);
  await expect(sample).toHaveAccessibleDescription(/z = μ \+ σ · ε/);

  await page.keyboard.press('Tab');
  await expect(widget.locator('button[data-layer="vae-dec"]')).toBeFocused();
  await expect(vaeTip).toContainText('Decoder hidden layer');
  await page.keyboard.press('Escape');
  await expect(vaeTip).toBeHidden();
});

test('reads without JavaScript: the diagrams and the table are in the HTML', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  const widget = root(page);
  await expect(widget.locator('svg[data-model="ae"] g.arch-node')).toHaveCount(5);
  await expect(widget.locator('svg[data-model="vae"]')).toBeVisible();
  await expect(widget.locator('table.arch-table').first()).toContainText('100,480');
  await expect(widget.locator('figcaption')).toBeVisible();
  await context.close();
});

test('has no serious or critical accessibility violations', async ({ page }) => {
  await page.goto(PAGE);
  await waitReady(root(page));
  for (const scheme of ['light', 'dark'] as const) {
    await page.evaluate((s) => document.documentElement.setAttribute('data-theme', s), scheme);
    const results = await new AxeBuilder({ page }).include('[data-widget="ArchitectureDiagram"]').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${scheme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});
