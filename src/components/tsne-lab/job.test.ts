import { describe, expect, it } from 'vitest';
import { Tsne } from '../../embed/index.ts';
import { createRandom, gaussian } from '../../embed/random.ts';
import { JobRunner, KL_EVERY, dropConstantColumns, prepareInput, scoreMaps, type FromWorker, type JobSpec, type RunOptions } from './job.ts';

/** `perClass` points around each of `classes` well separated centres in `dim` dimensions. */
function clusters(classes: number, perClass: number, dim: number): { rows: Float32Array; labels: Uint8Array } {
  const random = createRandom(7);
  const rows = new Float32Array(classes * perClass * dim);
  const labels = new Uint8Array(classes * perClass);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < perClass; i++) {
      const p = c * perClass + i;
      labels[p] = c;
      for (let t = 0; t < dim; t++) rows[p * dim + t] = (t === c % dim ? 10 : 0) + gaussian(random);
    }
  }
  return { rows, labels };
}

const RUN: RunOptions = { perplexity: 10, learningRate: 'auto', exaggeration: 12, iterations: 120, seed: 3 };

/** A runner driven by hand: deferred slices queue up, the clock ticks 1 ms per reading. */
function harness(autoAck = true) {
  const messages: FromWorker[] = [];
  const queue: (() => void)[] = [];
  let now = 0;
  const runner: JobRunner = new JobRunner(
    (msg) => {
      messages.push(msg);
      if (autoAck && msg.type === 'frame' && msg.coords) queue.push(() => runner.receive({ type: 'ack' }));
    },
    () => ++now,
    (fn) => queue.push(fn),
  );
  /** Runs queued tasks until none are left or `limit` ran. */
  const drain = (limit = 10_000) => {
    let n = 0;
    while (queue.length && n++ < limit) queue.shift()!();
    return n;
  };
  return { runner, messages, drain, queue };
}

function spec(over: Partial<JobSpec> = {}): JobSpec {
  const { rows, labels } = clusters(3, 30, 5);
  return { rows, dim: 5, labels, runs: [RUN], frames: true, exaggerationIterations: 50, ...over };
}

describe('JobRunner', () => {
  it('runs the site’s t-SNE to the end, with frames and scores, the same map as Tsne itself', () => {
    const { runner, messages, drain } = harness();
    const s = spec();
    runner.receive({ type: 'start', spec: s });
    drain();
    const stages = messages.filter((m) => m.type === 'stage').map((m) => (m as { stage: string }).stage);
    expect(stages).toEqual(['neighbours', 'optimise', 'metrics']);
    const frames = messages.filter((m): m is Extract<FromWorker, { type: 'frame' }> => m.type === 'frame');
    expect(frames.length).toBeGreaterThan(1);
    expect(frames.every((f) => f.coords?.length === 1 && f.coords[0]!.length === 180)).toBe(true);
    // Iterations only grow, KL appears once the first checkpoint has passed.
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.iteration).toBeGreaterThan(frames[i - 1]!.iteration);
    expect(frames.at(-1)!.kl[0]).toEqual(expect.any(Number));
    const done = messages.at(-1)!;
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    expect(done.iterations).toBe(120);
    expect(done.inputDim).toBe(5);
    const reference = new Tsne(s.rows, 5, { perplexity: 10, iterations: 120, seed: 3, exaggerationIterations: 50, onProgress: () => {}, progressEvery: KL_EVERY }).run();
    expect([...done.coords[0]!]).toEqual([...Float32Array.from(reference.embedding)]);
    expect(done.scores[0]!.kl).toBeCloseTo(reference.kl, 10);
    expect(done.scores[0]!.trustworthiness).toBeGreaterThan(0.9);
    expect(done.scores[0]!.knnAccuracy).toBe(1);
  });

  it('pauses within a slice and resumes where it stopped', () => {
    const { runner, messages, drain, queue } = harness();
    runner.receive({ type: 'start', spec: spec() });
    drain(3);
    runner.receive({ type: 'pause' });
    expect(messages.at(-1)).toEqual({ type: 'paused', iteration: runner.iteration });
    const at = runner.iteration;
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(120);
    drain();
    expect(runner.iteration).toBe(at);
    expect(queue.length).toBe(0);
    expect(messages.some((m) => m.type === 'done')).toBe(false);
    runner.receive({ type: 'resume' });
    drain();
    expect(messages.at(-1)!.type).toBe('done');
  });

  it('keeps at most one map in flight until the page acknowledges it', () => {
    const { runner, messages, drain } = harness(false);
    runner.receive({ type: 'start', spec: spec() });
    drain();
    const withMaps = messages.filter((m) => m.type === 'frame' && m.coords);
    expect(withMaps.length).toBe(1);
    expect(messages.at(-1)!.type).toBe('done');
  });

  it('sends progress without maps for reduced motion', () => {
    const { runner, messages, drain } = harness(false);
    runner.receive({ type: 'start', spec: spec({ frames: false }) });
    drain();
    const frames = messages.filter((m) => m.type === 'frame');
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.every((f) => f.type === 'frame' && f.coords === null)).toBe(true);
    expect(messages.at(-1)!.type).toBe('done');
  });

  it('runs the small multiples side by side on one input', () => {
    const { runner, messages, drain } = harness();
    runner.receive({ type: 'start', spec: spec({ runs: [5, 10, 25].map((p) => ({ ...RUN, perplexity: p, iterations: 60 })) }) });
    drain();
    const done = messages.at(-1)!;
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    expect(done.coords.length).toBe(3);
    expect(done.scores.length).toBe(3);
    expect(new Set(done.coords.map((c) => c[0]))).toHaveProperty('size', 3);
    expect(messages.filter((m) => m.type === 'stage' && m.stage === 'neighbours').length).toBe(3);
  });

  it('reports a bad job as an error message', () => {
    const { runner, messages, drain } = harness();
    runner.receive({ type: 'start', spec: spec({ runs: [{ ...RUN, perplexity: 95 }] }) });
    drain();
    expect(messages.at(-1)).toEqual({ type: 'error', message: 'perplexity 95 is too large for 90 points: it must be smaller than n − 1 = 89' });
    const nan = harness();
    const s = spec();
    s.rows[7] = Number.NaN;
    nan.runner.receive({ type: 'start', spec: s });
    expect(nan.messages.at(-1)).toEqual({ type: 'error', message: 'input value 7 is not a finite number' });
  });
});

describe('prepareInput', () => {
  it('reduces wide rows to their leading principal components (the pixels’ PCA-50 path)', () => {
    const { rows } = clusters(4, 20, 64);
    const out = prepareInput({ rows, dim: 64, pcaDims: 50 });
    expect(out.dim).toBe(50);
    expect(out.data.length).toBe(80 * 50);
    // PCA keeps the leading variance: the first component spreads the most.
    const variance = (c: number) => {
      let m = 0;
      for (let i = 0; i < 80; i++) m += out.data[i * 50 + c]!;
      m /= 80;
      let v = 0;
      for (let i = 0; i < 80; i++) v += (out.data[i * 50 + c]! - m) ** 2;
      return v;
    };
    expect(variance(0)).toBeGreaterThan(variance(49));
    // Narrow rows go through unchanged.
    const small = clusters(2, 5, 3);
    expect(prepareInput({ rows: small.rows, dim: 3, pcaDims: 50 })).toEqual({ data: small.rows, dim: 3 });
    expect(() => prepareInput({ rows: new Float32Array(7), dim: 2 })).toThrow(/not a whole number of 2-D rows/);
  });

  it('a pixel job scores against the reduced input', () => {
    const { runner, messages, drain } = harness();
    const { rows, labels } = clusters(3, 30, 64);
    runner.receive({ type: 'start', spec: { rows, dim: 64, labels, pcaDims: 50, runs: [{ ...RUN, iterations: 60 }], frames: true, exaggerationIterations: 50 } });
    drain();
    expect(messages[0]).toEqual({ type: 'stage', stage: 'pca', run: 0, runs: 1 });
    const done = messages.at(-1)!;
    expect(done.type === 'done' && done.inputDim).toBe(50);
  });
});

describe('dropConstantColumns', () => {
  it('keeps only the columns that vary, in order', () => {
    const rows = Float32Array.from([0, 1, 5, 2, 0, 3, 5, 4, 0, 1, 5, 9]);
    expect(dropConstantColumns(rows, 4)).toEqual({ rows: Float32Array.from([1, 2, 3, 4, 1, 9]), dim: 2 });
    const varying = Float32Array.from([1, 2, 3, 4]);
    expect(dropConstantColumns(varying, 2).rows).toBe(varying);
  });
});

describe('scoreMaps', () => {
  it('gives null scores where the selection is too small for 10 neighbours', () => {
    const { rows, labels } = clusters(2, 5, 3);
    const map = new Float64Array(20).map((_, i) => Math.sin(i));
    expect(scoreMaps(rows, 3, [map], labels)).toEqual([{ trustworthiness: null, knnAccuracy: null }]);
  });
});
