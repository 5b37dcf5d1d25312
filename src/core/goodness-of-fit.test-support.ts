// Goodness-of-fit statistics for checking samplers and simulations against exact laws:
// Pearson's chi-square with sparse tails pooled, the one-sample Kolmogorov–Smirnov test, and
// the special functions they need. Self-contained on purpose: a test must not share code
// (log-factorials, say) with the sampler it checks.

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error < 1e-14 on x ≥ 0.5). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let s = c[0]!;
  for (let i = 1; i < 9; i++) s += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/**
 * Q(a, x) = Γ(a, x) / Γ(a), the upper regularized incomplete gamma function: a series below
 * x = a + 1, Lentz's continued fraction above (Numerical Recipes, 3rd ed., §6.2).
 */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) sum += term *= x / (a + n);
    return 1 - sum * Math.exp(lead);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < tiny ? tiny : d;
    c = b + an / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(lead) * h;
}

/** P(χ²_df > x): the p-value of a chi-square statistic. */
export function chiSquarePValue(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}

/**
 * Pearson's chi-square of observed counts against expected probabilities over the same
 * cells. Adjacent cells are pooled left to right until each pooled cell expects ≥ minExpected
 * items (the usual validity rule; a short remainder joins the last cell), so sparse tails of
 * a pmf are tested as one cell. Throws if an observation falls in a cell of probability 0.
 */
export function chiSquareTest(observed: ArrayLike<number>, probs: ArrayLike<number>, minExpected = 5): { stat: number; df: number; p: number } {
  let total = 0;
  for (let i = 0; i < observed.length; i++) total += observed[i]!;
  const cells: [number, number][] = [];
  let o = 0;
  let e = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] === 0 && observed[i]! > 0) throw new Error(`chiSquareTest: ${observed[i]} observations in cell ${i}, whose probability is 0`);
    o += observed[i]!;
    e += probs[i]! * total;
    if (e >= minExpected) {
      cells.push([o, e]);
      o = e = 0;
    }
  }
  if (cells.length === 0) throw new Error('chiSquareTest: fewer expected items than one cell needs; draw more');
  const last = cells[cells.length - 1]!;
  last[0] += o;
  last[1] += e;
  let stat = 0;
  for (const [oc, ec] of cells) stat += (oc - ec) ** 2 / ec;
  const df = cells.length - 1;
  return { stat, df, p: df === 0 ? 1 : chiSquarePValue(stat, df) };
}

/** Kolmogorov's limiting P(√n·D > x) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²x²}. */
export function kolmogorovPValue(x: number): number {
  if (x < 0.2) return 1;
  let s = 0;
  for (let k = 1; k < 100; k++) s += (k % 2 ? 2 : -2) * Math.exp(-2 * k * k * x * x);
  return Math.min(1, Math.max(0, s));
}

/** One-sample KS test of `xs` against a continuous CDF (asymptotic p-value; n ≳ 100). */
export function ksTest(xs: ArrayLike<number>, cdf: (x: number) => number): { d: number; p: number } {
  const sorted = Float64Array.from(xs).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return { d, p: kolmogorovPValue(Math.sqrt(n) * d) };
}

/** Φ(x), the standard normal CDF, via the complementary error function (|error| < 1.2e-7). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

// erfc by Chebyshev fitting (Numerical Recipes, 2nd ed., §6.2, erfcc): fractional error < 1.2e-7.
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/**
 * The Binomial(n, p) pmf on k = lo..hi, computed in log space by the ratio recurrence
 * ln f(k+1) − ln f(k) = ln((n−k)/(k+1)) + ln(p/(1−p)) from the mode, then normalised over
 * the window: choose lo..hi to hold all but a negligible mass (e.g. mean ± 15 sd).
 */
export function binomialPmf(n: number, p: number, lo: number, hi: number): Float64Array {
  const mode = Math.min(hi, Math.max(lo, Math.floor((n + 1) * p)));
  const lr = Math.log(p) - Math.log1p(-p);
  const logf = new Float64Array(hi - lo + 1);
  for (let k = mode; k < hi; k++) logf[k + 1 - lo] = logf[k - lo]! + Math.log((n - k) / (k + 1)) + lr;
  for (let k = mode; k > lo; k--) logf[k - 1 - lo] = logf[k - lo]! - Math.log((n - k + 1) / k) - lr;
  let z = 0;
  for (const l of logf) z += Math.exp(l);
  return logf.map((l) => Math.exp(l) / z);
}
