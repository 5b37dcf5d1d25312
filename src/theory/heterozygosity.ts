// Expected Gini–Simpson diversity H = 1 − Σ p_i² (heterozygosity) along the loop at T = 1,
// λ = 0, training scratch, for any number of outcomes. Both curves are exact, not diffusion
// approximations: a refit on n multinomial draws from p has E[p′_i] = p_i and
// Var(p′_i) = p_i(1 − p_i)/m for a fit on m fresh items, so E[Σ p′_i²] = Σ p_i² + H/m.

/** Policy replace: E[H_t] = H_0 (1 − 1/n)^t (each generation refits on n fresh draws). */
export function giniSimpsonReplace(h0: number, n: number, t: number): number {
  return h0 * Math.pow(1 - 1 / n, t);
}

/**
 * Policy accumulate (all data so far; a batched Pólya urn): generation t fits the pooled
 * n·t items, its n fresh ones drawn from generation t − 1, so p_t = ((t − 1)p_{t−1} + p̂)/t
 * and E[H_t] = E[H_{t−1}](1 − 1/(n t²)): E[H_t] = H_0 Π_{s=1..t} (1 − 1/(n s²)).
 */
export function giniSimpsonAccumulate(h0: number, n: number, t: number): number {
  let h = h0;
  for (let s = 1; s <= t; s++) h *= 1 - 1 / (n * s * s);
  return h;
}

/**
 * The t → ∞ limit of giniSimpsonAccumulate: H_∞ = H_0 · sin(π/√n)/(π/√n) (docs/theory.md),
 * by Euler's product sin(πx)/(πx) = Π_s (1 − x²/s²) at x = 1/√n. Diversity is kept.
 */
export function accumulateLimit(h0: number, n: number): number {
  const x = Math.PI / Math.sqrt(n);
  return (h0 * Math.sin(x)) / x;
}
