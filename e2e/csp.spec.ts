/**
 * Content-Security-Policy (issue 7): every page carries a policy that allows only the site
 * itself (plus `'wasm-unsafe-eval'` for TF.js' WebAssembly), and nothing on the site breaks under
 * it — visiting every page and exercising every widget raises no `securitypolicyviolation` event
 * and no CSP console error, and every widget reaches `ready`.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { trackPageErrors, waitReady } from './widget-helpers.ts';

/** Every page of the site. */
const PAGES = ['/', '/introduction/', '/architectures/', '/training/', '/latent-space/', '/tsne-lab/', '/reconstruction/', '/interpolation/', '/key-learnings/', '/future-work/', '/future-work/bigger-codes/', '/future-work/beta/', '/future-work/conditional/', '/future-work/denoising/', '/future-work/attention/', '/reproduce/'];

/** The policy of an HTML document, from its `<meta http-equiv="content-security-policy">`, as directive → sources. */
function parsePolicy(html: string): { policy: Map<string, string[]>; metaAt: number } {
  const match = /<meta\s+http-equiv="content-security-policy"\s+content="([^"]*)"\s*\/?>/i.exec(html);
  expect(match, 'a CSP <meta> tag').not.toBeNull();
  const policy = new Map<string, string[]>();
  for (const part of match![1]!.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) policy.set(name.toLowerCase(), sources);
  }
  return { policy, metaAt: match!.index };
}

test('every page has a site-only policy in a <meta> tag ahead of any script or stylesheet', async ({ request }) => {
  for (const path of PAGES) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    const html = await res.text();
    const { policy, metaAt } = parsePolicy(html);
    // A <meta> policy only governs what comes after it: whatever precedes it must be the site's own.
    const before = html.slice(0, metaAt);
    for (const [, url] of before.matchAll(/\s(?:src|href)="([^"]*)"/gi)) expect(url, `${path}: ${url} ahead of the policy`).toMatch(/^\/(?!\/)/);

    expect(policy.get('default-src'), path).toEqual(["'self'"]);
    const script = policy.get('script-src') ?? [];
    expect(script, path).toContain("'self'");
    expect(script, path).toContain("'wasm-unsafe-eval'");
    expect(script, path).not.toContain("'unsafe-eval'");
    expect(script, path).not.toContain("'unsafe-inline'");
    // Inline scripts are allowed by hash only.
    for (const s of script) expect(s, path).toMatch(/^'(self|wasm-unsafe-eval|sha(256|384|512)-[A-Za-z0-9+/=]+)'$/);
    expect(policy.get('object-src'), path).toEqual(["'none'"]);
    expect(policy.get('base-uri'), path).toEqual(["'self'"]);
    // No directive names a remote host, a scheme wildcard or `*`.
    for (const [name, sources] of policy) {
      for (const s of sources) {
        expect(s, `${path} ${name}`).not.toMatch(/^(\*|https?:|wss?:|\/\/)|\.[a-z]{2,}(:\d+)?(\/|$)/i);
        expect(s, `${path} ${name}`).not.toBe("'unsafe-eval'");
      }
    }
    // Styles: <style> elements by hash; only style="" attributes are relaxed.
    const style = policy.get('style-src') ?? [];
    expect(style, path).not.toContain("'unsafe-inline'");
  }
});

/** Records CSP violations (as the page sees them) and CSP console errors. */
async function recordViolations(page: Page): Promise<{ console: string[]; events: () => Promise<string[]> }> {
  await page.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = list;
    document.addEventListener('securitypolicyviolation', (e) => list.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`));
  });
  const consoleErrors: string[] = [];
  page.on('console', (msg) => {
    if (/content[ -]security[ -]policy|refused to (load|execute|apply|compile|connect|create)/i.test(msg.text())) consoleErrors.push(msg.text());
  });
  return {
    console: consoleErrors,
    events: () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations ?? []),
  };
}

/** Presses `key` `n` times on a focused element. */
async function press(target: Locator, key: string, n: number): Promise<void> {
  await target.focus();
  for (let i = 0; i < n; i++) await target.page().keyboard.press(key);
}

/** A vertical stroke on a drawing pad, as a mouse would draw it. */
async function stroke(page: Page, pad: Locator): Promise<void> {
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.8, { steps: 6 });
  await page.mouse.up();
}

/** One light use of each widget, touching its every code path that could trip the policy. */
const EXERCISE: Record<string, (root: Locator, page: Page) => Promise<void>> = {
  ArchitectureDiagram: async (root) => {
    await root.locator('button[data-layer]').first().focus();
    await root.locator('svg g[data-layer]').first().hover();
  },
  LossCurves: async (root, page) => {
    const svg = root.locator('.lc-panel .lc-plot svg').first();
    await svg.scrollIntoViewIfNeeded();
    const box = (await svg.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(root.locator('.lc-tip').first()).toBeVisible();
  },
  LatentMap: async (root) => {
    // A map of wider zoo codes has no raw view: use the views the figure offers.
    for (const m of ['tsne', 'umap', 'pca', 'latent']) {
      const view = root.locator(`input.lm-method[value="${m}"]`);
      if ((await view.count()) > 0) await view.check();
    }
    await root.locator('button.lm-class[data-digit="3"]').click();
    await root.locator('button.lm-zoom-in').first().click();
    const canvas = root.locator('canvas').first();
    await canvas.hover();
  },
  LatentExplorer: async (root, page) => {
    const plane = root.locator('.lx-panel[data-model="vae"] [data-role="plane"]');
    await plane.scrollIntoViewIfNeeded();
    const box = (await plane.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await press(plane, 'ArrowRight', 5);
    await root.locator('.lx-panel[data-model="ae"] [data-role="grid"]').click();
  },
  Reconstruction: async (root, page) => {
    await root.getByRole('button', { name: 'Shuffle' }).click();
    await root.getByRole('button', { name: 'Next' }).click();
    await stroke(page, root.locator('[data-role="pad"]'));
    await expect(root.locator('[data-role="d-ae-text"]')).toHaveText(/^BCE \d/);
  },
  // The model zoo's figures (issue 12): each loads its models, decodes, and draws.
  BiggerRecon: async (root, page) => {
    await root.getByRole('button', { name: 'Next' }).click();
    await expect(root.locator('[data-role="live"]')).toContainText('BCE', { timeout: 60_000 }); // the six models are loaded
    await stroke(page, root.locator('[data-role="pad"]'));
    await expect(root.locator('[data-role="live"]')).toContainText('Your drawing: BCE');
  },
  BiggerTraversal: async (root) => {
    await press(root.getByRole('slider'), 'ArrowRight', 3);
    await root.getByRole('button', { name: 'Next' }).click();
  },
  CvaeStyle: async (root, page) => {
    await press(root.locator('[data-role="plane"]'), 'ArrowRight', 3);
    await root.getByRole('button', { name: 'Next' }).click();
    await stroke(page, root.locator('[data-role="pad"]'));
    await root.getByRole('combobox', { name: 'It is a' }).selectOption('1');
  },
  Denoise: async (root) => {
    await press(root.getByRole('slider', { name: /Noise σ/ }), 'ArrowRight', 3);
    await root.getByRole('button', { name: 'New noise' }).click();
    await root.getByRole('button', { name: 'Next' }).click();
  },
  AttnAttention: async (root) => {
    await root.getByRole('radio', { name: 'Head 2' }).check();
    await root.getByRole('button', { name: 'Next' }).click();
    await expect(root.locator('[data-role="attn-text"]')).toContainText(/BCE \d/);
  },
  TrainLive: async (root) => {
    const progress = root.locator('[data-role="progress"]');
    const before = await progress.textContent();
    await root.getByRole('button', { name: 'Start' }).click();
    await expect(progress).not.toHaveText(before!);
    await root.getByRole('button', { name: 'Pause' }).click();
  },
  TsneLab: async (root) => {
    // A short run to the end: the worker starts (worker-src 'self'), the map draws and is scored.
    await root.locator('[data-role="size"]').selectOption('1000');
    await root.locator('[data-role="iterations"]').fill('60');
    await root.getByRole('button', { name: 'Start', exact: true }).click();
    await expect(root).toHaveAttribute('data-run', 'done', { timeout: 60_000 });
    await root.locator('canvas').first().hover();
  },
  ZooTable: async (root) => {
    await root.locator('th[data-col="bce"] button').click();
    await expect(root.locator('th[data-col="bce"]')).toHaveAttribute('aria-sort', 'ascending');
  },
  BetaSweep: async (root) => {
    // Swap the map to the next β model (its embeddings are fetched and verified), then hover it.
    const model = await root.getAttribute('data-model');
    await press(root.getByRole('slider'), 'ArrowRight', 1);
    await expect(root).not.toHaveAttribute('data-model', model!);
    await root.locator('canvas').first().hover();
  },
  Interpolation: async (root) => {
    await press(root.locator('input[type="range"][data-role="t"]'), 'ArrowRight', 10);
    await root.getByRole('button', { name: 'Random pair' }).click();
  },
};

for (const path of PAGES) {
  test(`${path}: every widget reaches ready and is used with no CSP violation`, async ({ page }) => {
    const violations = await recordViolations(page);
    const errors = trackPageErrors(page);
    await page.goto(path);
    const widgets = page.locator('[data-widget]');
    const names = await widgets.evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.widget!));
    for (const [i, name] of names.entries()) {
      const root = widgets.nth(i);
      await waitReady(root);
      const exercise = EXERCISE[name];
      expect(exercise, `an exercise for ${name}`).toBeDefined();
      await exercise!(root, page);
      await expect(root).toHaveAttribute('data-state', 'ready');
      // The models run on WebAssembly, compiled under 'wasm-unsafe-eval' — no silent fallback
      // (or, on the denoising page, in plain JavaScript by design: no ML runtime is loaded there).
      const backend = root.locator('[data-role="backend"]');
      if ((await backend.count()) > 0) {
        await expect(backend).toContainText(/Running on WebAssembly|Runs in plain JavaScript/);
        await expect(backend).not.toContainText('Fallback');
      }
    }
    // Let deferred work (fonts, lazy images, animation frames) happen before counting.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => document.fonts.ready);
    expect(await violations.events(), path).toEqual([]);
    expect(violations.console, path).toEqual([]);
    expect(errors.map(String), path).toEqual([]);
  });
}
