import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pretrainedAssets, shipped, shippedFiles } from './pretrained.ts';

const committed = Object.keys((JSON.parse(readFileSync('pretrained/manifest.json', 'utf8')) as { files: Record<string, unknown> }).files);

describe('what the site ships of pretrained/', () => {
  it('ships what the pages fetch: the manifest, zoo.json, digits, figures, every compact model and map', () => {
    for (const p of ['manifest.json', 'zoo.json', 'digits/000.png', 'digits/099.png', 'digits/labels.bin', 'figures/explorer-grid-ae.png']) expect(shipped(p), p).toBe(true);
    const compact = committed.filter((p) => /^[^/]+\/compact\//.test(p) && !p.endsWith('/compact.json'));
    expect(compact.length).toBeGreaterThan(100);
    for (const p of compact) expect(shipped(p), p).toBe(true);
  });
  it('ships the embeddings the t-SNE lab reads and the metrics the loss curves read', () => {
    for (const p of ['vae/embeddings.json', 'vae-10/embeddings.json', 'vae-20/embeddings.json', 'ae/metrics.json', 'vae/metrics.json']) expect(shipped(p), p).toBe(true);
  });
  it('leaves out the float32 masters and what only the build or the pipeline reads', () => {
    const masters = committed.filter((p) => /^[^/]+\/(encoder|decoder)\//.test(p));
    expect(masters.length).toBe(4 * 14);
    for (const p of [...masters, 'ae/compact/compact.json', 'ae/embeddings.json', 'beta-2/metrics.json', 'mnist-test-atlas.png', 'denoise-curve.json', 'figures/figures.json']) expect(shipped(p), p).toBe(false);
  });
  it('every committed file the browser fetches is listed in the manifest it verifies against', () => {
    for (const p of committed.filter(shipped)) expect(committed).toContain(p);
    expect(committed.filter(shipped).length).toBeGreaterThan(200);
  });
});

describe('the build hook', () => {
  const root = mkdtempSync(join(tmpdir(), 'pretrained-assets-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  it('copies only the shipped files, skipping temporaries', async () => {
    const src = join(root, 'project', 'pretrained');
    for (const [path, body] of [['manifest.json', '{}'], ['ae/compact/latent.bin', 'x'], ['ae/encoder/model.json', '{}'], ['digits/labels.bin', 'y'], ['.tmp-1/ae/compact/latent.bin', 'z']] as const) {
      mkdirSync(join(src, path, '..'), { recursive: true });
      writeFileSync(join(src, path), body);
    }
    expect(await shippedFiles(src)).toEqual(['ae/compact/latent.bin', 'digits/labels.bin', 'manifest.json']);
    const integration = pretrainedAssets('pretrained');
    const hooks = integration.hooks as Record<string, (arg: unknown) => Promise<void> | void>;
    await hooks['astro:config:done']!({ config: { root: pathToFileURL(join(root, 'project') + '/'), base: '/' } });
    const out = join(root, 'dist');
    await hooks['astro:build:done']!({ dir: pathToFileURL(out + '/') });
    expect(await shippedFiles(join(out, 'pretrained'))).toEqual(['ae/compact/latent.bin', 'digits/labels.bin', 'manifest.json']);
    expect(readFileSync(join(out, 'pretrained', 'digits', 'labels.bin'), 'utf8')).toBe('y');
  });
});
