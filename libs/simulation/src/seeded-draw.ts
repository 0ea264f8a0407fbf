/**
 * Order-independent randomness: every draw is a pure function of the seed and the names of
 * what it decides ("pickup", the patient's MRN, the attempt number…). The simulation then gives
 * the same outcomes whatever order the product hands the calls out in (cycles shuffle members
 * by their random database ids), so the same seed gives the same reports.
 */
export function draw(seed: number, ...key: (string | number)[]): number {
  // FNV-1a over the key, then a murmur3 finaliser: a uniform number in [0, 1).
  let h = (0x811c9dc5 ^ seed) >>> 0;
  const text = key.join('\u0001');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= seed >>> 16;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 2 ** 32;
}

/** A whole number in [min, max], drawn as `draw` does. */
export function drawInt(seed: number, min: number, max: number, ...key: (string | number)[]): number {
  return min + Math.floor(draw(seed, ...key) * (max - min + 1));
}

/** Picks a key of `weights` with probability proportional to its weight. */
export function pick<K extends string>(u: number, weights: Record<K, number>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((n, [, w]) => n + w, 0);
  let x = u * total;
  for (const [k, w] of entries) {
    if (x < w) return k;
    x -= w;
  }
  return entries[entries.length - 1][0];
}

/** A sequential generator (mulberry32) for data whose order is fixed, like the generated export. */
export function sequence(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
