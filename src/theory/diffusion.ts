// Large-n (diffusion) approximations of the loop at T = 1, and the closed form of
// REFERENCES.md for the grounded stationary variance. A generation of n draws is a haploid
// Wright–Fisher population of n copies: Var(p′ | p) = p(1 − p)/n at T = 1, so Kimura's "4N"
// for diploids is 2n here. diffusion.test.ts checks each against the exact chain.

/**
 * Kimura & Ohta (1969) mean absorption time of a neutral coin at T = 1 (λ = 0), in
 * generations: −2n[p ln p + (1 − p) ln(1 − p)]. A diffusion approximation, the n → ∞ limit
 * of E[τ]/n times n: against the exact chain it overestimates by a few generations, an
 * absolute error growing like ln n (the last few copies of the losing outcome are lost
 * faster than the diffusion says), so the relative error is O(ln n / n).
 */
export function kimuraOhta(p: number, n: number): number {
  return -2 * n * (xlogx(p) + xlogx(1 - p));
}

/**
 * Littler (1975) mean time until a neutral k-outcome categorical at T = 1 keeps a single
 * outcome: −2n Σ_i (1 − p_i) ln(1 − p_i). The same diffusion limit with the same kind of
 * error; for k = 2 it is Kimura–Ohta.
 */
export function littler(probs: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < probs.length; i++) s += xlogx(1 - probs[i]!);
  return -2 * n * s;
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

function xlogx(x: number): number {
  return x > 0 ? x * Math.log(x) : 0;
}
