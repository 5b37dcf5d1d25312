// Direct solves with A = I − Q for a substochastic Q: a nonsingular M-matrix (off-diagonals
// ≤ 0) whose row sums r = A·1 ≥ 0 are the per-state exit probabilities. The caller gives r
// computed directly (e.g. P(i → absorbing)), never as 1 − Σ_j Q_ij, and the elimination never
// forms the diagonal by subtraction: as in Grassmann, Taksar & Heyman (1985), a pivot is its
// row's tracked sum plus the magnitudes of its off-diagonals, and eliminating row k from
// row i adds |l|·r_k to r_i. Every step then adds non-negative numbers, so the solution keeps
// high relative accuracy even when exits are rare (r ~ 1e-20) and times are astronomically
// long, where 1 − Σ Q_ij would be rounding noise. No pivoting is needed (A is diagonally
// dominant), so fill stays inside the envelope and the loops run only over it: cost
// Σ_k (rows below k)·(columns right of k) in the envelope — O(n·b²) for a band of half-width
// b (the coin at T = 1), n³/3 when dense.

/**
 * Solves A x = b (or Aᵀ x = b with `transpose`) in place for each right-hand side in `rhs`
 * (each b ≥ 0 becomes its x ≥ 0). `a` is n×n row-major holding A's off-diagonal entries (≤ 0;
 * its diagonal is ignored) and is overwritten by the LU factors; `rowSums` = A·1 ≥ 0.
 * Throws when a pivot is 0 (some state never exits).
 */
export function solveMMatrix(a: Float64Array, n: number, rowSums: Float64Array, rhs: readonly Float64Array[], transpose = false): void {
  if (a.length !== n * n || rowSums.length !== n) throw new RangeError(`solveMMatrix: expected an ${n}×${n} matrix and ${n} row sums, got ${a.length} entries and ${rowSums.length} sums`);
  const r = Float64Array.from(rowSums);
  const { right, bottom } = envelope(a, n);
  for (let k = 0; k < n; k++) {
    const rk = right[k]!;
    let pivot = r[k]!;
    for (let j = k + 1; j <= rk; j++) pivot -= a[k * n + j]!;
    if (!(pivot > 0) || !Number.isFinite(pivot)) throw new RangeError(`solveMMatrix: pivot ${pivot} at row ${k}: that state never exits, so the system is singular`);
    a[k * n + k] = pivot;
    for (let i = k + 1; i <= bottom[k]!; i++) {
      const l = a[i * n + k]! / pivot; // ≤ 0
      if (l === 0) continue;
      a[i * n + k] = l;
      for (let j = k + 1; j <= rk; j++) if (j !== i) a[i * n + j]! -= l * a[k * n + j]!;
      r[i]! -= l * r[k]!;
      if (rk > right[i]!) right[i] = rk;
    }
    for (let j = k + 1; j <= rk; j++) if (bottom[k]! > bottom[j]!) bottom[j] = bottom[k]!;
  }
  for (const b of rhs) (transpose ? solveTransposed : solveFactored)(a, n, right, bottom, b);
}

/** right[i]: last nonzero column of row i; bottom[j]: last nonzero row of column j (diagonal included). */
function envelope(a: Float64Array, n: number): { right: Int32Array; bottom: Int32Array } {
  const right = Int32Array.from({ length: n }, (_, i) => i);
  const bottom = Int32Array.from({ length: n }, (_, j) => j);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i !== j && a[i * n + j] !== 0) {
        if (j > right[i]!) right[i] = j;
        if (i > bottom[j]!) bottom[j] = i;
      }
    }
  }
  return { right, bottom };
}

/** L U x = b: forward with unit L (entries ≤ 0), then back with U; every update adds. */
function solveFactored(a: Float64Array, n: number, right: Int32Array, bottom: Int32Array, b: Float64Array): void {
  for (let k = 0; k < n; k++) for (let i = k + 1; i <= bottom[k]!; i++) b[i]! -= a[i * n + k]! * b[k]!;
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let j = i + 1; j <= right[i]!; j++) s -= a[i * n + j]! * b[j]!;
    b[i] = s / a[i * n + i]!;
  }
}

/** Uᵀ Lᵀ x = b: forward with Uᵀ, then back with Lᵀ. */
function solveTransposed(a: Float64Array, n: number, right: Int32Array, bottom: Int32Array, b: Float64Array): void {
  for (let k = 0; k < n; k++) {
    b[k] = b[k]! / a[k * n + k]!;
    for (let j = k + 1; j <= right[k]!; j++) b[j]! -= a[k * n + j]! * b[k]!;
  }
  for (let k = n - 1; k >= 0; k--) for (let i = k + 1; i <= bottom[k]!; i++) b[k]! -= a[i * n + k]! * b[i]!;
}
