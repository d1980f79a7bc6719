import { expect, test } from '@playwright/test';
import { canvasPixels, missing, numTensors, seriousAxeViolationsBothThemes, trackForeignRequests, trackPageErrors, waitError, waitReady } from './widget-helpers.ts';

const PAGE = '/interpolation/';

test.describe('Interpolation', () => {
  test('defaults to a 3 and an 8; the slider, the pair and the buttons all change the decoded images', async ({ page, baseURL }) => {
    const foreign = trackForeignRequests(page, baseURL!);
    const errors = trackPageErrors(page);
    await page.goto(PAGE);
    const root = page.locator('interpolation-widget');
    await waitReady(root);
    await expect(root.locator('[role="alert"]')).toHaveCount(0);
    await expect(root.locator('[data-role="backend"]')).toContainText('Running on');

    // The default pair is the first 3 and the first 8 of the test set.
    const from = root.getByRole('spinbutton', { name: 'From test digit number' });
    const to = root.getByRole('spinbutton', { name: 'to test digit number' });
    await expect(from).toHaveValue('18');
    await expect(to).toHaveValue('61');

    const slider = root.getByRole('slider', { name: /Mix t/ });
    const aeNow = root.locator('.ip-panel[data-model="ae"] [data-role="now"]');
    const vaeNow = root.locator('.ip-panel[data-model="vae"] [data-role="now"]');
    const aeMap = root.locator('.ip-panel[data-model="ae"] [data-role="map"]');

    // Moving the slider (keyboard) changes both decoded images and the map's marker.
    const before = await Promise.all([canvasPixels(aeNow), canvasPixels(vaeNow), canvasPixels(aeMap)]);
    await slider.focus();
    await page.keyboard.press('End');
    await expect(root.locator('[data-role="t-text"]')).toHaveText('t = 1.00');
    await expect.poll(() => canvasPixels(aeNow)).not.toBe(before[0]);
    await expect.poll(() => canvasPixels(vaeNow)).not.toBe(before[1]);
    await expect.poll(() => canvasPixels(aeMap)).not.toBe(before[2]);
    await expect(slider).toHaveAttribute('aria-valuetext', 't = 1.00: 0 % digit #18, 100 % digit #61');

    // Dragging the slider with the mouse changes them again.
    const atEnd = await canvasPixels(aeNow);
    await slider.scrollIntoViewIfNeeded();
    const box = (await slider.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.1, box.y + box.height / 2);
    await expect.poll(() => canvasPixels(aeNow)).not.toBe(atEnd);

    // A new pair changes the strips.
    const strip = root.locator('.ip-panel[data-model="vae"] [data-role="strip"]');
    const stripBefore = await canvasPixels(strip);
    await to.fill('0');
    await to.press('Enter');
    await expect.poll(() => canvasPixels(strip)).not.toBe(stripBefore);
    await expect(root.locator('[data-role="b-img"]')).toHaveAttribute('aria-label', /Test digit #0/);

    // Swap reverses the path: the strip changes.
    const stripPair = await canvasPixels(strip);
    await root.getByRole('button', { name: 'Swap' }).click();
    await expect(from).toHaveValue('0');
    await expect.poll(() => canvasPixels(strip)).not.toBe(stripPair);

    expect(errors.map(String)).toEqual([]);
    expect(foreign).toEqual([]);
  });

  test('many slider moves and pair changes leave no tensors behind', async ({ page }) => {
    await page.goto(PAGE);
    const root = page.locator('interpolation-widget');
    await waitReady(root);
    const before = await numTensors(page);
    const slider = root.getByRole('slider', { name: /Mix t/ });
    const frames = () => root.evaluate((el) => (el as unknown as { frames: number }).frames);
    const start = await frames();
    await slider.focus();
    for (let i = 0; i < 100; i++) await page.keyboard.press(i < 50 ? 'ArrowLeft' : 'ArrowRight');
    for (let i = 0; i < 20; i++) await root.getByRole('button', { name: 'Random pair' }).click();
    // Drawn at most once per animation frame: how many frames depends on how fast the input comes.
    await expect.poll(frames).toBeGreaterThan(start);
    expect(await numTensors(page)).toBe(before);
  });

  test('has no serious or critical accessibility violations once ready, in light and dark themes', async ({ page }) => {
    await page.goto(PAGE);
    await waitReady(page.locator('interpolation-widget'));
    expect(await seriousAxeViolationsBothThemes(page, 'interpolation-widget')).toEqual([]);
  });

  test('a missing chunk of test digits ends in a visible error', async ({ page }) => {
    const errors = trackPageErrors(page);
    await missing(page, '**/pretrained/digits/*.png');
    await page.goto(PAGE);
    const root = page.locator('interpolation-widget');
    await waitError(root);
    await expect(root.getByRole('alert')).toContainText(/digits\/\d{3}\.png \(HTTP 404: not found\)/);
    expect(errors.map(String)).toEqual([]);
  });
});
