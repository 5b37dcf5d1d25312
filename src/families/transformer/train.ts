// Training on sentences: the data become one stream "<s> w … </s> <s> w … </s> …"; each row of
// a batch is the block_size + 1 tokens from the <s> of a random sentence (wrapping at the end),
// so a sentence starts at position 0 as it does when sampling. Predicting <s> after </s> is not
// counted: it carries no information. Training on items instead (`rows: 'sequences'`): each row
// is one item as rows.ts lays it out, as wide as the longest item, so a fine-tuning sample of
// 30-token sequences costs 30 positions a row, not block_size.
import { Rng, split, type Key } from '../../core/random.ts';
import { BEGIN, END, type Packed } from '../text/index.ts';
import { AdamW, clipGradients, learningRate, type AdamWOptions } from './adamw.ts';
import type { Backend } from './backend.ts';
import { backward, forward, workspace, type Workspace } from './gpt.ts';
import { decayMask, initParams, layout, type GptConfig } from './params.ts';
import { rowLength, writeRow } from './rows.ts';

/** How long and how to train: `steps` updates, or `epochs` passes over the stream's tokens. */
export interface TrainOptions extends AdamWOptions {
  readonly batch: number;
  readonly steps?: number | undefined;
  readonly epochs?: number | undefined;
}

/** The training stream and where each sentence's <s> is in it. */
export interface Stream {
  readonly tokens: Int32Array;
  readonly starts: Int32Array;
}

/** Sentences as one stream with BEGIN before and END after each. */
export function streamOf(data: Packed): Stream {
  const n = data.offsets.length - 1;
  const tokens = new Int32Array(data.tokens.length + 2 * n);
  const starts = new Int32Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    starts[i] = at;
    tokens[at++] = BEGIN;
    for (let j = data.offsets[i]!; j < data.offsets[i + 1]!; j++) tokens[at++] = data.tokens[j]!;
    tokens[at++] = END;
  }
  return { tokens, starts };
}

/** Fills ws.tokens/targets with B rows, each starting at a sentence drawn with `rng`. */
export function fillBatch(ws: Workspace, s: Stream, rng: Rng): void {
  const { B, T } = ws;
  const L = s.tokens.length;
  for (let b = 0; b < B; b++) {
    const start = s.starts[rng.int(s.starts.length)]!;
    for (let t = 0; t < T; t++) {
      ws.tokens[b * T + t] = s.tokens[(start + t) % L]!;
      const y = s.tokens[(start + t + 1) % L]!;
      ws.targets[b * T + t] = y === BEGIN ? -1 : y;
    }
  }
}

/** Fills ws.tokens/targets with B items drawn with `rng`, each a row of rows.ts. */
export function fillItems(ws: Workspace, data: Packed, rng: Rng): void {
  const n = data.offsets.length - 1;
  for (let b = 0; b < ws.B; b++) writeRow(data, rng.int(n), 'sequences', ws.T, ws.tokens, ws.targets, b * ws.T);
}

/** The number of updates `o` asks for on a stream of `tokens` tokens with rows of T positions. */
export function stepsFor(o: TrainOptions, tokens: number, T: number): number {
  if (o.steps !== undefined) return o.steps;
  return Math.max(1, Math.ceil(((o.epochs ?? 1) * tokens) / (o.batch * T)));
}

/**
 * Trains on `data` from `from` (fine-tuning) or from fresh weights drawn with `key`; the batch
 * draws use an independent stream of `key`. Rows come from the sentence stream, or are the
 * items themselves (`rows: 'sequences'`). Returns the weights and the mean training loss (nats
 * per token) over the last tenth of the steps.
 */
export function train(be: Backend, c: GptConfig, data: Packed, o: TrainOptions, key: Key, from?: Float32Array, rows: 'stream' | 'sequences' = 'stream'): { params: Float32Array; loss: number } {
  const [kInit, kBatch] = split(key, 2);
  const lay = layout(c);
  const params = from ? Float32Array.from(from) : initParams(c, kInit!, new Float32Array(lay.total));
  const grads = new Float32Array(lay.total);
  const stream = rows === 'stream' ? streamOf(data) : undefined;
  let T = c.block_size;
  let positions = stream?.tokens.length ?? 0;
  if (!stream) {
    let longest = 1;
    for (let i = 0; i + 1 < data.offsets.length; i++) {
      const len = rowLength(data, i, 'sequences');
      longest = Math.max(longest, len);
      positions += len;
    }
    T = Math.min(T, longest);
  }
  const ws = workspace(c, o.batch, T, (n) => new Float32Array(n));
  const opt = new AdamW(be, o, decayMask(c));
  const rng = new Rng(kBatch!);
  const steps = stepsFor(o, positions, T);
  const tail = Math.max(1, Math.floor(steps / 10));
  let lossSum = 0;
  for (let step = 0; step < steps; step++) {
    if (stream) fillBatch(ws, stream, rng);
    else fillItems(ws, data, rng);
    const loss = forward(be, c, params, ws, true, lay);
    grads.fill(0);
    backward(be, c, params, grads, ws, lay);
    clipGradients(be, grads, o.clip);
    opt.step(params, grads, learningRate(o, step, steps));
    if (step >= steps - tail) lossSum += loss;
  }
  return { params, loss: lossSum / tail };
}
