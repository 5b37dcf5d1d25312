// Small dense linear algebra for the continuous families (d up to a few dozen): matrices are
// row-major Float64Arrays of d×d entries. Plain loops: at these sizes they beat any setup cost.

/** The lower Cholesky factor L (A = L Lᵀ) of a symmetric matrix, or null if A is not positive definite. */
export function cholesky(a: ArrayLike<number>, d: number): Float64Array | null {
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j]!;
    for (let k = 0; k < j; k++) s -= l[j * d + k]! * l[j * d + k]!;
    if (!(s > 0)) return null;
    const ljj = Math.sqrt(s);
    l[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j]!;
      for (let k = 0; k < j; k++) t -= l[i * d + k]! * l[j * d + k]!;
      l[i * d + j] = t / ljj;
    }
  }
  return l;
}

/** x with L Lᵀ x = b, for a Cholesky factor L (forward then back substitution). */
export function cholSolve(l: ArrayLike<number>, d: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * y[k]!;
    y[i] = s / l[i * d + i]!;
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * y[k]!;
    y[i] = s / l[i * d + i]!;
  }
  return y;
}

/** ln det A from its Cholesky factor: 2 Σ ln L_ii. */
export function cholLogDet(l: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += Math.log(l[i * d + i]!);
  return 2 * s;
}

/** trace of A (d×d). */
export function trace(a: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += a[i * d + i]!;
  return s;
}

/**
 * Eigenvalues and orthonormal eigenvectors (columns of `vectors`, row-major) of a symmetric
 * matrix by cyclic Jacobi rotations (Golub & Van Loan §8.5), accurate to rounding for the
 * small matrices used here. Sweeps until the off-diagonal mass is below 1e-30 of the total.
 */
export function symmetricEigen(a: ArrayLike<number>, d: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let total = 0;
  for (let i = 0; i < d * d; i++) total += m[i]! * m[i]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p * d + q]! * m[p * d + q]!;
    if (off <= 1e-30 * total) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q]!;
        if (apq === 0) continue;
        const theta = (m[q * d + q]! - m[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        rotate(m, d, p, q, c, s);
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = m[i * d + i]!;
  return { values, vectors: v };
}

// M ← Jᵀ M J for the Jacobi rotation J in the (p, q) plane.
function rotate(m: Float64Array, d: number, p: number, q: number, c: number, s: number): void {
  for (let k = 0; k < d; k++) {
    const mkp = m[k * d + p]!;
    const mkq = m[k * d + q]!;
    m[k * d + p] = c * mkp - s * mkq;
    m[k * d + q] = s * mkp + c * mkq;
  }
  for (let k = 0; k < d; k++) {
    const mpk = m[p * d + k]!;
    const mqk = m[q * d + k]!;
    m[p * d + k] = c * mpk - s * mqk;
    m[q * d + k] = s * mpk + c * mqk;
  }
}

/** V·diag(f(λ))·Vᵀ for a symmetric A = V diag(λ) Vᵀ (negative rounding noise in λ is clamped to 0). */
export function symmetricFunction(a: ArrayLike<number>, d: number, f: (lambda: number) => number): Float64Array {
  const { values, vectors: v } = symmetricEigen(a, d);
  const out = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const fk = f(Math.max(0, values[k]!));
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j]! += v[i * d + k]! * fk * v[j * d + k]!;
  }
  return out;
}

/** A·B for d×d matrices. */
export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k]!;
      for (let j = 0; j < d; j++) out[i * d + j]! += aik * b[k * d + j]!;
    }
  }
  return out;
}

/**
 * Squared 2-Wasserstein distance between N(m1, S1) and N(m2, S2) (Dowson & Landau 1982;
 * Givens & Shortt 1984): ‖m1 − m2‖² + tr S1 + tr S2 − 2 tr (S2^{½} S1 S2^{½})^{½}.
 */
export function gaussianW2Squared(m1: ArrayLike<number>, s1: ArrayLike<number>, m2: ArrayLike<number>, s2: ArrayLike<number>, d: number): number {
  let dm = 0;
  for (let i = 0; i < d; i++) dm += (m1[i]! - m2[i]!) ** 2;
  const r2 = symmetricFunction(s2, d, Math.sqrt);
  const inner = matmul(matmul(r2, s1, d), r2, d);
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) inner[i * d + j] = inner[j * d + i] = (inner[i * d + j]! + inner[j * d + i]!) / 2;
  const cross = trace(symmetricFunction(inner, d, Math.sqrt), d);
  return Math.max(0, dm + trace(s1, d) + trace(s2, d) - 2 * cross);
}
