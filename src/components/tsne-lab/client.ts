/**
 * The page's handle on one lab job: a module Web Worker running `worker.ts` (bundled by Vite,
 * served from the site itself: CSP `worker-src 'self'`). Where a browser cannot start module
 * workers, the same `JobRunner` runs on the main thread in short slices instead (slower to
 * answer, same results). Terminating the handle ends the job and frees its memory.
 */
import { JobRunner, type FromWorker, type JobSpec, type ToWorker } from './job.ts';

/** A running job, in a worker or (fallback) on the main thread. */
export interface JobHandle {
  send(msg: ToWorker): void;
  terminate(): void;
  /** Whether the job runs in a Web Worker. */
  readonly inWorker: boolean;
}

/** Starts `spec`; every message from the job goes to `onMessage`. `spec.rows` is transferred. */
export function startJob(spec: JobSpec, onMessage: (msg: FromWorker) => void, preferWorker = true): JobHandle {
  if (preferWorker && typeof Worker === 'function') {
    let worker: Worker | undefined;
    try {
      worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'tsne-lab' });
    } catch {
      worker = undefined;
    }
    if (worker) {
      const w = worker;
      let alive = true;
      w.onmessage = (e: MessageEvent<FromWorker>) => alive && onMessage(e.data);
      w.onerror = (e) => {
        if (!alive) return;
        e.preventDefault();
        onMessage({ type: 'error', message: `The t-SNE worker stopped: ${e.message || 'it could not be loaded'}.` });
      };
      w.postMessage({ type: 'start', spec } satisfies ToWorker, [spec.rows.buffer]);
      return {
        inWorker: true,
        send: (msg) => alive && w.postMessage(msg),
        terminate: () => {
          alive = false;
          w.terminate();
        },
      };
    }
  }
  return mainThreadJob(spec, onMessage);
}

/** The fallback: the job on the main thread, a macrotask between slices so the page keeps answering. */
function mainThreadJob(spec: JobSpec, onMessage: (msg: FromWorker) => void): JobHandle {
  let alive = true;
  const runner = new JobRunner(
    (msg) => alive && onMessage(msg),
    () => performance.now(),
    (fn) => setTimeout(() => alive && fn(), 0),
  );
  setTimeout(() => alive && runner.receive({ type: 'start', spec }), 0);
  return {
    inWorker: false,
    send: (msg) => alive && runner.receive(msg),
    terminate: () => {
      alive = false;
    },
  };
}
