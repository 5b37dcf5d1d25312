import { describe, expect, it } from 'vitest';
import { cholesky, cholLogDet, cholSolve, gaussianW2Squared, matmul, symmetricEigen, symmetricFunction } from './linalg.ts';

const A = [4, 2, 0.6, 2, 5, 1, 0.6, 1, 3];

describe('linalg', () => {
  it('Cholesky reproduces A, solves and gives ln det', () => {
    const l = cholesky(A, 3)!;
    const lt = Float64Array.from({ length: 9 }, (_, k) => l[(k % 3) * 3 + Math.floor(k / 3)]!);
    matmul(l, lt, 3).forEach((x, i) => expect(x).toBeCloseTo(A[i]!, 13));
    const x = cholSolve(l, 3, [1, 2, 3]);
    for (let i = 0; i < 3; i++) expect(A[i * 3]! * x[0]! + A[i * 3 + 1]! * x[1]! + A[i * 3 + 2]! * x[2]!).toBeCloseTo(i + 1, 13);
    // det by cofactors
    const det = 4 * (5 * 3 - 1) - 2 * (2 * 3 - 0.6) + 0.6 * (2 * 1 - 5 * 0.6);
    expect(cholLogDet(l, 3)).toBeCloseTo(Math.log(det), 13);
    expect(cholesky([1, 2, 2, 1], 2)).toBeNull();
  });
  it('Jacobi eigenvectors satisfy A v = λ v and the square root squares back', () => {
    const { values, vectors } = symmetricEigen(A, 3);
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let j = 0; j < 3; j++) av += A[i * 3 + j]! * vectors[j * 3 + k]!;
        expect(av).toBeCloseTo(values[k]! * vectors[i * 3 + k]!, 12);
      }
    }
    const r = symmetricFunction(A, 3, Math.sqrt);
    matmul(r, r, 3).forEach((x, i) => expect(x).toBeCloseTo(A[i]!, 12));
  });
  it('W2 between Gaussians: 1-D closed form (μ1 − μ2)² + (σ1 − σ2)², and zero to itself', () => {
    expect(gaussianW2Squared([1], [4], [0], [1], 1)).toBeCloseTo(1 + 1, 13);
    expect(gaussianW2Squared([0, 0, 0], A, [0, 0, 0], A, 3)).toBeCloseTo(0, 10);
    // commuting (diagonal) covariances: Σ (√a_i − √b_i)²
    expect(gaussianW2Squared([0, 0], [4, 0, 0, 9], [0, 0], [1, 0, 0, 1], 2)).toBeCloseTo(1 + 4, 12);
  });
});
