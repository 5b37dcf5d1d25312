// Metrics of an n-gram model at a recorded generation (the names are a contract, issue 3
// item 5). Exact where the context graph allows (entropy, meanLength, topSentenceShare),
// Monte Carlo where a sample is the point (entropyMC, distinct-n).
import { PLAIN } from '../../core/family.ts';
import { foldIn, key, type Key } from '../../core/random.ts';
import type { Packed } from '../text/vocab.ts';
import { bestPath, hasCycle, reachable, sentenceEntropy, visits } from './graph.ts';
import type { NgramModel } from './model.ts';
import { sampleSentences } from './sample.ts';
import { indexOf, sentenceLogProbs, walkLogProbs } from './score.ts';

/** Sentences drawn for entropyMC and distinct-n. */
const MC_SENTENCES = 1000;
// A Monte Carlo sentence longer than this means the walk is (numerically) not ending.
const MC_MAX_LENGTH = 100_000;

const visitCache = new WeakMap<NgramModel, Float64Array | null>();

/** Expected visits per context of one sentence (cached; null = sentences can run forever). */
function cachedVisits(m: NgramModel): Float64Array | null {
  if (!visitCache.has(m)) visitCache.set(m, visits(m));
  return visitCache.get(m)!;
}

/** Every metric of `m`; held-out metrics only when held-out sentences are given. */
export function ngramMetrics(m: NgramModel, ref: { initial: NgramModel; heldOut?: Packed | undefined }): Record<string, number> {
  const reach = reachable(m);
  let edges = 0;
  const words = new Set<number>();
  for (const c of reach) {
    edges += m.start[c + 1]! - m.start[c]!;
    for (let e = m.start[c]!; e < m.start[c + 1]!; e++) if (m.to[e]! >= 0) words.add(m.next[e]!);
  }
  const v = cachedVisits(m);
  const best = bestPath(m);
  return {
    entropy: sentenceEntropy(m, v),
    ...monteCarlo(m, v !== null),
    contexts: reach.length,
    edges,
    vocab: words.size,
    meanLength: v ? v.reduce((s, x) => s + x, 0) - 1 : Infinity,
    cycles: hasCycle(m, reach) ? 1 : 0,
    ...(ref.heldOut && ref.heldOut.offsets.length > 1 ? heldOutFit(m, ref.heldOut) : {}),
    probChange: probChange(m, ref.initial),
    topSentenceShare: Math.exp(best.logProb),
  };
}

/** entropyMC ± entropyMCse (mean −log p of sampled sentences) and distinct-1/2/3 of the same sample. */
function monteCarlo(m: NgramModel, ends: boolean): Record<string, number> {
  if (!ends) return { entropyMC: Infinity, entropyMCse: Infinity, distinct1: 0, distinct2: 0, distinct3: 0 };
  const sample = sampleSentences(m, MC_SENTENCES, 'sentences', PLAIN, { maxLength: MC_MAX_LENGTH, onTooLong: 'truncate' }, modelKey(m));
  const lp = sentenceLogProbs(m, sample);
  let mean = 0;
  for (const x of lp) mean -= x / lp.length;
  let ss = 0;
  for (const x of lp) ss += (-x - mean) ** 2;
  const se = Math.sqrt(ss / (lp.length - 1) / lp.length);
  return { entropyMC: mean, entropyMCse: se, distinct1: distinct(sample, 1), distinct2: distinct(sample, 2), distinct3: distinct(sample, 3) };
}

/** A key that is a function of the model, so metrics are deterministic without one being passed in. */
function modelKey(m: NgramModel): Key {
  let h = 0x811c9dc5;
  for (let e = 0; e < m.next.length; e++) h = Math.imul(h ^ m.next[e]!, 0x01000193) ^ Math.imul(m.to[e]!, 0x9e3779b1) ^ (m.weight[e]! * 1024);
  return foldIn(foldIn(key(0x6e6772616d), m.next.length), h >>> 0);
}

/** Distinct-n (Li et al. 2016): distinct n-grams within sentences / all n-grams; 0 if there are none. */
function distinct(data: Packed, n: number): number {
  const seen = new Set<string | number>();
  let all = 0;
  const { tokens, offsets } = data;
  for (let i = 0; i + 1 < offsets.length; i++) {
    for (let j = offsets[i]!; j + n <= offsets[i + 1]!; j++) {
      let id: string | number = tokens[j]!;
      // Three ids below 2^17 pack exactly into one double; past that, a string key.
      for (let d = 1; d < n; d++) id = typeof id === 'number' && tokens[j + d]! < 131072 && id < 2 ** 34 ? id * 131072 + tokens[j + d]! : `${id},${tokens[j + d]}`;
      seen.add(id);
      all++;
    }
  }
  return all === 0 ? 0 : seen.size / all;
}

/**
 * How the model fits held-out sentences: heldOutZeroRate, the share of held-out tokens (END
 * included) it gives probability 0, and heldOutCoveredPerplexity, exp of the mean −log p over
 * the other tokens only. The perplexity over all held-out tokens is infinite as soon as one has
 * probability 0 (unsmoothed models, and every model once it has collapsed), so it says nothing;
 * the covered one alone would mislead, falling while the model loses words (it scores only
 * what is left), so it is named for what it ignores and always stands beside the zero rate
 * (docs/metrics.md). Infinity when every token has probability 0.
 */
function heldOutFit(m: NgramModel, heldOut: Packed): Record<string, number> {
  let zeros = 0;
  let n = 0;
  let nll = 0;
  walkLogProbs(
    m,
    heldOut,
    (lp) => {
      n++;
      if (lp === -Infinity) zeros++;
      else nll -= lp;
    },
    () => {},
  );
  return { heldOutCoveredPerplexity: zeros === n ? Infinity : Math.exp(nll / (n - zeros)), heldOutZeroRate: zeros / n };
}

/**
 * Σ_c v₀(c) · TV(p(·|c), p₀(·|c)) / Σ_c v₀(c): the total-variation change of each next-token
 * distribution against generation 0, weighted by how often a generation-0 sentence visits the
 * context; a context the model lost counts as a change of 1. 0 at generation 0, ≤ 1.
 */
export function probChange(m: NgramModel, initial: NgramModel): number {
  const v0 = cachedVisits(initial);
  if (!v0) throw new Error('ngram: the generation-0 model can loop forever; probChange needs it to end');
  const ix0 = indexOf(initial);
  const k = m.order - 1;
  const kept = new Uint8Array(v0.length);
  let acc = 0;
  for (let c = 0; c < m.total.length; c++) {
    const c0 = ix0.ctx.get(m.contexts, c * k);
    if (c0 < 0) continue;
    kept[c0] = 1;
    let diff = 0;
    let covered = 0;
    for (let e = m.start[c]!; e < m.start[c + 1]!; e++) {
      const e0 = ix0.edge.getPair(c0, m.next[e]!);
      const p0 = e0 < 0 ? 0 : initial.weight[e0]! / initial.total[c0]!;
      diff += Math.abs(m.weight[e]! / m.total[c]! - p0);
      covered += p0;
    }
    acc += v0[c0]! * Math.max(0, (diff + 1 - covered) / 2);
  }
  let total = 0;
  for (let c0 = 0; c0 < v0.length; c0++) {
    total += v0[c0]!;
    if (!kept[c0]) acc += v0[c0]!;
  }
  return Math.min(1, acc / total);
}
