// The transformer family's config sections, experiment setup and checkpoints. The corpus is
// read, split and encoded once per run (resolve); each seed trains its own generation 0 the
// first time the loop asks for it (so validating a config trains nothing).
import { z } from 'zod';
import type { Experiment } from '../../core/loop.ts';
import { key, Rng, split, type Key } from '../../core/random.ts';
import { defineFamily, type Io, type Issue, type LoopSupport, type Settings } from '../entry.ts';
import { buildVocab, corpusSchema, loadCorpus, pack, splitHeldOut, type Packed, type Vocab } from '../text/index.ts';
import { vocabIndex } from '../text/vocab.ts';
import { decodeState, encodeState } from './checkpoint.ts';
import { fitGpt, select, subsample, transformerFamily, type GptModel } from './family.ts';
import { checkConfig, type GptConfig } from './params.ts';
import type { TrainOptions } from './train.ts';

const whole = (what: string) => z.number().int(`${what} must be a whole number`).positive(`${what} must be ≥ 1`);

function trainSchema(d: { lr: number; warmup: number }) {
  return z
    .strictObject({
      steps: whole('steps').optional().describe('optimizer updates (or give epochs)'),
      epochs: z.number().positive('epochs must be > 0').optional().describe('passes over the training tokens (default 1 when steps is absent)'),
      batch: whole('batch').default(32).describe('rows of block_size tokens per update'),
      lr: z.number().positive().default(d.lr).describe('peak learning rate'),
      warmup: z.number().int().nonnegative().default(d.warmup).describe('steps of linear warmup'),
      minLrFraction: z.number().min(0).max(1).default(0.1).describe('cosine decay ends at lr × this'),
      weightDecay: z.number().nonnegative().default(0.1),
      beta1: z.number().min(0).lt(1).default(0.9),
      beta2: z.number().min(0).lt(1).default(0.95),
      eps: z.number().positive().default(1e-8),
      clip: z.number().nonnegative().default(1).describe('global gradient-norm clip (0 = off)'),
    })
    .refine((t) => t.steps === undefined || t.epochs === undefined, { message: 'give steps or epochs, not both' })
    .prefault({});
}

const sections = {
  corpus: corpusSchema.describe('the real text: { source: brown | file | jsonl | toy, level: word | char, heldOut }'),
  model: z
    .strictObject({
      n_layer: whole('n_layer').default(2),
      d_model: whole('d_model').default(128),
      n_head: whole('n_head').default(4),
      block_size: whole('block_size').default(128).describe('context length in tokens (a sentence needs its length + 1)'),
      tied: z.boolean().default(true).describe('the output head reuses the token embedding'),
    })
    .prefault({})
    .describe('a GPT: n_layer pre-LayerNorm blocks of width d_model with n_head heads'),
  train: trainSchema({ lr: 3e-3, warmup: 100 }).describe('generation 0, and every generation when loop.training is scratch'),
  finetune: trainSchema({ lr: 1e-3, warmup: 10 }).describe('later generations when loop.training is finetune'),
  metrics: z
    .strictObject({
      samples: whole('metrics.samples').default(200).describe('probe sentences per recorded model (entropyMC, distinct-n, collapse)'),
      heldOutSentences: whole('metrics.heldOutSentences').default(500).describe('held-out sentences scored for heldOutLoss'),
    })
    .prefault({}),
};

const loop = {
  sentences: z
    .union([whole('sentences'), z.array(z.strictObject({ from: z.number().int().nonnegative(), n: whole('sentences n') })).min(1)])
    .optional()
    .describe('sentences sampled per generation (default: loop.samples)'),
  maxLength: whole('maxLength').optional().describe('most tokens a sampled sentence may have; longer ones are cut (default block_size − 1)'),
};

type Train = z.output<ReturnType<typeof trainSchema>>;

const supports: LoopSupport = {
  unit: 'sentence',
  samples: true,
  temperature: true,
  truncation: true,
  finetune: true,
  finetuneKeep: 'it fine-tunes by further training (the finetune section), not by mixing models',
  policies: ['replace', 'augment', 'accumulate'],
  likelihood: true,
  reward: 'it has no reward section',
  reject: 'it has no reject predicate',
};

/** The transformer family's settings: its sections and loop keys, typed by their schemas. */
export type TransformerSettings = Settings<typeof sections, typeof loop>;

/** What resolve reads once per run: the vocabulary and the encoded training and held-out sentences. */
export interface TransformerResources {
  readonly vocab: Vocab;
  readonly train: Packed;
  /** held-out sentences whose tokens all occur in training (the vocabulary is training's). */
  readonly heldOut: Packed;
}

/** The experiment, plus what checkpoints are checked against. */
export interface TransformerExperiment extends Experiment<GptModel, Packed> {
  readonly gpt: GptConfig;
}

async function resolve(config: TransformerSettings, io: Io): Promise<TransformerResources> {
  const sentences = await loadCorpus(config.corpus, io);
  const parts = splitHeldOut(sentences, config.corpus.heldOut, split(key(config.seed), 2)[1]!);
  const vocab = buildVocab(parts.train, config.corpus.level);
  const index = vocabIndex(vocab);
  const known = parts.heldOut.filter((s) => s.every((w) => index.has(w)));
  return { vocab, train: pack(vocab, parts.train), heldOut: pack(vocab, known) };
}

const initials = new WeakMap<TransformerResources, Map<string, GptModel>>();

/** Checks that need two sections at once: heads divide the width, a sentence fits the context. */
function check(config: TransformerSettings, issue: Issue): void {
  const { d_model, n_head, block_size } = config.model;
  if (d_model % n_head !== 0) issue(['model', 'n_head'], `${n_head} heads do not divide d_model ${d_model}; choose n_head dividing d_model`);
  const maxLength = config.loop.maxLength;
  if (maxLength !== undefined && maxLength >= block_size) {
    issue(['loop', 'maxLength'], `a sentence of ${maxLength} tokens needs ${maxLength + 1} positions, more than model.block_size ${block_size}; lower maxLength to ≤ ${block_size - 1} or raise block_size`);
  }
}

function setup(config: TransformerSettings, res: TransformerResources, seedKey: Key): TransformerExperiment {
  const gpt: GptConfig = { ...config.model, vocab_size: res.vocab.words.length };
  checkConfig(gpt);
  const maxLength = config.loop.maxLength ?? gpt.block_size - 1;
  const sentences = res.train.offsets.length - 1;
  const streamTokens = res.train.tokens.length + 2 * sentences;
  if (streamTokens < config.train.batch * gpt.block_size) {
    throw new Error(`corpus: ${sentences} training sentences make ${streamTokens} tokens, fewer than one batch of train.batch × block_size = ${config.train.batch * gpt.block_size}; use a larger corpus or a smaller batch or block_size`);
  }
  const family = transformerFamily({
    config: gpt,
    vocab: res.vocab,
    scratch: trainOptions(config.train),
    finetune: trainOptions(config.finetune),
    sampling: config.loop.sampling,
    maxLength,
    probe: config.metrics.samples,
    heldOutSentences: config.metrics.heldOutSentences,
  });
  const [kInit] = split(seedKey, 1);
  const memo = initials.get(res) ?? new Map<string, GptModel>();
  initials.set(res, memo);
  const id = `${kInit}:${JSON.stringify([gpt, config.train])}`;
  return {
    gpt,
    family,
    get initial() {
      let m = memo.get(id);
      if (!m) memo.set(id, (m = fitGpt(gpt, res.train, trainOptions(config.train), kInit!)));
      return m;
    },
    realData: res.train,
    drawReal: (n, k) => drawReal(res.train, n, k),
    heldOut: res.heldOut,
  };
}

/** n real sentences: without replacement when the corpus has that many, else with replacement. */
function drawReal(train: Packed, n: number, k: Key): Packed {
  const total = train.offsets.length - 1;
  if (n <= total) return subsample(train, n, k);
  const rng = new Rng(k);
  return select(train, Array.from({ length: n }, () => rng.int(total)));
}

function trainOptions(t: Train): TrainOptions {
  return { ...t, epochs: t.steps === undefined ? (t.epochs ?? 1) : undefined };
}

export const entry = defineFamily<typeof sections, typeof loop, TransformerResources>({
  name: 'transformer',
  description: 'a GPT (decoder-only transformer) trained on real text, then on its own samples; data are sentences',
  sections,
  supports,
  loop,
  check,
  resolve,
  setup,
  samples: (config) => config.loop.sentences,
  checkpoint: {
    ext: 'safetensors',
    encode: (state) => encodeState(state as Parameters<typeof encodeState>[0]),
    decode: (bytes, exp) => decodeState(bytes, (exp as TransformerExperiment).gpt),
  },
});
