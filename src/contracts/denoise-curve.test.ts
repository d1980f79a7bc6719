import { describe, expect, it } from 'vitest';
import { curve } from './fixtures.test-helper.ts';
import { ZOO } from '../models/zoo.ts';
import { ZooDataError } from './zoo.ts';
import { denoiseModels, parseDenoiseCurve, pickByKind } from './denoise-curve.ts';

describe('picking the models by kind', () => {
  it('takes the 2-D ae, dae and the plain 2-D vae of the registry, never a β-VAE or a 10-D model', () => {
    expect(denoiseModels(ZOO).map((m) => m.id)).toEqual(['ae', 'dae', 'vae']);
    expect(pickByKind(ZOO, 'cvae')?.id).toBe('cvae');
    // Registry order does not matter: a β-VAE or a bigger code listed first is skipped.
    const shuffled = [...ZOO].reverse();
    expect(pickByKind(shuffled, 'vae')?.id).toBe('vae');
    expect(pickByKind(shuffled, 'ae')?.id).toBe('ae');
  });
  it('names the kind the zoo lacks', () => {
    expect(() => denoiseModels(ZOO.filter((m) => m.kind !== 'dae'))).toThrow(/no 2-D dae/);
  });
});

describe('parseDenoiseCurve', () => {
  it('accepts a well-formed curve', () => {
    expect(parseDenoiseCurve(JSON.parse(JSON.stringify(curve()))).models.map((m) => m.id)).toEqual(['ae', 'dae', 'vae']);
  });
  it('names the file and the field of a broken one', () => {
    const broken = (f: (c: Record<string, unknown>) => void) => {
      const c = JSON.parse(JSON.stringify(curve())) as Record<string, unknown>;
      f(c);
      return () => parseDenoiseCurve(c, 'pretrained/denoise-curve.json');
    };
    expect(broken((c) => (c.version = 2))).toThrow(ZooDataError);
    expect(broken((c) => (c.sigmas = [0, 0.5, 0.4]))).toThrow(/"sigmas"/);
    expect(broken((c) => ((c.models as { bce: number[] }[])[1]!.bce = [1, 2]))).toThrow(/models\[1\]\.bce/);
    expect(broken((c) => ((c.models as { kind: string }[])[0]!.kind = 'cvae'))).toThrow(/models\[0\]\.kind/);
    expect(() => parseDenoiseCurve('nope')).toThrow(/pretrained\/denoise-curve\.json/);
  });
});
