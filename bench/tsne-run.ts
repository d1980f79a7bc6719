/**
 * One timed run of this project's t-SNE for `bench/tsne.ts`, in its own process (cold JIT, like
 * a fresh `npm run tsne`): `node bench/tsne-run.ts IN.json OUT.json [perplexity] [seed] [threads]`.
 * IN is an array of rows; OUT gets `{ seconds, cpuSeconds, kl, threads, embedding: [[x, y], …] }`
 * (cpuSeconds: the process' user + system time over the same span, all threads), seconds
 * covering the whole run (starting the worker threads, neighbours, affinities, PCA init, 1000
 * iterations), not the JSON IO. threads defaults to the machine's cores (at most 2); 1 runs
 * `tsne()` from `src/embed/tsne.ts` (the browser's code path) with no workers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tsne } from '../src/embed/tsne.ts';
import { defaultThreads, tsneNode } from '../src/embed/tsne-node.ts';

const [input, output, perplexity = '30', seed = '0', threadsArg] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node bench/tsne-run.ts IN.json OUT.json [perplexity] [seed] [threads]');
  process.exit(2);
}
const threads = threadsArg === undefined ? defaultThreads() : Number(threadsArg);
const rows = JSON.parse(readFileSync(input, 'utf8')) as number[][];
const data = Float64Array.from(rows.flat());
const options = { perplexity: Number(perplexity), seed: Number(seed) };
const t0 = performance.now();
const c0 = process.cpuUsage();
const { embedding, kl } = threads === 1 ? tsne(data, rows[0]!.length, options) : await tsneNode(data, rows[0]!.length, { ...options, threads });
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const out = Array.from({ length: rows.length }, (_, i) => [embedding[2 * i]!, embedding[2 * i + 1]!]);
writeFileSync(output, JSON.stringify({ seconds, cpuSeconds, kl, threads, embedding: out }));
console.log(`ours (${threads} thread${threads === 1 ? '' : 's'}): ${seconds.toFixed(2)} s`);
