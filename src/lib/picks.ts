/**
 * Choosing test digits, for every widget that shows one of the reader's choice (the digit picker,
 * the thumbnail strips): typed indices clamped, Previous / Next wrapping, distinct random picks,
 * all within one chunk of the test set when asked. Pure: no DOM.
 */

/** A test-digit index from user input: integers clamped into `[0, count − 1]`; anything else → `fallback`. */
export function clampIndex(value: string | number, count: number, fallback = 0): number {
  const n = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(count - 1, Math.max(0, Math.trunc(n)));
}

/** Steps an index by `delta`, wrapping around the test set. */
export function stepIndex(index: number, delta: number, count: number): number {
  return (((index + delta) % count) + count) % count;
}

/** `k` distinct random indices in `[0, count)` (`random` returns numbers in [0, 1)). */
export function randomPicks(k: number, count: number, random: () => number = Math.random): number[] {
  if (k > count) throw new Error(`randomPicks: cannot pick ${k} distinct of ${count}`);
  const picked = new Set<number>();
  while (picked.size < k) picked.add(Math.min(count - 1, Math.floor(random() * count)));
  return [...picked];
}

/**
 * `k` distinct random test digits from one random chunk of `perChunk` consecutive digits (of
 * `count`): a picker then fetches one chunk of the test set (issue 11), not `k`.
 */
export function chunkPicks(k: number, count: number, perChunk: number, random: () => number = Math.random): number[] {
  if (k > perChunk || perChunk > count) throw new Error(`chunkPicks: cannot pick ${k} distinct of ${perChunk} in ${count}`);
  const chunks = Math.floor(count / perChunk);
  const c = Math.min(chunks - 1, Math.floor(random() * chunks));
  return randomPicks(k, perChunk, random).map((i) => c * perChunk + i);
}

/** A small seeded generator (mulberry32) for reproducible shuffles in tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
