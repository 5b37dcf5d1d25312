// The transformer family's config sections, experiment setup and checkpoints. The corpus is
// read, split and tokenized once per run (resolve, data.ts); generation 0 is trained the first
// time the loop asks for it (so validating a config trains nothing), with the seed's key or,
// with `base: shared`, one key for every seed.
import { z } from 'zod';
import type { Experiment } from '../../core/loop.ts';
import { key, split, splitAt, type Key } from '../../core/random.ts';
import { defineFamily, SettingError, type Issue, type LoopSupport, type MemoryNeed, type Settings } from '../entry.ts';
import { CORPUS_PATHS, corpusSchema, packSentences, type Packed, type Vocab } from '../text/index.ts';
import { decodeState, encodeState, tokenizerJson } from './checkpoint.ts';
import { backendOf, gemmName, kernelsName, NATIVE_MODULE, type Backend } from './backend.ts';
import { drawReal, readText, window, type TextResources } from './data.ts';
import { fitGpt, transformerFamily, type GptModel } from './family.ts';
import { checkConfig, type GptConfig } from './params.ts';
import { shapeProblem, type Shape } from './sample.ts';
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
  tokenizer: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('word') }),
      z.strictObject({ kind: z.literal('char') }),
      z.strictObject({
        kind: z.literal('bpe'),
        vocab: z.number().int('tokenizer.vocab must be a whole number').min(258, 'tokenizer.vocab must be ≥ 258 (256 bytes, <s> and </s>)').max(65538, 'tokenizer.vocab must be ≤ 65,538').describe('ids in all: <s>, </s>, the 256 bytes and vocab − 258 merges'),
      }),
    ])
    .optional()
    .describe('how text becomes tokens: word or char (as corpus.level, the default), or a byte-level BPE trained on the training sentences'),
  base: z
    .enum(['seed', 'shared'])
    .optional()
    .describe('generation 0: trained with each seed\'s own key (seed, the default), or once from the root seed and shared by every seed (shared, as one pretrained model is)'),
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
  sequences: z
    .union([whole('sequences'), z.array(z.strictObject({ from: z.number().int().nonnegative(), n: whole('sequences n') })).min(1)])
    .optional()
    .describe('sequences of loop.length tokens sampled per generation, instead of sentences (the work we follow: 4,000)'),
  length: whole('length').optional().describe('tokens per sampled sequence, from <s>, running on past the end of a sentence (the work we follow: 30); ≤ block_size'),
};

type Train = z.output<ReturnType<typeof trainSchema>>;

const supports: LoopSupport = {
  unit: 'sentence (or a sequence of loop.length tokens)',
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

/** What resolve reads once per run: the text (data.ts), and the backend float32 work runs on (backend.ts). */
export interface TransformerResources extends TextResources {
  readonly backend: Backend;
}

/** The experiment, plus what checkpoints are checked against. */
export interface TransformerExperiment extends Experiment<GptModel, Packed> {
  readonly gpt: GptConfig;
  readonly vocab: Vocab;
}

const initials = new WeakMap<TransformerResources, Map<string, GptModel>>();

/**
 * What a cached generation 0 was made by, besides its inputs: bump it when the TypeScript
 * training code computes different numbers from the same inputs, so no older base is reused.
 * (The GEMM and kernels in use are part of the key too, and the runner adds the compiled
 * addon's digest: they round differently.)
 */
const BASE_FORMAT = 'ouroboros-gpt-base-1';

/**
 * The least memory training needs (params.ts layout without the vocabulary's rows, which the
 * corpus decides): weights, gradients and AdamW's two moments in float32, and one activation
 * per position and layer of a batch.
 */
function memoryOf(m: { readonly n_layer: number; readonly d_model: number; readonly block_size: number }, batch: number): MemoryNeed[] {
  const { n_layer: L, d_model: C, block_size: T } = m;
  const params = L * (12 * C * C + 13 * C) + T * C + 2 * C;
  return [
    { field: 'model.d_model', bytes: params * 16, what: `${params.toExponential(2)} parameters × (weight, gradient, 2 AdamW moments) in float32` },
    { field: 'train.batch', bytes: batch * T * C * L * 4, what: 'one float32 activation per position, width and layer of a batch' },
  ];
}

/** What one item is, from the loop section: a sequence of loop.length tokens, or a sentence (`check` vets the combination). */
function shapeOf(l: TransformerSettings['loop'], blockSize: number): Shape {
  return l.length === undefined ? { kind: 'sentences', maxLength: l.maxLength ?? blockSize - 1 } : { kind: 'sequences', length: l.length };
}

/** Checks across keys: heads divide the width; sentences or sequences, and they fit the context. */
function check(config: TransformerSettings, issue: Issue): void {
  const { d_model, n_head, block_size } = config.model;
  if (d_model % n_head !== 0) issue(['model', 'n_head'], `${n_head} heads do not divide d_model ${d_model}; choose n_head dividing d_model`);
  const l = config.loop;
  if (l.length === undefined && l.sequences !== undefined) return issue(['loop', 'sequences'], 'sequences need a length; set loop.length (the work we follow: 30 tokens), or use loop.sentences');
  if (l.length !== undefined && (l.sentences !== undefined || l.maxLength !== undefined)) {
    return issue(['loop', 'length'], `sequences of loop.length tokens replace sentences; drop loop.${l.sentences !== undefined ? 'sentences' : 'maxLength'}, or drop loop.length to sample sentences`);
  }
  const problem = shapeProblem(block_size, shapeOf(l, block_size));
  if (problem) issue(['loop', problem.field], problem.message);
}

/** The key generation 0 trains with: the seed's own, or (base: shared) one key for every seed of the root seed. */
function baseKey(config: TransformerSettings, seedKey: Key): Key {
  return config.base === 'shared' ? splitAt(key(config.seed), 2) : split(seedKey, 1)[0]!;
}

function setup(config: TransformerSettings, res: TransformerResources, seedKey: Key): TransformerExperiment {
  const gpt: GptConfig = { ...config.model, vocab_size: res.vocab.words.length };
  checkConfig(gpt);
  const shape = shapeOf(config.loop, gpt.block_size);
  const sentences = res.train.offsets.length - 1;
  const streamTokens = res.train.tokens.length + 2 * sentences;
  if (streamTokens < config.train.batch * gpt.block_size) {
    throw new SettingError(['train', 'batch'], `the corpus's ${sentences} training sentences make ${streamTokens} tokens, fewer than one batch of train.batch × block_size = ${config.train.batch * gpt.block_size}; use a larger corpus or a smaller batch or block_size`);
  }
  const family = transformerFamily({
    backend: res.backend,
    config: gpt,
    vocab: res.vocab,
    scratch: trainOptions(config.train),
    finetune: trainOptions(config.finetune),
    sampling: config.loop.sampling,
    shape,
    probe: config.metrics.samples,
    heldOutSentences: config.metrics.heldOutSentences,
  });
  const kInit = baseKey(config, seedKey);
  const memo = initials.get(res) ?? new Map<string, GptModel>();
  initials.set(res, memo);
  const id = `${kInit}:${JSON.stringify([gpt, config.train])}`;
  const length = shape.kind === 'sequences' ? shape.length : undefined;
  let realData: Packed | undefined;
  return {
    gpt,
    vocab: res.vocab,
    family,
    get initial() {
      let m = memo.get(id);
      if (!m) memo.set(id, (m = fitGpt(res.backend, gpt, res.vocab, res.train, trainOptions(config.train), kInit)));
      return m;
    },
    get realData() {
      // Sequences: the window of the stream at every sentence (made when first asked for).
      return (realData ??= length === undefined ? res.train : packSentences(Array.from({ length: sentences }, (_, i) => window(res.train, i, length))));
    },
    drawReal: (n, k) => drawReal(res.train, n, k, length),
    heldOut: res.heldOut,
  };
}

function trainOptions(t: Train): TrainOptions {
  return { ...t, epochs: t.steps === undefined ? (t.epochs ?? 1) : undefined };
}

export const entry = defineFamily<typeof sections, typeof loop, TransformerResources>({
  name: 'transformer',
  description: 'a GPT (decoder-only transformer) trained on real text, then on its own samples; data are sentences',
  collapse: 'every probe sample (metrics.samples of them) is the same sentence',
  sections,
  paths: CORPUS_PATHS,
  supports,
  loop,
  check,
  resolve: async (config, io) => ({ ...(await readText(config.corpus, config.tokenizer, config.seed, io)), backend: backendOf(io.native?.(NATIVE_MODULE)).backend }),
  setup,
  samples: (config) => config.loop.sentences ?? config.loop.sequences,
  base: (config, res, seedKey) => ({
    settings: {
      format: BASE_FORMAT,
      backend: { gemm: gemmName(res.backend), kernels: kernelsName(res.backend), blas: res.backend.blas ?? null, build: res.backend.digest ?? null },
      model: { ...config.model, vocab_size: res.vocab.words.length },
      train: config.train,
      key: baseKey(config, seedKey),
    },
    data: [new TextEncoder().encode(tokenizerJson(res.vocab)), res.train.tokens, res.train.offsets],
  }),
  arithmetic: (res) => ({ gemm: gemmName(res.backend), kernels: kernelsName(res.backend), openblas: res.backend.blas ?? null, build: res.backend.digest ?? null }),
  memory: (settings) => memoryOf(settings.model, settings.train.batch),
  doctor: (io) => {
    const { backend, reason, threads } = backendOf(io.native?.(NATIVE_MODULE));
    return { gemm: gemmName(backend), gemmReason: reason, kernels: kernelsName(backend), openblas: backend.blas ?? null, openblasThreads: threads ?? null };
  },
  checkpoint: {
    ext: 'safetensors',
    encode: (state) => encodeState(state as Parameters<typeof encodeState>[0]),
    decode: (bytes, exp) => decodeState(bytes, (exp as TransformerExperiment).gpt, (exp as TransformerExperiment).vocab),
  },
});
