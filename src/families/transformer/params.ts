// The GPT's parameters live in one flat array; this file names the tensors, their shapes and
// offsets (GPT-2's names, nn.Linear's [out, in] layout), and initialises them as GPT-2 does
// (Radford et al. 2019): N(0, 0.02²) weights, residual projections scaled by 1/√(2·n_layer).
import { Rng, type Key } from '../../core/random.ts';
import { normal } from '../../core/samplers.ts';
import type { Vec } from './gemm.ts';

/** The architecture: vocabulary V, context block_size T, n_layer blocks of width d_model C with n_head heads. */
export interface GptConfig {
  readonly vocab_size: number;
  readonly block_size: number;
  readonly n_layer: number;
  readonly n_head: number;
  readonly d_model: number;
  /** the output head reuses the token embedding (GPT-2's weight tying). */
  readonly tied: boolean;
}

export interface Tensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
}

/** Offsets of one block's tensors. */
export interface BlockLayout {
  readonly ln1w: number; readonly ln1b: number;
  readonly qkvw: number; readonly qkvb: number;
  readonly projw: number; readonly projb: number;
  readonly ln2w: number; readonly ln2b: number;
  readonly fcw: number; readonly fcb: number;
  readonly fcprojw: number; readonly fcprojb: number;
}

export interface Layout {
  readonly tensors: readonly Tensor[];
  readonly total: number;
  readonly wte: number;
  readonly wpe: number;
  readonly blocks: readonly BlockLayout[];
  readonly lnfw: number;
  readonly lnfb: number;
  /** the output head [V, C]: wte itself when tied. */
  readonly head: number;
}

/** Checks the architecture; throws a message naming the field and the fix. */
export function checkConfig(c: GptConfig): void {
  for (const k of ['vocab_size', 'block_size', 'n_layer', 'n_head', 'd_model'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new Error(`model.${k}: expected a whole number ≥ 1, got ${c[k]}`);
  }
  if (c.d_model % c.n_head !== 0) throw new Error(`model.n_head: ${c.n_head} heads do not divide d_model ${c.d_model}; choose n_head dividing d_model (e.g. ${largestDivisor(c.d_model, c.n_head)})`);
}

function largestDivisor(d: number, atMost: number): number {
  for (let h = atMost; h > 1; h--) if (d % h === 0) return h;
  return 1;
}

/** The tensors of `c` in storage order. */
export function layout(c: GptConfig): Layout {
  checkConfig(c);
  const { vocab_size: V, block_size: T, d_model: C } = c;
  const tensors: Tensor[] = [];
  let at = 0;
  const add = (name: string, shape: number[]): number => {
    const size = shape.reduce((p, s) => p * s, 1);
    tensors.push({ name, shape, offset: at, size });
    at += size;
    return at - size;
  };
  const wte = add('wte.weight', [V, C]);
  const wpe = add('wpe.weight', [T, C]);
  const blocks: BlockLayout[] = [];
  for (let l = 0; l < c.n_layer; l++) {
    const h = `h.${l}.`;
    blocks.push({
      ln1w: add(h + 'ln_1.weight', [C]), ln1b: add(h + 'ln_1.bias', [C]),
      qkvw: add(h + 'attn.c_attn.weight', [3 * C, C]), qkvb: add(h + 'attn.c_attn.bias', [3 * C]),
      projw: add(h + 'attn.c_proj.weight', [C, C]), projb: add(h + 'attn.c_proj.bias', [C]),
      ln2w: add(h + 'ln_2.weight', [C]), ln2b: add(h + 'ln_2.bias', [C]),
      fcw: add(h + 'mlp.c_fc.weight', [4 * C, C]), fcb: add(h + 'mlp.c_fc.bias', [4 * C]),
      fcprojw: add(h + 'mlp.c_proj.weight', [C, 4 * C]), fcprojb: add(h + 'mlp.c_proj.bias', [C]),
    });
  }
  const lnfw = add('ln_f.weight', [C]);
  const lnfb = add('ln_f.bias', [C]);
  const head = c.tied ? wte : add('lm_head.weight', [V, C]);
  return { tensors, total: at, wte, wpe, blocks, lnfw, lnfb, head };
}

/** Fresh parameters for `c` drawn with `key` (one stream over the tensors in storage order). */
export function initParams<A extends Vec>(c: GptConfig, key: Key, out: A): A {
  const lay = layout(c);
  if (out.length !== lay.total) throw new RangeError(`initParams: expected ${lay.total} parameters, got ${out.length}`);
  const rng = new Rng(key);
  const residualStd = 0.02 / Math.sqrt(2 * c.n_layer);
  for (const t of lay.tensors) {
    const kind = t.name.slice(t.name.lastIndexOf('.') + 1);
    const isLn = t.name.includes('ln_');
    if (kind === 'bias') out.fill(0, t.offset, t.offset + t.size);
    else if (isLn) out.fill(1, t.offset, t.offset + t.size);
    else {
      const std = t.name.endsWith('c_proj.weight') ? residualStd : 0.02;
      for (let i = 0; i < t.size; i++) out[t.offset + i] = std * normal(rng);
    }
  }
  return out;
}

/** 1 where AdamW decays the parameter (matrices and embeddings), 0 for biases and LayerNorm gains. */
export function decayMask(c: GptConfig): Uint8Array {
  const lay = layout(c);
  const mask = new Uint8Array(lay.total);
  for (const t of lay.tensors) if (t.shape.length === 2) mask.fill(1, t.offset, t.offset + t.size);
  return mask;
}
