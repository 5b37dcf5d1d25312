import { expect, it } from 'vitest';
import { buildVocab, pack } from '../text/vocab.ts';
import { contextGraph, toDot } from './dot.ts';
import { fitCounts } from './model.ts';

it('the toy context graph: reachable contexts, probabilities summing to 1 per context, DOT text', () => {
  const s = [['a', 'b', 'c', 'b', 'c', 'b', 'a']];
  const vocab = buildVocab(s, 'word');
  const m = fitCounts(2, pack(vocab, s));
  const g = contextGraph(m, (id) => vocab.words[id]!);
  expect(g.nodes.map((n) => n.context)).toEqual(['<s>', 'a', 'b', 'c']);
  const b = g.nodes.find((n) => n.context === 'b')!.id;
  expect(g.edges.filter((e) => e.from === b).map((e) => [e.token, e.p])).toEqual([
    ['c', 2 / 3],
    ['a', 1 / 3],
  ]);
  for (const n of g.nodes) expect(g.edges.filter((e) => e.from === n.id).reduce((acc, e) => acc + e.p, 0)).toBeCloseTo(1, 12);
  const dot = toDot(g, 'toy');
  expect(dot).toContain('n1 -> END [label="</s> 0.500"];');
  expect(dot.startsWith('digraph "toy" {')).toBe(true);
});
