/**
 * The test-digit picker's behaviour (markup: `src/components/DigitPicker.astro`), shared by every
 * widget that shows a test digit of the reader's choice: a typed number (clamped, a bad entry
 * keeps the current digit), Previous / Next (wrapping), and the random button — another digit
 * (`data-role="random"`), or the widget's own `shuffle` (new thumbnails). The widget says what a
 * choice does (`go`); the picker keeps the number box in step and enables its controls.
 */
import { clampIndex, randomPicks, stepIndex } from './picks.ts';

export interface DigitPickerOptions {
  /** How many test digits there are. */
  count: number;
  /** The digit shown now. */
  current(): number;
  /** Shows digit `i` (the number box already says `i`). */
  go(i: number): void;
  /** What Shuffle does, in widgets with thumbnails (`data-role="shuffle"`). */
  shuffle?(): void;
}

export interface DigitPicker {
  /** Writes `i` into the number box (when a choice came from elsewhere, e.g. a thumbnail). */
  show(i: number): void;
}

/** Wires the picker inside `root` and enables it; throws when a control is missing. */
export function wireDigitPicker(root: ParentNode, options: DigitPickerOptions): DigitPicker {
  const { count } = options;
  const find = <T extends Element>(role: string): T => {
    const el = root.querySelector<T>(`.digit-picker [data-role="${role}"]`);
    if (!el) throw new Error(`The digit picker is missing its ${role} control.`);
    return el;
  };
  const index = find<HTMLInputElement>('index');
  index.max = String(count - 1);
  const go = (i: number) => {
    index.value = String(i);
    options.go(i);
  };
  index.addEventListener('change', () => go(clampIndex(index.value, count, options.current())));
  find<HTMLButtonElement>('prev').addEventListener('click', () => go(stepIndex(options.current(), -1, count)));
  find<HTMLButtonElement>('next').addEventListener('click', () => go(stepIndex(options.current(), 1, count)));
  const random = root.querySelector<HTMLButtonElement>('.digit-picker [data-role="random"], .digit-picker [data-role="shuffle"]');
  if (!random) throw new Error('The digit picker is missing its random control.');
  if (random.dataset.role === 'shuffle') {
    const { shuffle } = options;
    if (!shuffle) throw new Error('This digit picker shuffles thumbnails, but its widget has none.');
    random.addEventListener('click', () => shuffle());
  } else random.addEventListener('click', () => go(randomPicks(1, count)[0]!));
  for (const el of root.querySelectorAll<HTMLInputElement | HTMLButtonElement>('.digit-picker :is(input, button)')) el.disabled = false;
  return { show: (i) => void (index.value = String(i)) };
}

/**
 * A choice that must load first (a digit's chunk of the test set): `choose(i)` loads, then shows
 * `i` (with what was loaded) — only if no later choice came meanwhile, so a slow chunk never overwrites a newer pick.
 * Load errors go to `fail` (the widget's alert).
 */
export function latestChoice<T>(load: (i: number) => Promise<T>, show: (i: number, loaded: T) => void, fail: (err: unknown) => void): (i: number) => void {
  let latest = 0;
  return (i) => {
    const ticket = ++latest;
    load(i).then(
      (loaded) => {
        if (ticket === latest) show(i, loaded);
      },
      (err: unknown) => fail(err),
    );
  };
}
