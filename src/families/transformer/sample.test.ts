// The KV-cache sampler against full forward passes: the log-probability it records for each
// sentence, greedy decoding at temperature 0, and keyed determinism.
import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../core/family.ts';
import { key } from '../../core/random.ts';
import { BEGIN, END } from '../text/index.ts';
import { tiny, randomParams } from './fixture.test-support.ts';
import { forward, workspace } from './gpt.ts';
import { generate } from './sample.ts';
import { sentenceLogProbs } from './score.ts';

/** Greedy decoding by re-running the whole prefix each step (no cache). */
function greedy(params: Float32Array, maxLength: number): number[] {
  const out: number[] = [];
  for (;;) {
    const T = out.length + 1;
    const ws = workspace(tiny, 1, T, (n) => new Float32Array(n));
    ws.tokens.set([BEGIN, ...out]);
    forward(tiny, params, ws, false);
    const row = ws.logits.subarray((T - 1) * tiny.vocab_size, T * tiny.vocab_size);
    let best = 0;
    for (let v = 1; v < row.length; v++) if (row[v]! > row[best]!) best = v;
    if (best === END || out.length === maxLength) return out;
    out.push(best);
  }
}

describe('generate', () => {
  const params = randomParams(tiny, 3);

  it('records log q(s) equal to the full forward pass, for every finished sentence', () => {
    const flat = randomParams(tiny, 3, 3); // near-uniform next tokens: most sentences end before 15
    const g = generate(tiny, flat, 60, PLAIN, 15, key(1), 7);
    const { logp } = sentenceLogProbs(tiny, flat, g.data);
    let finished = 0;
    for (let i = 0; i < 60; i++) {
      if (g.truncated[i]) continue;
      finished++;
      // float32 activations: agreement to ~1e-5 relative per token; 1e-3 absolute over ≤ 16 tokens.
      expect(Math.abs(g.logq[i]! - logp[i]!)).toBeLessThan(1e-3);
    }
    expect(finished).toBeGreaterThan(30);
  });

  it('temperature 0 is greedy decoding', () => {
    const g = generate(tiny, params, 3, { ...PLAIN, temperature: 0 }, 15, key(2));
    const want = greedy(params, 15);
    for (let i = 0; i < 3; i++) expect(Array.from(g.data.tokens.subarray(g.data.offsets[i]!, g.data.offsets[i + 1]!))).toEqual(want);
    expect(Array.from(g.logq)).toEqual([0, 0, 0]);
  });

  it('the same key gives the same sentences, whatever the number of slots; another key others', () => {
    const a = generate(tiny, params, 40, PLAIN, 15, key(5), 64);
    const b = generate(tiny, params, 40, PLAIN, 15, key(5), 3);
    const c = generate(tiny, params, 40, PLAIN, 15, key(6), 64);
    expect(b.data).toEqual(a.data);
    expect(c.data).not.toEqual(a.data);
  });

  it('refuses sentences longer than the context', () => {
    expect(() => generate(tiny, params, 1, PLAIN, 16, key(1))).toThrow(/block_size is 16/);
  });
});
