// A linear classifier through the origin that labels its own training data (Ensign 2021:
// "a linear classifier labelling its own data random-walks"). Inputs x ~ N(0, I_d); labels
// y = sign(xᵀw); the refit is least squares. For isotropic Gaussian inputs least squares on
// y = sign(uᵀx) estimates E[x·y] = √(2/π)·u (‖u‖ = 1), so the direction is kept on average; the
// error is what moves it. Off the current direction, each coordinate of ŵ has variance
// E[x_j²(y − √(2/π)·uᵀx)²]/n = (1 − 2/π)/n (x_j is independent of y), so relative to the
// kept length √(2/π) one refit turns the direction by a tangent step of variance
// s² = (π/2 − 1)/n per coordinate (large-n, first order). Hence:
// - no collapse: the length stays near √(2/π) and the direction diffuses on the sphere;
//   E[cos θ_t] = c^t with c = E[1/√(1 + ‖η‖²)] ≈ 1 − (d − 1)s²/2 (η: d − 1 tangent steps);
// - in d = 2 the angle is exactly a random walk on the circle with independent steps, so the
//   wrapped angle |θ_t| has E|θ_t| = π/2 − (4/π)·Σ_{k odd} E[cos kθ_t]/k², E[cos kθ_t] ≈ e^{−k²ts²/2};
// - with a share r of each generation labelled by the original classifier, the expected refit
//   points along r·u₀ + (1 − r)·u, so the angle is an AR(1) with factor (1 − r) and its
//   stationary mean square is (d − 1)s²/(1 − (1 − r)²) = (d − 1)s²/(r(2 − r)): bounded.

/** s² = (π/2 − 1)/n: the variance of one refit's turn per tangent coordinate (radians², large n). */
export function stepVariance(n: number): number {
  return (Math.PI / 2 - 1) / n;
}

/** E[cos θ_t] = (1 − (d − 1)s²/2)^t: the expected cosine to the original after t self-labelled refits. */
export function expectedCosAngle(t: number, d: number, n: number): number {
  return Math.pow(1 - ((d - 1) * stepVariance(n)) / 2, t);
}

/** d = 2: E|θ_t| of the wrapped angle in [0, π] after t self-labelled refits (Fourier series of |θ|). */
export function expectedAngle2d(t: number, n: number): number {
  const v = t * stepVariance(n);
  // While the wrapped mass is negligible (v < 1e-4: P(|θ| > π) < e^{−49000}) the angle is
  // half-normal, E|θ| = √(2v/π); otherwise the series, to terms below 1e-20.
  if (v < 1e-4) return Math.sqrt((2 * v) / Math.PI);
  let sum = 0;
  for (let k = 1; k * k * v < 92; k += 2) sum += Math.exp((-k * k * v) / 2) / (k * k);
  return Math.PI / 2 - (4 / Math.PI) * sum;
}

/**
 * E[θ_t²] with a share r of original labels (small-angle AR(1) from θ₀ = 0):
 * (d − 1)s²·(1 − (1 − r)^{2t})/(1 − (1 − r)²); r = 0 gives the random walk's (d − 1)s²·t.
 */
export function expectedAngleSquared(t: number, d: number, n: number, r: number): number {
  const s2 = (d - 1) * stepVariance(n);
  if (r === 0) return s2 * t;
  const a = (1 - r) * (1 - r);
  return (s2 * (1 - Math.pow(a, t))) / (1 - a);
}
