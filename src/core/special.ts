// Special functions the continuous families and their theory need: log-gamma, digamma and
// its derivatives, and the regularized incomplete gamma and beta functions (the CDFs of the
// gamma, chi-square and beta laws, against which the samplers are tested).

const LANCZOS: readonly number[] = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: relative error below 1e-15). */
export function lnGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`lnGamma: x must be > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x); // reflection
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * ψ^(m)(x), the m-th derivative of the digamma function (m = 0: ψ; 1: trigamma; 2: tetragamma)
 * for x > 0: the recurrence ψ^(m)(x) = ψ^(m)(x + 1) − (−1)^m m!/x^{m+1} up to x ≥ 10, then the
 * asymptotic series in 1/x² (Abramowitz & Stegun 6.3.18, 6.4.11); absolute error below 1e-14.
 */
export function polygamma(m: 0 | 1 | 2, x: number): number {
  if (!(x > 0)) throw new RangeError(`polygamma: x must be > 0, got ${x}`);
  const fact = [1, 1, 2][m]!;
  const sign = m % 2 === 0 ? -1 : 1;
  let acc = 0;
  while (x < 10) {
    acc += (sign * fact) / Math.pow(x, m + 1);
    x += 1;
  }
  const x2 = 1 / (x * x);
  // Bernoulli-number series B_{2k}: 1/6, −1/30, 1/42, −1/30, 5/66
  const b = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66];
  if (m === 0) {
    let s = 0;
    for (let k = b.length; k >= 1; k--) s = s * x2 + b[k - 1]! / (2 * k);
    return acc + Math.log(x) - 1 / (2 * x) - s * x2;
  }
  if (m === 1) {
    let s = 0;
    for (let k = b.length; k >= 1; k--) s = s * x2 + b[k - 1]!;
    return acc + 1 / x + 1 / (2 * x * x) + (s * x2) / x;
  }
  let s = 0;
  for (let k = b.length; k >= 1; k--) s = s * x2 + b[k - 1]! * (2 * k + 1);
  return acc - 1 / (x * x) - 1 / (x * x * x) - (s * x2) / (x * x);
}

/** ψ(x), the digamma function, for x > 0. */
export function digamma(x: number): number {
  return polygamma(0, x);
}

/**
 * P(a, x) = γ(a, x)/Γ(a), the gamma CDF of shape a at x: the series for x < a + 1, else the
 * continued fraction for Q = 1 − P (Numerical Recipes §6.2, modified Lentz), to 1e-15.
 */
export function gammaP(a: number, x: number): number {
  return incompleteGamma(a, x, false);
}

/** Q(a, x) = 1 − P(a, x), computed without cancellation where it is small. */
export function gammaQ(a: number, x: number): number {
  return incompleteGamma(a, x, true);
}

function incompleteGamma(a: number, x: number, upper: boolean): number {
  if (!(a > 0)) throw new RangeError(`incomplete gamma: a must be > 0, got ${a}`);
  if (x <= 0) return upper ? 1 : 0;
  if (x === Infinity) return upper ? 0 : 1;
  const front = Math.exp(a * Math.log(x) - x - lnGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) sum += term *= x / (a + n);
    const p = Math.min(1, sum * front);
    return upper ? 1 - p : p;
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  const q = Math.min(1, front * h);
  return upper ? q : 1 - q;
}

/** I_x(a, b), the Beta(a, b) CDF at x (continued fraction, Numerical Recipes §6.4), to ~1e-14. */
export function betaI(a: number, b: number, x: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`betaI: a, b must be > 0, got ${a}, ${b}`);
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(a, b, x)) / a;
  return 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    for (const aa of [(m * (b - m) * x) / ((a + m2 - 1) * (a + m2)), (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))]) {
      d = 1 + aa * d;
      if (Math.abs(d) < tiny) d = tiny;
      c = 1 + aa / c;
      if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-16) break;
  }
  return h;
}

/** Φ(x), the standard normal CDF, from erf(|x|/√2) = P(½, x²/2); the lower tail as Q(½, x²/2)/2 keeps its digits. */
export function normalCdf(x: number): number {
  if (x < 0) return gammaQ(0.5, (x * x) / 2) / 2;
  return 0.5 + gammaP(0.5, (x * x) / 2) / 2;
}
