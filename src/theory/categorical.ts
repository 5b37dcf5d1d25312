// What theory predicts for a categorical-family config: the `theory` hook of its entry
// (src/families/entry.ts). Exact where an exact result exists (the coin chain, the
// Gini–Simpson curves, fixation = p₀ at T = 1), diffusion approximations under their own
// names, null where nothing applies to the config.
import type { LoopOptions } from '../core/loop.ts';
import { entropy, giniSimpson } from '../metrics/entropy.ts';
import { applies } from './applies.ts';
import { absorption, censoredCollapse, coinChain, collapsedBy, expectations, fixationProbability, meanAbsorption, shareMoments, stationary, type CoinChain } from './coin-chain.ts';
import { groundedVariance, littler, weakTemperatureDiffusion } from './diffusion.ts';
import { giniSimpsonAccumulate, giniSimpsonReplace } from './heterozygosity.ts';

/** The parts of a categorical family's settings that theory reads. */
export interface CategoricalTheoryConfig {
  readonly init: { readonly probs: readonly number[] };
  readonly model: { readonly smoothing: number };
  readonly loop: LoopOptions;
}

export type Prediction = Record<string, readonly number[] | number | null>;

/** Chains above this n are skipped (dense n² solves): 2000 takes a few seconds at most. */
const MAX_CHAIN_SAMPLES = 2000;
/** Curves stepped past this many multiply-adds (generations × nonzeros) are skipped. */
const CURVE_BUDGET = 3e8;

/**
 * Predictions keyed like the family's metrics (giniSimpson, entropy, p0 at each of
 * `generations`) plus meanAbsorption (E[collapsedAt] without a horizon, exact chain),
 * meanAbsorptionDiffusion (Littler, which is Kimura–Ohta for a coin, at T = 1; the
 * weak-temperature diffusion for a coin at T ≠ 1), fixationProbability (of outcome 0),
 * collapsedBy (P(collapsedAt ≤ g)), and for a grounded coin stationaryMean and
 * stationaryVariance of p0 (with the closed form stationaryVarianceClosedForm at T = 1).
 * What a run of H = loop.generations generations observes comes from the chain censored at H
 * (src/runner/comparisons.ts pairs these with the simulation): collapsedWithinHorizon =
 * P(τ ≤ H), collapseTimeIfCollapsed = E[τ | τ ≤ H], collapseTimeRestricted = E[min(τ, H)],
 * collapsedAtHorizon = P(generation H's model is a point mass) (below P(τ ≤ H) when λ > 0).
 * Applies to training scratch (or finetuneKeep 0), filter none, smoothing 0, no
 * top-k/top-p/min-p truncation and a constant sample size.
 */
export function categoricalTheory(config: CategoricalTheoryConfig, generations: readonly number[]): Prediction {
  const out: Prediction = {
    meanAbsorption: null, meanAbsorptionDiffusion: null, fixationProbability: null, collapsedBy: null,
    giniSimpson: null, entropy: null, p0: null, stationaryMean: null, stationaryVariance: null, stationaryVarianceClosedForm: null,
    collapsedWithinHorizon: null, collapseTimeIfCollapsed: null, collapseTimeRestricted: null, collapsedAtHorizon: null,
  };
  const probs = config.init.probs;
  const l = config.loop;
  const domain = { policies: ['replace', 'accumulate'], window: true, grounded: true, tempered: true, constantSamples: true, outcomes: probs.length } as const;
  const n = l.constantSamples;
  if (!applies(domain, l) || n === undefined || config.model.smoothing !== 0) return out;
  const { policy, realFraction: lambda } = l;
  const t = l.sampling.temperature;
  const h0 = giniSimpson(probs);
  const neutral = t === 1 && Math.round(lambda * n) === 0;
  if (neutral && policy === 'replace') {
    out.giniSimpson = generations.map((g) => giniSimpsonReplace(h0, n, g));
    out.meanAbsorptionDiffusion = littler(probs, n);
    out.fixationProbability = probs[0]!; // a martingale absorbed at 0 or 1: P(fix) = p₀ exactly
  }
  if (neutral && policy === 'accumulate' && l.accumulateWindow === undefined) out.giniSimpson = generations.map((g) => giniSimpsonAccumulate(h0, n, g));
  if (probs.length !== 2 || policy !== 'replace' || n > MAX_CHAIN_SAMPLES) return out;
  return { ...out, ...coinPredictions(coinChain({ samples: n, temperature: t, realFraction: lambda, start: probs[0]! }), generations, l.generations) };
}

function coinPredictions(chain: CoinChain, generations: readonly number[], horizon: number): Prediction {
  const out: Prediction = {};
  const abs = absorption(chain);
  let nonzeros = 0;
  for (const r of chain.rows) nonzeros += r.vals.length;
  const censored = censoredCollapse(chain, horizon, CURVE_BUDGET / nonzeros);
  if (censored) {
    out.collapsedWithinHorizon = censored.probability;
    out.collapseTimeIfCollapsed = censored.meanIfCollapsed;
    out.collapseTimeRestricted = censored.restrictedMean;
    if (chain.nReal === 0) out.collapsedAtHorizon = censored.probability;
  }
  if (chain.nReal > 0 && horizon * nonzeros <= CURVE_BUDGET) out.collapsedAtHorizon = expectations(chain, (p) => (p === 0 || p === 1 ? 1 : 0), [horizon])[0]!;
  out.meanAbsorption = finiteOrNull(meanAbsorption(chain, abs));
  if (chain.nReal === 0) out.fixationProbability = fixationProbability(chain, abs);
  const { start, temperature: t } = chain.loop;
  if (chain.nReal === 0 && t > 0 && t !== 1) out.meanAbsorptionDiffusion = finiteOrNull(weakTemperatureDiffusion(start, chain.n, t).meanAbsorption);
  if (generations.reduce((m, g) => Math.max(m, g), 0) * nonzeros <= CURVE_BUDGET) {
    out.collapsedBy = collapsedBy(chain, generations);
    out.giniSimpson = expectations(chain, (p) => giniSimpson([p, 1 - p]), generations);
    out.entropy = expectations(chain, (p) => entropy([p, 1 - p]), generations);
    out.p0 = expectations(chain, (p) => p, generations);
  }
  if (chain.nReal > 0 && start > 0 && start < 1) {
    const m = shareMoments(stationary(chain));
    out.stationaryMean = m.mean;
    out.stationaryVariance = m.variance;
    if (chain.loop.temperature === 1) out.stationaryVarianceClosedForm = groundedVariance(start, chain.n, chain.nReal / chain.n);
  }
  return out;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
