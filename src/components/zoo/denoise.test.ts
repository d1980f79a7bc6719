import { describe, expect, it } from 'vitest';
import { curve } from '../../contracts/fixtures.test-helper.ts';
import { SIGMAS } from '../../contracts/denoise-curve.ts';
import { crossing, curveAt, renderDenoiseCurve, sigmaX } from './denoise.ts';

describe('reading the curve', () => {
  it('interpolates between baked σ and clamps at the ends', () => {
    const c = curve();
    expect(curveAt(c, c.models[0]!, 0)).toBe(150);
    expect(curveAt(c, c.models[0]!, 0.25)).toBeCloseTo(190, 10);
    expect(curveAt(c, c.models[0]!, 2)).toBe(246);
  });
  it('finds where the DAE overtakes the AE', () => {
    const c = curve();
    // d = dae − ae: 16 at σ 0, −74 at σ 0.5 → crossing at 0.5 · 16/90
    expect(crossing(c, c.models[1]!, c.models[0]!)).toBeCloseTo((0.5 * 16) / 90, 10);
    expect(crossing(c, c.models[0]!, c.models[1]!)).toBe(0);
    expect(crossing(c, c.models[0]!, { bce: [0, 0, 0] })).toBeNull();
  });
  it('bakes σ = 0, 0.1, …, 1', () => {
    expect(SIGMAS).toHaveLength(11);
    expect(SIGMAS[5]).toBe(0.5);
    expect(SIGMAS[10]).toBe(1);
  });
});

describe('renderDenoiseCurve', () => {
  it('draws one path per model, a marker at σ and a text alternative with the numbers', () => {
    const svg = renderDenoiseCurve(curve(), 0.3);
    expect(svg.match(/<path /g)).toHaveLength(3);
    expect(svg).toContain(`data-role="sigma-marker" aria-hidden="true" x1="${sigmaX(0.3)}"`);
    expect(svg).toMatch(/role="img" aria-labelledby="zoo-dn-t zoo-dn-d"/);
    expect(svg).toContain('DAE (dae): σ 0.0 → 166.0, σ 0.5 → 156.0, σ 1.0 → 176.0');
    expect(sigmaX(0)).toBeLessThan(sigmaX(1));
  });
});
