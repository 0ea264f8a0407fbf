/** A seeded pseudo-random source: the same seed always yields the same sequence. Not for secrets. */
export interface SeededRandom {
  /** An unsigned 32-bit integer. */
  uint32(): number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
}

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): one word of state, fast, and well enough
 * distributed for shuffles and tie-breaks. Seeds are safe integers; both halves of a seed
 * above 2^32 count, so distinct stored seeds rarely collide.
 */
export function createRandom(seed: number): SeededRandom {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  let state = (seed ^ Math.floor(seed / 2 ** 32)) >>> 0;
  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => uint32() / 2 ** 32;
  return { uint32, next, int: (n) => Math.floor(next() * n) };
}

/** Fisher–Yates, in place; returns `items`. */
export function shuffleInPlace<T>(items: T[], random: SeededRandom): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }
  return items;
}
