// Keyed randomness, after JAX's PRNG design and NumPy NEP 19: a Key is a value, never a
// global; `foldIn` and `split` derive independent streams by hashing with Threefry-2x32
// (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011), so the stream
// for seed s, generation t is foldIn(foldIn(root, s), t) and never overlaps seed s + t.

/** A PRNG key: two unsigned 32-bit words. Plain data, so it round-trips through JSON. */
export type Key = readonly [number, number];

const ROT = [13, 15, 26, 6, 17, 29, 16, 24];

/** Threefry-2x32 with 20 rounds: a keyed bijection on 64-bit counters. */
export function threefry(key: Key, c0: number, c1: number): [number, number] {
  const k0 = key[0] >>> 0;
  const k1 = key[1] >>> 0;
  const ks = [k0, k1, (0x1bd11bda ^ k0 ^ k1) >>> 0];
  let x0 = (c0 + k0) >>> 0;
  let x1 = (c1 + k1) >>> 0;
  for (let s = 0; s < 5; s++) {
    for (let r = 0; r < 4; r++) {
      const rot = ROT[(s % 2) * 4 + r]!;
      x0 = (x0 + x1) >>> 0;
      x1 = ((x1 << rot) | (x1 >>> (32 - rot))) >>> 0;
      x1 = (x1 ^ x0) >>> 0;
    }
    x0 = (x0 + ks[(s + 1) % 3]!) >>> 0;
    x1 = (x1 + ks[(s + 2) % 3]! + s + 1) >>> 0;
  }
  return [x0, x1];
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
  for (let i = 0; i < n; i++) out.push(threefry(k, i, 0xffffffff));
  return out;
}

function checkIndex(x: number, what: string): void {
  if (!Number.isInteger(x) || x < 0 || x > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`${what} must be an integer in [0, 2^53), got ${x}`);
  }
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

  constructor(k: Key) {
    const [a, b] = threefry(k, 0, 0xfffffffe);
    const [c, d] = threefry(k, 1, 0xfffffffe);
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d | (a | b | c ? 0 : 1); // the all-zero state is the one fixed point
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

  /** A uniform integer in [0, n), without modulo bias (n ≤ 2^32). */
  int(n: number): number {
    if (n <= 0x100000000 && (n & (n - 1)) === 0 && n > 0) return n === 0x100000000 ? this.u32() : this.u32() & (n - 1);
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.u32();
      if (x < limit) return x % n;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A uniform double in [0, 1) from a key (one draw; use Rng for many). */
export function uniform(k: Key): number {
  return new Rng(k).float();
}
