/**
 * The worker side of `tsne-node.ts`: waits on the shared control array for a job, reads any new
 * buffers from its session port (synchronously), takes tasks from the shared counter until none
 * are left, and reports done. One loop for the life of the pool; ends on JOB.EXIT.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { BarnesHutTree } from './bhtree.ts';
import { forceTasks, runForceTask } from './forces.ts';
import { wideKnnRows } from './knn.ts';
import { conditionalAffinityRows } from './tsne.ts';
import { AFFINITY_ROWS, CTRL, JOB, KNN_ROWS, runTasks, type SessionMessage } from './tsne-node.ts';

const data = workerData as { ctrl: SharedArrayBuffer; error: SharedArrayBuffer; port: MessagePort };
const ctrl = new Int32Array(data.ctrl);
const errorText = new Uint8Array(data.error);
const port = data.port;
const tree = new BarnesHutTree();
let knnJob: NonNullable<SessionMessage['knn']> | null = null;
let affinityJob: NonNullable<SessionMessage['affinities']> | null = null;
let forceJob: NonNullable<SessionMessage['forces']> | null = null;

function drain(): void {
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
    const s = m.message as SessionMessage;
    if (s.knn) knnJob = s.knn;
    if (s.affinities) affinityJob = s.affinities;
    if (s.forces) forceJob = s.forces;
  }
}

function runJob(job: number): void {
  if (job === JOB.FORCES) {
    const st = forceJob!;
    const withKl = Atomics.load(ctrl, CTRL.KL) === 1;
    tree.build(st.embedding, st.n, st.theta);
    const total = forceTasks(st, tree);
    runTasks(ctrl, total, (task) => runForceTask(st, tree, task, withKl));
  } else if (job === JOB.KNN) {
    const j = knnJob!;
    const total = Atomics.load(ctrl, CTRL.ARG0);
    runTasks(ctrl, total, (task) => wideKnnRows(j, j.k, task * KNN_ROWS, Math.min(j.n, (task + 1) * KNN_ROWS), j.indices, j.distances));
  } else if (job === JOB.AFFINITIES) {
    const a = affinityJob!;
    const n = a.beta.length;
    const total = Atomics.load(ctrl, CTRL.ARG0);
    const nb = { k: a.k, indices: a.indices, distances: a.distances };
    runTasks(ctrl, total, (task) => conditionalAffinityRows(nb, a.perplexity, task * AFFINITY_ROWS, Math.min(n, (task + 1) * AFFINITY_ROWS), a));
  }
}

// Read the generation before saying ready: the pool posts no job until every worker is ready.
let seen = Atomics.load(ctrl, CTRL.GEN);
parentPort!.postMessage({ ready: true });
for (;;) {
  Atomics.wait(ctrl, CTRL.GEN, seen);
  seen = Atomics.load(ctrl, CTRL.GEN);
  const job = Atomics.load(ctrl, CTRL.JOB);
  if (job === JOB.EXIT) break;
  try {
    drain();
    runJob(job);
  } catch (err) {
    const bytes = new TextEncoder().encode(String((err as Error)?.stack ?? err));
    errorText.set(bytes.subarray(0, errorText.length - 1));
    Atomics.store(ctrl, CTRL.ERROR, 1);
  }
  Atomics.add(ctrl, CTRL.DONE, 1);
  Atomics.notify(ctrl, CTRL.DONE);
}
port.close();
