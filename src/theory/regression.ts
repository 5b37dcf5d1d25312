// Linear regression refit on its own labels (Dohmatob, Feng & Kempe, "Model Collapse
// Demystified: The Case of Regression", 2024; Gerstgrasser et al., "Is Model Collapse
// Inevitable?", 2024). Fixed design X (T×d, rows N(0, I)), labels y = Xw + ε, ε ~ N(0, σ²I).
// Each refit adds (XᵀX)⁻¹Xᵀε to the error, and E tr (XᵀX)⁻¹ = d/(T − d − 1) (the mean of an
// inverse Wishart), so with e_t = ŵ_t − w*:
//   replace:    e_t = e_{t−1} + (XᵀX)⁻¹Xᵀε_t          ⇒ E‖e_t‖² = t·σ²d/(T − d − 1);
//   accumulate: ŵ_t is OLS on all t labelled copies, which gives e_t = e_{t−1} + (XᵀX)⁻¹Xᵀε_t / t
//               ⇒ E‖e_t‖² = σ²d/(T − d − 1)·Σ_{i=1}^{t} 1/i² ≤ (π²/6)·σ²d/(T − d − 1).

/** E tr (XᵀX)⁻¹ for a T×d design of independent N(0, 1) entries: d/(T − d − 1), finite only for T > d + 1. */
function inverseGramTrace(rows: number, dims: number): number {
  if (!(rows > dims + 1)) throw new RangeError(`E tr (XᵀX)⁻¹ is finite only for rows T > dims d + 1, got T = ${rows}, d = ${dims}`);
  return dims / (rows - dims - 1);
}

/** E‖ŵ_t − w*‖² after t refits (t = 0 is the truth: 0) under `policy`, with label noise variance σ². */
export function expectedTestError(t: number, rows: number, dims: number, noise: number, policy: 'replace' | 'accumulate'): number {
  const unit = noise * noise * inverseGramTrace(rows, dims);
  if (policy === 'replace') return t * unit;
  let h = 0;
  for (let i = 1; i <= t; i++) h += 1 / (i * i);
  return unit * h;
}

/** The accumulate policy's limit as t → ∞: (π²/6)·σ²d/(T − d − 1). */
export function accumulateBound(rows: number, dims: number, noise: number): number {
  return ((Math.PI * Math.PI) / 6) * noise * noise * inverseGramTrace(rows, dims);
}
