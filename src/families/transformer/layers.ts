// The GPT's layers, forward and backward, over flat row-major arrays (after llm.c's
// train_gpt2.c). Shapes in comments: B batch, T time, C channels, N = B·T rows. Backward
// functions accumulate (+=) into parameter gradients and into input gradients, so a
// residual branch adds its gradient onto the one flowing past it.
import type { Backend } from './backend.ts';
import { gemm, type Vec } from './gemm.ts';

const LN_EPS = 1e-5;

/**
 * The same kernels compiled from C (native/blas: kernels.c, attention.c, softmax.c, optim.c),
 * for Float32Array work, in the backend passed in (backend.ts).
 * Each has a TypeScript twin (here, in adamw.ts and in sample.ts) that defines what it computes.
 */
export interface Kernels {
  geluForward(out: Float32Array, inp: Float32Array, th: Float32Array, n: number): void;
  geluBackward(dinp: Float32Array, inp: Float32Array, th: Float32Array, dout: Float32Array, n: number): void;
  layernormForward(out: Float32Array, mean: Float32Array, rstd: Float32Array, inp: Float32Array, params: Float32Array, w: number, b: number, N: number, C: number): void;
  layernormBackward(dinp: Float32Array, grads: Float32Array, dout: Float32Array, inp: Float32Array, params: Float32Array, w: number, b: number, mean: Float32Array, rstd: Float32Array, N: number, C: number): void;
  biasBackward(grads: Float32Array, bias: number, dout: Float32Array, N: number, OC: number): void;
  attentionStep(out: Float32Array, qkv: Float32Array, K: Float32Array, V: Float32Array, pos: Int32Array, S: number, T: number, C: number, NH: number): void;
  attentionForward(out: Float32Array, att: Float32Array, qkv: Float32Array, B: number, T: number, C: number, NH: number): void;
  attentionBackward(dqkv: Float32Array, dout: Float32Array, att: Float32Array, qkv: Float32Array, B: number, T: number, C: number, NH: number): void;
  crossEntropyForward(logits: Float32Array, targets: Int32Array, N: number, V: number, losses: Float32Array): void;
  crossEntropyBackward(probs: Float32Array, targets: Int32Array, N: number, V: number, scale: number): void;
  /** For each active slot: one token drawn at u[s] from softmax(row / T), and its log-probability. */
  sampleRows(logits: Float32Array, S: number, V: number, invT: number, u: Float64Array, active: Uint8Array, token: Int32Array, logq: Float64Array): void;
  sumSquares(g: Float32Array, n: number): number;
  scale(g: Float32Array, n: number, k: number): void;
  adamw(params: Float32Array, grads: Float32Array, m: Float32Array, v: Float32Array, decay: Uint8Array, n: number, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, c1: number, c2: number): void;
}

/** out[n, :] = wte[tokens[n]] + wpe[n mod T]; out (N, C). */
export function encoderForward(out: Vec, tokens: Int32Array, params: Vec, wte: number, wpe: number, N: number, T: number, C: number): void {
  for (let n = 0; n < N; n++) {
    const te = wte + tokens[n]! * C;
    const pe = wpe + (n % T) * C;
    const o = n * C;
    for (let i = 0; i < C; i++) out[o + i] = params[te + i]! + params[pe + i]!;
  }
}

export function encoderBackward(grads: Vec, dout: Vec, tokens: Int32Array, wte: number, wpe: number, N: number, T: number, C: number): void {
  for (let n = 0; n < N; n++) {
    const te = wte + tokens[n]! * C;
    const pe = wpe + (n % T) * C;
    const o = n * C;
    for (let i = 0; i < C; i++) {
      const d = dout[o + i]!;
      grads[te + i]! += d;
      grads[pe + i]! += d;
    }
  }
}

/** LayerNorm (Ba et al. 2016) of each row of inp (N, C); saves mean and 1/std per row for backward. */
export function layernormForward(be: Backend, out: Vec, mean: Vec, rstd: Vec, inp: Vec, params: Vec, w: number, b: number, N: number, C: number): void {
  if (be.kernels && out instanceof Float32Array) return be.kernels.layernormForward(out, mean as Float32Array, rstd as Float32Array, inp as Float32Array, params as Float32Array, w, b, N, C);
  for (let n = 0; n < N; n++) {
    const o = n * C;
    let m = 0;
    for (let i = 0; i < C; i++) m += inp[o + i]!;
    m /= C;
    let v = 0;
    for (let i = 0; i < C; i++) {
      const d = inp[o + i]! - m;
      v += d * d;
    }
    const s = 1 / Math.sqrt(v / C + LN_EPS);
    for (let i = 0; i < C; i++) out[o + i] = (inp[o + i]! - m) * s * params[w + i]! + params[b + i]!;
    mean[n] = m;
    rstd[n] = s;
  }
}

export function layernormBackward(be: Backend, dinp: Vec, grads: Vec, dout: Vec, inp: Vec, params: Vec, w: number, b: number, mean: Vec, rstd: Vec, N: number, C: number): void {
  if (be.kernels && dinp instanceof Float32Array) {
    return be.kernels.layernormBackward(dinp, grads as Float32Array, dout as Float32Array, inp as Float32Array, params as Float32Array, w, b, mean as Float32Array, rstd as Float32Array, N, C);
  }
  for (let n = 0; n < N; n++) {
    const o = n * C;
    const m = mean[n]!;
    const s = rstd[n]!;
    // dnorm = dout·w; dinp = s·(dnorm − mean(dnorm) − norm·mean(dnorm·norm))
    let dnormMean = 0;
    let dnormNormMean = 0;
    for (let i = 0; i < C; i++) {
      const norm = (inp[o + i]! - m) * s;
      const dnorm = params[w + i]! * dout[o + i]!;
      dnormMean += dnorm;
      dnormNormMean += dnorm * norm;
    }
    dnormMean /= C;
    dnormNormMean /= C;
    for (let i = 0; i < C; i++) {
      const norm = (inp[o + i]! - m) * s;
      const d = dout[o + i]!;
      grads[b + i]! += d;
      grads[w + i]! += norm * d;
      dinp[o + i]! += (params[w + i]! * d - dnormMean - norm * dnormNormMean) * s;
    }
  }
}

/**
 * out (N, OC) = inp (N, C) · W^T + bias, W = params[w..] (OC, C); bias < 0: no bias;
 * `accumulate` adds onto out (a residual branch).
 */
export function matmulForward(be: Backend, out: Vec, inp: Vec, params: Vec, w: number, bias: number, N: number, C: number, OC: number, accumulate = false): void {
  if (bias >= 0 && accumulate) {
    for (let n = 0; n < N; n++) {
      const o = n * OC;
      for (let j = 0; j < OC; j++) out[o + j]! += params[bias + j]!;
    }
  } else if (bias >= 0) {
    // Broadcast the bias row by doubling copies (memcpy speed), then accumulate the product.
    out.set(params.subarray(bias, bias + OC));
    for (let rows = 1; rows < N; rows *= 2) out.copyWithin(rows * OC, 0, Math.min(rows, N - rows) * OC);
  }
  gemm(be, false, true, N, OC, C, 1, inp, 0, C, params, w, C, bias >= 0 || accumulate ? 1 : 0, out, 0, OC);
}

/** dinp += dout·W; dW += dout^T·inp; dbias += Σ_n dout (bias < 0: no bias). */
export function matmulBackward(be: Backend, dinp: Vec, grads: Vec, dout: Vec, inp: Vec, params: Vec, w: number, bias: number, N: number, C: number, OC: number): void {
  gemm(be, false, false, N, C, OC, 1, dout, 0, OC, params, w, C, 1, dinp, 0, C);
  gemm(be, true, false, OC, C, N, 1, dout, 0, OC, inp, 0, C, 1, grads, w, C);
  if (bias < 0) return;
  if (be.kernels && grads instanceof Float32Array) return be.kernels.biasBackward(grads, bias, dout as Float32Array, N, OC);
  for (let n = 0; n < N; n++) {
    const o = n * OC;
    for (let j = 0; j < OC; j++) grads[bias + j]! += dout[o + j]!;
  }
}

/**
 * Causal multi-head self-attention (Vaswani et al. 2017). qkv (B, T, 3C) holds q, k, v side
 * by side; att (B, NH, T, T) receives the softmax probabilities (zero above the diagonal);
 * out (B, T, C) the heads' outputs side by side.
 */
export function attentionForward(be: Backend, out: Vec, att: Vec, qkv: Vec, B: number, T: number, C: number, NH: number): void {
  if (be.kernels && out instanceof Float32Array) return be.kernels.attentionForward(out, att as Float32Array, qkv as Float32Array, B, T, C, NH);
  const hs = C / NH;
  const scale = 1 / Math.sqrt(hs);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < NH; h++) {
      const q = b * T * 3 * C + h * hs;
      gemm(be, false, true, T, T, hs, scale, qkv, q, 3 * C, qkv, q + C, 3 * C, 0, att, (b * NH + h) * T * T, T);
    }
  }
  causalSoftmax(att, B * NH, T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < NH; h++) {
      const q = b * T * 3 * C + h * hs;
      gemm(be, false, false, T, hs, T, 1, att, (b * NH + h) * T * T, T, qkv, q + 2 * C, 3 * C, 0, out, b * T * C + h * hs, C);
    }
  }
}

/** Row-wise softmax over j ≤ t of `blocks` T×T matrices in place; zero above the diagonal. */
export function causalSoftmax(att: Vec, blocks: number, T: number): void {
  for (let r = 0; r < blocks * T; r++) {
    const row = r * T;
    const t = r % T;
    let max = -Infinity;
    for (let j = 0; j <= t; j++) if (att[row + j]! > max) max = att[row + j]!;
    let sum = 0;
    for (let j = 0; j <= t; j++) {
      const e = Math.exp(att[row + j]! - max);
      att[row + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j <= t; j++) att[row + j] = att[row + j]! * inv;
    for (let j = t + 1; j < T; j++) att[row + j] = 0;
  }
}

/** datt := scale · p ⊙ (datt − Σ_j p_j datt_j) per causal row of `blocks` T×T blocks (softmax backward). */
export function causalSoftmaxBackward(datt: Vec, att: Vec, blocks: number, T: number, scale: number): void {
  for (let r = 0; r < blocks * T; r++) {
    const row = r * T;
    const t = r % T;
    let dot = 0;
    for (let j = 0; j <= t; j++) dot += att[row + j]! * datt[row + j]!;
    for (let j = 0; j <= t; j++) datt[row + j] = scale * att[row + j]! * (datt[row + j]! - dot);
    for (let j = t + 1; j < T; j++) datt[row + j] = 0;
  }
}

/** dqkv (B, T, 3C) = the gradient of attentionForward (overwritten); datt holds B·NH·T·T values of scratch. */
export function attentionBackward(be: Backend, dqkv: Vec, dout: Vec, att: Vec, qkv: Vec, datt: Vec, B: number, T: number, C: number, NH: number): void {
  if (be.kernels && dqkv instanceof Float32Array) return be.kernels.attentionBackward(dqkv, dout as Float32Array, att as Float32Array, qkv as Float32Array, B, T, C, NH);
  const hs = C / NH;
  const scale = 1 / Math.sqrt(hs);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < NH; h++) {
      const q = b * T * 3 * C + h * hs;
      const a = (b * NH + h) * T * T;
      const dy = b * T * C + h * hs;
      // datt = dy · v^T; dv = att^T · dy
      gemm(be, false, true, T, T, hs, 1, dout, dy, C, qkv, q + 2 * C, 3 * C, 0, datt, a, T);
      gemm(be, true, false, T, hs, T, 1, att, a, T, dout, dy, C, 0, dqkv, q + 2 * C, 3 * C);
    }
  }
  causalSoftmaxBackward(datt, att, B * NH, T, scale);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < NH; h++) {
      const q = b * T * 3 * C + h * hs;
      const a = (b * NH + h) * T * T;
      // dq = dpre · k; dk = dpre^T · q
      gemm(be, false, false, T, hs, T, 1, datt, a, T, qkv, q + C, 3 * C, 0, dqkv, q, 3 * C);
      gemm(be, true, false, T, hs, T, 1, datt, a, T, qkv, q, 3 * C, 0, dqkv, q + C, 3 * C);
    }
  }
}

/**
 * One decoding step over a KV cache: slot s, at position pos[s], attends to its cached keys and
 * values 0..pos[s]. qkv (S, 3C) holds this step's queries; K, V (S, T, C); out (S, C); scores ≥ T.
 */
export function attentionStep(be: Backend, out: Float32Array, qkv: Float32Array, K: Float32Array, V: Float32Array, pos: Int32Array, S: number, T: number, C: number, NH: number, scores: Float32Array): void {
  if (be.kernels) return be.kernels.attentionStep(out, qkv, K, V, pos, S, T, C, NH);
  const hs = C / NH;
  const scale = 1 / Math.sqrt(hs);
  for (let s = 0; s < S; s++) {
    const t = pos[s]!;
    for (let h = 0; h < NH; h++) {
      const q = s * 3 * C + h * hs;
      const base = s * T * C + h * hs;
      const o = s * C + h * hs;
      let max = -Infinity;
      for (let j = 0; j <= t; j++) {
        const k = base + j * C;
        let dot = 0;
        for (let i = 0; i < hs; i++) dot += qkv[q + i]! * K[k + i]!;
        scores[j] = dot * scale;
        if (scores[j]! > max) max = scores[j]!;
      }
      let sum = 0;
      for (let j = 0; j <= t; j++) sum += scores[j] = Math.exp(scores[j]! - max);
      out.fill(0, o, o + hs);
      for (let j = 0; j <= t; j++) {
        const w = scores[j]! / sum;
        const v = base + j * C;
        for (let i = 0; i < hs; i++) out[o + i]! += w * V[v + i]!;
      }
    }
  }
}

const GELU_K = Math.sqrt(2 / Math.PI);
const TANH_CLAMP = 7.90531110763549805;

/**
 * tanh for float32 work: Eigen's 13/6 rational approximation (generic_fast_tanh_float), within
 * 3e-7 of Math.tanh everywhere and several times faster in V8. Float64 work (the gradient
 * check) keeps Math.tanh, so the check tests the formulas and tanh.test.ts tests this.
 */
export function fastTanh(x: number): number {
  const u = x > TANH_CLAMP ? TANH_CLAMP : x < -TANH_CLAMP ? -TANH_CLAMP : x;
  const u2 = u * u;
  const p = u * (4.89352455891786e-3 + u2 * (6.37261928875436e-4 + u2 * (1.48572235717979e-5 + u2 * (5.12229709037114e-8 + u2 * (-8.60467152213735e-11 + u2 * (2.00018790482477e-13 + u2 * -2.76076847742355e-16))))));
  const q = 4.89352518554385e-3 + u2 * (2.268434632439e-3 + u2 * (1.18534705686654e-4 + u2 * 1.19825839466702e-6));
  return p / q;
}

/** GELU, tanh form (Hendrycks & Gimpel 2016), as GPT-2 uses it; saves the tanh values in `th` for backward. */
export function geluForward(be: Backend, out: Vec, inp: Vec, n: number, th?: Vec): void {
  if (be.kernels && th && out instanceof Float32Array) return be.kernels.geluForward(out, inp as Float32Array, th as Float32Array, n);
  const tanh = out instanceof Float32Array ? fastTanh : Math.tanh;
  for (let i = 0; i < n; i++) {
    const x = inp[i]!;
    const t = tanh(GELU_K * (x + 0.044715 * x * x * x));
    if (th) th[i] = t;
    out[i] = 0.5 * x * (1 + t);
  }
}

/** dinp = gelu'(inp) ⊙ dout (overwritten; dinp may be dout itself), with th from geluForward. */
export function geluBackward(be: Backend, dinp: Vec, inp: Vec, th: Vec, dout: Vec, n: number): void {
  if (be.kernels && dinp instanceof Float32Array) return be.kernels.geluBackward(dinp, inp as Float32Array, th as Float32Array, dout as Float32Array, n);
  for (let i = 0; i < n; i++) {
    const x = inp[i]!;
    const t = th[i]!;
    const local = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_K * (1 + 3 * 0.044715 * x * x);
    dinp[i] = local * dout[i]!;
  }
}

/**
 * Softmax cross-entropy over logits (N, V), in place: logits become probabilities; returns the
 * summed loss (nats) and the number of counted rows. targets[n] < 0 marks a row not counted.
 */
export function crossEntropyForward(be: Backend, logits: Vec, targets: Int32Array, N: number, V: number, losses: Vec): { sum: number; count: number } {
  let sum = 0;
  let count = 0;
  if (be.kernels && logits instanceof Float32Array) {
    be.kernels.crossEntropyForward(logits, targets, N, V, losses as Float32Array);
    for (let n = 0; n < N; n++) if (targets[n]! >= 0) (sum += losses[n]!, count++);
    return { sum, count };
  }
  for (let n = 0; n < N; n++) {
    const o = n * V;
    let max = -Infinity;
    for (let v = 0; v < V; v++) if (logits[o + v]! > max) max = logits[o + v]!;
    const y = targets[n]!;
    const ly = y >= 0 ? logits[o + y]! : 0;
    let z = 0;
    for (let v = 0; v < V; v++) {
      const e = Math.exp(logits[o + v]! - max);
      logits[o + v] = e;
      z += e;
    }
    const inv = 1 / z;
    for (let v = 0; v < V; v++) logits[o + v] = logits[o + v]! * inv;
    // −log p_y = log Σ e^(l − max) − (l_y − max), so a tiny p_y keeps its precision.
    losses[n] = y < 0 ? 0 : Math.log(z) - (ly - max);
    if (y >= 0) {
      sum += losses[n]!;
      count++;
    }
  }
  return { sum, count };
}

/** dlogits = (probs − onehot(target)) · scale for counted rows, 0 for others; in place over probs. */
export function crossEntropyBackward(be: Backend, probs: Vec, targets: Int32Array, N: number, V: number, scale: number): void {
  if (be.kernels && probs instanceof Float32Array) return be.kernels.crossEntropyBackward(probs, targets, N, V, scale);
  for (let n = 0; n < N; n++) {
    const o = n * V;
    const y = targets[n]!;
    if (y < 0) {
      probs.fill(0, o, o + V);
      continue;
    }
    for (let v = 0; v < V; v++) probs[o + v] = probs[o + v]! * scale;
    probs[o + y]! -= scale;
  }
}
