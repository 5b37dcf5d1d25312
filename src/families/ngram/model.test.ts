import { describe, expect, it } from 'vitest';
import { PLAIN, type Sampling } from '../../core/family.ts';
import { chiSquareTest } from '../../core/goodness-of-fit.test-support.ts';
import { foldIn, key, Rng } from '../../core/random.ts';
import { transform } from '../../core/transforms.ts';
import { BEGIN, END, buildVocab, pack, type Packed } from '../text/vocab.ts';
import { bestPath, hasCycle, isCollapsed, sentenceEntropy, visits } from './graph.ts';
import { ngramMetrics } from './metrics.ts';
import { fitCounts, revive, type NgramModel } from './model.ts';
import { sampleSentences } from './sample.ts';
import { sentenceLogProbs } from './score.ts';

const words = (lines: string[]) => lines.map((l) => l.split(' ').filter((w) => w));
const fitText = (order: number, lines: string[]) => {
  const s = words(lines);
  const vocab = buildVocab(s, 'word');
  return { vocab, data: pack(vocab, s), model: fitCounts(order, pack(vocab, s)) };
};
const noLimit = { maxLength: 1e6, onTooLong: 'truncate' } as const;

/** A random corpus over a small vocabulary: lengths 0–7, Zipf-ish word choice (fixed key). */
function randomCorpus(sentences: number, vocab: number, seed: number): string[] {
  const rng = new Rng(key(seed));
  return Array.from({ length: sentences }, () => Array.from({ length: rng.int(8) }, () => `w${Math.min(rng.int(vocab), rng.int(vocab))}`).join(' '));
}

/** The slow, obviously correct reference: counts keyed by strings "ctx|ctx → next". */
function naiveCounts(order: number, lines: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of words(lines)) {
    const padded = [...Array(order - 1).fill('<s>'), ...s, '</s>'];
    for (let i = order - 1; i < padded.length; i++) {
      const k = `${padded.slice(i - order + 1, i).join('|')} → ${padded[i]}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return counts;
}

function modelCounts(m: NgramModel, vocabWords: readonly string[]): Map<string, number> {
  const k = m.order - 1;
  const out = new Map<string, number>();
  for (let c = 0; c + 1 < m.start.length; c++) {
    const ctx = Array.from(m.contexts.subarray(c * k, c * k + k), (id) => vocabWords[id]).join('|');
    for (let e = m.start[c]!; e < m.start[c + 1]!; e++) out.set(`${ctx} → ${vocabWords[m.next[e]!]}`, m.weight[e]!);
  }
  return out;
}

describe('counting', () => {
  it('indexed counts equal naive string-keyed counts, orders 1–5', () => {
    const lines = randomCorpus(400, 12, 1);
    for (let order = 1; order <= 5; order++) {
      const { vocab, model } = fitText(order, lines);
      expect(modelCounts(model, vocab.words)).toEqual(naiveCounts(order, lines));
      // Successor contexts are the shifted history (checked on every edge).
      const k = order - 1;
      for (let c = 0; c + 1 < model.start.length; c++) {
        for (let e = model.start[c]!; e < model.start[c + 1]!; e++) {
          if (model.next[e] === END) expect(model.to[e]).toBe(-1);
          else if (k > 0) expect([...model.contexts.subarray(model.to[e]! * k, model.to[e]! * k + k)]).toEqual([...model.contexts.subarray(c * k + 1, c * k + k), model.next[e]]);
        }
      }
      expect([...model.contexts.subarray(0, k)]).toEqual(Array(k).fill(BEGIN));
    }
  });

  it('fine-tuning mixes counts: w′ = m·w_prev + (1 − m)·w_new, new n-grams included', () => {
    const a = randomCorpus(50, 5, 2);
    const b = randomCorpus(50, 5, 3);
    const { vocab } = fitText(2, [...a, ...b]);
    const prev = fitCounts(2, pack(vocab, words(a)));
    const mixed = modelCounts(fitCounts(2, pack(vocab, words(b)), { model: prev, keep: 0.3 }), vocab.words);
    const want = new Map<string, number>();
    for (const [k, v] of naiveCounts(2, a)) want.set(k, 0.3 * v);
    for (const [k, v] of naiveCounts(2, b)) want.set(k, (want.get(k) ?? 0) + 0.7 * v);
    expect(mixed.size).toBe(want.size);
    for (const [k, v] of want) expect(mixed.get(k)).toBeCloseTo(v, 12);
  });

  it('fine-tuning: old counts decay geometrically, underflow and are pruned, with no NaN on the way', () => {
    const { vocab } = fitText(2, ['a b c', 'a c']);
    let m = fitCounts(2, pack(vocab, words(['a b c'])));
    const b = pack(vocab, words(Array(20).fill('a c'))); // totals of 20: an old count's share underflows before the count does
    for (let t = 0; t < 400; t++) {
      m = fitCounts(2, b, { model: m, keep: 0.1 });
      for (const [name, v] of Object.entries(ngramMetrics(m, { initial: m }))) expect({ name, nan: Number.isNaN(v) }).toEqual({ name, nan: false });
    }
    // 0.1^400 underflows: only "a c" is left, and the model has collapsed onto it.
    expect(modelCounts(m, vocab.words)).toEqual(new Map([['<s> → a', 20], ['a → c', 20], ['c → </s>', 20]].map(([k, v]) => [k as string, expect.closeTo(v as number, 9)])));
    expect(isCollapsed(m)).toBe(true);
  });

  it('a model survives JSON and revive', () => {
    const { model } = fitText(3, randomCorpus(30, 4, 4));
    expect(revive(JSON.parse(JSON.stringify(model)))).toEqual(model);
  });
});

describe('sampling', () => {
  const { model, data } = fitText(2, randomCorpus(300, 6, 5));

  // Next-token counts after context 0 (the sentence start) and after the busiest other context.
  function nextCounts(sample: Packed, c: number): Float64Array {
    const out = new Float64Array(model.start[c + 1]! - model.start[c]!);
    const k = model.order - 1;
    const ctxToken = model.contexts[c * k]!;
    const { tokens, offsets } = sample;
    for (let i = 0; i + 1 < offsets.length; i++) {
      for (let j = offsets[i]!; j <= offsets[i + 1]!; j++) {
        const prev = j === offsets[i] ? BEGIN : tokens[j - 1]!;
        if (prev !== ctxToken) continue;
        const t = j < offsets[i + 1]! ? tokens[j]! : END;
        const e = model.next.subarray(model.start[c]!, model.start[c + 1]!).indexOf(t);
        out[e]!++;
      }
    }
    return out;
  }

  const busiest = (() => {
    let best = 1;
    for (let c = 1; c + 1 < model.start.length; c++) if (model.total[c]! > model.total[best]!) best = c;
    return best;
  })();

  const settings: Sampling[] = [PLAIN, { ...PLAIN, temperature: 0.6 }, { ...PLAIN, temperature: 1.5, topK: 3 }, { ...PLAIN, topP: 0.7 }, { ...PLAIN, minP: 0.3 }];
  for (const how of settings) {
    it(`next-token frequencies match the exact (transformed) probabilities: ${JSON.stringify(how)}`, () => {
      const sample = sampleSentences(model, 20000, 'sentences', how, noLimit, foldIn(key(6), Math.round(how.temperature * 10 + how.topK)));
      for (const c of [0, busiest]) {
        const w = model.weight.subarray(model.start[c]!, model.start[c + 1]!);
        const probs = transform(Float64Array.from(w, (x) => x / model.total[c]!), how);
        // One fixed key per setting: p < 1e-4 would be a 1-in-10,000 false alarm.
        expect(chiSquareTest(nextCounts(sample, c), probs).p).toBeGreaterThan(1e-4);
      }
    });
  }

  it('the length rule: reject keeps every sentence ≤ maxLength; truncate cuts at it', () => {
    const rej = sampleSentences(model, 3000, 'sentences', PLAIN, { maxLength: 3, onTooLong: 'reject' }, key(7));
    const cut = sampleSentences(model, 3000, 'sentences', PLAIN, { maxLength: 3, onTooLong: 'truncate' }, key(7));
    const lengths = (d: Packed) => Array.from({ length: d.offsets.length - 1 }, (_, i) => d.offsets[i + 1]! - d.offsets[i]!);
    expect(Math.max(...lengths(rej))).toBe(3);
    expect(Math.max(...lengths(cut))).toBe(3);
    // Truncation piles the long tail onto length 3; rejection redistributes it.
    const share3 = (d: Packed) => lengths(d).filter((l) => l === 3).length / 3000;
    expect(share3(cut)).toBeGreaterThan(share3(rej) + 0.05);
    expect(() => sampleSentences(fitText(2, ['a b c d']).model, 1, 'sentences', PLAIN, { maxLength: 2, onTooLong: 'reject' }, key(8))).toThrow(/longer than maxLength 2/);
  });

  it('n counts tokens (END included) or sentences; data of the same key are identical', () => {
    const t = sampleSentences(model, 500, 'tokens', PLAIN, noLimit, key(9));
    const size = t.tokens.length + t.offsets.length - 1;
    expect(size).toBeGreaterThanOrEqual(500);
    expect(size - (t.offsets.at(-1)! - t.offsets.at(-2)! + 1)).toBeLessThan(500); // stops at the first sentence reaching n
    expect(sampleSentences(model, 500, 'tokens', PLAIN, noLimit, key(9))).toEqual(t);
    expect(data.offsets.length).toBeGreaterThan(1);
  });
});

describe('exact analysis of the context graph', () => {
  // "a b c b c b a" as a bigram: BEGIN→a; a→b ½, END ½; b→c ⅔, a ⅓; c→b.
  // Visits: v_a = 1 + ⅓v_b, v_b = ½v_a + v_c, v_c = ⅔v_b ⇒ v_a = 2, v_b = 3, v_c = 2.
  // Entropy = 2·ln 2 + 3·H(⅔, ⅓) = 3 ln 3; mean length = Σv − 1 = 7; the most probable sentence is "a" (½).
  const toy = fitText(2, ['a b c b c b a']);

  it('entropy, mean length and the top sentence by hand', () => {
    const v = visits(toy.model)!;
    expect(sentenceEntropy(toy.model, v)).toBeCloseTo(3 * Math.log(3), 12);
    const m = ngramMetrics(toy.model, { initial: toy.model });
    expect(m.meanLength).toBeCloseTo(7, 12);
    expect(m.topSentenceShare).toBeCloseTo(0.5, 12);
    expect(m.cycles).toBe(1);
    expect(m.probChange).toBe(0);
    expect(bestPath(toy.model).edges.map((e) => toy.vocab.words[toy.model.next[e]!])).toEqual(['a', '</s>']);
  });

  it('held-out perplexity and zero rate by hand', () => {
    const held = pack(toy.vocab, [['a', 'b', 'a'], ['a', 'c']]);
    const m = ngramMetrics(toy.model, { initial: toy.model, heldOut: held });
    // a b a </s>: 1 · ½ · ⅓ · ½; a c </s>: 1, then c after a (0), then END after c (0).
    expect(m.heldOutZeroRate).toBeCloseTo(2 / 7, 12);
    expect(m.heldOutCoveredPerplexity).toBeCloseTo(Math.exp(-(Math.log(1 / 12) + 0) / 5), 12);
  });

  it('exact entropy agrees with Monte Carlo (4 standard errors) on random bigram and trigram models', () => {
    for (const order of [2, 3]) {
      const { model } = fitText(order, randomCorpus(200, 5, 10 + order));
      const m = ngramMetrics(model, { initial: model });
      expect(Math.abs(m.entropy! - m.entropyMC!)).toBeLessThan(4 * m.entropyMCse!);
      // And against the log-probabilities of a fresh sample, scored independently.
      const s = sampleSentences(model, 4000, 'sentences', PLAIN, noLimit, key(20 + order));
      const lp = sentenceLogProbs(model, s);
      const mean = -lp.reduce((a, b) => a + b, 0) / lp.length;
      const sd = Math.sqrt(lp.reduce((a, b) => a + (-b - mean) ** 2, 0) / (lp.length - 1));
      expect(Math.abs(m.entropy! - mean)).toBeLessThan((4 * sd) / Math.sqrt(lp.length));
    }
  });

  it('a model that can loop forever has infinite entropy and no visits', () => {
    // Hand-built: BEGIN → x, x → x only (no END reachable from x).
    const m: NgramModel = {
      order: 2,
      contexts: Int32Array.of(BEGIN, 2),
      start: Int32Array.of(0, 1, 2),
      next: Int32Array.of(2, 2),
      weight: Float64Array.of(1, 1),
      to: Int32Array.of(1, 1),
      total: Float64Array.of(1, 1),
    };
    expect(visits(m)).toBeNull();
    expect(sentenceEntropy(m, null)).toBe(Infinity);
    expect(hasCycle(m)).toBe(true);
    expect(isCollapsed(m)).toBe(true);
  });

  it('collapse: the toy corpus refit on its own sentences ends on one acyclic path', () => {
    for (let seed = 0; seed < 20; seed++) {
      let m = toy.model;
      let t = 0;
      for (; t < 10000 && !isCollapsed(m); t++) m = fitCounts(2, sampleSentences(m, 20, 'tokens', PLAIN, { maxLength: 100, onTooLong: 'reject' }, foldIn(key(seed), t)));
      expect(isCollapsed(m)).toBe(true);
      expect(hasCycle(m)).toBe(false);
      const metrics = ngramMetrics(m, { initial: toy.model });
      expect(metrics.entropy).toBe(0);
      expect(metrics.topSentenceShare).toBe(1);
      // The surviving sentence was possible at generation 0, and every sample is that sentence.
      const only = sampleSentences(m, 5, 'sentences', PLAIN, noLimit, key(30));
      expect(sentenceLogProbs(toy.model, only)[0]).toBeGreaterThan(-Infinity);
      expect(new Set(Array.from({ length: 5 }, (_, i) => only.tokens.subarray(only.offsets[i]!, only.offsets[i + 1]!).join())).size).toBe(1);
    }
  });

  it('unsmoothed refits never revive an extinct n-gram', () => {
    let m = fitText(2, randomCorpus(100, 6, 40)).model;
    let keys = new Set(modelCounts(m, Array.from({ length: 10 }, (_, i) => String(i))).keys());
    for (let t = 1; t <= 30; t++) {
      m = fitCounts(2, sampleSentences(m, 200, 'tokens', PLAIN, noLimit, foldIn(key(41), t)));
      const now = new Set(modelCounts(m, Array.from({ length: 10 }, (_, i) => String(i))).keys());
      for (const k of now) expect(keys.has(k)).toBe(true);
      keys = now;
    }
  });
});
