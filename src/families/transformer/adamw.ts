// AdamW (Loshchilov & Hutter 2019: decoupled weight decay) with linear warmup, cosine decay
// to a floor, and clipping of the global gradient norm, as nanoGPT trains GPT-2. The compiled
// twins (native/blas/optim.c) compute in double in the same order, so they give the same bits.
import type { Backend } from './backend.ts';

/** Optimiser settings; lr is the peak learning rate. */
export interface AdamWOptions {
  readonly lr: number;
  /** steps of linear warmup from lr/warmup to lr. */
  readonly warmup: number;
  /** the cosine decays lr to lr·minLrFraction at the last step. */
  readonly minLrFraction: number;
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** rescale gradients whose global L2 norm exceeds this (0 = off). */
  readonly clip: number;
}

/** The learning rate at 0-based `step` of `steps`. */
export function learningRate(o: AdamWOptions, step: number, steps: number): number {
  if (step < o.warmup) return (o.lr * (step + 1)) / o.warmup;
  const span = Math.max(1, steps - o.warmup);
  const progress = Math.min(1, (step - o.warmup) / span);
  const floor = o.lr * o.minLrFraction;
  return floor + 0.5 * (o.lr - floor) * (1 + Math.cos(Math.PI * progress));
}

/** Scales grads so their L2 norm is at most `clip`; returns the norm before clipping. */
export function clipGradients(be: Backend, grads: Float32Array | Float64Array, clip: number): number {
  const native = grads instanceof Float32Array ? be.kernels : undefined;
  let s = 0;
  if (native) s = native.sumSquares(grads as Float32Array, grads.length);
  else for (let i = 0; i < grads.length; i++) s += grads[i]! * grads[i]!;
  const norm = Math.sqrt(s);
  if (!Number.isFinite(norm)) throw new Error(`training diverged: the gradient norm is ${norm}; lower the learning rate`);
  if (clip > 0 && norm > clip) {
    const k = clip / norm;
    if (native) native.scale(grads as Float32Array, grads.length, k);
    else for (let i = 0; i < grads.length; i++) grads[i] = grads[i]! * k;
  }
  return norm;
}

/** AdamW's moment estimates for one parameter vector. */
export class AdamW {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;

  constructor(
    private readonly be: Backend,
    private readonly o: AdamWOptions,
    /** 1 where weight decay applies. */
    private readonly decay: Uint8Array,
  ) {
    this.m = new Float32Array(decay.length);
    this.v = new Float32Array(decay.length);
  }

  /** One update of `params` in place from `grads` at learning rate `lr`. */
  step(params: Float32Array, grads: Float32Array, lr: number): void {
    const { beta1: b1, beta2: b2, eps, weightDecay: wd } = this.o;
    this.t++;
    const c1 = 1 / (1 - b1 ** this.t);
    const c2 = 1 / (1 - b2 ** this.t);
    const { m, v, decay } = this;
    const native = this.be.kernels;
    if (native) return native.adamw(params, grads, m, v, decay, params.length, lr, b1, b2, eps, wd, c1, c2);
    for (let i = 0; i < params.length; i++) {
      const g = grads[i]!;
      const mi = (m[i] = b1 * m[i]! + (1 - b1) * g);
      const vi = (v[i] = b2 * v[i]! + (1 - b2) * g * g);
      const p = params[i]!;
      params[i] = p - lr * ((mi * c1) / (Math.sqrt(vi * c2) + eps) + (decay[i] ? wd * p : 0));
    }
  }
}
