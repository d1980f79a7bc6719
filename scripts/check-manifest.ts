/**
 * `node scripts/check-manifest.ts [DIR]` — checks `DIR/manifest.json` (default `pretrained/`)
 * against the files: every listed file exists with that SHA-256 and size, and every file under
 * DIR (hidden ones and the manifest itself aside, as `src/pipeline/manifest.ts` lists them) is
 * listed. Prints each problem and exits 1 if there is any; 0 and a one-line summary otherwise.
 * Used by CI after a bake; handy after any manual change to pretrained/.
 *
 * `node scripts/check-manifest.ts --model ID --against OUT [DIR]` — the reproducibility check:
 * the weights a fresh `npm run train -- --zoo ID --out OUT` wrote (every file of
 * `OUT/ID/encoder/` and `OUT/ID/decoder/`) must have exactly the SHA-256 that `DIR/manifest.json`
 * lists for the committed model (metrics.json is not compared: it records times and dates).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE, type Manifest } from '../src/contracts/manifest.ts';
import { computeManifest } from '../src/pipeline/manifest.ts';
import { type Flags, parseFlags, UsageError } from '../src/pipeline/usage.ts';

/** The problems found (empty when the manifest matches the folder). */
export async function checkManifest(dir: string): Promise<string[]> {
  let listed: Manifest;
  try {
    listed = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch (err) {
    return [`cannot read ${join(dir, MANIFEST_FILE)}: ${(err as Error).message}`];
  }
  if (listed?.version !== 1 || typeof listed.files !== 'object' || listed.files === null) return [`${join(dir, MANIFEST_FILE)}: not a version-1 manifest`];
  const actual = await computeManifest(dir);
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(listed.files)) {
    const a = actual.files[path];
    if (!a) problems.push(`${path}: listed but missing`);
    else if (a.sha256 !== entry.sha256) problems.push(`${path}: sha256 ${a.sha256}, the manifest says ${entry.sha256}`);
    else if (a.bytes !== entry.bytes) problems.push(`${path}: ${a.bytes} bytes, the manifest says ${entry.bytes}`);
  }
  for (const path of Object.keys(actual.files)) if (!(path in listed.files)) problems.push(`${path}: present but not in the manifest`);
  return problems;
}

/** The problems of a retrained model's weights against the committed manifest (empty: byte for byte the same). */
export function compareRetrained(model: string, out: string, dir: string): { problems: string[]; same: string[] } {
  const listed = (JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest).files;
  const problems: string[] = [];
  const same: string[] = [];
  for (const part of ['encoder', 'decoder']) {
    let names: string[];
    try {
      names = readdirSync(join(out, model, part)).sort();
    } catch (err) {
      problems.push(`${join(out, model, part)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      continue;
    }
    for (const name of names) {
      const path = `${model}/${part}/${name}`;
      const sha = createHash('sha256').update(readFileSync(join(out, model, part, name))).digest('hex');
      const want = listed[path]?.sha256;
      if (want === undefined) problems.push(`${path}: retrained ${sha}, not in the committed manifest`);
      else if (sha !== want) problems.push(`${path}: retrained ${sha}, committed ${want}`);
      else same.push(`${path} ${sha}`);
    }
  }
  if (!same.length && !problems.length) problems.push(`${join(out, model)}: no weight files`);
  return { problems, same };
}

if (import.meta.main) {
  let flags: Flags;
  try {
    flags = parseFlags(process.argv.slice(2), { values: ['model', 'against'], positionals: 1 });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`check-manifest: ${err.message}\n`);
    process.exit(2);
  }
  const model = flags.values.get('model');
  const against = flags.values.get('against');
  if ((model === undefined) !== (against === undefined)) {
    process.stderr.write('check-manifest: --model and --against go together\n');
    process.exit(2);
  }
  const dir = flags.positionals[0] ?? 'pretrained';
  if (model !== undefined && against !== undefined) {
    const { problems, same } = compareRetrained(model, against, dir);
    for (const s of same) process.stdout.write(`same: ${s}\n`);
    if (problems.length) {
      process.stderr.write(`check-manifest: the retrained ${model} differs from the committed one:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
      process.exit(1);
    }
    process.stdout.write(`check-manifest: the retrained ${model} is byte for byte the committed one (${same.length} files)\n`);
    process.exit(0);
  }
  const problems = await checkManifest(dir);
  if (problems.length) {
    process.stderr.write(`check-manifest: ${problems.length} problem(s) in ${dir}/:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  const n = Object.keys((JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest).files).length;
  process.stdout.write(`check-manifest: ${dir}/${MANIFEST_FILE} matches all ${n} files\n`);
}
