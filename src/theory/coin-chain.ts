// The exact finite Markov chain of the coin loop (the categorical family with 2 outcomes,
// policy replace, training scratch, no filter, smoothing 0). State i = 0..n is the count of
// outcome 0 ("heads": the family's probs[0]) in generation t's training data, so the model
// is p = i/n. Each generation draws round(λn) real flips from p₀ and n − round(λn) synthetic
// flips from τ_T(p), exactly as src/core/loop.ts does, so the next state is
//   Binomial(n − round(λn), τ_T(i/n)) + Binomial(round(λn), p₀).
// Generation 0 is p₀ itself, which need not be a multiple of 1/n: generation 1's state is
// drawn from p₀ exactly, and states 0..n describe generations t ≥ 1. With λ = 0 (or
// round(λn) = 0) states 0 and n absorb: that is fixation, and the categorical family's
// `collapsedAt` is the absorption generation. With λ > 0 a point mass is left again; the
// "absorption" quantities below are then those of the first visit to a point mass (what
// `collapsedAt` records) and the chain has a stationary law instead.
import { binomialPmf, convolve, type Pmf } from './binomial-pmf.ts';
import { solveMMatrix } from './m-matrix-solve.ts';
import { coinTemperature } from './temperature-map.ts';

/** One coin loop: n flips per generation, temperature T ≥ 0, real fraction λ, start share p₀ of outcome 0. */
export interface CoinLoop {
  readonly samples: number;
  readonly temperature: number;
  readonly realFraction: number;
  readonly start: number;
}

/** The chain: rows[i] is the law of the next state from state i; `first` is generation 1's law. */
export interface CoinChain {
  readonly loop: CoinLoop;
  readonly n: number;
  /** round(λn), real flips per generation (Math.round, as the loop rounds). */
  readonly nReal: number;
  readonly rows: readonly Pmf[];
  readonly first: Pmf;
}

/** Builds the transition law of the coin loop; O(n·w) time and memory for rows of width w ≈ 25√n. */
export function coinChain(loop: CoinLoop): CoinChain {
  const { samples: n, temperature: t, realFraction: lambda, start } = loop;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`coinChain: samples must be an integer ≥ 1, got ${n}`);
  if (!(t >= 0)) throw new RangeError(`coinChain: temperature must be ≥ 0, got ${t}`);
  if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`coinChain: realFraction must be in [0, 1], got ${lambda}`);
  if (!(start >= 0 && start <= 1)) throw new RangeError(`coinChain: start must be in [0, 1], got ${start}`);
  const nReal = Math.round(lambda * n);
  const real = binomialPmf(nReal, start);
  const step = (p: number): Pmf => convolve(binomialPmf(n - nReal, coinTemperature(p, t)), real);
  const rows: Pmf[] = [];
  for (let i = 0; i <= n; i++) rows.push(step(i / n));
  return { loop, n, nReal, rows, first: step(start) };
}

/**
 * Mean times above this are reported as Infinity (T > 1 at moderate n: the loop practically
 * never collapses). The solve itself is subtraction-free, so long times keep their relative
 * accuracy; the limit comes from dropping binomial tails below 1e-30 of a row's mode, which
 * only matters once escapes are that rare. Measured against rows kept to 1e-300: n = 200,
 * T = 1.25, p₀ = 0.6 gives 2.03508182655e22 both ways (3e-14 apart); n = 300, T = 1.5 gives
 * 3.19e53 vs 3.10e53.
 */
export const MAX_RESOLVED_TIME = 1e20;

/** Per state i = 0..n: expected generations until the model is a point mass, and P(that point mass is outcome 0). */
export interface Absorption {
  readonly times: Float64Array;
  readonly fixation: Float64Array;
}

/**
 * Solves (I − Q) t = 1 and (I − Q) h = P[·, n] over the interior states 1..n−1 (Q = P
 * restricted to them), with t = 0 at 0 and n, h(0) = 0, h(n) = 1; times above
 * MAX_RESOLVED_TIME become Infinity. Subtraction-free elimination (m-matrix-solve.ts) on a
 * dense (n−1)² Float64Array; cost is measured in docs/theory.md (n = 1000: under a second;
 * n = 3000: a few seconds), at most n³/3 flops.
 */
export function absorption(chain: CoinChain): Absorption {
  const { n, rows } = chain;
  const m = n - 1;
  const a = new Float64Array(m * m);
  const times = new Float64Array(n + 1);
  const fixation = new Float64Array(n + 1);
  fixation[n] = 1;
  if (m === 0) return { times, fixation };
  const t = new Float64Array(m).fill(1);
  const h = new Float64Array(m);
  const exit = new Float64Array(m);
  for (let i = 1; i < n; i++) {
    const { lo, vals } = rows[i]!;
    for (let j = 0; j < vals.length; j++) {
      const s = lo + j;
      if (s === 0 || s === n) exit[i - 1]! += vals[j]!;
      if (s === n) h[i - 1] = vals[j]!;
      else if (s > 0 && s !== i) a[(i - 1) * m + (s - 1)] = -vals[j]!;
    }
  }
  try {
    solveMMatrix(a, m, exit, [t, h]);
  } catch (e) {
    // Some states' chance of ever leaving underflows to 0 (T > 1 holds them near ½ for longer
    // than any double can count): absorption is unresolved, not an error of the input.
    if (!(e instanceof RangeError)) throw e;
    t.fill(Infinity);
    h.fill(NaN);
  }
  for (let i = 0; i < m; i++) if (t[i]! > MAX_RESOLVED_TIME) t[i] = Infinity;
  times.set(t, 1);
  fixation.set(h, 1);
  return { times, fixation };
}

/** E[collapsedAt] from generation 0 = p₀: 0 if p₀ is already a point mass, else 1 + E over generation 1's state. */
export function meanAbsorption(chain: CoinChain, abs: Absorption = absorption(chain)): number {
  return fromStart(chain, abs.times, 1, chain.loop.start === 0 || chain.loop.start === 1 ? 0 : NaN);
}

/** P(the first point mass is on outcome 0) from p₀; with λ = 0 this is the fixation probability of outcome 0. */
export function fixationProbability(chain: CoinChain, abs: Absorption = absorption(chain)): number {
  const p0 = chain.loop.start;
  return fromStart(chain, abs.fixation, 0, p0 === 0 || p0 === 1 ? p0 : NaN);
}

function fromStart(chain: CoinChain, perState: Float64Array, offset: number, atPointMass: number): number {
  if (!Number.isNaN(atPointMass)) return atPointMass;
  const { lo, vals } = chain.first;
  let s = offset;
  for (let j = 0; j < vals.length; j++) s += vals[j]! * perState[lo + j]!;
  return s;
}

/**
 * E[f(p_g)] at each requested generation g ≥ 0, where p_g is generation g's share of
 * outcome 0 (p_0 = p₀). With `stopAtPointMass` the states 0 and n are made absorbing, so
 * f = indicator of {0, 1} gives P(collapsedAt ≤ g) also when λ > 0. Cost: max(g) steps of
 * O(n·w); stops early once the interior mass is below 1e-16 and the chain absorbs.
 */
export function expectations(chain: CoinChain, f: (p: number) => number, generations: readonly number[], stopAtPointMass = false): number[] {
  const { n, rows } = chain;
  const last = generations.reduce((m, g) => Math.max(m, g), 0);
  const at = new Map<number, number>([[0, f(chain.loop.start)]]);
  const absorbing = stopAtPointMass || chain.nReal === 0;
  let dist: Float64Array = new Float64Array(n + 1);
  dist.set(chain.first.vals, chain.first.lo);
  let g = 1;
  for (; g <= last; g++) {
    let e = 0;
    let interior = 0;
    for (let i = 0; i <= n; i++) {
      e += dist[i]! * f(i / n);
      if (i > 0 && i < n) interior += dist[i]!;
    }
    at.set(g, e);
    if (absorbing && interior < 1e-16) break;
    dist = step(rows, dist, absorbing);
  }
  const settled = at.get(Math.min(g, last)) ?? at.get(0)!;
  return generations.map((x) => at.get(x) ?? settled);
}

function step(rows: readonly Pmf[], dist: Float64Array, absorbing: boolean): Float64Array {
  const n = dist.length - 1;
  const next = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const w = dist[i]!;
    if (w === 0) continue;
    if (absorbing && (i === 0 || i === n)) {
      next[i]! += w;
      continue;
    }
    const { lo, vals } = rows[i]!;
    for (let j = 0; j < vals.length; j++) next[lo + j]! += w * vals[j]!;
  }
  return next;
}

/** P(collapsedAt ≤ g) at each requested generation: the model is a point mass at or before g. */
export function collapsedBy(chain: CoinChain, generations: readonly number[]): number[] {
  return expectations(chain, (p) => (p === 0 || p === 1 ? 1 : 0), generations, true);
}

/**
 * The collapse time τ (first generation whose model is a point mass) censored at a horizon
 * H, which is what a run of H generations can observe: P(τ ≤ H), the conditional mean
 * E[τ | τ ≤ H] (null when P(τ ≤ H) = 0), the restricted mean E[min(τ, H)] = Σ_{g<H} P(τ > g),
 * and P(the first point mass is outcome 0 | τ ≤ H) (null when P(τ ≤ H) = 0).
 */
export interface CensoredCollapse {
  readonly horizon: number;
  readonly probability: number;
  readonly meanIfCollapsed: number | null;
  readonly restrictedMean: number;
  readonly outcome0IfCollapsed: number | null;
}

/**
 * Steps the chain with 0 and n absorbing (also when λ > 0: τ is the first visit) for up to
 * H generations. Stops early once the interior mass is below 1e-16 (every later term then
 * moves the results by less than 1e-16·H); returns null when that needs more than
 * `maxSteps` steps (O(n·w) each), i.e. when the answer would cost more than the caller allows.
 */
export function censoredCollapse(chain: CoinChain, horizon: number, maxSteps = Infinity): CensoredCollapse | null {
  const { n, rows, loop } = chain;
  if (loop.start === 0 || loop.start === 1) {
    return { horizon, probability: 1, meanIfCollapsed: 0, restrictedMean: 0, outcome0IfCollapsed: loop.start };
  }
  let dist: Float64Array = new Float64Array(n + 1);
  dist.set(chain.first.vals, chain.first.lo);
  // dist holds generation g's interior law plus, at 0 and n, only the mass that arrives
  // there at g: every term below is a sum of positive numbers (no 1 − P cancellation).
  let restricted = horizon > 0 ? 1 : 0; // Σ_{g<H} P(τ > g); generation 0 is not collapsed
  let probability = 0; // P(τ ≤ g)
  let weighted = 0; // E[τ; τ ≤ g]
  let onOutcome0 = 0; // P(τ ≤ g, first point mass is outcome 0)
  for (let g = 1; g <= horizon; g++) {
    if (g > maxSteps) return null;
    probability += dist[0]! + dist[n]!;
    weighted += g * (dist[0]! + dist[n]!);
    onOutcome0 += dist[n]!;
    dist[0] = 0;
    dist[n] = 0;
    let interior = 0;
    for (let i = 1; i < n; i++) interior += dist[i]!;
    if (g === horizon || interior < 1e-16) break;
    restricted += interior;
    dist = step(rows, dist, true);
  }
  return {
    horizon,
    probability: Math.min(1, probability),
    meanIfCollapsed: probability > 0 ? weighted / probability : null,
    restrictedMean: restricted,
    outcome0IfCollapsed: probability > 0 ? onOutcome0 / probability : null,
  };
}

/**
 * The stationary law π = πP of a grounded coin (round(λn) ≥ 1 and 0 < p₀ < 1, which makes
 * the chain irreducible and aperiodic). Solves (I − P)ᵀ restricted to the states other than
 * a reference state s, with π_s = 1, then normalises; s is where the mass is largest, so no
 * ratio overflows. Dense (n)² memory and up to n³/3 flops.
 */
export function stationary(chain: CoinChain): Float64Array {
  const { n, nReal, loop } = chain;
  if (nReal === 0 || loop.start <= 0 || loop.start >= 1) {
    throw new RangeError(`stationary: needs round(λn) ≥ 1 real flips and 0 < p₀ < 1 (got ${nReal} real flips, p₀ = ${loop.start}); otherwise the chain absorbs`);
  }
  let pi = stationaryWithReference(chain, Math.round(n * meanFieldFixedPoint(loop)));
  const top = pi.reduce((best, x, i) => (x > pi[best]! ? i : best), 0);
  if (pi[top]! > 1e100) pi = stationaryWithReference(chain, top);
  let sum = 0;
  for (const x of pi) sum += x;
  return pi.map((x) => x / sum);
}

function stationaryWithReference(chain: CoinChain, s: number): Float64Array {
  const { n, rows } = chain;
  const idx = (state: number): number => (state < s ? state : state - 1);
  // B = I − P without state s; its row sums are P(i → s); π_{−s}ᵀ B = P(s → ·) when π_s = 1.
  const a = new Float64Array(n * n);
  const toS = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i <= n; i++) {
    const { lo, vals } = rows[i]!;
    for (let j = 0; j < vals.length; j++) {
      const to = lo + j;
      if (i === s) {
        if (to !== s) b[idx(to)] = vals[j]!;
      } else if (to === s) toS[idx(i)] = vals[j]!;
      else if (to !== i) a[idx(i) * n + idx(to)] = -vals[j]!;
    }
  }
  solveMMatrix(a, n, toS, [b], true);
  const pi = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) pi[i] = i === s ? 1 : b[idx(i)]!;
  return pi;
}

/** The n → ∞ limit p ↦ (1 − λ)τ_T(p) + λp₀ iterated from p₀: where the stationary mass sits. */
function meanFieldFixedPoint(loop: CoinLoop): number {
  const lambda = Math.round(loop.realFraction * loop.samples) / loop.samples;
  let p = loop.start;
  for (let i = 0; i < 10_000; i++) p = (1 - lambda) * coinTemperature(p, loop.temperature) + lambda * loop.start;
  return p;
}

/** Mean and variance of the share p of outcome 0 under a law over states 0..n. */
export function shareMoments(dist: Float64Array): { mean: number; variance: number } {
  const n = dist.length - 1;
  let mean = 0;
  for (let i = 0; i <= n; i++) mean += (dist[i]! * i) / n;
  let variance = 0;
  for (let i = 0; i <= n; i++) variance += dist[i]! * (i / n - mean) ** 2;
  return { mean, variance };
}
