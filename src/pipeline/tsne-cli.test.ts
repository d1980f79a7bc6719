/** The tsne CLI as a process: a bad output folder fails before the work, a signal stops it at once. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../models/random.ts';

const repo = join(import.meta.dirname, '..', '..');
const node = existsSync(join(repo, 'node_modules', '.bin', 'node')) ? join(repo, 'node_modules', '.bin', 'node') : process.execPath;
const tmp = mkdtempSync(join(tmpdir(), 'tsne-cli-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], onStderr?: (text: string, kill: (s: NodeJS.Signals) => void) => void): Promise<{ code: number | null; stderr: string; afterSignalMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [join(repo, 'src', 'pipeline', 'tsne.ts'), ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sentAt = 0;
    child.stderr.on('data', (d) => {
      stderr += d;
      onStderr?.(stderr, (s) => {
        sentAt = performance.now();
        child.kill(s);
      });
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, afterSignalMs: performance.now() - sentAt }));
  });
}

const input = join(tmp, 'rows.json');
const r = new Rng(1);
writeFileSync(input, JSON.stringify(Array.from({ length: 1000 }, () => Array.from({ length: 10 }, () => r.normal()))));

describe('tsne CLI', () => {
  it('an output folder that cannot be written (/proc/x): exit 1 with a message, before any work', async () => {
    const res = await run(['--in', input, '--out', '/proc/x/out.json']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/error: the folder \/proc\/x does not exist \(ENOENT\)/);
    expect(res.stderr).not.toMatch(/nearest neighbours/);
  });

  it('SIGTERM during the t-SNE: exit 130 at once, no output', async () => {
    const out = join(tmp, 'out.json');
    let sent = false;
    const res = await run(['--in', input, '--out', out, '--iterations', '100000'], (text, kill) => {
      if (!sent && /t-SNE \[/.test(text)) {
        sent = true;
        kill('SIGTERM');
      }
    });
    expect(res.code, res.stderr).toBe(130);
    expect(res.stderr).toMatch(/tsne: SIGTERM received, stopping\. Nothing was written\./);
    expect(res.afterSignalMs).toBeLessThan(3000); // a bound for a busy machine, not a speed goal
    expect(existsSync(out)).toBe(false);
  }, 180_000);
});
