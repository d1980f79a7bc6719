/**
 * JavaScript disabled (issue 7): every page still reads well — its text is there, and every
 * figure shows a static picture made at build time (a baked PNG from `npm run bake:figures`, or
 * build-time SVG) with a text alternative — and no empty boxes: no blank canvas, no control that
 * cannot work, no broken image.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';

/** Every page, with the widgets it places and the baked pictures each must show. */
const PAGES: { path: string; figures: Record<string, string[]> }[] = [
  { path: '/', figures: {} },
  { path: '/introduction/', figures: {} },
  { path: '/architectures/', figures: { ArchitectureDiagram: [] } },
  { path: '/training/', figures: { LossCurves: [] } },
  {
    path: '/latent-space/',
    figures: {
      LatentMap: ['latent-ae-tsne', 'latent-ae-umap', 'latent-ae-pca', 'latent-vae-tsne', 'latent-vae-umap', 'latent-vae-pca'],
      LatentExplorer: ['explorer-grid-ae', 'explorer-grid-vae'],
    },
  },
  { path: '/tsne-lab/', figures: { TsneLab: ['latent-vae-tsne'] } },
  { path: '/reconstruction/', figures: { Reconstruction: ['reconstruction'] } },
  { path: '/interpolation/', figures: { Interpolation: ['interpolation-ae', 'interpolation-vae'] } },
  { path: '/key-learnings/', figures: {} },
  // The in-page trainer has nothing to bake (it trains a fresh model); without JavaScript it says so in text.
  // The zoo table is numbers in the page; the β sweep draws build-time SVG (plot and latent map).
  { path: '/future-work/', figures: { TrainLive: [], ZooTable: [] } },
  // Bigger codes: baked reconstructions and traversals (build-time PNG), a latent map per code width (build-time SVG of its t-SNE map).
  { path: '/future-work/bigger-codes/', figures: { BiggerRecon: [], BiggerTraversal: [], LatentMap: [] } },
  { path: '/future-work/beta/', figures: { BetaSweep: ['explorer-grid-vae', 'reconstruction'] } },
  // The conditional VAE's ten digits for the default style are decoded at build time (inline SVG); the
  // denoising curve is build-time SVG.
  { path: '/future-work/conditional/', figures: { CvaeStyle: [] } },
  { path: '/future-work/denoising/', figures: { Denoise: [] } },
  { path: '/future-work/attention/', figures: { AttnAttention: [] } },
  { path: '/reproduce/', figures: {} },
];

/** A page in a browser context with JavaScript turned off. */
async function noJsPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  return context.newPage();
}

/** Scrolls every image into view and waits until each has loaded (or failed). */
async function loadImages(page: Page): Promise<void> {
  const images = page.locator('main img');
  for (let i = 0; i < (await images.count()); i++) {
    const img = images.nth(i);
    if (await img.isVisible()) await img.scrollIntoViewIfNeeded();
  }
  await page.waitForLoadState('networkidle');
}

for (const { path, figures } of PAGES) {
  test(`${path} reads well without JavaScript`, async ({ browser }) => {
    const page = await noJsPage(browser);
    const broken: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 400) broken.push(`${res.status()} ${res.url()}`);
    });
    await page.goto(path);

    // The text is all there.
    await expect(page.locator('main h1, h1#_top').first()).toBeVisible();
    const text = await page.locator('main').innerText();
    expect(text.length, 'words on the page').toBeGreaterThan(800);

    await loadImages(page);
    // Every visible image has loaded and has a text alternative.
    const images = await page.locator('main img').evaluateAll((els) =>
      els
        .filter((el) => (el as HTMLElement).offsetParent !== null)
        .map((el) => {
          const img = el as HTMLImageElement;
          return { src: img.currentSrc || img.src, alt: img.alt.trim(), loaded: img.complete && img.naturalWidth > 0 };
        }),
    );
    for (const img of images) {
      expect(img.loaded, `${img.src} loaded`).toBe(true);
      expect(img.alt.length, `${img.src} has alt text`).toBeGreaterThan(20);
    }

    // No empty boxes: no visible canvas (a canvas is blank without JavaScript) and no visible
    // form field that cannot work (buttons may stay as labels, e.g. a colour legend).
    const canvases = page.locator('main canvas');
    for (let i = 0; i < (await canvases.count()); i++) await expect(canvases.nth(i), 'a blank canvas').toBeHidden();
    const inert = page.locator('main [data-widget] :is(input, select, textarea):disabled');
    for (let i = 0; i < (await inert.count()); i++) await expect(inert.nth(i), 'a control that cannot work').toBeHidden();

    // Exactly the widgets this page places, each showing a picture made at build time.
    const widgets = page.locator('main [data-widget]');
    const names = await widgets.evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.widget!));
    expect([...new Set(names)].sort()).toEqual(Object.keys(figures).sort());
    // A page may place a widget more than once (bigger codes: a latent map per code width): each is checked.
    for (const [name, baked] of Object.entries(figures)) for (const root of await page.locator(`main [data-widget="${name}"]`).all()) {
      await expect(root, 'no script ran').toHaveAttribute('data-state', 'loading');
      for (const figure of baked) {
        const img = root.locator(`img[data-static-figure="${figure}"]`);
        await expect(img, `${name}: baked ${figure}`).toBeVisible();
        expect(await img.evaluate((el: HTMLImageElement) => el.naturalWidth > 0 && el.getAttribute('src')!.includes(`/pretrained/figures/${el.dataset.staticFigure}.png`))).toBe(true);
      }
      // A figure without baked PNGs draws build-time SVG with an accessible name.
      const pictures = root.locator('img:visible, svg[role="img"]:visible');
      if (name === 'ZooTable') await expect(root.locator('table tbody tr').first(), 'the zoo table lists its models').toBeVisible();
      else if (name !== 'TrainLive') expect(await pictures.count(), `${name} shows a static picture`).toBeGreaterThan(0);
      const svgs = root.locator('svg[role="img"]:visible');
      for (let i = 0; i < (await svgs.count()); i++) {
        const label = await svgs.nth(i).evaluate((el) => (el.getAttribute('aria-label') ?? el.querySelector('title')?.textContent ?? '').trim());
        expect(label.length, `${name}: svg text alternative`).toBeGreaterThan(10);
      }
      // The figure's caption is there to read.
      await expect(root.locator('figcaption').first()).toBeVisible();
    }
    expect(broken).toEqual([]);
    await page.context().close();
  });
}
