import { describe, expect, it } from 'vitest';
import { latestChoice } from './digit-picker.ts';

/** A promise with its resolve/reject exposed. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('latestChoice', () => {
  it('shows a choice once it has loaded, with what was loaded', async () => {
    const shown: [number, string][] = [];
    const choose = latestChoice(async (i) => `chunk of ${i}`, (i, v) => shown.push([i, v]), () => {});
    choose(42);
    await Promise.resolve();
    await Promise.resolve();
    expect(shown).toEqual([[42, 'chunk of 42']]);
  });

  it('drops a choice that a later one overtook, whichever loads first', async () => {
    const loads = new Map<number, ReturnType<typeof deferred<number>>>();
    const shown: number[] = [];
    const choose = latestChoice(
      (i) => {
        const d = deferred<number>();
        loads.set(i, d);
        return d.promise;
      },
      (i) => shown.push(i),
      () => {},
    );
    choose(1);
    choose(2);
    loads.get(2)!.resolve(2);
    await loads.get(2)!.promise;
    loads.get(1)!.resolve(1); // the slow, older chunk arrives last
    await loads.get(1)!.promise;
    await Promise.resolve();
    expect(shown).toEqual([2]);
  });

  it('reports a failed load to the widget and shows nothing', async () => {
    const errors: unknown[] = [];
    const shown: number[] = [];
    const choose = latestChoice(() => Promise.reject(new Error('chunk 7 is corrupt')), (i) => shown.push(i), (e) => errors.push(e));
    choose(700);
    await new Promise((r) => setTimeout(r, 0));
    expect(shown).toEqual([]);
    expect(String(errors[0])).toMatch(/chunk 7 is corrupt/);
  });
});
