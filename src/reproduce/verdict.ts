// The statistical rules that turn a simulated estimate and a prediction into a verdict. Every
// rule is stated in the report beside the table; none is tuned to a result. k = 3 standard
// errors throughout: for an estimate that is unbiased for the prediction, a false
// "disagrees" happens about 0.3% of the time per check.

/** An estimate with its standard error (se = 0 for an exact count or a pure computation). */
export interface Measure {
  readonly value: number;
  readonly se: number;
}

export type Verdict = 'agrees' | 'disagrees' | 'holds' | 'does not hold' | 'inconclusive' | 'not run';

/** One rule applied: its verdict and a one-line account of the numbers behind it. */
export interface Test {
  readonly verdict: Verdict;
  readonly why: string;
}

export const K = 3;

/** Mean and standard error of the mean of `xs`. */
export function meanOf(xs: readonly number[]): Measure {
  const n = xs.length;
  if (n === 0) return { value: NaN, se: NaN };
  const m = xs.reduce((s, x) => s + x, 0) / n;
  const ss = xs.reduce((s, x) => s + (x - m) ** 2, 0);
  return { value: m, se: n > 1 ? Math.sqrt(ss / (n - 1) / n) : NaN };
}

/**
 * The sample variance of `xs` with its standard error by the delta method,
 * se² ≈ (m₄ − s⁴)/N (m₄ the fourth central moment), which holds for any distribution with a
 * finite fourth moment (the binomial steps here have one).
 */
export function varianceOf(xs: readonly number[]): Measure {
  const n = xs.length;
  if (n < 2) return { value: NaN, se: NaN };
  const m = xs.reduce((s, x) => s + x, 0) / n;
  let m2 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d2 = (x - m) ** 2;
    m2 += d2;
    m4 += d2 * d2;
  }
  const v = m2 / (n - 1);
  return { value: v, se: Math.sqrt(Math.max(0, m4 / n - (m2 / n) ** 2) / n) };
}

/** A share of `hits` in `n` trials; its se uses the predicted share p when given (the test's null). */
export function shareOf(hits: number, n: number, p?: number): Measure {
  const q = p ?? hits / n;
  return { value: hits / n, se: Math.sqrt((q * (1 - q)) / n) };
}

/** Exact prediction: agrees when |estimate − prediction| ≤ 3 se. */
export function agreement(sim: Measure, theory: number): Test {
  const d = Math.abs(sim.value - theory);
  const z = sim.se > 0 ? d / sim.se : d === 0 ? 0 : Infinity;
  if (!Number.isFinite(sim.value) || !Number.isFinite(theory)) return { verdict: 'inconclusive', why: `no finite value to compare (${fmt(sim.value)} vs ${fmt(theory)})` };
  return { verdict: z <= K ? 'agrees' : 'disagrees', why: `|Δ| = ${fmt(d)} = ${fmt(z)} se` };
}

/**
 * Approximate prediction (a diffusion or large-n limit whose error is of known order `rel`,
 * relative): agrees when |estimate − prediction| ≤ 3 se + rel·|prediction|.
 */
export function approximateAgreement(sim: Measure, theory: number, rel: number, order: string): Test {
  const d = Math.abs(sim.value - theory);
  const allowed = K * sim.se + rel * Math.abs(theory);
  if (!Number.isFinite(sim.value) || !Number.isFinite(theory)) return { verdict: 'inconclusive', why: `no finite value to compare (${fmt(sim.value)} vs ${fmt(theory)})` };
  return { verdict: d <= allowed ? 'agrees' : 'disagrees', why: `|Δ| = ${fmt(d)} vs allowed 3 se + ${fmt(100 * rel)}% (${order}) = ${fmt(allowed)}` };
}

/**
 * A direction claim "a > b": holds when a − b > 3 se of the difference (independent runs:
 * se² = se_a² + se_b²); "does not hold" when b − a > 3 se (the opposite is shown);
 * inconclusive otherwise.
 */
export function greater(a: Measure, b: Measure, what: string): Test {
  const d = a.value - b.value;
  const se = Math.sqrt(a.se ** 2 + b.se ** 2);
  const z = se > 0 ? d / se : d > 0 ? Infinity : d < 0 ? -Infinity : 0;
  const verdict: Verdict = z > K ? 'holds' : z < -K ? 'does not hold' : 'inconclusive';
  return { verdict, why: `${what}: difference ${fmt(d)} = ${fmt(z)} se` };
}

/** A count that must be exactly what the claim says (no sampling error to allow for). */
export function exactly(observed: number, expected: number, what: string): Test {
  return { verdict: observed === expected ? 'holds' : 'does not hold', why: `${what}: ${fmt(observed)} (claim: ${fmt(expected)})` };
}

/**
 * Several rules on one row: the row agrees/holds only if every rule does; any failing rule
 * decides it; otherwise inconclusive. Agreement-type rows say "agrees", direction rows "holds".
 */
export function combine(tests: readonly Test[]): Test {
  const fail = tests.find((t) => t.verdict === 'disagrees' || t.verdict === 'does not hold');
  const why = tests.map((t) => t.why).join('; ');
  if (tests.some((t) => t.verdict === 'not run')) return { verdict: 'not run', why };
  if (fail) return { verdict: fail.verdict, why };
  if (tests.some((t) => t.verdict === 'inconclusive')) return { verdict: 'inconclusive', why };
  return { verdict: tests.some((t) => t.verdict === 'agrees') ? 'agrees' : 'holds', why };
}

/** A number for a table: 4 significant digits, no exponent for ordinary magnitudes. */
export function fmt(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

/** "value ± se". */
export function pm(m: Measure): string {
  return Number.isFinite(m.se) && m.se > 0 ? `${fmt(m.value)} ± ${fmt(m.se)}` : fmt(m.value);
}
