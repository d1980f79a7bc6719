import { expect, test, type Locator } from '@playwright/test';
import { canvasPixels, numTensors, seriousAxeViolations, trackForeignRequests, trackPageErrors, waitReady } from './widget-helpers.ts';

const PAGE = '/future-work/';

/** The step counter the widget mirrors into `data-step`. */
async function stepOf(root: Locator): Promise<number> {
  return Number(await root.getAttribute('data-step'));
}

test.describe('TrainLive', () => {
  test('Start trains (steps, loss curve, reconstructions, codes), Pause stops, Reset restores the untrained model', async ({ page, baseURL }) => {
    const foreign = trackForeignRequests(page, baseURL!);
    const errors = trackPageErrors(page);
    await page.goto(PAGE);
    const root = page.locator('train-live');
    await waitReady(root);
    await expect(root.locator('[role="alert"]')).toHaveCount(0);
    await expect(root.locator('[data-role="backend"]')).toContainText('Running on');
    await expect(root.locator('[data-role="progress"]')).toHaveText('Step 0 · epoch 0.0');
    await expect(root.getByText(/8,000 images\) are used for training/)).toBeVisible();

    const start = root.getByRole('button', { name: 'Start' });
    const pause = root.getByRole('button', { name: 'Pause' });
    const reset = root.getByRole('button', { name: 'Reset' });
    const recons = root.locator('[data-role="recons"]');
    const scatter = root.locator('[data-role="scatter"]');
    const trainCurve = root.locator('[data-series="total-train"]');
    await expect(pause).toBeDisabled();
    await expect(trainCurve).toHaveAttribute('d', '');
    const untrained = await canvasPixels(recons);
    const untrainedScatter = await canvasPixels(scatter);
    const tensorsUntrained = await numTensors(page);

    // Start: the counter, the curve and the reconstructions move.
    await start.click();
    await expect(pause).toBeFocused();
    await expect.poll(() => stepOf(root), { timeout: 40_000 }).toBeGreaterThanOrEqual(30);
    await expect(trainCurve).not.toHaveAttribute('d', '');
    await expect.poll(() => canvasPixels(recons)).not.toBe(untrained);
    await expect(root.locator('[data-role="rate"]')).toHaveText(/\d steps\/s/);

    // Pause: training stops and the held-out codes are redrawn for the paused model.
    await pause.click();
    await expect(start).toBeEnabled();
    await expect(root.locator('[data-role="live"]')).toContainText('Paused at step');
    await expect.poll(() => canvasPixels(scatter)).not.toBe(untrainedScatter);
    const pausedAt = await stepOf(root);
    const tensorsPaused = await numTensors(page);
    await page.waitForTimeout(1000);
    expect(await stepOf(root)).toBe(pausedAt);
    expect(await numTensors(page)).toBe(tensorsPaused);

    // Resume with a smaller batch size (it applies to the running model, as an epoch's short last
    // batch does) and pause again: more steps, and still exactly as many live tensors (nothing
    // leaks per step, and no constants of the old batch size are left behind).
    const batchSlider = root.getByRole('slider', { name: 'Batch size' });
    await batchSlider.press('ArrowLeft');
    await batchSlider.press('ArrowLeft');
    await expect(root.locator('[data-role="batch-text"]')).toHaveText('32');
    await start.click();
    await expect.poll(() => stepOf(root), { timeout: 40_000 }).toBeGreaterThanOrEqual(pausedAt + 20);
    await pause.click();
    await expect(root.locator('[data-role="live"]')).toContainText('Paused at step');
    await expect.poll(() => numTensors(page)).toBe(tensorsPaused);

    // Reset: step 0, an empty curve, and the same untrained model as at load (same seed).
    await reset.click();
    await expect(root.locator('[data-role="progress"]')).toHaveText('Step 0 · epoch 0.0');
    await expect(trainCurve).toHaveAttribute('d', '');
    await expect.poll(() => canvasPixels(recons)).toBe(untrained);
    expect(await numTensors(page)).toBe(tensorsUntrained);

    expect(errors.map(String)).toEqual([]);
    expect(foreign).toEqual([]);
  });

  test('β-VAE and wider codes: the β slider works by keyboard, 10-D codes are shown by PCA, the KL panel appears', async ({ page }) => {
    await page.goto(PAGE);
    const root = page.locator('train-live');
    await waitReady(root);
    const beta = root.getByRole('slider', { name: /KL weight β/ });
    await expect(beta).toBeDisabled();
    await root.getByRole('radio', { name: /β-VAE/ }).check();
    await expect(beta).toBeEnabled();
    await beta.focus();
    await page.keyboard.press('ArrowRight');
    await expect(root.locator('[data-role="beta-text"]')).toHaveText('β = 8');
    await expect(beta).toHaveAttribute('aria-valuetext', 'β = 8');
    await expect(root.locator('[data-role="model"]')).toHaveText('β-VAE (β = 8), 2-D latent');

    await root.getByLabel('Latent dimensions').selectOption('10');
    await expect(root.locator('[data-role="model"]')).toHaveText('β-VAE (β = 8), 10-D latent');
    await expect(root.locator('[data-role="scatter-note"]')).toContainText('principal components');
    await expect(root.locator('[data-role="scatter"]')).toHaveAttribute('aria-label', /projected on their first two principal components/);
    await expect(root.locator('[data-panel="live-kl"]')).toHaveCount(1);

    await root.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => stepOf(root), { timeout: 40_000 }).toBeGreaterThanOrEqual(10);
    // A new learning rate cannot apply to a running model: the widget asks for a Reset.
    await root.getByRole('slider', { name: 'Learning rate' }).press('ArrowRight');
    await expect(root.locator('[data-role="pending"]')).toContainText('Press Reset');
    await root.getByRole('button', { name: 'Pause' }).click();
    await expect(root.locator('[data-role="live"]')).toContainText(/Paused at step \d+: loss .* KL/);

    // The AE has no KL term: one panel only, after the Reset that builds it.
    await root.getByRole('radio', { name: /^AE/ }).check();
    await root.getByRole('button', { name: 'Reset' }).click();
    await expect(root.locator('[data-role="progress"]')).toHaveText('Step 0 · epoch 0.0');
    await expect(root.locator('[data-panel="live-kl"]')).toHaveCount(0);
    await expect(root.locator('[data-panel="live-bce"]')).toHaveCount(1);
  });

  test('has no serious or critical accessibility violations, before and after training', async ({ page }) => {
    await page.goto(PAGE);
    const root = page.locator('train-live');
    await waitReady(root);
    expect(await seriousAxeViolations(page, 'train-live')).toEqual([]);
    await root.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => stepOf(root), { timeout: 40_000 }).toBeGreaterThanOrEqual(5);
    await root.getByRole('button', { name: 'Pause' }).click();
    await expect(root.locator('[data-role="live"]')).toContainText('Paused at step');
    expect(await seriousAxeViolations(page, 'train-live')).toEqual([]);
    // Dark theme (Starlight's data-theme): the scatter redraws on the dark background, contrast still passes.
    const scatter = root.locator('[data-role="scatter"]');
    const light = await canvasPixels(scatter);
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    await expect.poll(() => canvasPixels(scatter)).not.toBe(light);
    expect(await seriousAxeViolations(page, 'train-live')).toEqual([]);
  });
});

test.describe('TrainLive without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('explains what it does and that it needs JavaScript; the controls and empty canvases are hidden', async ({ page }) => {
    await page.goto(PAGE);
    const root = page.locator('train-live');
    await expect(root.locator('.tl-intro')).toContainText('test digits #0–#7,999 (8,000 images) are used for training');
    await expect(root.locator('[data-role="status"]')).toContainText('This figure needs JavaScript');
    await expect(root.locator('figcaption')).toBeVisible();
    await expect(root.getByRole('button', { name: 'Start' })).toBeHidden();
    await expect(root.locator('[data-role="scatter"]')).toBeHidden();
  });
});
