/**
 * The attention encoder's figure on /future-work/attention/ (issue 12, widget 5), end to end on
 * the production build and the committed artifacts: selecting a patch by mouse, touch and
 * keyboard shades the others by its attention and moves the matrix's outlined row; the head
 * selector; the digit picker with both reconstructions; a missing or corrupt attention encoder or
 * decoder (that figure alerts, the rest of the page works, a later good digit recovers); the
 * picture without JavaScript; accessibility in light and dark.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { canvasPixels, corrupt, expectFileAlert, missing, seriousAxeViolationsBothThemes, trackForeignRequests, trackPageErrors, waitReady } from './widget-helpers.ts';

const PAGE = '/future-work/attention/';
const FIG = '[data-widget="AttnAttention"]';

async function open(page: Page): Promise<Locator> {
  await page.goto(PAGE);
  const w = page.locator(FIG);
  await w.scrollIntoViewIfNeeded();
  return w;
}

/** The shading alpha of each patch button, as the figure set it. */
function shading(w: Locator): Promise<number[]> {
  return w.locator('button[data-patch]').evaluateAll((bs) => bs.map((b) => Number(/rgba\([^)]*,\s*([\d.]+)\)/.exec((b as HTMLElement).style.backgroundColor)?.[1] ?? 0)));
}

/** The outlined row of the matrix (the selected query), from its SVG y position. */
function matrixRow(w: Locator): Promise<string | null> {
  return w.locator('.za-matrix-sel').getAttribute('y');
}

/** The percentages the patch labels announce (the selected patch's attention to each). */
async function announced(w: Locator): Promise<number[]> {
  const labels = await w.locator('button[data-patch]').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label') ?? ''));
  return labels.map((l) => Number(/receives (\d+) %/.exec(l)?.[1] ?? NaN));
}

test('selecting a patch by mouse shades the patches by its attention and outlines its matrix row', async ({ page, baseURL }) => {
  const foreign = trackForeignRequests(page, baseURL!);
  const errors = trackPageErrors(page);
  const w = await open(page);
  await waitReady(w);
  await expect(w.locator('.za-static')).toBeHidden();
  await expect(w.locator('canvas[data-role="digit"]')).toBeVisible();
  await expect(w.locator('.za-matrix rect[data-q]')).toHaveCount(256);
  const start = Number(await w.getAttribute('data-query'));
  await expect(w.locator(`button[data-patch="${start}"]`)).toHaveAttribute('aria-pressed', 'true');
  // The selected patch's attention is a probability distribution: its announced shares add up to about 100 %.
  const shares = await announced(w);
  expect(shares.every(Number.isFinite)).toBe(true);
  expect(Math.abs(shares.reduce((a, b) => a + b, 0) - 100)).toBeLessThanOrEqual(8);
  const before = { shade: await shading(w), row: await matrixRow(w), sentence: await w.locator('[data-role="sentence"]').textContent() };
  const target = start === 0 ? 15 : 0;
  await w.locator(`button[data-patch="${target}"]`).hover();
  await expect(w).toHaveAttribute('data-query', String(target));
  await expect(w.locator(`button[data-patch="${target}"]`)).toHaveAttribute('aria-pressed', 'true');
  await expect(w.locator(`button[data-patch="${start}"]`)).toHaveAttribute('aria-pressed', 'false');
  expect(await shading(w)).not.toEqual(before.shade);
  expect(await matrixRow(w)).not.toBe(before.row);
  await expect(w.locator('[data-role="sentence"]')).not.toHaveText(before.sentence!);
  await expect(w.locator('[data-role="sentence"]')).toContainText(target === 0 ? 'patch (row 1, column 1)' : 'patch (row 4, column 4)');
  // Exactly one patch is shaded fully relative: the largest weight.
  expect(Math.max(...(await shading(w)))).toBeCloseTo(0.75, 2);
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});

test('patches are selected with the keyboard (roving focus, arrows, Home, End)', async ({ page }) => {
  const w = await open(page);
  await waitReady(w);
  await w.locator('button[data-patch][tabindex="0"]').focus();
  await page.keyboard.press('Home');
  await expect(w).toHaveAttribute('data-query', '0');
  await expect(w.locator('button[data-patch="0"]')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(w).toHaveAttribute('data-query', '1');
  await page.keyboard.press('ArrowDown');
  await expect(w).toHaveAttribute('data-query', '5');
  await expect(w.locator('button[data-patch="5"]')).toBeFocused();
  await expect(w.locator('button[data-patch="5"]')).toHaveAttribute('tabindex', '0');
  await expect(w.locator('button[data-patch="1"]')).toHaveAttribute('tabindex', '-1');
  await page.keyboard.press('End');
  await expect(w).toHaveAttribute('data-query', '15');
  // Tab leaves the grid in one step (one tab stop for the 16 patches).
  await page.keyboard.press('Tab');
  await expect(w.locator('button[data-patch]:focus')).toHaveCount(0);
});

test('the head selector shows one head or the mean of the four', async ({ page }) => {
  const w = await open(page);
  await waitReady(w);
  const cells = () => w.locator('.za-matrix rect[data-q]').evaluateAll((rs) => rs.map((r) => r.getAttribute('fill-opacity')).join(' '));
  const mean = await cells();
  await w.getByRole('radio', { name: 'Head 2' }).check();
  await expect(w).toHaveAttribute('data-head', '1');
  await expect(w.locator('[data-role="sentence"]')).toContainText('In head 2');
  const head2 = await cells();
  expect(head2).not.toBe(mean);
  // Keyboard: arrows move between the radios.
  await w.getByRole('radio', { name: 'Head 2' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(w).toHaveAttribute('data-head', '2');
  await w.getByRole('radio', { name: /Mean of 4/ }).check();
  await expect(w).toHaveAttribute('data-head', 'mean');
  expect(await cells()).toBe(mean);
});

test('picking another test digit reruns the encoder and both reconstructions', async ({ page }) => {
  const w = await open(page);
  await waitReady(w);
  const digit = w.locator('canvas[data-role="digit"]');
  const recon = w.locator('canvas[data-role="attn"]');
  const [d0, r0] = [await canvasPixels(digit), await canvasPixels(recon)];
  await w.getByRole('button', { name: 'Next' }).click();
  await expect(w).toHaveAttribute('data-digit', '1');
  await expect.poll(() => canvasPixels(digit)).not.toBe(d0);
  await expect.poll(() => canvasPixels(recon)).not.toBe(r0);
  await expect(w.locator('[data-role="attn-text"]')).toContainText(/BCE \d/);
  await expect(w.locator('[data-role="vae-text"]')).toContainText(/BCE \d/);
  await expect(w.locator('[data-role="orig-text"]')).toContainText('Test digit #1, a 2');
  // A thumbnail, and a typed number.
  await w.locator('[data-thumb="3"]').click();
  await expect(w).not.toHaveAttribute('data-digit', '1');
  const box = w.getByLabel('Test digit number');
  await box.fill('4321');
  await box.press('Enter');
  await expect(w).toHaveAttribute('data-digit', '4321');
  await expect(w).toHaveAttribute('data-state', 'ready');
});

test('drawing a digit runs both encoders on it (the VAE’s loads at the first stroke)', async ({ page }) => {
  const errors = trackPageErrors(page);
  const w = await open(page);
  await waitReady(w);
  await w.locator('.za-draw summary').click();
  const pad = w.locator('[data-role="pad"]');
  const box = (await pad.boundingBox())!;
  const recon = w.locator('canvas[data-role="attn"]');
  const before = await canvasPixels(recon);
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let i = 1; i <= 20; i++) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + 0.035 * i));
  await page.mouse.up();
  await expect(w).toHaveAttribute('data-digit', 'drawn');
  await expect(w.locator('[data-role="orig-text"]')).toHaveText('Your drawing');
  await expect.poll(() => canvasPixels(recon)).not.toBe(before);
  await expect(w.locator('[data-role="vae-text"]')).toContainText(/BCE \d/);
  await expect(w.locator('.za-matrix title')).toContainText('your drawing');
  await w.getByRole('button', { name: 'Clear drawing' }).click();
  // Back to a test digit.
  await w.getByRole('button', { name: 'Next' }).click();
  await expect(w).toHaveAttribute('data-digit', /^\d+$/);
  expect(errors).toEqual([]);
});

test.describe('touch', () => {
  test.use({ hasTouch: true });
  test('tapping a patch selects it', async ({ page }) => {
    const w = await open(page);
    await waitReady(w);
    const start = Number(await w.getAttribute('data-query'));
    const target = start === 6 ? 9 : 6;
    await w.locator(`button[data-patch="${target}"]`).tap();
    await expect(w).toHaveAttribute('data-query', String(target));
  });
});

for (const fault of ['missing', 'corrupt'] as const) {
  test(`the attention encoder's weights ${fault}: that figure alerts, the rest of the page works`, async ({ page }) => {
    const errors = trackPageErrors(page);
    const path = 'attn/compact/encoder/weights.bin';
    if (fault === 'corrupt') await corrupt(page, `**/pretrained/${path}`);
    else await missing(page, `**/pretrained/${path}`);
    const w = await open(page);
    await expectFileAlert(w, path, fault);
    // Its baked picture stays; the page's other figures are unaffected.
    await expect(w.locator('.za-static svg')).toBeVisible();
    await expect(page.locator('[data-state="error"]')).toHaveCount(1);
    await expect(page.locator('#zoo-attn table tbody tr')).toHaveCount(2);
    expect(errors).toEqual([]);
  });
}

test('the attention model’s decoder missing: the figure alerts and names the file', async ({ page }) => {
  const path = 'attn/compact/decoder/weights.bin';
  await missing(page, `**/pretrained/${path}`);
  const w = await open(page);
  await expectFileAlert(w, path, 'missing');
});

test('a digit whose chunk is missing alerts; a digit that loads recovers the figure', async ({ page }) => {
  await missing(page, '**/pretrained/digits/042.png');
  const w = await open(page);
  await waitReady(w);
  const box = w.getByLabel('Test digit number');
  await box.fill('4242');
  await box.press('Enter');
  await expectFileAlert(w, 'digits/042.png', 'missing');
  await box.fill('7');
  await box.press('Enter');
  await expect(w).toHaveAttribute('data-state', 'ready');
  await expect(w.getByRole('alert')).toBeHidden();
  await expect(w).toHaveAttribute('data-digit', '7');
});

test('reads without JavaScript: the baked digit with its shaded patches and the matrix; no controls', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  const w = page.locator(FIG);
  await expect(w.locator('.za-static svg')).toBeVisible();
  await expect(w.locator('.za-static svg')).toHaveAccessibleName(/Test digit #0, a 7, cut into 4 × 4 patches/);
  await expect(w.locator('.za-static svg rect[width="7"]')).toHaveCount(16);
  await expect(w.locator('.za-matrix')).toBeVisible();
  await expect(w.locator('.za-matrix rect[data-q]')).toHaveCount(256);
  await expect(w.locator('[data-role="sentence"]')).toContainText('In the mean of the 4 heads');
  // The controls are in the markup but hidden (they need JavaScript).
  await expect(w.locator('input[name="za-head"]')).toHaveCount(5);
  await expect(w.locator('fieldset.za-heads')).toBeHidden();
  await expect(w.locator('[data-role="next"]')).toHaveCount(1);
  await expect(w.locator('.za-picker')).toBeHidden();
  await expect(w.locator('canvas[data-role="digit"]')).toBeHidden();
  await context.close();
});

test('the attention figure has no serious accessibility violations, light or dark', async ({ page }) => {
  test.setTimeout(120_000);
  const w = await open(page);
  await waitReady(w);
  expect(await seriousAxeViolationsBothThemes(page, FIG)).toEqual([]);
});
