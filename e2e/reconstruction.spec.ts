import { expect, test, type Locator } from '@playwright/test';
import { canvasPixels, corrupt, drawStroke, numTensors, seriousAxeViolationsBothThemes, trackForeignRequests, trackPageErrors, waitError, waitReady } from './widget-helpers.ts';

const PAGE = '/reconstruction/';

/** Count of lit pixels in a 28 × 28 output canvas. */
function litPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let lit = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! > 64) lit++;
    return lit;
  });
}

test.describe('Reconstruction', () => {
  test('picks, steps and shuffles test digits; every change updates input, reconstructions and BCE', async ({ page, baseURL }) => {
    const foreign = trackForeignRequests(page, baseURL!);
    const errors = trackPageErrors(page);
    await page.goto(PAGE);
    const root = page.locator('reconstruction-widget');
    await waitReady(root);
    await expect(root.locator('[role="alert"]')).toHaveCount(0);
    await expect(root.locator('[data-role="backend"]')).toContainText('Running on');

    const orig = root.locator('[data-role="orig"]');
    const ae = root.locator('[data-role="ae"]');
    const vae = root.locator('[data-role="vae"]');
    const aeText = root.locator('[data-role="ae-text"]');
    await expect(aeText).toHaveText(/^BCE \d+(\.\d+)? nats$/);
    await expect(root.locator('[data-role="vae-text"]')).toHaveText(/^BCE \d+(\.\d+)? nats$/);

    // Typing an index shows that digit.
    const before = await Promise.all([canvasPixels(orig), canvasPixels(ae), canvasPixels(vae)]);
    const index = root.getByRole('spinbutton', { name: 'Test digit number' });
    const current = Number(await index.inputValue());
    await index.fill(String(current === 1 ? 2 : 1));
    await index.press('Enter');
    await expect(root.locator('[data-role="orig-text"]')).toContainText(`#${current === 1 ? 2 : 1}`);
    const after = await Promise.all([canvasPixels(orig), canvasPixels(ae), canvasPixels(vae)]);
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[2]).not.toBe(before[2]);

    // Next (keyboard) moves on by one.
    await root.getByRole('button', { name: 'Next' }).press('Enter');
    await expect(root.locator('[data-role="orig-text"]')).toContainText(`#${current === 1 ? 3 : 2}`);

    // Shuffle changes the thumbnails; choosing a thumbnail shows it.
    const thumb = root.locator('[data-thumb="3"]');
    const thumbBefore = await thumb.getAttribute('aria-label');
    await root.getByRole('button', { name: 'Shuffle' }).click();
    await expect.poll(() => thumb.getAttribute('aria-label')).not.toBe(thumbBefore);
    const chosen = /#(\d+)/.exec((await thumb.getAttribute('aria-label'))!)![1];
    await thumb.click();
    await expect(root.locator('[data-role="orig-text"]')).toContainText(`#${chosen}`);

    expect(errors.map(String)).toEqual([]);
    expect(foreign).toEqual([]);
  });

  test('a digit drawn with the mouse gets MNIST-style preprocessing and both reconstructions; clear brings back the hint', async ({ page }) => {
    await page.goto(PAGE);
    const root = page.locator('reconstruction-widget');
    await waitReady(root);
    const pad = root.locator('[data-role="pad"]');
    const hint = root.locator('[data-role="hint"]');
    await expect(hint).toBeVisible();
    await expect(root.locator('[role="alert"]')).toHaveCount(0);
    expect(await litPixels(root.locator('[data-role="d-orig"]'))).toBe(0);

    // A "7": top bar, then the diagonal.
    await drawStroke(page, pad, [[0.25, 0.2], [0.75, 0.2], [0.45, 0.85]]);
    await expect(hint).toBeHidden();
    await expect(root.locator('[data-role="d-ae-text"]')).toHaveText(/^BCE \d+(\.\d+)? nats$/);
    await expect(root.locator('[data-role="d-vae-text"]')).toHaveText(/^BCE \d+(\.\d+)? nats$/);
    expect(await litPixels(root.locator('[data-role="d-orig"]'))).toBeGreaterThan(20);
    // The stroke ended while the encoders were loading: the live region says the drawing's result once they have, not the test digit's.
    await expect(root.locator('[data-role="draw-live"]')).toContainText(/^Your drawing/);
    const firstAe = await canvasPixels(root.locator('[data-role="d-ae"]'));
    const firstInput = await canvasPixels(root.locator('[data-role="d-orig"]'));

    // Another stroke changes the input and the reconstruction.
    await drawStroke(page, pad, [[0.3, 0.55], [0.7, 0.55]]);
    await expect.poll(() => canvasPixels(root.locator('[data-role="d-orig"]'))).not.toBe(firstInput);
    await expect.poll(() => canvasPixels(root.locator('[data-role="d-ae"]'))).not.toBe(firstAe);

    // Clear: the hint returns, no error.
    await root.getByRole('button', { name: 'Clear drawing' }).click();
    await expect(hint).toBeVisible();
    await expect(root).toHaveAttribute('data-state', 'ready');
    await expect(root.locator('[role="alert"]')).toHaveCount(0);
    expect(await litPixels(root.locator('[data-role="d-orig"]'))).toBe(0);
  });

  test('many interactions leave no tensors behind', async ({ page }) => {
    await page.goto(PAGE);
    const root = page.locator('reconstruction-widget');
    await waitReady(root);
    const pad = root.locator('[data-role="pad"]');
    await drawStroke(page, pad, [[0.5, 0.1], [0.5, 0.9]]); // warm every code path once
    // The first stroke fetches the encoders; the drawing's row shows once they are loaded, and
    // their weights must count in the baseline.
    await expect.poll(() => litPixels(root.locator('[data-role="d-orig"]'))).toBeGreaterThan(0);
    const before = await numTensors(page);
    const next = root.getByRole('button', { name: 'Next' });
    for (let i = 0; i < 60; i++) await next.click();
    for (let i = 0; i < 10; i++) await drawStroke(page, pad, [[0.2 + i * 0.05, 0.2], [0.8 - i * 0.05, 0.8]]);
    await root.getByRole('button', { name: 'Clear drawing' }).click();
    const done = await root.evaluate((el) => (el as unknown as { reconstructions: number }).reconstructions);
    expect(done).toBeGreaterThan(60);
    expect(await numTensors(page)).toBe(before);
  });

  test('has no serious or critical accessibility violations once ready, in light and dark themes', async ({ page }) => {
    await page.goto(PAGE);
    await waitReady(page.locator('reconstruction-widget'));
    expect(await seriousAxeViolationsBothThemes(page, 'reconstruction-widget')).toEqual([]);
  });

  test('corrupt weights end in a visible error naming the file', async ({ page }) => {
    const errors = trackPageErrors(page);
    await corrupt(page, '**/pretrained/vae/compact/decoder/*.bin');
    await page.goto(PAGE);
    const root = page.locator('reconstruction-widget');
    await waitError(root);
    await expect(root.getByRole('alert')).toContainText(/vae\/compact\/decoder\/.*\.bin failed its checksum/);
    expect(errors.map(String)).toEqual([]);
  });

  test('the encoders load only at the first stroke; a corrupt encoder then ends in the alert', async ({ page }) => {
    const errors = trackPageErrors(page);
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await corrupt(page, '**/pretrained/vae/compact/encoder/*.bin');
    await page.goto(PAGE);
    const root = page.locator('reconstruction-widget');
    await waitReady(root);
    expect(fetched.filter((u) => u.includes('/encoder/'))).toEqual([]);
    await drawStroke(page, root.locator('[data-role="pad"]'), [[0.5, 0.1], [0.5, 0.9]]);
    await waitError(root);
    await expect(root.getByRole('alert')).toContainText(/vae\/compact\/encoder\/.*\.bin failed its checksum/);
    expect(fetched.filter((u) => u.includes('/encoder/')).length).toBeGreaterThan(0);
    expect(errors.map(String)).toEqual([]);
  });

  test('decodes the test-digit atlas in a Web Worker, and on the page where workers cannot draw: same digits either way', async ({ page, browser }) => {
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(PAGE);
    const root = page.locator('reconstruction-widget');
    await waitReady(root);
    await expect.poll(() => workers.filter((u) => /atlas-worker/.test(u)).length).toBe(1);
    // the reconstructions' losses depend on every input pixel: equal losses, equal digits
    const show = async (r: Locator, index: string) => {
      const box = r.locator('[data-role="index"]');
      await box.fill(index);
      await box.press('Enter');
      await expect(box).toHaveValue(index);
      // the typed digit shows once its chunk has arrived; showTest resolves when it is shown, so the
      // texts read next are that digit's and not the previous one's
      await r.evaluate((el, i) => (el as unknown as { showTest(i: number): Promise<void> }).showTest(i), Number(index));
      await expect(r.locator('[data-role="ae-text"]')).toHaveText(/BCE \d/);
    };
    await show(root, '1234');
    const shown = await Promise.all(['ae-text', 'vae-text'].map((r) => root.locator(`[data-role="${r}"]`).textContent()));

    const context = await browser.newContext();
    try {
      const plain = await context.newPage();
      const errors = trackPageErrors(plain);
      const plainWorkers: string[] = [];
      plain.on('worker', (w) => plainWorkers.push(w.url()));
      await plain.addInitScript(() => {
        delete (window as { OffscreenCanvas?: unknown }).OffscreenCanvas;
      });
      await plain.goto(PAGE);
      const plainRoot = plain.locator('reconstruction-widget');
      await waitReady(plainRoot);
      await expect(plainRoot.locator('[role="alert"]')).toHaveCount(0);
      await show(plainRoot, '1234');
      await expect(plainRoot.locator('[data-role="ae-text"]')).toHaveText(shown[0]!);
      await expect(plainRoot.locator('[data-role="vae-text"]')).toHaveText(shown[1]!);
      expect(plainWorkers.filter((u) => /atlas-worker/.test(u))).toEqual([]);
      expect(errors.map(String)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('without the test-digit atlas, drawing still works and the reader is told why', async ({ page }) => {
    await corrupt(page, '**/pretrained/digits/*.png');
    await page.goto(PAGE);
    const root = page.locator('reconstruction-widget');
    await waitReady(root);
    await expect(root.locator('[data-role="status"]')).toContainText('test digits');
    await expect(root.getByRole('button', { name: 'Next' })).toBeDisabled();
    await drawStroke(page, root.locator('[data-role="pad"]'), [[0.5, 0.1], [0.5, 0.9]]);
    await expect(root.locator('[data-role="d-ae-text"]')).toHaveText(/^BCE \d+(\.\d+)? nats$/);
  });
});
