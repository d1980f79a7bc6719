/**
 * The widgets' `renderTimes` benchmark hook: the milliseconds of each of the last 1,000 frames of
 * widget work, kept only in a build with test hooks (`src/lib/test-hooks.ts`).
 */
import { exposeTestHook, TEST_HOOKS } from '../lib/test-hooks.ts';

/** How many frame times a widget keeps. */
export const FRAME_TIMES_KEPT = 1000;

/** Appends `ms` to `times`, dropping the oldest past {@link FRAME_TIMES_KEPT}; a no-op without test hooks. */
export function recordTime(times: number[], ms: number): void {
  if (TEST_HOOKS && times.push(ms) > FRAME_TIMES_KEPT) times.shift();
}

/**
 * A widget's frame hooks: `renderTimes` on `target` and, with `countFrames`, a `frames` counter.
 * Returns the call to make after each frame's work, with the time that work started.
 */
export function frameHooks(target: object, countFrames: boolean): (t0: number) => void {
  const times: number[] = [];
  let frames = 0;
  if (countFrames) exposeTestHook(target, 'frames', frames);
  exposeTestHook(target, 'renderTimes', times);
  return (t0) => {
    if (countFrames) exposeTestHook(target, 'frames', ++frames);
    recordTime(times, performance.now() - t0);
  };
}
