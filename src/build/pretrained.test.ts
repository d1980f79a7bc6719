import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { clearCache, resolveNum } from './num.ts';
import { hasPretrained, pretrainedDir, pretrainedPath, readPretrainedJson } from './pretrained.ts';
import { readArtifact } from './zoo-artifacts.ts';

/** A project root with two artifact folders: the committed `pretrained/` and another run's `other/`. */
const root = mkdtempSync(join(tmpdir(), 'pretrained-dir-'));
for (const [dir, loss] of [['pretrained', 150], ['other', 99]] as const) {
  mkdirSync(join(root, dir, 'ae'), { recursive: true });
  writeFileSync(join(root, dir, 'ae', 'metrics.json'), JSON.stringify({ final: { test: { loss } } }));
}
writeFileSync(join(root, 'other', 'only-here.json'), '{ "x": 1 }');
writeFileSync(join(root, 'pretrained', 'broken.json'), '{ nope');

const saved = process.env.LATENT_ATLAS_PRETRAINED;
afterEach(() => {
  if (saved === undefined) delete process.env.LATENT_ATLAS_PRETRAINED;
  else process.env.LATENT_ATLAS_PRETRAINED = saved;
  clearCache();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pretrainedDir', () => {
  it('is <root>/pretrained by default', () => {
    delete process.env.LATENT_ATLAS_PRETRAINED;
    expect(pretrainedDir(root)).toBe(join(root, 'pretrained'));
    expect(pretrainedPath('ae/metrics.json', root)).toBe(join(root, 'pretrained', 'ae', 'metrics.json'));
    expect(readPretrainedJson('ae/metrics.json', root)).toEqual({ final: { test: { loss: 150 } } });
  });
  it('honours $LATENT_ATLAS_PRETRAINED, relative to the root or absolute', () => {
    process.env.LATENT_ATLAS_PRETRAINED = 'other';
    expect(pretrainedDir(root)).toBe(join(root, 'other'));
    expect(readPretrainedJson('ae/metrics.json', root)).toEqual({ final: { test: { loss: 99 } } });
    expect(hasPretrained('only-here.json', root)).toBe(true);
    process.env.LATENT_ATLAS_PRETRAINED = join(root, 'other');
    expect(pretrainedDir('/somewhere/else')).toBe(join(root, 'other'));
  });
  it('reads a missing or broken file as undefined', () => {
    delete process.env.LATENT_ATLAS_PRETRAINED;
    expect(hasPretrained('only-here.json', root)).toBe(false);
    expect(readPretrainedJson('only-here.json', root)).toBeUndefined();
    expect(readPretrainedJson('broken.json', root)).toBeUndefined();
  });
  it('is the one folder of every build-time reader (numbers, zoo artifacts)', () => {
    process.env.LATENT_ATLAS_PRETRAINED = join(root, 'other');
    expect(resolveNum({ model: 'ae', path: 'final.test.loss' }, root)).toMatchObject({ ok: true, value: 99 });
    expect(readArtifact('only-here.json')).toEqual({ ok: true, data: { x: 1 } });
  });
});
