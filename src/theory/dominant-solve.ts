// Direct solve of A x = b for a dense square A that is diagonally dominant by rows or by
// columns, as every matrix this folder builds is (I − Q for a substochastic Q, and its
// transpose). Gaussian elimination without pivoting is stable for such matrices: the growth
// factor is at most 2 (Wilkinson 1961; Higham, "Accuracy and Stability of Numerical
// Algorithms", 2nd ed., §9.5). Without pivoting the fill stays inside the envelope, so the
// loops run only over it: cost Σ_k (rows below k)·(columns right of k) inside the envelope,
// O(n·b²) for a band of half-width b (the coin at T = 1) and n³/3 when dense (T ≠ 1).

/**
 * Solves A x = b in place for each right-hand side in `rhs` (each becomes its x); `a` is
 * n×n row-major and is overwritten by its LU factors. Throws on a zero pivot.
 */
export function solveDominant(a: Float64Array, n: number, rhs: readonly Float64Array[]): void {
  if (a.length !== n * n) throw new RangeError(`solveDominant: matrix has ${a.length} entries, expected ${n}×${n}`);
  // right[i]: last column with a nonzero in row i; bottom[j]: last row with a nonzero in column j.
  const right = new Int32Array(n);
  const bottom = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (a[i * n + j] !== 0) {
        if (j > right[i]!) right[i] = j;
        if (i > bottom[j]!) bottom[j] = i;
      }
    }
  }
  for (let k = 0; k < n; k++) {
    const pivot = a[k * n + k]!;
    if (!(Math.abs(pivot) > 0) || !Number.isFinite(pivot)) throw new RangeError(`solveDominant: pivot ${pivot} at row ${k}; the matrix is singular`);
    const rk = right[k]!;
    for (let i = k + 1; i <= bottom[k]!; i++) {
      const l = a[i * n + k]! / pivot;
      if (l === 0) continue;
      a[i * n + k] = l;
      for (let j = k + 1; j <= rk; j++) a[i * n + j] -= l * a[k * n + j]!;
      for (const b of rhs) b[i] -= l * b[k]!;
      if (rk > right[i]!) right[i] = rk;
    }
    for (let j = k + 1; j <= rk; j++) if (bottom[k]! > bottom[j]!) bottom[j] = bottom[k]!;
  }
  for (const b of rhs) {
    for (let i = n - 1; i >= 0; i--) {
      let s = b[i]!;
      for (let j = i + 1; j <= right[i]!; j++) s -= a[i * n + j]! * b[j]!;
      b[i] = s / a[i * n + i]!;
    }
  }
}
