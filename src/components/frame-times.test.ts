import { describe, expect, it } from 'vitest';
import { FRAME_TIMES_KEPT, recordTime } from './frame-times.ts';

describe('recordTime', () => {
  it('keeps the newest frame times only (test hooks are on under Vitest)', () => {
    const times: number[] = [];
    for (let i = 0; i < FRAME_TIMES_KEPT + 5; i++) recordTime(times, i);
    expect(times).toHaveLength(FRAME_TIMES_KEPT);
    expect(times[0]).toBe(5);
    expect(times.at(-1)).toBe(FRAME_TIMES_KEPT + 4);
  });
});
