// Log-probabilities of whole items under the model, by batched full forward passes over rows
// as rows.ts lays them out (padding positions are not counted). An item longer than the context
// is scored on its first block_size predictions.
import type { Packed } from '../text/index.ts';
import type { Backend } from './backend.ts';
import { forward, workspace } from './gpt.ts';
import { layout, type GptConfig } from './params.ts';
import { rowLength, writeRow } from './rows.ts';
import type { Shape } from './sample.ts';

/** Per item: Σ log p(token | prefix) in nats, and the number of predictions counted. */
export function itemLogProbs(be: Backend, c: GptConfig, params: Float32Array, data: Packed, shape: Shape['kind'], batch = 16): { logp: Float64Array; counted: Int32Array } {
  const n = data.offsets.length - 1;
  const logp = new Float64Array(n);
  const counted = new Int32Array(n);
  if (n === 0) return { logp, counted };
  let longest = 1;
  for (let i = 0; i < n; i++) longest = Math.max(longest, rowLength(data, i, shape));
  const T = Math.min(c.block_size, longest);
  const B = Math.min(batch, n);
  const lay = layout(c);
  const ws = workspace(c, B, T, (k) => new Float32Array(k));
  for (let first = 0; first < n; first += B) {
    ws.tokens.fill(0);
    ws.targets.fill(-1);
    let any = 0;
    for (let b = 0; b < B && first + b < n; b++) any += writeRow(data, first + b, shape, T, ws.tokens, ws.targets, b * T);
    if (any === 0) continue;
    forward(be, c, params, ws, true, lay);
    for (let b = 0; b < B && first + b < n; b++) {
      let s = 0;
      let k = 0;
      for (let t = 0; t < T; t++) {
        if (ws.targets[b * T + t]! < 0) continue;
        s -= ws.losses[b * T + t]!;
        k++;
      }
      logp[first + b] = s;
      counted[first + b] = k;
    }
  }
  return { logp, counted };
}
