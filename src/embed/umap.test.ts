import { describe, expect, it } from 'vitest';
import { knnAccuracy } from './metrics.ts';
import { createRandom, gaussian } from './random.ts';
import { umap } from './umap.ts';

describe('UMAP wrapper', () => {
  const r = createRandom(3);
  const labels = Array.from({ length: 150 }, (_, i) => Math.floor(i / 50));
  const data = Float64Array.from({ length: 150 * 3 }, (_, t) => 20 * labels[Math.floor(t / 3)]! * (t % 3 === 0 ? 1 : 0) + gaussian(r));

  it('is seeded: same seed, same map; separates clear clusters', () => {
    const a = umap(data, 3, { seed: 1, nEpochs: 100 });
    const b = umap(data, 3, { seed: 1, nEpochs: 100 });
    const c = umap(data, 3, { seed: 2, nEpochs: 100 });
    expect(a.embedding).toHaveLength(300);
    expect(Array.from(a.embedding)).toEqual(Array.from(b.embedding));
    expect(Array.from(a.embedding)).not.toEqual(Array.from(c.embedding));
    expect(knnAccuracy(a.embedding, 2, labels, 10)).toBeGreaterThan(0.95);
  });

  it('rejects too few points for the neighbourhood', () => {
    expect(() => umap(data.subarray(0, 30), 3)).toThrow(/nNeighbors = 15 needs more than 15 points/);
  });
});
