// The transformer family: a GPT over items of token ids (sentences, or fixed-length sequences).
// fit trains from scratch (or fine-tunes `from`), sample draws items with the KV-cache sampler,
// and the metrics come from a probe sample drawn with the model's own key, so they are
// deterministic per model.
import type { Family, Sampling } from '../../core/family.ts';
import { foldIn, type Key } from '../../core/random.ts';
import { subsampleIndices } from '../../core/samplers.ts';
import { concatSentences, countSentences, decode, END, selectSentences, sentenceAt, type Packed, type Vocab } from '../text/index.ts';
import type { Backend } from './backend.ts';
import type { GptConfig } from './params.ts';
import { generate, type Generated, type Shape } from './sample.ts';
import { itemLogProbs } from './score.ts';
import { distinctN, longestCycle, repetition, tokenShares, topTokens } from './textstats.ts';
import { train, type TrainOptions } from './train.ts';

/** A trained GPT: plain data (params is a Float32Array; `reviveModel` undoes JSON). */
export interface GptModel {
  readonly config: GptConfig;
  readonly params: Float32Array;
  /** the key it was trained with; its metrics' probe sample uses foldIn(key, 1). */
  readonly key: Key;
  /** mean training loss (nats per token) over the last tenth of the steps. */
  readonly trainLoss: number;
  /** its tokenizer: token ids mean nothing without it. */
  readonly vocab: Vocab;
}

export interface TransformerOptions {
  /** Where float32 work runs (backend.ts). */
  readonly backend: Backend;
  readonly config: GptConfig;
  readonly vocab: Vocab;
  readonly scratch: TrainOptions;
  readonly finetune: TrainOptions;
  /** how the loop samples; the metrics measure that sampling distribution. */
  readonly sampling: Sampling;
  /** what one item is: a sentence up to END, or a sequence of a fixed number of tokens. */
  readonly shape: Shape;
  /** probe items per model for entropyMC, distinct-n and collapse. */
  readonly probe: number;
  /** held-out sentences scored for heldOutLoss (the first ones). */
  readonly heldOutSentences: number;
}

/**
 * A GPT trained on `data` with `o` (from `from` when fine-tuning), drawing with `key`; rows
 * from the sentence stream, or one item a row (train.ts).
 */
export function fitGpt(be: Backend, config: GptConfig, vocab: Vocab, data: Packed, o: TrainOptions, key: Key, from?: GptModel, rows: 'stream' | 'sequences' = 'stream'): GptModel {
  const { params, loss } = train(be, config, data, o, key, from?.params, rows);
  return { config, params, key, trainLoss: loss, vocab };
}

/** Undoes JSON's flattening of a model's Float32Array. */
export function reviveModel(json: unknown): GptModel {
  const m = json as { config: GptConfig; params: Record<string, number> | number[]; key: [number, number]; trainLoss: number; vocab: Vocab };
  const values = Array.isArray(m.params) ? m.params : Object.keys(m.params).map((k) => (m.params as Record<string, number>)[k]!);
  return { config: m.config, params: Float32Array.from(values), key: m.key, trainLoss: m.trainLoss, vocab: m.vocab };
}

/** min(n, size) sentences without replacement, in corpus order, drawn with `key`. */
export function subsample(data: Packed, n: number, key: Key): Packed {
  return selectSentences(data, subsampleIndices(countSentences(data), n, key));
}

const probes = new WeakMap<GptModel, Generated>();

/** The transformer family for one experiment's vocabulary and settings. */
export function transformerFamily(o: TransformerOptions): Family<GptModel, Packed> {
  const probeOf = (m: GptModel): Generated => {
    let p = probes.get(m);
    if (!p) probes.set(m, (p = generate(o.backend, m.config, m.params, o.probe, o.sampling, o.shape, foldIn(m.key, 1))));
    return p;
  };
  const rows = o.shape.kind === 'sequences' ? 'sequences' : 'stream';
  const text = (data: Packed, i: number) => showItem(o.vocab, sentenceAt(data, i));
  return {
    name: 'transformer',
    size: countSentences,
    concat: concatSentences,
    subsample,
    select: selectSentences,
    fit: (data, { key, from }) => fitGpt(o.backend, o.config, o.vocab, data, from ? o.finetune : o.scratch, key, from, rows),
    sample: (m, n, how, key) => generate(o.backend, m.config, m.params, n, how, o.shape, key).data,
    logLikelihood: (m, data) => itemLogProbs(o.backend, m.config, m.params, data, o.shape.kind).logp,
    metrics(m, { heldOut }) {
      const probe = probeOf(m);
      const n = probe.logq.length;
      let mean = 0;
      for (const l of probe.logq) mean -= l / n;
      let ss = 0;
      for (const l of probe.logq) ss += (-l - mean) ** 2;
      let truncated = 0;
      for (const t of probe.truncated) truncated += t;
      return {
        entropyMC: mean,
        entropyMCse: n > 1 ? Math.sqrt(ss / (n - 1) / n) : 0,
        ...(heldOut && countSentences(heldOut) > 0 ? { heldOutLoss: heldOutLoss(o.backend, m, heldOut, o.heldOutSentences) } : {}),
        trainLoss: m.trainLoss,
        distinct1: distinctN(probe.data, 1),
        distinct2: distinctN(probe.data, 2),
        distinct3: distinctN(probe.data, 3),
        repetition: repetition(probe.data),
        longestCycle: longestCycle(probe.data),
        topTokens: topTokens(probe.data),
        meanLength: probe.data.tokens.length / n,
        truncatedShare: truncated / n,
        topSentenceShare: topSentence(probe.data).count / n,
      };
    },
    collapsed: (m) => topSentence(probeOf(m).data).count === o.probe,
    absorbing: false, // identical probes are a threshold: every other sentence keeps a probability > 0
    final: (m) => ({ finalSample: text(probeOf(m).data, topSentence(probeOf(m).data).index) }),
    show: (data, max) => Array.from({ length: Math.min(max, countSentences(data)) }, (_, i) => text(data, i)),
    inspect(m, max) {
      const probe = probeOf(m).data;
      return {
        texts: Array.from({ length: Math.min(max, countSentences(probe)) }, (_, i) => text(probe, i)),
        topTokens: tokenShares(probe, 10).map(({ token, share }) => ({ token: o.vocab.words[token] ?? String(token), share })),
      };
    },
  };
}

/** An item as text: a sequence that runs on past a sentence's end shows the END as </s>. */
export function showItem(vocab: Vocab, ids: Int32Array): string {
  const parts: string[] = [];
  let from = 0;
  for (let j = 0; j <= ids.length; j++) {
    if (j < ids.length && ids[j] !== END) continue;
    if (j > from || j < ids.length) parts.push(decode(vocab, ids.subarray(from, j)));
    if (j < ids.length) parts.push('</s>');
    from = j + 1;
  }
  return parts.filter((p) => p.length > 0).join(' ');
}

/** Mean negative log-likelihood per predicted token (nats) of the first `max` held-out sentences. */
function heldOutLoss(be: Backend, m: GptModel, heldOut: Packed, max: number): number {
  const part = countSentences(heldOut) > max ? selectSentences(heldOut, Array.from({ length: max }, (_, i) => i)) : heldOut;
  const { logp, counted } = itemLogProbs(be, m.config, m.params, part, 'sentences');
  let nll = 0;
  let k = 0;
  for (let i = 0; i < logp.length; i++) (nll -= logp[i]!, (k += counted[i]!));
  return nll / k;
}

/** The most frequent sentence of a sample (first occurrence) and how often it occurs. */
function topSentence(data: Packed): { index: number; count: number } {
  const counts = new Map<string, { index: number; count: number }>();
  for (let i = 0; i < countSentences(data); i++) {
    const k = sentenceAt(data, i).join(',');
    const c = counts.get(k);
    if (c) c.count++;
    else counts.set(k, { index: i, count: 1 });
  }
  let best = { index: 0, count: 0 };
  for (const c of counts.values()) if (c.count > best.count) best = c;
  return best;
}
