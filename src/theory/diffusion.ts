// Large-n (diffusion) approximations of the loop at T = 1, and the closed form for the grounded
// stationary variance (docs/theory.md, "Closed forms and approximations"). A generation of n
// draws is a haploid Wright–Fisher population of n copies: Var(p′ | p) = p(1 − p)/n at T = 1,
// so Kimura's "4N" for diploids is 2n here. diffusion.test.ts checks each against the exact chain.

/**
 * Kimura & Ohta (1969) mean absorption time of a neutral coin at T = 1 (λ = 0), in
 * generations: −2n[p ln p + (1 − p) ln(1 − p)]. A diffusion approximation, the n → ∞ limit
 * of E[τ]/n times n: against the exact chain it overestimates by a few generations, an
 * absolute error growing like ln n (the last few copies of the losing outcome are lost
 * faster than the diffusion says), so the relative error is O(ln n / n).
 */
export function kimuraOhta(p: number, n: number): number {
  return -2 * n * (xlogx(p) + xlogx(1 - p));
}

/**
 * Littler (1975) mean time until a neutral k-outcome categorical at T = 1 keeps a single
 * outcome: −2n Σ_i (1 − p_i) ln(1 − p_i). The same diffusion limit with the same kind of
 * error; for k = 2 it is Kimura–Ohta.
 */
export function littler(probs: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < probs.length; i++) s += xlogx(1 - probs[i]!);
  return -2 * n * s;
}

/**
 * The stationary variance of p under grounding at T = 1 (docs/theory.md):
 * p₀(1 − p₀)/(nλ(2 − λ) + 1 − λ). Exact when λn is an integer: p′ = (S + R)/n with
 * S ~ Bin(n(1−λ), p), R ~ Bin(nλ, p₀), so the stationary mean is p₀ and
 * V = (1 − λ)²V + [(1 − λ)(p₀(1 − p₀) − V) + λ·p₀(1 − p₀)]/n, whose solution is this.
 * The loop uses round(λn) real flips: pass λ = round(λn)/n to stay exact.
 */
export function groundedVariance(p0: number, n: number, lambda: number): number {
  return (p0 * (1 - p0)) / (n * lambda * (2 - lambda) + 1 - lambda);
}

/**
 * The diffusion approximation of the coin at temperature T (λ = 0), to first order in
 * ε = 1/T − 1: τ_T(x) − x ≈ ε·x(1 − x)·ln(x/(1 − x)), variance x(1 − x)/n, so the scale
 * density is ψ(x) = exp(2nε(H(x) − ln 2)) with H the binary entropy in nats (as Kimura's
 * weak selection, with "selection" pulling away from ½ for T < 1). Then
 *   fixation u(p) = S(p)/S(1),  S(x) = ∫_0^x ψ,
 *   E[τ](p) = ∫_0^1 G(p, x)·2n/(x(1 − x)ψ(x)) dx,  G = S(min)(S(1) − S(max))/S(1)
 * (Ewens, "Mathematical Population Genetics", §4.4), by the midpoint rule in θ on
 * x = (1 − cos θ)/2 over [0, p] and [p, 1] separately, in log space (quadrature error ~1e-6).
 * At T = 1 it is Kimura–Ohta and p. Against the exact chain: 0.1% at n = 1000, T = 0.99;
 * 5–10% at n = 20–100, T = 0.8; 45% high at n = 20, T = 1.25 (times); fixation within 0.012
 * in these cases. Times beyond double range are Infinity.
 */
export function weakTemperatureDiffusion(p: number, n: number, t: number, points = 4000): { meanAbsorption: number; fixationProbability: number } {
  if (!(t > 0)) throw new RangeError(`weakTemperatureDiffusion: T must be > 0, got ${t}`);
  if (p <= 0 || p >= 1) return { meanAbsorption: 0, fixationProbability: p >= 1 ? 1 : 0 };
  const s = 2 * n * (1 / t - 1);
  const x = new Float64Array(points);
  const logW = new Float64Array(points); // log of the cell width in x
  const logPsi = new Float64Array(points);
  // Half the nodes on [0, p], half on [p, 1], each clustered at its ends: G has a kink at p.
  const half = points / 2;
  for (let k = 0; k < points; k++) {
    const [from, width] = k < half ? [0, p] : [p, 1 - p];
    const theta = (Math.PI * ((k % half) + 0.5)) / half;
    x[k] = from + (width * (1 - Math.cos(theta))) / 2;
    logW[k] = Math.log(((width * Math.sin(theta)) / 2) * (Math.PI / half));
    logPsi[k] = s * (-xlogx(x[k]!) - xlogx(1 - x[k]!) - Math.LN2);
  }
  // logBelow[k] = ln ∫_0^{x_k} ψ and logAbove[k] = ln ∫_{x_k}^1 ψ, each cell split at its midpoint.
  const logBelow = new Float64Array(points);
  const logAbove = new Float64Array(points);
  let acc = -Infinity;
  for (let k = 0; k < points; k++) {
    logBelow[k] = logAdd(acc, logPsi[k]! + logW[k]! - Math.LN2);
    acc = logAdd(acc, logPsi[k]! + logW[k]!);
  }
  const logTotal = acc;
  acc = -Infinity;
  for (let k = points - 1; k >= 0; k--) {
    logAbove[k] = logAdd(acc, logPsi[k]! + logW[k]! - Math.LN2);
    acc = logAdd(acc, logPsi[k]! + logW[k]!);
  }
  let logSp = -Infinity;
  let logRp = -Infinity;
  for (let k = 0; k < points; k++) {
    if (k < half) logSp = logAdd(logSp, logPsi[k]! + logW[k]!);
    else logRp = logAdd(logRp, logPsi[k]! + logW[k]!);
  }
  let time = 0;
  for (let k = 0; k < points; k++) {
    const logG = k < half ? logBelow[k]! + logRp - logTotal : logSp + logAbove[k]! - logTotal;
    time += Math.exp(logG + Math.log((2 * n) / (x[k]! * (1 - x[k]!))) - logPsi[k]! + logW[k]!);
  }
  return { meanAbsorption: time, fixationProbability: Math.exp(logSp - logTotal) };
}

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

function xlogx(x: number): number {
  return x > 0 ? x * Math.log(x) : 0;
}
