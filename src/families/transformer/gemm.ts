// Row-major GEMM, C = alpha·op(A)·op(B) + beta·C, the one primitive the GPT's matrix work goes
// through. The fast path is cblas_sgemm from OpenBLAS, in the backend passed in (backend.ts);
// without it, and always for Float64Array (the float64 gradient check), a TypeScript loop
// computes the same.
import type { Backend } from './backend.ts';

/** The arrays the model computes in: Float32Array for training, Float64Array for gradient checks. */
export type Vec = Float32Array | Float64Array;

/** cblas_sgemm's row-major contract, over Float32Arrays with element offsets. */
export type Sgemm = (
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float32Array, offA: number, lda: number, b: Float32Array, offB: number, ldb: number,
  beta: number, c: Float32Array, offC: number, ldc: number,
) => void;

/** C[offC..] = alpha·op(A)·op(B) + beta·C over row-major operands with leading dimensions, on `be`; checks bounds. */
export function gemm(
  be: Backend,
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Vec, offA: number, lda: number, b: Vec, offB: number, ldb: number,
  beta: number, c: Vec, offC: number, ldc: number,
): void {
  checkOperand('A', a, offA, transA ? k : m, transA ? m : k, lda);
  checkOperand('B', b, offB, transB ? n : k, transB ? k : n, ldb);
  checkOperand('C', c, offC, m, n, ldc);
  if (be.sgemm && a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) {
    be.sgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
  } else {
    gemmLoop(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
  }
}

function checkOperand(name: string, x: Vec, off: number, rows: number, cols: number, ld: number): void {
  if (!(off >= 0 && rows >= 0 && cols >= 0 && ld >= Math.max(1, cols)) || (rows > 0 && cols > 0 && off + (rows - 1) * ld + cols > x.length)) {
    throw new RangeError(`gemm: operand ${name} (${rows}×${cols}, offset ${off}, leading dimension ${ld}) does not fit its array of ${x.length}`);
  }
}

/**
 * The TypeScript GEMM: each row of C accumulates in float64 (so Float32 results are at least
 * as accurate as sgemm's), with the loop order chosen per case so the inner loop is unit-stride.
 */
export function gemmLoop(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Vec, offA: number, lda: number, b: Vec, offB: number, ldb: number,
  beta: number, c: Vec, offC: number, ldc: number,
): void {
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    if (!transB) {
      acc.fill(0);
      for (let p = 0; p < k; p++) {
        const av = transA ? a[offA + p * lda + i]! : a[offA + i * lda + p]!;
        if (av === 0) continue;
        const bo = offB + p * ldb;
        for (let j = 0; j < n; j++) acc[j]! += av * b[bo + j]!;
      }
    } else {
      for (let j = 0; j < n; j++) {
        const bo = offB + j * ldb;
        let s = 0;
        if (transA) for (let p = 0; p < k; p++) s += a[offA + p * lda + i]! * b[bo + p]!;
        else {
          const ao = offA + i * lda;
          for (let p = 0; p < k; p++) s += a[ao + p]! * b[bo + p]!;
        }
        acc[j] = s;
      }
    }
    const co = offC + i * ldc;
    if (beta === 0) for (let j = 0; j < n; j++) c[co + j] = alpha * acc[j]!;
    else for (let j = 0; j < n; j++) c[co + j] = alpha * acc[j]! + beta * c[co + j]!;
  }
}
