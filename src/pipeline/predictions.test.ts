import { describe, expect, it } from 'vitest';
import { withPredictions, zooPredictions, type ZooMeasurements } from './predictions.ts';

/** A metrics.json-like object with the fields the predictions read. */
const metrics = (test: Record<string, unknown>, latentDim = 2) => ({ model: 'x', config: { latentDim }, final: { test } });

/** Synthetic measurements where every prediction holds. */
function good(): ZooMeasurements {
  return {
    metrics: {
      ae: metrics({ bce: 140, kl: 0, noisy: { sigma: 0.5, seed: 12345, bce: 200 } }),
      dae: metrics({ bce: 150, kl: 0, noisy: { sigma: 0.5, seed: 12345, bce: 160 } }),
      'beta-0.25': metrics({ bce: 130, kl: 9 }),
      'beta-0.5': metrics({ bce: 135, kl: 8 }),
      vae: metrics({ bce: 140, kl: 7 }),
      'beta-2': metrics({ bce: 150, kl: 5 }),
      'beta-4': metrics({ bce: 165, kl: 3.5 }),
      'beta-8': metrics({ bce: 185, kl: 2 }),
      'vae-20': metrics({ bce: 80, kl: 25, activeDims: 12, klPerDim: [2, 0.001] }, 20),
    },
    latentKnn: { vae: 0.72, cvae: 0.2 },
  };
}

describe('zooPredictions', () => {
  it('checks each prediction and puts it into the relevant models', () => {
    const p = zooPredictions(good());
    expect(Object.keys(p).sort()).toEqual(['beta-0.25', 'beta-0.5', 'beta-2', 'beta-4', 'beta-8', 'cvae', 'dae', 'vae-20']);
    for (const list of Object.values(p)) for (const x of list) expect(x.holds, x.claim).toBe(true);
    expect(p.dae![0]!.measured).toEqual({ daeNoisyBce: 160, aeNoisyBce: 200, ratio: 0.8 });
    expect(p['beta-8']![0]!.measured).toMatchObject({ models: ['beta-0.25', 'beta-0.5', 'vae', 'beta-2', 'beta-4', 'beta-8'], beta: [0.25, 0.5, 1, 2, 4, 8] });
    expect(p['beta-2']).toEqual(p['beta-8']); // the same β claim on every β model
    expect(p.cvae![0]!.measured).toEqual({ cvaeKnnAccuracy: 0.2, vaeKnnAccuracy: 0.72, ratio: 0.2778 });
    expect(p['vae-20']![0]!.measured).toMatchObject({ activeDims: 12, latentDim: 20 });
  });

  it('says "does not hold" with the numbers when a measurement disagrees', () => {
    const m = good();
    (m.metrics.dae as { final: { test: { noisy: { bce: number } } } }).final.test.noisy.bce = 190; // only 5 % better
    (m.metrics['beta-4'] as { final: { test: { kl: number } } }).final.test.kl = 5.5; // KL not monotone
    m.latentKnn.cvae = 0.5; // more than half the VAE's
    (m.metrics['vae-20'] as { final: { test: { activeDims: number } } }).final.test.activeDims = 20;
    const p = zooPredictions(m);
    expect(p.dae![0]).toMatchObject({ holds: false, measured: { ratio: 0.95 } });
    expect(p['beta-0.25']![0]).toMatchObject({ holds: false, measured: { kl: [9, 8, 7, 5, 5.5, 2] } });
    expect(p.cvae![0]!.holds).toBe(false);
    expect(p['vae-20']![0]).toMatchObject({ holds: false, measured: { activeDims: 20 } });
  });

  it('leaves out predictions whose measurements are missing', () => {
    expect(zooPredictions({ metrics: {}, latentKnn: {} })).toEqual({});
    const m = good();
    delete m.metrics.ae;
    delete m.latentKnn.vae;
    delete m.metrics['vae-20'];
    for (const id of ['beta-0.25', 'beta-0.5', 'beta-2', 'beta-4', 'beta-8']) delete m.metrics[id];
    expect(zooPredictions(m)).toEqual({});
    // a partial β ladder is checked over the models present
    const n = good();
    delete n.metrics['beta-4'];
    expect(zooPredictions(n)['beta-8']![0]!.measured.models).toEqual(['beta-0.25', 'beta-0.5', 'vae', 'beta-2', 'beta-8']);
  });
});

describe('withPredictions', () => {
  it('sets the list, keeps the other keys in order, and is idempotent', () => {
    const text = `${JSON.stringify({ model: 'dae', final: { test: { bce: 1 } } }, null, 2)}\n`;
    const list = [{ claim: 'c', measured: { a: 1 }, holds: true }];
    const once = withPredictions(text, list);
    expect(Object.keys(JSON.parse(once))).toEqual(['model', 'final', 'predictions']);
    expect(withPredictions(once, list)).toBe(once);
    expect(JSON.parse(withPredictions(once, []))).toMatchObject({ predictions: [] });
    expect(() => withPredictions('[1]', list)).toThrow(/not a JSON object/);
  });
});
