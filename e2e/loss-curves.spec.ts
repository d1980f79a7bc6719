/**
 * LossCurves end to end, on the production build and the committed metrics: panels and table
 * drawn from pretrained/{ae,vae}/metrics.json, tooltips on hover and keyboard focus, visible
 * failure (404, corrupt bytes, valid bytes with a wrong schema), accessibility, no foreign requests.
 */
import { createHash } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { corrupt, expectFileAlert, missing, trackForeignRequests, trackPageErrors, waitReady } from './widget-helpers.ts';

const PAGE = '/training/';
const root = (page: Page) => page.locator('[data-widget="LossCurves"]');

interface Triple {
  loss: number;
  bce: number;
  kl: number;
}
interface MetricsFile {
  epochs: { epoch: number; train: Triple; test: Triple }[];
}

/** A committed metrics file as the site serves it. */
async function metrics(page: Page, model: 'ae' | 'vae'): Promise<MetricsFile> {
  const res = await page.request.get(`/pretrained/${model}/metrics.json`);
  expect(res.ok()).toBe(true);
  return (await res.json()) as MetricsFile;
}

/** How the figure formats a loss (see src/lib/viz/format.ts). */
const nats = (v: number) => `${v.toFixed(Math.abs(v) < 10 ? 2 : 1)} nats`;

test('draws the four panels and the table from the committed metrics', async ({ page, baseURL }) => {
  const foreign = trackForeignRequests(page, baseURL!);
  const errors = trackPageErrors(page);
  await page.goto(PAGE);
  const widget = root(page);
  await waitReady(widget);
  const [ae, vae] = [await metrics(page, 'ae'), await metrics(page, 'vae')];

  await expect(widget.locator('.lc-panel')).toHaveCount(4);
  await expect(widget.locator('.lc-panel[data-panel="ae"] path[data-series]')).toHaveCount(2);
  await expect(widget.locator('.lc-panel[data-panel="vae"] path[data-series]')).toHaveCount(4);
  await expect(widget.locator('.lc-panel[data-panel="vae-kl"] path[data-series]')).toHaveCount(2);
  await expect(widget.locator('.lc-panel[data-panel="ae"] circle[data-epoch]')).toHaveCount(2 * ae.epochs.length);
  await expect(widget.locator('.lc-panel').first()).toContainText('nats per image');
  await expect(widget.locator('.lc-panel[data-panel="vae"] .lc-legend')).toContainText('VAE BCE, test');

  const epochs = new Set([...ae.epochs, ...vae.epochs].map((e) => e.epoch));
  await expect(widget.locator('table.lc-table tbody tr')).toHaveCount(epochs.size);
  const lastVae = vae.epochs[vae.epochs.length - 1]!;
  await expect(widget.locator('table.lc-table tbody tr').last()).toContainText(lastVae.test.kl.toFixed(2));
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});

test('hovering a chart shows a tooltip with that epoch’s losses', async ({ page }) => {
  await page.goto(PAGE);
  const widget = root(page);
  await waitReady(widget);
  const ae = await metrics(page, 'ae');
  const first = ae.epochs[0]!;
  const last = ae.epochs[ae.epochs.length - 1]!;

  const plot = widget.locator('.lc-panel[data-panel="ae"] .lc-plot');
  const tip = plot.locator('.lc-tip');
  await expect(tip).toBeHidden();
  await plot.scrollIntoViewIfNeeded();
  const box = (await plot.locator('svg').boundingBox())!;
  await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(`Epoch ${last.epoch}`);
  await expect(tip).toContainText(`AE test: ${nats(last.test.loss)}`);
  await expect(plot.locator('.lc-cursor')).toHaveAttribute('visibility', 'visible');

  await page.mouse.move(box.x + 1, box.y + box.height / 2);
  await expect(tip).toContainText(`Epoch ${first.epoch}`);
  await expect(tip).toContainText(`AE train: ${nats(first.train.loss)}`);

  await page.mouse.move(box.x + box.width / 2, box.y + box.height + 200);
  await expect(tip).toBeHidden();
});

test('keyboard focus shows the tooltip and the arrow keys step through epochs', async ({ page }) => {
  await page.goto(PAGE);
  const widget = root(page);
  await waitReady(widget);
  const vae = await metrics(page, 'vae');
  const n = vae.epochs.length;

  const plot = widget.locator('.lc-panel[data-panel="vae-kl"] .lc-plot');
  await expect(plot).toHaveAttribute('tabindex', '0');
  await expect(plot).toHaveAccessibleName(/KL divergence.*arrow keys/);
  // Reach it with Tab, as a keyboard user would.
  await widget.locator('.lc-panel[data-panel="vae"] .lc-plot').focus();
  await page.keyboard.press('Tab');
  await expect(plot).toBeFocused();
  const tip = plot.locator('.lc-tip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(`Epoch ${vae.epochs[n - 1]!.epoch}`);
  await expect(tip).toContainText(`VAE KL, test: ${nats(vae.epochs[n - 1]!.test.kl)}`);
  if (n > 1) {
    await page.keyboard.press('ArrowLeft');
    await expect(tip).toContainText(`Epoch ${vae.epochs[n - 2]!.epoch}`);
    await expect(tip).toContainText(`VAE KL, train: ${nats(vae.epochs[n - 2]!.train.kl)}`);
  }
  await page.keyboard.press('Home');
  await expect(tip).toContainText(`Epoch ${vae.epochs[0]!.epoch}`);
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();
});

for (const [name, fault] of [
  ['missing (404)', 'missing'],
  ['corrupt (bytes changed)', 'corrupt'],
] as const) {
  test(`a ${name} metrics file puts the figure in the error state with an alert`, async ({ page }) => {
    const errors = trackPageErrors(page);
    if (fault === 'corrupt') await corrupt(page, '**/pretrained/vae/metrics.json', { divisor: 2, mask: 0x20 });
    else await missing(page, '**/pretrained/vae/metrics.json');
    await page.goto(PAGE);
    const widget = root(page);
    await expectFileAlert(widget, 'vae/metrics.json', fault);
    // The rest of the page keeps working: the static figure and the page's own controls.
    await expect(widget.locator('figcaption')).toBeVisible();
    await expect(page.locator('main h1, h1#_top').first()).toBeVisible();
    await page.locator('details.lc-data summary').click();
    await expect(page.locator('details.lc-data')).toHaveAttribute('open', '');
    expect(errors).toEqual([]);
  });
}

test('a metrics file that passes its checksum but breaks the schema is reported, not drawn', async ({ page }) => {
  const bad = Buffer.from(JSON.stringify({ model: 'ae', epochs: [{ epoch: 1, train: { loss: 'many', bce: 1, kl: 0 }, test: { loss: 1, bce: 1, kl: 0 } }] }));
  await page.route('**/pretrained/manifest.json', async (route) => {
    const res = await route.fetch();
    const manifest = (await res.json()) as { files: Record<string, { sha256: string; bytes: number }> };
    manifest.files['ae/metrics.json'] = { sha256: createHash('sha256').update(bad).digest('hex'), bytes: bad.length };
    return route.fulfill({ response: res, body: JSON.stringify(manifest) });
  });
  await page.route('**/pretrained/ae/metrics.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: bad }));
  await page.goto(PAGE);
  const widget = root(page);
  await widget.scrollIntoViewIfNeeded();
  await expect(widget).toHaveAttribute('data-state', 'error');
  await expect(widget.getByRole('alert')).toContainText('ae/metrics.json: epochs[0].train.loss is not a finite number');
});

test('reads without JavaScript: the charts and the table are rendered at build time', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  const widget = root(page);
  await expect(widget.locator('.lc-panel')).toHaveCount(4);
  await expect(widget.locator('.lc-panel[data-panel="compare"] svg.lc-svg')).toHaveAccessibleName(/AE vs VAE/);
  await expect(widget.locator('.lc-panel[data-panel="ae"] svg.lc-svg desc')).toContainText('AE test from');
  await expect(widget.locator('table.lc-table tbody tr').first()).toBeAttached();
  await context.close();
});

test('has no serious or critical accessibility violations', async ({ page }) => {
  await page.goto(PAGE);
  const widget = root(page);
  await waitReady(widget);
  await widget.locator('details.lc-data summary').click();
  await widget.locator('.lc-panel[data-panel="ae"] .lc-plot').focus();
  for (const scheme of ['light', 'dark'] as const) {
    await page.evaluate((s) => document.documentElement.setAttribute('data-theme', s), scheme);
    const results = await new AxeBuilder({ page }).include('[data-widget="LossCurves"]').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${scheme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});
