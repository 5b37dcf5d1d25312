// Drawing from the GPT, one token per step for a batch of slots, with a KV cache: each slot
// keeps the keys and values of its positions so a step costs O(position), not O(position²).
// A slot whose item ends takes the next item at once (continuous batching), so the batch stays
// full. Item i draws with its own key foldIn(key, i), so the sample does not depend on the
// batch size beyond float rounding.
//
// An item is a sentence (up to END, cut at maxLength) or a sequence of exactly `length` tokens
// (the shape of the work we follow: 4,000 samples of 30 tokens). Inside a sequence an END is
// followed by a new sentence exactly as in the training stream "… </s> <s> …": END and then
// BEGIN are fed as inputs (END's own prediction, the BEGIN that always follows, is not drawn).
import type { Sampling } from '../../core/family.ts';
import { foldIn, Rng, type Key } from '../../core/random.ts';
import { categorical } from '../../core/samplers.ts';
import { minP, softmax, topK, topP } from '../../core/transforms.ts';
import { BEGIN, END, packSentences, type Packed } from '../text/index.ts';
import type { Backend } from './backend.ts';
import { attentionStep, geluForward, layernormForward, matmulForward } from './layers.ts';
import { layout, type GptConfig } from './params.ts';

/** What an item is: a sentence of at most maxLength tokens plus END, or a sequence of exactly `length` tokens. */
export type Shape = { readonly kind: 'sentences'; readonly maxLength: number } | { readonly kind: 'sequences'; readonly length: number };

/** Sampled items and, per item, log q: its log-probability under the sampling distribution. */
export interface Generated {
  readonly data: Packed;
  readonly logq: Float64Array;
  /** 1 where the item was cut: a sentence at maxLength without END, a sequence that ran out of context (logq covers the kept tokens). */
  readonly truncated: Uint8Array;
}

/** Why `shape` does not fit a context of `blockSize` positions (the loop field and the fix), or undefined when it fits. */
export function shapeProblem(blockSize: number, shape: Shape): { field: 'maxLength' | 'length'; message: string } | undefined {
  if (shape.kind === 'sentences' && !(Number.isInteger(shape.maxLength) && shape.maxLength >= 1 && shape.maxLength < blockSize)) {
    return { field: 'maxLength', message: `a sentence of ${shape.maxLength} tokens needs ${shape.maxLength + 1} positions, more than model.block_size ${blockSize}; lower maxLength to ≤ ${blockSize - 1} or raise block_size` };
  }
  if (shape.kind === 'sequences' && !(Number.isInteger(shape.length) && shape.length >= 1 && shape.length <= blockSize)) {
    return { field: 'length', message: `a sequence of ${shape.length} tokens needs ${shape.length} positions, more than model.block_size ${blockSize}; lower length to ≤ ${blockSize} or raise block_size` };
  }
  return undefined;
}

/** Throws unless `shape` fits the context of `c`; the message names the loop field and the fix. */
export function checkShape(c: GptConfig, shape: Shape): void {
  const p = shapeProblem(c.block_size, shape);
  if (p) throw new Error(`loop.${p.field}: ${p.message}`);
}

/** n items of `shape`, `slots` at a time. */
export function generate(be: Backend, c: GptConfig, params: Float32Array, n: number, how: Sampling, shape: Shape, key: Key, slots = 64): Generated {
  checkShape(c, shape);
  const lay = layout(c);
  const { d_model: C, n_head: NH, vocab_size: V, block_size: T } = c;
  const S = Math.max(1, Math.min(slots, n));
  const f32 = (k: number) => new Float32Array(k);
  const kc = Array.from({ length: c.n_layer }, () => f32(S * T * C));
  const vc = Array.from({ length: c.n_layer }, () => f32(S * T * C));
  const x = f32(S * C), ln = f32(S * C), qkv = f32(S * 3 * C), atty = f32(S * C), fch = f32(S * 4 * C), fchg = f32(S * 4 * C), th = f32(S * 4 * C), logits = f32(S * V);
  const mean = f32(S), rstd = f32(S), scores = f32(T);
  const draw = drawer(be, S, V, how);
  const sentence = new Int32Array(S).fill(-1), pos = new Int32Array(S), input = new Int32Array(S).fill(BEGIN), afterEnd = new Uint8Array(S);
  const rngs: (Rng | undefined)[] = new Array(S);
  const out: Int32Array[] = new Array(n);
  const logq = new Float64Array(n), truncated = new Uint8Array(n);
  const buf: number[][] = Array.from({ length: S }, () => []);
  let next = 0, done = 0;
  const start = (s: number) => {
    if (next >= n) return void (sentence[s] = -1);
    sentence[s] = next;
    rngs[s] = new Rng(foldIn(key, next++));
    pos[s] = 0;
    input[s] = BEGIN;
    afterEnd[s] = 0;
    buf[s] = [];
  };
  const finish = (s: number, cut: boolean) => {
    const i = sentence[s]!;
    out[i] = Int32Array.from(buf[s]!);
    truncated[i] = cut ? 1 : 0;
    done++;
    start(s);
  };
  for (let s = 0; s < S; s++) start(s);
  while (done < n) {
    for (let s = 0; s < S; s++) {
      const te = lay.wte + input[s]! * C, pe = lay.wpe + pos[s]! * C;
      for (let i = 0; i < C; i++) x[s * C + i] = params[te + i]! + params[pe + i]!;
    }
    for (let l = 0; l < c.n_layer; l++) {
      const p = lay.blocks[l]!;
      layernormForward(be, ln, mean, rstd, x, params, p.ln1w, p.ln1b, S, C);
      matmulForward(be, qkv, ln, params, p.qkvw, p.qkvb, S, C, 3 * C);
      for (let s = 0; s < S; s++) {
        const at = (s * T + pos[s]!) * C;
        kc[l]!.set(qkv.subarray(s * 3 * C + C, s * 3 * C + 2 * C), at);
        vc[l]!.set(qkv.subarray(s * 3 * C + 2 * C, s * 3 * C + 3 * C), at);
      }
      attentionStep(be, atty, qkv, kc[l]!, vc[l]!, pos, S, T, C, NH, scores);
      matmulForward(be, x, atty, params, p.projw, p.projb, S, C, C, true);
      layernormForward(be, ln, mean, rstd, x, params, p.ln2w, p.ln2b, S, C);
      matmulForward(be, fch, ln, params, p.fcw, p.fcb, S, C, 4 * C);
      geluForward(be, fchg, fch, S * 4 * C, th);
      matmulForward(be, x, fchg, params, p.fcprojw, p.fcprojb, S, 4 * C, C, true);
    }
    layernormForward(be, ln, mean, rstd, x, params, lay.lnfw, lay.lnfb, S, C);
    matmulForward(be, logits, ln, params, lay.head, -1, S, C, V);
    for (let s = 0; s < S; s++) draw.want[s] = sentence[s]! >= 0 && !afterEnd[s] ? 1 : 0;
    draw.run(logits, rngs);
    for (let s = 0; s < S; s++) {
      const i = sentence[s]!;
      if (i < 0) continue;
      if (afterEnd[s]) {
        // END was this step's input; the stream continues with BEGIN, whose prediction is not drawn.
        afterEnd[s] = 0;
        input[s] = BEGIN;
        if (++pos[s]! >= T) finish(s, true);
        continue;
      }
      const tok = draw.token[s]!;
      const tokens = buf[s]!;
      if (shape.kind === 'sentences') {
        const cut = tok !== END && tokens.length === shape.maxLength;
        if (!cut) logq[i]! += draw.logq[s]!;
        if (tok === END || cut) finish(s, cut);
        else (tokens.push(tok), (input[s] = tok), pos[s]!++);
        continue;
      }
      logq[i]! += draw.logq[s]!;
      tokens.push(tok);
      if (tokens.length === shape.length) finish(s, false);
      else {
        input[s] = tok;
        afterEnd[s] = tok === END ? 1 : 0;
        if (++pos[s]! >= T) finish(s, true);
      }
    }
  }
  return { data: packSentences(out), logq, truncated };
}

/**
 * One token per wanted slot from its row of logits, each drawn with that slot's Rng (one
 * uniform per draw, by inversion), and its log-probability under the sampling distribution.
 * With compiled kernels and no truncation (top-k, top-p, min-p off; T > 0) the whole batch is
 * one call (native/blas/softmax.c); otherwise `distribution` and `categorical` per slot.
 */
export function drawer(be: Backend, S: number, V: number, how: Sampling) {
  const want = new Uint8Array(S), token = new Int32Array(S), logq = new Float64Array(S);
  const u = new Float64Array(S), probs = new Float64Array(V);
  const native = how.temperature > 0 && (how.topK === 0 || how.topK >= V) && how.topP === 1 && how.minP === 0 ? be.kernels : undefined;
  return {
    want,
    token,
    logq,
    run(logits: Float32Array, rngs: readonly (Rng | undefined)[]): void {
      if (native) {
        for (let s = 0; s < S; s++) if (want[s]) u[s] = rngs[s]!.float();
        return native.sampleRows(logits, S, V, 1 / how.temperature, u, want, token, logq);
      }
      for (let s = 0; s < S; s++) {
        if (!want[s]) continue;
        const q = distribution(logits.subarray(s * V, (s + 1) * V), how, probs);
        token[s] = categorical(rngs[s]!, q);
        logq[s] = Math.log(q[token[s]!]!);
      }
    },
  };
}

/** The sampling distribution of one logit row: softmax at the temperature, then top-k, top-p, min-p. */
export function distribution(row: ArrayLike<number>, how: Sampling, out: Float64Array<ArrayBuffer>): Float64Array {
  let p = softmax(row, how.temperature, out);
  p = topK(p, how.topK);
  p = topP(p, how.topP);
  return minP(p, how.minP);
}
