/**
 * The model zoo in the Future-work chapter, end to end on the production build and the committed
 * artifacts: the zoo table's numbers equal the files' (read here independently), sorting, links to
 * each model's figure, the β slider ringing a point and swapping the latent map, a zoo model's
 * embeddings missing or corrupt (that figure's alert, the rest of the page working), the KL bars,
 * accessibility in both themes, no foreign requests and the page without JavaScript.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  canvasPixels,
  committedJson,
  corrupt,
  expectFileAlert,
  missing,
  seriousAxeViolationsBothThemes,
  trackForeignRequests,
  trackPageErrors,
  waitReady,
} from './widget-helpers.ts';

/** The Future-work overview (the zoo table) and the experiments' own pages. */
const PAGE = '/future-work/';
const BETA_PAGE = '/future-work/beta/';
const BIGGER_PAGE = '/future-work/bigger-codes/';
/** Each Future-work page with a zoo figure, and the selectors of its figures. */
const FIGURE_PAGES: { path: string; figures: string[] }[] = [
  { path: PAGE, figures: ['[data-widget="ZooTable"]'] },
  { path: BIGGER_PAGE, figures: ['#zoo-bigger-codes'] },
  { path: BETA_PAGE, figures: ['[data-widget="BetaSweep"]'] },
  { path: '/future-work/conditional/', figures: ['#zoo-cvae'] },
  { path: '/future-work/denoising/', figures: ['#zoo-dae'] },
  { path: '/future-work/attention/', figures: ['#zoo-attn'] },
];

interface ZooEntry {
  id: string;
  kind: string;
  latentDim: number;
  beta: number | null;
  conditional: boolean;
}
interface Metrics {
  final: { test: { loss: number; bce: number; kl: number; activeDims?: number; klPerDim?: number[]; noisy?: { bce: number } } };
}
interface EmbeddingsFile {
  metrics: Record<string, { knnAccuracy?: number; trustworthiness?: number; trustworthinessLatent?: number }>;
}

/** The committed `pretrained/<path>` (from disk: not every one is served), or undefined when it is not committed. */
async function artifact<T>(_page: Page, path: string): Promise<T | undefined> {
  return committedJson<T>(path);
}

async function zoo(page: Page): Promise<ZooEntry[]> {
  const z = await artifact<{ models: ZooEntry[] }>(page, 'zoo.json');
  expect(z, 'pretrained/zoo.json is committed').toBeDefined();
  return z!.models;
}

const variational = (kind: string) => kind === 'vae' || kind === 'cvae' || kind === 'attn';
/** The β slider's models: 2-D unconditional VAEs with a β, sorted by β. */
const betaSteps = (models: ZooEntry[]) =>
  models.filter((m) => m.kind === 'vae' && m.latentDim === 2 && !m.conditional && m.beta !== null).sort((a, b) => a.beta! - b.beta!);
/** Moves a range input to `value` as a drag would (the element's value, then an input event). */
async function setSlider(slider: Locator, value: number): Promise<void> {
  await slider.evaluate((el: HTMLInputElement, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

/** The file the β figure reads a model's map from: its compact latent map if committed, else embeddings.json. */
async function mapFile(page: Page, id: string): Promise<string | undefined> {
  const manifest = (await artifact<{ files: Record<string, unknown> }>(page, 'manifest.json'))!;
  for (const f of [`${id}/compact/latent.bin`, `${id}/embeddings.json`]) if (manifest.files[f]) return f;
  return undefined;
}
/** The model the β slider starts on: the site's VAE (β = 1) when the zoo has it, else the first step. */
const all0 = (models: ZooEntry[]) => {
  const all = betaSteps(models);
  return (all.find((m) => m.beta === 1) ?? all[0])!.id;
};

/** The β steps whose map is committed (the slider can show them). */
async function shownSteps(page: Page): Promise<ZooEntry[]> {
  const ok: ZooEntry[] = [];
  for (const s of betaSteps(await zoo(page))) if (await mapFile(page, s.id)) ok.push(s);
  return ok;
}

test('the zoo table lists every model of zoo.json with the numbers of its artifacts', async ({ page, baseURL }) => {
  const foreign = trackForeignRequests(page, baseURL!);
  const errors = trackPageErrors(page);
  await page.goto(PAGE);
  const table = page.locator('[data-widget="ZooTable"]');
  await waitReady(table);
  const models = await zoo(page);
  await expect(table.locator('tbody tr')).toHaveCount(models.length);
  for (const m of models) {
    const row = table.locator(`tbody tr[data-model="${m.id}"]`);
    const cell = (col: string) => row.locator(`td[data-col="${col}"]`);
    const metrics = await artifact<Metrics>(page, `${m.id}/metrics.json`);
    const emb = await artifact<EmbeddingsFile>(page, `${m.id}/embeddings.json`);
    await expect(cell('d')).toHaveText(String(m.latentDim));
    const t = metrics?.final.test;
    await expect(cell('bce')).toHaveText(t ? t.bce.toFixed(2) : '—');
    if (variational(m.kind)) {
      await expect(cell('kl')).toHaveText(t ? t.kl.toFixed(2) : '—');
      await expect(cell('elbo')).toHaveText(t ? t.loss.toFixed(2) : '—');
      const active = t?.activeDims ?? t?.klPerDim?.filter((k) => k > 0.01).length;
      await expect(cell('active')).toHaveText(active === undefined ? '—' : String(active));
    } else {
      for (const col of ['kl', 'elbo', 'active']) await expect(cell(col)).toHaveText('n/a');
    }
    const knn = emb?.metrics.latent?.knnAccuracy;
    await expect(cell('knn')).toHaveText(knn === undefined ? '—' : `${(knn * 100).toFixed(1)}%`);
    const trust = emb?.metrics.tsne?.trustworthiness;
    await expect(cell('trust')).toHaveText(trust === undefined ? '—' : trust.toFixed(3));
    const trustCode = emb?.metrics.tsne?.trustworthinessLatent;
    await expect(cell('trustCode')).toHaveText(trustCode === undefined ? '—' : trustCode.toFixed(3));
    if (!metrics || !emb) await expect(row).toContainText('not trained yet');
  }
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});

test('the zoo table sorts by a column, both ways, by mouse and keyboard, and links each model to its figure', async ({ page }) => {
  await page.goto(PAGE);
  const table = page.locator('[data-widget="ZooTable"]');
  await waitReady(table);
  const header = table.locator('th[data-col="bce"]');
  const sorter = header.getByRole('button', { name: /Test BCE/ });
  const values = async () =>
    (await table.locator('tbody td[data-col="bce"]').evaluateAll((tds) => tds.map((td) => (td as HTMLElement).dataset.sort ?? ''))).filter((v) => v !== '').map(Number);
  await sorter.click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  const up = await values();
  expect(up).toEqual([...up].sort((a, b) => a - b));
  await sorter.focus();
  await page.keyboard.press('Enter');
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  const down = await values();
  expect(down).toEqual([...up].sort((a, b) => b - a));
  // Empty cells stay last either way.
  const last = await table.locator('tbody tr').last().locator('td[data-col="bce"]').textContent();
  if (up.length < (await table.locator('tbody tr').count())) expect(last).toBe('—');

  // Every link goes to the latent-space chapter or to a figure on its experiment's Future-work page.
  const hrefs = await table.locator('tbody th a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of hrefs) {
    const [path, hash] = href.split('#');
    if (path === '/latent-space/') continue;
    expect(FIGURE_PAGES.map((p) => p.path)).toContain(path);
    await page.goto(href);
    await expect(page.locator(`#${hash}`)).toHaveCount(1);
  }
});

test('the β slider rings each model on the rate–distortion plot and swaps the latent map to it', async ({ page, baseURL }) => {
  const foreign = trackForeignRequests(page, baseURL!);
  const errors = trackPageErrors(page);
  const steps = await shownSteps(page);
  expect(steps.length, 'committed β models with embeddings').toBeGreaterThan(1);
  await page.goto(BETA_PAGE);
  const widget = page.locator('[data-widget="BetaSweep"]');
  await waitReady(widget);
  const slider = widget.getByRole('slider', { name: /β of the model shown/ });
  const canvas = widget.locator('canvas.lm-canvas');
  const grid = widget.locator('canvas[data-role="grid"]');
  const recons = widget.locator('canvas[data-role="recon-output"]');
  await expect(canvas).toBeVisible();
  await expect(grid).toBeVisible();
  await expect(widget.locator('canvas[data-role="recon-input"]')).toBeVisible();
  await expect(widget.locator('svg.lm-static')).toBeHidden();
  // Only the starting model's decoder has been fetched: the others wait for the slider.
  const decoders = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /\/compact\/decoder\/weights\.bin$/.test(n)));
  expect(decoders.map((u) => new URL(u).pathname.replace(/^.*\/pretrained\//, ''))).toEqual([`${all0(await zoo(page))}/compact/decoder/weights.bin`]);
  // Every point of the plot is a model of the sweep (or the AE), and the starting one is ringed.
  const start = Number(await slider.inputValue());
  const all = betaSteps(await zoo(page));
  await expect(widget.locator('.zoo-rd g.is-current')).toHaveCount(1);
  await expect(widget.locator('.zoo-rd g.is-current')).toHaveAttribute('data-model', all[start]!.id);

  // Walk the slider with the keyboard to each end; each step rings its point and shows its map.
  await slider.focus();
  let homeMap = '';
  for (const key of ['Home', 'End'] as const) {
    const target = key === 'Home' ? all[0]! : all.at(-1)!;
    if (!steps.some((s) => s.id === target.id)) continue;
    const before = await canvasPixels(canvas);
    const [gridBefore, reconBefore] = [await canvasPixels(grid), await canvasPixels(recons)];
    await page.keyboard.press(key);
    await expect(slider).toHaveAttribute('aria-valuetext', `β = ${target.beta} (${target.id})`);
    await expect(widget.locator('.zoo-rd g.is-current')).toHaveAttribute('data-model', target.id);
    await expect(widget).toHaveAttribute('data-model', target.id);
    await expect(widget.locator('.lm-panel')).toHaveAttribute('data-model', target.id);
    await expect(widget.locator('.lm-title')).toContainText(target.id);
    await expect(widget.locator('output.zoo-beta-readout')).toContainText(`β = ${target.beta} (${target.id})`);
    await expect.poll(() => canvasPixels(canvas)).not.toBe(before);
    if (key === 'Home') homeMap = await canvasPixels(canvas);
    // The manifold and the reconstructions are that model's too.
    await expect(grid).toHaveAttribute('data-model', target.id);
    await expect(recons).toHaveAttribute('data-model', target.id);
    await expect.poll(() => canvasPixels(grid)).not.toBe(gridBefore);
    await expect.poll(() => canvasPixels(recons)).not.toBe(reconBefore);
    await expect(widget.locator('[data-role="recon-bce"]')).toContainText(`${target.id} reconstructs`);
    await expect(widget.locator('[data-role="recon-list"] li')).toHaveCount(10);
    await expect(widget).toHaveAttribute('data-state', 'ready');
  }
  // A model seen before comes from the page's cache: back to the start, nothing fetched again.
  const fetched = () => page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/compact/decoder/')).length);
  const count = await fetched();
  await page.keyboard.press('Home');
  await expect(grid).toHaveAttribute('data-model', all[0]!.id);
  expect(await fetched()).toBe(count);
  // …and its map, kept fitted while another model was shown, is the same picture as before.
  if (homeMap) await expect.poll(() => canvasPixels(canvas)).toBe(homeMap);
  // The manifold grid decodes within its budget on this machine (a sanity bound, not the benchmark).
  const ms = await widget.evaluate((el) => (el as unknown as { drawGrid(): number }).drawGrid());
  expect(ms).toBeGreaterThan(0);
  // A model's quality line is that model's own.
  const shown = (await widget.getAttribute('data-model'))!;
  const emb = await artifact<EmbeddingsFile>(page, `${shown}/embeddings.json`);
  await expect(widget.locator('.lm-quality')).toContainText(`${(emb!.metrics.latent!.knnAccuracy! * 100).toFixed(1)}%`);
  // Hover a point in the swapped map: the tooltip names a digit.
  await canvas.focus();
  await page.keyboard.press('Enter');
  await expect(widget.locator('.lm-tip')).toContainText(/Digit \d/);
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});

for (const fault of ['missing', 'corrupt'] as const) {
  test(`a zoo model's map file ${fault}: the β figure alerts, the rest of the page works, and the slider recovers`, async ({ page }) => {
    const errors = trackPageErrors(page);
    const steps = await shownSteps(page);
    expect(steps.length, 'committed β models with embeddings').toBeGreaterThan(1);
    await page.goto(BETA_PAGE);
    const widget = page.locator('[data-widget="BetaSweep"]');
    const slider = widget.getByRole('slider', { name: /β of the model shown/ });
    const all = betaSteps(await zoo(page));
    const start = all[Number(await slider.getAttribute('value'))]!;
    const victim = steps.find((s) => s.id !== start.id)!;
    const path = (await mapFile(page, victim.id))!;
    if (fault === 'corrupt') await corrupt(page, `**/pretrained/${path}`, { divisor: 3, mask: 0x01 });
    else await missing(page, `**/pretrained/${path}`);
    await waitReady(widget);
    await setSlider(slider, all.findIndex((m) => m.id === victim.id));
    await expectFileAlert(widget, path, fault);
    // The rest of the figure works: the rate–distortion plot stays and its readout follows the slider.
    await expect(widget.locator('svg.zoo-rd')).toBeVisible();
    await expect(widget.locator('.zoo-beta-readout')).toContainText(String(victim.beta));
    // Back to a good model: the map returns and the alert goes.
    await setSlider(slider, all.findIndex((m) => m.id === start.id));
    await expect(widget).toHaveAttribute('data-state', 'ready');
    await expect(widget.getByRole('alert')).toBeHidden();
    await expect(widget).toHaveAttribute('data-model', start.id);
    expect(errors).toEqual([]);
  });
}

for (const fault of ['missing', 'corrupt'] as const) {
  test(`a zoo model's decoder ${fault}: the β figure alerts, the plot still follows, and it recovers on a good model`, async ({ page }) => {
    const errors = trackPageErrors(page);
    const steps = await shownSteps(page);
    await page.goto(BETA_PAGE);
    const widget = page.locator('[data-widget="BetaSweep"]');
    const slider = widget.getByRole('slider', { name: /β of the model shown/ });
    const all = betaSteps(await zoo(page));
    const start = all[Number(await slider.getAttribute('value'))]!;
    const victim = steps.find((s) => s.id !== start.id)!;
    const path = `${victim.id}/compact/decoder/weights.bin`;
    if (fault === 'corrupt') await corrupt(page, `**/pretrained/${path}`);
    else await missing(page, `**/pretrained/${path}`);
    await waitReady(widget);
    await setSlider(slider, all.findIndex((m) => m.id === victim.id));
    await expectFileAlert(widget, path, fault);
    await expect(widget.locator('svg.zoo-rd g.is-current')).toHaveAttribute('data-model', victim.id);
    // The rest of the page works: the zoo's other figures on it are untouched.
    await expect(page.locator('[data-state="error"]')).toHaveCount(1);
    await setSlider(slider, all.findIndex((m) => m.id === start.id));
    await expect(widget).toHaveAttribute('data-state', 'ready');
    await expect(widget.getByRole('alert')).toBeHidden();
    await expect(widget.locator('canvas[data-role="grid"]')).toHaveAttribute('data-model', start.id);
    await expect(widget.locator('canvas[data-role="recon-output"]')).toHaveAttribute('data-model', start.id);
    expect(errors).toEqual([]);
  });
}

test('the first model’s map missing: the β figure alerts at once and keeps its static picture', async ({ page }) => {
  const all = betaSteps(await zoo(page));
  const first = (all.find((m) => m.beta === 1) ?? all[0])!.id;
  const path = (await mapFile(page, first))!;
  await missing(page, `**/pretrained/${path}`);
  await page.goto(BETA_PAGE);
  const widget = page.locator('[data-widget="BetaSweep"]');
  await expect(widget.locator('.lm-panel')).toHaveAttribute('data-model', first);
  await expectFileAlert(widget, path, 'missing');
  await expect(widget.locator('svg.zoo-rd')).toBeVisible();
  await expect(widget.locator('svg.lm-static')).toBeVisible();
});

test('the KL bars show every dimension of the bigger VAEs, with the measured active count', async ({ page }) => {
  await page.goto(BIGGER_PAGE);
  const models = (await zoo(page)).filter((m) => m.kind === 'vae' && m.beta === 1 && !m.conditional && m.latentDim > 2);
  const fig = page.locator('#zoo-bigger-codes');
  for (const m of models) {
    const metrics = await artifact<Metrics>(page, `${m.id}/metrics.json`);
    const chart = fig.locator(`figure[data-model="${m.id}"]`);
    const kl = metrics?.final.test.klPerDim;
    if (!kl) {
      await expect(chart).toContainText('not');
      continue;
    }
    await expect(chart.locator('rect.zoo-bar')).toHaveCount(m.latentDim);
    const active = metrics.final.test.activeDims ?? kl.filter((k) => k > 0.01).length;
    await expect(chart.locator('rect.zoo-bar:not(.is-inactive)')).toHaveCount(kl.filter((k) => k > 0.01).length);
    await expect(chart.locator('figcaption')).toContainText(`${active} of ${m.latentDim} dimensions active`);
  }
});

for (const { path, figures } of FIGURE_PAGES) {
  test(`the zoo figures on ${path} have no serious accessibility violations, light or dark`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(path);
    if (path === PAGE) await waitReady(page.locator('[data-widget="ZooTable"]'));
    if (path === BETA_PAGE) {
      const beta = page.locator('[data-widget="BetaSweep"]');
      if ((await shownSteps(page)).length > 0) await waitReady(beta);
      for (const summary of await beta.locator('details summary').all()) await summary.click();
    }
    // One audit per theme over the page's zoo figures (axe is slow on the maps' many dots).
    expect(await seriousAxeViolationsBothThemes(page, figures.join(', '))).toEqual([]);
  });
}

test('reads without JavaScript: the table, the plots and a static latent map; no controls', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  const table = page.locator('[data-widget="ZooTable"]');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expect(table.locator('th button')).toHaveCount(0);
  await page.goto(BETA_PAGE);
  const beta = page.locator('[data-widget="BetaSweep"]');
  await expect(beta.locator('svg.zoo-rd')).toBeVisible();
  await expect(beta.locator('svg.zoo-rd')).toHaveAccessibleName(/Rate–distortion plot/);
  await expect(beta.getByRole('slider')).toBeHidden();
  if ((await beta.locator('svg.lm-static').count()) > 0) await expect(beta.locator('svg.lm-static')).toBeVisible();
  // The starting model's baked manifold and reconstructions stand in for the live canvases.
  for (const name of ['explorer-grid-vae', 'reconstruction']) {
    const img = beta.locator(`img[data-static-figure="${name}"]`);
    await img.scrollIntoViewIfNeeded();
    await expect(img).toBeVisible();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  }
  await expect(beta.locator('canvas[data-role="grid"]')).toBeHidden();
  await page.goto(BIGGER_PAGE);
  await expect(page.locator('#zoo-bigger-codes')).toBeVisible();
  await context.close();
});
