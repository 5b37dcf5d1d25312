import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../core/family.ts';
import { foldIn, key } from '../../core/random.ts';
import { buildVocab, pack } from '../text/vocab.ts';
import { isCollapsed } from './graph.ts';
import { ngramMetrics } from './metrics.ts';
import { sampleSentences } from './sample.ts';
import { fitSmoothed, mixModels } from './smooth.ts';

// The toy corpus: unigram counts a 2, b 3, c 2, END 1 (of 8); ids a, b, c, END as the vocabulary numbers them.
const s = [['a', 'b', 'c', 'b', 'c', 'b', 'a']];
const vocab = buildVocab(s, 'word');
const data = pack(vocab, s);
const id = (w: string) => vocab.words.indexOf(w);
const V = vocab.words.length; // BEGIN, END, b, a, c: 4 emittable tokens

function p(m: ReturnType<typeof fitSmoothed>, context: string, next: string): number {
  const k = m.order - 1;
  for (let c = 0; c + 1 < m.start.length; c++) {
    if (Array.from(m.contexts.subarray(c * k, c * k + k), (t) => vocab.words[t]).join(' ') !== context) continue;
    for (let e = m.start[c]!; e < m.start[c + 1]!; e++) if (m.next[e] === id(next)) return m.weight[e]! / m.total[c]!;
    return 0;
  }
  throw new Error(`no context ${context}`);
}

describe('smoothing', () => {
  it('add-α by hand: (N(h, w) + α) / (N(h) + α·K), every context and token present', () => {
    const m = fitSmoothed(2, data, V, { alpha: 1 });
    expect(p(m, 'a', 'b')).toBeCloseTo((1 + 1) / (2 + 4), 12);
    expect(p(m, 'a', 'c')).toBeCloseTo(1 / 6, 12);
    expect(p(m, 'c', 'b')).toBeCloseTo(3 / 6, 12);
    expect(m.total.length).toBe(4); // <s>, a, b, c
    expect(m.next.length).toBe(16);
    expect(isCollapsed(m)).toBe(false);
  });

  it('interpolated backoff by hand: (N(h, w) − d)/N(h) + d·T(h)/N(h) · p_unigram(w)', () => {
    const m = fitSmoothed(2, data, V, { alpha: 0, discount: 0.5 });
    // Context a: b 1, END 1 (N = 2, T = 2): lower-order weight 2·0.5/2 = ½.
    expect(p(m, 'a', 'b')).toBeCloseTo(0.5 / 2 + 0.5 * (3 / 8), 12);
    expect(p(m, 'a', 'c')).toBeCloseTo(0.5 * (2 / 8), 12);
    expect(p(m, 'a', '</s>')).toBeCloseTo(0.5 / 2 + 0.5 * (1 / 8), 12);
    for (let c = 0; c < m.total.length; c++) expect(m.total[c]).toBeCloseTo(1, 12);
  });

  it('smoothed models keep every token alive; exact entropy matches Monte Carlo (4 standard errors)', () => {
    let m = fitSmoothed(3, data, V, { alpha: 0.5, discount: 0.75 });
    const met = ngramMetrics(m, { initial: m });
    expect(Math.abs(met.entropy! - met.entropyMC!)).toBeLessThan(4 * met.entropyMCse!);
    for (let t = 1; t <= 20; t++) m = fitSmoothed(3, sampleSentences(m, 10, 'tokens', PLAIN, { maxLength: 100, onTooLong: 'reject' }, foldIn(key(1), t)), V, { alpha: 0.5 });
    expect(new Set(m.next).size).toBe(V - 1);
  });

  it('fine-tuning mixes the smoothed probabilities; a graph too large to materialize is refused', () => {
    const a = fitSmoothed(2, data, V, { alpha: 1 });
    const b = fitSmoothed(2, data, V, { alpha: 2 });
    const mix = mixModels(a, b, 0.25);
    expect(p(mix, 'a', 'c')).toBeCloseTo(0.25 * (1 / 6) + 0.75 * (2 / (2 + 8)), 12);
    expect(() => fitSmoothed(5, data, 60, { alpha: 1 })).toThrow(/59\^5 = 7.1e\+8 edges/);
  });
});
