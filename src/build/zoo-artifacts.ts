/**
 * Build-time access to the zoo's artifacts, for the `.astro` figures of the Future-work chapter.
 * Node only — never import from a browser script.
 *
 * A file that is not there yet reads as missing (the figure shows "—" and a note; the build warns
 * once). A file that is there but is not valid JSON, or breaks its contract, throws a
 * `ZooDataError` that names it: the build fails with that message rather than publish a wrong
 * number.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseZoo, ZooDataError, type ZooModel } from '../contracts/zoo.ts';
import { zooRows, type Read, type ZooRow } from '../components/zoo/data.ts';
import { pretrainedDir } from './pretrained.ts';
import { warnOnce } from './warn.ts';

const cache = new Map<string, Read>();

/** Parsed `pretrained/<path>`, or `{ ok: false }` when absent; throws on invalid JSON. */
export function readArtifact(path: string): Read {
  const file = resolve(pretrainedDir(), path);
  const hit = cache.get(file);
  if (hit) return hit;
  let result: Read;
  if (!existsSync(file)) result = { ok: false };
  else {
    try {
      result = { ok: true, data: JSON.parse(readFileSync(file, 'utf8')) };
    } catch (err) {
      throw new ZooDataError(`pretrained/${path} is not valid JSON (${(err as Error).message}).`);
    }
  }
  cache.set(file, result);
  return result;
}

/** The zoo's models from `pretrained/zoo.json`; an empty list (and a warning) before it exists. */
export function loadZoo(): ZooModel[] {
  const r = readArtifact('zoo.json');
  if (!r.ok) {
    warnOnce('[zoo] pretrained/zoo.json does not exist yet; the zoo figures show no models.');
    return [];
  }
  return parseZoo(r.data);
}

/** Every model's row for the zoo table (and the figures built from it), read once per build. */
export function loadZooRows(base = import.meta.env?.BASE_URL ?? '/'): ZooRow[] {
  const rows = zooRows(loadZoo(), readArtifact, base);
  for (const r of rows) if (r.missing.length) warnOnce(`[zoo] ${r.model.id}: ${r.missing.join(' and ')} not committed yet; its cells read "—".`);
  return rows;
}
