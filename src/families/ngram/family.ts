// The n-gram family: word- or character-level n-gram models of order 1–5, fitted by counting
// and sampled by walking the context graph. Unsmoothed maximum likelihood on purpose: an
// n-gram that draws no count goes extinct and stays extinct; that extinction is the collapse
// we measure (Ensign 2021: a bigram model refit on its own samples ends on one sentence).
import type { Family } from '../../core/family.ts';
import { Rng, type Key } from '../../core/random.ts';
import { randomOrder, subsampleIndices } from '../../core/samplers.ts';
import { concatSentences, countSentences, perSentence, selectSentences } from '../text/packed.ts';
import { decode, type Packed, type Vocab } from '../text/vocab.ts';
import { bestPath, isCollapsed } from './graph.ts';
import { ngramMetrics } from './metrics.ts';
import { fitCounts, type NgramModel } from './model.ts';
import { sampleSentences, type LengthRule, type Unit } from './sample.ts';
import { sentenceLogProbs } from './score.ts';
import { fitSmoothed, mixModels, type Smoothing } from './smooth.ts';

/** A reward per sentence for curation: its length in tokens, or how many of its tokens are in a word list. */
export type Reward = { readonly kind: 'length' } | { readonly kind: 'words'; readonly ids: ReadonlySet<number> };

export interface NgramOptions {
  readonly order: number;
  readonly vocab: Vocab;
  /** What the loop's n counts. */
  readonly unit: Unit;
  readonly rule: LengthRule;
  /** Fine-tuning keeps this share of the old counts: w′ = m·w_prev + (1 − m)·w_new. */
  readonly finetuneKeep: number;
  /** add-α and backoff (materialized, smooth.ts); α = 0 without backoff is plain counting. */
  readonly smoothing: Smoothing;
  readonly reward?: Reward | undefined;
  /** Token ids the `reject` filter refuses: a sentence holding any of them fails. */
  readonly reject?: ReadonlySet<number> | undefined;
}

/** The n-gram family with these options. Data are packed sentences of token ids. */
export function ngram(opts: NgramOptions): Family<NgramModel, Packed> {
  const { order, vocab, unit, rule, finetuneKeep } = opts;
  const size = (d: Packed) => (unit === 'tokens' ? d.tokens.length : 0) + d.offsets.length - 1;
  return {
    name: 'ngram',
    size,
    concat: concatSentences,
    subsample(data, n, k) {
      const count = countSentences(data);
      if (unit === 'sentences') return selectSentences(data, subsampleIndices(count, n, k));
      // n counts tokens, so the number of sentences is not fixed in advance: sentences in a
      // random order until their tokens reach n; corpus order is kept.
      const order = randomOrder(count, new Rng(k));
      const picked: number[] = [];
      for (let i = 0, have = 0; i < count && have < n; i++) {
        const s = order[i]!;
        picked.push(s);
        have += sizeOf(data, s, unit);
      }
      return selectSentences(data, picked.sort((a, b) => a - b));
    },
    fit(data, { from }) {
      if (!isSmoothed(opts.smoothing)) return fitCounts(order, data, from && finetuneKeep > 0 ? { model: from, keep: finetuneKeep } : undefined);
      const fresh = fitSmoothed(order, data, vocab.words.length, opts.smoothing);
      return from && finetuneKeep > 0 ? mixModels(from, fresh, finetuneKeep) : fresh;
    },
    sample: (model, n, how, k) => sampleSentences(model, n, unit, how, rule, k),
    logLikelihood: sentenceLogProbs,
    metrics: (model, ref) => ngramMetrics(model, ref),
    collapsed: (model) => isCollapsed(model),
    absorbing: true, // a continuation of probability 0 is never drawn, so the one sentence stays the only one
    final(model) {
      const { edges } = bestPath(model);
      return { finalSample: decode(vocab, edges.map((e) => model.next[e]!)) };
    },
    show(data, max) {
      const out: string[] = [];
      for (let i = 0; i < Math.min(max, data.offsets.length - 1); i++) out.push(decode(vocab, data.tokens.subarray(data.offsets[i]!, data.offsets[i + 1]!)));
      return out;
    },
    ...(opts.reward ? { reward: (data: Packed) => perSentence(data, rewardOf(opts.reward!)) } : {}),
    ...(opts.reject ? { accept: (data: Packed) => Uint8Array.from(perSentence(data, (ids) => (ids.some((t) => opts.reject!.has(t)) ? 0 : 1))) } : {}),
    select: selectSentences,
  };
}

/** Whether the smoothing changes anything (else models are plain counts). */
export function isSmoothed(s: Smoothing): boolean {
  return s.alpha > 0 || s.discount !== undefined;
}

function rewardOf(r: Reward): (ids: Int32Array) => number {
  if (r.kind === 'length') return (ids) => ids.length;
  return (ids) => ids.reduce((s, t) => s + (r.ids.has(t) ? 1 : 0), 0);
}

/** Sentences drawn uniformly with replacement until their size in `unit` reaches n (fresh real data); uses `key`. */
export function drawWithReplacement(data: Packed, n: number, unit: Unit, key: Key): Packed {
  const rng = new Rng(key);
  const picked: number[] = [];
  for (let have = 0; have < n; ) {
    const s = rng.int(data.offsets.length - 1);
    picked.push(s);
    have += sizeOf(data, s, unit);
  }
  return selectSentences(data, picked);
}

/** The size of sentence s in `unit`: its tokens plus END, or 1. */
function sizeOf(data: Packed, s: number, unit: Unit): number {
  return unit === 'tokens' ? data.offsets[s + 1]! - data.offsets[s]! + 1 : 1;
}
