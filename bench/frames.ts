/**
 * Frame timing in a Playwright page, shared by the browser benchmarks (`browser.ts`,
 * `tsne-browser.ts`): a requestAnimationFrame clock recording the interval between frames, and
 * the statistics the goals are judged on.
 */
import type { Page } from '@playwright/test';

/** The p-quantile of some numbers (NaN for none). */
export function quantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] ?? NaN;
}

/** The percentage of animation-frame intervals over 25 ms (dropped frames at 60 Hz); NaN for none. */
export function droppedPercent(intervals: readonly number[]): number {
  return intervals.length ? (100 * intervals.filter((t) => t > 25).length) / intervals.length : NaN;
}

/** Starts recording rAF intervals in the page (until {@link stopFrameClock}). */
export async function startFrameClock(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __frameStop: boolean };
    w.__frames = [];
    w.__frameStop = false;
    let last = performance.now();
    const tick = (now: number) => {
      w.__frames.push(now - last);
      last = now;
      if (!w.__frameStop) requestAnimationFrame(tick);
    };
    requestAnimationFrame((now) => {
      last = now;
      requestAnimationFrame(tick);
    });
  });
}

/** Stops the frame clock and returns the intervals, ms. */
export function stopFrameClock(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __frameStop: boolean };
    w.__frameStop = true;
    return w.__frames;
  });
}
