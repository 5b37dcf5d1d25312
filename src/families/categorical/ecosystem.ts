// What an ecosystem of categorical agents needs beyond the family (core/ecosystem.ts,
// EcosystemHooks). People take in the posts' own distribution (counts over their total) and
// mix views as weighted averages, so Friedkin–Johnsen drift p_h = s·p_h(0) + (1 − s)·Σ r̃_j·q̂_j
// holds exactly; distances are TV and ½Σ_c (p_a[c] − p_b[c])², which is (p_a − p_b)² for a coin.
import type { EcosystemHooks } from '../../core/ecosystem.ts';
import { tv } from '../../metrics/divergence.ts';
import { entropy } from '../../metrics/entropy.ts';
import type { CategoricalModel, Counts } from './index.ts';

function empirical(data: Counts): CategoricalModel {
  const n = data.reduce((a, b) => a + b, 0);
  if (n === 0) throw new RangeError('categorical ecosystem: no posts to read');
  return { probs: data.map((c) => c / n) };
}

export const categoricalEcosystem: EcosystemHooks<CategoricalModel, Counts> = {
  opinion: {
    empirical,
    mix(weights, models) {
      const probs = new Array<number>(models[0]!.probs.length).fill(0);
      models.forEach((m, k) => m.probs.forEach((p, i) => (probs[i]! += weights[k]! * p)));
      return { probs };
    },
  },
  tv: (a, b) => tv(a.probs, b.probs),
  distanceSq: (a, b) => 0.5 * a.probs.reduce((s, p, i) => s + (p - b.probs[i]!) ** 2, 0),
  poolEntropy: (data) => entropy(empirical(data).probs),
};
