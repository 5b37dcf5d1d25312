// Smoothed n-gram models, materialized: every context a sentence can reach gets an explicit
// distribution, so sampling, exact entropy, collapse and the graph work unchanged (weights
// are then probabilities). Add-α (Laplace/Lidstone) gives every token a share in every
// context; backoff is interpolated absolute discounting (Ney, Essen & Kneser 1994): each
// seen context gives up d per continuation to the order − 1 distribution, down to a unigram
// that carries the add-α. Smoothing makes the graph dense — |support|^order edges — so it
// suits character-level and small corpora; a bigger graph is refused with a clear error.
import { BEGIN, type Packed } from '../text/vocab.ts';
import { Counter, type NgramModel } from './model.ts';
import { indexOf } from './score.ts';

export interface Smoothing {
  /** add-α on every token (END included) of the top order, or of the unigram under backoff. */
  readonly alpha: number;
  /** Absolute discount d ∈ (0, 1) of interpolated backoff; undefined = no backoff. */
  readonly discount?: number | undefined;
}

/** The most edges a materialized smoothed model may have. */
const MAX_SMOOTHED_EDGES = 5_000_000;

/** The smoothed model of `data` over token ids 1..vocabSize − 1 (END and every word). */
export function fitSmoothed(order: number, data: Packed, vocabSize: number, s: Smoothing): NgramModel {
  const byOrder: NgramModel[] = [];
  for (let j = 1; j <= order; j++) if (j === order || s.discount !== undefined) byOrder[j] = counts(j, data);
  const unigram = byOrder[1] ?? byOrder[order]!;
  // The tokens that can ever be emitted: every token under add-α, else those the unigram saw.
  const support: number[] = [];
  if (s.alpha > 0) for (let t = 1; t < vocabSize; t++) support.push(t);
  else for (let e = 0; e < unigram.next.length; e++) support.push(unigram.next[e]!);
  support.sort((a, b) => a - b);
  const size = support.length ** order;
  if (size > MAX_SMOOTHED_EDGES) {
    throw new Error(`model: smoothing an order-${order} model over ${support.length} tokens needs up to ${support.length}^${order} = ${size.toExponential(1)} edges (limit ${MAX_SMOOTHED_EDGES}); use a character-level or smaller corpus, a lower order, or smoothing: 0 without backoff`);
  }
  const p = new Float64Array(support.length);
  const build = new Counter(order, Math.min(size, 1 << 20));
  const k = order - 1;
  const ctx = new Int32Array(k).fill(BEGIN);
  for (let c = 0; c < build.ctx.size; c++) {
    ctx.set(build.ctx.keys.subarray(c * k, c * k + k));
    distribution(byOrder, order, ctx, support, s, vocabSize, p);
    for (let i = 0; i < support.length; i++) if (p[i]! > 0) build.addEdge(c, support[i]!, p[i]!);
  }
  return build.build();
}

function counts(j: number, data: Packed): NgramModel {
  const c = new Counter(j, 2 * (data.tokens.length + data.offsets.length));
  c.addSentences(data);
  return c.build();
}

/** p[i] = P(support[i] | ctx) under the smoothing, into `p`. */
function distribution(byOrder: NgramModel[], order: number, ctx: Int32Array, support: number[], s: Smoothing, vocabSize: number, p: Float64Array): void {
  const lowest = s.discount !== undefined ? 1 : order;
  // The base: add-α at the lowest order used (its context: the last lowest − 1 tokens).
  level(byOrder[lowest]!, ctx.subarray(ctx.length - (lowest - 1)), support, p, (n, total) => (n + s.alpha) / (total + s.alpha * (vocabSize - 1)), 1 / (vocabSize - 1));
  for (let j = lowest + 1; j <= order; j++) {
    const m = byOrder[j]!;
    const h = ctx.subarray(ctx.length - (j - 1));
    const c = indexOf(m).ctx.get(h);
    if (c < 0) continue; // an unseen context is its order − 1 distribution
    const d = s.discount!;
    let kept = 0;
    for (let e = m.start[c]!; e < m.start[c + 1]!; e++) kept += Math.min(m.weight[e]!, d);
    const lower = kept / m.total[c]!;
    for (let i = 0; i < p.length; i++) p[i] = p[i]! * lower;
    for (let e = m.start[c]!; e < m.start[c + 1]!; e++) {
      const i = binarySearch(support, m.next[e]!);
      p[i] = p[i]! + (m.weight[e]! - Math.min(m.weight[e]!, d)) / m.total[c]!;
    }
  }
}

/** One order's add-α distribution over `support` in context h (uniform if h was never seen). */
function level(m: NgramModel, h: Int32Array, support: number[], p: Float64Array, smoothed: (n: number, total: number) => number, unseen: number): void {
  const { ctx, edge } = indexOf(m);
  const c = ctx.get(h);
  if (c < 0) return void p.fill(unseen);
  for (let i = 0; i < support.length; i++) {
    const e = edge.getPair(c, support[i]!);
    p[i] = smoothed(e < 0 ? 0 : m.weight[e]!, m.total[c]!);
  }
}

function binarySearch(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Fine-tuning of smoothed models: p′ = keep·p_prev + (1 − keep)·p_new per context. */
export function mixModels(prev: NgramModel, next: NgramModel, keep: number): NgramModel {
  const c = new Counter(next.order, prev.next.length + next.next.length);
  c.addModel(prev, keep);
  c.addModel(next, 1 - keep);
  return c.build();
}
