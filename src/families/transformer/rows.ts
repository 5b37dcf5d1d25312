// One item of data as one row of a batch, starting at position 0 as when it was sampled:
//   a sentence  "<s> w_1 … w_L"       predicting "w_1 … w_L </s>"
//   a sequence  "<s> a b </s> <s> c"  predicting "a b </s> · c"  (the <s> after </s> is not predicted)
// so a row scores and trains exactly the tokens the sampler drew (sample.ts), and nothing else.
import { BEGIN, END, type Packed } from '../text/index.ts';
import type { Shape } from './sample.ts';

/** Positions item i of `data` takes as a row of `shape`. */
export function rowLength(data: Packed, i: number, shape: Shape['kind']): number {
  const from = data.offsets[i]!;
  const to = data.offsets[i + 1]!;
  if (shape === 'sentences') return to - from + 1;
  let n = to - from;
  for (let j = from; j < to - 1; j++) if (data.tokens[j] === END) n++;
  return n;
}

/**
 * Writes item i as the row at `at` of `tokens`/`targets`, T positions wide: the inputs, the
 * targets (−1 = not predicted) and padding past the item's end; an item longer than T keeps
 * its first T predictions. Returns the number of predictions counted.
 */
export function writeRow(data: Packed, i: number, shape: Shape['kind'], T: number, tokens: Int32Array, targets: Int32Array, at: number): number {
  tokens.fill(BEGIN, at, at + T);
  targets.fill(-1, at, at + T);
  const from = data.offsets[i]!;
  const to = data.offsets[i + 1]!;
  let t = 0;
  let counted = 0;
  const put = (y: number) => {
    if (t >= T) return;
    targets[at + t] = y;
    if (y >= 0) counted++;
    if (t + 1 < T) tokens[at + t + 1] = y >= 0 ? y : BEGIN;
    t++;
  };
  for (let j = from; j < to; j++) {
    put(data.tokens[j]!);
    if (shape === 'sequences' && data.tokens[j] === END && j + 1 < to) put(-1); // the BEGIN after END: input, not target
  }
  if (shape === 'sentences') put(END);
  return counted;
}
