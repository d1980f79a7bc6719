import { expect, test } from '@playwright/test';
import { canvasPixels, corrupt, missing, numTensors, seriousAxeViolationsBothThemes, swapModel, trackForeignRequests, trackPageErrors, waitError, waitReady } from './widget-helpers.ts';

const PAGE = '/latent-space/';

test.describe('LatentExplorer', () => {
  test('reaches ready, decodes where the reader clicks, drags and presses keys, without leaks', async ({ page, baseURL }) => {
    const foreign = trackForeignRequests(page, baseURL!);
    const errors = trackPageErrors(page);
    await page.goto(PAGE);
    const root = page.locator('latent-explorer');
    await waitReady(root);
    await expect(root.locator('[role="alert"]')).toHaveCount(0);
    await expect(root.locator('[data-role="backend"]')).toContainText('Running on');

    for (const kind of ['ae', 'vae']) {
      const panel = root.locator(`.lx-panel[data-model="${kind}"]`);
      const plane = panel.locator('[data-role="plane"]');
      const digit = panel.locator('[data-role="digit"]');
      const readout = panel.locator('[data-role="readout"]');

      // Clicking the plane changes the decoded digit.
      await plane.scrollIntoViewIfNeeded();
      const before = await canvasPixels(digit);
      const box = (await plane.boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.15, box.y + box.height * 0.2);
      await expect.poll(() => canvasPixels(digit)).not.toBe(before);
      const afterClick = await canvasPixels(digit);
      const clickText = await readout.textContent();

      // Dragging across the plane changes it again.
      await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * (0.2 + 0.06 * i), box.y + box.height * (0.2 + 0.06 * i));
      await page.mouse.up();
      await expect.poll(() => canvasPixels(digit)).not.toBe(afterClick);
      await expect(readout).not.toHaveText(clickText!);

      // Arrow keys on the focused plane move the point.
      const beforeKeys = await readout.textContent();
      await plane.focus();
      await page.keyboard.press('Shift+ArrowLeft');
      await page.keyboard.press('Shift+ArrowUp');
      await expect(readout).not.toHaveText(beforeKeys!);

      // The z₁ slider is a real range input and moves the point too.
      const slider = panel.locator('input[type="range"][data-role="zx"]');
      const beforeSlider = await canvasPixels(digit);
      await slider.focus();
      for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
      await expect.poll(() => canvasPixels(digit)).not.toBe(beforeSlider);

      // The manifold grid has been drawn (not a blank canvas).
      const gridInk = await panel.locator('[data-role="grid"]').evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let lit = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i]! > 128) lit++;
        return lit;
      });
      expect(gridInk).toBeGreaterThan(0);
    }

    // The encoders load on demand (issue 11); load them first, so their weights are not counted as a leak below.
    await page.evaluate(async () => {
      const hook = (window as unknown as { __latentAtlas: { loadModel(k: string): Promise<{ loadEncoder(): Promise<unknown> }> } }).__latentAtlas;
      for (const kind of ['ae', 'vae']) await (await hook.loadModel(kind)).loadEncoder();
    });
    // Many interactions leave the tensor count unchanged (the grid decode uses TF.js; dragging uses the JS path).
    const tensorsBefore = await numTensors(page);
    const plane = root.locator('.lx-panel[data-model="vae"] [data-role="plane"]');
    await plane.focus();
    for (let i = 0; i < 100; i++) await page.keyboard.press(i % 2 ? 'ArrowRight' : 'ArrowUp');
    for (let i = 0; i < 20; i++) {
      await root.evaluate((el) => {
        const x = el as unknown as { drawGrid(kind: string): number };
        x.drawGrid('ae');
        x.drawGrid('vae');
      });
    }
    // The TF.js paths (decoding through predict, encoding) are leak-free too.
    await page.evaluate(async () => {
      type Model = { decodeTf(p: Float32Array): Float32Array; encode(x: Float32Array): Float32Array; loadEncoder(): Promise<unknown> };
      const hook = (window as unknown as { __latentAtlas: { loadModel(k: string): Promise<Model> } }).__latentAtlas;
      for (const kind of ['ae', 'vae']) {
        const m = await hook.loadModel(kind);
        await m.loadEncoder(); // loaded above already: resolves at once
        for (let i = 0; i < 200; i++) {
          m.decodeTf(Float32Array.of(Math.sin(i), Math.cos(i)));
          m.encode(new Float32Array(784).fill((i % 10) / 10));
        }
      }
    });
    expect(await numTensors(page)).toBe(tensorsBefore);

    expect(errors.map(String)).toEqual([]);
    expect(foreign).toEqual([]);
  });

  test('has no serious or critical accessibility violations once ready, in light and dark themes', async ({ page }) => {
    await page.goto(PAGE);
    await waitReady(page.locator('latent-explorer'));
    expect(await seriousAxeViolationsBothThemes(page, 'latent-explorer')).toEqual([]);
  });

  test('corrupt weights end in a visible error naming the file; the page keeps working', async ({ page }) => {
    const errors = trackPageErrors(page);
    await corrupt(page, '**/pretrained/vae/compact/decoder/*.bin');
    await page.goto(PAGE);
    const root = page.locator('latent-explorer');
    await waitError(root);
    await expect(root.getByRole('alert')).toContainText(/vae\/compact\/decoder\/.*\.bin failed its checksum/);
    // The rest of the page still works: the theme selector still switches themes.
    await page.getByRole('combobox', { name: 'Select theme' }).first().selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(errors.map(String)).toEqual([]);
  });

  test('missing weights (404) end in a visible error', async ({ page }) => {
    await missing(page, '**/pretrained/ae/compact/decoder/*.bin');
    await page.goto(PAGE);
    const root = page.locator('latent-explorer');
    await waitError(root);
    await expect(root.getByRole('alert')).toContainText(/ae\/compact\/decoder\/.*\.bin \(HTTP 404: not found\)/);
  });

  test('a verified model of the wrong shape ends in a visible error', async ({ page }) => {
    await swapModel(page, 'ae/compact/encoder', 'ae/compact/decoder');
    await page.goto(PAGE);
    const root = page.locator('latent-explorer');
    await waitError(root);
    await expect(root.getByRole('alert')).toContainText('The AE decoder takes [null, 784], expected [null, 2]');
  });

  test('with WebAssembly blocked the runtime falls back and says so', async ({ page }) => {
    await page.addInitScript(() => {
      // @ts-expect-error -- simulate a browser where WebAssembly is disabled
      delete globalThis.WebAssembly;
    });
    await page.goto(PAGE);
    const root = page.locator('latent-explorer');
    await waitReady(root);
    await expect(root.locator('[data-role="backend"]')).toContainText(/Running on (WebGL|CPU)/);
    await expect(root.locator('[data-role="backend"]')).toContainText('WebAssembly is not available');
    // It still decodes.
    const digit = root.locator('.lx-panel[data-model="ae"] [data-role="digit"]');
    const before = await canvasPixels(digit);
    await root.locator('.lx-panel[data-model="ae"] [data-role="plane"]').focus();
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => canvasPixels(digit)).not.toBe(before);
  });

  test('?backend=cpu selects the CPU backend, says why, and decodes the same digits', async ({ page }) => {
    await page.goto(`${PAGE}?backend=cpu`);
    const root = page.locator('latent-explorer');
    await waitReady(root);
    await expect(root.locator('[data-role="backend"]')).toHaveText('Running on CPU (plain JavaScript). Fallback because the page asked for cpu (?backend=cpu).');
    // TF.js on the CPU backend and the JS decoder agree on a point.
    const gap = await page.evaluate(async () => {
      type Model = { decodeTf(p: Float32Array): Float32Array; decodeOne(x: number, y: number): Float32Array };
      const m = await (window as unknown as { __latentAtlas: { loadModel(k: string): Promise<Model> } }).__latentAtlas.loadModel('vae');
      const a = m.decodeTf(Float32Array.of(0.5, -1));
      const b = m.decodeOne(0.5, -1);
      return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
    });
    expect(gap).toBeLessThan(1e-4);
  });
});
