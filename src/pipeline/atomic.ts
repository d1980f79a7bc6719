/**
 * Atomic writes: build the new content beside the target under a hidden temporary name, then
 * rename it into place. A failure (or Ctrl-C) before the rename leaves the target untouched.
 */
import { cp, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;
function tempName(target: string, tag: string): string {
  return join(dirname(target), `.${basename(target)}.${tag}-${process.pid}-${++counter}`);
}

/** Writes a file via a temporary sibling and `rename`. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempName(path, 'tmp');
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export interface AtomicDirOptions {
  /**
   * Entries of the current target folder to copy into the new one when `fill` did not write
   * them (e.g. files another pipeline step owns). Default: none.
   */
  carryOver?: (name: string) => boolean;
}

/**
 * Replaces folder `target` with one filled by `fill(tempDir)`. `fill` writes into a fresh
 * temporary sibling folder; only when it resolves is the old folder swapped out (rename old
 * aside, rename new in, delete old). If `fill` throws, the temporary folder is removed and
 * `target` is untouched. Returns the names of entries carried over from the old folder.
 */
export async function replaceDirAtomic(target: string, fill: (dir: string) => Promise<void>, options: AtomicDirOptions = {}): Promise<string[]> {
  const tmp = tempName(target, 'tmp');
  const carried: string[] = [];
  await mkdir(dirname(target), { recursive: true });
  try {
    await mkdir(tmp);
    await fill(tmp);
    if (options.carryOver && (await exists(target))) {
      const written = new Set(await readdir(tmp));
      for (const name of await readdir(target)) {
        if (!written.has(name) && !name.startsWith('.') && options.carryOver(name)) {
          await cp(join(target, name), join(tmp, name), { recursive: true });
          carried.push(name);
        }
      }
    }
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const old = tempName(target, 'old');
  const hadOld = await exists(target);
  if (hadOld) await rename(target, old);
  try {
    await rename(tmp, target);
  } catch (err) {
    if (hadOld) await rename(old, target);
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
  return carried;
}
