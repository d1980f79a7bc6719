/**
 * Issue 12, widgets 3 and 4: the conditional VAE's "one style, ten digits" (/future-work/conditional/)
 * and the denoising widget (/future-work/denoising/). Every control, the failure paths (a model file
 * missing or corrupt: that widget alerts, the rest of the page works), the pictures without
 * JavaScript, axe in light and dark, no requests off-site.
 */
import { expect, test } from '@playwright/test';
import { canvasPixels, corrupt, drawStroke, expectFileAlert, missing, seriousAxeViolationsBothThemes, trackForeignRequests, trackPageErrors, waitReady } from './widget-helpers.ts';

const CVAE_PAGE = '/future-work/conditional/';
const DENOISE_PAGE = '/future-work/denoising/';

const ONE: [number, number][] = [
  [0.5, 0.15],
  [0.5, 0.5],
  [0.5, 0.85],
];

test.describe('Conditional VAE: one style, ten digits', () => {
  test('the plane (pointer and keys), a test digit and a drawing each set the style; the ten digits follow', async ({ page, baseURL }) => {
    const foreign = trackForeignRequests(page, baseURL!);
    const errors = trackPageErrors(page);
    await page.goto(CVAE_PAGE);
    const root = page.locator('cvae-style');
    await waitReady(root);
    await expect(root.locator('[role="alert"]')).toHaveCount(0);
    await expect(root.locator('[data-role="backend"]')).toContainText('Running on');
    const row = root.locator('[data-role="row"]');
    const readout = root.locator('[data-role="readout"]');
    await expect(row).toBeVisible();
    await expect(root.locator('svg.static-figure')).toBeHidden();
    await expect(readout).toContainText('z = (0.00, 0.00)');
    const style = () => root.evaluate((el) => (el as unknown as { styleCode: [number, number] }).styleCode);

    // Drag on the plane.
    const plane = root.locator('[data-role="plane"]');
    await plane.scrollIntoViewIfNeeded();
    const before = await canvasPixels(row);
    const box = (await plane.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.35, { steps: 5 });
    await page.mouse.up();
    await expect(readout).toContainText('a point picked on the plane');
    await expect.poll(() => canvasPixels(row)).not.toBe(before);
    const dragged = await style();
    expect(dragged[0]).toBeLessThan(0);
    expect(dragged[1]).toBeGreaterThan(0);

    // Arrow keys move it, Home re-centres (on the plane's range).
    await plane.focus();
    await plane.press('ArrowRight');
    await expect.poll(async () => (await style())[0]).toBeGreaterThan(dragged[0]);
    await plane.press('Home');
    await expect(root.locator('[data-role="live"]')).toContainText('The digits 0 to 9 decoded');

    // A test digit: its (baked) code is the style, named with its label.
    const index = root.getByRole('spinbutton', { name: 'Test digit number' });
    await index.fill('18');
    await index.press('Enter');
    await expect(readout).toContainText('the style of test digit #18 (a 3');
    await expect(root.locator('[data-role="test-digit"]')).toHaveAttribute('aria-label', 'Test digit #18, a 3');
    const s18 = await style();
    await root.getByRole('button', { name: 'Next' }).click();
    await expect(readout).toContainText('test digit #19');
    await root.getByRole('button', { name: 'Previous' }).click();
    await expect(readout).toContainText('test digit #18');
    expect(await style()).toEqual(s18);
    await root.getByRole('button', { name: 'Random' }).click();
    await expect(readout).toContainText(/test digit #\d+/);

    // A drawing, encoded with the label the reader picks (the encoder loads at the first stroke).
    const pad = root.locator('[data-role="pad"]');
    await expect(root.locator('[data-role="hint"]')).toBeVisible();
    await drawStroke(page, pad, ONE);
    await expect(root).toHaveAttribute('data-drawn', 'true');
    await expect(readout).toContainText('the style of your drawing (encoded as a 0)');
    // Announced once the encoder (loading at the first stroke) has read it, not with the test digit's words.
    await expect(root.locator('[data-role="live"]')).toContainText('your drawing');
    const as0 = await style();
    await root.getByRole('combobox', { name: 'It is a' }).selectOption('1');
    await expect(readout).toContainText('encoded as a 1');
    expect(await style()).not.toEqual(as0);
    await root.getByRole('button', { name: 'Clear drawing' }).click();
    await expect(root.locator('[data-role="hint"]')).toBeVisible();
    await expect(root.locator('[data-role="live"]')).toHaveText('Drawing cleared.');

    // Touch works on the plane too.
    expect(await plane.evaluate((c) => getComputedStyle(c).touchAction)).toBe('none');

    expect(await seriousAxeViolationsBothThemes(page, 'cvae-style')).toEqual([]);
    expect(errors.map(String)).toEqual([]);
    expect(foreign).toEqual([]);
  });

  test('a missing decoder gives the alert; the page and its other figure still work', async ({ page }) => {
    await missing(page, '**/pretrained/cvae/compact/decoder/weights.bin');
    await page.goto(CVAE_PAGE);
    const root = page.locator('cvae-style');
    await expectFileAlert(root, 'cvae/compact/decoder/weights.bin', 'missing');
    await expect(page.locator('#zoo-cvae table tbody tr')).toHaveCount(2);
  });

  test('a corrupt encoder alerts at the first stroke; a corrupt latent.bin alerts at start', async ({ page }) => {
    await corrupt(page, '**/pretrained/cvae/compact/encoder/weights.bin');
    await page.goto(CVAE_PAGE);
    const root = page.locator('cvae-style');
    await waitReady(root);
    await drawStroke(page, root.locator('[data-role="pad"]'), ONE);
    await expectFileAlert(root, 'cvae/compact/encoder/weights.bin', 'corrupt');

    const other = await page.context().newPage();
    await corrupt(other, '**/pretrained/cvae/compact/latent.bin');
    await other.goto(CVAE_PAGE);
    await expectFileAlert(other.locator('cvae-style'), 'cvae/compact/latent.bin', 'corrupt');
  });
});

test.describe('Denoising: noise slider, three models, the baked curve', () => {
  test('σ, New noise, test digits and a drawing; AE, DAE and VAE each reconstruct with their BCE', async ({ page, baseURL }) => {
    const foreign = trackForeignRequests(page, baseURL!);
    const errors = trackPageErrors(page);
    await page.goto(DENOISE_PAGE);
    const root = page.locator('denoise-widget');
    await waitReady(root);
    await expect(root.locator('[role="alert"]')).toHaveCount(0);
    for (const kind of ['ae', 'dae', 'vae']) await expect(root.locator(`[data-role="${kind}-text"]`)).toHaveText(/^BCE \d+(\.\d+)? nats · test mean \d+\.\d$/);
    await expect(root.locator('[data-role="clean-text"]')).toHaveText('Test digit #0, a 7');
    const bces = () => root.evaluate((el) => ({ ...(el as unknown as { bces: Record<string, number> }).bces }));

    // σ = 0: the noisy input is the clean digit.
    const slider = root.getByRole('slider', { name: /Noise σ/ });
    await slider.focus();
    await slider.press('Home');
    await expect(root.locator('[data-role="sigma-out"]')).toHaveText('0.00');
    expect(await canvasPixels(root.locator('[data-role="noisy"]'))).toBe(await canvasPixels(root.locator('[data-role="clean"]')));
    const clean = await bces();

    // Up to σ = 1 with the keyboard: the marker moves, the AE gets worse, the DAE beats it.
    const marker = root.locator('[data-role="sigma-marker"]');
    const x0 = Number(await marker.getAttribute('x1'));
    await slider.press('End');
    await expect(root.locator('[data-role="sigma-out"]')).toHaveText('1.00');
    expect(Number(await marker.getAttribute('x1'))).toBeGreaterThan(x0);
    const noisy = await bces();
    expect(noisy.ae!).toBeGreaterThan(clean.ae!);
    expect(noisy.dae!).toBeLessThan(noisy.ae!);
    await slider.press('ArrowLeft');
    await expect(root.locator('[data-role="sigma-out"]')).toHaveText('0.95');

    // New noise: another seed, another noisy image, other BCEs.
    const seed = root.locator('[data-role="seed"]');
    await expect(seed).toHaveText('seed 12345');
    const noisyBefore = await canvasPixels(root.locator('[data-role="noisy"]'));
    await root.getByRole('button', { name: 'New noise' }).click();
    await expect(seed).toHaveText('seed 12346');
    await expect.poll(() => canvasPixels(root.locator('[data-role="noisy"]'))).not.toBe(noisyBefore);

    // Test digits: number, Next, Previous, Random.
    const index = root.getByRole('spinbutton', { name: 'Test digit number' });
    await index.fill('18');
    await index.press('Enter');
    await expect(root.locator('[data-role="clean-text"]')).toHaveText('Test digit #18, a 3');
    await root.getByRole('button', { name: 'Next' }).click();
    await expect(root.locator('[data-role="clean-text"]')).toHaveText(/Test digit #19/);
    await root.getByRole('button', { name: 'Previous' }).click();
    await expect(root.locator('[data-role="clean-text"]')).toHaveText(/Test digit #18/);
    await root.getByRole('button', { name: 'Random' }).click();
    await expect(root.locator('[data-role="live"]')).toContainText(/Test digit #\d+/);

    // Your drawing.
    await root.getByRole('radio', { name: 'Your drawing' }).check();
    await expect(root.locator('[data-role="ae-text"]')).toHaveText('BCE —');
    await drawStroke(page, root.locator('[data-role="pad"]'), ONE);
    await expect(root.locator('[data-role="clean-text"]')).toHaveText('Your drawing');
    await expect(root.locator('[data-role="dae-text"]')).toHaveText(/^BCE \d/);
    await root.getByRole('button', { name: 'Clear drawing' }).click();
    await expect(root.locator('[data-role="ae-text"]')).toHaveText('BCE —');
    await root.getByRole('radio', { name: 'A test digit' }).check();
    await expect(root.locator('[data-role="ae-text"]')).toHaveText(/^BCE \d/);

    expect(await seriousAxeViolationsBothThemes(page, 'denoise-widget')).toEqual([]);
    expect(errors.map(String)).toEqual([]);
    expect(foreign).toEqual([]);
  });

  test('the curve is baked into the page; a missing DAE encoder alerts, the curve and the table stay', async ({ page }) => {
    await missing(page, '**/pretrained/dae/compact/encoder/weights.bin');
    await page.goto(DENOISE_PAGE);
    const root = page.locator('denoise-widget');
    await expectFileAlert(root, 'dae/compact/encoder/weights.bin', 'missing');
    await expect(root.locator('svg.zoo-dn-curve path')).toHaveCount(3);
    await expect(page.locator('#zoo-dae table tbody tr')).toHaveCount(2);
  });

  test('a corrupt VAE decoder alerts', async ({ page }) => {
    await corrupt(page, '**/pretrained/vae/compact/decoder/weights.bin');
    await page.goto(DENOISE_PAGE);
    await expectFileAlert(page.locator('denoise-widget'), 'vae/compact/decoder/weights.bin', 'corrupt');
  });
});

test.describe('without JavaScript', () => {
  test('the conditional page shows the ten digits decoded at build time; the denoising page its curve', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(CVAE_PAGE);
    const cvae = page.locator('[data-widget="CvaeStyle"]');
    const row = cvae.locator('svg.static-figure[role="img"]');
    await expect(row).toBeVisible();
    await expect(row).toHaveAttribute('aria-label', /The digits 0 to 9 decoded by the conditional VAE/);
    expect(await row.locator('image').getAttribute('href')).toMatch(/^data:image\/png;base64,/);
    await expect(cvae.locator('canvas:visible')).toHaveCount(0);

    await page.goto(DENOISE_PAGE);
    const dn = page.locator('[data-widget="Denoise"]');
    const curve = dn.locator('svg.zoo-dn-curve[role="img"]');
    await expect(curve).toBeVisible();
    await expect(curve.locator('title')).toContainText('Mean test BCE against the clean digits');
    await expect(curve.locator('desc')).toContainText('DAE (dae): σ 0.0 →');
    await expect(dn.locator('canvas:visible, input:visible')).toHaveCount(0);
    await context.close();
  });
});
