/**
 * The worker side of `tsne-node.ts`: waits on the shared control array for a job, reads its
 * parameters (seqlock on GEN), reads any new buffers from its session port (synchronously), and
 * claims tasks of that job until none are left (`runTasks`: a job that is already over gives it
 * none). One loop for the life of the pool; ends on JOB.EXIT.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { BarnesHutTree } from './bhtree.ts';
import { forceTasks, runForceTask } from './forces.ts';
import { wideKnnRows } from './knn.ts';
import { conditionalAffinityRows } from './tsne.ts';
import { AFFINITY_ROWS, CTRL, JOB, KNN_ROWS, runTasks, type SessionMessage } from './tsne-node.ts';

const data = workerData as { ctrl: SharedArrayBuffer; ticket: SharedArrayBuffer; error: SharedArrayBuffer; port: MessagePort };
const ctrl = new Int32Array(data.ctrl);
const ticket = new BigInt64Array(data.ticket);
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

/**
 * Runs job `gen`. A worker late for a job may find its buffers already reused for the next one
 * (e.g. coordinates being updated while it builds its tree): it then claims no task, because the
 * ticket has moved on to another job number.
 */
function runJob(job: number, gen: number, withKl: boolean, arg0: number): void {
  if (job === JOB.FORCES) {
    const st = forceJob!;
    tree.build(st.embedding, st.n, st.theta);
    const total = forceTasks(st, tree);
    runTasks(ctrl, ticket, gen, total, (task) => runForceTask(st, tree, task, withKl), fail);
  } else if (job === JOB.KNN) {
    const j = knnJob!;
    runTasks(ctrl, ticket, gen, arg0, (task) => wideKnnRows(j, j.k, task * KNN_ROWS, Math.min(j.n, (task + 1) * KNN_ROWS), j.indices, j.distances), fail);
  } else if (job === JOB.AFFINITIES) {
    const a = affinityJob!;
    const n = a.beta.length;
    const nb = { k: a.k, indices: a.indices, distances: a.distances };
    runTasks(ctrl, ticket, gen, arg0, (task) => conditionalAffinityRows(nb, a.perplexity, task * AFFINITY_ROWS, Math.min(n, (task + 1) * AFFINITY_ROWS), a), fail);
  }
}

function fail(err: unknown): void {
  const bytes = new TextEncoder().encode(String((err as Error)?.stack ?? err));
  errorText.set(bytes.subarray(0, errorText.length - 1));
  Atomics.store(ctrl, CTRL.ERROR, 1);
}

// Read the generation before saying ready: the pool posts no job until every worker is ready.
let seen = Atomics.load(ctrl, CTRL.GEN);
parentPort!.postMessage({ ready: true });
for (;;) {
  Atomics.wait(ctrl, CTRL.GEN, seen);
  const gen = Atomics.load(ctrl, CTRL.GEN);
  if (gen & 1) {
    // The main thread is writing the next job: wait for it to be published.
    Atomics.wait(ctrl, CTRL.GEN, gen);
    continue;
  }
  const job = Atomics.load(ctrl, CTRL.JOB);
  const withKl = Atomics.load(ctrl, CTRL.KL) === 1;
  const arg0 = Atomics.load(ctrl, CTRL.ARG0);
  if (Atomics.load(ctrl, CTRL.GEN) !== gen) continue; // a newer job came meanwhile: read that one
  seen = gen;
  if (job === JOB.EXIT) break;
  try {
    drain();
    runJob(job, gen, withKl, arg0);
  } catch (err) {
    // Outside a task (a task's own error went through runTasks): the main thread throws it after the job.
    fail(err);
  }
}
port.close();
