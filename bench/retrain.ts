/**
 * `npm run bench:retrain [-- --only ID,ID] [--from-records]`: the wall time of the full zoo
 * retrain (`npm run retrain`: train every model, bake, figures, compact) on this machine.
 *
 * Default: **timed**. Copies `pretrained/` into a temporary folder and runs
 * `node src/pipeline/retrain.ts --dir <copy>` there (the committed files are never touched),
 * timing the whole process, wall-clock. Goal (issue 10): the whole zoo in ≤ 15 minutes on 2 cores.
 * It takes as long as it measures, so `npm run bench` (bench/all.ts) runs it like the others.
 *
 * `--from-records`: **computed**, nothing run. Sums what the committed files record: each model's
 * `totalTrainSeconds` (metrics.json: the training epochs and their test passes, without process
 * start-up, data loading and writing) and each bake's t-SNE + UMAP + PCA seconds
 * (embeddings.json: without encoding, trustworthiness and writing). A lower bound of the timed
 * figure, reported as such; no goal is checked on it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZOO } from '../src/models/zoo.ts';
import { MANIFEST_FILE, type Manifest } from '../src/contracts/manifest.ts';
import { has, option } from './args.ts';
import { type Figure, sameBarTimings, writeResult } from './report.ts';

const only = option('only')?.split(',') ?? null;
const fromRecords = has('from-records');
const repo = join(import.meta.dirname, '..');
const pretrained = join(repo, 'pretrained');
const GOAL_S = 15 * 60;
const ids = only ?? ZOO.map((z) => z.id);

const figures: Figure[] = [];
if (fromRecords) {
  let train = 0;
  let bake = 0;
  const missing: string[] = [];
  for (const id of ids) {
    const metrics = join(pretrained, id, 'metrics.json');
    const emb = join(pretrained, id, 'embeddings.json');
    if (!existsSync(metrics) || !existsSync(emb)) {
      missing.push(id);
      continue;
    }
    train += (JSON.parse(readFileSync(metrics, 'utf8')) as { totalTrainSeconds: number }).totalTrainSeconds;
    const p = (JSON.parse(readFileSync(emb, 'utf8')) as { params: Record<string, { seconds: number }> }).params;
    bake += p.tsne!.seconds + p.umap!.seconds + p.pca!.seconds;
  }
  const note = `${ids.length - missing.length} models from their records${missing.length ? `; not trained/baked yet: ${missing.join(', ')}` : ''}`;
  figures.push({ metric: 'zoo retrain, recorded training seconds (sum of totalTrainSeconds)', value: train / 60, unit: 'min', note });
  figures.push({ metric: 'zoo retrain, recorded bake seconds (t-SNE + UMAP + PCA)', value: bake / 60, unit: 'min', note });
  figures.push({ metric: 'zoo retrain, lower bound from the records (not timed)', value: (train + bake) / 60, unit: 'min', note });
} else {
  const tmp = mkdtempSync(join(tmpdir(), 'bench-retrain-'));
  try {
    const dir = join(tmp, 'pretrained');
    cpSync(pretrained, dir, { recursive: true });
    const t0 = performance.now();
    const run = spawnSync(process.execPath, [join(repo, 'src', 'pipeline', 'retrain.ts'), '--dir', dir, ...(only ? ['--only', only.join(',')] : [])], { cwd: repo, stdio: 'inherit' });
    const wall = (performance.now() - t0) / 1000;
    if (run.status !== 0) throw new Error(`retrain exited with ${run.status ?? run.signal}`);
    const full = !only;
    // Reproducibility over the whole zoo: the copy's manifest (rewritten by the retrain) against
    // the committed one, file by file, for the models retrained.
    const committed = (JSON.parse(readFileSync(join(pretrained, MANIFEST_FILE), 'utf8')) as Manifest).files;
    const rebuilt = (JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest).files;
    const mine = Object.keys(rebuilt).filter((f) => ids.some((id) => f.startsWith(`${id}/`)));
    const differ = mine.filter((f) => committed[f]?.sha256 !== rebuilt[f]!.sha256);
    // metrics.json records wall-clock times (each epoch's seconds, totalTrainSeconds, createdAt):
    // those may differ; every other field must not.
    const timingsOnly = differ.filter((f) => f.endsWith('/metrics.json') && existsSync(join(pretrained, f)) && sameBarTimings(readFileSync(join(pretrained, f), 'utf8'), readFileSync(join(dir, f), 'utf8')));
    const really = differ.filter((f) => !timingsOnly.includes(f));
    console.log(`${mine.length - differ.length} of ${mine.length} files of the retrained models are byte for byte the committed ones; ${timingsOnly.length} metrics.json differ only in their recorded timings`);
    if (really.length) console.log(`files that differ from the committed ones:\n  ${really.join('\n  ')}`);
    figures.push({
      metric: 'retrained files equal to the committed ones (byte for byte, metrics.json but for its timings)',
      value: mine.length - really.length,
      unit: `of ${mine.length}`,
      goal: 'all',
      ok: really.length === 0,
      note: `sha256 of every file under pretrained/<id>/ of the retrained models (manifest.json); ${mine.length - differ.length} byte for byte`,
    });
    figures.push({
      metric: full ? 'full zoo retrain (train all, bake, figures, compact), wall' : `retrain of ${only!.join(', ')}, wall`,
      value: wall / 60,
      unit: 'min',
      ...(full ? { goal: '≤ 15 min', ok: wall <= GOAL_S } : {}),
      note: `${ids.length} models, timed: node src/pipeline/retrain.ts into a temporary copy of pretrained/`,
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
writeResult('retrain', figures);

