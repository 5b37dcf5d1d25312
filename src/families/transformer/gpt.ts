// The whole GPT forward and backward (pre-LayerNorm blocks, GPT-2's order):
//   x = wte[tok] + wpe[pos]
//   per block: x += proj(attn(ln_1(x)));  x += fc_proj(gelu(fc(ln_2(x))))
//   logits = ln_f(x) · head^T
// Activations live in a Workspace sized for one (B, T), allocated once and reused per step.
import type { Backend } from './backend.ts';
import type { Vec } from './gemm.ts';
import {
  attentionBackward, attentionForward, crossEntropyBackward, crossEntropyForward, encoderBackward, encoderForward,
  geluBackward, geluForward, layernormBackward, layernormForward, matmulBackward, matmulForward,
} from './layers.ts';
import { layout, type GptConfig, type Layout } from './params.ts';

interface BlockActs {
  ln1: Vec; ln1Mean: Vec; ln1Rstd: Vec;
  qkv: Vec; att: Vec; atty: Vec;
  res2: Vec; ln2: Vec; ln2Mean: Vec; ln2Rstd: Vec;
  fch: Vec; fchTanh: Vec; fchg: Vec; res3: Vec;
}

/** Activations and gradient scratch for batches of B rows of T positions. */
export interface Workspace {
  readonly B: number;
  readonly T: number;
  readonly tokens: Int32Array;
  readonly targets: Int32Array;
  readonly x0: Vec;
  readonly blocks: BlockActs[];
  readonly lnf: Vec; readonly lnfMean: Vec; readonly lnfRstd: Vec;
  /** (N, V): logits, then probabilities after a forward with targets, then dlogits after backward. */
  readonly logits: Vec;
  /** per-row loss in nats (0 where the target is not counted). */
  readonly losses: Vec;
  readonly dres: Vec; readonly dln: Vec; readonly datty: Vec; readonly dqkv: Vec; readonly dfch: Vec; readonly dscratch: Vec;
  counted: number;
}

/** A workspace for `c` with arrays made by `alloc` (Float32Array or Float64Array). */
export function workspace(c: GptConfig, B: number, T: number, alloc: (n: number) => Vec): Workspace {
  if (T > c.block_size) throw new Error(`context of ${T} positions is longer than the model's block_size ${c.block_size}`);
  const { d_model: C, n_head: NH, vocab_size: V } = c;
  const N = B * T;
  const blocks = Array.from({ length: c.n_layer }, () => ({
    ln1: alloc(N * C), ln1Mean: alloc(N), ln1Rstd: alloc(N),
    qkv: alloc(N * 3 * C), att: alloc(B * NH * T * T), atty: alloc(N * C),
    res2: alloc(N * C), ln2: alloc(N * C), ln2Mean: alloc(N), ln2Rstd: alloc(N),
    fch: alloc(N * 4 * C), fchTanh: alloc(N * 4 * C), fchg: alloc(N * 4 * C), res3: alloc(N * C),
  }));
  return {
    B, T, tokens: new Int32Array(N), targets: new Int32Array(N), x0: alloc(N * C), blocks,
    lnf: alloc(N * C), lnfMean: alloc(N), lnfRstd: alloc(N), logits: alloc(N * V), losses: alloc(N),
    dres: alloc(N * C), dln: alloc(N * C), datty: alloc(N * C), dqkv: alloc(N * 3 * C), dfch: alloc(N * 4 * C), dscratch: alloc(B * NH * T * T),
    counted: 0,
  };
}

/**
 * Runs the model on ws.tokens. With `withLoss`, turns logits into probabilities and returns the
 * mean cross-entropy (nats) over rows whose ws.targets ≥ 0; otherwise leaves logits and returns NaN.
 */
export function forward(be: Backend, c: GptConfig, params: Vec, ws: Workspace, withLoss: boolean, lay: Layout = layout(c)): number {
  const { B, T } = ws;
  const { d_model: C, n_head: NH, vocab_size: V } = c;
  const N = B * T;
  encoderForward(ws.x0, ws.tokens, params, lay.wte, lay.wpe, N, T, C);
  let x = ws.x0;
  for (let l = 0; l < c.n_layer; l++) {
    const a = ws.blocks[l]!;
    const p = lay.blocks[l]!;
    layernormForward(be, a.ln1, a.ln1Mean, a.ln1Rstd, x, params, p.ln1w, p.ln1b, N, C);
    matmulForward(be, a.qkv, a.ln1, params, p.qkvw, p.qkvb, N, C, 3 * C);
    attentionForward(be, a.atty, a.att, a.qkv, B, T, C, NH);
    a.res2.set(x);
    matmulForward(be, a.res2, a.atty, params, p.projw, p.projb, N, C, C, true);
    layernormForward(be, a.ln2, a.ln2Mean, a.ln2Rstd, a.res2, params, p.ln2w, p.ln2b, N, C);
    matmulForward(be, a.fch, a.ln2, params, p.fcw, p.fcb, N, C, 4 * C);
    geluForward(be, a.fchg, a.fch, N * 4 * C, a.fchTanh);
    a.res3.set(a.res2);
    matmulForward(be, a.res3, a.fchg, params, p.fcprojw, p.fcprojb, N, 4 * C, C, true);
    x = a.res3;
  }
  layernormForward(be, ws.lnf, ws.lnfMean, ws.lnfRstd, x, params, lay.lnfw, lay.lnfb, N, C);
  matmulForward(be, ws.logits, ws.lnf, params, lay.head, -1, N, C, V);
  if (!withLoss) return NaN;
  const { sum, count } = crossEntropyForward(be, ws.logits, ws.targets, N, V, ws.losses);
  if (count === 0) throw new Error('forward: no position has a target');
  ws.counted = count;
  return sum / count;
}

/** Adds the gradient of the mean loss of the last forward(…, true) to `grads` (same layout as params). */
export function backward(be: Backend, c: GptConfig, params: Vec, grads: Vec, ws: Workspace, lay: Layout = layout(c)): void {
  const { B, T } = ws;
  const { d_model: C, n_head: NH, vocab_size: V } = c;
  const N = B * T;
  crossEntropyBackward(be, ws.logits, ws.targets, N, V, 1 / ws.counted);
  ws.dln.fill(0);
  matmulBackward(be, ws.dln, grads, ws.logits, ws.lnf, params, lay.head, -1, N, C, V);
  ws.dres.fill(0);
  const last = c.n_layer > 0 ? ws.blocks[c.n_layer - 1]!.res3 : ws.x0;
  layernormBackward(be, ws.dres, grads, ws.dln, last, params, lay.lnfw, lay.lnfb, ws.lnfMean, ws.lnfRstd, N, C);
  for (let l = c.n_layer - 1; l >= 0; l--) {
    const a = ws.blocks[l]!;
    const p = lay.blocks[l]!;
    const x = l === 0 ? ws.x0 : ws.blocks[l - 1]!.res3;
    // res3 = res2 + fc_proj(gelu(fc(ln_2(res2)))): dres flows on unchanged and into the MLP.
    ws.dfch.fill(0);
    matmulBackward(be, ws.dfch, grads, ws.dres, a.fchg, params, p.fcprojw, p.fcprojb, N, 4 * C, C);
    geluBackward(be, ws.dfch, a.fch, a.fchTanh, ws.dfch, N * 4 * C);
    ws.dln.fill(0);
    matmulBackward(be, ws.dln, grads, ws.dfch, a.ln2, params, p.fcw, p.fcb, N, C, 4 * C);
    layernormBackward(be, ws.dres, grads, ws.dln, a.res2, params, p.ln2w, p.ln2b, a.ln2Mean, a.ln2Rstd, N, C);
    // res2 = x + proj(attn(ln_1(x)))
    ws.datty.fill(0);
    matmulBackward(be, ws.datty, grads, ws.dres, a.atty, params, p.projw, p.projb, N, C, C);
    attentionBackward(be, ws.dqkv, ws.datty, a.att, a.qkv, ws.dscratch, B, T, C, NH);
    ws.dln.fill(0);
    matmulBackward(be, ws.dln, grads, ws.dqkv, a.ln1, params, p.qkvw, p.qkvb, N, C, 3 * C);
    layernormBackward(be, ws.dres, grads, ws.dln, x, params, p.ln1w, p.ln1b, a.ln1Mean, a.ln1Rstd, N, C);
  }
  encoderBackward(grads, ws.dres, ws.tokens, lay.wte, lay.wpe, N, T, C);
}
