// The KV-cache sampler against full forward passes: the log-probability it records for each
// sentence, greedy decoding at temperature 0, and keyed determinism.
import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../core/family.ts';
import { key } from '../../core/random.ts';
import { BEGIN, END } from '../text/index.ts';
import { tiny, randomParams } from './fixture.test-support.ts';
import { forward, workspace } from './gpt.ts';
import { generate } from './sample.ts';
import { itemLogProbs } from './score.ts';
import { TYPESCRIPT } from './backend.ts';

/** Greedy decoding by re-running the whole prefix each step (no cache). */
function greedy(params: Float32Array, maxLength: number): number[] {
  const out: number[] = [];
  for (;;) {
    const T = out.length + 1;
    const ws = workspace(tiny, 1, T, (n) => new Float32Array(n));
    ws.tokens.set([BEGIN, ...out]);
    forward(TYPESCRIPT, tiny, params, ws, false);
    const row = ws.logits.subarray((T - 1) * tiny.vocab_size, T * tiny.vocab_size);
    let best = 0;
    for (let v = 1; v < row.length; v++) if (row[v]! > row[best]!) best = v;
    if (best === END || out.length === maxLength) return out;
    out.push(best);
  }
}

const S15 = { kind: 'sentences', maxLength: 15 } as const;

describe('generate', () => {
  const params = randomParams(tiny, 3);

  it('records log q(s) equal to the full forward pass, for every finished sentence', () => {
    const flat = randomParams(tiny, 3, 3); // near-uniform next tokens: most sentences end before 15
    const g = generate(TYPESCRIPT, tiny, flat, 60, PLAIN, { kind: 'sentences', maxLength: 15 }, key(1), 7);
    const { logp } = itemLogProbs(TYPESCRIPT, tiny, flat, g.data, 'sentences');
    let finished = 0;
    for (let i = 0; i < 60; i++) {
      if (g.truncated[i]) continue;
      finished++;
      // float32 activations: agreement to ~1e-5 relative per token; 1e-3 absolute over ≤ 16 tokens.
      expect(Math.abs(g.logq[i]! - logp[i]!)).toBeLessThan(1e-3);
    }
    expect(finished).toBeGreaterThan(30);
  });

  it('sequences: exactly `length` tokens, running on past END, with log q equal to the full forward pass', () => {
    const flat = randomParams(tiny, 3, 3); // END is likely: most sequences hold several sentences
    const g = generate(TYPESCRIPT, tiny, flat, 40, PLAIN, { kind: 'sequences', length: 6 }, key(7), 5);
    const { logp, counted } = itemLogProbs(TYPESCRIPT, tiny, flat, g.data, 'sequences');
    let ends = 0;
    for (let i = 0; i < 40; i++) {
      const s = g.data.tokens.subarray(g.data.offsets[i]!, g.data.offsets[i + 1]!);
      ends += s.subarray(0, -1).filter((t) => t === END).length;
      if (g.truncated[i]) continue;
      expect(s.length).toBe(6);
      expect(counted[i]).toBe(6);
      expect(Math.abs(g.logq[i]! - logp[i]!)).toBeLessThan(1e-3);
    }
    expect(ends).toBeGreaterThan(10);
  });

  it('a sequence that runs out of context is cut and marked', () => {
    const flat = randomParams(tiny, 3, 3);
    const g = generate(TYPESCRIPT, tiny, flat, 40, PLAIN, { kind: 'sequences', length: 16 }, key(8), 5);
    let cut = 0;
    for (let i = 0; i < 40; i++) {
      const len = g.data.offsets[i + 1]! - g.data.offsets[i]!;
      if (g.truncated[i]) cut++;
      else expect(len).toBe(16);
      expect(len).toBeLessThanOrEqual(16);
    }
    expect(cut).toBeGreaterThan(0); // 16 tokens and any inner END need more than 16 positions
  });

  it('temperature 0 is greedy decoding', () => {
    const g = generate(TYPESCRIPT, tiny, params, 3, { ...PLAIN, temperature: 0 }, { kind: 'sentences', maxLength: 15 }, key(2));
    const want = greedy(params, 15);
    for (let i = 0; i < 3; i++) expect(Array.from(g.data.tokens.subarray(g.data.offsets[i]!, g.data.offsets[i + 1]!))).toEqual(want);
    expect(Array.from(g.logq)).toEqual([0, 0, 0]);
  });

  it('the same key gives the same sentences, whatever the number of slots; another key others', () => {
    const a = generate(TYPESCRIPT, tiny, params, 40, PLAIN, S15, key(5), 64);
    const b = generate(TYPESCRIPT, tiny, params, 40, PLAIN, S15, key(5), 3);
    const c = generate(TYPESCRIPT, tiny, params, 40, PLAIN, S15, key(6), 64);
    expect(b.data).toEqual(a.data);
    expect(c.data).not.toEqual(a.data);
  });

  it('refuses sentences longer than the context', () => {
    expect(() => generate(TYPESCRIPT, tiny, params, 1, PLAIN, { kind: 'sentences', maxLength: 16 }, key(1))).toThrow(/loop.maxLength: .*block_size 16/);
    expect(() => generate(TYPESCRIPT, tiny, params, 1, PLAIN, { kind: 'sequences', length: 17 }, key(1))).toThrow(/loop.length: .*block_size 16/);
  });
});
