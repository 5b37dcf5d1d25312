// What an ecosystem of Gaussian agents needs beyond the family (core/ecosystem.ts,
// EcosystemHooks). People take in the posts' own mean and covariance (divisor n: the moments
// of the points themselves), and a mixture of views is replaced by the Gaussian with the
// mixture's mean and covariance. That moment-matched Gaussian is the linear-Gaussian surrogate
// (Vu, Reeves & Wenger 2026): exact in the first two moments, which is what
// theory/ecosystem-gaussian.ts follows; higher moments are not kept.
import type { EcosystemHooks } from '../../core/ecosystem.ts';
import { gaussianEcosystemMoments, gaussianPredictions } from '../../theory/ecosystem-gaussian.ts';
import type { EcosystemTheoryInput, Prediction } from '../entry.ts';
import { cholesky, cholLogDet } from '../../core/linalg.ts';
import { gaussianTv } from '../../metrics/divergence.ts';
import { fitMoments, type GaussianModel } from './family.ts';
import type { Points } from '../points/index.ts';
import type { GaussianSettings } from './index.ts';

export const gaussianHooks: EcosystemHooks<GaussianModel, Points> = {
  opinion: {
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
  },
  // TV between Gaussians has a closed form in one dimension only.
  tv: (a, b) => (a.mean.length === 1 ? gaussianTv(a.mean[0]!, a.cov[0]![0]!, b.mean[0]!, b.cov[0]![0]!) : undefined),
  distanceSq: (a, b) => a.mean.reduce((s, m, j) => s + (m - b.mean[j]!) ** 2, 0),
  // Differential entropy of the Gaussian with the pooled points' moments, ½ ln((2πe)^d det Σ̂).
  poolEntropy(data) {
    const { cov } = fitMoments(data, 'ml');
    const d = cov.length;
    const l = cholesky(cov.flat(), d);
    return l ? 0.5 * (d * Math.log(2 * Math.PI * Math.E) + cholLogDet(l, d)) : -Infinity;
  },
};

/** Agents share one space of points. */
export function gaussianMismatch(base: GaussianSettings, agent: GaussianSettings): string | undefined {
  const [d, e] = [base.init.mean.length, agent.init.mean.length];
  return d === e ? undefined : `its init is ${e}-dimensional and the config's is ${d}-dimensional; every agent writes and reads the same points`;
}

/**
 * Exact for 1-D agents that post plain draws (no filter; any temperature) under policy
 * replace, by scratch or fine-tuning: <agent>.mean and .variance (and the people's),
 * disagreementSq = the mean over pairs of E[(μ_a − μ_b)²].
 */
export function gaussianEcosystemTheory(eco: EcosystemTheoryInput<GaussianSettings>, generations: readonly number[]): Prediction {
  if (eco.base.init.mean.length !== 1 || eco.policy !== 'replace' || eco.agents.some((a) => a.settings.loop.filter.kind !== 'none')) return {};
  const one = (s: GaussianSettings) => ({ mean: s.init.mean[0]!, variance: s.init.cov[0]![0]! });
  const moments = gaussianEcosystemMoments(
    {
      agents: eco.agents.map(({ settings: s }) => ({ ...one(s), keep: s.loop.training === 'finetune' ? s.loop.finetuneKeep : 0, temperature: s.loop.sampling.temperature, divisor: s.model.variance })),
      people: eco.people && { ...one(eco.base), drift: eco.people.drift },
      plan: eco.plan,
    },
    generations,
  );
  return gaussianPredictions(eco.agents.map((a) => a.name), eco.people?.name, moments);
}
