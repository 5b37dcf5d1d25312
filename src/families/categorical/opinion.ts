// What people who read categorical posts take in (core/ecosystem.ts, Opinion): the posts'
// own distribution (counts over their total), and mixtures of views as weighted averages, so
// Friedkin–Johnsen drift p_h = s·p_h(0) + (1 − s)·Σ r̃_j·q̂_j holds exactly.
import type { Opinion } from '../../core/ecosystem.ts';
import type { CategoricalModel, Counts } from './index.ts';

export const categoricalOpinion: Opinion<CategoricalModel, Counts> = {
  empirical(data) {
    const n = data.reduce((a, b) => a + b, 0);
    if (n === 0) throw new RangeError('categorical opinion: no posts to read');
    return { probs: data.map((c) => c / n) };
  },
  mix(weights, models) {
    const probs = new Array<number>(models[0]!.probs.length).fill(0);
    models.forEach((m, k) => m.probs.forEach((p, i) => (probs[i]! += weights[k]! * p)));
    return { probs };
  },
};
