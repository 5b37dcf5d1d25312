import { describe, expect, it } from 'vitest';
import { Rng, key } from '../core/random.ts';
import { solveMMatrix } from './m-matrix-solve.ts';

/** The slow obvious reference: Gaussian elimination with partial pivoting on a copy. */
function solvePivoting(a0: Float64Array, n: number, b0: Float64Array): Float64Array {
  const a = Float64Array.from(a0);
  const b = Float64Array.from(b0);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]!) > Math.abs(a[p * n + k]!)) p = i;
    for (let j = 0; j < n; j++) [a[k * n + j], a[p * n + j]] = [a[p * n + j]!, a[k * n + j]!];
    [b[k], b[p]] = [b[p]!, b[k]!];
    for (let i = k + 1; i < n; i++) {
      const l = a[i * n + k]! / a[k * n + k]!;
      for (let j = k; j < n; j++) a[i * n + j]! -= l * a[k * n + j]!;
      b[i]! -= l * b[k]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let j = i + 1; j < n; j++) s -= a[i * n + j]! * b[j]!;
    b[i] = s / a[i * n + i]!;
  }
  return b;
}

/** I − Q for a random substochastic Q whose row i lives on columns near shift(i) (a moving band), with its row sums. */
function randomMatrix(n: number, seed: number, width: number, shift: (i: number) => number): { a: Float64Array; sums: Float64Array } {
  const rng = new Rng(key(seed));
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const c = Math.min(n - 1, Math.max(0, shift(i)));
    const lo = Math.max(0, c - width);
    const hi = Math.min(n - 1, c + width);
    const w: number[] = [];
    for (let j = lo; j <= hi; j++) w.push(rng.float() < 0.3 ? 0 : rng.float());
    const leak = 0.01 + 0.2 * rng.float();
    const z = w.reduce((s, x) => s + x, 0) || 1;
    for (let j = lo; j <= hi; j++) a[i * n + j] = -(w[j - lo]! / z) * (1 - leak);
    a[i * n + i]! += 1;
  }
  // Exits of at least 1% per row: the plain row sums are accurate here.
  const sums = Float64Array.from({ length: n }, (_, i) => a.subarray(i * n, (i + 1) * n).reduce((x, y) => x + y, 0));
  return { a, sums };
}

describe('solveMMatrix', () => {
  const shapes: [string, (i: number, n: number) => number][] = [
    ['a band around the diagonal', (i) => i],
    ['a band far from the diagonal (like T < 1)', (i, n) => Math.round(n * (i / n) ** 2)],
    ['dense', () => 0],
  ];
  for (const [name, shift] of shapes) {
    it(`agrees with pivoting elimination on ${name}, and on its transpose`, () => {
      const n = 60;
      const { a, sums } = randomMatrix(n, 7, name === 'dense' ? n : 5, (i) => shift(i, n));
      const b = Float64Array.from({ length: n }, (_, i) => 1 + Math.sin(i));
      const at = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) at[j * n + i] = a[i * n + j]!;
      for (const transpose of [false, true]) {
        const want = solvePivoting(transpose ? at : a, n, b);
        const x = Float64Array.from(b);
        const y = Float64Array.from(b).map((v) => 2 * v);
        solveMMatrix(Float64Array.from(a), n, sums, [x, y], transpose);
        x.forEach((v, i) => expect(v / want[i]!).toBeCloseTo(1, 11));
        y.forEach((v, i) => expect(v / want[i]!).toBeCloseTo(2, 11));
      }
    });
  }

  it('keeps full relative accuracy when exits are far below rounding of 1', () => {
    // a → b with 1 − ε, a exits with ε; b → a surely. t_a = (2 − ε)/ε, t_b = 1 + t_a. In
    // doubles 1 − ε is 1, so only the given row sums carry ε; 1 − Σ Q would be 0.
    for (const eps of [1e-3, 1e-20, 1e-200]) {
      const t = Float64Array.of(1, 1);
      solveMMatrix(Float64Array.of(0, -(1 - eps), -1, 0), 2, Float64Array.of(eps, 0), [t]);
      expect(t[0]! / ((2 - eps) / eps)).toBeCloseTo(1, 14);
      expect(t[1]! / (1 + (2 - eps) / eps)).toBeCloseTo(1, 14);
    }
  });

  it('throws when a state never exits, and on a size mismatch', () => {
    expect(() => solveMMatrix(Float64Array.of(0, -1, -1, 0), 2, Float64Array.of(0, 0), [Float64Array.of(1, 1)])).toThrow(RangeError);
    expect(() => solveMMatrix(new Float64Array(3), 2, new Float64Array(2), [])).toThrow(RangeError);
  });
});
