/**
 * `npm run bench:zoo [-- --pretrained DIR --reference FILE]`: quality of every zoo model (issue 10)
 * against the same recipe trained in PyTorch (bench/reference/zoo.py, whose results over seeds are
 * committed in bench/reference/zoo-results.json), and the literature's predictions checked on both.
 *
 * It trains nothing: it reads our committed `pretrained/<id>/metrics.json` (and `embeddings.json`
 * for the 10-NN label accuracy of the codes) and the reference results. All figures are nats per
 * image on the 10,000 test digits.
 *
 * The goal, per model, on its own training objective measured on the test set (lower is better):
 * AE: BCE; DAE: BCE of the reconstruction of noised inputs (σ = 0.5) against the clean digits;
 * VAE family: BCE + β·KL with one sampled z per image (−ELBO for β = 1). Criterion: our committed
 * model (one seed, the pipeline's default) scores ≤ the PyTorch mean over its seeds plus one
 * standard error of that mean (sd / √n, sample sd), i.e. it is not measurably worse than a typical
 * PyTorch run. Models without `pretrained/<id>/metrics.json` are listed as "not trained yet".
 *
 * A second comparison, when `bench/zoo-seeds-results.json` exists (`npm run bench:zoo-seeds`): our
 * recipe over the same seeds as PyTorch's, distribution against distribution, since one committed
 * model is one draw of its recipe. Criterion: our mean − PyTorch's mean ≤ 2·√(se_ours² + se_torch²)
 * (the difference is not significantly positive, one-sided, about 97.5 %), with at least 3 seeds a side.
 *
 * The predictions use the thresholds of src/pipeline/predictions.ts (DEVELOPERS.md, Predictions in
 * metrics.json), checked here on our models and on the PyTorch means alike.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { option } from './args.ts';
import { type Figure, writeResult } from './report.ts';

const opt = (name: string, def: string) => option(name) ?? def;
const repo = join(import.meta.dirname, '..');
const pretrained = opt('pretrained', join(repo, 'pretrained'));
const referenceFile = opt('reference', join(repo, 'bench', 'reference', 'zoo-results.json'));
/** Our recipe over several seeds (`npm run bench:zoo-seeds`); optional. */
const oursSeedsFile = opt('ours-seeds', join(repo, 'bench', 'zoo-seeds-results.json'));

interface Spec {
  kind: string;
  latentDim: number;
  beta: number | null;
  conditional?: boolean;
  noise?: number | null;
}
interface Scores {
  loss: number;
  bce: number;
  kl: number;
  klPerDim?: number[];
  activeDims?: number;
  noisy?: { sigma: number; seed: number; bce: number };
  knn10?: number;
}
interface Reference {
  torch: string;
  threads: number;
  blas: string[];
  recipe: { epochs: number };
  models: Record<string, { spec: Spec; seeds: Record<string, Scores & { trainSeconds: number }> }>;
}

function readJson<T>(file: string): T | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
}

const reference = readJson<Reference>(referenceFile);
if (!reference) {
  console.error(`${referenceFile} not found: run the reference first (python3 bench/reference/zoo.py --plan, see DEVELOPERS.md).`);
  process.exit(1);
}
const zooJson = readJson<{ models: Array<Spec & { id: string }> }>(join(pretrained, 'zoo.json'));
// the registry's order when the pipeline has written it, else the reference's
const specs: Array<Spec & { id: string }> = zooJson?.models ?? Object.entries(reference.models).map(([id, m]) => ({ id, ...m.spec }));

/** Our committed model's test scores, or null when it is not trained yet. */
function ours(id: string): (Scores & { seed?: number }) | null {
  const m = readJson<{ config?: { seed?: number }; final?: { test?: Scores } }>(join(pretrained, id, 'metrics.json'));
  const test = m?.final?.test;
  if (!test) return null;
  const emb = readJson<{ metrics?: { latent?: { knnAccuracy?: number } } }>(join(pretrained, id, 'embeddings.json'));
  const knn10 = emb?.metrics?.latent?.knnAccuracy;
  return { ...test, ...(knn10 !== undefined ? { knn10 } : {}), ...(m?.config?.seed !== undefined ? { seed: m.config.seed } : {}) };
}

interface Stats {
  n: number;
  mean: number;
  sd: number;
  se: number;
  min: number;
  max: number;
}
function stats(xs: number[]): Stats {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { n, mean, sd, se: sd / Math.sqrt(n), min: Math.min(...xs), max: Math.max(...xs) };
}

/** The objective each kind is trained on, measured on the test set. */
function objective(spec: Spec): { name: string; of: (s: Scores) => number | undefined } {
  if (spec.kind === 'ae') return { name: 'BCE', of: (s) => s.bce };
  if (spec.kind === 'dae') return { name: `noisy BCE (σ ${spec.noise ?? 0.5})`, of: (s) => s.noisy?.bce };
  const beta = spec.beta ?? 1;
  return beta === 1 ? { name: '−ELBO', of: (s) => s.bce + s.kl } : { name: `BCE + ${beta}·KL`, of: (s) => s.bce + beta * s.kl };
}

const fmt = (x: number | undefined, d = 2) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));
const refSeeds = (id: string) => Object.values(reference.models[id]?.seeds ?? {});
const refStat = (id: string, f: (s: Scores) => number | undefined) => {
  const xs = refSeeds(id)
    .map(f)
    .filter((x): x is number => x !== undefined && Number.isFinite(x));
  return xs.length ? stats(xs) : null;
};

console.log(`PyTorch reference: ${referenceFile}`);
console.log(`  torch ${reference.torch}, ${reference.threads} thread(s), BLAS ${reference.blas.map((p) => p.split('/').pop()).join(', ') || 'unknown'}, ${reference.recipe.epochs} epochs`);
console.log('Criterion: ours (committed seed) ≤ PyTorch mean + 1 standard error (sd/√n over its seeds) of the training objective on the test set.\n');

const figures: Figure[] = [];
const rows: Record<string, string | number>[] = [];
for (const spec of specs) {
  const obj = objective(spec);
  const o = ours(spec.id);
  const r = refStat(spec.id, obj.of);
  const ov = o ? obj.of(o) : undefined;
  const bar = r ? r.mean + r.se : undefined;
  const row: Record<string, string | number> = {
    model: spec.id,
    objective: obj.name,
    ours: o ? (ov === undefined ? 'no figure' : fmt(ov)) : 'not trained yet',
    'PyTorch mean ± sd': r ? `${fmt(r.mean)} ± ${fmt(r.sd)}` : 'no reference',
    'PyTorch range': r ? `${fmt(r.min)}–${fmt(r.max)}` : '',
    seeds: r?.n ?? 0,
    'bar (mean + se)': fmt(bar),
    met: ov !== undefined && bar !== undefined ? (ov <= bar ? 'yes' : 'NO') : '',
  };
  rows.push(row);
  const note = r ? `${obj.name}; PyTorch ${fmt(r.mean)} ± ${fmt(r.sd)} over ${r.n} seeds (${fmt(r.min)}–${fmt(r.max)})` : `${obj.name}; no PyTorch reference`;
  if (!o) {
    figures.push({ metric: `${spec.id} test ${obj.name}`, value: NaN, unit: 'nats', note: `not trained yet; ${note}` });
    continue;
  }
  figures.push({
    metric: `${spec.id} test ${obj.name}`,
    value: ov ?? NaN,
    unit: 'nats',
    note,
    ...(bar !== undefined ? { goal: `≤ ${fmt(bar)} (PyTorch mean + se)`, ok: ov !== undefined && ov <= bar } : {}),
  });
}
console.table(rows);
// the same as markdown, for the README
console.log('\n| model | test objective | ours | PyTorch mean ± sd (seeds; range) | bar: mean + se | met |\n| --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| \`${r.model}\` | ${r.objective} | ${r.ours} | ${r.seeds ? `${r['PyTorch mean ± sd']} (${r.seeds}; ${r['PyTorch range']})` : r['PyTorch mean ± sd']} | ${r['bar (mean + se)']} | ${r.met === 'NO' ? '**no**' : r.met} |`);
console.log('');

// Our recipe over seeds against PyTorch's (bench:zoo-seeds), when measured.
const oursSeeds = readJson<{ models: Record<string, { seeds: Record<string, Scores> }> }>(oursSeedsFile);
const oursSeedStat = (id: string, f: (s: Scores) => number | undefined) => {
  const xs = Object.values(oursSeeds?.models[id]?.seeds ?? {})
    .map(f)
    .filter((x): x is number => x !== undefined && Number.isFinite(x));
  return xs.length ? stats(xs) : null;
};
if (oursSeeds) {
  console.log(`Our recipe over seeds: ${oursSeedsFile}`);
  console.log('Criterion: ours mean − PyTorch mean ≤ 2·√(se_ours² + se_PyTorch²), at least 3 seeds a side (the recipe is not measurably worse).\n');
  const seedRows: Record<string, string | number>[] = [];
  for (const spec of specs) {
    const obj = objective(spec);
    const o = oursSeedStat(spec.id, obj.of);
    const r = refStat(spec.id, obj.of);
    if (!o || !r) continue;
    const diff = o.mean - r.mean;
    const allowed = 2 * Math.sqrt(o.se ** 2 + r.se ** 2);
    const enough = o.n >= 3 && r.n >= 3;
    seedRows.push({
      model: spec.id,
      objective: obj.name,
      'ours mean ± sd': `${fmt(o.mean)} ± ${fmt(o.sd)}`,
      'ours seeds': o.n,
      'PyTorch mean ± sd': `${fmt(r.mean)} ± ${fmt(r.sd)}`,
      'PyTorch seeds': r.n,
      'ours − PyTorch': fmt(diff),
      'allowed (2·se)': fmt(allowed),
      met: enough ? (diff <= allowed ? 'yes' : 'NO') : 'too few seeds',
    });
    if (enough) {
      figures.push({
        metric: `${spec.id} recipe over seeds: ours − PyTorch ${obj.name}`,
        value: diff,
        unit: 'nats',
        goal: `≤ ${fmt(allowed)} (2·se of the difference)`,
        ok: diff <= allowed,
        note: `ours ${fmt(o.mean)} ± ${fmt(o.sd)} (${o.n} seeds, ${fmt(o.min)}–${fmt(o.max)}); PyTorch ${fmt(r.mean)} ± ${fmt(r.sd)} (${r.n} seeds)`,
      });
    }
  }
  console.table(seedRows);
  console.log('\n| model | test objective | ours: mean ± sd (seeds) | PyTorch: mean ± sd (seeds) | ours − PyTorch | allowed | met |\n| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of seedRows) console.log(`| \`${r.model}\` | ${r.objective} | ${r['ours mean ± sd']} (${r['ours seeds']}) | ${r['PyTorch mean ± sd']} (${r['PyTorch seeds']}) | ${r['ours − PyTorch']} | ${r['allowed (2·se)']} | ${r.met === 'NO' ? '**no**' : r.met} |`);
  console.log('');
} else console.log(`(${oursSeedsFile} not found: run npm run bench:zoo-seeds to compare our recipe over seeds too)\n`);

// Secondary figures: each side's BCE and KL, active dims, noisy BCE, 10-NN label accuracy.
const detail: Record<string, string | number>[] = [];
for (const spec of specs) {
  const o = ours(spec.id);
  const both = (label: string, f: (s: Scores) => number | undefined, d = 2) => {
    const r = refStat(spec.id, f);
    const ov = o ? f(o) : undefined;
    if (ov === undefined && !r) return;
    detail.push({ model: spec.id, figure: label, ours: o ? fmt(ov, d) : 'not trained yet', 'PyTorch mean ± sd': r ? `${fmt(r.mean, d)} ± ${fmt(r.sd, d)}` : '–', 'PyTorch range': r ? `${fmt(r.min, d)}–${fmt(r.max, d)}` : '' });
  };
  both('BCE', (s) => s.bce);
  if (spec.kind !== 'ae' && spec.kind !== 'dae') {
    both('KL', (s) => s.kl);
    both('active dims', (s) => s.activeDims, 1);
    if (spec.latentDim > 2) both('smallest KL of a dim', (s) => (s.klPerDim?.length ? Math.min(...s.klPerDim) : undefined), 3);
  }
  both('noisy BCE', (s) => s.noisy?.bce);
  if (spec.latentDim <= 2) both('10-NN accuracy', (s) => s.knn10, 3); // the reference scores 2-D codes only
}
console.table(detail);

// The literature's predictions, checked on our models and on the PyTorch means.
console.log('\nPredictions from the literature');
const meanOf = (id: string, f: (s: Scores) => number | undefined) => refStat(id, f)?.mean;
const oursOf = (id: string, f: (s: Scores) => number | undefined) => {
  const o = ours(id);
  return o ? f(o) : undefined;
};
const check = (metric: string, value: number | undefined, ok: boolean | undefined, goal: string, note: string) => {
  console.log(`- ${metric}: ${value === undefined ? 'not measurable yet' : `${fmt(value, 3)} (${ok ? 'holds' : 'does NOT hold'})`}; ${note}`);
  figures.push({ metric, value: value ?? NaN, unit: '', goal, ...(value !== undefined && ok !== undefined ? { ok } : {}), note });
};

// 1. The DAE beats the AE on noisy inputs by a wide margin: at least 10 % lower noisy BCE.
/** Our mean over seeds, only where at least 3 seeds were trained (fewer would be a committed model again). */
const oursSeedMean = (id: string, f: (s: Scores) => number | undefined) => {
  const st = oursSeedStat(id, f);
  return st && st.n >= 3 ? st.mean : undefined;
};
/** The sides a prediction is checked on: our committed models, PyTorch's seed means and (when measured) our seed means. */
const SIDES = [
  ['ours', oursOf],
  ['PyTorch', meanOf],
  ...(oursSeeds ? ([['ours, mean over seeds', oursSeedMean]] as const) : []),
] as const;
for (const [side, get] of SIDES) {
  const dae = get('dae', (s) => s.noisy?.bce);
  const ae = get('ae', (s) => s.noisy?.bce);
  const ratio = dae !== undefined && ae !== undefined ? dae / ae : undefined;
  check(`dae / ae noisy BCE (${side})`, ratio, ratio !== undefined ? ratio <= 0.9 : undefined, '≤ 0.9 (DAE ≥ 10 % better)', `noisy BCE σ 0.5: dae ${fmt(dae)}, ae ${fmt(ae)}`);
}

// 2. Larger β trades BCE for KL: over the 2-D VAEs ordered by β, BCE never falls and KL never rises.
const betaIds = specs.filter((s) => s.kind === 'vae' && s.latentDim === 2 && s.beta !== null).sort((a, b) => a.beta! - b.beta!);
for (const [side, get] of SIDES) {
  const pts = betaIds.map((s) => ({ beta: s.beta!, bce: get(s.id, (x) => x.bce), kl: get(s.id, (x) => x.kl) })).filter((p) => p.bce !== undefined && p.kl !== undefined);
  let violations = 0;
  for (let i = 1; i < pts.length; i++) violations += (pts[i]!.bce! < pts[i - 1]!.bce! ? 1 : 0) + (pts[i]!.kl! > pts[i - 1]!.kl! ? 1 : 0);
  const list = pts.map((p) => `β ${p.beta}: ${fmt(p.bce)} + ${fmt(p.kl)}`).join('; ');
  check(`β trade-off order violations (${side})`, pts.length >= 2 ? violations : undefined, violations === 0, '0 (BCE rises, KL falls with β)', `${pts.length} of ${betaIds.length} β-VAEs measured; ${list}`);
}

// 3. The CVAE's code carries little label information: 10-NN accuracy below half the VAE's.
for (const [side, get] of [
  ['ours', oursOf],
  ['PyTorch', meanOf],
] as const) {
  const c = get('cvae', (s) => s.knn10);
  const v = get('vae', (s) => s.knn10);
  const ratio = c !== undefined && v !== undefined ? c / v : undefined;
  check(`cvae / vae 10-NN label accuracy (${side})`, ratio, ratio !== undefined ? ratio < 0.5 : undefined, '< 0.5', `leave-one-out 10-NN on the test codes: cvae ${fmt(c, 3)}, vae ${fmt(v, 3)} (chance 0.1)`);
}

// 4. A 20-D VAE switches off dimensions it does not need: fewer than 20 active dims (mean KL > 0.01).
for (const [side, get] of SIDES) {
  const a = get('vae-20', (s) => s.activeDims);
  const per = side === 'PyTorch' ? ` (seeds: ${refSeeds('vae-20').map((s) => s.activeDims).join(', ')})` : '';
  check(`vae-20 active dims (${side})`, a, a !== undefined ? a < 20 : undefined, '< 20 (posterior collapse)', `dims with mean KL > 0.01 nats${per}`);
}

writeResult('zoo', figures);
