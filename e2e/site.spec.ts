/**
 * Site-level end-to-end tests: navigation, math, console, network, accessibility and theme, on the
 * production build (`astro build`, served by `astro preview`). Widgets are judged only through the
 * page as a reader meets it — no widget internals.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

/** The eight chapters, in reading order, with the title each page shows. */
const CHAPTERS = [
  { slug: 'introduction', title: 'Objective and introduction' },
  { slug: 'architectures', title: 'Model architectures' },
  { slug: 'training', title: 'Training' },
  { slug: 'latent-space', title: 'Latent space visualisation' },
  { slug: 'reconstruction', title: 'Reconstruction' },
  { slug: 'interpolation', title: 'Latent interpolation' },
  { slug: 'key-learnings', title: 'Key learnings' },
  { slug: 'future-work', title: 'Future work', label: '8 · Overview and the zoo' },
] as const;

/** The Future-work chapter's pages after its overview, one per experiment (`label`: the sidebar link's text). */
const FUTURE_WORK_PAGES = [
  { slug: 'future-work/bigger-codes', title: 'Future work: bigger codes', label: '8.1 · Bigger codes' },
  { slug: 'future-work/beta', title: 'Future work: β-VAE', label: '8.2 · β-VAE' },
  { slug: 'future-work/conditional', title: 'Future work: conditional VAE', label: '8.3 · Conditional VAE' },
  { slug: 'future-work/denoising', title: 'Future work: denoising autoencoder', label: '8.4 · Denoising' },
  { slug: 'future-work/attention', title: 'Future work: attention encoder', label: '8.5 · Attention encoder' },
] as const;

/**
 * The sidebar's Chapters group and the pages' prev/next order: the chapters, with the t-SNE lab
 * after the latent-space chapter and the Future-work pages after its overview.
 */
const READING_ORDER: readonly { slug: string; title: string; label?: string }[] = [
  ...CHAPTERS.slice(0, 4),
  { slug: 'tsne-lab', title: 't-SNE lab' },
  ...CHAPTERS.slice(4),
  ...FUTURE_WORK_PAGES,
];

/** Every page of the site: home, chapters (and the lab), and the reproduce page. */
const PAGES: { path: string; title: string; label?: string }[] = [
  { path: '/', title: 'Latent Atlas' },
  ...READING_ORDER.map((c) => ({ path: `/${c.slug}/`, title: c.title, label: c.label })),
  { path: '/reproduce/', title: 'Reproduce it' },
];

/** Chapters whose source contains display or inline math. */
const MATH_PAGES = ['/introduction/', '/architectures/', '/training/', '/latent-space/', '/tsne-lab/', '/interpolation/', '/future-work/beta/'];

type Theme = 'light' | 'dark';

/** What a page did while it was open: console errors, uncaught exceptions, every request URL. */
interface PageLog {
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
}

/** Starts recording console errors, uncaught errors and all requests of `page`. */
function record(page: Page): PageLog {
  const log: PageLog = { consoleErrors: [], pageErrors: [], requests: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') log.consoleErrors.push(`${msg.text()} @ ${msg.location().url}`);
  });
  page.on('pageerror', (err) => log.pageErrors.push(String(err)));
  page.on('request', (req) => log.requests.push(req.url()));
  return log;
}

/** Sets Starlight's stored theme before any script of the page runs. */
async function presetTheme(page: Page, theme: Theme): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
}

/** Scrolls through the whole page so that every lazily started widget starts, then lets it settle. */
async function scrollThrough(page: Page): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const step = Math.max(300, Math.floor((page.viewportSize()?.height ?? 720) * 0.8));
  for (let y = 0; y <= height; y += step) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(60);
  }
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForLoadState('networkidle');
}

/** Requests that left the site: anything not on the preview server's origin (data:/blob: are local). */
function offSite(requests: string[], origin: string): string[] {
  return requests.filter((url) => {
    if (url.startsWith('data:') || url.startsWith('blob:')) return false;
    return new URL(url).origin !== origin;
  });
}

test.describe('build output', () => {
  test('has the home page, the eight chapters and the reproduce page', () => {
    const dist = join(process.cwd(), 'dist');
    for (const { path, title } of PAGES) {
      const file = join(dist, path, 'index.html');
      expect(existsSync(file), `${file} exists`).toBe(true);
      expect(readFileSync(file, 'utf8'), `${file} has its title`).toContain(title);
    }
  });
});

test.describe('navigation', () => {
  test('every chapter and the reproduce page are reachable from the sidebar', async ({ page }) => {
    await page.goto('/introduction/');
    const sidebar = page.locator('#starlight__sidebar');
    for (const { path, title, label } of PAGES.slice(1)) {
      await sidebar.getByRole('link', { name: label ?? title }).click();
      await expect(page).toHaveURL(path);
      await expect(page.locator('h1').first()).toHaveText(title);
      await expect(sidebar.locator('a[aria-current="page"]')).toContainText(label ?? title);
    }
    await sidebar.getByRole('link', { name: 'Home' }).click();
    await expect(page).toHaveURL('/');
  });

  test('every page lists every chapter in its sidebar, in reading order', async ({ page }) => {
    for (const { path } of PAGES.slice(1)) {
      await page.goto(path);
      const hrefs = await page.locator('#starlight__sidebar a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(hrefs, path).toEqual(['/', ...READING_ORDER.map((c) => `/${c.slug}/`), '/reproduce/']);
    }
  });

  test('every chapter is reachable from the home page', async ({ page }) => {
    for (const { slug, title } of CHAPTERS) {
      await page.goto('/');
      await page.locator('main').getByRole('link', { name: new RegExp(title) }).first().click();
      await expect(page).toHaveURL(`/${slug}/`);
      await expect(page.locator('h1').first()).toHaveText(title);
    }
  });

  test('the home page hero leads into the chapters and to the reproduce page', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Start reading' }).click();
    await expect(page).toHaveURL('/introduction/');
    await page.goto('/');
    await page.getByRole('link', { name: 'Reproduce it' }).first().click();
    await expect(page).toHaveURL('/reproduce/');
  });

  test('chapters link to the next chapter in reading order', async ({ page }) => {
    for (let i = 0; i < READING_ORDER.length - 1; i++) {
      await page.goto(`/${READING_ORDER[i]!.slug}/`);
      await page.locator('.pagination-links a[rel="next"]').click();
      await expect(page).toHaveURL(`/${READING_ORDER[i + 1]!.slug}/`);
    }
  });

  test('no page links to a page that does not exist', async ({ page, request }) => {
    const seen = new Set<string>();
    for (const { path } of PAGES) {
      await page.goto(path);
      const hrefs = await page
        .locator('main a[href], #starlight__sidebar a[href]')
        .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const href of hrefs) {
        const url = new URL(href);
        if (url.origin !== new URL(page.url()).origin) continue;
        url.hash = '';
        seen.add(url.toString());
      }
    }
    for (const url of seen) {
      const res = await request.get(url);
      expect(res.status(), url).toBe(200);
    }
  });
});

test.describe('content', () => {
  test('the report is credited by its author’s name on the home and introduction pages', async ({ page }) => {
    for (const path of ['/', '/introduction/']) {
      await page.goto(path);
      await expect(page.locator('main')).toContainText('Dudekula Prathimabi');
    }
  });

  test('no page publishes contact details', async ({ page }) => {
    for (const { path } of PAGES) {
      await page.goto(path);
      const text = await page.locator('body').innerText();
      expect(text, path).not.toMatch(/[\w.+-]+@[\w-]+\.[a-z]{2,}/i);
      expect(await page.locator('a[href^="mailto:"], a[href^="tel:"]').count(), path).toBe(0);
    }
  });

  for (const path of MATH_PAGES) {
    test(`math on ${path} is typeset at build time, with MathML`, async ({ page }) => {
      await page.goto(path);
      const formulas = page.locator('main .katex');
      expect(await formulas.count()).toBeGreaterThan(0);
      // Every formula carries MathML (for assistive technology) and its TeX source.
      const withoutMathml = await formulas.evaluateAll(
        (els) => els.filter((el) => !el.querySelector('.katex-mathml math annotation[encoding="application/x-tex"]')).length,
      );
      expect(withoutMathml).toBe(0);
      expect(await page.locator('.katex-error').count()).toBe(0);
      // The KaTeX stylesheet applies and its fonts load from the site itself.
      const family = await formulas.first().evaluate((el) => getComputedStyle(el).fontFamily);
      expect(family).toContain('KaTeX_Main');
      const loaded = await page.evaluate(async () => {
        await document.fonts.ready;
        return [...document.fonts].filter((f) => f.family.includes('KaTeX') && f.status === 'loaded').length;
      });
      expect(loaded).toBeGreaterThan(0);
    });
  }

  test('every number quoted in the prose was read from the committed artifacts', async ({ page }) => {
    for (const { path } of PAGES) {
      await page.goto(path);
      const missing = await page.locator('main .num-missing').evaluateAll((els) => els.map((e) => e.getAttribute('title')));
      expect(missing, `${path}: numbers not computed`).toEqual([]);
    }
  });

  test('the key learnings quote the final test losses exactly as metrics.json records them', async ({ page }) => {
    const read = (file: string) => JSON.parse(readFileSync(join(process.cwd(), 'pretrained', file), 'utf8'));
    const ae = read('ae/metrics.json');
    const vae = read('vae/metrics.json');
    await page.goto('/key-learnings/');
    const quoted = await page.locator('main data.num').evaluateAll((els) =>
      els.map((e) => ({ value: Number(e.getAttribute('value')), source: e.getAttribute('title') ?? '' })),
    );
    const find = (source: string) => quoted.find((q) => q.source.includes(source))?.value;
    expect(find('ae/metrics.json → final.test.bce')).toBe(ae.final.test.bce);
    expect(find('vae/metrics.json → final.test.loss')).toBe(vae.final.test.loss);
    expect(find('vae/metrics.json → final.test.kl')).toBe(vae.final.test.kl);
    // The displayed text is the value rounded to one decimal.
    await expect(page.locator('main data.num', { hasText: ae.final.test.bce.toFixed(1) }).first()).toBeVisible();
  });

  test('the architectures chapter shows the loss, the KL divergence and the reparameterisation', async ({ page }) => {
    await page.goto('/architectures/');
    const tex = await page.locator('main .katex-display annotation').allTextContents();
    const all = tex.join('\n');
    expect(all).toMatch(/\\log\s*\\hat\{x\}_i/); // BCE
    expect(all).toMatch(/1 \+ \\log \\sigma_j\^2 - \\mu_j\^2 - \\sigma_j\^2/); // closed-form KL
    expect(all).toMatch(/z = \\mu \+ \\sigma \\odot \\varepsilon/); // reparameterisation trick
  });
});

test.describe('theme', () => {
  test('the theme select switches to dark and back, and the choice survives a reload', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/introduction/');
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-theme', 'light');
    const select = page.locator('starlight-theme-select select').filter({ visible: true }).first();

    await select.selectOption('dark');
    await expect(html).toHaveAttribute('data-theme', 'dark');
    const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.reload();
    await expect(html).toHaveAttribute('data-theme', 'dark');
    await expect(page.locator('starlight-theme-select select').filter({ visible: true }).first()).toHaveValue('dark');

    await page.locator('starlight-theme-select select').filter({ visible: true }).first().selectOption('light');
    await expect(html).toHaveAttribute('data-theme', 'light');
    const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(lightBg).not.toBe(darkBg);
    await page.goto('/training/');
    await expect(html).toHaveAttribute('data-theme', 'light');
  });

  test('“auto” follows the operating system’s colour scheme', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  });
});

for (const theme of ['light', 'dark'] as const) {
  test.describe(`every page, ${theme} theme`, () => {
    for (const { path } of PAGES) {
      test(`${path}: no console errors, no off-site requests, no serious axe violations`, async ({ page, baseURL }) => {
        const log = record(page);
        await presetTheme(page, theme);
        const response = await page.goto(path);
        expect(response?.status()).toBe(200);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await scrollThrough(page);

        const origin = new URL(baseURL!).origin;
        expect.soft(offSite(log.requests, origin), 'requests to other hosts').toEqual([]);
        expect.soft(log.consoleErrors, 'console errors').toEqual([]);
        expect.soft(log.pageErrors, 'uncaught errors').toEqual([]);

        const results = await new AxeBuilder({ page }).analyze();
        const serious = results.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        expect.soft(serious, 'serious or critical axe violations').toEqual([]);
      });
    }
  });
}
