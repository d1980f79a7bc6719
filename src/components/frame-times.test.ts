import { describe, expect, it } from 'vitest';
import { FRAME_TIMES_KEPT, frameHooks, recordTime } from './frame-times.ts';

describe('recordTime', () => {
  it('keeps the newest frame times only (test hooks are on under Vitest)', () => {
    const times: number[] = [];
    for (let i = 0; i < FRAME_TIMES_KEPT + 5; i++) recordTime(times, i);
    expect(times).toHaveLength(FRAME_TIMES_KEPT);
    expect(times[0]).toBe(5);
    expect(times.at(-1)).toBe(FRAME_TIMES_KEPT + 4);
  });
});

describe('frameHooks', () => {
  it('counts frames and records their times on the target; without counting, only the times', () => {
    const counted = {} as { frames?: number; renderTimes?: number[] };
    const done = frameHooks(counted, true);
    expect(counted.frames).toBe(0);
    done(performance.now());
    done(performance.now());
    expect(counted.frames).toBe(2);
    expect(counted.renderTimes).toHaveLength(2);
    expect(counted.renderTimes!.every((ms) => ms >= 0)).toBe(true);

    const timed = {} as { frames?: number; renderTimes?: number[] };
    frameHooks(timed, false)(performance.now());
    expect('frames' in timed).toBe(false);
    expect(timed.renderTimes).toHaveLength(1);
  });
});
