// Exact analysis of an n-gram model's context graph: which contexts a sentence can reach,
// whether the reachable graph has a cycle, how often a sentence visits each context, the
// exact entropy of the sentence distribution, and the most probable sentence.
import { END } from '../text/vocab.ts';
import type { NgramModel } from './model.ts';

/** Contexts reachable from the sentence start, in breadth-first order. */
export function reachable(m: NgramModel): Int32Array {
  const seen = new Uint8Array(m.total.length);
  const order = new Int32Array(m.total.length);
  let n = 0;
  seen[0] = 1;
  order[n++] = 0;
  for (let i = 0; i < n; i++) {
    const c = order[i]!;
    for (let e = m.start[c]!; e < m.start[c + 1]!; e++) {
      const d = m.to[e]!;
      if (d >= 0 && !seen[d]) (seen[d] = 1), (order[n++] = d);
    }
  }
  return order.slice(0, n);
}

/**
 * Reachable contexts in reverse postorder of a depth-first search: every edge that is not on
 * a cycle points forward in this order, so one forward sweep settles acyclic parts exactly.
 */
function reversePostorder(m: NgramModel): Int32Array {
  const C = m.total.length;
  const state = new Uint8Array(C); // 0 new, 1 on the stack, 2 finished
  const post = new Int32Array(C);
  let n = 0;
  const stack = [0];
  const edgeAt = [m.start[0]!];
  state[0] = 1;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const c = stack[top]!;
    const e = edgeAt[top]!;
    if (e === m.start[c + 1]!) {
      state[c] = 2;
      post[n++] = c;
      stack.pop();
      edgeAt.pop();
      continue;
    }
    edgeAt[top] = e + 1;
    const d = m.to[e]!;
    if (d >= 0 && state[d] === 0) {
      state[d] = 1;
      stack.push(d);
      edgeAt.push(m.start[d]!);
    }
  }
  return post.slice(0, n).reverse();
}

/** Whether the reachable graph has a cycle (Kahn's algorithm: a cycle is what cannot be peeled off). */
export function hasCycle(m: NgramModel, reach = reachable(m)): boolean {
  const indeg = new Int32Array(m.total.length);
  for (const c of reach) for (let e = m.start[c]!; e < m.start[c + 1]!; e++) if (m.to[e]! >= 0) indeg[m.to[e]!]!++;
  const queue: number[] = [];
  for (const c of reach) if (indeg[c] === 0) queue.push(c);
  let removed = 0;
  while (queue.length > 0) {
    const c = queue.pop()!;
    removed++;
    for (let e = m.start[c]!; e < m.start[c + 1]!; e++) {
      const d = m.to[e]!;
      if (d >= 0 && --indeg[d]! === 0) queue.push(d);
    }
  }
  return removed < reach.length;
}

/** Collapsed: every reachable context has exactly one continuation, so one sentence has probability 1. */
export function isCollapsed(m: NgramModel, reach = reachable(m)): boolean {
  for (const c of reach) if (m.start[c + 1]! - m.start[c]! !== 1) return false;
  return true;
}

/** Whether END can be reached from every reachable context (else a sentence can run forever). */
function alwaysEnds(m: NgramModel, reach = reachable(m)): boolean {
  const C = m.total.length;
  const rstart = new Int32Array(C + 1);
  for (let e = 0; e < m.to.length; e++) if (m.to[e]! >= 0) rstart[m.to[e]! + 1]!++;
  for (let c = 0; c < C; c++) rstart[c + 1]! += rstart[c]!;
  const from = new Int32Array(rstart[C]!);
  const fill = rstart.slice(0, C);
  for (let c = 0; c < C; c++) for (let e = m.start[c]!; e < m.start[c + 1]!; e++) if (m.to[e]! >= 0) from[fill[m.to[e]!]!++] = c;
  const ends = new Uint8Array(C);
  const stack: number[] = [];
  for (let c = 0; c < C; c++) if (endsHere(m, c)) (ends[c] = 1), stack.push(c);
  while (stack.length > 0) {
    const d = stack.pop()!;
    for (let i = rstart[d]!; i < rstart[d + 1]!; i++) if (!ends[from[i]!]) (ends[from[i]!] = 1), stack.push(from[i]!);
  }
  for (const c of reach) if (!ends[c]) return false;
  return true;
}

function endsHere(m: NgramModel, c: number): boolean {
  for (let e = m.start[c]!; e < m.start[c + 1]!; e++) if (m.next[e] === END) return true;
  return false;
}

/**
 * v[c] = the expected number of visits of context c by one sentence: the solution of
 * v = e_start + Pᵀv for the absorbing chain, by Gauss–Seidel sweeps that push each context's
 * pending mass to its successors in breadth-first order (mass leaks out at END). Once the
 * per-sweep increments shrink by a steady ratio ρ, the rest of the geometric tail,
 * Δv·ρ/(1 − ρ), is added in closed form (Aitken's extrapolation). Null when some reachable
 * context cannot reach END: a sentence can then run forever and the visits are infinite.
 */
export function visits(m: NgramModel): Float64Array | null {
  if (!alwaysEnds(m)) return null;
  const { order, start, to, p } = renumbered(m, reversePostorder(m));
  const n = order.length;
  const x = new Float64Array(n); // visits, by position in `order`
  const r = new Float64Array(n);
  const dx = new Float64Array(n);
  r[0] = 1;
  let last = Infinity;
  let ratio = NaN;
  let steady = 0;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const y = r[i]!;
      dx[i] = y;
      if (y === 0) continue;
      r[i] = 0;
      if (y < TINY) continue; // dropped: subnormal arithmetic is ~100× slower, and the mass is nil
      x[i]! += y;
      moved += y;
      for (let e = start[i]!, hi = start[i + 1]!; e < hi; e++) if (to[e]! >= 0) r[to[e]!]! += y * p[e]!;
    }
    let pending = 0;
    for (let i = 0; i < n; i++) pending += r[i]!;
    const rho = moved / last;
    steady = Math.abs(rho - ratio) <= 1e-9 * rho ? steady + 1 : 0;
    ratio = rho;
    last = moved;
    const done = pending < 1e-15 * (1 + moved);
    if (done || (steady >= 3 && rho < 1)) {
      // The increments of later sweeps (and the pending mass) are the geometric tail of dx.
      if (!done) for (let i = 0; i < n; i++) x[i]! += (dx[i]! * rho) / (1 - rho);
      const v = new Float64Array(m.total.length);
      for (let i = 0; i < n; i++) v[order[i]!] = x[i]!;
      return v;
    }
  }
  throw new Error(`ngram: expected context visits did not converge in ${MAX_SWEEPS} sweeps`);
}

/** The reachable graph with contexts renumbered by position in `order` (for memory locality) and edge probabilities. */
function renumbered(m: NgramModel, order: Int32Array): { order: Int32Array; start: Int32Array; to: Int32Array; p: Float64Array } {
  const pos = new Int32Array(m.total.length).fill(-1);
  order.forEach((c, i) => (pos[c] = i));
  const start = new Int32Array(order.length + 1);
  for (let i = 0; i < order.length; i++) start[i + 1] = start[i]! + m.start[order[i]! + 1]! - m.start[order[i]!]!;
  const to = new Int32Array(start[order.length]!);
  const p = new Float64Array(to.length);
  for (let i = 0; i < order.length; i++) {
    const c = order[i]!;
    for (let e = m.start[c]!, k = start[i]!; e < m.start[c + 1]!; e++, k++) {
      to[k] = m.to[e]! < 0 ? -1 : pos[m.to[e]!]!;
      p[k] = m.weight[e]! / m.total[c]!;
    }
  }
  return { order, start, to, p };
}

const MAX_SWEEPS = 100_000;
const TINY = 1e-250;

/** The entropy in nats of context c's next-token distribution. */
function contextEntropy(m: NgramModel, c: number): number {
  const t = m.total[c]!;
  let h = 0;
  for (let e = m.start[c]!; e < m.start[c + 1]!; e++) {
    const p = m.weight[e]! / t;
    if (p > 0) h -= p * Math.log(p); // p underflows to 0 when momentum has decayed an old count
  }
  return h;
}

/** Exact entropy of the sentence distribution in nats: Σ_c visits(c) · H(next | c); Infinity if sentences can run forever. */
export function sentenceEntropy(m: NgramModel, v: Float64Array | null): number {
  if (!v) return Infinity;
  let h = 0;
  for (let c = 0; c < v.length; c++) if (v[c]! > 0) h += v[c]! * contextEntropy(m, c);
  return h;
}

/** The most probable sentence: its edges in order (the last emits END) and its log-probability (Dijkstra on −log p). */
export function bestPath(m: NgramModel): { edges: number[]; logProb: number } {
  const C = m.total.length;
  const dist = new Float64Array(C + 1).fill(Infinity);
  const via = new Int32Array(C + 1).fill(-1);
  const done = new Uint8Array(C + 1);
  const heap = new MinHeap();
  dist[0] = 0;
  heap.push(0, 0);
  while (heap.size > 0) {
    const [d, c] = heap.pop();
    if (done[c] || d > dist[c]!) continue;
    done[c] = 1;
    if (c === C) break;
    for (let e = m.start[c]!; e < m.start[c + 1]!; e++) {
      const to = m.to[e]! < 0 ? C : m.to[e]!;
      const nd = d - Math.log(m.weight[e]! / m.total[c]!);
      if (nd < dist[to]!) (dist[to] = nd), (via[to] = e), heap.push(nd, to);
    }
  }
  const edges: number[] = [];
  for (let c = C; c !== 0; ) {
    const e = via[c]!;
    edges.push(e);
    c = contextOf(m, e);
  }
  return { edges: edges.reverse(), logProb: -dist[C]! };
}

/** The context an edge leaves from (binary search in `start`). */
function contextOf(m: NgramModel, e: number): number {
  let lo = 0;
  let hi = m.total.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (m.start[mid]! <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

class MinHeap {
  private keys: number[] = [];
  private vals: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(k: number, v: number): void {
    let i = this.keys.length;
    this.keys.push(k);
    this.vals.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.keys[p]! <= k) break;
      this.keys[i] = this.keys[p]!;
      this.vals[i] = this.vals[p]!;
      i = p;
    }
    this.keys[i] = k;
    this.vals[i] = v;
  }
  pop(): [number, number] {
    const top: [number, number] = [this.keys[0]!, this.vals[0]!];
    const k = this.keys.pop()!;
    const v = this.vals.pop()!;
    const n = this.keys.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && this.keys[c + 1]! < this.keys[c]!) c++;
        if (this.keys[c]! >= k) break;
        this.keys[i] = this.keys[c]!;
        this.vals[i] = this.vals[c]!;
        i = c;
      }
      this.keys[i] = k;
      this.vals[i] = v;
    }
    return top;
  }
}
