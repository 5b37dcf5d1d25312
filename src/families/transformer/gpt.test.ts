// The hand-written backward pass against central finite differences, in float64 (llm.c and
// micrograd check their gradients against an independent computation the same way).
import { describe, expect, it } from 'vitest';
import { key, Rng } from '../../core/random.ts';
import { backward, forward, workspace } from './gpt.ts';
import { initParams, layout, type GptConfig } from './params.ts';
import { TYPESCRIPT } from './backend.ts';

const f64 = (n: number) => new Float64Array(n);

function problem(tied: boolean) {
  const c: GptConfig = { vocab_size: 7, block_size: 6, n_layer: 2, n_head: 2, d_model: 8, tied };
  const lay = layout(c);
  const params = initParams(c, key(1), f64(lay.total));
  // Larger than GPT-2's 0.02 so every path (attention scores, LayerNorm gains) carries signal.
  const rng = new Rng(key(2));
  for (let i = 0; i < params.length; i++) params[i] = params[i]! * 5 + 0.1 * (rng.float() - 0.5);
  const ws = workspace(c, 2, 5, f64);
  for (let i = 0; i < ws.tokens.length; i++) ws.tokens[i] = rng.int(7);
  for (let i = 0; i < ws.targets.length; i++) ws.targets[i] = i % 4 === 3 ? -1 : rng.int(7);
  return { c, lay, params, ws };
}

describe('gpt backward', () => {
  for (const tied of [true, false]) {
    it(`matches central differences for every parameter tensor (${tied ? 'tied' : 'untied'} head)`, () => {
      const { c, lay, params, ws } = problem(tied);
      const grads = f64(lay.total);
      forward(TYPESCRIPT, c, params, ws, true, lay);
      backward(TYPESCRIPT, c, params, grads, ws, lay);
      const h = 1e-6;
      // Central differences in float64 have error O(h²·f''') + O(ε·loss/h), measured ≤ 1e-9 here;
      // a wrong term in the backward pass is off by the size of a gradient entry (0.03 to 5 here).
      for (const t of lay.tensors) {
        let worst = 0;
        let norm = 0;
        for (let i = t.offset; i < t.offset + t.size; i++) {
          const keep = params[i]!;
          params[i] = keep + h;
          const up = forward(TYPESCRIPT, c, params, ws, true, lay);
          params[i] = keep - h;
          const down = forward(TYPESCRIPT, c, params, ws, true, lay);
          params[i] = keep;
          const numeric = (up - down) / (2 * h);
          worst = Math.max(worst, Math.abs(numeric - grads[i]!));
          norm = Math.max(norm, Math.abs(numeric));
        }
        expect(norm, `${t.name} has a zero gradient: the check would be vacuous`).toBeGreaterThan(1e-2);
        expect(worst, t.name).toBeLessThan(1e-7);
      }
    });
  }
});
