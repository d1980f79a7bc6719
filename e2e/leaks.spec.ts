/**
 * No tensor leaks (issue 7): `tf.memory().numTensors` — read through the runtime's test hook
 * `window.__latentAtlas` (src/lib/runtime.ts) — is the same before and after 1,000 interactions
 * with each model widget (the explorer, the reconstruction, the interpolation and the in-page
 * trainer, whose count is compared between two paused states). Interactions are the reader's own: key presses and pointer drags go
 * through Playwright's real input; clicks, `change` and `input` events are dispatched in the page
 * in a loop (the widgets' handlers run exactly as for a click), which keeps each test fast.
 *
 * Each test first runs a short warm-up of the same interactions, so that one-time allocations
 * (kernels, caches) are not mistaken for leaks; the count must then not move.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { numTensors, trackPageErrors, waitReady } from './widget-helpers.ts';

/** Waits two animation frames, so coalesced redraws have run. */
function settle(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

/** A numeric test-hook counter on a widget's element (frames, reconstructions). */
function counter(root: Locator, name: string): Promise<number> {
  return root.evaluate((el, key) => Number((el as unknown as Record<string, unknown>)[key]), name);
}

/** Presses keys on a focused element: `keys[i % keys.length]`, `n` times. */
async function pressKeys(target: Locator, keys: string[], n: number): Promise<void> {
  await target.focus();
  for (let i = 0; i < n; i++) await target.page().keyboard.press(keys[i % keys.length]!);
}

/** Drags with the real mouse across `target` in a zig-zag of `moves` pointer moves. */
async function drag(page: Page, target: Locator, moves: number, y0 = 0.2): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * y0);
  await page.mouse.down();
  for (let i = 1; i <= moves; i++) {
    const fx = 0.1 + 0.8 * ((i % 40) / 40);
    const fy = y0 + (0.6 * i) / moves;
    await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
  }
  await page.mouse.up();
}

test.describe('no tensor leaks after 1,000 interactions', () => {
  test('LatentExplorer: arrow keys, drags, manifold-grid clicks and sliders', async ({ page }) => {
    const errors = trackPageErrors(page);
    await page.goto('/latent-space/');
    const root = page.locator('latent-explorer');
    await waitReady(root);
    const ae = root.locator('.lx-panel[data-model="ae"]');
    const vae = root.locator('.lx-panel[data-model="vae"]');

    /** `n` clicks on grid cells and `n` slider moves, dispatched in the page. */
    const clicksAndSliders = (n: number) =>
      root.evaluate((el, count) => {
        const grids = [...el.querySelectorAll<HTMLCanvasElement>('[data-role="grid"]')];
        const sliders = [...el.querySelectorAll<HTMLInputElement>('input[type="range"]')];
        for (let i = 0; i < count; i++) {
          const grid = grids[i % grids.length]!;
          const r = grid.getBoundingClientRect();
          const f = ((i * 7) % 20) / 20 + 0.025;
          grid.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: r.left + r.width * f, clientY: r.top + r.height * (1 - f) }));
          const s = sliders[i % sliders.length]!;
          s.value = String(Number(s.min) + ((Number(s.max) - Number(s.min)) * ((i * 13) % 100)) / 100);
          s.dispatchEvent(new Event('input', { bubbles: true }));
        }
      }, n);

    // Warm-up.
    await pressKeys(ae.locator('[data-role="plane"]'), ['ArrowRight', 'ArrowUp'], 4);
    await drag(page, vae.locator('[data-role="plane"]'), 4);
    await clicksAndSliders(4);
    await settle(page);
    const before = await numTensors(page);
    const frames = await counter(root, 'frames');

    // 1,000 interactions: 300 key presses, 300 pointer moves, 200 grid clicks, 200 slider moves.
    await pressKeys(ae.locator('[data-role="plane"]'), ['ArrowRight', 'ArrowUp', 'Shift+ArrowLeft', 'ArrowDown', 'Home'], 150);
    await pressKeys(vae.locator('[data-role="plane"]'), ['ArrowLeft', 'Shift+ArrowDown', 'ArrowRight', 'ArrowUp'], 150);
    await drag(page, ae.locator('[data-role="plane"]'), 150);
    await drag(page, vae.locator('[data-role="plane"]'), 150);
    await clicksAndSliders(200);
    await settle(page);

    expect(await counter(root, 'frames')).toBeGreaterThan(frames);
    expect(await numTensors(page)).toBe(before);
    await expect(root).toHaveAttribute('data-state', 'ready');
    expect(errors.map(String)).toEqual([]);
  });

  test('Reconstruction: picking, stepping, shuffling test digits and drawing', async ({ page }) => {
    const errors = trackPageErrors(page);
    await page.goto('/reconstruction/');
    const root = page.locator('reconstruction-widget');
    await waitReady(root);
    const pad = root.locator('[data-role="pad"]');

    /** `n` picks: Next, Previous, Shuffle, a thumbnail, and a typed index, in turn. */
    const picks = (n: number) =>
      root.evaluate((el, count) => {
        const q = <T extends Element>(s: string) => el.querySelector<T>(s)!;
        const buttons = [q<HTMLButtonElement>('[data-role="next"]'), q<HTMLButtonElement>('[data-role="prev"]'), q<HTMLButtonElement>('[data-role="shuffle"]')];
        const thumbs = [...el.querySelectorAll<HTMLButtonElement>('[data-thumb]')];
        const index = q<HTMLInputElement>('[data-role="index"]');
        for (let i = 0; i < count; i++) {
          const k = i % 5;
          if (k < 3) buttons[k]!.click();
          else if (k === 3) thumbs[i % thumbs.length]!.click();
          else {
            index.value = String((i * 37) % 10_000);
            index.dispatchEvent(new Event('change', { bubbles: true }));
          }
        }
      }, n);
    /** `strokes` drawings of `moves` pointer moves each, the pad cleared after each. */
    const draw = async (strokes: number, moves: number) => {
      for (let s = 0; s < strokes; s++) {
        await drag(page, pad, moves, 0.15 + 0.02 * (s % 5));
        await settle(page);
        await root.getByRole('button', { name: 'Clear drawing' }).click();
      }
    };

    // Warm-up.
    await picks(5);
    await draw(1, 4);
    await settle(page);
    const before = await numTensors(page);
    const reconstructions = await counter(root, 'reconstructions');

    // 1,000 interactions: 700 picks (each reconstructs with both models), 300 drawing moves + clears.
    await picks(700);
    await draw(10, 29);
    await settle(page);

    // test digits come in chunks fetched on demand: a pick made while its chunk loads can be
    // superseded by a later pick, so not every one of the 700 is drawn (about 370 were, measured)
    await expect.poll(() => counter(root, 'reconstructions'), { timeout: 30_000 }).toBeGreaterThanOrEqual(reconstructions + 200);
    await settle(page);
    expect(await numTensors(page)).toBe(before);
    await expect(root).toHaveAttribute('data-state', 'ready');
    expect(errors.map(String)).toEqual([]);
  });

  test('Interpolation: the mix slider, new pairs, swaps and random pairs', async ({ page }) => {
    const errors = trackPageErrors(page);
    await page.goto('/interpolation/');
    const root = page.locator('interpolation-widget');
    await waitReady(root);
    const slider = root.locator('input[type="range"][data-role="t"]');

    /** `n` pair changes: typed first digit, typed second digit, Swap, Random pair, in turn. */
    const pairs = (n: number) =>
      root.evaluate((el, count) => {
        const a = el.querySelector<HTMLInputElement>('[data-role="a"]')!;
        const b = el.querySelector<HTMLInputElement>('[data-role="b"]')!;
        const swap = el.querySelector<HTMLButtonElement>('[data-role="swap"]')!;
        const random = el.querySelector<HTMLButtonElement>('[data-role="random"]')!;
        for (let i = 0; i < count; i++) {
          const k = i % 4;
          if (k < 2) {
            const input = k === 0 ? a : b;
            input.value = String((i * 101) % 10_000);
            input.dispatchEvent(new Event('change', { bubbles: true }));
          } else (k === 2 ? swap : random).click();
        }
      }, n);

    // Warm-up.
    await pressKeys(slider, ['ArrowRight', 'ArrowLeft'], 4);
    await pairs(4);
    await settle(page);
    const before = await numTensors(page);
    const frames = await counter(root, 'frames');

    // 1,000 interactions: 600 slider key presses, 400 pair changes (each decodes both paths with both models).
    await pressKeys(slider, ['ArrowRight', 'ArrowRight', 'ArrowLeft', 'PageUp', 'End', 'Home'], 600);
    // The presses are drawn at most once per animation frame, so how many frames they make depends
    // on how fast they come; that they were drawn does not.
    await expect.poll(() => counter(root, 'frames'), { timeout: 30_000 }).toBeGreaterThan(frames + 20);
    await expect(root.locator('[data-role="t-text"]')).toHaveText(/^t = 0\.00$/); // the last press was Home
    const afterSlider = await counter(root, 'frames');
    await pairs(400);
    await settle(page);
    // The 400 changes come in one task, so each supersedes the one before while its chunks load:
    // the last pair is the one drawn, with both its digits named.
    await expect.poll(() => counter(root, 'frames'), { timeout: 30_000 }).toBeGreaterThan(afterSlider);
    await expect
      .poll(() => root.evaluate((el) => [0, 1].every((k) => new RegExp(`^Test digit #${el.querySelector<HTMLInputElement>(`[data-role="${'ab'[k]}"]`)!.value}(,|$)`).test(el.querySelector(`[data-role="${'ab'[k]}-img"]`)!.getAttribute('aria-label') ?? ''))))
      .toBe(true);
    await settle(page);
    expect(await numTensors(page)).toBe(before);
    await expect(root).toHaveAttribute('data-state', 'ready');
    expect(errors.map(String)).toEqual([]);
  });

  test('TrainLive: start/pause cycles and live setting changes while training', async ({ page }) => {
    const errors = trackPageErrors(page);
    await page.goto('/future-work/');
    const root = page.locator('train-live');
    await waitReady(root);
    const start = root.getByRole('button', { name: 'Start' });
    const pause = root.getByRole('button', { name: 'Pause' });

    /**
     * `n` start/pause cycles (a frame of training each) with `moves` batch-size and learning-rate
     * slider moves in each. The moves end where they started: the shared training step keeps a
     * small cache of constant tensors per batch size (src/models/math.ts, bounded — not a leak),
     * so training on new batch sizes would add entries and blur what this test measures.
     */
    const cycles = (n: number, moves: number) =>
      root.evaluate(
        async (el, [count, perCycle]) => {
          const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
          const start = el.querySelector<HTMLButtonElement>('[data-role="start"]')!;
          const pause = el.querySelector<HTMLButtonElement>('[data-role="pause"]')!;
          const sliders = [el.querySelector<HTMLInputElement>('[data-role="batch"]')!, el.querySelector<HTMLInputElement>('[data-role="lr"]')!];
          const initial = sliders.map((s) => s.value);
          const move = (s: HTMLInputElement, value: string) => {
            s.value = value;
            s.dispatchEvent(new Event('input', { bubbles: true }));
          };
          for (let i = 0; i < count; i++) {
            start.click();
            for (let j = 0; j < perCycle - 2; j++) {
              const s = sliders[j % 2]!;
              move(s, String(Number(s.min) + ((i + j) % (Number(s.max) - Number(s.min) + 1))));
            }
            sliders.forEach((s, k) => move(s, initial[k]!));
            await frame();
            pause.click();
            await frame();
          }
        },
        [n, moves] as const,
      );
    /** Pauses (if running) and waits until the widget is idle again. */
    const idle = async () => {
      if (await pause.isEnabled()) await pause.click();
      await expect(start).toBeEnabled();
      await settle(page);
    };

    // Warm-up: train past the first epoch's end (8,000 images, so a short last batch has been seen), with a couple of cycles.
    await start.click();
    await expect.poll(() => root.getAttribute('data-step').then(Number), { timeout: 30_000 }).toBeGreaterThan(80);
    await cycles(2, 4);
    await idle();
    const before = await numTensors(page);
    const step = Number(await root.getAttribute('data-step'));

    // 1,000 interactions: 25 × (Start, 38 batch-size and learning-rate moves, Pause).
    await cycles(25, 38);
    await idle();

    expect(Number(await root.getAttribute('data-step'))).toBeGreaterThan(step);
    // Pausing finishes the held-out evaluation asynchronously; the count must come back to where it was.
    await expect.poll(() => numTensors(page), { timeout: 15_000 }).toBe(before);
    await expect(root).toHaveAttribute('data-state', 'ready');
    expect(errors.map(String)).toEqual([]);
  });
});
