/**
 * Build-time lookup of the measured numbers that the chapters quote.
 *
 * Prose never types a number that the pipeline measured: it names a field of a committed JSON file
 * under `pretrained/` and this module reads it while the site is built. A file or field that does
 * not exist yet yields `undefined` plus a human-readable reason; it never throws, so a missing
 * artifact cannot break the build.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pretrainedDir } from './pretrained.ts';

/** Where a number comes from: a model's `metrics.json` or any JSON file under `pretrained/`. */
export interface NumSource {
  /** Shorthand for `file: '<model>/metrics.json'`. */
  model?: 'ae' | 'vae';
  /** Path relative to `pretrained/`, e.g. `ae/embeddings.json`. */
  file?: string;
  /**
   * Dotted path into the JSON. Array indices may be negative (`epochs.-1` is the last epoch) and
   * `*` maps over an array (`epochs.*.seconds`), giving a list to be reduced.
   */
  path: string;
  /** How a list is turned into one number. */
  reduce?: Reduce;
}

/** Reductions available for a path that yields a list of numbers. */
export type Reduce = 'mean' | 'sum' | 'min' | 'max' | 'first' | 'last' | 'count';

/** The outcome of a lookup: a number, or the reason there is none. */
export type NumResult = { ok: true; value: number; file: string } | { ok: false; reason: string; file: string };

/** How a number is written. */
export type NumFormat = 'number' | 'percent' | 'integer' | 'text';

const jsonCache = new Map<string, unknown>();

/** The `pretrained/`-relative file a source points at. */
export function sourceFile(src: Pick<NumSource, 'model' | 'file'>): string {
  if (src.file) return src.file;
  if (src.model) return `${src.model}/metrics.json`;
  throw new Error('Num: give either `model` or `file`.');
}

/** Reads and parses `pretrained/<file>` once per build; `undefined` when absent or unparsable. */
export function readPretrained(file: string, root = process.cwd()): { data?: unknown; error?: string } {
  const key = resolve(pretrainedDir(root), file);
  if (jsonCache.has(key)) return { data: jsonCache.get(key) };
  let text: string;
  try {
    text = readFileSync(key, 'utf8');
  } catch {
    return { error: `pretrained/${file} does not exist yet` };
  }
  try {
    const data: unknown = JSON.parse(text);
    jsonCache.set(key, data);
    return { data };
  } catch {
    return { error: `pretrained/${file} is not valid JSON` };
  }
}

/** Forgets cached files (for tests, and for `astro dev` after the pipeline rewrites them). */
export function clearCache(): void {
  jsonCache.clear();
}

/** Follows a dotted path (with negative indices and `*`) through parsed JSON. */
export function lookup(data: unknown, path: string): unknown {
  const parts = path.split('.').filter((p) => p.length > 0);
  let current: unknown[] = [data];
  let mapped = false;
  for (const part of parts) {
    const next: unknown[] = [];
    for (const node of current) {
      if (part === '*') {
        if (!Array.isArray(node)) return undefined;
        next.push(...node);
        mapped = true;
      } else if (Array.isArray(node) && /^-?\d+$/.test(part)) {
        const i = Number(part);
        next.push(node.at(i));
      } else if (node !== null && typeof node === 'object' && Object.hasOwn(node, part)) {
        next.push((node as Record<string, unknown>)[part]);
      } else {
        next.push(undefined);
      }
    }
    current = next;
  }
  return mapped ? current : current[0];
}

/** Turns a list of numbers into one number. */
export function reduceList(values: number[], how: Reduce): number | undefined {
  if (how === 'count') return values.length;
  if (values.length === 0) return undefined;
  switch (how) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'first':
      return values[0];
    case 'last':
      return values.at(-1);
  }
}

/** Resolves a source to a finite number, or explains why it cannot. */
export function resolveNum(src: NumSource, root = process.cwd()): NumResult {
  const file = sourceFile(src);
  const { data, error } = readPretrained(file, root);
  if (error !== undefined) return { ok: false, reason: error, file };
  let value = lookup(data, src.path);
  if (Array.isArray(value)) {
    const nums = value.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (nums.length !== value.length) {
      return { ok: false, reason: `pretrained/${file}: ${src.path} holds non-numbers`, file };
    }
    if (!src.reduce) {
      return { ok: false, reason: `pretrained/${file}: ${src.path} is a list; say how to reduce it`, file };
    }
    value = reduceList(nums, src.reduce);
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { ok: false, reason: `pretrained/${file} has no number at ${src.path} yet`, file };
  }
  return { ok: true, value, file };
}

/** Resolves a source to a string field (e.g. `config.backend`), or explains why it cannot. */
export function resolveText(src: NumSource, root = process.cwd()): { ok: true; value: string; file: string } | { ok: false; reason: string; file: string } {
  const file = sourceFile(src);
  const { data, error } = readPretrained(file, root);
  if (error !== undefined) return { ok: false, reason: error, file };
  const value = lookup(data, src.path);
  if (typeof value === 'string' && value.length > 0) return { ok: true, value, file };
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value: String(value), file };
  return { ok: false, reason: `pretrained/${file} has no text at ${src.path} yet`, file };
}

/** Writes a number for prose: fixed decimals, thousands separators, percent when asked. */
export function formatNum(value: number, format: Exclude<NumFormat, 'text'> = 'number', digits?: number): string {
  const scaled = format === 'percent' ? value * 100 : value;
  const d = format === 'integer' ? 0 : (digits ?? 1);
  const text = new Intl.NumberFormat('en-GB', {
    minimumFractionDigits: d,
    maximumFractionDigits: d,
  }).format(scaled);
  // A typographic minus reads better than a hyphen in prose.
  return (format === 'percent' ? `${text}%` : text).replace(/^-/, '\u2212');
}

/** Which of two measured numbers is larger, treating differences within `tolerance` as a tie. */
export function compareNums(
  a: NumSource,
  b: NumSource,
  tolerance = 0,
  root = process.cwd(),
): { outcome: 'greater' | 'less' | 'similar'; a: number; b: number } | { outcome: 'unknown'; reason: string } {
  const ra = resolveNum(a, root);
  const rb = resolveNum(b, root);
  if (!ra.ok) return { outcome: 'unknown', reason: ra.reason };
  if (!rb.ok) return { outcome: 'unknown', reason: rb.reason };
  const diff = ra.value - rb.value;
  const outcome = Math.abs(diff) <= tolerance ? 'similar' : diff > 0 ? 'greater' : 'less';
  return { outcome, a: ra.value, b: rb.value };
}
