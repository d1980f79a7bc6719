import { describe, expect, it } from 'vitest';
import { startJob } from './client.ts';
import type { FromWorker } from './job.ts';

describe('startJob without a Web Worker (the main-thread fallback)', () => {
  it('runs the same job to the end in macrotasks, answers pause and stops on terminate', async () => {
    const n = 60;
    const rows = new Float32Array(n * 3).map((_, i) => Math.sin(i * 1.7) + (Math.floor(i / 3) % 3) * 5);
    const labels = new Uint8Array(n).map((_, i) => i % 3);
    const spec = { rows, dim: 3, labels, runs: [{ perplexity: 5, learningRate: 'auto' as const, exaggeration: 12, iterations: 80, seed: 1 }], frames: true, exaggerationIterations: 40 };
    const messages: FromWorker[] = [];
    const done = new Promise<void>((resolve) => {
      const handle = startJob(spec, (msg) => {
        messages.push(msg);
        if (msg.type === 'frame' && msg.coords) handle.send({ type: 'ack' });
        if (msg.type === 'done' || msg.type === 'error') resolve();
      });
      expect(handle.inWorker).toBe(false);
    });
    await done;
    const last = messages.at(-1)!;
    expect(last.type).toBe('done');
    expect(last.type === 'done' && last.coords[0]!.length).toBe(2 * n);

    // Terminated at once: nothing more arrives.
    const late: FromWorker[] = [];
    const handle = startJob({ ...spec, rows: rows.slice() }, (msg) => late.push(msg), false);
    handle.terminate();
    await new Promise((r) => setTimeout(r, 50));
    expect(late).toEqual([]);
  });
});
