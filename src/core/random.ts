// Keyed randomness, after JAX's PRNG design and NumPy NEP 19: a Key is a value, never a
// global; `foldIn` and `split` derive independent streams by hashing with Threefry-2x32
// (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011), so the stream
// for seed s, generation t is foldIn(foldIn(root, s), t) and never overlaps seed s + t.

/** A PRNG key: two unsigned 32-bit words. Plain data, so it round-trips through JSON. */
export type Key = readonly [number, number];

/** Threefry-2x32 with 20 rounds: a keyed bijection on 64-bit counters. */
export function threefry(key: Key, c0: number, c1: number): [number, number] {
  const words = new Int32Array(2);
  threefryInto(key[0] | 0, key[1] | 0, c0 | 0, c1 | 0, words, 0);
  return [words[0]! >>> 0, words[1]! >>> 0];
}

/**
 * threefry([k0, k1], c0, c1) written to out[at] and out[at + 1] as int32 words (the same bits;
 * `>>> 0` reads them unsigned). Allocates nothing: the form the loops over blocks of seeds use.
 * Pass every word as an int32 (`x | 0`: the same bits): V8 then keeps the whole function in
 * integer registers, where an unsigned word above 2^31 would make it a double.
 */
export function threefryInto(k0: number, k1: number, c0: number, c1: number, out: Int32Array, at: number): void {
  // Unrolled (it runs several times per generation per seed): rotations 13 15 26 6 | 17 29
  // 16 24 (Salmon et al. 2011, Table 4); after every 4 rounds the key schedule (k0, k1, k2)
  // with parity word k2 = 0x1bd11bda ⊕ k0 ⊕ k1, plus the injection count. `| 0` keeps the
  // arithmetic in int32, which wraps mod 2^32 exactly (signed or unsigned inputs alike).
  const k2 = 0x1bd11bda ^ k0 ^ k1;
  let x0 = (c0 + k0) | 0;
  let x1 = (c1 + k1) | 0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k1) | 0; x1 = (x1 + k2 + 1) | 0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k2) | 0; x1 = (x1 + k0 + 2) | 0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k0) | 0; x1 = (x1 + k1 + 3) | 0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k1) | 0; x1 = (x1 + k2 + 4) | 0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k2) | 0; x1 = (x1 + k0 + 5) | 0;
  out[at] = x0;
  out[at + 1] = x1;
}

/** The root key of an integer seed (0 ≤ seed < 2^53). */
export function key(seed: number): Key {
  checkIndex(seed, 'seed');
  return threefry([0, 0], seed >>> 0, Math.floor(seed / 0x100000000));
}

/** A key for `data` (0 ≤ data < 2^53) derived from `k`; distinct data give independent keys. */
export function foldIn(k: Key, data: number): Key {
  checkIndex(data, 'foldIn data');
  return threefry(k, data >>> 0, Math.floor(data / 0x100000000));
}

/** `n` independent child keys of `k`, disjoint from every foldIn(k, ·) (high word 2^32 − 1). */
export function split(k: Key, n = 2): Key[] {
  const out: Key[] = [];
  for (let i = 0; i < n; i++) out.push(splitAt(k, i));
  return out;
}

/** split(k, n)[i] for any n > i, derived alone (one Threefry block): for streams used only sometimes. */
export function splitAt(k: Key, i: number): Key {
  return threefry(k, i, 0xffffffff);
}

function checkIndex(x: number, what: string): void {
  if (!Number.isInteger(x) || x < 0 || x > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`${what} must be an integer in [0, 2^53), got ${x}`);
  }
}

/** The Threefry block new Rng([k0, k1]) starts from (counter (0, 2^32 − 2)), into out[at], out[at + 1]; int32 words in. */
export function rngSeedInto(k0: number, k1: number, out: Int32Array, at: number): void {
  threefryInto(k0, k1, 0, 0xfffffffe | 0, out, at);
}

/**
 * A fast sequential stream for one key: xoshiro128** (Blackman & Vigna 2018) seeded by
 * Threefry. Use one Rng per key and never share it across keys.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private readonly words = new Int32Array(2); // rngSeedInto's output, read at once by reseed

  constructor(k: Key) {
    this.a = this.b = this.c = this.d = 0;
    this.reseed(k[0], k[1]);
  }

  /**
   * Restarts this generator exactly as `new Rng([k0, k1])` starts: loops over blocks of seeds
   * reuse one object for every key instead of allocating one per seed and generation.
   */
  reseed(k0: number, k1: number): this {
    rngSeedInto(k0 | 0, k1 | 0, this.words, 0);
    return this.start(this.words[0]!, this.words[1]!);
  }

  /** Restarts this generator from the block rngSeedInto wrote for its key (loops over many keys compute those in one pass). */
  start(a: number, b: number): this {
    // One Threefry block gives 64 bits; murmur3's fmix32 spreads them over the 128-bit state
    // (xoshiro's authors seed from a different generator for this reason). Distinct keys give
    // distinct Threefry outputs, hence unrelated starting points on the 2^128 − 1 cycle. The
    // state is kept as int32 words: every operation on it below reads only the low 32 bits.
    this.a = a;
    this.b = b;
    this.c = fmix32(a ^ 0x9e3779b9);
    this.d = fmix32(b ^ 0x7f4a7c15); // fmix32 is a bijection, so c and d are never both 0 with a = b = 0
    return this;
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  float(): number {
    return ((this.u32() >>> 5) * 67108864 + (this.u32() >>> 6)) / 9007199254740992;
  }

  /** A uniform integer in [0, n), without modulo bias (integer 1 ≤ n ≤ 2^32). */
  int(n: number): number {
    if (!(Number.isInteger(n) && n >= 1 && n <= 0x100000000)) throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    if (n === 0x100000000) return this.u32();
    if ((n & (n - 1)) === 0) return (this.u32() & (n - 1)) >>> 0;
    // Reject the top 2^32 mod n values so every residue has the same number of preimages.
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.u32();
      if (x < limit) return x % n;
    }
  }
}

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A uniform double in [0, 1) from a key (one draw; use Rng for many). */
export function uniform(k: Key): number {
  return new Rng(k).float();
}
