// Log-probabilities of whole sentences under the model, by batched full forward passes: a row is
// "<s> w_1 … w_L" with targets "w_1 … w_L </s>", padded with uncounted positions. A sentence
// longer than the context is scored on its first block_size predictions.
import { BEGIN, END, type Packed } from '../text/index.ts';
import { forward, workspace } from './gpt.ts';
import { layout, type GptConfig } from './params.ts';

/** Per sentence: Σ log p(token | prefix) in nats, and the number of predictions counted. */
export function sentenceLogProbs(c: GptConfig, params: Float32Array, data: Packed, batch = 16): { logp: Float64Array; counted: Int32Array } {
  const n = data.offsets.length - 1;
  const logp = new Float64Array(n);
  const counted = new Int32Array(n);
  if (n === 0) return { logp, counted };
  let longest = 0;
  for (let i = 0; i < n; i++) longest = Math.max(longest, data.offsets[i + 1]! - data.offsets[i]!);
  const T = Math.min(c.block_size, longest + 1);
  const B = Math.min(batch, n);
  const lay = layout(c);
  const ws = workspace(c, B, T, (k) => new Float32Array(k));
  for (let first = 0; first < n; first += B) {
    ws.tokens.fill(BEGIN);
    ws.targets.fill(-1);
    for (let b = 0; b < B && first + b < n; b++) {
      const from = data.offsets[first + b]!;
      const len = data.offsets[first + b + 1]! - from;
      for (let t = 0; t < T && t <= len; t++) {
        if (t > 0) ws.tokens[b * T + t] = data.tokens[from + t - 1]!;
        ws.targets[b * T + t] = t < len ? data.tokens[from + t]! : END;
      }
    }
    forward(c, params, ws, true, lay);
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
