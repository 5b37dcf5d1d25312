// The exact joint Markov chain of two coin agents sharing a pool (docs/ecosystems.md): T = 1,
// no filter, scratch, smoothing 0, policy replace, constant posts and reads, and no reads of
// people. State (x, y) = the counts of outcome 0 in a's and b's training sets, so p_a = x/n_a
// and p_b = y/n_b with n_i = Σ_j k_ij. One generation: X_a ~ Binomial(P_a, p_a) of a's posts
// are outcome 0, X_b ~ Binomial(P_b, p_b); given them, each reader's takes are independent
// hypergeometric draws, x′ = R_aa + R_ab and y′ = R_ba + R_bb. A state is absorbing when the
// step leaves it where it is for sure: both coins fixed, and on the same outcome wherever one
// reads the other (what core/ecosystem.ts calls absorbed). Dense, so sizes are capped.
import { logFactorial } from '../core/samplers.ts';
import { solveMMatrix } from './m-matrix-solve.ts';

/** Two coins: start shares of outcome 0, posts P_a, P_b and reads k[i][j] (i, j ∈ {a, b}). */
export interface CoinPair {
  readonly start: readonly [number, number];
  readonly posts: readonly [number, number];
  readonly reads: readonly [readonly [number, number], readonly [number, number]];
}

/** Joint state spaces above this many states are refused (dense solves of size² memory, size³/3 flops). */
export const MAX_PAIR_STATES = 31 * 31;

export interface PairChain {
  readonly pair: CoinPair;
  readonly n: readonly [number, number];
  /** rows[s] = the law of the next state from s = x·(n_b + 1) + y. */
  readonly rows: readonly Float64Array[];
  readonly first: Float64Array;
  readonly absorbing: readonly boolean[];
}

/** Builds the chain; throws a RangeError when it is larger than MAX_PAIR_STATES. */
export function pairChain(pair: CoinPair): PairChain {
  const n: [number, number] = [pair.reads[0][0] + pair.reads[0][1], pair.reads[1][0] + pair.reads[1][1]];
  const size = (n[0] + 1) * (n[1] + 1);
  if (n[0] < 1 || n[1] < 1) throw new RangeError('pairChain: each agent must read at least one post');
  if (size > MAX_PAIR_STATES) throw new RangeError(`pairChain: ${size} joint states is above the ${MAX_PAIR_STATES} this exact chain handles`);
  const rows: Float64Array[] = [];
  const absorbing: boolean[] = [];
  for (let x = 0; x <= n[0]; x++) {
    for (let y = 0; y <= n[1]; y++) {
      const row = transition(pair, n, x / n[0], y / n[1]);
      rows.push(row);
      absorbing.push(row[x * (n[1] + 1) + y] === 1);
    }
  }
  return { pair, n, rows, first: transition(pair, n, pair.start[0], pair.start[1]), absorbing };
}

/** The law of the next state from shares (p_a, p_b). */
function transition(pair: CoinPair, n: readonly [number, number], pa: number, pb: number): Float64Array {
  const [[kaa, kab], [kba, kbb]] = pair.reads;
  const ja = jointTakes(pair.posts[0], pa, kaa, kba); // (R_aa, R_ba)
  const jb = jointTakes(pair.posts[1], pb, kab, kbb); // (R_ab, R_bb)
  const out = new Float64Array((n[0] + 1) * (n[1] + 1));
  for (let r1 = 0; r1 <= kaa; r1++) {
    for (let r2 = 0; r2 <= kba; r2++) {
      const w = ja[r1 * (kba + 1) + r2]!;
      if (w === 0) continue;
      for (let r3 = 0; r3 <= kab; r3++) {
        for (let r4 = 0; r4 <= kbb; r4++) out[(r1 + r3) * (n[1] + 1) + r2 + r4]! += w * jb[r3 * (kbb + 1) + r4]!;
      }
    }
  }
  return out;
}

/** P(R = r, R′ = r′) for two independent readers taking k and k′ of P posts with X ~ Binomial(P, p) of outcome 0. */
function jointTakes(posts: number, p: number, k: number, k2: number): Float64Array {
  const out = new Float64Array((k + 1) * (k2 + 1));
  for (let x = 0; x <= posts; x++) {
    const px = binomial(posts, x, p);
    if (px === 0) continue;
    for (let r = 0; r <= k; r++) {
      const h = hypergeometric(posts, x, k, r);
      if (h === 0) continue;
      for (let r2 = 0; r2 <= k2; r2++) out[r * (k2 + 1) + r2]! += px * h * hypergeometric(posts, x, k2, r2);
    }
  }
  return out;
}

function binomial(n: number, x: number, p: number): number {
  if (p <= 0) return x === 0 ? 1 : 0;
  if (p >= 1) return x === n ? 1 : 0;
  return Math.exp(logFactorial(n) - logFactorial(x) - logFactorial(n - x) + x * Math.log(p) + (n - x) * Math.log1p(-p));
}

/** P(r of outcome 0 among k drawn without replacement from P items of which x are outcome 0). */
function hypergeometric(posts: number, x: number, k: number, r: number): number {
  if (r > x || k - r > posts - x || r < 0) return 0;
  const lc = (a: number, b: number) => logFactorial(a) - logFactorial(b) - logFactorial(a - b);
  return Math.exp(lc(x, r) + lc(posts - x, k - r) - lc(posts, k));
}

/** E[generations to absorption] and P(both coins end on the same outcome), from the start (Infinity and NaN when some states never absorb). */
export function pairAbsorption(chain: PairChain): { meanAbsorption: number; sameOutcome: number } {
  const { rows, absorbing, n } = chain;
  const transient = absorbing.flatMap((a, s) => (a ? [] : [s]));
  const index = new Map(transient.map((s, i) => [s, i]));
  const m = transient.length;
  const same = (s: number) => absorbing[s]! && Math.floor(s / (n[1] + 1)) / n[0] === (s % (n[1] + 1)) / n[1];
  const a = new Float64Array(m * m);
  const exit = new Float64Array(m);
  const time = new Float64Array(m).fill(1);
  const toSame = new Float64Array(m);
  transient.forEach((s, i) => {
    rows[s]!.forEach((p, to) => {
      if (p === 0) return;
      if (absorbing[to]) {
        exit[i]! += p;
        if (same(to)) toSame[i]! += p;
      } else if (to !== s) a[i * m + index.get(to)!] = -p;
    });
  });
  try {
    if (m > 0) solveMMatrix(a, m, exit, [time, toSame]);
  } catch (e) {
    // Some states never absorb (two coins fixed on opposite outcomes that read only each
    // other swap for ever): the mean time is infinite and the final outcome undefined.
    if (!(e instanceof RangeError)) throw e;
    time.fill(Infinity);
    toSame.fill(NaN);
  }
  const fromStart = (perState: Float64Array, onAbsorbing: (s: number) => number) => {
    let x = 0;
    chain.first.forEach((p, s) => (x += p * (absorbing[s] ? onAbsorbing(s) : perState[index.get(s)!]!)));
    return x;
  };
  const startAbsorbed = isStartAbsorbing(chain);
  return {
    meanAbsorption: startAbsorbed ? 0 : 1 + fromStart(time, () => 0),
    sameOutcome: startAbsorbed ? (chain.pair.start[0] === chain.pair.start[1] ? 1 : 0) : fromStart(toSame, (s) => (same(s) ? 1 : 0)),
  };
}

/** Whether generation 0 itself is absorbed (both starts are point masses the step keeps). */
function isStartAbsorbing(chain: PairChain): boolean {
  const [pa, pb] = chain.pair.start;
  const { n } = chain;
  const fixed = (p: number) => p === 0 || p === 1;
  return fixed(pa) && fixed(pb) && chain.first[pa * n[0] * (n[1] + 1) + pb * n[1]] === 1;
}

/** What a run of H generations observes of the absorption time τ (as coin-chain.ts censoredCollapse). */
export interface PairCensored {
  /** P(τ ≤ H). */
  readonly probability: number;
  /** E[τ | τ ≤ H], null when no seed can absorb by H. */
  readonly meanIfCollapsed: number | null;
  /** E[min(τ, H)]. */
  readonly restrictedMean: number;
}

/**
 * P(absorbed by g) at each requested g, and the absorption time censored at `horizon`; null
 * past `maxSteps` steps of the chain (each step costs its nonzero transitions).
 */
export function pairCensored(chain: PairChain, generations: readonly number[], horizon: number, maxSteps = Infinity): { collapsedBy: number[]; censored: PairCensored } | null {
  const last = Math.max(horizon, ...generations);
  if (isStartAbsorbing(chain)) return { collapsedBy: generations.map(() => 1), censored: { probability: 1, meanIfCollapsed: 0, restrictedMean: 0 } };
  if (last > maxSteps) return null;
  const sparse = chain.rows.map((row) => {
    const to = Array.from(row.keys()).filter((j) => row[j]! > 0);
    return { to: Int32Array.from(to), p: Float64Array.from(to, (j) => row[j]!) };
  });
  const by = new Map<number, number>([[0, 0]]);
  let dist = Float64Array.from(chain.first);
  // dist holds generation g's transient law plus, on absorbing states, only the mass that
  // arrives there at g, so every sum below adds positive numbers.
  let probability = 0;
  let weighted = 0;
  let restricted = horizon > 0 ? 1 : 0;
  for (let g = 1; g <= last; g++) {
    let arrived = 0;
    let transient = 0;
    dist.forEach((x, s) => (chain.absorbing[s] ? (arrived += x) : (transient += x)));
    probability += arrived;
    by.set(g, Math.min(1, probability));
    if (g <= horizon) weighted += g * arrived;
    if (g < horizon) restricted += transient;
    if (transient < 1e-16) break;
    const next = new Float64Array(dist.length);
    dist.forEach((x, s) => {
      if (x === 0 || chain.absorbing[s]) return;
      const { to, p } = sparse[s]!;
      for (let j = 0; j < to.length; j++) next[to[j]!]! += x * p[j]!;
    });
    dist = next;
  }
  const settled = Math.min(1, probability);
  const within = by.get(horizon) ?? settled;
  return {
    collapsedBy: generations.map((g) => by.get(g) ?? settled),
    censored: { probability: within, meanIfCollapsed: within > 0 ? weighted / within : null, restrictedMean: restricted },
  };
}
