// Large-n (diffusion) approximations of the loop and the closed forms of REFERENCES.md for
// grounding and accumulation. A generation of n draws is a haploid Wright–Fisher population
// of n copies: Var(p′ | p) = p(1 − p)/n at T = 1, so Kimura's "4N" for diploids is 2n here.
// diffusion.test.ts checks each against the exact chain or a simulation of the real loop.

/**
 * Kimura & Ohta (1969) mean absorption time of a neutral coin at T = 1 (λ = 0), in
 * generations: −2n[p ln p + (1 − p) ln(1 − p)]. A diffusion approximation: its relative
 * error against the exact chain is O(1/n) (it is the n → ∞ limit of E[τ]/n, times n).
 */
export function kimuraOhta(p: number, n: number): number {
  return -2 * n * (xlogx(p) + xlogx(1 - p));
}

/**
 * Littler (1975) mean time until a neutral k-outcome categorical at T = 1 keeps a single
 * outcome: −2n Σ_i (1 − p_i) ln(1 − p_i). Same diffusion limit (error O(1/n)); for k = 2 it
 * is Kimura–Ohta.
 */
export function littler(probs: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < probs.length; i++) s += xlogx(1 - probs[i]!);
  return -2 * n * s;
}

/**
 * E[H_t] = H_0 (1 − 1/n)^t for Gini–Simpson diversity H = 1 − Σ p_i² at T = 1 with λ = 0,
 * policy replace, any k. Exact, not an approximation: E[Σ p′_i² | p] = Σ p_i² + (1 − Σ p_i²)/n
 * for multinomial refits, so E[H′ | p] = H(1 − 1/n).
 */
export function giniSimpsonDecay(h0: number, n: number, t: number): number {
  return h0 * Math.pow(1 - 1 / n, t);
}

/**
 * The stationary variance of p under grounding at T = 1 (REFERENCES.md):
 * p₀(1 − p₀)/(nλ(2 − λ) + 1 − λ). Exact when λn is an integer: p′ = (S + R)/n with
 * S ~ Bin(n(1−λ), p), R ~ Bin(nλ, p₀), so the stationary mean is p₀ and
 * V = (1 − λ)²V + [(1 − λ)(p₀(1 − p₀) − V) + λ·p₀(1 − p₀)]/n, whose solution is this.
 * The loop uses round(λn) real flips: pass λ = round(λn)/n to stay exact.
 */
export function groundedVariance(p0: number, n: number, lambda: number): number {
  return (p0 * (1 - p0)) / (n * lambda * (2 - lambda) + 1 - lambda);
}

/**
 * Accumulating all data so far (a batched Pólya urn, T = 1, n new draws per generation from
 * the pooled fit): the limiting expected Gini–Simpson diversity of a coin,
 * H_∞ = H_0 · sin(π/√n)/(π/√n) (REFERENCES.md). Exact product Π_t (1 − 1/(n t²)) of the per-
 * generation losses (with pooled size nt): the Euler product of sin(πx)/(πx) at x = 1/√n.
 */
export function accumulateLimit(h0: number, n: number): number {
  const x = Math.PI / Math.sqrt(n);
  return (h0 * Math.sin(x)) / x;
}

function xlogx(x: number): number {
  return x > 0 ? x * Math.log(x) : 0;
}
