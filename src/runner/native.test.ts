// The OpenBLAS addon and the TypeScript GEMM against the GEMM definition written out element by
// element, over every transpose, leading-dimension (stride) and offset case; the compiled
// kernels against their TypeScript twins. The native backend is what the transformer's resolve
// makes from the package the runner loads (Io.native).
import { describe, expect, it } from 'vitest';
import { key, Rng } from '../core/random.ts';
import { backendOf, gemmName, kernelsName, NATIVE_MODULE, TYPESCRIPT, type Backend } from '../families/transformer/backend.ts';
import { gemm, gemmLoop } from '../families/transformer/gemm.ts';
import { PLAIN } from '../core/family.ts';
import { AdamW, clipGradients } from '../families/transformer/adamw.ts';
import {
  attentionBackward, attentionForward, attentionStep, crossEntropyBackward, crossEntropyForward, geluBackward, geluForward, layernormBackward, layernormForward, matmulBackward,
} from '../families/transformer/layers.ts';
import { drawer } from '../families/transformer/sample.ts';
import { has } from '../system.test-support.ts';
import { loadNative, setNativeThreads } from './native.ts';

function reference(ta: boolean, tb: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, oa: number, lda: number, b: Float32Array, ob: number, ldb: number, beta: number, c: Float32Array, oc: number, ldc: number): Float64Array {
  const out = Float64Array.from(c);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[oa + p * lda + i]! : a[oa + i * lda + p]!) * (tb ? b[ob + j * ldb + p]! : b[ob + p * ldb + j]!);
      out[oc + i * ldc + j] = alpha * s + (beta === 0 ? 0 : beta * c[oc + i * ldc + j]!);
    }
  }
  return out;
}

const NATIVE = backendOf(loadNative(NATIVE_MODULE)).backend;

function cases() {
  const out: { ta: boolean; tb: boolean; m: number; n: number; k: number; pad: number; off: number; alpha: number; beta: number }[] = [];
  for (const ta of [false, true])
    for (const tb of [false, true])
      for (const [m, n, k] of [[1, 1, 1], [3, 5, 7], [17, 9, 33], [64, 48, 40]] as const)
        for (const pad of [0, 3])
          for (const off of [0, 5]) out.push({ ta, tb, m, n, k, pad, off, alpha: pad ? 0.5 : 1, beta: off ? 0.25 : 0 });
  return out;
}

function run(impl: 'native' | 'loop') {
  const rng = new Rng(key(7));
  for (const t of cases()) {
    const [ar, ac] = t.ta ? [t.k, t.m] : [t.m, t.k];
    const [br, bc] = t.tb ? [t.n, t.k] : [t.k, t.n];
    const lda = ac + t.pad;
    const ldb = bc + t.pad;
    const ldc = t.n + t.pad;
    const fill = (len: number) => Float32Array.from({ length: len }, () => rng.float() * 2 - 1);
    const a = fill(t.off + ar * lda);
    const b = fill(t.off + br * ldb);
    const c = fill(t.off + t.m * ldc);
    const want = reference(t.ta, t.tb, t.m, t.n, t.k, t.alpha, a, t.off, lda, b, t.off, ldb, t.beta, c, t.off, ldc);
    const got = Float32Array.from(c);
    if (impl === 'native') gemm(NATIVE, t.ta, t.tb, t.m, t.n, t.k, t.alpha, a, t.off, lda, b, t.off, ldb, t.beta, got, t.off, ldc);
    else gemmLoop(t.ta, t.tb, t.m, t.n, t.k, t.alpha, a, t.off, lda, b, t.off, ldb, t.beta, got, t.off, ldc);
    // float32 products summed over k ≤ 40 terms of size ≤ 1: error ≤ k·2^-24·Σ|terms| < 1e-5.
    // The reference copies C first, so padding between rows and before the offset must stay as it was.
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    expect(worst, JSON.stringify(t)).toBeLessThan(1e-5);
  }
}

describe('gemm', () => {
  it('the TypeScript loop matches the definition in every case', () => run('loop'));
  it.skipIf(!has('openblas'))('OpenBLAS sgemm matches the definition in every case', () => {
    expect(gemmName(NATIVE)).toBe('openblas');
    run('native');
  });
  it('rejects an operand that does not fit its array', () => {
    const a = new Float32Array(6);
    expect(() => gemm(TYPESCRIPT, false, false, 2, 2, 3, 1, a, 1, 3, a, 0, 2, 0, a, 0, 2)).toThrow(/operand A/);
  });
});

describe('compiled element-wise kernels', () => {
  // Each kernel runs twice on the same random inputs, compiled and then TypeScript; float32
  // results agree to a few ulps of values of size ~1 (the sums run in different orders).
  function compare(run: (be: Backend, arrays: Float32Array[]) => void, sizes: number[], tol = 1e-5): void {
    const rng = new Rng(key(11));
    const inputs = sizes.map((n) => Float32Array.from({ length: n }, () => rng.float() * 2 - 1));
    const a = inputs.map((x) => Float32Array.from(x));
    const b = inputs.map((x) => Float32Array.from(x));
    expect(kernelsName(NATIVE)).toBe('native');
    run(NATIVE, a);
    run(TYPESCRIPT, b);
    a.forEach((x, i) => {
      let worst = 0;
      for (let j = 0; j < x.length; j++) worst = Math.max(worst, Math.abs(x[j]! - b[i]![j]!));
      expect(worst, `array ${i}`).toBeLessThanOrEqual(tol);
    });
  }
  const N = 37;
  const C = 24;
  const T = 9;
  it.skipIf(!has('openblas'))('GELU forward and backward', () => {
    compare((be, [out, inp, th, d]) => {
      geluForward(be, out!, inp!, N * C, th);
      geluBackward(be, d!, inp!, th!, d!, N * C);
    }, [N * C, N * C, N * C, N * C]);
  });
  it.skipIf(!has('openblas'))('LayerNorm forward and backward', () => {
    compare((be, [out, mean, rstd, inp, params, grads, dinp]) => {
      layernormForward(be, out!, mean!, rstd!, inp!, params!, 3, 3 + C, N, C);
      layernormBackward(be, dinp!, grads!, out!, inp!, params!, 3, 3 + C, mean!, rstd!, N, C);
    }, [N * C, N, N, N * C, 2 * C + 5, 2 * C + 5, N * C]);
  });
  it.skipIf(!has('openblas'))('fused causal attention forward and backward, and bias gradients', () => {
    const B = 3;
    const NH = 4;
    compare((be, [out, att, qkv, dqkv, dout, datt, dinp, grads, params, inp, dbias]) => {
      attentionForward(be, out!, att!, qkv!, B, T, C, NH);
      attentionBackward(be, dqkv!, dout!, att!, qkv!, datt!, B, T, C, NH);
      datt!.fill(0); // scratch: the TypeScript path uses all of it, the compiled one T floats
      matmulBackward(be, dinp!, grads!, dbias!, inp!, params!, 0, 5 * 7, N, 5, 7);
    }, [B * T * C, B * NH * T * T, B * T * 3 * C, B * T * 3 * C, B * T * C, B * NH * T * T, N * 5, 5 * 7 + 7, 5 * 7 + 7, N * 5, N * 7]);
  });
  it.skipIf(!has('openblas'))('softmax cross-entropy forward and backward', () => {
    const V = 50;
    const targets = Int32Array.from({ length: N }, (_, n) => (n % 5 === 0 ? -1 : (n * 7) % V));
    compare((be, [logits, losses]) => {
      for (let i = 0; i < logits!.length; i++) logits![i] = logits![i]! * 8;
      const { sum, count } = crossEntropyForward(be, logits!, targets, N, V, losses!);
      losses![0] = sum / count;
      crossEntropyBackward(be, logits!, targets, N, V, 1 / count);
    }, [N * V, N]);
  });
  it.skipIf(!has('openblas'))('AdamW and gradient clipping: the same bits', () => {
    const o = { lr: 1e-3, warmup: 0, minLrFraction: 0.1, weightDecay: 0.1, beta1: 0.9, beta2: 0.95, eps: 1e-8, clip: 0.5 };
    const decay = Uint8Array.from({ length: 301 }, (_, i) => i % 3);
    compare((be, [params, grads]) => {
      const opt = new AdamW(be, o, decay);
      for (let step = 0; step < 3; step++) {
        clipGradients(be, grads!, o.clip);
        opt.step(params!, grads!, o.lr);
      }
    }, [301, 301], 0);
  });
  it.skipIf(!has('openblas'))('drawing a token per slot: the same tokens, log-probabilities to float rounding', () => {
    const S = 40;
    const V = 300;
    const rng = new Rng(key(12));
    const logits = Float32Array.from({ length: S * V }, () => 6 * (rng.float() - 0.5));
    for (const temperature of [1, 0.7, 1.3]) {
      const draws = [true, false].map((compiled) => {
        const d = drawer(compiled ? NATIVE : TYPESCRIPT, S, V, { ...PLAIN, temperature });
        d.want.fill(1);
        d.want[3] = 0;
        d.run(logits, Array.from({ length: S }, (_, s) => new Rng(key(100 + s))));
        return { token: Array.from(d.token), logq: Array.from(d.logq) };
      });
      expect(draws[0]!.token).toEqual(draws[1]!.token);
      draws[0]!.logq.forEach((l, s) => expect(Math.abs(l - draws[1]!.logq[s]!), `slot ${s}`).toBeLessThan(1e-5));
    }
  });
  it.skipIf(!has('openblas'))('the compiled kernels give the same bits on one thread and on two', () => {
    const B = 4;
    const NH = 4;
    const V = 300;
    const rng = new Rng(key(13));
    const fill = (n: number, k = 1) => Float32Array.from({ length: n }, () => k * (rng.float() - 0.5));
    const inputs = { qkv: fill(B * T * 3 * C), dout: fill(B * T * C), logits: fill(64 * V, 8), x: fill(64 * C), params: fill(2 * C + 4), g: fill(70_000), grads: fill(2 * C + 4) };
    const targets = Int32Array.from({ length: 64 }, (_, i) => (i * 7) % V);
    const runAll = () => {
      const out = new Float32Array(B * T * C), att = new Float32Array(B * NH * T * T), dqkv = new Float32Array(B * T * 3 * C);
      attentionForward(NATIVE, out, att, inputs.qkv, B, T, C, NH);
      attentionBackward(NATIVE, dqkv, inputs.dout, att, inputs.qkv, new Float32Array(B * NH * T * T), B, T, C, NH);
      const logits = Float32Array.from(inputs.logits), losses = new Float32Array(64);
      crossEntropyForward(NATIVE, logits, targets, 64, V, losses);
      crossEntropyBackward(NATIVE, logits, targets, 64, V, 1 / 64);
      const ln = new Float32Array(64 * C), mean = new Float32Array(64), rstd = new Float32Array(64), dinp = new Float32Array(64 * C), grads = Float32Array.from(inputs.grads);
      layernormForward(NATIVE, ln, mean, rstd, inputs.x, inputs.params, 0, C, 64, C);
      layernormBackward(NATIVE, dinp, grads, inputs.x, ln, inputs.params, 0, C, mean, rstd, 64, C);
      const gelu = new Float32Array(64 * C), th = new Float32Array(64 * C);
      geluForward(NATIVE, gelu, inputs.x, 64 * C, th);
      const g = Float32Array.from(inputs.g), p = Float32Array.from(inputs.g);
      new AdamW(NATIVE, { lr: 1e-3, warmup: 0, minLrFraction: 0.1, weightDecay: 0.1, beta1: 0.9, beta2: 0.95, eps: 1e-8, clip: 1 }, new Uint8Array(g.length).fill(1)).step(p, g, 1e-3);
      const d = drawer(NATIVE, 64, V, PLAIN);
      d.want.fill(1);
      d.run(inputs.logits, Array.from({ length: 64 }, (_, s) => new Rng(key(200 + s))));
      return [out, att, dqkv, logits, losses, ln, dinp, grads, gelu, p, Float32Array.from(d.token), Float32Array.from(d.logq)];
    };
    setNativeThreads(NATIVE_MODULE, 1);
    const one = runAll();
    setNativeThreads(NATIVE_MODULE, 2);
    const two = runAll();
    setNativeThreads(NATIVE_MODULE, 1);
    two.forEach((x, i) => expect(x, `output ${i}`).toEqual(one[i]));
  });
  it.skipIf(!has('openblas'))('one cached attention step', () => {
    const S = 3;
    const pos = Int32Array.from([0, 4, 8]);
    compare((be, [out, qkv, K, V, scores]) => {
      attentionStep(be, out!, qkv!, K!, V!, pos, S, T, C, 4, scores!);
      scores!.fill(0); // scratch of the TypeScript path only
    }, [S * C, S * 3 * C, S * T * C, S * T * C, T]);
  });
});
