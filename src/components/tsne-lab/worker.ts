/**
 * Web Worker of the t-SNE lab: runs a `JobRunner` (job.ts) on the messages the page sends, so the
 * optimisation never blocks the page's main thread. Between slices it yields through a
 * MessageChannel (not setTimeout, which browsers clamp to 4 ms once nested), so pause and resume
 * are answered within one slice. The page ends a job by terminating the worker, which frees its memory.
 */
import { JobRunner, type FromWorker, type ToWorker } from './job.ts';

const scope = self as unknown as Worker;
const channel = new MessageChannel();
let pending: (() => void) | undefined;
channel.port1.onmessage = () => {
  const fn = pending;
  pending = undefined;
  fn?.();
};

const runner = new JobRunner(
  (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer),
  () => performance.now(),
  (fn) => {
    pending = fn;
    channel.port2.postMessage(null);
  },
);

scope.onmessage = (event: MessageEvent<ToWorker>) => runner.receive(event.data);
