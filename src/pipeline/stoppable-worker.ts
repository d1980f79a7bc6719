/**
 * The worker side of `stoppable.ts`: imports the module named in `workerData`, runs the named
 * export with the options and a commit gate over the shared cell, and posts `{ code }` or
 * `{ error }` back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { commitGate, type CommitGate } from './stoppable.ts';

const data = workerData as { module: string; fn: string; args: unknown; gate: SharedArrayBuffer };
try {
  const mod = (await import(data.module)) as Record<string, (args: unknown, gate: CommitGate) => Promise<number>>;
  const fn = mod[data.fn];
  if (typeof fn !== 'function') throw new Error(`${data.module} has no export ${data.fn}`);
  const code = await fn(data.args, commitGate(new Int32Array(data.gate)));
  parentPort!.postMessage({ code });
} catch (err) {
  parentPort!.postMessage({ error: (err as Error).message });
}
