import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replaceDirAtomic, writeFileAtomic } from './atomic.ts';
import { computeManifest, writeManifest } from './manifest.ts';

const root = mkdtempSync(join(tmpdir(), 'atomic-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('replaceDirAtomic', () => {
  it('swaps in the new folder and keeps nothing temporary', async () => {
    const target = join(root, 'a', 'ae');
    await replaceDirAtomic(target, async (d) => writeFile(join(d, 'x.txt'), 'one'));
    await replaceDirAtomic(target, async (d) => writeFile(join(d, 'y.txt'), 'two'));
    expect(readdirSync(target)).toEqual(['y.txt']);
    expect(readdirSync(join(root, 'a'))).toEqual(['ae']);
  });

  it('a failure in the middle of writing leaves the previous folder intact', async () => {
    const target = join(root, 'b', 'ae');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'weights.bin'), 'old weights');
    await expect(
      replaceDirAtomic(target, async (d) => {
        await writeFile(join(d, 'weights.bin'), 'half-written new weights');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(readFileSync(join(target, 'weights.bin'), 'utf8')).toBe('old weights');
    expect(readdirSync(join(root, 'b'))).toEqual(['ae']);
  });

  it('carries over entries that the new content does not have, if asked', async () => {
    const target = join(root, 'c', 'vae');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'embeddings.json'), '{}');
    writeFileSync(join(target, 'metrics.json'), 'old');
    const carried = await replaceDirAtomic(target, async (d) => writeFile(join(d, 'metrics.json'), 'new'), { carryOver: (n) => n === 'embeddings.json' });
    expect(carried).toEqual(['embeddings.json']);
    expect(readFileSync(join(target, 'metrics.json'), 'utf8')).toBe('new');
    expect(existsSync(join(target, 'embeddings.json'))).toBe(true);
  });

  it('writeFileAtomic replaces a file whole', async () => {
    const f = join(root, 'f.json');
    await writeFileAtomic(f, 'a');
    await writeFileAtomic(f, 'b');
    expect(readFileSync(f, 'utf8')).toBe('b');
    expect(readdirSync(root).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('manifest', () => {
  it('lists every file (recursively) with sha256 and size, skipping itself and hidden entries', async () => {
    const dir = join(root, 'pretrained');
    mkdirSync(join(dir, 'ae', 'encoder'), { recursive: true });
    mkdirSync(join(dir, '.ae.tmp-1'), { recursive: true });
    writeFileSync(join(dir, 'ae', 'encoder', 'model.json'), '{"a":1}');
    writeFileSync(join(dir, 'atlas.png'), new Uint8Array([1, 2, 3]));
    writeFileSync(join(dir, '.ae.tmp-1', 'junk'), 'x');
    const m = await writeManifest(dir);
    expect(Object.keys(m.files)).toEqual(['ae/encoder/model.json', 'atlas.png']);
    expect(m.files['atlas.png']).toEqual({ sha256: createHash('sha256').update(new Uint8Array([1, 2, 3])).digest('hex'), bytes: 3 });
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toEqual(m);
    expect(m.version).toBe(1);
    // rewriting does not list manifest.json itself
    expect(Object.keys((await computeManifest(dir)).files)).toEqual(['ae/encoder/model.json', 'atlas.png']);
  });
});
