// The family through its entry: config errors, the loop resuming bit-identically from a
// checkpoint, the metric names (a contract), and the degeneration statistics.
import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../core/family.ts';
import { loop, type Experiment, type LoopOptions, type LoopState } from '../../core/loop.ts';
import { key, splitAt } from '../../core/random.ts';
import { generationKey } from '../../core/seeds.ts';
import type { Io } from '../entry.ts';
import { countSentences, pack, sentenceAt, type Packed } from '../text/index.ts';
import { buildVocab } from '../text/vocab.ts';
import { reviveModel, type GptModel } from './family.ts';
import { settingsFor } from '../../config/schema.ts';
import { entry, type TransformerSettings } from './index.ts';
import { distinctN, longestTandem, repetition, topTokens } from './textstats.ts';

const noIo: Io = { readFile: () => Promise.reject(new Error('no files here')), importModule: () => Promise.reject(new Error('no modules')) };
const text = 'the cat sat on the mat\nthe dog sat on the log\na cat and a dog\nthe mat and the log\na log on a mat\nthe cat and the dog sat\n';

function config(over: Record<string, unknown> = {}, loopOver: Record<string, unknown> = {}): TransformerSettings {
  return settingsFor(entry, {
    corpus: { source: 'toy', level: 'char', text, heldOut: 0.2 },
    model: { n_layer: 1, d_model: 16, n_head: 2, block_size: 32 },
    train: { steps: 30, batch: 2, warmup: 3 },
    finetune: { steps: 5, batch: 2, warmup: 1 },
    metrics: { samples: 30, heldOutSentences: 10 },
    ...over,
    loop: loopOver,
  });
}

const options: LoopOptions = {
  generations: 3, samples: () => 12, constantSamples: 12, sampling: PLAIN, policy: 'accumulate', realFraction: 0.25,
  training: 'finetune', finetuneKeep: 0, filter: { kind: 'none' }, stopWhenCollapsed: false,
};

describe('transformer family', async () => {
  const cfg = config();
  const res = await entry.resolve!(cfg, noIo);

  it('rejects bad architectures, contexts and corpora with the field and the fix', () => {
    expect(() => config({ model: { n_head: 3, d_model: 16 } })).toThrow(/3 heads do not divide d_model 16/);
    expect(() => config({}, { maxLength: 32 })).toThrow(/a sentence of 32 tokens needs 33 positions, more than model.block_size 32/);
    expect(() => entry.setup(config({ train: { batch: 64 } }), res, key(0))).toThrow(/fewer than one batch/);
  });

  it('resumes from a checkpoint bit-identically, and the same key repeats the run', () => {
    const exp = entry.setup(cfg, res, key(1));
    const full = [...loop(exp, options, key(2))] as LoopState<GptModel, Packed>[];
    const ck = entry.checkpoint!;
    const mid = ck.decode(ck.encode(full[1]!), entry.setup(cfg, res, key(1)));
    const resumed = [...loop(exp, options, key(2), mid)] as LoopState<GptModel, Packed>[];
    expect(resumed.map((s) => s.model.params)).toEqual(full.slice(2).map((s) => s.model.params));
    expect(resumed.at(-1)!.history).toEqual(full.at(-1)!.history);
    const again = [...loop(entry.setup(cfg, res, key(1)), options, key(2))] as LoopState<GptModel, Packed>[];
    expect(again.at(-1)!.model.params).toEqual(full.at(-1)!.model.params);
  });

  it('a model survives a JSON round-trip and samples identically', () => {
    const exp = entry.setup(cfg, res, key(1));
    const m = exp.initial as GptModel;
    const back = reviveModel(JSON.parse(JSON.stringify(m)));
    expect(back.params).toEqual(m.params);
    expect(exp.family.sample(back, 10, PLAIN, key(3))).toEqual(exp.family.sample(m, 10, PLAIN, key(3)));
  });

  it('reports the contract metrics as finite numbers, and shows text', () => {
    const exp = entry.setup(cfg, res, key(1));
    const m = exp.family.metrics(exp.initial, { initial: exp.initial, heldOut: exp.heldOut! });
    for (const name of ['entropyMC', 'entropyMCse', 'heldOutLoss', 'distinct1', 'distinct2', 'distinct3', 'repetition', 'longestCycle', 'topTokens']) {
      expect({ name, finite: Number.isFinite(m[name]) }).toEqual({ name, finite: true });
    }
    expect(m.entropyMC).toBeGreaterThan(0);
    const shown = exp.family.show!(exp.realData, 2);
    expect(shown).toHaveLength(2);
    for (const s of shown) expect(text.split('\n')).toContain(s);
  });
});

describe('transformer family: a BPE and sequences of a fixed length', async () => {
  const bpe = (over: Record<string, unknown> = {}, loopOver: Record<string, unknown> = {}) =>
    config({ tokenizer: { kind: 'bpe', vocab: 270 }, corpus: { source: 'toy', text: text.repeat(4), heldOut: 0.2 }, model: { n_layer: 1, d_model: 16, n_head: 2, block_size: 16 }, ...over }, { length: 8, ...loopOver });
  const cfg = bpe();
  const res = await entry.resolve!(cfg, noIo);

  it('trains the BPE on the training sentences and decodes what it encodes', () => {
    expect(res.vocab.level).toBe('bpe');
    expect(res.vocab.words).toHaveLength(270);
    expect(res.vocab.words.slice(0, 2)).toEqual(['<s>', '</s>']);
    const exp = entry.setup(cfg, res, key(1));
    for (const s of exp.family.show!(exp.heldOut!, 3)) expect(text.split('\n')).toContain(s);
  });

  it('refuses a vocabulary the text cannot support, a length beyond the context, and sequences without a length', async () => {
    await expect(entry.resolve!(bpe({ tokenizer: { kind: 'bpe', vocab: 5000 } }), noIo)).rejects.toThrow(/tokenizer.vocab: 5000 tokens is more than the training text supports \(\d+ with <s> and <\/s>.*lower tokenizer.vocab to ≤ \d+/);
    // Checks of the config alone are the schema's (config() validates): they name the field at its line in a file.
    expect(() => bpe({}, { length: 17 })).toThrow(/a sequence of 17 tokens .*block_size 16/);
    expect(() => config({}, { sequences: 10 })).toThrow(/sequences need a length/);
    expect(() => bpe({}, { sentences: 10 })).toThrow(/drop loop.sentences/);
  });

  it('samples sequences of `length` tokens, real windows of the same shape, and resumes bit-identically', () => {
    const exp = entry.setup(cfg, res, key(1));
    const opts = { ...options, policy: 'replace' as const, realFraction: 0.25, samples: () => 10 };
    const full = [...loop(exp, opts, key(2))] as LoopState<GptModel, Packed>[];
    const train = full[1]!.train!;
    for (let i = 0; i < 10; i++) expect(train.offsets[i + 1]! - train.offsets[i]!).toBeLessThanOrEqual(8);
    const real = exp.drawReal(3, key(5)) as Packed;
    expect(Array.from(real.offsets)).toEqual([0, 8, 16, 24]);
    const ck = entry.checkpoint!;
    const mid = ck.decode(ck.encode(full[1]!), entry.setup(cfg, res, key(1)));
    const resumed = [...loop(exp, opts, key(2), mid)] as LoopState<GptModel, Packed>[];
    expect(resumed.map((s) => s.model.params)).toEqual(full.slice(2).map((s) => s.model.params));
  });

  it('inspects what the model writes: texts and its ten most frequent tokens with their shares', () => {
    const exp = entry.setup(cfg, res, key(1));
    const { texts, topTokens } = exp.family.inspect!(exp.initial, 4);
    expect(texts).toHaveLength(4);
    expect(topTokens.length).toBeLessThanOrEqual(10);
    expect(topTokens.map((t) => t.share)).toEqual([...topTokens.map((t) => t.share)].sort((a, b) => b - a));
    expect(topTokens.reduce((s, t) => s + t.share, 0)).toBeLessThanOrEqual(1 + 1e-12);
    for (const t of topTokens) expect(res.vocab.words).toContain(t.token);
  });

  it('every loop feature applies to sequences: policies, λ, filters by likelihood, scratch and fine-tune', () => {
    const exp = entry.setup(cfg, res, key(1)) as Experiment<GptModel, Packed>;
    const real = countSentences(exp.realData);
    const n = 6;
    const base: LoopOptions = { ...options, generations: 2, samples: () => n, constantSamples: n, policy: 'replace', realFraction: 0 };
    const run = (over: Partial<LoopOptions>) => [...loop(exp, { ...base, ...over }, key(2))] as LoopState<GptModel, Packed>[];
    const cases: [Partial<LoopOptions>, (t: number) => number][] = [
      [{}, () => n],
      [{ realFraction: 0.5 }, () => n],
      [{ policy: 'augment' }, () => real + n],
      [{ policy: 'accumulate' }, (t) => t * n],
      [{ policy: 'accumulate', accumulateWindow: 1 }, () => n],
      [{ filter: { kind: 'keepTop', fraction: 0.5, by: 'likelihood' } }, () => n],
      [{ filter: { kind: 'choice', by: 'likelihood', beta: 1 } }, () => n],
      [{ training: 'scratch' }, () => n],
    ];
    for (const [over, size] of cases) {
      const states = run(over);
      expect(states.map((s) => s.generation), JSON.stringify(over)).toEqual([0, 1, 2]);
      for (const s of states.slice(1)) {
        expect(countSentences(s.train!), JSON.stringify(over)).toBe(size(s.generation));
        // Every item is a sampled sequence or a real window of loop.length tokens, or (augment) a training sentence.
        const items = Array.from({ length: countSentences(s.train!) }, (_, i) => sentenceAt(s.train!, i).length);
        if (over.policy !== 'augment') for (const len of items) expect(len).toBeLessThanOrEqual(8);
        expect(s.model.params).not.toEqual(exp.initial.params);
      }
    }
    // λ = 0.5: after the sampled half, generation 1 trains on real windows drawn with its real stream (loop.ts).
    const mixed = run({ realFraction: 0.5 })[1]!.train!;
    const windows = exp.drawReal(n / 2, splitAt(generationKey(key(2), 1), 1)) as Packed;
    for (let i = 0; i < n / 2; i++) expect(sentenceAt(mixed, n / 2 + i)).toEqual(sentenceAt(windows, i));
    // keepTop by likelihood keeps the likelier half of twice as many sequences.
    const kept = run({ filter: { kind: 'keepTop', fraction: 0.5, by: 'likelihood' } })[1]!.train!;
    const all = run({ samples: () => 2 * n, constantSamples: 2 * n })[1]!.train!;
    const mean = (d: Packed) => exp.family.logLikelihood!(exp.initial, d).reduce((a, b) => a + b, 0) / countSentences(d);
    expect(mean(kept)).toBeGreaterThan(mean(all));
    // Scratch trains a new model from generation 0's settings; fine-tuning continues the previous one.
    expect(run({ training: 'scratch' })[1]!.model.params).not.toEqual(run({})[1]!.model.params);
  });

  it('shared base: every seed starts from the same generation 0; by default each seed has its own', () => {
    const shared = bpe({ base: 'shared' });
    const a = entry.setup(shared, res, key(1)).initial as GptModel;
    const b = entry.setup(shared, res, key(2)).initial as GptModel;
    expect(b.params).toEqual(a.params);
    expect((entry.setup(cfg, res, key(2)).initial as GptModel).params).not.toEqual(a.params);
  });
});

describe('degeneration statistics', () => {
  const vocab = buildVocab([['hi', 'hello', 'there']], 'word');
  const data = pack(vocab, [['hi', 'hello', 'hi', 'hello'], ['hi', 'there', 'hello']]);

  it('longestTandem finds the longest immediately repeated span', () => {
    expect(longestTandem([1, 2, 1, 2])).toBe(2); // "hi hello hi hello"
    expect(longestTandem([1, 2, 3])).toBe(0);
    expect(longestTandem([5, 1, 2, 3, 1, 2, 3, 1])).toBe(3);
    expect(longestTandem([7, 7, 7])).toBe(1);
  });

  it('distinct-n, repetition and topTokens count as documented', () => {
    // unigrams: 7 tokens, 3 distinct; bigrams: (hi hello)×2, (hello hi), (hi there), (there hello) = 4 of 5
    expect(distinctN(data, 1)).toBeCloseTo(3 / 7, 12);
    expect(distinctN(data, 2)).toBeCloseTo(4 / 5, 12);
    // bigram repeats within a sentence: sentence 1 has 1 of 3, sentence 2 none of 2
    expect(repetition(data, 2)).toBeCloseTo((1 / 3 + 0) / 2, 12);
    // counts hi 3, hello 3, there 1: two tokens make 6/7 ≥ 0.8 of the text
    expect(topTokens(data, 0.8)).toBe(2);
  });
});
