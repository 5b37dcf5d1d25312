// The reachable context graph of an n-gram model as data (JSON) or Graphviz DOT: nodes are
// contexts, edges are continuations with their probabilities, END is one sink node.
import { END } from '../text/vocab.ts';
import { reachable } from './graph.ts';
import type { NgramModel } from './model.ts';

export interface ContextGraph {
  readonly order: number;
  /** id = the model's context index; the sentence start is id 0. */
  readonly nodes: { id: number; context: string }[];
  /** to = a node id, or "END". */
  readonly edges: { from: number; to: number | 'END'; token: string; p: number }[];
}

/** The contexts reachable from the sentence start and their edges; `label` names a token id. */
export function contextGraph(m: NgramModel, label: (id: number) => string): ContextGraph {
  const k = m.order - 1;
  const nodes: ContextGraph['nodes'] = [];
  const edges: ContextGraph['edges'] = [];
  for (const c of reachable(m)) {
    nodes.push({ id: c, context: Array.from(m.contexts.subarray(c * k, c * k + k), label).join(' ') });
    for (let e = m.start[c]!; e < m.start[c + 1]!; e++) {
      edges.push({ from: c, to: m.to[e]! < 0 ? 'END' : m.to[e]!, token: m.next[e] === END ? label(END) : label(m.next[e]!), p: m.weight[e]! / m.total[c]! });
    }
  }
  return { order: m.order, nodes, edges };
}

/** Graphviz DOT of a context graph: edge labels "token p", the start node boxed, END a double circle. */
export function toDot(g: ContextGraph, title: string): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [`digraph ${q(title)} {`, '  rankdir=LR;', '  node [shape=ellipse, fontname="Helvetica"];', '  END [shape=doublecircle, label="END"];'];
  for (const n of g.nodes) lines.push(`  n${n.id} [label=${q(n.context || '·')}${n.id === 0 ? ', shape=box' : ''}];`);
  for (const e of g.edges) lines.push(`  n${e.from} -> ${e.to === 'END' ? 'END' : `n${e.to}`} [label=${q(`${e.token} ${formatP(e.p)}`)}];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

function formatP(p: number): string {
  return p === 1 ? '1' : p >= 0.01 ? p.toFixed(3) : p.toExponential(2);
}
