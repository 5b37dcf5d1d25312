// The n-gram family's config sections and experiment setup. The corpus is read, split and
// counted once per run (resolve); each seed's setup only wires the family to it.
import { z } from 'zod';
import type { Experiment, SampleSpec } from '../../core/loop.ts';
import { key, split } from '../../core/random.ts';
import { defineFamily, SettingError, type Io, type LoopSupport, type Settings } from '../entry.ts';
import { NO_DRIFT, ngramHooks } from './ecosystem.ts';
import { CORPUS_PATHS, corpusSchema, loadCorpus } from '../text/corpus.ts';
import { splitHeldOut } from '../text/split.ts';
import { BEGIN, buildVocab, END, pack, vocabIndex, type Packed, type Vocab } from '../text/vocab.ts';
import { contextGraph, toDot } from './dot.ts';
import { drawWithReplacement, isSmoothed, ngram } from './family.ts';
import { fitCounts, type NgramModel } from './model.ts';
import type { Unit } from './sample.ts';
import { fitSmoothed, type Smoothing } from './smooth.ts';

const size = z.union([
  z.number().int('a whole number').positive('at least 1'),
  z.array(z.strictObject({ from: z.number().int().nonnegative(), n: z.number().int().positive() })).min(1),
]);

const sections = {
  corpus: corpusSchema.describe('the real text: { source: brown | file | jsonl | toy, level: word | char, heldOut }'),
  model: z
    .strictObject({
      order: z.number().int('order must be a whole number').min(1, 'order must be 1–5').max(5, 'order must be 1–5').default(2),
      smoothing: z.number().nonnegative('smoothing (add-α) must be ≥ 0').finite().default(0).describe('add-α on every token; 0 = maximum likelihood (extinct stays extinct)'),
      backoff: z.number().gt(0, 'backoff is a discount in (0, 1)').lt(1, 'backoff is a discount in (0, 1)').optional().describe('interpolated backoff with this absolute discount (e.g. 0.75)'),
    })
    .default({ order: 2, smoothing: 0 })
    .describe('order 2 = bigram; smoothing and backoff materialize every reachable context (character-level or small corpora)'),
  reward: z
    .discriminatedUnion('kind', [z.strictObject({ kind: z.literal('length') }), z.strictObject({ kind: z.literal('words'), words: z.array(z.string().min(1)).min(1) })])
    .optional()
    .describe('a sentence reward for filters by: reward — its length in tokens, or how many of its tokens are in `words`'),
  reject: z.strictObject({ words: z.array(z.string().min(1)).min(1) }).optional().describe('the reject filter drops sentences holding any of these tokens'),
};

const loop = {
  samples: z.undefined({ error: 'the ngram family sizes a generation by loop.tokens or loop.sentences, not loop.samples' }).optional(),
  tokens: size.optional().describe('draw sentences until at least this many tokens (END counted) per generation; default 10000'),
  sentences: size.optional().describe('or draw exactly this many sentences per generation'),
  maxLength: z.number().int().positive('maxLength must be ≥ 1').default(100).describe('most tokens a sentence may have (END not counted)'),
  onTooLong: z.enum(['reject', 'truncate']).default('reject').describe('reject: draw a longer sentence again; truncate: cut it'),
};

const supports: LoopSupport = {
  unit: 'sentence',
  samples: 'it sizes a generation by loop.tokens or loop.sentences',
  temperature: true,
  truncation: true,
  finetune: true,
  finetuneKeep: true,
  policies: ['replace', 'augment', 'accumulate'],
  likelihood: true,
  reward: true,
  reject: true,
};

/** The ngram family's settings: its sections and loop keys, typed by their schemas. */
export type NgramSettings = Settings<typeof sections, typeof loop>;

/** What resolve reads once per run: the vocabulary, the training and held-out sentences, and generation 0. */
export interface NgramResources {
  readonly vocab: Vocab;
  readonly train: Packed;
  readonly heldOut: Packed;
  readonly initial: NgramModel;
}

/** What a generation counts (sentences or tokens) and how many, from loop.sentences or loop.tokens (default 10,000 tokens). */
function unitOf(loop: { readonly tokens?: SampleSpec | undefined; readonly sentences?: SampleSpec | undefined }): { unit: Unit; spec: SampleSpec } {
  return loop.sentences !== undefined ? { unit: 'sentences', spec: loop.sentences } : { unit: 'tokens', spec: loop.tokens ?? 10000 };
}

/**
 * Reads the corpus, holds out a share of sentences (the split key comes from the root seed,
 * so every seed of a run shares it) and fits generation 0 on the rest.
 */
export async function resolveNgram(config: NgramSettings, io: Io): Promise<NgramResources> {
  const { order } = config.model;
  const sentences = await loadCorpus(config.corpus, io);
  const vocab = buildVocab(sentences, config.corpus.level);
  const parts = splitHeldOut(sentences, config.corpus.heldOut, split(key(config.seed ?? 0), 2)[1]!);
  if (!parts.train.some((s) => s.length >= order - 1)) {
    throw new SettingError(['model', 'order'], `no training sentence has the ${order - 1} tokens an order-${order} context needs; lower model.order or use longer sentences`);
  }
  const train = pack(vocab, parts.train);
  const s = smoothingOf(config);
  const initial = isSmoothed(s) ? fitSmoothed(order, train, vocab.words.length, s) : fitCounts(order, train);
  return { vocab, train, heldOut: pack(vocab, parts.heldOut), initial };
}

function smoothingOf(config: NgramSettings): Smoothing {
  return { alpha: config.model.smoothing, discount: config.model.backoff };
}

function idsOf(vocab: Vocab, words: readonly string[], field: string): Set<number> {
  const index = vocabIndex(vocab);
  const unknown = words.filter((w) => !index.has(w));
  if (unknown.length > 0) throw new SettingError(field.split('.'), `${unknown.map((w) => JSON.stringify(w)).join(', ')} never occur in the corpus; list tokens of the corpus`);
  return new Set(words.map((w) => index.get(w)!));
}

export const entry = defineFamily<typeof sections, typeof loop, NgramResources>({
  name: 'ngram',
  description: 'word- or character-level n-gram language models (order 1–5) on real text; data are sentences',
  collapse: 'every context reachable from the start has a single continuation: one sentence has probability 1',
  sections,
  paths: CORPUS_PATHS,
  supports,
  loop,
  check(settings, issue) {
    const { tokens, sentences, filter } = settings.loop;
    if (tokens !== undefined && sentences !== undefined) issue(['loop', 'sentences'], 'give either loop.tokens or loop.sentences per generation, not both');
    // keepTop keeps the n best items, and an item is a sentence: n must count sentences.
    if (filter.kind === 'keepTop' && sentences === undefined) issue(['loop', 'filter', 'kind'], 'keepTop keeps the best n sentences; size generations by loop.sentences (not loop.tokens) with this filter');
  },
  resolve: resolveNgram,
  setup(settings, res, k): Experiment<NgramModel, Packed> {
    const { unit } = unitOf(settings.loop);
    const { reward, reject, loop: l } = settings;
    const family = ngram({
      order: settings.model.order,
      vocab: res.vocab,
      unit,
      rule: { maxLength: l.maxLength, onTooLong: l.onTooLong },
      finetuneKeep: l.finetuneKeep,
      smoothing: smoothingOf(settings),
      reward: reward === undefined ? undefined : reward.kind === 'length' ? { kind: 'length' } : { kind: 'words', ids: idsOf(res.vocab, reward.words, 'reward.words') },
      reject: reject ? idsOf(res.vocab, reject.words, 'reject.words') : undefined,
    });
    const [kReal] = split(k, 1);
    return {
      family,
      initial: res.initial,
      realData: drawWithReplacement(res.train, l.samples(1), unit, kReal!),
      drawReal: (n, k2) => drawWithReplacement(res.train, n, unit, k2),
      ...(res.heldOut.offsets.length > 1 ? { heldOut: res.heldOut } : {}),
    };
  },
  samples: (config) => unitOf(config.loop).spec,
  // A generation's sample: at least 4 bytes per token (Int32 ids), a sentence at least its END and its offset.
  memory: (settings) => {
    const { unit } = unitOf(settings.loop);
    const n = settings.loop.samples(1);
    return [{ field: `loop.${unit}`, bytes: n * (unit === 'tokens' ? 4 : 8), what: `a generation's ${n.toLocaleString('en-US')} sampled ${unit} (4 bytes per token id)` }];
  },
  graph(model, experiment) {
    // Token ids by the experiment's own vocabulary; the start and end of a sentence by name.
    const word = (id: number): string => (id === BEGIN ? '<s>' : id === END ? '</s>' : experiment.family.show!({ tokens: Int32Array.of(id), offsets: Int32Array.of(0, 1) }, 1)[0]!);
    const g = contextGraph(model as NgramModel, word);
    return { data: g, dot: (title) => toDot(g, title) };
  },
  ecosystem: { drift: NO_DRIFT, hooks: (settings) => ngramHooks(settings.model.order) },
});
