/**
 * `npm run bench`: runs every benchmark one after another (never in parallel: they share two
 * cores), then gathers `bench/out/<name>.json` into `bench/out/results.json` and
 * `bench/out/results.md`, the table the README quotes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_DIR, round, type BenchResult } from './report.ts';

/** The npm scripts that make up the suite, in the order they run, and the result each writes. */
const SUITE: Array<{ script: string; results: string[] }> = [
  { script: 'bench:train', results: ['train'] },
  { script: 'bench:retrain', results: ['retrain'] },
  { script: 'bench:tsne', results: ['tsne'] },
  { script: 'bench:zoo', results: ['zoo'] },
  // bench:browser also runs the t-SNE lab's timing (bench/tsne-browser.ts, alone: bench:tsne-browser)
  { script: 'bench:browser', results: ['browser', 'tsne-browser'] },
  { script: 'bench:lighthouse', results: ['lighthouse'] },
];

const only = process.argv.slice(2);
const failures: string[] = [];
const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
const needsBuild = SUITE.some((s) => ['bench:browser', 'bench:tsne-browser', 'bench:lighthouse'].includes(s.script) && (!only.length || only.includes(s.script)));
if (needsBuild) execFileSync('npx', ['astro', 'build'], { stdio: 'inherit' });

for (const { script } of SUITE) {
  if (only.length && !only.includes(script)) continue;
  if (!scripts[script]) {
    failures.push(`${script}: no such npm script`);
    continue;
  }
  console.log(`\n=== npm run ${script}`);
  const run = spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit' });
  if (run.status !== 0) failures.push(`${script}: exited with ${run.status}`);
}

const results: BenchResult[] = SUITE.flatMap((s) => s.results)
  .map((name) => join(OUT_DIR, `${name}.json`))
  .filter((file) => existsSync(file))
  .map((file) => JSON.parse(readFileSync(file, 'utf8')) as BenchResult);

const lines = ['| benchmark | figure | value | goal | met |', '| --- | --- | --- | --- | --- |'];
for (const r of results) {
  for (const f of r.figures) {
    const met = f.ok === undefined ? '' : f.ok ? 'yes' : '**no**';
    lines.push(`| ${r.name} | ${f.metric}${f.note ? ` (${f.note})` : ''} | ${round(f.value)} ${f.unit} | ${f.goal ?? ''} | ${met} |`);
  }
}
const machines = [...new Set(results.map((r) => r.machine))].join('; ');
const md = `Measured on ${machines}, ${new Date().toISOString().slice(0, 10)}.\n\n${lines.join('\n')}\n`;
writeFileSync(join(OUT_DIR, 'results.json'), `${JSON.stringify({ results, failures }, null, 2)}\n`);
writeFileSync(join(OUT_DIR, 'results.md'), md);
console.log(`\n${md}`);
if (failures.length) {
  console.error(`Benchmarks that did not run cleanly:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
