// Exact metrics of a probability vector. Zero entries contribute nothing (0 log 0 = 0).

/** Shannon entropy in nats. */
export function entropy(p: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) if (p[i]! > 0) h -= p[i]! * Math.log(p[i]!);
  return h;
}

/** Shannon entropy in bits. */
export function entropyBits(p: ArrayLike<number>): number {
  return entropy(p) / Math.LN2;
}

/** Gini–Simpson diversity 1 − Σ p_i² (the population geneticists' heterozygosity H). */
export function giniSimpson(p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i]! * p[i]!;
  return 1 - s;
}

/** Number of outcomes with nonzero probability. */
export function support(p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) if (p[i]! > 0) s++;
  return s;
}
