// Divergences between two probability vectors over the same outcomes.

/** KL(p ‖ q) in nats; Infinity when p puts mass where q has none. */
export function kl(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i]! <= 0) continue;
    if (q[i]! <= 0) return Infinity;
    d += p[i]! * Math.log(p[i]! / q[i]!);
  }
  return Math.max(0, d);
}

/** Total variation distance ½ Σ |p_i − q_i|. */
export function tv(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < p.length; i++) d += Math.abs(p[i]! - q[i]!);
  return d / 2;
}
