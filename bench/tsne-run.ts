/**
 * One timed run of this project's t-SNE for `bench/tsne.ts`, in its own process (cold JIT, like
 * a fresh `npm run tsne`): `node bench/tsne-run.ts IN.json OUT.json [perplexity] [seed]`.
 * IN is an array of rows; OUT gets `{ seconds, kl, embedding: [[x, y], …] }`, seconds covering the
 * whole `tsne()` call (neighbours, affinities, PCA init, 1000 iterations), not the JSON IO.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tsne } from '../src/embed/tsne.ts';

const [input, output, perplexity = '30', seed = '0'] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node bench/tsne-run.ts IN.json OUT.json [perplexity] [seed]');
  process.exit(2);
}
const rows = JSON.parse(readFileSync(input, 'utf8')) as number[][];
const data = Float64Array.from(rows.flat());
const t0 = performance.now();
const { embedding, kl } = tsne(data, rows[0]!.length, { perplexity: Number(perplexity), seed: Number(seed) });
const seconds = (performance.now() - t0) / 1000;
const out = Array.from({ length: rows.length }, (_, i) => [embedding[2 * i]!, embedding[2 * i + 1]!]);
writeFileSync(output, JSON.stringify({ seconds, kl, embedding: out }));
console.log(`ours: ${seconds.toFixed(2)} s`);
