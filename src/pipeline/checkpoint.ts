/**
 * Resumable training state after each completed epoch (for `train --resume`): `state.json`
 * (config, epoch, PRNG states, history, array index) + `arrays.bin` (parameters and Adam moments,
 * float32 little-endian). Written atomically; kept outside `pretrained/`.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceDirAtomic } from './atomic.ts';
import type { TrainConfig, TrainState } from './trainer.ts';

interface ArrayRef {
  group: 'params' | 'm' | 'v';
  name: string;
  offset: number;
  length: number;
}

export async function saveCheckpoint(dir: string, state: TrainState): Promise<void> {
  const refs: ArrayRef[] = [];
  const chunks: Float32Array[] = [];
  let offset = 0;
  const add = (group: ArrayRef['group'], arrays: Record<string, Float32Array>) => {
    for (const [name, a] of Object.entries(arrays)) {
      refs.push({ group, name, offset, length: a.length });
      chunks.push(a);
      offset += a.length;
    }
  };
  add('params', state.params);
  add('m', state.adam.m);
  add('v', state.adam.v);
  const all = new Float32Array(offset);
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.length;
  }
  const { params: _p, adam, ...rest } = state;
  const meta = { version: 1, ...rest, adamStep: adam.step, arrays: refs };
  await replaceDirAtomic(dir, async (tmp) => {
    await writeFile(join(tmp, 'arrays.bin'), new Uint8Array(all.buffer));
    await writeFile(join(tmp, 'state.json'), JSON.stringify(meta));
  });
}

/** The saved state, or `undefined` when `dir` holds no checkpoint. Throws on a damaged one. */
export async function loadCheckpoint(dir: string): Promise<TrainState | undefined> {
  let metaText: string;
  try {
    metaText = await readFile(join(dir, 'state.json'), 'utf8');
  } catch {
    return undefined;
  }
  const meta = JSON.parse(metaText) as Omit<TrainState, 'params' | 'adam'> & { version: number; adamStep: number; arrays: ArrayRef[] };
  const bytes = await readFile(join(dir, 'arrays.bin'));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const groups: Record<ArrayRef['group'], Record<string, Float32Array>> = { params: {}, m: {}, v: {} };
  for (const r of meta.arrays) {
    if (r.offset + r.length > all.length) throw new Error(`checkpoint ${dir} is truncated (arrays.bin too short)`);
    groups[r.group][r.name] = all.slice(r.offset, r.offset + r.length);
  }
  const { version: _v, adamStep, arrays: _a, ...rest } = meta;
  return { ...rest, params: groups.params, adam: { step: adamStep, m: groups.m, v: groups.v } };
}

export async function removeCheckpoint(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Why `state` cannot continue a run configured as `config` (all but `epochs` must match), or null. */
export function checkpointMismatch(state: TrainState, config: TrainConfig, trainSize: number, testSize: number): string | null {
  const diffs: string[] = [];
  for (const k of ['model', 'batchSize', 'lr', 'latentDim', 'seed'] as const) {
    if (state.config[k] !== config[k]) diffs.push(`${k} ${String(state.config[k])} ≠ ${String(config[k])}`);
  }
  // β and the dae's noise (absent: the defaults, 1 and 0.5)
  for (const [k, def] of [['beta', 1], ['noise', 0.5]] as const) {
    if ((state.config[k] ?? def) !== (config[k] ?? def)) diffs.push(`${k} ${state.config[k] ?? def} ≠ ${config[k] ?? def}`);
  }
  if (state.trainSize !== trainSize || state.testSize !== testSize) diffs.push(`data ${state.trainSize}/${state.testSize} ≠ ${trainSize}/${testSize} images`);
  if (state.epochsDone > config.epochs) diffs.push(`it already completed ${state.epochsDone} epoch(s), --epochs is ${config.epochs}`);
  return diffs.length ? diffs.join('; ') : null;
}
