/**
 * The project's one seeded random number generator: MT19937 seeded as numpy's legacy
 * `np.random.RandomState(seed)` seeds it (init_genrand), so that `random()` reproduces
 * `RandomState(seed).random_sample()` bit for bit and `normal()` reproduces `RandomState.standard_normal()`
 * (the legacy polar Box–Muller with its cached second value). The authors' spiral notebook draws from
 * RandomState, so this is what lets `twospirals(1000, 0.9, seed 0)` match the reference separation exactly.
 *
 * Every random choice in the engine (initial weights, shuffles, random starts, dropout masks) is drawn
 * here in JS, never by a tfjs kernel, so a seed gives the same numbers on every backend.
 */
export class Rng {
  private readonly mt = new Uint32Array(624);
  private index = 624;
  private cachedGauss: number | null = null;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`Seed must be an integer in 0 … 4294967295, got ${seed}.`);
    }
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1]! ^ (this.mt[i - 1]! >>> 30);
      // 1812433253 * prev mod 2^32, split so the product stays exact in doubles.
      this.mt[i] =
        (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
    }
  }

  /** A new generator whose seed is drawn from this one: independent streams for independent uses. */
  fork(): Rng {
    return new Rng(this.uint32());
  }

  uint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits: numpy's `random_sample`. */
  random(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.random();
  }

  /** Standard normal: numpy's legacy `gauss` (polar method, second value cached). */
  normal(): number {
    if (this.cachedGauss !== null) {
      const g = this.cachedGauss;
      this.cachedGauss = null;
      return g;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.random() - 1;
      x2 = 2 * this.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.cachedGauss = f * x1;
    return f * x2;
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  /** A uniformly random permutation of 0 … n−1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % 624]! & 0x7fffffff);
      mt[i] = (mt[(i + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
    }
    this.index = 0;
  }
}
