// What people who read Gaussian posts take in (core/ecosystem.ts, Opinion): the posts' own
// mean and covariance (divisor n: the moments of the points themselves), and a mixture of
// views replaced by the Gaussian with the mixture's mean and covariance. That moment-matched
// Gaussian is the linear-Gaussian surrogate (Vu, Reeves & Wenger 2026): exact in the first
// two moments, which is what theory/ecosystem-gaussian.ts follows; higher moments are not kept.
import type { Opinion } from '../../core/ecosystem.ts';
import { fitMoments, type GaussianModel } from './family.ts';
import type { Points } from './points.ts';

export const gaussianOpinion: Opinion<GaussianModel, Points> = {
  empirical: (data) => fitMoments(data, 'ml'),
  mix(weights, models) {
    const d = models[0]!.mean.length;
    const mean = new Array<number>(d).fill(0);
    const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    models.forEach((m, k) => {
      const w = weights[k]!;
      for (let a = 0; a < d; a++) {
        mean[a]! += w * m.mean[a]!;
        for (let b = 0; b < d; b++) cov[a]![b]! += w * (m.cov[a]![b]! + m.mean[a]! * m.mean[b]!);
      }
    });
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a]![b]! -= mean[a]! * mean[b]!;
    return { mean, cov };
  },
};
