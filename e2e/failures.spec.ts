/**
 * Failure handling in the browser (issue 7): artifacts that are missing, corrupt or of the wrong
 * shape, and a browser without WebAssembly. Every failure must end in the affected widget's
 * `data-state="error"` with a `role="alert"` that says what is wrong, while the other widgets on
 * the page still reach `ready` and nothing throws an uncaught error.
 *
 * Faults are injected with `page.route()` on the real build; nothing in the site is mocked.
 * Not repeated here: metrics.json faults (loss-curves.spec.ts); a corrupt or missing digit chunk in
 * the reconstruction, the WebAssembly API deleted, swapped AE models (the widget specs). The
 * widgets read the compact artifacts of issue 11 (`pretrained/<model>/compact/`, `digits/`).
 */
import { createHash } from 'node:crypto';
import { expect, test, type Locator, type Page, type Route } from '@playwright/test';
import { trackPageErrors, waitError, waitReady } from './widget-helpers.ts';

/** How the tests break one artifact. */
type Fault = '404' | 'flip';

/** Serves `pretrained/<path>` broken: a 404, or the real file with a few bytes flipped (same size). */
async function breakArtifact(page: Page, path: string, fault: Fault): Promise<void> {
  await page.route(`**/pretrained/${path}`, async (route: Route) => {
    if (fault === '404') return route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' });
    const res = await route.fetch();
    const body = Buffer.from(await res.body());
    for (let i = 0; i < 8; i++) body[Math.floor((body.length * (i + 1)) / 10)]! ^= 0x5a;
    return route.fulfill({ response: res, body });
  });
}

/** Waits for a widget's error state and returns its alert (which must be inside the root and visible). */
async function expectError(root: Locator): Promise<Locator> {
  await waitError(root);
  const alert = root.locator('[role="alert"]');
  await expect(alert).toHaveCount(1);
  await expect(alert).toBeVisible();
  return alert;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** One weight entry of a TF.js `model.json` (maybe quantized: 1 or 2 bytes per value). */
interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16' };
}

const bytesPerValue = (w: WeightSpec) => (w.quantization ? (w.quantization.dtype === 'uint8' ? 1 : 2) : 4);

/**
 * Serves a VAE decoder that takes a 3-D latent code instead of 2-D — a well-formed TF.js model of
 * the wrong shape — with a manifest whose sha256 and sizes match the altered files, so the
 * checksum passes and only the runtime's shape check can catch it.
 */
async function serveWrongShapeDecoder(page: Page, baseURL: string): Promise<void> {
  const dir = 'vae/compact/decoder';
  const get = async (path: string) => {
    const res = await page.request.get(`${baseURL}/pretrained/${path}`);
    expect(res.ok(), path).toBe(true);
    return Buffer.from(await res.body());
  };
  const json = JSON.parse((await get(`${dir}/model.json`)).toString('utf8'));
  const group = json.weightsManifest[0] as { paths: string[]; weights: WeightSpec[] };
  const binPath = `${dir}/${group.paths[0]}`;
  const bin = await get(binPath);

  // Rewrite the topology: input z is [null, 3]; the first Dense kernel is [3, 128] (a zero row added).
  const input = json.modelTopology.config.layers.find((l: { class_name: string }) => l.class_name === 'InputLayer');
  expect(input.config.batch_input_shape).toEqual([null, 2]);
  input.config.batch_input_shape = [null, 3];
  const parts: Buffer[] = [];
  let offset = 0;
  for (const w of group.weights) {
    const size = bytesPerValue(w) * w.shape.reduce((a, b) => a * b, 1);
    parts.push(bin.subarray(offset, offset + size));
    offset += size;
    if (w.name.endsWith('/kernel') && w.shape[0] === 2) {
      parts.push(Buffer.alloc(bytesPerValue(w) * w.shape[1]!));
      w.shape = [3, w.shape[1]!];
    }
  }
  expect(offset).toBe(bin.length);
  const newBin = Buffer.concat(parts);
  const newJson = Buffer.from(JSON.stringify(json));

  const manifest = JSON.parse((await get('manifest.json')).toString('utf8')) as { files: Record<string, { sha256: string; bytes: number }> };
  manifest.files[`${dir}/model.json`] = { sha256: sha256(newJson), bytes: newJson.length };
  manifest.files[binPath] = { sha256: sha256(newBin), bytes: newBin.length };

  await page.route('**/pretrained/manifest.json', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(manifest) }));
  await page.route(`**/pretrained/${dir}/model.json`, (r) => r.fulfill({ status: 200, contentType: 'application/json', body: newJson }));
  await page.route(`**/pretrained/${binPath}`, (r) => r.fulfill({ status: 200, contentType: 'application/octet-stream', body: newBin }));
}

test.describe('model weights that cannot be used', () => {
  test('missing AE decoder weights (404): the explorer says which file is missing; the latent map still works', async ({ page }) => {
    const errors = trackPageErrors(page);
    await breakArtifact(page, 'ae/compact/decoder/weights.bin', '404');
    await page.goto('/latent-space/');
    await waitReady(page.locator('latent-map'));
    const alert = await expectError(page.locator('latent-explorer'));
    await expect(alert).toContainText('ae/compact/decoder/weights.bin');
    await expect(alert).toContainText(/HTTP 404|not found/);
    // The rest of the page keeps working: the map still switches projections.
    await page.locator('latent-map input.lm-method[value="pca"]').check();
    await expect(page.locator('latent-map')).toHaveAttribute('data-method', 'pca');
    expect(errors.map(String)).toEqual([]);
  });

  test('corrupt VAE decoder weights (bytes flipped): the interpolation reports a failed checksum', async ({ page }) => {
    const errors = trackPageErrors(page);
    await breakArtifact(page, 'vae/compact/decoder/weights.bin', 'flip');
    await page.goto('/interpolation/');
    const alert = await expectError(page.locator('interpolation-widget'));
    await expect(alert).toContainText('vae/compact/decoder/weights.bin');
    await expect(alert).toContainText(/checksum|corrupt/i);
    expect(errors.map(String)).toEqual([]);
  });

  test('corrupt AE model.json: the explorer reports it; the latent map still reaches ready', async ({ page }) => {
    const errors = trackPageErrors(page);
    await breakArtifact(page, 'ae/compact/decoder/model.json', 'flip');
    await page.goto('/latent-space/');
    await waitReady(page.locator('latent-map'));
    const alert = await expectError(page.locator('latent-explorer'));
    await expect(alert).toContainText('ae/compact/decoder/model.json');
    await expect(alert).toContainText(/checksum|corrupt/i);
    expect(errors.map(String)).toEqual([]);
  });

  for (const [path, widget] of [
    ['/interpolation/', 'interpolation-widget'],
    ['/reconstruction/', 'reconstruction-widget'],
  ] as const) {
    test(`a VAE decoder of the wrong shape (checksums made to match) is caught by the shape check on ${path}`, async ({ page, baseURL }) => {
      const errors = trackPageErrors(page);
      await serveWrongShapeDecoder(page, baseURL!);
      await page.goto(path);
      const alert = await expectError(page.locator(widget));
      await expect(alert).toContainText('vae/compact/decoder/model.json');
      await expect(alert).toContainText('wrong shape');
      await expect(alert).toContainText('[null, 3]');
      await expect(alert).not.toContainText(/checksum/i);
      expect(errors.map(String)).toEqual([]);
    });
  }
});

test.describe('test data that cannot be used', () => {
  test('missing AE embeddings: the latent map reports it; the explorer still decodes (without context dots)', async ({ page }) => {
    const errors = trackPageErrors(page);
    await breakArtifact(page, 'ae/compact/latent.bin', '404');
    await page.goto('/latent-space/');
    const alert = await expectError(page.locator('latent-map'));
    await expect(alert).toContainText('ae/compact/latent.bin');
    await expect(alert).toContainText(/HTTP 404|not found/);
    const explorer = page.locator('latent-explorer');
    await waitReady(explorer);
    await expect(explorer.locator('[data-role="status"]')).toContainText('not available');
    expect(errors.map(String)).toEqual([]);
  });

  test('corrupt VAE embeddings: the latent map reports a failed checksum', async ({ page }) => {
    const errors = trackPageErrors(page);
    await breakArtifact(page, 'vae/compact/latent.bin', 'flip');
    await page.goto('/latent-space/');
    const alert = await expectError(page.locator('latent-map'));
    await expect(alert).toContainText('vae/compact/latent.bin');
    await expect(alert).toContainText(/checksum|corrupt/i);
    await waitReady(page.locator('latent-explorer'));
    expect(errors.map(String)).toEqual([]);
  });

  test('corrupt chunk of test digits: the interpolation, which needs it, reports a failed checksum', async ({ page }) => {
    const errors = trackPageErrors(page);
    await breakArtifact(page, 'digits/000.png', 'flip');
    await page.goto('/interpolation/');
    const alert = await expectError(page.locator('interpolation-widget'));
    await expect(alert).toContainText('digits/000.png');
    await expect(alert).toContainText(/checksum|corrupt/i);
    expect(errors.map(String)).toEqual([]);
  });

  test('a missing chunk fetched on demand: the interpolation shows the alert when the reader picks a digit in it', async ({ page }) => {
    const errors = trackPageErrors(page);
    await breakArtifact(page, 'digits/042.png', '404');
    await page.goto('/interpolation/');
    const root = page.locator('interpolation-widget');
    await waitReady(root);
    const a = root.locator('[data-role="a"]');
    await a.fill('4242');
    await a.press('Enter');
    const alert = await expectError(root);
    await expect(alert).toContainText('digits/042.png');
    await expect(alert).toContainText(/HTTP 404|not found/);
    expect(errors.map(String)).toEqual([]);
  });

  test('a truncated quantized decoder: the interpolation reports the size mismatch', async ({ page }) => {
    const errors = trackPageErrors(page);
    await page.route('**/pretrained/ae/compact/decoder/weights.bin', async (route) => {
      const res = await route.fetch();
      const body = Buffer.from(await res.body());
      return route.fulfill({ response: res, body: body.subarray(0, body.length - 100) });
    });
    await page.goto('/interpolation/');
    const alert = await expectError(page.locator('interpolation-widget'));
    await expect(alert).toContainText('ae/compact/decoder/weights.bin');
    await expect(alert).toContainText(/truncated/);
    expect(errors.map(String)).toEqual([]);
  });
});

test.describe('WebAssembly blocked', () => {
  /** The backend the page's runtime chose, via the test hook (src/lib/runtime.ts). */
  const backendOf = (page: Page) =>
    page.evaluate(async () => {
      const hook = (window as unknown as { __latentAtlas: { backend(): Promise<{ name: string; fallbackReason?: string }> } }).__latentAtlas;
      const info = await hook.backend();
      return { name: info.name, reason: info.fallbackReason ?? '' };
    });

  test('the wasm binaries cannot be fetched: the runtime falls back and names the failure', async ({ page }) => {
    const errors = trackPageErrors(page);
    const wasmRequests: string[] = [];
    await page.route(/\.wasm(\?.*)?$/, (route) => {
      wasmRequests.push(route.request().url());
      return route.fulfill({ status: 404, body: 'blocked' });
    });
    await page.goto('/interpolation/');
    const root = page.locator('interpolation-widget');
    await waitReady(root);
    expect(wasmRequests.length).toBeGreaterThan(0);
    const backend = root.locator('[data-role="backend"]');
    await expect(backend).toContainText(/Running on (WebGL|CPU)/);
    await expect(backend).toContainText('Fallback because WebAssembly');
    const info = await backendOf(page);
    expect(['webgl', 'cpu']).toContain(info.name);
    expect(info.reason).toMatch(/WebAssembly/);
    expect(errors.map(String)).toEqual([]);
  });
});
