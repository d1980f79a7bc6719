import { describe, expect, it } from 'vitest';
import { architecture, MODEL_KINDS } from './architecture.ts';
import { findZooEntry, isVariational, ZOO, ZOO_KINDS, zooEntry, zooJson } from './zoo.ts';

describe('zoo registry', () => {
  it('lists the models of issue 10 in the shared order with their settings', () => {
    expect(ZOO.map((z) => [z.id, z.kind, z.latentDim, z.beta, z.conditional, z.noise])).toEqual([
      ['ae', 'ae', 2, null, false, null],
      ['vae', 'vae', 2, 1, false, null],
      ['ae-10', 'ae', 10, null, false, null],
      ['ae-20', 'ae', 20, null, false, null],
      ['vae-10', 'vae', 10, 1, false, null],
      ['vae-20', 'vae', 20, 1, false, null],
      ['beta-0.25', 'vae', 2, 0.25, false, null],
      ['beta-0.5', 'vae', 2, 0.5, false, null],
      ['beta-2', 'vae', 2, 2, false, null],
      ['beta-4', 'vae', 2, 4, false, null],
      ['beta-8', 'vae', 2, 8, false, null],
      ['cvae', 'cvae', 2, 1, true, null],
      ['dae', 'dae', 2, null, false, 0.5],
      ['attn', 'attn', 2, 1, false, null],
    ]);
    expect(new Set(ZOO.map((z) => z.id)).size).toBe(ZOO.length);
    expect(Object.isFrozen(ZOO) && Object.isFrozen(ZOO[0])).toBe(true);
  });

  it('zooEntry finds an id and names the known ones otherwise', () => {
    expect(zooEntry('beta-4')).toMatchObject({ kind: 'vae', beta: 4 });
    expect(() => zooEntry('gan')).toThrow(/unknown zoo model "gan"; known: ae, vae, ae-10/);
  });

  it('findZooEntry matches exact settings only', () => {
    expect(findZooEntry('vae', 10, 1, null)?.id).toBe('vae-10');
    expect(findZooEntry('vae', 2, 2, null)?.id).toBe('beta-2');
    expect(findZooEntry('dae', 2, null, 0.5)?.id).toBe('dae');
    expect(findZooEntry('vae', 3, 1, null)).toBeUndefined();
    expect(findZooEntry('dae', 2, null, 0.3)).toBeUndefined();
  });

  it('every non-attn entry has an MLP architecture with the contract shapes', () => {
    expect(ZOO_KINDS.filter((k) => k !== 'attn')).toEqual([...MODEL_KINDS]);
    for (const z of ZOO.filter((e) => e.kind !== 'attn')) {
      const arch = architecture(z.kind as (typeof MODEL_KINDS)[number], z.latentDim);
      expect(arch.variational).toBe(isVariational(z.kind));
      expect(arch.encoder[0]!.inputs).toBe(z.conditional ? 794 : 784);
      expect(arch.decoder[0]!.inputs).toBe(z.latentDim + (z.conditional ? 10 : 0));
      expect(arch.encoder.slice(1).map((l) => l.name)).toEqual(arch.variational ? ['mu', 'logvar'] : ['z']);
    }
  });

  it('zoo.json is the registry as { version: 1, models }', () => {
    const parsed = JSON.parse(zooJson()) as { version: number; models: unknown[] };
    expect(parsed).toEqual({ version: 1, models: ZOO.map((z) => ({ ...z })) });
    expect(zooJson()).toBe(zooJson());
    expect(Object.keys(parsed.models[0] as object)).toEqual(['id', 'kind', 'latentDim', 'beta', 'conditional', 'noise']);
  });
});
