import { describe, expect, it } from 'vitest';
import { EVAL_EVERY, RateMeter, evalDue, evalInterval, isDue, refreshInterval, runSlice } from './schedule.ts';

/** A fake clock that advances by `cost` ms per training step. */
function fakeClock(cost: number) {
  let now = 0;
  return { clock: () => now, step: () => void (now += cost) };
}

describe('runSlice', () => {
  it('runs steps until the budget is spent', () => {
    const c = fakeClock(3);
    expect(runSlice(c.step, c.clock, 12)).toBe(4);
  });

  it('always runs at least one step, even a slow one', () => {
    const c = fakeClock(50);
    expect(runSlice(c.step, c.clock, 12)).toBe(1);
  });

  it('respects maxSteps and stop()', () => {
    const c = fakeClock(1);
    expect(runSlice(c.step, c.clock, 12, 5)).toBe(5);
    let n = 0;
    expect(runSlice(() => (c.step(), n++), c.clock, 12, Infinity, () => n >= 2)).toBe(2);
  });
});

describe('RateMeter', () => {
  it('measures steps per second over its window', () => {
    const m = new RateMeter(1000);
    expect(m.rate()).toBeUndefined();
    for (let t = 0; t <= 500; t += 10) m.tick(t);
    expect(m.rate()).toBeCloseTo(100, 6);
    // Old steps fall out of the window: now 20 steps/s.
    for (let t = 550; t <= 3000; t += 50) m.tick(t);
    expect(m.rate()).toBeCloseTo(20, 6);
    m.reset();
    expect(m.rate()).toBeUndefined();
  });

  it('counts several steps finished at once', () => {
    const m = new RateMeter(1000);
    m.tick(0);
    m.tick(100, 10);
    expect(m.rate()).toBeCloseTo(100, 6);
  });
});

describe('refresh scheduling', () => {
  it('refreshes visuals 4× a second, once a second with reduced motion', () => {
    expect(refreshInterval(false)).toBe(250);
    expect(refreshInterval(true)).toBe(1000);
    expect(isDue(1249, 1000, 250)).toBe(false);
    expect(isDue(1250, 1000, 250)).toBe(true);
  });

  it('evaluates the held-out digits at steps 25, 50, 100, 200, then every 200', () => {
    expect(EVAL_EVERY).toBe(200);
    const evals: number[] = [];
    let last = 0;
    for (let step = 1; step <= 1000; step++) {
      if (evalDue(step, last)) {
        evals.push(step);
        last = step;
      }
    }
    expect(evals).toEqual([25, 50, 100, 200, 400, 600, 800, 1000]);
    expect(evalInterval(0)).toBe(25);
    expect(evalDue(450, 400, 50)).toBe(true);
    expect(evalDue(449, 400, 50)).toBe(false);
  });
});
