// What an ecosystem of categorical agents needs beyond the family (core/ecosystem.ts,
// EcosystemHooks; families/entry.ts, EcosystemSupport). People take in the posts' own
// distribution (counts over their total) and mix views as weighted averages, so Friedkin–Johnsen
// drift p_h = s·p_h(0) + (1 − s)·Σ r̃_j·q̂_j holds exactly; distances are TV and
// ½Σ_c (p_a[c] − p_b[c])², which is (p_a − p_b)² for a coin. Theory: the exact moments of every
// agent and the people (theory/ecosystem-coin.ts) and, for two coins, the joint chain.
import type { EcosystemHooks } from '../../core/ecosystem.ts';
import { tv } from '../../metrics/divergence.ts';
import { entropy } from '../../metrics/entropy.ts';
import { MAX_PAIR_STATES, pairAbsorption, pairCensored, pairChain } from '../../theory/coin-pair-chain.ts';
import { coinEcosystemMoments, coinPredictions } from '../../theory/ecosystem-coin.ts';
import type { EcosystemTheoryInput, Prediction } from '../entry.ts';
import type { CategoricalModel, CategoricalSettings, Counts } from './index.ts';

function empirical(data: Counts): CategoricalModel {
  const n = data.reduce((a, b) => a + b, 0);
  if (n === 0) throw new RangeError('categorical ecosystem: no posts to read');
  return { probs: data.map((c) => c / n) };
}

export const categoricalHooks: EcosystemHooks<CategoricalModel, Counts> = {
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

/** Curves stepped past this many multiply-adds are skipped (as theory/categorical.ts). */
const CURVE_BUDGET = 3e8;

/**
 * Exact where posts are plain draws: every agent at T = 1 (no truncation), no filter, policy
 * replace; scratch or fine-tuning, any smoothing. Keys: <agent>.giniSimpson, .p0, .p0Variance,
 * the same for the people, disagreementSq; for two coins that read no people with constant
 * posts and reads, scratch and smoothing 0, the joint chain's meanAbsorption, sameOutcome,
 * collapsedBy and the absorption time censored at the horizon.
 */
export function categoricalEcosystemTheory(eco: EcosystemTheoryInput<CategoricalSettings>, generations: readonly number[]): Prediction {
  const k = eco.base.init.probs.length;
  const plain = eco.agents.every(({ settings: { loop: l } }) => {
    const s = l.sampling;
    return s.temperature === 1 && (s.topK === 0 || s.topK >= k) && s.topP >= 1 && s.minP <= 0 && l.filter.kind === 'none';
  });
  if (!plain || eco.policy !== 'replace') return {};
  const keep = (l: CategoricalSettings['loop']) => (l.training === 'finetune' ? l.finetuneKeep : 0);
  const moments = coinEcosystemMoments(
    {
      agents: eco.agents.map((a) => ({ start: a.settings.init.probs, keep: keep(a.settings.loop), smoothing: a.settings.model.smoothing })),
      people: eco.people && { start: eco.base.init.probs, drift: eco.people.drift },
      plan: eco.plan,
    },
    generations,
  );
  const out: Prediction = coinPredictions(eco.agents.map((a) => a.name), eco.people?.name, moments);
  const reads = eco.plan.reads(1);
  const posts = eco.plan.posts(1);
  const pair = k === 2 && eco.agents.length === 2 && eco.constant && eco.agents.every((a, i) => keep(a.settings.loop) === 0 && a.settings.model.smoothing === 0 && (reads[i]![2] ?? 0) === 0);
  const size = (reads[0]!.slice(0, 2).reduce((x, y) => x + y, 0) + 1) * (reads[1]!.slice(0, 2).reduce((x, y) => x + y, 0) + 1);
  if (!pair || size > MAX_PAIR_STATES) return out;
  const chain = pairChain({
    start: [eco.agents[0]!.settings.init.probs[0]!, eco.agents[1]!.settings.init.probs[0]!],
    posts: [posts[0]!, posts[1]!],
    reads: [[reads[0]![0]!, reads[0]![1]!], [reads[1]![0]!, reads[1]![1]!]],
  });
  const { meanAbsorption, sameOutcome } = pairAbsorption(chain);
  out.meanAbsorption = Number.isFinite(meanAbsorption) ? meanAbsorption : null;
  out.sameOutcome = Number.isNaN(sameOutcome) ? null : sameOutcome;
  const nonzeros = chain.rows.reduce((s, r) => s + r.filter((p) => p > 0).length, 0);
  const horizon = eco.base.loop.generations;
  const c = pairCensored(chain, generations, horizon, CURVE_BUDGET / nonzeros);
  if (c) {
    out.collapsedBy = c.collapsedBy;
    out.collapsedWithinHorizon = c.censored.probability;
    out.collapsedAtHorizon = c.censored.probability; // absorbed agents stay absorbed
    out.collapseTimeIfCollapsed = c.censored.meanIfCollapsed;
    out.collapseTimeRestricted = c.censored.restrictedMean;
  }
  return out;
}

/** Agents share one set of outcomes. */
export function categoricalMismatch(base: CategoricalSettings, agent: CategoricalSettings): string | undefined {
  const [k, j] = [base.init.probs.length, agent.init.probs.length];
  return j === k ? undefined : `its init has ${j} outcomes and the config's has ${k}; every agent writes and reads the same outcomes`;
}
