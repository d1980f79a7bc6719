/**
 * Seedable pseudo-random numbers for the embedding algorithms (t-SNE, UMAP, the VP-tree).
 *
 * `createRandom(seed)` is sfc32 seeded through splitmix32: fast, 32-bit state words, good
 * statistical quality for this purpose, and identical in Node and in browsers.
 */

/** A function returning uniform numbers in [0, 1), like `Math.random`. */
export type RandomFn = () => number;

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A seeded uniform generator on [0, 1) with 32 random bits per draw. */
export function createRandom(seed = 0): RandomFn {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const init = splitmix32(Math.floor(seed) ^ Math.floor(seed / 0x100000000));
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const rng = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) rng();
  return rng;
}

/** A standard normal deviate (Box–Muller) drawn from `random`. */
export function gaussian(random: RandomFn): number {
  let u = 0;
  while (u === 0) u = random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
