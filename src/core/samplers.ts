// Exact samplers drawing from an Rng. Exact means the output law is the named one to
// double precision: no normal approximations and no sums of Bernoullis.
import { Rng, type Key } from './random.ts';

/** A standard normal draw (Marsaglia's polar method; the second value is discarded). */
export function normal(rng: Rng): number {
  for (;;) {
    const u = 2 * rng.float() - 1;
    const v = 2 * rng.float() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

const LOG_FACT_TABLE = (() => {
  const t = new Float64Array(1024);
  for (let k = 2; k < t.length; k++) t[k] = t[k - 1]! + Math.log(k);
  return t;
})();
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln(k!) for integer k ≥ 0: a table below 1024, Stirling's series above (error < 1e-16 rel). */
export function logFactorial(k: number): number {
  if (k < 1024) return LOG_FACT_TABLE[k]!;
  const x = k + 1;
  const x2 = x * x;
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + (1 / 12 - (1 / 360 - 1 / (1260 * x2)) / x2) / x;
}

/**
 * An exact Binomial(n, p) draw. Inversion by sequential search when n·min(p, 1−p) < 10
 * (expected cost O(np)); otherwise Hörmann's BTRS transformed rejection with squeeze
 * ("The generation of binomial random variates", J. Stat. Comput. Simul. 1993), whose
 * expected cost is O(1) in n.
 */
export function binomial(rng: Rng, n: number, p: number): number {
  // A NaN p would make BTRS reject forever: fail at the first invalid state instead. p
  // outside [0, 1] by rounding (a sum of shares) is clamped, as the two lines below do.
  if (Number.isNaN(p) || !(Number.isInteger(n) && n >= 0)) throw new RangeError(`binomial: need an integer n ≥ 0 and a probability p, got n = ${n}, p = ${p}`);
  if (n === 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomialLow(rng, n, 1 - p);
  return binomialLow(rng, n, p);
}

function binomialLow(rng: Rng, n: number, p: number): number {
  return n * p < 10 ? binomialInversion(rng, n, p) : binomialBtrs(rng, n, p);
}

function binomialInversion(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const ratio = p / q;
  const p0 = Math.exp(n * Math.log1p(-p));
  for (;;) {
    let u = rng.float();
    let pk = p0;
    let k = 0;
    while (u > pk) {
      u -= pk;
      k++;
      if (k > n) break; // rounding left mass past n: draw again
      pk *= (ratio * (n - k + 1)) / k;
    }
    if (k <= n) return k;
  }
}

// The per-call setup is only what the squeeze needs; the log-pmf constants (a log and two
// log-factorials) are computed on the first draw that misses the squeeze, which most calls
// never reach: the squeeze box (|u| ≤ 0.43, v ≤ v_r) is where BTRS accepts most draws.
function binomialBtrs(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  let alpha = 0;
  let lpq = 0;
  let m = -1;
  let h = 0;
  for (;;) {
    const u = rng.float() - 0.5;
    const v = rng.float();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    if (m < 0) {
      alpha = (2.83 + 5.1 / b) * spq;
      lpq = Math.log(p / q);
      m = Math.floor((n + 1) * p);
      h = logFactorial(m) + logFactorial(n - m);
    }
    const lv = Math.log((v * alpha) / (a / (us * us) + b));
    if (lv <= h - logFactorial(k) - logFactorial(n - k) + (k - m) * lpq) return k;
  }
}

/**
 * Multinomial(n, probs) by conditional binomials, into `out` (length = probs.length).
 * probs must be non-negative and sum to 1 within rounding; a zero-probability outcome
 * always gets zero draws. Suffix sums keep the conditional shares exact at the tail; a loop
 * that samples many times passes `suffix` (length ≥ probs.length) so nothing is allocated.
 */
export function multinomial<T extends Int32Array | Float64Array | number[] = Int32Array>(rng: Rng, n: number, probs: ArrayLike<number>, out?: T, suffix: Float64Array = new Float64Array(probs.length)): T {
  const k = probs.length;
  const res = out ?? (new Int32Array(k) as T);
  let tail = 0;
  for (let i = k - 1; i >= 0; i--) suffix[i] = tail += probs[i]!;
  let left = n;
  for (let i = 0; i < k; i++) {
    const pi = probs[i]!;
    if (left === 0 || pi <= 0) {
      res[i] = 0;
      continue;
    }
    const share = pi >= suffix[i]! ? 1 : pi / suffix[i]!;
    const x = binomial(rng, left, share);
    res[i] = x;
    left -= x;
  }
  return res;
}

/** One draw from a probability vector by inversion (probs sum to 1 within rounding). */
export function categorical(rng: Rng, probs: ArrayLike<number>): number {
  const u = rng.float();
  let acc = 0;
  let last = -1;
  for (let i = 0; i < probs.length; i++) {
    const pi = probs[i]!;
    if (pi <= 0) continue;
    acc += pi;
    last = i;
    if (u < acc) return i;
  }
  if (last < 0) throw new RangeError('categorical: no outcome has positive probability');
  return last; // u fell in the rounding gap above the total: the last live outcome
}

/**
 * The indices 0 … n − 1 in a uniformly random order: Fisher–Yates from the last position
 * (Durstenfeld; Knuth, TAOCP vol. 2, §3.4.2, Algorithm P), one rng.int per position n − 1 … 1.
 * For draws that need an order, not a subset of fixed size (curation pairs; sentences taken
 * until their tokens reach a count); a subset of n items is subsampleIndices.
 */
export function randomOrder(n: number, rng: Rng): Int32Array {
  const a = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/**
 * min(n, size) of the indices 0 … size − 1 drawn uniformly without replacement, ascending: a
 * partial Fisher–Yates shuffle (Knuth, TAOCP vol. 2, §3.4.2, Algorithm P, stopped after n
 * swaps), one rng.int per index chosen. The one subsample of the project: every family's
 * subsample, real-data draw and held-out split (that split's pinned results fixed the choice).
 */
export function subsampleIndices(size: number, n: number, key: Key): Int32Array {
  const idx = Int32Array.from({ length: size }, (_, i) => i);
  const m = Math.min(n, size);
  const rng = new Rng(key);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(size - i);
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx.subarray(0, m).sort();
}

/**
 * How many of min(n, Σ sizes) items drawn without replacement (subsampleIndices) fall in each
 * group, the items being the groups' in order: a multivariate hypergeometric draw; uses `key`.
 */
export function subsampleCounts(sizes: readonly number[], n: number, key: Key): number[] {
  const out = new Array<number>(sizes.length).fill(0);
  let g = 0;
  let end = sizes[0] ?? 0;
  for (const i of subsampleIndices(sizes.reduce((s, x) => s + x, 0), n, key)) {
    while (i >= end) end += sizes[++g]!;
    out[g]!++;
  }
  return out;
}
