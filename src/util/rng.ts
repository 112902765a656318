/**
 * Seeded random streams. Every random draw in the project goes through a {@link Rng} made here, so the
 * same seed gives bit-identical results on every machine (seedrandom's `alea` generator is exact in
 * IEEE double arithmetic and does not depend on platform Math.random).
 */
import seedrandom from "seedrandom";

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform in [lo, hi). */
  uniformIn(lo: number, hi: number): number;
  /** Standard normal N(0, 1) (Box–Muller, both values of each pair used). */
  normal(): number;
  /** Normal with mean and standard deviation. */
  gaussian(mean: number, std: number): number;
  /** Bernoulli trial with success probability p ∈ [0, 1]. */
  bernoulli(p: number): boolean;
  /** Integer in [0, n). */
  int(n: number): number;
  /**
   * An independent child stream, named, so that adding draws in one stream never shifts another. The child
   * depends only on this stream's seed and the name, not on draws made so far: forking the same name twice
   * gives the same stream twice. Use a distinct name per use (e.g. `fork(\`epoch-${k}\`)`).
   */
  fork(name: string): Rng;
  /** The seed string this stream was made from. */
  readonly seed: string;
}

/** Make a seeded stream. `seed` may be a number or any string; the same seed gives the same draws. */
export function createRng(seed: number | string): Rng {
  const seedText = String(seed);
  const prng = seedrandom.alea(seedText);
  let spare: number | null = null;
  const uniform = (): number => prng();
  const normal = (): number => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let u = 0;
    while (u <= Number.MIN_VALUE) u = uniform();
    const v = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
  return {
    seed: seedText,
    uniform,
    uniformIn: (lo, hi) => lo + (hi - lo) * uniform(),
    normal,
    gaussian: (mean, std) => mean + std * normal(),
    bernoulli: (p) => {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli: probability p must be in [0, 1], got ${p}`);
      return uniform() < p;
    },
    int: (n) => Math.floor(uniform() * n),
    fork: (name) => createRng(`${seedText}/${name}`),
  };
}

/**
 * Fisher–Yates shuffle in place with a seeded stream (one `rng.int(i + 1)` per position, from the end), returning
 * the same array. Every shuffle in the project is this one, so a given stream always gives the same order.
 */
export function shuffleInPlace<A extends { length: number; [i: number]: unknown }>(a: A, rng: Rng): A {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
