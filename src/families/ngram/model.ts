// The n-gram model as a context graph: a context is the last order − 1 tokens (BEGIN-padded
// at the start of a sentence), an edge is a continuation with its count. Edges are stored
// by context (CSR) with the successor context precomputed, so sampling walks the graph
// without hashing. Counts are floats only because fine-tuning mixes them (count momentum).
import { BEGIN, END, type Packed } from '../text/vocab.ts';
import { TupleIndex } from './table.ts';

/** An n-gram model: plain typed arrays (JSON round-trips through `revive`). Context 0 is the sentence start. */
export interface NgramModel {
  readonly order: number;
  /** contexts[c · (order − 1) + j]: the j-th token of context c (oldest first). */
  readonly contexts: Int32Array;
  /** Edges of context c are start[c] .. start[c + 1]. */
  readonly start: Int32Array;
  /** The token each edge emits. */
  readonly next: Int32Array;
  /** Each edge's count (a float under fine-tuning). */
  readonly weight: Float64Array;
  /** The context an edge leads to, −1 after END. */
  readonly to: Int32Array;
  /** total[c] = Σ of context c's edge weights. */
  readonly total: Float64Array;
}

/** Counts n-grams into integer-keyed tables; `build` freezes them into a model. */
export class Counter {
  readonly ctx: TupleIndex;
  readonly edges: TupleIndex;
  private w: Float64Array;
  private succ: Int32Array;
  private readonly buf: Int32Array;
  private readonly k: number;

  constructor(
    readonly order: number,
    expectedEdges = 1024,
  ) {
    this.k = order - 1;
    this.ctx = new TupleIndex(this.k, expectedEdges / 2);
    this.edges = new TupleIndex(2, expectedEdges);
    this.w = new Float64Array(expectedEdges);
    this.succ = new Int32Array(expectedEdges);
    this.buf = new Int32Array(Math.max(1, this.k));
    this.buf.fill(BEGIN);
    this.ctx.add(this.buf); // context 0: the sentence start
  }

  /** Adds `scale` × the n-gram counts of every sentence (BEGIN-padded, END-terminated). */
  addSentences(data: Packed, scale = 1): void {
    const { tokens, offsets } = data;
    for (let i = 0; i + 1 < offsets.length; i++) {
      let c = 0;
      for (let j = offsets[i]!, end = offsets[i + 1]!; j <= end; j++) {
        const e = this.edge(c, j < end ? tokens[j]! : END);
        this.w[e]! += scale;
        c = this.succ[e]!;
      }
    }
  }

  /** Adds `scale` × the edge weights of `model`. */
  addModel(model: NgramModel, scale: number): void {
    const k = this.k;
    for (let c = 0; c + 1 < model.start.length; c++) {
      const mine = this.ctx.add(model.contexts.subarray(c * k, c * k + k));
      for (let e = model.start[c]!; e < model.start[c + 1]!; e++) this.w[this.edge(mine, model.next[e]!)]! += scale * model.weight[e]!;
    }
  }

  /** Adds `w` to the edge (context c, token t). */
  addEdge(c: number, t: number, w: number): void {
    this.w[this.edge(c, t)]! += w;
  }

  /** The edge (context c, token t), created with its successor context if new. */
  private edge(c: number, t: number): number {
    const before = this.edges.size;
    const e = this.edges.addPair(c, t);
    if (e === before) {
      if (e >= this.w.length) this.grow();
      this.w[e] = 0;
      this.succ[e] = t === END ? -1 : this.successor(c, t);
    }
    return e;
  }

  private successor(c: number, t: number): number {
    const k = this.k;
    if (k === 0) return 0;
    const keys = this.ctx.keys;
    for (let j = 1; j < k; j++) this.buf[j - 1] = keys[c * k + j]!;
    this.buf[k - 1] = t;
    return this.ctx.add(this.buf);
  }

  private grow(): void {
    const w = new Float64Array(2 * this.w.length);
    w.set(this.w);
    this.w = w;
    const s = new Int32Array(2 * this.succ.length);
    s.set(this.succ);
    this.succ = s;
  }

  /**
   * The model of the counts so far. Edges with weight 0 are dropped, and so is any context
   * left without a continuation (with the edges into it), so every walk can end: only
   * underflowed momentum weights ever trigger that pruning.
   */
  build(): NgramModel {
    const C = this.ctx.size;
    const E = this.edges.size;
    const ek = this.edges.keys;
    const deg = new Int32Array(C);
    const total = new Float64Array(C);
    for (let e = 0; e < E; e++) {
      if (this.w[e]! > 0) {
        deg[ek[2 * e]!]!++;
        total[ek[2 * e]!]! += this.w[e]!;
      }
    }
    if (deg[0] === 0) throw new Error('ngram: cannot fit a model to no sentences');
    for (let c = 0; c < C; c++) if (deg[c] === 0) return this.pruned(deg);
    const start = new Int32Array(C + 1);
    for (let c = 0; c < C; c++) start[c + 1] = start[c]! + deg[c]!;
    const fill = start.slice(0, C);
    const live = start[C]!;
    const next = new Int32Array(live);
    const weight = new Float64Array(live);
    const to = new Int32Array(live);
    for (let e = 0; e < E; e++) {
      if (!(this.w[e]! > 0)) continue;
      const at = fill[ek[2 * e]!]!++;
      next[at] = ek[2 * e + 1]!;
      weight[at] = this.w[e]!;
      to[at] = this.succ[e]!;
    }
    const contexts = this.ctx.keys.slice(0, C * this.k);
    return { order: this.order, contexts, start, next, weight, to, total };
  }

  private pruned(deg: Int32Array): NgramModel {
    const dead = Uint8Array.from(deg, (d) => (d === 0 ? 1 : 0));
    const keep = new Counter(this.order, this.edges.size);
    const k = this.k;
    const ek = this.edges.keys;
    for (let e = 0; e < this.edges.size; e++) {
      const c = ek[2 * e]!;
      if (!(this.w[e]! > 0) || dead[c] || (this.succ[e]! >= 0 && dead[this.succ[e]!])) continue;
      const mine = keep.ctx.add(this.ctx.keys.subarray(c * k, c * k + k));
      keep.w[keep.edge(mine, ek[2 * e + 1]!)]! += this.w[e]!;
    }
    return keep.build();
  }
}

/** The maximum-likelihood model of `data`, or with fine-tuning m·(previous counts) + (1 − m)·(new counts). */
export function fitCounts(order: number, data: Packed, from?: { model: NgramModel; keep: number }): NgramModel {
  const counter = new Counter(order, 2 * (data.tokens.length + data.offsets.length) + (from ? from.model.next.length : 0));
  if (from && from.keep > 0) {
    counter.addModel(from.model, from.keep);
    counter.addSentences(data, 1 - from.keep);
  } else counter.addSentences(data);
  return counter.build();
}

/** A model from its JSON form (typed arrays arrive as plain arrays or index-keyed objects). */
export function revive(json: unknown): NgramModel {
  const m = json as Record<string, unknown>;
  const ints = (k: string) => Int32Array.from(Object.values(m[k] as object) as number[]);
  const floats = (k: string) => Float64Array.from(Object.values(m[k] as object) as number[]);
  return { order: m.order as number, contexts: ints('contexts'), start: ints('start'), next: ints('next'), weight: floats('weight'), to: ints('to'), total: floats('total') };
}
