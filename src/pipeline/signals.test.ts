import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkWritableDir, installStopHandler, OutputDirError } from './signals.ts';

const tmp = mkdtempSync(join(tmpdir(), 'signals-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('checkWritableDir', () => {
  it('creates missing levels and leaves no probe behind', () => {
    const dir = join(tmp, 'a', 'b', 'c');
    checkWritableDir(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
    checkWritableDir(dir); // an existing folder is fine
  });

  it('fails at once, with the reason, where a recursive mkdir would spin (/proc/x) or a file is in the way', () => {
    expect(() => checkWritableDir('/proc/x/y')).toThrow(OutputDirError);
    expect(() => checkWritableDir('/proc/x/y')).toThrow(/cannot write to the output folder \/proc\/x\/y \(ENOENT: mkdir \/proc\/x failed\)/);
    expect(existsSync('/proc/x')).toBe(false);
    const file = join(tmp, 'file');
    writeFileSync(file, '');
    expect(() => checkWritableDir(file)).toThrow(/\(ENOTDIR: it is a file\)/);
    expect(() => checkWritableDir(join(file, 'sub'))).toThrow(/\(ENOTDIR\)/);
  });
});

describe('installStopHandler', () => {
  it('one handler per process: a nested user shares it; the last dispose removes the listeners', () => {
    const before = process.listenerCount('SIGTERM');
    const a = installStopHandler({ name: 'a', untouched: () => '' });
    const b = installStopHandler({ name: 'b', untouched: () => '' });
    expect(b).toBe(a);
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    expect(a.mode).toBe('exit');
    expect(a.stopped).toBe(false);
    b.dispose();
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    a.dispose();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('cooperative: the first signal only sets the flag and aborts', () => {
    const h = installStopHandler({ name: 't', untouched: () => '' });
    h.mode = 'cooperative';
    process.emit('SIGTERM', 'SIGTERM');
    expect(h.stopped).toBe(true);
    expect(h.received).toBe('SIGTERM');
    expect(h.signal.aborted).toBe(true);
    // the same Ctrl-C forwarded a second time (npm) within a second is ignored
    process.emit('SIGINT', 'SIGINT');
    h.dispose();
  });
});
